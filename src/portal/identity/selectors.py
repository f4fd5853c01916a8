from portal.identity.models import RecoveryCode, TwoFactorDevice


def two_factor_enabled(*, member) -> bool:
    return TwoFactorDevice.objects.filter(member=member, confirmed_at__isnull=False).exists()


def recovery_codes_left(*, member) -> int:
    return RecoveryCode.objects.filter(member=member, used_at__isnull=True).count()


def member_active_sessions(*, member):
    """SSO-10: the member's sessions that are still alive, newest first."""
    from django.contrib.sessions.models import Session
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from portal.identity.models import MemberSession

    alive = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return MemberSession.objects.filter(member=member).filter(Exists(alive)).order_by("-created_at")


def issuer_for(request) -> str:
    """The issuer the connected systems know (the portal's base URL)."""
    from django.conf import settings
    from oauth2_provider.settings import oauth2_settings

    if oauth2_settings.OIDC_ISS_ENDPOINT:
        return oauth2_settings.OIDC_ISS_ENDPOINT
    if request is None or not (
        request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME")
    ):  # no request, or one made up outside HTTP (test client's logout())
        return settings.SITE_URL.rstrip("/")
    return oauth2_settings.oidc_issuer(request)
