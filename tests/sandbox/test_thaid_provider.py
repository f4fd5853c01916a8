"""ACC-10: the sandbox ThaID provider on its own (discovery, JWKS, authorize, the phone app,
the token endpoint, userinfo), driven as a client would drive it."""

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import KeySet

from portal.sandbox import thaid_provider
from portal.sandbox.models import ThaidRequest
from tests.identity.thaid_helpers import basic_auth, query_of, request_id_of

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/accounts/thaid/callback/"


@pytest.fixture
def client_credentials(settings):
    settings.THAID_CLIENT_ID = "portal-test"
    settings.THAID_CLIENT_SECRET = "s3cret/with:odd chars+"
    return settings.THAID_CLIENT_ID, settings.THAID_CLIENT_SECRET


@pytest.fixture
def citizen(world):
    return world.add_citizen()


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(client, **overrides):
    params = {
        "response_type": "code",
        "client_id": "portal-test",
        "redirect_uri": CALLBACK,
        "scope": "openid pid given_name family_name name_en birthdate",
        "state": "the-state",
        "nonce": "the-nonce",
    }
    params.update(overrides)
    params = {k: v for k, v in params.items() if v is not None}
    return client.get(f"/sandbox/thaid/authorize?{urlencode(params)}")


def approved_code(client, pid: str, **overrides) -> str:
    response = authorize(client, **overrides)
    request_id = request_id_of(response["Location"])
    client.post(f"/sandbox/thaid/app/{request_id}/", {"citizen": pid, "action": "consent"})
    answer = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    return query_of(answer["Location"])["code"]


def exchange(client, code, *, credentials, verifier=None, redirect_uri=CALLBACK):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        data["code_verifier"] = verifier
    # client_secret_basic with the ID and secret form-encoded first (RFC 6749 2.3.1).
    header = basic_auth(quote(credentials[0], safe=""), quote(credentials[1], safe=""))
    return Client().post("/sandbox/thaid/token", data, HTTP_AUTHORIZATION=header)


def test_acc_10_discovery_and_jwks_describe_the_provider(client):
    """ACC-10: Discovery and JWKS describe the provider."""
    document = client.get("/sandbox/thaid/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://testserver/sandbox/thaid"
    assert document["token_endpoint_auth_methods_supported"] == ["client_secret_basic"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"pid", "given_name", "family_name", "name_en", "birthdate"} <= set(
        document["scopes_supported"]
    )
    # Any host and port: the addresses follow the request.
    other = Client(HTTP_HOST="localhost:8123")
    assert other.get("/sandbox/thaid/.well-known/openid-configuration").json()["jwks_uri"] == (
        "http://localhost:8123/sandbox/thaid/jwks"
    )
    keys = client.get(document["jwks_uri"].removeprefix("http://testserver")).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # public only


def test_acc_10_the_provider_key_is_its_own_and_made_once(settings, tmp_path):
    """ACC-10: The provider key is its own and made once."""
    settings.THAID_SANDBOX_KEY_FILE = str(tmp_path / "var" / "thaid.pem")
    key = thaid_provider.signing_key()
    assert (tmp_path / "var" / "thaid.pem").exists()
    assert oct((tmp_path / "var" / "thaid.pem").stat().st_mode & 0o777) == "0o600"
    assert thaid_provider.signing_key().kid == key.kid
    portal_key = settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"]
    assert (tmp_path / "var" / "thaid.pem").read_text() != portal_key


def test_acc_10_authorize_refuses_unknown_clients_and_foreign_addresses(client, client_credentials):
    """ACC-10: Authorize refuses unknown clients and foreign addresses."""
    unknown = authorize(client, client_id="someone-else")
    assert unknown.status_code == 400 and "Location" not in unknown
    foreign = authorize(client, redirect_uri="https://evil.example/callback")
    assert foreign.status_code == 400 and "Location" not in foreign
    no_openid = authorize(client, scope="pid")
    assert no_openid.status_code == 302
    assert query_of(no_openid["Location"]) == {
        "error": "invalid_scope",
        "error_description": "openid is required",
        "state": "the-state",
    }
    plain_pkce = authorize(client, code_challenge="x" * 43, code_challenge_method="plain")
    assert query_of(plain_pkce["Location"])["error"] == "invalid_request"
    assert not ThaidRequest.objects.exists()


def test_acc_10_qr_page_and_answer_belong_to_the_browser_that_asked(client, client_credentials):
    """ACC-10: QR page and answer belong to the browser that asked."""
    request_id = request_id_of(authorize(client)["Location"])
    stranger = Client()
    assert stranger.get(f"/sandbox/thaid/qr/{request_id}/").status_code == 404
    assert stranger.get(f"/sandbox/thaid/qr/{request_id}/continue/").status_code == 403
    ThaidRequest.objects.filter(pk=request_id).update(status=ThaidRequest.Status.REFUSED)
    assert stranger.get(f"/sandbox/thaid/qr/{request_id}/status.json").json()["continue"] is None
    own = client.get(f"/sandbox/thaid/qr/{request_id}/status.json").json()
    assert own["status"] == "refused" and own["continue"]


def test_acc_10_phone_app_finds_citizens_and_an_expired_request_cannot_be_approved(
    client, client_credentials, world, settings
):
    """ACC-10: Phone app finds citizens and an expired request cannot be approved."""
    people = [world.add_citizen(first_name_th=f"คนที่{i}") for i in range(3)]
    dead = world.add_citizen(alive=False)
    request_id = request_id_of(authorize(client)["Location"])
    page = client.get(f"/sandbox/thaid/app/{request_id}/")
    html = page.content.decode()
    assert all(person["pid"] in html for person in people)  # the sample list
    assert dead["pid"] not in html
    found = client.post(
        f"/sandbox/thaid/app/{request_id}/",
        {"national_id": people[2]["pid"], "action": "find"},
    )
    assert found.context["chosen"] == people[2]["pid"]
    missing = client.post(
        f"/sandbox/thaid/app/{request_id}/", {"national_id": dead["pid"], "action": "find"}
    )
    assert missing.status_code == 400
    nobody = client.post(f"/sandbox/thaid/app/{request_id}/", {"action": "consent"})
    assert nobody.status_code == 400
    # The QR code's minute passes: consent is refused and the request stays unanswered.
    ThaidRequest.objects.filter(pk=request_id).update(expires_at=timezone.now())
    late = client.post(
        f"/sandbox/thaid/app/{request_id}/", {"citizen": people[0]["pid"], "action": "consent"}
    )
    assert late.status_code == 409
    assert late.context["status"] == "expired"
    assert ThaidRequest.objects.get(pk=request_id).status == ThaidRequest.Status.PENDING
    answer = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    assert query_of(answer["Location"])["error"] == "expired_token"


def test_acc_10_token_endpoint_gives_a_signed_id_token_with_thaid_claims(
    client, client_credentials, citizen
):
    """ACC-10: Token endpoint gives a signed ID token with thaid claims."""
    verifier = secrets.token_urlsafe(48)
    code = approved_code(
        client, citizen["pid"], code_challenge=s256(verifier), code_challenge_method="S256"
    )
    response = exchange(client, code, credentials=client_credentials, verifier=verifier)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    keys = KeySet.import_key_set(client.get("/sandbox/thaid/jwks").json())
    token = jwt.decode(body["id_token"], keys, algorithms=["RS256"])
    claims = token.claims
    assert claims["iss"] == "http://testserver/sandbox/thaid"
    assert claims["aud"] == "portal-test" and claims["nonce"] == "the-nonce"
    assert claims["pid"] == citizen["pid"]
    assert (claims["given_name"], claims["family_name"]) == ("สมชาย", "ใจดี")
    assert claims["name_en"] == "Somchai Jaidee"
    assert claims["birthdate"] == "1984-06-19"  # 19 June 2527 BE
    assert "title" not in claims  # not asked for
    assert citizen["pid"] not in claims["sub"]
    bearer = f"Bearer {body['access_token']}"
    info = client.get("/sandbox/thaid/userinfo", HTTP_AUTHORIZATION=bearer)
    assert info.json()["sub"] == claims["sub"] and info.json()["pid"] == citizen["pid"]


def test_acc_10_elderly_birthdate_is_the_year_alone(client, client_credentials, world):
    """ACC-10: Elderly birthdate is the year alone."""
    elderly = world.add_citizen(birth_day=None, birth_month=None, birth_year_be=2483)
    code = approved_code(client, elderly["pid"])
    body = exchange(client, code, credentials=client_credentials).json()
    claims = jwt.decode(body["id_token"], thaid_provider.signing_key()).claims
    assert claims["birthdate"] == "1940"


def test_acc_10_a_code_is_exchanged_once(client, client_credentials, citizen):
    """ACC-10: A code is exchanged once."""
    code = approved_code(client, citizen["pid"])
    first = exchange(client, code, credentials=client_credentials)
    assert first.status_code == 200
    again = exchange(client, code, credentials=client_credentials)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # Reuse ends what the first exchange gave (RFC 6749 4.1.2).
    token = first.json()["access_token"]
    info = client.get("/sandbox/thaid/userinfo", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert info.status_code == 401


def test_acc_10_a_wrong_client_secret_is_refused(client, client_credentials, citizen):
    """ACC-10: A wrong client secret is refused."""
    code = approved_code(client, citizen["pid"])
    wrong = exchange(client, code, credentials=(client_credentials[0], "not-the-secret"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    assert wrong["WWW-Authenticate"].startswith("Basic")
    no_auth = Client().post(
        "/sandbox/thaid/token",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
    )
    assert no_auth.status_code == 401
    # client_secret_post is not how ThaID authenticates clients.
    posted = Client().post(
        "/sandbox/thaid/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": client_credentials[0],
            "client_secret": client_credentials[1],
        },
    )
    assert posted.status_code == 401
    # None of these spent the code.
    assert exchange(client, code, credentials=client_credentials).status_code == 200


@pytest.mark.parametrize("problem", ["verifier", "no-verifier", "redirect_uri", "old-code"])
def test_acc_10_code_exchange_checks_pkce_address_and_age(
    problem, client, client_credentials, citizen
):
    """ACC-10: Code exchange checks PKCE address and age."""
    verifier = secrets.token_urlsafe(48)
    code = approved_code(
        client, citizen["pid"], code_challenge=s256(verifier), code_challenge_method="S256"
    )
    kwargs = {"credentials": client_credentials, "verifier": verifier}
    if problem == "verifier":
        kwargs["verifier"] = secrets.token_urlsafe(48)
    elif problem == "no-verifier":
        kwargs["verifier"] = None
    elif problem == "redirect_uri":
        kwargs["redirect_uri"] = "http://testserver/elsewhere/"
    else:
        ThaidRequest.objects.update(
            code_issued_at=timezone.now()
            - timedelta(seconds=thaid_provider.CODE_LIFETIME_SECONDS + 1)
        )
    response = exchange(client, code, **kwargs)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_acc_10_a_refused_request_gives_no_code(client, client_credentials, citizen):
    """ACC-10: A refused request gives no code."""
    request_id = request_id_of(authorize(client)["Location"])
    client.post(f"/sandbox/thaid/app/{request_id}/", {"action": "refuse"})
    answer = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    assert query_of(answer["Location"]) == {
        "error": "access_denied",
        "error_description": "The person did not consent",
        "state": "the-state",
    }
    # A decision is final: the app cannot consent afterwards.
    late = client.post(
        f"/sandbox/thaid/app/{request_id}/", {"citizen": citizen["pid"], "action": "consent"}
    )
    assert late.status_code == 409
    assert ThaidRequest.objects.get(pk=request_id).code_hash == ""
