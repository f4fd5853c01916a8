"""The member's bill pages (BILL-02, BILL-03, BILL-06, BILL-07, BILL-10, BILL-11): the
factory's bill tab, all bills, the bill page, the payment page with its QR code and barcode
images and its status for the page's script, and the bill's PDF.

Every bill is looked up through billing.member_selectors, which find only the bills of the
member's own verified factories: anything else is a 404, never a 403 that would say it exists.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.billing import member_selectors, payment_codes, services
from portal.billing.models import Bill
from portal.core.errors import PortalError
from portal.core.jinja import choice_labels, jinja_html
from portal.documents.helpers import signed_document_response
from portal.documents.rendering import render_pdf


def _bill_or_404(request, bill_id: int) -> Bill:
    bill = member_selectors.member_bill(member=request.user, bill_id=bill_id)
    if bill is None:
        raise Http404
    return bill


def _payable_bill_or_404(request, bill_id: int) -> Bill:
    # A paid, cancelled or expired bill has no payment codes (BILL-06): its images are gone too.
    bill = _bill_or_404(request, bill_id)
    if not member_selectors.bill_is_payable(bill, now=timezone.now()):
        raise Http404
    return bill


def _bill_context(bill: Bill) -> dict:
    amounts = member_selectors.bill_amounts(bill)
    payable = member_selectors.bill_is_payable(bill, now=timezone.now())
    return {
        "bill": bill,
        "fee": amounts["fee"],
        "surcharge": amounts["surcharge"],
        "total": amounts["total"],
        "total_words": amounts["total"].words(),
        "payable": payable,
        # A bill past its time reads as expired even before the expiry sweep has run.
        "state_label": (
            Bill.State.EXPIRED.label
            if bill.state == Bill.State.AWAITING_PAYMENT and not payable
            else bill.get_state_display()
        ),
    }


@login_required
@require_GET
def factory_bills(request, factory_holding_id):
    """The factory's bill tab: its open bills (BILL-06), or where it pays (BILL-02), or why
    it pays no fee (BILL-03)."""
    tab = member_selectors.factory_bill_tab(
        member=request.user, factory_holding_id=factory_holding_id
    )
    if tab is None:
        raise Http404
    return render(
        request,
        "billing/factory_bills.html",
        {
            "tab": tab,
            "row": tab.row,
            "factory": tab.row.factory,
            "bill_cards": _bill_cards(tab.bills),
        },
    )


def _bill_cards(bills):
    return jinja_html(
        "billing/bill_cards.html",
        {
            "bills": bills,
            "kinds": choice_labels(Bill.Kind.choices),
            "states": choice_labels(Bill.State.choices),
        },
    )


# Bill cards are tall: 20 a page keeps a phone's page short (docs/decisions.md, "Bill list").
BILLS_PER_PAGE = 20


@login_required
@require_GET
def bill_list(request):
    """All bills of the member's factories, any state, filtered by factory and state (BILL-06)."""
    factories = member_selectors.member_bill_filter_choices(member=request.user)
    factory_no = request.GET.get("factory", "")
    state = request.GET.get("state", "")
    # The choices are the member's own factories and the bill states: anything else is
    # another's factory or made up, and is answered as if it did not exist.
    if factory_no and factory_no not in {number for number, _name in factories}:
        raise Http404
    if state and state not in member_selectors.BILL_STATES:
        raise Http404
    # The member's factories are read once, for the filter; the bills and the notices are
    # found from their numbers.
    factory_nos = [number for number, _name in factories]
    page = member_selectors.member_bill_page(
        member=request.user,
        number=request.GET.get("page"),
        factory_nos=factory_nos,
        factory_no=factory_no,
        state=state,
        per_page=BILLS_PER_PAGE,
    )
    bills = list(page.object_list)
    # BILL-08: payments that did not pay their bill, beside it, and every one still awaiting
    # the office's decision at the top, whatever page its bill is on.
    notices, pending_notices = member_selectors.member_payment_notices(
        bills=bills, factory_nos=factory_nos
    )
    for bill in bills:
        bill.payment_notices = notices.get(bill.pk, [])
    query = "&".join(
        f"{name}={value}" for name, value in (("factory", factory_no), ("state", state)) if value
    )
    # A consultant's hundreds of factories: Django's template loop cost 12 ms for 320 options.
    factory_options = jinja_html(
        "core/options.html",
        {
            "options": [(number, f"{name} ({number})") for number, name in factories],
            "selected": factory_no,
        },
    )
    return render(
        request,
        "billing/bill_list.html",
        {
            "bills": bills,
            "bill_cards": _bill_cards(bills),
            "factory_options": factory_options,
            "pending_notices": pending_notices,
            "page": page,
            "query": query,
            "factories": factories,
            "states": Bill.State.choices,
            "selected_factory": factory_no,
            "selected_state": state,
            "filtered": bool(query),
        },
    )


@login_required
@require_GET
def bill_detail(request, bill_id):
    """The bill page (BILL-07)."""
    bill = _bill_or_404(request, bill_id)
    context = _bill_context(bill)
    context["receipt"] = member_selectors.bill_receipt_state(bill)
    notices = member_selectors.payment_notices_of_bills([bill]).get(bill.pk, [])
    context["payment_notices"] = notices
    context["payment_notices_html"] = jinja_html(
        "billing/payment_notices.html", {"notices": notices}
    )
    return render(request, "billing/bill_detail.html", context)


@login_required
@require_GET
def bill_pay(request, bill_id):
    """The payment page (BILL-07): the Thai QR code and the cross-bank barcode with Ref1 and
    Ref2 beside them; its script asks bill_status until the bill is paid."""
    bill = _bill_or_404(request, bill_id)
    context = _bill_context(bill)
    context["biller_id"] = settings.BILL_PAYMENT_BILLER_ID
    context["poll_seconds"] = settings.BILL_STATUS_POLL_SECONDS
    return render(request, "billing/bill_pay.html", context)


@login_required
@require_GET
def bill_qr(request, bill_id):
    """The Thai QR bill payment code (tag 30) of a payable bill, as a PNG."""
    bill = _payable_bill_or_404(request, bill_id)
    codes = member_selectors.bill_codes(bill)
    response = HttpResponse(payment_codes.qr_png(codes.qr_payload), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def bill_barcode(request, bill_id):
    """The cross-bank bill payment barcode of a payable bill, as a PNG."""
    bill = _payable_bill_or_404(request, bill_id)
    codes = member_selectors.bill_codes(bill)
    response = HttpResponse(payment_codes.barcode_png(codes.barcode_data), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_GET
def bill_status(request, bill_id):
    """The bill's state for the payment page's script (core/js/bill-status.js)."""
    bill = _bill_or_404(request, bill_id)
    return JsonResponse(
        {
            "state": bill.state,
            "paid": bill.state == Bill.State.PAID,
            "url": reverse("billing:bill_detail", args=[bill.pk]),
        }
    )


@login_required
@require_GET
def bill_pdf(request, bill_id):
    """The bill as a PDF to print, in Thai, with the same QR code and barcode while it may be
    paid (BILL-07). Not signed: a bill is a request to pay, not a record anyone relies on
    (docs/decisions.md "The member's bill pages")."""
    bill = _bill_or_404(request, bill_id)
    context = _bill_context(bill)
    if context["payable"]:
        codes = member_selectors.bill_codes(bill)
        context["biller_id"] = codes.biller_id
        context["qr_svg"] = payment_codes.qr_svg(codes.qr_payload)
        context["barcode_svg"] = payment_codes.barcode_svg(codes.barcode_data)
    pdf = render_pdf("billing/pdf/bill.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bill-{bill.ref1}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_POST
def bill_receipt(request, bill_id):
    """BILL-09: the signed receipt, original once then two copies; a POST because each download
    spends one of them (a link a browser prefetches must not)."""
    _bill_or_404(request, bill_id)
    try:
        document = services.receipt_issue(
            acting=request.acting,
            member=request.user,
            bill_id=bill_id,
            copy=request.POST.get("which") == "copy",
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("billing:bill_detail", bill_id)
    return signed_document_response(document)
