import re

from playwright.sync_api import expect

from tests.factories import MemberFactory


def test_acc_10_log_in_with_thaid_by_consenting_in_the_phone_app(page, world, assert_accessible):
    """ACC-10 in the browser: the button, the QR code page polling for the answer, the
    sandbox phone app in a second page of the same browser, consent, logged in."""
    from portal.operators.services import business_add_myself

    citizen = world.add_citizen(first_name_th="สมหญิง", title_th="นางสาว")
    member = MemberFactory(pid=citizen["pid"], first_name="สมหญิง")
    business_add_myself(member=member)

    page.goto("/accounts/login/")
    page.locator("form[action='/accounts/thaid/start/'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/sandbox/thaid/qr/[0-9a-f-]+/$"))
    expect(page.locator(".qr svg")).to_be_visible()
    countdown = page.locator("[data-countdown]")
    assert re.fullmatch(r"[01]:\d\d", countdown.inner_text())
    assert_accessible(page)
    app_url = page.get_by_test_id("thaid-app-link").get_attribute("href")

    phone = page.context.new_page()
    phone.goto(app_url)
    assert_accessible(phone)
    phone.locator(f"input[name=citizen][value='{citizen['pid']}']").check()
    phone.locator("button[name=action][value=consent]").click()
    phone.wait_for_load_state("load")
    expect(phone.locator("[data-status=approved]")).to_be_visible()

    # The QR page notices the answer by itself (status poll) and goes on to the portal.
    page.wait_for_url(lambda url: "/sandbox/" not in url and "/accounts/" not in url)
    assert member.display_name in page.get_by_test_id("who").inner_text()
    assert citizen["pid"] not in page.url
