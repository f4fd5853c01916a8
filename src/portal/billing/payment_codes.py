"""The payment channels of a bill (BILL-07): the Thai QR bill payment payload (EMVCo merchant
presented QR, tag 30), the cross-bank bill payment barcode, and their images.

Pure functions of the biller ID, Ref1, Ref2 and the amount in satang: no database, no settings.
No PyPI package builds Thai QR tag 30, so the builder is ours; it reproduces every payload of
shared/vectors/thai-qr-bill-payment.md. The parsers read such payloads and barcodes back (the
sandbox bank reads a scanned QR with them) and refuse anything that is not one.

Payload: `000201`, `0102` `11` (no amount, the payer keys it) or `12` (with amount), `30`
holding `00` AID A000000677010112, `01` biller ID, `02` Ref1, `03` Ref2 (optional), then `53`
764 (baht), `58` TH, `54` amount (optional, "3649.22"), `62` holding `07` Ref3 (optional),
and `63` CRC-16/CCITT-FALSE over the whole string up to and including "6304". The amount comes
after the country code, as in the known-good vectors (EMVCo fixes only 00 first, 63 last).

Barcode (Code 128): "|" + biller ID + CR + Ref1 + CR + Ref2 + CR + amount in satang ("0" when
the cashier keys the amount); see docs/decisions.md for the source.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import barcode
import segno
from barcode.writer import ImageWriter, SVGWriter
from django.utils.translation import gettext as _

from portal.core.errors import PortalError

AID_BILL_PAYMENT = "A000000677010112"
CURRENCY_BAHT = "764"  # ISO 4217 numeric
COUNTRY_THAILAND = "TH"
STATIC = "11"  # point of initiation: the same code may be paid again, the payer keys the amount
DYNAMIC = "12"  # one payment of the amount in the code
# Tag 54 holds at most 13 characters: "9999999999.99".
MAX_AMOUNT_SATANG = 999_999_999_999
REF_MAX_LENGTH = 20  # what banks commonly accept for Ref1 and Ref2
REF3_MAX_LENGTH = 25  # EMVCo's limit for the terminal label (tag 62, sub-tag 07)

# Patterns spell digits [0-9]: \d would also take Thai and other Unicode digits.
_REF = re.compile(r"[0-9A-Z]*")
# A biller ID is the biller's 13-digit tax ID and a 2-digit suffix (one per account); a bare
# 13-digit tax ID is accepted too, because the first known-good vector carries one.
_BILLER_ID = re.compile(r"[0-9]{13}(?:[0-9]{2})?")
_TAX_ID = re.compile(r"[0-9]{13}")
_SUFFIX = re.compile(r"[0-9]{2}")
_EMV_AMOUNT = re.compile(r"([0-9]{1,10})(?:\.([0-9]{1,2}))?")
_CRC_FIELD = "6304"


class PaymentCodeError(PortalError, ValueError):
    """A payment code cannot be made from these values, or a text is not a payment code."""


# The codes -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BillPayment:
    """What a Thai QR bill payment or a cross-bank barcode carries. `amount_satang` None: the
    payer (or the cashier) keys the amount. Checked on creation, so a parsed code obeys the
    same rules as one we build."""

    biller_id: str
    ref1: str
    ref2: str = ""
    amount_satang: int | None = None
    ref3: str = ""

    def __post_init__(self) -> None:
        _check_biller_id(self.biller_id)
        _check_ref(self.ref1, "ref1", "Ref1", required=True, max_length=REF_MAX_LENGTH)
        _check_ref(self.ref2, "ref2", "Ref2", required=False, max_length=REF_MAX_LENGTH)
        _check_ref(self.ref3, "ref3", "Ref3", required=False, max_length=REF3_MAX_LENGTH)
        if self.amount_satang is not None:
            _check_amount(self.amount_satang)


def make_biller_id(tax_id: str, suffix: str = "00") -> str:
    """The biller ID of the bill payment account: the 13-digit tax ID and the 2-digit suffix
    the bank gave the account ("00" for a biller's first account)."""
    if not (isinstance(tax_id, str) and _TAX_ID.fullmatch(tax_id)):
        raise PaymentCodeError(_("The tax ID must be 13 digits."), code="tax_id")
    if not (isinstance(suffix, str) and _SUFFIX.fullmatch(suffix)):
        raise PaymentCodeError(_("The biller suffix must be 2 digits."), code="suffix")
    return tax_id + suffix


def _check_biller_id(biller_id: object) -> None:
    if not (isinstance(biller_id, str) and _BILLER_ID.fullmatch(biller_id)):
        raise PaymentCodeError(
            _("The biller ID must be the 13-digit tax ID and a 2-digit suffix (15 digits)."),
            code="biller_id",
        )


def _check_ref(value: object, code: str, label: str, *, required: bool, max_length: int) -> None:
    if not isinstance(value, str):
        raise PaymentCodeError(_("%(ref)s must be text.") % {"ref": label}, code=code)
    if required and not value:
        raise PaymentCodeError(_("%(ref)s is required.") % {"ref": label}, code=code)
    if len(value) > max_length:
        raise PaymentCodeError(
            _("%(ref)s is longer than %(max)d characters.") % {"ref": label, "max": max_length},
            code=code,
        )
    if not _REF.fullmatch(value):
        raise PaymentCodeError(
            _("%(ref)s may hold only digits and upper-case letters A-Z.") % {"ref": label},
            code=code,
        )


def _check_amount(amount_satang: object) -> None:
    if isinstance(amount_satang, bool) or not isinstance(amount_satang, int):
        # A float amount is a programming error, not a person's: say so as Python does.
        raise TypeError(f"The amount must be an int of satang, not {type(amount_satang).__name__}")
    if amount_satang <= 0:
        raise PaymentCodeError(_("The amount must be more than zero."), code="amount")
    if amount_satang > MAX_AMOUNT_SATANG:
        raise PaymentCodeError(
            _("The amount is larger than a payment code can carry."), code="amount"
        )


# CRC and TLV ---------------------------------------------------------------------------------


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR) of
    the text's bytes, as 4 upper-case hex digits: the EMVCo QR checksum."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    # Every value we write is checked first, so a length over 99 is a bug here, not input.
    if len(value) > 99:
        raise AssertionError(f"EMVCo field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _read_tlv(text: str) -> dict[str, str]:
    """The fields of an EMVCo TLV string (2-digit ID, 2-digit length, value), in order."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        head = text[position : position + 4]
        if len(head) < 4 or not head.isascii() or not head.isdigit():
            raise PaymentCodeError(
                _("The QR code is damaged: a field is cut off."),
                code="tlv",
            )
        tag, length = head[:2], int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) < length:
            raise PaymentCodeError(
                _("The QR code is damaged: a field is cut off."),
                code="tlv",
            )
        if tag in fields:
            raise PaymentCodeError(
                _("The QR code is damaged: field %(tag)s appears twice.") % {"tag": tag},
                code="tlv",
            )
        fields[tag] = value
        position += 4 + length
    return fields


def _format_emv_amount(amount_satang: int) -> str:
    return f"{amount_satang // 100}.{amount_satang % 100:02d}"


def _parse_emv_amount(text: str) -> int:
    match = _EMV_AMOUNT.fullmatch(text)
    if match is None:
        raise PaymentCodeError(_("The QR code's amount is not a valid amount."), code="amount")
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


# Thai QR bill payment ------------------------------------------------------------------------


def thai_qr_payload(
    *,
    biller_id: str,
    ref1: str,
    ref2: str = "",
    amount_satang: int | None = None,
    ref3: str = "",
) -> str:
    """The Thai QR bill payment payload (tag 30) for these references and amount (BILL-07).
    With an amount the code is dynamic (`12`, pay exactly this); without, static (`11`)."""
    bill = BillPayment(biller_id, ref1, ref2, amount_satang, ref3)
    merchant = _tlv("00", AID_BILL_PAYMENT) + _tlv("01", bill.biller_id) + _tlv("02", bill.ref1)
    if bill.ref2:
        merchant += _tlv("03", bill.ref2)
    payload = _tlv("00", "01")
    payload += _tlv("01", STATIC if bill.amount_satang is None else DYNAMIC)
    payload += _tlv("30", merchant)
    payload += _tlv("53", CURRENCY_BAHT)
    payload += _tlv("58", COUNTRY_THAILAND)
    if bill.amount_satang is not None:
        payload += _tlv("54", _format_emv_amount(bill.amount_satang))
    if bill.ref3:
        payload += _tlv("62", _tlv("07", bill.ref3))
    payload += _CRC_FIELD
    return payload + crc16_ccitt_false(payload)


def parse_thai_qr_payload(payload: str) -> BillPayment:
    """Read a Thai QR bill payment payload back (as a scanner gives it): checks the CRC, the
    format, the tag 30 AID, the currency and the country, and the references and amount as
    `thai_qr_payload` does. Other EMVCo fields (a merchant name, say) are allowed and ignored."""
    if not isinstance(payload, str):
        raise PaymentCodeError(_("This is not a Thai QR bill payment code."), code="format")
    text = payload.strip()
    if not text.startswith("000201"):
        raise PaymentCodeError(_("This is not a Thai QR bill payment code."), code="format")
    if len(text) < 8 or text[-8:-4] != _CRC_FIELD:
        raise PaymentCodeError(_("The QR code has no checksum at its end."), code="crc")
    if text[-4:].upper() != crc16_ccitt_false(text[:-4]):
        raise PaymentCodeError(_("The QR code's checksum is wrong: it is damaged."), code="crc")
    fields = _read_tlv(text[:-8])
    if fields.get("01", STATIC) not in (STATIC, DYNAMIC):
        raise PaymentCodeError(_("This is not a Thai QR bill payment code."), code="format")
    if "30" not in fields:
        raise PaymentCodeError(_("This QR code is not a bill payment (no tag 30)."), code="tag30")
    merchant = _read_tlv(fields["30"])
    if merchant.get("00") != AID_BILL_PAYMENT:
        raise PaymentCodeError(_("This QR code is not a bill payment (no tag 30)."), code="tag30")
    if fields.get("53") != CURRENCY_BAHT:
        raise PaymentCodeError(_("The QR code is not in Thai baht."), code="currency")
    if fields.get("58") != COUNTRY_THAILAND:
        raise PaymentCodeError(_("The QR code is not a Thai one."), code="country")
    additional = _read_tlv(fields["62"]) if "62" in fields else {}
    amount = _parse_emv_amount(fields["54"]) if "54" in fields else None
    return BillPayment(
        biller_id=merchant.get("01", ""),
        ref1=merchant.get("02", ""),
        ref2=merchant.get("03", ""),
        amount_satang=amount,
        ref3=additional.get("07", ""),
    )


# Cross-bank bill payment barcode -------------------------------------------------------------


def cross_bank_barcode_data(
    *, biller_id: str, ref1: str, ref2: str = "", amount_satang: int | None = None
) -> str:
    """The text of the cross-bank bill payment barcode (BILL-07): "|" + biller ID + CR + Ref1
    + CR + Ref2 + CR + amount in satang, "0" when the cashier keys the amount."""
    bill = BillPayment(biller_id, ref1, ref2, amount_satang)
    amount = "0" if bill.amount_satang is None else str(bill.amount_satang)
    return "|" + "\r".join((bill.biller_id, bill.ref1, bill.ref2, amount))


def parse_cross_bank_barcode(data: str) -> BillPayment:
    """Read a cross-bank bill payment barcode's text back; refuses anything else."""
    if not isinstance(data, str) or not data.startswith("|"):
        raise PaymentCodeError(_("This is not a bill payment barcode."), code="format")
    parts = data[1:].split("\r")
    if len(parts) != 4:
        raise PaymentCodeError(_("This is not a bill payment barcode."), code="format")
    biller_id, ref1, ref2, amount = parts
    if not (amount.isascii() and amount.isdigit()) or (amount != "0" and amount.startswith("0")):
        raise PaymentCodeError(_("The barcode's amount is not a valid amount."), code="amount")
    return BillPayment(biller_id, ref1, ref2, None if amount == "0" else int(amount))


# Images --------------------------------------------------------------------------------------

# QR: error correction M (15 %) survives a crease or a glare; 4 modules of quiet zone, as
# ISO/IEC 18004 asks. A module of 0.6 mm prints the code about 3 cm wide (version 5-6), which a
# phone camera reads at arm's length; 10 px a module is a sharp PNG for a screen.
QR_ERROR = "m"
QR_BORDER = 4
QR_MODULE_MM = 0.6
QR_MODULE_PX = 10

# Code 128: a 0.254 mm bar (3 px at 300 dpi, so bars fall on whole pixels), 15 mm tall, with a
# quiet zone of 6.5 mm (over 25 bars; ISO/IEC 15417 asks for 10). No text under the bars: the
# data holds carriage returns, and the page prints Ref1 and Ref2 beside the barcode.
BARCODE_OPTIONS = {
    "module_width": 0.254,
    "module_height": 15.0,
    "quiet_zone": 6.5,
    "write_text": False,
    "dpi": 300,
    "background": "white",
    "foreground": "black",
}


def _qr(payload: str) -> segno.QRCode:
    return segno.make(payload, error=QR_ERROR, micro=False)


def qr_svg(payload: str, *, title: str = "Thai QR Payment", module_mm: float = QR_MODULE_MM) -> str:
    """The QR code as an SVG element (no XML declaration, so it can be put inside a page or a
    PDF), sized in millimetres for print and scalable on screen by its viewBox."""
    buffer = io.BytesIO()
    _qr(payload).save(
        buffer,
        kind="svg",
        scale=module_mm,
        border=QR_BORDER,
        unit="mm",
        xmldecl=False,
        title=title,
        light="#fff",
        svgclass="payment-qr",
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(payload: str, *, module_px: int = QR_MODULE_PX) -> bytes:
    """The QR code as a PNG, black on white, with its quiet zone."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=module_px, border=QR_BORDER, light="#fff")
    return buffer.getvalue()


def _code128(data: str, writer) -> barcode.Code128:
    if not data or not data.isascii():
        raise PaymentCodeError(_("This is not a bill payment barcode."), code="format")
    return barcode.Code128(data, writer=writer)


def barcode_svg(data: str) -> str:
    """The cross-bank barcode as an SVG element (no XML declaration or doctype)."""
    buffer = io.BytesIO()
    _code128(data, SVGWriter()).write(buffer, options=BARCODE_OPTIONS)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]


def barcode_png(data: str) -> bytes:
    """The cross-bank barcode as a PNG at 300 dpi."""
    buffer = io.BytesIO()
    _code128(data, ImageWriter(format="PNG")).write(buffer, options=BARCODE_OPTIONS)
    return buffer.getvalue()
