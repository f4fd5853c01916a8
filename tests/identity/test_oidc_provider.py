"""The portal as OpenID Connect provider, driven by a real OIDC client (authlib) over HTTP:
SSO-01 (connected systems, exact redirect URIs, code + PKCE), SSO-06 (claims and scopes),
SSO-07 (logout reaches the connected systems), SVC-02 (consent, business at hand-off)."""

import pytest
from django.core.cache import cache
from oauth2_provider.models import AccessToken, Application, Grant

from portal.identity.models import SignIn
from portal.identity.oidc import code_hash, public_subject
from portal.operators import factory_services
from portal.operators.models import Holding
from portal.services.models import SystemConsent
from tests import sso
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory

pytestmark = pytest.mark.django_db


def juristic_holding(member, name="บริษัท ทดสอบ จำกัด") -> Holding:
    return HoldingFactory(
        member=member, business=BusinessFactory(name_th=name, name_en="Test Co., Ltd.")
    )


def sign_in(client, flow, holding=None) -> str:
    """Through the authorization page: consent (and business choice), then the code."""
    page = client.get(flow.authorize_url())
    if page.status_code == 302:  # consent given before: straight to the code
        return flow.code_from(page)
    assert page.status_code == 200
    return flow.code_from(flow.approve(client, holding=holding))


# --- discovery and keys --------------------------------------------------------------------


def test_sso_01_discovery_is_served_at_the_site_root_with_the_portal_as_issuer(client):
    """SSO-01: Discovery is served at the site root with the portal as issuer."""
    data = client.get("/.well-known/openid-configuration").json()
    assert data["issuer"] == "http://testserver"
    assert data["authorization_endpoint"] == "http://testserver/oidc/authorize/"
    assert data["token_endpoint"] == "http://testserver/oidc/token/"
    assert data["userinfo_endpoint"] == "http://testserver/oidc/userinfo/"
    assert data["jwks_uri"] == "http://testserver/oidc/jwks/"
    assert data["end_session_endpoint"] == "http://testserver/oidc/logout/"
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["id_token_signing_alg_values_supported"] == ["RS256"]
    assert data["backchannel_logout_supported"] is True
    assert data["backchannel_logout_session_supported"] is True
    assert {"business", "factories", "pid", "sid"} <= set(data["claims_supported"])
    assert {"business", "factories"} <= set(data["scopes_supported"])


def test_sso_01_key_rotation_keeps_old_tokens_valid(tmp_path, settings, client):
    """SSO-01: A retired key stays in the JWKS until the tokens it signed have expired; new tokens
    are signed with the new key."""
    from jwcrypto import jwk

    from portal.identity import signing_keys

    first, retired = signing_keys.load(tmp_path, create=True)
    assert retired == []
    signing_keys.rotate(tmp_path, keep_retired_seconds=3600)
    active, retired = signing_keys.load(tmp_path, create=False)
    assert retired == [first] and active != first
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": active,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": retired,
    }
    kids = {key["kid"] for key in client.get("/oidc/jwks/").json()["keys"]}
    assert kids == {
        jwk.JWK.from_pem(first.encode()).thumbprint(),
        jwk.JWK.from_pem(active.encode()).thumbprint(),
    }
    # Much later, the old key is dropped at the next rotation.
    signing_keys.rotate(tmp_path, keep_retired_seconds=0, now=2_000_000_000)
    _active, retired = signing_keys.load(tmp_path, create=False)
    assert first not in retired and len(retired) == 1


# --- the whole code flow -------------------------------------------------------------------


def test_sso_01_sso_06_code_flow_with_pkce_id_token_userinfo_refresh_and_logout(
    client, member, own_business, world, transport
):
    """SSO-01, SSO-06: The authlib client runs the whole flow: code + PKCE, ID token checked
    with the JWKS, userinfo, refresh, then RP-initiated logout ends the portal session and the
    tokens."""
    factory = world.add_factory(operator_id=member.national_id)
    factory_services.factories_add(
        member=member, holding_id=own_business.pk, factory_nos=[factory["factory_no"]]
    )
    system = sso.make_system()
    flow = sso.Flow(system)

    code = sign_in(client, flow, holding=own_business)
    token = flow.exchange(transport, code)
    claims = sso.id_token_claims(transport, token, flow)
    assert claims["sub"] == public_subject(member.pk) and claims["sub"] != str(member.pk)
    sign_in_row = SignIn.objects.get(member=member)
    assert claims["sid"] == str(sign_in_row.pk)
    assert sign_in_row.session_key == client.session.session_key
    # The ID token travels in URLs (logout hints): no personal data in it.
    for personal in ("pid", "name", "given_name", "email", "business", "factories"):
        assert personal not in claims

    info = sso.userinfo(transport, token["access_token"])
    assert info.status_code == 200
    info = info.json()
    assert info["sub"] == claims["sub"]
    assert info["given_name"] == member.first_name
    assert info["pid"] == member.national_id
    assert info["business"]["id"] == own_business.business.registry_key
    assert [f["factory_no"] for f in info["factories"]] == [factory["factory_no"]]

    with flow.oauth(transport, token=token) as oauth:
        refreshed = oauth.refresh_token(
            f"{sso.ISSUER}/oidc/token/", refresh_token=token["refresh_token"]
        )
    assert refreshed["access_token"] != token["access_token"]
    info = sso.userinfo(transport, refreshed["access_token"]).json()
    assert info["business"]["id"] == own_business.business.registry_key

    # RP-initiated logout, with the ID token as hint: no question, straight back.
    response = client.get(
        "/oidc/logout/",
        {
            "id_token_hint": token["id_token"],
            "client_id": flow.client_id,
            "post_logout_redirect_uri": sso.POST_LOGOUT_URI,
        },
    )
    assert response.status_code == 302 and response["Location"] == sso.POST_LOGOUT_URI
    assert "_auth_user_id" not in client.session
    assert sso.userinfo(transport, refreshed["access_token"]).status_code == 401
    assert SignIn.objects.get(pk=sign_in_row.pk).ended_at is not None


def test_sso_06_scopes_decide_the_claims(client, member, own_business, transport):
    """SSO-06: Scopes decide the claims."""
    system = sso.make_system(scopes="openid profile", needs_business=False)
    refused = client.get(sso.Flow(system, scope="openid pid").authorize_url())
    assert refused.status_code == 302 and sso.error_of(refused) == "invalid_scope"

    flow = sso.Flow(system, scope="openid profile")
    token = flow.exchange(transport, sign_in(client, flow))
    info = sso.userinfo(transport, token["access_token"]).json()
    assert info["family_name"] == member.last_name
    for withheld in ("pid", "email", "phone_number", "business", "factories"):
        assert withheld not in info


# --- negative cases ------------------------------------------------------------------------


def test_sso_01_wrong_redirect_uri_is_refused_without_redirecting(client, member, own_business):
    """SSO-01: Wrong redirect URI is refused without redirecting."""
    flow = sso.Flow(sso.make_system())
    for wrong in (
        "http://evil.example/callback",
        sso.REDIRECT_URI + "/more",
        sso.REDIRECT_URI + "?x=1",
    ):
        response = client.get(flow.authorize_url(redirect_uri=wrong))
        assert response.status_code == 400, wrong
        assert "Location" not in response
    assert Grant.objects.count() == 0


def test_sso_01_unknown_client_and_client_of_no_connected_system_are_refused(
    client, member, own_business
):
    """SSO-01: Unknown client and client of no connected system are refused."""
    flow = sso.Flow(sso.make_system())
    assert client.get(flow.authorize_url(client_id="nobody")).status_code == 400
    stray = Application.objects.create(
        name="not connected",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=sso.REDIRECT_URI,
        algorithm=Application.RS256_ALGORITHM,
    )
    assert client.get(flow.authorize_url(client_id=stray.client_id)).status_code == 400


def test_sso_01_missing_pkce_is_refused(client, member, own_business):
    """SSO-01: Missing PKCE is refused."""
    flow = sso.Flow(sso.make_system(), pkce=False)
    response = client.get(flow.authorize_url())
    assert response.status_code == 302 and sso.error_of(response) == "invalid_request"
    plain = sso.Flow(sso.make_system("plain"))
    response = client.get(
        plain.authorize_url(code_challenge=plain.verifier, code_challenge_method="plain")
    )
    assert sso.error_of(response) == "invalid_request"
    assert Grant.objects.count() == 0


def test_sso_01_wrong_verifier_and_reused_code_are_refused(client, member, own_business, transport):
    """SSO-01: Wrong verifier and reused code are refused."""
    flow = sso.Flow(sso.make_system())
    code = sign_in(client, flow, holding=own_business)
    with pytest.raises(Exception, match="invalid_grant"):
        flow.exchange(transport, code, verifier="x" * 64)

    code = flow.code_from(flow.approve(client, holding=own_business))
    flow.exchange(transport, code)
    with pytest.raises(Exception, match="invalid_grant"):
        flow.exchange(transport, code)


def test_sso_01_wrong_client_secret_is_refused_and_secrets_are_stored_hashed(
    client, member, own_business, transport
):
    """SSO-01: Wrong client secret is refused and secrets are stored hashed."""
    system = sso.make_system()
    assert system.client.client_secret.startswith("client_secret_sha256$")
    assert sso.SECRET not in system.client.client_secret
    flow = sso.Flow(system)
    code = sign_in(client, flow, holding=own_business)
    with (
        pytest.raises(Exception, match="invalid_client"),
        flow.oauth(transport, client_secret="wrong") as oauth,
    ):
        oauth.fetch_token(f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier)


def test_svc_02_consent_refused_sends_access_denied_and_records_nothing(
    client, member, own_business
):
    """SVC-02: Consent refused sends access denied and records nothing."""
    flow = sso.Flow(sso.make_system())
    client.get(flow.authorize_url())
    response = flow.approve(client, holding=own_business, allow=False)
    assert response.status_code == 302 and sso.error_of(response) == "access_denied"
    assert not SystemConsent.objects.exists() and not Grant.objects.exists()
    assert not SignIn.objects.exists()


def test_svc_03_sign_in_without_a_business_is_not_possible(client, member):
    """SVC-03: A system that needs a business: the page says what is missing and issues no code."""
    flow = sso.Flow(sso.make_system())
    page = client.get(flow.authorize_url()).content.decode()
    assert "/businesses/add/" in page
    response = flow.approve(client)
    assert response.status_code == 200 and not Grant.objects.exists()


def test_svc_02_with_several_businesses_one_must_be_chosen(client, member, own_business):
    """SVC-02: With several businesses one must be chosen."""
    other = juristic_holding(member)
    flow = sso.Flow(sso.make_system())
    page = client.get(flow.authorize_url()).content.decode()
    assert other.business.name_th in page and own_business.business.name_th in page
    response = flow.approve(client)
    assert response.status_code == 200
    assert "Choose the business" in response.content.decode() or "เลือกกิจการ" in (
        response.content.decode()
    )
    assert not Grant.objects.exists()
    # Another member's business cannot be chosen.
    stranger = juristic_holding(MemberFactory(), name="บริษัท คนอื่น จำกัด")
    response = flow.approve(client, holding=stranger)
    assert response.status_code == 200 and not Grant.objects.exists()
    code = flow.code_from(flow.approve(client, holding=other))
    assert SignIn.objects.get(code_hash=code_hash(code)).business == other.business


def test_sso_06_handoff_business_reaches_the_tokens_without_asking_again(
    client, member, own_business, transport
):
    """SSO-06: SVC-02 in the menu (choose, proceed, consent), then the system's own authorization
    request signs the member in at once, for the business chosen."""
    other = juristic_holding(member)
    system = sso.make_system()
    response = client.post(f"/services/{system.slug}/", {"holding": other.pk})
    assert response["Location"] == f"/services/{system.slug}/consent/"
    response = client.post(f"/services/{system.slug}/consent/", {"answer": "accept"})
    assert response["Location"] == f"/services/{system.slug}/open/"
    page = client.get(f"/services/{system.slug}/open/").content.decode()
    assert 'target="_blank"' in page and "http://testserver/rp/login?iss=" in page

    flow = sso.Flow(system)
    code = flow.code_from(client.get(flow.authorize_url()))
    token = flow.exchange(transport, code)
    assert sso.userinfo(transport, token["access_token"]).json()["business"]["id"] == (
        other.business.registry_key
    )
    assert SystemConsent.objects.get(member=member, system=system).version == 1


def test_sso_07_portal_logout_ends_sign_ins_and_tells_the_system_by_back_channel(
    client, member, own_business, transport, monkeypatch, settings
):
    """SSO-07: The sample connected system receives a signed logout token and ends its session."""
    from portal.identity import tasks
    from portal.sandbox import connected_client
    from portal.sandbox.connected_client import register_sample_clients

    monkeypatch.setattr(tasks, "TRANSPORT", transport)
    monkeypatch.setattr(connected_client, "TRANSPORT", transport)
    register_sample_clients([sso.ISSUER])
    from portal.identity.models import ConnectedSystem

    system = ConnectedSystem.objects.exclude(slug="test-system").filter(needs_factory=False)[0]
    flow = sso.Flow(system)
    flow.verifier = flow.verifier  # same PKCE as the sample client would use
    page = client.get(
        flow.authorize_url(redirect_uri=f"{sso.ISSUER}/sandbox/connected/{system.slug}/callback/")
    )
    assert page.status_code == 200
    response = flow.approve(
        client,
        holding=own_business,
        redirect_uri=f"{sso.ISSUER}/sandbox/connected/{system.slug}/callback/",
    )
    assert response.status_code == 302
    row = SignIn.objects.get(member=member)
    token_count = AccessToken.objects.count()

    client.post("/accounts/logout/")
    row.refresh_from_db()
    assert row.ended_at is not None
    assert row.logout_sent_at is not None and row.logout_error == ""
    assert cache.get(f"sample-client:ended-sid:{row.pk}") is True
    assert AccessToken.objects.count() == token_count  # no token had been issued yet
    assert SignIn.objects.filter(ended_at__isnull=True).count() == 0


def test_sso_01_rotate_key_command_keeps_the_previous_key_published(tmp_path, settings):
    """SSO-01: Rotate key command keeps the previous key published."""
    from django.core.management import call_command

    from portal.identity import signing_keys

    settings.OIDC_KEY_DIR = tmp_path
    first, _retired = signing_keys.load(tmp_path, create=True)
    call_command("oidc_rotate_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    active, retired = signing_keys.load(tmp_path, create=False)
    assert active != first and retired == [first]


def test_sso_01_connected_system_client_command_registers_exact_uris(capsys):
    """SSO-01: Connected system client command registers exact uris."""
    from django.core.management import call_command

    from portal.identity.models import ConnectedSystem

    system = ConnectedSystem.objects.create(
        slug="cmd-system", name_th="ระบบ", name_en="System", agency="TISI", category="license"
    )
    call_command(
        "connected_system_client",
        "cmd-system",
        "--redirect-uri",
        "https://e-license.example/callback",
        "--initiate-login-uri",
        "https://e-license.example/login",
        "--backchannel-logout-uri",
        "https://e-license.example/logout",
    )
    out = capsys.readouterr().out
    system.refresh_from_db()
    assert system.client.redirect_uris == "https://e-license.example/callback"
    assert system.backchannel_logout_uri == "https://e-license.example/logout"
    secret = out.split("(shown once): ")[1].strip()
    assert secret not in system.client.client_secret and len(secret) >= 60


def test_sso_01_guessing_client_secrets_is_throttled(client, member, settings, transport):
    """SSO-01: Guessing client secrets is throttled."""
    settings.OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW = 3
    flow = sso.Flow(sso.make_system(needs_business=False))
    code = sign_in(client, flow)
    for _ in range(3):
        with (
            pytest.raises(Exception, match="invalid_client"),
            flow.oauth(transport, client_secret="guess") as oauth,
        ):
            oauth.fetch_token(f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier)
    # Now even the right secret is refused from this address until the window ends.
    with pytest.raises(Exception, match="invalid_client"):
        flow.exchange(transport, code)


# --- found in review: each was a way around consent, logout or the business ----------------


def test_svc_02_approval_prompt_auto_does_not_skip_a_new_consent_version(
    client, member, own_business
):
    """SVC-02: Approval prompt auto does not skip a new consent version."""
    from portal.identity.models import ConnectedSystem

    system = sso.make_system()
    flow = sso.Flow(system)
    sign_in(client, flow, holding=own_business)
    ConnectedSystem.objects.filter(pk=system.pk).update(consent_version=2)
    response = client.get(flow.authorize_url(approval_prompt="auto"))
    assert response.status_code == 200  # the consent page, not a code
    assert not SystemConsent.objects.filter(version=2).exists()


def test_sso_01_prompt_none_never_shows_a_page(client, member, own_business):
    """SSO-01: Prompt none never shows a page."""
    flow = sso.Flow(sso.make_system())
    response = client.get(flow.authorize_url(prompt="none"))
    assert response.status_code == 302 and sso.error_of(response) == "consent_required"
    sign_in(client, flow, holding=own_business)
    assert flow.code_from(client.get(flow.authorize_url(prompt="none")))
    client.logout()
    response = client.get(flow.authorize_url(prompt="none"))
    assert response.status_code == 302 and sso.error_of(response) == "login_required"


def test_sso_01_prompt_login_asks_the_member_to_log_in_again(client, member, own_business):
    """SSO-01: Prompt login asks the member to log in again."""
    flow = sso.Flow(sso.make_system())
    sign_in(client, flow, holding=own_business)
    response = client.get(flow.authorize_url(prompt="login"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="password"' in page.content.decode()


def test_acc_09_pending_pdpa_consent_comes_back_to_the_authorization(client, member, own_business):
    """ACC-09: Pending PDPA consent comes back to the authorization."""
    from urllib.parse import parse_qs, urlparse

    from portal.accounts.middleware import CONSENT_PENDING

    flow = sso.Flow(sso.make_system())
    session = client.session
    session[CONSENT_PENDING] = True
    session.save()
    response = client.get(flow.authorize_url())
    next_url = parse_qs(urlparse(response["Location"]).query)["next"][0]
    assert next_url == flow.authorize_url()


def test_sso_07_a_password_change_ends_the_other_sessions_sign_ins_and_keeps_this_one(
    client, member, own_business, transport
):
    """SSO-07: A password change ends the other sessions sign ins and keeps this one."""
    from django.test import Client

    from tests.factories import DEFAULT_PASSWORD

    other = Client()
    other.force_login(member)
    flow = sso.Flow(sso.make_system(needs_business=False))
    other.get(flow.authorize_url())
    other_token = flow.exchange(transport, flow.code_from(flow.approve(other)))
    here = flow.exchange(transport, sign_in(client, flow))

    client.post(
        "/accounts/settings/password/",
        {
            "current_password": DEFAULT_PASSWORD,
            "password1": "Another#Pass2569",
            "password2": "Another#Pass2569",
        },
    )
    assert sso.userinfo(transport, other_token["access_token"]).status_code == 401
    assert sso.userinfo(transport, here["access_token"]).status_code == 200
    # This session's sign-in followed its new key: logging out still ends it.
    assert SignIn.objects.filter(session_key=client.session.session_key).count() == 1
    client.post("/accounts/logout/")
    assert sso.userinfo(transport, here["access_token"]).status_code == 401


def test_sso_07_refresh_stops_when_the_portal_session_has_ended(
    client, member, own_business, transport
):
    """SSO-07: Refresh stops when the portal session has ended."""
    from django.contrib.sessions.models import Session

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = flow.exchange(transport, sign_in(client, flow))
    Session.objects.filter(session_key=client.session.session_key).delete()  # expired
    with (
        pytest.raises(Exception, match="invalid_grant"),
        flow.oauth(transport, token=token) as oauth,
    ):
        oauth.refresh_token(f"{sso.ISSUER}/oidc/token/", refresh_token=token["refresh_token"])


def test_sso_07_one_systems_logout_ends_its_own_sign_in_only(
    client, member, own_business, transport
):
    """SSO-07: One systems logout ends its own sign in only."""
    from django.test import Client

    first = sso.Flow(sso.make_system("first", needs_business=False))
    second = sso.Flow(sso.make_system("second", needs_business=False))
    first_token = first.exchange(transport, sign_in(client, first))
    second_token = second.exchange(transport, sign_in(client, second))

    # Anyone holding the second system's ID token, without the member's session, is asked
    # first and ends nothing of the member's by following the link (more in
    # tests/identity/test_oidc_hardening.py).
    stranger = Client()
    response = stranger.get(
        "/oidc/logout/",
        {"id_token_hint": second_token["id_token"], "client_id": second.client_id},
    )
    assert response.status_code == 200  # the confirmation page
    assert sso.userinfo(transport, second_token["access_token"]).status_code == 200
    assert sso.userinfo(transport, first_token["access_token"]).status_code == 200
    assert "_auth_user_id" in client.session  # the member's portal session is untouched


def test_sso_06_removing_the_business_ends_the_sign_ins_made_for_it(
    client, member, own_business, transport
):
    """SSO-06: Removing the business ends the sign ins made for it."""
    flow = sso.Flow(sso.make_system())
    token = flow.exchange(transport, sign_in(client, flow, holding=own_business))
    client.post(f"/businesses/{own_business.pk}/remove/")
    assert sso.userinfo(transport, token["access_token"]).status_code == 401


def test_sso_07_a_closed_account_is_signed_out_everywhere(client, member, own_business, transport):
    """SSO-07: A closed account is signed out everywhere."""
    from portal.accounts.services import member_close
    from tests.factories import DEFAULT_PASSWORD

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = flow.exchange(transport, sign_in(client, flow))
    member_close(member=member, reason="no_longer_needed", password=DEFAULT_PASSWORD)
    assert sso.userinfo(transport, token["access_token"]).status_code == 401


def test_sso_01_a_logout_hint_signed_before_a_key_rotation_is_still_accepted(
    client, member, own_business, transport, settings, tmp_path
):
    """SSO-01: A logout hint signed before a key rotation is still accepted."""
    from portal.identity import signing_keys

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = flow.exchange(transport, sign_in(client, flow))
    old = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    (tmp_path / "active.pem").write_text(old)
    signing_keys.rotate(tmp_path, keep_retired_seconds=3600)
    active, retired = signing_keys.load(tmp_path, create=False)
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": active,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": retired,
    }
    response = client.get(
        "/oidc/logout/",
        {
            "id_token_hint": token["id_token"],
            "client_id": flow.client_id,
            "post_logout_redirect_uri": sso.POST_LOGOUT_URI,
        },
    )
    assert response.status_code == 302 and response["Location"] == sso.POST_LOGOUT_URI


def test_sso_07_the_sweep_ends_sign_ins_of_timed_out_sessions_and_forgets_old_ones(
    client, member, own_business, transport
):
    """SSO-07: The sweep ends sign ins of timed out sessions and forgets old ones."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = flow.exchange(transport, sign_in(client, flow))
    call_command("sign_ins_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sso.userinfo(transport, token["access_token"]).status_code == 200  # still alive

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("sign_ins_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    row = SignIn.objects.get(member=member)
    assert row.ended_at is not None
    assert sso.userinfo(transport, token["access_token"]).status_code == 401

    SignIn.objects.filter(pk=row.pk).update(ended_at=timezone.now() - timedelta(days=31))
    call_command("sign_ins_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not SignIn.objects.filter(pk=row.pk).exists()
