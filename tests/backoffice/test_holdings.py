import pytest
from django.test import Client

from portal.core.models import AuditEntry
from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory
from tests.operators.helpers import PDF, add_by_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    return add_by_document(member=MemberFactory(verified=True), name_th="สหกรณ์ทดสอบ จำกัด")


def test_adm_02_biz_06_officer_verifies_a_business_and_the_member_is_told(
    pending, robot, officer_factory, outbox
):
    """ADM-02, BIZ-06: Officer verifies a business and the member is told."""
    officer = officer_factory(permissions=["operators.verify_holding"])
    desk = signed_in(robot, officer)
    queue = desk.get("/backoffice/businesses/")
    assert list(queue.context["pending"]) == [pending]
    page = desk.get(f"/backoffice/businesses/{pending.pk}/")
    document = page.context["documents"][0]
    evidence = desk.get(f"/backoffice/businesses/{pending.pk}/documents/{document.pk}/")
    assert b"".join(evidence.streaming_content) == PDF
    response = desk.post(f"/backoffice/businesses/{pending.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "verified" and pending.decided_by == officer
    member = pending.member
    assert [m.channel for m in outbox.messages(to=member.mobile)] == ["sms"]
    assert [m.channel for m in outbox.messages(to=member.email)] == ["email"]
    assert AuditEntry.objects.filter(action="holding.verified", actor=officer).count() == 1


def test_adm_02_rejection_needs_a_reason(pending, robot, officer_factory):
    """ADM-02: Rejection needs a reason."""
    desk = signed_in(robot, officer_factory(permissions=["operators.verify_holding"]))
    response = desk.post(
        f"/backoffice/businesses/{pending.pk}/", {"decision": "reject", "reason": ""}
    )
    assert response.context["form"].errors["reason"]
    desk.post(
        f"/backoffice/businesses/{pending.pk}/",
        {"decision": "reject", "reason": "ไม่ใช่เอกสารกรมสรรพากร"},
    )
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.rejection_reason == "ไม่ใช่เอกสารกรมสรรพากร"


URLS = [
    "/backoffice/businesses/",
    "/backoffice/businesses/{pk}/",
    "/backoffice/businesses/{pk}/documents/{doc}/",
]


@pytest.mark.parametrize("url", URLS)
def test_adm_01_only_officers_with_the_permission_see_the_queue(
    pending, robot, officer_factory, url
):
    """ADM-01: Only officers with the permission see the queue."""
    document = pending.documents.get()
    address = url.format(pk=pending.pk, doc=document.pk)
    assert Client().get(address).status_code == 302
    assert signed_in(robot, MemberFactory()).get(address).status_code == 404
    assert (
        signed_in(robot, officer_factory(agency="TISI", permissions=())).get(address).status_code
        == 404
    )
    assert (
        signed_in(robot, officer_factory(permissions=["operators.verify_holding"]))
        .get(address)
        .status_code
        == 200
    )


def test_adm_02_officer_without_permission_cannot_decide(pending, robot, officer_factory):
    """ADM-02: Officer without permission cannot decide."""
    desk = signed_in(robot, officer_factory(agency="TISI", permissions=()))
    assert (
        desk.post(f"/backoffice/businesses/{pending.pk}/", {"decision": "approve"}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.status == "not_verified"


def test_adm_01_an_officer_of_another_agency_sees_no_business_queue_even_with_the_permission(
    pending, robot, officer_factory
):
    """ADM-01: An officer of another agency sees no business queue even with the permission."""
    desk = signed_in(robot, officer_factory(agency="DIW", permissions=["operators.verify_holding"]))
    assert desk.get("/backoffice/businesses/").status_code == 404
    assert desk.get(f"/backoffice/businesses/{pending.pk}/").status_code == 404
    assert "/backoffice/businesses/" not in desk.get("/backoffice/").content.decode()
