"""Two-factor authentication (SSO-04): enrol, verify at login, switch off, officer reset."""

import hashlib
import hmac
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta
from importlib import import_module

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application, IDToken, RefreshToken

from portal.core.acting import Acting, resolve_acting
from portal.core.errors import PortalError
from portal.core.network import client_ip
from portal.core.ratelimit import rate_limit_succeeded, rate_limit_try
from portal.core.scope import Queue, officer_refusal, refusal_message
from portal.core.services import audit_record
from portal.core.thaiid import decrypt_text, encrypt_text
from portal.identity.models import MemberSession, RecoveryCode, SignIn, TwoFactorDevice
from portal.identity.selectors import issuer_for
from portal.identity.tasks import queue_backchannel_logout
from portal.registries.tasks import queue_email, queue_sms

ISSUER = "i-Industry"
RECOVERY_CODES = 8
TRIES = 5
TRIES_WINDOW_SECONDS = 300


class TwoFactorError(PortalError):
    """The one error type of this app (a PortalError: a message, and a code for the reason)."""


def _recovery_hash(member_id: int, code: str) -> str:
    key = f"recovery:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{member_id}:{code}".encode(), hashlib.sha256).hexdigest()


def two_factor_start(*, member) -> tuple[TwoFactorDevice, str]:
    """A new secret, not yet in force: it counts once a first code confirms it."""
    if TwoFactorDevice.objects.filter(member=member, confirmed_at__isnull=False).exists():
        raise TwoFactorError(_("Two-factor authentication is already on."), code="already_on")
    secret = pyotp.random_base32()
    device, _created = TwoFactorDevice.objects.update_or_create(
        member=member,
        defaults={
            "secret_encrypted": encrypt_text(secret),
            "last_used_step": 0,
            "confirmed_at": None,
        },
    )
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=member.display_name or ISSUER, issuer_name=ISSUER
    )
    return device, uri


@contextmanager
def _throttled(member):
    """At most TRIES wrong codes per window; right codes never count (issue 8: a correct code
    was refused after a few logins). The try is reserved before the transaction and given
    back after it when the code was right or no code was checked, so a wrong code's count
    is never rolled back with the refusal (the counter may live in the database)."""
    scope, key = "totp", f"m{member.pk}"
    if not rate_limit_try(scope=scope, key=key, limit=TRIES, window_seconds=TRIES_WINDOW_SECONDS):
        raise TwoFactorError(_("Too many codes were tried. Wait 5 minutes."), code="limited")
    wrong = False
    try:
        yield
    except TwoFactorError as error:
        wrong = error.code == "wrong"  # a replayed code proves the secret: not a guess
        raise
    finally:
        if not wrong:
            rate_limit_succeeded(scope=scope, key=key)


def _locked_device(member, *, confirmed: bool) -> TwoFactorDevice | None:
    """The member's authenticator (confirmed, or still being enrolled), locked for this
    transaction: two requests with the same code must not both pass."""
    return (
        TwoFactorDevice.objects.select_for_update()
        .filter(member=member, confirmed_at__isnull=not confirmed)
        .first()
    )


def _check_code(device: TwoFactorDevice, code: str) -> int:
    """The time step the code belongs to (this one or the one before, for clock drift), once."""
    totp = pyotp.TOTP(decrypt_text(device.secret_encrypted))
    now = int(time.time())
    for step_time in (now, now - totp.interval):
        step = step_time // totp.interval
        if hmac.compare_digest(totp.at(step_time), code):
            if step <= device.last_used_step:
                raise TwoFactorError(
                    _("This code was already used. Wait for the next one."), code="replayed"
                )
            return step
    raise TwoFactorError(_("The code is not correct."), code="wrong")


def two_factor_confirm(*, member, code: str, request=None) -> list[str]:
    """Switch 2FA on with the app's first code; returns the recovery codes, shown once."""
    with _throttled(member), transaction.atomic():
        device = _locked_device(member, confirmed=False)
        if device is None:
            raise TwoFactorError(_("Start again from the QR code."), code="no_device")
        step = _check_code(device, code)
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
        RecoveryCode.objects.filter(member=member).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(member=member, code_hash=_recovery_hash(member.pk, c)) for c in codes
        )
        audit_record(actor=member, action="two_factor.on", target=device, request=request)
    return codes


def two_factor_verify(*, member, code: str) -> str:
    """At login: a fresh authenticator code, or an unused recovery code. Returns which."""
    code = code.strip().replace(" ", "").replace("-", "")
    with _throttled(member), transaction.atomic():
        device = _locked_device(member, confirmed=True)
        if device is None:
            return "none"
        if len(code) == 8:
            recovery = (
                RecoveryCode.objects.select_for_update()
                .filter(
                    member=member, code_hash=_recovery_hash(member.pk, code), used_at__isnull=True
                )
                .first()
            )
            if recovery is None:
                raise TwoFactorError(_("The code is not correct."), code="wrong")
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            return "recovery"
        device.last_used_step = _check_code(device, code)
        device.save(update_fields=["last_used_step"])
    return "totp"


def two_factor_off(*, member, code: str, request=None) -> None:
    """Switch off when logged in, with a fresh code (SSO-04)."""
    with _throttled(member), transaction.atomic():
        device = _locked_device(member, confirmed=True)
        if device is None:
            raise TwoFactorError(_("Two-factor authentication is off."), code="off")
        _check_code(device, code)
        audit_record(actor=member, action="two_factor.off", target=member, request=request)
        device.delete()
        RecoveryCode.objects.filter(member=member).delete()


def two_factor_reset_by_officer(
    *, officer, member, identity_checked: str, request=None, acting: Acting | None = None
) -> None:
    """A member who lost the phone asks an officer, who resets 2FA after checking identity
    (SSO-04). ADM-01: an officer of the agency owning the queue, never on their own 2FA. The
    member is told on every verified channel, so a reset they did not ask for is noticed."""
    if not officer.has_perm("identity.reset_two_factor"):
        raise PermissionError("officer lacks identity.reset_two_factor")
    acting = resolve_acting(acting=acting, request=request, actor=officer)
    refusal = officer_refusal(acting, Queue.TWO_FACTOR_RESETS, concerned_member_ids=[member.pk])
    if refusal is not None:
        raise TwoFactorError(refusal_message(refusal), code=refusal)
    if not identity_checked.strip():
        raise TwoFactorError(_("Write how the member's identity was checked."), code="identity")
    with transaction.atomic():
        removed = TwoFactorDevice.objects.filter(member=member).delete()[0]
        RecoveryCode.objects.filter(member=member).delete()
        audit_record(
            actor=officer,
            actor_role="officer",
            action="two_factor.reset",
            target=member,
            before={"two_factor": bool(removed)},
            after={"two_factor": False, "identity_checked": identity_checked},
            acting=acting,
        )
        _tell_member_of_reset(member)


def _tell_member_of_reset(member) -> None:
    """Queued inside the transaction: sent only if the reset commits."""
    with translation.override(member.language or "th"):
        body = _(
            "An officer switched off two-factor authentication of your Industry Portal "
            "account. If you did not ask for this, contact the portal at once."
        )
        subject = _("Two-factor authentication was reset")
    if member.mobile_verified:
        queue_sms(to=member.mobile, body=body)
    if member.email_verified:
        queue_email(to=member.email, subject=subject, body=body)


# --- sessions (SSO-10) ----------------------------------------------------------------------


# When this session last told its MemberSession row it was used (identity.middleware).
SESSION_SEEN_AT = "session_seen_at"


def member_session_record(*, request) -> None:
    """Called right after login: remember this session so the member can see and end it."""
    request.session[SESSION_SEEN_AT] = time.time()  # its row says "active now" already
    if request.session.session_key is None:
        request.session.save()
    # One INSERT on the login path (login() has just given the session a fresh key).
    MemberSession.objects.bulk_create(
        [
            MemberSession(
                member=request.user,
                session_key=request.session.session_key,
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                ip_address=client_ip(request),
                last_active_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )


def member_session_touch(*, session_key: str) -> None:
    """SSO-10: the session was used now (called at most every few minutes per session)."""
    MemberSession.objects.filter(session_key=session_key).update(last_active_at=timezone.now())


def member_session_forget(*, session_key: str) -> None:
    """The member logged out: the session's row in their list of sessions goes with it."""
    MemberSession.objects.filter(session_key=session_key).delete()


def sessions_delete(*, session_keys: list[str]) -> None:
    """Django's sessions with these keys end: their rows, and their copies in the cache when the
    session engine keeps one (cached_db), now and again once the deletion is committed, so
    that a request reading a row not yet deleted cannot put the session back in the cache."""
    Session.objects.filter(session_key__in=session_keys).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is None:
        return
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cache_keys = [prefix + key for key in session_keys]
    cache.delete_many(cache_keys)
    transaction.on_commit(lambda: cache.delete_many(cache_keys))


@transaction.atomic
def member_sessions_end(*, member, session_ids: list[int] | None, keep_key: str, request=None):
    """End the member's sessions with these ids (None: all but the current one)."""
    rows = MemberSession.objects.filter(member=member).exclude(session_key=keep_key)
    if session_ids is not None:
        rows = rows.filter(pk__in=session_ids)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    sessions_delete(session_keys=keys)
    rows.delete()
    sign_ins_end(session_keys=keys, request=request)
    audit_record(
        actor=member,
        action="member.sessions_end",
        target=member,
        after={"ended": len(keys)},
        request=request,
    )
    return len(keys)


# --- single sign-on: ending sign-ins (SSO-07) ----------------------------------------------


@transaction.atomic
def session_key_moved(*, old_key: str, new_key: str) -> None:
    """Django gave the session a new key (password change, logging in again): the session's
    row on the sessions page and its sign-ins to connected systems follow it."""
    if old_key and new_key and old_key != new_key:
        MemberSession.objects.filter(session_key=old_key).update(session_key=new_key)
        SignIn.objects.filter(session_key=old_key).update(session_key=new_key)


@transaction.atomic
def sign_ins_end(
    *,
    session_keys: list[str] | None = None,
    member=None,
    keep_key: str = "",
    system=None,
    business_id: int | None = None,
    sign_in_ids: list[str] | None = None,
    request=None,
) -> int:
    """End the sign-ins to connected systems that match every filter given: made from these
    portal sessions; of this member (but not from the session `keep_key`); to this system;
    for this business; these very ones. Their tokens die at once, and each system that
    supports it is told by back-channel logout after commit, with the issuer the request
    reached (or SITE_URL without one)."""
    rows = SignIn.objects.filter(ended_at__isnull=True)
    if session_keys is not None:
        rows = rows.filter(session_key__in=session_keys)
    if member is not None:
        rows = rows.filter(member=member).exclude(session_key=keep_key)
    if system is not None:
        rows = rows.filter(system=system)
    if business_id is not None:
        rows = rows.filter(business_id=business_id)
    if sign_in_ids is not None:
        rows = rows.filter(pk__in=sign_in_ids)
    ended = list(rows.select_for_update().values_list("pk", "system__backchannel_logout_uri"))
    if not ended:
        return 0
    ids = [pk for pk, _uri in ended]
    now = timezone.now()
    SignIn.objects.filter(pk__in=ids).update(ended_at=now)
    tokens = AccessToken.objects.filter(sign_in_link__sign_in_id__in=ids)
    RefreshToken.objects.filter(access_token__in=tokens, revoked__isnull=True).update(revoked=now)
    IDToken.objects.filter(access_token__in=tokens).delete()
    tokens.delete()
    issuer = issuer_for(request)  # the logout tokens' `iss`: what the systems know
    for pk, uri in ended:
        if uri:
            queue_backchannel_logout(sign_in_id=str(pk), issuer=issuer)
    return len(ids)


# --- connected systems: client registration (SSO-01) ---------------------------------------


@transaction.atomic
def connected_system_register_client(
    *,
    system,
    redirect_uris: list[str],
    initiate_login_uri: str,
    backchannel_logout_uri: str = "",
    post_logout_redirect_uris: list[str] = (),
    client_id: str = "",
    client_secret: str = "",
    rotate_secret: bool = False,
):
    """Register (or update) the OIDC client of a connected system: exact redirect URIs only,
    confidential, authorization code with PKCE, RS256 ID tokens. Returns (client, secret);
    the secret is stored hashed, so it is shown only now. Updating a client keeps its secret
    (None is returned) unless a new one is asked for."""
    client = system.client or Application()
    secret = None
    if client.pk is None or rotate_secret or client_secret:
        secret = client_secret or secrets.token_urlsafe(48)
    if client_id:
        client.client_id = client_id
    client.name = system.name_en
    client.client_type = Application.CLIENT_CONFIDENTIAL
    client.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    client.algorithm = Application.RS256_ALGORITHM
    client.redirect_uris = " ".join(redirect_uris)
    client.post_logout_redirect_uris = " ".join(post_logout_redirect_uris)
    if secret is not None:
        client.client_secret = secret
    client.hash_client_secret = True
    client.skip_authorization = False
    client.save()
    system.client = client
    system.initiate_login_uri = initiate_login_uri
    system.backchannel_logout_uri = backchannel_logout_uri
    system.save(update_fields=["client", "initiate_login_uri", "backchannel_logout_uri"])
    return client, secret


SIGN_IN_KEEP_DAYS = 30


def sign_ins_sweep() -> tuple[int, int]:
    """Housekeeping for `manage.py sign_ins_sweep` (run every few minutes by the scheduler):
    sign-ins whose portal session timed out are ended like a logout (their systems hear of it
    by back-channel logout), and sign-ins ended more than 30 days ago are deleted.
    Returns (ended, deleted)."""
    alive = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    dead_keys = list(
        SignIn.objects.filter(ended_at__isnull=True)
        .exclude(Exists(alive))
        .values_list("session_key", flat=True)
        .distinct()
    )
    ended = sign_ins_end(session_keys=dead_keys) if dead_keys else 0
    cutoff = timezone.now() - timedelta(days=SIGN_IN_KEEP_DAYS)
    deleted, _by_model = SignIn.objects.filter(ended_at__lt=cutoff).delete()
    return ended, deleted
