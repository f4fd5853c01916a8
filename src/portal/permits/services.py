"""The applicant's side of an application (PRM-05 to PRM-10): start a draft after the
eligibility checks, save its answers, upload the checklist's documents, see the fee, sign the
declaration and submit; later supply what a deficiency record asks for, report corrections,
ask for an extension of a granted period, withdraw a draft.

Every function takes the acting context and finds the application through the acting
principal: another member's application is never found (PermitNotFound, a 404 on the pages).
The officer's side is in portal.permits.review_services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.billing.fees import tier_amount
from portal.billing.selectors import fee_table_in_force, fee_table_tiers
from portal.core.acting import Acting
from portal.core.errors import PortalError
from portal.core.services import audit_record
from portal.core.thaidate import ce_to_be
from portal.core.uploads import CONTENT_TYPE_OF, validate_document_upload
from portal.operators.factory_selectors import (
    member_factory,
    member_verified_factory_choices,
    member_verified_holding,
)
from portal.operators.supervisors import BANGKOK, UnknownProvince, canonical_province
from portal.permits import clock
from portal.permits.definitions import Condition, Document, FormField, Procedure, procedure
from portal.permits.eligibility import eligibility_of
from portal.permits.models import (
    Application,
    ApplicationCounter,
    ApplicationEvent,
    ApplicationFile,
    Declaration,
    DeficiencyRecord,
    Inspection,
)
from portal.registries.tasks import queue_email, queue_sms

logger = logging.getLogger(__name__)

__all__ = [
    "EXTENSION_FIELDS",
    "FeePreview",
    "NotEligible",
    "PermitError",
    "PermitNotFound",
    "answers_sha256",
    "application_save",
    "application_start",
    "application_start_for_business",
    "application_submit",
    "application_withdraw",
    "condition_holds",
    "corrections_report",
    "declaration_statement",
    "deficiency_supply",
    "documents_required",
    "eligibility_failures",
    "extension_request",
    "fee_preview",
    "fields_shown",
    "file_remove",
    "file_upload",
    "machines_parse",
    "routing_of",
    "submission_missing",
]

NUMBER_PREFIX = "PRM"


class PermitError(PortalError):
    """The service refuses: `message` says why, in the page's language."""


class PermitNotFound(PermitError):
    """No such application for this principal (the pages answer 404)."""

    def __init__(self):
        super().__init__(_("There is no such application."), code="not_found")


class NotEligible(PermitError):
    """The eligibility checks failed: `failures` carry each reason (a definitions.Text)."""

    def __init__(self, failures: list):
        super().__init__(_("You cannot apply for this procedure."), code="not_eligible")
        self.failures = failures


# --- the definition applied to one application ------------------------------------------------


def _definition(code: str) -> Procedure:
    found = procedure(code)
    if found is None:
        raise PermitError(_("This procedure is not offered."), code="unknown_procedure")
    return found


def held_factory_nos(member) -> set[str]:
    """The registration numbers of the factories the member holds through a verified holding
    (what the check factory_held asks)."""
    if member is None:
        return set()
    return {number for number, _name in member_verified_factory_choices(member=member)}


def eligibility_failures(
    procedure_: Procedure, *, factory, business, member, answers=None, held=None
):
    """PRM-05: the checks of the definition, run by portal.permits.eligibility; [] when
    eligible. Without a factory but with a business (a new factory), the checks of a held
    factory do not apply and the others read the answers."""
    new_factory = factory is None and business is not None
    if new_factory:
        held = ()
    elif held is None:
        held = held_factory_nos(member)
    return eligibility_of(
        procedure_,
        factory=factory,
        business=business,
        member=member,
        answers=answers,
        held_factory_nos=held,
        new_factory=new_factory,
    )


def _answer_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def condition_holds(
    condition: Condition | None, *, answers: dict, factory=None, business=None, delegated=False
) -> bool:
    """A document's or a field's `when`: every part given must hold (definitions.Condition)."""
    if condition is None:
        return True
    if condition.field is not None:
        given = _answer_text(answers.get(condition.field))
        if condition.equals is not None and given != _answer_text(condition.equals):
            return False
        if condition.in_ is not None and given not in {_answer_text(v) for v in condition.in_}:
            return False
    if condition.factory_class is not None and (
        factory is None or factory.factory_class not in condition.factory_class
    ):
        return False
    if condition.applicant is not None:
        kind = "natural" if getattr(business, "kind", "") == "natural_person" else "juristic"
        if business is None or kind != condition.applicant:
            return False
    return condition.delegated is None or condition.delegated == delegated


def _delegated(application: Application) -> bool:
    return application.principal_key != f"member:{application.applicant_id}"


def fields_shown(procedure_: Procedure, application: Application, answers: dict | None = None):
    """The form's questions that apply to these answers (a field's `when`)."""
    answers = application.answers if answers is None else answers
    return [
        f
        for f in procedure_.fields
        if condition_holds(
            f.when,
            answers=answers,
            factory=application.factory,
            business=application.business,
            delegated=_delegated(application),
        )
    ]


def documents_required(
    procedure_: Procedure, application: Application, answers: dict | None = None
) -> list[Document]:
    """The conditional checklist: the documents of the definition that apply to these answers,
    this factory and this applicant. An extension request carries no new documents."""
    if application.extends_id:
        return []
    answers = application.answers if answers is None else answers
    return [
        d
        for d in procedure_.documents
        if condition_holds(
            d.when,
            answers=answers,
            factory=application.factory,
            business=application.business,
            delegated=_delegated(application),
        )
    ]


# --- answers ------------------------------------------------------------------------------


def machines_parse(text: str) -> list[dict]:
    """A machine list, one machine a line: "name; horsepower; count" (count 1 when left out)."""
    machines = []
    for number, line in enumerate(str(text).splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValueError(
                _(
                    "Line %(line)d: write the machine, its horsepower and the number, "
                    "with ; between."
                )
                % {"line": number}
            )
        try:
            horsepower = Decimal(parts[1].replace(",", ""))
            count = int(parts[2]) if len(parts) == 3 and parts[2] else 1
        except (InvalidOperation, ValueError):
            raise ValueError(
                _("Line %(line)d: the horsepower and the number must be numbers.")
                % {"line": number}
            ) from None
        if horsepower < 0 or count < 1:
            raise ValueError(
                _("Line %(line)d: the horsepower and the number must be positive.")
                % {"line": number}
            )
        machines.append({"name": parts[0][:200], "horsepower": str(horsepower), "count": count})
    return machines


def _coerce(field: FormField, value):
    """One answer as stored (JSON): checked by the field's kind; None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = field.kind
    if kind in ("text", "textarea"):
        return str(value).strip()[: 200 if kind == "text" else 5000]
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true", "yes", "on")
    if kind == "date":
        return (
            value.isoformat()
            if isinstance(value, dt.date)
            else dt.date.fromisoformat(value).isoformat()
        )
    if kind == "choice":
        value = str(value)
        if value not in {c.value for c in field.choices}:
            raise ValueError(_("Choose one of the answers given."))
        return value
    if kind == "machines":
        machines = value if isinstance(value, list) else machines_parse(value)
        return machines or None
    if kind == "province":
        try:
            return canonical_province(str(value))
        except UnknownProvince:
            raise ValueError(_("Choose one of Thailand's provinces.")) from None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if kind == "integer" and number != number.to_integral_value():
        raise ValueError(_("Enter a whole number."))
    if field.min_value is not None and number < field.min_value:
        raise ValueError(_("Enter at least %(min)s.") % {"min": field.min_value})
    if field.max_value is not None and number > field.max_value:
        raise ValueError(_("Enter at most %(max)s.") % {"max": field.max_value})
    return int(number) if kind == "integer" else str(number)


def _answers_clean(procedure_: Procedure, application: Application, raw: dict) -> dict:
    """The answers of the fields that apply (a hidden field's answer is dropped), each checked
    by its kind. A wrong answer is a PermitError naming the field."""
    answers = {}
    for field in procedure_.fields:
        if field.key not in raw:
            continue
        try:
            value = _coerce(field, raw[field.key])
        except (ValueError, TypeError) as error:
            raise PermitError(str(error), field=field.key, code="answer") from error
        if value is not None:
            answers[field.key] = value
    if application.factory_id is None:
        _refuse_expansion_without_factory(procedure_, answers)
    shown = {f.key for f in fields_shown(procedure_, application, answers)}
    return {key: value for key, value in answers.items() if key in shown}


def _refuse_expansion_without_factory(procedure_: Procedure, answers: dict) -> None:
    """PRM-05: a draft for a new factory (no factory yet) cannot ask for an expansion: the
    question horsepower_at_most reads (new or expansion) can only be "new" there."""
    for check in procedure_.eligibility:
        key = check.params.get("field") if check.check == "horsepower_at_most" else None
        if key and answers.get(key) == "expansion":
            raise PermitError(
                _(
                    "An expansion is of a factory you already hold: apply for it from that "
                    "factory. Without a factory, choose a new factory."
                ),
                field=key,
                code="expansion_needs_factory",
            )


def _horsepower(procedure_: Procedure, answers: dict) -> Decimal | None:
    field = procedure_.horsepower_field()
    if field is None or answers.get(field.key) is None:
        return None
    value = answers[field.key]
    if field.kind == "machines":
        return sum((Decimal(m["horsepower"]) * m["count"] for m in value), Decimal(0))
    return Decimal(str(value))


def all_answers(application: Application) -> dict:
    """The form's answers with the self-assessment's (what the eligibility checks read)."""
    return {**application.answers, **application.self_assessment}


def answers_sha256(answers: dict) -> str:
    """PRM-10: the answers as signed, canonical JSON (sorted keys, UTF-8)."""
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the fee (PRM-06) ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeePreview:
    """What the applicant is shown before submitting: the amount from the procedure's fee
    table for the horsepower answered, and when it is collected."""

    when: str  # none, at_document_check, after_approval
    amount_satang: int | None  # None: no fee, or the horsepower not answered yet
    horsepower: Decimal | None
    table_version: str = ""
    table_title: str = ""

    @property
    def baht(self) -> Decimal | None:
        return None if self.amount_satang is None else Decimal(self.amount_satang) / 100


def fee_preview(procedure_: Procedure, answers: dict, on: dt.date | None = None) -> FeePreview:
    """PRM-06: the amount of the procedure's fee table for the horsepower answered."""
    fee = procedure_.fee
    horsepower = _horsepower(procedure_, answers)
    if fee.when == "none" or fee.table is None:
        return FeePreview(when="none", amount_satang=None, horsepower=horsepower)
    table = fee_table_in_force(fee.table, on or clock.today())
    if table is None or horsepower is None:
        return FeePreview(when=fee.when, amount_satang=None, horsepower=horsepower)
    title = table.title_en if translation.get_language() == "en" else table.title_th
    return FeePreview(
        when=fee.when,
        amount_satang=tier_amount(fee_table_tiers(table), horsepower),
        horsepower=horsepower,
        table_version=f"{table.code}:{table.version}",
        table_title=title,
    )


# --- finding an application ---------------------------------------------------------------


def _principal_key(acting: Acting) -> str:
    if acting.actor is None or acting.principal is None:
        raise PermitNotFound
    return acting.principal.key


def _locked(acting: Acting, application_id: int) -> Application:
    """The principal's application, row-locked for the rest of the transaction."""
    application = (
        Application.objects.select_for_update()
        .filter(pk=application_id, principal_key=_principal_key(acting))
        .first()
    )
    if application is None:
        raise PermitNotFound
    return application


def _event(application: Application, kind: str, acting: Acting, **data) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=acting.actor, data=data
    )


def _touch(application: Application) -> None:
    application.updated_at = timezone.now()


# --- start, save, withdraw a draft --------------------------------------------------------


@transaction.atomic
def application_start(*, acting: Acting, procedure_code: str, factory_holding_id: int):
    """PRM-05: a draft for a factory in the member's profile, after the eligibility checks
    (NotEligible with the reasons otherwise). A draft of the same procedure for the same
    factory is resumed rather than doubled."""
    principal_key = _principal_key(acting)
    procedure_ = _definition(procedure_code)
    row = member_factory(member=acting.actor, factory_holding_id=factory_holding_id)
    if row is None:
        raise PermitError(_("This factory is not in your profile."), code="factory")
    business = row.holding.business
    failures = eligibility_failures(
        procedure_, factory=row.factory, business=business, member=acting.actor
    )
    if failures:
        raise NotEligible(failures)
    return _draft_resumed_or_started(acting, principal_key, procedure_, business, row.factory)


def _draft_resumed_or_started(acting, principal_key, procedure_, business, factory):
    """The principal's draft of this procedure for this factory (or, factory None, for a new
    factory of this business), resumed rather than doubled; else a new draft."""
    subject = {"factory": factory} if factory is not None else {"business": business}
    draft = (
        Application.objects.filter(
            principal_key=principal_key,
            procedure_code=procedure_.code,
            factory__isnull=factory is None,
            state=Application.State.DRAFT,
            extends__isnull=True,
            **subject,
        )
        .order_by("-created_at")
        .first()
    )
    if draft is not None:
        return draft
    application = Application.objects.create(
        procedure_code=procedure_.code,
        procedure_version=procedure_.version,
        applicant=acting.actor,
        principal_key=principal_key,
        business=business,
        factory=factory,
    )
    _event(
        application, "draft_started", acting, **({"new_factory": True} if factory is None else {})
    )
    return application


@transaction.atomic
def application_start_for_business(*, acting: Acting, procedure_code: str, holding_id: int):
    """PRM-05: a draft for a new factory of a business the member holds through a verified
    holding (the factory has no registration number yet: business set, factory None), for a
    procedure that starts from a business, after the eligibility checks that apply without a
    factory (NotEligible otherwise). A pending or rejected holding, another member's business or
    a procedure that starts only from a factory: PermitError (a 404). A draft of the same
    procedure for a new factory of the same business is resumed rather than doubled."""
    principal_key = _principal_key(acting)
    procedure_ = _definition(procedure_code)
    holding = member_verified_holding(member=acting.actor, holding_id=holding_id)
    if holding is None or not procedure_.starts_from_business():
        raise PermitError(_("This business is not in your profile."), code="business")
    business = holding.business
    failures = eligibility_failures(
        procedure_, factory=None, business=business, member=acting.actor
    )
    if failures:
        raise NotEligible(failures)
    return _draft_resumed_or_started(acting, principal_key, procedure_, business, None)


@transaction.atomic
def application_save(
    *, acting: Acting, application_id: int, answers: dict, self_assessment: dict | None = None
) -> Application:
    """Keep the draft's answers (checked by kind; the answers of fields that no longer apply
    are dropped), the self-assessment's yes/no answers (PRM-05) and the fee they give
    (PRM-06)."""
    application = _locked(acting, application_id)
    if application.state != Application.State.DRAFT:
        raise PermitError(_("Only a draft can be changed."), code="not_draft")
    procedure_ = _definition(application.procedure_code)
    if application.extends_id:
        application.answers = _extension_answers(application, answers)
    else:
        application.answers = _answers_clean(procedure_, application, answers)
        if self_assessment is not None:
            keys = {q.key for q in procedure_.self_assessment}
            application.self_assessment = {
                key: value
                for key, value in self_assessment.items()
                if key in keys and value in ("yes", "no")
            }
        preview = fee_preview(procedure_, application.answers)
        application.horsepower = preview.horsepower
        application.fee_satang = preview.amount_satang
        application.fee_table_version = preview.table_version
    _touch(application)
    application.save(
        update_fields=[
            "answers",
            "self_assessment",
            "horsepower",
            "fee_satang",
            "fee_table_version",
            "updated_at",
        ]
    )
    return application


@transaction.atomic
def application_withdraw(*, acting: Acting, application_id: int) -> Application:
    """A draft the applicant no longer wants; its uploads are deleted with it."""
    application = _locked(acting, application_id)
    if application.state != Application.State.DRAFT:
        raise PermitError(_("Only a draft can be withdrawn here."), code="not_draft")
    application.state = Application.State.WITHDRAWN
    _touch(application)
    application.save(update_fields=["state", "updated_at"])
    names = [f.file.name for f in application.files.all()]
    application.files.all().delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    _event(application, "withdrawn", acting)
    return application


# --- uploads ------------------------------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _open_deficiency(application: Application) -> DeficiencyRecord | None:
    return application.deficiencies.filter(state=DeficiencyRecord.State.OPEN).first()


def deficiency_keys(record: DeficiencyRecord) -> list[str]:
    """The upload slot of each item: its document's key, or item_<n> for an item naming none."""
    return [item.get("document_key") or f"item_{n}" for n, item in enumerate(record.items, 1)]


@transaction.atomic
def file_upload(
    *, acting: Acting, application_id: int, document_key: str, upload
) -> ApplicationFile:
    """A document of the checklist (PDF, JPEG or PNG by content, at most 15 MB), stored under
    a random private name with its SHA-256 (PRM-10). A draft takes the documents of its
    checklist for the current answers; an application waiting for missing documents takes
    those its deficiency record lists (PRM-08). A new file of the same document replaces the
    previous one."""
    application = _locked(acting, application_id)
    procedure_ = _definition(application.procedure_code)
    deficiency = None
    if application.state == Application.State.DRAFT:
        allowed = {d.key for d in documents_required(procedure_, application) if d.upload}
    elif application.state == Application.State.DEFICIENT:
        deficiency = _open_deficiency(application)
        allowed = set(deficiency_keys(deficiency)) if deficiency else set()
    else:
        raise PermitError(_("Documents cannot be added now."), code="state")
    if document_key not in allowed:
        raise PermitError(
            _("This document is not asked for in this application."),
            field="file",
            code="not_in_checklist",
        )
    try:
        extension = validate_document_upload(upload)
    except ValidationError as error:
        raise PermitError(error.messages[0], field="file", code=error.code or "file") from error
    sha256 = _sha256(upload)
    now = timezone.now()
    replaced = application.files.filter(
        document_key=document_key, replaced_at__isnull=True, deficiency=deficiency
    )
    old_names = []
    if deficiency is None:
        old_names = [f.file.name for f in replaced]
        replaced.delete()  # a draft keeps only the latest file of a document
    else:
        replaced.update(replaced_at=now)
    row = ApplicationFile(
        application=application,
        document_key=document_key,
        original_name=str(getattr(upload, "name", "") or "")[-200:] or "document",
        content_type=CONTENT_TYPE_OF[extension],
        size=upload.size,
        sha256=sha256,
        uploaded_by=acting.actor,
        uploaded_at=now,
        deficiency=deficiency,
    )
    row.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    stored = row.file.name
    transaction.on_commit(lambda: [default_storage.delete(name) for name in old_names])
    try:
        row.save()
    except BaseException:
        default_storage.delete(stored)
        raise
    _touch(application)
    application.save(update_fields=["updated_at"])
    return row


@transaction.atomic
def file_remove(*, acting: Acting, application_id: int, file_id: int) -> None:
    """Take an upload back while it is not yet signed off (a draft, or a deficiency's file
    before the record is completed)."""
    application = _locked(acting, application_id)
    row = application.files.filter(pk=file_id, replaced_at__isnull=True).first()
    if row is None:
        raise PermitNotFound
    open_record = _open_deficiency(application)
    editable = application.state == Application.State.DRAFT or (
        application.state == Application.State.DEFICIENT
        and open_record is not None
        and row.deficiency_id == open_record.pk
    )
    if not editable:
        raise PermitError(_("A signed-off document cannot be removed."), code="signed")
    name = row.file.name
    row.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


# --- the declaration and the submission (PRM-10) --------------------------------------------


def declaration_statement(kind: str) -> str:
    """The words the applicant agrees to, in the page's language (stored as shown)."""
    if kind == Declaration.Kind.DEFICIENCY:
        return _(
            "I certify that the documents I supply here are true copies, complete and correct, "
            "and I sign off every page of them."
        )
    if kind == Declaration.Kind.CORRECTIONS:
        return _("I certify that the corrections ordered after the inspection have been made.")
    if kind == Declaration.Kind.EXTENSION:
        return _(
            "I certify that the facts of this extension request are true, and ask for the "
            "period to be extended to the date given."
        )
    return _(
        "I certify that the statements in this application are true and that the documents "
        "attached are true copies, complete and correct; I sign off every page of them. I know "
        "that a false statement to an official is an offence."
    )


def _declare(application: Application, acting: Acting, kind: str, files) -> Declaration:
    return Declaration.objects.create(
        application=application,
        kind=kind,
        signer=acting.actor,
        principal_key=application.principal_key,
        statement=declaration_statement(kind),
        answers_sha256=answers_sha256(all_answers(application)),
        files=[
            {"document_key": f.document_key, "name": f.original_name, "sha256": f.sha256}
            for f in files
        ],
        client_ip=acting.client_ip,
    )


def new_factory_province(application: Application, procedure_: Procedure | None) -> str:
    """Where a new factory (no factory yet) will be: the answer of the definition's province
    question; "" when not answered."""
    field = procedure_.province_field() if procedure_ is not None else None
    return str(application.answers.get(field.key) or "") if field is not None else ""


def routing_of(application: Application, procedure_: Procedure | None = None) -> tuple[str, str]:
    """ADM-01: DIW for a factory in Bangkok; the provincial industry office of its province
    elsewhere. A new factory (PRM-05) is placed by the province its applicant answered."""
    if application.factory is not None:
        province = application.factory.province
    else:
        procedure_ = procedure_ or procedure(application.procedure_code)
        province = new_factory_province(application, procedure_)
    if not province or province == BANGKOK:
        return "DIW", ""
    return "PIO", province


def _next_number(on: dt.date) -> str:
    """PRM-2569-000001: the Buddhist-era year of submission and a running number of that year,
    taken under the counter's row lock (no gap, no double)."""
    year = ce_to_be(on.year)
    ApplicationCounter.objects.get_or_create(year_be=year)
    counter = ApplicationCounter.objects.select_for_update().get(year_be=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{NUMBER_PREFIX}-{year}-{counter.last:06d}"


def submission_missing(procedure_: Procedure, application: Application) -> list[str]:
    """What stops a submission: required answers and required uploads, named for the person."""
    language = translation.get_language() or "th"
    missing = []
    if application.extends_id:
        if not application.answers.get("extend_until"):
            missing.append(_("the new end date"))
        return missing
    for question in procedure_.self_assessment:
        if question.key not in application.self_assessment:
            missing.append(question.text.get(language))
    for field in fields_shown(procedure_, application):
        if field.required and application.answers.get(field.key) in (None, "", []):
            missing.append(field.label.get(language))
    uploaded = set(
        application.files.filter(replaced_at__isnull=True).values_list("document_key", flat=True)
    )
    for document in documents_required(procedure_, application):
        if document.upload and document.key not in uploaded:
            missing.append(document.name.get(language))
    return missing


def _notify(application: Application, subject: str, body: str) -> None:
    """Tell the applicant by their verified channels, through the outbox (same transaction).
    No topic: a topic cancels a queued older message of the same topic, and the SMS and the
    email of one event, or two events close together, must all arrive."""
    member = application.applicant
    if getattr(member, "mobile_verified", False) and member.mobile:
        queue_sms(to=member.mobile, body=body)
    if getattr(member, "email_verified", False) and member.email:
        queue_email(to=member.email, subject=subject, body=body)


@transaction.atomic
def application_submit(*, acting: Acting, application_id: int) -> Application:
    """PRM-10: sign off and submit. Every required answer and upload must be there (the
    portal takes no incomplete application; a deficiency record is for what the officer finds
    wrong). The declaration keeps who, when, for whom, the words and the SHA-256 of the
    answers and of each file; the application gets its number and its office (ADM-01), its
    steps, and the document check starts (PRM-07). A second click finds it submitted and
    changes nothing."""
    application = _locked(acting, application_id)
    if application.state != Application.State.DRAFT:
        if application.number and application.submitted_at is not None:
            return application  # submitted already (a double click)
        raise PermitError(_("This application cannot be submitted."), code="state")
    procedure_ = _definition(application.procedure_code)
    missing = submission_missing(procedure_, application)
    if missing:
        raise PermitError(
            _("Complete the application first: %(missing)s.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    if not application.extends_id:
        failures = eligibility_failures(
            procedure_,
            factory=application.factory,
            business=application.business,
            member=acting.actor,
            answers=all_answers(application),
        )
        if failures:
            raise NotEligible(failures)
        preview = fee_preview(procedure_, application.answers)
        application.horsepower = preview.horsepower
        application.fee_satang = preview.amount_satang
        application.fee_table_version = preview.table_version
    files = list(application.files.filter(replaced_at__isnull=True).order_by("document_key", "pk"))
    kind = Declaration.Kind.EXTENSION if application.extends_id else Declaration.Kind.SUBMISSION
    declaration = _declare(application, acting, kind, files)
    now = timezone.now()
    application.number = _next_number(timezone.localdate(now))
    application.agency, application.province = routing_of(application, procedure_)
    application.state = Application.State.SUBMITTED
    application.submitted_at = now
    application.updated_at = now
    application.save()
    clock.steps_create(application, procedure_)
    clock.step_start(application, procedure_, procedure_.steps[0].key)
    _event(application, "submitted", acting, number=application.number, declaration=declaration.pk)
    audit_record(
        action="permits.application_submit",
        target=application,
        after={"number": application.number, "agency": application.agency},
        acting=acting,
    )
    member = application.applicant
    with translation.override(getattr(member, "language", "") or "th"):
        name = procedure_.short_name.get(translation.get_language())
        _notify(
            application,
            _("Application %(number)s received") % {"number": application.number},
            _(
                "Industry Portal: your application %(number)s (%(name)s) was received. Follow it "
                "under My applications."
            )
            % {"number": application.number, "name": name},
        )
    return application


# --- after submission: missing documents, corrections -----------------------------------------


def _resume(application: Application, procedure_: Procedure) -> None:
    if application.pauses.filter(ended_on__isnull=True).exists():
        clock.clock_resume(application, procedure_)
    application.refresh_from_db(fields=["current_step", "current_due_on", "clock_paused", "due_on"])


@transaction.atomic
def deficiency_supply(*, acting: Acting, application_id: int) -> DeficiencyRecord:
    """PRM-08: the applicant has uploaded a file for every item of the open deficiency record
    and signs them off: the record is completed, the clock resumes and the due dates after the
    pause move by it."""
    application = _locked(acting, application_id)
    record = _open_deficiency(application) if application.state == "deficient" else None
    if record is None:
        raise PermitError(_("No documents are asked for now."), code="state")
    if record.deadline < clock.today():
        raise PermitError(_("The deadline to supply the documents has passed."), code="late")
    procedure_ = _definition(application.procedure_code)
    files = list(record.files.filter(replaced_at__isnull=True).order_by("document_key", "pk"))
    have = {f.document_key for f in files}
    if any(key not in have for key in deficiency_keys(record)):
        raise PermitError(_("Upload a file for every item listed first."), code="incomplete")
    _declare(application, acting, Declaration.Kind.DEFICIENCY, files)
    record.state = DeficiencyRecord.State.COMPLETED
    record.completed_at = timezone.now()
    record.save(update_fields=["state", "completed_at"])
    application.state = (
        Application.State.IN_REVIEW if application.clock_started_on else Application.State.SUBMITTED
    )
    _touch(application)
    application.save(update_fields=["state", "updated_at"])
    _resume(application, procedure_)
    _event(application, "deficiency_supplied", acting, record=record.pk)
    return record


@transaction.atomic
def corrections_report(*, acting: Acting, application_id: int, note: str) -> Inspection:
    """The corrections an inspection ordered are made: signed off, the clock resumes."""
    application = _locked(acting, application_id)
    inspection = (
        application.inspections.filter(
            outcome=Inspection.Outcome.CORRECTIONS, corrections_done_at__isnull=True
        )
        .order_by("-recorded_at")
        .first()
    )
    if application.state != Application.State.CORRECTIONS or inspection is None:
        raise PermitError(_("No corrections are waiting."), code="state")
    procedure_ = _definition(application.procedure_code)
    _declare(application, acting, Declaration.Kind.CORRECTIONS, [])
    inspection.corrections_done_at = timezone.now()
    inspection.save(update_fields=["corrections_done_at"])
    application.state = Application.State.IN_REVIEW
    _touch(application)
    application.save(update_fields=["state", "updated_at"])
    _resume(application, procedure_)
    _event(application, "corrections_reported", acting, note=note.strip()[:2000])
    return inspection


# --- extension of a granted period (PRM-04) --------------------------------------------------

EXTENSION_FIELDS = ("extend_until", "reason")


def _extension_answers(application: Application, raw: dict) -> dict:
    granted = application.extends
    procedure_ = _definition(application.procedure_code)
    limit = granted.granted_until + dt.timedelta(days=procedure_.extension.max_days)
    until = raw.get("extend_until")
    if isinstance(until, str) and until:
        until = dt.date.fromisoformat(until)
    answers = {}
    if until:
        if until <= granted.granted_until:
            raise PermitError(
                _("The new end date must be after the end of the period granted."),
                field="extend_until",
                code="too_early",
            )
        if until > limit:
            raise PermitError(
                _("The period can be extended by at most %(days)d days.")
                % {"days": procedure_.extension.max_days},
                field="extend_until",
                code="too_late",
            )
        answers["extend_until"] = until.isoformat()
    reason = str(raw.get("reason") or "").strip()
    if reason:
        answers["reason"] = reason[:2000]
    return answers


def extension_allowed(application: Application, procedure_: Procedure | None, today=None) -> bool:
    """PRM-04: a granted period of a procedure that can be extended, still running."""
    today = today or clock.today()
    return bool(
        procedure_ is not None
        and procedure_.extension is not None
        and application.outcome == "granted"
        and application.granted_until is not None
        and today <= application.granted_until
        and application.extends_id is None
    )


@transaction.atomic
def extension_request(*, acting: Acting, application_id: int) -> Application:
    """PRM-04: a draft extension of a granted period, asked before the period ends; its own
    form asks the new end date; it is signed and submitted like an application."""
    granted = _locked(acting, application_id)
    procedure_ = _definition(granted.procedure_code)
    if not extension_allowed(granted, procedure_):
        raise PermitError(
            _("An extension can only be asked for a granted period before it ends."),
            code="no_extension",
        )
    existing = (
        granted.extensions.exclude(state__in=[Application.State.WITHDRAWN, "returned"])
        .exclude(outcome="refused")
        .first()
    )
    if existing is not None:
        if existing.state == Application.State.DRAFT:
            return existing
        raise PermitError(_("An extension was already asked for."), code="already")
    extension = Application.objects.create(
        procedure_code=granted.procedure_code,
        procedure_version=procedure_.version,
        applicant=acting.actor,
        principal_key=granted.principal_key,
        business=granted.business,
        factory=granted.factory,
        extends=granted,
    )
    _event(extension, "extension_started", acting, extends=granted.number)
    return extension
