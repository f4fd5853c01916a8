import io

from PIL import Image
from playwright.sync_api import expect

from portal.accounts.models import Member
from tests.e2e.helpers import last_code, login
from tests.factories import DEFAULT_PASSWORD, MemberFactory


def test_acc_13_acc_14_settings_with_otp_verification_and_password_change(
    page, tmp_path, solve_robot_check, assert_accessible, switch_language
):
    """ACC-13, ACC-14: Settings with OTP verification and password change."""
    member = MemberFactory()  # mobile and email not yet verified
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.locator("header").get_by_role("link", name="ตั้งค่าข้อมูลสมาชิก").click()
    assert_accessible(page)
    assert page.locator(".badge-warn").count() == 2
    # Verify the mobile by the code sent to it.
    page.locator("main").get_by_role("link", name="ยืนยัน", exact=False).first.click()
    page.get_by_role("button", name="ส่งรหัส", exact=False).click()
    assert_accessible(page)
    page.locator("#id_code").fill(last_code(page, member.mobile))
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    assert page.locator(".badge-ok").count() == 1
    # A new email counts once its code is typed.
    page.locator("main").get_by_role("link", name="ยืนยัน", exact=False).first.click()
    page.locator("#id_email").fill("verified@example.com")
    page.get_by_role("button", name="ส่งรหัส", exact=False).click()
    page.locator("#id_code").fill(last_code(page, "verified@example.com"))
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    assert page.locator(".badge-ok").count() == 2
    # Profile, privacy and picture.
    page.locator("#id_position").fill("ผู้จัดการฝ่ายผลิต")
    page.locator("#id_line_id").fill("factory-line")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    picture = tmp_path / "me.jpg"
    Image.new("RGB", (800, 600), "navy").save(picture, format="JPEG")
    page.locator("#id_avatar").set_input_files(str(picture))
    page.get_by_role("button", name="อัปโหลด", exact=False).click()
    expect(page.locator("img.avatar-lg")).to_be_visible()
    switch_language(page, "en")
    assert_accessible(page)
    # Change the password: the current one first, then the new one twice.
    page.get_by_role("link", name="Change password").click()
    assert_accessible(page)
    page.locator("#id_current_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password1").fill("Changed#2569")
    page.locator("#id_password2").fill("Changed#2569")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/accounts/settings/")
    member.refresh_from_db()
    assert member.check_password("Changed#2569")
    assert member.position == "ผู้จัดการฝ่ายผลิต" and member.email_verified
    image = Image.open(io.BytesIO(member.avatar.read()))
    assert image.size == (256, 256)


def test_acc_15_close_account_then_registering_again_is_refused(
    page, world, solve_robot_check, assert_accessible
):
    """ACC-15: Close account then registering again is refused."""
    from tests.accounts.helpers import registration_data  # the same data a person types

    citizen = world.add_citizen()
    member = MemberFactory(
        pid=citizen["pid"], first_name=citizen["first_name_th"], last_name=citizen["last_name_th"]
    )
    login(page, solve_robot_check, member.national_id, DEFAULT_PASSWORD)
    page.goto("/accounts/settings/")
    page.get_by_role("link", name="ปิดการใช้งานบัญชี").click()
    assert_accessible(page)
    page.locator("#id_reason").select_option("no_longer_needed")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="ปิด", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    assert Member.objects.get(pk=member.pk).status == "closed"
    # Registering the same ID again is refused beside the ID field.
    page.goto("/accounts/register/")
    page.get_by_label("ข้าพเจ้าได้อ่าน", exact=False).check()
    page.get_by_role("button", name="ถัดไป").click()
    radios = page.get_by_role("radio", name="ยินยอม", exact=True)
    for index in range(radios.count()):
        radios.nth(index).check()
    page.get_by_role("button", name="ถัดไป").click()
    data = registration_data(citizen)
    for field in (
        "national_id",
        "first_name",
        "last_name",
        "birth_year_be",
        "password1",
        "password2",
    ):
        page.locator(f"#id_{field}").fill(data[field])
    page.locator("#id_birth_day").select_option(data["birth_day"])
    page.locator("#id_birth_month").select_option(data["birth_month"])
    page.get_by_role("button", name="ลงทะเบียน", exact=True).last.click()
    expect(page.locator("#id_national_id_error")).to_be_visible()
    assert Member.objects.count() == 1
    # And the login says the account is closed.
    page.goto("/accounts/login/")
    page.locator("#id_national_id").fill(citizen["pid"])
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    solve_robot_check(page)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator(".alert-error")).to_be_visible()
