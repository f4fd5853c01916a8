"""Helpers for single sign-on tests: a connected system with a known client, the portal
reached over HTTP in-process (httpx.WSGITransport), and a real OIDC client (authlib)."""

import re
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import requests
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from joserfc import jwt
from joserfc.jwk import KeySet

from portal.identity.models import ConnectedSystem
from portal.identity.services import connected_system_register_client
from tests.factories import ConnectedSystemFactory

ISSUER = "http://testserver"
SECRET = "test-client-secret-which-is-long-and-random-0123456789"
REDIRECT_URI = f"{ISSUER}/rp/callback"
POST_LOGOUT_URI = f"{ISSUER}/rp/home"


def make_system(
    slug: str = "test-system",
    *,
    scopes: str = "openid profile email phone pid business factories",
    needs_business: bool = True,
    needs_factory: bool = False,
    business_kinds: list[str] | None = None,
    backchannel_logout_uri: str = "",
) -> ConnectedSystem:
    system = ConnectedSystemFactory(
        slug=slug,
        name_th="ระบบทดสอบ",
        name_en="Test system",
        scopes=scopes,
        needs_business=needs_business,
        needs_factory=needs_factory,
        business_kinds=business_kinds or [],
    )
    connected_system_register_client(
        system=system,
        client_id=f"client-{slug}",
        client_secret=SECRET,
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=[POST_LOGOUT_URI],
        initiate_login_uri=f"{ISSUER}/rp/login",
        backchannel_logout_uri=backchannel_logout_uri,
    )
    return system


class InProcessPortal:
    """The portal's WSGI application for use inside a test (same database transaction). Like
    Django's test client, it keeps the request signals from closing the test's connection
    while a request runs."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        # Called inside another request (a task run on commit), the receivers are away
        # already: put back only what was taken here.
        taken = [
            signal
            for signal in (request_started, request_finished)
            if signal.disconnect(close_old_connections)
        ]
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()  # sends request_finished while the receiver is away
            return [body]
        finally:
            for signal in taken:
                signal.connect(close_old_connections)


@contextmanager
def portal_transport(remote_addr: str = "127.0.0.1"):
    """remote_addr: the client's address the portal sees (REMOTE_ADDR)."""
    yield httpx.WSGITransport(app=InProcessPortal(), remote_addr=remote_addr)


class PortalAdapter(requests.adapters.BaseAdapter):
    """A `requests` transport that hands each request to the portal in-process (through
    httpx's WSGI transport), for relying-party libraries that call `requests` themselves
    (mozilla-django-oidc, authlib's Django client): the same bytes as over a socket."""

    def __init__(self, transport: httpx.BaseTransport):
        super().__init__()
        self.transport = transport

    def send(self, request, **kwargs):
        outgoing = httpx.Request(
            request.method, request.url, headers=dict(request.headers), content=request.body or b""
        )
        incoming = self.transport.handle_request(outgoing)
        incoming.read()
        response = requests.Response()
        response.status_code = incoming.status_code
        response.headers = requests.structures.CaseInsensitiveDict(incoming.headers)
        response._content = incoming.content
        response.url = request.url
        response.request = request
        response.encoding = incoming.encoding
        return response

    def close(self):
        pass


@contextmanager
def requests_into_portal(monkeypatch, transport):
    """Every `requests` call to the issuer goes to the portal in-process; nothing else is
    allowed out."""
    adapter = PortalAdapter(transport)

    def get_adapter(session, url):
        assert url.startswith(ISSUER + "/"), url
        return adapter

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    yield adapter


class Flow:
    """One authorization code flow with PKCE, as a connected system runs it."""

    def __init__(self, system: ConnectedSystem, *, scope: str | None = None, pkce: bool = True):
        self.system = system
        self.client_id = system.client.client_id
        self.scope = scope or system.scopes
        self.state = generate_token(16)
        self.nonce = generate_token(16)
        self.verifier = generate_token(64)
        self.pkce = pkce

    def params(self, **overrides) -> dict:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
        }
        if self.pkce:
            params["code_challenge"] = create_s256_code_challenge(self.verifier)
            params["code_challenge_method"] = "S256"
        params.update(overrides)
        return {key: value for key, value in params.items() if value is not None}

    def authorize_url(self, **overrides) -> str:
        return "/oidc/authorize/?" + urlencode(self.params(**overrides))

    def approve(self, browser, *, holding=None, allow=True, **overrides):
        """POST the authorization page's form (consent and business choice)."""
        data = self.params(**overrides) | {"step": "consent"}
        if allow:
            data["allow"] = "on"
        if holding is not None:
            data["holding"] = str(holding.pk)
        return browser.post("/oidc/authorize/", data)

    def code_from(self, response) -> str:
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        assert location.startswith(REDIRECT_URI), location
        query = parse_qs(urlparse(location).query)
        assert query["state"] == [self.state]
        assert "error" not in query, query
        return query["code"][0]

    def oauth(self, transport, **kwargs) -> OAuth2Client:
        options = {
            "client_id": self.client_id,
            "client_secret": SECRET,
            "token_endpoint_auth_method": "client_secret_basic",
            "redirect_uri": REDIRECT_URI,
            "transport": transport,
        }
        return OAuth2Client(**(options | kwargs))

    def exchange(self, transport, code: str, *, verifier: str | None = None) -> dict:
        with self.oauth(transport) as oauth:
            return oauth.fetch_token(
                f"{ISSUER}/oidc/token/", code=code, code_verifier=verifier or self.verifier
            )


def error_of(response) -> str:
    query = parse_qs(urlparse(response["Location"]).query)
    return query.get("error", [""])[0]


def jwks(transport) -> dict:
    with httpx.Client(transport=transport, base_url=ISSUER) as http:
        return http.get("/oidc/jwks/").raise_for_status().json()


def id_token_claims(transport, token: dict, flow: Flow):
    """Validate the ID token as a client must: signature by the JWKS, iss, aud, exp, nonce."""
    decoded = jwt.decode(
        token["id_token"], KeySet.import_key_set(jwks(transport)), algorithms=["RS256"]
    )
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": flow.client_id},
        nonce={"essential": True, "value": flow.nonce},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(decoded.claims)
    return decoded.claims


def userinfo(transport, access_token: str) -> httpx.Response:
    with httpx.Client(transport=transport, base_url=ISSUER) as http:
        return http.get("/oidc/userinfo/", headers={"Authorization": f"Bearer {access_token}"})


def hidden_inputs(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
