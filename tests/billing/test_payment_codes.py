"""The payment channels of a bill (BILL-07): Thai QR bill payment (tag 30) and the cross-bank
barcode, built exactly as the known-good vectors, read back, and drawn as images that a real
decoder (zxing-cpp) reads back to the same payload. Amounts are integer satang (BILL-10)."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from portal.billing.payment_codes import (
    MAX_AMOUNT_SATANG,
    BillPayment,
    PaymentCodeError,
    barcode_png,
    barcode_svg,
    crc16_ccitt_false,
    cross_bank_barcode_data,
    make_biller_id,
    parse_cross_bank_barcode,
    parse_thai_qr_payload,
    qr_png,
    qr_svg,
    thai_qr_payload,
)

# shared/vectors/thai-qr-bill-payment.md
QR_VECTORS = [
    (
        "00020101021130620016A000000677010112011301122334455660211CUSTOMER0010306INV00153037645802TH"
        "62070703SCB6304780E",
        BillPayment("0112233445566", "CUSTOMER001", "INV001", None, "SCB"),
    ),
    (
        "00020101021230650016A00000067701011201150994000165501000212123456789012030667042953037645802TH"
        "54073649.2263044534",
        BillPayment("099400016550100", "123456789012", "670429", 364922),
    ),
    (
        "00020101021130550016A0000006770101120115099999999999990021211122233344453037645802TH"
        "63043EE7",
        BillPayment("099999999999990", "111222333444"),
    ),
]
BARCODE_VECTORS = [
    (
        "|099400016550100\r123456789012\r670429\r364922",
        BillPayment("099400016550100", "123456789012", "670429", 364922),
    ),
    ("|099999999999990\r111222333444\r\r0", BillPayment("099999999999990", "111222333444")),
]
BILLER = "099400016550100"


@pytest.fixture(autouse=True)
def _english():
    # The portal's default language is Thai; the messages are matched in English here (and in
    # Thai in the test that says so).
    with translation.override("en"):
        yield


def _build_qr(bill: BillPayment) -> str:
    return thai_qr_payload(
        biller_id=bill.biller_id,
        ref1=bill.ref1,
        ref2=bill.ref2,
        amount_satang=bill.amount_satang,
        ref3=bill.ref3,
    )


def _build_barcode(bill: BillPayment) -> str:
    return cross_bank_barcode_data(
        biller_id=bill.biller_id, ref1=bill.ref1, ref2=bill.ref2, amount_satang=bill.amount_satang
    )


# Reading images back -------------------------------------------------------------------------


def _decode(image: Image.Image, formats) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image, formats=formats)]


def _decode_png(png: bytes, formats) -> list[str]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return _decode(image, formats)


SVG = "{http://www.w3.org/2000/svg}"


def _rasterize_qr_svg(svg: str, module_px: int = 8) -> Image.Image:
    """Draw segno's SVG (one path of horizontal unit-width lines: M x y, m dx dy, h n; the
    coordinates are modules, the y of a line is its middle) into pixels, so that zxing-cpp
    reads what the SVG shows, not what the PNG shows."""
    root = ET.fromstring(svg)
    scale = float(re.search(r"scale\(([\d.]+)\)", svg)[1])
    size = round(float(root.get("viewBox").split()[2]) / scale)
    image = Image.new("L", (size * module_px, size * module_px), 255)
    draw = ImageDraw.Draw(image)
    dark = [p for p in root.iter(f"{SVG}path") if p.get("stroke")]
    assert len(dark) == 1
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHhVv])([-\d. ]+)", dark[0].get("d")):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            row = int(y - 0.5)
            draw.rectangle(
                [
                    x * module_px,
                    row * module_px,
                    (x + values[0]) * module_px - 1,
                    (row + 1) * module_px - 1,
                ],
                fill=0,
            )
            x += values[0]
        else:
            raise AssertionError(f"unexpected path command {command}")
    return image


def _rasterize_barcode_svg(svg: str, px_per_mm: float = 300 / 25.4) -> Image.Image:
    """Draw python-barcode's SVG (a white background and black rects in mm) into pixels."""
    root = ET.fromstring(svg)

    def mm(value: str) -> float:
        return float(value.removesuffix("mm"))

    width, height = mm(root.get("width")), mm(root.get("height"))
    image = Image.new("L", (round(width * px_per_mm), round(height * px_per_mm)), 255)
    draw = ImageDraw.Draw(image)
    for rect in root.iter(f"{SVG}rect"):
        if "fill:black" not in (rect.get("style") or ""):
            continue
        left, top = mm(rect.get("x")) * px_per_mm, mm(rect.get("y")) * px_per_mm
        right = left + mm(rect.get("width")) * px_per_mm
        bottom = top + mm(rect.get("height")) * px_per_mm
        draw.rectangle([round(left), round(top), round(right) - 1, round(bottom) - 1], fill=0)
    return image


QR = zxingcpp.BarcodeFormat.QRCode
CODE128 = zxingcpp.BarcodeFormat.Code128


# The vectors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "bill"), QR_VECTORS)
def test_bill_07_thai_qr_reproduces_every_known_vector(payload, bill):
    """BILL-07: the builder gives each known-good payload character for character, and the
    parser reads it back to the same biller ID, references and amount."""
    assert _build_qr(bill) == payload
    assert parse_thai_qr_payload(payload) == bill


@pytest.mark.parametrize(("data", "bill"), BARCODE_VECTORS)
def test_bill_07_cross_bank_barcode_reproduces_every_known_vector(data, bill):
    """BILL-07: "|" + biller ID + CR + Ref1 + CR + Ref2 + CR + amount in satang (0: keyed)."""
    assert _build_barcode(bill) == data
    assert parse_cross_bank_barcode(data) == bill


def test_bill_07_crc_is_ccitt_false():
    """BILL-07: CRC-16/CCITT-FALSE: its check value for "123456789" is 29B1, and every vector's
    last four characters are the CRC of all before them, "6304" included."""
    assert crc16_ccitt_false("123456789") == "29B1"
    assert crc16_ccitt_false("") == "FFFF"
    for payload, _bill in QR_VECTORS:
        assert crc16_ccitt_false(payload[:-4]) == payload[-4:]


def test_bill_07_amount_is_written_with_two_decimals_and_makes_the_code_dynamic():
    """BILL-07, BILL-10: 100 baht is "100.00" and 1 satang "0.01", from integer satang; an
    amount makes the code dynamic (12), none static (11)."""
    with_amount = thai_qr_payload(biller_id=BILLER, ref1="A1", amount_satang=10000)
    assert "010212" in with_amount[:12]
    assert "5406100.00" in with_amount
    assert "54040.01" in thai_qr_payload(biller_id=BILLER, ref1="A1", amount_satang=1)
    largest = thai_qr_payload(biller_id=BILLER, ref1="A1", amount_satang=MAX_AMOUNT_SATANG)
    assert "54139999999999.99" in largest
    without = thai_qr_payload(biller_id=BILLER, ref1="A1")
    assert without.startswith("000201010211") and "5802TH6304" in without
    assert parse_thai_qr_payload(without).amount_satang is None
    assert parse_thai_qr_payload(largest).amount_satang == MAX_AMOUNT_SATANG


def test_bill_07_make_biller_id():
    """BILL-07: the biller ID is the 13-digit tax ID and the 2-digit suffix of the account."""
    assert make_biller_id("0994000165501") == "099400016550100"
    assert make_biller_id("0994000165501", "01") == "099400016550101"
    for tax_id, suffix in [("099400016550", "00"), ("0994000165501", "1"), ("099400016550X", "00")]:
        with pytest.raises(PaymentCodeError):
            make_biller_id(tax_id, suffix)


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"ref1": "A" * 21}, "ref1", "Ref1 is longer than 20 characters"),
        ({"ref2": "1" * 21}, "ref2", "Ref2 is longer than 20 characters"),
        ({"ref1": ""}, "ref1", "Ref1 is required"),
        ({"ref1": "abc123"}, "ref1", "only digits and upper-case letters"),
        ({"ref1": "INV-001"}, "ref1", "only digits and upper-case letters"),
        ({"ref2": "67 04"}, "ref2", "only digits and upper-case letters"),
        ({"ref1": "๑๒๓"}, "ref1", "only digits and upper-case letters"),
        ({"ref3": "S" * 26}, "ref3", "Ref3 is longer than 25 characters"),
        ({"biller_id": "09940001655010"}, "biller_id", "15 digits"),
        ({"biller_id": "0994000165501000"}, "biller_id", "15 digits"),
        ({"biller_id": "09940001655010A"}, "biller_id", "15 digits"),
        ({"biller_id": "๐๙๙๔๐๐๐๑๖๕๕๐๑๐๐"}, "biller_id", "15 digits"),
        ({"amount_satang": 0}, "amount", "more than zero"),
        ({"amount_satang": -100}, "amount", "more than zero"),
        ({"amount_satang": MAX_AMOUNT_SATANG + 1}, "amount", "larger than a payment code"),
    ],
)
def test_bill_07_invalid_inputs_are_refused_with_clear_errors(fields, code, message):
    """BILL-07: a reference too long, characters a bank refuses, a wrong biller ID, an amount
    of zero, below zero or too big: a PaymentCodeError naming what is wrong, for both codes."""
    values = {"biller_id": BILLER, "ref1": "123456789012", "ref2": "670429", "amount_satang": 100}
    values.update(fields)
    with pytest.raises(PaymentCodeError, match=message) as refused:
        thai_qr_payload(**values)
    assert refused.value.code == code
    barcode_values = {key: value for key, value in values.items() if key != "ref3"}
    if "ref3" not in fields:
        with pytest.raises(PaymentCodeError, match=message):
            cross_bank_barcode_data(**barcode_values)


def test_bill_07_refusals_are_said_in_thai_with_the_thai_interface():
    """BILL-07: the refusals are for people (the sandbox bank shows the parser's): in Thai when
    the interface is Thai, the reference and limit filled in."""
    with translation.override("th"), pytest.raises(PaymentCodeError) as refused:
        thai_qr_payload(biller_id=BILLER, ref1="1" * 21)
    assert refused.value.message == "Ref1 ยาวเกิน 20 ตัวอักษร"
    with translation.override("th"), pytest.raises(PaymentCodeError) as refused:
        parse_thai_qr_payload(QR_VECTORS[0][0][:-1] + "F")
    assert refused.value.message == "ค่าตรวจสอบของ QR Code ไม่ถูกต้อง: QR Code เสียหาย"


@pytest.mark.parametrize("amount", [100.0, "100", True])
def test_bill_10_an_amount_that_is_not_integer_satang_is_a_type_error(amount):
    """BILL-10: the amount of a payment code is an int of satang, never a float or text."""
    with pytest.raises(TypeError, match="int of satang"):
        thai_qr_payload(biller_id=BILLER, ref1="A1", amount_satang=amount)
    with pytest.raises(TypeError, match="int of satang"):
        cross_bank_barcode_data(biller_id=BILLER, ref1="A1", amount_satang=amount)


def _with_crc(body: str) -> str:
    return body + "6304" + crc16_ccitt_false(body + "6304")


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


AID = _tlv("00", "A000000677010112")
HEAD = _tlv("00", "01") + _tlv("01", "12")
MERCHANT = _tlv("30", AID + _tlv("01", BILLER) + _tlv("02", "A1"))
BAHT, THAILAND = _tlv("53", "764"), _tlv("58", "TH")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", "format"),
        ("hello", "format"),
        (QR_VECTORS[1][0][:-1] + "5", "crc"),  # last CRC digit changed
        (QR_VECTORS[1][0].replace("3649.22", "3649.23"), "crc"),  # amount changed, CRC kept
        (QR_VECTORS[1][0][:-8], "crc"),  # no CRC field
        (_with_crc(HEAD + BAHT + THAILAND), "tag30"),
        # PromptPay credit transfer (tag 29), not a bill payment
        (
            _with_crc(
                HEAD
                + _tlv("29", _tlv("00", "A000000677010111") + _tlv("01", "0066812345678"))
                + BAHT
                + THAILAND
            ),
            "tag30",
        ),
        (_with_crc(HEAD + _tlv("30", _tlv("00", "A000000677010111") + _tlv("02", "A1"))), "tag30"),
        (_with_crc(_tlv("00", "01") + _tlv("01", "13") + MERCHANT + BAHT + THAILAND), "format"),
        (_with_crc(HEAD + "3099" + MERCHANT[4:]), "tlv"),  # longer than what follows
        (_with_crc(HEAD + _tlv("30", AID + "0115099") + BAHT + THAILAND), "tlv"),
        (_with_crc(HEAD + MERCHANT + BAHT + BAHT + THAILAND), "tlv"),  # a field twice
        (_with_crc(HEAD + MERCHANT + "53X3764" + THAILAND), "tlv"),
        (_with_crc(HEAD + MERCHANT + _tlv("53", "840") + THAILAND), "currency"),
        (_with_crc(HEAD + MERCHANT + BAHT), "country"),
        (_with_crc(HEAD + MERCHANT + BAHT + _tlv("58", "LA")), "country"),
        (_with_crc(HEAD + MERCHANT + BAHT + THAILAND + _tlv("54", "-1.00")), "amount"),
        (_with_crc(HEAD + MERCHANT + BAHT + THAILAND + _tlv("54", "0")), "amount"),
        (_with_crc(HEAD + MERCHANT + BAHT + THAILAND + _tlv("54", "1.234")), "amount"),
        (_with_crc(HEAD + MERCHANT + BAHT + THAILAND + _tlv("54", "๑.00")), "amount"),
        (_with_crc(HEAD + _tlv("30", AID + _tlv("01", BILLER)) + BAHT + THAILAND), "ref1"),
        (
            _with_crc(
                HEAD + _tlv("30", AID + _tlv("01", BILLER) + _tlv("02", "a1")) + BAHT + THAILAND
            ),
            "ref1",
        ),
        (
            _with_crc(
                HEAD
                + _tlv("30", AID + _tlv("01", BILLER[:14]) + _tlv("02", "A1"))
                + BAHT
                + THAILAND
            ),
            "biller_id",
        ),
    ],
)
def test_bill_07_payloads_that_are_not_thai_qr_bill_payments_are_refused(payload, code):
    """BILL-07: the parser (which the sandbox bank uses on a scanned QR) refuses a damaged
    checksum, another kind of QR (PromptPay tag 29), a cut-off or repeated field, another
    currency or country, an amount of zero or below, references a bank refuses."""
    with pytest.raises(PaymentCodeError) as refused:
        parse_thai_qr_payload(payload)
    assert refused.value.code == code


def test_bill_07_parser_ignores_other_emvco_fields_and_accepts_a_lower_case_crc():
    """BILL-07: a merchant name (59) does not stop the parser; the CRC's hex case and a line
    end after the payload do not matter."""
    payload = _with_crc(HEAD + MERCHANT + BAHT + THAILAND + _tlv("54", "100.5") + _tlv("59", "DIW"))
    parsed = parse_thai_qr_payload(payload[:-4] + payload[-4:].lower() + "\n")
    assert parsed == BillPayment(BILLER, "A1", "", 10050)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("", "format"),
        ("099400016550100\r1\r\r0", "format"),
        ("|099400016550100\r1\r0", "format"),
        ("|099400016550100\r1\r\r0\r", "format"),
        ("|099400016550100\r1\r\r1.50", "amount"),
        ("|099400016550100\r1\r\r0150", "amount"),
        ("|099400016550100\r1\r\r-150", "amount"),
        ("|09940001655010\r1\r\r150", "biller_id"),
        ("|099400016550100\r\r\r150", "ref1"),
        ("|099400016550100\r1\r" + "2" * 21 + "\r150", "ref2"),
    ],
)
def test_bill_07_texts_that_are_not_bill_payment_barcodes_are_refused(data, code):
    """BILL-07: the barcode reader refuses a missing "|", a wrong number of parts, an amount
    that is not whole satang, a wrong biller ID, a missing or too long reference."""
    with pytest.raises(PaymentCodeError) as refused:
        parse_cross_bank_barcode(data)
    assert refused.value.code == code


# Images --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "bill"), QR_VECTORS)
def test_bill_07_qr_images_decode_to_the_same_payload(payload, bill):
    """BILL-07: the QR as PNG and as SVG, read by zxing-cpp, gives the payload, and parsing it
    gives the same references and amount."""
    png_texts = _decode_png(qr_png(payload), QR)
    svg_texts = _decode(_rasterize_qr_svg(qr_svg(payload)), QR)
    assert png_texts == svg_texts == [payload]
    assert parse_thai_qr_payload(png_texts[0]) == bill


@pytest.mark.parametrize(("data", "bill"), BARCODE_VECTORS)
def test_bill_07_barcode_images_decode_to_the_same_data(data, bill):
    """BILL-07: the Code 128 barcode as PNG and as SVG, read by zxing-cpp, gives the same text,
    carriage returns included, and so the same references and amount."""
    png_texts = _decode_png(barcode_png(data), CODE128)
    svg_texts = _decode(_rasterize_barcode_svg(barcode_svg(data)), CODE128)
    assert png_texts == svg_texts == [data]
    assert parse_cross_bank_barcode(png_texts[0]) == bill


def test_bill_07_images_are_sized_for_a_phone_camera_and_print_with_quiet_zones():
    """BILL-07: the QR PNG has a white quiet zone of 4 modules (10 px each) and is at least
    400 px; the SVG is about 3 cm for print. The barcode has white margins of 6.5 mm (over
    10 bars) and 0.254 mm bars, 3 px at 300 dpi; both SVGs can be put inside a page."""
    payload = QR_VECTORS[1][0]
    image = Image.open(io.BytesIO(qr_png(payload))).convert("L")
    assert image.width == image.height >= 400
    assert image.crop((0, 0, image.width, 40)).getextrema() == (255, 255)
    assert image.crop((0, 0, 40, image.height)).getextrema() == (255, 255)
    assert image.crop((40, 40, 50, 50)).getextrema() == (0, 0)  # the finder's corner
    svg = qr_svg(payload, title="QR ชำระเงิน")
    assert svg.startswith("<svg") and "<title>QR ชำระเงิน</title>" in svg
    width_mm = float(re.search(r'width="([\d.]+)mm"', svg)[1])
    assert 25 <= width_mm <= 40

    data = BARCODE_VECTORS[0][0]
    bars = Image.open(io.BytesIO(barcode_png(data))).convert("L")
    quiet_px = int(6.5 * 300 / 25.4) - 1
    assert bars.crop((0, 0, quiet_px, bars.height)).getextrema() == (255, 255)
    assert bars.crop((bars.width - quiet_px, 0, bars.width, bars.height)).getextrema() == (255, 255)
    assert bars.crop((quiet_px, 0, quiet_px + 6, bars.height)).getextrema()[0] == 0
    assert bars.height >= round(15 * 300 / 25.4)
    assert barcode_svg(data).startswith("<svg")


def test_bill_07_a_barcode_image_of_something_else_is_refused():
    """BILL-07: the barcode images take ASCII text only."""
    with pytest.raises(PaymentCodeError):
        barcode_png("")
    with pytest.raises(PaymentCodeError):
        barcode_svg("บาท")


# Property: build, draw, decode, parse --------------------------------------------------------

refs = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=20)
bills = st.builds(
    BillPayment,
    biller_id=st.from_regex(r"[0-9]{15}", fullmatch=True),
    ref1=refs.filter(bool),
    ref2=refs,
    amount_satang=st.none() | st.integers(min_value=1, max_value=MAX_AMOUNT_SATANG),
)
images = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@images
@given(bills)
def test_bill_07_random_bills_round_trip_through_the_qr_image(bill):
    """BILL-07, BILL-10 (property): any valid biller ID, Ref1, Ref2 and amount in satang
    survive build -> PNG -> zxing-cpp -> parse, and the text round-trips without an image."""
    payload = _build_qr(bill)
    assert parse_thai_qr_payload(payload) == bill
    assert _decode_png(qr_png(payload), QR) == [payload]


@images
@given(bills)
def test_bill_07_random_bills_round_trip_through_the_barcode_image(bill):
    """BILL-07, BILL-10 (property): the same through the cross-bank barcode: build -> PNG ->
    zxing-cpp -> parse gives the same references and satang."""
    data = _build_barcode(bill)
    assert parse_cross_bank_barcode(data) == bill
    assert _decode_png(barcode_png(data), CODE128) == [data]


@settings(max_examples=15, deadline=None)
@given(bills)
def test_bill_07_random_bills_round_trip_through_the_svgs(bill):
    """BILL-07 (property): the SVGs, drawn into pixels, decode to the same payload and data."""
    payload, data = _build_qr(bill), _build_barcode(bill)
    assert _decode(_rasterize_qr_svg(qr_svg(payload)), QR) == [payload]
    assert _decode(_rasterize_barcode_svg(barcode_svg(data)), CODE128) == [data]
