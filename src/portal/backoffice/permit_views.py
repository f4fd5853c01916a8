"""The officers' permit applications (issue 11; ADM-01, ADM-02, PRM-08, PRM-09, PRM-11): the
queue of the officer's agency and area by step and due date, one application with its answers,
files, declarations and timeline and the acts its running step allows now, each with its form
(decisions confirmed first), and the statistics of a procedure.

Scope, rights and what each step allows are the permits selectors' and services' own
(review_selectors, review_services); the guard here only spares a request that could not
succeed. A refusal "not_found" (outside the officer's scope) is a 404."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.backoffice.views import officer_required
from portal.core.acting import acting_of
from portal.core.forms import PortalForm, ThaiDateField, form_add_service_error
from portal.core.jinja import choice_labels, jinja_html
from portal.core.views import paginate, private_file_response
from portal.documents.helpers import signed_document_response
from portal.permits import review_selectors as selectors
from portal.permits import selectors as applicant_selectors
from portal.permits.definitions import procedure, procedures
from portal.permits.review_services import (
    NEW_FACTORY_ACTIONS,
    Missing,
    ReviewError,
    application_accept,
    application_assign,
    application_decide,
    deficiency_write,
    inspection_record,
    needs_factory_no,
    step_advance,
)

REVIEW = selectors.REVIEW_PERMISSION


def permit_officer_required(view):
    """An officer with the right to review whose agency and area answer for applications (DIW,
    a provincial office with its province); anyone else: 404."""

    @officer_required(REVIEW)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.answers_for_permits(acting_of(request)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


EVENT_LABELS = {
    "submitted": gettext_lazy("Submitted"),
    "assigned": gettext_lazy("Assigned"),
    "accepted": gettext_lazy("Documents complete: the legal time started"),
    "deficiency": gettext_lazy("Deficiency record written: the legal time paused"),
    "deficiency_supplied": gettext_lazy("Missing documents supplied"),
    "returned": gettext_lazy("Returned with its documents: deadline passed"),
    "inspected": gettext_lazy("Inspection recorded"),
    "corrections_reported": gettext_lazy("Corrections reported"),
    "step_finished": gettext_lazy("Step finished, next step started"),
    "decided": gettext_lazy("Decided: letter signed and sent"),
    "billed": gettext_lazy("Fee billed"),
    "late_notice": gettext_lazy("Applicant told of the delay"),
    "extended": gettext_lazy("Period extended"),
    "extension_started": gettext_lazy("Extension requested"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


OUTCOME_LABELS = {
    "granted": gettext_lazy("Granted"),
    "acknowledged": gettext_lazy("Acknowledged"),
    "refused": gettext_lazy("Refused"),
    "returned": gettext_lazy("Returned"),
}


def _language() -> str:
    return get_language() or "th"


# --- forms ----------------------------------------------------------------------------------------


class QueueFilterForm(PortalForm):
    procedure = forms.ChoiceField(label=gettext_lazy("Procedure"), required=False)
    step = forms.ChoiceField(label=gettext_lazy("Step"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["procedure"].choices = [
            ("", _("All procedures")),
            *((code, p.short_name.get(language)) for code, p in sorted(procedures().items())),
        ]
        steps = {}
        for definition in procedures().values():
            for step in definition.steps:
                steps.setdefault(step.key, step.name.get(language))
        self.fields["step"].choices = [("", _("All steps")), *sorted(steps.items())]


class AssignForm(PortalForm):
    officer = forms.ChoiceField(label=gettext_lazy("Officer"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("Choose")), *choices]


class DeficiencyForm(PortalForm):
    documents = forms.MultipleChoiceField(
        label=gettext_lazy("Documents missing from the checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_list": gettext_lazy("Choose documents from the checklist."),
            "invalid_choice": gettext_lazy("Choose documents from the checklist."),
        },
    )
    details = forms.CharField(
        label=gettext_lazy("Everything else that is missing or wrong, one item a line"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deadline = ThaiDateField(label=gettext_lazy("Deadline for the applicant"))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = list(documents)

    def items(self) -> list[Missing]:
        names = dict(self.fields["documents"].choices)
        chosen = [Missing(key, str(names[key])) for key in self.cleaned_data["documents"]]
        lines = [line.strip() for line in self.cleaned_data["details"].splitlines()]
        return chosen + [Missing("", line) for line in lines if line]

    def clean(self):
        data = super().clean()
        if not data.get("documents") and not (data.get("details") or "").strip():
            self.add_error("details", _("List everything that is missing, one item a line."))
        return data


class InspectionForm(PortalForm):
    inspected_on = ThaiDateField(label=gettext_lazy("Inspected on"))
    findings = forms.CharField(
        label=gettext_lazy("What was found"), max_length=4000, widget=forms.Textarea({"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[
            ("ready", gettext_lazy("Ready: nothing to correct")),
            ("corrections", gettext_lazy("Corrections ordered")),
        ],
        widget=forms.RadioSelect,
    )
    corrections = forms.CharField(
        label=gettext_lazy("What must be corrected"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )
    corrections_deadline = ThaiDateField(
        label=gettext_lazy("Deadline for the corrections"), required=False
    )

    def __init__(self, *args, corrections_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not corrections_allowed:
            self.fields["outcome"].choices = self.fields["outcome"].choices[:1]
            del self.fields["corrections"], self.fields["corrections_deadline"]


class DecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("acknowledge", gettext_lazy("Acknowledge the notice")),
            ("refuse", gettext_lazy("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    granted_until = ThaiDateField(label=gettext_lazy("Permitted until"), required=False)
    conditions = forms.CharField(
        label=gettext_lazy("Conditions besides the standard ones, one a line"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for refusing"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )

    # PRM-05: a new factory's registration number, as DIW gave it (only when there is no
    # factory yet; required to approve a licence or acknowledge a class 2 notice).
    factory_no = forms.CharField(
        label=gettext_lazy("Factory registration number given by DIW (to approve or acknowledge)"),
        help_text=gettext_lazy(
            "A new factory: the 14-digit number the Department of Industrial Works registered "
            "it under (licensed or notified), under the applicant's business."
        ),
        required=False,
        max_length=40,
    )

    def __init__(
        self,
        *args,
        decisions=("approve", "acknowledge", "refuse"),
        period=True,
        new_factory=False,
        **kw,
    ):
        super().__init__(*args, **kw)
        field = self.fields["decision"]
        field.choices = [(v, label) for v, label in field.choices if v in decisions]
        if not period:
            del self.fields["granted_until"]
        if not (new_factory and set(decisions) & set(NEW_FACTORY_ACTIONS)):
            del self.fields["factory_no"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for refusing."))
        if (
            "factory_no" in self.fields
            and data.get("decision") in NEW_FACTORY_ACTIONS
            and not (data.get("factory_no") or "").strip()
        ):
            self.add_error(
                "factory_no",
                _(
                    "Enter the factory registration number the Department of Industrial Works "
                    "gave the new factory."
                ),
            )
        return data


# --- the queue ------------------------------------------------------------------------------------


@permit_officer_required
@require_GET
def permits_queue(request):
    """ADM-02: the open applications of the officer's agency and area, by due date, late and
    soon late marked, filtered by procedure, step or "assigned to me"; a page costs the same
    queries whatever the queue's length."""
    acting = acting_of(request)
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    step = filters.get("step") or ""
    procedure_code = filters.get("procedure") or ""
    mine = bool(filters.get("mine"))
    rows = selectors.queue(acting=acting, step=step, procedure_code=procedure_code, mine=mine)
    counts = selectors.queue_counts(acting=acting)
    # The figures count the unfiltered queue and "assigned to me": no COUNT query for those.
    known = None if step or procedure_code else counts["mine" if mine else "open"]
    page = paginate(request, rows, count=known)
    today = selectors.today()
    soon = selectors.soon_late_limit(today)
    language = _language()
    items = []
    for application in page.object_list:
        definition = procedure(application.procedure_code)
        due = application.current_due_on
        step = definition.step(application.current_step) if definition and due else None
        items.append(
            {
                "application": application,
                "procedure": definition.short_name.get(language) if definition else "",
                "step": step.name.get(language) if step else "",
                "late": bool(due and not application.clock_paused and due < today),
                "soon": bool(due and not application.clock_paused and today <= due <= soon),
                "new_factory": ""
                if application.factory_id
                else applicant_selectors.new_factory_label(application, definition),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/permits/queue.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "queue_rows": jinja_html(
                "backoffice/permits/queue_rows.html",
                {"items": items, "states": choice_labels(selectors.application_state_choices())},
            ),
            "counts": counts,
            "query": query.urlencode(),
        },
    )


# --- one application --------------------------------------------------------------------------


def _application(request, application_id):
    application = selectors.application_for_officer(
        acting=acting_of(request), application_id=application_id
    )
    if application is None:
        raise Http404
    return application


def _forms(request, application, definition, actions, bound=None):
    """The form of each act allowed now (one of them bound to what was posted)."""
    acting = acting_of(request)
    step = definition.step(application.current_step) if application.current_step else None
    language = _language()
    forms_now = {}
    if "assign" in actions:
        forms_now["assign"] = AssignForm(
            choices=selectors.colleague_choices(acting=acting), prefix="assign"
        )
    if "deficiency" in actions:
        documents = [(d.key, d.name.get(language)) for d in definition.documents]
        forms_now["deficiency"] = DeficiencyForm(documents=documents, prefix="deficiency")
    if "inspect" in actions:
        forms_now["inspect"] = InspectionForm(
            corrections_allowed="order_corrections" in step.actions, prefix="inspect"
        )
    decisions = [a for a in actions if a in selectors.DECISIONS]
    if decisions:
        granted = next((r for r in definition.results if r.outcome == "granted"), None)
        period = "approve" in decisions and bool(
            (granted and granted.max_period_days) or application.extends_id
        )
        forms_now["decide"] = DecisionForm(
            decisions=decisions,
            period=period,
            new_factory=needs_factory_no(application),
            prefix="decide",
        )
    if bound is not None:
        forms_now[bound[0]] = bound[1]
    return forms_now


def _detail_context(request, application, bound=None):
    acting = acting_of(request)
    definition = procedure(application.procedure_code)
    if definition is None:
        raise Http404
    language = _language()
    actions = selectors.actions_now(acting=acting, application=application, definition=definition)
    names = {step.key: step for step in definition.steps}
    today = selectors.today()
    steps = [
        {
            "row": row,
            "name": names[row.key].name.get(language) if row.key in names else row.key,
            "duration": names[row.key].duration if row.key in names else None,
            "unit": names[row.key].unit if row.key in names else "",
            "late": bool(
                (row.due_on and row.state == "running" and row.due_on < today)
                or (row.due_on and row.finished_at and row.finished_at.date() > row.due_on)
            ),
        }
        for row in application.steps.all()
    ]
    documents = {d.key: d.name.get(language) for d in definition.documents}
    return {
        "application": application,
        "definition": definition,
        "procedure_name": definition.name.get(language),
        # As the applicant read them back before signing: dates, machines and choices in words.
        "answers": [
            (answer.label, answer.value)
            for answer in applicant_selectors.answers_summary(application, definition)
        ],
        "files": [
            (documents.get(f.document_key, f.document_key), f) for f in application.files.all()
        ],
        "steps": steps,
        "events": [
            (event, EVENT_LABELS.get(event.kind, event.kind)) for event in application.events.all()
        ],
        "actions": actions,
        "forms": _forms(request, application, definition, actions, bound),
        "own_case": selectors.is_own_case(acting, application),
        "outcome_label": OUTCOME_LABELS.get(application.outcome, ""),
        "late": bool(application.due_on and application.due_on < today)
        and application.state in application.OPEN_STATES,
    }


@permit_officer_required
@require_GET
def permit_detail(request, application_id):
    application = _application(request, application_id)
    return render(request, "backoffice/permits/detail.html", _detail_context(request, application))


@permit_officer_required
@require_GET
def permit_file(request, application_id, file_id):
    upload = selectors.file_for_officer(
        acting=acting_of(request), application_id=application_id, file_id=file_id
    )
    if upload is None:
        raise Http404
    return private_file_response(
        upload.file.open("rb"), content_type=upload.content_type, name=upload.original_name
    )


@permit_officer_required
@require_GET
def permit_letter(request, application_id):
    application = _application(request, application_id)
    if application.letter is None:
        raise Http404
    return signed_document_response(application.letter)


# --- the acts -----------------------------------------------------------------------------------


def _refused(request, application, error: ReviewError, bound=None):
    if error.code == "not_found":
        raise Http404
    if bound is not None:
        form_add_service_error(bound[1], error)
    else:
        messages.error(request, error.message)
        return redirect("backoffice:permit_detail", application.pk)
    return _again(request, application, bound)


def _again(request, application, bound):
    """The application's page again with the posted form and its errors."""
    application = _application(request, application.pk)
    return render(
        request,
        "backoffice/permits/detail.html",
        _detail_context(request, application, bound),
        status=200,
    )


def _done(request, application, text):
    messages.success(request, text)
    return redirect("backoffice:permit_detail", application.pk)


@permit_officer_required
@require_POST
def permit_assign(request, application_id):
    application = _application(request, application_id)
    acting = acting_of(request)
    form = AssignForm(
        request.POST, choices=selectors.colleague_choices(acting=acting), prefix="assign"
    )
    if not form.is_valid():
        return _again(request, application, ("assign", form))
    try:
        application_assign(
            acting=acting,
            application_id=application.pk,
            officer_id=int(form.cleaned_data["officer"]),
        )
    except ReviewError as error:
        return _refused(request, application, error, ("assign", form))
    return _done(request, application, _("The application was assigned."))


@permit_officer_required
@require_POST
def permit_accept(request, application_id):
    application = _application(request, application_id)
    try:
        application_accept(acting=acting_of(request), application_id=application.pk)
    except ReviewError as error:
        return _refused(request, application, error)
    return _done(request, application, _("The documents are complete: the legal time started."))


@permit_officer_required
@require_POST
def permit_deficiency(request, application_id):
    application = _application(request, application_id)
    definition = procedure(application.procedure_code)
    documents = [(d.key, d.name.get(_language())) for d in definition.documents]
    form = DeficiencyForm(request.POST, documents=documents, prefix="deficiency")
    if not form.is_valid():
        return _again(request, application, ("deficiency", form))
    try:
        deficiency_write(
            acting=acting_of(request),
            application_id=application.pk,
            items=form.items(),
            deadline=form.cleaned_data["deadline"],
        )
    except ReviewError as error:
        return _refused(request, application, error, ("deficiency", form))
    return _done(
        request, application, _("The deficiency record was sent: the legal time is paused.")
    )


@permit_officer_required
@require_POST
def permit_inspection(request, application_id):
    application = _application(request, application_id)
    definition = procedure(application.procedure_code)
    step = definition.step(application.current_step) if application.current_step else None
    allowed = bool(step and "order_corrections" in step.actions)
    form = InspectionForm(request.POST, corrections_allowed=allowed, prefix="inspect")
    if not form.is_valid():
        return _again(request, application, ("inspect", form))
    data = form.cleaned_data
    try:
        inspection_record(
            acting=acting_of(request),
            application_id=application.pk,
            inspected_on=data["inspected_on"],
            findings=data["findings"],
            outcome=data["outcome"],
            corrections=data.get("corrections") or "",
            corrections_deadline=data.get("corrections_deadline"),
        )
    except ReviewError as error:
        return _refused(request, application, error, ("inspect", form))
    return _done(request, application, _("The inspection was recorded."))


@permit_officer_required
@require_POST
def permit_advance(request, application_id):
    application = _application(request, application_id)
    try:
        step_advance(acting=acting_of(request), application_id=application.pk)
    except ReviewError as error:
        return _refused(request, application, error)
    return _done(request, application, _("The step was finished and the next one started."))


@permit_officer_required
@require_POST
def permit_decide(request, application_id):
    """Approve, acknowledge or refuse: the decision is shown again to confirm, then the letter
    is signed and sent (PRM-09)."""
    application = _application(request, application_id)
    acting = acting_of(request)
    definition = procedure(application.procedure_code)
    actions = selectors.actions_now(acting=acting, application=application, definition=definition)
    decisions = [a for a in actions if a in selectors.DECISIONS]
    if not decisions:
        messages.error(request, _("This cannot be done at this step now."))
        return redirect("backoffice:permit_detail", application.pk)
    granted = next((r for r in definition.results if r.outcome == "granted"), None)
    period = "approve" in decisions and bool(
        (granted and granted.max_period_days) or application.extends_id
    )
    form = DecisionForm(
        request.POST,
        decisions=decisions,
        period=period,
        new_factory=needs_factory_no(application),
        prefix="decide",
    )
    if not form.is_valid():
        return _again(request, application, ("decide", form))
    data = form.cleaned_data
    conditions = [line.strip() for line in data["conditions"].splitlines() if line.strip()]
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "backoffice/permits/decide_confirm.html",
            {
                "application": application,
                "form": form,
                "data": data,
                "decision_label": dict(form.fields["decision"].choices)[data["decision"]],
                "conditions": conditions,
                "procedure_name": definition.name.get(_language()),
            },
        )
    try:
        application_decide(
            acting=acting,
            application_id=application.pk,
            action=data["decision"],
            reasons=data["reasons"],
            conditions=conditions,
            granted_until=data.get("granted_until"),
            factory_no=data.get("factory_no") or "",
        )
    except ReviewError as error:
        return _refused(request, application, error, ("decide", form))
    return _done(request, application, _("The decision was made: the signed letter was sent."))


# --- statistics (PRM-11) ------------------------------------------------------------------------


@permit_officer_required
@require_GET
def permit_statistics(request):
    """PRM-11: the statistics of a procedure, for officers who may review applications."""
    language = _language()
    choices = [(code, p.short_name.get(language)) for code, p in sorted(procedures().items())]
    code = request.GET.get("procedure") or (choices[0][0] if choices else "")
    figures = selectors.procedure_statistics(code) if code in dict(choices) else None
    return render(
        request,
        "backoffice/permits/statistics.html",
        {
            "choices": choices,
            "code": code,
            "figures": figures,
            "chart": selectors.statistics_chart(figures) if figures else None,
            "language": language,
        },
    )
