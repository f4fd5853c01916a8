"""FAC-01 to FAC-05 in the browser: add two factories at once, filter the list by business,
open the detail (accessible in Thai and English), search by the old number, remove one."""

import re

from playwright.sync_api import expect

from portal.operators import services
from portal.operators.models import FactoryHolding
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, MemberFactory, make_pid


def test_fac_01_to_05_add_two_filter_detail_search_and_remove(
    page, world, solve_robot_check, assert_accessible, switch_language
):
    """FAC-01: To 05 add two filter detail search and remove."""
    member = MemberFactory()
    own = services.business_add_myself(member=member)
    director = make_pid()
    company = world.add_juristic_person(
        directors=[{"pid": director, "name_th": "นายกรรมการ", "nationality": "TH"}]
    )
    juristic = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    fruit = world.add_factory(
        operator_id=member.national_id,
        name_th="โรงงานแปรรูปผลไม้สมชาย",
        factory_no_old="3-1(3)-25/47ชบ",
    )
    rice = world.add_factory(
        operator_id=member.national_id,
        name_th="โรงสีข้าวสมชาย",
        status="temporarily_stopped",
        licence="ror_ngor_2",
        factory_class=2,
    )
    world.add_factory(operator_id=member.national_id, name_th="โรงงานที่เลิกแล้ว", status="closed")
    world.add_factory(
        operator_id=company["juristic_id"],
        name_th="โรงงานของบริษัท",
        address={"province": "กรุงเทพมหานคร", "district": "บางซื่อ"},
        supervisor="DIW",
    )

    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)

    # FAC-01: choose the business, check with DIW, choose two factories at once.
    page.goto("/factories/add/")
    assert_accessible(page)
    page.get_by_label(own.business.display_name).check()
    page.get_by_role("button", name="ตรวจสอบกับกรมโรงงานอุตสาหกรรม").click()
    page.wait_for_url(f"**/factories/add/{own.pk}/")
    expect(page.get_by_role("cell", name="โรงงานที่เลิกแล้ว")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("โรงงานแปรรูปผลไม้สมชาย", exact=False).check()
    page.get_by_label("โรงสีข้าวสมชาย", exact=False).check()
    page.get_by_role("button", name="เพิ่มโรงงานที่เลือก").click()
    page.wait_for_url("**/factories/add/done/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="โรงงานแปรรูปผลไม้สมชาย")).to_be_visible()
    expect(page.get_by_role("link", name="โรงสีข้าวสมชาย")).to_be_visible()

    # The company's factory too, so that the filter has something to leave out.
    page.goto("/factories/add/")
    page.get_by_label(juristic.business.display_name).check()
    page.get_by_role("button", name="ตรวจสอบกับกรมโรงงานอุตสาหกรรม").click()
    page.get_by_label("โรงงานของบริษัท", exact=False).check()
    page.get_by_role("button", name="เพิ่มโรงงานที่เลือก").click()
    page.wait_for_url("**/factories/add/done/")

    # FAC-02: the list, filtered by business.
    page.locator("main").get_by_role("link", name="โรงงานของฉัน").click()
    page.wait_for_url("**/factories/")
    assert page.locator("tbody tr").count() == 3
    page.get_by_label("กิจการ", exact=True).select_option(str(own.pk))
    page.get_by_role("button", name="แสดง", exact=True).click()
    page.wait_for_url(re.compile(rf".*/factories/\?business={own.pk}$"))
    assert page.locator("tbody tr").count() == 2
    assert page.get_by_role("link", name="โรงงานของบริษัท").count() == 0
    assert_accessible(page)

    # FAC-03, FAC-04: the detail, in Thai and in English.
    page.get_by_role("link", name="โรงงานแปรรูปผลไม้สมชาย").click()
    expect(page.get_by_role("heading", level=1, name="โรงงานแปรรูปผลไม้สมชาย")).to_be_visible()
    expect(page.get_by_text("สำนักงานอุตสาหกรรมจังหวัดชลบุรี").first).to_be_visible()
    expect(page.get_by_text("3-1(3)-25/47ชบ")).to_be_visible()
    assert_accessible(page)
    switch_language(page, "en")
    expect(
        page.get_by_role("heading", name="Who to contact when the data is wrong")
    ).to_be_visible()
    expect(page.get_by_text("Provincial Industry Office", exact=False).first).to_be_visible()
    assert_accessible(page)

    # FAC-04: search by the old number, typed with Thai digits and spaces.
    page.goto("/factories/")
    page.get_by_role("link", name="Search factories").click()
    assert_accessible(page)
    page.get_by_label("Factory registration number, old number", exact=False).fill(
        "3-1(3)-๒๕ / ๔๗ชบ"
    )
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("tbody tr")
    assert results.count() == 1
    expect(results.first.get_by_text(fruit["factory_no"])).to_be_visible()
    assert_accessible(page)

    # FAC-05: remove one; the other stays.
    results.first.get_by_role("link", name="โรงงานแปรรูปผลไม้สมชาย").click()
    page.get_by_role("link", name="Remove this factory").click()
    expect(page.get_by_text("not a notice of closure or stop", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove from my profile").click()
    page.wait_for_url("**/factories/")
    expect(page.get_by_role("status").get_by_text("was not notified", exact=False)).to_be_visible()
    assert page.get_by_role("link", name="โรงงานแปรรูปผลไม้สมชาย").count() == 0
    expect(page.get_by_role("link", name="โรงสีข้าวสมชาย")).to_be_visible()
    active = FactoryHolding.objects.filter(member=member, removed_at__isnull=True)
    assert {r.factory.factory_no for r in active} == {
        rice["factory_no"],
        world.factories[3]["factory_no"],
    }
