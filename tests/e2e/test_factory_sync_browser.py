"""ADM-01, ADM-03 in a browser: a DIW officer opens the DIW factory registry synchronisation
from the back office, sees a failed run's reason, starts a sync and sees it finished with its
counts; axe-clean in Thai and English."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.billing.models import DiwFactory, FactorySyncRun
from portal.registries.failures import failures_reset
from tests.e2e.helpers import officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_adm_01_adm_03_an_officer_follows_and_starts_the_factory_sync(
    page, world, settings, solve_robot_check, assert_accessible, switch_language
):
    """ADM-01: DIW sees the mirror's runs; ADM-03: the sync it starts runs in the background
    (the test's immediate task backend) and its counts show."""
    settings.SANDBOX_FAILURES = ""
    failures_reset()
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
    for minutes in range(3):
        world.add_factory(updated_at=(start + dt.timedelta(minutes=minutes)).isoformat())
    now = timezone.now()
    FactorySyncRun.objects.create(
        state="failed", error="diw:down", started_at=now, updated_at=now, finished_at=now
    )
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="DIW",
            province="",
            permissions=["billing.view_factorysyncrun", "billing.add_factorysyncrun"],
        )

    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/")
    page.get_by_role("link", name="การปรับปรุงข้อมูลทะเบียนโรงงานจากกรมโรงงานอุตสาหกรรม").click()
    page.wait_for_url("**/backoffice/factory-sync/")
    expect(page.get_by_test_id("sync-error").first).to_have_text("diw:down")
    assert_accessible(page)

    page.get_by_role("button", name="ปรับปรุงข้อมูลเดี๋ยวนี้").click()
    page.wait_for_url("**/backoffice/factory-sync/")
    expect(page.get_by_text("เริ่มปรับปรุงข้อมูลแล้ว")).to_be_visible()
    expect(page.get_by_test_id("sync-received").first).to_have_text("3")
    assert DiwFactory.objects.count() == 3
    assert FactorySyncRun.objects.filter(state="finished", started_by=officer).count() == 1
    assert_accessible(page)

    switch_language(page, "en")
    expect(page.get_by_role("button", name="Synchronise now")).to_be_visible()
    expect(page.get_by_test_id("sync-state").first).to_have_text("Finished")
    assert_accessible(page)
