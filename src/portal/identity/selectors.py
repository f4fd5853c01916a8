import time

import pyotp
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone
from oauth2_provider.settings import oauth2_settings

from portal.core.thaiid import decrypt_text
from portal.identity.models import (
    ConnectedSystem,
    MemberSession,
    RecoveryCode,
    SignIn,
    TwoFactorDevice,
)


def two_factor_enabled(*, member) -> bool:
    return TwoFactorDevice.objects.filter(member=member, confirmed_at__isnull=False).exists()


def two_factor_current_code(*, member) -> tuple[str, int] | None:
    """The code the member's authenticator app shows now (enrolled, or being enrolled) and the
    seconds it has left; None without an authenticator. Only the sandbox's simulated phone
    (/sandbox/authenticator/, like ThaID's phone-app page) reads it: no portal page does."""
    device = TwoFactorDevice.objects.filter(member=member).first()
    if device is None:
        return None
    totp = pyotp.TOTP(decrypt_text(device.secret_encrypted))
    now = time.time()
    return totp.at(now), totp.interval - int(now) % totp.interval  # 1 to 30


def recovery_codes_left(*, member) -> int:
    return RecoveryCode.objects.filter(member=member, used_at__isnull=True).count()


def member_active_sessions(*, member):
    """SSO-10: the member's sessions that are still alive, newest first."""
    alive = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return MemberSession.objects.filter(member=member).filter(Exists(alive)).order_by("-created_at")


def issuer_for(request) -> str:
    """The issuer the connected systems know (the portal's base URL)."""
    if oauth2_settings.OIDC_ISS_ENDPOINT:
        return oauth2_settings.OIDC_ISS_ENDPOINT
    if request is None or not (
        request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME")
    ):  # no request, or one made up outside HTTP (test client's logout())
        return settings.SITE_URL.rstrip("/")
    return oauth2_settings.oidc_issuer(request)


def connected_system_registered(*, slug: str) -> ConnectedSystem | None:
    """The connected system with this slug once it has an OIDC client registered."""
    return (
        ConnectedSystem.objects.select_related("client")
        .filter(slug=slug, client__isnull=False)
        .first()
    )


def connected_systems_all() -> list[ConnectedSystem]:
    """Every system of the catalogue, with its OIDC client when it has one."""
    return list(ConnectedSystem.objects.select_related("client"))


def connected_system_categories() -> list[tuple[str, str]]:
    """(value, label) of the catalogue's categories, in the order every menu shows (SVC-01)."""
    return list(ConnectedSystem.Category.choices)


def connected_systems_with_login():
    """The systems a member can be handed off to: a registered client and a login address."""
    return ConnectedSystem.objects.filter(client__isnull=False).exclude(initiate_login_uri="")


def connected_system_for_client(*, client_id: str) -> ConnectedSystem | None:
    return ConnectedSystem.objects.filter(client__client_id=client_id).first()


def connected_systems_described(*, fields: tuple[str, ...]) -> list[ConnectedSystem]:
    """Every system of the catalogue with only these fields, by position (one query)."""
    return list(ConnectedSystem.objects.only("slug", *fields).order_by("position", "slug"))


def last_sign_in_business(*, member, system) -> int | None:
    """The business of the member's latest sign-in to the system that had one."""
    return (
        SignIn.objects.filter(member=member, system=system, business__isnull=False)
        .order_by("-created_at")
        .values_list("business_id", flat=True)
        .first()
    )
