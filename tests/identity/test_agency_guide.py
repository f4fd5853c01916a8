"""docs/connecting-a-system.md, run against the provider (SSO-01, SSO-06, SSO-07): an agency's
site connected with mozilla-django-oidc, with Authlib's Django client, and with plain HTTP
calls, each from the discovery document only: login, ID token verified, userinfo, refresh
(where the library does it), silent renewal (prompt=none) for the business chosen, and the
back-channel logout received. The Django test client is the member's browser at the portal;
the agency's own browser session is a separate session store."""

from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import jwt
import pytest
import requests
from authlib.integrations.django_client import OAuth
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from mozilla_django_oidc.middleware import SessionRefresh
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from portal.identity import tasks
from portal.identity.models import SignIn
from portal.identity.oidc import public_subject
from portal.operators import services as operator_services
from tests import sso
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.identity import agency_site

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.identity.agency_urls")]

SCOPES = "openid profile business factories"
BACKCHANNEL_URI = f"{sso.ISSUER}/rp/backchannel-logout"


@pytest.fixture
def member(client):
    member = MemberFactory()
    client.force_login(member)
    return member


@pytest.fixture
def second_business(member):
    """A member with two businesses: the one chosen must come back at every renewal."""
    operator_services.business_add_myself(member=member)
    return HoldingFactory(
        member=member, business=BusinessFactory(name_th="บริษัท สอง จำกัด", name_en="Two Co.")
    )


@pytest.fixture
def portal(monkeypatch):
    """The provider reached in-process, by `requests` (the libraries) and by httpx (the
    back-channel logout task)."""
    with sso.portal_transport() as transport, sso.requests_into_portal(monkeypatch, transport):
        monkeypatch.setattr(tasks, "TRANSPORT", transport)
        yield transport


@pytest.fixture
def system():
    return sso.make_system("agency", scopes=SCOPES, backchannel_logout_uri=BACKCHANNEL_URI)


def agency_request(url: str, session, user=None):
    request = RequestFactory().get(url)
    request.session = session
    request.user = user or AnonymousUser()
    return request


def consent(client, authorize_url: str, holding) -> str:
    """The member at the portal's page: chooses the business and consents; the redirect back."""
    page = client.get(authorize_url)
    assert page.status_code == 200, page.status_code
    form = sso.hidden_inputs(page.content.decode())
    answer = client.post("/oidc/authorize/", form | {"allow": "on", "holding": holding.pk})
    assert answer.status_code == 302 and answer["Location"].startswith(sso.REDIRECT_URI)
    return answer["Location"]


def query_of(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def assert_backchannel_logout_ends(client, member, agency_session_key: str) -> None:
    """The member logs out at the portal: the agency's session of that sign-in is gone."""
    assert SessionStore().exists(agency_session_key)
    client.post("/accounts/logout/")
    assert not SessionStore().exists(agency_session_key)
    sign_ins = SignIn.objects.filter(member=member)
    assert {(row.logout_error, row.logout_sent_at is not None) for row in sign_ins} == {("", True)}


def test_sso_01_sso_07_mozilla_django_oidc_connects_as_the_guide_says(
    client, member, second_business, portal, system, settings
):
    """SSO-01, SSO-06, SSO-07: mozilla-django-oidc with the guide's settings: PKCE login, ID
    token verified (RS256, JWKS, nonce), userinfo's business, silent renewal every 15 minutes
    (prompt=none) for the business chosen, back-channel logout ends the agency's session."""
    for name, value in agency_site.mozilla_settings(
        sso.ISSUER, client_id=system.client.client_id, client_secret=sso.SECRET
    ).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "tests.identity.agency_site.PortalBackend",
        *settings.AUTHENTICATION_BACKENDS,
    ]
    agency_site.ACCOUNTS[public_subject(member.pk)] = member.pk
    session = SessionStore()

    start = OIDCAuthenticationRequestView.as_view()(agency_request("/rp/login", session))
    params = query_of(start["Location"])
    assert start["Location"].startswith(f"{sso.ISSUER}/oidc/authorize/?")
    assert params["code_challenge_method"] == "S256" and params["scope"] == SCOPES
    back = consent(client, start["Location"], second_business)
    request = agency_request(back, session)
    callback = agency_site.PortalCallbackView.as_view()(request)
    session = request.session  # the library reloads the session while it authenticates
    assert callback.status_code == 302 and callback["Location"] == "/"
    assert session["_auth_user_id"] == str(member.pk)
    assert session["portal_business"]["id"] == second_business.business.registry_key
    first = SignIn.objects.get(member=member)
    assert session["portal_sid"] == str(first.pk)

    # Fifteen minutes later the middleware renews silently.
    session["oidc_id_token_expiration"] = 0
    renewal = SessionRefresh(lambda request: None).process_request(
        agency_request("/rp/reports", session, member)
    )
    assert query_of(renewal["Location"])["prompt"] == "none"
    answer = client.get(renewal["Location"])
    assert "code" in query_of(answer["Location"]), answer["Location"]
    request = agency_request(answer["Location"], session, member)
    callback = agency_site.PortalCallbackView.as_view()(request)
    session = request.session
    assert callback["Location"] == "/rp/reports"
    renewed = SignIn.objects.exclude(pk=first.pk).get(member=member)
    assert renewed.business == second_business.business
    assert session["portal_sid"] == str(renewed.pk)

    assert_backchannel_logout_ends(client, member, session.session_key)


def test_sso_01_sso_07_authlib_django_client_connects_as_the_guide_says(
    client, member, second_business, portal, system, settings
):
    """SSO-01, SSO-06, SSO-07: Authlib's Django client registered from the discovery URL:
    PKCE login, ID token verified, userinfo, refresh, prompt=none renewal for the business
    chosen, back-channel logout received by the guide's receiver."""
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso.ISSUER}/oidc/jwks/"
    settings.OIDC_OP_ISSUER = sso.ISSUER
    settings.OIDC_RP_CLIENT_ID = system.client.client_id
    oauth = OAuth()
    oauth.register(
        "portal",
        client_id=system.client.client_id,
        client_secret=sso.SECRET,
        server_metadata_url=f"{sso.ISSUER}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
        },
    )
    session = SessionStore()
    start = oauth.portal.authorize_redirect(agency_request("/rp/login", session), sso.REDIRECT_URI)
    assert query_of(start["Location"])["code_challenge_method"] == "S256"
    back = consent(client, start["Location"], second_business)
    token = oauth.portal.authorize_access_token(agency_request(back, session))
    first = SignIn.objects.get(member=member)
    assert token["userinfo"]["sub"] == public_subject(member.pk)  # the verified ID token
    assert token["userinfo"]["sid"] == str(first.pk)
    info = oauth.portal.userinfo(token=token)
    assert info["business"]["id"] == second_business.business.registry_key
    agency_site.remember_sid(token["userinfo"]["sid"], session)

    refreshed = oauth.portal.fetch_access_token(
        grant_type="refresh_token", refresh_token=token["refresh_token"]
    )
    assert refreshed["access_token"] != token["access_token"]
    info = oauth.portal.userinfo(token=refreshed)
    assert info["business"]["id"] == second_business.business.registry_key

    silent = oauth.portal.authorize_redirect(
        agency_request("/rp/login", session), sso.REDIRECT_URI, prompt="none"
    )
    answer = client.get(silent["Location"])
    renewed_token = oauth.portal.authorize_access_token(agency_request(answer["Location"], session))
    renewed = SignIn.objects.exclude(pk=first.pk).get(member=member)
    assert renewed_token["userinfo"]["sid"] == str(renewed.pk)
    assert renewed.business == second_business.business

    assert_backchannel_logout_ends(client, member, session.session_key)


def test_sso_01_sso_07_a_generic_client_connects_with_plain_http_as_the_guide_says(
    client, member, second_business, portal, system, settings
):
    """SSO-01, SSO-06, SSO-07: any OIDC client, by the RFCs' plain HTTP calls (httpx, PyJWT):
    discovery, authorization request with PKCE S256 and nonce, code exchange with HTTP Basic,
    ID token checks, userinfo, refresh, prompt=none, back-channel logout."""
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso.ISSUER}/oidc/jwks/"
    settings.OIDC_OP_ISSUER = sso.ISSUER
    settings.OIDC_RP_CLIENT_ID = system.client.client_id
    client_id = system.client.client_id
    http = httpx.Client(transport=portal, auth=(client_id, sso.SECRET))
    metadata = http.get(f"{sso.ISSUER}/.well-known/openid-configuration").json()

    def authorize_url(verifier: str, nonce: str, **extra) -> str:
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": sso.REDIRECT_URI,
            "scope": SCOPES,
            "state": "state-" + nonce,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
            **extra,
        }
        return metadata["authorization_endpoint"] + "?" + urlencode(params)

    def exchange(back: str, verifier: str) -> dict:
        response = http.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": query_of(back)["code"],
                "redirect_uri": sso.REDIRECT_URI,
                "code_verifier": verifier,
            },
        )
        assert response.status_code == 200, response.text
        return response.json()

    def verified(id_token: str, nonce: str | None = None) -> dict:
        keys = jwt.PyJWKSet.from_dict(requests.get(metadata["jwks_uri"], timeout=10).json())
        claims = jwt.decode(
            id_token,
            keys[jwt.get_unverified_header(id_token)["kid"]],
            algorithms=metadata["id_token_signing_alg_values_supported"],
            audience=client_id,
            issuer=metadata["issuer"],
        )
        if nonce is not None:  # a refreshed ID token need not repeat it (OIDC Core 12.2)
            assert claims["nonce"] == nonce
        return claims

    verifier = "v" * 64
    back = consent(client, authorize_url(verifier, "n1"), second_business)
    assert query_of(back)["state"] == "state-n1"
    token = exchange(back, verifier)
    claims = verified(token["id_token"], "n1")
    first = SignIn.objects.get(member=member)
    assert claims["sid"] == str(first.pk) and isinstance(claims["auth_time"], int)
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    with httpx.Client(transport=portal) as plain:
        info = plain.get(metadata["userinfo_endpoint"], headers=bearer).json()
    assert info["business"]["id"] == second_business.business.registry_key

    refreshed = http.post(
        metadata["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
    ).json()
    assert refreshed["access_token"] != token["access_token"]
    again = verified(refreshed["id_token"])
    assert (again["sid"], again["auth_time"]) == (claims["sid"], claims["auth_time"])

    answer = client.get(authorize_url("w" * 64, "n2", prompt="none"))
    renewed = verified(exchange(answer["Location"], "w" * 64)["id_token"], "n2")
    assert SignIn.objects.get(pk=renewed["sid"]).business == second_business.business

    session = SessionStore()
    agency_site.remember_sid(claims["sid"], session)
    assert_backchannel_logout_ends(client, member, session.session_key)
