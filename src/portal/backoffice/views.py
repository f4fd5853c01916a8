"""The officers' back office (ADM-01 to ADM-03). A visitor who is not an officer, or an
officer without the permission for a queue, gets a 404: the pages do not admit they exist."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.accounts import selectors as account_selectors
from portal.accounts.models import MemberRequest
from portal.accounts.services import AccountError, member_request_decide, request_details
from portal.core.selectors import audit_entries_for
from portal.core.views import posted_data
from portal.registries.base import RegistryUnavailable

REVIEW_PERMISSION = "accounts.review_member_request"


def officer_required(permission: str | None = None):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_officer:
                raise Http404
            if permission and not request.user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@officer_required()
def home(request):
    can_review = request.user.has_perm(REVIEW_PERMISSION)
    counts = account_selectors.member_request_counts() if can_review else {}
    return render(
        request,
        "backoffice/home.html",
        {"officer": request.user.officer, "can_review": can_review, "counts": counts},
    )


@officer_required(REVIEW_PERMISSION)
def member_requests(request):
    kind = request.GET.get("kind") or None
    if kind not in (None, *MemberRequest.Kind.values):
        kind = None
    pending = account_selectors.pending_member_requests(kind=kind)
    return render(
        request,
        "backoffice/member_requests.html",
        {"pending": pending, "kind": kind, "kinds": MemberRequest.Kind.choices},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the member (required when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@officer_required(REVIEW_PERMISSION)
@require_http_methods(["GET", "POST"])
def member_request_detail(request, request_id):
    filed = get_object_or_404(MemberRequest.objects.select_related("member"), pk=request_id)
    form = DecisionForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            member_request_decide(
                officer=request.user,
                member_request=filed,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                request=request,
            )
        except RegistryUnavailable:
            form.add_error(
                None, _("The civil registry cannot be reached. Nothing was changed; try again.")
            )
        except AccountError as error:
            form.add_error("note" if error.field == "note" else None, error.message)
        else:
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


@officer_required(REVIEW_PERMISSION)
def member_request_evidence(request, request_id):
    filed = get_object_or_404(MemberRequest, pk=request_id)
    if not filed.evidence:
        raise Http404
    return FileResponse(
        default_storage.open(filed.evidence.name, "rb"), content_type=filed.evidence_content_type
    )
