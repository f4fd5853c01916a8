"""Factory fees and bills (BILL-01 to BILL-06, BILL-10): the DIW factory mirror, fee tables,
bills and the runs that make them.

Money is integer satang (BigIntegerField) everywhere, never a float (BILL-10).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DiwFactory(models.Model):
    """One factory of the DIW registry, every one of them (not only those members added):
    the mirror the annual bill run works from (docs/decisions.md, "DIW factory mirror").
    Kept by factories_sync from the registries' DIW port; never edited in the portal."""

    factory_no = models.CharField(max_length=14, unique=True)  # FAC-04
    factory_no_old = models.CharField(max_length=60, blank=True)
    name_th = models.CharField(max_length=300, blank=True)
    licence = models.CharField(max_length=20, blank=True)
    factory_class = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=20, blank=True)
    horsepower = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=30, blank=True)
    operation_started_on = models.DateField(null=True, blank=True)
    # month * 100 + day of operation_started_on: the annual fee's due day (BILL-02), indexed so
    # that the bill run finds the factories due on given days without reading every row.
    anniversary = models.PositiveSmallIntegerField(null=True, blank=True)
    licensed_on = models.DateField(null=True, blank=True)
    province = models.CharField(max_length=60, blank=True)
    district = models.CharField(max_length=80, blank=True)
    industrial_estate = models.CharField(max_length=200, blank=True)
    supervisor = models.CharField(max_length=10, blank=True)  # DIW, PIO, IEAT
    # When DIW last changed the record (the sync's cursor), and when the portal last wrote it.
    registry_changed_at = models.DateTimeField()
    synced_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["supervisor", "anniversary", "id"], name="diwfactory_due_idx"),
            models.Index(fields=["province"], name="diwfactory_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.factory_no} {self.name_th}"


class FactorySyncRun(models.Model):
    """One synchronisation of the mirror: its progress, counts, cursor and failure."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    # Where DIW's "changed since" listing stood when the run started, and stands now: the last
    # (change time, factory number) written. A resumed or the next run continues from here.
    since_changed_at = models.DateTimeField(null=True, blank=True)
    cursor_changed_at = models.DateTimeField(null=True, blank=True)
    cursor_factory_no = models.CharField(max_length=14, blank=True)
    pages = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # The officer who started it by hand; None when the schedule or the command did.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            # One run at a time: a second start while one runs is refused by the database.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="running"), name="factorysync_one_running"
            ),
        ]
        indexes = [models.Index(fields=["state", "-started_at"], name="factorysync_state_idx")]

    def __str__(self) -> str:
        return f"sync #{self.pk} {self.state}"


class FeeTable(models.Model):
    """A fee table version (BILL-01, PRM-06): tiers by horsepower or one flat amount, in force
    from `effective_from`. An incomplete table (only what the source material gives) is never
    billed from; an illustrative one (sandbox only) marks every bill made from it."""

    class Basis(models.TextChoices):
        HORSEPOWER = "horsepower", _("By machine horsepower")
        FLAT = "flat", _("Flat amount")

    code = models.CharField(max_length=30)  # annual, licence, restart_notice, ...
    version = models.CharField(max_length=40)
    title_th = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    basis = models.CharField(max_length=12, choices=Basis.choices)
    effective_from = models.DateField()
    is_complete = models.BooleanField()
    illustrative = models.BooleanField(default=False)
    source = models.TextField(blank=True)  # where the amounts come from
    source_file = models.CharField(max_length=200, blank=True)  # "" when an officer made it
    # A later version that replaces this one from the same date on; None while in force.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="feetable_code_version"),
        ]
        indexes = [models.Index(fields=["code", "-effective_from"], name="feetable_lookup_idx")]
        permissions = [("edit_fee_table", "Can revise fee tables")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class FeeTier(models.Model):
    """One line of a fee table: from `from_hp` (inclusive) below `below_hp` (exclusive, None:
    no upper end), or the "no machinery" line; a flat table has one line with neither."""

    table = models.ForeignKey(FeeTable, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField()
    no_machinery = models.BooleanField(default=False)
    from_hp = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    below_hp = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_satang = models.BigIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="feetier_position"),
            models.CheckConstraint(condition=Q(amount_satang__gte=0), name="feetier_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.table_id}#{self.position}"


class BillRun(models.Model):
    """One annual bill run (BILL-02): the factories due within the horizon of `run_on`, billed
    in chunks ordered by mirror id; `cursor` (the last id done) is committed with each chunk,
    so a run killed in the middle resumes where it stopped."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    run_on = models.DateField()
    first_due_on = models.DateField()
    last_due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)  # factories to go through
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)  # bills this run added
    cursor = models.BigIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["run_on", "state"], name="billrun_day_idx"),
            models.Index(fields=["started_by", "-created_at"], name="billrun_starter_idx"),
        ]

    def __str__(self) -> str:
        return f"bill run #{self.pk} {self.run_on} {self.state}"


class RefCounter(models.Model):
    """The running numbers of bill references (docs/decisions.md "Bill references"): drawn by
    one UPDATE ... RETURNING, which PostgreSQL and the embedded SQLite both run, so that
    concurrent runs and officers never draw the same number."""

    name = models.CharField(max_length=20, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Bill(models.Model):
    """A bill [ใบแจ้งชำระเงิน] for one factory (BILL-02 to BILL-06, BILL-10)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual fee")
        LICENCE = "licence", _("Licence fee")
        EXPANSION = "expansion", _("Factory expansion fee")
        LICENCE_TRANSFER = "licence_transfer", _("Licence transfer fee")
        OPERATION_NOTICE = "operation_notice", _("Operation notice fee")
        REPLACEMENT_LICENCE = "replacement_licence", _("Replacement licence fee")
        RESTART_NOTICE = "restart_notice", _("Notice of restarting operation fee")
        MACHINERY_RELOCATION = "machinery_relocation", _("Temporary machinery relocation fee")
        OTHER = "other", _("Other fee under the Factory Act")

    class State(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Indexed first in bill_factory_due_idx and bill_factory_state_idx, not alone.
    factory = models.ForeignKey(
        DiwFactory, on_delete=models.PROTECT, related_name="bills", db_index=False
    )
    # Denormalised from the factory when issued: the officer lists filter on it (ADM-01).
    province = models.CharField(max_length=60)
    fee_year = models.PositiveSmallIntegerField(null=True, blank=True)  # Gregorian; annual only
    period = models.CharField(max_length=100, blank=True)  # what an officer-issued bill is for
    fee_satang = models.BigIntegerField()
    surcharge_satang = models.BigIntegerField(default=0)
    surcharge_months = models.PositiveSmallIntegerField(default=0)
    amount_satang = models.BigIntegerField()  # fee + surcharge: what the bank collects
    due_on = models.DateField()
    issued_on = models.DateField()
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.AWAITING_PAYMENT)
    # docs/decisions.md "Bill references": Ref1 the bill's number (kind, running number from
    # RefCounter, check digit), Ref2 the factory's 14-digit number; digits only, as bank
    # barcodes take them.
    ref1 = models.CharField(max_length=18, unique=True)
    ref2 = models.CharField(max_length=18)
    fee_table = models.ForeignKey(
        FeeTable, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fee_table_version = models.CharField(max_length=80, blank=True)
    illustrative = models.BooleanField(default=False)
    reissue_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissues"
    )
    bill_run = models.ForeignKey(
        BillRun, null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # When the bank took the payment that settled it (BILL-06, BILL-08); None unless paid.
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # BILL-02: exactly one annual bill per factory and fee year, whoever runs the run
            # and however often; re-issues with a surcharge point at it and are not counted.
            models.UniqueConstraint(
                fields=["factory", "fee_year"],
                condition=Q(kind="annual", reissue_of__isnull=True),
                name="bill_one_annual_per_factory_year",
            ),
            # BILL-11: what the bank collects is the fee and its surcharge, nothing else: the
            # portal adds no service fee of its own.
            models.CheckConstraint(
                condition=Q(amount_satang=models.F("fee_satang") + models.F("surcharge_satang")),
                name="bill_amount_is_fee_plus_surcharge",
            ),
            models.CheckConstraint(
                condition=Q(fee_satang__gte=0, surcharge_satang__gte=0),
                name="bill_amounts_gte_0",
            ),
            models.UniqueConstraint(fields=["ref1", "ref2"], name="bill_refs"),
        ]
        indexes = [
            # The member's bill tab and list: a factory's bills by state, newest due first.
            models.Index(fields=["factory", "state", "-due_on"], name="bill_factory_state_idx"),
            # The member's list of all bills in its order: a page's keys come from this index
            # alone, without reading the thousands of bills of a large profile (bench/pages).
            models.Index(fields=["factory", "-due_on", "-id"], name="bill_factory_due_idx"),
            # The officer's province list by state and due date (ADM-01), the key included so
            # that a page's keys come from the index alone.
            models.Index(fields=["province", "state", "due_on", "id"], name="bill_province_idx"),
            # The same list of every state, in its order (due date, id): a page is read from
            # the index without sorting the province's bills (bench/pages, docs/benchmarks.md).
            models.Index(fields=["province", "due_on", "id"], name="bill_province_due_idx"),
            # Expiry sweep and the nationwide officer list.
            models.Index(fields=["state", "expires_at"], name="bill_state_expiry_idx"),
            models.Index(fields=["bill_run", "factory"], name="bill_run_idx"),
        ]

    def __str__(self) -> str:
        return f"bill {self.ref1} {self.kind} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.AWAITING_PAYMENT


class Payment(models.Model):
    """One payment a bank reports for a bill (BILL-08), from its callback or, when the callback
    never came, from its daily statement. Every payment the bank confirms is recorded, even
    one that does not settle the bill (late, wrong amount, a second payment): never lost."""

    class Source(models.TextChoices):
        CALLBACK = "callback", _("Bank callback")
        STATEMENT = "statement", _("Bank statement")

    class Status(models.TextChoices):
        SETTLED = "settled", _("Settled the bill")
        LATE = "late", _("Late: the bill had expired or was cancelled")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs from the bill")
        EXTRA = "extra", _("The bill was already paid")

    class Review(models.TextChoices):
        NONE = "none", _("Nothing to review")
        PENDING = "pending", _("Awaiting an officer")
        RESOLVED = "resolved", _("Resolved by an officer")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    bank_code = models.CharField(max_length=20)
    bank_transaction_id = models.CharField(max_length=64)
    amount_satang = models.BigIntegerField()
    paid_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    late = models.BooleanField(default=False)
    review_state = models.CharField(max_length=10, choices=Review.choices, default=Review.NONE)
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            # BILL-08: a repeated callback (or its statement line) is the same payment.
            models.UniqueConstraint(
                fields=["bank_code", "bank_transaction_id"], name="payment_bank_transaction"
            ),
            # At most one payment settles a bill; any other is recorded and flagged.
            models.UniqueConstraint(
                fields=["bill"], condition=Q(status="settled"), name="payment_one_settles_bill"
            ),
            models.CheckConstraint(condition=Q(amount_satang__gt=0), name="payment_amount_gt_0"),
        ]
        indexes = [
            models.Index(fields=["bank_code", "paid_at"], name="payment_bank_day_idx"),
            models.Index(fields=["bill", "-paid_at"], name="payment_bill_idx"),
        ]

    def __str__(self) -> str:
        return f"payment {self.bank_code}/{self.bank_transaction_id} {self.status}"


class BankCallbackLog(models.Model):
    """Every callback received, accepted or refused: the SHA-256 of its raw body, whether its
    signature held and what came of it. Never the secret, the signature or the body."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", _("Payment recorded")
        DUPLICATE = "duplicate", _("Repeat of a recorded payment")
        UNKNOWN_BILL = "unknown_bill", _("No bill has these references")
        UNSIGNED = "unsigned", _("Refused: not signed")
        SIGNATURE = "signature", _("Refused: bad signature")
        STALE = "stale", _("Refused: signed outside the time window")
        MALFORMED = "malformed", _("Refused: not in the format")

    bank_code = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    body_sha256 = models.CharField(max_length=64)
    signature_valid = models.BooleanField()
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    bank_transaction_id = models.CharField(max_length=64, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )

    class Meta:
        indexes = [models.Index(fields=["bank_code", "-received_at"], name="callbacklog_bank_idx")]

    def __str__(self) -> str:
        return f"callback {self.bank_code} {self.outcome}"


class StatementRun(models.Model):
    """One reconciliation of a bank's daily statement with the recorded payments."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    bank_code = models.CharField(max_length=20)
    day = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    lines = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    recorded = models.PositiveIntegerField(default=0)  # payments recorded from the statement
    issues = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["bank_code", "-day"], name="statementrun_bank_day_idx")]

    def __str__(self) -> str:
        return f"statement {self.bank_code} {self.day} {self.state}"


class ReconciliationIssue(models.Model):
    """The officers' queue of what does not add up (BILL-08): a payment that does not settle
    its bill as it is, or a statement and the recorded payments that disagree."""

    class Kind(models.TextChoices):
        LATE_PAYMENT = "late_payment", _("Late payment of an expired or cancelled bill")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount paid differs from the bill")
        EXTRA_PAYMENT = "extra_payment", _("Payment of a bill already paid")
        UNKNOWN_REFERENCE = "unknown_reference", _("No bill has the references paid")
        FROM_STATEMENT = "from_statement", _("Recorded from the statement: no callback came")
        STATEMENT_AMOUNT = "statement_amount", _("Statement amount differs from the callback")
        NOT_IN_STATEMENT = "not_in_statement", _("Callback without a statement line")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        SETTLE = "settle", _("Count the payment as settling the bill")
        REFUND = "refund", _("Refund the payer")
        NOTED = "noted", _("Checked: nothing to change")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    bank_code = models.CharField(max_length=20)
    bank_transaction_id = models.CharField(max_length=64)
    ref1 = models.CharField(max_length=20, blank=True)
    ref2 = models.CharField(max_length=20, blank=True)
    amount_satang = models.BigIntegerField()
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    statement_run = models.ForeignKey(
        StatementRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The bill's province (ADM-01: the PIO of the province sees it); "" for unknown references,
    # which only OPS, nationwide, sees.
    province = models.CharField(max_length=60, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One issue of a kind per bank transaction, however often callbacks and
            # reconciliations meet it.
            models.UniqueConstraint(
                fields=["kind", "bank_code", "bank_transaction_id"], name="issue_once"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "province", "created_at"], name="issue_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"issue {self.kind} {self.bank_code}/{self.bank_transaction_id} {self.state}"
