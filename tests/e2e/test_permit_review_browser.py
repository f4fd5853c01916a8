"""PRM-08, PRM-09, ADM-02 in a browser: an officer finds an application in the queue, writes a
deficiency record, and once the applicant has supplied the documents (the applicant's service,
done here directly) accepts them, approves for six months after confirming, and downloads the
signed letter; every page axe-clean in Thai and in English."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone, translation
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.documents.signing import check_signed_pdf
from portal.permits.models import Application
from tests.e2e.helpers import officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory
from tests.permits.officer_helpers import DECIDE, REVIEW, procedures_dir, submit  # noqa: F401
from tests.permits.test_review_services import supply

pytestmark = pytest.mark.usefixtures("procedures_dir")
State = Application.State


def _thai(text) -> str:
    with translation.override("th"):
        return str(text)


def _fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_0").select_option(str(day.day))
    page.locator(f"#id_{prefix}_1").select_option(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year + 543))


def test_prm_08_prm_09_an_officer_asks_for_a_document_then_approves(
    page, solve_robot_check, assert_accessible, switch_language
):
    """PRM-08: the deficiency record lists what is missing and pauses the clock; PRM-09: the
    approval is confirmed, the letter is signed and downloads; ADM-02: from the queue."""
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(member=officer, agency="DIW", permissions=[REVIEW, DECIDE])
    application = submit()

    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    page.goto("/backoffice/")
    assert_accessible(page)
    page.get_by_role("link", name="คำขออนุญาต", exact=True).click()
    page.wait_for_url("**/backoffice/permits/")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("link", name=application.number).click()
    page.wait_for_url(f"**/backoffice/permits/{application.pk}/")
    assert_accessible(page)

    # The deficiency record: nothing listed is refused beside the field, then sent.
    page.get_by_role("button", name="ส่งบันทึกความบกพร่อง").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("แผนผัง").check()
    page.locator("#id_deficiency-details").fill("หนังสือมอบอำนาจไม่มีลายมือชื่อ")
    _fill_date(page, "deficiency-deadline", timezone.localdate() + dt.timedelta(days=15))
    page.get_by_role("button", name="ส่งบันทึกความบกพร่อง").click()
    expect(page.get_by_test_id("application-state")).to_have_text(_thai(State.DEFICIENT.label))
    assert_accessible(page)
    application.refresh_from_db()
    assert application.clock_paused
    assert len(application.deficiencies.get().items) == 2

    supply(application)  # the applicant supplied the documents (h11apply's service)
    page.reload()
    page.get_by_role("button", name="รับเอกสาร").click()
    expect(page.get_by_test_id("application-state")).to_have_text(_thai(State.IN_REVIEW.label))
    page.get_by_role("button", name="เสร็จขั้นตอนและเริ่มขั้นตอนถัดไป").click()
    expect(page.locator("input[name='decide-decision'][value='approve']")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name='decide-decision'][value='approve']").check()
    until = timezone.localdate() + dt.timedelta(days=182)
    _fill_date(page, "decide-granted_until", until)
    page.locator("#id_decide-conditions").fill("ใช้เครื่องจักรเฉพาะในเวลาทำการ")
    page.get_by_role("button", name="ดำเนินการต่อ").click()
    expect(page.get_by_test_id("confirm-decision")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.get(pk=application.pk).state == "in_review"
    page.get_by_role("button", name="ลงนามและส่งหนังสือ").click()
    expect(page.get_by_test_id("letter-link")).to_be_visible()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.outcome == "granted" and application.granted_until == until

    with page.expect_download() as download:
        page.get_by_test_id("letter-link").click()
    with open(download.value.path(), "rb") as letter:
        assert check_signed_pdf(letter.read()).valid

    switch_language(page, "en")
    expect(page.get_by_test_id("outcome")).to_contain_text("Granted")
    assert_accessible(page)
    page.goto("/backoffice/permits/statistics/")
    assert_accessible(page)
    page.goto("/procedures/test-relocation/statistics/")
    assert_accessible(page)
