# ruff: noqa: F811 (the fixtures of officer_helpers, imported by name)
"""Statistics per procedure (PRM-11): applications per month with their average, highest and
lowest, and the time taken per step against its due time; the officers' page and the open
page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.permits.models import Application, ApplicationStep
from portal.permits.review_selectors import procedure_statistics
from tests.permits.officer_helpers import officer, procedures_dir, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedures_dir")]


def test_prm_11_applications_per_month_average_highest_lowest():
    """PRM-11: January 3, February none, March 1: average 1.3, highest 3, lowest 0; in two
    queries whatever the number of applications."""
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 20)):
        submit(on=day)
    submit(on=dt.date(2026, 3, 2))
    submit("test-restart", on=dt.date(2026, 2, 2))  # another procedure
    with CaptureQueriesContext(connection) as queries:
        figures = procedure_statistics("test-relocation", until=dt.date(2026, 3, 31))
    assert len(queries) == 2
    assert [(m.month, m.count) for m in figures.months] == [
        (dt.date(2026, 1, 1), 3),
        (dt.date(2026, 2, 1), 0),
        (dt.date(2026, 3, 1), 1),
    ]
    assert (figures.average, figures.highest, figures.lowest) == (1.3, 3, 0)
    assert figures.total == 4


def test_prm_11_time_per_step_against_its_due_time():
    """PRM-11: per step, how many finished, how many by their due date, and the days taken."""
    on_time = submit(on=dt.date(2026, 3, 2))
    late = submit(on=dt.date(2026, 3, 2))
    for application, finished in ((on_time, dt.date(2026, 3, 3)), (late, dt.date(2026, 3, 9))):
        ApplicationStep.objects.filter(application=application, key="check").update(
            state=ApplicationStep.State.DONE,
            finished_at=timezone.make_aware(dt.datetime.combine(finished, dt.time(15))),
        )
    figures = procedure_statistics("test-relocation", until=dt.date(2026, 3, 31))
    check = figures.steps[0]
    assert (check.key, check.finished, check.on_time) == ("check", 2, 1)
    assert check.average_days == 4.0  # (1 + 7) / 2
    assert figures.steps[1].finished == 0 and figures.steps[1].average_days is None


def test_prm_11_the_open_statistics_page(client):
    """PRM-11: the open page shows the figures as a chart and a table; no person named."""
    application = submit(on=timezone.localdate())
    page = client.get("/procedures/test-relocation/statistics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    assert application.applicant.last_name not in html
    assert client.get("/procedures/nothing/statistics/").status_code == 404


def test_prm_11_the_officers_statistics_page(officer, robot):
    """PRM-11: officers who may review see the statistics of every procedure."""
    from tests.backoffice.helpers import signed_in

    member, _ = officer("DIW")
    submit(on=timezone.localdate())
    client = signed_in(robot, member)
    page = client.get("/backoffice/permits/statistics/?procedure=test-relocation")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert Application.objects.count() == 1


def test_prm_11_the_pages_read_the_figures_computed_once_a_day():
    """PRM-11: the scheduler's statistics job computes each procedure's figures for the day;
    the pages then only read them (no aggregate over every application at each request), and
    an application submitted later in the day counts from the next day's figures."""
    from portal.permits.tasks import statistics_job

    submit(on=timezone.localdate())
    assert statistics_job() >= 2  # every procedure of the folder
    submit(on=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        figures = procedure_statistics("test-relocation")
    assert len(queries) <= 1  # the cache's read, nothing of the applications
    assert figures.total == 1
    assert procedure_statistics("test-relocation", until=timezone.localdate()).total == 2
