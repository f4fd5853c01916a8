"""Businesses in the member's profile. Every page looks the business up through the member's
own holding, so another member's business is a 404 (object-level permission)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.forms import form_add_service_error
from portal.core.jinja import choice_labels, jinja_html
from portal.core.thaiid import decrypt_text, encrypt_text, mask_pid
from portal.core.views import paginate, posted_data, posted_files, private_file_response
from portal.operators import forms, selectors, services
from portal.operators.models import Business, Holding
from portal.operators.services import OperatorError
from portal.registries.base import RegistryUnavailable
from portal.registries.doae import CommunityEnterprise
from portal.registries.rd import Taxpayer

ADDING = "business_add"
ADDED = "business_added"
FORMS = {
    Business.Kind.NATURAL_PERSON: forms.NaturalPersonForm,
    Business.Kind.JURISTIC_PERSON: forms.JuristicPersonForm,
}


def _steps():
    return [_("Kind of business"), _("Details"), _("Done")]


def _registry_down(_error: RegistryUnavailable) -> str:
    return _(
        "The registry of the government agency cannot be reached. Nothing was saved; try "
        "again in 1-2 minutes."
    )


@login_required
def business_list(request):
    page = paginate(request, selectors.member_holdings(member=request.user))
    holdings = list(page.object_list)
    rows = jinja_html(
        "operators/business_rows.html",
        {
            "holdings": holdings,
            "kinds": choice_labels(Business.Kind.choices),
            "statuses": choice_labels(Holding.Status.choices),
        },
    )
    return render(
        request,
        "operators/business_list.html",
        {"holdings": holdings, "business_rows": rows, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_add(request):
    form = forms.KindForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        request.session[ADDING] = {"kind": form.cleaned_data["kind"]}
        return redirect("operators:business_add_details")
    first = not selectors.member_has_business(member=request.user)
    return render(
        request,
        "operators/business_add_kind.html",
        {"form": form, "steps": _steps(), "current": 1, "first": first},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_add_details(request):
    state = request.session.get(ADDING)
    if not state:
        return redirect("operators:business_add")
    kind = state["kind"]
    if kind in selectors.LOOKUP_KINDS:
        return _business_add_looked_up(request, state)
    form_class = FORMS[kind]
    if kind == Business.Kind.JURISTIC_PERSON:
        # One question a page: which directors the company has, then that path's form
        # (BIZ-04 by a Thai director's ID, BIZ-05 by a foreign director's document).
        if request.GET.get("change") == "directors":
            state.pop("directors", None)
            request.session[ADDING] = state
        if state.get("directors") is None:
            return _business_add_directors(request, state)
        if state["directors"] == "foreign":
            form_class = forms.ForeignDirectedCompanyForm
    form = sent = form_class(posted_data(request), posted_files(request))
    if request.method == "POST":
        try:
            holding = _add(request, kind, sent, state)
        except RegistryUnavailable as error:
            sent.add_error(None, _registry_down(error))
        except OperatorError as error:
            form_add_service_error(sent, error)
        else:
            if holding == "choose_name":
                return redirect("operators:business_add_name")
            if holding is not None:
                return _added(request, holding)
    return render(
        request,
        "operators/business_add_details.html",
        {
            "form": form,
            "kind": kind,
            "directors": state.get("directors"),
            "kind_label": Business.Kind(kind).label,
            "steps": _steps(),
            "current": 2,
        },
    )


def _business_add_directors(request, state):
    """The question of step 2 for a company: its answer chooses the form that follows."""
    form = forms.DirectorsForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        state["directors"] = form.cleaned_data["directors"]
        request.session[ADDING] = state
        return redirect("operators:business_add_details")
    return render(
        request,
        "operators/business_add_directors.html",
        {
            "form": form,
            "kind_label": Business.Kind(state["kind"]).label,
            "steps": _steps(),
            "current": 2,
        },
    )


def _added(request, holding):
    """Step 3: the wizard's state is done with; the page shows the business just added."""
    request.session.pop(ADDING, None)
    request.session[ADDED] = holding.pk
    return redirect("operators:business_add_done")


def _add(request, kind, form, state):
    """Call the service for the form that was sent; None when it is invalid."""
    member = request.user
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if isinstance(form, forms.ForeignDirectedCompanyForm):
        return services.business_add_foreign_directed_company(
            member=member,
            juristic_id=data["juristic_id"],
            document=data["document"],
            extension=form.document_extension,
            document_kind=data["document_kind"],
            expires_on=data["expires_on"],
            request=request,
        )
    if kind == Business.Kind.NATURAL_PERSON:
        check = selectors.natural_person_check(
            member=member,
            who=data["who"],
            pid=data.get("pid", ""),
            laser_code=data.get("laser_code", ""),
        )
        if check.trade_names:
            state.update(
                who=data["who"],
                pid=encrypt_text(check.pid),
                laser=encrypt_text(data.get("laser_code", "")),
                person_name=check.person_name,
                person_name_en=check.person_name_en,
                trade_names=list(check.trade_names),
            )
            request.session[ADDING] = state
            return "choose_name"
        return _add_natural(request, data["who"], check, data.get("laser_code", ""), "")
    return services.business_add_juristic_person(
        member=member,
        juristic_id=data["juristic_id"],
        director_pid=data["director_pid"],
        request=request,
    )


# --- BIZ-06, BIZ-07, SSO-02: looked up first, typed only when nothing is found ---------------


def _lookup_to_state(found: selectors.BusinessLookup) -> dict:
    """The lookup kept in the session for the next page; the number encrypted (it may be a
    person's national ID), the representative's ID not repeated."""
    return {
        "number": encrypt_text(found.number),
        "community": found.community,
        "taxpayers": [
            {"kind": t.kind, "name_th": t.name_th, "name_en": t.name_en, "branch": t.branch}
            for t in found.taxpayers
        ],
        "enterprises": [
            {"registration_no": e.registration_no, "name_th": e.name_th} for e in found.enterprises
        ],
    }


def _lookup_from_state(saved: dict) -> selectors.BusinessLookup:
    number = decrypt_text(saved["number"])
    return selectors.BusinessLookup(
        number=number,
        community=saved["community"],
        taxpayers=tuple(Taxpayer(tax_id=number, **t) for t in saved["taxpayers"]),
        enterprises=tuple(
            CommunityEnterprise(representative_pid=number, is_juristic=False, **e)
            for e in saved["enterprises"]
        ),
    )


def _branch_label(taxpayer: Taxpayer) -> str:
    where = (
        _("Head office")
        if taxpayer.is_head_office
        else _("Branch %(number)s") % {"number": taxpayer.branch}
    )
    return f"{where} ({taxpayer.branch}): {taxpayer.name_th}"


def _looked_up_form(request, found: selectors.BusinessLookup):
    data, files = posted_data(request), posted_files(request)
    if found.community and found.enterprises:
        choices = [(e.registration_no, e.name_th) for e in found.enterprises]
        return forms.EnterpriseChoiceForm(data, enterprises=choices)
    if found.community:
        return forms.CommunityEnterpriseKeyInForm(data, files)
    if found.taxpayers:
        choices = [(t.branch, _branch_label(t)) for t in found.taxpayers]
        return forms.TaxpayerFoundForm(data, files, branches=choices)
    return forms.TaxIdKeyInForm(data, files)


def _business_add_looked_up(request, state):
    """Step 2 for the kinds looked up first: the number (its own page), then what the
    registry found, or the key-in form when it found nothing."""
    if request.GET.get("change") == "number":
        state.pop("lookup", None)
        request.session[ADDING] = state
    if state.get("lookup") is None:
        return _business_lookup(request, state)
    found = _lookup_from_state(state["lookup"])
    form = _looked_up_form(request, found)
    if request.method == "POST" and form.is_valid():
        try:
            holding = _add_looked_up(request, state["kind"], found, form)
        except RegistryUnavailable as error:
            form.add_error(None, _registry_down(error))
        except OperatorError as error:
            form_add_service_error(form, error)
        else:
            return _added(request, holding)
    return render(
        request,
        "operators/business_add_details.html",
        {
            "form": form,
            "kind": state["kind"],
            "kind_label": Business.Kind(state["kind"]).label,
            "found": found,
            "masked_number": mask_pid(found.number) if found.community else found.number,
            "steps": _steps(),
            "current": 2,
        },
    )


def _business_lookup(request, state):
    kind = state["kind"]
    form = forms.BusinessLookupForm(posted_data(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            found = selectors.business_lookup(kind=kind, number=form.cleaned_data["number"])
        except RegistryUnavailable as error:
            form.add_error(None, _registry_down(error))
        except OperatorError as error:
            form_add_service_error(form, error)
        else:
            state["lookup"] = _lookup_to_state(found)
            request.session[ADDING] = state
            return redirect("operators:business_add_details")
    return render(
        request,
        "operators/business_add_lookup.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Business.Kind(kind).label,
            "steps": _steps(),
            "current": 2,
        },
    )


def _add_looked_up(request, kind, found, form):
    member, data = request.user, form.cleaned_data
    if isinstance(form, forms.EnterpriseChoiceForm):
        return services.business_add_community_enterprise(
            member=member,
            registration_no=data["registration_no"],
            representative_pid=found.number,
            request=request,
        )
    document = {
        "document": data["document"],
        "extension": form.document_extension,
        "document_kind": data["document_kind"],
    }
    if isinstance(form, forms.CommunityEnterpriseKeyInForm):
        return services.business_add_community_enterprise_by_document(
            member=member,
            representative_pid=found.number,
            name_th=data["name_th"],
            name_en=data["name_en"],
            request=request,
            **document,
        )
    if isinstance(form, forms.TaxpayerFoundForm):
        taxpayer = next(t for t in found.taxpayers if t.branch == data["branch"])
        return services.business_add_by_document(
            member=member,
            kind=kind,
            tax_id=found.number,
            taxpayer=taxpayer,
            request=request,
            **document,
        )
    return services.business_add_by_document(
        member=member,
        kind=kind,
        tax_id=found.number,
        name_th=data["name_th"],
        name_en=data["name_en"],
        branch=data["branch"],
        request=request,
        **document,
    )


def _add_natural(request, who, check, laser_code, trade_name):
    """Add the person `check` (natural_person_check's answer in this add) found: the service
    does not ask the registries again (each registry once per added person)."""
    if who == "myself":
        return services.business_add_myself(
            member=request.user, trade_name_th=trade_name, request=request
        )
    return services.business_add_natural_person(
        member=request.user,
        pid=check.pid,
        laser_code=laser_code,
        trade_name_th=trade_name,
        checked=check,
        request=request,
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_add_name(request):
    """BIZ-03: the person's name or one of their trade names."""
    state = request.session.get(ADDING) or {}
    if "trade_names" not in state:
        return redirect("operators:business_add")
    # By position: "0" the person's own name (an empty value would be no choice at all to a
    # required field), then the trade names and community enterprises' names in order.
    names = ["", *state["trade_names"]]
    labels = [state["person_name"], *state["trade_names"]]
    choices = [(str(position), label) for position, label in enumerate(labels)]
    form = forms.TradeNameForm(posted_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            # The check of step 2, kept in the session (the ID encrypted): not asked again.
            check = selectors.NaturalPersonCheck(
                pid=decrypt_text(state["pid"]),
                person_name=state["person_name"],
                trade_names=tuple(state["trade_names"]),
                person_name_en=state.get("person_name_en", ""),
            )
            holding = _add_natural(
                request,
                state["who"],
                check,
                decrypt_text(state["laser"]),
                names[int(form.cleaned_data["name"])],
            )
        except RegistryUnavailable as error:
            form.add_error(None, _registry_down(error))
        except OperatorError as error:
            form.add_error(None, error.message)
        else:
            return _added(request, holding)
    return render(
        request,
        "operators/business_add_name.html",
        {"form": form, "steps": _steps(), "current": 2},
    )


@login_required
def business_add_done(request):
    holding = selectors.member_holding(
        member=request.user, holding_id=request.session.get(ADDED) or 0
    )
    if holding is None:
        return redirect("operators:businesses")
    return render(
        request,
        "operators/business_add_done.html",
        {"holding": holding, "steps": _steps(), "current": 3},
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_detail(request, holding_id):
    holding = selectors.member_holding(member=request.user, holding_id=holding_id)
    if holding is None:
        raise Http404
    business = holding.business
    if not holding.is_verified:
        # A pending or rejected claim sees its own claim only: no co-holders, no shared
        # contacts, nothing to change (the service refuses it too).
        if request.method == "POST":
            raise PermissionDenied
        return render(
            request,
            "operators/business_detail.html",
            {"holding": holding, "business": business, "documents": holding.documents.all()},
        )
    # BIZ-08: each part of the details is its own form, saved on its own; only the part sent
    # is bound, so changing the phone number asks for nothing else.
    sent_section = request.POST.get("section") if request.method == "POST" else None
    current = Business(**_contacts_of(business))
    section_forms = {
        form_class.section: form_class(
            posted_data(request) if form_class.section == sent_section else None,
            instance=current,
        )
        for form_class in forms.CONTACT_FORMS
    }
    # A POST naming no part of the page changes nothing: the page comes back as it is.
    form = section_forms.get(sent_section)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.business_update_contacts(
                member=request.user, holding_id=holding.pk, data=data, request=request
            )
        except OperatorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The contacts were saved."))
            return redirect("operators:business_detail", holding_id=holding.pk)
    return render(
        request,
        "operators/business_detail.html",
        {
            "holding": holding,
            "business": business,
            "form": form,
            "section_forms": section_forms,
            "holders": selectors.co_holders_seen_by(holding=holding),
            "documents": holding.documents.all(),
        },
    )


def _contacts_of(business: Business) -> dict:
    values = {f: getattr(business, f) for f in services.CONTACT_FIELDS}
    values["contact_address"] = business.contact_address
    return values


@login_required
@require_http_methods(["GET", "POST"])
def business_remove(request, holding_id):
    """A confirmation page that says what is lost, then the removal (issue 9: destructive
    actions look like warnings)."""
    if request.method == "GET":
        holding = selectors.member_holding(member=request.user, holding_id=holding_id)
        if holding is None:
            raise Http404
        return render(request, "operators/business_remove.html", {"holding": holding})
    try:
        holding = services.holding_remove(
            member=request.user, holding_id=holding_id, request=request
        )
    except OperatorError as error:
        raise Http404 from error
    messages.success(
        request,
        _("“%(name)s” was removed from your profile.") % {"name": holding.business_name},
    )
    return redirect("operators:businesses")


@login_required
def business_document(request, holding_id, document_id):
    holding = selectors.member_holding(member=request.user, holding_id=holding_id)
    document = holding.documents.filter(pk=document_id).first() if holding else None
    if document is None:
        raise Http404
    return private_file_response(
        default_storage.open(document.file.name, "rb"),
        content_type=document.content_type,
        name=f"document-{document.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def registry_changes(request):
    """SSO-09: what the registry says now about the member's businesses, to confirm."""
    if request.method == "POST":
        try:
            services.business_registry_refresh(
                member=request.user,
                business_id=int(request.POST.get("business", 0)),
                request=request,
            )
        except (OperatorError, ValueError) as error:
            raise Http404 from error
        except RegistryUnavailable as error:
            messages.error(request, _registry_down(error))
        else:
            messages.success(request, _("The business now shows the registry's data."))
        return redirect("operators:registry_changes")
    # Found in the background after login (operators.tasks): this page asks no registry.
    by_business: dict = {}
    for change in selectors.registry_changes_for(member=request.user):
        by_business.setdefault(change.business, []).append(change)
    # A director renamed at DOPA only is shown, never confirmed: DBD owns that data.
    rows = [
        (business, changes, any(c.field != selectors.DIRECTOR_NAMES for c in changes))
        for business, changes in by_business.items()
    ]
    return render(
        request,
        "operators/registry_changes.html",
        {"by_business": rows, "own_name": selectors.member_registry_name(member=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def holder_removal_request(request, holding_id, target_id):
    """ADM-02: ask an officer to take another member off this business."""
    holding = selectors.member_holding(member=request.user, holding_id=holding_id)
    target = (
        selectors.co_holders_seen_by(holding=holding).filter(pk=target_id).first()
        if holding
        else None
    )
    if target is None or target.member_id == request.user.pk:
        raise Http404
    form = forms.HolderRemovalForm(posted_data(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.holder_removal_request_file(
                member=request.user,
                holding_id=holding.pk,
                target_holding_id=target.pk,
                reason=form.cleaned_data["reason"],
                letter=form.cleaned_data["letter"],
                extension=form.letter_extension,
                request=request,
            )
        except OperatorError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request was sent to an officer."))
            return redirect("operators:business_detail", holding_id=holding.pk)
    return render(
        request,
        "operators/holder_removal.html",
        {"form": form, "holding": holding, "target": target},
    )
