import datetime as dt

from django.db import transaction
from playwright.sync_api import expect

from portal.backoffice.services import officer_appoint
from portal.operators.models import Holding
from tests.e2e.helpers import login, officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory, make_pid
from tests.factories import make_tax_id as tax_id
from tests.operators.helpers import add_taxpayers, taxpayer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


FOREIGN_ROUTE = "ยืนยันด้วยหนังสือเดินทางหรือใบอนุญาตทำงานในประเทศไทยของกรรมการชาวต่างชาติ"
RD_DOCUMENT = "เอกสารที่ออกโดยกรมสรรพากรซึ่งระบุเลขประจำตัวผู้เสียภาษี เช่น ภ.พ.20 หรือบัตรประจำตัวผู้เสียภาษีอากร"


def look_up(page, number):
    """BIZ-06, BIZ-07, SSO-02: the number is checked at the register before anything else."""
    page.locator("#id_number").fill(number)
    page.get_by_role("button", name="ตรวจสอบข้อมูล").click()
    expect(page.locator("#id_number")).to_have_count(0)


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
    page.get_by_role("radio", name="ยืนยันด้วยเลขประจำตัวประชาชนของกรรมการสัญชาติไทย").check()
    page.get_by_role("button", name="ถัดไป").click()
    page.locator("#id_juristic_id").fill(company["juristic_id"])
    page.locator("#id_director_pid").fill(director)
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()
    # Juristic person with only foreign directors, by passport.
    choose_kind(page, "นิติบุคคล (กรมพัฒนาธุรกิจการค้า)")
    page.get_by_role("radio", name=FOREIGN_ROUTE).check()
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
    # Juristic person under other laws (0994), group of persons, other: looked up first, the
    # register knows none of these numbers: typed, by document.
    for label, prefix in [
        ("นิติบุคคลที่จัดตั้งตามกฎหมายอื่น", "0994"),
        ("คณะบุคคล", "3101"),
        ("อื่น ๆ", "3102"),
    ]:
        choose_kind(page, label)
        look_up(page, tax_id(prefix))
        page.locator("#id_name_th").fill(f"{label} ทดสอบ")
        page.get_by_role("radio", name=RD_DOCUMENT).check()
        page.locator("#id_document").set_input_files(str(document))
        page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
        expect(page.locator(".alert-warning")).to_be_visible()
    # Community enterprise by its representative's ID.
    choose_kind(page, "วิสาหกิจชุมชน")
    look_up(page, representative)
    expect(page.get_by_role("radio", name=enterprise["name_th"])).to_be_checked()
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


def test_biz_05_biz_06_biz_07_the_reworked_kinds_as_the_manual_describes(
    page, world, tmp_path, solve_robot_check, assert_accessible
):
    """BIZ-05, BIZ-06, BIZ-07, SSO-02 in the browser: a company with Thai directors on a
    foreign director's passport; other laws found in the Revenue Department's register (names
    and branch filled in) and typed when it has nothing; a community enterprise by its
    representative's ID, under other laws with its certificate, and as a natural person."""
    member = MemberFactory()
    both = world.add_juristic_person(
        directors=[
            {"pid": make_pid(), "name_th": "นายไทย", "nationality": "TH", "can_sign": True},
            {"passport_no": "JP1111111", "name_en": "Ken", "nationality": "JP", "can_sign": True},
        ],
        name_th="บริษัท ไทยญี่ปุ่น จำกัด",
    )
    cooperative = tax_id()
    add_taxpayers(
        world,
        taxpayer(cooperative, name_th="สหกรณ์โคนมทดสอบ จำกัด"),
        taxpayer(cooperative, "00001", name_th="สหกรณ์โคนมทดสอบ จำกัด สาขาหนองโพ"),
    )
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative)
    owner = world.add_citizen(laser_code="AB1-2345678-90", first_name_th="บุญมี")
    world.add_community_enterprise(representative_pid=owner["pid"], name_th="วิสาหกิจชุมชนบุญมี")
    document = tmp_path / "document.pdf"
    document.write_bytes(PDF)
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    # BIZ-05: Thai directors whose IDs the member does not know: the foreign director's passport.
    choose_kind(page, "นิติบุคคล (กรมพัฒนาธุรกิจการค้า)")
    assert_accessible(page)
    page.get_by_role("radio", name=FOREIGN_ROUTE).check()
    page.get_by_role("button", name="ถัดไป").click()
    page.locator("#id_juristic_id").fill(both["juristic_id"])
    valid_until = dt.date.today() + dt.timedelta(days=90)
    page.locator("#id_expires_on_0").select_option(str(valid_until.day))
    page.locator("#id_expires_on_1").select_option(str(valid_until.month))
    page.locator("#id_expires_on_2").fill(str(valid_until.year + 543))
    page.locator("#id_document").set_input_files(str(document))
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator(".alert-warning")).to_be_visible()
    expect(page.locator("main")).to_contain_text("บริษัท ไทยญี่ปุ่น จำกัด")

    # BIZ-06: found in the register: names and branches shown, the branch picked, any
    # government document accepted, the refused ones named.
    choose_kind(page, "นิติบุคคลที่จัดตั้งตามกฎหมายอื่น")
    assert_accessible(page)
    look_up(page, cooperative)
    expect(page.locator("main")).to_contain_text("สหกรณ์โคนมทดสอบ จำกัด")
    expect(page.get_by_test_id("documents-accepted")).to_contain_text("ร.ง.4")
    expect(page.locator("#id_name_th")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("radio", name="สาขา 00001 (00001): สหกรณ์โคนมทดสอบ จำกัด สาขาหนองโพ").check()
    page.get_by_role(
        "radio", name="เอกสารอื่นที่ออกโดยหน่วยงานราชการซึ่งระบุเลขประจำตัวผู้เสียภาษีอากร 13 หลัก"
    ).check()
    page.locator("#id_document").set_input_files(str(document))
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator(".alert-warning")).to_be_visible()
    expect(page.locator("main")).to_contain_text("สหกรณ์โคนมทดสอบ จำกัด สาขาหนองโพ")

    # BIZ-06: not in the register: typed (key-in); a missing choice is said beside it.
    choose_kind(page, "นิติบุคคลที่จัดตั้งตามกฎหมายอื่น")
    look_up(page, tax_id())
    page.locator("#id_name_th").fill("องค์การทดสอบ")
    page.locator("#id_document").set_input_files(str(document))
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator("#id_document_kind_error")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name=RD_DOCUMENT).check()
    page.locator("#id_document").set_input_files(str(document))
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator(".alert-warning")).to_be_visible()

    # BIZ-07: by the representative's ID, which DOAE lists: verified at once.
    choose_kind(page, "วิสาหกิจชุมชน")
    assert_accessible(page)
    look_up(page, representative)
    assert_accessible(page)
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()
    expect(page.locator("main")).to_contain_text(enterprise["name_th"])
    # BIZ-08: its phone number alone is changed: nothing else is asked.
    page.get_by_role("link", name="เปิดดูกิจการ").click()
    assert_accessible(page)
    page.locator("#id_phone").fill("02 123 4567")
    page.get_by_role("button", name="บันทึกช่องทางติดต่อ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_value("02 123 4567")

    # BIZ-07 under other laws: the representative's ID DOAE does not list, with the
    # enterprise's registration certificate; an officer checks it.
    choose_kind(page, "นิติบุคคลที่จัดตั้งตามกฎหมายอื่น")
    look_up(page, make_pid())
    page.locator("#id_name_th").fill("วิสาหกิจชุมชนบ้านทดสอบ")
    page.get_by_role("radio", name="เอกสารทะเบียนวิสาหกิจชุมชน").check()
    page.locator("#id_document").set_input_files(str(document))
    assert_accessible(page)
    page.get_by_role("button", name="ส่งให้เจ้าหน้าที่ตรวจสอบ").click()
    expect(page.locator(".alert-warning")).to_be_visible()

    # BIZ-07 as a natural person: the representative by ID and laser code; the enterprise's
    # name, as DOAE registered it, is offered beside the person's own.
    choose_kind(page, "บุคคลธรรมดา")
    page.get_by_role("radio", name="บุคคลอื่น").check()
    page.locator("#id_pid").fill(owner["pid"])
    page.locator("#id_laser_code").fill("AB1-2345678-90")
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.get_by_text("เป็นผู้แทนวิสาหกิจชุมชน")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="วิสาหกิจชุมชนบุญมี").check()
    page.get_by_role("button", name="เพิ่มกิจการ").click()
    expect(page.locator(".badge-ok")).to_be_visible()
    expect(page.get_by_text("วิสาหกิจชุมชนบุญมี").first).to_be_visible()

    page.goto("/businesses/")
    expect(page.locator("tbody tr")).to_have_count(6)
    assert_accessible(page)
