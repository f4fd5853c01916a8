from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from portal.accounts.models import Member
from portal.accounts.rights import rights_of_member
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

    def get_user(self, user_id):
        # Every page asks whether the member is an officer (the header's back-office link,
        # the officer scopes): the officer row comes with the member, not in a query of its own.
        try:
            member = Member.objects.select_related("officer_profile").get(pk=user_id)
        except Member.DoesNotExist:
            return None
        return member if self.user_can_authenticate(member) else None

    def get_all_permissions(self, user_obj, obj=None):
        """ModelBackend's set of rights, from one query (the member's own rights and their
        groups' together) where ModelBackend makes two; cached on the member for the request."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                rows = rights_of_member(user_obj.pk)
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache

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
