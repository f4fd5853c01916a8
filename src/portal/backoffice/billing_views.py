"""The officers' bills (issue 10; ADM-01, BILL-05): the bills of the officer's province (every
province's for OPS), one bill, issuing a bill of another kind of fee, and starting the annual
bill run by hand (OPS) with its progress; the fee tables and their revision (DIW, OPS).

Scope is the billing selectors' and services' (core.scope Queue.BILLS: the provincial industry
office of the province, OPS nationwide); the guard here only spares a request that could not
succeed. The back office never reads billing's models itself (import contracts)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal.backoffice.views import (
    VIEW_BILLS_PERMISSION,
    VIEW_FEE_TABLES_PERMISSION,
    officer_required,
)
from portal.billing import selectors as billing_selectors
from portal.billing.services import (
    TABLE_PRICED,
    BillingError,
    bill_issue,
    due_window,
    fee_table_revise,
)
from portal.billing.tasks import bill_run_request_queued, factory_sync_request_queued
from portal.core.acting import acting_of
from portal.core.errors import PortalError
from portal.core.forms import PortalForm, ThaiDateField, form_add_service_error
from portal.core.jinja import choice_labels, jinja_html
from portal.core.money import Money
from portal.core.scope import Queue
from portal.core.views import paginate, paginate_by_keys, posted_data

ADD_BILL_PERMISSION = "billing.add_bill"
EDIT_FEE_TABLE_PERMISSION = "billing.edit_fee_table"


class BillFilterForm(PortalForm):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    due_from = ThaiDateField(label=gettext_lazy("Due from"), required=False, help_text="")
    due_until = ThaiDateField(label=gettext_lazy("Due until"), required=False, help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All states")),
            *billing_selectors.bill_state_choices(),
        ]


@officer_required(VIEW_BILLS_PERMISSION, Queue.BILLS)
@require_GET
def bills(request):
    """ADM-01: the bills an officer answers for, filtered by state and due date; a page
    costs the same queries whatever the number of bills (the count, then one page with its
    factories joined)."""
    form = BillFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = billing_selectors.bills_of_officer(
        acting=acting_of(request),
        state=filters.get("state") or None,
        due_from=filters.get("due_from"),
        due_until=filters.get("due_until"),
    )
    page = paginate_by_keys(request, rows)
    query = request.GET.copy()
    query.pop("page", None)
    rows = list(page.object_list)
    return render(
        request,
        "backoffice/bills.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "bill_rows": jinja_html(
                "backoffice/bill_rows.html",
                {
                    "rows": rows,
                    "kinds": choice_labels(billing_selectors.bill_kind_choices()),
                    "states": choice_labels(billing_selectors.bill_state_choices()),
                },
            ),
            "query": query.urlencode(),
            "may_issue": request.user.has_perm(ADD_BILL_PERMISSION),
            "may_run": request.user.has_perm(ADD_BILL_PERMISSION) and _may_start_bill_run(request),
        },
    )


@officer_required(VIEW_BILLS_PERMISSION, Queue.BILLS)
@require_GET
def bill_detail(request, bill_id):
    bill = billing_selectors.bill_of_officer(acting=acting_of(request), bill_id=bill_id)
    if bill is None:
        raise Http404
    return render(request, "backoffice/bill_detail.html", {"bill": bill})


class BillIssueForm(PortalForm):
    factory_no = forms.CharField(
        label=gettext_lazy("Factory registration number"),
        max_length=20,
        help_text=gettext_lazy("The 14 digits of the factory's registration number"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of fee"))
    period = forms.CharField(
        label=gettext_lazy("What the fee is for"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For example, the application or the period it covers"),
    )
    due_on = ThaiDateField(label=gettext_lazy("Due date"))
    amount = forms.CharField(
        label=gettext_lazy("Amount (baht)"),
        max_length=30,
        required=False,
        help_text=gettext_lazy(
            "For example, 1,500.50. Annual, licence, restart notice and machinery relocation "
            "fees are priced by their fee table: leave it empty."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, acting=None, **kwargs):
        # acting: whose scope the factory is looked up in (None: no factory is found).
        super().__init__(*args, **kwargs)
        self.acting = acting
        self.factory = None
        self.fields["kind"].choices = [("", _("Choose")), *billing_selectors.bill_kind_choices()]

    def clean_factory_no(self):
        number = "".join(self.cleaned_data["factory_no"].split()).replace("-", "")
        if self.acting is not None:
            self.factory = billing_selectors.factory_of_officer(
                acting=self.acting, factory_no=number
            )
        if self.factory is None:
            raise forms.ValidationError(
                _("No factory you may bill has this registration number."), code="unknown"
            )
        return number

    def clean_amount(self):
        text = self.cleaned_data["amount"].strip()
        if not text:
            return None
        try:
            money = Money.parse(text)
        except ValueError:
            raise forms.ValidationError(
                _("Enter the amount in baht, for example 1,500 or 1,500.50."), code="amount"
            ) from None
        if money.satang <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."), code="amount")
        return money

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind not in TABLE_PRICED and "amount" in data and data["amount"] is None:
            self.add_error("amount", _("Enter the amount in baht."))
        return data


@officer_required(ADD_BILL_PERMISSION, Queue.BILLS)
@require_http_methods(["GET", "POST"])
def bill_issue_page(request):
    """BILL-05: the officer types the bill, sees it again to confirm, and the bill is issued
    (audited by the service) and shown."""
    acting = acting_of(request)
    form = BillIssueForm(posted_data(request), acting=acting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "no":  # "Change": the form again, as typed
            return render(request, "backoffice/bill_issue.html", {"form": form})
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "backoffice/bill_issue_confirm.html",
                {
                    "form": form,
                    "data": data,
                    "factory": form.factory,
                    "kind_label": dict(billing_selectors.bill_kind_choices())[data["kind"]],
                    "table_priced": data["kind"] in TABLE_PRICED,
                },
            )
        try:
            bill = bill_issue(
                acting=acting,
                factory_no=data["factory_no"],
                kind=data["kind"],
                due_on=data["due_on"],
                amount_satang=data["amount"].satang if data["amount"] else None,
                period=data["period"],
                note=data["note"],
            )
        except BillingError as error:
            if error.field == "amount_satang":
                form.add_error("amount", error.message)
            else:
                form_add_service_error(form, error)
        else:
            messages.success(request, _("The bill was issued."))
            return redirect("backoffice:bill_detail", bill.pk)
    return render(request, "backoffice/bill_issue.html", {"form": form})


def _may_start_bill_run(request) -> bool:
    # The run is nationwide: the service lets OPS start it, not a provincial office.
    return acting_of(request).officer.agency == "OPS"


@officer_required(ADD_BILL_PERMISSION, Queue.BILLS)
@require_http_methods(["GET", "POST"])
def bill_run_start_page(request):
    """BILL-02: an OPS officer starts today's annual bill run now (it also runs daily by
    itself); it is queued as a background task and its progress page follows it."""
    if not _may_start_bill_run(request):
        raise Http404
    if request.method == "POST":
        try:
            run = bill_run_request_queued(acting=acting_of(request))
        except BillingError as error:
            messages.error(request, error.message)
        else:
            return redirect("backoffice:bill_run_progress", run.pk)
    first, last = due_window(timezone.localdate())
    return render(request, "backoffice/bill_run_start.html", {"due_from": first, "due_until": last})


@officer_required(ADD_BILL_PERMISSION, Queue.BILLS)
@require_GET
def bill_run_progress(request, run_id):
    """The run's progress, for the officer who started it only (the selector's rule)."""
    progress = billing_selectors.bill_run_progress(acting=acting_of(request), run_id=run_id)
    if progress is None:
        raise Http404
    return render(
        request, "backoffice/bill_run_progress.html", {"run_id": run_id, "progress": progress}
    )


# --- the DIW factory mirror's sync ------------------------------------------------------------


@officer_required()
@require_http_methods(["GET", "POST"])
def factory_sync(request):
    """The mirror of the DIW factory registry: its sync runs (national data: every run for
    whoever may see them), with their counts, progress, state and a failed run's reason; an
    officer who may starts a run now, as a background task (one running run at most, held
    by the database; audited by the service)."""
    acting = acting_of(request)
    if not billing_selectors.factory_sync_may(acting):
        raise Http404
    may_start = billing_selectors.factory_sync_may(acting, start=True)
    if request.method == "POST":
        if not may_start:
            raise Http404
        try:
            factory_sync_request_queued(acting=acting)
        except BillingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The synchronisation was started."))
        return redirect("backoffice:factory_sync")
    page = paginate(request, billing_selectors.factory_sync_runs(acting=acting))
    rows = list(page.object_list)
    return render(
        request,
        "backoffice/factory_sync.html",
        {
            "page": page,
            "rows": rows,
            "running": any(run.state == "running" for run in rows),
            "may_start": may_start,
        },
    )


# --- fee tables (BILL-01) ----------------------------------------------------------------------


@officer_required(VIEW_FEE_TABLES_PERMISSION, Queue.FEE_TABLES)
@require_GET
def fee_tables(request):
    """BILL-01: every version of every table, marked complete, incomplete or illustrative,
    in force or replaced."""
    return render(
        request,
        "backoffice/fee_tables.html",
        {
            "tables": list(billing_selectors.fee_tables_all()),
            "may_revise": request.user.has_perm(EDIT_FEE_TABLE_PERMISSION),
        },
    )


def _baht_text(satang: int) -> str:
    return Money(satang).format().replace(",", "")


def _hp_text(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


def tiers_as_text(tiers) -> str:
    """A table's lines as the revise form writes them, one a line: "no machinery: 300",
    "0-5: 150", "40000-: 43500" (horsepower from, below; amount in baht)."""
    lines = []
    for tier in tiers:
        amount = _baht_text(tier.amount_satang)
        if tier.no_machinery:
            lines.append(f"{NO_MACHINERY}: {amount}")
        elif tier.from_hp is None and tier.below_hp is None:
            lines.append(amount)
        else:
            lines.append(f"{_hp_text(tier.from_hp)}-{_hp_text(tier.below_hp)}: {amount}")
    return "\n".join(lines)


NO_MACHINERY = "no machinery"
NO_MACHINERY_TH = "ไม่มีเครื่องจักร"  # as a Thai officer writes the line


def tiers_from_text(text: str) -> list[dict]:
    """The form's lines as fee table lines (billing.fee_tables's format); ValueError names
    the line that cannot be read. Whether the lines cover every horsepower is the service's
    check."""
    tiers = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        head, colon, amount = line.rpartition(":")
        if not colon:
            head, amount = "", line
        try:
            baht = str(Money.parse(amount.strip()).as_decimal())
        except ValueError:
            raise ValueError(number) from None
        head = head.strip().lower()
        if head in (NO_MACHINERY, NO_MACHINERY_TH):
            tiers.append({"no_machinery": True, "baht": baht})
        elif not head:
            tiers.append({"baht": baht})
        else:
            low, dash, high = head.partition("-")
            if not dash or not low.strip().replace(".", "", 1).isdigit():
                raise ValueError(number)
            high = high.strip()
            if high and not high.replace(".", "", 1).isdigit():
                raise ValueError(number)
            tiers.append({"from_hp": low.strip(), "below_hp": high or None, "baht": baht})
    return tiers


class FeeTableReviseForm(PortalForm):
    version = forms.CharField(
        label=gettext_lazy("New version"),
        max_length=40,
        help_text=gettext_lazy("A name no version of this table has, for example 2569"),
    )
    effective_from = ThaiDateField(label=gettext_lazy("In force from"))
    is_complete = forms.BooleanField(
        label=gettext_lazy("The table is complete: bills may be made from it"), required=False
    )
    source = forms.CharField(
        label=gettext_lazy("Source of the amounts"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tiers = forms.CharField(
        label=gettext_lazy("Lines"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "One line each: horsepower from-below: baht, for example 0-5: 150 or 40000-: "
            "43500; no machinery: 300; a flat fee is the amount alone."
        ),
    )

    def clean_tiers(self):
        try:
            return tiers_from_text(self.cleaned_data["tiers"])
        except ValueError as error:
            raise forms.ValidationError(
                _("Line %(number)s cannot be read: write it as 0-5: 150.")
                % {"number": error.args[0]},
                code="line",
            ) from None


@officer_required(EDIT_FEE_TABLE_PERMISSION, Queue.FEE_TABLES)
@require_http_methods(["GET", "POST"])
def fee_table_revise_page(request, table_id):
    """BILL-01: a new version of a table, through the service (which refuses whoever may not,
    and audits the table before and after, ADM-03)."""
    table = billing_selectors.fee_table_by_id(table_id)
    if table is None:
        raise Http404
    initial = {
        "source": table.source,
        "is_complete": table.is_complete,
        "tiers": tiers_as_text(billing_selectors.fee_table_tiers(table)),
    }
    form = FeeTableReviseForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fee_table_revise(
                acting=acting_of(request),
                table=table,
                version=data["version"].strip(),
                effective_from=data["effective_from"],
                is_complete=data["is_complete"],
                tiers=data["tiers"],
                source=data["source"],
            )
        except BillingError as error:
            form_add_service_error(form, error)
        except PortalError as error:
            # The table's own checks (billing.fee_tables) speak English, for files: say in
            # the page's language that the lines are wrong, and keep their detail.
            form.add_error(
                "tiers",
                _("The lines do not make a valid table: %(detail)s") % {"detail": error.message},
            )
        else:
            messages.success(request, _("The new version of the fee table was saved."))
            return redirect("backoffice:fee_tables")
    return render(request, "backoffice/fee_table_revise.html", {"form": form, "table": table})
