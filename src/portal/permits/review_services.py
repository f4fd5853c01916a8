"""The officer's acts on permit applications (issue 11: PRM-04, PRM-08, PRM-09, PRM-12,
ADM-01 to ADM-03), and the scheduled work behind them (deficiency deadlines, reminders).

Every act takes `acting`, locks the application's row, and refuses unless the officer's agency
and area answer for it (review_selectors.scope_q: DIW for Bangkok, the provincial office of the
factory's province elsewhere), the officer holds the right (permits.review_application, or
permits.decide_application for a decision), the application is not their own (they applied,
or hold its factory or business) and its running step's `actions` in the definition allow the
act now. Each act is audited (who, what, before and after: ADM-03) and written on the
application's timeline (ApplicationEvent). Messages to the applicant go through the outbox in
the same transaction (SMS and email to their verified contacts, in their language).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.billing.services import (
    BillingError,
    bill_issue_for_application,
    factory_mirror_upsert,
)
from portal.core.acting import Acting, OfficerScope, system_acting
from portal.core.errors import PortalError
from portal.core.services import audit_record
from portal.core.thaidate import format_date
from portal.operators.errors import OperatorError
from portal.operators.factory_selectors import registry_factory_of_business
from portal.operators.factory_services import factory_link_licensed
from portal.operators.supervisors import BANGKOK
from portal.permits import clock
from portal.permits.definitions import Procedure, Result, procedure
from portal.permits.letters import letter_issue
from portal.permits.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    ClockPause,
    DeficiencyRecord,
    Inspection,
)
from portal.permits.review_selectors import (
    DECIDE_PERMISSION,
    REVIEW_PERMISSION,
    actions_now,
    colleagues,
    is_own_case,
    officer_may,
    scope_q,
    steps_due_between,
)
from portal.registries.diw import RegistryUnavailable
from portal.registries.tasks import queue_email, queue_sms
from portal.workdays import selectors as workdays

__all__ = [
    "BILL_DUE_DAYS",
    "LATE_NOTICE_EVERY_DAYS",
    "NEW_FACTORY_ACTIONS",
    "ReviewError",
    "application_accept",
    "application_assign",
    "application_decide",
    "deficiencies_expire",
    "deficiency_write",
    "inspection_record",
    "late_notices_send",
    "needs_factory_no",
    "officers_morning_notice",
    "step_advance",
]

# PRM-12: the applicant is told every 7 days while the application is past its due time.
LATE_NOTICE_EVERY_DAYS = 7
# The fee's bill is due this many days after it is issued (docs/decisions.md, issue 11).
BILL_DUE_DAYS = 30
State = Application.State


class ReviewError(PortalError):
    """An officer's act refused; code "not_found" (outside the officer's scope: the pages
    answer 404), "permission", "own_case", "action" (the step does not allow it now) or a
    field's own code."""


# --- the guard every act passes ---------------------------------------------------------------


@dataclass
class Case:
    application: Application
    definition: Procedure


def _case(
    acting: Acting, application_id: int, action: str, *, permission: str = REVIEW_PERMISSION
) -> Case:
    """Lock the application and check the officer may do `action` to it now."""
    where = scope_q(acting)
    if where is None:
        raise ReviewError(_("This application is not in your agency's queue."), code="not_found")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("factory", "business", "applicant")
        .filter(where, pk=application_id)
        .exclude(state=State.DRAFT)
        .first()
    )
    if application is None:
        raise ReviewError(_("This application is not in your agency's queue."), code="not_found")
    if not officer_may(acting, permission):
        raise ReviewError(_("You may not do this."), code="permission")
    if is_own_case(acting, application):
        raise ReviewError(
            _("This application is yours or your business's: another officer must handle it."),
            code="own_case",
        )
    definition = procedure(application.procedure_code)
    if definition is None:
        raise ReviewError(_("This procedure is no longer published."), code="action")
    if action not in actions_now(acting=acting, application=application, definition=definition):
        raise ReviewError(_("This cannot be done at this step now."), code="action")
    return Case(application, definition)


def _snapshot(application: Application) -> dict:
    return {
        "state": application.state,
        "current_step": application.current_step,
        "current_due_on": str(application.current_due_on or ""),
        "due_on": str(application.due_on or ""),
        "clock_paused": application.clock_paused,
        "assigned_to": application.assigned_to_id,
        "outcome": application.outcome,
        "granted_until": str(application.granted_until or ""),
    }


def _record(acting: Acting, application: Application, kind: str, before: dict, **data) -> None:
    audit_record(
        action=f"permit.{kind}",
        target=application,
        before=before,
        after={**_snapshot(application), **data},
        acting=acting,
    )
    ApplicationEvent.objects.create(
        application=application, kind=kind, actor=acting.actor, data=data
    )


def _save(application: Application, *fields: str) -> None:
    application.updated_at = timezone.now()
    application.save(update_fields=[*fields, "updated_at"])


def _tell(member, subject: str, body: str) -> None:
    """SMS and email to a member's verified contacts, in the outbox of this transaction."""
    if member.mobile_verified:
        queue_sms(to=member.mobile, body=body)
    if member.email_verified:
        queue_email(to=member.email, subject=subject, body=body)


def _next_step(definition: Procedure, key: str) -> str | None:
    keys = [step.key for step in definition.steps]
    index = keys.index(key)
    return keys[index + 1] if index + 1 < len(keys) else None


def _procedure_name(definition: Procedure) -> str:
    return definition.name.get(translation.get_language() or "th")


# --- assign -------------------------------------------------------------------------------------


def application_assign(*, acting: Acting, application_id: int, officer_id: int) -> Application:
    """ADM-02: assign to oneself or a colleague of the same agency and area with the right to
    review (never to someone whose own case it is)."""
    with transaction.atomic():
        case = _case(acting, application_id, "assign")
        application = case.application
        colleague = colleagues(acting=acting).filter(pk=officer_id).first()
        if colleague is None:
            raise ReviewError(
                _("Choose an officer of your agency and area."), field="officer", code="officer"
            )
        if colleague.pk == application.applicant_id:
            raise ReviewError(
                _("This officer applied for it: choose another officer."),
                field="officer",
                code="own_case",
            )
        before = _snapshot(application)
        application.assigned_to = colleague
        _save(application, "assigned_to")
        _record(acting, application, "assigned", before, officer=colleague.display_name)
    return application


# --- the document check (PRM-08) --------------------------------------------------------------


def _bill_fee(acting: Acting, case: Case) -> None:
    """The definition's fee as a bill of the billing module, priced by its table on the
    application's horsepower; its id kept on the application."""
    application, fee = case.application, case.definition.fee
    if application.factory is None or not fee.bill_kind or application.bill_id:
        return
    try:
        bill = bill_issue_for_application(
            acting=acting,
            factory_no=application.factory.factory_no,
            kind=fee.bill_kind,
            horsepower=application.horsepower,
            due_on=clock.today() + dt.timedelta(days=BILL_DUE_DAYS),
            period=f"{case.definition.short_name.th} {application.number}",
        )
    except BillingError as error:
        raise ReviewError(error.message, code=f"bill_{error.code}") from error
    application.bill_id = bill.pk
    application.fee_satang = bill.fee_satang
    application.fee_table_version = bill.fee_table_version
    _save(application, "bill_id", "fee_satang", "fee_table_version")
    ApplicationEvent.objects.create(
        application=application,
        kind="billed",
        actor=acting.actor,
        data={"amount_satang": bill.amount_satang, "ref1": bill.ref1},
    )


def application_accept(*, acting: Acting, application_id: int) -> Application:
    """PRM-08: the documents are complete: the document check ends, the legal clock starts
    (the procedure's due date counts from today) and the next step starts. A fee collected at
    the document check becomes a bill."""
    with transaction.atomic():
        case = _case(acting, application_id, "accept")
        application, definition = case.application, case.definition
        before = _snapshot(application)
        check_key = application.current_step
        clock.step_finish(application, check_key, by=acting.actor)
        clock.clock_start(application, definition)
        following = _next_step(definition, check_key)
        if following:
            clock.step_start(application, definition, following)
        application.state = State.IN_REVIEW
        if application.assigned_to_id is None:
            application.assigned_to = acting.actor
        _save(application, "state", "assigned_to")
        if definition.fee.when == "at_document_check":
            _bill_fee(acting, case)
        _record(acting, application, "accepted", before)
    return application


@dataclass(frozen=True)
class Missing:
    """One line of a deficiency record: the checklist's document (or "") and what is wrong."""

    document_key: str
    text: str


def deficiency_write(
    *,
    acting: Acting,
    application_id: int,
    items: list[Missing],
    deadline: dt.date,
) -> DeficiencyRecord:
    """PRM-08, PRM-12: one record listing everything missing at once, with a deadline; the clock
    pauses until the applicant completes it (the due dates after it then move by the pause);
    the applicant is told by SMS and email. Only one record is open at a time."""
    items = [item for item in items if item.text.strip()]
    if not items:
        raise ReviewError(
            _("List everything that is missing, one item a line."), field="items", code="items"
        )
    if deadline <= clock.today():
        raise ReviewError(_("The deadline must be after today."), field="deadline", code="deadline")
    with transaction.atomic():
        case = _case(acting, application_id, "deficiency")
        application, definition = case.application, case.definition
        if application.deficiencies.filter(state=DeficiencyRecord.State.OPEN).exists():
            raise ReviewError(_("A deficiency record is already open."), code="open")
        keys = {d.key for d in definition.documents}
        for item in items:
            if item.document_key and item.document_key not in keys:
                raise ReviewError(_("Choose a document of the checklist."), code="items")
        before = _snapshot(application)
        record = DeficiencyRecord.objects.create(
            application=application,
            items=[{"document_key": i.document_key, "text": i.text.strip()} for i in items],
            deadline=deadline,
            written_by=acting.actor,
        )
        if not application.clock_paused:
            clock.clock_pause(application, ClockPause.Reason.DEFICIENCY)
        application.state = State.DEFICIENT
        _save(application, "state")
        _record(
            acting,
            application,
            "deficiency",
            before,
            record=record.pk,
            items=record.items,
            deadline=str(deadline),
        )
        member = application.applicant
        with translation.override(member.language or "th"):
            lines = "\n".join(f"- {item['text']}" for item in record.items)
            subject = _("Documents missing from application %(number)s") % {
                "number": application.number
            }
            body = _(
                "Application %(number)s (%(procedure)s) lacks these documents:\n%(items)s\n"
                "Supply them in the Industry Portal by %(deadline)s, or the application is "
                "returned. The legal time is paused until then."
            ) % {
                "number": application.number,
                "procedure": _procedure_name(definition),
                "items": lines,
                "deadline": format_date(deadline),
            }
        _tell(member, subject, body)
    return record


def deficiencies_expire(*, on: dt.date | None = None) -> int:
    """PRM-08 (the daily job): an open deficiency record past its deadline returns its
    application: the record expires, the application is returned with its documents (the
    files stay stored for the record) and the applicant is told. Returns how many."""
    on = on or clock.today()
    acting = system_acting(channel="task")
    returned = 0
    due = list(
        DeficiencyRecord.objects.filter(
            state=DeficiencyRecord.State.OPEN, deadline__lt=on
        ).values_list("pk", flat=True)
    )
    for record_id in due:
        with transaction.atomic():
            record = (
                DeficiencyRecord.objects.select_for_update()
                .filter(pk=record_id, state=DeficiencyRecord.State.OPEN)
                .first()
            )
            if record is None:
                continue
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("applicant")
                .get(pk=record.application_id)
            )
            before = _snapshot(application)
            record.state = DeficiencyRecord.State.EXPIRED
            record.save(update_fields=["state"])
            application.pauses.filter(ended_on__isnull=True).update(ended_on=on)
            application.steps.filter(
                state__in=[ApplicationStep.State.RUNNING, ApplicationStep.State.PAUSED]
            ).update(state=ApplicationStep.State.SKIPPED, finished_at=timezone.now())
            application.state = State.RETURNED
            application.outcome = "returned"
            application.reasons = "deficiency_deadline"
            application.decided_at = timezone.now()
            application.current_step = ""
            application.current_due_on = None
            application.clock_paused = False
            _save(
                application,
                "state",
                "outcome",
                "reasons",
                "decided_at",
                "current_step",
                "current_due_on",
                "clock_paused",
            )
            _record(
                acting,
                application,
                "returned",
                before,
                record=record.pk,
                deadline=str(record.deadline),
                documents="returned",
            )
            member = application.applicant
            with translation.override(member.language or "th"):
                subject = _("Application %(number)s returned") % {"number": application.number}
                body = _(
                    "The missing documents of application %(number)s were not supplied by "
                    "%(deadline)s: the application and its documents are returned to you. "
                    "The files stay in the portal for the record; you may apply again."
                ) % {"number": application.number, "deadline": format_date(record.deadline)}
            _tell(member, subject, body)
            application.result_notified_at = timezone.now()
            application.save(update_fields=["result_notified_at"])
            returned += 1
    return returned


# --- consideration: inspections and steps ----------------------------------------------------


def inspection_record(
    *,
    acting: Acting,
    application_id: int,
    inspected_on: dt.date,
    findings: str,
    outcome: str,
    corrections: str = "",
    corrections_deadline: dt.date | None = None,
) -> Inspection:
    """Record an inspection (class 3 readiness under s.8). Corrections, when the step allows
    ordering them, pause the clock until the applicant reports them done (the applicant's
    services resume it); the applicant is told what to correct and by when."""
    if inspected_on > clock.today():
        raise ReviewError(
            _("The inspection date cannot be in the future."),
            field="inspected_on",
            code="inspected_on",
        )
    if not findings.strip():
        raise ReviewError(_("Write what was found."), field="findings", code="findings")
    if outcome not in Inspection.Outcome.values:
        raise ReviewError(_("Choose the outcome."), field="outcome", code="outcome")
    if outcome == Inspection.Outcome.CORRECTIONS:
        if not corrections.strip():
            raise ReviewError(
                _("Write what must be corrected."), field="corrections", code="corrections"
            )
        if corrections_deadline is None or corrections_deadline <= clock.today():
            raise ReviewError(
                _("The deadline must be after today."),
                field="corrections_deadline",
                code="deadline",
            )
    with transaction.atomic():
        case = _case(acting, application_id, "inspect")
        application, definition = case.application, case.definition
        step = definition.step(application.current_step)
        if outcome == Inspection.Outcome.CORRECTIONS and "order_corrections" not in step.actions:
            raise ReviewError(
                _("Corrections cannot be ordered at this step."), field="outcome", code="action"
            )
        before = _snapshot(application)
        inspection = Inspection.objects.create(
            application=application,
            step_key=step.key,
            inspected_on=inspected_on,
            findings=findings.strip(),
            outcome=outcome,
            corrections=corrections.strip() if outcome == Inspection.Outcome.CORRECTIONS else "",
            corrections_deadline=corrections_deadline
            if outcome == Inspection.Outcome.CORRECTIONS
            else None,
            officer=acting.actor,
        )
        if outcome == Inspection.Outcome.CORRECTIONS:
            clock.clock_pause(application, ClockPause.Reason.CORRECTIONS)
            application.state = State.CORRECTIONS
            _save(application, "state")
        _record(
            acting,
            application,
            "inspected",
            before,
            inspection=inspection.pk,
            outcome=outcome,
            corrections=inspection.corrections,
            deadline=str(corrections_deadline or ""),
        )
        if outcome == Inspection.Outcome.CORRECTIONS:
            member = application.applicant
            with translation.override(member.language or "th"):
                subject = _("Corrections ordered for application %(number)s") % {
                    "number": application.number
                }
                body = _(
                    "After the inspection of application %(number)s, correct the following by "
                    "%(deadline)s and report it in the Industry Portal: %(corrections)s"
                ) % {
                    "number": application.number,
                    "deadline": format_date(corrections_deadline),
                    "corrections": inspection.corrections,
                }
            _tell(member, subject, body)
    return inspection


def step_advance(*, acting: Acting, application_id: int) -> Application:
    """Finish the running step (after the document check) and start the next one."""
    with transaction.atomic():
        case = _case(acting, application_id, "advance")
        application, definition = case.application, case.definition
        before = _snapshot(application)
        finished = application.current_step
        clock.step_finish(application, finished, by=acting.actor)
        following = _next_step(definition, finished)
        clock.step_start(application, definition, following)
        _record(acting, application, "step_finished", before, step=finished, next=following)
    return application


# --- decisions (PRM-04, PRM-09) -----------------------------------------------------------------

OUTCOME_OF = {"approve": "granted", "acknowledge": "acknowledged", "refuse": "refused"}


def _result(definition: Procedure, outcome: str) -> Result | None:
    return next((r for r in definition.results if r.outcome == outcome), None)


def _check_period(
    application: Application,
    definition: Procedure,
    result: Result | None,
    granted_from: dt.date | None,
    granted_until: dt.date | None,
    on: dt.date,
) -> tuple[dt.date | None, dt.date | None]:
    """PRM-04: a period of at most result.max_period_days from the order; an extension at most
    extension.max_days beyond the current end of the granted application."""
    extended = application.extends
    if extended is not None and definition.extension is not None:
        current_end = extended.granted_until
        if current_end is None:
            raise ReviewError(_("The extended permit has no period."), code="period")
        if granted_until is None or granted_until <= current_end:
            raise ReviewError(
                _("The new end must be after the current end, %(end)s.")
                % {"end": format_date(current_end)},
                field="granted_until",
                code="period",
            )
        limit = current_end + dt.timedelta(days=definition.extension.max_days)
        if granted_until > limit:
            raise ReviewError(
                _("An extension adds at most %(days)s days: the latest end is %(limit)s.")
                % {"days": definition.extension.max_days, "limit": format_date(limit)},
                field="granted_until",
                code="period",
            )
        return current_end + dt.timedelta(days=1), granted_until
    if result is None or result.max_period_days is None:
        return None, None
    granted_from = granted_from or on
    if granted_until is None:
        raise ReviewError(
            _("Enter the end of the permitted period."), field="granted_until", code="period"
        )
    if granted_from < on or granted_until < granted_from:
        raise ReviewError(
            _("The period must start from the order on and end after it starts."),
            field="granted_until",
            code="period",
        )
    limit = on + dt.timedelta(days=result.max_period_days)
    if granted_until > limit:
        raise ReviewError(
            _("The period may last at most %(days)s days from the order: until %(limit)s.")
            % {"days": result.max_period_days, "limit": format_date(limit)},
            field="granted_until",
            code="period",
        )
    return granted_from, granted_until


# The outcomes after which a new factory exists under a DIW registration number, with the
# class of factory each is for (Factory Act): a licence granted (ร.ง.4) for class 3, a notice
# acknowledged (ร.ง.2, DIW registers the factory too) for class 2.
FACTORY_CLASS_OF = {"granted": 3, "acknowledged": 2}
# The decisions (actions) that take the new factory's registration number.
NEW_FACTORY_ACTIONS = tuple(
    action for action, outcome in OUTCOME_OF.items() if outcome in FACTORY_CLASS_OF
)


def needs_factory_no(application: Application) -> bool:
    """PRM-05: approving an application for a new factory (no factory yet), or acknowledging
    its class 2 notice (ร.ง.2), needs the registration number DIW gave the factory."""
    return application.factory_id is None and application.extends_id is None


def _link_new_factory(
    acting: Acting, application: Application, factory_no: str, outcome: str
) -> None:
    """PRM-05: the factory DIW registered for the application's business under `factory_no`
    (refused on the field factory_no when DIW lists no such factory or another operator's),
    linked: the operators' factory row (and the applicant's profile), billing's DIW mirror row,
    application.factory. Audited."""
    if not (factory_no or "").strip():
        raise ReviewError(
            _(
                "Enter the factory registration number the Department of Industrial Works gave "
                "the new factory."
            ),
            field="factory_no",
            code="factory_no",
        )
    try:
        record = registry_factory_of_business(business=application.business, factory_no=factory_no)
    except OperatorError as error:
        raise ReviewError(error.message, field="factory_no", code=error.code) from error
    except RegistryUnavailable as error:
        raise ReviewError(
            _("The Department of Industrial Works' registry cannot be read now: try again later."),
            field="factory_no",
            code="registry_unavailable",
        ) from error
    # ADM-01: the factory DIW registered must be where the application was made for: the
    # office that reviewed it answers for that area, and the fee is billed to that area.
    registered = (record.address or {}).get("province", "")
    applied_for = application.province or BANGKOK
    if registered != applied_for:
        raise ReviewError(
            _(
                "The Department of Industrial Works lists this factory in %(registered)s, but "
                "the application is for a factory in %(applied)s. Check the number."
            )
            % {"registered": registered or "-", "applied": applied_for},
            field="factory_no",
            code="factory_province",
        )
    # A licence is for a class 3 factory, a notice for a class 2 one: the number of another
    # factory of the same business, typed by mistake, is refused rather than linked.
    expected = FACTORY_CLASS_OF[outcome]
    if record.factory_class is not None and record.factory_class != expected:
        raise ReviewError(
            _(
                "The Department of Industrial Works lists this factory as a class %(listed)s "
                "factory, but this decision is for a class %(expected)s factory. Check the "
                "number."
            )
            % {"listed": record.factory_class, "expected": expected},
            field="factory_no",
            code="factory_class",
        )
    factory, _holding = factory_link_licensed(
        record=record, business=application.business, member=application.applicant, acting=acting
    )
    factory_mirror_upsert(record)
    application.factory = factory
    _save(application, "factory")
    audit_record(
        action="permit.factory_linked",
        target=application,
        before={"factory": None},
        after={"factory": factory.pk, "factory_no": factory.factory_no},
        acting=acting,
    )


def application_decide(
    *,
    acting: Acting,
    application_id: int,
    action: str,
    reasons: str = "",
    conditions: list[str] | None = None,
    granted_from: dt.date | None = None,
    granted_until: dt.date | None = None,
    factory_no: str = "",
) -> Application:
    """Approve with conditions (and a period where the result has one, PRM-04), acknowledge (a
    class 2 notice) or refuse with reasons. The decision ends the running step and the steps
    left (a signing step is done by the letter signed now), produces the official letter
    (signed PDF with a QR to the verification page), bills a fee due after approval, and tells
    the applicant at once by SMS and email (PRM-09: within 7 days; result_notified_at).
    Approving a new factory's application (PRM-05) needs `factory_no`, the number DIW
    registered the factory under: it is looked up and linked before the letter and the bill."""
    if action not in OUTCOME_OF:
        raise ReviewError(_("Choose a decision."), field="action", code="action")
    conditions = [c.strip() for c in (conditions or []) if c.strip()]
    if action == "refuse" and not reasons.strip():
        raise ReviewError(_("Give the reasons for refusing."), field="reasons", code="reasons")
    on = clock.today()
    with transaction.atomic():
        case = _case(acting, application_id, action, permission=DECIDE_PERMISSION)
        application, definition = case.application, case.definition
        outcome = OUTCOME_OF[action]
        result = _result(definition, outcome)
        period = (None, None)
        if outcome == "granted":
            period = _check_period(application, definition, result, granted_from, granted_until, on)
        before = _snapshot(application)
        if outcome in FACTORY_CLASS_OF and needs_factory_no(application):
            _link_new_factory(acting, application, factory_no, outcome)
        now = timezone.now()
        running = application.current_step
        for step in application.steps.filter(
            state__in=[
                ApplicationStep.State.RUNNING,
                ApplicationStep.State.PAUSED,
                ApplicationStep.State.WAITING,
            ]
        ):
            kind = definition.step(step.key).kind
            done = step.key == running or kind == "signing"
            step.state = ApplicationStep.State.DONE if done else ApplicationStep.State.SKIPPED
            step.finished_at = now
            step.finished_by = acting.actor
            if step.started_on is None and done:
                step.started_on = on
            step.save(update_fields=["state", "finished_at", "finished_by", "started_on"])
        application.state = State.DECIDED
        application.outcome = outcome
        application.result_key = result.key if result else ""
        application.reasons = reasons.strip() if outcome == "refused" else ""
        application.conditions = conditions if outcome == "granted" else []
        application.granted_from, application.granted_until = period
        application.decided_at = now
        application.decided_by = acting.actor
        application.current_step = ""
        application.current_due_on = None
        application.clock_paused = False
        _save(
            application,
            "state",
            "outcome",
            "result_key",
            "reasons",
            "conditions",
            "granted_from",
            "granted_until",
            "decided_at",
            "decided_by",
            "current_step",
            "current_due_on",
            "clock_paused",
        )
        extended = application.extends
        if outcome == "granted" and extended is not None and definition.extension is not None:
            extended = Application.objects.select_for_update().get(pk=extended.pk)
            extended_before = {"granted_until": str(extended.granted_until)}
            extended.granted_until = application.granted_until
            _save(extended, "granted_until")
            audit_record(
                action="permit.extended",
                target=extended,
                before=extended_before,
                after={
                    "granted_until": str(extended.granted_until),
                    "by_application": application.number,
                },
                acting=acting,
            )
            ApplicationEvent.objects.create(
                application=extended,
                kind="extended",
                actor=acting.actor,
                data={"until": str(extended.granted_until), "by": application.number},
            )
        application.letter = letter_issue(
            application=application,
            definition=definition,
            result=result,
            outcome=outcome,
            acting=acting,
        )
        _save(application, "letter")
        if outcome != "refused" and definition.fee.billed_after(application.result_key):
            _bill_fee(acting, case)
        member = application.applicant
        with translation.override(member.language or "th"):
            subject = _("Result of application %(number)s") % {"number": application.number}
            texts = {
                "granted": _("granted"),
                "acknowledged": _("acknowledged"),
                "refused": _("refused"),
            }
            body = _(
                "Application %(number)s (%(procedure)s) was %(result)s. The signed letter is "
                "in the Industry Portal, under your applications."
            ) % {
                "number": application.number,
                "procedure": _procedure_name(definition),
                "result": texts[outcome],
            }
            if application.bill_id and definition.fee.when == "after_approval":
                body += " " + _("The fee's bill is in the portal's bills.")
        _tell(member, subject, body)
        application.result_notified_at = timezone.now()
        _save(application, "result_notified_at")
        _record(
            acting,
            application,
            "decided",
            before,
            outcome=outcome,
            result=application.result_key,
            letter=application.letter.number,
            reasons=application.reasons,
            conditions=application.conditions,
        )
    return application


# --- reminders (PRM-12) and the officers' morning notice ---------------------------------------


def _expected_decision(application: Application, definition: Procedure, on: dt.date) -> dt.date:
    """When to expect a decision: the running step's own due date if still ahead, else from
    today, plus the time of the steps after it."""
    keys = [step.key for step in definition.steps]
    if application.current_step in keys:
        rest = definition.steps[keys.index(application.current_step) + 1 :]
    else:
        rest = []
    start = max(application.current_due_on or on, on)
    if application.current_due_on is None or application.current_due_on < on:
        start = workdays.due_date(on, 1, definition.unit)
    duration = sum(step.duration for step in rest)
    return workdays.due_date(start, duration, definition.unit) if duration else start


def late_notices_send(*, on: dt.date | None = None) -> int:
    """PRM-12 (daily): every application past its due date, clock running, is told every
    LATE_NOTICE_EVERY_DAYS days (day 7 past due, day 14 ...) why and when to expect a decision.
    One query finds them; each is marked (late_notice_last_on) in its own transaction."""
    on = on or clock.today()
    limit = on - dt.timedelta(days=LATE_NOTICE_EVERY_DAYS)
    candidates = list(
        Application.objects.filter(
            state__in=[State.SUBMITTED, State.IN_REVIEW],
            clock_paused=False,
            due_on__lte=limit,
        )
        .exclude(late_notice_last_on__gt=limit)
        .values_list("pk", flat=True)
    )
    sent = 0
    for application_id in candidates:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("applicant")
                .filter(pk=application_id, clock_paused=False)
                .exclude(late_notice_last_on__gt=limit)
                .first()
            )
            definition = procedure(application.procedure_code) if application else None
            if application is None or definition is None:
                continue
            expected = _expected_decision(application, definition, on)
            days_late = (on - application.due_on).days
            step = definition.step(application.current_step) if application.current_step else None
            member = application.applicant
            with translation.override(member.language or "th"):
                language = translation.get_language()
                subject = _("Application %(number)s is past its due date") % {
                    "number": application.number
                }
                body = _(
                    "Application %(number)s (%(procedure)s) was due on %(due)s and is %(days)s "
                    "days late: the step “%(step)s” is taking longer than its legal time. "
                    "Expect a decision by %(expected)s. We will tell you again every 7 days "
                    "until it is decided."
                ) % {
                    "number": application.number,
                    "procedure": definition.name.get(language),
                    "due": format_date(application.due_on),
                    "days": days_late,
                    "step": step.name.get(language) if step else "",
                    "expected": format_date(expected),
                }
            _tell(member, subject, body)
            application.late_notice_last_on = on
            application.save(update_fields=["late_notice_last_on"])
            ApplicationEvent.objects.create(
                application=application,
                kind="late_notice",
                data={"days_late": days_late, "expected": str(expected)},
            )
            sent += 1
    return sent


def officers_morning_notice(*, on: dt.date | None = None) -> int:
    """Each morning, one message per officer listing the steps due by the next working day:
    those assigned to them, and the unassigned ones of their agency and area to every officer
    there who may review. Returns how many officers were told."""
    on = on or clock.today()
    tomorrow = on + dt.timedelta(days=1)
    last = workdays.due_date(on, 1, "working_days")  # a Friday covers the weekend's dues too
    due = list(steps_due_between(tomorrow, max(tomorrow, last)))
    if not due:
        return 0
    lists: dict[int, tuple[object, list[Application]]] = {}
    areas: dict[tuple[str, str], list] = {}
    for application in due:
        if application.assigned_to_id:
            officer = application.assigned_to
            lists.setdefault(officer.pk, (officer, []))[1].append(application)
            continue
        area = (application.agency, application.province if application.agency == "PIO" else "")
        if area not in areas:
            agency, province = area
            area_acting = Acting(
                actor=None,
                officer=_scope(agency, province),
                channel="task",
            )
            areas[area] = list(colleagues(acting=area_acting))
        for officer in areas[area]:
            lists.setdefault(officer.pk, (officer, []))[1].append(application)
    told = 0
    with transaction.atomic():
        for officer, applications in lists.values():
            with translation.override(officer.language or "th"):
                subject = _("Application steps due by %(day)s") % {"day": format_date(last)}
                lines = "\n".join(
                    f"- {a.number} ({format_date(a.current_due_on)})" for a in applications
                )
                body = _("These application steps are due by %(day)s:\n%(lines)s") % {
                    "day": format_date(last),
                    "lines": lines,
                }
            if officer.email_verified:
                queue_email(to=officer.email, subject=subject, body=body)
            elif officer.mobile_verified:
                queue_sms(to=officer.mobile, body=body)
            else:
                continue
            told += 1
    return told


def _scope(agency: str, province: str) -> OfficerScope:
    return OfficerScope(member_id=0, agency=agency, province=province)


def officers_morning_notice_daily(*, hour: int = 7) -> int:
    """The scheduled form: once a day, from `hour` o'clock Bangkok time (the schedule runs it
    hourly; a cache entry shared by the workers marks the day done)."""
    now = timezone.localtime()
    if now.hour < hour:
        return 0
    if not cache.add(f"permits:morning-notice:{now.date().isoformat()}", 1, timeout=2 * 86400):
        return 0
    return officers_morning_notice(on=now.date())
