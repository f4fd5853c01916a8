import re
import uuid

from django.conf import settings
from django.db import models


class TwoFactorDevice(models.Model):
    """SSO-04: an authenticator app (TOTP, 6 digits, 30 s). One per member; it counts from the
    moment its first code is confirmed."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor"
    )
    secret_encrypted = models.TextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last accepted code: a code is accepted once (SSO-04).
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        permissions = [("reset_two_factor", "Can reset a member's two-factor authentication")]

    def __str__(self) -> str:
        return f"2FA of member {self.member_id}"


class RecoveryCode(models.Model):
    """Single-use codes shown once at enrolment, for a member without the phone."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "used_at"])]

    def __str__(self) -> str:
        return f"recovery code of member {self.member_id}"


class MemberSession(models.Model):
    """SSO-10: a logged-in session as the member sees it (device, address, time), so that it
    can be listed and ended. The session itself is Django's; this row names its key."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Updated at most every few minutes (identity.middleware), so sessions can be told apart
    # by when they were last used without a write on every request.
    last_active_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "created_at"])]

    def __str__(self) -> str:
        return f"session of member {self.member_id}"

    @property
    def device(self) -> str:
        """A short name for the browser and system, from the user agent."""
        agent = self.user_agent
        browser = next((name for key, name in BROWSERS if key in agent), "" if agent else "?")
        system = next((name for key, name in SYSTEMS if key in agent), "")
        return " · ".join(part for part in (browser, system) if part) or agent[:40]

    @property
    def browser(self) -> str:
        """The browser and its major version ("Chrome 130"), "" when it cannot be told."""
        agent = self.user_agent
        for key, name in BROWSERS:
            if key in agent:
                # Safari writes its own version after "Version/", not after "Safari/".
                token = "Version/" if key == "Safari/" else key
                version = re.search(re.escape(token) + r"(\d+)", agent)
                return f"{name} {version.group(1)}" if version else name
        return ""

    @property
    def system(self) -> str:
        return next((name for key, name in SYSTEMS if key in self.user_agent), "")

    @property
    def device_kind(self) -> str:
        """phone, tablet or computer; "" for an empty user agent."""
        agent = self.user_agent
        if not agent:
            return ""
        if "iPad" in agent or ("Android" in agent and "Mobile" not in agent):
            return "tablet"
        if "Mobile" in agent or "iPhone" in agent:
            return "phone"
        return "computer"


BROWSERS = (
    ("Line/", "LINE"),  # LINE's in-app browser, common in Thailand
    ("SamsungBrowser/", "Samsung Internet"),
    ("OPR/", "Opera"),
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


class ConnectedSystem(models.Model):
    """SSO-01: an e-service that signs members in through the portal (an OIDC client), held as
    data: what it is, where it sits in the services menu (SVC-01), what profile it needs
    (SVC-03), what it may receive (scopes, SSO-06) and how its sessions are ended (SSO-07).

    The catalogue (identity/data/connected_systems.json) fills the descriptive fields; the
    client registration (`manage.py connected_system_client`) fills `client` and the URLs."""

    class Category(models.TextChoices):
        SURVEY = "survey", "Digital Survey"
        PAYMENT = "payment", "Digital Payment"
        LICENSE = "license", "Digital License"
        SERVICE = "service", "Digital Service"

    slug = models.SlugField(max_length=60, unique=True)
    name_th = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    agency = models.CharField(max_length=20)  # TISI, DIW, DIPROM, OPS, DPIM, ...
    category = models.CharField(max_length=10, choices=Category.choices)
    description_th = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # SVC-03 profile readiness
    needs_business = models.BooleanField(default=True)
    needs_factory = models.BooleanField(default=False)
    # Business kinds allowed (Business.Kind values); empty: any kind.
    business_kinds = models.JSONField(default=list, blank=True)
    notes_th = models.TextField(blank=True)
    notes_en = models.TextField(blank=True)
    # SVC-04 usage guide
    manual_url = models.URLField(blank=True)
    # SVC-02 data-sharing consent: a new version asks every member again.
    consent_version = models.PositiveIntegerField(default=1)
    # SSO-06: the scopes this client may ask for (space separated).
    scopes = models.CharField(max_length=200, default="openid profile business factories")
    client = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connected_system",
    )
    # OIDC third-party-initiated login (Core 4): the hand-off opens this URL.
    initiate_login_uri = models.URLField(blank=True)
    # OIDC Back-Channel Logout 1.0 (SSO-07).
    backchannel_logout_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["category", "position"]

    def __str__(self) -> str:
        return self.slug

    @property
    def connected(self) -> bool:
        return self.client_id is not None and bool(self.initiate_login_uri)


class SignIn(models.Model):
    """One sign-in of a member to a connected system from one portal session: what the
    system was told (the business chosen at hand-off, SSO-06) and what must be ended when
    that portal session ends (SSO-07). Its uuid is the `sid` of the ID token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    system = models.ForeignKey(ConnectedSystem, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, db_index=True)
    business = models.ForeignKey(
        "operators.Business", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # No database constraint: the grant row is deleted once its code is exchanged, and
    # clearing this column then would cost an UPDATE on every token request.
    grant = models.OneToOneField(
        "oauth2_provider.Grant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="sign_in",
    )
    # The acting context of the hand-off (DESIGN: identity): for whom ("member:12",
    # "business:7") and who acted. `member` is whose session it is. Today a member always
    # acts for themselves; delegation (DEL-06) will set another principal, and tokens then
    # carry `act` from these two.
    principal = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # SHA-256 of the authorization code: the grant row (and its code) is gone after the
    # exchange, and a second exchange of the same code must still find what the first one
    # gave, to revoke it (RFC 6749 4.1.2).
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # When the member last authenticated in the portal session before this sign-in: the ID
    # token's `auth_time` (OIDC Core 2, 3.1.2.1), the same on every refreshed ID token.
    auth_time = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    logout_sent_at = models.DateTimeField(null=True, blank=True)
    logout_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "ended_at"])]

    def __str__(self) -> str:
        return f"sign-in {self.id}"

    def save(self, *args, **kwargs):
        # A hand-off that names no other principal is the member acting for themselves.
        if not self.principal:
            self.principal = f"member:{self.member_id}"
        if self.actor_id is None:
            self.actor_id = self.member_id
        super().save(*args, **kwargs)

    @property
    def acts_for_another(self) -> bool:
        return self.principal != f"member:{self.actor_id}"


class SignInToken(models.Model):
    """Which sign-in an access token belongs to, so that userinfo and refreshed tokens carry
    the same business (SSO-06) and the tokens die with the sign-in (SSO-07)."""

    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="sign_in_link",
    )
    sign_in = models.ForeignKey(SignIn, on_delete=models.CASCADE, related_name="tokens")

    def __str__(self) -> str:
        return f"token of {self.sign_in_id}"
