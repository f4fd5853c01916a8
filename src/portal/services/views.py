"""The services menu (SVC-01) and the hand-off (SVC-02, SVC-03): readiness, choose a
business, proceed, consent, then open the system from the member's own click."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core.forms import PortalForm
from portal.core.views import posted_data
from portal.identity.selectors import issuer_for
from portal.services import selectors, services


class ProceedForm(PortalForm):
    holding = forms.IntegerField(required=False)


class ConsentForm(PortalForm):
    answer = forms.ChoiceField(choices=[("accept", "accept"), ("refuse", "refuse")])


def index(request):
    """SVC-01: the four categories; for a member, what each service still needs (SVC-03)."""
    member = request.user if request.user.is_authenticated else None
    return render(
        request, "services/index.html", {"categories": selectors.catalogue(member=member)}
    )


def _system_or_404(slug: str):
    system = selectors.connected_system(slug=slug)
    if system is None:
        raise Http404
    return system


def _page(request, system, **extra) -> dict:
    return {
        **selectors.handoff_page(member=request.user, system=system),
        "steps": HANDOFF_STEPS(),
        **extra,
    }


def HANDOFF_STEPS():
    return [_("Choose a business"), _("Consent"), _("Open the system")]


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, slug):
    """Readiness, then the business choice and "proceed" [ดำเนินการ]."""
    system = _system_or_404(slug)
    form = ProceedForm(posted_data(request))
    context = _page(request, system, form=form, current=1)
    readiness = context["readiness"]
    if request.method == "POST" and form.is_valid() and readiness.ready:
        holding = None
        if system.needs_business:
            holding = selectors.chosen_holding(
                readiness=readiness, holding_id=form.cleaned_data["holding"]
            )
            if holding is None:
                form.add_error("holding", selectors.CHOOSE_BUSINESS)
        if not form.errors:
            services.handoff_remember(
                session=request.session, system=system, holding_id=holding.pk if holding else None
            )
            if context["consented"]:
                return redirect("services:open", slug=system.slug)
            return redirect("services:consent", slug=system.slug)
    chosen = form.data.get("holding", "") if form.is_bound else ""
    context["chosen_holding"] = int(chosen) if str(chosen).isdigit() else None
    return render(request, "services/detail.html", context)


def _pending_handoff(request, system):
    return services.handoff_peek(session=request.session, client_id=system.client.client_id)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, slug):
    """The data-sharing consent of this system, in its current version: no consent, no
    hand-off (SVC-02)."""
    system = _system_or_404(slug)
    if _pending_handoff(request, system) is None:
        return redirect("services:detail", slug=system.slug)
    form = ConsentForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["answer"] == "accept":
            services.consent_give(member=request.user, system=system, request=request)
            return redirect("services:open", slug=system.slug)
        services.handoff_take(session=request.session, client_id=system.client.client_id)
        messages.warning(
            request,
            _("You did not consent, so %(name)s was not opened and received nothing.")
            % {"name": selectors.system_name(system)},
        )
        return redirect("services:detail", slug=system.slug)
    return render(request, "services/consent.html", _page(request, system, form=form, current=2))


@login_required
def open_system(request, slug):
    """The last step: a link the member clicks, so the system opens in a new tab without a
    popup blocker in the way (SVC-02). The system then starts a normal OIDC authorization,
    which finds the business remembered here (SSO-06)."""
    system = _system_or_404(slug)
    handoff = _pending_handoff(request, system)
    if handoff is None or not selectors.consent_current(member=request.user, system=system):
        return redirect("services:detail", slug=system.slug)
    context = _page(request, system, current=3)
    holding = next((h for h in context["readiness"].eligible if h.pk == handoff["holding"]), None)
    query = urlencode({"iss": issuer_for(request), "target_link_uri": system.initiate_login_uri})
    separator = "&" if "?" in system.initiate_login_uri else "?"
    context.update(
        {"holding": holding, "launch_url": f"{system.initiate_login_uri}{separator}{query}"}
    )
    return render(request, "services/open.html", context)
