"""Shared by the documents tests: a letter to issue, and reading a PDF's text and fonts."""

import io

import pypdf

from portal.documents.services import DocumentContent, PublicFact

AGENCY_TH = "กรมโรงงานอุตสาหกรรม"
AGENCY_EN = "Department of Industrial Works"
THAI_WORDS = ("กรมโรงงานอุตสาหกรรม", "ขอแสดงความนับถือ", "เรื่อง", "ใบอนุญาตประกอบกิจการโรงงาน")


def letter_content(**overrides) -> DocumentContent:
    fields = {
        "template_name": "documents/pdf/letter.html",
        "context": {
            "letter": {
                "agency_th": AGENCY_TH,
                "address_th": "ถนนพระรามที่ ๖ แขวงทุ่งพญาไท เขตราชเทวี กรุงเทพมหานคร ๑๐๔๐๐",
                "to": "กรรมการผู้จัดการ บริษัท ทดสอบ จำกัด",
                "subject": "แจ้งผลการพิจารณาคำขอใบอนุญาตประกอบกิจการโรงงาน",
                "paragraphs": [
                    "ตามที่ท่านได้ยื่นคำขอใบอนุญาตประกอบกิจการโรงงาน (ร.ง.๔) นั้น",
                    "กรมโรงงานอุตสาหกรรมได้พิจารณาแล้ว อนุญาตให้ประกอบกิจการโรงงานได้",
                ],
                "signer_name": "นายทดสอบ ใจดี",
                "signer_title": "ผู้อำนวยการกองทดสอบ",
            }
        },
        "issuer_agency_th": AGENCY_TH,
        "issuer_agency_en": AGENCY_EN,
        "reason": "หนังสือแจ้งผลการพิจารณา",
        "public_facts": (PublicFact(th="จำนวนเงิน", en="Amount", value="1,000.00"),),
    }
    fields.update(overrides)
    return DocumentContent(**fields)


def pdf_text(data: bytes) -> str:
    """The PDF's text, as a reader copies it. Sara am (ำ) is drawn as two glyphs (nikhahit and
    sara aa) and WeasyPrint's ToUnicode maps the pair back to sara aa alone, so compare with
    `thai_as_extracted`."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def thai_as_extracted(text: str) -> str:
    return text.replace("\u0e33", "\u0e32")


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Base font name -> whether the font program is embedded (FontFile, FontFile2, FontFile3)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts
