"""The officers' page of the DIW factory mirror's sync (issue 10): the runs with their counts,
progress, state and failures; DIW and OPS start a run as a background task, one at a time
(held by the database), audited; provincial offices follow it; other agencies get 404."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.billing.models import DiwFactory, FactorySyncRun
from portal.billing.selectors import factory_sync_runs
from portal.billing.services import BillingError, factory_sync_request
from portal.core.models import AuditEntry
from portal.registries.failures import failure_set, failures_reset
from tests.backoffice.helpers import signed_in

pytestmark = pytest.mark.django_db

SEE = ("billing.view_factorysyncrun",)
START = ("billing.view_factorysyncrun", "billing.add_factorysyncrun")
URL = "/backoffice/factory-sync/"
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def diw_world(world, settings):
    settings.SANDBOX_FAILURES = ""
    failures_reset()
    yield world
    failures_reset()


@pytest.fixture
def desk(robot, billing_officer):
    def make(agency="DIW", province="", permissions=START):
        member, acting = billing_officer(agency=agency, province=province, permissions=permissions)
        return signed_in(robot, member), acting

    return make


def _run(**fields) -> FactorySyncRun:
    now = timezone.now()
    return FactorySyncRun.objects.create(started_at=now, updated_at=now, **fields)


def test_adm_01_diw_ops_and_provincial_offices_see_every_run_others_get_404(desk):
    """ADM-01: the mirror is national data: DIW, OPS and a provincial office (of any province)
    with the permission see every run; IEAT, TISI and an officer without it get 404."""
    _run(state="finished", received=7, created=5, updated=2, pages=1, finished_at=timezone.now())
    for agency, province in (("DIW", ""), ("OPS", ""), ("PIO", "ลำปาง")):
        client, acting = desk(agency=agency, province=province, permissions=SEE)
        page = client.get(URL)
        assert page.status_code == 200, agency
        assert [run.received for run in page.context["rows"]] == [7]
        assert factory_sync_runs(acting=acting).count() == 1
        assert "backoffice/factory-sync/" in client.get("/backoffice/").content.decode()
    for agency in ("IEAT", "TISI"):
        client, acting = desk(agency=agency, permissions=START)
        assert client.get(URL).status_code == 404
        assert factory_sync_runs(acting=acting).count() == 0
    client, _ = desk(agency="DIW", permissions=("billing.view_bill",))
    assert client.get(URL).status_code == 404
    assert "backoffice/factory-sync/" not in client.get("/backoffice/").content.decode()


def test_the_page_shows_progress_state_and_a_failed_runs_reason(desk):
    """A running run's factories done so far, a failed run's error, newest first."""
    _run(state="failed", received=3, pages=3, error="diw:down", finished_at=timezone.now())
    _run(state="running", received=2000, pages=2)
    client, _ = desk()
    page = client.get(URL)
    assert [r.state for r in page.context["rows"]] == ["running", "failed"]
    html = page.content.decode()
    assert "diw:down" in html and "2000" in html
    assert page.context["running"] is True
    assert 'data-testid="sync-running"' in html and "Synchronise now" not in html


def test_adm_03_an_officer_starts_a_sync_that_runs_in_the_background_and_is_audited(
    desk, diw_world
):
    """ADM-03: DIW starts a sync; the task brings the mirror up to date; the start is audited
    with who started it."""
    for minutes in range(3):
        diw_world.add_factory(updated_at=(T0 + dt.timedelta(minutes=minutes)).isoformat())
    client, acting = desk()
    response = client.post(URL)  # the test client runs what waits for the commit
    assert response.status_code == 302 and response.url == URL
    run = FactorySyncRun.objects.get()
    assert (run.state, run.received, run.created, run.started_by) == (
        "finished",
        3,
        3,
        acting.actor,
    )
    assert DiwFactory.objects.count() == 3
    entry = AuditEntry.objects.get(action="factory_sync.request")
    assert entry.actor == acting.actor and entry.target_id == str(run.pk)


def test_a_failed_sync_started_by_an_officer_shows_its_reason(desk, diw_world):
    diw_world.add_factory()
    failure_set("diw", "down")
    client, _ = desk(agency="OPS")
    client.post(URL)
    page = client.get(URL)
    assert page.context["rows"][0].state == "failed"
    assert "diw:down" in page.content.decode()


def test_a_second_start_while_a_run_is_going_is_refused_by_the_database(desk):
    """Two starts at once give one run: the database holds one running run at most, so a
    second start is refused and said so, not queued."""
    client, acting = desk()
    factory_sync_request(acting=acting)
    with pytest.raises(BillingError) as refused:
        factory_sync_request(acting=acting)
    assert refused.value.code == "running"
    response = client.post(URL, follow=True)
    assert "มีการปรับปรุงข้อมูลอยู่แล้ว" in response.content.decode()  # Thai first
    assert FactorySyncRun.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        _run(state="running")


def test_adm_01_a_provincial_office_may_follow_but_not_start_a_sync(desk):
    """ADM-01: the sync is nationwide: a provincial office sees it but cannot start it, even
    with the permission (the service refuses too)."""
    client, acting = desk(agency="PIO", province="ชลบุรี")
    assert client.get(URL).status_code == 200
    assert client.get(URL).context["may_start"] is False
    assert client.post(URL).status_code == 404
    with pytest.raises(BillingError):
        factory_sync_request(acting=acting)
    assert not FactorySyncRun.objects.exists()
