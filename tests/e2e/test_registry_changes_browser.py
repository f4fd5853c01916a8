from playwright.sync_api import expect

from portal.operators import services
from portal.operators.models import HolderRemovalRequest, Holding
from tests.e2e.helpers import login
from tests.factories import DEFAULT_PASSWORD, HoldingFactory, MemberFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_sso_09_adm_02_confirm_registry_changes_and_ask_to_take_a_member_off(
    page, world, tmp_path, solve_robot_check, assert_accessible, switch_language
):
    """SSO-09, ADM-02: Confirm registry changes and ask to take a member off."""
    member = MemberFactory()
    company = world.add_juristic_person(
        directors=[
            {"pid": member.national_id, "name_th": "กรรมการ", "nationality": "TH", "can_sign": True}
        ]
    )
    holding = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=member.national_id
    )
    leaver = MemberFactory()
    HoldingFactory(member=leaver, business=holding.business, proof=Holding.Proof.DOCUMENT)
    world.juristic_persons[0]["name_th"] = "บริษัท ชื่อใหม่ทดสอบ จำกัด"
    world._write("juristic_persons.jsonl", world.juristic_persons)

    # SSO-09: the login lands on the changes to confirm.
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    assert page.url.endswith("/businesses/registry-changes/")
    assert "บริษัท ชื่อใหม่ทดสอบ จำกัด" in page.locator("main").inner_text()
    assert_accessible(page)
    switch_language(page, "en")
    assert_accessible(page)
    switch_language(page, "th")
    page.get_by_role("button", name="ยืนยันการเปลี่ยนแปลง").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # ADM-02: ask for another member to be taken off, on a director's letter.
    page.goto(f"/businesses/{holding.pk}/")
    page.get_by_role("link", name="ขอให้นำออก", exact=False).click()
    assert_accessible(page)
    page.locator("#id_reason").fill("ลาออกจากบริษัทแล้ว")
    page.get_by_role("button", name="ส่งคำขอ").click()
    expect(page.locator("#id_letter_error")).to_be_visible()  # no letter: said beside the field
    assert page.locator("#id_reason").input_value() == "ลาออกจากบริษัทแล้ว"  # kept
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF)
    page.locator("#id_letter").set_input_files(str(letter))
    page.get_by_role("button", name="ส่งคำขอ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert HolderRemovalRequest.objects.get().target.member == leaver
