import datetime as dt

from django.db import transaction
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.operators.models import Holding
from tests.e2e.helpers import login, officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory, make_pid
from tests.factories import make_tax_id as tax_id

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def choose_kind(page, label):
    page.goto("/businesses/add/")
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name="ถัดไป").click()


def test_biz_01_to_biz_07_add_a_business_of_every_kind(
    page,
    browser,
    live_server,
    world,
    tmp_path,
    solve_robot_check,
    assert_accessible,
    switch_language,
):
    """BIZ-01, BIZ-07: To add a business of every kind."""
    member = MemberFactory()
    another = world.add_citizen(laser_code="AB1-2345678-90", first_name_th="ประยูร")
    director = make_pid()
    company = world.add_juristic_person(
        directors=[
            {"pid": director, "name_th": "นายกรรมการ", "nationality": "TH", "can_sign": True}
        ]
    )
    foreign = world.add_juristic_person(
        directors=[
            {
                "passport_no": "JP7654321",
                "name_en": "Ken Sato",
                "nationality": "JP",
                "can_sign": True,
            }
        ],
        name_th="บริษัท ต่างชาติ จำกัด",
    )
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative)
    document = tmp_path / "document.pdf"
    document.write_bytes(PDF)

    # BIZ-01: the first login opens "add business" by itself.
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    assert page.url.endswith("/businesses/add/")
    assert page.locator(".steps [aria-current=step]").inner_text().strip().startswith("1")
    assert_accessible(page)
    # Natural person, myself.
    page.get_by_role("radio", name="บุคคลธรรมดา", exact=True).check()
    page.get_by_role("button", name="ถัดไป").click()
    assert_accessible(page)
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()
    assert_accessible(page)
    # Natural person, another person by ID and laser code.
    choose_kind(page, "บุคคลธรรมดา")
    page.get_by_role("radio", name="บุคคลอื่น").check()
    page.locator("#id_pid").fill(another["pid"])
    page.locator("#id_laser_code").fill("AB1-2345678-91")
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(
        page.locator("#id_laser_code_error")
    ).to_be_visible()  # wrong code: said beside the field
    assert page.locator("#id_pid").input_value() == another["pid"]  # what was typed is kept
    page.locator("#id_laser_code").fill("AB1-2345678-90")
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    assert "ประยูร" in page.locator("main").inner_text()
    # Juristic person by a Thai director's ID: which directors it has is a question of its own.
    choose_kind(page, "นิติบุคคล (กรมพัฒนาธุรกิจการค้า)")
    assert page.locator("#id_juristic_id").count() == 0
    assert_accessible(page)
    page.get_by_role("radio", name="มีกรรมการสัญชาติไทยอย่างน้อย 1 ท่าน").check()
    page.get_by_role("button", name="ถัดไป").click()
    page.locator("#id_juristic_id").fill(company["juristic_id"])
    page.locator("#id_director_pid").fill(director)
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()
    # Juristic person with only foreign directors, by passport.
    choose_kind(page, "นิติบุคคล (กรมพัฒนาธุรกิจการค้า)")
    page.get_by_role("radio", name="กรรมการทุกท่านเป็นชาวต่างชาติ").check()
    page.get_by_role("button", name="ถัดไป").click()
    page.locator("#id_juristic_id").fill(foreign["juristic_id"])
    # The date as everywhere: day and month chosen, the year typed in the Buddhist era.
    valid_until = dt.date.today() + dt.timedelta(days=200)
    page.locator("#id_expires_on_0").select_option(str(valid_until.day))
    page.locator("#id_expires_on_1").select_option(str(valid_until.month))
    page.locator("#id_expires_on_2").fill(str(valid_until.year + 543))
    page.locator("#id_document").set_input_files(str(document))
    assert_accessible(page)
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator(".alert-warning")).to_be_visible()
    # Juristic person under other laws (0994), group of persons, other: by document.
    for label, prefix in [
        ("นิติบุคคลที่จัดตั้งตามกฎหมายอื่น", "0994"),
        ("คณะบุคคล", "3101"),
        ("อื่น ๆ", "3102"),
    ]:
        choose_kind(page, label)
        page.locator("#id_tax_id").fill(tax_id(prefix))
        page.locator("#id_name_th").fill(f"{label} ทดสอบ")
        page.locator("#id_document").set_input_files(str(document))
        page.get_by_role("button", name="เพิ่มกิจการ").click()
        expect(page.locator(".alert-warning")).to_be_visible()
    # Community enterprise by its representative's ID.
    choose_kind(page, "วิสาหกิจชุมชน")
    page.locator("#id_registration_no").fill(enterprise["registration_no"])
    page.locator("#id_representative_pid").fill(representative)
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()

    page.goto("/businesses/")
    assert page.locator("tbody tr").count() == 8
    switch_language(page, "en")
    assert_accessible(page)
    page.get_by_role("link", name=company["name_th"]).click()
    assert_accessible(page)
    switch_language(page, "th")

    # The demo officer verifies the documents of the 0994 business.
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(member=officer, agency="OPS", permissions=["operators.verify_holding"])
    desk_context = browser.new_context(base_url=live_server.url)
    desk = desk_context.new_page()
    officer_login(desk, solve_robot_check, officer, DEFAULT_PASSWORD)
    desk.goto("/backoffice/")
    desk.get_by_role("link", name="กิจการที่รอตรวจสอบ").click()
    assert_accessible(desk)
    desk.locator("tr", has_text="นิติบุคคลที่จัดตั้งตามกฎหมายอื่น ทดสอบ").get_by_role("link").click()
    assert_accessible(desk)
    desk.get_by_role("radio", name="ยืนยันแล้ว").check()
    desk.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    expect(desk.locator(".alert-success")).to_be_visible()
    desk_context.close()
    assert Holding.objects.filter(member=member, status="verified").count() == 5
