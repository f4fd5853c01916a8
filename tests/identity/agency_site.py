"""An agency's Django site connected to the portal with mozilla-django-oidc, as
docs/connecting-a-system.md tells it: the code the guide shows, run by the suite
(tests/identity/test_agency_guide.py) so that the guide stays true.

In the tests, the agency's users are the portal's members (one Django project plays both
sides); an agency keeps its own user table and maps the portal's `sub` to it."""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
# The portal's `sub` -> the agency's user id (an agency keeps this in its own user table).
ACCOUNTS: dict[str, int] = {}


def mozilla_settings(issuer: str, *, client_id: str, client_secret: str) -> dict:
    """The settings of the guide, from the portal's discovery document only."""
    metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": metadata["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": metadata["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": metadata["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": metadata["jwks_uri"],
        "OIDC_OP_LOGOUT_ENDPOINT": metadata["end_session_endpoint"],
        "OIDC_OP_ISSUER": metadata["issuer"],
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": client_secret,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid profile business factories",
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_TOKEN_USE_BASIC_AUTH": True,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS": 15 * 60,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
    }


class PortalBackend(OIDCAuthenticationBackend):
    """Users are found by the portal's `sub` (stable and opaque), never by e-mail; the
    business the member chose comes with userinfo."""

    def verify_claims(self, claims):
        return bool(claims.get("sub")) and "business" in claims

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(pk=ACCOUNTS.get(claims["sub"]))

    def create_user(self, claims):
        return None  # an agency creates its accounts its own way

    def update_user(self, user, claims):
        self.request.session["portal_business"] = claims["business"]
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        # The ID token's `sid` names this sign-in in the portal's back-channel logout.
        self.request.session["portal_sid"] = payload["sid"]
        return super().get_or_create_user(access_token, id_token, payload)


def remember_sid(sid: str, session) -> None:
    """Which of the agency's sessions a portal sign-in (`sid`) opened, for back-channel
    logout (the session key is final only once the login has cycled it)."""
    session.save()
    cache.set(f"portal-sid:{sid}", session.session_key, settings.SESSION_COOKIE_AGE)


class PortalCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        response = super().login_success()
        remember_sid(self.request.session["portal_sid"], self.request.session)
        return response


@csrf_exempt
@require_POST
@never_cache
def backchannel_logout(request):
    """OpenID Connect Back-Channel Logout 1.0, 2.6: check the logout token, end the session of
    its `sid`, answer 200 (400 for a bad token)."""
    token = request.POST.get("logout_token", "")
    try:
        keys = requests.get(settings.OIDC_OP_JWKS_ENDPOINT, timeout=10).json()
        kid = jwt.get_unverified_header(token)["kid"]
        key = jwt.PyJWKSet.from_dict(keys)[kid]
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER,
            options={"require": ["iat", "jti", "sid", "events"]},
        )
    except (jwt.PyJWTError, KeyError, requests.RequestException):
        return HttpResponse(status=400)
    if BACKCHANNEL_EVENT not in claims["events"] or "nonce" in claims:
        return HttpResponse(status=400)
    session_key = cache.get(f"portal-sid:{claims['sid']}")
    if session_key:
        SessionStore(session_key=session_key).delete()
    return HttpResponse(status=200)


urlpatterns = [
    path("rp/login", OIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("rp/callback", PortalCallbackView.as_view(), name="oidc_authentication_callback"),
    path("rp/logout", OIDCLogoutView.as_view(), name="oidc_logout"),
    path("rp/backchannel-logout", backchannel_logout, name="agency_backchannel_logout"),
]
