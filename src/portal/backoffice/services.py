from django.contrib.auth.models import Permission
from django.db import transaction

from portal.backoffice.models import Officer
from portal.core.services import audit_record


@transaction.atomic
def officer_appoint(
    *, member, agency: str, province: str = "", permissions: list[str] = (), appointed_by=None
) -> Officer:
    """Make a member an officer of an agency with the given "app_label.codename" rights."""
    officer, _created = Officer.objects.update_or_create(
        member=member, defaults={"agency": agency, "province": province, "active": True}
    )
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        member.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    audit_record(
        actor=appointed_by,
        actor_role="officer" if appointed_by else "system",
        action="officer.appoint",
        target=officer,
        after={"agency": agency, "province": province, "permissions": list(permissions)},
    )
    return officer
