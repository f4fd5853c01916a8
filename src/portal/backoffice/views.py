"""The officers' back office (ADM-01 to ADM-03). A visitor who is not an officer, or an
officer without the permission or the agency for a queue, gets a 404: the pages do not admit
they exist. Officers log in with two-factor authentication (SSO-04): one without an
authenticator is sent to enrol, one whose session did not pass a code is refused (403).

What an officer sees and decides is scoped in the selectors and services (portal.core.scope);
these guards only spare a request that could not succeed."""

from functools import partial, wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.accounts import selectors as account_selectors
from portal.accounts.selectors import member_by_national_id
from portal.accounts.services import AccountError, member_request_decide, request_details
from portal.backoffice.forms import OfficerResetForm
from portal.billing import selectors as billing_selectors
from portal.billing.services import BillingError, reconciliation_issue_resolve
from portal.core.acting import acting_of
from portal.core.forms import PortalForm, clean_national_id
from portal.core.scope import Queue, sees_queue
from portal.core.selectors import audit_entries_for
from portal.core.views import posted_data, private_file_response
from portal.identity.selectors import two_factor_enabled
from portal.identity.services import TwoFactorError, two_factor_reset_by_officer
from portal.operators import selectors as operator_selectors
from portal.operators.services import (
    OperatorError,
    holder_removal_request_decide,
    holding_decide,
)
from portal.permits import review_selectors as permit_selectors
from portal.registries.base import RegistryUnavailable

REVIEW_PERMISSION = "accounts.review_member_request"
VERIFY_PERMISSION = "operators.verify_holding"
TWO_FACTOR_PERMISSION = "identity.reset_two_factor"
VIEW_BILLS_PERMISSION = "billing.view_bill"
VIEW_FEE_TABLES_PERMISSION = "billing.view_feetable"
PAYMENT_ISSUE_PERMISSION = "billing.change_reconciliationissue"


def _officer_may(request, permission: str | None = None, queue: Queue | None = None) -> bool:
    """One rule for the pages (officer_required) and for the links to them on the home page."""
    user = request.user
    return (
        user.is_officer
        and (not permission or user.has_perm(permission))
        and (queue is None or sees_queue(acting_of(request).officer, queue))
    )


def officer_required(permission: str | None = None, queue: Queue | None = None):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_officer:
                raise Http404
            if not acting_of(request).two_factor:
                if two_factor_enabled(member=request.user):
                    raise PermissionDenied(
                        "log in again with the authenticator code to reach the back office"
                    )
                messages.info(
                    request, _("Officers log in with two-factor authentication: switch it on.")
                )
                return redirect("identity:two_factor")
            if not _officer_may(request, permission, queue):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@officer_required()
def home(request):
    acting = acting_of(request)
    can_review = _officer_may(request, REVIEW_PERMISSION, Queue.MEMBER_REQUESTS)
    can_verify = _officer_may(request, VERIFY_PERMISSION, Queue.BUSINESS_VERIFICATIONS)
    counts = account_selectors.member_request_counts(acting=acting) if can_review else {}
    if can_verify:
        counts["holdings"] = operator_selectors.holdings_awaiting_verification(
            acting=acting
        ).count()
        counts["removals"] = operator_selectors.holder_removals_awaiting_decision(
            acting=acting
        ).count()
    can_bill = _officer_may(request, VIEW_BILLS_PERMISSION, Queue.BILLS)
    if can_bill:
        counts["bills"] = billing_selectors.bills_of_officer(
            acting=acting, state="awaiting_payment"
        ).count()
    can_permits = permit_selectors.answers_for_permits(acting)
    if can_permits:
        counts["permits"] = permit_selectors.queue_counts(acting=acting)
    can_fee_tables = _officer_may(request, VIEW_FEE_TABLES_PERMISSION, Queue.FEE_TABLES)
    if can_fee_tables:
        counts["fee_tables"] = billing_selectors.fee_tables_all().count()
    return render(
        request,
        "backoffice/home.html",
        {
            "officer": request.user.officer,
            "can_review": can_review,
            "can_verify": can_verify,
            "can_bill": can_bill,
            "can_fee_tables": can_fee_tables,
            "can_permits": can_permits,
            "can_reset_two_factor": _officer_may(
                request, TWO_FACTOR_PERMISSION, Queue.TWO_FACTOR_RESETS
            ),
            "can_resolve_payments": _officer_may(request, PAYMENT_ISSUE_PERMISSION, Queue.BILLS),
            "counts": counts,
        },
    )


@officer_required(REVIEW_PERMISSION, Queue.MEMBER_REQUESTS)
def member_requests(request):
    kind = request.GET.get("kind") or None
    kinds = account_selectors.member_request_kinds()
    if kind not in (None, *(value for value, _label in kinds)):
        kind = None
    pending = account_selectors.pending_member_requests(acting=acting_of(request), kind=kind)
    return render(
        request,
        "backoffice/member_requests.html",
        {"pending": pending, "kind": kind, "kinds": kinds},
    )


class DecisionForm(PortalForm):
    # The text field's name is also the decide service's argument and the field its errors
    # name ("note" here, "reason" for holdings): see _decision_saved.
    note_field = "note"

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the member (required when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


def _decision_saved(request, form, decide, *, refused) -> bool:
    """The flow the three decision pages share (ADM-01 to ADM-03): a valid post goes to the
    decide service; its refusal (an error of the type `refused`) shows on the form's text
    field when it names it, else above the form. True when the decision was saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    note_field = form.note_field
    try:
        decide(
            officer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            request=request,
            **{note_field: form.cleaned_data[note_field]},
        )
    except refused as error:
        form.add_error(note_field if error.field == note_field else None, error.message)
        return False
    return True


def _found(row):
    """What a scoped selector found for this officer, or a 404: a case outside the officer's
    agency or area does not exist for them (ADM-01)."""
    if row is None:
        raise Http404
    return row


def _member_request(request, request_id: int):
    return _found(
        account_selectors.member_request_for_officer(
            acting=acting_of(request), request_id=request_id
        )
    )


@officer_required(REVIEW_PERMISSION, Queue.MEMBER_REQUESTS)
@require_http_methods(["GET", "POST"])
def member_request_detail(request, request_id):
    filed = _member_request(request, request_id)
    form = DecisionForm(posted_data(request))
    decide = partial(member_request_decide, member_request=filed)
    try:
        saved = _decision_saved(request, form, decide, refused=AccountError)
    except RegistryUnavailable:
        # Approving asks the civil registry again (ACC-17).
        form.add_error(
            None, _("The civil registry cannot be reached. Nothing was changed; try again.")
        )
    else:
        if saved:
            messages.success(request, _("The decision was saved and the member was told."))
            return redirect("backoffice:member_requests")
    return render(
        request,
        "backoffice/member_request_detail.html",
        {
            "filed": filed,
            "details": request_details(filed),
            "member": filed.member,
            "form": form,
            "history": audit_entries_for(target=filed)[:20],
        },
    )


@officer_required(REVIEW_PERMISSION, Queue.MEMBER_REQUESTS)
def member_request_evidence(request, request_id):
    filed = _member_request(request, request_id)
    if not filed.evidence:
        raise Http404
    return private_file_response(
        default_storage.open(filed.evidence.name, "rb"),
        content_type=filed.evidence_content_type,
        name=f"evidence-{filed.pk}",
    )


# --- businesses added by document (ADM-02, BIZ-05, BIZ-06) ---------------------------------


@officer_required(VERIFY_PERMISSION, Queue.BUSINESS_VERIFICATIONS)
def holdings(request):
    return render(
        request,
        "backoffice/holdings.html",
        {"pending": operator_selectors.holdings_awaiting_verification(acting=acting_of(request))},
    )


class VerificationForm(PortalForm):
    note_field = "reason"

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Verified")), ("reject", gettext_lazy("Rejected"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


def _holding(request, holding_id: int):
    return _found(
        operator_selectors.holding_for_officer(acting=acting_of(request), holding_id=holding_id)
    )


@officer_required(VERIFY_PERMISSION, Queue.BUSINESS_VERIFICATIONS)
@require_http_methods(["GET", "POST"])
def holding_detail(request, holding_id):
    holding = _holding(request, holding_id)
    form = VerificationForm(posted_data(request))
    decide = partial(holding_decide, holding_id=holding.pk)
    if _decision_saved(request, form, decide, refused=OperatorError):
        messages.success(request, _("The decision was saved and the member was told."))
        return redirect("backoffice:holdings")
    return render(
        request,
        "backoffice/holding_detail.html",
        {
            "holding": holding,
            "business": holding.business,
            "documents": holding.documents.all(),
            "form": form,
            "history": audit_entries_for(target=holding)[:20],
        },
    )


@officer_required(VERIFY_PERMISSION, Queue.BUSINESS_VERIFICATIONS)
def holding_document(request, holding_id, document_id):
    holding = _holding(request, holding_id)
    document = holding.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return private_file_response(
        default_storage.open(document.file.name, "rb"),
        content_type=document.content_type,
        name=f"document-{document.pk}",
    )


# --- taking a member off a business on a director's letter (ADM-02) ------------------------


@officer_required(VERIFY_PERMISSION, Queue.HOLDER_REMOVALS)
def removals(request):
    pending = operator_selectors.holder_removals_awaiting_decision(acting=acting_of(request))
    return render(request, "backoffice/removals.html", {"pending": pending})


def _removal(request, request_id: int):
    return _found(
        operator_selectors.holder_removal_for_officer(
            acting=acting_of(request), request_id=request_id
        )
    )


@officer_required(VERIFY_PERMISSION, Queue.HOLDER_REMOVALS)
@require_http_methods(["GET", "POST"])
def removal_detail(request, request_id):
    filed = _removal(request, request_id)
    form = DecisionForm(posted_data(request))
    decide = partial(holder_removal_request_decide, request_id=filed.pk)
    if _decision_saved(request, form, decide, refused=OperatorError):
        messages.success(request, _("The decision was saved."))
        return redirect("backoffice:removals")
    return render(request, "backoffice/removal_detail.html", {"filed": filed, "form": form})


@officer_required(VERIFY_PERMISSION, Queue.HOLDER_REMOVALS)
def removal_letter(request, request_id):
    filed = _removal(request, request_id)
    return private_file_response(
        default_storage.open(filed.letter.name, "rb"),
        content_type=filed.letter_content_type,
        name=f"letter-{filed.pk}",
    )


# --- two-factor reset for a member who lost the phone (SSO-04, ADM-02) ---------------------


@officer_required(TWO_FACTOR_PERMISSION, Queue.TWO_FACTOR_RESETS)
@require_http_methods(["GET", "POST"])
def two_factor_reset(request):
    form = OfficerResetForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            pid = clean_national_id(form.cleaned_data["national_id"])
        except forms.ValidationError as error:
            form.add_error("national_id", error)
        else:
            member = member_by_national_id(pid=pid)
            if member is None or not member.is_active:
                form.add_error("national_id", _("No active member has this national ID."))
            else:
                try:
                    two_factor_reset_by_officer(
                        officer=request.user,
                        member=member,
                        identity_checked=form.cleaned_data["identity_checked"],
                        request=request,
                    )
                except TwoFactorError as error:
                    # A scope refusal (ADM-01) is about the case, not the field.
                    field = "identity_checked" if error.code == "identity" else None
                    form.add_error(field, error.message)
                else:
                    messages.success(
                        request,
                        _("Two-factor authentication of %(name)s was reset.")
                        % {"name": member.display_name},
                    )
                    return redirect("backoffice:home")
    return render(request, "backoffice/two_factor_reset.html", {"form": form})


# --- late payments and reconciliation mismatches (BILL-08, ADM-01 to ADM-03) ----------------


class PaymentIssueForm(PortalForm):
    resolution = forms.ChoiceField(
        label=gettext_lazy("Resolution"),
        choices=billing_selectors.reconciliation_resolution_choices(),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@officer_required(PAYMENT_ISSUE_PERMISSION, Queue.BILLS)
def payment_issues(request):
    pending = billing_selectors.reconciliation_issues(acting=acting_of(request))
    return render(request, "backoffice/payment_issues.html", {"pending": pending})


@officer_required(PAYMENT_ISSUE_PERMISSION, Queue.BILLS)
@require_http_methods(["GET", "POST"])
def payment_issue_detail(request, issue_id):
    acting = acting_of(request)
    issue = _found(
        billing_selectors.reconciliation_issue_for_officer(acting=acting, issue_id=issue_id)
    )
    form = PaymentIssueForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            reconciliation_issue_resolve(
                acting=acting,
                issue_id=issue.pk,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
                concerned_member_ids=(
                    operator_selectors.factory_holder_ids(factory_no=issue.bill.factory.factory_no)
                    if issue.bill
                    else ()
                ),
            )
        except BillingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision was saved."))
            return redirect("backoffice:payment_issues")
    return render(request, "backoffice/payment_issue_detail.html", {"issue": issue, "form": form})
