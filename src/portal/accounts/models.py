from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.core import thaidate
from portal.core.thaiid import decrypt_text, mask_pid


class MemberManager(BaseUserManager):
    def get_by_natural_key(self, username):
        return self.get(pid_hash=username)


class Member(AbstractBaseUser, PermissionsMixin):
    """A Thai citizen who registered with the national ID (ACC-01).

    The ID itself is kept only as a keyed hash (look-up, blocking re-registration) and as an
    encrypted token (to show it again). It never changes: nobody turns an account into
    another person's (ACC-17).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class ContactChannel(models.TextChoices):
        MOBILE = "mobile", _("Mobile phone")
        EMAIL = "email", _("Email")
        LINE = "line", _("LINE")

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        THAID = "thaid", _("ThaID")

    pid_hash = models.CharField(max_length=64, unique=True, editable=False)
    pid_encrypted = models.TextField(blank=True, editable=False)
    title_th = models.CharField(max_length=40, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    first_name_en = models.CharField(max_length=100, blank=True)
    last_name_en = models.CharField(max_length=100, blank=True)
    birth_year_be = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)

    # Unique among members' verified contacts (ACC-06, see Meta); NULL when not given.
    mobile = models.CharField(max_length=10, null=True, blank=True, db_index=True)  # noqa: DJ001
    mobile_verified_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(null=True, blank=True)  # noqa: DJ001 (NULL: many may have none)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    line_id = models.CharField(max_length=50, blank=True)
    facebook = models.CharField(max_length=200, blank=True)
    instagram = models.CharField(max_length=100, blank=True)
    position = models.CharField(max_length=150, blank=True)
    contact_channel = models.CharField(
        max_length=10, choices=ContactChannel.choices, default=ContactChannel.MOBILE
    )
    # Privacy (ACC-13): what members who hold the same business may see of me (BIZ-09).
    share_mobile_with_co_members = models.BooleanField(default=False)
    share_email_with_co_members = models.BooleanField(default=True)
    avatar = models.FileField(upload_to="avatars/", null=True, blank=True)
    language = models.CharField(max_length=2, default="th")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_at = models.DateTimeField(null=True, blank=True)
    # SSO-09: the name the civil registry gives now, when it differs from the profile's (found
    # after a login, confirmed by the member); empty when they agree.
    registry_name = models.JSONField(default=dict, blank=True)
    closure_reason = models.CharField(max_length=40, blank=True)
    registered_via = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    date_joined = models.DateTimeField(default=timezone.now)
    is_staff = models.BooleanField(default=False)

    objects = MemberManager()

    USERNAME_FIELD = "pid_hash"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        # Issue 8: a contact typed but not verified blocks nobody (a stranger who typed my
        # number cannot keep me from it); verifying it takes it over (accounts.services).
        constraints = [
            models.UniqueConstraint(
                fields=["mobile"],
                condition=models.Q(mobile_verified_at__isnull=False),
                name="member_mobile_unique_verified",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email_verified_at__isnull=False),
                name="member_email_unique_verified_ci",
            ),
        ]
        permissions = [
            ("review_member_request", "Can decide account reopen and name change requests"),
        ]

    def __str__(self) -> str:
        return self.display_name or f"member {self.pk}"

    @property
    def is_active(self) -> bool:  # Django's auth asks this
        return self.status == self.Status.ACTIVE

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def national_id(self) -> str:
        return decrypt_text(self.pid_encrypted) if self.pid_encrypted else ""

    @property
    def masked_national_id(self) -> str:
        return mask_pid(self.national_id)

    @property
    def birth_date_display(self) -> str:
        return thaidate.format_partial_birth_date(
            self.birth_year_be, self.birth_month, self.birth_day
        )

    @property
    def mobile_verified(self) -> bool:
        return bool(self.mobile and self.mobile_verified_at)

    @property
    def email_verified(self) -> bool:
        return bool(self.email and self.email_verified_at)

    @cached_property
    def officer(self):
        # The backoffice app's active Officer row, read through its one-to-one reverse
        # accessor: backoffice sits above this app, which does not import it.
        try:
            officer = self.officer_profile
        except ObjectDoesNotExist:
            return None
        return officer if officer.active else None

    @property
    def is_officer(self) -> bool:
        return self.officer is not None


class ConsentDocument(models.Model):
    """One version of the terms or of one PDPA purpose, as shown to members (ACC-04)."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms and conditions")
        PDPA = "pdpa", _("Personal data consent")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    title_th = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    body_th = models.TextField()
    body_en = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_purpose_version"),
        ]
        ordering = ["order", "purpose", "-version"]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"

    def title(self, language: str) -> str:
        return self.title_th if language == "th" else self.title_en

    def body(self, language: str) -> str:
        return self.body_th if language == "th" else self.body_en


class ConsentRecord(models.Model):
    """A member's answer to one document version: purpose, version, choice, time, channel."""

    class Channel(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        LOGIN = "login", _("Login")
        SETTINGS = "settings", _("Settings")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["member", "document"])]

    def __str__(self) -> str:
        return f"{self.document} {'yes' if self.granted else 'no'}"


class OneTimePassword(models.Model):
    """A 6-digit code sent by SMS or email (ACC-12): limited life and tries, single use."""

    class Purpose(models.TextChoices):
        RESET_PASSWORD = "reset_password", _("Password reset")
        VERIFY_MOBILE = "verify_mobile", _("Mobile verification")
        VERIFY_EMAIL = "verify_email", _("Email verification")

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", _("Email")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    destination = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=100)  # "salt$hmac"
    reference = models.CharField(max_length=6)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.reference}"

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds()))


class MemberRequest(models.Model):
    """A request only an officer can decide: reopen a closed account (ACC-15) or change the
    name (ACC-16). The member files it with evidence; the officer approves or rejects."""

    class Kind(models.TextChoices):
        REOPEN = "reopen", _("Reopen a closed account")
        NAME_CHANGE = "name_change", _("Change of name")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an officer")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        # ACC-15: a request still awaiting an officer when its member closed the account.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What was asked: new names, or the identity and contacts typed for a reopening.
    # Encrypted, since it is personal data that only the deciding officer needs.
    details_encrypted = models.TextField()
    evidence = models.FileField(upload_to="member-requests/", max_length=200)
    evidence_content_type = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "kind", "created_at"]),
            models.Index(fields=["member", "created_at"]),
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"
