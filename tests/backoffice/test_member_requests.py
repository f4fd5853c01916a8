import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.accounts.models import Member, MemberRequest
from portal.core.models import AuditEntry
from portal.core.thaiid import pid_hash
from portal.registries.failures import failure_set
from tests.accounts.helpers import login
from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def citizen_member(world, robot):
    """A member whose registry record says their name is now different (a name change)."""
    citizen = world.add_citizen(first_name_th="มาลี", last_name_th="ใหม่สกุล")
    member = MemberFactory(pid=citizen["pid"], first_name="มาลี", last_name="เดิมสกุล", verified=True)
    return member, citizen


def file_name_change(client, robot, member, first="มาลี", last="ใหม่สกุล"):
    login(client, robot, member.national_id)
    return client.post(
        "/accounts/settings/name-change/",
        {"first_name": first, "last_name": last, "evidence": pdf()},
    )


def test_acc_16_name_change_is_approved_by_an_officer_from_the_registry(
    client, robot, citizen_member, officer_factory, outbox
):
    """ACC-16: Name change is approved by an officer from the registry."""
    member, _citizen = citizen_member
    assert file_name_change(client, robot, member).status_code == 302
    filed = MemberRequest.objects.get()
    assert filed.status == "pending" and filed.evidence
    officer = officer_factory()
    oc = signed_in(robot, officer)
    queue = oc.get("/backoffice/member-requests/?kind=name_change")
    assert filed in list(queue.context["pending"])
    evidence = oc.get(f"/backoffice/member-requests/{filed.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    response = oc.post(
        f"/backoffice/member-requests/{filed.pk}/", {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "ใหม่สกุล"
    filed.refresh_from_db()
    assert filed.status == "approved" and filed.decided_by == officer
    entry = AuditEntry.objects.get(action="member.name_change")
    assert entry.actor == officer and entry.actor_role == "officer"
    assert entry.before["last_name"] == "เดิมสกุล" and entry.after["last_name"] == "ใหม่สกุล"
    assert outbox.messages(to=member.mobile)


def test_acc_16_a_name_not_on_the_current_card_cannot_be_approved(
    client, robot, citizen_member, officer_factory
):
    """ACC-16: A name not on the current card cannot be approved."""
    member, _ = citizen_member
    file_name_change(client, robot, member, last="สกุลอื่น")
    filed = MemberRequest.objects.get()
    oc = signed_in(robot, officer_factory())
    response = oc.post(f"/backoffice/member-requests/{filed.pk}/", {"decision": "approve"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.last_name == "เดิมสกุล"
    assert MemberRequest.objects.get().status == "pending"


def test_acc_16_rejection_needs_a_reason_and_tells_the_member(
    client, robot, citizen_member, officer_factory, outbox
):
    """ACC-16: Rejection needs a reason and tells the member."""
    member, _ = citizen_member
    file_name_change(client, robot, member)
    filed = MemberRequest.objects.get()
    oc = signed_in(robot, officer_factory())
    response = oc.post(
        f"/backoffice/member-requests/{filed.pk}/", {"decision": "reject", "note": ""}
    )
    assert response.context["form"].errors["note"]
    oc.post(
        f"/backoffice/member-requests/{filed.pk}/", {"decision": "reject", "note": "เอกสารไม่ชัด"}
    )
    filed.refresh_from_db()
    assert filed.status == "rejected"
    assert any("เอกสารไม่ชัด" in m.body for m in outbox.messages(to=member.mobile))


def test_acc_16_evidence_is_checked_by_content(client, robot, citizen_member):
    """ACC-16: Evidence is checked by content."""
    member, _ = citizen_member
    login(client, robot, member.national_id)
    fake = SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00 executable", content_type="application/pdf"
    )
    response = client.post(
        "/accounts/settings/name-change/", {"first_name": "ก", "last_name": "ข", "evidence": fake}
    )
    assert response.context["form"].errors["evidence"]
    assert MemberRequest.objects.count() == 0


def test_acc_16_registry_down_changes_nothing(client, robot, citizen_member, officer_factory):
    """ACC-16: Registry down changes nothing."""
    member, _ = citizen_member
    file_name_change(client, robot, member)
    filed = MemberRequest.objects.get()
    oc = signed_in(robot, officer_factory())
    failure_set("dopa", "down")
    try:
        response = oc.post(f"/backoffice/member-requests/{filed.pk}/", {"decision": "approve"})
    finally:
        failure_set("dopa", None)
    assert response.status_code == 200
    assert MemberRequest.objects.get().status == "pending"


def test_acc_15_closed_account_is_reopened_by_an_officer_on_request(
    client, robot, world, officer_factory, outbox
):
    """ACC-15: Closed account is reopened by an officer on request."""
    from tests.accounts.helpers import register

    citizen = world.add_citizen(birth_day=None, birth_month=None, birth_year_be=2490)
    register(client, citizen)
    login(client, robot, citizen["pid"])
    client.post(
        "/accounts/settings/close/",
        {"reason": "other", "password": "iindustrY@2024", "confirm": "on"},
    )
    visitor = Client()
    data = {
        "national_id": citizen["pid"],
        "first_name": citizen["first_name_th"],
        "last_name": citizen["last_name_th"],
        "birth_day": "0",
        "birth_month": "0",
        "birth_year_be": "2490",
        "mobile": "0865550000",
        "email": "",
        "reason": "ต้องการใช้งานอีกครั้ง",
        "evidence": pdf(),
        "robot": robot(visitor),
    }
    assert visitor.post("/accounts/reopen/", data).status_code == 200
    filed = MemberRequest.objects.get(kind="reopen")
    oc = signed_in(robot, officer_factory())
    oc.post(f"/backoffice/member-requests/{filed.pk}/", {"decision": "approve", "note": ""})
    member = Member.objects.get(pid_hash=pid_hash(citizen["pid"]))
    assert member.status == "active" and member.first_name == citizen["first_name_th"]
    assert member.national_id == citizen["pid"]
    assert member.mobile == "0865550000" and not member.mobile_verified
    assert outbox.messages(to="0865550000") == []  # not verified: only codes go there
    # The member sets a password through "forgot password" with the date of birth.
    fresh = Client()
    fresh.post("/accounts/reset/", {"national_id": citizen["pid"], "robot": robot(fresh)})
    fresh.post("/accounts/reset/channel/", {"channel": "birth_date"})
    fresh.post("/accounts/reset/birth-date/", {"birth_date": "00002490"})
    fresh.post(
        "/accounts/reset/password/", {"password1": "Again#2569x", "password2": "Again#2569x"}
    )
    assert login(fresh, robot, citizen["pid"], password="Again#2569x").status_code == 302


def test_acc_15_reopen_form_reveals_nothing_about_unknown_ids(robot, world):
    """ACC-15: Reopen form reveals nothing about unknown IDs."""
    citizen = world.add_citizen()
    visitor = Client()
    data = {
        "national_id": citizen["pid"],
        "first_name": "ก",
        "last_name": "ข",
        "birth_day": "1",
        "birth_month": "1",
        "birth_year_be": "2500",
        "mobile": "0865550001",
        "email": "",
        "reason": "x",
        "evidence": pdf(),
        "robot": robot(visitor),
    }
    response = visitor.post("/accounts/reopen/", data)
    assert response.status_code == 200
    assert MemberRequest.objects.count() == 0


# --- permissions (ADM-01, ADM-03) ----------------------------------------------------------


@pytest.fixture
def filed_request(client, robot, citizen_member):
    member, _ = citizen_member
    file_name_change(client, robot, member)
    client.post("/accounts/logout/")
    return MemberRequest.objects.get()


BACKOFFICE_URLS = [
    "/backoffice/member-requests/",
    "/backoffice/member-requests/{pk}/",
    "/backoffice/member-requests/{pk}/evidence/",
]


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_adm_01_anonymous_is_sent_to_login(filed_request, url):
    """ADM-01: Anonymous is sent to login."""
    response = Client().get(url.format(pk=filed_request.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_adm_01_a_member_who_is_not_an_officer_gets_404(filed_request, robot, member_factory, url):
    """ADM-01: A member who is not an officer gets 404."""
    c = signed_in(robot, member_factory())
    assert c.get(url.format(pk=filed_request.pk)).status_code == 404


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_adm_01_officer_without_the_permission_gets_404(filed_request, robot, officer_factory, url):
    """ADM-01: Officer without the permission gets 404."""
    officer = officer_factory(agency="DIW", permissions=())
    c = signed_in(robot, officer)
    assert c.get(url.format(pk=filed_request.pk)).status_code == 404
    assert c.get("/backoffice/").status_code == 200


def test_adm_02_officer_without_permission_cannot_decide(filed_request, robot, officer_factory):
    """ADM-02: Officer without permission cannot decide."""
    officer = officer_factory(agency="DIW", permissions=())
    c = signed_in(robot, officer)
    response = c.post(f"/backoffice/member-requests/{filed_request.pk}/", {"decision": "approve"})
    assert response.status_code == 404
    filed_request.refresh_from_db()
    assert filed_request.status == "pending"
    assert not AuditEntry.objects.filter(actor=officer, action__startswith="request.").exists()


def test_adm_03_decision_is_audited_with_before_and_after(filed_request, robot, officer_factory):
    """ADM-03: Decision is audited with before and after."""
    officer = officer_factory()
    c = signed_in(robot, officer)
    c.post(
        f"/backoffice/member-requests/{filed_request.pk}/", {"decision": "reject", "note": "ไม่ครบ"}
    )
    entry = AuditEntry.objects.get(action="request.rejected")
    assert entry.actor == officer
    assert entry.before == {"status": "pending"}
    assert entry.after == {"status": "rejected", "note": "ไม่ครบ"}
    assert entry.ip_address == "127.0.0.1"


def test_member_sees_only_their_own_evidence(filed_request, robot, member_factory):
    owner = filed_request.member
    c = signed_in(robot, owner)
    assert c.get(f"/accounts/requests/{filed_request.pk}/evidence/").status_code == 200
    stranger = signed_in(robot, member_factory())
    assert stranger.get(f"/accounts/requests/{filed_request.pk}/evidence/").status_code == 404
    assert Client().get(f"/accounts/requests/{filed_request.pk}/evidence/").status_code == 302


def test_decision_twice_is_refused(filed_request, robot, officer_factory):
    c = signed_in(robot, officer_factory())
    c.post(f"/backoffice/member-requests/{filed_request.pk}/", {"decision": "reject", "note": "x"})
    response = c.post(f"/backoffice/member-requests/{filed_request.pk}/", {"decision": "approve"})
    assert response.status_code == 200
    filed_request.refresh_from_db()
    assert filed_request.status == "rejected"
