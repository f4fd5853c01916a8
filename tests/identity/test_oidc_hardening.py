"""Issue 8, the OpenID provider: no access token in a query string, a replayed code revokes
what the first exchange gave, a stranger's logout hint asks before ending anything, tokens
hashed at rest, client-authentication throttle per client and address, production start-up
without the signing key or issuer refused (SSO-01, SSO-07)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from portal.identity.checks import oidc_signing_key_and_issuer
from portal.identity.oidc import code_hash
from tests import sso
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def sign_in(client, flow, holding=None) -> str:
    page = client.get(flow.authorize_url())
    if page.status_code == 302:
        return flow.code_from(page)
    assert page.status_code == 200
    return flow.code_from(flow.approve(client, holding=holding))


def signed_in(client, transport, flow) -> dict:
    return flow.exchange(transport, sign_in(client, flow))


# --- access tokens travel in the Authorization header only ---------------------------------


def test_sso_01_userinfo_refuses_an_access_token_in_the_query_string(client, member, transport):
    """SSO-01: RFC 6750 2.3 is refused, with or without a header beside it."""
    import httpx

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    with httpx.Client(transport=transport, base_url=sso.ISSUER) as http:
        in_query = http.get("/oidc/userinfo/", params={"access_token": token["access_token"]})
        both = http.get(
            "/oidc/userinfo/",
            params={"access_token": token["access_token"]},
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
        posted_query = http.post(
            f"/oidc/userinfo/?access_token={token['access_token']}",
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
    for refused in (in_query, both, posted_query):
        assert refused.status_code == 400
        assert refused.json()["error"] == "invalid_request"
        assert refused.headers["WWW-Authenticate"].startswith('Bearer error="invalid_request"')
        assert "sub" not in refused.json()
    header_only = sso.userinfo(transport, token["access_token"])
    assert header_only.status_code == 200 and "sub" in header_only.json()


def test_sso_01_the_validator_refuses_a_bearer_token_read_from_a_query_string(
    client, member, transport
):
    """SSO-01: every resource endpoint, not only userinfo: the validator itself refuses."""
    from oauthlib.common import Request

    from portal.identity.oidc import PortalValidator

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    validator = PortalValidator()
    in_query = Request(f"{sso.ISSUER}/api/x/?access_token={token['access_token']}")
    assert validator.validate_bearer_token(token["access_token"], [], in_query) is False
    in_header = Request(f"{sso.ISSUER}/api/x/")
    assert validator.validate_bearer_token(token["access_token"], [], in_header) is True


# --- client authentication: the throttle holds one client at one address -------------------


def test_sso_01_client_auth_failures_from_one_address_do_not_lock_the_client_elsewhere(
    client, member, settings
):
    """SSO-01: a guesser at one address exhausts the window there only; the real system,
    calling from its own address, still authenticates; successes are never counted."""
    settings.OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW = 3
    flow = sso.Flow(sso.make_system(needs_business=False))
    with (
        sso.portal_transport(remote_addr="203.0.113.7") as guesser,
        sso.portal_transport(remote_addr="198.51.100.20") as system,
    ):
        # One failure and two successes at the system's address: successes count nothing
        # (counted, they would reach the limit of 3 there).
        with (
            pytest.raises(Exception, match="invalid_client"),
            flow.oauth(system, client_secret="typo") as oauth,
        ):
            oauth.fetch_token(f"{sso.ISSUER}/oidc/token/", code="x", code_verifier=flow.verifier)
        for _ in range(2):
            flow.exchange(system, sign_in(client, flow))
        code = sign_in(client, flow)
        for _ in range(3):
            with (
                pytest.raises(Exception, match="invalid_client"),
                flow.oauth(guesser, client_secret="guess") as oauth,
            ):
                oauth.fetch_token(
                    f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier
                )
        # The guesser's address is held, even with the right secret ...
        with pytest.raises(Exception, match="invalid_client"):
            flow.exchange(guesser, code)
        # ... and the system at its own address is not: the same code still works there.
        token = flow.exchange(system, code)
    assert token["token_type"] == "Bearer" and token["access_token"]


def test_sso_01_client_auth_throttle_follows_the_trusted_proxy_address(client, member, settings):
    """SSO-01: behind the load balancer REMOTE_ADDR is the balancer for everyone; the key is
    the client's address from X-Forwarded-For (TRUSTED_PROXY_HOPS), like every other limit."""
    settings.OIDC_CLIENT_AUTH_FAILURES_PER_WINDOW = 2
    settings.TRUSTED_PROXY_HOPS = 1
    flow = sso.Flow(sso.make_system(needs_business=False))
    code = sign_in(client, flow)
    balancer = "10.0.0.2"
    with sso.portal_transport(remote_addr=balancer) as transport:
        for _ in range(2):
            with (
                pytest.raises(Exception, match="invalid_client"),
                flow.oauth(
                    transport, client_secret="guess", headers={"X-Forwarded-For": "203.0.113.7"}
                ) as oauth,
            ):
                oauth.fetch_token(
                    f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier
                )
        with flow.oauth(transport, headers={"X-Forwarded-For": "198.51.100.20"}) as oauth:
            token = oauth.fetch_token(
                f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier
            )
    assert token["token_type"] == "Bearer" and token["access_token"]


# --- production start-up -------------------------------------------------------------------


def production(settings, *, issuer="https://portal.example", key=None):
    settings.DEBUG = False
    settings.SANDBOX = False
    settings.TESTING = False
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_ISS_ENDPOINT": issuer,
        "OIDC_RSA_PRIVATE_KEY": settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
        if key is None
        else key,
    }


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_sso_01_production_refuses_to_start_without_issuer_or_signing_key(settings):
    """SSO-01 (issue 8): no issuer taken from the Host header, no empty JWKS in production."""
    production(settings, issuer="", key="")
    assert ids(oidc_signing_key_and_issuer()) == ["identity.E001", "identity.E002"]
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert "identity.E001" in str(refused.value) and "identity.E002" in str(refused.value)


def test_sso_01_production_refuses_a_signing_key_that_is_not_rsa(settings):
    """SSO-01: Production refuses a signing key that is not rsa."""
    production(settings, key="-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    assert ids(oidc_signing_key_and_issuer()) == ["identity.E003"]


def test_sso_01_production_with_issuer_and_key_passes_and_development_is_not_checked(settings):
    """SSO-01: Production with issuer and key passes and development is not checked."""
    production(settings)
    assert oidc_signing_key_and_issuer() == []
    settings.SANDBOX = True
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": ""}
    assert oidc_signing_key_and_issuer() == []


# --- tokens at rest ------------------------------------------------------------------------


def token_rows() -> list[dict]:
    from oauth2_provider.models import AccessToken, RefreshToken

    return [*AccessToken.objects.values(), *RefreshToken.objects.values()]


def test_sso_01_access_and_refresh_tokens_are_stored_only_as_hashes(client, member, transport):
    """SSO-01 (issue 8): a read of the token tables gives no usable token; userinfo, refresh
    and revocation still find them (by SHA-256)."""
    import hashlib

    import httpx

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    with flow.oauth(transport, token=token) as oauth:
        refreshed = oauth.refresh_token(
            f"{sso.ISSUER}/oidc/token/", refresh_token=token["refresh_token"]
        )
    issued = [token[k] for k in ("access_token", "refresh_token")]
    issued += [refreshed[k] for k in ("access_token", "refresh_token")]
    rows = token_rows()
    # The first access token went with its rotated refresh token; that one stays, revoked.
    assert len(rows) == 3
    assert {row["token"] for row in rows} == {""}
    stored = " ".join(str(value) for row in rows for value in row.values())
    for value in issued:
        assert value not in stored
    checksums = {row["token_checksum"] for row in rows}
    assert checksums == {hashlib.sha256(value.encode()).hexdigest() for value in issued[1:]}

    assert sso.userinfo(transport, refreshed["access_token"]).status_code == 200
    with httpx.Client(transport=transport, base_url=sso.ISSUER) as http:
        revoked = http.post(
            "/oidc/revoke/",
            data={"token": refreshed["access_token"], "token_type_hint": "access_token"},
            auth=(flow.client_id, sso.SECRET),
        )
    assert revoked.status_code == 200
    assert sso.userinfo(transport, refreshed["access_token"]).status_code == 401


def test_sso_01_the_migration_hashes_tokens_stored_in_clear_before_it(client, member, transport):
    """SSO-01 (issue 8): rows written before hashed storage keep working, without the clear
    value."""
    import importlib

    from django.apps import apps
    from oauth2_provider.models import AccessToken, Grant, RefreshToken

    migration = importlib.import_module("portal.identity.migrations.0005_oidc_tokens_hashed")
    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    pending = sso.Flow(flow.system)
    pending_code = sign_in(client, pending)
    # As an older release stored them:
    AccessToken.objects.update(token=token["access_token"])
    RefreshToken.objects.update(token=token["refresh_token"])
    Grant.objects.update(code=pending_code)

    migration.hash_tokens(apps, None)
    migration.hash_tokens(apps, None)  # a second run changes nothing

    assert {row["token"] for row in token_rows()} == {""}
    assert list(Grant.objects.values_list("code", flat=True)) == [code_hash(pending_code)]
    assert pending.exchange(transport, pending_code)["access_token"]
    assert sso.userinfo(transport, token["access_token"]).status_code == 200
    with flow.oauth(transport, token=token) as oauth:
        refreshed = oauth.refresh_token(
            f"{sso.ISSUER}/oidc/token/", refresh_token=token["refresh_token"]
        )
    assert sso.userinfo(transport, refreshed["access_token"]).status_code == 200


def test_sso_01_authorization_codes_are_stored_only_as_hashes(client, member, transport):
    """SSO-01 (issue 8): a code waiting for its exchange is not in the grant table in clear."""
    from oauth2_provider.models import Grant

    flow = sso.Flow(sso.make_system(needs_business=False))
    code = sign_in(client, flow)
    (grant,) = Grant.objects.values()
    assert grant["code"] == code_hash(code)
    assert code not in " ".join(str(value) for value in grant.values())
    assert flow.exchange(transport, code)["access_token"]
    assert not Grant.objects.exists()


# --- a replayed code -----------------------------------------------------------------------


def test_sso_01_a_replayed_code_fails_and_revokes_what_the_first_exchange_gave(
    client, member, transport
):
    """SSO-01 (RFC 6749 4.1.2): the second exchange of a code is refused, and the access and
    refresh tokens of the first die with its sign-in."""
    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    code = sign_in(client, flow)
    token = flow.exchange(transport, code)
    assert sso.userinfo(transport, token["access_token"]).status_code == 200

    with pytest.raises(Exception, match="invalid_grant"):
        flow.exchange(transport, code)

    assert sso.userinfo(transport, token["access_token"]).status_code == 401
    with (
        pytest.raises(Exception, match="invalid_grant"),
        flow.oauth(transport, token=token) as oauth,
    ):
        oauth.refresh_token(f"{sso.ISSUER}/oidc/token/", refresh_token=token["refresh_token"])
    assert SignIn.objects.get(member=member).ended_at is not None
    assert "_auth_user_id" in client.session  # the member's portal session goes on


def test_sso_01_a_replayed_code_of_another_client_or_a_wrong_secret_ends_nothing(
    client, member, transport
):
    """SSO-01: only the code's own client, authenticated, revokes by replaying it."""
    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    other = sso.Flow(sso.make_system("other-system", needs_business=False))
    code = sign_in(client, flow)
    token = flow.exchange(transport, code)

    with pytest.raises(Exception, match="invalid_grant"):
        other.exchange(transport, code)
    with (
        pytest.raises(Exception, match="invalid_client"),
        flow.oauth(transport, client_secret="wrong") as oauth,
    ):
        oauth.fetch_token(f"{sso.ISSUER}/oidc/token/", code=code, code_verifier=flow.verifier)

    assert SignIn.objects.get(member=member).ended_at is None
    assert sso.userinfo(transport, token["access_token"]).status_code == 200


def test_sso_01_two_exchanges_at_once_end_the_sign_in_of_the_one_that_lost(
    client, member, transport
):
    """SSO-01: the exchange that finds the grant already gone when it invalidates the code (a
    race with another exchange) has issued tokens; they are revoked with the sign-in."""
    from oauth2_provider.models import Application
    from oauthlib.common import Request
    from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

    from portal.identity.models import SignIn
    from portal.identity.oidc import PortalValidator

    flow = sso.Flow(sso.make_system(needs_business=False))
    code = sign_in(client, flow)
    token = flow.exchange(transport, code)  # the winner; its grant is deleted
    request = Request(f"{sso.ISSUER}/oidc/token/", headers={"HTTP_HOST": "testserver"})
    request.client = Application.objects.get(client_id=flow.client_id)

    with pytest.raises(InvalidGrantError):
        PortalValidator().invalidate_authorization_code(flow.client_id, code, request)

    assert SignIn.objects.get(member=member).ended_at is not None
    assert sso.userinfo(transport, token["access_token"]).status_code == 401


# --- logout with another person's hint -----------------------------------------------------


def logout_params(flow, token) -> dict:
    return {
        "id_token_hint": token["id_token"],
        "client_id": flow.client_id,
        "post_logout_redirect_uri": sso.POST_LOGOUT_URI,
        "state": "xyz",
    }


def test_sso_07_a_hint_from_a_browser_without_a_session_asks_and_ends_nothing(
    client, member, transport
):
    """SSO-07 (issue 8): an ID token in a stranger's hands logs nobody out; the page asks,
    and confirming ends only what the stranger's own browser has (nothing)."""
    from django.test import Client

    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    stranger = Client()

    page = stranger.get("/oidc/logout/", logout_params(flow, token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ต้องการออกจากระบบหรือไม่" in html  # Thai first: "Log out?"
    assert "ท่านไม่ได้เข้าสู่ระบบพอร์ทัลในเบราว์เซอร์นี้" in html
    assert page["Cache-Control"].startswith("max-age=0")
    assert SignIn.objects.get(member=member).ended_at is None

    confirmed = stranger.post("/oidc/logout/", {**sso.hidden_inputs(html), "allow": "on"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"{sso.POST_LOGOUT_URI}?state=xyz"
    assert SignIn.objects.get(member=member).ended_at is None
    assert sso.userinfo(transport, token["access_token"]).status_code == 200
    assert "_auth_user_id" in client.session


def test_sso_07_another_members_browser_confirming_ends_its_own_session_only(
    client, member, transport
):
    """SSO-07 (issue 8): a second member, logged in elsewhere, follows the first member's
    hint: asked, and "Log out" ends the second member's own session, not the first's."""
    from django.test import Client

    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    other = Client()
    other.force_login(MemberFactory())
    other_flow = sso.Flow(flow.system)
    other_token = signed_in(other, transport, other_flow)

    page = other.get("/oidc/logout/", logout_params(flow, token))
    assert page.status_code == 200
    assert "คำขอนี้อาจไม่ได้มาจากท่าน" in page.content.decode()
    confirmed = other.post(
        "/oidc/logout/", {**sso.hidden_inputs(page.content.decode()), "allow": "on"}
    )
    assert confirmed.status_code == 302

    assert SignIn.objects.get(member=member).ended_at is None
    assert sso.userinfo(transport, token["access_token"]).status_code == 200
    assert "_auth_user_id" in client.session
    assert "_auth_user_id" not in other.session
    assert sso.userinfo(transport, other_token["access_token"]).status_code == 401


def test_sso_07_cancelling_the_confirmation_ends_nothing(client, member, transport, settings):
    """SSO-07 (issue 8), in English too."""
    from django.test import Client

    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    other = Client()
    other.force_login(MemberFactory(language="en"))
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = other.get("/oidc/logout/", logout_params(flow, token))
    assert "Log out?" in page.content.decode()
    cancelled = other.post("/oidc/logout/", sso.hidden_inputs(page.content.decode()))
    assert cancelled.status_code == 400
    assert "You did not log out" in cancelled.content.decode()
    assert "_auth_user_id" in other.session
    assert SignIn.objects.get(member=member).ended_at is None
    assert sso.userinfo(transport, token["access_token"]).status_code == 200


def test_sso_07_the_members_own_browser_is_not_asked(client, member, transport):
    """SSO-07: the hint of a sign-in of this browser's session ends it at once."""
    from portal.identity.models import SignIn

    flow = sso.Flow(sso.make_system(needs_business=False))
    token = signed_in(client, transport, flow)
    response = client.get("/oidc/logout/", logout_params(flow, token))
    assert response.status_code == 302
    assert response["Location"] == f"{sso.POST_LOGOUT_URI}?state=xyz"
    assert SignIn.objects.get(member=member).ended_at is not None
    assert sso.userinfo(transport, token["access_token"]).status_code == 401
    assert "_auth_user_id" not in client.session
