import time

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.login_steps import TWO_FACTOR_PENDING, finish_login
from portal.accounts.selectors import member_active
from portal.core.acting import TWO_FACTOR_SESSION_KEY
from portal.core.network import client_ip
from portal.core.views import posted_data
from portal.identity import forms, selectors, services
from portal.identity.services import TwoFactorError
from portal.services import selectors as service_selectors
from portal.services import services as service_services

PENDING_MAX_AGE = 5 * 60
NEW_CODES = "two_factor_recovery_codes"
# New recovery codes stay in the session only this long, for the page, its download and its
# print, and go at "I have kept them": a short window, not the session's life.
NEW_CODES_MAX_AGE = 10 * 60


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Settings: switch on (QR code, then a first code) or off (with a fresh code)."""
    member = request.user
    enabled = selectors.two_factor_enabled(member=member)
    form = forms.CodeForm(posted_data(request) if "code" in request.POST else None)
    qr_svg = secret = None
    if request.method == "POST" and request.POST.get("action") == "start" and not enabled:
        _device, uri = services.two_factor_start(member=member)
        request.session["two_factor_uri"] = uri
    uri = request.session.get("two_factor_uri") if not enabled else None
    if request.method == "POST" and "code" in request.POST and form.is_valid():
        try:
            if enabled:
                services.two_factor_off(
                    member=member, code=form.cleaned_data["code"], request=request
                )
                request.session.pop(TWO_FACTOR_SESSION_KEY, None)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:settings")
            codes = services.two_factor_confirm(
                member=member, code=form.cleaned_data["code"], request=request
            )
        except TwoFactorError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop("two_factor_uri", None)
            # The first code just proved the device: this session passed a second factor.
            request.session[TWO_FACTOR_SESSION_KEY] = time.time()
            request.session[NEW_CODES] = {"codes": codes, "at": time.time()}
            return redirect("identity:recovery_codes")
    if uri:
        qr_svg = segno.make(uri, error="m").svg_inline(
            scale=5, title=_("QR code for the authenticator app")
        )
        secret = uri.split("secret=")[1].split("&")[0]
    return render(
        request,
        "identity/two_factor.html",
        {
            "enabled": enabled,
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "codes_left": selectors.recovery_codes_left(member=member) if enabled else 0,
        },
    )


def _new_recovery_codes(request) -> list[str] | None:
    new = request.session.get(NEW_CODES)
    if not isinstance(new, dict) or time.time() - new.get("at", 0) > NEW_CODES_MAX_AGE:
        request.session.pop(NEW_CODES, None)
        return None
    return new["codes"]


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Shown right after switching on, to be kept (downloaded, printed or written down);
    "I have kept them" (POST) removes them from the session for good."""
    codes = _new_recovery_codes(request)
    if request.method == "POST":
        request.session.pop(NEW_CODES, None)
        return redirect("accounts:settings")
    if not codes:
        return redirect("identity:two_factor")
    response = render(request, "identity/recovery_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def recovery_codes_download(request):
    """SSO-04: the new recovery codes as a text file, never kept by a cache."""
    codes = _new_recovery_codes(request)
    if not codes:
        return redirect("identity:two_factor")
    lines = [
        _("i-Industry recovery codes"),
        _("Each code works once, instead of the authenticator app's code."),
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="i-industry-recovery-codes.txt"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
def login_code(request):
    pending = request.session.get(TWO_FACTOR_PENDING)
    if not pending or time.time() - pending["at"] > PENDING_MAX_AGE:
        request.session.pop(TWO_FACTOR_PENDING, None)
        return redirect("accounts:login")
    member = member_active(member_id=pending["member"])
    if member is None:
        return redirect("accounts:login")
    form = forms.LoginCodeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            used = services.two_factor_verify(member=member, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(TWO_FACTOR_PENDING, None)
            if used == "recovery":
                left = selectors.recovery_codes_left(member=member)
                messages.warning(
                    request,
                    ngettext(
                        "You logged in with a recovery code. %(n)d recovery code is left.",
                        "You logged in with a recovery code. %(n)d recovery codes are left.",
                        left,
                    )
                    % {"n": left},
                )
            return finish_login(
                request, member, next_url=pending.get("next", ""), second_factor=True
            )
    return render(request, "identity/login_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request):
    """SSO-10: the member's active sessions; end one or all the others. The data-sharing
    consents given to connected systems, each withdrawable."""
    if request.method == "POST" and "withdraw" in request.POST:
        try:
            consent_id = int(request.POST["withdraw"])
        except ValueError as error:
            raise Http404 from error
        withdrawn = service_services.consent_withdraw(
            member=request.user, consent_id=consent_id, request=request
        )
        if withdrawn is None:
            raise Http404
        messages.success(
            request,
            _("Consent withdrawn: %(name)s no longer receives your data.")
            % {"name": service_selectors.system_name(withdrawn.system)},
        )
        return redirect("identity:sessions")
    if request.method == "POST":
        which = request.POST.get("end")
        if which == "others":
            ids = None
        else:
            try:
                ids = [int(which)]
            except (TypeError, ValueError) as error:
                raise Http404 from error
        ended = services.member_sessions_end(
            member=request.user,
            session_ids=ids,
            keep_key=request.session.session_key,
            request=request,
        )
        if ids is not None and not ended:
            raise Http404
        messages.success(
            request, _("The session was ended.") if ids else _("Your other sessions were ended.")
        )
        return redirect("identity:sessions")
    return render(
        request,
        "identity/sessions.html",
        {
            "sessions": selectors.member_active_sessions(member=request.user),
            "current_key": request.session.session_key,
            "current_ip": client_ip(request),
            "consents": [
                (consent, service_selectors.system_name(consent.system))
                for consent in service_selectors.member_system_consents(member=request.user)
            ],
        },
    )
