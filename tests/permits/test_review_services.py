# ruff: noqa: F811 (the fixtures of officer_helpers, imported by name)
"""The officer's acts on applications (issue 11): scope and rights (ADM-01, ADM-02), the
deficiency record and the paused clock (PRM-08, PRM-12), inspections, the decision with its
period (PRM-04), the signed letter and the result notice (PRM-09), the fee's bill, and the
audit of every act (ADM-03). Applications are made directly with the models and the clock."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.billing.models import Bill
from portal.core.models import AuditEntry
from portal.documents.signing import check_signed_pdf
from portal.permits import clock
from portal.permits.definitions import procedure
from portal.permits.models import Application, ApplicationFile, DeficiencyRecord, Inspection
from portal.permits.review_selectors import actions_now, colleagues, queue, queue_counts
from portal.permits.review_services import (
    Missing,
    ReviewError,
    application_accept,
    application_assign,
    application_decide,
    deficiencies_expire,
    deficiency_write,
    inspection_record,
    step_advance,
)
from portal.registries.models import OutboundMessage
from portal.workdays.selectors import due_date
from tests.permits.officer_helpers import (  # noqa: F401 (fixtures)
    BANGKOK,
    DECIDE,
    REVIEW,
    make_factory,
    moved_clock,
    officer,
    procedures_dir,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedures_dir")]

MONDAY = dt.date(2026, 3, 2)  # no holiday near it


def messages_to(member) -> list[OutboundMessage]:
    return [
        m
        for m in OutboundMessage.objects.order_by("pk")
        if m.recipient in (member.mobile, member.email)
    ]


def missing(*texts):
    return [Missing(document_key="plan", text=text) for text in texts]


def to_signing(acting, application):
    application_accept(acting=acting, application_id=application.pk)
    step_advance(acting=acting, application_id=application.pk)
    return Application.objects.get(pk=application.pk)


# --- scope and rights --------------------------------------------------------------------------


def test_adm_01_the_queue_holds_the_agency_and_area_only(officer):
    """ADM-01: DIW sees Bangkok's applications, a provincial office its province's only, in
    order of due date, with counts."""
    bangkok = submit(on=MONDAY)
    later = submit(on=MONDAY + dt.timedelta(days=1))
    chonburi = submit(province="ชลบุรี", on=MONDAY)
    _, diw = officer("DIW")
    _, pio = officer("PIO", "ชลบุรี")
    _, elsewhere = officer("PIO", "ลำปาง")
    assert [a.pk for a in queue(acting=diw)] == [bangkok.pk, later.pk]
    assert [a.pk for a in queue(acting=pio)] == [chonburi.pk]
    assert list(queue(acting=elsewhere)) == []
    assert queue_counts(acting=diw)["open"] == 2


def test_adm_01_other_agency_or_province_cannot_act(officer):
    """ADM-01: an act on an application of another agency or province is refused as unknown."""
    application = submit(province="ชลบุรี")
    for agency, province in (("DIW", ""), ("PIO", "ลำปาง"), ("OPS", "")):
        _, acting = officer(agency, province)
        with pytest.raises(ReviewError) as refused:
            application_accept(acting=acting, application_id=application.pk)
        assert refused.value.code == "not_found"


def test_adm_02_an_officer_never_acts_on_their_own_application(officer):
    """ADM-02: the officer who applied (or holds the factory) is refused; no action shown."""
    member, acting = officer("DIW")
    own = submit(applicant=member)
    with pytest.raises(ReviewError) as refused:
        application_accept(acting=acting, application_id=own.pk)
    assert refused.value.code == "own_case"
    assert actions_now(acting=acting, application=own) == []


def test_adm_01_rights_are_needed_to_review_and_to_decide(officer):
    """ADM-01: without the review right nothing is seen or done; without the decide right the
    decision is refused while the rest is allowed."""
    application = submit()
    _, nobody = officer("DIW", permissions=())
    assert list(queue(acting=nobody)) == []
    with pytest.raises(ReviewError) as refused:
        application_accept(acting=nobody, application_id=application.pk)
    assert refused.value.code == "permission"
    _, reviewer = officer("DIW", permissions=(REVIEW,))
    application = to_signing(reviewer, application)
    assert "approve" not in actions_now(acting=reviewer, application=application)
    with pytest.raises(ReviewError):
        application_decide(
            acting=reviewer,
            application_id=application.pk,
            action="approve",
            granted_until=clock.today() + dt.timedelta(days=90),
        )


def test_adm_02_assign_to_oneself_or_a_colleague_of_the_area(officer):
    """ADM-02: an application is assigned to an officer of the same agency and area only."""
    application = submit(province="ชลบุรี")
    me, acting = officer("PIO", "ชลบุรี")
    colleague, _ = officer("PIO", "ชลบุรี")
    stranger, _ = officer("PIO", "ลำปาง")
    application_assign(acting=acting, application_id=application.pk, officer_id=me.pk)
    application_assign(acting=acting, application_id=application.pk, officer_id=colleague.pk)
    assert Application.objects.get(pk=application.pk).assigned_to == colleague
    with pytest.raises(ReviewError) as refused:
        application_assign(acting=acting, application_id=application.pk, officer_id=stranger.pk)
    assert refused.value.code == "officer"
    assert [a.pk for a in queue(acting=acting, mine=True)] == []


def test_adm_02_colleagues_hold_the_right_directly_or_through_a_group(officer):
    """ADM-02: the officers an application may be assigned to are the active officers of the
    same agency and area who may review, whether the right is their own or their group's; not
    one without it, an inactive one, nor one of another area."""
    from django.contrib.auth.models import Group, Permission

    me, acting = officer("PIO", "ชลบุรี")
    through_group, _ = officer("PIO", "ชลบุรี", permissions=())
    reviewers = Group.objects.create(name="ผู้ตรวจคำขอ")
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="permits", codename="review_application")
    )
    through_group.groups.add(reviewers)
    officer("PIO", "ชลบุรี", permissions=())  # no right
    gone, _ = officer("PIO", "ชลบุรี")
    gone.officer_profile.active = False
    gone.officer_profile.save(update_fields=["active"])
    officer("PIO", "ลำปาง")  # another area
    officer("DIW")  # another agency
    assert {m.pk for m in colleagues(acting=acting)} == {me.pk, through_group.pk}


def test_only_the_actions_the_step_allows(officer):
    """The running step's actions in the definition: the document check accepts or writes a
    deficiency record; it cannot approve."""
    application = submit()
    _, acting = officer("DIW")
    assert actions_now(acting=acting, application=application) == [
        "assign",
        "accept",
        "deficiency",
    ]
    with pytest.raises(ReviewError) as refused:
        application_decide(
            acting=acting, application_id=application.pk, action="refuse", reasons="x"
        )
    assert refused.value.code == "action"


# --- deficiency records (PRM-08, PRM-12) -------------------------------------------------------


def supply(application):
    """What the applicant's service does when the missing documents are supplied (h11apply):
    the record completed, the clock resumed, the document check again."""
    application = Application.objects.get(pk=application.pk)
    record = application.deficiencies.get(state=DeficiencyRecord.State.OPEN)
    record.state = DeficiencyRecord.State.COMPLETED
    record.completed_at = timezone.now()
    record.save()
    clock.clock_resume(application, procedure(application.procedure_code))
    application.state = Application.State.SUBMITTED
    application.save(update_fields=["state"])
    return application


def test_prm_12_one_record_lists_everything_and_only_one_is_open(officer):
    """PRM-12: one deficiency record lists every missing item with a deadline; a second one
    cannot be written while it is open; the applicant is told by SMS and email."""
    application = submit()
    _, acting = officer("DIW")
    record = deficiency_write(
        acting=acting,
        application_id=application.pk,
        items=missing("แผนผังไม่ครบ", "ขาดลายมือชื่อ"),
        deadline=clock.today() + dt.timedelta(days=15),
    )
    assert [i["text"] for i in record.items] == ["แผนผังไม่ครบ", "ขาดลายมือชื่อ"]
    application.refresh_from_db()
    assert application.state == "deficient" and application.clock_paused
    channels = {m.channel for m in messages_to(application.applicant)}
    assert channels == {"sms", "email"}
    assert "แผนผังไม่ครบ" in messages_to(application.applicant)[0].body
    with pytest.raises(ReviewError):
        deficiency_write(
            acting=acting,
            application_id=application.pk,
            items=missing("อีก"),
            deadline=clock.today() + dt.timedelta(days=15),
        )
    with pytest.raises(ReviewError) as empty:
        deficiency_write(
            acting=acting, application_id=application.pk, items=missing(" "), deadline=clock.today()
        )
    assert empty.value.field == "items"


def test_prm_08_the_pause_moves_the_due_dates(officer, moved_clock):
    """PRM-08: the clock does not run while the record is open; once completed the document
    check's due date moves by the pause and the procedure's clock starts at the acceptance."""
    moved_clock(MONDAY)
    application = submit(on=MONDAY)
    first_due = application.current_due_on
    assert first_due == due_date(MONDAY, 1, "working_days")
    _, acting = officer("DIW")
    deficiency_write(
        acting=acting,
        application_id=application.pk,
        items=missing("แผนผัง"),
        deadline=MONDAY + dt.timedelta(days=10),
    )
    moved_clock(MONDAY + dt.timedelta(days=7))  # the next Monday: 5 working days paused
    application = supply(application)
    assert application.current_due_on == due_date(
        MONDAY, 1, "working_days", [(MONDAY, MONDAY + dt.timedelta(days=7))]
    )
    assert application.current_due_on > first_due
    application_accept(acting=acting, application_id=application.pk)
    application.refresh_from_db()
    assert application.clock_started_on == MONDAY + dt.timedelta(days=7)
    assert application.due_on == due_date(MONDAY + dt.timedelta(days=7), 15, "working_days")
    assert application.state == "in_review" and application.current_step == "review"


def test_prm_08_the_deadline_passing_returns_the_application(officer, moved_clock):
    """PRM-08: a record past its deadline returns the application with its documents (the
    files kept for the record) and the applicant is told."""
    moved_clock(MONDAY)
    application = submit(on=MONDAY)
    _, acting = officer("DIW")
    record = deficiency_write(
        acting=acting,
        application_id=application.pk,
        items=missing("แผนผัง"),
        deadline=MONDAY + dt.timedelta(days=10),
    )
    assert deficiencies_expire(on=MONDAY + dt.timedelta(days=10)) == 0  # the deadline day
    before = len(messages_to(application.applicant))
    moved_clock(MONDAY + dt.timedelta(days=11))
    assert deficiencies_expire() == 1
    application.refresh_from_db()
    record.refresh_from_db()
    assert application.state == "returned" and application.outcome == "returned"
    assert record.state == "expired"
    assert application.events.filter(kind="returned", data__documents="returned").exists()
    assert ApplicationFile.objects.filter(application=application).exists()
    assert len(messages_to(application.applicant)) == before + 2
    assert deficiencies_expire() == 0  # once


# --- inspection and corrections ----------------------------------------------------------------


def test_corrections_ordered_after_an_inspection_pause_the_clock(officer):
    """An inspection with corrections (the step allows ordering them) pauses the clock; the
    applicant is told what to correct."""
    application = submit()
    _, acting = officer("DIW")
    application_accept(acting=acting, application_id=application.pk)
    inspection = inspection_record(
        acting=acting,
        application_id=application.pk,
        inspected_on=clock.today(),
        findings="ติดตั้งไม่ครบ",
        outcome=Inspection.Outcome.CORRECTIONS,
        corrections="ติดตั้งการ์ดป้องกัน",
        corrections_deadline=clock.today() + dt.timedelta(days=20),
    )
    application.refresh_from_db()
    assert application.state == "corrections" and application.clock_paused
    assert application.pauses.get(ended_on__isnull=True).reason == "corrections"
    assert inspection.corrections == "ติดตั้งการ์ดป้องกัน"
    assert "ติดตั้งการ์ดป้องกัน" in messages_to(application.applicant)[-1].body


# --- decisions (PRM-04, PRM-09) ---------------------------------------------------------------


def test_prm_04_the_period_is_at_most_one_year_from_the_order(officer):
    """PRM-04: the permit lasts what was asked, at most 365 days from the order."""
    _, acting = officer("DIW")
    application = to_signing(acting, submit())
    today = clock.today()
    with pytest.raises(ReviewError) as refused:
        application_decide(
            acting=acting,
            application_id=application.pk,
            action="approve",
            granted_until=today + dt.timedelta(days=366),
        )
    assert refused.value.field == "granted_until"
    decided = application_decide(
        acting=acting,
        application_id=application.pk,
        action="approve",
        granted_until=today + dt.timedelta(days=182),
        conditions=["ห้ามใช้เครื่องจักรนอกเวลา"],
    )
    assert decided.outcome == "granted" and decided.granted_from == today
    assert decided.granted_until == today + dt.timedelta(days=182)


def test_prm_04_an_extension_adds_at_most_a_year_to_the_current_end(officer):
    """PRM-04: an extension's new end is after the current end and at most 365 days beyond
    it; the granted application's end moves."""
    _, acting = officer("DIW")
    granted = to_signing(acting, submit())
    granted = application_decide(
        acting=acting,
        application_id=granted.pk,
        action="approve",
        granted_until=clock.today() + dt.timedelta(days=180),
    )
    end = granted.granted_until
    extension = to_signing(
        acting, submit(applicant=granted.applicant, factory=granted.factory, extends=granted)
    )
    with pytest.raises(ReviewError):
        application_decide(
            acting=acting,
            application_id=extension.pk,
            action="approve",
            granted_until=end + dt.timedelta(days=366),
        )
    application_decide(
        acting=acting,
        application_id=extension.pk,
        action="approve",
        granted_until=end + dt.timedelta(days=365),
    )
    granted.refresh_from_db()
    assert granted.granted_until == end + dt.timedelta(days=365)


def test_prm_09_the_letter_is_signed_verifiable_and_sent_within_7_days(officer, client):
    """PRM-09: the decision's letter is a signed PDF (PAdES, the documents app's check), on
    the public verification page, and the applicant is told by SMS and email at once."""
    _, acting = officer("DIW")
    application = to_signing(acting, submit())
    decided = application_decide(
        acting=acting,
        application_id=application.pk,
        action="approve",
        granted_until=clock.today() + dt.timedelta(days=180),
    )
    letter = decided.letter
    with letter.file.open("rb") as pdf:
        check = check_signed_pdf(pdf.read())
    assert check.valid, check.problem
    page = client.get(f"/verify/{letter.code}/")
    assert page.status_code == 200
    assert decided.number in page.content.decode()
    assert decided.result_notified_at - decided.decided_at < dt.timedelta(days=7)
    told = messages_to(decided.applicant)
    assert {m.channel for m in told} == {"sms", "email"}
    assert decided.number in told[-1].body
    assert set(decided.steps.values_list("state", flat=True)) == {"done"}


def test_a_refusal_needs_reasons_and_bills_nothing(officer):
    """A refusal gives its reasons (on the letter); no fee is billed."""
    _, acting = officer("DIW")
    application = submit()
    application_accept(acting=acting, application_id=application.pk)
    with pytest.raises(ReviewError) as refused:
        application_decide(acting=acting, application_id=application.pk, action="refuse")
    assert refused.value.field == "reasons"
    decided = application_decide(
        acting=acting, application_id=application.pk, action="refuse", reasons="ที่ตั้งไม่เหมาะสม"
    )
    assert decided.outcome == "refused" and decided.bill_id is None
    assert decided.letter is not None


def test_the_fee_after_approval_becomes_a_bill_priced_by_horsepower(officer):
    """PRM-06 (issue 11): a fee "after_approval" is billed on approval, of the definition's
    bill kind, priced by the fee table on the application's horsepower."""
    from portal.billing.fees import tier_amount
    from portal.billing.selectors import fee_table_in_force, fee_table_tiers

    _, acting = officer("DIW")
    application = to_signing(acting, submit())
    decided = application_decide(
        acting=acting,
        application_id=application.pk,
        action="approve",
        granted_until=clock.today() + dt.timedelta(days=30),
    )
    bill = Bill.objects.get(pk=decided.bill_id)
    table = fee_table_in_force("machinery_relocation", bill.due_on)
    assert bill.kind == "machinery_relocation"
    assert bill.fee_satang == tier_amount(fee_table_tiers(table), application.horsepower)
    assert bill.factory.factory_no == application.factory.factory_no


def test_a_fee_at_the_document_check_is_billed_on_acceptance(officer):
    """A fee "at_document_check" (the restart notice's annual fee) is billed on acceptance."""
    _, acting = officer("DIW")
    application = submit("test-restart")
    application_accept(acting=acting, application_id=application.pk)
    application.refresh_from_db()
    assert Bill.objects.get(pk=application.bill_id).kind == "restart_notice"
    decided = application_decide(acting=acting, application_id=application.pk, action="acknowledge")
    assert decided.outcome == "acknowledged" and decided.granted_until is None


# --- audit (ADM-03) -------------------------------------------------------------------------


def test_adm_03_every_act_is_audited_with_before_and_after(officer):
    """ADM-03: each act leaves an audit row naming the officer, with the state before and
    after, and an event on the timeline."""
    member, acting = officer("DIW")
    application = submit()
    application_assign(acting=acting, application_id=application.pk, officer_id=member.pk)
    application = to_signing(acting, application)
    application_decide(
        acting=acting,
        application_id=application.pk,
        action="approve",
        granted_until=clock.today() + dt.timedelta(days=30),
    )
    rows = AuditEntry.objects.filter(
        target_type="permits.application", target_id=str(application.pk)
    )
    actions = list(rows.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "permit.assigned",
        "permit.accepted",
        "permit.step_finished",
        "permit.decided",
    ]
    decided = rows.get(action="permit.decided")
    assert decided.actor == member
    assert decided.before["state"] == "in_review" and decided.after["state"] == "decided"
    kinds = set(application.events.values_list("kind", flat=True))
    assert {"assigned", "accepted", "step_finished", "decided", "billed"} <= kinds


def _act(name, acting, application):
    """Each officer's act, with valid arguments for an application at the right step."""
    today = clock.today()
    calls = {
        "assign": lambda: application_assign(
            acting=acting, application_id=application.pk, officer_id=acting.actor_id
        ),
        "accept": lambda: application_accept(acting=acting, application_id=application.pk),
        "deficiency": lambda: deficiency_write(
            acting=acting,
            application_id=application.pk,
            items=missing("แผนผัง"),
            deadline=today + dt.timedelta(days=10),
        ),
        "inspect": lambda: inspection_record(
            acting=acting,
            application_id=application.pk,
            inspected_on=today,
            findings="พร้อม",
            outcome=Inspection.Outcome.READY,
        ),
        "advance": lambda: step_advance(acting=acting, application_id=application.pk),
        "decide": lambda: application_decide(
            acting=acting, application_id=application.pk, action="refuse", reasons="ไม่ครบ"
        ),
    }
    return calls[name]()


@pytest.mark.parametrize("act", ["assign", "accept", "deficiency", "inspect", "advance", "decide"])
def test_adm_01_adm_02_each_act_checks_scope_own_case_and_right(officer, act):
    """ADM-01, ADM-02: every act refuses an officer of another province (as unknown), the
    officer who applied, and an officer without the right; the rightful officer may do it."""
    _, rightful = officer("PIO", "ชลบุรี")
    applicant, own = officer("PIO", "ชลบุรี")
    application = submit(applicant=applicant, province="ชลบุรี")
    if act in ("inspect", "advance", "decide"):
        application_accept(acting=rightful, application_id=application.pk)
    _, elsewhere = officer("PIO", "ลำปาง")
    _, unentitled = officer("PIO", "ชลบุรี", permissions=())
    for acting, code in ((elsewhere, "not_found"), (own, "own_case"), (unentitled, "permission")):
        with pytest.raises(ReviewError) as refused:
            _act(act, acting, application)
        assert refused.value.code == code, (act, code)
    _act(act, rightful, application)
    assert AuditEntry.objects.filter(
        target_type="permits.application", target_id=str(application.pk), actor=rightful.actor
    ).exists()
