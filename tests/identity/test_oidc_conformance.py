"""OpenID Connect Core 1.0 and RFC 6749 conformance of the portal's provider (issue 9):
SSO-01 (the protocol), SSO-06 (the business a system is signed into), SSO-07 (sessions)."""

import base64
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from django.test import Client
from oauth2_provider.models import Grant

from portal.accounts.login_steps import AUTH_TIME
from portal.identity.models import SignIn, TwoFactorDevice
from portal.identity.oidc import code_hash
from portal.operators import services as operator_services
from tests import sso
from tests.accounts.helpers import login
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.identity.test_two_factor import code_now, enrol

pytestmark = pytest.mark.django_db


def sign_in(client, flow, holding=None, **params) -> str:
    page = client.get(flow.authorize_url(**params))
    if page.status_code == 302:
        return flow.code_from(page)
    assert page.status_code == 200
    return flow.code_from(flow.approve(client, holding=holding))


def query_of(response) -> dict:
    return {
        key: values[0] for key, values in parse_qs(urlparse(response["Location"]).query).items()
    }


def next_of(response) -> str:
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    return query_of(response)["next"]


def token_request(transport, data: dict, *, secret: str = sso.SECRET, client_id: str = ""):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    with httpx.Client(transport=transport, base_url=sso.ISSUER) as http:
        return http.post("/oidc/token/", data=data, headers={"Authorization": f"Basic {basic}"})


# --- max_age and auth_time -----------------------------------------------------------------


def test_sso_01_max_age_asks_an_older_login_again_and_auth_time_moves(client, robot, transport):
    """SSO-01, OIDC Core 3.1.2.1 (max_age) and 2 (auth_time): a login older than max_age is
    asked again (the password), and the ID token's auth_time is the new login's."""
    member = MemberFactory()
    operator_services.business_add_myself(member=member)
    login(client, robot, member.national_id)
    first_login = client.session[AUTH_TIME]
    flow = sso.Flow(sso.make_system())
    token = flow.exchange(transport, sign_in(client, flow, max_age="600"))
    assert sso.id_token_claims(transport, token, flow)["auth_time"] == first_login

    # Twenty minutes later.
    session = client.session
    session[AUTH_TIME] = first_login - 1200
    session.save()
    grants = Grant.objects.count()
    silent = client.get(flow.authorize_url(max_age="600", prompt="none"))
    assert silent.status_code == 302 and sso.error_of(silent) == "login_required"
    response = client.get(flow.authorize_url(max_age="600"))
    next_url = next_of(response)
    assert next_url == flow.authorize_url()  # back without max_age: the new login meets it
    assert Grant.objects.count() == grants
    # A max_age the old login still meets goes straight through.
    assert flow.code_from(client.get(flow.authorize_url(max_age="3600")))

    page = client.get(response["Location"])
    assert 'name="password"' in page.content.decode()
    back = login(client, robot, member.national_id, next=next_url)
    assert back["Location"] == next_url
    assert client.session[AUTH_TIME] > first_login - 1200
    token = flow.exchange(transport, flow.code_from(client.get(next_url)))
    assert sso.id_token_claims(transport, token, flow)["auth_time"] == client.session[AUTH_TIME]


def test_sso_01_max_age_with_a_session_that_has_no_auth_time_logs_in_again(
    client, member, own_business
):
    """SSO-01, OIDC Core 3.1.2.1: a session with no recorded authentication (made before
    auth_time was kept) counts as too old; a max_age that is not a number is refused."""
    flow = sso.Flow(sso.make_system())
    assert next_of(client.get(flow.authorize_url(max_age="86400"))) == flow.authorize_url()
    response = client.get(flow.authorize_url(max_age="soon"))
    assert response.status_code == 302 and sso.error_of(response) == "invalid_request"
    assert Grant.objects.count() == 0


# --- POST to the authorization endpoint ----------------------------------------------------


def test_sso_01_the_authorization_endpoint_accepts_post_and_the_consent_form_keeps_csrf(member):
    """SSO-01, OIDC Core 3.1.2.1: the authorization endpoint supports POST (form-encoded, sent
    cross-site by the system, so without the portal's CSRF token); the consent form that
    follows stays CSRF-protected."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    own = operator_services.business_add_myself(member=member)
    flow = sso.Flow(sso.make_system())

    page = browser.post("/oidc/authorize/", flow.params())
    assert page.status_code == 200
    html = page.content.decode()
    assert sso.hidden_inputs(html)["step"] == "consent"
    forged = browser.post("/oidc/authorize/", flow.params() | {"step": "consent", "allow": "on"})
    assert forged.status_code == 403
    assert Grant.objects.count() == 0 and not SignIn.objects.exists()

    token = browser.cookies["csrftoken"].value
    answer = browser.post(
        "/oidc/authorize/",
        flow.params()
        | {"step": "consent", "allow": "on", "holding": own.pk, "csrfmiddlewaretoken": token},
    )
    flow.code_from(answer)
    # Consent given: the system's POST now signs the member in at once.
    assert flow.code_from(browser.post("/oidc/authorize/", flow.params()))

    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post("/oidc/authorize/", flow.params())
    assert next_of(response) == flow.authorize_url()


# --- client authentication -----------------------------------------------------------------


def test_sso_01_failed_basic_client_authentication_gets_a_basic_challenge(
    client, member, own_business, transport
):
    """SSO-01, RFC 6749 5.2: invalid_client after HTTP Basic is 401 with a `Basic` challenge;
    the code is not spent."""
    flow = sso.Flow(sso.make_system())
    code = sign_in(client, flow, holding=own_business)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": sso.REDIRECT_URI,
        "code_verifier": flow.verifier,
    }
    response = token_request(transport, data, secret="wrong", client_id=flow.client_id)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"] == 'Basic realm="i-Industry", charset="UTF-8"'
    assert Grant.objects.filter(code=code_hash(code)).count() == 1
    assert token_request(transport, data, client_id=flow.client_id).status_code == 200


# --- authorization request errors ----------------------------------------------------------


def test_sso_01_other_response_types_get_unsupported_response_type(client, member, own_business):
    """SSO-01, RFC 6749 4.1.2.1: any response type but `code` goes back to the system as
    unsupported_response_type, with its state; nothing is issued."""
    flow = sso.Flow(sso.make_system())
    for response_type in ("token", "id_token", "code id_token", "code token", "none"):
        response = client.get(flow.authorize_url(response_type=response_type))
        assert response.status_code == 302, response_type
        assert response["Location"].startswith(sso.REDIRECT_URI)
        assert query_of(response) == {"error": "unsupported_response_type", "state": flow.state}
    assert Grant.objects.count() == 0


def test_sso_06_unknown_scope_values_are_ignored(client, member, own_business, transport):
    """SSO-06, OIDC Core 3.1.2.1: scope values the portal does not know are ignored; a known
    scope the system may not have is still refused (invalid_scope)."""
    system = sso.make_system(scopes="openid profile", needs_business=False)
    flow = sso.Flow(system, scope="openid profile offline_access urn:example:unknown")
    token = flow.exchange(transport, sign_in(client, flow))
    assert token["scope"] == "openid profile"
    refused = client.get(sso.Flow(system, scope="openid offline_access pid").authorize_url())
    assert sso.error_of(refused) == "invalid_scope"


def test_sso_01_request_objects_are_refused_and_discovery_says_so(client, member, own_business):
    """SSO-01, OIDC Core 6.1, 6.2 and Discovery 3: `request` and `request_uri` are refused with
    request_not_supported and request_uri_not_supported; the metadata says neither is
    supported."""
    flow = sso.Flow(sso.make_system())
    response = client.get(flow.authorize_url(request="eyJhbGciOiJub25lIn0.e30."))
    assert query_of(response) == {
        "error": "request_not_supported",
        "error_description": "The request parameter is not supported.",
        "state": flow.state,
    }
    response = client.get(flow.authorize_url(request_uri="https://rp.example/request.jwt"))
    assert query_of(response) == {
        "error": "request_uri_not_supported",
        "error_description": "The request_uri parameter is not supported.",
        "state": flow.state,
    }
    assert Grant.objects.count() == 0
    data = client.get("/.well-known/openid-configuration").json()
    assert data["request_parameter_supported"] is False
    assert data["request_uri_parameter_supported"] is False
    assert "auth_time" in data["claims_supported"]


def test_sso_01_a_redirect_uri_mismatch_at_the_token_endpoint_is_invalid_grant(
    client, member, own_business, transport
):
    """SSO-01, RFC 6749 4.1.3 and 5.2: a redirect URI that is not the authorization request's
    is invalid_grant; no token is issued."""
    flow = sso.Flow(sso.make_system())
    code = sign_in(client, flow, holding=own_business)
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": sso.POST_LOGOUT_URI,
        "code_verifier": flow.verifier,
    }
    response = token_request(transport, data, client_id=flow.client_id)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not SignIn.objects.get(code_hash=code_hash(code)).tokens.exists()


def test_sso_01_userinfo_errors_are_json(transport):
    """SSO-01, RFC 6750 3 and OIDC Core 5.3.3: userinfo's errors are labelled JSON, with the
    Bearer challenge."""
    response = sso.userinfo(transport, "not-a-token")
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


# --- before the login page -----------------------------------------------------------------


def test_sso_01_a_bad_client_or_redirect_uri_is_refused_before_the_login_page(client):
    """SSO-01, RFC 6749 4.1.2.1: a visitor who is not logged in gets the error page for an
    unknown client or an unregistered redirect URI, never the login page first nor a
    redirect; other errors go back to the system at once."""
    flow = sso.Flow(sso.make_system())
    for params in (
        {"client_id": "nobody"},
        {"redirect_uri": "http://evil.example/callback"},
        {"redirect_uri": sso.REDIRECT_URI + "/more"},
    ):
        response = client.get(flow.authorize_url(**params))
        assert response.status_code == 400, params
        assert "Location" not in response
        assert "<h1>ไม่สามารถเข้าสู่ระบบได้</h1>" in response.content.decode()
    response = client.get(flow.authorize_url(code_challenge_method="plain"))
    assert response.status_code == 302 and response["Location"].startswith(sso.REDIRECT_URI)
    assert sso.error_of(response) == "invalid_request"
    assert next_of(client.get(flow.authorize_url())) == flow.authorize_url()
    # Back from the login without what the login satisfies; `prompt=consent` still applies.
    response = client.get(flow.authorize_url(prompt="login consent", max_age="0"))
    assert next_of(response) == flow.authorize_url(prompt="consent")


# --- ui_locales ----------------------------------------------------------------------------


def test_sso_01_ui_locales_chooses_the_language_of_the_login_and_consent_pages(client):
    """SSO-01, OIDC Core 3.1.2.1 (ui_locales): the first supported tag sets the language of
    that sign-in's login and consent pages, over the member's saved language; once back at
    the system, the portal speaks the member's language again."""
    member = MemberFactory(language="th")
    own = operator_services.business_add_myself(member=member)
    flow = sso.Flow(sso.make_system())
    response = client.get(flow.authorize_url(ui_locales="fr-CA en-GB th"))
    login_page = client.get(response["Location"])
    assert login_page["Content-Language"] == "en"
    assert 'lang="en"' in login_page.content.decode()

    client.force_login(member)
    consent = client.get(flow.authorize_url(ui_locales="fr-CA en-GB th"))
    assert consent.status_code == 200 and consent["Content-Language"] == "en"
    flow.code_from(flow.approve(client, holding=own))
    assert client.get("/services/")["Content-Language"] == "th"


def test_sso_01_ui_locales_does_not_override_the_visitors_own_choice(client):
    """SSO-01, OIDC Core 3.1.2.1: a language the visitor chose with the switch in this visit
    wins over ui_locales, before the flow and during it."""
    flow = sso.Flow(sso.make_system())
    client.post("/language/", {"language": "th", "next": "/"})
    response = client.get(flow.authorize_url(ui_locales="en"))
    assert client.get(response["Location"])["Content-Language"] == "th"

    other = Client()
    response = other.get(flow.authorize_url(ui_locales="en"))
    assert other.get(response["Location"])["Content-Language"] == "en"
    other.post("/language/", {"language": "th", "next": "/"})
    assert other.get(response["Location"])["Content-Language"] == "th"


# --- silent renewal ------------------------------------------------------------------------


def test_sso_06_silent_renewal_keeps_the_business_already_chosen_for_the_system(
    client, member, own_business, transport
):
    """SSO-06, SSO-07, OIDC Core 3.1.2.1 (prompt=none): a member with two businesses, a live
    session and consent renews silently for the business chosen for that system, not
    consent_required; a system signed in for a business no longer held is asked again."""
    other = HoldingFactory(
        member=member, business=BusinessFactory(name_th="บริษัท สอง จำกัด", name_en="Two Co.")
    )
    flow = sso.Flow(sso.make_system())
    client.get(flow.authorize_url())
    flow.code_from(flow.approve(client, holding=other))

    renewal = sso.Flow(flow.system)
    code = renewal.code_from(client.get(renewal.authorize_url(prompt="none")))
    assert SignIn.objects.get(code_hash=code_hash(code)).business == other.business
    token = renewal.exchange(transport, code)
    info = sso.userinfo(transport, token["access_token"]).json()
    assert info["business"]["id"] == other.business.registry_key

    # Started at the system with a page: the page ticks that business.
    page = client.get(renewal.authorize_url())
    assert page.status_code == 200
    assert page.context_data["form"].initial["holding"] == other.pk

    other.delete()
    HoldingFactory(member=member, business=BusinessFactory(name_th="บริษัท สาม จำกัด"))
    response = client.get(renewal.authorize_url(prompt="none"))
    assert sso.error_of(response) == "consent_required"


def test_sso_01_sso_04_max_age_asks_the_second_factor_too(client, robot, transport):
    """SSO-01, SSO-04, OIDC Core 3.1.2.1: for a member with a second factor, the login that
    max_age forces is the password and then the code; auth_time moves only after the code."""
    member = MemberFactory()
    operator_services.business_add_myself(member=member)
    login(client, robot, member.national_id)
    enrol(client, member)
    flow = sso.Flow(sso.make_system())
    sign_in(client, flow, max_age="600")
    session = client.session
    session[AUTH_TIME] -= 1200
    session.save()
    old = session[AUTH_TIME]

    next_url = next_of(client.get(flow.authorize_url(max_age="600")))
    assert login(client, robot, member.national_id, next=next_url)["Location"] == (
        "/accounts/login/code/"
    )
    assert client.session[AUTH_TIME] == old  # the password alone is not the login
    assert client.get(flow.authorize_url(max_age="600"))["Location"].startswith("/accounts/login/")
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    back = client.post("/accounts/login/code/", {"code": code_now(member)})
    assert back["Location"] == next_url and client.session[AUTH_TIME] > old
    token = flow.exchange(transport, flow.code_from(client.get(next_url)))
    assert sso.id_token_claims(transport, token, flow)["auth_time"] == client.session[AUTH_TIME]
