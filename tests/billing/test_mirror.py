"""The DIW factory mirror: every factory of the registry, kept by a sync that pages through
DIW's "changed since" listing (the sandbox world here), upserts set-based, records its progress
and failures, resumes and goes on incrementally."""

import datetime as dt

import hypothesis
import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck
from hypothesis import strategies as st

from portal.billing.models import DiwFactory, FactorySyncRun
from portal.billing.selectors import factory_sync_status
from portal.billing.services import factories_sync
from portal.registries.diw import factory_registry
from portal.registries.failures import failure_set, failures_reset

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def diw_world(world, settings, db):
    settings.SANDBOX_FAILURES = ""
    failures_reset()
    yield world
    failures_reset()


def stamp(minutes: int) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).isoformat()


def test_the_sandbox_lists_changes_in_order_a_page_at_a_time(diw_world):
    for minutes in (3, 1, 2, 1):
        diw_world.add_factory(updated_at=stamp(minutes))
    registry = factory_registry()
    first = registry.changes(since=None, limit=3)
    keys = [(f.changed_at, f.factory_no) for f in first.factories]
    assert keys == sorted(keys) and len(keys) == 3 and first.more
    last = first.factories[-1]
    rest = registry.changes(since=last.changed_at, after_factory_no=last.factory_no, limit=3)
    assert [f.changed_at for f in rest.factories] == [T0 + dt.timedelta(minutes=3)]
    assert not rest.more
    none = registry.changes(since=T0 + dt.timedelta(minutes=3), after_factory_no="9" * 14)
    assert none.factories == [] and not none.more


def test_a_world_without_change_times_lists_every_factory_as_changed_when_written(diw_world):
    diw_world.add_factory()
    diw_world.add_factory()
    page = factory_registry().changes(since=None)
    assert len(page.factories) == 2
    assert page.factories[0].changed_at == page.factories[1].changed_at is not None


@pytest.mark.django_db
def test_every_factory_of_the_registry_is_mirrored_with_its_due_day_and_place(diw_world):
    diw_world.add_factory(
        updated_at=stamp(1),
        operation_started_on="2008-02-29",
        address={"province": "จังหวัดสงขลา", "district": "อำเภอจะนะ", "industrial_estate": None},
    )
    diw_world.add_factory(updated_at=stamp(2), supervisor="IEAT", status="closed")
    run = factories_sync(page_size=1)
    assert (run.state, run.pages, run.received, run.created, run.updated) == (
        "finished",
        2,
        2,
        2,
        0,
    )
    songkhla = DiwFactory.objects.get(province="สงขลา")
    assert (songkhla.district, songkhla.anniversary) == ("จะนะ", 229)
    assert songkhla.registry_changed_at == T0 + dt.timedelta(minutes=1)
    assert DiwFactory.objects.filter(supervisor="IEAT", status="closed").count() == 1
    assert factory_sync_status() == run


@pytest.mark.django_db
def test_a_sync_goes_on_from_the_last_change_it_stored(diw_world):
    first = diw_world.add_factory(updated_at=stamp(1), horsepower=10)
    diw_world.add_factory(updated_at=stamp(2))
    factories_sync()
    nothing = factories_sync()
    assert (nothing.received, nothing.since_changed_at) == (0, T0 + dt.timedelta(minutes=2))
    diw_world.factories[0].update(updated_at=stamp(5), horsepower=99.5, status="closed")
    diw_world.add_factory(updated_at=stamp(4))
    diw_world._write("factories.jsonl", diw_world.factories)
    later = factories_sync()
    assert (later.received, later.created, later.updated) == (2, 1, 1)
    changed = DiwFactory.objects.get(factory_no=first["factory_no"])
    assert (str(changed.horsepower), changed.status) == ("99.50", "closed")
    assert DiwFactory.objects.count() == 3


@pytest.mark.django_db
def test_a_sync_stopped_in_the_middle_resumes_from_its_cursor(diw_world):
    for minutes in range(5):
        diw_world.add_factory(updated_at=stamp(minutes))
    stopped = factories_sync(page_size=2, max_pages=1)
    assert (stopped.state, stopped.received) == ("running", 2)
    resumed = factories_sync(page_size=2)
    assert resumed.pk == stopped.pk
    assert (resumed.state, resumed.received, resumed.pages) == ("finished", 5, 3)
    assert DiwFactory.objects.count() == 5


@pytest.mark.django_db
def test_a_registry_failure_is_recorded_and_the_next_sync_continues(diw_world):
    for minutes in range(3):
        diw_world.add_factory(updated_at=stamp(minutes))
    factories_sync(page_size=1, max_pages=1)
    failure_set("diw", "down")
    failed = factories_sync(page_size=1)
    assert (failed.state, failed.error, failed.received) == ("failed", "diw:down", 1)
    with pytest.raises(CommandError, match="diw:down"):
        call_command("diw_factories_sync")
    failure_set("diw", None)
    after = factories_sync(page_size=1)
    assert after.state == "finished" and after.received == 2
    assert DiwFactory.objects.count() == 3
    assert FactorySyncRun.objects.filter(state="failed").count() == 2


@pytest.mark.django_db
def test_the_command_syncs_and_reports(diw_world, capsys):
    diw_world.add_factory()
    call_command("diw_factories_sync")
    assert "finished: 1 received, 1 new, 0 updated, 1 pages" in capsys.readouterr().out


@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    minutes=st.lists(st.integers(min_value=0, max_value=5), min_size=0, max_size=30),
    page_size=st.integers(min_value=1, max_value=7),
)
def test_following_the_cursor_lists_every_factory_once_in_order(diw_world, minutes, page_size):
    """Whatever the change times (many equal) and the page size, the pages followed from
    cursor to cursor list each factory exactly once, in (change time, number) order."""
    diw_world.factories.clear()
    for minute in minutes:
        diw_world.add_factory(updated_at=stamp(minute))
    diw_world._write("factories.jsonl", diw_world.factories)
    registry = factory_registry()
    seen, since, after = [], None, ""
    while True:
        page = registry.changes(since=since, after_factory_no=after, limit=page_size)
        seen.extend((f.changed_at, f.factory_no) for f in page.factories)
        if not page.more:
            break
        since, after = page.factories[-1].changed_at, page.factories[-1].factory_no
    assert seen == sorted(seen)
    assert sorted(no for _, no in seen) == sorted(f["factory_no"] for f in diw_world.factories)
