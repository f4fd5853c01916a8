"""PRM-02: the citizen manual in a browser: public, axe clean in Thai and English, tables as
cards on a phone, and on paper without the navigation and with whole tables."""

from playwright.sync_api import expect


def test_prm_02_manual_page_phone_print_and_accessibility(page, assert_accessible, switch_language):
    """PRM-02: from the list to the relocation manual; phone cards; print media; axe clean."""
    page.goto("/procedures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("คู่มือสำหรับประชาชน")
    assert_accessible(page)
    page.get_by_role("link", name="การขอย้ายเครื่องจักรบางส่วน", exact=False).click()
    expect(page.get_by_test_id("documents-all")).to_be_visible()
    assert_accessible(page)

    # A phone (the fixture's 390 px): each document row is a card whose cells name their column.
    first_cell = page.get_by_test_id("documents-all").locator("tbody tr").first.locator("td").nth(1)
    expect(first_cell).to_have_attribute("data-label", "เอกสาร")
    row = page.get_by_test_id("documents-all").locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    expect(page.get_by_role("button", name="พิมพ์")).to_be_visible()

    # On paper: no header, footer or print button; the tables are tables, rows unbroken.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="พิมพ์")).to_be_hidden()
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
    assert row.evaluate("r => getComputedStyle(r).breakInside") == "avoid"
    header = page.get_by_test_id("documents-all").locator("thead")
    assert header.evaluate("h => getComputedStyle(h).display") == "table-header-group"
    expect(page.get_by_test_id("total")).to_be_visible()
    page.emulate_media(media="screen")

    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Temporary relocation")
    expect(page.get_by_test_id("fees").locator("tbody tr")).to_have_count(19)
    assert_accessible(page)


def test_prm_02_restart_manual_accessible_in_english(page, assert_accessible, switch_language):
    """PRM-02: the manual with its 15.1 and 15.2 tables, axe clean in English."""
    page.goto("/procedures/restart-after-stop/")
    expect(page.get_by_test_id("documents-identity").locator("tbody tr")).to_have_count(9)
    expect(page.get_by_test_id("documents-other").locator("tbody tr")).to_have_count(2)
    switch_language(page, "en")
    expect(page.get_by_test_id("total")).to_contain_text("30 days")
    assert_accessible(page)
