"""The officers' holiday table in a browser (PRM-07): an officer opens the year's holidays
from the back office, adds a day off the cabinet declared, sees it listed as the officer's
and removes it after confirming; axe clean in Thai and in English."""

import datetime as dt

import pytest
from django.db import transaction
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.workdays import calendar
from portal.workdays.selectors import is_working_day
from tests.e2e.helpers import officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory

DAY = dt.date(2027, 3, 10)  # a Wednesday the law leaves a working day


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.forget()
    yield
    calendar.forget()


def test_prm_07_an_officer_adds_and_removes_an_extra_holiday(
    page, solve_robot_check, assert_accessible, switch_language
):
    """PRM-07: An officer adds an extra holiday and removes it."""
    officer = MemberFactory(verified=True)
    with transaction.atomic():
        officer_appoint(member=officer, agency="OPS", permissions=["workdays.change_extraholiday"])
    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/")
    page.get_by_role("link", name="วันหยุดและวันทำการ").click()
    page.wait_for_url("**/backoffice/holidays/")
    assert_accessible(page)
    page.goto("/backoffice/holidays/?year=2570")
    expect(page.get_by_role("heading", name="วันหยุดปี พ.ศ. 2570")).to_be_visible()
    expect(page.locator('tr[data-holiday="2027-01-01"]')).to_contain_text("1 มกราคม 2570")
    assert_accessible(page)

    page.get_by_role("link", name="เพิ่มรายการ").click()
    page.wait_for_url("**/backoffice/holidays/add/")
    assert_accessible(page)
    page.get_by_role("button", name="บันทึกรายการ").click()  # nothing typed: said
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_day_0").select_option("10")
    page.locator("#id_day_1").select_option("3")
    page.locator("#id_day_2").fill("2570")
    page.get_by_role("radio", name="วันหยุดเพิ่มเติม").check()
    page.locator("#id_name_th").fill("วันหยุดพิเศษ (เพิ่มเติม)")
    page.locator("#id_name_en").fill("Bridge holiday")
    page.get_by_role("button", name="บันทึกรายการ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    row = page.locator('tr[data-holiday="2027-03-10"]')
    expect(row).to_contain_text("วันหยุดพิเศษ (เพิ่มเติม)")
    expect(row).to_contain_text("เจ้าหน้าที่")
    assert_accessible(page)
    assert not is_working_day(DAY)

    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Holidays of 2027")).to_be_visible()
    expect(row).to_contain_text("Bridge holiday")
    assert_accessible(page)
    row.get_by_role("link", name="Remove").click()
    page.wait_for_url("**/remove/")
    expect(page.get_by_text("Once removed, the day is again a working day.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove the entry").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator('tr[data-holiday="2027-03-10"]')).to_have_count(0)
    assert_accessible(page)
    assert is_working_day(DAY)
