from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from portal.core.acting import acting_for_request

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    """Thai first; a member's saved choice wins, then the visitor's cookie (kept per visitor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
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
