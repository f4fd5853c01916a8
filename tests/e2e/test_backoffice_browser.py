from pathlib import Path

from django.db import transaction
from playwright.sync_api import expect

from portal.accounts.models import Member
from portal.backoffice.services import officer_appoint
from tests.e2e.helpers import login, officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_acc_16_adm_03_name_change_from_request_to_officer_decision(
    page,
    browser,
    live_server,
    world,
    tmp_path,
    solve_robot_check,
    assert_accessible,
    switch_language,
):
    """ACC-16, ADM-03: Name change from request to officer decision."""
    citizen = world.add_citizen(first_name_th="จันทร์เพ็ญ", last_name_th="ใหม่ใจ")
    member = MemberFactory(pid=citizen["pid"], first_name="จันทร์เพ็ญ", last_name="เก่าใจ")
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(
            member=officer, agency="OPS", permissions=["accounts.review_member_request"]
        )
    evidence = Path(tmp_path / "certificate.pdf")
    evidence.write_bytes(PDF)

    # The member asks for the new name with a document.
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="ขอเปลี่ยนชื่อ", exact=False).click()
    assert_accessible(page)
    page.locator("#id_first_name").fill("จันทร์เพ็ญ")
    page.locator("#id_last_name").fill("ใหม่ใจ")
    page.locator("#id_evidence").set_input_files(str(evidence))
    page.get_by_role("button", name="ส่งคำขอ").click()
    page.wait_for_url("**/accounts/settings/")
    expect(page.locator("#h-requests")).to_be_visible()

    # The officer sees it in the queue, opens the evidence and approves.
    officer_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    desk = officer_context.new_page()
    officer_login(desk, solve_robot_check, officer, DEFAULT_PASSWORD)
    desk.locator("header").get_by_role("link", name="ระบบเจ้าหน้าที่").click()
    assert_accessible(desk)
    desk.get_by_role("link", name="คำขอเปลี่ยนชื่อ", exact=False).click()
    assert_accessible(desk)
    desk.get_by_role("link", name="พิจารณา").first.click()
    assert_accessible(desk)
    switch_language(desk, "en")
    assert_accessible(desk)
    desk.get_by_role("radio", name="Approve").check()
    desk.get_by_role("button", name="Save the decision").click()
    expect(desk.locator(".alert-success")).to_be_visible()
    officer_context.close()

    assert Member.objects.get(pk=member.pk).last_name == "ใหม่ใจ"
    page.reload()
    assert "ใหม่ใจ" in page.locator("#h-identity").locator("..").inner_text()


def test_sandbox_outbox_and_registry_switches_are_accessible(
    page, assert_accessible, switch_language
):
    page.goto("/sandbox/outbox/")
    assert_accessible(page)
    page.goto("/sandbox/registries/")
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
