"""SVC-04 in the browser: the usage guide beside the profile picture and in the footer, the
support contacts where the manuals print them, in Thai and English, axe-clean."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_svc_04_usage_guide_beside_the_picture_and_the_contacts(
    page, solve_robot_check, assert_accessible, switch_language
):
    """SVC-04: a member finds the usage guide as a symbol right beside their name and picture,
    the guide and the FAQ end with the support contacts, and the footer leads to both."""
    member = MemberFactory()
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    guide_link = page.get_by_test_id("header-guide")
    expect(guide_link).to_be_visible()
    expect(guide_link).to_have_accessible_name("แนะนำการใช้งาน")
    # Beside the name and picture: the next item of the header's menu.
    assert (
        page.evaluate(
            "() => document.querySelector('[data-testid=who]').nextElementSibling.dataset.testid"
        )
        == "header-guide"
    )
    who = page.get_by_test_id("who").bounding_box()
    box = guide_link.bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (who["y"] + who["height"] / 2)) < 12
    assert 0 <= box["x"] - (who["x"] + who["width"]) < 40
    guide_link.click()
    page.wait_for_url("**/services/guide/")
    expect(page.get_by_role("heading", level=1, name="แนะนำการใช้งาน")).to_be_visible()
    contacts = page.get_by_test_id("support-contacts")
    expect(contacts).to_be_visible()
    expect(contacts.get_by_role("link", name="0 2430 6976 ต่อ 3")).to_have_attribute(
        "href", "tel:024306976"
    )
    expect(contacts.get_by_role("link", name="service_ids@industry.go.th")).to_be_visible()
    expect(contacts).to_contain_text("LINE: @iindustry")
    expect(contacts).to_contain_text("nsw@tisi.mail.go.th")
    assert_accessible(page)

    switch_language(page, "en")
    expect(page.get_by_test_id("header-guide")).to_have_accessible_name("Usage guide")
    expect(page.get_by_test_id("support-contacts")).to_contain_text("0 2430 6834 ext. 2450, 2451")
    assert_accessible(page)

    # The footer's contact link opens the FAQ at its contacts; the FAQ's answer names them.
    page.locator("footer").get_by_role("link", name="Contact us").click()
    page.wait_for_url(re.compile(r".*/services/faq/#contacts$"))
    expect(page.get_by_test_id("support-contacts")).to_be_in_viewport()
    page.get_by_text("How can I get more help?").click()
    expect(page.locator("#other-contact")).to_contain_text("0 2430 6976 ext. 3")
    assert_accessible(page)

    switch_language(page, "th")
    expect(page.get_by_test_id("support-contacts")).to_contain_text("กองควบคุมมาตรฐาน")
    page.locator("footer").get_by_role("link", name="แนะนำการใช้งาน").click()
    page.wait_for_url("**/services/guide/")
    assert_accessible(page)


def test_svc_04_visitors_find_the_guide_and_contacts_in_the_footer(page, assert_accessible):
    """SVC-04: without logging in, the footer leads to the usage guide and the contacts; the
    header's symbol is the member's."""
    page.goto("/")
    expect(page.get_by_test_id("header-guide")).to_have_count(0)
    page.locator("footer").get_by_role("link", name="ติดต่อเรา").click()
    page.wait_for_url(re.compile(r".*/services/faq/#contacts$"))
    expect(page.get_by_test_id("support-contacts")).to_be_visible()
    assert_accessible(page)
