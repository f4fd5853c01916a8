"""SMS and email: the port, its adapters, the tasks and sending only after commit."""

import json
import socket
import threading
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy
from werkzeug import Response

from portal.core.http_client import circuit_breakers_reset
from portal.registries.base import RegistryUnavailable
from portal.registries.failures import failure_mode, failure_set
from portal.registries.messaging import (
    HttpSmsGateway,
    SmsRejected,
    check_sender,
    sms_gateway,
)
from portal.registries.models import OutboundMessage
from portal.registries.tasks import queue_email, queue_sms
from portal.sandbox.models import OutboxMessage
from portal.sandbox.sms import SandboxSmsGateway

pytestmark = pytest.mark.django_db

MOBILE = "0812345678"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on return: nobody listens there


@pytest.fixture
def outbox_email(settings):
    # The test environment swaps the email backend for locmem; these tests want the sandbox's.
    backend = "portal.sandbox.mail.OutboxEmailBackend"
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


@pytest.fixture
def sms_down():
    failure_set("sms", "down")
    yield
    failure_set("sms", "none")


# ACC-12: sender names


def test_acc_12_sms_senders_are_iids_and_i_ind(settings):
    """ACC-12: SMS senders are iids and i ind."""
    assert tuple(settings.SMS_SENDER_NAMES) == ("iIDS", "i-ind")
    assert check_sender("iIDS") == "iIDS"
    assert check_sender("i-ind") == "i-ind"
    for wrong in ("IIDS", "iids", "i-Industry", ""):
        with pytest.raises(ValueError, match="not one of iIDS, i-ind"):
            check_sender(wrong)


def test_acc_12_sandbox_gateway_refuses_other_sender_and_writes_nothing():
    """ACC-12: Sandbox gateway refuses other sender and writes nothing."""
    with pytest.raises(ValueError):
        SandboxSmsGateway().send(to=MOBILE, sender="Portal", body="hello")
    assert OutboxMessage.objects.count() == 0


def test_acc_12_queue_sms_refuses_other_sender_in_the_caller(django_capture_on_commit_callbacks):
    """ACC-12: Queue SMS refuses other sender in the caller."""
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValueError):
        queue_sms(to=MOBILE, body="hello", sender="Portal")
    assert callbacks == []


def test_acc_12_queue_sms_sends_as_i_ind_when_asked(django_capture_on_commit_callbacks):
    """ACC-12: Queue SMS sends as i ind when asked."""
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms(to=MOBILE, body="hello", sender="i-ind")
    assert OutboxMessage.objects.get().sender == "i-ind"


# Adapter choice


def test_messaging_adapter_setting_chooses_the_gateway(settings):
    settings.MESSAGING_ADAPTER = "sandbox"
    assert isinstance(sms_gateway(), SandboxSmsGateway)
    settings.MESSAGING_ADAPTER = "http"
    assert isinstance(sms_gateway(), HttpSmsGateway)
    settings.MESSAGING_ADAPTER = "carrier-pigeon"
    with pytest.raises(ValueError, match="MESSAGING_ADAPTER"):
        sms_gateway()


# Sandbox SMS adapter


def test_sandbox_sms_lands_in_the_outbox():
    message_id = SandboxSmsGateway().send(to=MOBILE, sender="iIDS", body="รหัส OTP 123456")

    message = OutboxMessage.objects.get()
    assert message_id == f"outbox-{message.pk}"
    assert (message.channel, message.to, message.sender, message.subject, message.body) == (
        "sms",
        MOBILE,
        "iIDS",
        "",
        "รหัส OTP 123456",
    )


def test_sandbox_sms_with_the_same_reference_is_stored_once():
    gateway = SandboxSmsGateway()
    first = gateway.send(to=MOBILE, sender="iIDS", body="one", reference="task-1")
    repeat = gateway.send(to=MOBILE, sender="iIDS", body="one", reference="task-1")
    other = gateway.send(to=MOBILE, sender="iIDS", body="one", reference="task-2")

    assert repeat == first
    assert other != first
    assert OutboxMessage.objects.count() == 2


@pytest.mark.usefixtures("sms_down")
def test_sandbox_sms_down_switch_raises_unavailable_and_sends_nothing():
    assert failure_mode("sms") == "down"
    with pytest.raises(RegistryUnavailable) as raised:
        SandboxSmsGateway().send(to=MOBILE, sender="iIDS", body="hello")
    assert raised.value.registry == "sms"
    assert OutboxMessage.objects.count() == 0


# Sending after commit


def test_queue_sms_sends_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue_sms(to=MOBILE, body="รหัส OTP 654321")
        assert OutboxMessage.objects.count() == 0  # nothing before the commit
    assert len(callbacks) == 1
    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.sender, message.body) == (
        "sms",
        MOBILE,
        "iIDS",
        "รหัส OTP 654321",
    )
    assert message.reference == f"outbound-{OutboundMessage.objects.get().pk}"


def test_queue_sms_inside_a_rolled_back_savepoint_queues_nothing(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_sms(to=MOBILE, body="never")
        raise RuntimeError("use case failed")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_queue_sms_sends_nothing_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_sms(to=MOBILE, body="never")
        raise RuntimeError("use case failed")
    assert OutboxMessage.objects.count() == 0

    with transaction.atomic():
        queue_sms(to=MOBILE, body="after commit")
    assert list(OutboxMessage.objects.values_list("body", flat=True)) == ["after commit"]


def test_queue_sms_when_the_queue_is_down_logs_without_number_or_text(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": [],
            "OPTIONS": {"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"},
        }
    }
    # The change is committed by now: a queue that cannot take the task must not undo the
    # request's success, and the log must not carry the number or the code.
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms(to=MOBILE, body="รหัส OTP 424242")

    record = OutboundMessage.objects.get()
    assert f"could not enqueue outbound message {record.pk}" in caplog.text
    assert MOBILE not in caplog.text
    assert "424242" not in caplog.text
    assert OutboxMessage.objects.count() == 0
    # Not lost: the record waits, queued, for the schedule's sweep.
    assert (record.status, record.attempts) == ("queued", 0)


def test_queue_sms_accepts_a_lazy_translation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), translation.override("th"):
        queue_sms(to=MOBILE, body=gettext_lazy("Email"))
    assert OutboxMessage.objects.get().body == "อีเมล"


def test_queue_sms_needs_a_number():
    with pytest.raises(ValueError):
        queue_sms(to="", body="hello")


# Email


@pytest.mark.usefixtures("outbox_email")
def test_queue_email_lands_in_the_outbox_after_commit(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(to="somchai@example.com", subject="ยืนยันอีเมล", body="รหัส 111222")

    message = OutboxMessage.objects.get()
    assert (message.channel, message.to, message.sender, message.subject, message.body) == (
        "email",
        "somchai@example.com",
        settings.DEFAULT_FROM_EMAIL,
        "ยืนยันอีเมล",
        "รหัส 111222",
    )
    assert message.reference == f"<outbound-{OutboundMessage.objects.get().pk}@industry.go.th>"


@pytest.mark.usefixtures("outbox_email")
def test_queue_email_sends_nothing_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(to="somchai@example.com", subject="s", body="b")
        raise RuntimeError("use case failed")
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0


@pytest.mark.usefixtures("outbox_email")
def test_outbox_email_backend_stores_a_repeated_message_id_once():
    for _ in range(2):
        mail.EmailMessage(
            subject="s", body="b", to=["a@example.com"], headers={"Message-ID": "<task-x@h>"}
        ).send()
    mail.EmailMessage(subject="s2", body="b2", to=["a@example.com", "b@example.com"]).send()

    assert list(OutboxMessage.objects.order_by("id").values_list("to", "subject", "reference")) == [
        ("a@example.com", "s", "<task-x@h>"),
        ("a@example.com, b@example.com", "s2", ""),
    ]


@pytest.mark.usefixtures("outbox_email")
def test_outbox_email_backend_keeps_an_html_only_message_readable():
    message = mail.EmailMultiAlternatives(subject="s", body="", to=["a@example.com"])
    message.attach_alternative("<p>สวัสดี</p>", "text/html")
    message.send()
    assert OutboxMessage.objects.get().body == "<p>สวัสดี</p>"


# HTTP SMS adapter against a local fake gateway


@pytest.fixture
def gateway_settings(settings, httpserver):
    settings.SMS_GATEWAY_URL = httpserver.url_for("/v1")
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    settings.REGISTRY_RETRIES = 1
    settings.REGISTRY_BACKOFF_SECONDS = 0.01
    settings.REGISTRY_BREAKER_FAIL_MAX = 5
    # The breaker is per process and per target: each test starts with a closed circuit.
    circuit_breakers_reset()
    yield settings
    circuit_breakers_reset()


def http_gateway() -> HttpSmsGateway:
    return HttpSmsGateway()


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_posts_the_documented_request(httpserver):
    httpserver.expect_request(
        "/v1/messages",
        method="POST",
        headers={"Authorization": "Bearer secret-token", "Idempotency-Key": "task-42"},
        json={"to": MOBILE, "sender": "iIDS", "text": "รหัส OTP 123456"},
    ).respond_with_json({"id": "gw-1"}, status=201)

    message_id = http_gateway().send(
        to=MOBILE, sender="iIDS", body="รหัส OTP 123456", reference="task-42"
    )

    assert message_id == "gw-1"
    httpserver.check_assertions()
    assert len(httpserver.log) == 1


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_repeat_answered_200_returns_the_first_id(httpserver):
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(
        {"id": "gw-1"}, status=200
    )
    assert http_gateway().send(to=MOBILE, sender="i-ind", body="b", reference="k") == "gw-1"


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_without_reference_sends_no_idempotency_key(httpserver):
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json({"id": "gw-2"}, 201)
    http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    [(request, _response)] = httpserver.log
    assert "Idempotency-Key" not in request.headers


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_with_reference_is_retried_after_a_503(httpserver):
    httpserver.expect_ordered_request("/v1/messages").respond_with_json({"error": "busy"}, 503)
    httpserver.expect_ordered_request("/v1/messages").respond_with_json({"id": "gw-3"}, 201)

    assert http_gateway().send(to=MOBILE, sender="iIDS", body="b", reference="task-7") == "gw-3"
    assert [r.headers["Idempotency-Key"] for r, _ in httpserver.log] == ["task-7", "task-7"]


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_without_reference_is_not_retried(httpserver):
    httpserver.expect_request("/v1/messages").respond_with_json({"error": "busy"}, 503)
    with pytest.raises(RegistryUnavailable):
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert len(httpserver.log) == 1  # a second try could be a second SMS


@pytest.mark.usefixtures("gateway_settings")
def test_acc_12_http_sms_refuses_other_sender_before_calling(httpserver):
    """ACC-12: Http SMS refuses other sender before calling."""
    with pytest.raises(ValueError):
        http_gateway().send(to=MOBILE, sender="Bank", body="b")
    assert httpserver.log == []


@pytest.mark.usefixtures("gateway_settings")
@pytest.mark.parametrize("status", [400, 404, 409, 413, 422])
def test_http_sms_refusal_is_sms_rejected(httpserver, status):
    httpserver.expect_request("/v1/messages", method="POST").respond_with_json(
        {"error": "invalid_number", "detail": "not a mobile number"}, status=status
    )
    with pytest.raises(SmsRejected) as raised:
        http_gateway().send(to="12", sender="iIDS", body="b", reference="task-1")
    assert raised.value.code == "invalid_number"
    assert raised.value.detail == "not a mobile number"
    assert len(httpserver.log) == 1


@pytest.mark.usefixtures("gateway_settings")
def test_http_sms_refusal_without_json_names_the_status(httpserver):
    httpserver.expect_request("/v1/messages").respond_with_data("bad", status=400)
    with pytest.raises(SmsRejected) as raised:
        http_gateway().send(to="12", sender="iIDS", body="b")
    assert raised.value.code == "http_400"


@pytest.mark.usefixtures("gateway_settings")
@pytest.mark.parametrize(
    ("status", "reason"),
    [(401, "down"), (403, "down"), (408, "timeout"), (429, "down"), (500, "down"), (503, "down")],
)
def test_http_sms_gateway_trouble_is_unavailable(httpserver, status, reason):
    httpserver.expect_request("/v1/messages").respond_with_json({"error": "busy"}, status=status)
    with pytest.raises(RegistryUnavailable) as raised:
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert (raised.value.registry, raised.value.reason) == ("sms", reason)


@pytest.mark.usefixtures("gateway_settings")
@pytest.mark.parametrize(
    "answer",
    [
        Response("not json", status=201),
        Response(json.dumps({"status": "queued"}), status=201, content_type="application/json"),
        Response(json.dumps({"id": "x"}), status=302, content_type="application/json"),
    ],
)
def test_http_sms_nonsense_answer_is_unavailable(httpserver, answer):
    httpserver.expect_request("/v1/messages").respond_with_response(answer)
    with pytest.raises(RegistryUnavailable) as raised:
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert raised.value.reason == "bad_response"


def test_http_sms_timeout_is_unavailable(gateway_settings, httpserver):
    gateway_settings.REGISTRY_TIMEOUT_SECONDS = 0.2
    release = threading.Event()

    def slow(request):
        release.wait(5)
        return Response(json.dumps({"id": "late"}), status=201, content_type="application/json")

    httpserver.expect_request("/v1/messages").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 1.0

    # Let the fake gateway finish here, so its late answer is not logged in the next test.
    release.set()
    deadline = time.monotonic() + 5
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.01)


def test_http_sms_refused_connection_is_unavailable(gateway_settings):
    gateway_settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{closed_port()}/v1"
    with pytest.raises(RegistryUnavailable) as raised:
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert raised.value.reason == "down"


def test_http_sms_open_circuit_fails_without_calling(gateway_settings, httpserver):
    gateway_settings.REGISTRY_BREAKER_FAIL_MAX = 2
    circuit_breakers_reset()
    httpserver.expect_request("/v1/messages").respond_with_json({"error": "busy"}, 500)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            http_gateway().send(to=MOBILE, sender="iIDS", body="b")

    with pytest.raises(RegistryUnavailable) as raised:
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert raised.value.reason == "circuit_open"
    assert len(httpserver.log) == 2


def test_http_sms_without_configured_url_is_unavailable(gateway_settings, httpserver):
    gateway_settings.SMS_GATEWAY_URL = ""
    with pytest.raises(RegistryUnavailable):
        http_gateway().send(to=MOBILE, sender="iIDS", body="b")
    assert httpserver.log == []
