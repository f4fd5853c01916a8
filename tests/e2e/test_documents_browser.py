"""The public verification page in a browser: a person types the code from a letter, sees
what was issued, uploads the real signed PDF (valid) and an altered one (not valid); axe
finds nothing, in Thai and in English."""

from portal.documents.models import DocumentKind
from portal.documents.services import document_issue, format_code
from tests.documents.helpers import letter_content


def _issue_letter():
    return document_issue(
        content=letter_content(),
        kind=DocumentKind.LETTER,
        number="อก 0301/99",
        subject_app="permits",
        subject_id="99",
    )


def test_verify_a_signed_letter_by_its_code_and_file(
    page, tmp_path, assert_accessible, switch_language
):
    letter = _issue_letter()
    genuine = tmp_path / "letter.pdf"
    genuine.write_bytes(letter.file.open("rb").read())
    data = bytearray(genuine.read_bytes())
    data[data.index(b"stream", 200) + 20] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(data))

    page.goto("/verify/")
    assert_accessible(page)
    page.get_by_label("รหัสตรวจสอบ").fill(format_code(letter.code).lower())
    page.get_by_role("button", name="ค้นหาเอกสาร").click()
    page.wait_for_url(f"**/verify/{letter.code}/")
    facts = page.get_by_test_id("document-facts")
    assert "หนังสือราชการ" in facts.inner_text()
    assert "อก 0301/99" in facts.inner_text()
    assert str(letter.issued_at.year + 543) in facts.inner_text()
    assert page.get_by_test_id("sha256").inner_text() == letter.sha256
    assert_accessible(page)

    page.get_by_label("ไฟล์ PDF ที่ท่านได้รับ").set_input_files(str(genuine))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_load_state()
    assert "ไฟล์นี้คือเอกสารฉบับนี้" in page.get_by_test_id("check-result").inner_text()
    assert_accessible(page)

    page.get_by_label("ไฟล์ PDF ที่ท่านได้รับ").set_input_files(str(altered))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_load_state()
    assert "ไฟล์นี้ไม่ใช่เอกสารฉบับนี้" in page.get_by_test_id("check-result").inner_text()
    assert_accessible(page)

    switch_language(page, "en")
    assert "Official letter" in page.get_by_test_id("document-facts").inner_text()
    assert_accessible(page)
    page.get_by_label("The PDF file you received").set_input_files(str(genuine))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert "The file is this document" in page.get_by_test_id("check-result").inner_text()
    assert_accessible(page)
    page.get_by_label("The PDF file you received").set_input_files(str(altered))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert "The file is not this document" in page.get_by_test_id("check-result").inner_text()
    assert_accessible(page)

    page.goto("/verify/")
    page.get_by_label("Verification code").fill("ABCD-EFGH-JKLM-NPQR-STUV")
    page.get_by_role("button", name="Find the document").click()
    page.wait_for_load_state()
    assert "No document was issued with this code" in page.content()
    assert_accessible(page)
