"""Sandbox pages: the SMS and email outbox, and the registries' failure switches.

Mounted only when SANDBOX=1 (portal.urls), open to every visitor on purpose: demos and the
browser tests read one-time passwords from the outbox without an account.
"""

import datetime as dt

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
from portal.billing.payment_codes import PaymentCodeError
from portal.billing.selectors import bill_to_pay
from portal.core.errors import RegistryUnavailable
from portal.core.forms import NationalIdField, PortalFileInput, PortalForm
from portal.core.money import Money
from portal.identity.selectors import two_factor_current_code
from portal.registries.failures import failure_set, failures_all
from portal.sandbox import bank as sandbox_bank
from portal.sandbox.models import OutboxMessage, SandboxBankPayment

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
    "bank": _("Sandbox bank: statements"),
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


# --- the sandbox bank (issue 10, BILL-08) ----------------------------------------------------


class BankRefsForm(PortalForm):
    ref1 = forms.RegexField(regex=r"^[0-9A-Z]{1,20}$", max_length=20, label=_("Ref1"))
    ref2 = forms.RegexField(
        regex=r"^[0-9A-Z]{0,20}$", max_length=20, required=False, label=_("Ref2")
    )


class BankImageForm(PortalForm):
    image = forms.FileField(
        label=_("Image of the QR code or barcode"),
        widget=PortalFileInput(accept="image/png,image/jpeg,image/gif,image/webp"),
    )


class BankPayForm(PortalForm):
    prefix = "pay"  # the page has the search form's Ref1/Ref2 too: ids stay unique
    ref1 = forms.RegexField(regex=r"^[0-9A-Z]{1,20}$", max_length=20, widget=forms.HiddenInput)
    ref2 = forms.RegexField(
        regex=r"^[0-9A-Z]{0,20}$", max_length=20, required=False, widget=forms.HiddenInput
    )
    amount = forms.CharField(max_length=30, label=_("Amount paid (baht)"))

    def clean_amount(self):
        try:
            amount = Money.parse(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError(_("Enter an amount of baht, like 1,234.50.")) from None
        if amount.satang <= 0:
            raise forms.ValidationError(_("Enter an amount of baht, like 1,234.50."))
        return amount.satang


class BankModeForm(PortalForm):
    mode = forms.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = list(BANK_CALLBACK_MODES.items())


BANK_CALLBACK_MODES = {
    "normal": _("send at once"),
    "drop": _("drop"),
    "delay": _("delay"),
    "duplicate": _("send twice"),
    "tamper": _("tamper with the amount"),
}
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _bank_page(request, *, status=200, **context):
    context.setdefault("refs_form", BankRefsForm())
    context.setdefault("image_form", BankImageForm())
    context.update(
        mode=sandbox_bank.callback_mode(),
        modes=list(BANK_CALLBACK_MODES.items()),
        payments=list(SandboxBankPayment.objects.all()[:20]),
        today=timezone.localdate(),
    )
    return render(request, "sandbox/bank.html", context, status=status)


def _bill_found(request, ref1: str, ref2: str):
    bill = bill_to_pay(ref1, ref2)
    if bill is None:
        return None
    pay_form = BankPayForm(
        initial={
            "ref1": bill["ref1"],
            "ref2": bill["ref2"],
            "amount": Money(bill["amount_satang"]).format(),
        }
    )
    return {"bill": bill, "amount": Money(bill["amount_satang"]), "pay_form": pay_form}


@never_cache
@require_http_methods(["GET", "POST"])
def bank(request: HttpRequest) -> HttpResponse:
    """The sandbox bank: find a bill by typing Ref1/Ref2 or by its QR code or barcode image,
    pay it (its amount shown from the bill, changeable to try a wrong amount), switch what
    happens to the callbacks, and see the payments taken and their callbacks' answers."""
    if request.method == "GET":
        return _bank_page(request)
    action = request.POST.get("action")
    if action == "mode":
        form = BankModeForm(request.POST)
        if not form.is_valid():
            return _bank_page(request, status=400)
        sandbox_bank.callback_mode_set(form.cleaned_data["mode"])
        messages.success(request, gettext("The bank's callbacks are switched."))
        return redirect("sandbox:bank")
    if action == "send_held":
        sent = sandbox_bank.held_callbacks_send(all_held=True)
        messages.success(request, gettext("Held callbacks sent: %(count)s.") % {"count": sent})
        return redirect("sandbox:bank")
    if action == "find":
        form = BankRefsForm(request.POST)
        if form.is_valid():
            found = _bill_found(request, form.cleaned_data["ref1"], form.cleaned_data["ref2"])
            if found is not None:
                return _bank_page(request, refs_form=form, **found)
            form.add_error(None, _("No bill has these references."))
        return _bank_page(request, refs_form=form, status=400)
    if action == "scan":
        form = BankImageForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["image"]
            code = None
            if upload.size <= MAX_IMAGE_BYTES:
                try:
                    code = sandbox_bank.decode_payment_image(upload.read())
                except PaymentCodeError:
                    code = None
            found = _bill_found(request, code.ref1, code.ref2) if code else None
            if found is not None:
                return _bank_page(request, image_form=form, **found)
            form.add_error(
                "image", _("No bill payment code of a bill could be read from this image.")
            )
        return _bank_page(request, image_form=form, status=400)
    if action == "pay":
        form = BankPayForm(request.POST)
        if form.is_valid() and bill_to_pay(form.cleaned_data["ref1"], form.cleaned_data["ref2"]):
            payment = sandbox_bank.sandbox_bank_pay(
                ref1=form.cleaned_data["ref1"],
                ref2=form.cleaned_data["ref2"],
                amount_satang=form.cleaned_data["amount"],
            )
            messages.success(
                request,
                gettext("Paid: transaction %(id)s.") % {"id": payment.transaction_id},
            )
            return redirect("sandbox:bank")
        return _bank_page(request, pay_form=form, status=400)
    return _bank_page(request, status=400)


@never_cache
@require_GET
def bank_statement(request: HttpRequest, day: str) -> JsonResponse:
    """The sandbox bank's statement of a Bangkok day, YYYY-MM-DD (registries/bank.py)."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return JsonResponse({"error": "day must be YYYY-MM-DD"}, status=400)
    try:
        return JsonResponse(sandbox_bank.statement_json(date))
    except RegistryUnavailable:
        return JsonResponse({"error": "unavailable"}, status=503)
