"""Issue 11's journeys in a browser, on the shipped citizen manuals (procedures/*.yaml):

- an applicant applies for each of the three procedures (PRM-03, PRM-04, PRM-05), the form
  filled from the definition's own questions and every document of its checklist uploaded;
- a member with a business and no factory applies for a new factory's licence (PRM-05), routed
  by the province they answered (ADM-01);
- "done when": a person applies for the temporary relocation of machinery of a factory in their
  profile, an officer asks for a missing document, the person supplies it, the officer approves
  for six months, the person downloads the signed letter, checks it on the verification page and
  later asks for an extension (PRM-04, PRM-08, PRM-09, PRM-10).
"""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.documents.signing import check_signed_pdf
from portal.operators.models import Factory
from portal.permits.definitions import procedure
from portal.permits.models import Application
from tests.e2e.helpers import login, officer_login
from tests.factories import DEFAULT_PASSWORD, DiwFactoryFactory, HoldingFactory, MemberFactory
from tests.permits.conftest import PDF, make_factory

# Answers a person would give, by field key, where any value of the kind would not do.
ANSWERS = {
    "machines": "เครื่องปั๊มน้ำ; 10; 2\nเครื่องกลึง; 5; 1",
    "period_days": "180",
    "destination_province": "ชลบุรี",
    "province": "ชลบุรี",
    "category": "53(5)",
    "horsepower": "120",
    "workers": "20",
}


def _fill_date(page, key: str, day: dt.date) -> None:
    page.locator(f"#id_{key}_0").select_option(str(day.day))
    page.locator(f"#id_{key}_1").select_option(str(day.month))
    page.locator(f"#id_{key}_2").fill(str(day.year + 543))


def _fill_form(page, code: str, province: str = "ชลบุรี") -> None:
    """Answer the definition's questions as the form shows them (PRM-05's self-assessment
    first: every answer that makes the activity a factory); a province question is answered
    `province`."""
    definition = procedure(code)
    for question in definition.self_assessment:
        page.locator(f"#id_self_assessment__{question.key}").select_option(question.factory_if)
    today = timezone.localdate()
    for field in definition.fields:
        target = page.locator(f"#id_{field.key}")
        if field.kind == "date":
            # A stop of more than a year ago (PRM-03); anything else from next month.
            when = today - dt.timedelta(days=500) if field.key == "stopped_on" else today
            _fill_date(page, field.key, when + dt.timedelta(days=30))
        elif field.kind == "choice":
            target.select_option(field.choices[0].value)
        elif field.kind == "province":
            target.select_option(province)
        elif field.kind == "boolean":
            continue  # the conditional documents' questions: "no"
        else:
            target.fill(ANSWERS.get(field.key, "ทดสอบ" if field.kind != "integer" else "10"))
    page.locator("button[name=continue]").click()
    page.wait_for_url("**/documents/")


def _upload_checklist(page, scan) -> None:
    keys = page.locator("[data-testid^=upload-]").evaluate_all(
        "sections => sections.map(s => s.dataset.testid)"
    )
    assert keys, "a checklist with documents to upload"
    for key in keys:
        upload = page.get_by_test_id(key)
        upload.locator("input[type=file]").set_input_files(str(scan))
        upload.locator("button[type=submit]").click()
        page.wait_for_load_state()
        document = key.removeprefix("upload-")
        expect(page.locator(f"section[aria-labelledby=doc-{document}] .badge-ok")).to_be_visible()


def _apply(page, row, code: str, scan, assert_accessible) -> Application:
    page.goto(f"/factories/{row.pk}/")
    page.get_by_test_id("apply").click()
    page.wait_for_url(re.compile(r".*/applications/new/\?factory=\d+$"))
    page.get_by_test_id(f"start-{code}").click()
    page.wait_for_url("**/form/")
    assert_accessible(page)
    _fill_form(page, code)
    _submit(page, scan, assert_accessible)
    application = Application.objects.get(procedure_code=code, factory=row.factory)
    expect(page.get_by_test_id("number")).to_have_text(application.number)
    expect(page.get_by_test_id("timeline")).to_contain_text(procedure(code).steps[0].name.th)
    assert_accessible(page)
    return application


def _submit(page, scan, assert_accessible) -> None:
    """From the documents page: the whole checklist uploaded, the declaration signed."""
    _upload_checklist(page, scan)
    assert_accessible(page)
    page.get_by_role("link", name="ดำเนินการต่อ", exact=True).click()
    page.wait_for_url("**/declaration/")
    assert_accessible(page)
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านคำรับรองข้างต้นแล้ว")).check()
    page.get_by_role("button", name="ลงนามและยื่นคำขอ").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))


@pytest.mark.parametrize("code", ["restart-after-stop", "machinery-relocation", "factory-licence"])
def test_prm_03_prm_04_prm_05_apply_for_each_shipped_procedure(
    code, page, tmp_path, solve_robot_check, assert_accessible
):
    """PRM-03, PRM-04, PRM-05: each shipped procedure can be applied for from a factory's
    page, through its own questions and its whole checklist, and lands at the document check
    of the office answering for the factory's province, with the declaration's hashes."""
    member = MemberFactory(verified=True)
    row = make_factory(member)
    if code == "restart-after-stop":  # a factory that notified its stop (PRM-03)
        Factory.objects.filter(pk=row.factory_id).update(status="temporarily_stopped")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    application = _apply(page, row, code, scan, assert_accessible)
    assert application.state == Application.State.SUBMITTED
    assert (application.agency, application.province) == ("PIO", "ชลบุรี")
    declaration = application.declarations.get()
    assert len(declaration.files) == application.files.count() > 0  # PRM-10


def test_prm_05_adm_01_a_new_factory_applies_from_its_business(
    page, tmp_path, solve_robot_check, assert_accessible
):
    """PRM-05, ADM-01: a member holding a business and no factory chooses "a new factory of" it,
    sees the factory licence open to them, answers its questions (a new factory, in Khon Kaen)
    and its checklist, and submits: the application has the business and no factory, and is
    routed to the Khon Kaen provincial industry office."""
    member = MemberFactory(verified=True)
    holding = HoldingFactory(member=member)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/applications/new/")
    page.get_by_test_id(f"new-factory-of-{holding.pk}").click()
    page.wait_for_url(re.compile(r".*/applications/new/\?business=\d+$"))
    expect(page.get_by_test_id("new-factory")).to_be_visible()
    expect(page.get_by_test_id("start-factory-licence")).to_be_visible()
    expect(page.get_by_test_id("start-machinery-relocation")).to_have_count(0)
    assert_accessible(page)
    page.get_by_test_id("start-factory-licence").click()
    page.wait_for_url("**/form/")
    expect(page.get_by_test_id("new-factory")).to_be_visible()
    expect(page.locator("#id_province")).to_contain_text("ขอนแก่น")
    assert_accessible(page)
    _fill_form(page, "factory-licence", province="ขอนแก่น")
    _submit(page, scan, assert_accessible)
    application = Application.objects.get(procedure_code="factory-licence")
    expect(page.get_by_test_id("number")).to_have_text(application.number)
    expect(page.get_by_test_id("new-factory")).to_be_visible()
    assert_accessible(page)
    assert application.state == Application.State.SUBMITTED
    assert application.business == holding.business and application.factory is None
    assert (application.agency, application.province) == ("PIO", "ขอนแก่น")


def test_prm_04_prm_08_prm_09_relocation_from_application_to_extension(
    page, browser, live_server, tmp_path, solve_robot_check, assert_accessible
):
    """PRM-04, PRM-08, PRM-09: applied for in the browser; the provincial officer lists a
    missing document; the applicant supplies it; the officer approves for six months; the
    applicant downloads the signed letter, finds it on the verification page, and asks for an
    extension before the period ends."""
    member = MemberFactory(verified=True)
    row = make_factory(member)
    # The DIW registry's mirror knows every supervised factory: the fee's bill is made from it.
    DiwFactoryFactory(factory_no=row.factory.factory_no)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    application = _apply(page, row, "machinery-relocation", scan, assert_accessible)

    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="PIO",
            province="ชลบุรี",
            permissions=["permits.review_application", "permits.decide_application"],
        )
    context = browser.new_context(
        base_url=live_server.url, locale="th-TH", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    desk = context.new_page()
    officer_login(desk, solve_robot_check, officer, DEFAULT_PASSWORD)
    desk.goto(f"/backoffice/permits/{application.pk}/")
    # One missing document, listed with a deadline (PRM-08).
    desk.get_by_label("แผนที่แสดงบริเวณที่ตั้งโรงงาน", exact=False).first.check()
    _fill_date(desk, "deficiency-deadline", timezone.localdate() + dt.timedelta(days=15))
    desk.get_by_role("button", name="ส่งบันทึกความบกพร่อง").click()
    expect(desk.get_by_test_id("application-state")).to_have_text("รอเอกสารที่ขาด")
    assert_accessible(desk)

    # The applicant sees what is missing and supplies it, signing it off (PRM-10).
    page.goto(f"/applications/{application.pk}/")
    expect(page.get_by_test_id("deficiency-open")).to_be_visible()
    page.get_by_role("link", name="ส่งเอกสารที่ขาด").click()
    page.wait_for_url("**/deficiency/")
    for key in page.locator("[data-testid^=upload-]").evaluate_all(
        "sections => sections.map(s => s.dataset.testid)"
    ):
        upload = page.get_by_test_id(key)
        upload.locator("input[type=file]").set_input_files(str(scan))
        upload.locator("button[type=submit]").click()
        page.wait_for_load_state()
    page.get_by_label(re.compile("ข้าพเจ้าได้อ่านคำรับรองข้างต้นแล้ว")).check()
    page.get_by_role("button", name="ลงนามและส่งเอกสาร").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/$"))

    # The officer accepts, moves to the review, approves for six months and signs.
    desk.reload()
    desk.get_by_role("button", name="รับเอกสาร").click()
    expect(desk.get_by_test_id("application-state")).to_have_text("อยู่ระหว่างพิจารณา")
    desk.locator("input[name='decide-decision'][value='approve']").check()
    until = timezone.localdate() + dt.timedelta(days=182)
    _fill_date(desk, "decide-granted_until", until)
    desk.get_by_role("button", name="ดำเนินการต่อ").click()
    expect(desk.get_by_test_id("confirm-decision")).to_be_visible()
    desk.get_by_role("button", name="ลงนามและส่งหนังสือ").click()
    expect(desk.get_by_test_id("letter-link")).to_be_visible()
    context.close()
    application.refresh_from_db()
    assert (application.outcome, application.granted_until) == ("granted", until)
    assert application.result_notified_at is not None  # PRM-09: told at once

    # The applicant downloads the signed letter and checks it on the verification page.
    page.goto(f"/applications/{application.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("ดาวน์โหลดหนังสือ")).click()
    with open(download.value.path(), "rb") as letter:
        assert check_signed_pdf(letter.read()).valid
    page.goto(f"/verify/{application.letter.code}/")
    expect(page.get_by_text(application.letter.number, exact=False).first).to_be_visible()
    assert_accessible(page)

    # Before the six months end, an extension request (PRM-04).
    page.goto(f"/applications/{application.pk}/")
    page.get_by_test_id("extend").click()
    page.wait_for_url("**/form/")
    assert_accessible(page)
    extension = Application.objects.get(extends=application)
    assert extension.state == Application.State.DRAFT
