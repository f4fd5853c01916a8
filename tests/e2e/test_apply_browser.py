"""PRM-05 to PRM-10 in the browser, on a phone: from a factory's page an applicant sees the
procedures with their eligibility, fills the form, uploads the checklist's documents, sees
the fee, signs the declaration and submits, then follows the timeline; axe clean in Thai and
in English."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.permits import clock, services
from portal.permits.definitions import _cached
from portal.permits.models import Application, DeficiencyRecord
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.permits.conftest import PDF, RELOCATION, acting_of, complete_draft, make_factory


@pytest.fixture
def test_procedures(tmp_path, settings):
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "test-relocation.yaml").write_text(RELOCATION, encoding="utf-8")
    settings.PROCEDURES_DIR = str(folder)
    _cached.cache_clear()
    yield folder
    _cached.cache_clear()


def test_prm_05_prm_06_prm_10_apply_in_the_browser(
    page, test_procedures, tmp_path, solve_robot_check, assert_accessible, switch_language
):
    """PRM-05, PRM-06, PRM-10: eligibility, form, uploads, fee, declaration, submission and
    the timeline, accessible in Thai and in English."""
    member = MemberFactory(verified=True)
    row = make_factory(member)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    page.goto(f"/factories/{row.pk}/")
    page.get_by_test_id("apply").click()
    page.wait_for_url(re.compile(r".*/applications/new/\?factory=\d+$"))
    expect(page.get_by_role("heading", name="ขออนุญาตย้ายเครื่องจักรทดสอบ")).to_be_visible()
    assert_accessible(page)
    page.get_by_test_id("start-test-relocation").click()
    page.wait_for_url("**/form/")
    assert_accessible(page)

    # "Continue" with nothing typed: the GOV.UK error summary, accessible.
    page.locator("button[name=continue]").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("รายการเครื่องจักร").fill("ปั๊มน้ำ; 10; 2\nเครื่องกลึง; 5")
    page.get_by_label("เหตุผล").fill("ปรับปรุงอาคารโรงงาน")
    page.locator("#id_until_0").select_option("30")
    page.locator("#id_until_1").select_option("6")
    page.locator("#id_until_2").fill("2570")
    page.get_by_label("มีแผนผังหรือไม่").select_option("yes")
    page.locator("button[name=continue]").click()
    page.wait_for_url("**/documents/")
    assert_accessible(page)
    for key in ("id_card", "plan"):
        upload = page.get_by_test_id(f"upload-{key}")
        upload.locator("input[type=file]").set_input_files(str(scan))
        upload.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator(f"section[aria-labelledby=doc-{key}] .badge-ok")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="ดำเนินการต่อ", exact=True).click()
    page.wait_for_url("**/declaration/")
    expect(page.get_by_test_id("fee-amount")).to_be_visible()
    assert "25" in page.get_by_test_id("fee").inner_text()  # 2 × 10 + 5 horsepower
    assert_accessible(page)
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านคำรับรองข้างต้นแล้ว")).check()
    page.get_by_role("button", name="ลงนามและยื่นคำขอ").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))

    application = Application.objects.get(applicant=member)
    expect(page.get_by_test_id("number")).to_have_text(application.number)
    expect(page.get_by_test_id("timeline")).to_contain_text("ตรวจสอบเอกสาร")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        str(application.current_due_on.year + 543)
    )
    assert_accessible(page)
    page.goto("/applications/")
    expect(page.get_by_text(application.number)).to_be_visible()
    assert_accessible(page)

    switch_language(page, "en")
    assert_accessible(page)
    page.goto(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Document check")
    assert_accessible(page)
    page.goto(f"/applications/new/?factory={row.pk}")
    assert_accessible(page)


def test_prm_08_prm_04_deficiency_and_extension_pages_in_the_browser(
    page, test_procedures, tmp_path, solve_robot_check, assert_accessible, switch_language
):
    """PRM-08, PRM-04: the deficiency record on the timeline, its page taking a file for the
    item and the sign-off; a granted period's extension request and a draft's withdrawal page;
    axe clean."""
    member = MemberFactory(verified=True)
    row = make_factory(member)
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    with transaction.atomic():
        clock.clock_pause(application, "deficiency")
        Application.objects.filter(pk=application.pk).update(state="deficient")
        DeficiencyRecord.objects.create(
            application=application,
            items=[{"document_key": "", "text": "หนังสือยินยอมให้ใช้สถานที่"}],
            deadline=timezone.localdate() + dt.timedelta(days=15),
            written_by=MemberFactory(),
        )
    scan = tmp_path / "consent.pdf"
    scan.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    page.goto(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("deficiency-open")).to_contain_text("หนังสือยินยอมให้ใช้สถานที่")
    assert_accessible(page)
    page.get_by_role("link", name="ส่งเอกสารที่ขาด").click()
    page.wait_for_url("**/deficiency/")
    assert_accessible(page)
    upload = page.get_by_test_id("upload-item_1")
    upload.locator("input[type=file]").set_input_files(str(scan))
    upload.locator("button[type=submit]").click()
    expect(page.locator(".badge-ok").first).to_be_visible()
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านคำรับรองข้างต้นแล้ว")).check()
    page.get_by_role("button", name="ลงนามและส่งเอกสาร").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))
    expect(page.get_by_test_id("state")).to_have_text("ยื่นแล้ว รอตรวจสอบเอกสาร")
    assert_accessible(page)

    # Granted for six months: the extension request, its form and its declaration.
    Application.objects.filter(pk=application.pk).update(
        state="decided",
        outcome="granted",
        result_key="granted",
        decided_at=timezone.now(),
        granted_from=timezone.localdate(),
        granted_until=timezone.localdate() + dt.timedelta(days=180),
    )
    page.reload()
    page.get_by_test_id("extend").click()
    page.wait_for_url("**/form/")
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    page.get_by_role("link", name="Withdraw this draft").click()
    page.wait_for_url("**/withdraw/")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the draft").click()
    page.wait_for_url("**/applications/")
    assert_accessible(page)
