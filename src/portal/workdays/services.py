"""Working days (PRM-07): the officers' table of extra holidays.

An officer with workdays.change_extraholiday adds a day off the cabinet declared ("holiday")
or makes a listed holiday a working day ("working_day", the cabinet moved it), and removes
an entry of the table. Both are audited with the entry before and after (ADM-03), and the
calendar of every process follows when the change commits (portal.workdays.calendar)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core.acting import Acting, resolve_acting
from portal.core.errors import PortalError
from portal.core.services import audit_record
from portal.core.thaidate import format_date
from portal.workdays import calendar
from portal.workdays.models import ExtraHoliday

__all__ = [
    "CHANGE_PERMISSION",
    "WorkdaysError",
    "extra_holiday_add",
    "extra_holiday_remove",
]

CHANGE_PERMISSION = "workdays.change_extraholiday"
# The years the table may hold: the portal's deadlines, not history or far futures.
FIRST_YEAR = 2000
LAST_YEAR = 2150


class WorkdaysError(PortalError):
    pass


def _acting(officer) -> Acting:
    """The context of the change: an Acting as given, or the member (a task, a command)."""
    if isinstance(officer, Acting):
        return officer
    return resolve_acting(actor=officer)


def _check_officer(acting: Acting) -> None:
    if acting.officer is None or acting.actor is None:
        raise WorkdaysError(_("Only an officer may change the holidays."), code="not_officer")
    if acting.channel == "web" and not acting.two_factor:
        raise WorkdaysError(
            _("Log in with two-factor authentication to change the holidays."), code="two_factor"
        )
    if not acting.actor.has_perm(CHANGE_PERMISSION):
        raise WorkdaysError(_("You may not change the holidays."), code="permission")


def _snapshot(entry: ExtraHoliday) -> dict:
    return {
        "day": entry.day.isoformat(),
        "kind": entry.kind,
        "name_th": entry.name_th,
        "name_en": entry.name_en,
    }


def extra_holiday_add(
    *, officer, day: dt.date, name_th: str, name_en: str, kind: str
) -> ExtraHoliday:
    """PRM-07: an entry of the table. A "holiday" must be a day that is not already a day off
    (a weekday the law does not list); a "working_day" must be a weekday the law lists as a
    holiday. One entry a day."""
    acting = _acting(officer)
    _check_officer(acting)
    name_th, name_en = " ".join(name_th.split()), " ".join(name_en.split())
    if kind not in ExtraHoliday.Kind.values:
        raise WorkdaysError(_("Choose what the day becomes."), field="kind", code="kind")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise WorkdaysError(
            _("Enter a date from %(first)s to %(last)s.")
            % {
                "first": format_date(dt.date(FIRST_YEAR, 1, 1)),
                "last": format_date(dt.date(LAST_YEAR, 12, 31)),
            },
            field="day",
            code="year",
        )
    if not name_th:
        raise WorkdaysError(_("Enter the name in Thai."), field="name_th", code="required")
    if not name_en:
        raise WorkdaysError(_("Enter the name in English."), field="name_en", code="required")
    law = calendar.law_holidays(day.year)
    if day.weekday() >= 5:
        raise WorkdaysError(
            _("This day is a Saturday or a Sunday: it is never a working day."),
            field="day",
            code="weekend",
        )
    if kind == ExtraHoliday.Kind.HOLIDAY and day in law:
        raise WorkdaysError(
            _("This day is already a holiday: %(name)s.")
            % {"name": law[day][1 if (get_language() or "th").startswith("en") else 0]},
            field="day",
            code="already_holiday",
        )
    if kind == ExtraHoliday.Kind.WORKING_DAY and day not in law:
        raise WorkdaysError(
            _("This day is not a listed holiday: it is a working day already."),
            field="day",
            code="not_holiday",
        )
    if ExtraHoliday.objects.filter(day=day).exists():
        raise WorkdaysError(
            _("The table already has an entry for this day: remove it first."),
            field="day",
            code="taken",
        )
    entry = ExtraHoliday(
        day=day, kind=kind, name_th=name_th, name_en=name_en, created_by=acting.actor
    )
    try:
        with transaction.atomic():
            entry.save()
            audit_record(
                action="workdays.extra_holiday_add",
                target=entry,
                before={},
                after=_snapshot(entry),
                acting=acting,
            )
            transaction.on_commit(calendar.changed)
    except IntegrityError:
        raise WorkdaysError(
            _("The table already has an entry for this day: remove it first."),
            field="day",
            code="taken",
        ) from None
    return entry


def extra_holiday_remove(*, officer, holiday_id: int) -> None:
    """PRM-07: an entry of the table goes; the day is again what the law says."""
    acting = _acting(officer)
    _check_officer(acting)
    with transaction.atomic():
        entry = ExtraHoliday.objects.select_for_update().filter(pk=holiday_id).first()
        if entry is None:
            raise WorkdaysError(_("This entry no longer exists."), code="missing")
        before = _snapshot(entry)
        audit_record(
            action="workdays.extra_holiday_remove",
            target=entry,
            before=before,
            after={},
            acting=acting,
        )
        entry.delete()
        transaction.on_commit(calendar.changed)
