import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.backoffice.services import officer_appoint
from portal.core.acting import system_acting
from portal.core.models import AuditEntry
from portal.operators import selectors, services
from portal.operators.models import Business, BusinessDocument, Holding
from portal.operators.services import OperatorError
from portal.registries.base import RegistryUnavailable
from portal.registries.failures import failure_set
from tests.factories import MemberFactory, make_tax_id
from tests.operators.helpers import PDF, add_by_document, co_holder

pytestmark = pytest.mark.django_db


def test_biz_02_myself_needs_no_input_and_is_verified():
    """BIZ-02: Myself needs no input and is verified."""
    member = MemberFactory()
    holding = services.business_add_myself(member=member)
    assert holding.status == "verified" and holding.proof == "self"
    assert holding.business.kind == "natural_person"
    assert member.display_name in holding.business.name_th
    assert holding.business.masked_registry_id == member.masked_national_id
    with pytest.raises(OperatorError) as error:
        services.business_add_myself(member=member)
    assert error.value.code == "already_held"


def test_biz_02_another_person_by_id_and_laser_code(world):
    """BIZ-02: Another person by ID and laser code."""
    citizen = world.add_citizen(laser_code="JT0-1234567-89", first_name_th="บุญมี")
    member = MemberFactory()
    holding = services.business_add_natural_person(
        member=member, pid=citizen["pid"], laser_code="jt012345678 9"
    )
    assert holding.status == "verified" and holding.proof == "id_card"
    assert "บุญมี" in holding.business.name_th


@pytest.mark.parametrize(
    ("card", "code"),
    [
        ({"card_status": "expired"}, "card_not_current"),
        ({"card_status": "lost"}, "card_not_current"),
        ({"card_status": "revoked"}, "card_not_current"),
        ({"card_expiry": "2020-01-01"}, "card_not_current"),
    ],
)
def test_biz_02_the_card_must_be_current(world, card, code):
    """BIZ-02: The card must be current."""
    citizen = world.add_citizen(laser_code="JT0-1234567-89", **card)
    with pytest.raises(OperatorError) as error:
        services.business_add_natural_person(
            member=MemberFactory(), pid=citizen["pid"], laser_code="JT0-1234567-89"
        )
    assert error.value.code == code
    assert Business.objects.count() == 0


def test_biz_02_wrong_laser_code_is_refused(world):
    """BIZ-02: Wrong laser code is refused."""
    citizen = world.add_citizen(laser_code="JT0-1234567-89")
    with pytest.raises(OperatorError) as error:
        services.business_add_natural_person(
            member=MemberFactory(), pid=citizen["pid"], laser_code="JT0-1234567-88"
        )
    assert error.value.code == "card_mismatch"


def test_biz_02_registry_down_stores_nothing(world):
    """BIZ-02: Registry down stores nothing."""
    citizen = world.add_citizen()
    failure_set("dopa", "down")
    try:
        with pytest.raises(RegistryUnavailable):
            services.business_add_natural_person(
                member=MemberFactory(), pid=citizen["pid"], laser_code="JT0-1234567-89"
            )
    finally:
        failure_set("dopa", None)
    assert Business.objects.count() == 0 and Holding.objects.count() == 0


def test_biz_03_trade_name_is_kept_when_chosen():
    """BIZ-03: Trade name is kept when chosen."""
    member = MemberFactory()
    holding = services.business_add_myself(member=member, trade_name_th="ร้านสมชายการช่าง")
    assert holding.business.display_name == "ร้านสมชายการช่าง"


_tax_id = make_tax_id


def test_biz_06_other_law_by_0994_tax_id_and_document_is_not_verified():
    """BIZ-06: Other law by 0994 tax ID and document is not verified."""
    member = MemberFactory()
    holding = services.business_add_by_document(
        member=member,
        kind="other_law",
        tax_id=_tax_id(),
        name_th="สหกรณ์การเกษตรทดสอบ",
        document=SimpleUploadedFile("pp20.pdf", PDF),
        extension="pdf",
        document_kind="rd_document",
    )
    assert holding.status == "not_verified" and holding.proof == "document"
    document = BusinessDocument.objects.get(holding=holding)
    assert document.content_type == "application/pdf"
    assert document.file.read() == PDF


def test_biz_06_tax_id_must_begin_with_0994():
    """BIZ-06: Tax ID must begin with 0994."""
    with pytest.raises(OperatorError) as error:
        services.business_add_by_document(
            member=MemberFactory(),
            kind="other_law",
            tax_id=_tax_id("0105"),
            name_th="บริษัท",
            document=SimpleUploadedFile("pp20.pdf", PDF),
            extension="pdf",
            document_kind="rd_document",
        )
    assert error.value.code == "not_0994"
    assert Holding.objects.count() == 0


@pytest.mark.parametrize("kind", ["group_of_persons", "other"])
def test_sso_02_groups_of_persons_and_others_are_added_by_document(kind):
    """SSO-02: Groups of persons and others are added by document."""
    holding = services.business_add_by_document(
        member=MemberFactory(),
        kind=kind,
        tax_id=_tax_id("3101"),
        name_th="คณะบุคคลทดสอบ",
        document=SimpleUploadedFile("doc.pdf", PDF),
        extension="pdf",
        document_kind="other",
    )
    assert holding.status == "not_verified"


def test_biz_09_biz_11_every_holder_is_listed_without_limit():
    """BIZ-09, BIZ-11: Every holder is listed without limit."""
    first = MemberFactory()
    owner = services.business_add_myself(member=first).business
    others = [MemberFactory() for _ in range(5)]
    for other in others:
        with transaction.atomic():
            co_holder(owner, other)
    holders = list(selectors.business_holders(business=owner))
    assert [h.member for h in holders] == [first, *others]


def test_biz_10_removing_ends_only_this_members_holding():
    """BIZ-10: Removing ends only this members holding."""
    first, second = MemberFactory(), MemberFactory()
    holding = services.business_add_myself(member=first)
    co_holder(holding.business, second)
    services.holding_remove(member=first, holding_id=holding.pk)
    assert list(selectors.member_holdings(member=first)) == []
    assert [h.member for h in selectors.business_holders(business=holding.business)] == [second]
    assert Business.objects.filter(pk=holding.business.pk).exists()
    assert AuditEntry.objects.filter(action="business.remove").count() == 1
    # It can be added again later (a member who comes back to the company).
    services.business_add_myself(member=first)


def test_biz_10_another_members_holding_cannot_be_removed():
    """BIZ-10: Another members holding cannot be removed."""
    holding = services.business_add_myself(member=MemberFactory())
    with pytest.raises(OperatorError):
        services.holding_remove(member=MemberFactory(), holding_id=holding.pk)
    holding.refresh_from_db()
    assert holding.removed_at is None


def test_adm_02_officer_verifies_or_rejects_with_reason():
    """ADM-02: Officer verifies or rejects with reason."""
    holding = add_by_document(member=MemberFactory(), name_th="องค์การทดสอบ")
    officer = MemberFactory()
    with pytest.raises(PermissionError):
        services.holding_decide(officer=officer, holding_id=holding.pk, approve=True)
    with transaction.atomic():
        officer_appoint(member=officer, agency="OPS", permissions=["operators.verify_holding"])
    officer = type(officer).objects.get(pk=officer.pk)  # fresh permission cache
    queue = selectors.holdings_awaiting_verification(acting=system_acting(actor=officer))
    assert list(queue) == [holding]
    with pytest.raises(OperatorError):
        services.holding_decide(officer=officer, holding_id=holding.pk, approve=False)
    decided = services.holding_decide(
        officer=officer, holding_id=holding.pk, approve=False, reason="เอกสารไม่แสดงเลขผู้เสียภาษี"
    )
    assert decided.status == "rejected" and decided.decided_by == officer
    entry = AuditEntry.objects.get(action="holding.rejected")
    assert entry.before == {"status": "not_verified"}
    assert entry.after == {"status": "rejected", "reason": "เอกสารไม่แสดงเลขผู้เสียภาษี"}


def test_member_holdings_cost_one_query_whatever_the_profile_size(django_assert_num_queries):
    member = MemberFactory()
    services.business_add_myself(member=member)
    for _ in range(3):
        add_by_document(member=member, kind="other", name_th="อื่น")
    with django_assert_num_queries(1):
        names = [h.business.display_name for h in selectors.member_holdings(member=member)]
    assert len(names) == 4
