from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who did what, when, with the data before and after (ADM-03).

    Written in the same transaction as the change it records, so that neither exists
    without the other. Never holds a national ID or a secret. The actor is the person who
    acted; the principal is for whom ("member:12", "business:7"): the same person today, a
    grantor under delegation (DEL-04); kept as a key, not a name, so that closing an account
    (ACC-15) leaves no name here. The channel says through what (web, oidc, api, task).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20)  # member, officer, system, anonymous
    principal = models.CharField(max_length=40, blank=True, db_index=True)
    channel = models.CharField(max_length=10, blank=True)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_role} {self.action}"

    @property
    def for_another(self) -> bool:
        """The principal is not the actor (delegation, DEL-04): history pages say for whom."""
        return bool(self.principal) and self.principal != f"member:{self.actor_id}"


class RateCounter(models.Model):
    """One fixed-window counter of the rate limiter (portal.core.ratelimit), when the cache is
    not Redis: the database gives an atomic increment that keeps the window's end, which
    Django's database cache does not (its incr rewrites the expiry)."""

    bucket = models.CharField(max_length=255, primary_key=True)
    count = models.PositiveIntegerField()
    window_ends_ms = models.BigIntegerField(db_index=True)  # Unix time in milliseconds

    def __str__(self) -> str:
        return f"{self.bucket}={self.count}"
