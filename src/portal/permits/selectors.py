"""The applicant's reads (PRM-05 to PRM-10): their applications, one application, its
checklist and its timeline. Only the acting principal's applications are ever found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from portal.core.acting import Acting
from portal.core.thaidate import format_date
from portal.operators.factory_selectors import (
    member_factories,
    member_factory,
    member_verified_holding,
    member_verified_holdings,
)
from portal.operators.supervisors import PROVINCES
from portal.permits import clock
from portal.permits.definitions import Document, Procedure, Step, procedure, procedures
from portal.permits.models import Application, ApplicationFile, DeficiencyRecord, Inspection
from portal.permits.services import (
    all_answers,
    deficiency_keys,
    documents_required,
    eligibility_failures,
    extension_allowed,
    fee_preview,
    held_factory_nos,
    new_factory_province,
)
from portal.permits.services import submission_missing as services_missing
from portal.workdays import selectors as workdays

__all__ = [
    "ProcedureChoice",
    "application_checklist",
    "application_for_applicant",
    "application_timeline",
    "applications_for_applicant",
    "business_for_applicant",
    "businesses_for_applicant",
    "deficiency_slots",
    "procedure_choices",
    "procedure_choices_for_business",
    "province_choices",
]


def _principal_key(acting: Acting) -> str | None:
    if acting.actor is None or acting.principal is None:
        return None
    return acting.principal.key


def applications_for_applicant(*, acting: Acting, state: str = "") -> QuerySet[Application]:
    """The acting principal's applications, newest first; drafts included (resumable)."""
    key = _principal_key(acting)
    if key is None:
        return Application.objects.none()
    rows = Application.objects.filter(principal_key=key).exclude(state=Application.State.WITHDRAWN)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("factory").order_by("-updated_at", "-pk")


def application_for_applicant(*, acting: Acting, application_id: int) -> Application | None:
    """One application of the acting principal, or None (the page answers 404)."""
    key = _principal_key(acting)
    if key is None:
        return None
    return (
        Application.objects.filter(pk=application_id, principal_key=key)
        # The letter and the extended application are read when set (see review_selectors).
        .select_related("factory", "business")
        .first()
    )


def procedure_of(application: Application) -> Procedure | None:
    return procedure(application.procedure_code)


# --- choosing what to apply for -------------------------------------------------------------


@dataclass
class ProcedureChoice:
    """A procedure for one factory: whether the member may apply, and why not (PRM-05)."""

    procedure: Procedure
    failures: list  # eligibility failures (.check, .reason), [] when eligible

    @property
    def eligible(self) -> bool:
        return not self.failures


def factories_for_applicant(*, acting: Acting):
    if acting.actor is None:
        return []
    return list(member_factories(member=acting.actor))


def procedure_choices(*, acting: Acting, factory_holding_id: int) -> list[ProcedureChoice] | None:
    """Every procedure with its eligibility for this factory of the member's profile, checked
    before anything is typed; None when the factory is not in the profile."""
    if acting.actor is None:
        return None
    row = member_factory(member=acting.actor, factory_holding_id=factory_holding_id)
    if row is None:
        return None
    held = held_factory_nos(acting.actor)
    return [
        ProcedureChoice(
            procedure=item,
            failures=eligibility_failures(
                item,
                factory=row.factory,
                business=row.holding.business,
                member=acting.actor,
                held=held,
            ),
        )
        for item in procedures().values()
        if "factory" in item.starts_from
    ]


def businesses_for_applicant(*, acting: Acting):
    """PRM-05: the businesses the member holds through a verified holding, a new factory of
    which may apply (for the procedures that start from a business)."""
    if acting.actor is None:
        return []
    return list(member_verified_holdings(member=acting.actor))


def business_for_applicant(*, acting: Acting, holding_id: int):
    if acting.actor is None:
        return None
    return member_verified_holding(member=acting.actor, holding_id=holding_id)


def procedure_choices_for_business(
    *, acting: Acting, holding_id: int
) -> list[ProcedureChoice] | None:
    """PRM-05: the procedures that start from a business, each with its eligibility for a new
    factory of this business (the checks of a held factory do not apply); None when the
    business is not held through a verified holding of the member (a 404)."""
    holding = business_for_applicant(acting=acting, holding_id=holding_id)
    if holding is None:
        return None
    return [
        ProcedureChoice(
            procedure=item,
            failures=eligibility_failures(
                item, factory=None, business=holding.business, member=acting.actor
            ),
        )
        for item in procedures().values()
        if item.starts_from_business()
    ]


def province_choices(language_: str | None = None) -> list[tuple[str, str]]:
    """(Thai name, name in the page's language) of Thailand's 77 provinces, Thai order."""
    english = (language_ or language()).startswith("en")
    rows = [(p.name_th, p.name_en if english else p.name_th) for p in PROVINCES]
    return sorted(rows, key=lambda row: row[1])


# --- the checklist ------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    document: Document
    file: ApplicationFile | None

    @property
    def done(self) -> bool:
        return self.file is not None or not self.document.upload


def application_checklist(application: Application, procedure_: Procedure) -> list[ChecklistItem]:
    """The documents that apply to the current answers, each with its uploaded file."""
    files = {
        f.document_key: f
        for f in application.files.filter(replaced_at__isnull=True, deficiency__isnull=True)
    }
    return [
        ChecklistItem(document=document, file=files.get(document.key))
        for document in documents_required(procedure_, application)
    ]


@dataclass
class DeficiencySlot:
    key: str
    text: str
    document: Document | None
    file: ApplicationFile | None


def deficiency_slots(
    application: Application, procedure_: Procedure, record: DeficiencyRecord
) -> list[DeficiencySlot]:
    """Each item of a deficiency record with the file supplied for it (PRM-08)."""
    documents = {d.key: d for d in procedure_.documents}
    files = {f.document_key: f for f in record.files.filter(replaced_at__isnull=True)}
    return [
        DeficiencySlot(
            key=key,
            text=item.get("text", ""),
            document=documents.get(item.get("document_key") or ""),
            file=files.get(key),
        )
        for key, item in zip(deficiency_keys(record), record.items, strict=True)
    ]


def open_deficiency(application: Application) -> DeficiencyRecord | None:
    return application.deficiencies.filter(state=DeficiencyRecord.State.OPEN).first()


# --- the timeline (PRM-07, PRM-09) ---------------------------------------------------------


@dataclass
class TimelineStep:
    step: Step
    state: str
    state_label: str
    started_on: dt.date | None
    due_on: dt.date | None
    finished_at: dt.datetime | None
    late_days: int
    pauses: list = field(default_factory=list)


@dataclass
class Timeline:
    steps: list[TimelineStep]
    events: list
    deficiencies: list
    inspections: list
    due_on: dt.date | None
    late_days: int
    paused: bool
    # Read from the lists above, not again from the database (open_deficiency and
    # corrections_waiting ask the same of an application alone).
    open_deficiency: DeficiencyRecord | None = None
    corrections_waiting: Inspection | None = None


def application_timeline(
    application: Application, procedure_: Procedure, today: dt.date | None = None
) -> Timeline:
    """Each step with its due date (moved by pauses), its state, how late it is in its unit,
    the pauses of the clock and why; the events, deficiency records and inspections."""
    today = today or clock.today()
    rows = {row.key: row for row in application.steps.all()}
    pauses = list(application.pauses.order_by("started_on", "pk"))
    steps = []
    for definition in procedure_.steps:
        row = rows.get(definition.key)
        late = 0
        if row is not None and row.due_on is not None:
            if row.state in ("running", "paused") and not application.clock_paused:
                late = workdays.days_late(row.due_on, today, definition.unit)
            elif row.state == "done" and row.finished_at is not None:
                finished = row.finished_at.date()
                late = workdays.days_late(row.due_on, finished, definition.unit)
        steps.append(
            TimelineStep(
                step=definition,
                state=row.state if row else "waiting",
                state_label=str(row.get_state_display()) if row else "",
                started_on=row.started_on if row else None,
                due_on=row.due_on if row else None,
                finished_at=row.finished_at if row else None,
                late_days=max(late, 0),
                pauses=[p for p in pauses if p.step_key == definition.key],
            )
        )
    open_states = {"submitted", "in_review"}
    overall_late = 0
    if application.due_on and application.state in open_states and not application.clock_paused:
        overall_late = max(workdays.days_late(application.due_on, today, procedure_.unit), 0)
    deficiencies = list(application.deficiencies.order_by("written_at", "pk"))
    inspections = list(application.inspections.order_by("recorded_at", "pk"))
    waiting = None
    if application.state == Application.State.CORRECTIONS:
        waiting = next(
            (
                inspection
                for inspection in reversed(inspections)
                if inspection.outcome == "corrections" and inspection.corrections_done_at is None
            ),
            None,
        )
    return Timeline(
        steps=steps,
        # The applicant's timeline names no officer: the events alone, not who wrote them.
        events=list(application.events.all()),
        deficiencies=deficiencies,
        inspections=inspections,
        due_on=application.due_on,
        late_days=overall_late,
        paused=application.clock_paused,
        open_deficiency=next(
            (r for r in deficiencies if r.state == DeficiencyRecord.State.OPEN), None
        ),
        corrections_waiting=waiting,
    )


def application_fee(application: Application, procedure_: Procedure):
    return fee_preview(procedure_, application.answers)


def may_extend(application: Application, procedure_: Procedure | None) -> bool:
    return (
        extension_allowed(application, procedure_)
        and not application.extensions.exclude(
            state__in=[Application.State.WITHDRAWN, Application.State.DRAFT, "returned"]
        )
        .exclude(outcome="refused")
        .exists()
    )


def language() -> str:
    return translation.get_language() or "th"


# --- what the pages show --------------------------------------------------------------------


@dataclass
class Row:
    application: Application
    procedure: Procedure | None


def with_procedures(applications) -> list[Row]:
    """The list's rows with their definitions (names in the page's language)."""
    return [Row(application=a, procedure=procedure(a.procedure_code)) for a in applications]


def factory_for_applicant(*, acting: Acting, factory_holding_id: int):
    if acting.actor is None:
        return None
    return member_factory(member=acting.actor, factory_holding_id=factory_holding_id)


def condition_hints(procedure_: Procedure) -> dict[str, str]:
    """For a question asked only in some cases: when (as a hint beside it)."""
    language_ = language()
    labels = {f.key: f for f in procedure_.fields}
    hints = {}
    for f in procedure_.fields:
        condition = f.when
        if condition is None or condition.field is None or condition.field not in labels:
            continue
        about = labels[condition.field]
        wanted = [condition.equals] if condition.equals is not None else list(condition.in_ or [])
        names = {c.value: c.label.get(language_) for c in about.choices}
        answers = ", ".join(names.get(str(v), str(v)) for v in wanted)
        hints[f.key] = _("Answer only when “%(question)s” is %(answers)s.") % {
            "question": about.label.get(language_),
            "answers": answers,
        }
    return hints


@dataclass
class Answer:
    label: str
    value: str


def answers_summary(application: Application, procedure_: Procedure) -> list[Answer]:
    """The answers as the applicant reads them back before signing (and on the timeline)."""
    language_ = language()
    if application.extends_id:
        until = application.answers.get("extend_until")
        return [
            Answer(
                _("New end date"),
                format_date(dt.date.fromisoformat(until)) if until else "",
            ),
            Answer(_("Why the period must be extended"), application.answers.get("reason", "")),
        ]
    rows = []
    for f in procedure_.fields:
        value = application.answers.get(f.key)
        if value is None:
            continue
        if f.kind == "machines":
            text = "; ".join(
                _("%(name)s %(hp)s HP × %(count)s")
                % {"name": m["name"], "hp": m["horsepower"], "count": m["count"]}
                for m in value
            )
        elif f.kind == "date":
            text = format_date(dt.date.fromisoformat(value))
        elif f.kind == "choice":
            text = next((c.label.get(language_) for c in f.choices if c.value == value), value)
        elif f.kind == "boolean":
            text = _("Yes") if value else _("No")
        elif f.kind == "province":
            text = dict(province_choices(language_)).get(value, value)
        else:
            text = str(value)
        rows.append(Answer(f.label.get(language_), text))
    return rows


def submission_missing(application: Application, procedure_: Procedure) -> list[str]:
    return services_missing(procedure_, application)


def corrections_waiting(application: Application):
    if application.state != Application.State.CORRECTIONS:
        return None
    return (
        application.inspections.filter(outcome="corrections", corrections_done_at__isnull=True)
        .order_by("-recorded_at")
        .first()
    )


def extensions_of(application: Application) -> list[Application]:
    return list(application.extensions.exclude(state=Application.State.WITHDRAWN).order_by("pk"))


def extension_initial(application: Application) -> dict:
    answers = application.answers
    initial = {"reason": answers.get("reason", "")}
    if answers.get("extend_until"):
        initial["extend_until"] = dt.date.fromisoformat(answers["extend_until"])
    return initial


def extension_latest(application: Application, procedure_: Procedure) -> dt.date | None:
    """The latest end date an extension may ask (PRM-04)."""
    granted = application.extends
    if granted is None or granted.granted_until is None or procedure_.extension is None:
        return None
    return granted.granted_until + dt.timedelta(days=procedure_.extension.max_days)


def application_file(application: Application, file_id: int) -> ApplicationFile | None:
    return application.files.filter(pk=file_id).first()


def eligibility_now(application: Application, procedure_: Procedure) -> list:
    """PRM-05: the checks again with the answers given so far (the self-assessment, the
    horsepower): what the draft would be refused for at submission."""
    return eligibility_failures(
        procedure_,
        factory=application.factory,
        business=application.business,
        member=application.applicant,
        answers=all_answers(application),
    )


def new_factory_label(application: Application, procedure_: Procedure | None = None) -> str:
    """PRM-05: an application for a new factory (no factory yet): the factory's name and
    province as its applicant answered them ("" for what is not answered yet)."""
    procedure_ = procedure_ or procedure(application.procedure_code)
    province = new_factory_province(application, procedure_)
    return " · ".join(part for part in (application.new_factory_name, province) if part)
