from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from portal.accounts.models import Member
from portal.core.ratelimit import rate_limit_count, rate_limit_failed, rate_limit_reset
from portal.core.thaiid import normalise_pid, pid_hash

# Issue 8: beside axes' lockout of one (ID, address) pair, a cap on wrong passwords for one ID
# from every address together, so that guessing from many addresses is bounded too.
ACCOUNT_CAP_SCOPE = "login-account"


def axes_username(request, credentials) -> str:
    """Axes keys its counters on this: a keyed hash, never the national ID itself."""
    raw = (credentials or {}).get("national_id")
    if raw is None and request is not None:
        raw = request.POST.get("national_id", "")
    pid = normalise_pid(raw or "")
    return pid_hash(pid)[:32] if pid else ""


def account_cap_key(pid: str) -> str:
    return pid_hash(pid)[:32]


def account_cap_clear(*, pid_key: str) -> None:
    """The owner proved who they are another way (a password reset): the wrong passwords
    counted against the account no longer hold its password login."""
    rate_limit_reset(scope=ACCOUNT_CAP_SCOPE, key=pid_key[:32])


class NationalIdBackend(ModelBackend):
    """Log in with the 13-digit national ID and password (ACC-09); permissions (officers'
    rights) come from Django's model permissions, as in ModelBackend."""

    def authenticate(self, request, national_id=None, password=None, **kwargs):
        if not national_id or not password:
            return None
        pid = normalise_pid(national_id)
        key = account_cap_key(pid)
        # Counted for unknown IDs as well, so that the cap does not tell who has an account.
        # A bound, not an exact count: a right password costs one read and writes nothing.
        if rate_limit_count(scope=ACCOUNT_CAP_SCOPE, key=key) >= (
            settings.ACCOUNT_LOGIN_FAILURES_PER_HOUR
        ):
            if request is not None:
                request.account_capped = True
            return None
        member = self._check(request, pid, password)
        if member is None and not getattr(request, "closed_account", False):
            rate_limit_failed(scope=ACCOUNT_CAP_SCOPE, key=key, window_seconds=3600)
        return member

    def _check(self, request, pid: str, password: str) -> Member | None:
        try:
            member = Member.objects.get(pid_hash=pid_hash(pid))
        except Member.DoesNotExist:
            # Spend the same time as a real check so that timing does not reveal members.
            Member().set_password(password)
            return None
        if not member.is_active:
            # Tell the login view, without a second query, that this ID was closed (ACC-15).
            if request is not None:
                request.closed_account = True
            return None
        if member.check_password(password):
            return member
        return None
