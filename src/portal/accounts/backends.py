from django.contrib.auth.backends import ModelBackend

from portal.accounts.models import Member
from portal.core.thaiid import normalize_pid, pid_hash


def axes_username(request, credentials) -> str:
    """Axes keys its counters on this: a keyed hash, never the national ID itself."""
    raw = (credentials or {}).get("national_id")
    if raw is None and request is not None:
        raw = request.POST.get("national_id", "")
    pid = normalize_pid(raw or "")
    return pid_hash(pid)[:32] if pid else ""


class NationalIdBackend(ModelBackend):
    """Log in with the 13-digit national ID and password (ACC-09); permissions (officers'
    rights) come from Django's model permissions, as in ModelBackend."""

    def authenticate(self, request, national_id=None, password=None, **kwargs):
        if not national_id or not password:
            return None
        try:
            member = Member.objects.get(pid_hash=pid_hash(normalize_pid(national_id)))
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
