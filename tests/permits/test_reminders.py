# ruff: noqa: F811 (the fixtures of officer_helpers, imported by name)
"""Reminders with the clock moved, no sleeping (issue 11): an application past its due date is
late on both sides and its applicant is told on day 7 and day 14 (PRM-12); officers are told
each morning of the steps due next, one message each."""

import datetime as dt

import pytest

from portal.permits.models import Application
from portal.permits.review_selectors import queue, queue_counts
from portal.permits.review_services import (
    application_accept,
    application_assign,
    late_notices_send,
    officers_morning_notice,
)
from portal.registries.models import OutboundMessage
from tests.permits.officer_helpers import (  # noqa: F401 (fixtures)
    moved_clock,
    officer,
    procedures_dir,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedures_dir")]

MONDAY = dt.date(2026, 3, 2)


def told(member) -> list[OutboundMessage]:
    return [
        m
        for m in OutboundMessage.objects.order_by("pk")
        if m.recipient in (member.mobile, member.email)
    ]


def test_prm_12_late_on_both_sides_and_told_on_day_7_and_14(officer, moved_clock):
    """PRM-12: left past its due date, an application is late in the officer's queue and on
    the applicant's side (its due date passed, clock running); the applicant is told on day 7
    and day 14 past due, why and when to expect a decision, and not in between."""
    moved_clock(MONDAY)
    application = submit("test-restart", on=MONDAY)
    _, acting = officer("DIW")
    application_accept(acting=acting, application_id=application.pk)
    application.refresh_from_db()
    due = application.due_on  # 30 days
    applicant = application.applicant
    moved_clock(due + dt.timedelta(days=1))
    row = queue(acting=acting).get(pk=application.pk)
    assert row.current_due_on < due + dt.timedelta(days=1)  # the running step is late
    assert queue_counts(acting=acting)["late"] == 1
    sent_by_day = {}
    for day in range(1, 16):
        moved_clock(due + dt.timedelta(days=day))
        before = len(told(applicant))
        late_notices_send()
        sent_by_day[day] = len(told(applicant)) - before
    assert [d for d, n in sent_by_day.items() if n] == [7, 14]
    assert sent_by_day[7] == 2  # SMS and email
    message = told(applicant)[-1]
    assert application.number in message.body and "14" in message.body
    application.refresh_from_db()
    assert application.late_notice_last_on == due + dt.timedelta(days=14)
    assert application.events.filter(kind="late_notice").count() == 2


def test_prm_12_a_paused_or_decided_application_is_not_reminded(officer, moved_clock):
    """PRM-12: only applications whose clock runs are told; a paused one (waiting for the
    applicant) is not."""
    moved_clock(MONDAY)
    application = submit("test-restart", on=MONDAY)
    _, acting = officer("DIW")
    application_accept(acting=acting, application_id=application.pk)
    Application.objects.filter(pk=application.pk).update(clock_paused=True)
    application.refresh_from_db()
    moved_clock(application.due_on + dt.timedelta(days=7))
    assert late_notices_send() == 0


def test_officers_are_told_each_morning_of_steps_due_tomorrow(officer, moved_clock):
    """One message per officer listing the steps due next: the assigned officer gets theirs,
    the unassigned ones go to every officer of the area who may review."""
    moved_clock(MONDAY)
    first = submit(on=MONDAY)  # the document check: 1 working day, due Tuesday
    second = submit(on=MONDAY)
    unassigned = submit(on=MONDAY)
    elsewhere = submit(on=MONDAY, province="ชลบุรี")
    me, acting = officer("DIW", email="me@diw.example", verified=True)
    colleague, _ = officer("DIW", email="colleague@diw.example", verified=True)
    for application in (first, second):
        application_assign(acting=acting, application_id=application.pk, officer_id=me.pk)
    assert officers_morning_notice(on=MONDAY) == 2
    mine = told(me)
    assert len(mine) == 1
    assert {first.number, second.number, unassigned.number} <= set(mine[0].body.split())
    theirs = told(colleague)
    assert len(theirs) == 1
    assert unassigned.number in theirs[0].body and first.number not in theirs[0].body
    assert elsewhere.number not in mine[0].body
    assert officers_morning_notice(on=MONDAY + dt.timedelta(days=5)) == 0


def test_the_morning_notice_runs_once_a_day_from_seven(officer, moved_clock, monkeypatch):
    """The schedule runs the morning notice hourly: before 07:00 Bangkok time nothing goes, then
    once that day whatever the number of runs."""
    from django.core.cache import cache
    from django.utils import timezone

    from portal.permits.review_services import officers_morning_notice_daily

    moved_clock(MONDAY)
    cache.delete(f"permits:morning-notice:{MONDAY.isoformat()}")
    application = submit(on=MONDAY)
    me, acting = officer("DIW", email="early@diw.example", verified=True)
    application_assign(acting=acting, application_id=application.pk, officer_id=me.pk)
    early = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(6, 30)))
    monkeypatch.setattr(timezone, "now", lambda: early)
    assert officers_morning_notice_daily() == 0
    moved_clock(MONDAY)  # 10:00
    assert officers_morning_notice_daily() == 1
    assert officers_morning_notice_daily() == 0
    assert len(told(me)) == 1
    cache.delete(f"permits:morning-notice:{MONDAY.isoformat()}")
