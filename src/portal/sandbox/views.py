"""Sandbox pages: the SMS and email outbox, and the registries' failure switches.

Mounted only when SANDBOX=1 (portal.urls), open to every visitor on purpose: demos and the
browser tests read one-time passwords from the outbox without an account.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.selectors import member_by_national_id
from portal.core.forms import NationalIdField, PortalForm
from portal.identity.selectors import two_factor_current_code
from portal.registries.failures import failure_set, failures_all
from portal.sandbox.models import OutboxMessage

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _limit(raw: str | None) -> int | None:
    """The ?limit= asked for, or None when it is not a whole number from 1 to MAX_LIMIT."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if 1 <= value <= MAX_LIMIT else None


def _outbox(*, to: str, limit: int) -> list[OutboxMessage]:
    messages = OutboxMessage.objects.order_by("-created_at", "-id")
    if to:
        messages = messages.filter(to=to)
    return list(messages[:limit])


@never_cache
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    to = request.GET.get("to", "").strip()
    limit = _limit(request.GET.get("limit")) or DEFAULT_LIMIT
    return render(
        request,
        "sandbox/outbox.html",
        {"outbox_messages": _outbox(to=to, limit=limit), "to": to, "limit": limit},
    )


@never_cache
@require_GET
def outbox_json(request: HttpRequest) -> JsonResponse:
    """{"messages": [{channel, to, sender, subject, body, time}, ...]}, newest first."""
    limit = _limit(request.GET.get("limit"))
    if limit is None:
        return JsonResponse(
            {"error": f"limit must be a whole number from 1 to {MAX_LIMIT}"}, status=400
        )
    to = request.GET.get("to", "").strip()
    messages = [
        {
            "channel": message.channel,
            "to": message.to,
            "sender": message.sender,
            "subject": message.subject,
            "body": message.body,
            "time": timezone.localtime(message.created_at).isoformat(),
        }
        for message in _outbox(to=to, limit=limit)
    ]
    return JsonResponse({"messages": messages}, json_dumps_params={"ensure_ascii": False})


REGISTRIES = {
    "dopa": _("DOPA: citizens and ID cards"),
    "dbd": _("DBD: juristic persons and commercial registrations"),
    "rd": _("Revenue Department: taxpayers"),
    "doae": _("DOAE: community enterprises"),
    "diw": _("DIW: factories"),
    "sms": _("SMS gateway"),
}
FAILURE_MODES = {
    "none": _("working"),
    "down": _("down"),
    "slow": _("slow"),
    "timeout": _("timeout"),
}


class FailureModeForm(PortalForm):
    registry = forms.ChoiceField(choices=list(REGISTRIES.items()))
    mode = forms.ChoiceField(choices=list(FAILURE_MODES.items()))


@never_cache
@require_http_methods(["GET", "POST"])
def registries(request: HttpRequest) -> HttpResponse:
    """Switch a registry's simulated failure (none, down, slow, timeout) for demos and tests."""
    status = 200
    if request.method == "POST":
        form = FailureModeForm(request.POST)
        if form.is_valid():
            registry, mode = form.cleaned_data["registry"], form.cleaned_data["mode"]
            failure_set(registry, mode)
            messages.success(
                request,
                gettext("The failure mode of “%(registry)s” is now “%(mode)s”.")
                % {"registry": REGISTRIES[registry], "mode": FAILURE_MODES[mode]},
            )
            return redirect("sandbox:registries")
        messages.error(request, gettext("Choose a registry and a failure mode from the lists."))
        status = 400
    modes = failures_all()
    rows = [
        {
            "name": name,
            "label": label,
            "mode": modes.get(name, "none"),
            "mode_label": FAILURE_MODES.get(modes.get(name, "none"), modes.get(name)),
        }
        for name, label in REGISTRIES.items()
    ]
    return render(
        request,
        "sandbox/registries.html",
        {"rows": rows, "modes": list(FAILURE_MODES.items())},
        status=status,
    )


class AuthenticatorForm(PortalForm):
    national_id = NationalIdField(label=_("National ID of the member whose phone this is"))


@never_cache
@require_http_methods(["GET", "POST"])
def authenticator(request: HttpRequest) -> HttpResponse:
    """The simulated authenticator app (SSO-04): the code a member's phone would show now, for
    demos and tests, like the outbox for SMS. The ID goes by POST, never in the address."""
    form = AuthenticatorForm(request.POST if request.method == "POST" else None)
    shown = None
    if request.method == "POST" and form.is_valid():
        member = member_by_national_id(pid=form.cleaned_data["national_id"])
        current = two_factor_current_code(member=member) if member is not None else None
        if current is None:
            form.add_error(
                "national_id", _("No member with this ID has set up an authenticator app.")
            )
        else:
            shown = {"name": member.display_name, "code": current[0], "seconds": current[1]}
    return render(
        request,
        "sandbox/authenticator.html",
        {"form": form, "shown": shown},
        status=400 if form.errors else 200,
    )
