"""The pages that wait on a code say it was sent only once the gateway accepted it; while it
is queued they say it is being sent; when it failed they say so and offer "send again" (which
keeps the resend cool-down). The SMS gateway is switched down on the sandbox's registry page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.accounts.models import OneTimePassword
from portal.registries.failures import failures_reset
from portal.registries.models import OutboundMessage
from portal.registries.tasks import deliver_message
from tests.accounts.helpers import login
from tests.accounts.test_reset import choose, start_reset

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/reset/verify/"
SENT = "ระบบได้ส่งรหัส 6 หลักทาง SMS แล้ว"
SENDING = "กำลังส่งรหัสให้ท่านทาง SMS"
RETRYING = "การส่งรหัสใช้เวลานานกว่าปกติ ระบบกำลังพยายามส่งอีกครั้ง"
FAILED = "ขออภัย ไม่สามารถส่งรหัสทาง SMS ได้"
SEND_AGAIN = (
    '<button type="submit" name="resend" value="1" class="button" formnovalidate>ส่งอีกครั้ง</button>'
)
CODE_FIELD = 'name="code"'


@pytest.fixture(autouse=True)
def gateway_working_afterwards():
    yield
    failures_reset()


@pytest.fixture
def queue_without_worker(settings):
    """The database backend with no worker running: tasks wait in the queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def logged_in(client, robot, member_factory):
    member = member_factory(verified=True)
    login(client, robot, member.national_id)
    return member


def switch_sms(client, mode):
    response = client.post("/sandbox/registries/", {"registry": "sms", "mode": mode})
    assert response.status_code == 302


def run_due_attempt():
    """What the worker does when the next attempt is due."""
    message = OutboundMessage.objects.latest("pk")
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    return deliver_message.call(message.pk)


def test_acc_12_reset_page_says_the_code_was_sent_once_the_gateway_accepted_it(
    client, robot, member_factory, outbox
):
    """ACC-12: Reset page says the code was sent once the gateway accepted it."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")

    page = client.get(VERIFY).content.decode()

    assert OutboundMessage.objects.get().status == "sent"
    assert len(outbox.messages(to=member.mobile)) == 1
    assert SENT in page
    assert SENDING not in page and FAILED not in page
    assert CODE_FIELD in page


@pytest.mark.usefixtures("queue_without_worker")
def test_acc_12_reset_page_says_the_code_is_being_sent_while_it_is_queued(
    client, robot, member_factory, outbox
):
    """ACC-12: Reset page says the code is being sent while it is queued."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")

    page = client.get(VERIFY).content.decode()
    assert SENDING in page
    assert SENT not in page
    assert f'<a href="{VERIFY}">ตรวจสอบอีกครั้งว่าส่งรหัสแล้วหรือยัง</a>' in page
    assert outbox.messages(to=member.mobile) == []

    message = OutboundMessage.objects.get()
    assert deliver_message.call(message.pk) == "sent"  # the worker's turn
    page = client.get(VERIFY).content.decode()
    assert SENT in page and SENDING not in page


def test_acc_12_gateway_down_page_says_retrying_then_failed_send_again_keeps_cool_down(
    client, robot, member_factory, outbox, settings
):
    """ACC-12: Gateway down page says retrying then failed send again keeps cool down."""
    settings.OUTBOUND_MAX_ATTEMPTS = 2
    member = member_factory(verified=True)
    switch_sms(client, "down")
    start_reset(client, robot, member.national_id)
    choose(client, "sms")

    page = client.get(VERIFY).content.decode()
    assert RETRYING in page
    assert SENT not in page
    assert OutboundMessage.objects.get().status == "queued"

    assert run_due_attempt() == "failed"
    page = client.get(VERIFY).content.decode()
    assert FAILED in page
    assert "กรุณากด “ส่งอีกครั้ง”" in page
    assert SEND_AGAIN in page
    assert SENT not in page and CODE_FIELD not in page
    assert outbox.messages(to=member.mobile) == []

    # Within the resend cool-down "send again" is refused and nothing changes.
    switch_sms(client, "none")
    page = client.post(VERIFY, {"resend": "1"}).content.decode()
    assert "กรุณารอ" in page
    assert OneTimePassword.objects.count() == 1
    assert OutboundMessage.objects.count() == 1
    assert FAILED in page

    OneTimePassword.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    client.post(VERIFY, {"resend": "1"})
    page = client.get(VERIFY).content.decode()
    assert SENT in page and FAILED not in page
    assert OneTimePassword.objects.count() == 2
    assert sorted(OutboundMessage.objects.values_list("status", flat=True)) == ["failed", "sent"]
    [sms] = outbox.messages(to=member.mobile)
    assert OneTimePassword.objects.latest("pk").reference in sms.body


def test_acc_13_contact_page_says_sending_then_failed_then_sent(
    client, logged_in, outbox, settings
):
    """ACC-13: Contact page says sending then failed then sent."""
    settings.OUTBOUND_MAX_ATTEMPTS = 1
    url = "/accounts/settings/contact/mobile/"
    switch_sms(client, "down")
    client.post(url, {"mobile": "0891112222", "send": "1"})

    page = client.get(url).content.decode()
    assert "ขออภัย ไม่สามารถส่งรหัสไปที่ 0891112222 ได้" in page
    assert SEND_AGAIN in page
    assert "ส่งรหัสไปที่ 0891112222 แล้ว" not in page

    switch_sms(client, "none")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    OneTimePassword.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    client.post(url, {"resend": "1"})
    page = client.get(url).content.decode()
    assert "กำลังส่งรหัสไปที่ 0891112222" in page

    assert deliver_message.call(OutboundMessage.objects.latest("pk").pk) == "sent"
    page = client.get(url).content.decode()
    assert "ไม่สามารถ" not in page and "กำลังส่งรหัส" not in page
    assert outbox.last_code("0891112222")


@pytest.mark.usefixtures("queue_without_worker")
def test_acc_12_a_code_held_up_past_its_expiry_is_never_sent_and_the_page_offers_send_again(
    client, robot, member_factory, outbox
):
    """ACC-12: the message of a code expires with the code. A worker killed mid-send
    leaves it until the claim timeout, as long as the code lives: it is then failed, not
    sent useless, and the page says so with "Send again"."""
    member = member_factory(verified=True)
    start_reset(client, robot, member.national_id)
    choose(client, "sms")
    otp = OneTimePassword.objects.get()
    message = OutboundMessage.objects.get()
    assert message.expires_at == otp.expires_at

    OutboundMessage.objects.filter(pk=message.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(seconds=301)
    )
    OneTimePassword.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    OutboundMessage.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert deliver_message.call(message.pk) == "skipped"

    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "expired")
    assert outbox.messages(to=member.mobile) == []
    page = client.get(VERIFY).content.decode()
    assert FAILED in page and SEND_AGAIN in page


# --- sender names (ACC-12) ------------------------------------------------------------------


def test_acc_12_codes_take_the_manuals_two_sender_names_in_turn_notices_the_first(
    client, settings, member_factory, django_capture_on_commit_callbacks
):
    """ACC-12: one-time passwords go out under iIDS and i-ind in turn (the manual: two names
    used alternately for OTP), so a resent code comes under the other name; a notice goes
    under the first; the sandbox SMS inbox shows each message's sender."""
    from portal.accounts.services import otp_issue
    from portal.registries.tasks import queue_sms
    from portal.sandbox.models import OutboxMessage

    settings.OTP_RESEND_COOLDOWN_SECONDS = 0
    member = member_factory(verified=True)
    for _ in range(3):
        # Sent after the commit, by the immediate task backend.
        with django_capture_on_commit_callbacks(execute=True):
            otp_issue(
                member=member,
                purpose=OneTimePassword.Purpose.RESET_PASSWORD,
                channel=OneTimePassword.Channel.SMS,
                destination=member.mobile,
            )
    senders = list(OutboxMessage.objects.order_by("id").values_list("sender", flat=True))
    assert senders == ["iIDS", "i-ind", "iIDS"]
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms(to=member.mobile, body="notice")
    assert OutboxMessage.objects.order_by("-id").first().sender == "iIDS"
    page = client.get("/sandbox/outbox/", {"to": member.mobile}).content.decode()
    assert ">i-ind</td>" in page and ">iIDS</td>" in page


def test_acc_12_the_sender_names_are_settings(settings, member_factory):
    """ACC-12: the names are settings (a gateway may register them spelt otherwise)."""
    from portal.registries.messaging import check_sender, sms_sender

    settings.SMS_SENDER_OTP = ("IND-A", "IND-B")
    settings.SMS_SENDER_NOTICE = "IND-N"
    settings.SMS_SENDER_NAMES = ("IND-N", "IND-A", "IND-B")
    assert [sms_sender(otp_sequence=n) for n in range(3)] == ["IND-A", "IND-B", "IND-A"]
    assert sms_sender() == "IND-N" == check_sender("IND-N")
