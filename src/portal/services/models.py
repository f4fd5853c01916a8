from django.conf import settings
from django.db import models


class SystemConsent(models.Model):
    """SVC-02: a member's consent to share their data with one connected system, for one
    version of that system's consent text. No consent, no hand-off; withdrawing it (SSO-10)
    ends the system's tokens and the next hand-off asks again."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="system_consents"
    )
    system = models.ForeignKey(
        "identity.ConnectedSystem", on_delete=models.CASCADE, related_name="consents"
    )
    version = models.PositiveIntegerField()
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "system", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"consent of {self.member_id} to {self.system_id} v{self.version}"
