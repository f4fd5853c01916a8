"""Businesses [กิจการ] and the members who act for them (BIZ-01 to BIZ-11, SSO-02).

A `Business` is one operator as the state knows it (a person, a company, an agency...), shared
by every member who holds it (BIZ-09, BIZ-11). A member's claim to act for it is a `Holding`:
verified at once when a registry confirms it, or Not Verified until an officer checks the
documents (BIZ-05, BIZ-06). Removing a business from a profile ends the holding only (BIZ-10).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.thaiid import decrypt_text, mask_pid


class Business(models.Model):
    class Kind(models.TextChoices):
        NATURAL_PERSON = "natural_person", _("Natural person")
        JURISTIC_PERSON = "juristic_person", _("Juristic person (DBD)")
        OTHER_LAW = "other_law", _("Juristic person under other laws")
        COMMUNITY_ENTERPRISE = "community_enterprise", _("Community enterprise")
        GROUP_OF_PERSONS = "group_of_persons", _("Group of persons")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The registry's key: a juristic ID, a 0994 tax ID, a DOAE registration number, a typed tax
    # ID for groups; for a natural person a keyed hash of the national ID (personal data), as
    # for a community enterprise added by document under its representative's ID (BIZ-07).
    registry_key = models.CharField(max_length=64)
    # A natural person's national ID, or a community enterprise's representative's (BIZ-07),
    # encrypted, to show it masked and to ask DOPA.
    pid_encrypted = models.TextField(blank=True)
    name_th = models.CharField(max_length=300)
    name_en = models.CharField(max_length=300, blank=True)
    # BIZ-03: a sole proprietor with a commercial registration chooses the name to show.
    trade_name_th = models.CharField(max_length=300, blank=True)
    branch = models.CharField(max_length=5, blank=True)
    # What the registry said when last read (read-only in the UI; BIZ-04, BIZ-08).
    registry_data = models.JSONField(default=dict, blank=True)
    registry_read_at = models.DateTimeField(null=True, blank=True)

    phone = models.CharField(max_length=30, blank=True)
    fax = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    other_contacts = models.TextField(blank=True)
    contact_address_same = models.BooleanField(default=True)
    contact_address = models.JSONField(default=dict, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    contact_person_name = models.CharField(max_length=200, blank=True)
    contact_person_position = models.CharField(max_length=150, blank=True)
    contact_person_phone = models.CharField(max_length=30, blank=True)
    contact_person_mobile = models.CharField(max_length=10, blank=True)
    contact_person_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "registry_key"], name="business_registry_key"),
        ]
        indexes = [models.Index(fields=["name_th"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trade_name_th or self.name_th

    @property
    def province(self) -> str:
        """The registered province (ADM-01 area), as the registry gave the address; "" for a
        business added by document, which has no registry address."""
        address = (self.registry_data or {}).get("address") or {}
        return address.get("province", "") if isinstance(address, dict) else ""

    @property
    def masked_registry_id(self) -> str:
        """The registration number as shown: a person's ID masked; for a community enterprise
        its representative's ID, masked (BIZ-07: the manual makes it the registration number)."""
        if self.kind == self.Kind.NATURAL_PERSON:
            return mask_pid(decrypt_text(self.pid_encrypted)) if self.pid_encrypted else ""
        if self.kind == self.Kind.COMMUNITY_ENTERPRISE:
            pid = decrypt_text(self.pid_encrypted) if self.pid_encrypted else ""
            if not pid:
                pid = str((self.registry_data or {}).get("representative_pid") or "")
            return mask_pid(pid) or self.registry_key
        return self.registry_key


class Holding(models.Model):
    """A member's claim to act for a business: how it was proven and whether it stands."""

    class Status(models.TextChoices):
        VERIFIED = "verified", _("Verified")
        NOT_VERIFIED = "not_verified", _("Not verified")
        REJECTED = "rejected", _("Rejected")

    class Proof(models.TextChoices):
        SELF = "self", _("The member is the person")
        ID_CARD = "id_card", _("ID and laser code of the person")
        DIRECTOR_ID = "director_id", _("ID of a Thai director")
        REPRESENTATIVE_ID = "representative_id", _("ID of the registered representative")
        DOCUMENT = "document", _("Documents checked by an officer")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holdings"
    )
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="holdings")
    proof = models.CharField(max_length=20, choices=Proof.choices)
    status = models.CharField(max_length=15, choices=Status.choices)
    # What the claimant typed for a business added by document (BIZ-06, SSO-02). It stays on
    # the claim: the business's shared name comes from a registry or an officer's decision.
    claimed_name_th = models.CharField(max_length=300, blank=True)
    claimed_name_en = models.CharField(max_length=300, blank=True)
    rejection_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # BIZ-10: removing ends the holding; the row stays as the record of who acted when.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "business"],
                condition=Q(removed_at__isnull=True),
                name="holding_one_active_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "removed_at"]),
            models.Index(fields=["business", "removed_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        permissions = [("verify_holding", "Can verify businesses added by document")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.business_id} ({self.status})"

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def business_name(self) -> str:
        """The name this member sees: the shared one once decided, else their own claim's."""
        return self.business.display_name or self.claimed_name_th


class BusinessDocument(models.Model):
    """An upload proving a holding (BIZ-05 passport or work permit, BIZ-06 RD document)."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        WORK_PERMIT = "work_permit", _("Work permit")
        RD_DOCUMENT = "rd_document", _("Revenue Department document showing the tax ID")
        # BIZ-06: "or any other document issued by a government agency that shows the
        # agency's 13-digit tax ID" (i-Industry manual, adding a juristic person under other laws).
        GOVERNMENT_DOCUMENT = (
            "government_document",
            _("Document of a government agency showing the tax ID"),
        )
        # BIZ-07: a community enterprise added under other laws, with its DOAE registration
        # certificate or a copy of its representative's ID card.
        COMMUNITY_ENTERPRISE_CERTIFICATE = (
            "ce_certificate",
            _("Community enterprise registration certificate"),
        )
        REPRESENTATIVE_ID_CARD = "representative_card", _("Copy of the representative's ID card")
        OTHER = "other", _("Other document")

    holding = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="business-documents/", max_length=200)
    content_type = models.CharField(max_length=40)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} for holding {self.holding_id}"


class Factory(models.Model):
    """A factory as the DIW registry lists it, kept in the portal once a member adds it
    (FAC-01). Registry fields are read-only in the portal; DIW is the source."""

    factory_no = models.CharField(max_length=14, unique=True)  # FAC-04, since B.E. 2562
    factory_no_old = models.CharField(max_length=60, blank=True, db_index=True)
    name_th = models.CharField(max_length=300)
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="factories")
    licence = models.CharField(max_length=20)  # ror_ngor_4, ror_ngor_2, ieat_03_2
    factory_class = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=20)
    horsepower = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    workers = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=30)
    operation_started_on = models.DateField(null=True, blank=True)
    licensed_on = models.DateField(null=True, blank=True)
    address = models.JSONField(default=dict, blank=True)
    province = models.CharField(max_length=60, db_index=True)
    district = models.CharField(max_length=80, blank=True)
    industrial_estate = models.CharField(max_length=200, blank=True)
    industrial_zone = models.CharField(max_length=200, blank=True)
    supervisor = models.CharField(max_length=10)  # DIW, PIO, IEAT
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    registry_read_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["name_th"]), models.Index(fields=["business"])]

    def __str__(self) -> str:
        return f"{self.factory_no} {self.name_th}"


class FactoryHolding(models.Model):
    """A factory in a member's profile, through the member's holding of its operator. Removing
    it ends this row only; it is not a notice of closure under the Factory Act (FAC-05)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="factory_holdings"
    )
    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="holdings")
    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="factory_holdings")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "factory"],
                condition=Q(removed_at__isnull=True),
                name="factory_holding_one_active_per_member",
            ),
        ]
        indexes = [models.Index(fields=["member", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.factory_id}"


class HolderRemovalRequest(models.Model):
    """ADM-02: a member asks that another member be taken off a business, on a letter signed
    by a director; an officer decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an officer")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="removal_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    letter = models.FileField(upload_to="removal-letters/", max_length=200)
    letter_content_type = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"removal of holding {self.target_id} ({self.status})"


class RegistryChange(models.Model):
    """SSO-09: one difference between a business as stored and what its registry says now.

    Found in the background after a member's login (operators.tasks), shown to every member
    holding the business until one of them confirms it (business_registry_refresh)."""

    # DIRECTOR_NAMES: Thai directors renamed at DOPA whom DBD lists under the old names; shown
    # with what to do (the FAQ's answer), never confirmed: DBD owns the data.
    DIRECTOR_NAMES = "director_names"
    FIELDS = ("name_th", "name_en", "address", DIRECTOR_NAMES)

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="registry_changes"
    )
    field = models.CharField(max_length=20)  # one of FIELDS
    stored = models.JSONField()
    current = models.JSONField()
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "field"], name="registry_change_once"),
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.field}"
