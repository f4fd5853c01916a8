"""The member's bill pages' reads (BILL-02, BILL-03, BILL-06, BILL-07, BILL-11): which bills a
member may see, and what a bill's pages show.

Permission lives here, not in the views: a member sees the bills of the factories in their
profile held through a verified holding of the factory's business (operators' selectors say
which); a pending or rejected claim, or a holder of another business, sees none: the views
answer 404 for anything these return None or nothing for. Every read is a constant number of
queries (the factory numbers are a subquery, never a Python list).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from portal.billing import payment_codes
from portal.billing.models import Bill, Payment, ReconciliationIssue
from portal.core.money import Money
from portal.core.paging import page_by_keys
from portal.documents.selectors import document_series_state
from portal.operators import factory_selectors, selectors

__all__ = [
    "BILL_STATES",
    "MEMBER_ISSUE_KINDS",
    "BillCodes",
    "FactoryBillTab",
    "PaymentNotice",
    "bill_amounts",
    "bill_codes",
    "bill_is_payable",
    "bill_receipt_state",
    "factory_bill_tab",
    "fee_exemption",
    "member_bill",
    "member_bill_filter_choices",
    "member_bill_page",
    "member_bills",
    "member_payment_notices",
    "payment_issue_outcome",
    "payment_issue_why",
    "payment_notices_of_bills",
    "where_it_pays",
]

BILL_STATES = tuple(value for value, _label in Bill.State.choices)


def member_bills(
    *,
    member,
    factory_no: str | None = None,
    state: str | None = None,
    factory_nos: list[str] | None = None,
) -> QuerySet[Bill]:
    """Every bill of the member's factories, any state (BILL-06: the list of all bills keeps
    paid, cancelled and expired ones), newest due first; optionally of one factory and state.
    `factory_nos`: the member's factories as member_bill_filter_choices just read them (the
    list page has them already): the bills are then found from the numbers, without reading
    the member's holdings a second and third time for the count and the page."""
    if factory_nos is None:
        factory_nos = factory_selectors.member_verified_factory_nos(member=member)
    rows = Bill.objects.filter(factory__factory_no__any=factory_nos)
    if factory_no:
        rows = rows.filter(factory__factory_no=factory_no)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("factory").order_by("-due_on", "-pk")


# What a bill's card on the list shows (billing/jinja2/billing/bill_cards.html).
BILL_CARD_FIELDS = (
    "kind",
    "fee_year",
    "period",
    "amount_satang",
    "due_on",
    "state",
    "paid_at",
    "ref1",
    "factory__name_th",
    "factory__factory_no",
)


def member_bill_page(
    *,
    member,
    number,
    factory_nos: list[str],
    factory_no: str | None = None,
    state: str | None = None,
    per_page: int,
) -> Page:
    """One page of member_bills (BILL-06), read by key: the keys from the member's bills, then
    those bills alone with their factories (not the member's 300 factory numbers again)."""
    rows = member_bills(member=member, factory_no=factory_no, state=state, factory_nos=factory_nos)
    return page_by_keys(
        rows,
        number,
        per_page=per_page,
        # Only what a bill's card shows: a bill and its factory are wide rows.
        rows_of_keys=Bill.objects.select_related("factory").only(*BILL_CARD_FIELDS),
        # A member's bills are a few hundred, a consultant's some thousands (4,250 for 320
        # factories): counted beside the page's keys, where their own count cost as much.
        counted_with_keys=True,
    )


def member_bill_filter_choices(*, member) -> list[tuple[str, str]]:
    """(registration number, factory name) of the factories whose bills the member sees."""
    return factory_selectors.member_verified_factory_choices(member=member)


def member_bill(*, member, bill_id: int) -> Bill | None:
    """A bill of one of the member's factories, or None (404): another business's bill is
    never found."""
    return member_bills(member=member).filter(pk=bill_id).first()


# --- payments that did not pay their bill (BILL-08) -------------------------------------------

# The issues a member is told about: a payment of theirs that did not pay the bill as it was.
# (The others are the officers' bookkeeping: a statement line, a reference naming no bill.)
MEMBER_ISSUE_KINDS = (
    ReconciliationIssue.Kind.LATE_PAYMENT,
    ReconciliationIssue.Kind.AMOUNT_MISMATCH,
    ReconciliationIssue.Kind.EXTRA_PAYMENT,
)


@dataclass(frozen=True)
class PaymentNotice:
    """A payment the bank confirmed that did not pay its bill, as the member reads it: why,
    and what the provincial industry office decides (or will)."""

    bill_id: int
    bill_ref1: str
    amount: Money
    paid_at: dt.datetime
    why: str
    resolved: bool
    outcome: str
    resolved_at: dt.datetime | None


def payment_issue_why(kind: str) -> str:
    """Why the payment did not pay its bill, in the member's words (page and message)."""
    if kind == ReconciliationIssue.Kind.LATE_PAYMENT:
        return _(
            "Received after the bill had expired or was cancelled, so it did not pay the bill."
        )
    if kind == ReconciliationIssue.Kind.AMOUNT_MISMATCH:
        return _("The amount received differs from the bill's, so it did not pay the bill.")
    return _("The bill had already been paid: this is a second payment.")


def payment_issue_outcome(issue: ReconciliationIssue) -> str:
    """What the provincial industry office decided, or that it will (page and message)."""
    if issue.state != ReconciliationIssue.State.RESOLVED:
        return _(
            "The money is recorded, not lost. The provincial industry office will decide "
            "whether it pays the bill or is refunded; its decision will be shown here."
        )
    if issue.resolution == ReconciliationIssue.Resolution.SETTLE:
        return _("The provincial industry office counted this payment as paying the bill.")
    if issue.resolution == ReconciliationIssue.Resolution.REFUND:
        return _("The provincial industry office decided to refund this payment to the payer.")
    return _("The provincial industry office checked this payment and left the bill as it is.")


def _notice(issue: ReconciliationIssue) -> PaymentNotice:
    return PaymentNotice(
        bill_id=issue.bill_id,
        bill_ref1=issue.bill.ref1,
        amount=Money(issue.amount_satang),
        paid_at=issue.payment.paid_at,
        why=payment_issue_why(issue.kind),
        resolved=issue.state == ReconciliationIssue.State.RESOLVED,
        outcome=payment_issue_outcome(issue),
        resolved_at=issue.resolved_at,
    )


def _member_issues() -> QuerySet[ReconciliationIssue]:
    # Only what a notice shows: the bill's and the payment's other columns are not read.
    return (
        ReconciliationIssue.objects.filter(kind__in=MEMBER_ISSUE_KINDS, payment__isnull=False)
        .select_related("payment", "bill")
        .only(
            "bill_id",
            "bill__ref1",
            "amount_satang",
            "payment__paid_at",
            "kind",
            "state",
            "resolution",
            "resolved_at",
        )
        .order_by("payment__paid_at", "pk")
    )


def payment_notices_of_bills(bills: list[Bill]) -> dict[int, list[PaymentNotice]]:
    """BILL-08: the payments of these bills (already the member's, from member_bills) that
    did not pay them, with what became of each; one query whatever the number of bills."""
    return member_payment_notices(bills=bills, factory_nos=[])[0]


def member_payment_notices(
    *, bills: list[Bill], factory_nos: list[str], pending_limit: int = 20
) -> tuple[dict[int, list[PaymentNotice]], list[PaymentNotice]]:
    """BILL-08, for the bill list, in one query: the payments of these bills (the page's,
    already the member's) that did not pay them, by bill; and the payments of any bill of the
    factories numbered `factory_nos` (the member's, from member_bill_filter_choices) still
    awaiting the office's decision, whatever page their bill is on (the first
    `pending_limit`). A member's open issues are a handful: they are all read."""
    if not bills and not factory_nos:
        return {}, []
    wanted = Q(bill_id__in=[bill.pk for bill in bills])
    if factory_nos:
        wanted |= Q(
            state=ReconciliationIssue.State.OPEN, bill__factory__factory_no__any=factory_nos
        )
    page_bills = {bill.pk for bill in bills}
    by_bill: dict[int, list[PaymentNotice]] = {}
    pending: list[PaymentNotice] = []
    for issue in _member_issues().filter(wanted):
        notice = _notice(issue)
        if issue.bill_id in page_bills:
            by_bill.setdefault(issue.bill_id, []).append(notice)
        if factory_nos and issue.state == ReconciliationIssue.State.OPEN:
            pending.append(notice)
    return by_bill, pending[:pending_limit]


# --- the factory's bill tab ------------------------------------------------------------------


def where_it_pays(supervisor: str) -> str:
    """BILL-02: the portal bills only factories a provincial industry office supervises; the
    others are told where they pay. "" for those the portal bills."""
    if supervisor == "DIW":
        return _(
            "This factory is supervised by the Department of Industrial Works in Bangkok: the "
            "portal does not issue its bills. Pay its fees to the Department of Industrial Works."
        )
    if supervisor == "IEAT":
        return _(
            "This factory is in an industrial estate supervised by the Industrial Estate "
            "Authority of Thailand: the portal does not issue its bills. Pay its fees as the "
            "Industrial Estate Authority of Thailand tells you."
        )
    if supervisor != "PIO":
        return _(
            "The portal does not issue this factory's bills. Ask the office that supervises it "
            "where to pay."
        )
    return ""


def fee_exemption(*, province: str, district: str, industrial_estate: str) -> str:
    """BILL-03: why a factory in this place pays no annual fee (and, in the exempt provinces
    and districts, no licence fee either); "" when it pays."""
    if province in settings.BILL_EXEMPT_AREAS:
        districts = settings.BILL_EXEMPT_AREAS[province]
        if not districts or district in districts:
            return _(
                "Factories in Narathiwat, Pattani, Yala and the Songkhla districts of Chana, "
                "Thepha, Na Thawi and Saba Yoi are exempt from the licence fee and the annual "
                "fee."
            )
    if industrial_estate and settings.BILL_ANNUAL_FEE_EXEMPT_IN_INDUSTRIAL_ESTATE:
        return _(
            "Factories inside an industrial estate under the Industrial Estate Authority of "
            "Thailand Act are exempt from the annual fee."
        )
    return ""


@dataclass(frozen=True)
class FactoryBillTab:
    row: object  # the member's FactoryHolding (with its factory and business)
    verified: bool  # the holding is verified: only then are bills shown
    bills: list[Bill]
    where_it_pays: str  # BILL-02
    exemption: str  # BILL-03


def factory_bill_tab(*, member, factory_holding_id: int) -> FactoryBillTab | None:
    """BILL-06: the open bills (awaiting payment) of a factory in the member's profile; None
    when it is not in their profile (404). Two queries whatever the number of bills."""
    row = factory_selectors.member_factory(member=member, factory_holding_id=factory_holding_id)
    if row is None:
        return None
    factory = row.factory
    verified = selectors.holding_is_verified(row.holding)
    bills = (
        list(
            Bill.objects.filter(
                factory__factory_no=factory.factory_no, state=Bill.State.AWAITING_PAYMENT
            )
            .select_related("factory")
            .order_by("-due_on", "-pk")
        )
        if verified
        else []
    )
    return FactoryBillTab(
        row=row,
        verified=verified,
        bills=bills,
        where_it_pays=where_it_pays(factory.supervisor),
        exemption=fee_exemption(
            province=factory.province,
            district=factory.district,
            industrial_estate=factory.industrial_estate,
        ),
    )


# --- the payment channels (BILL-07) ----------------------------------------------------------


@dataclass(frozen=True)
class BillCodes:
    biller_id: str
    qr_payload: str  # Thai QR bill payment, tag 30, with the amount
    barcode_data: str  # the cross-bank bill payment barcode


def bill_codes(bill: Bill) -> BillCodes:
    """The Thai QR payload and the barcode text of a bill: the biller ID from the settings,
    Ref1, Ref2 and the amount to pay, in satang (BILL-10)."""
    biller_id = settings.BILL_PAYMENT_BILLER_ID
    return BillCodes(
        biller_id=biller_id,
        qr_payload=payment_codes.thai_qr_payload(
            biller_id=biller_id, ref1=bill.ref1, ref2=bill.ref2, amount_satang=bill.amount_satang
        ),
        barcode_data=payment_codes.cross_bank_barcode_data(
            biller_id=biller_id, ref1=bill.ref1, ref2=bill.ref2, amount_satang=bill.amount_satang
        ),
    )


def bill_is_payable(bill: Bill, *, now: dt.datetime) -> bool:
    """Only a bill awaiting payment and not past its expiry shows payment codes (BILL-06):
    paid, cancelled and expired ones show none."""
    return bill.state == Bill.State.AWAITING_PAYMENT and bill.expires_at > now


def bill_amounts(bill: Bill) -> dict[str, Money]:
    return {
        "fee": Money(bill.fee_satang),
        "surcharge": Money(bill.surcharge_satang),
        "total": Money(bill.amount_satang),
    }


def bill_receipt_state(bill: Bill):
    """BILL-09: for the bill page, whether its receipt's original is still to download and how
    many copies remain; None while the bill is not settled by a payment."""
    payment_id = (
        Payment.objects.filter(bill=bill, status=Payment.Status.SETTLED)
        .values_list("pk", flat=True)
        .first()
    )
    if payment_id is None:
        return None
    return document_series_state(kind="receipt", subject_app="billing", subject_id=str(payment_id))
