import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core.models import AuditEntry
from portal.operators import services
from portal.operators.models import HolderRemovalRequest
from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory
from tests.operators.helpers import PDF, co_holder

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_business():
    owner = MemberFactory()
    own = services.business_add_myself(member=owner)
    leaver = MemberFactory()
    theirs = co_holder(own.business, leaver)
    return owner, own, leaver, theirs


def test_adm_02_member_taken_off_a_business_on_a_directors_letter(
    shared_business, robot, officer_factory
):
    """ADM-02: Member taken off a business on a directors letter."""
    owner, own, _leaver, theirs = shared_business
    member_client = signed_in(robot, owner)
    url = f"/businesses/{own.pk}/holders/{theirs.pk}/removal/"
    bad = member_client.post(
        url, {"reason": "", "letter": SimpleUploadedFile("l.pdf", b"not a pdf")}
    )
    assert {"reason", "letter"} <= set(bad.context["form"].errors)
    response = member_client.post(
        url, {"reason": "ลาออกแล้ว", "letter": SimpleUploadedFile("letter.pdf", PDF)}
    )
    assert response.status_code == 302
    filed = HolderRemovalRequest.objects.get()
    officer = officer_factory(permissions=["operators.verify_holding"])
    desk = signed_in(robot, officer)
    assert list(desk.get("/backoffice/removals/").context["pending"]) == [filed]
    letter = desk.get(f"/backoffice/removals/{filed.pk}/letter/")
    assert b"".join(letter.streaming_content) == PDF
    desk.post(f"/backoffice/removals/{filed.pk}/", {"decision": "approve", "note": ""})
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.removed_at is not None and own.removed_at is None
    assert AuditEntry.objects.get(action="holder_removal.approved").actor == officer


def test_adm_02_only_holders_of_the_business_may_ask(shared_business, robot):
    """ADM-02: Only holders of the business may ask."""
    _owner, own, _leaver, theirs = shared_business
    stranger = signed_in(robot, MemberFactory())
    assert stranger.get(f"/businesses/{own.pk}/holders/{theirs.pk}/removal/").status_code == 404
    assert HolderRemovalRequest.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["/backoffice/removals/", "/backoffice/removals/{pk}/", "/backoffice/removals/{pk}/letter/"],
)
def test_adm_01_removal_queue_needs_the_permission(shared_business, robot, officer_factory, url):
    """ADM-01: Removal queue needs the permission."""
    owner, own, _leaver, theirs = shared_business
    filed = services.holder_removal_request_file(
        member=owner,
        holding_id=own.pk,
        target_holding_id=theirs.pk,
        reason="x",
        letter=SimpleUploadedFile("letter.pdf", PDF),
        extension="pdf",
    )
    address = url.format(pk=filed.pk)
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
