"""ACC-15 in the browser: a closed member vanishes from a business they held with another."""

from playwright.sync_api import expect

from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, HoldingFactory, MemberFactory


def holders(page):
    return page.locator("section[aria-labelledby=h-holders] li")


def test_acc_15_a_closed_member_vanishes_from_a_co_held_business(
    page, solve_robot_check, assert_accessible
):
    """ACC-15: members A and B hold a business; A closes the account; B's business page no
    longer lists A (no nameless row either), and the page stays accessible."""
    a = MemberFactory(first_name="อนุชา", last_name="ปิดบัญชี")
    b = MemberFactory(first_name="มาลี", last_name="ยังอยู่")
    held_by_a = HoldingFactory(member=a)
    held_by_b = HoldingFactory(member=b, business=held_by_a.business)

    login(page, solve_robot_check, b.national_id, DEFAULT_PASSWORD)
    page.goto(f"/businesses/{held_by_b.pk}/")
    expect(holders(page)).to_have_count(2)
    expect(holders(page).filter(has_text="อนุชา ปิดบัญชี")).to_have_count(1)
    page.context.clear_cookies()

    login(page, solve_robot_check, a.national_id, DEFAULT_PASSWORD)
    page.goto("/accounts/settings/close/")
    page.locator("#id_reason").select_option("no_longer_needed")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="ปิด", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.context.clear_cookies()

    login(page, solve_robot_check, b.national_id, DEFAULT_PASSWORD)
    page.goto(f"/businesses/{held_by_b.pk}/")
    expect(holders(page)).to_have_count(1)
    expect(holders(page).first).to_contain_text("มาลี ยังอยู่")
    expect(page.get_by_text("อนุชา ปิดบัญชี")).to_have_count(0)
    assert_accessible(page)
