"""Issue 9 in the browser: what only a browser shows (layout, sizes)."""

from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, BusinessFactory, HoldingFactory, MemberFactory

SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'button, .button, input[type=submit], .header-nav a, .actions > a'))
  .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden, altcha-widget'))
  .map(el => [el.textContent.trim() || el.outerHTML.slice(0, 60), el.getBoundingClientRect()])
  .filter(([, box]) => box.height < 44 || box.width < 44)
  .map(([name, box]) => `${name}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def test_lists_on_a_phone_read_as_cards_without_sideways_scroll(
    page, solve_robot_check, assert_accessible
):
    """Issue 9: at 390 px the list of businesses is cards (one per row, each line named by its
    column), the page does not scroll sideways, and touch targets are 44 px or more."""
    member = MemberFactory()
    for index in range(3):
        HoldingFactory(
            member=member,
            business=BusinessFactory(
                other=True, name_th=f"บริษัท อุตสาหกรรมการผลิตชิ้นส่วนยานยนต์ไทย {index} จำกัด"
            ),
        )
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/businesses/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator(".table-wrap tbody tr")
    assert rows.count() == 3
    first = rows.first
    assert first.evaluate("el => getComputedStyle(el).display") == "block"
    labels = first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels == ["กิจการ", "ประเภท", "สถานะ"]
    cell_box = first.locator("td").first.bounding_box()
    assert cell_box["width"] > 300  # the name has the card's width, not a narrow column
    assert page.evaluate(SMALL_TARGETS) == []
    assert_accessible(page)


def test_touch_targets_on_the_login_page_are_44_px(page):
    """Issue 9: the login page's buttons and links of the header and actions on a phone are at
    least 44 by 44 px."""
    page.goto("/accounts/login/")
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
