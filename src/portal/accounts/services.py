"""Writes of the accounts app. Each use case is one transaction with its audit row; SMS and
email leave only after the commit (queue_sms / queue_email use transaction.on_commit)."""

import hashlib
import hmac
import json
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.backends import account_cap_clear
from portal.accounts.models import (
    ConsentDocument,
    ConsentRecord,
    Member,
    MemberRequest,
    OneTimePassword,
)
from portal.accounts.selectors import not_thai_reason, otp_message_topic
from portal.core.acting import Acting, resolve_acting
from portal.core.errors import PortalError
from portal.core.models import AuditEntry
from portal.core.ratelimit import rate_limit_hit, rate_limit_succeeded, rate_limit_try
from portal.core.scope import Queue, officer_refusal, refusal_message
from portal.core.services import audit_record
from portal.core.thaiid import decrypt_text, encrypt_text, pid_hash
from portal.core.uploads import CONTENT_TYPE_OF, private_name, resized_square_png
from portal.identity.services import sign_ins_end
from portal.operators.services import member_holdings_end_on_closure
from portal.registries.dopa import THAI, Citizen, citizen_registry
from portal.registries.messaging import sms_sender
from portal.registries.tasks import queue_email, queue_sms

# Fields of a member that are personal data: shown in audit rows while the account lives,
# erased from them when it is closed (ACC-15).
PERSONAL_FIELDS = (
    "title_th",
    "first_name",
    "last_name",
    "first_name_en",
    "last_name_en",
    "birth_year_be",
    "birth_month",
    "birth_day",
    "mobile",
    "email",
    "line_id",
    "facebook",
    "instagram",
    "position",
)

# What a member may change on the settings page (ACC-13); ProfileForm shows exactly these, and
# member_update_profile ignores anything else it is given.
PROFILE_FIELDS = (
    "position",
    "line_id",
    "facebook",
    "instagram",
    "contact_channel",
    "share_mobile_with_co_members",
    "share_email_with_co_members",
)


class AccountError(PortalError):
    """The one error type of this app: a message for the person and the field it belongs to."""


# --- registration (ACC-01 to ACC-08) -------------------------------------------------------


def _names_match(typed: str, registered: str) -> bool:
    return " ".join(typed.split()) == " ".join((registered or "").split())


def citizen_matches(
    citizen: Citizen | None,
    *,
    first_name: str,
    last_name: str,
    birth_year_be: int,
    birth_month: int | None,
    birth_day: int | None,
) -> bool:
    """ACC-05: the names of the current card and the date of birth as DOPA knows it."""
    if citizen is None or not citizen.alive:
        return False
    return (
        _names_match(first_name, citizen.first_name_th)
        and _names_match(last_name, citizen.last_name_th)
        and birth_year_be == citizen.birth_year_be
        and birth_month == citizen.birth_month
        and birth_day == citizen.birth_day
    )


def _contact_lookup(kind: str, value: str) -> dict:
    return {"mobile": value} if kind == "mobile" else {"email__iexact": value}


def _contact_used_by_another(kind: str, value: str, *, member: Member | None = None) -> bool:
    """Whether another member has verified this mobile number or email (emails compare
    without case). A contact typed but not verified blocks nobody (ACC-06, issue 8).
    member: the one asking, who does not count."""
    others = Member.objects.filter(
        **_contact_lookup(kind, value), **{f"{kind}_verified_at__isnull": False}
    )
    if member is not None:
        others = others.exclude(pk=member.pk)
    return others.exists()


def _contact_taken_message(kind: str) -> str:
    """One wording wherever a taken contact is refused: registering, changing it, a lost race."""
    if kind == "mobile":
        return _("This mobile number is already used by another member.")
    return _("This email is already used by another member.")


def _refuse_if_taken(*, pid_key: str, mobile: str, email: str) -> None:
    status = Member.objects.filter(pid_hash=pid_key).values_list("status", flat=True).first()
    if status == Member.Status.CLOSED:
        # ACC-15: a closed ID never registers again; the page leads to the reopen request,
        # not to a password reset that could not work.
        raise AccountError(
            _("This national ID belongs to a closed account and cannot be registered again."),
            field="national_id",
            code="closed",
        )
    if status is not None:
        raise AccountError(
            _(
                "This national ID already has an account. Use “Forgot password” or log in "
                "with ThaID."
            ),
            field="national_id",
            code="registered",
        )
    for kind, value in (("mobile", mobile), ("email", email)):
        if value and _contact_used_by_another(kind, value):
            raise AccountError(_contact_taken_message(kind), field=kind, code=f"{kind}_taken")


def _registry_mismatch_message() -> str:
    return _(
        "The ID, name or date of birth does not match the civil registry. Type them "
        "exactly as on your current ID card."
    )


def _refuse_unless_thai(pid: str, citizen: Citizen) -> None:
    """ACC-01: only Thai nationals register; non-Thai residents hold 13-digit IDs too, so the
    civil registry's nationality decides. Asked only once the person has proved the ID is
    theirs (the details match, or ThaID), so that the form tells a stranger nothing. A ThaID
    proof whose nationality could not be had at the callback asks DOPA now."""
    nationality = citizen.nationality
    if not nationality:
        # May raise RegistryUnavailable: the caller shows its own message, nothing is stored.
        known = citizen_registry().lookup(pid)
        if known is None:
            raise AccountError(_registry_mismatch_message(), code="registry_mismatch")
        nationality = known.nationality
    if nationality != THAI:
        raise AccountError(not_thai_reason(), field="national_id", code="not_thai")


def member_register(
    *,
    pid: str,
    first_name: str,
    last_name: str,
    birth_year_be: int,
    birth_month: int | None,
    birth_day: int | None,
    mobile: str,
    email: str,
    line_id: str,
    password: str,
    terms_document_id: int,
    consent_answers: dict[int, bool],
    request=None,
    proven_by_thaid: Citizen | None = None,
) -> Member:
    """Register a citizen after DOPA confirms who they are: a registry lookup, or the identity
    ThaID (DOPA's own app) proved minutes ago (ACC-10). Sends nothing (ACC-08)."""
    pid_key = pid_hash(pid)
    _refuse_if_taken(pid_key=pid_key, mobile=mobile, email=email)
    if rate_limit_hit(scope="register-pid", key=pid_key, limit=10, window_seconds=3600):
        raise AccountError(
            _("Too many attempts for this ID. Try again in an hour."),
            field="national_id",
            code="rate_limited",
        )
    if proven_by_thaid is not None:
        citizen = proven_by_thaid if proven_by_thaid.pid == pid else None
    else:
        # May raise RegistryUnavailable: the caller shows its own message and nothing is stored.
        citizen = citizen_registry().lookup(pid)
    if not citizen_matches(
        citizen,
        first_name=first_name,
        last_name=last_name,
        birth_year_be=birth_year_be,
        birth_month=birth_month,
        birth_day=birth_day,
    ):
        # One message for every mismatch, and for a deceased person, so that the form
        # cannot be used to learn what the registry holds (ACC-05).
        raise AccountError(_registry_mismatch_message(), code="registry_mismatch")
    _refuse_unless_thai(pid, citizen)
    member = Member(
        pid_hash=pid_key,
        pid_encrypted=encrypt_text(pid),
        title_th=citizen.title_th,
        first_name=first_name,
        last_name=last_name,
        first_name_en=citizen.first_name_en or "",
        last_name_en=citizen.last_name_en or "",
        birth_year_be=birth_year_be,
        birth_month=birth_month,
        birth_day=birth_day,
        mobile=mobile or None,
        email=email or None,
        line_id=line_id,
        language=translation.get_language() or "th",
        registered_via=Member.Channel.THAID if proven_by_thaid else Member.Channel.WEB,
    )
    member.set_password(password)
    try:
        with transaction.atomic():
            member.save()
            consent_record_answers(
                member=member,
                answers={terms_document_id: True, **consent_answers},
                channel=ConsentRecord.Channel.REGISTRATION,
            )
            audit_record(
                actor=member,
                actor_role="member",
                action="member.register",
                target=member,
                after={"registered_via": member.registered_via},
                request=request,
            )
    except IntegrityError as exc:
        # Two registrations raced past the checks above; the unique constraints decided.
        _refuse_if_taken(pid_key=pid_key, mobile=mobile, email=email)
        raise AccountError(_("Please try again."), code="conflict") from exc
    return member


def consent_record_answers(*, member: Member, answers: dict[int, bool], channel: str) -> None:
    documents = ConsentDocument.objects.in_bulk(list(answers))
    ConsentRecord.objects.bulk_create(
        ConsentRecord(member=member, document=documents[doc_id], granted=granted, channel=channel)
        for doc_id, granted in answers.items()
    )


@transaction.atomic
def consent_answer_at_login(*, member: Member, answers: dict[int, bool], request=None) -> None:
    consent_record_answers(member=member, answers=answers, channel=ConsentRecord.Channel.LOGIN)
    audit_record(
        actor=member,
        action="member.consent",
        target=member,
        after={str(k): v for k, v in answers.items()},
        request=request,
    )


@transaction.atomic
def member_change_consents(
    *, member: Member, answers: dict[int, bool], previous: dict[int, bool], request=None
) -> list[int]:
    """PDPA: a consent can be withdrawn (or given) at any time; only changed answers are
    recorded, each as a new record, so the history of choices stays."""
    changed = {doc: granted for doc, granted in answers.items() if previous.get(doc) != granted}
    if not changed:
        return []
    consent_record_answers(member=member, answers=changed, channel=ConsentRecord.Channel.SETTINGS)
    audit_record(
        actor=member,
        action="member.consent",
        target=member,
        before={str(k): previous.get(k) for k in changed},
        after={str(k): v for k, v in changed.items()},
        request=request,
    )
    return list(changed)


@transaction.atomic
def member_set_language(*, member: Member, language: str, request=None) -> None:
    if member.language == language:
        return
    before = member.language
    member.language = language
    member.save(update_fields=["language"])
    audit_record(
        actor=member,
        action="member.language",
        target=member,
        before={"language": before},
        after={"language": language},
        request=request,
    )


# --- one-time passwords (ACC-12, SSO-03) ---------------------------------------------------


def _otp_hash(otp_id_seed: str, code: str) -> str:
    key = f"otp:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{otp_id_seed}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass
class OtpSent:
    otp: OneTimePassword
    code: str


def _otp_message(*, code: str, reference: str, purpose: str, minutes: int) -> tuple[str, str]:
    subject = _("Your one-time password")
    what = {
        OneTimePassword.Purpose.RESET_PASSWORD: _("to reset your password"),
        OneTimePassword.Purpose.VERIFY_MOBILE: _("to verify your mobile number"),
        OneTimePassword.Purpose.VERIFY_EMAIL: _("to verify your email"),
    }[purpose]
    body = _(
        "OTP %(code)s (Ref %(ref)s) %(what)s at the Industry Portal. Valid %(minutes)d "
        "minutes. Never tell anyone this code."
    ) % {"code": code, "ref": reference, "what": what, "minutes": minutes}
    return subject, body


def otp_issue(
    *, member: Member, purpose: str, channel: str, destination: str, language: str | None = None
) -> OneTimePassword:
    """Send a fresh code, refusing while the previous one's resend cool-down runs or when
    this member has had too many codes this hour."""
    verified = {member.mobile if member.mobile_verified else None}
    verified.add(member.email if member.email_verified else None)
    if purpose == OneTimePassword.Purpose.RESET_PASSWORD and destination not in verified:
        # Only a verification code goes to a contact that is not verified (issue 8, ACC-11).
        raise AccountError(_("This contact is not verified."), code="unverified")
    now = timezone.now()
    # The wait before resending is per channel: a slow SMS does not hold back the email.
    last = (
        OneTimePassword.objects.filter(member=member, purpose=purpose, channel=channel)
        .order_by("-created_at")
        .first()
    )
    cooldown = timedelta(seconds=settings.OTP_RESEND_COOLDOWN_SECONDS)
    if last and last.created_at + cooldown > now:
        wait = int((last.created_at + cooldown - now).total_seconds()) + 1
        raise AccountError(
            ngettext(
                "Please wait %(s)d second before asking for a new code.",
                "Please wait %(s)d seconds before asking for a new code.",
                wait,
            )
            % {"s": wait},
            code="cooldown",
        )
    if rate_limit_hit(
        scope=f"otp-send-{purpose}",
        key=str(member.pk),
        limit=settings.OTP_MAX_SENDS_PER_HOUR,
        window_seconds=3600,
    ):
        raise AccountError(
            _("Too many codes were sent. Try again in an hour."), code="rate_limited"
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    reference = "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))
    seed = secrets.token_hex(8)
    minutes = settings.OTP_LIFETIME_SECONDS // 60
    with transaction.atomic():
        # Asking for a new code retires the older ones of the same purpose.
        OneTimePassword.objects.filter(member=member, purpose=purpose, used_at=None).update(
            used_at=now
        )
        otp = OneTimePassword.objects.create(
            member=member,
            purpose=purpose,
            channel=channel,
            destination=destination,
            code_hash=f"{seed}${_otp_hash(seed, code)}",
            reference=reference,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_LIFETIME_SECONDS),
        )
        with translation.override(language or member.language or "th"):
            subject, body = _otp_message(
                code=code, reference=reference, purpose=purpose, minutes=minutes
            )
        # The topic lets the code's page say whether it was sent, and a new code cancel an
        # older one still waiting to be sent.
        topic = otp_message_topic(member_id=member.pk, purpose=purpose)
        # A code that arrives after its expiry is useless: the message is failed instead,
        # and the page offers "Send again".
        if channel == OneTimePassword.Channel.SMS:
            # ACC-12: the member's codes by SMS take the two sender names in turn.
            sequence = OneTimePassword.objects.filter(
                member=member, channel=OneTimePassword.Channel.SMS
            ).count()
            queue_sms(
                to=destination,
                body=body,
                sender=sms_sender(otp_sequence=sequence - 1),
                topic=topic,
                expires_at=otp.expires_at,
            )
        else:
            queue_email(
                to=destination,
                subject=subject,
                body=body,
                topic=topic,
                expires_at=otp.expires_at,
            )
    return otp


def otp_verify(*, otp_id: int, member: Member, code: str, purpose: str) -> OneTimePassword:
    """Check a code once: the right member and purpose, in time, within the tries, unused.
    A wrong try is counted and committed before the error is raised."""
    failure: AccountError | None = None
    with transaction.atomic():
        otp = (
            OneTimePassword.objects.select_for_update()
            .filter(pk=otp_id, member=member, purpose=purpose)
            .first()
        )
        if otp is None or otp.used_at is not None:
            failure = AccountError(
                _("This code is no longer valid. Ask for a new one."), field="code", code="used"
            )
        elif otp.expires_at <= timezone.now():
            failure = AccountError(
                _("The code has expired. Ask for a new one."), field="code", code="expired"
            )
        elif otp.attempts >= settings.OTP_MAX_ATTEMPTS:
            failure = AccountError(
                _("Too many wrong codes. Ask for a new one."), field="code", code="attempts"
            )
        else:
            otp.attempts += 1
            seed, expected = otp.code_hash.split("$", 1)
            if hmac.compare_digest(expected, _otp_hash(seed, code)):
                otp.used_at = timezone.now()
                otp.save(update_fields=["attempts", "used_at"])
            else:
                otp.save(update_fields=["attempts"])
                left = settings.OTP_MAX_ATTEMPTS - otp.attempts
                failure = AccountError(
                    ngettext(
                        "The code is not correct. %(left)d try left.",
                        "The code is not correct. %(left)d tries left.",
                        left,
                    )
                    % {"left": left},
                    field="code",
                    code="wrong",
                )
    if failure is not None:
        raise failure
    return otp


# --- password reset (ACC-11) ---------------------------------------------------------------


def birth_date_matches(member: Member, typed: str) -> bool:
    """DDMMYYYY in the Buddhist era; 00 for an unknown day and month (00002483)."""
    if member.birth_year_be is None:
        return False
    expected = f"{member.birth_day or 0:02d}{member.birth_month or 0:02d}{member.birth_year_be:04d}"
    return hmac.compare_digest(expected, typed)


# The date of birth is a weak secret: few wrong tries per ID and per visitor's address.
RESET_BIRTH_DATE_FAILURES = (("reset-dob", 5), ("reset-dob-ip", 20))


def reset_birth_date_check(*, member: Member | None, pid_key: str, ip: str, typed: str) -> None:
    """ACC-11: the date of birth proves the reset. Wrong answers count against the ID and the
    address for an hour; a right one never does, and is refused only once the wrong ones
    fill the limit. member None (unknown or closed ID): every answer is wrong."""
    reserved: list[tuple[str, str]] = []
    for (scope, limit), key in zip(RESET_BIRTH_DATE_FAILURES, (pid_key, ip), strict=True):
        if not rate_limit_try(scope=scope, key=key, limit=limit, window_seconds=3600):
            for done_scope, done_key in reserved:
                rate_limit_succeeded(scope=done_scope, key=done_key)
            raise AccountError(
                _("Too many tries. Try again in an hour."), field="birth_date", code="rate_limited"
            )
        reserved.append((scope, key))
    if member is None or not birth_date_matches(member, typed):
        raise AccountError(
            _("The date of birth does not match our records."), field="birth_date", code="wrong"
        )
    for scope, key in reserved:
        rate_limit_succeeded(scope=scope, key=key)


def _notify_verified_channels(member: Member, *, subject: str, body: str) -> None:
    if member.mobile_verified:
        queue_sms(to=member.mobile, body=body)
    if member.email_verified:
        queue_email(to=member.email, subject=subject, body=body)


@transaction.atomic
def member_reset_password(*, member: Member, password: str, channel: str, request=None) -> None:
    """Set the new password. Every other session ends because Django's session check is
    tied to the password hash (SSO-10); the verified channels are told (ACC-11)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    member.set_password(password)
    member.save(update_fields=["password"])
    _end_sign_ins(member, request=request, keep_current=False)
    # The owner proved who they are: others' wrong passwords no longer hold the login.
    account_cap_clear(pid_key=member.pid_hash)
    audit_record(
        actor=member,
        actor_role="member",
        action="member.password_reset",
        target=member,
        after={"channel": channel},
        request=request,
    )
    with translation.override(member.language or "th"):
        _notify_verified_channels(
            member,
            subject=_("Your password was reset"),
            body=_(
                "The password of your Industry Portal account was reset. If this was not you, "
                "call the Ministry of Industry at once."
            ),
        )


def _end_sign_ins(member: Member, *, request, keep_current: bool) -> None:
    """SSO-07, SSO-10: the sessions a new password ends are ended at the connected systems
    too, at once (Django drops the portal sessions only at their next request)."""
    current = request.session.session_key if (request is not None and keep_current) else ""
    sign_ins_end(member=member, keep_key=current or "", request=request)


def _confirm_password(member: Member, password: str, *, field: str) -> None:
    """A logged-in member proves it is them again; wrong passwords are limited like a
    login's, right ones never count."""
    if not rate_limit_try(scope="password-check", key=str(member.pk), limit=10, window_seconds=900):
        raise AccountError(
            _("Too many attempts. Try again in 15 minutes."), field=field, code="rate_limited"
        )
    if not member.check_password(password):
        raise AccountError(_("The password is not correct."), field=field, code="wrong")
    rate_limit_succeeded(scope="password-check", key=str(member.pk))


def member_change_password(*, member: Member, current: str, new: str, request=None) -> None:
    """ACC-14: the current password proves it is the member; other sessions end (SSO-10)."""
    # Checked before the transaction, so that a wrong password's count is not rolled back.
    _confirm_password(member, current, field="current_password")
    _set_new_password(member=member, new=new, request=request)


@transaction.atomic
def _set_new_password(*, member: Member, new: str, request) -> None:
    member.set_password(new)
    member.save(update_fields=["password"])
    _end_sign_ins(member, request=request, keep_current=True)
    audit_record(actor=member, action="member.password_change", target=member, request=request)
    with translation.override(member.language or "th"):
        _notify_verified_channels(
            member,
            subject=_("Your password was changed"),
            body=_(
                "The password of your Industry Portal account was changed. If this was not "
                "you, reset it at once."
            ),
        )


# --- member settings (ACC-13) --------------------------------------------------------------


def _snapshot(member: Member, fields) -> dict:
    return {f: getattr(member, f) for f in fields}


@transaction.atomic
def member_update_profile(*, member: Member, data: dict, request=None) -> Member:
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(member, f) != data[f]]
    if not changed:
        return member
    if data.get("contact_channel") == Member.ContactChannel.LINE and not data.get(
        "line_id", member.line_id
    ):
        raise AccountError(_("Add your LINE ID to be contacted by LINE."), field="contact_channel")
    before = _snapshot(member, changed)
    for field in changed:
        setattr(member, field, data[field])
    member.save(update_fields=changed)
    audit_record(
        actor=member,
        action="member.profile",
        target=member,
        before=before,
        after=_snapshot(member, changed),
        request=request,
    )
    return member


@transaction.atomic
def member_set_avatar(*, member: Member, upload, request=None) -> None:
    """The picture is re-encoded as a 256 px PNG (this also drops any hidden metadata)."""
    old = member.avatar.name if member.avatar else ""
    member.avatar.save(private_name("avatars", "png"), ContentFile(resized_square_png(upload)))
    audit_record(
        actor=member,
        action="member.avatar",
        target=member,
        before={"avatar": bool(old)},
        after={"avatar": True},
        request=request,
    )
    if old:
        storage = member.avatar.storage
        transaction.on_commit(lambda: storage.delete(old))


def member_contact_change_start(*, member: Member, kind: str, value: str) -> OneTimePassword:
    """Send a code to a new (or not yet verified) mobile or email: it counts once verified.
    A contact another member holds is no bar: numbers are recycled, and whoever receives
    the code takes the contact over (member_contact_change_confirm)."""
    if kind == "mobile":
        purpose, channel = OneTimePassword.Purpose.VERIFY_MOBILE, OneTimePassword.Channel.SMS
    else:
        purpose, channel = OneTimePassword.Purpose.VERIFY_EMAIL, OneTimePassword.Channel.EMAIL
    return otp_issue(member=member, purpose=purpose, channel=channel, destination=value)


def member_contact_change_confirm(
    *, member: Member, kind: str, otp_id: int, code: str, request=None
) -> Member:
    purpose = (
        OneTimePassword.Purpose.VERIFY_MOBILE
        if kind == "mobile"
        else OneTimePassword.Purpose.VERIFY_EMAIL
    )
    otp = otp_verify(otp_id=otp_id, member=member, code=code, purpose=purpose)
    try:
        with transaction.atomic():
            _take_contact_over(member=member, kind=kind, value=otp.destination, request=request)
            member = Member.objects.select_for_update().get(pk=member.pk)
            before = _snapshot(member, [kind, f"{kind}_verified_at"])
            setattr(member, kind, otp.destination)
            setattr(member, f"{kind}_verified_at", timezone.now())
            member.save(update_fields=[kind, f"{kind}_verified_at"])
            audit_record(
                actor=member,
                action=f"member.{kind}_verified",
                target=member,
                before={kind: before[kind]},
                after={kind: otp.destination},
                request=request,
            )
    except IntegrityError as exc:
        raise AccountError(_contact_taken_message(kind), field="code", code="taken") from exc
    return member


def _mask_contact(kind: str, value: str) -> str:
    if kind == "mobile":
        return f"{value[:3]}-xxx-{value[-4:]}"
    local, _at, domain = value.partition("@")
    return f"{local[:2]}***@{domain}"


def _take_contact_over(*, member: Member, kind: str, value: str, request=None) -> None:
    """The member proved they receive this contact: whoever else has it loses it. Others'
    unverified copies are cleared; a member who had verified it (a recycled number, an email
    address passed on) loses it and is told on their other verified channel, never on the
    contact itself, which is no longer theirs."""
    holders = list(
        Member.objects.select_for_update()
        .filter(**_contact_lookup(kind, value))
        .exclude(pk=member.pk)
        .order_by("pk")
    )
    for holder in holders:
        was_verified = getattr(holder, f"{kind}_verified_at") is not None
        setattr(holder, kind, None)
        setattr(holder, f"{kind}_verified_at", None)
        holder.save(update_fields=[kind, f"{kind}_verified_at"])
        audit_record(
            actor=member,
            action=f"member.{kind}_taken_over",
            target=holder,
            before={kind: value, "verified": was_verified},
            after={kind: None},
            request=request,
        )
        if was_verified:
            _tell_former_holder(holder, kind=kind, value=value)


def _tell_former_holder(holder: Member, *, kind: str, value: str) -> None:
    with translation.override(holder.language or "th"):
        what = (_("mobile number %(contact)s") if kind == "mobile" else _("email %(contact)s")) % {
            "contact": _mask_contact(kind, value)
        }
        _notify_verified_channels(
            holder,
            subject=_("A contact was removed from your account"),
            body=_(
                "Another member of the Industry Portal verified the %(what)s, so it was "
                "removed from your account. If it is still yours, add it again in your "
                "settings and verify it."
            )
            % {"what": what},
        )


# --- the member's own name at the civil registry (SSO-09) ----------------------------------

NAME_FIELDS = ("title_th", "first_name", "last_name", "first_name_en", "last_name_en")


def _registry_names(citizen: Citizen) -> dict:
    return {
        "title_th": citizen.title_th,
        "first_name": citizen.first_name_th,
        "last_name": citizen.last_name_th,
        "first_name_en": citizen.first_name_en or "",
        "last_name_en": citizen.last_name_en or "",
    }


def _names_differ(member: Member, names: dict) -> bool:
    return not all(_names_match(getattr(member, f) or "", names[f]) for f in NAME_FIELDS)


def member_registry_name_find(*, member_id: int) -> bool:
    """SSO-09, in the background after a login: compare the member's name with the civil
    registry (a name change at DOPA) and keep DOPA's when it differs, for the member to
    confirm; True when it differs. DOPA down raises RegistryUnavailable and nothing changes
    (the next login tries again). No audit row: nothing of the member changes here."""
    member = Member.objects.filter(pk=member_id, status=Member.Status.ACTIVE).first()
    if member is None or not member.pid_encrypted:
        return False
    citizen = citizen_registry().lookup(member.national_id)
    found = {}
    if citizen is not None and citizen.alive:
        names = _registry_names(citizen)
        if _names_differ(member, names):
            found = names
    if found != member.registry_name:
        Member.objects.filter(pk=member.pk).update(registry_name=found)
    return bool(found)


def member_registry_name_confirm(*, member: Member, request=None) -> Member:
    """SSO-09: the member takes the name the civil registry gives now. DOPA is asked again:
    its answer is the evidence an officer would check for a name change (ACC-16), so no
    request is needed when the registry itself says it."""
    citizen = citizen_registry().lookup(member.national_id) if member.pid_encrypted else None
    if citizen is None or not citizen.alive:
        raise AccountError(_("The civil registry does not confirm this person."), code="registry")
    names = _registry_names(citizen)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not _names_differ(member, names):
            member.registry_name = {}
            member.save(update_fields=["registry_name"])
            raise AccountError(_("Your name already matches the civil registry."), code="no_change")
        before = _snapshot(member, NAME_FIELDS)
        for field, value in names.items():
            setattr(member, field, value)
        member.registry_name = {}
        member.save(update_fields=[*NAME_FIELDS, "registry_name"])
        audit_record(
            actor=member,
            action="member.registry_name",
            target=member,
            before=before,
            after=_snapshot(member, NAME_FIELDS),
            request=request,
        )
    return member


# --- closing and reopening (ACC-15), name changes (ACC-16) ---------------------------------


def _scrub_audit_rows(member: Member) -> None:
    """Audit rows keep who did what and when; the personal values in them go with the
    account (ACC-15), replaced by a marker."""
    rows = AuditEntry.objects.filter(target_type=member._meta.label_lower, target_id=str(member.pk))
    for row in rows:
        changed = False
        for part in (row.before, row.after):
            for key in part:
                if key in PERSONAL_FIELDS:
                    part[key] = "[erased]"
                    changed = True
        if changed:
            row.save(update_fields=["before", "after"])


def member_close(*, member: Member, reason: str, password: str, request=None) -> None:
    """Erase the personal data, keep the keyed hash that blocks the ID from registering
    again, keep everything done in the name of businesses and factories (ACC-15). The member
    leaves every business they held, and their requests awaiting an officer are withdrawn
    (operators.services.member_holdings_end_on_closure)."""
    _confirm_password(member, password, field="password")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        avatar_name = member.avatar.name if member.avatar else ""
        storage = member.avatar.storage
        evidence = list(member.requests.exclude(evidence="").values_list("evidence", flat=True))
        for field in PERSONAL_FIELDS:
            blank = None if field in ("birth_year_be", "birth_month", "birth_day") else ""
            setattr(member, field, blank)
        member.mobile = None
        member.email = None
        member.mobile_verified_at = None
        member.email_verified_at = None
        member.avatar = None
        member.registry_name = {}
        member.pid_encrypted = ""
        member.set_unusable_password()  # also ends every session of the member
        _end_sign_ins(member, request=request, keep_current=False)
        member.status = Member.Status.CLOSED
        member.closed_at = timezone.now()
        member.closure_reason = reason
        member.save()
        # ACC-15: what awaited an officer leaves the queues with the account.
        member.requests.filter(status=MemberRequest.Status.PENDING).update(
            status=MemberRequest.Status.WITHDRAWN, decided_at=timezone.now()
        )
        member.requests.update(details_encrypted=encrypt_text("{}"), evidence="")
        _scrub_audit_rows(member)
        ended = member_holdings_end_on_closure(member=member, request=request)
        audit_record(
            actor=member,
            actor_role="member",
            action="member.close",
            target=member,
            after={"reason": reason, **ended},
            request=request,
        )
        for name in [avatar_name, *evidence]:
            if name:
                transaction.on_commit(lambda name=name: storage.delete(name))


def _store_evidence(upload, extension: str) -> tuple[str, str]:
    name = default_storage.save(private_name("member-requests", extension), upload)
    return name, CONTENT_TYPE_OF[extension]


def member_request_name_change(
    *, member: Member, first_name: str, last_name: str, evidence, extension: str, request=None
) -> MemberRequest:
    if member.requests.filter(
        kind=MemberRequest.Kind.NAME_CHANGE, status=MemberRequest.Status.PENDING
    ).exists():
        raise AccountError(
            _("You already have a name change request awaiting an officer."), code="pending"
        )
    name, content_type = _store_evidence(evidence, extension)
    with transaction.atomic():
        filed = MemberRequest.objects.create(
            kind=MemberRequest.Kind.NAME_CHANGE,
            member=member,
            details_encrypted=encrypt_text(
                json.dumps({"first_name": first_name, "last_name": last_name})
            ),
            evidence=name,
            evidence_content_type=content_type,
        )
        audit_record(actor=member, action="request.file", target=filed, request=request)
    return filed


def member_request_reopen(
    *,
    pid: str,
    first_name: str,
    last_name: str,
    birth_year_be: int,
    birth_month: int | None,
    birth_day: int | None,
    mobile: str,
    email: str,
    reason: str,
    evidence,
    extension: str,
    request=None,
) -> MemberRequest | None:
    """File a reopening request for a closed account. Answers the same whether or not a
    closed account exists for the ID, so that the form reveals nothing; files only for one."""
    member = Member.objects.filter(pid_hash=pid_hash(pid), status=Member.Status.CLOSED).first()
    if member is None:
        return None
    if member.requests.filter(
        kind=MemberRequest.Kind.REOPEN, status=MemberRequest.Status.PENDING
    ).exists():
        return None
    name, content_type = _store_evidence(evidence, extension)
    details = {
        "pid": pid,
        "first_name": first_name,
        "last_name": last_name,
        "birth_year_be": birth_year_be,
        "birth_month": birth_month,
        "birth_day": birth_day,
        "mobile": mobile,
        "email": email,
        "reason": reason,
    }
    with transaction.atomic():
        filed = MemberRequest.objects.create(
            kind=MemberRequest.Kind.REOPEN,
            member=member,
            details_encrypted=encrypt_text(json.dumps(details)),
            evidence=name,
            evidence_content_type=content_type,
        )
        audit_record(
            actor=None, actor_role="anonymous", action="request.file", target=filed, request=request
        )
    return filed


def request_details(member_request: MemberRequest) -> dict:
    return json.loads(decrypt_text(member_request.details_encrypted) or "{}")


def member_request_decide(
    *,
    officer: Member,
    member_request: MemberRequest,
    approve: bool,
    note: str,
    request=None,
    acting: Acting | None = None,
) -> MemberRequest:
    """ACC-15 and ACC-16 on the officer's side. Approval checks the civil registry again for
    the same ID, so no request can turn an account into another person's (ACC-17). ADM-01:
    only an officer of the agency owning the queue, never on their own request."""
    if not officer.has_perm("accounts.review_member_request"):
        raise PermissionError("officer lacks accounts.review_member_request")
    acting = resolve_acting(acting=acting, request=request, actor=officer)
    refusal = officer_refusal(
        acting, Queue.MEMBER_REQUESTS, concerned_member_ids=[member_request.member_id]
    )
    if refusal is not None:
        raise AccountError(refusal_message(refusal), code=refusal)
    if not approve and not note.strip():
        raise AccountError(_("Give the reason for rejecting."), field="note", code="reason")
    details = request_details(member_request)
    citizen = None
    if approve:
        pid = (
            details["pid"]
            if member_request.kind == MemberRequest.Kind.REOPEN
            else member_request.member.national_id
        )
        citizen = citizen_registry().lookup(pid)
        if citizen is None or not citizen.alive or pid_hash(pid) != member_request.member.pid_hash:
            raise AccountError(
                _("The civil registry does not confirm this person; reject the request."),
                field="note",
                code="registry",
            )
        if not (
            _names_match(details["first_name"], citizen.first_name_th)
            and _names_match(details["last_name"], citizen.last_name_th)
        ):
            raise AccountError(
                _("The requested name is not the name on the current ID card."),
                field="note",
                code="registry_mismatch",
            )
    with transaction.atomic():
        locked = MemberRequest.objects.select_for_update().get(pk=member_request.pk)
        if locked.status != MemberRequest.Status.PENDING:
            raise AccountError(_("This request was already decided."), code="decided")
        member = Member.objects.select_for_update().get(pk=locked.member_id)
        before = _snapshot(member, ["status", "first_name", "last_name"])
        if approve and locked.kind == MemberRequest.Kind.NAME_CHANGE:
            member.first_name = citizen.first_name_th
            member.last_name = citizen.last_name_th
            member.title_th = citizen.title_th
            member.save(update_fields=["first_name", "last_name", "title_th"])
        elif approve:
            _reopen(member, details, citizen)
        locked.status = MemberRequest.Status.APPROVED if approve else MemberRequest.Status.REJECTED
        locked.decided_by = officer
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=officer,
            actor_role="officer",
            action=f"request.{locked.status}",
            target=locked,
            before={"status": MemberRequest.Status.PENDING},
            after={"status": locked.status, "note": note},
            acting=acting,
        )
        audit_record(
            actor=officer,
            actor_role="officer",
            action=f"member.{locked.kind}" if approve else "member.request_rejected",
            target=member,
            before=before,
            after=_snapshot(member, ["status", "first_name", "last_name"]),
            acting=acting,
        )
        _tell_member_of_decision(member, locked, details)
    return locked


def _reopen(member: Member, details: dict, citizen: Citizen) -> None:
    member.status = Member.Status.ACTIVE
    member.closed_at = None
    member.closure_reason = ""
    member.pid_encrypted = encrypt_text(details["pid"])
    member.title_th = citizen.title_th
    member.first_name = citizen.first_name_th
    member.last_name = citizen.last_name_th
    member.first_name_en = citizen.first_name_en or ""
    member.last_name_en = citizen.last_name_en or ""
    member.birth_year_be = citizen.birth_year_be
    member.birth_month = citizen.birth_month
    member.birth_day = citizen.birth_day
    # The contacts typed in the request count only after the member verifies them again.
    if not _contact_used_by_another("mobile", details["mobile"], member=member):
        member.mobile = details["mobile"] or None
    if details.get("email") and not _contact_used_by_another(
        "email", details["email"], member=member
    ):
        member.email = details["email"]
    member.save()


def _tell_member_of_decision(member: Member, decided: MemberRequest, details: dict) -> None:
    # Only to verified contacts (issue 8): the contacts typed in a reopening request are not
    # verified, so a reopened or refused account hears of it from the officer, not by SMS.
    mobile = member.mobile if member.mobile_verified else None
    email = member.email if member.email_verified else None
    with translation.override(member.language or "th"):
        kind = decided.get_kind_display()
        if decided.status == MemberRequest.Status.APPROVED:
            body = _("Your request “%(kind)s” at the Industry Portal was approved.") % {
                "kind": kind
            }
            if decided.kind == MemberRequest.Kind.REOPEN:
                body += " " + _("Log in with ThaID, or set a new password with “Forgot password”.")
        else:
            body = _("Your request “%(kind)s” at the Industry Portal was rejected: %(note)s") % {
                "kind": kind,
                "note": decided.decision_note,
            }
        subject = _("Decision on your request")
    if mobile:
        queue_sms(to=mobile, body=body)
    if email:
        queue_email(to=email, subject=subject, body=body)
