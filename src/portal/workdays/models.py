"""Working days (PRM-07): the officers' table of extra days off and moved holidays.

The law's holidays come from the `holidays` package (portal.workdays.calendar); this table
holds what it cannot know in advance: a day off the cabinet declares ("holiday"), or a listed
holiday the cabinet moved, which then counts as a working day ("working_day")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExtraHoliday(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Extra day off")
        WORKING_DAY = "working_day", _("Working day (holiday moved)")

    day = models.DateField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        verbose_name = _("extra holiday")
        verbose_name_plural = _("extra holidays")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.kind} {self.name_en}"
