"""The official letter of a decision (issue 11, PRM-09): a PDF in Thai (Sarabun) on the
documents app's letter template, signed with its signing service (PAdES) and carrying a QR code
to the public verification page. Issued by review_services.application_decide inside the
decision's transaction; the letter is Thai, the language of the agency's official letters."""

from __future__ import annotations

from portal.core.acting import Acting
from portal.core.thaidate import format_date
from portal.documents.services import DocumentContent, PublicFact, document_issue
from portal.permits.definitions import Procedure, Result
from portal.permits.models import Application

__all__ = ["AGENCY_NAMES", "letter_issue"]

LETTER_KIND = "letter"  # documents.models.DocumentKind.LETTER

# The agencies that sign (ADM-01): Thai and English names for the letterhead and the public
# verification page. A provincial industry office is named with its province.
AGENCY_NAMES = {
    "DIW": ("กรมโรงงานอุตสาหกรรม", "Department of Industrial Works"),
    "PIO": ("สำนักงานอุตสาหกรรมจังหวัด", "Provincial Industry Office"),
    "IEAT": ("การนิคมอุตสาหกรรมแห่งประเทศไทย", "Industrial Estate Authority of Thailand"),
    "TISI": ("สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม", "Thai Industrial Standards Institute"),
    "OPS": ("สำนักงานปลัดกระทรวงอุตสาหกรรม", "Office of the Permanent Secretary"),
}
OUTCOME_TH = {
    "granted": "อนุญาต",
    "acknowledged": "รับแจ้ง",
    "refused": "ไม่อนุญาต",
    "returned": "คืนคำขอ",
}
OUTCOME_EN = {
    "granted": "Granted",
    "acknowledged": "Acknowledged",
    "refused": "Refused",
    "returned": "Returned",
}


def agency_names(application: Application) -> tuple[str, str]:
    th, en = AGENCY_NAMES.get(application.agency, AGENCY_NAMES["DIW"])
    if application.agency == "PIO" and application.province:
        return f"{th}{application.province}", f"{en}, {application.province}"
    return th, en


def _paragraphs(
    application: Application, definition: Procedure, result: Result | None, outcome: str
) -> list[str]:
    factory = application.factory
    where = f" ของโรงงาน{factory.name_th} ทะเบียนโรงงานเลขที่ {factory.factory_no}" if factory else ""
    if factory is None and application.business_id:
        # PRM-05: a new factory not linked to a registration number (not approved).
        name = application.new_factory_name
        where = f" สำหรับโรงงานใหม่{name}" if name else " สำหรับโรงงานใหม่"
    submitted = format_date(application.submitted_at, lang="th")
    paragraphs = [
        f"ตามที่ท่านได้ยื่นคำขอ{definition.name.th}{where} คำขอเลขที่ {application.number} "
        f"เมื่อวันที่ {submitted} นั้น"
    ]
    if outcome == "granted":
        text = "ได้พิจารณาแล้ว อนุญาตตามคำขอ"
        if application.granted_until:
            text += (
                f" ตั้งแต่วันที่ {format_date(application.granted_from, lang='th')}"
                f" ถึงวันที่ {format_date(application.granted_until, lang='th')}"
            )
        paragraphs.append(text)
    elif outcome == "acknowledged":
        paragraphs.append("ได้พิจารณาแล้ว รับแจ้งตามที่ท่านได้แจ้งไว้")
    else:
        paragraphs.append(f"ได้พิจารณาแล้ว ไม่อนุญาตตามคำขอ ด้วยเหตุผลดังนี้ {application.reasons}")
    conditions = [*(c.th for c in (result.conditions if result else [])), *application.conditions]
    for number, condition in enumerate(conditions, start=1):
        paragraphs.append(f"เงื่อนไขข้อ {number} {condition}")
    if outcome == "refused":
        paragraphs.append("หากท่านไม่เห็นด้วยกับคำสั่งนี้ ท่านมีสิทธิอุทธรณ์ได้ภายในสิบห้าวันนับแต่วันที่ได้รับแจ้งคำสั่ง")
    paragraphs.append("จึงเรียนมาเพื่อโปรดทราบ")
    return paragraphs


def letter_issue(
    *,
    application: Application,
    definition: Procedure,
    result: Result | None,
    outcome: str,
    acting: Acting,
):
    """Render, sign and store the letter of a decision (in the caller's transaction); returns
    the documents app's SignedDocument."""
    agency_th, agency_en = agency_names(application)
    signer = acting.actor
    title = result.letter_title.th if result else f"แจ้งผลการพิจารณา{definition.name.th}"
    letter = {
        "agency_th": agency_th,
        "address_th": "กระทรวงอุตสาหกรรม",
        "to": application.applicant.display_name
        if application.business is None
        else f"กรรมการผู้มีอำนาจ {application.business}",
        "subject": title,
        "paragraphs": _paragraphs(application, definition, result, outcome),
        "signer_name": f"({signer.display_name})",
        "signer_title": f"พนักงานเจ้าหน้าที่ {agency_th}",
    }
    content = DocumentContent(
        template_name="documents/pdf/letter.html",
        context={"letter": letter},
        issuer_agency_th=agency_th,
        issuer_agency_en=agency_en,
        reason=f"{title} คำขอเลขที่ {application.number}",
        location=application.province or "กรุงเทพมหานคร",
        public_facts=(
            PublicFact(th="คำขอเลขที่", en="Application number", value=application.number),
            PublicFact(th="เรื่อง", en="Procedure", value=definition.name.th),
            PublicFact(
                th="ผลการพิจารณา",
                en="Result",
                value=f"{OUTCOME_TH[outcome]} / {OUTCOME_EN[outcome]}",
            ),
        ),
    )
    return document_issue(
        content=content,
        kind=LETTER_KIND,
        number=application.number,
        subject_app="permits",
        subject_id=str(application.pk),
        acting=acting,
    )
