from portal.backoffice.models import Officer


def officer_for_member(*, member) -> Officer | None:
    if not member.is_authenticated:
        return None
    return Officer.objects.filter(member=member, active=True).first()
