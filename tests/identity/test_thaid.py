"""ACC-10: login with ThaID, end to end through the sandbox provider (Django test client for
the browser, httpx.WSGITransport for the portal's calls to the provider)."""

import base64
import json
import logging
import time

import httpx
import pyotp
import pytest
from django.test import Client
from django.utils import translation
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from portal.accounts.models import ConsentDocument, Member
from portal.core.thaiid import decrypt_text
from portal.identity import thaid
from portal.identity.models import TwoFactorDevice
from portal.identity.services import two_factor_confirm, two_factor_start
from portal.registries.failures import failure_set
from portal.sandbox import thaid_provider
from portal.sandbox.models import ThaidRequest
from tests.factories import DEFAULT_PASSWORD, MemberFactory, make_mobile
from tests.identity.thaid_helpers import (
    answer_in_app,
    back_to_portal,
    press_thaid_button,
    query_of,
    thaid_login,
    use_wsgi_transport,
    wsgi_transport,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thaid_over_wsgi(monkeypatch):
    use_wsgi_transport(monkeypatch)


@pytest.fixture
def citizen(world):
    return world.add_citizen()


def logged_in_member_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def follow_to_login_page(client, response) -> list[str]:
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    return messages_of(page)


# --- the button and the QR page ------------------------------------------------------------


def test_acc_10_login_page_has_the_thaid_button_as_a_post_form(client):
    """ACC-10: Login page has the thaid button as a post form."""
    page = client.get("/accounts/login/?next=/businesses/").content.decode()
    assert 'action="/accounts/thaid/start/"' in page
    assert 'method="post"' in page
    assert client.get("/accounts/thaid/start/").status_code == 405  # a press is a POST


def test_acc_10_qr_page_shows_a_one_minute_qr_code_and_the_app_link(client, citizen):
    """ACC-10: QR page shows a one minute QR code and the app link."""
    request_id = press_thaid_button(client)
    page = client.get(f"/sandbox/thaid/qr/{request_id}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html  # the QR code, inline
    assert "data-countdown>1:00<" in html  # THAID_QR_LIFETIME_SECONDS = 60
    assert f"/sandbox/thaid/app/{request_id}/" in html  # plain link for one-device people
    assert f"/sandbox/thaid/qr/{request_id}/status.json" in html  # polled every 2 s
    status = client.get(f"/sandbox/thaid/qr/{request_id}/status.json").json()
    assert status == {"status": "pending", "seconds_left": 60, "continue": None}


# --- outcomes ------------------------------------------------------------------------------


def test_acc_10_consent_in_the_app_logs_the_member_in(client, citizen):
    """ACC-10: Consent in the app logs the member in."""
    member = MemberFactory(pid=citizen["pid"])
    request_id = press_thaid_button(client, next="/factories/")
    assert logged_in_member_id(client) is None
    answer_in_app(client, request_id, pid=citizen["pid"])
    status = client.get(f"/sandbox/thaid/qr/{request_id}/status.json").json()
    assert status["status"] == "approved" and status["continue"]
    response, callback = back_to_portal(client, request_id)
    assert set(query_of(callback)) == {"code", "state"}
    assert response.status_code == 302 and response["Location"] == "/factories/"
    assert logged_in_member_id(client) == str(member.pk)


def test_acc_10_refusing_in_the_app_logs_nobody_in(client, citizen):
    """ACC-10: Refusing in the app logs nobody in."""
    MemberFactory(pid=citizen["pid"])
    response = thaid_login(client, citizen["pid"], action="refuse")
    shown = follow_to_login_page(client, response)
    assert logged_in_member_id(client) is None
    assert any("ไม่ได้กดยินยอม" in m for m in shown), shown


def test_acc_10_expired_qr_logs_nobody_in_and_needs_a_new_press(client, citizen, settings):
    """ACC-10: Expired QR logs nobody in and needs a new press."""
    MemberFactory(pid=citizen["pid"])
    settings.THAID_QR_LIFETIME_SECONDS = 0  # expired as soon as it is shown
    request_id = press_thaid_button(client)
    page = client.get(f"/sandbox/thaid/qr/{request_id}/").content.decode()
    assert 'id="thaid-expired">' in page  # "The QR code has expired" is shown, not hidden
    # The phone app cannot approve an expired request.
    refused = answer_in_app(client, request_id, pid=citizen["pid"])
    assert refused.status_code == 409
    assert ThaidRequest.objects.get(pk=request_id).status == ThaidRequest.Status.PENDING
    assert client.get(f"/sandbox/thaid/qr/{request_id}/status.json").json()["status"] == ("expired")
    # "Start again" goes back to the portal, which logs nobody in and asks for a new press.
    response, callback = back_to_portal(client, request_id)
    assert query_of(callback)["error"] == "expired_token"
    shown = follow_to_login_page(client, response)
    assert any("หมดอายุ" in m for m in shown), shown
    assert logged_in_member_id(client) is None
    # The old answer is spent: the same callback again gives nothing.
    again = client.get(callback)
    follow_to_login_page(client, again)
    assert logged_in_member_id(client) is None
    # A new press with a live QR code works.
    settings.THAID_QR_LIFETIME_SECONDS = 60
    response = thaid_login(client, citizen["pid"])
    assert response.status_code == 302 and logged_in_member_id(client)


def test_acc_10_an_answer_after_the_qr_lifetime_is_refused_by_the_portal(client, citizen):
    """ACC-10: Even a provider that keeps its QR codes longer cannot stretch the portal's minute."""
    MemberFactory(pid=citizen["pid"])
    request_id = press_thaid_button(client)
    answer_in_app(client, request_id, pid=citizen["pid"])
    session = client.session
    session[thaid.SESSION_FLOW]["started"] = time.time() - 60 - thaid.CALLBACK_GRACE_SECONDS - 1
    session.save()
    response, _callback = back_to_portal(client, request_id)
    shown = follow_to_login_page(client, response)
    assert any("หมดอายุ" in m for m in shown), shown
    assert logged_in_member_id(client) is None


def test_acc_10_state_mismatch_logs_nobody_in(client, citizen):
    """ACC-10: State mismatch logs nobody in."""
    MemberFactory(pid=citizen["pid"])
    request_id = press_thaid_button(client)
    answer_in_app(client, request_id, pid=citizen["pid"])
    continued = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    forged = continued["Location"].replace("state=", "state=x")
    response = client.get(forged)
    shown = follow_to_login_page(client, response)
    assert logged_in_member_id(client) is None
    assert any("ไม่ตรงกับการเข้าสู่ระบบ" in m for m in shown), shown
    # The flow was spent by the mismatch: the genuine answer no longer logs in either.
    client.get(continued["Location"])
    assert logged_in_member_id(client) is None


def test_acc_10_a_state_that_is_not_ascii_is_refused_not_a_crash(client, citizen):
    """ACC-10: A state that is not ascii is refused not a crash."""
    MemberFactory(pid=citizen["pid"])
    request_id = press_thaid_button(client)
    answer_in_app(client, request_id, pid=citizen["pid"])
    continued = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")
    response = client.get(continued["Location"].replace("state=", "state=%E0%B8%81"))
    shown = follow_to_login_page(client, response)
    assert logged_in_member_id(client) is None and shown


def test_acc_10_an_answer_carried_to_another_browser_logs_nobody_in(client, citizen):
    """ACC-10: An answer carried to another browser logs nobody in."""
    MemberFactory(pid=citizen["pid"])
    request_id = press_thaid_button(client)
    answer_in_app(client, request_id, pid=citizen["pid"])
    callback = client.get(f"/sandbox/thaid/qr/{request_id}/continue/")["Location"]
    other = Client()
    other.get("/accounts/login/")
    response = other.get(callback)
    assert response.status_code == 302
    assert other.session.get("_auth_user_id") is None


def test_acc_10_id_token_signed_with_another_key_is_refused(client, citizen, monkeypatch):
    """ACC-10: Someone between the portal and ThaID swaps the ID token for one with the same claims
    and key ID, signed with another key: the JWKS check refuses it."""
    MemberFactory(pid=citizen["pid"])
    inner = wsgi_transport()
    forger = RSAKey.generate_key(2048, private=True)

    def forge(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)
        if not request.url.path.endswith("/sandbox/thaid/token"):
            return response
        response.read()
        body = response.json()
        genuine = jwt.decode(body["id_token"], thaid_provider.signing_key())
        claims = {**genuine.claims, "pid": citizen["pid"]}
        body["id_token"] = jwt.encode(genuine.header, claims, forger)
        return httpx.Response(200, json=body)

    use_wsgi_transport(monkeypatch, httpx.MockTransport(forge))
    response = thaid_login(client, citizen["pid"])
    shown = follow_to_login_page(client, response)
    assert logged_in_member_id(client) is None
    assert any("ไม่สามารถตรวจสอบความถูกต้อง" in m for m in shown), shown


def _provider_config():
    return thaid.provider_config("http://testserver/sandbox/thaid/.well-known/openid-configuration")


def _signed(**overrides) -> str:
    now = int(time.time())
    claims = {
        "iss": _provider_config().issuer,
        "aud": "i-industry-sandbox",
        "sub": "someone",
        "iat": now,
        "exp": now + 600,
        "nonce": "the-nonce",
        "pid": "1103700012345",
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    key = thaid_provider.signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


@pytest.mark.parametrize(
    "overrides",
    [
        {"iss": "http://testserver/somewhere-else"},
        {"aud": "another-client"},
        {"nonce": "another-nonce"},
        {"nonce": None},
        {"exp": int(time.time()) - 3600},
        {"exp": None},
        {"sub": None},
    ],
    ids=["iss", "aud", "nonce", "no-nonce", "expired", "no-exp", "no-sub"],
)
def test_acc_10_id_token_claims_are_checked(overrides, settings):
    """ACC-10: ID token claims are checked."""
    settings.THAID_CLIENT_ID = "i-industry-sandbox"
    config = _provider_config()
    assert thaid._validated_claims(config, _signed(), nonce="the-nonce")["pid"]
    with pytest.raises(thaid.ThaidError) as refused:
        thaid._validated_claims(config, _signed(**overrides), nonce="the-nonce")
    assert refused.value.code == "invalid_token"


def test_acc_10_unsigned_or_symmetric_id_tokens_are_refused(settings):
    """ACC-10: Unsigned or symmetric ID tokens are refused."""
    settings.THAID_CLIENT_ID = "i-industry-sandbox"
    config = _provider_config()
    _header, payload, _signature = _signed().split(".")
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    hs256 = jwt.encode({"alg": "HS256"}, {"pid": "1103700012345"}, OctKey.generate_key(256))
    for token in (f"{none_header}.{payload}.", f"{_header}.{payload}.", hs256, "not-a-token"):
        with pytest.raises(thaid.ThaidError):
            thaid._validated_claims(config, token, nonce="the-nonce")


# --- who logs in ---------------------------------------------------------------------------


def test_acc_10_acc_15_closed_account_gets_the_password_login_notice(client, citizen):
    """ACC-10, ACC-15: a closed account's ThaID login lands on the login page, which says the
    account is closed and links to the reopen request, once."""
    MemberFactory(pid=citizen["pid"], closed=True)
    response = thaid_login(client, citizen["pid"])
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert logged_in_member_id(client) is None
    assert page.context["closed_account"] is True
    notice = page.content.decode().split('data-testid="closed-account"')[1].split("</div>")[0]
    with translation.override("th"):
        assert translation.gettext("This username has been closed.") in notice
    assert 'href="/accounts/reopen/"' in notice
    assert client.get("/accounts/login/").context["closed_account"] is False


def test_acc_10_two_factor_member_still_gives_the_code(client, citizen):
    """ACC-10: Two factor member still gives the code."""
    member = MemberFactory(pid=citizen["pid"])
    _device, uri = two_factor_start(member=member)
    secret = uri.split("secret=")[1].split("&")[0]
    two_factor_confirm(member=member, code=pyotp.TOTP(secret).now())
    TwoFactorDevice.objects.filter(member=member).update(last_used_step=0)
    response = thaid_login(client, citizen["pid"])
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert logged_in_member_id(client) is None  # ThaID replaces the password, not the code
    device = TwoFactorDevice.objects.get(member=member)
    code = pyotp.TOTP(decrypt_text(device.secret_encrypted)).now()
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302
    assert logged_in_member_id(client) == str(member.pk)


def test_acc_10_no_account_offers_registration_with_the_registry_data(client, citizen):
    """ACC-10: No account offers registration with the registry data."""
    response = thaid_login(client, citizen["pid"])
    assert response.status_code == 302 and response["Location"] == "/accounts/register/"
    assert logged_in_member_id(client) is None
    # The proof waits in the session, encrypted (no national ID in clear).
    assert citizen["pid"] not in json.dumps(dict(client.session.items()), default=str)
    # The registry no longer needs to answer: ThaID's proof stands in for the DOPA check.
    failure_set("dopa", "down")
    client.post("/accounts/register/", {"accept": "on"})
    documents = ConsentDocument.objects.filter(kind="pdpa")
    client.post("/accounts/register/consent/", {f"consent_{d.pk}": "yes" for d in documents})
    page = client.get("/accounts/register/details/")
    form = page.context["form"]
    html = page.content.decode()
    assert 'data-testid="thaid-proven"' in html
    for name, value in {
        "national_id": citizen["pid"],
        "first_name": "สมชาย",
        "last_name": "ใจดี",
        "birth_day": "19",
        "birth_month": "6",
        "birth_year_be": 2527,
    }.items():
        assert form[name].value() == value, name
        assert form.fields[name].disabled, name
    # What is posted for the locked fields is ignored: the proof decides.
    mobile = make_mobile()
    response = client.post(
        "/accounts/register/details/",
        {
            "national_id": "1101700230705",
            "first_name": "ปลอม",
            "last_name": "ปลอม",
            "birth_day": "1",
            "birth_month": "1",
            "birth_year_be": "2500",
            "mobile": mobile,
            "email": "",
            "line_id": "",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == "/accounts/register/done/"
    member = Member.objects.get(mobile=mobile)
    assert member.registered_via == Member.Channel.THAID
    assert member.national_id == citizen["pid"]
    assert (member.first_name, member.last_name, member.title_th) == ("สมชาย", "ใจดี", "นาย")
    assert (member.first_name_en, member.last_name_en) == ("Somchai", "Jaidee")
    assert (member.birth_year_be, member.birth_month, member.birth_day) == (2527, 6, 19)
    assert thaid.SESSION_IDENTITY not in client.session
    # ACC-10: the new member is signed in at once, and logs in with ThaID next time.
    assert logged_in_member_id(client) == str(member.pk)
    failure_set("dopa", None)
    assert client.get("/accounts/register/done/").status_code == 200
    client.post("/accounts/logout/")
    assert logged_in_member_id(client) is None
    response = thaid_login(client, citizen["pid"])
    assert logged_in_member_id(client) == str(member.pk)


def test_acc_10_thaid_registration_keeps_the_duplicate_checks(client, citizen):
    """ACC-10: Thaid registration keeps the duplicate checks."""
    taken = MemberFactory(verified=True).mobile  # ACC-06: unique among verified contacts
    thaid_login(client, citizen["pid"])
    client.post("/accounts/register/", {"accept": "on"})
    documents = ConsentDocument.objects.filter(kind="pdpa")
    client.post("/accounts/register/consent/", {f"consent_{d.pk}": "yes" for d in documents})
    response = client.post(
        "/accounts/register/details/",
        {"mobile": taken, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mobile"]
    assert not Member.objects.filter(registered_via=Member.Channel.THAID).exists()


def test_acc_10_elderly_citizen_without_day_and_month_registers_with_the_year(client, world):
    """ACC-10: Elderly citizen without day and month registers with the year."""
    elderly = world.add_citizen(birth_day=None, birth_month=None, birth_year_be=2483)
    thaid_login(client, elderly["pid"])
    client.post("/accounts/register/", {"accept": "on"})
    documents = ConsentDocument.objects.filter(kind="pdpa")
    client.post("/accounts/register/consent/", {f"consent_{d.pk}": "yes" for d in documents})
    form = client.get("/accounts/register/details/").context["form"]
    assert (form["birth_day"].value(), form["birth_month"].value()) == ("0", "0")
    assert form["birth_year_be"].value() == 2483
    response = client.post(
        "/accounts/register/details/",
        {"password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(registered_via=Member.Channel.THAID)
    assert (member.birth_year_be, member.birth_month, member.birth_day) == (2483, None, None)


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("1984-06-19", (2527, 6, 19)),  # OpenID Connect: Gregorian YYYY-MM-DD
        ("1940", (2483, None, None)),  # year only
        ("0000-06-19", (None, None, None)),  # year withheld
        ("25270619", (2527, 6, 19)),  # DOPA: Buddhist era YYYYMMDD
        ("24830000", (2483, None, None)),  # DOPA: unknown day and month
        ("", (None, None, None)),
        ("19 June 1984", (None, None, None)),
    ],
)
def test_acc_10_birthdate_claim_forms(claim, expected):
    """ACC-10: Birthdate claim forms."""
    assert thaid.parse_birthdate(claim) == expected


# --- limits, outages, privacy --------------------------------------------------------------


def test_acc_10_presses_are_rate_limited_per_network(client, citizen, settings):
    """ACC-10: Presses are rate limited per network."""
    settings.THAID_STARTS_PER_IP_HOUR = 2
    press_thaid_button(client)
    press_thaid_button(client)
    response = client.post("/accounts/thaid/start/")
    shown = follow_to_login_page(client, response)
    assert any("มากเกินไป" in m for m in shown), shown
    other_network = Client(REMOTE_ADDR="10.1.2.3")
    assert other_network.post("/accounts/thaid/start/")["Location"].startswith("http://")


def test_acc_10_thaid_unreachable_gives_a_distinct_message(client, monkeypatch):
    """ACC-10: Thaid unreachable gives a distinct message."""

    def down(request):
        raise httpx.ConnectError("refused", request=request)

    use_wsgi_transport(monkeypatch, httpx.MockTransport(down))
    response = client.post("/accounts/thaid/start/")
    shown = follow_to_login_page(client, response)
    assert any("ไม่สามารถติดต่อ ThaID" in m for m in shown), shown
    assert thaid.SESSION_FLOW not in client.session


def test_acc_10_no_national_id_in_urls_or_logs(client, citizen, caplog):
    """ACC-10: No national ID in urls or logs."""
    MemberFactory(pid=citizen["pid"])
    caplog.set_level(logging.DEBUG)
    locations = []
    request_id = press_thaid_button(client)
    locations.append(f"/sandbox/thaid/qr/{request_id}/")
    answer_in_app(client, request_id, pid=citizen["pid"])
    response, callback = back_to_portal(client, request_id)
    locations += [callback, response["Location"]]
    assert logged_in_member_id(client)
    assert not [url for url in locations if citizen["pid"] in url]
    assert citizen["pid"] not in caplog.text
    assert citizen["pid"] not in json.dumps(dict(client.session.items()), default=str)


def test_acc_01_thaid_of_a_non_thai_resident_is_refused_with_the_reason(client, world):
    """ACC-01: ThaID proves who a non-Thai resident is, not that they are Thai: the civil
    registry's nationality decides, the login page gives the reason, nothing is kept."""
    resident = world.add_citizen(nationality="MM")
    response = thaid_login(client, resident["pid"])
    shown = follow_to_login_page(client, response)
    assert any("Thai nationality" in m or "สัญชาติไทย" in m for m in shown), shown
    assert thaid.SESSION_IDENTITY not in client.session
    assert logged_in_member_id(client) is None
    assert Member.objects.count() == 0


def test_acc_01_thaid_registration_asks_the_registry_when_it_was_down_at_the_callback(
    client, world, monkeypatch
):
    """ACC-01: DOPA down when ThaID answered: registration is offered, and asks the civil
    registry's nationality before storing anything; a non-Thai is refused with the reason."""
    from portal.registries.base import RegistryUnavailable

    class Down:
        def lookup(self, pid):
            raise RegistryUnavailable("dopa", "down")

    resident = world.add_citizen(nationality="KH")
    with monkeypatch.context() as patch:
        # Only the portal's question is refused: the sandbox ThaID app still reads the world.
        patch.setattr(thaid, "citizen_registry", Down)
        response = thaid_login(client, resident["pid"])
    assert response["Location"] == "/accounts/register/"
    client.post("/accounts/register/", {"accept": "on"})
    documents = ConsentDocument.objects.filter(kind="pdpa")
    client.post("/accounts/register/consent/", {f"consent_{d.pk}": "yes" for d in documents})
    response = client.post(
        "/accounts/register/details/",
        {
            "mobile": make_mobile(),
            "email": "",
            "line_id": "",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["national_id"]
    assert any("Thai nationality" in e or "สัญชาติไทย" in e for e in errors), errors
    assert Member.objects.count() == 0


def test_acc_15_a_reopened_account_signs_in_with_thaid(client, world, officer_factory):
    """ACC-15: after an officer reopens a closed account, the member signs in with ThaID
    (the FAQ says so: ThaID, or a new password by reset)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.accounts import services as account_services

    citizen = world.add_citizen()
    member = MemberFactory(pid=citizen["pid"])
    account_services.member_close(member=member, reason="other", password=DEFAULT_PASSWORD)
    assert thaid_login(client, citizen["pid"])["Location"] == "/accounts/login/"
    assert logged_in_member_id(client) is None
    filed = account_services.member_request_reopen(
        pid=citizen["pid"],
        first_name=citizen["first_name_th"],
        last_name=citizen["last_name_th"],
        birth_year_be=citizen["birth_year_be"],
        birth_month=citizen["birth_month"],
        birth_day=citizen["birth_day"],
        mobile=make_mobile(),
        email="",
        reason="ต้องการใช้งานอีกครั้ง",
        evidence=SimpleUploadedFile("id.pdf", b"%PDF-1.4\n%%EOF\n"),
        extension="pdf",
    )
    account_services.member_request_decide(
        officer=officer_factory(), member_request=filed, approve=True, note=""
    )
    thaid_login(client, citizen["pid"])
    assert logged_in_member_id(client) == str(member.pk)
