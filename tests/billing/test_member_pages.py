"""The member's bill pages (issue 10, Paying): the factory's bill tab, all bills, the bill
page, the payment page with its images and status, and the bill's PDF."""

import datetime as dt
import io

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.billing import payment_codes
from portal.billing.models import Bill
from portal.operators.models import FactoryHolding
from tests.billing.helpers import hold_factory
from tests.documents.helpers import embedded_fonts, pdf_text
from tests.factories import BillFactory, DiwFactoryFactory, HoldingFactory, MemberFactory

pytestmark = pytest.mark.django_db

BILLER = "099400016325500"


@pytest.fixture(autouse=True)
def _biller(settings):
    settings.BILL_PAYMENT_BILLER_ID = BILLER


def client_of(member, language="th") -> Client:
    """A logged-in client reading the portal in this language (the member's own setting
    decides it once they are logged in)."""
    if member.language != language:
        member.language = language
        member.save(update_fields=["language"])
    client = Client()
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def mirror_of(row: FactoryHolding):
    return DiwFactoryFactory(factory_no=row.factory.factory_no)


@pytest.fixture
def member():
    return MemberFactory(verified=True)


@pytest.fixture
def held(member):
    return hold_factory(member)


# --- the bill tab (BILL-06, BILL-02, BILL-03) -------------------------------------------------


def test_bill_tab_lists_open_bills_only_bill_06(member, held):
    """BILL-06: a paid bill leaves the factory's bill tab; the open ones are listed."""
    mirror = mirror_of(held)
    open_bill = BillFactory(factory=mirror, fee_year=2026)
    paid = BillFactory(factory=mirror, fee_year=2025, state=Bill.State.PAID)
    page = client_of(member).get(reverse("billing:factory_bills", args=[held.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert open_bill.ref1 in text and paid.ref1 not in text
    assert "1,234.50" in text


def test_the_factory_page_links_to_its_bill_tab(member, held):
    page = client_of(member).get(reverse("factories:detail", args=[held.pk]))
    assert reverse("billing:factory_bills", args=[held.pk]) in page.content.decode()


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_bill_tab_shows_nothing_to_an_unverified_claim(member, status):
    """A pending or rejected claim sees none of the business's bills (issue 8)."""
    holding = HoldingFactory(member=member, **{status: True})
    row = hold_factory(member, holding=holding)
    bill = BillFactory(factory=mirror_of(row))
    page = client_of(member).get(reverse("billing:factory_bills", args=[row.pk]))
    assert page.status_code == 200 and bill.ref1 not in page.content.decode()
    assert client_of(member).get(reverse("billing:bill_detail", args=[bill.pk])).status_code == 404
    listing = client_of(member).get(reverse("billing:bill_list"))
    assert bill.ref1 not in listing.content.decode()


def test_a_holder_of_another_business_gets_404(member, held):
    bill = BillFactory(factory=mirror_of(held))
    other = MemberFactory(verified=True)
    hold_factory(other)
    client = client_of(other)
    for name in ("bill_detail", "bill_pay", "bill_qr", "bill_barcode", "bill_status", "bill_pdf"):
        assert client.get(reverse(f"billing:{name}", args=[bill.pk])).status_code == 404, name
    assert client.get(reverse("billing:factory_bills", args=[held.pk])).status_code == 404
    assert bill.ref1 not in client.get(reverse("billing:bill_list")).content.decode()


@pytest.mark.parametrize(
    ("supervisor", "words"),
    [("DIW", "Department of Industrial Works"), ("IEAT", "Industrial Estate Authority")],
)
def test_a_factory_not_supervised_by_a_pio_is_told_where_it_pays_bill_02(member, supervisor, words):
    """BILL-02: a factory a provincial office does not supervise is told where it pays."""
    row = hold_factory(member, supervisor=supervisor)
    page = client_of(member, "en").get(reverse("billing:factory_bills", args=[row.pk]))
    assert 'data-testid="where-it-pays"' in page.content.decode()
    assert words in page.content.decode()
    pio = hold_factory(member)
    page = client_of(member, "en").get(reverse("billing:factory_bills", args=[pio.pk]))
    assert 'data-testid="where-it-pays"' not in page.content.decode()


@pytest.mark.parametrize(
    ("place", "exempt"),
    [
        ({"province": "ยะลา", "district": "เมืองยะลา"}, True),
        ({"province": "สงขลา", "district": "จะนะ"}, True),
        ({"province": "สงขลา", "district": "หาดใหญ่"}, False),
        ({"industrial_estate": "นิคมอุตสาหกรรมอมตะซิตี้ชลบุรี"}, True),
        ({}, False),
    ],
)
def test_an_exempt_factory_is_told_why_bill_03(member, place, exempt):
    """BILL-03: an exempt factory is told why it pays no fee."""
    row = hold_factory(member, **place)
    page = client_of(member, "en").get(reverse("billing:factory_bills", args=[row.pk]))
    assert ('data-testid="exemption"' in page.content.decode()) is exempt


def test_bill_tab_queries_do_not_grow_with_bills(member, held, django_assert_max_num_queries):
    mirror = mirror_of(held)
    BillFactory.create_batch(3, factory=mirror)
    client = client_of(member)
    url = reverse("billing:factory_bills", args=[held.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    BillFactory.create_batch(20, factory=mirror)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# --- all bills and payments (BILL-06) -----------------------------------------------------------


def test_bill_list_keeps_every_state_and_filters_bill_06(member, held):
    """BILL-06: the list of all bills keeps paid, cancelled and expired ones."""
    mirror = mirror_of(held)
    second = hold_factory(member)
    bills = {
        state: BillFactory(factory=mirror, state=state)
        for state in (Bill.State.AWAITING_PAYMENT, Bill.State.PAID, Bill.State.EXPIRED)
    }
    other = BillFactory(factory=mirror_of(second))
    client = client_of(member)
    text = client.get(reverse("billing:bill_list")).content.decode()
    assert all(bill.ref1 in text for bill in [*bills.values(), other])
    text = client.get(reverse("billing:bill_list"), {"state": "paid"}).content.decode()
    assert bills["paid"].ref1 in text and bills["awaiting_payment"].ref1 not in text
    by_factory = client.get(reverse("billing:bill_list"), {"factory": second.factory.factory_no})
    text = by_factory.content.decode()
    assert other.ref1 in text and bills["paid"].ref1 not in text


@pytest.mark.parametrize(
    "params", [{"state": "nonsense"}, {"factory": "10500000125601"}, {"factory": "x"}]
)
def test_bill_list_refuses_a_filter_that_is_not_a_choice(member, held, params):
    BillFactory(factory=DiwFactoryFactory(factory_no="10500000125601"))
    assert client_of(member).get(reverse("billing:bill_list"), params).status_code == 404


def test_bill_list_is_paginated_in_constant_queries(member, held, django_assert_max_num_queries):
    mirror = mirror_of(held)
    BillFactory.create_batch(3, factory=mirror)
    client = client_of(member)
    client.get(reverse("billing:bill_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("billing:bill_list"))
    BillFactory.create_batch(60, factory=mirror)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("billing:bill_list"))
    assert "page=2" in page.content.decode()


def test_bill_06_bill_list_pages_keep_the_order_and_a_page_past_the_end_is_the_last(member, held):
    """BILL-06: the list of all bills, newest due first, 20 a page read by their keys; the
    count is the list's length; a page past the end (an old link) shows the last page."""
    mirror = mirror_of(held)
    start = dt.date(2020, 1, 1)
    for offset in range(43):
        BillFactory(factory=mirror, due_on=start + dt.timedelta(days=offset))
    client = client_of(member)
    seen = []
    for number in (1, 2, 3):
        page = client.get(reverse("billing:bill_list"), {"page": number}).context["page"]
        assert page.number == number and page.paginator.count == 43
        seen += [bill.due_on for bill in page.object_list]
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 43
    last = client.get(reverse("billing:bill_list"), {"page": 99}).context["page"]
    assert last.number == 3 and len(last.object_list) == 3
    junk = client.get(reverse("billing:bill_list"), {"page": "x"}).context["page"]
    assert junk.number == 1 and len(junk.object_list) == 20


# --- the bill page (BILL-07, BILL-10, BILL-11, BILL-01) -----------------------------------------


def test_bill_page_shows_amounts_in_thai_words_bill_07_bill_10(member, held):
    """BILL-07, BILL-10: the bill page shows the amounts, the total in Thai words, B.E. dates."""
    bill = BillFactory(
        factory=mirror_of(held),
        fee_year=2026,
        fee_satang=300_000,
        surcharge_satang=15_000,
        surcharge_months=1,
        due_on=dt.date(2026, 11, 30),
    )
    text = client_of(member).get(reverse("billing:bill_detail", args=[bill.pk])).content.decode()
    assert "3,000.00" in text and "150.00" in text and "3,150.00" in text
    assert "สามพันหนึ่งร้อยห้าสิบบาทถ้วน" in text
    assert "2569" in text  # the fee year and the due date in the Buddhist era
    assert "30 พฤศจิกายน 2569" in text
    assert held.factory.factory_no in text and bill.ref1 in text and bill.ref2 in text


def test_bill_page_says_no_service_fee_bill_11(member, held):
    """BILL-11: the bill page says there is no service fee."""
    bill = BillFactory(factory=mirror_of(held))
    text = client_of(member).get(reverse("billing:bill_detail", args=[bill.pk])).content.decode()
    assert "ไม่มีค่าบริการ" in text


def test_bill_page_marks_an_illustrative_bill_bill_01(member, held):
    """BILL-01: a bill made from an illustrative table says so."""
    plain = BillFactory(factory=mirror_of(held))
    sample = BillFactory(factory=mirror_of(held), illustrative=True)
    client = client_of(member)
    assert (
        'data-testid="illustrative"'
        in client.get(reverse("billing:bill_detail", args=[sample.pk])).content.decode()
    )
    assert (
        'data-testid="illustrative"'
        not in client.get(reverse("billing:bill_detail", args=[plain.pk])).content.decode()
    )


# --- the payment page (BILL-07) ---------------------------------------------------------------


def decode(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return results[0].text


def test_payment_page_images_decode_to_the_bills_refs_bill_07(member, held):
    """BILL-07: the QR code and the barcode on the payment page, read back by a decoder, carry
    the biller ID from the settings, the bill's Ref1, Ref2 and amount."""
    bill = BillFactory(factory=mirror_of(held), fee_satang=364_922)
    client = client_of(member)
    page = client.get(reverse("billing:bill_pay", args=[bill.pk])).content.decode()
    qr_url = reverse("billing:bill_qr", args=[bill.pk])
    barcode_url = reverse("billing:bill_barcode", args=[bill.pk])
    assert f'src="{qr_url}"' in page and f'src="{barcode_url}"' in page
    assert bill.ref1 in page and bill.ref2 in page and BILLER in page
    qr = client.get(qr_url)
    assert qr["Content-Type"] == "image/png"
    scanned = payment_codes.parse_thai_qr_payload(decode(qr.content))
    assert (scanned.biller_id, scanned.ref1, scanned.ref2, scanned.amount_satang) == (
        BILLER,
        bill.ref1,
        bill.ref2,
        364_922,
    )
    barcode = payment_codes.parse_cross_bank_barcode(decode(client.get(barcode_url).content))
    assert (barcode.biller_id, barcode.ref1, barcode.ref2, barcode.amount_satang) == (
        BILLER,
        bill.ref1,
        bill.ref2,
        364_922,
    )


@pytest.mark.parametrize("state", [Bill.State.PAID, Bill.State.EXPIRED, Bill.State.CANCELLED])
def test_a_bill_that_cannot_be_paid_shows_no_codes_bill_06(member, held, state):
    """BILL-06: paid, expired and cancelled bills show no payment codes."""
    bill = BillFactory(factory=mirror_of(held), state=state)
    client = client_of(member)
    page = client.get(reverse("billing:bill_pay", args=[bill.pk])).content.decode()
    assert reverse("billing:bill_qr", args=[bill.pk]) not in page
    assert client.get(reverse("billing:bill_qr", args=[bill.pk])).status_code == 404
    assert client.get(reverse("billing:bill_barcode", args=[bill.pk])).status_code == 404


def test_a_bill_past_its_expiry_shows_no_codes(member, held):
    """Before the expiry sweep has run, a bill past its time is not payable either."""
    bill = BillFactory(factory=mirror_of(held), expires_at=timezone.now() - dt.timedelta(hours=1))
    client = client_of(member, "en")
    assert client.get(reverse("billing:bill_qr", args=[bill.pk])).status_code == 404
    page = client.get(reverse("billing:bill_pay", args=[bill.pk])).content.decode()
    assert 'data-testid="not-payable"' in page and "(Expired)" in page


def test_members_find_their_bills_in_the_header(member):
    page = client_of(member).get(reverse("factories:list")).content.decode()
    assert f'href="{reverse("billing:bill_list")}"' in page


def test_status_endpoint_tells_when_the_bill_is_paid_bill_07(member, held):
    """BILL-07: the status the payment page asks says when the bill is paid."""
    bill = BillFactory(factory=mirror_of(held))
    client = client_of(member)
    url = reverse("billing:bill_status", args=[bill.pk])
    assert client.get(url).json()["paid"] is False
    Bill.objects.filter(pk=bill.pk).update(state=Bill.State.PAID)
    answer = client.get(url)
    assert answer.json() == {
        "state": "paid",
        "paid": True,
        "url": reverse("billing:bill_detail", args=[bill.pk]),
    }
    assert "no-cache" in answer["Cache-Control"]
    page = client.get(reverse("billing:bill_pay", args=[bill.pk])).content.decode()
    assert 'data-testid="paid"' in page and "hidden" not in page.split('data-testid="paid"')[1][:5]


def test_payment_page_has_no_inline_script(member, held):
    bill = BillFactory(factory=mirror_of(held))
    page = client_of(member).get(reverse("billing:bill_pay", args=[bill.pk])).content.decode()
    assert "core/js/bill-status.js" in page
    assert "<script>" not in page and "onclick" not in page


# --- the PDF (BILL-07) ----------------------------------------------------------------------------


def test_bill_pdf_is_thai_with_the_codes_bill_07(member, held):
    """BILL-07: the bill's PDF, in Thai with Sarabun, carries the QR code and barcode."""
    bill = BillFactory(factory=mirror_of(held))
    answer = client_of(member, "en").get(reverse("billing:bill_pdf", args=[bill.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pdf = answer.content
    fonts = embedded_fonts(pdf)
    assert fonts and all("Sarabun" in name and embedded for name, embedded in fonts.items())
    text = pdf_text(pdf)
    # Sara am comes out either way (tests/documents/helpers.py), so check words without it.
    assert "ใบแจ้ง" in text and "ค่าธรรมเนียมรายปี" in text
    assert bill.ref1 in text and bill.ref2 in text
    assert "ไม่มีค่าบริการ" in text
    assert "Thai QR Payment" in text
    # Not signed: no signature footer (docs/decisions.md "The member's bill pages").
    assert "electronically signed" not in text


def test_pdf_of_a_paid_bill_has_no_codes(member, held):
    bill = BillFactory(factory=mirror_of(held), state=Bill.State.PAID)
    text = pdf_text(client_of(member).get(reverse("billing:bill_pdf", args=[bill.pk])).content)
    assert bill.ref1 in text and "Thai QR Payment" not in text


@pytest.mark.parametrize("name", ["bill_detail", "bill_pay", "bill_status"])
def test_bill_pages_read_the_bill_in_few_queries(member, held, name, django_assert_max_num_queries):
    """The bill, its factory and the permission in one query; the rest is the session's."""
    bill = BillFactory(factory=mirror_of(held))
    client = client_of(member)
    url = reverse(f"billing:{name}", args=[bill.pk])
    client.get(url)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_bill_06_the_factory_filter_offers_the_members_factories_escaped(member, held):
    """BILL-06: the filter offers each of the member's factories by name and number, the chosen
    one selected; a name is text, never markup."""
    held.factory.name_th = 'โรงงาน <b>"ทดสอบ"</b>'
    held.factory.save(update_fields=["name_th"])
    BillFactory(factory=mirror_of(held))
    number = held.factory.factory_no
    page = client_of(member).get(reverse("billing:bill_list"), {"factory": number})
    html = page.content.decode()
    assert (
        f'<option value="{number}" selected>โรงงาน &lt;b&gt;&#34;ทดสอบ&#34;&lt;/b&gt; '
        f"({number})</option>"
    ) in html
    assert "<b>" not in html.split('id="filter_factory"')[1].split("</select>")[0]
