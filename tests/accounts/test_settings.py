import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from portal.core.models import AuditEntry
from tests.accounts.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, robot, member_factory):
    member = member_factory(verified=True)
    login(client, robot, member.national_id)
    return member


def png_bytes(size=(600, 400), color="red", fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def test_acc_13_profile_and_privacy_are_saved_and_audited(client, logged_in):
    """ACC-13: Profile and privacy are saved and audited."""
    response = client.post(
        "/accounts/settings/",
        {
            "position": "ผู้จัดการโรงงาน",
            "line_id": "factoryboss",
            "facebook": "fb.com/boss",
            "instagram": "boss_ig",
            "contact_channel": "line",
            "share_mobile_with_co_members": "on",
        },
    )
    assert response.status_code == 302
    logged_in.refresh_from_db()
    assert logged_in.position == "ผู้จัดการโรงงาน"
    assert logged_in.contact_channel == "line"
    assert logged_in.share_mobile_with_co_members is True
    assert logged_in.share_email_with_co_members is False
    entry = AuditEntry.objects.get(action="member.profile")
    assert entry.after["position"] == "ผู้จัดการโรงงาน"
    assert entry.before["position"] == ""


def test_acc_13_line_contact_needs_a_line_id(client, logged_in):
    """ACC-13: Line contact needs a line ID."""
    response = client.post("/accounts/settings/", {"contact_channel": "line", "line_id": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    logged_in.refresh_from_db()
    assert logged_in.contact_channel == "mobile"


def test_acc_13_profile_picture_is_resized_and_private(client, logged_in):
    """ACC-13: Profile picture is resized and private."""
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post("/accounts/settings/avatar/", {"avatar": upload})
    assert response.status_code == 302
    picture = client.get("/accounts/settings/avatar.png")
    assert picture.status_code == 200
    image = Image.open(io.BytesIO(b"".join(picture.streaming_content)))
    assert image.size == (256, 256)
    assert Client().get("/accounts/settings/avatar.png").status_code == 302  # anonymous


def test_acc_13_picture_is_checked_by_content_not_name(client, logged_in):
    """ACC-13: Picture is checked by content not name."""
    fake = SimpleUploadedFile("me.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client.post("/accounts/settings/avatar/", {"avatar": fake})
    assert response.status_code == 400
    assert response.context["avatar_form"].errors["avatar"]
    logged_in.refresh_from_db()
    assert not logged_in.avatar


def test_acc_13_picture_larger_than_5_mb_is_refused(client, logged_in):
    """ACC-13: Picture larger than 5 mb is refused."""
    big = png_bytes() + b"\0" * (5 * 1024 * 1024)
    response = client.post(
        "/accounts/settings/avatar/", {"avatar": SimpleUploadedFile("big.png", big)}
    )
    assert response.status_code == 400
    assert response.context["avatar_form"].errors["avatar"]


def test_acc_13_new_mobile_counts_only_after_the_otp(client, logged_in, outbox):
    """ACC-13: New mobile counts only after the OTP."""
    old = logged_in.mobile
    client.post("/accounts/settings/contact/mobile/", {"mobile": "0891112222", "send": "1"})
    logged_in.refresh_from_db()
    assert logged_in.mobile == old  # not changed until verified
    code = outbox.last_code("0891112222")
    response = client.post("/accounts/settings/contact/mobile/", {"code": code, "verify": "1"})
    assert response.status_code == 302
    logged_in.refresh_from_db()
    assert logged_in.mobile == "0891112222" and logged_in.mobile_verified
    page = client.get("/accounts/settings/").content.decode()
    assert "badge-ok" in page


def test_acc_13_email_is_verified_by_code(client, logged_in, outbox):
    """ACC-13: Email is verified by code."""
    client.post("/accounts/settings/contact/email/", {"email": "New@Example.com", "send": "1"})
    code = outbox.last_code("new@example.com")
    client.post(
        "/accounts/settings/contact/email/",
        {"code": "000000" if code != "000000" else "111111", "verify": "1"},
    )
    logged_in.refresh_from_db()
    assert logged_in.email != "new@example.com"
    client.post("/accounts/settings/contact/email/", {"code": code, "verify": "1"})
    logged_in.refresh_from_db()
    assert logged_in.email == "new@example.com" and logged_in.email_verified


def verify_contact(client, outbox, kind, value):
    client.post(f"/accounts/settings/contact/{kind}/", {kind: value, "send": "1"})
    code = outbox.last_code(value.lower())
    return client.post(f"/accounts/settings/contact/{kind}/", {"code": code, "verify": "1"})


def test_acc_13_a_strangers_unverified_copy_does_not_block_the_owner(
    client, logged_in, member_factory, outbox
):
    """ACC-13: Issue 8: a stranger typed my number; I verify it, it is mine, their copy is cleared
    and nothing but my code went to the number."""
    stranger = member_factory(mobile="0893334444", mobile_verified_at=None)
    response = verify_contact(client, outbox, "mobile", "0893334444")
    assert response.status_code == 302
    logged_in.refresh_from_db()
    stranger.refresh_from_db()
    assert logged_in.mobile == "0893334444" and logged_in.mobile_verified
    assert stranger.mobile is None and stranger.mobile_verified_at is None
    assert len(outbox.messages(to="0893334444")) == 1  # the code, nothing else
    taken = AuditEntry.objects.get(action="member.mobile_taken_over")
    assert taken.target_id == str(stranger.pk) and taken.actor_id == logged_in.pk
    assert taken.before == {"mobile": "0893334444", "verified": False}


def test_acc_13_a_recycled_number_moves_and_its_former_holder_is_told(
    client, logged_in, member_factory, outbox
):
    """ACC-13: The number a member once verified now reaches someone else, who verifies it: the
    former holder loses it and is told by email, never on the number itself."""
    former = member_factory(mobile="0895556666", verified=True)
    assert verify_contact(client, outbox, "mobile", "0895556666").status_code == 302
    former.refresh_from_db()
    logged_in.refresh_from_db()
    assert former.mobile is None and former.mobile_verified_at is None
    assert former.email_verified  # the other channel stays
    assert logged_in.mobile == "0895556666" and logged_in.mobile_verified
    notice = outbox.messages(to=former.email)
    assert len(notice) == 1 and "089-xxx-6666" in notice[0].body
    assert len(outbox.messages(to="0895556666")) == 1  # only the new holder's code


def test_acc_13_an_email_verified_by_another_member_moves_without_case_mattering(
    client, logged_in, member_factory, outbox
):
    """ACC-13: An email verified by another member moves without case mattering."""
    former = member_factory(email="Shared@Example.com", verified=True)
    assert verify_contact(client, outbox, "email", "shared@example.COM").status_code == 302
    former.refresh_from_db()
    assert former.email is None and former.email_verified_at is None
    assert len(outbox.messages(to=former.mobile)) == 1  # told by SMS


def test_acc_13_a_wrong_code_takes_nothing_over(client, logged_in, member_factory, outbox):
    """ACC-13: A wrong code takes nothing over."""
    former = member_factory(mobile="0897778888", verified=True)
    client.post("/accounts/settings/contact/mobile/", {"mobile": "0897778888", "send": "1"})
    code = outbox.last_code("0897778888")
    wrong = "000000" if code != "000000" else "111111"
    client.post("/accounts/settings/contact/mobile/", {"code": wrong, "verify": "1"})
    former.refresh_from_db()
    assert former.mobile == "0897778888" and former.mobile_verified
    assert not AuditEntry.objects.filter(action="member.mobile_taken_over").exists()
    assert outbox.messages(to=former.email) == []


def test_acc_13_bad_mobile_keeps_what_was_typed(client, logged_in):
    """ACC-13: Bad mobile keeps what was typed."""
    response = client.post("/accounts/settings/contact/mobile/", {"mobile": "12345", "send": "1"})
    assert response.context["entry_form"].errors["mobile"]
    assert 'value="12345"' in response.content.decode()


def test_acc_14_change_password_needs_the_current_one(client, logged_in):
    """ACC-14: Change password needs the current one."""
    response = client.post(
        "/accounts/settings/password/",
        {
            "current_password": "Wrong@2024x",
            "password1": "NewPass#2569",
            "password2": "NewPass#2569",
        },
    )
    assert response.context["form"].errors["current_password"]
    logged_in.refresh_from_db()
    assert logged_in.check_password("iindustrY@2024")


def test_acc_14_change_password_keeps_this_session_and_ends_the_others(client, robot, logged_in):
    """ACC-14: Change password keeps this session and ends the others."""
    other = Client()
    login(other, robot, logged_in.national_id)
    response = client.post(
        "/accounts/settings/password/",
        {
            "current_password": "iindustrY@2024",
            "password1": "NewPass#2569",
            "password2": "NewPass#2569",
        },
    )
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200
    assert other.get("/accounts/settings/").status_code == 302
    assert AuditEntry.objects.filter(action="member.password_change").count() == 1


def test_acc_14_new_password_follows_the_policy(client, logged_in):
    """ACC-14: New password follows the policy."""
    response = client.post(
        "/accounts/settings/password/",
        {"current_password": "iindustrY@2024", "password1": "short", "password2": "short"},
    )
    assert response.context["form"].errors["password1"]


def test_acc_17_settings_cannot_change_identity(client, logged_in):
    """ACC-17: Settings cannot change identity."""
    before = (
        logged_in.pid_hash,
        logged_in.first_name,
        logged_in.last_name,
        logged_in.birth_year_be,
    )
    client.post(
        "/accounts/settings/",
        {
            "position": "x",
            "contact_channel": "mobile",
            "first_name": "อื่น",
            "last_name": "อื่น",
            "pid_hash": "0" * 64,
            "birth_year_be": "2500",
        },
    )
    logged_in.refresh_from_db()
    assert (
        logged_in.pid_hash,
        logged_in.first_name,
        logged_in.last_name,
        logged_in.birth_year_be,
    ) == before


def test_settings_need_login(client):
    for url in [
        "/accounts/settings/",
        "/accounts/settings/password/",
        "/accounts/settings/close/",
        "/accounts/settings/contact/mobile/",
        "/accounts/settings/name-change/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_acc_04_consents_can_be_withdrawn_and_given_again_in_settings(client, logged_in):
    """ACC-04: Consents can be withdrawn and given again in settings."""
    from portal.accounts.models import ConsentDocument, ConsentRecord

    documents = list(ConsentDocument.objects.filter(kind="pdpa").order_by("order"))
    page = client.get("/accounts/settings/consents/")
    assert page.context["form"].initial[f"consent_{documents[0].pk}"] == "yes"
    answers = {f"consent_{d.pk}": "yes" for d in documents}
    answers[f"consent_{documents[0].pk}"] = "no"
    assert client.post("/accounts/settings/consents/", answers).status_code == 302
    latest = ConsentRecord.objects.filter(member=logged_in, document=documents[0]).latest("id")
    assert (latest.granted, latest.channel) == (False, "settings")
    # Only the changed answer was recorded; the history of choices stays.
    assert ConsentRecord.objects.filter(member=logged_in, channel="settings").count() == 1
    assert ConsentRecord.objects.filter(member=logged_in, document=documents[0]).count() == 2
    entry = AuditEntry.objects.get(action="member.consent")
    assert entry.after == {str(documents[0].pk): False}
