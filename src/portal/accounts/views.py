"""Thin views: parse, authorise, call one service, render. State of multi-step flows lives in
the session (never an ID in a URL)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts import forms, selectors, services
from portal.accounts.login_steps import REAUTHENTICATE, continue_login
from portal.accounts.middleware import CLOSED_NOTICE, CONSENT_PENDING
from portal.accounts.models import Member, OneTimePassword
from portal.accounts.services import AccountError
from portal.core.forms import form_add_service_error
from portal.core.network import client_ip
from portal.core.ratelimit import rate_limit_hit
from portal.core.thaiid import pid_hash
from portal.core.views import posted_data, posted_files, private_file_response, safe_next_url
from portal.identity import thaid
from portal.identity.services import member_session_forget, session_key_moved
from portal.registries.base import RegistryUnavailable

REGISTRATION = "registration"
RESET = "password_reset"
RESET_MAX_AGE = 15 * 60
REGISTRATION_STEPS = lambda: [  # noqa: E731 (translated at render time)
    _("Terms"),
    _("Consent"),
    _("Your details"),
    _("Done"),
]


def _registry_down_message() -> str:
    return _("The civil registry cannot be reached. Nothing was saved; try again in 1-2 minutes.")


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next_url(request, candidate, default=default)


# --- registration wizard (ACC-01 to ACC-08) ------------------------------------------------


@require_http_methods(["GET", "POST"])
def register_terms(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    terms = selectors.current_terms()
    form = forms.TermsForm(posted_data(request))
    if request.method == "POST" and form.is_valid() and terms:
        request.session[REGISTRATION] = {"terms": terms.pk}
        return redirect("accounts:register_consent")
    return render(
        request,
        "accounts/register_terms.html",
        {"form": form, "terms": terms, "steps": REGISTRATION_STEPS(), "current": 1},
    )


@require_http_methods(["GET", "POST"])
def register_consent(request):
    state = request.session.get(REGISTRATION)
    if not state:
        return redirect("accounts:register")
    documents = selectors.current_consent_documents(kind="pdpa")
    form = forms.ConsentForm(posted_data(request), documents=documents, language=get_language())
    if request.method == "POST" and form.is_valid():
        state["consents"] = {str(k): v for k, v in form.answers().items()}
        request.session[REGISTRATION] = state
        return redirect("accounts:register_details")
    return render(
        request,
        "accounts/register_consent.html",
        {"form": form, "steps": REGISTRATION_STEPS(), "current": 2},
    )


# The passwords typed are given back on an error elsewhere (core.forms.PortalFormMixin): no
# cache keeps that page.
@never_cache
@require_http_methods(["GET", "POST"])
def register_details(request):
    state = request.session.get(REGISTRATION)
    if not state or "consents" not in state:
        return redirect("accounts:register")
    proven = thaid.proven_identity(request)  # ACC-10: who ThaID proved, if anyone
    form = forms.RegistrationForm(
        posted_data(request), proven=proven.registration_initial() if proven else None
    )
    closed_account = False
    if request.method == "POST" and form.is_valid():
        if rate_limit_hit(
            scope="register-ip",
            key=client_ip(request) or "",
            limit=settings.REGISTRATION_MAX_PER_IP_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many registrations from this network. Try again later."))
        else:
            try:
                member = services.member_register(
                    **form.identity(),
                    line_id=form.cleaned_data["line_id"],
                    password=form.cleaned_data["password1"],
                    terms_document_id=state["terms"],
                    consent_answers={int(k): v for k, v in state["consents"].items()},
                    request=request,
                    proven_by_thaid=proven.as_citizen() if proven else None,
                )
            except RegistryUnavailable:
                form.add_error(None, _registry_down_message())
            except AccountError as error:
                form_add_service_error(form, error)
                closed_account = error.code == "closed"
            else:
                del request.session[REGISTRATION]
                thaid.forget_identity(request)
                request.session["registration_done"] = True
                # Signed in at once, through the second factor where there is one (a new
                # member has none yet): no second trip through the login page.
                return continue_login(request, member, next_url=reverse("accounts:register_done"))
    return render(
        request,
        "accounts/register_details.html",
        {
            "form": form,
            "steps": REGISTRATION_STEPS(),
            "current": 3,
            "thaid": proven,
            "closed_account": closed_account,
        },
    )


def register_done(request):
    if not request.session.pop("registration_done", False):
        return redirect("accounts:login")
    return render(
        request, "accounts/register_done.html", {"steps": REGISTRATION_STEPS(), "current": 4}
    )


# --- login and consent (ACC-09, ACC-15) ----------------------------------------------------


def login_locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this when an (ID, IP) pair is locked: a clear page, no detail."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = forms.LoginForm(posted_data(request), request=request)
    form.errors.clear()
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "thaid_enabled": thaid.configured(),
            "locked_message": ngettext(
                "Too many wrong passwords. Log in again after %(m)d minute, or reset your "
                "password.",
                "Too many wrong passwords. Log in again after %(m)d minutes, or reset your "
                "password.",
                minutes,
            )
            % {"m": minutes},
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def login_view(request):
    # A member already logged in goes on, unless a connected system asked that they log in
    # again (OIDC prompt=login).
    if request.user.is_authenticated and not request.session.get(REAUTHENTICATE):
        return redirect(_safe_next(request, reverse("core:home")))
    form = forms.LoginForm(posted_data(request), request=request)
    # ACC-15: a ThaID login of a closed account comes back here to be told so.
    closed_account = request.session.pop(CLOSED_NOTICE, False)
    if request.method == "POST" and form.is_valid():
        pid = form.cleaned_data["national_id"]
        member = authenticate(request, national_id=pid, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return login_locked_out(request, None)
        if member is None and getattr(request, "closed_account", False):
            closed_account = True
        elif member is None and getattr(request, "account_capped", False):
            form.add_error(
                None,
                _(
                    "Too many wrong passwords were typed for this ID. Password login for it "
                    "waits for up to an hour: log in with ThaID now, or reset your password "
                    "by SMS or email."
                ),
            )
        elif member is None:
            form.add_error(None, _("The national ID or password is not correct."))
        else:
            return continue_login(request, member, next_url=request.POST.get("next", ""))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "thaid_enabled": thaid.configured(),
            "closed_account": closed_account,
        },
    )


@require_POST
def logout_view(request):
    if request.session.session_key:
        member_session_forget(session_key=request.session.session_key)
    logout(request)
    return redirect("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def consent_view(request):
    documents = selectors.consent_documents_unanswered(member=request.user)
    if not documents:
        request.session.pop(CONSENT_PENDING, None)
        return redirect(_safe_next(request, reverse("core:home")))
    form = forms.ConsentForm(posted_data(request), documents=documents, language=get_language())
    if request.method == "POST" and form.is_valid():
        services.consent_answer_at_login(
            member=request.user, answers=form.answers(), request=request
        )
        request.session.pop(CONSENT_PENDING, None)
        return redirect(_safe_next(request, reverse("core:home")))
    return render(
        request, "accounts/consent.html", {"form": form, "next": request.GET.get("next", "")}
    )


# --- password reset (ACC-11, ACC-12) -------------------------------------------------------


def _reset_state(request) -> dict | None:
    state = request.session.get(RESET)
    if not state or time.time() - state.get("started", 0) > RESET_MAX_AGE:
        request.session.pop(RESET, None)
        return None
    return state


def _reset_member(state) -> Member | None:
    if not state.get("member"):
        return None
    return Member.objects.filter(pk=state["member"], status=Member.Status.ACTIVE).first()


def _mask_mobile(mobile: str) -> str:
    """0812345678 -> 08x-xxx-x678: enough for the member to know their phone, too little to
    learn someone else's number from the reset pages."""
    return f"{mobile[:2]}x-xxx-x{mobile[-3:]}"


def _mask_email(email: str) -> str:
    """somchai@example.com -> s***@example.com (the length of the name is not shown)."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _masked_destination(otp: OneTimePassword | None) -> str:
    if otp is None:
        return ""
    if otp.channel == "sms":
        return _mask_mobile(otp.destination)
    return _mask_email(otp.destination)


def _reset_channels(member: Member | None) -> list[tuple[str, str]]:
    # Only verified phone and email are offered; an unknown ID sees the same choice as a
    # member with none, so the page does not tell who has an account.
    channels = []
    if member and member.mobile_verified:
        channels.append(
            ("sms", _("SMS code to %(mobile)s") % {"mobile": _mask_mobile(member.mobile)})
        )
    if member and member.email_verified:
        channels.append(
            ("email", _("Email code to %(email)s") % {"email": _mask_email(member.email)})
        )
    channels.append(("birth_date", _("My date of birth")))
    return channels


@require_http_methods(["GET", "POST"])
def reset_start(request):
    form = forms.ResetStartForm(posted_data(request), request=request)
    if request.method == "POST" and form.is_valid():
        member = selectors.member_by_national_id(pid=form.cleaned_data["national_id"])
        if member and member.status == Member.Status.CLOSED:
            # ACC-15: a reset cannot open a closed account; say so and lead to the request,
            # rather than let every channel fail later as if the answer were wrong.
            return render(
                request,
                "accounts/reset_start.html",
                {"form": form, "steps": _reset_steps(), "current": 1, "closed_account": True},
            )
        active = member if member and member.is_active else None
        request.session[RESET] = {
            "member": active.pk if active else None,
            "key": pid_hash(form.cleaned_data["national_id"])[:32],
            "started": time.time(),
        }
        return redirect("accounts:reset_channel")
    return render(
        request, "accounts/reset_start.html", {"form": form, "steps": _reset_steps(), "current": 1}
    )


def _reset_steps():
    return [_("Your ID"), _("Confirm it is you"), _("New password")]


def _reset_identity_proven(request, state: dict):
    """The member proved it is them (a code or the date of birth): the new password is next."""
    state["verified"] = True
    request.session[RESET] = state
    return redirect("accounts:reset_password")


@require_http_methods(["GET", "POST"])
def reset_channel(request):
    state = _reset_state(request)
    if state is None:
        return redirect("accounts:reset")
    member = _reset_member(state)
    form = forms.ResetChannelForm(posted_data(request), channels=_reset_channels(member))
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        if channel == "birth_date":
            state["channel"] = "birth_date"
            request.session[RESET] = state
            return redirect("accounts:reset_birth_date")
        try:
            otp = services.otp_issue(
                member=member,
                purpose=OneTimePassword.Purpose.RESET_PASSWORD,
                channel=channel,
                destination=member.mobile if channel == "sms" else member.email,
            )
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            state.update({"channel": channel, "otp": otp.pk})
            request.session[RESET] = state
            return redirect("accounts:reset_verify")
    return render(
        request,
        "accounts/reset_channel.html",
        {"form": form, "steps": _reset_steps(), "current": 2},
    )


@require_http_methods(["GET", "POST"])
def reset_verify(request):
    state = _reset_state(request)
    member = _reset_member(state) if state else None
    if member is None or not state.get("otp"):
        return redirect("accounts:reset")
    otp = OneTimePassword.objects.filter(pk=state["otp"], member=member).first()
    form = forms.OtpForm(posted_data(request))
    if request.method == "POST" and "resend" in request.POST:
        form = forms.OtpForm()
        try:
            otp = services.otp_issue(
                member=member,
                purpose=OneTimePassword.Purpose.RESET_PASSWORD,
                channel=otp.channel,
                destination=otp.destination,
            )
            state["otp"] = otp.pk
            request.session[RESET] = state
            messages.success(request, _("A new code was asked for."))
        except AccountError as error:
            messages.error(request, error.message)
    elif request.method == "POST" and form.is_valid():
        try:
            services.otp_verify(
                otp_id=otp.pk,
                member=member,
                code=form.cleaned_data["code"],
                purpose=OneTimePassword.Purpose.RESET_PASSWORD,
            )
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            return _reset_identity_proven(request, state)
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "otp": otp,
            "delivery": selectors.otp_delivery(otp=otp) if otp else None,
            "destination": _masked_destination(otp),
            "steps": _reset_steps(),
            "current": 2,
            "title": _("Enter the code we sent you"),
        },
    )


@require_http_methods(["GET", "POST"])
def reset_birth_date(request):
    state = _reset_state(request)
    if state is None or state.get("channel") != "birth_date":
        return redirect("accounts:reset")
    member = _reset_member(state)
    form = forms.BirthDateCheckForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_birth_date_check(
                member=member,
                pid_key=state["key"],
                ip=client_ip(request) or "",
                typed=form.cleaned_data["birth_date"],
            )
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            return _reset_identity_proven(request, state)
    return render(
        request,
        "accounts/reset_birth_date.html",
        {"form": form, "steps": _reset_steps(), "current": 2},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reset_password(request):
    state = _reset_state(request)
    member = _reset_member(state) if state else None
    if member is None or not state.get("verified"):
        return redirect("accounts:reset")
    form = forms.SetPasswordForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        services.member_reset_password(
            member=member,
            password=form.cleaned_data["password1"],
            channel=state["channel"],
            request=request,
        )
        request.session.pop(RESET, None)
        if request.user.is_authenticated:
            logout(request)
        # No automatic login: the member logs in with the new password, and a second factor
        # (when enabled) is asked there, so a reset never bypasses it (ACC-11).
        messages.success(request, _("Your password was changed. Log in with the new password."))
        return redirect("accounts:login")
    return render(
        request,
        "accounts/reset_password.html",
        {"form": form, "steps": _reset_steps(), "current": 3},
    )


# --- member settings (ACC-13, ACC-14) ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    member = request.user
    form = forms.ProfileForm(posted_data(request), instance=Member(**_profile_initial(member)))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update_profile(member=member, data=form.cleaned_data, request=request)
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your settings were saved."))
            return redirect("accounts:settings")
    return _settings_page(request, form=form, avatar_form=forms.AvatarForm())


def _settings_page(request, *, form, avatar_form, status: int = 200):
    """The settings page, shown by both of its forms (profile and picture) with their errors."""
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "avatar_form": avatar_form,
            "member": request.user,
            "requests": selectors.member_requests(member=request.user)[:10],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consents_view(request):
    member = request.user
    documents = selectors.current_consent_documents(kind="pdpa")
    previous = selectors.member_current_consents(member=member, documents=documents)
    form = forms.ConsentForm(
        posted_data(request),
        documents=documents,
        language=get_language(),
        initial={f"consent_{k}": "yes" if v else "no" for k, v in previous.items()},
    )
    if request.method == "POST" and form.is_valid():
        services.member_change_consents(
            member=member, answers=form.answers(), previous=previous, request=request
        )
        messages.success(request, _("Your consent choices were saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/consents.html", {"form": form})


def _profile_initial(member: Member) -> dict:
    return {field: getattr(member, field) for field in forms.ProfileForm.Meta.fields}


@login_required
@require_POST
def avatar_upload(request):
    form = forms.AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        services.member_set_avatar(member=request.user, upload=form.cleaned_data["avatar"])
        messages.success(request, _("Your profile picture was changed."))
        return redirect("accounts:settings")
    return _settings_page(
        request, form=forms.ProfileForm(instance=request.user), avatar_form=form, status=400
    )


@login_required
def avatar(request):
    """Only the member sees their own picture through this view; files are not public."""
    member = request.user
    if not member.avatar:
        raise Http404
    return private_file_response(
        member.avatar.open("rb"), content_type="image/png", name="avatar", inline=True
    )


CONTACT_FORMS = {"mobile": forms.MobileForm, "email": forms.EmailForm}


@login_required
@require_http_methods(["GET", "POST"])
def contact_change(request, kind):
    """A new or changed mobile or email: a code goes to it, then it counts as verified."""
    if kind not in CONTACT_FORMS:
        raise Http404
    member = request.user
    session_key = f"contact_{kind}"
    pending = request.session.get(session_key)
    otp = (
        OneTimePassword.objects.filter(pk=pending, member=member, used_at=None).first()
        if pending
        else None
    )
    entry_form = CONTACT_FORMS[kind](
        request.POST if "send" in request.POST else None,
        initial={kind: getattr(member, kind) or ""},
    )
    code_form = forms.OtpForm(request.POST if "verify" in request.POST else None)
    if request.method == "POST" and "send" in request.POST and entry_form.is_valid():
        try:
            otp = services.member_contact_change_start(
                member=member, kind=kind, value=entry_form.cleaned_data[kind]
            )
        except AccountError as error:
            entry_form.add_error(kind, error.message)
        else:
            request.session[session_key] = otp.pk
            return redirect("accounts:contact_change", kind=kind)
    elif request.method == "POST" and "resend" in request.POST and otp:
        try:
            otp = services.member_contact_change_start(
                member=member, kind=kind, value=otp.destination
            )
        except AccountError as error:
            messages.error(request, error.message)
        else:
            request.session[session_key] = otp.pk
            messages.success(request, _("A new code was asked for."))
            return redirect("accounts:contact_change", kind=kind)
    elif request.method == "POST" and "verify" in request.POST and otp and code_form.is_valid():
        try:
            services.member_contact_change_confirm(
                member=member,
                kind=kind,
                otp_id=otp.pk,
                code=code_form.cleaned_data["code"],
                request=request,
            )
        except AccountError as error:
            form_add_service_error(code_form, error)
        else:
            request.session.pop(session_key, None)
            messages.success(
                request,
                _("Your mobile number is verified.")
                if kind == "mobile"
                else _("Your email is verified."),
            )
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/contact_change.html",
        {
            "kind": kind,
            "entry_form": entry_form,
            "code_form": code_form,
            "otp": otp,
            "delivery": selectors.otp_delivery(otp=otp) if otp else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = forms.ChangePasswordForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_password(
                member=request.user,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["password1"],
                request=request,
            )
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            # This session goes on; every other one ends (SSO-10).
            old_key = request.session.session_key
            update_session_auth_hash(request, request.user)
            session_key_moved(old_key=old_key, new_key=request.session.session_key)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:settings")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    form = forms.CloseAccountForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_close(
                member=request.user,
                reason=form.cleaned_data["reason"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            logout(request)
            return render(request, "accounts/closed.html")
    return render(request, "accounts/close.html", {"form": form})


@login_required
@require_POST
def registry_name_confirm(request):
    """SSO-09: the member takes the name the civil registry gives now (shown on the page of
    registry changes, where this returns)."""
    try:
        services.member_registry_name_confirm(member=request.user, request=request)
    except RegistryUnavailable:
        messages.error(request, _registry_down_message())
    except AccountError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request, _("Your profile now shows your name as the civil registry gives it.")
        )
    return redirect("operators:registry_changes")


# --- requests to officers (ACC-15, ACC-16) -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def name_change_request(request):
    form = forms.NameChangeRequestForm(posted_data(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_request_name_change(
                member=request.user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                evidence=form.cleaned_data["evidence"],
                extension=form.evidence_extension,
                request=request,
            )
        except AccountError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, _("Your request was sent. An officer will check it and tell you.")
            )
            return redirect("accounts:settings")
    return render(request, "accounts/name_change.html", {"form": form})


@login_required
def request_evidence(request, request_id):
    """A member sees only the evidence of their own requests; anything else is a 404."""
    filed = selectors.member_request_for_member(member=request.user, request_id=request_id)
    if filed is None or not filed.evidence:
        raise Http404
    return private_file_response(
        default_storage.open(filed.evidence.name, "rb"),
        content_type=filed.evidence_content_type,
        name=f"evidence-{filed.pk}",
    )


@require_http_methods(["GET", "POST"])
def reopen_request(request):
    form = forms.ReopenRequestForm(posted_data(request), posted_files(request), request=request)
    if request.method == "POST" and form.is_valid():
        services.member_request_reopen(
            **form.identity(),
            reason=form.cleaned_data["reason"],
            evidence=form.cleaned_data["evidence"],
            extension=form.evidence_extension,
            request=request,
        )
        return render(request, "accounts/reopen_sent.html")
    return render(request, "accounts/reopen.html", {"form": form})
