from django.conf import settings
from django.db import models


class TwoFactorDevice(models.Model):
    """SSO-04: an authenticator app (TOTP, 6 digits, 30 s). One per member; it counts from the
    moment its first code is confirmed."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once (SSO-04).
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("reset_two_factor", "Can reset a member's two-factor authentication")]

    def __str__(self) -> str:
        return f"2FA of member {self.member_id}"


class RecoveryCode(models.Model):
    """Single-use codes shown once at enrolment, for a member without the phone."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "used_at"])]

    def __str__(self) -> str:
        return f"recovery code of member {self.member_id}"


class MemberSession(models.Model):
    """SSO-10: a logged-in session as the member sees it (device, address, time), so that it
    can be listed and ended. The session itself is Django's; this row names its key."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self) -> str:
        return f"session of member {self.member_id}"

    @property
    def device(self) -> str:
        """A short name for the browser and system, from the user agent."""
        agent = self.user_agent
        browser = next((name for key, name in BROWSERS if key in agent), "" if agent else "?")
        system = next((name for key, name in SYSTEMS if key in agent), "")
        return " · ".join(part for part in (browser, system) if part) or agent[:40]


BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
