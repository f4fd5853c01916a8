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
