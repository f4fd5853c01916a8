"""Applications made under a procedure definition (PRM-01 to PRM-12).

The definition (portal.permits.definitions) says what a procedure is; these rows say what
happened to one application: its answers and files, who signed them off (PRM-10), each step with
its due date (PRM-07), the pauses of the clock and the deficiency records behind them (PRM-08,
PRM-12), inspections, the decision and its letter (PRM-09), and the notices sent.

Due dates are stored, not computed on every page: they change only at a transition (a step
starts, a pause ends), so the officer's queue sorts and filters on indexed columns at any size.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting the document check")
        DEFICIENT = "deficient", _("Waiting for missing documents")
        IN_REVIEW = "in_review", _("Under consideration")
        CORRECTIONS = "corrections", _("Corrections ordered")
        DECIDED = "decided", _("Decided")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES = (State.SUBMITTED, State.DEFICIENT, State.IN_REVIEW, State.CORRECTIONS)

    procedure_code = models.CharField(max_length=60)
    procedure_version = models.PositiveIntegerField()
    # The application's public number, given at submission (a draft has none).
    number = models.CharField(max_length=30, unique=True, null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # Who applies: the member who made and signs it, and for whom (the principal: the member
    # or, when acting for a business, that business; DEL rules resolve a delegate's principal).
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="permit_applications"
    )
    principal_key = models.CharField(max_length=80)  # core.acting.Party.key
    business = models.ForeignKey(
        "operators.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    factory = models.ForeignKey(
        "operators.Factory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Routing (ADM-01): the agency and area that answer for the application, fixed at
    # submission from the factory's place (DIW in Bangkok, the provincial office elsewhere).
    agency = models.CharField(max_length=10, blank=True)
    province = models.CharField(max_length=60, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # the form's answers, by field key
    self_assessment = models.JSONField(default=dict, blank=True)  # PRM-05's answers
    horsepower = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    fee_satang = models.BigIntegerField(null=True, blank=True)  # shown before submitting
    fee_table_version = models.CharField(max_length=60, blank=True)
    # The officer handling it now (assign to oneself or a colleague); never the applicant.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_permit_applications",
    )
    current_step = models.CharField(max_length=40, blank=True)  # the running step's key
    # Denormalised from the running step for the queue: its due date, and whether the clock
    # is paused (a deficiency record open, corrections ordered).
    current_due_on = models.DateField(null=True, blank=True)
    clock_paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    clock_started_on = models.DateField(null=True, blank=True)  # documents complete (PRM-08)
    due_on = models.DateField(null=True, blank=True)  # the whole procedure's due date
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_key = models.CharField(max_length=40, blank=True)
    # granted, acknowledged, refused or returned
    outcome = models.CharField(max_length=20, blank=True)
    reasons = models.TextField(blank=True)  # refusal reasons, or why returned
    conditions = models.JSONField(default=list, blank=True)  # conditions of a grant
    granted_from = models.DateField(null=True, blank=True)
    granted_until = models.DateField(null=True, blank=True)  # a period (PRM-04)
    result_notified_at = models.DateTimeField(null=True, blank=True)  # PRM-09: within 7 days
    letter = models.ForeignKey(
        "documents.SignedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bill_id = models.BigIntegerField(null=True, blank=True)  # billing's Bill of the fee
    # An extension request (PRM-04) points at the granted application it extends.
    extends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="extensions"
    )
    late_notice_last_on = models.DateField(null=True, blank=True)  # PRM-12: every 7 days

    class Meta:
        # The officers' rights (ADM-01): review (queue, assign, accept, deficiency records,
        # inspections, steps) and decide (approve, acknowledge, refuse, the signed letter).
        permissions = [
            ("review_application", "Can review permit applications"),
            ("decide_application", "Can decide permit applications"),
        ]
        indexes = [
            # The officer's queue: an agency and area's open applications by due date.
            models.Index(
                fields=["agency", "province", "state", "current_due_on"],
                name="permit_app_queue",
            ),
            models.Index(fields=["assigned_to", "state"], name="permit_app_assigned"),
            models.Index(fields=["applicant", "state"], name="permit_app_applicant"),
            # "My applications" newest first: a page's keys (and the state filter) from the
            # index alone, whatever the number of applications (bench/permits).
            models.Index(
                fields=["principal_key", "-updated_at", "-id", "state"],
                name="permit_app_principal",
            ),
            models.Index(fields=["factory", "procedure_code"], name="permit_app_factory"),
            # The statistics' applications per month (PRM-11): read from the index alone.
            models.Index(
                fields=["procedure_code", "submitted_at", "id"], name="permit_app_month_counts"
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(state__in=["submitted", "in_review", "corrections"]),
                name="permit_app_open_due",
            ),
            # The queue (ADM-02; bench/permits.py): an area's open applications read in the
            # page's order (due date, submission, id), and its counts (late, paused, mine) from
            # the index alone, so that a page costs the same whatever the area's history.
            models.Index(
                fields=[
                    "agency",
                    "province",
                    "current_due_on",
                    "submitted_at",
                    "id",
                    "clock_paused",
                    "assigned_to",
                ],
                # The procedure and the step too (not keys): a queue filtered by either is
                # counted from the index alone (DIW's, one procedure: 4-121 ms -> 1.2 ms).
                include=["procedure_code", "current_step"],
                condition=Q(state__in=["submitted", "deficient", "in_review", "corrections"]),
                name="permit_app_open_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.pk}"

    @property
    def new_factory_name(self) -> str:
        """The name the applicant gave a new factory (PRM-05: no factory yet), "" when none."""
        return str((self.answers or {}).get("factory_name") or "")


class ApplicationStep(models.Model):
    """One step of the definition for one application (PRM-07, PRM-09's timeline)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Not started")
        RUNNING = "running", _("In progress")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not needed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    started_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)  # moved by pauses (PRM-08)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="permit_step_one_per_key")
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="permit_step_due")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.key}"


class ClockPause(models.Model):
    """A stretch during which the application's clock does not run (PRM-08): a deficiency
    record open, corrections ordered. Due dates after it move by its length."""

    class Reason(models.TextChoices):
        DEFICIENCY = "deficiency", _("Waiting for the missing documents")
        CORRECTIONS = "corrections", _("Waiting for the ordered corrections")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    step_key = models.CharField(max_length=40)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_on__isnull=True),
                name="permit_pause_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} paused {self.started_on}"


def _upload_path(instance, filename):
    # Random names: a listing of the storage says nothing of who applied for what.
    return f"permits/{timezone.now():%Y/%m}/{filename}"


class ApplicationFile(models.Model):
    """An uploaded document of the checklist (checked by content, at most 15 MB)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    document_key = models.CharField(max_length=60)
    file = models.FileField(upload_to=_upload_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    deficiency = models.ForeignKey(
        "DeficiencyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)  # a later upload replaced it

    class Meta:
        indexes = [models.Index(fields=["application", "document_key"], name="permit_file_doc")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.document_key}"


class Declaration(models.Model):
    """A sign-off (PRM-10): who, when, for whom, what statement, and the SHA-256 of each file
    and of the answers, so that what was signed can be proved later."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Application submitted")
        DEFICIENCY = "deficiency", _("Missing documents supplied")
        CORRECTIONS = "corrections", _("Corrections reported")
        EXTENSION = "extension", _("Extension requested")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    principal_key = models.CharField(max_length=80)
    statement = models.TextField()  # the words the signer agreed to, in their language
    answers_sha256 = models.CharField(max_length=64)
    files = models.JSONField(default=list)  # [{"document_key", "name", "sha256"}]
    signed_at = models.DateTimeField(default=timezone.now)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.signed_at:%Y-%m-%d}"


class DeficiencyRecord(models.Model):
    """บันทึกความบกพร่อง (PRM-08, PRM-12): everything missing, at once, with a deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the applicant")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Deadline passed: application returned")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="deficiencies"
    )
    # [{"document_key": key or "", "text": what is missing or wrong}], at least one.
    items = models.JSONField()
    deadline = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="open"),
                name="permit_deficiency_one_open",
            )
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="permit_deficiency_due")]

    def __str__(self) -> str:
        return f"{self.application_id} deficiency by {self.deadline}"


class Inspection(models.Model):
    """An inspection recorded by an officer (class 3 readiness under s.8 of the Factory Act),
    and corrections ordered after it."""

    class Outcome(models.TextChoices):
        READY = "ready", _("Ready: nothing to correct")
        CORRECTIONS = "corrections", _("Corrections ordered")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="inspections"
    )
    step_key = models.CharField(max_length=40)
    inspected_on = models.DateField()
    findings = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    corrections = models.TextField(blank=True)
    corrections_deadline = models.DateField(null=True, blank=True)
    corrections_done_at = models.DateTimeField(null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.application_id} inspected {self.inspected_on}"


class ApplicationEvent(models.Model):
    """What happened, in order, for the applicant's and the officer's timeline. The audit log
    (ADM-03) keeps the officer's acts with before and after; this is what people read."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["application", "at"], name="permit_event_timeline")]
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class ApplicationCounter(models.Model):
    """The next application number of a year (Buddhist era), taken with a row lock."""

    year_be = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year_be}: {self.last}"
