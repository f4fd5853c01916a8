from portal.identity.models import RecoveryCode, TwoFactorDevice


def two_factor_enabled(*, member) -> bool:
    return TwoFactorDevice.objects.filter(member=member, confirmed_at__isnull=False).exists()


def recovery_codes_left(*, member) -> int:
    return RecoveryCode.objects.filter(member=member, used_at__isnull=True).count()
