"""The portal as OpenID Connect provider (SSO-01, SSO-06, SSO-07), on django-oauth-toolkit.

What the portal adds to the toolkit:
- only connected systems (identity.ConnectedSystem with a client) can sign members in, and a
  client gets no scope beyond those of its system (SSO-06: scopes decide the claims);
- each authorization creates a SignIn: the member, the portal session, the business chosen
  at hand-off (SVC-02). The grant, then every access token, is linked to it, so that the ID
  token, userinfo and refreshed tokens all carry the same business and its factories, and the
  `sid` of the ID token names it for back-channel logout (SSO-07);
- `sub` is an opaque, stable identifier of the member, never the national ID or the row id.
"""

import base64
import hashlib
import hmac
import json
import logging
from types import SimpleNamespace
from urllib.parse import parse_qs, unquote_plus, urlsplit

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone
from jwcrypto import jwk, jws
from oauth2_provider.models import AccessToken, Grant, IDToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from portal.core.network import client_ip
from portal.core.ratelimit import rate_limit_count, rate_limit_hit
from portal.identity.models import ConnectedSystem, SignIn, SignInToken
from portal.operators.factory_selectors import member_factories_of_business

logger = logging.getLogger(__name__)

CUSTOM_CLAIM_SCOPES = {
    "name_en": "profile",
    "pid": "pid",
    "business": "business",
    "factories": "factories",
}


# The business's columns that no claim uses: not read on the token and userinfo paths.
UNUSED_BUSINESS_FIELDS = (
    "business__registry_data",
    "business__contact_address",
    "business__other_contacts",
    "business__pid_encrypted",
)


def _claimed_client_id(request) -> str:
    """The client id a token request claims, before it is authenticated."""
    if request.client_id:
        return str(request.client_id)
    auth = request.headers.get("HTTP_AUTHORIZATION", "")
    if auth.startswith("Basic "):
        try:
            decoded = base64.b64decode(auth[6:]).decode()
        except (ValueError, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.split(":", 1)[0])
    return ""


def address_of(request) -> str:
    """The client's address of an oauthlib request. The toolkit copies the Django request's
    META into the oauthlib request's headers, so the one rule for addresses (trusted proxy
    hops of X-Forwarded-For) applies here too, not the load balancer's REMOTE_ADDR."""
    return client_ip(SimpleNamespace(META=request.headers)) or ""


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def django_request_of(request) -> HttpRequest:
    """A Django request made of an oauthlib request's headers (the toolkit copied META into
    them): what the issuer and the client's address are read from."""
    django_request = HttpRequest()
    django_request.META = dict(request.headers)
    if request.headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE"):
        django_request._get_scheme = lambda: "https"
    return django_request


def token_in_query(uri: str) -> bool:
    """RFC 6750 2.3 (optional) is refused: a token in a URL ends up in access logs, proxies
    and browser histories."""
    return "access_token" in parse_qs(urlsplit(uri or "").query, keep_blank_values=True)


def signing_keys_by_kid() -> dict:
    """kid -> key, for the active and the retired signing keys (parsed once per process)."""
    pems = (
        settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"],
        *settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"],
    )
    cached = _keys_cache.get(pems)
    if cached is None:
        keys = [jwk.JWK.from_pem(pem.encode()) for pem in pems if pem]
        cached = {key.thumbprint(): key for key in keys}
        _keys_cache.clear()
        _keys_cache[pems] = cached
    return cached


_keys_cache: dict = {}


def portal_session_alive(session_key: str) -> bool:
    return Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists()


def public_subject(member_id: int) -> str:
    """The `sub` every connected system sees for a member: stable, opaque, and not the row id
    (which would tell a system how many members registered before this one)."""
    key = settings.OIDC_SUBJECT_KEY.encode()
    return hmac.new(key, f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:32]


def member_claims(member) -> dict:
    """The claims about the member, before scopes filter them."""
    full_name = " ".join(part for part in (member.title_th, member.display_name) if part)
    name_en = f"{member.first_name_en} {member.last_name_en}".strip()
    claims = {
        "name": full_name,
        "given_name": member.first_name,
        "family_name": member.last_name,
        "locale": member.language,
        "pid": lambda request: request.user.national_id,  # decrypted only when granted
        "email": member.email or "",
        "email_verified": member.email_verified,
        "phone_number": f"+66{member.mobile[1:]}" if member.mobile else "",
        "phone_number_verified": member.mobile_verified,
    }
    if name_en:
        claims["name_en"] = name_en
    return claims


def business_claims(sign_in: SignIn | None) -> dict:
    """SSO-06: the business chosen at hand-off and the member's factories of it (read only
    when the client was granted the `factories` scope)."""
    if sign_in is None or sign_in.business is None:
        return {}
    business = sign_in.business
    return {
        "business": {
            "id": business.registry_key,
            "kind": business.kind,
            "name_th": business.name_th,
            "name_en": business.name_en,
            "trade_name_th": business.trade_name_th,
            "branch": business.branch,
        },
        "factories": lambda request: factory_claims(sign_in),
    }


def factory_claims(sign_in: SignIn) -> list[dict]:
    business = sign_in.business
    factories = member_factories_of_business(member_id=sign_in.member_id, business_id=business.pk)
    return [
        {
            "factory_no": number,
            "factory_no_old": old_number,
            "name_th": name,
            "licence": licence,
            "status": status,
        }
        for number, old_number, name, licence, status in factories
    ]


class PortalValidator(OAuth2Validator):
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope | CUSTOM_CLAIM_SCOPES

    # --- who may ask for what ------------------------------------------------------------

    def authenticate_client(self, request, *args, **kwargs):
        """Client secrets are long and random, but guessing is still throttled: after too many
        failures for one client from one address, that client does not authenticate from
        there until the window ends. Only failures count, and the key is the client and the
        client's own address, so failures from one address never hold the same client at
        another address, nor other clients behind the same address."""
        key = f"{_claimed_client_id(request)}:{address_of(request)}"
        limit = settings.OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW
        if rate_limit_count(scope="oidc-client-auth", key=key) >= limit:
            return False
        if super().authenticate_client(request, *args, **kwargs):
            return True
        rate_limit_hit(scope="oidc-client-auth", key=key, limit=limit, window_seconds=600)
        return False

    def _system(self, client) -> ConnectedSystem | None:
        cached = getattr(client, "_portal_system", False)
        if cached is False:
            cached = ConnectedSystem.objects.filter(client=client).first()
            client._portal_system = cached
        return cached

    def validate_client_id(self, client_id, request, *args, **kwargs):
        # A registered client that is not a connected system signs nobody in (SSO-01).
        return super().validate_client_id(client_id, request) and (
            self._system(request.client) is not None
        )

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        system = self._system(client)
        if system is None:
            return False
        known = settings.OAUTH2_PROVIDER["SCOPES"]
        allowed = set(system.scopes.split()) & set(known)
        # OIDC Core 3.1.2.1: scope values the portal does not understand are ignored (a
        # library's default `offline_access`, say); a known scope the system may not have is
        # still refused (SSO-06).
        if isinstance(scopes, list):
            scopes[:] = [scope for scope in scopes if scope in known]
        return set(scopes) <= allowed

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        # RFC 6749 4.1.2.1: the code flow only; any other response type (implicit, hybrid) is
        # `unsupported_response_type`, sent back to the (already checked) redirect URI.
        if response_type != "code":
            raise errors.UnsupportedResponseTypeError(request=request)
        return super().validate_response_type(client_id, response_type, client, request)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        return ["openid"]

    # prompt=none: oauthlib asks these; the authorization view decides (it answers
    # login_required or consent_required itself when the member would have to act).
    def validate_silent_login(self, request):
        return True

    def validate_silent_authorization(self, request):
        return True

    # --- the sign-in travels with the grant and the tokens --------------------------------

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        grant = self._create_authorization_code(request, code)
        SignIn.objects.create(
            member=request.user,
            system=self._system(request.client),
            session_key=getattr(request, "portal_session_key", "") or "",
            business_id=getattr(request, "portal_business_id", None),
            auth_time=getattr(request, "portal_auth_time", None),
            grant=grant,
            code_hash=code_hash(code["code"]),
        )

    def _create_authorization_code(self, request, code, expires=None):
        """The grant keeps the code's SHA-256 only: a read of the grant table gives no code
        that could be exchanged (every lookup below hashes the code it is given)."""
        return super()._create_authorization_code(
            request, {**code, "code": code_hash(code["code"])}, expires
        )

    def _end_replayed_sign_in(self, code: str, client, request) -> None:
        """RFC 6749 4.1.2: a code used twice revokes the tokens issued for it. The client has
        authenticated by now (oauthlib checks that first), so only the code's own client can
        end its sign-in this way."""
        # identity.services imports this module (through identity.tasks): import it here.
        from portal.identity.services import sign_ins_end  # noqa: PLC0415

        sign_in_id = (
            SignIn.objects.filter(
                code_hash=code_hash(code), system__client=client, ended_at__isnull=True
            )
            .values_list("pk", flat=True)
            .first()
        )
        if sign_in_id is None:
            return
        logger.warning("authorization code used again: sign-in %s ended", sign_in_id)
        sign_ins_end(sign_in_ids=[str(sign_in_id)], request=django_request_of(request))

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        # Two exchanges of one code at the same moment: the one that finds the grant already
        # deleted has issued tokens too; both sets die with the sign-in.
        deleted, _ = Grant.objects.filter(code=code_hash(code), application=request.client).delete()
        if not deleted:
            self._end_replayed_sign_in(code, request.client, request)
            raise errors.InvalidGrantError(request=request)

    # The toolkit reads the grant of a code seven times per token request (scopes, the code,
    # the redirect URI, PKCE twice, the nonce); one read serves them all, with its sign-in.
    # (Its own read for RFC 8707 resource narrowing in save_bearer_token looks for the clear
    # code and finds nothing: the portal's authorization requests carry no `resource`, so a
    # grant's resources are empty and that check had nothing to compare anyway.)

    def _grant(self, code: str, request) -> Grant | None:
        cache = request.__dict__.setdefault("_portal_grants", {})
        if code not in cache:
            cache[code] = (
                Grant.objects.select_related("user", "sign_in__business")
                .defer(*(f"sign_in__{field}" for field in UNUSED_BUSINESS_FIELDS))
                .filter(code=code_hash(code))
                .first()
            )
        return cache[code]

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        grant = self._grant(code, request)
        return grant.scope.split(" ") if grant and grant.scope else []

    def get_authorization_code_nonce(self, client_id, code, redirect_uri, request):
        grant = self._grant(code, request)
        return (grant.nonce or None) if grant else None

    def get_code_challenge(self, code, request):
        grant = self._grant(code, request)
        return (grant.code_challenge or None) if grant else None

    def get_code_challenge_method(self, code, request):
        grant = self._grant(code, request)
        return (grant.code_challenge_method or None) if grant else None

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request, *args, **kwargs):
        grant = self._grant(code, request)
        if grant is None or grant.application_id != client.pk:
            return False
        if not grant.redirect_uri_allowed(redirect_uri):
            # RFC 6749 5.2: a redirect URI that is not the authorization request's makes the
            # grant invalid (`invalid_grant`), not the request malformed.
            raise errors.InvalidGrantError(
                description="The redirect URI is not the one of the authorization request.",
                request=request,
            )
        return True

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        grant = self._grant(code, request)
        if grant is None:
            self._end_replayed_sign_in(code, client, request)
            return False
        if grant.application_id != client.pk or grant.is_expired():
            return False
        sign_in = getattr(grant, "sign_in", None)
        if sign_in is None or sign_in.ended_at is not None or not grant.user.is_active:
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            request.claims = json.loads(grant.claims)
        request.portal_sign_in = sign_in
        return True

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        link = (
            SignInToken.objects.filter(
                access_token_id=request.refresh_token_instance.access_token_id
            )
            .select_related("sign_in__business")
            .defer(*(f"sign_in__{field}" for field in UNUSED_BUSINESS_FIELDS))
            .first()
        )
        if link is None or link.sign_in.ended_at is not None or not request.user.is_active:
            return False
        # Like a Keycloak SSO session: a system keeps refreshing only while the portal session
        # the member signed in from is alive.
        if not portal_session_alive(link.sign_in.session_key):
            return False
        request.portal_sign_in = link.sign_in
        return True

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        """The toolkit's, without reading back the ID token it has just saved, and linking
        the new access token to its sign-in in the same breath."""
        id_token = getattr(request, "id_token", None) if token.get("id_token") else None
        if id_token is not None and not isinstance(id_token, IDToken):
            id_token = self._load_id_token(token["id_token"])
        access_token = AccessToken(
            user=request.user,
            scope=token["scope"],
            expires=expires,
            id_token=id_token,
            application=request.client,
            source_refresh_token=source_refresh_token,
            resource=getattr(request, "resource", []),
        )
        self._set_token_value(access_token, token["access_token"])
        access_token.save()
        sign_in = getattr(request, "portal_sign_in", None)
        if sign_in is not None:
            SignInToken.objects.create(access_token=access_token, sign_in=sign_in)
        return access_token

    def _sign_in_of(self, request) -> SignIn | None:
        sign_in = getattr(request, "portal_sign_in", None)
        if sign_in is None and getattr(request, "access_token", None) is not None:
            link = (
                SignInToken.objects.filter(access_token=request.access_token)
                .select_related("sign_in__business")
                .defer(*(f"sign_in__{field}" for field in UNUSED_BUSINESS_FIELDS))
                .first()
            )
            sign_in = link.sign_in if link else None
            request.portal_sign_in = sign_in
        return sign_in

    def validate_bearer_token(self, token, scopes, request):
        if token_in_query(request.uri):
            return False  # userinfo answers invalid_request before this; any other resource too
        if not super().validate_bearer_token(token, scopes, request):
            return False
        sign_in = self._sign_in_of(request)
        return sign_in is not None and sign_in.ended_at is None and request.user.is_active

    # --- claims (SSO-06) ------------------------------------------------------------------

    def get_claim_dict(self, request):
        claims = member_claims(request.user)
        claims.update(business_claims(self._sign_in_of(request)))
        claims["sub"] = public_subject(request.user.pk)
        return claims

    def get_oidc_claims(self, token, token_handler, request):
        """ID tokens travel in URLs (`id_token_hint` at logout) and browser histories, so they
        carry only `sub` (and `sid`): names, national ID, business and factories are read
        from userinfo, with the access token (SSO-06)."""
        if token_handler is not None:  # building an ID token, not answering userinfo
            return {"sub": public_subject(request.user.pk)}
        return super().get_oidc_claims(token, token_handler, request)

    # --- keys -----------------------------------------------------------------------------

    def _get_key_for_token(self, token):
        """The key that signed this token, by its `kid`: the active key or a retired one still
        published, so that logout hints signed before a rotation still validate."""
        unverified = jws.JWS()
        unverified.deserialize(token)
        return signing_keys_by_kid().get(unverified.jose_header.get("kid"))

    def get_discovery_claims(self, request):
        return ["sub", "sid", "auth_time", *self.oidc_claim_scope]

    def finalize_id_token(self, id_token, token, token_handler, request):
        sign_in = self._sign_in_of(request)
        if sign_in is not None:
            id_token["sid"] = str(sign_in.pk)
            if sign_in.auth_time is not None:
                # The time of the member's authentication in the portal session, not the
                # toolkit's `last_login` (moved by a login on any other device): OIDC Core 2.
                id_token["auth_time"] = int(sign_in.auth_time.timestamp())
        return super().finalize_id_token(id_token, token, token_handler, request)
