"""The applicant's services (PRM-04 to PRM-10): eligibility before anything is typed, the
conditional checklist, uploads checked by content, the fee shown, the declaration's hashes,
the submission (idempotent, routed, numbered, on the clock), supplying missing documents."""

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from portal.permits import clock, selectors, services
from portal.permits.definitions import _cached, procedure
from portal.permits.models import (
    Application,
    ApplicationCounter,
    ApplicationStep,
    Declaration,
    DeficiencyRecord,
    Inspection,
)
from portal.registries.models import OutboundMessage
from portal.workdays import selectors as workdays
from tests.factories import MemberFactory
from tests.permits.conftest import (
    ANSWERS,
    PDF,
    acting_of,
    complete_draft,
    make_factory,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db


def test_prm_05_not_eligible_refused_with_the_reason(procedures_dir):
    """PRM-05: a class-1 factory is refused before anything is typed, with the reason."""
    member = MemberFactory()
    row = make_factory(member, factory_class=1)
    with pytest.raises(services.NotEligible) as refused:
        services.application_start(
            acting=acting_of(member), procedure_code="test-relocation", factory_holding_id=row.pk
        )
    assert [f.check for f in refused.value.failures] == ["factory_class_in"]
    assert refused.value.failures[0].reason.en == "Only class 2 and 3 factories"
    assert not Application.objects.exists()


def test_prm_05_a_factory_of_another_member_is_refused(applicant):
    """PRM-05: only a factory of the member's own profile can be applied for."""
    _member, row = applicant
    stranger = MemberFactory()
    with pytest.raises(services.PermitError) as refused:
        services.application_start(
            acting=acting_of(stranger), procedure_code="test-relocation", factory_holding_id=row.pk
        )
    assert refused.value.code == "factory"


def test_prm_05_a_draft_is_kept_and_resumed(applicant):
    """PRM-05: starting again resumes the draft instead of making another."""
    member, row = applicant
    acting = acting_of(member)
    first = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    services.application_save(acting=acting, application_id=first.pk, answers={"reason": "x"})
    again = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    assert again.pk == first.pk and again.answers == {"reason": "x"}
    assert again.state == Application.State.DRAFT and again.number is None


def test_prm_01_answers_checked_by_kind_and_conditional_fields_dropped(applicant):
    """PRM-01: answers are checked by the field's kind; a field whose `when` no longer holds
    loses its answer."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    with pytest.raises(services.PermitError) as refused:
        services.application_save(
            acting=acting, application_id=application.pk, answers={"has_plan": "maybe"}
        )
    assert refused.value.field == "has_plan"
    with pytest.raises(services.PermitError) as refused:
        services.application_save(
            acting=acting, application_id=application.pk, answers={"machines": "ปั๊ม; สิบ"}
        )
    assert refused.value.field == "machines"
    saved = services.application_save(
        acting=acting,
        application_id=application.pk,
        answers={"has_plan": "yes", "plan_note": "แนบแล้ว"},
    )
    assert saved.answers == {"has_plan": "yes", "plan_note": "แนบแล้ว"}
    saved = services.application_save(
        acting=acting,
        application_id=application.pk,
        answers={"has_plan": "no", "plan_note": "แนบแล้ว"},
    )
    assert saved.answers == {"has_plan": "no"}


def test_prm_01_conditional_checklist_follows_the_answers(applicant):
    """PRM-01: the plan is asked for only when the applicant says there is one; a document
    shown at the counter is listed but never uploaded."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    definition = procedure("test-relocation")
    services.application_save(acting=acting, application_id=application.pk, answers=ANSWERS)
    application.refresh_from_db()
    assert [d.key for d in services.documents_required(definition, application)] == [
        "id_card",
        "plan",
        "licence",
    ]
    services.application_save(
        acting=acting, application_id=application.pk, answers={**ANSWERS, "has_plan": "no"}
    )
    application.refresh_from_db()
    keys = [d.key for d in services.documents_required(definition, application)]
    assert keys == ["id_card", "licence"]
    with pytest.raises(services.PermitError) as refused:
        services.file_upload(
            acting=acting, application_id=application.pk, document_key="plan", upload=pdf()
        )
    assert refused.value.code == "not_in_checklist"
    with pytest.raises(services.PermitError):
        services.file_upload(
            acting=acting, application_id=application.pk, document_key="licence", upload=pdf()
        )


def test_prm_10_upload_checked_by_content_and_hashed(applicant):
    """PRM-10: a file is taken by its content (PDF, JPEG, PNG), never by its name, and stored
    under a random name with its SHA-256; a new file of a document replaces the old one."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(services.PermitError) as refused:
        services.file_upload(
            acting=acting, application_id=application.pk, document_key="id_card", upload=fake
        )
    assert refused.value.code == "bad_type" and refused.value.field == "file"
    first = services.file_upload(
        acting=acting, application_id=application.pk, document_key="id_card", upload=pdf()
    )
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "doc" not in first.file.name and first.file.name.endswith(".pdf")
    second = services.file_upload(
        acting=acting, application_id=application.pk, document_key="id_card", upload=png()
    )
    assert second.content_type == "image/png"
    assert list(application.files.values_list("pk", flat=True)) == [second.pk]


def test_prm_10_an_upload_over_15_mb_is_refused(applicant):
    """PRM-10: at most 15 MB."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (15 * 1024 * 1024), "application/pdf")
    with pytest.raises(services.PermitError) as refused:
        services.file_upload(
            acting=acting, application_id=application.pk, document_key="id_card", upload=big
        )
    assert refused.value.code == "too_large"


def test_prm_06_fee_from_the_table_by_horsepower(applicant):
    """PRM-06: 2 × 10 HP + 5 HP = 25 HP: the machinery_relocation table's line for 20 to 50
    HP, shown (and kept) before submitting."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    application = services.application_save(
        acting=acting, application_id=application.pk, answers=ANSWERS
    )
    preview = services.fee_preview(procedure("test-relocation"), application.answers)
    assert preview.horsepower == Decimal(25)
    assert preview.when == "at_document_check"
    assert preview.amount_satang == application.fee_satang and preview.amount_satang > 0
    assert application.horsepower == Decimal(25)
    # A bigger machine list costs more, as the table says.
    bigger = services.fee_preview(
        procedure("test-relocation"), {"machines": [{"horsepower": "600", "count": 1}]}
    )
    assert bigger.amount_satang > preview.amount_satang


def test_prm_06_fee_after_approval_is_said_so(applicant):
    """PRM-06: a fee billed after approval is shown with its amount and when it is due."""
    _member, _row = applicant
    preview = services.fee_preview(
        procedure("test-after"), {"machines": [{"name": "ปั๊ม", "horsepower": "3", "count": 1}]}
    )
    assert preview.when == "after_approval" and preview.amount_satang is not None


def test_prm_10_submit_requires_every_answer_and_upload(applicant):
    """PRM-10: a submission with a required upload missing is refused and names it."""
    member, row = applicant
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="test-relocation", factory_holding_id=row.pk
    )
    services.application_save(acting=acting, application_id=application.pk, answers=ANSWERS)
    services.file_upload(
        acting=acting, application_id=application.pk, document_key="id_card", upload=pdf()
    )
    with pytest.raises(services.PermitError) as refused:
        services.application_submit(acting=acting, application_id=application.pk)
    assert refused.value.code == "incomplete"
    assert "แผนผังการติดตั้ง" in refused.value.message
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_prm_10_declaration_records_who_when_and_hashes(applicant):
    """PRM-10: the declaration keeps the signer, the principal, the words, the SHA-256 of the
    answers and of each file."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    submitted = services.application_submit(acting=acting, application_id=application.pk)
    declaration = Declaration.objects.get(application=submitted)
    assert declaration.kind == Declaration.Kind.SUBMISSION
    assert declaration.signer == member and declaration.principal_key == f"member:{member.pk}"
    assert declaration.answers_sha256 == services.answers_sha256(submitted.answers)
    assert declaration.statement and declaration.client_ip == "127.0.0.1"
    assert sorted(f["document_key"] for f in declaration.files) == ["id_card", "plan"]
    assert {f["sha256"] for f in declaration.files} == {hashlib.sha256(PDF).hexdigest()}


def test_prm_07_submit_numbers_routes_and_starts_the_document_check(applicant):
    """PRM-07, ADM-01: the number of the Buddhist-era year, the provincial office of the
    factory's province, the steps created and the document check running with its due date;
    the applicant is told through the outbox."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    submitted = services.application_submit(acting=acting, application_id=application.pk)
    year = timezone.localdate().year + 543
    assert submitted.number == f"PRM-{year}-000001"
    assert ApplicationCounter.objects.get(year_be=year).last == 1
    assert (submitted.agency, submitted.province) == ("PIO", "ชลบุรี")
    assert submitted.state == Application.State.SUBMITTED
    steps = list(submitted.steps.values_list("key", "state"))
    assert steps == [("check", "running"), ("review", "waiting"), ("sign", "waiting")]
    check = submitted.steps.get(key="check")
    assert check.due_on == workdays.due_date(check.started_on, 1, "working_days")
    assert submitted.current_step == "check" and submitted.current_due_on == check.due_on
    assert submitted.events.filter(kind="submitted").exists()
    told = [m for m in OutboundMessage.objects.all() if submitted.number in m.body]
    assert {m.recipient for m in told} == {member.mobile, member.email}
    # Both go out: the email queued after the SMS does not cancel it.
    assert {m.status for m in told} == {OutboundMessage.Status.QUEUED}


def test_adm_01_bangkok_factory_goes_to_diw(procedures_dir):
    """ADM-01: a factory in Bangkok is answered by DIW."""
    member = MemberFactory()
    row = make_factory(member, province="กรุงเทพมหานคร")
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    submitted = services.application_submit(acting=acting, application_id=application.pk)
    assert (submitted.agency, submitted.province) == ("DIW", "")


def test_prm_10_submit_twice_is_one_submission(applicant):
    """PRM-10: a double click submits once: one number, one declaration, one set of steps."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    first = services.application_submit(acting=acting, application_id=application.pk)
    second = services.application_submit(acting=acting, application_id=application.pk)
    assert first.number == second.number
    assert Declaration.objects.filter(application=application).count() == 1
    assert ApplicationStep.objects.filter(application=application).count() == 3
    assert application.events.filter(kind="submitted").count() == 1


def test_prm_10_another_member_cannot_touch_the_application(applicant):
    """PRM-10: another member finds nothing (404 on the pages)."""
    member, row = applicant
    application = complete_draft(acting_of(member), row, services)
    other = acting_of(MemberFactory())
    for call in (
        lambda: services.application_save(acting=other, application_id=application.pk, answers={}),
        lambda: services.application_submit(acting=other, application_id=application.pk),
        lambda: services.application_withdraw(acting=other, application_id=application.pk),
        lambda: services.file_upload(
            acting=other, application_id=application.pk, document_key="id_card", upload=pdf()
        ),
    ):
        with pytest.raises(services.PermitNotFound):
            call()


def _submitted_with_deficiency(applicant, monkeypatch, *, start: dt.date):
    """Submitted on `start`, accepted at once (clock started), then a deficiency record
    pausing the review step, written directly as the officer's side would."""
    member, row = applicant
    acting = acting_of(member)
    monkeypatch.setattr(clock, "today", lambda: start)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    definition = procedure("test-relocation")
    with transaction.atomic():
        clock.step_finish(application, "check")
        clock.clock_start(application, definition, on=start)
        clock.step_start(application, definition, "review", on=start)
        clock.clock_pause(application, "deficiency", on=start)
        application.state = Application.State.DEFICIENT
        application.save(update_fields=["state"])
        record = DeficiencyRecord.objects.create(
            application=application,
            items=[
                {"document_key": "plan", "text": "แผนผังไม่ชัด"},
                {"document_key": "", "text": "หนังสือยินยอมเจ้าของสถานที่"},
            ],
            deadline=start + dt.timedelta(days=30),
            written_by=MemberFactory(),
        )
    return acting, application, record


def test_prm_08_supplying_the_deficiency_resumes_the_clock_and_moves_due_dates(
    applicant, monkeypatch
):
    """PRM-08: the applicant uploads a file for every item and signs off: the record is
    completed, the clock resumes, and the due dates move by the pause."""
    start = dt.date(2026, 3, 2)  # a Monday
    acting, application, record = _submitted_with_deficiency(applicant, monkeypatch, start=start)
    review = application.steps.get(key="review")
    due_before, overall_before = review.due_on, Application.objects.get(pk=application.pk).due_on
    with pytest.raises(services.PermitError) as refused:
        services.deficiency_supply(acting=acting, application_id=application.pk)
    assert refused.value.code == "incomplete"
    with pytest.raises(services.PermitError):
        services.file_upload(
            acting=acting, application_id=application.pk, document_key="id_card", upload=pdf()
        )
    for key in ("plan", "item_2"):
        services.file_upload(
            acting=acting, application_id=application.pk, document_key=key, upload=pdf()
        )
    resumed_on = dt.date(2026, 3, 9)  # a week of the clock standing still
    monkeypatch.setattr(clock, "today", lambda: resumed_on)
    services.deficiency_supply(acting=acting, application_id=application.pk)
    record.refresh_from_db()
    application.refresh_from_db()
    assert record.state == DeficiencyRecord.State.COMPLETED and record.completed_at
    assert application.state == Application.State.IN_REVIEW and not application.clock_paused
    review.refresh_from_db()
    assert review.state == "running"
    # 3 March 2026 is Makha Bucha day: the week's pause is 4 working days.
    assert workdays.working_days_between(start, resumed_on) == 4
    assert review.due_on == workdays.due_date(start, 12, "working_days", [(start, resumed_on)])
    assert review.due_on > due_before and application.due_on > overall_before
    declaration = application.declarations.get(kind=Declaration.Kind.DEFICIENCY)
    assert sorted(f["document_key"] for f in declaration.files) == ["item_2", "plan"]
    # The files of the submission are still there, unchanged.
    assert application.files.filter(deficiency__isnull=True, document_key="plan").exists()


def test_prm_08_deficiency_past_its_deadline_cannot_be_supplied(applicant, monkeypatch):
    """PRM-08: after the deadline the officer's side returns the application; the applicant
    can no longer complete the record."""
    start = dt.date(2026, 3, 2)
    acting, application, record = _submitted_with_deficiency(applicant, monkeypatch, start=start)
    for key in ("plan", "item_2"):
        services.file_upload(
            acting=acting, application_id=application.pk, document_key=key, upload=pdf()
        )
    monkeypatch.setattr(clock, "today", lambda: record.deadline + dt.timedelta(days=1))
    with pytest.raises(services.PermitError) as refused:
        services.deficiency_supply(acting=acting, application_id=application.pk)
    assert refused.value.code == "late"


def _granted(applicant, until: dt.date):
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    Application.objects.filter(pk=application.pk).update(
        state=Application.State.DECIDED,
        outcome="granted",
        result_key="granted",
        granted_from=until - dt.timedelta(days=180),
        granted_until=until,
    )
    return acting, application


def test_prm_04_extension_before_the_end_of_the_period(applicant):
    """PRM-04: an extension is asked before the period ends, adds at most the definition's
    days, and is signed and submitted like an application."""
    today = timezone.localdate()
    acting, granted = _granted(applicant, today + dt.timedelta(days=10))
    extension = services.extension_request(acting=acting, application_id=granted.pk)
    assert extension.extends_id == granted.pk and extension.state == Application.State.DRAFT
    assert services.extension_request(acting=acting, application_id=granted.pk) == extension
    with pytest.raises(services.PermitError) as refused:
        services.application_save(
            acting=acting,
            application_id=extension.pk,
            answers={"extend_until": today + dt.timedelta(days=10 + 366)},
        )
    assert refused.value.field == "extend_until"
    services.application_save(
        acting=acting,
        application_id=extension.pk,
        answers={"extend_until": today + dt.timedelta(days=100), "reason": "งานยังไม่เสร็จ"},
    )
    submitted = services.application_submit(acting=acting, application_id=extension.pk)
    assert submitted.number and submitted.state == Application.State.SUBMITTED
    assert submitted.declarations.get().kind == Declaration.Kind.EXTENSION
    with pytest.raises(services.PermitError) as refused:
        services.extension_request(acting=acting, application_id=granted.pk)
    assert refused.value.code == "already"


def test_prm_04_no_extension_after_the_period_ended(applicant):
    """PRM-04: once the period has ended, no extension can be asked."""
    acting, granted = _granted(applicant, timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.PermitError) as refused:
        services.extension_request(acting=acting, application_id=granted.pk)
    assert refused.value.code == "no_extension"


def test_prm_05_withdraw_a_draft(applicant):
    """PRM-05: a draft can be withdrawn; a submitted application cannot be withdrawn here."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    withdrawn = services.application_withdraw(acting=acting, application_id=application.pk)
    assert withdrawn.state == Application.State.WITHDRAWN and not withdrawn.files.exists()
    again = complete_draft(acting, row, services)
    services.application_submit(acting=acting, application_id=again.pk)
    with pytest.raises(services.PermitError):
        services.application_withdraw(acting=acting, application_id=again.pk)


def test_prm_05_self_assessment_not_a_factory_is_refused(applicant, procedures_dir):
    """PRM-05: the licence procedure's self-assessment: answers saying the activity is not a
    factory make the draft ineligible, with the definition's reason; answers saying it is
    pass."""
    member, row = applicant
    real = Path(settings.BASE_DIR) / "procedures" / "factory-licence.yaml"
    (procedures_dir / "factory-licence.yaml").write_text(real.read_text(encoding="utf-8"))
    _cached.cache_clear()
    definition = procedure("factory-licence")
    acting = acting_of(member)
    application = services.application_start(
        acting=acting, procedure_code="factory-licence", factory_holding_id=row.pk
    )
    keys = [q.key for q in definition.self_assessment]
    application = services.application_save(
        acting=acting,
        application_id=application.pk,
        answers={},
        self_assessment={key: "no" for key in keys},
    )
    failures = selectors.eligibility_now(application, definition)
    assert [f.check for f in failures] == ["self_assessment_is_factory"]
    application = services.application_save(
        acting=acting,
        application_id=application.pk,
        answers={},
        self_assessment={key: "yes" for key in keys},
    )
    assert selectors.eligibility_now(application, definition) == []
    assert application.self_assessment == {key: "yes" for key in keys}


def test_prm_08_corrections_reported_resume_the_clock(applicant, monkeypatch):
    """PRM-08: corrections ordered after an inspection pause the clock; the applicant reports
    them made, signed off, and the clock runs again with the due dates moved."""
    start = dt.date(2026, 6, 1)  # a Monday
    member, row = applicant
    acting = acting_of(member)
    monkeypatch.setattr(clock, "today", lambda: start)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    definition = procedure("test-relocation")
    with pytest.raises(services.PermitError) as refused:
        services.corrections_report(acting=acting, application_id=application.pk, note="x")
    assert refused.value.code == "state"
    with transaction.atomic():
        clock.step_finish(application, "check")
        clock.clock_start(application, definition, on=start)
        clock.step_start(application, definition, "review", on=start)
        clock.clock_pause(application, "corrections", on=start)
        Application.objects.filter(pk=application.pk).update(state="corrections")
        inspection = Inspection.objects.create(
            application=application,
            step_key="review",
            inspected_on=start,
            findings="ท่อระบายไม่ได้มาตรฐาน",
            outcome=Inspection.Outcome.CORRECTIONS,
            corrections="เปลี่ยนท่อระบาย",
            officer=MemberFactory(),
        )
    due_before = application.steps.get(key="review").due_on
    monkeypatch.setattr(clock, "today", lambda: start + dt.timedelta(days=7))
    services.corrections_report(acting=acting, application_id=application.pk, note="เปลี่ยนแล้ว")
    application.refresh_from_db()
    inspection.refresh_from_db()
    assert inspection.corrections_done_at is not None
    assert application.state == Application.State.IN_REVIEW and not application.clock_paused
    assert application.steps.get(key="review").due_on > due_before
    assert application.declarations.filter(kind=Declaration.Kind.CORRECTIONS).exists()
    assert application.events.filter(kind="corrections_reported").exists()
