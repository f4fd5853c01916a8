"""The applicant's pages (PRM-04 to PRM-10), mounted at /applications/: choose a factory and a
procedure (eligibility shown before anything is typed), the form, the checklist's uploads, the
fee and the declaration, then the application's timeline, the missing documents of a
deficiency record, corrections, the letter and an extension of a granted period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core.acting import acting_of
from portal.core.forms import form_add_service_error
from portal.core.jinja import choice_labels, jinja_html
from portal.core.views import paginate_by_keys, posted_data, private_file_response
from portal.documents.helpers import signed_document_response
from portal.permits import selectors, services
from portal.permits.forms import (
    AnswersForm,
    CorrectionsForm,
    DeclarationForm,
    ExtensionForm,
    UploadForm,
)
from portal.permits.models import Application

TEMPLATES = "permits/member/"


def STEPS():
    return [_("Eligibility"), _("Form"), _("Documents"), _("Declaration and submission")]


def _application(request, application_id):
    """The acting principal's application and its definition, or 404."""
    application = selectors.application_for_applicant(
        acting=acting_of(request), application_id=application_id
    )
    definition = selectors.procedure_of(application) if application else None
    if application is None or definition is None:
        raise Http404
    return application, definition


def _draft(request, application_id):
    application, definition = _application(request, application_id)
    if application.state != Application.State.DRAFT:
        return application, definition, redirect("applications:detail", application.pk)
    return application, definition, None


def _page(request, template, **context):
    return render(request, TEMPLATES + template, {"steps": STEPS(), **context})


# --- choosing --------------------------------------------------------------------------------


# Application cards are tall, as bill cards are: 20 a page (docs/decisions.md, "Long lists").
APPLICATIONS_PER_PAGE = 20


@login_required
@require_GET
def application_list(request):
    """ "My applications": drafts (resumable) and submitted ones, by state."""
    acting = acting_of(request)
    state = request.GET.get("state", "")
    if state not in Application.State.values:
        state = ""
    rows = selectors.applications_for_applicant(acting=acting, state=state)
    page = paginate_by_keys(request, rows, per_page=APPLICATIONS_PER_PAGE)
    cards = selectors.with_procedures(page.object_list)
    return render(
        request,
        TEMPLATES + "list.html",
        {
            "page": page,
            "rows": cards,
            "application_cards": jinja_html(
                "permits/member/application_cards.html",
                {
                    "rows": cards,
                    "states": choice_labels(Application.State.choices),
                    "language": selectors.language(),
                    "new_factory": selectors.new_factory_label,
                },
            ),
            "states": [
                (value, label)
                for value, label in Application.State.choices
                if value != Application.State.WITHDRAWN
            ],
            "selected_state": state,
            "query": f"state={state}" if state else "",
        },
    )


@login_required
@require_GET
def application_new(request):
    """PRM-05: the member's factories, and their verified businesses for a new factory; for
    the factory (or business) chosen, every procedure that starts from it with its eligibility
    checked from the profile before anything is typed."""
    acting = acting_of(request)
    factory_id = request.GET.get("factory", "")
    business_id = request.GET.get("business", "")
    if not factory_id.isdigit() and business_id.isdigit():
        choices = selectors.procedure_choices_for_business(
            acting=acting, holding_id=int(business_id)
        )
        if choices is None:
            raise Http404
        return _page(
            request,
            "new.html",
            holding=selectors.business_for_applicant(acting=acting, holding_id=int(business_id)),
            choices=choices,
            current=1,
        )
    if not factory_id.isdigit():
        return _page(
            request,
            "new.html",
            factories=selectors.factories_for_applicant(acting=acting),
            businesses=selectors.businesses_for_applicant(acting=acting),
            current=1,
        )
    choices = selectors.procedure_choices(acting=acting, factory_holding_id=int(factory_id))
    if choices is None:
        raise Http404
    return _page(
        request,
        "new.html",
        factory_row=selectors.factory_for_applicant(
            acting=acting, factory_holding_id=int(factory_id)
        ),
        choices=choices,
        current=1,
    )


@login_required
@require_POST
def application_start(request, factory_holding_id, procedure_code):
    try:
        application = services.application_start(
            acting=acting_of(request),
            procedure_code=procedure_code,
            factory_holding_id=factory_holding_id,
        )
    except services.NotEligible:
        return redirect(f"{reverse('applications:new')}?factory={factory_holding_id}")
    except services.PermitError as error:
        raise Http404 from error
    return redirect("applications:form", application.pk)


@login_required
@require_POST
def application_start_for_business(request, holding_id, procedure_code):
    """PRM-05: a draft for a new factory of a business the member holds (verified)."""
    try:
        application = services.application_start_for_business(
            acting=acting_of(request), procedure_code=procedure_code, holding_id=holding_id
        )
    except services.NotEligible:
        return redirect(f"{reverse('applications:new')}?business={holding_id}")
    except services.PermitError as error:
        raise Http404 from error
    return redirect("applications:form", application.pk)


# --- the draft ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_form(request, application_id):
    """The questions of the definition; "save the draft" keeps whatever is typed, "continue"
    needs the required answers."""
    application, definition, elsewhere = _draft(request, application_id)
    if elsewhere:
        return elsewhere
    if application.extends_id:
        return _extension_form(request, application, definition)
    strict = request.method == "POST" and "continue" in request.POST
    form = AnswersForm(
        posted_data(request),
        fields=definition.fields,
        answers=application.answers,
        strict=strict,
        conditions=selectors.condition_hints(definition),
        questions=definition.self_assessment,
        assessment=application.self_assessment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.application_save(
                acting=acting_of(request),
                application_id=application.pk,
                answers=form.answers(),
                self_assessment=form.assessment(),
            )
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            failures = selectors.eligibility_now(saved, definition) if strict else []
            for failure in failures:
                form.add_error(None, failure.reason.get(selectors.language()))
            if strict and not failures:
                return redirect("applications:documents", application.pk)
        if not strict and not form.errors:
            messages.success(request, _("The draft is saved. You can come back to it later."))
            return redirect("applications:form", application.pk)
    return _page(
        request,
        "form.html",
        application=application,
        definition=definition,
        form=form,
        fee=selectors.application_fee(application, definition),
        current=2,
    )


def _extension_form(request, application, definition):
    """PRM-04: the extension request's own question: the new end date (and why)."""
    form = ExtensionForm(posted_data(request), initial=selectors.extension_initial(application))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(
                acting=acting_of(request),
                application_id=application.pk,
                answers=form.cleaned_data,
            )
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            return redirect("applications:declaration", application.pk)
    return _page(
        request,
        "extension.html",
        application=application,
        definition=definition,
        granted=application.extends,
        form=form,
        latest=selectors.extension_latest(application, definition),
        current=2,
    )


def _upload(request, application, key: str, label: str):
    """One upload form of the page; the one posted is bound and sent to the service."""
    posted = request.method == "POST" and request.POST.get("document") == key
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        prefix=key,
        label=label,
    )
    if posted and form.is_valid():
        try:
            services.file_upload(
                acting=acting_of(request),
                application_id=application.pk,
                document_key=key,
                upload=form.cleaned_data["file"],
            )
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            return form, True
    return form, False


@login_required
@require_http_methods(["GET", "POST"])
def application_documents(request, application_id):
    """The conditional checklist for the current answers, each document with its upload."""
    application, definition, elsewhere = _draft(request, application_id)
    if elsewhere:
        return elsewhere
    if application.extends_id:
        return redirect("applications:declaration", application.pk)
    language = selectors.language()
    items = []
    for item in selectors.application_checklist(application, definition):
        form = None
        if item.document.upload:
            form, done = _upload(
                request, application, item.document.key, item.document.name.get(language)
            )
            if done:
                messages.success(request, _("The file is uploaded."))
                return redirect("applications:documents", application.pk)
        items.append((item, form))
    return _page(
        request,
        "documents.html",
        application=application,
        definition=definition,
        items=items,
        current=3,
    )


@login_required
@require_POST
def application_file_remove(request, application_id, file_id):
    application, _definition = _application(request, application_id)
    try:
        services.file_remove(
            acting=acting_of(request), application_id=application.pk, file_id=file_id
        )
    except services.PermitNotFound as error:
        raise Http404 from error
    except services.PermitError as error:
        messages.error(request, error.message)
    if application.state == Application.State.DEFICIENT:
        return redirect("applications:deficiency", application.pk)
    return redirect("applications:documents", application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_declaration(request, application_id):
    """PRM-06, PRM-10: what will be sent (answers, files with their SHA-256, the fee), the
    statement, and the sign-off that submits."""
    application, definition, elsewhere = _draft(request, application_id)
    if elsewhere:
        return elsewhere
    form = DeclarationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(acting=acting_of(request), application_id=application.pk)
        except services.NotEligible as error:
            form.add_error(None, error.message)
            for failure in error.failures:
                form.add_error(None, failure.reason.get(selectors.language()))
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect("applications:detail", application.pk)
    kind = "extension" if application.extends_id else "submission"
    return _page(
        request,
        "declaration.html",
        application=application,
        definition=definition,
        summary=selectors.answers_summary(application, definition),
        checklist=selectors.application_checklist(application, definition),
        fee=selectors.application_fee(application, definition),
        missing=selectors.submission_missing(application, definition),
        statement=services.declaration_statement(kind),
        form=form,
        current=4,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, application_id):
    application, definition, elsewhere = _draft(request, application_id)
    if elsewhere:
        return elsewhere
    if request.method == "POST":
        services.application_withdraw(acting=acting_of(request), application_id=application.pk)
        messages.success(request, _("The draft is withdrawn."))
        return redirect("applications:list")
    return render(
        request,
        TEMPLATES + "withdraw.html",
        {"application": application, "definition": definition},
    )


# --- after submission ---------------------------------------------------------------------


@login_required
@require_GET
def application_detail(request, application_id):
    """PRM-09: the timeline: each step with its due date, done, paused and why, or late."""
    application, definition = _application(request, application_id)
    if application.state == Application.State.DRAFT:
        return redirect("applications:form", application.pk)
    timeline = selectors.application_timeline(application, definition)
    return render(
        request,
        TEMPLATES + "detail.html",
        {
            "application": application,
            "definition": definition,
            "timeline": timeline,
            "open_deficiency": timeline.open_deficiency,
            "corrections": timeline.corrections_waiting,
            "may_extend": selectors.may_extend(application, definition),
            "extensions": selectors.extensions_of(application),
            "fee": selectors.application_fee(application, definition),
            "summary": selectors.answers_summary(application, definition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_deficiency(request, application_id):
    """PRM-08: the deficiency record's items, a file for each, then the sign-off."""
    application, definition = _application(request, application_id)
    record = selectors.open_deficiency(application)
    if record is None or application.state != Application.State.DEFICIENT:
        return redirect("applications:detail", application.pk)
    slots = []
    for slot in selectors.deficiency_slots(application, definition, record):
        form, done = _upload(request, application, slot.key, slot.text)
        if done:
            messages.success(request, _("The file is uploaded."))
            return redirect("applications:deficiency", application.pk)
        slots.append((slot, form))
    supplying = request.method == "POST" and "supply" in request.POST
    form = DeclarationForm(request.POST if supplying else None, prefix="declare")
    if supplying and form.is_valid():
        try:
            services.deficiency_supply(acting=acting_of(request), application_id=application.pk)
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The documents are sent. The clock runs again."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        TEMPLATES + "deficiency.html",
        {
            "application": application,
            "definition": definition,
            "record": record,
            "slots": slots,
            "form": form,
            "statement": services.declaration_statement("deficiency"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_corrections(request, application_id):
    application, _definition = _application(request, application_id)
    inspection = selectors.corrections_waiting(application)
    if inspection is None:
        return redirect("applications:detail", application.pk)
    form = CorrectionsForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.corrections_report(
                acting=acting_of(request),
                application_id=application.pk,
                note=form.cleaned_data["note"],
            )
        except services.PermitError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The corrections are reported."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        TEMPLATES + "corrections.html",
        {"application": application, "inspection": inspection, "form": form},
    )


@login_required
@require_POST
def application_extension(request, application_id):
    """PRM-04: start (or resume) the extension request of a granted period."""
    application, _definition = _application(request, application_id)
    try:
        extension = services.extension_request(
            acting=acting_of(request), application_id=application.pk
        )
    except services.PermitError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", application.pk)
    return redirect("applications:form", extension.pk)


@login_required
@require_GET
def application_letter(request, application_id):
    """PRM-09: the signed letter of the decision, for the applicant only."""
    application, _definition = _application(request, application_id)
    if application.letter is None:
        raise Http404
    return signed_document_response(application.letter)


@login_required
@require_GET
def application_file(request, application_id, file_id):
    """One of the application's own uploads, back to its applicant."""
    application, _definition = _application(request, application_id)
    row = selectors.application_file(application, file_id)
    if row is None:
        raise Http404
    return private_file_response(
        row.file.open("rb"), content_type=row.content_type, name=row.document_key
    )


__all__ = [
    "application_corrections",
    "application_declaration",
    "application_deficiency",
    "application_detail",
    "application_documents",
    "application_extension",
    "application_file",
    "application_file_remove",
    "application_form",
    "application_letter",
    "application_list",
    "application_new",
    "application_start",
    "application_start_for_business",
    "application_withdraw",
]
