import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import translation
from django.utils.csp import CSP
from django.utils.functional import SimpleLazyObject
from oauth2_provider.models import get_application_model

from portal.core.acting import acting_for_request

SUPPORTED = {code for code, _ in settings.LANGUAGES}
# The language switched to in this visit (this session); it outlives the login, which keeps
# the session's data, and ends with the session.
LANGUAGE_CHOSEN_IN_VISIT = "language_chosen"
# The language a connected system asked for (OIDC `ui_locales`), for the pages of that sign-in
# only (identity.oidc_views); the switch drops it.
UI_LOCALE = "ui_locale"


class LanguageMiddleware:
    """Thai first. A connected system's `ui_locales` during its sign-in; then a choice made in
    this visit (so the language picked before logging in stays after it); without one, a
    member's saved choice; then the visitor's cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        language = None
        if session is not None:
            language = session.get(UI_LOCALE) or session.get(LANGUAGE_CHOSEN_IN_VISIT)
        user = getattr(request, "user", None)
        if language not in SUPPORTED and user is not None and user.is_authenticated:
            language = getattr(user, "language", None)
        if language not in SUPPORTED:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ActingContextMiddleware:
    """Resolve the acting context once per request, after authentication (request.acting);
    lazily, so a page that writes nothing pays nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting = SimpleLazyObject(lambda: acting_for_request(request))
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages of a logged-in member or officer are theirs alone: no shared or browser cache
    keeps them (a shared computer's back button, a proxy). A response that chose its own
    Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


class FormActionMiddleware:
    """CSP form-action is 'self', and browsers apply it to the redirect after a POST too. The
    authorization page (consent, business choice) and the logout page post to the portal,
    which then redirects to the connected system: there form-action also allows the origins
    the registered systems' redirect URIs live at. Logging in with ThaID posts to the portal,
    which redirects to ThaID's origin."""

    PATHS = ("/oidc/authorize/", "/oidc/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and (request.path in self.PATHS or request.path.startswith("/accounts/login")):
            policy = dict(settings.SECURE_CSP)
            policy["form-action"] = [CSP.SELF, *form_action_origins()]
            response._csp_config = policy
        return response


# Per process, for a minute: the login page must not pay a query for it on every view.
_FORM_ACTION_ORIGINS: dict[str, object] = {"until": 0.0, "origins": []}


def form_action_origins() -> list[str]:
    now = time.monotonic()
    if now < _FORM_ACTION_ORIGINS["until"]:
        return _FORM_ACTION_ORIGINS["origins"]
    uris = [settings.THAID_DISCOVERY_URL]
    for redirects, logouts in get_application_model().objects.values_list(
        "redirect_uris", "post_logout_redirect_uris"
    ):
        uris += redirects.split() + logouts.split()
    origins = sorted(
        {
            f"{parts.scheme}://{parts.netloc}"
            for parts in map(urlsplit, uris)
            if parts.scheme in ("http", "https") and parts.netloc
        }
    )
    # A system registered a minute ago is allowed a minute later at most.
    _FORM_ACTION_ORIGINS.update(until=now + 60, origins=origins)
    return origins


class RequestSizeMiddleware:
    """A whole request (files included) is refused above MAX_REQUEST_BYTES before anything
    reads its body: Django's own cap (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves files out, and the
    upload checks (15 MB) only run once the file has been received."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            # core.views imports this module (the languages): import the page here.
            from portal.core.views import bad_request  # noqa: PLC0415

            response = bad_request(request, RequestDataTooBig())
            response.status_code = 413
            return response
        return self.get_response(request)
