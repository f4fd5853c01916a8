from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.middleware import LANGUAGE_CHOSEN_IN_VISIT, SUPPORTED, UI_LOCALE
from portal.core.paging import page_by_keys
from portal.core.signals import language_chosen
from portal.core.uploads import DOCUMENT_TYPES

# core imports no app (DESIGN.md's layers): the apps that own what a member's dashboard shows
# (operators: the businesses, and registry changes to confirm) register here, in their
# AppConfig.ready(), a function giving that part of the page's context.
_dashboard_context: list[Callable[..., dict]] = []


def dashboard_context_register(provider: Callable[..., dict]) -> None:
    """`provider(member=...)` gives a dict for the dashboard's template context."""
    if provider not in _dashboard_context:
        _dashboard_context.append(provider)


def home(request):
    if request.user.is_authenticated:
        context: dict = {}
        for provider in _dashboard_context:
            context.update(provider(member=request.user))
        return render(request, "core/dashboard.html", context)
    return render(request, "core/home.html")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def set_language(request):
    """The English switch: kept in a cookie for visitors and on the member for members."""
    language = request.POST.get("language")
    if language not in SUPPORTED:
        return HttpResponseNotAllowed(["POST"])
    response = redirect(safe_next_url(request, request.POST.get("next", ""), default="/"))
    request.session[LANGUAGE_CHOSEN_IN_VISIT] = language
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    # A choice made now wins over a connected system's `ui_locales` for the rest of the visit.
    request.session.pop(UI_LOCALE, None)
    if request.user.is_authenticated:
        # The accounts app keeps the member's choice (it listens; core imports no app).
        language_chosen.send(
            sender=set_language, member=request.user, language=language, request=request
        )
    return response


def safe_next_url(request, candidate: str, *, default: str) -> str:
    """Where to go after a form: the page asked for when it is on this site, else default.
    A "next" URL comes from the visitor, so it is checked to prevent an open redirect."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return default


def posted_data(request):
    """The submitted data of a POST, even an empty one, so that a form shows its errors."""
    return request.POST if request.method == "POST" else None


def posted_files(request):
    return request.FILES if request.method == "POST" else None


PAGE_SIZE = 50


def paginate(request, rows, *, per_page: int = PAGE_SIZE, count: int | None = None):
    """One page of a long list (a consultant may hold hundreds of businesses): a page costs the
    same whatever the list's length. A page number out of range gives the last page. `count`:
    the list's length when the caller has counted it already (no COUNT query then)."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached property: set, it is not computed
    return paginator.get_page(request.GET.get("page"))


def paginate_by_keys(request, rows, *, per_page: int = PAGE_SIZE):
    """paginate() for lists of many thousand rows (core.paging.page_by_keys)."""
    return page_by_keys(rows, request.GET.get("page"), per_page=per_page)


# --- error pages: the portal's look, in the visitor's language --------------------------------


def _error_page(request, *, status: int, title, message):
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        message = _(
            "What was sent is too large. Please shorten the text or choose a smaller file, "
            "then send it again."
        )
    else:
        message = _("The request could not be understood. Please go back and try again.")
    return _error_page(request, status=400, title=_("Bad request"), message=message)


def permission_denied(request, exception=None):
    return _error_page(
        request,
        status=403,
        title=_("Access denied"),
        message=_("You do not have permission to open this page."),
    )


def page_not_found(request, exception=None):
    return _error_page(
        request,
        status=404,
        title=_("Page not found"),
        message=_("The page you asked for does not exist or has moved."),
    )


def server_error(request):
    """Rendered without context processors: whatever failed (the database) must not fail the
    error page too. The page says it in Thai and in English."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form left open too long or cookies switched off."""
    return _error_page(
        request,
        status=403,
        title=_("The form has expired"),
        message=_(
            "For your security the form could not be sent. Please reload the page and try "
            "again; if it happens again, allow cookies for this site."
        ),
    )


# --- uploaded documents -----------------------------------------------------------------------


def private_file_response(file, *, content_type: str, name: str, inline: bool = False):
    """An uploaded file served to the member or officer entitled to it. A PDF or image made by
    anyone may carry script: it goes out as a download (inline only for the member's own
    re-encoded picture), sandboxed by CSP if a browser shows it anyway, never sniffed into
    another type, and never kept in a cache."""
    response = FileResponse(
        file,
        content_type=content_type,
        as_attachment=not inline,
        filename=f"{name}.{DOCUMENT_TYPES.get(content_type, 'bin')}",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
