"""PRM-02: the public citizen-manual pages, rendered from the procedure definitions."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, code):
    response = client.get(reverse("procedures:detail", kwargs={"procedure_code": code}))
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str, testid: str) -> int:
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, re.DOTALL).group(1)
    body = table.split("<tbody>")[1]
    return body.count("<tr")


def test_prm_02_list_in_thai_without_login(client):
    """PRM-02: the list of manuals is public, in Thai, linking each procedure."""
    response = client.get(reverse("procedures:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "คู่มือสำหรับประชาชน" in html
    for code in ("restart-after-stop", "machinery-relocation", "factory-licence"):
        assert reverse("procedures:detail", kwargs={"procedure_code": code}) in html
    assert "การแจ้งเริ่มประกอบกิจการหลังหยุดดำเนินงานติดต่อกันเกินกว่าหนึ่งปี" in html
    assert "15 วันทำการ" in html


def test_prm_02_list_in_english(client):
    """PRM-02: the same list in English."""
    html = english(client).get(reverse("procedures:list")).content.decode()
    assert "Citizen manuals" in html
    assert "Temporary relocation of part of the machinery" in html
    assert "15 working days" in html and "30 days" in html


def test_prm_02_prm_04_relocation_manual_in_thai(client):
    """PRM-02, PRM-04: sections in the manual's order, 21 documents in one table, 3 steps and
    15 working days, the fee table's 19 lines from billing, 5 complaint channels."""
    html = page(client, "machinery-relocation")
    order = [
        "ชื่อกระบวนงาน",
        "หน่วยงานเจ้าของกระบวนงาน",
        "หมวดหมู่ของงานบริการ",
        "กฎหมายที่ให้อำนาจการอนุญาต",
        "ระดับผลกระทบ",
        "พื้นที่ให้บริการ",
        "ระยะเวลาที่กำหนดตามกฎหมาย",
        "ข้อมูลสถิติ",
        "ชื่ออ้างอิงของคู่มือประชาชน",
        "ช่องทางการให้บริการ",
        "หลักเกณฑ์ วิธีการ เงื่อนไข",
        "ขั้นตอน ระยะเวลา และส่วนงานที่รับผิดชอบ",
        "รายการเอกสารหลักฐานประกอบการยื่นคำขอ",
        "ค่าธรรมเนียม",
        "ช่องทางการร้องเรียน",
        "แบบฟอร์ม ตัวอย่าง และคู่มือการกรอก",
    ]
    positions = [html.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert rows(html, "documents-all") == 21
    assert rows(html, "steps") == 3
    assert "ระยะเวลาดำเนินการรวม: 15 วันทำการ" in html
    assert rows(html, "fees") == 19
    assert "60,000.00" in html and "ตั้งแต่ 6,000 แรงม้าขึ้นไป" in html
    assert html.count("<li><strong>", html.index('data-testid="complaints"')) >= 5
    assert "อนุสัญญาแรมซาร์" in html
    assert "ไม่ได้ระบุไว้ในคู่มือ" in html  # no statistics section in this manual
    assert "ใช้ในกรณียื่นเอกสารในนามนิติบุคคล" in html
    assert "ไม่มีแบบฟอร์ม ตัวอย่าง และคู่มือการกรอก" in html


def test_prm_02_prm_03_restart_manual_in_thai(client):
    """PRM-02, PRM-03: 15.1 with 9 and 15.2 with 2 documents, 30 days, 20 fee lines from 150 to
    18,000 baht, the statistics as published (0)."""
    html = page(client, "restart-after-stop")
    assert rows(html, "documents-identity") == 9
    assert rows(html, "documents-other") == 2
    assert html.index("15.1") < html.index("15.2")
    assert "ระยะเวลาดำเนินการรวม: 30 วัน" in html
    assert rows(html, "fees") == 20
    assert "ไม่ใช้เครื่องจักร" in html and "150.00" in html and "18,000.00" in html
    assert "จำนวนเฉลี่ยต่อเดือน 0" in html
    assert "ต้องยื่น กรณีผู้ขอเป็นนิติบุคคล" in html
    assert "ต้องยื่น กรณีมีการมอบอำนาจ" not in html  # the manual's own note says it already
    assert html.count("กรณีมีการมอบอำนาจ") == 6
    assert "พระราชบัญญัติโรงงาน พ.ศ. 2535 มาตรา 33 วรรคสอง" in html


def test_prm_02_prm_05_licence_manual_in_english(client):
    """PRM-02, PRM-05: in English; the licence table billing ships is incomplete, and the page
    says the amount is worked out by the agency."""
    html = page(english(client), "factory-licence")
    assert "Factory licence request (ร.ง.4)" in html
    assert "at most 500 horsepower" in html
    assert "Only some lines of this fee table are known" in html
    assert "No machinery" in html and "145,000.00" in html
    assert "e-License user guide" in html


def test_prm_02_relocation_manual_in_english(client):
    """PRM-02: the English manual: steps, units and document tables in English."""
    html = page(english(client), "machinery-relocation")
    assert "Engineering and legal review" in html
    assert "Time in all: 15 working days" in html
    assert "Needed when a power of attorney is given" in html
    assert "From 5 HP to under 20 HP" in html
    assert "Not stated in the manual" in html


def test_prm_02_unknown_procedure_is_404(client):
    """PRM-02: a code with no definition."""
    response = client.get(reverse("procedures:detail", kwargs={"procedure_code": "nothing"}))
    assert response.status_code == 404


def test_prm_02_printable(client):
    """PRM-02: the page links its print stylesheet and offers a print button."""
    html = page(client, "restart-after-stop")
    assert "permits/manual.css" in html
    assert "data-print" in html and "core/js/print.js" in html


def test_prm_02_linked_from_the_services_menu_and_the_footer(client):
    """PRM-02: the services menu's Digital License section and every page's footer link the
    manuals."""
    html = client.get(reverse("services:index")).content.decode()
    licence_section = html[html.index('id="cat-license"') :]
    assert reverse("procedures:list") in licence_section.split("</section>")[0]
    footer = html[html.index('class="site-footer"') :]
    assert reverse("procedures:list") in footer
