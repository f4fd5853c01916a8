# ruff: noqa: F811, E501 (the fixtures of officer_helpers, imported by name; YAML flow mappings)
"""PRM-05: a factory licence for a NEW factory, applied for from the business that will operate
it (no factory, no registration number yet): the definition's `starts_from`, the businesses a
member may start from (verified holdings only), eligibility read from the answers, the answered
province routing the application (ADM-01), and the approval that links the factory DIW
registered (its number entered by the officer, looked up in the DIW registry of the sandbox
world) and bills the licence fee."""

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from portal.billing.models import Bill, DiwFactory
from portal.core.models import AuditEntry
from portal.operators.models import Factory, FactoryHolding
from portal.permits import letters, selectors, services
from portal.permits.definitions import _cached, procedure
from portal.permits.models import Application
from portal.permits.review_selectors import queue
from portal.permits.review_services import (
    ReviewError,
    application_accept,
    application_decide,
)
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.permits.conftest import acting_of, make_factory, pdf
from tests.permits.officer_helpers import officer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

KHON_KAEN = "ขอนแก่น"

# The shipped factory-licence's questions, answered for a new factory in Khon Kaen.
ANSWERS = {
    "purpose": "new",
    "factory_class": "3",
    "factory_name": "โรงงานใหม่ขอนแก่น",
    "category": "53(5)",
    "products": "อาหารแปรรูป",
    "province": KHON_KAEN,
    "address": "99 หมู่ 1 ตำบลในเมือง อำเภอเมืองขอนแก่น",
    "horsepower": "120",
    "workers": "20",
}

# A procedure of the tests' own that starts from a business, its fee after approval from a
# table the tests can bill (machinery_relocation), approved at its consideration step.
NEW_FACTORY = """
code: test-new-factory
version: 1
effective_from: 2020-01-01
name: {th: ขอใบอนุญาตโรงงานใหม่ทดสอบ, en: Test new factory licence}
short_name: {th: โรงงานใหม่ทดสอบ, en: Test new factory}
agency: DIW
routing: factory_area
starts_from: [factory, business]
category: licence
service_type: {th: ทดสอบ, en: Test}
legal_basis: [{th: พระราชบัญญัติโรงงาน พ.ศ. 2535, en: Factory Act B.E. 2535}]
impact_level: {th: ทดสอบ, en: Test}
service_area: {th: ทั่วประเทศ ยกเว้นกรุงเทพมหานคร, en: Everywhere but Bangkok}
reference: {th: ทดสอบ, en: Test}
channels: [{place: {th: พอร์ทัล, en: Portal}, hours: {th: ตลอดเวลา, en: Always}, online: true}]
criteria: [{th: โรงงานใหม่, en: A new factory}]
eligibility:
  - {check: factory_held, reason: {th: ต้องเป็นโรงงานในโปรไฟล์, en: The factory must be held}}
  - {check: not_in_bangkok, params: {field: province}, reason: {th: ยกเว้นกรุงเทพ, en: Not Bangkok}}
  - check: horsepower_at_most
    params: {new: 500, expansion: 600, field: purpose}
    reason: {th: ไม่เกิน 500 แรงม้า, en: At most 500 HP}
  - check: category_not_in
    params: {categories: ["101", "105", "106"], field: category}
    reason: {th: ไม่ใช่ประเภท 101 105 106, en: Not 101 105 106}
fields:
  - key: purpose
    kind: choice
    label: {th: ประเภทคำขอ, en: Kind of request}
    choices:
      - {value: new, label: {th: ตั้งใหม่, en: New}}
      - {value: expansion, label: {th: ขยาย, en: Expansion}}
  - {key: factory_name, kind: text, label: {th: ชื่อโรงงาน, en: Factory name}}
  - {key: category, kind: text, label: {th: ประเภท, en: Category}}
  - {key: province, kind: province, label: {th: จังหวัด, en: Province}}
  - {key: horsepower, kind: decimal, horsepower: true, label: {th: แรงม้า, en: Horsepower}}
documents:
  - {key: plan, group: other, name: {th: แผนผัง, en: Plan}, originals: 1, copies: 0, unit: {th: ฉบับ, en: copy}}
steps:
  - {key: check, kind: document_check, name: {th: ตรวจ, en: Check}, description: {th: ตรวจ, en: Check}, duration: 1, unit: days, responsible: {th: สอจ., en: PIO}, actions: [accept, deficiency]}
  - {key: consider, kind: consideration, name: {th: พิจารณา, en: Consider}, description: {th: พิจารณา, en: Consider}, duration: 22, unit: days, responsible: {th: สอจ., en: PIO}, actions: [approve, acknowledge, refuse]}
total: 23
fee: {table: machinery_relocation, when: after_approval, bill_kind: machinery_relocation, billed_on: [granted], description: {th: หลังอนุญาต, en: After approval}}
results:
  - {key: granted, name: {th: อนุญาต, en: Granted}, letter_title: {th: ใบอนุญาตประกอบกิจการโรงงาน, en: Factory licence}, outcome: granted}
  - {key: acknowledged, name: {th: รับแจ้ง, en: Acknowledged}, letter_title: {th: ใบรับแจ้ง, en: Receipt}, outcome: acknowledged}
  - {key: refused, name: {th: ไม่อนุญาต, en: Refused}, letter_title: {th: หนังสือแจ้ง, en: Refusal}, outcome: refused}
complaints: [{name: {th: กรอ., en: DIW}, contact: {th: "สายด่วน 1390", en: "Hotline 1390"}}]
"""


@pytest.fixture
def licence_procedures(procedures_dir):
    """The shipped factory-licence and the tests' own test-new-factory beside the permits
    tests' definitions."""
    real = Path(settings.BASE_DIR) / "procedures" / "factory-licence.yaml"
    (procedures_dir / "factory-licence.yaml").write_text(real.read_text(encoding="utf-8"))
    (procedures_dir / "test-new-factory.yaml").write_text(
        textwrap.dedent(NEW_FACTORY), encoding="utf-8"
    )
    _cached.cache_clear()
    return procedures_dir


@pytest.fixture
def owner(db, licence_procedures):
    """A member holding a business (verified) and no factory."""
    member = MemberFactory(verified=True)
    return member, HoldingFactory(member=member)


def start(member, holding, code="factory-licence") -> Application:
    return services.application_start_for_business(
        acting=acting_of(member), procedure_code=code, holding_id=holding.pk
    )


def answered(member, application, **changes) -> Application:
    definition = procedure(application.procedure_code)
    answers = {k: v for k, v in {**ANSWERS, **changes}.items()}
    answers = {k: v for k, v in answers.items() if k in {f.key for f in definition.fields}}
    return services.application_save(
        acting=acting_of(member),
        application_id=application.pk,
        answers=answers,
        self_assessment={q.key: q.factory_if for q in definition.self_assessment},
    )


def submitted(member, holding, code="factory-licence", **changes) -> Application:
    """A new factory's application, answered, every upload of its checklist, submitted."""
    acting = acting_of(member)
    with transaction.atomic():
        application = answered(member, start(member, holding, code), **changes)
        definition = procedure(code)
        for document in services.documents_required(definition, application):
            if document.upload:
                services.file_upload(
                    acting=acting,
                    application_id=application.pk,
                    document_key=document.key,
                    upload=pdf(),
                )
    return services.application_submit(acting=acting, application_id=application.pk)


# --- the definition --------------------------------------------------------------------------


def test_prm_05_factory_licence_starts_from_a_factory_or_a_business(licence_procedures):
    """PRM-05: the shipped factory licence starts from a factory or a business (a new factory);
    the other procedures from a factory only (the default); its province is a choice of
    Thailand's provinces."""
    assert procedure("factory-licence").starts_from == ["factory", "business"]
    assert procedure("test-relocation").starts_from == ["factory"]
    assert procedure("factory-licence").province_field().key == "province"


# --- choosing and starting from a business ----------------------------------------------------


def test_prm_05_a_verified_business_without_a_factory_can_apply(owner):
    """PRM-05: a member with a verified business and no factory is offered "a new factory of"
    it, sees the procedures that start from a business as eligible, and starts a draft with the
    business and no factory; starting again resumes the same draft."""
    member, holding = owner
    acting = acting_of(member)
    assert [h.pk for h in selectors.businesses_for_applicant(acting=acting)] == [holding.pk]
    choices = selectors.procedure_choices_for_business(acting=acting, holding_id=holding.pk)
    assert {c.procedure.code for c in choices} == {"factory-licence", "test-new-factory"}
    assert all(c.eligible for c in choices)
    application = start(member, holding)
    assert application.business == holding.business and application.factory is None
    assert application.state == Application.State.DRAFT
    assert start(member, holding).pk == application.pk
    assert Application.objects.count() == 1


def test_prm_05_a_procedure_that_starts_from_a_factory_only_is_refused(owner):
    """PRM-05: a procedure without `business` in starts_from cannot start from a business."""
    member, holding = owner
    with pytest.raises(services.PermitError) as refused:
        start(member, holding, "test-relocation")
    assert refused.value.code == "business"


def test_prm_05_pending_rejected_holders_and_strangers_are_refused(owner):
    """PRM-05: only a business held through a VERIFIED holding can start a new factory: a
    pending or rejected holder and a stranger are refused (404 on the pages), and are offered
    nothing."""
    _member, holding = owner
    business = holding.business
    stranger = MemberFactory(verified=True)
    pending = MemberFactory(verified=True)
    pending_holding = HoldingFactory(member=pending, business=business, pending=True)
    rejected = MemberFactory(verified=True)
    rejected_holding = HoldingFactory(
        member=rejected, business=business, rejected=True, rejection_reason="ไม่ถูกต้อง"
    )
    cases = ((stranger, holding), (pending, pending_holding), (rejected, rejected_holding))
    for who, which in cases:
        acting = acting_of(who)
        with pytest.raises(services.PermitError) as refused:
            start(who, which)
        assert refused.value.code == "business"
        assert selectors.procedure_choices_for_business(acting=acting, holding_id=which.pk) is None
        assert selectors.businesses_for_applicant(acting=acting) == []
    assert not Application.objects.exists()


def test_prm_05_a_community_enterprise_is_not_offered(licence_procedures):
    """PRM-05: DIW registers no factory under a community enterprise: it is not offered."""
    member = MemberFactory(verified=True)
    holding = HoldingFactory(member=member, business=BusinessFactory(community_enterprise=True))
    assert selectors.businesses_for_applicant(acting=acting_of(member)) == []
    with pytest.raises(services.PermitError):
        start(member, holding)


# --- eligibility from the answers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"province": "กรุงเทพมหานคร"}, "not_in_bangkok"),
        ({"horsepower": "650"}, "horsepower_at_most"),
        ({"category": "105"}, "category_not_in"),
    ],
)
def test_prm_05_a_new_factory_is_not_eligible_in_bangkok_over_500_hp_or_category_105(
    owner, changes, check
):
    """PRM-05: without a factory the checks read the answers: a new factory in Bangkok, of
    more than 500 HP or of category 105 is refused at submission with the definition's reason;
    the check of a held factory (factory_held) does not apply to a business start."""
    member, holding = owner
    application = answered(member, start(member, holding, "test-new-factory"), **changes)
    definition = procedure("test-new-factory")
    assert [f.check for f in selectors.eligibility_now(application, definition)] == [check]
    with pytest.raises(services.NotEligible) as refused:
        submitted(member, holding, "test-new-factory", **changes)
    assert [f.check for f in refused.value.failures] == [check]


def test_prm_05_an_eligible_new_factory_passes_every_check(owner):
    """PRM-05: a new factory of 120 HP, category 53(5), in Khon Kaen passes every check of the
    shipped factory licence, the self-assessment included."""
    member, holding = owner
    application = answered(member, start(member, holding))
    assert selectors.eligibility_now(application, procedure("factory-licence")) == []


def test_prm_05_without_a_factory_the_request_can_only_be_for_a_new_factory(owner):
    """PRM-05: a draft without a factory cannot ask for an expansion (it needs the factory):
    a clear error on the purpose field; with a factory, an expansion is a valid answer."""
    member, holding = owner
    application = start(member, holding)
    with pytest.raises(services.PermitError) as refused:
        answered(member, application, purpose="expansion")
    assert refused.value.field == "purpose"
    assert refused.value.code == "expansion_needs_factory"
    row = make_factory(member)
    with_factory = services.application_start(
        acting=acting_of(member), procedure_code="factory-licence", factory_holding_id=row.pk
    )
    saved = answered(member, with_factory, purpose="expansion")
    assert saved.answers["purpose"] == "expansion"


def test_prm_05_the_province_must_be_a_real_province(owner):
    """PRM-05: the factory's province is one of Thailand's provinces (kept by its Thai name;
    "จ.ขอนแก่น" is Khon Kaen); anything else is refused on the field."""
    member, holding = owner
    application = start(member, holding)
    with pytest.raises(services.PermitError) as refused:
        answered(member, application, province="เมืองลับแล")
    assert refused.value.field == "province"
    assert answered(member, application, province="จ.ขอนแก่น").answers["province"] == KHON_KAEN
    choices = dict(selectors.province_choices("th"))
    assert len(choices) == 77 and KHON_KAEN in choices


# --- routing (ADM-01) ----------------------------------------------------------------------


def test_adm_01_prm_05_a_new_factory_is_routed_by_its_answered_province(owner, officer):
    """ADM-01, PRM-05: submitted, a new factory's application goes to the provincial industry
    office of the province its applicant answered, whose queue shows it as a new factory."""
    member, holding = owner
    application = submitted(member, holding)
    assert application.state == Application.State.SUBMITTED
    assert (application.agency, application.province) == ("PIO", KHON_KAEN)
    assert application.factory is None
    _, here = officer("PIO", KHON_KAEN)
    _, elsewhere = officer("PIO", "ชลบุรี")
    assert list(queue(acting=here)) == [application]
    assert list(queue(acting=elsewhere)) == []


def test_adm_01_routing_of_a_new_factory_without_province_or_in_bangkok_is_diw(owner):
    """ADM-01: a new factory in Bangkok (or with no province answered) is DIW's; a factory in
    the profile is routed by its own province, whatever was answered."""
    member, holding = owner
    application = start(member, holding)
    assert services.routing_of(application) == ("DIW", "")
    application.answers = {"province": "กรุงเทพมหานคร"}
    assert services.routing_of(application) == ("DIW", "")
    application.answers = {"province": KHON_KAEN}
    assert services.routing_of(application) == ("PIO", KHON_KAEN)
    row = make_factory(member, province="ระยอง")
    application.factory = row.factory
    assert services.routing_of(application) == ("PIO", "ระยอง")


# --- approval: the registration number, the link and the fee (PRM-05) ------------------------


def _approvable(member, holding, officer):
    application = submitted(member, holding, "test-new-factory")
    _, acting = officer("PIO", KHON_KAEN)
    application_accept(acting=acting, application_id=application.pk)
    return application, acting


def _decided_with_number(acting, application, action, record):
    """The application decided with the number DIW registered the factory `record` under, and
    the portal's factory row of that number."""
    decided = application_decide(
        acting=acting,
        application_id=application.pk,
        action=action,
        factory_no=record["factory_no"],
    )
    return decided, Factory.objects.get(factory_no=record["factory_no"])


def test_prm_05_approval_links_the_registered_factory_and_bills_the_fee(owner, officer, world):
    """PRM-05: approving a new factory's application takes the registration number DIW gave
    the licensed factory: looked up in the DIW registry, the factory is kept (operators' row,
    in the applicant's profile under their verified business), mirrored for billing, linked to
    the application, named on the letter, and the licence fee is billed after approval as for
    any application. Audited."""
    member, holding = owner
    record = world.add_factory(
        operator_id=holding.business.registry_key,
        name_th="โรงงานใหม่ขอนแก่น",
        status="not_started",
        operation_started_on=None,
        address={"province": KHON_KAEN, "district": "เมืองขอนแก่น"},
    )
    application, acting = _approvable(member, holding, officer)
    decided, factory = _decided_with_number(acting, application, "approve", record)
    assert decided.factory == factory and factory.business == holding.business
    assert factory.province == KHON_KAEN and factory.status == "not_started"
    assert FactoryHolding.objects.filter(member=member, factory=factory, holding=holding).exists()
    assert DiwFactory.objects.filter(factory_no=record["factory_no"], province=KHON_KAEN).exists()
    bill = Bill.objects.get(pk=decided.bill_id)
    assert bill.factory.factory_no == record["factory_no"]
    assert bill.kind == "machinery_relocation" and bill.fee_satang > 0
    assert decided.outcome == "granted" and decided.letter is not None
    definition = procedure("test-new-factory")
    opening = letters._paragraphs(decided, definition, definition.result("granted"), "granted")[0]
    assert f"ทะเบียนโรงงานเลขที่ {record['factory_no']}" in opening  # the letter names it
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"permit.factory_linked", "factory.link_licensed", "bill.issue"} <= actions
    # The applicant now finds the factory's bill among theirs (a verified holding of it).
    assert record["factory_no"] in services.held_factory_nos(member)


def test_prm_05_acknowledging_a_class_2_notice_links_the_registered_factory(owner, officer, world):
    """PRM-05: a class 2 notice (ร.ง.2) for a new factory is acknowledged, not approved, and DIW
    registers that factory too: acknowledging asks for its number (refused without it) and
    links the factory to the application and the applicant's profile as approval does. The
    licence fee is not billed: the definition bills it on the granted result only."""
    member, holding = owner
    record = world.add_factory(
        operator_id=holding.business.registry_key,
        name_th="โรงงานจำพวกสองขอนแก่น",
        licence="ror_ngor_2",
        factory_class=2,
        address={"province": KHON_KAEN, "district": "เมืองขอนแก่น"},
    )
    licensed = world.add_factory(  # the business's class 3 factory: not what a notice is for
        operator_id=holding.business.registry_key, address={"province": KHON_KAEN}
    )
    application, acting = _approvable(member, holding, officer)
    for number, code in (("", "factory_no"), (licensed["factory_no"], "factory_class")):
        with pytest.raises(ReviewError) as refused:
            application_decide(
                acting=acting,
                application_id=application.pk,
                action="acknowledge",
                factory_no=number,
            )
        assert (refused.value.field, refused.value.code) == ("factory_no", code)
    decided, factory = _decided_with_number(acting, application, "acknowledge", record)
    assert decided.outcome == "acknowledged" and decided.factory == factory
    # fee.billed_on: [granted]: the licence fee is billed for a ร.ง.4, never a ร.ง.2's receipt.
    assert decided.bill_id is None and not Bill.objects.exists()
    assert FactoryHolding.objects.filter(member=member, factory=factory, holding=holding).exists()
    assert record["factory_no"] in services.held_factory_nos(member)
    assert AuditEntry.objects.filter(action="permit.factory_linked").exists()


@pytest.mark.parametrize("case", ["missing", "unknown", "other_operator", "other_province"])
def test_prm_05_approval_refuses_a_missing_unknown_or_other_operators_number(
    owner, officer, world, case
):
    """PRM-05, ADM-01: the number is required to approve a new factory; DIW must list it, under
    the application's business, in the province the application was made for: otherwise a
    clear message on the field factory_no, and nothing changes (no factory, no bill, not
    decided)."""
    member, holding = owner
    other = world.add_factory(name_th="โรงงานของผู้อื่น")  # another operator's factory
    elsewhere = world.add_factory(
        operator_id=holding.business.registry_key, address={"province": "ชลบุรี"}
    )
    application, acting = _approvable(member, holding, officer)
    number = {
        "missing": "",
        "unknown": "10400000000000",
        "other_operator": other["factory_no"],
        "other_province": elsewhere["factory_no"],
    }
    with pytest.raises(ReviewError) as refused:
        application_decide(
            acting=acting,
            application_id=application.pk,
            action="approve",
            factory_no=number[case],
        )
    assert refused.value.field == "factory_no"
    application.refresh_from_db()
    assert application.factory is None and application.bill_id is None
    assert application.state == Application.State.IN_REVIEW
    assert not Factory.objects.exists() and not DiwFactory.objects.exists()


def test_prm_05_a_refusal_of_a_new_factory_needs_no_number(owner, officer, world):
    """PRM-05: refusing needs no registration number: the application keeps no factory and
    bills nothing, and the signed letter is issued."""
    member, holding = owner
    application, acting = _approvable(member, holding, officer)
    decided = application_decide(
        acting=acting, application_id=application.pk, action="refuse", reasons="ไม่ครบ"
    )
    assert decided.outcome == "refused" and decided.factory is None and decided.bill_id is None
    assert decided.letter is not None


def test_prm_05_the_date_the_fee_is_due_follows_the_approval(owner, officer, world):
    """PRM-05: "the licence fee is billed after approval": the bill is issued on the day of
    the approval, due 30 days on."""
    member, holding = owner
    record = world.add_factory(
        operator_id=holding.business.registry_key, address={"province": KHON_KAEN}
    )
    application, acting = _approvable(member, holding, officer)
    decided = application_decide(
        acting=acting,
        application_id=application.pk,
        action="approve",
        factory_no=record["factory_no"],
    )
    bill = Bill.objects.get(pk=decided.bill_id)
    assert bill.due_on - bill.issued_on == dt.timedelta(days=30)


# --- the pages --------------------------------------------------------------------------------


def test_prm_05_the_member_pages_offer_a_new_factory_of_a_verified_business(client, owner):
    """PRM-05: /applications/new/ offers "a new factory of" the verified business; choosing it
    shows the factory licence open to apply; starting makes the draft, whose form asks the
    province among Thailand's provinces and refuses an expansion on the field. A pending
    holder of the same business gets 404."""
    member, holding = owner
    client.force_login(member)
    page = client.get("/applications/new/")
    assert f'data-testid="new-factory-of-{holding.pk}"' in page.text
    assert "โรงงานใหม่ของ" in page.text
    chosen = client.get(f"/applications/new/?business={holding.pk}")
    assert chosen.status_code == 200
    assert 'data-testid="start-factory-licence"' in chosen.text
    assert 'data-testid="start-test-relocation"' not in chosen.text
    started = client.post(f"/applications/new/business/{holding.pk}/factory-licence/")
    application = Application.objects.get()
    assert started.status_code == 302 and started.url == f"/applications/{application.pk}/form/"
    form = client.get(started.url)
    assert form.context["form"].fields["province"].choices[1:] == selectors.province_choices()
    assert 'data-testid="new-factory"' in form.text
    refused = client.post(started.url, {"purpose": "expansion", "province": KHON_KAEN})
    assert refused.status_code == 200 and refused.context["form"].errors["purpose"]

    pending = MemberFactory(verified=True)
    waiting = HoldingFactory(member=pending, business=holding.business, pending=True)
    client.force_login(pending)
    assert client.get(f"/applications/new/?business={waiting.pk}").status_code == 404
    assert client.get(f"/applications/new/?business={holding.pk}").status_code == 404
    post = client.post(f"/applications/new/business/{waiting.pk}/factory-licence/")
    assert post.status_code == 404
    assert Application.objects.count() == 1


def test_prm_05_adm_01_the_officer_enters_the_number_on_the_decision_page(
    owner, officer, world, robot
):
    """PRM-05, ADM-01: the officer's page shows the new factory with its answered name and
    province; approving asks the registration number (an error on the field without it, the
    registry's refusal on it for another operator's), shows it again to confirm, then links
    the factory."""
    from tests.backoffice.helpers import signed_in

    member, holding = owner
    record = world.add_factory(
        operator_id=holding.business.registry_key, address={"province": KHON_KAEN}
    )
    other = world.add_factory()
    application, _acting = _approvable(member, holding, officer)
    desk, _ = officer("PIO", KHON_KAEN)
    client = signed_in(robot, desk)
    url = f"/backoffice/permits/{application.pk}/"
    page = client.get(url)
    assert 'data-testid="new-factory"' in page.text and ANSWERS["factory_name"] in page.text
    assert "factory_no" in page.context["forms"]["decide"].fields
    queue_page = client.get("/backoffice/permits/")
    assert 'data-testid="new-factory"' in queue_page.text
    for decision in ("approve", "acknowledge"):  # a ร.ง.2 notice acknowledged needs it too
        empty = client.post(f"{url}decide/", {"decide-decision": decision})
        assert empty.status_code == 200 and empty.context["forms"]["decide"].errors["factory_no"]
    wrong = {"decide-decision": "approve", "decide-factory_no": other["factory_no"]}
    refused = client.post(f"{url}decide/", {**wrong, "confirm": "yes"})
    assert refused.status_code == 200
    assert refused.context["forms"]["decide"].errors["factory_no"]
    decision = {"decide-decision": "approve", "decide-factory_no": record["factory_no"]}
    confirm = client.post(f"{url}decide/", decision)
    assert 'data-testid="confirm-factory-no"' in confirm.text
    assert client.post(f"{url}decide/", {**decision, "confirm": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.factory.factory_no == record["factory_no"]
    assert application.outcome == "granted" and application.bill_id is not None


def test_prm_05_the_officer_acknowledges_a_notice_with_its_number_on_the_pages(
    owner, officer, world, robot
):
    """PRM-05: acknowledging a new factory's class 2 notice on the decision page shows the
    number again to confirm, then links the factory; no licence fee is billed."""
    from tests.backoffice.helpers import signed_in

    member, holding = owner
    record = world.add_factory(
        operator_id=holding.business.registry_key,
        licence="ror_ngor_2",
        factory_class=2,
        address={"province": KHON_KAEN},
    )
    application, _acting = _approvable(member, holding, officer)
    desk, _ = officer("PIO", KHON_KAEN)
    client = signed_in(robot, desk)
    url = f"/backoffice/permits/{application.pk}/decide/"
    decision = {"decide-decision": "acknowledge", "decide-factory_no": record["factory_no"]}
    confirm = client.post(url, decision)
    assert confirm.status_code == 200 and 'data-testid="confirm-factory-no"' in confirm.text
    assert client.post(url, {**decision, "confirm": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.factory.factory_no == record["factory_no"]
    assert application.outcome == "acknowledged" and application.bill_id is None
