from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.TextChoices):
    """ADM-01: the agencies whose officers work in the back office."""

    DIW = "DIW", _("Department of Industrial Works")
    PIO = "PIO", _("Provincial industry office")
    IEAT = "IEAT", _("Industrial Estate Authority of Thailand")
    TISI = "TISI", _("Thai Industrial Standards Institute")
    OPS = "OPS", _("Office of the Permanent Secretary")


class Officer(models.Model):
    """A member who works for an agency; what they may do comes from Django permissions,
    what they may see from their agency and area (ADM-01)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    agency = models.CharField(max_length=10, choices=Agency.choices)
    province = models.CharField(max_length=60, blank=True)  # for provincial industry offices
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.agency} {self.province}".strip()
