"""Issue 8: every outside call of the identity app goes through the one HTTP client
(core.http_client): ThaID (ACC-10) and back-channel logout (SSO-07) get its timeout, its
retries of reads only, its circuit breaker and its error mapping."""

import httpx
import pytest

from portal.core.http_client import circuit_breakers_reset
from portal.identity import tasks
from portal.identity.models import SignIn
from tests import sso
from tests.factories import MemberFactory
from tests.identity.thaid_helpers import use_wsgi_transport, wsgi_transport

pytestmark = pytest.mark.django_db

BACKCHANNEL_URI = "https://rp.example/backchannel-logout"


@pytest.fixture
def quick_client(settings):
    settings.REGISTRY_RETRIES = 2
    settings.REGISTRY_BACKOFF_SECONDS = 0.01
    settings.REGISTRY_BREAKER_FAIL_MAX = 2
    settings.REGISTRY_BREAKER_RESET_SECONDS = 60
    circuit_breakers_reset()
    yield settings
    circuit_breakers_reset()


class Recorder:
    """A transport that answers with `answer(request)` and keeps what it was sent."""

    def __init__(self, answer):
        self.requests: list[httpx.Request] = []
        self.answer = answer
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.answer(request)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


# --- ThaID ---------------------------------------------------------------------------------


def login_page_messages(client, response) -> list[str]:
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    return [str(m) for m in page.context["messages"]]


def test_acc_10_thaid_discovery_is_retried_through_the_one_client(
    client, monkeypatch, quick_client
):
    """ACC-10: a read (discovery) that meets a 503 is tried again, and the login goes on."""
    inner = wsgi_transport()
    failures = {"left": 2}

    def flaky(request):
        if request.url.path.endswith("openid-configuration") and failures["left"]:
            failures["left"] -= 1
            return httpx.Response(503)
        return inner.handle_request(request)

    recorder = Recorder(flaky)
    use_wsgi_transport(monkeypatch, recorder.transport)
    response = client.post("/accounts/thaid/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("http://testserver/sandbox/thaid/authorize?")
    assert recorder.paths() == ["/sandbox/thaid/.well-known/openid-configuration"] * 3


def test_acc_10_thaid_code_exchange_is_never_retried(client, monkeypatch, quick_client, world):
    """ACC-10: the token call is not idempotent (a code is good once): one 503, one call,
    and the member is told ThaID cannot be reached."""
    from tests.identity.thaid_helpers import thaid_login

    citizen = world.add_citizen()
    MemberFactory(pid=citizen["pid"])
    inner = wsgi_transport()

    def token_down(request):
        if request.url.path.endswith("/sandbox/thaid/token"):
            return httpx.Response(503)
        return inner.handle_request(request)

    recorder = Recorder(token_down)
    use_wsgi_transport(monkeypatch, recorder.transport)
    shown = login_page_messages(client, thaid_login(client, citizen["pid"]))
    assert recorder.paths().count("/sandbox/thaid/token") == 1
    assert any("ไม่สามารถติดต่อ ThaID" in m for m in shown), shown
    assert client.session.get("_auth_user_id") is None


def test_acc_10_thaid_down_opens_the_circuit_and_later_presses_do_not_wait(
    client, monkeypatch, quick_client
):
    """ACC-10: after REGISTRY_BREAKER_FAIL_MAX failed calls, ThaID is not called at all until
    the circuit's reset time; the member gets the same message at once."""

    def down(request):
        raise httpx.ConnectError("refused", request=request)

    recorder = Recorder(down)
    use_wsgi_transport(monkeypatch, recorder.transport)
    for _ in range(2):
        shown = login_page_messages(client, client.post("/accounts/thaid/start/"))
        assert any("ไม่สามารถติดต่อ ThaID" in m for m in shown), shown
    assert len(recorder.requests) == 2 * 3  # two calls, each tried three times
    shown = login_page_messages(client, client.post("/accounts/thaid/start/"))
    assert any("ไม่สามารถติดต่อ ThaID" in m for m in shown), shown
    assert len(recorder.requests) == 6  # the open circuit called nobody


# --- back-channel logout -------------------------------------------------------------------


@pytest.fixture
def sign_in_row(client):
    member = MemberFactory()
    client.force_login(member)
    flow = sso.Flow(sso.make_system(needs_business=False, backchannel_logout_uri=BACKCHANNEL_URI))
    page = client.get(flow.authorize_url())
    flow.code_from(flow.approve(client) if page.status_code == 200 else page)
    return SignIn.objects.get(member=member)


def deliver(monkeypatch, sign_in_row, answer) -> tuple[str, Recorder]:
    recorder = Recorder(answer)
    monkeypatch.setattr(tasks, "TRANSPORT", recorder.transport)
    outcome = tasks.send_backchannel_logout.call(str(sign_in_row.pk), sso.ISSUER)
    sign_in_row.refresh_from_db()
    return outcome, recorder


def test_sso_07_backchannel_logout_posts_a_form_encoded_logout_token(
    monkeypatch, sign_in_row, quick_client
):
    """SSO-07: one POST, form-encoded `logout_token`, to the system's registered URI."""
    outcome, recorder = deliver(monkeypatch, sign_in_row, lambda request: httpx.Response(200))
    assert outcome == "sent" and sign_in_row.logout_error == ""
    (request,) = recorder.requests
    assert str(request.url) == BACKCHANNEL_URI and request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.content.startswith(b"logout_token=ey")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (lambda request: httpx.Response(503), "down"),
        (lambda request: httpx.Response(400), "HTTP 400"),
        (
            lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
            "timeout",
        ),
    ],
    ids=["503", "400", "timeout"],
)
def test_sso_07_backchannel_logout_failures_are_mapped_and_never_resent_at_once(
    monkeypatch, sign_in_row, quick_client, answer, error
):
    """SSO-07: the client's errors (timeout, down) or the system's 4xx are kept on the
    sign-in; the POST is not repeated by the client (the task tries again later with a new
    token, where the task backend can wait)."""
    outcome, recorder = deliver(monkeypatch, sign_in_row, answer)
    assert outcome == error and sign_in_row.logout_error == error
    assert len(recorder.requests) == 1
    assert sign_in_row.logout_sent_at is not None


def test_sso_07_a_system_that_is_down_opens_its_own_circuit_only(
    monkeypatch, sign_in_row, quick_client
):
    """SSO-07: after REGISTRY_BREAKER_FAIL_MAX failures the system's circuit is open and its
    logouts are not sent; another system's circuit is its own."""
    from portal.core.http_client import circuit_breaker

    for _ in range(2):
        deliver(monkeypatch, sign_in_row, lambda request: httpx.Response(503))
    outcome, recorder = deliver(monkeypatch, sign_in_row, lambda request: httpx.Response(200))
    assert outcome == "circuit_open" and recorder.requests == []
    assert circuit_breaker("backchannel-logout:test-system").current_state == "open"
    assert circuit_breaker("backchannel-logout:other-system").current_state == "closed"


def test_an_absolute_url_is_logged_without_its_query(quick_client, caplog):
    """The one client's promise holds for absolute URLs too: no query string in the logs."""
    import logging

    from portal.core.http_client import HttpClient
    from portal.registries.base import RegistryUnavailable

    recorder = Recorder(lambda request: httpx.Response(503))
    client = HttpClient(
        "somewhere", base_url="https://a.example", transport=recorder.transport, retries=0
    )
    caplog.set_level(logging.DEBUG, logger="portal.core.http_client")
    with pytest.raises(RegistryUnavailable) as failed:
        client.get("https://b.example/userinfo?access_token=secret-value")
    assert failed.value.reason == "down"
    assert str(recorder.requests[0].url) == "https://b.example/userinfo?access_token=secret-value"
    assert "https://b.example/userinfo" in caplog.text
    assert "secret-value" not in caplog.text
