"""A claim that is not verified (pending or rejected) sees no co-holders and changes no shared
contacts (BIZ-08, BIZ-09); a typed name stays on the claim until an officer decides (BIZ-06,
SSO-02)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.backoffice.services import officer_appoint
from portal.core.models import AuditEntry
from portal.operators import selectors, services
from portal.operators.models import Business, Holding
from portal.operators.services import OperatorError
from tests.backoffice.helpers import signed_in
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.operators.helpers import PDF, add_by_document, co_holder

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_business():
    """A business with a verified holder whose contacts are set."""
    business = BusinessFactory(
        name_th="บริษัท ร่วมกัน จำกัด",
        email="office@example.co.th",
        contact_person_name="คุณสมศรี",
    )
    return HoldingFactory(member=MemberFactory(verified=True), business=business)


def claim(business, status):
    return HoldingFactory(
        member=MemberFactory(), business=business, proof=Holding.Proof.DOCUMENT, status=status
    )


@pytest.mark.parametrize("status", ["not_verified", "rejected"])
def test_biz_09_an_unverified_claim_sees_no_co_holders(verified_business, status):
    """BIZ-09: An unverified claim sees no co holders."""
    mine = claim(verified_business.business, status)
    assert list(selectors.co_holders_seen_by(holding=mine)) == []
    assert list(selectors.co_holders_seen_by(holding=verified_business)) == [
        verified_business,
        mine,
    ]


@pytest.mark.parametrize("status", ["not_verified", "rejected"])
def test_biz_08_an_unverified_claim_cannot_change_the_shared_contacts(verified_business, status):
    """BIZ-08: An unverified claim cannot change the shared contacts."""
    mine = claim(verified_business.business, status)
    with pytest.raises(OperatorError) as refused:
        services.business_update_contacts(
            member=mine.member,
            holding_id=mine.pk,
            data={"email": "thief@example.com", "contact_person_name": "คนอื่น"},
        )
    assert refused.value.code == "not_verified"
    business = Business.objects.get(pk=verified_business.business_id)
    assert (business.email, business.contact_person_name) == (
        "office@example.co.th",
        "คุณสมศรี",
    )
    assert not AuditEntry.objects.filter(action="business.contacts").exists()


@pytest.mark.parametrize("status", ["not_verified", "rejected"])
def test_biz_09_the_page_of_an_unverified_claim_shows_no_one_and_takes_no_post(
    verified_business, robot, status
):
    """BIZ-09: The page of an unverified claim shows no one and takes no post."""
    mine = claim(verified_business.business, status)
    client = signed_in(robot, mine.member)
    page = client.get(f"/businesses/{mine.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert verified_business.member.display_name not in html
    assert "office@example.co.th" not in html
    assert "holders" not in page.context and "form" not in page.context
    posted = client.post(
        f"/businesses/{mine.pk}/",
        {"email": "thief@example.com", "contact_address_same": "on", "latitude": "13.7"},
    )
    assert posted.status_code == 403
    business = Business.objects.get(pk=verified_business.business_id)
    assert (business.email, business.latitude) == ("office@example.co.th", None)
    removal = client.get(f"/businesses/{mine.pk}/holders/{verified_business.pk}/removal/")
    assert removal.status_code == 404


def test_biz_09_a_verified_holder_still_sees_everyone(verified_business, robot):
    """BIZ-09: A verified holder still sees everyone."""
    other = co_holder(verified_business.business)
    page = signed_in(robot, verified_business.member).get(f"/businesses/{verified_business.pk}/")
    assert [h.pk for h in page.context["holders"]] == [verified_business.pk, other.pk]


def test_biz_06_sso_02_a_typed_name_stays_on_the_claim_until_an_officer_decides():
    """BIZ-06, SSO-02: A typed name stays on the claim until an officer decides."""
    first = add_by_document(member=MemberFactory(), name_th="ชื่อที่คนแรกพิมพ์", kind="other")
    business = first.business
    assert (business.name_th, first.claimed_name_th) == ("", "ชื่อที่คนแรกพิมพ์")
    assert first.business_name == "ชื่อที่คนแรกพิมพ์"
    second = services.business_add_by_document(
        member=MemberFactory(),
        kind="other",
        tax_id=business.registry_key.split(":")[0],
        name_th="ชื่อที่คนที่สองพิมพ์",
        document=SimpleUploadedFile("doc.pdf", PDF),
        extension="pdf",
        document_kind="other",
    )
    assert second.business_id == business.pk
    assert second.business_name == "ชื่อที่คนที่สองพิมพ์"
    business.refresh_from_db()
    assert business.name_th == ""  # what other members and connected systems see
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(member=officer, agency="OPS", permissions=["operators.verify_holding"])
    officer = type(officer).objects.get(pk=officer.pk)
    services.holding_decide(officer=officer, holding_id=second.pk, approve=True)
    business.refresh_from_db()
    assert business.name_th == "ชื่อที่คนที่สองพิมพ์"
    first.refresh_from_db()
    assert first.business_name == "ชื่อที่คนที่สองพิมพ์"  # the decided name, for everyone
    services.holding_decide(officer=officer, holding_id=first.pk, approve=True)
    business.refresh_from_db()
    assert business.name_th == "ชื่อที่คนที่สองพิมพ์"  # a later verification renames nothing


@pytest.mark.parametrize("status", ["not_verified", "rejected"])
def test_biz_08_sso_09_an_unverified_claim_neither_sees_nor_confirms_registry_changes(
    verified_business, status, world
):
    """BIZ-08, SSO-09: a pending or rejected claimant is not shown the business's registry
    changes and cannot make the business follow DBD; the verified holder can."""
    from portal.operators.models import RegistryChange

    business = verified_business.business
    world.add_juristic_person(
        directors=[], juristic_id=business.registry_key, name_th="บริษัท ชื่อใหม่ จำกัด"
    )
    claimant = claim(business, status).member
    assert services.registry_changes_find(member_id=claimant.pk) == 0
    assert services.registry_changes_find(member_id=verified_business.member_id) == 3
    assert set(RegistryChange.objects.values_list("field", flat=True)) == {
        "name_th",
        "name_en",
        "address",
    }
    assert list(selectors.registry_changes_for(member=claimant)) == []
    with pytest.raises(OperatorError) as refused:
        services.business_registry_refresh(member=claimant, business_id=business.pk)
    assert refused.value.code == "not_held"
    business.refresh_from_db()
    assert business.name_th == "บริษัท ร่วมกัน จำกัด"
    assert RegistryChange.objects.filter(business=business).count() == 3
    services.business_registry_refresh(member=verified_business.member, business_id=business.pk)
    business.refresh_from_db()
    assert business.name_th == "บริษัท ชื่อใหม่ จำกัด"
