"""Factories in the member's profile (FAC-01 to FAC-05). Every page looks the factory or the
business up through the member's own rows, so another member's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.jinja import jinja_html
from portal.core.views import paginate, posted_data
from portal.operators import factory_selectors, factory_services, selectors
from portal.operators.factory_forms import (
    BusinessChoiceForm,
    FactorySearchForm,
)
from portal.operators.factory_numbers import QUERY_TEXT, InvalidFactoryNumber, parse_factory_no
from portal.operators.services import OperatorError
from portal.operators.supervisors import (
    BANGKOK,
    DIW,
    UnknownProvince,
    offices,
    supervising_office_for,
)
from portal.registries.base import RegistryUnavailable

ADDED = "factories_added"


def _steps():
    return [_("Choose business"), _("Check"), _("Choose factories"), _("Done")]


def _registry_down() -> str:
    return _(
        "The registry of the Department of Industrial Works cannot be reached. Nothing was "
        "saved; try again in 1-2 minutes."
    )


# --- FAC-02: the list, filterable by business --------------------------------------------


@login_required
def factory_list(request):
    holdings = selectors.member_business_choices(member=request.user)
    holding_id = None
    raw = request.GET.get("business", "")
    if raw:
        # The choices are the member's own businesses: anything else is another's, or made up.
        try:
            holding_id = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        if holding_id not in {pk for pk, _name in holdings}:
            raise Http404
    rows = factory_selectors.member_factory_rows(member=request.user, holding_id=holding_id)
    page = paginate(request, rows)
    rows = list(page.object_list)
    return render(
        request,
        "factories/factory_list.html",
        {
            "rows": rows,
            "factory_rows": jinja_html(
                "factories/factory_rows.html",
                {"rows": rows, "status_label": factory_selectors.status_label},
            ),
            "business_options": jinja_html(
                "core/options.html", {"options": holdings, "selected": holding_id or ""}
            ),
            "page": page,
            "query": f"business={holding_id}" if holding_id else "",
            "holdings": holdings,
            "selected": holding_id,
            "filtered": holding_id is not None,
        },
    )


# --- FAC-01: add factories: choose business, check with DIW, choose factories, done -------


@login_required
@require_http_methods(["GET", "POST"])
def factory_add(request):
    holdings = list(selectors.member_holdings(member=request.user))
    initial = request.GET.get("business") or (str(holdings[0].pk) if len(holdings) == 1 else "")
    form = BusinessChoiceForm(
        posted_data(request), holdings=holdings, initial={"business": initial}
    )
    if request.method == "POST" and form.is_valid():
        try:
            holding, _operator = factory_selectors.factory_operator_holding(
                member=request.user, holding_id=form.cleaned_data["business"]
            )
        except OperatorError as error:
            form.add_error("business", error.message)
        else:
            return redirect("factories:add_choose", holding_id=holding.pk)
    return render(
        request,
        "factories/add_business.html",
        {"form": form, "holdings": holdings, "steps": _steps(), "current": 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def factory_add_choose(request, holding_id):
    """Step 2 "check" reads DIW for the business; step 3 shows what it lists, the factories
    that may be added as checkboxes and the others with the reason they may not."""
    holding = selectors.member_holding(member=request.user, holding_id=holding_id)
    if holding is None:
        raise Http404
    checked = request.POST.getlist("factory_nos") if request.method == "POST" else []
    field_error = page_error = ""
    registry_down = False
    if request.method == "POST":
        try:
            added = factory_services.factories_add(
                member=request.user,
                holding_id=holding.pk,
                factory_nos=checked,
                request=request,
            )
        except RegistryUnavailable:
            registry_down = True
        except OperatorError as error:
            if error.field == "factory_nos":
                field_error = error.message
            else:
                page_error = error.message
        else:
            request.session[ADDED] = [row.pk for row in added]
            return redirect("factories:add_done")
    available = []
    if not registry_down and not page_error:
        try:
            available = factory_selectors.factories_available(
                member=request.user, holding_id=holding.pk
            )
        except RegistryUnavailable:
            registry_down = True
        except OperatorError as error:
            page_error = error.message
    addable = [a for a in available if a.addable]
    return render(
        request,
        "factories/add_choose.html",
        {
            "holding": holding,
            "business": holding.business,
            "addable": addable,
            "others": [a for a in available if not a.addable],
            "listed": bool(available),
            "checked": set(checked),
            "field_error": field_error,
            "page_error": page_error,
            "registry_down": _registry_down() if registry_down else "",
            "steps": _steps(),
            "current": 3 if available else 2,
        },
    )


@login_required
def factory_add_done(request):
    ids = request.session.get(ADDED) or []
    rows = list(factory_selectors.member_factories(member=request.user).filter(pk__in=ids))
    if not rows:
        return redirect("factories:list")
    return render(
        request,
        "factories/add_done.html",
        {"rows": rows, "steps": _steps(), "current": 4},
    )


# --- FAC-02, FAC-03, FAC-04: the detail ---------------------------------------------------


def _address_text(address: dict) -> str:
    """A Thai address line from the registry's fields (the address is Thai data)."""
    bangkok = address.get("province") == BANGKOK
    parts = [address.get("house_no")]
    if address.get("moo"):
        parts.append(f"หมู่ {address['moo']}")
    parts += [address.get("soi"), address.get("road")]
    if address.get("subdistrict"):
        parts.append(("แขวง" if bangkok else "ตำบล") + address["subdistrict"])
    if address.get("district"):
        parts.append(("เขต" if bangkok else "อำเภอ") + address["district"])
    if address.get("province"):
        parts.append(BANGKOK if bangkok else f"จังหวัด{address['province']}")
    parts.append(address.get("postcode"))
    return " ".join(str(p) for p in parts if p)


def supervising_office(factory):
    """FAC-03: DIW for Bangkok, the province's industry office elsewhere, IEAT inside an
    industrial estate (the registry's `supervisor` field wins when it names one). A record
    whose province the portal does not know falls back to DIW, the national authority."""
    try:
        return supervising_office_for(
            province=factory.province,
            industrial_estate=factory.industrial_estate,
            supervisor=factory.supervisor or None,
        )
    except (UnknownProvince, ValueError):
        return offices()[DIW]


@login_required
def factory_detail(request, factory_holding_id):
    row = factory_selectors.member_factory(
        member=request.user, factory_holding_id=factory_holding_id
    )
    if row is None:
        raise Http404
    factory = row.factory
    language = translation.get_language()
    try:
        number = parse_factory_no(factory.factory_no)
    except InvalidFactoryNumber as error:
        number, number_error = None, error.message
    else:
        number_error = ""
    office = supervising_office(factory)
    return render(
        request,
        "factories/factory_detail.html",
        {
            "row": row,
            "factory": factory,
            "business": row.holding.business,
            "number": number,
            "number_explained": number.explain(language) if number else "",
            "number_groups": (
                factory_selectors.factory_number_groups(factory, number, language) if number else []
            ),
            "number_error": number_error,
            "address_text": _address_text(factory.address),
            "office": office,
            "office_name": office.name(language),
            "has_position": factory.latitude is not None and factory.longitude is not None,
        },
    )


# --- FAC-05: remove from the profile ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def factory_remove(request, factory_holding_id):
    row = factory_selectors.member_factory(
        member=request.user, factory_holding_id=factory_holding_id
    )
    if row is None:
        raise Http404
    if request.method == "POST":
        try:
            factory_services.factory_remove(
                member=request.user, factory_holding_id=row.pk, request=request
            )
        except OperatorError as error:
            raise Http404 from error
        messages.success(
            request,
            _(
                "“%(name)s” was removed from your profile. The Department of Industrial Works "
                "was not notified of any closure or stop."
            )
            % {"name": row.factory.name_th},
        )
        return redirect("factories:list")
    return render(request, "factories/factory_remove.html", {"row": row, "factory": row.factory})


# --- FAC-04: search ----------------------------------------------------------------------------


@login_required
def factory_search(request):
    form = FactorySearchForm(request.GET if "q" in request.GET else None)
    search = None
    results = []
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        search = factory_selectors.factory_search(query=form.cleaned_data["q"])
        if search.kind == QUERY_TEXT and len(search.value) < factory_selectors.MIN_TEXT_LENGTH:
            form.add_error(
                "q", _("Type at least 2 characters of a name, or a whole factory number.")
            )
            search = None
        else:
            if search.number_error and not search.results:
                form.add_error("q", search.number_error)
            held = factory_selectors.factory_holding_ids(
                member=request.user, factories=search.results
            )
            results = [(factory, held.get(factory.pk)) for factory in search.results]
    return render(
        request,
        "factories/factory_search.html",
        {
            "form": form,
            "search": search,
            "results": results,
            "search_rows": jinja_html(
                "factories/search_rows.html",
                {"results": results, "status_label": factory_selectors.status_label},
            ),
        },
    )
