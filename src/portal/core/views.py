from collections.abc import Callable

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.core.middleware import SUPPORTED
from portal.core.signals import language_chosen

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
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
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


def paginate(request, rows, *, per_page: int = PAGE_SIZE):
    """One page of a long list (a consultant may hold hundreds of businesses): a page costs the
    same whatever the list's length. A page number out of range gives the last page."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
