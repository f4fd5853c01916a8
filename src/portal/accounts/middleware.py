from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

CONSENT_PENDING = "consent_pending"
# Set where a door other than the login form (ThaID) meets a closed account (ACC-15); the
# login page then says it is closed and links to the reopen request.
CLOSED_NOTICE = "closed_account_notice"


class ConsentRequiredMiddleware:
    """ACC-09: after login, a member who has not answered the current PDPA consent version
    sees the consent screen before anything else. The check runs once at login and is kept
    in the session, so ordinary pages pay no query for it."""

    ALLOWED_PREFIXES = (
        "/static/",
        "/accounts/consent/",
        "/accounts/logout/",
        "/language/",
        "/oidc/logout/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.session.get(CONSENT_PENDING)
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:consent')}?{query}")
        return self.get_response(request)
