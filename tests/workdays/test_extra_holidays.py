"""PRM-07, ADM-03: the officers' table of extra holidays: who may change it, the audit of
each change, and the calendar following a change at once (the cache invalidated)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction

from portal.backoffice.services import officer_appoint
from portal.core.acting import Acting, OfficerScope
from portal.core.models import AuditEntry
from portal.workdays import calendar
from portal.workdays.models import ExtraHoliday
from portal.workdays.selectors import (
    calendar_of_year,
    due_date,
    holiday_name,
    holidays_in,
    is_working_day,
)
from portal.workdays.services import WorkdaysError, extra_holiday_add, extra_holiday_remove
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

RIGHT = "workdays.change_extraholiday"
WEDNESDAY = dt.date(2027, 3, 10)  # no holiday of the law
CORONATION = dt.date(2026, 5, 4)  # a Monday holiday of the law


def make_officer(permissions=(RIGHT,), agency="OPS"):
    member = MemberFactory(verified=True)
    with transaction.atomic():
        officer_appoint(member=member, agency=agency, permissions=list(permissions))
    return member


@pytest.fixture
def officer():
    return make_officer()


def add(officer, capture, day=WEDNESDAY, kind="holiday", name_th="วันหยุดพิเศษ", name_en="Extra"):
    with capture(execute=True):
        return extra_holiday_add(
            officer=officer, day=day, name_th=name_th, name_en=name_en, kind=kind
        )


def test_prm_07_an_extra_holiday_is_a_day_off_at_once(officer, django_capture_on_commit_callbacks):
    """PRM-07: a day the cabinet declared off, added to the table, is no working day for the
    very next due date: the calendar cached before the change is not used again."""
    start = WEDNESDAY - dt.timedelta(days=1)
    assert is_working_day(WEDNESDAY)
    assert due_date(start, 1, "working_days") == WEDNESDAY
    entry = add(officer, django_capture_on_commit_callbacks, name_th="วันหยุดราชการเพิ่ม")
    assert not is_working_day(WEDNESDAY)
    assert due_date(start, 1, "working_days") == WEDNESDAY + dt.timedelta(days=1)
    assert holiday_name(WEDNESDAY, "th") == "วันหยุดราชการเพิ่ม"
    assert (WEDNESDAY, "วันหยุดราชการเพิ่ม", "Extra", "officer") in holidays_in(2027)
    with django_capture_on_commit_callbacks(execute=True):
        extra_holiday_remove(officer=officer, holiday_id=entry.pk)
    assert is_working_day(WEDNESDAY)
    assert due_date(start, 1, "working_days") == WEDNESDAY
    assert not ExtraHoliday.objects.exists()


def test_prm_07_a_moved_holiday_is_a_working_day(officer, django_capture_on_commit_callbacks):
    """PRM-07: a listed holiday the cabinet moved counts as a working day; the page still
    shows it, marked moved."""
    assert not is_working_day(CORONATION)
    add(
        officer,
        django_capture_on_commit_callbacks,
        day=CORONATION,
        kind="working_day",
        name_th="ย้ายไปวันศุกร์",
        name_en="Moved to Friday",
    )
    assert is_working_day(CORONATION)
    assert holiday_name(CORONATION, "en") is None
    assert CORONATION not in {day for day, *_rest in holidays_in(2026)}
    (row,) = [row for row in calendar_of_year(2026) if row["day"] == CORONATION]
    assert row["moved"] and row["working"] and row["source"] == "law"
    assert row["note_en"] == "Moved to Friday"


def test_prm_07_another_process_sees_the_change_by_the_shared_version(monkeypatch):
    """PRM-07: a process whose calendar is cached reloads the table when the shared version
    changes (another process committed a change), and not before."""
    member = make_officer()
    assert is_working_day(WEDNESDAY)
    ExtraHoliday.objects.create(
        day=WEDNESDAY, kind="holiday", name_th="ก", name_en="A", created_by=member
    )  # as if written by another process
    monkeypatch.setattr(calendar, "CHECK_SECONDS", 0.0)
    assert is_working_day(WEDNESDAY)  # same version: the cached calendar
    cache.set(calendar.VERSION_KEY, "another process's change", timeout=None)
    assert not is_working_day(WEDNESDAY)


def test_prm_07_only_an_officer_with_the_right_changes_the_table(
    django_capture_on_commit_callbacks,
):
    """PRM-07, ADM-01: the service refuses a member who is no officer, an officer without
    workdays.change_extraholiday, and a web session without two-factor authentication."""
    member = MemberFactory(verified=True)
    without_right = make_officer(permissions=())
    for who, code in ((member, "not_officer"), (without_right, "permission")):
        with pytest.raises(WorkdaysError) as refused:
            add(who, django_capture_on_commit_callbacks)
        assert refused.value.code == code
    officer = make_officer()
    web = Acting(
        actor=officer,
        officer=OfficerScope(member_id=officer.pk, agency="OPS"),
        channel="web",
        two_factor=False,
    )
    with pytest.raises(WorkdaysError) as refused:
        add(web, django_capture_on_commit_callbacks)
    assert refused.value.code == "two_factor"
    entry = add(officer, django_capture_on_commit_callbacks)
    with pytest.raises(WorkdaysError) as refused:
        extra_holiday_remove(officer=without_right, holiday_id=entry.pk)
    assert refused.value.code == "permission"
    assert ExtraHoliday.objects.count() == 1
    assert is_working_day(WEDNESDAY) is False


def test_prm_07_the_table_refuses_entries_that_change_nothing(
    officer, django_capture_on_commit_callbacks
):
    """PRM-07: no extra day off on a weekend or a holiday already, no working day on a day
    that is no holiday, one entry a day, a name in both languages."""
    cases = [
        ({"day": dt.date(2027, 3, 13)}, "weekend"),
        ({"day": CORONATION}, "already_holiday"),
        ({"kind": "working_day"}, "not_holiday"),
        ({"name_th": "  "}, "required"),
        ({"kind": "weekday"}, "kind"),
        ({"day": dt.date(1990, 3, 14)}, "year"),
    ]
    for change, code in cases:
        with pytest.raises(WorkdaysError) as refused:
            add(officer, django_capture_on_commit_callbacks, **change)
        assert refused.value.code == code, change
    add(officer, django_capture_on_commit_callbacks)
    with pytest.raises(WorkdaysError) as refused:
        add(officer, django_capture_on_commit_callbacks)
    assert refused.value.code == "taken"
    with pytest.raises(WorkdaysError) as refused:
        extra_holiday_remove(officer=officer, holiday_id=10**9)
    assert refused.value.code == "missing"


def test_prm_07_adm_03_each_change_is_audited(officer, django_capture_on_commit_callbacks):
    """PRM-07, ADM-03: adding and removing an entry each leave an audit row: who, what, the
    entry before and after."""
    entry = add(officer, django_capture_on_commit_callbacks, name_th="วันหยุด", name_en="Day off")
    with django_capture_on_commit_callbacks(execute=True):
        extra_holiday_remove(officer=officer, holiday_id=entry.pk)
    added, removed = AuditEntry.objects.filter(target_type="workdays.extraholiday").order_by("pk")
    snapshot = {"day": "2027-03-10", "kind": "holiday", "name_th": "วันหยุด", "name_en": "Day off"}
    assert (added.action, added.actor, added.actor_role) == (
        "workdays.extra_holiday_add",
        officer,
        "officer",
    )
    assert (added.before, added.after) == ({}, snapshot)
    assert (removed.action, removed.actor) == ("workdays.extra_holiday_remove", officer)
    assert (removed.before, removed.after) == (snapshot, {})
    assert added.target_id == removed.target_id == str(entry.pk)
