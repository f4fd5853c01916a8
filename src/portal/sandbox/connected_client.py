"""The sample connected system: an OpenID Connect client (relying party) of the portal, as an
e-service of the ministry would be, so that single sign-on can be seen and tested end to end.

It plays every system of the catalogue (one client per system, under /sandbox/connected/
<slug>/) and talks to the portal only the way a real system would: over HTTP, from the
portal's discovery document, with authlib. Its sessions are its own (a cookie of its own and
the cache), not the portal's, so that logging out of the portal has to reach it by
back-channel logout (SSO-07) to end them.
"""

import hashlib
import hmac
import json
import secrets
import time

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from portal.identity.backchannel import BACKCHANNEL_EVENT
from portal.identity.selectors import connected_systems_all
from portal.identity.services import connected_system_register_client

# Tests put an httpx.WSGITransport here so that the client reaches the portal in-process.
TRANSPORT: httpx.BaseTransport | None = None
SESSION_SECONDS = 8 * 3600


def client_id_for(slug: str) -> str:
    return f"sandbox-{slug}"


def client_secret_for(slug: str) -> str:
    """The sample client's secret, derived so that the client and its registration agree
    without storing a plain secret anywhere."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"sandbox-client:{slug}".encode(), hashlib.sha256).hexdigest()


def _http() -> httpx.Client:
    return httpx.Client(timeout=10.0, transport=TRANSPORT)


def provider_metadata(issuer: str) -> dict:
    key = f"sample-client:metadata:{issuer}"
    metadata = cache.get(key)
    if metadata is None:
        with _http() as http:
            metadata = http.get(f"{issuer}/.well-known/openid-configuration").raise_for_status()
            metadata = metadata.json()
        cache.set(key, metadata, 300)
    return metadata


def provider_keys(issuer: str, *, refresh: bool = False):
    key = f"sample-client:jwks:{issuer}"
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        with _http() as http:
            jwks = http.get(provider_metadata(issuer)["jwks_uri"]).raise_for_status().json()
        cache.set(key, jwks, 300)
    return KeySet.import_key_set(jwks)


def verified_claims(token: str, issuer: str, **expected) -> dict:
    """The claims of a JWT of the portal, after checking its RS256 signature with the JWKS
    (fetched again once on an unknown key id: the portal rotated its key), its issuer, its
    times and `expected` claim values."""
    try:
        decoded = jwt.decode(token, provider_keys(issuer), algorithms=["RS256"])
    except (JoseError, ValueError):
        decoded = jwt.decode(token, provider_keys(issuer, refresh=True), algorithms=["RS256"])
    options = {"iss": {"essential": True, "value": issuer}}
    options |= {name: {"essential": True, "value": value} for name, value in expected.items()}
    jwt.JWTClaimsRegistry(leeway=30, **options).validate(decoded.claims)
    return decoded.claims


def _oauth(slug: str, issuer: str, redirect_uri: str, **kwargs) -> OAuth2Client:
    return OAuth2Client(
        client_id=client_id_for(slug),
        client_secret=client_secret_for(slug),
        token_endpoint_auth_method="client_secret_basic",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        transport=TRANSPORT,
        timeout=10.0,
        **kwargs,
    )


def login_start(*, slug: str, issuer: str, redirect_uri: str, scope: str) -> tuple[str, str]:
    """(pending-login id, authorization URL): state, nonce and PKCE verifier stay here."""
    verifier = generate_token(64)
    nonce = generate_token(24)
    with _oauth(slug, issuer, redirect_uri, scope=scope) as client:
        url, state = client.create_authorization_url(
            provider_metadata(issuer)["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
        )
    pending_id = secrets.token_urlsafe(24)
    cache.set(
        f"sample-client:pending:{pending_id}",
        {"state": state, "nonce": nonce, "verifier": verifier, "slug": slug},
        600,
    )
    return pending_id, url


class LoginFailed(Exception):
    pass


def login_finish(*, slug: str, issuer: str, redirect_uri: str, pending_id: str, params) -> str:
    """Exchange the code, check the ID token, read userinfo; returns the new session id."""
    pending = cache.get(f"sample-client:pending:{pending_id}") if pending_id else None
    cache.delete(f"sample-client:pending:{pending_id}")
    if not pending or pending["slug"] != slug or params.get("state") != pending["state"]:
        raise LoginFailed("state")
    if params.get("error"):
        raise LoginFailed(params["error"])
    metadata = provider_metadata(issuer)
    with _oauth(slug, issuer, redirect_uri) as client:
        token = client.fetch_token(
            metadata["token_endpoint"],
            code=params.get("code", ""),
            code_verifier=pending["verifier"],
        )
        try:
            claims = verified_claims(
                token["id_token"], issuer, aud=client_id_for(slug), nonce=pending["nonce"]
            )
        except (JoseError, ValueError) as error:
            raise LoginFailed("invalid ID token") from error
        userinfo = client.get(metadata["userinfo_endpoint"]).raise_for_status().json()
    session_id = secrets.token_urlsafe(24)
    cache.set(
        f"sample-client:session:{session_id}",
        {
            "slug": slug,
            "claims": claims,
            "userinfo": userinfo,
            "id_token": token["id_token"],
            "scope": token.get("scope", ""),
            "signed_in_at": time.time(),
        },
        SESSION_SECONDS,
    )
    return session_id


def session_get(session_id: str | None, slug: str) -> dict | None:
    """The client's session, unless the portal ended it by back-channel logout."""
    if not session_id:
        return None
    session = cache.get(f"sample-client:session:{session_id}")
    if not session or session["slug"] != slug:
        return None
    if cache.get(f"sample-client:ended-sid:{session['claims'].get('sid')}"):
        return None
    return session


def session_end(session_id: str) -> None:
    cache.delete(f"sample-client:session:{session_id}")


def backchannel_logout(*, slug: str, issuer: str, logout_token: str) -> None:
    """Back-Channel Logout 1.0, section 2.6: check the logout token, then end the session it
    names. Raises LoginFailed (the endpoint answers 400) when the token is not valid."""
    try:
        claims = verified_claims(logout_token, issuer, aud=client_id_for(slug))
    except (JoseError, ValueError) as error:
        raise LoginFailed("invalid logout token") from error
    events = claims.get("events") or {}
    if BACKCHANNEL_EVENT not in events or "nonce" in claims or not claims.get("sid"):
        raise LoginFailed("not a logout token")
    if not cache.add(f"sample-client:logout-jti:{claims.get('jti')}", True, 600):
        raise LoginFailed("replayed logout token")
    cache.set(f"sample-client:ended-sid:{claims['sid']}", True, SESSION_SECONDS)


def pretty(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def register_sample_clients(base_urls: list[str]) -> int:
    """Make every system of the catalogue a client of the portal played by this sample
    client, reachable at each of `base_urls` (for example http://127.0.0.1:8000 and
    http://localhost:8000). Re-running updates them."""
    systems = connected_systems_all()
    first = base_urls[0].rstrip("/")
    for system in systems:

        def url(name: str, base: str = first, slug: str = system.slug) -> str:
            return base.rstrip("/") + reverse(f"sandbox:{name}", args=[slug])

        connected_system_register_client(
            system=system,
            client_id=client_id_for(system.slug),
            client_secret=client_secret_for(system.slug),
            redirect_uris=[url("connected_callback", base) for base in base_urls],
            post_logout_redirect_uris=[url("connected_home", base) for base in base_urls],
            initiate_login_uri=url("connected_login"),
            backchannel_logout_uri=url("connected_backchannel_logout"),
        )
    return len(systems)
