from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from portal.operators.models import Business, Holding


def member_holdings(*, member) -> QuerySet[Holding]:
    """The businesses in a member's profile, in one query (BIZ-01, FAC-02)."""
    return (
        Holding.objects.filter(member=member, removed_at__isnull=True)
        .select_related("business")
        .order_by("business__name_th", "id")
    )


def member_holding(*, member, holding_id: int) -> Holding | None:
    """A holding of this member's, or None: another member's is never found (404)."""
    return (
        Holding.objects.filter(pk=holding_id, member=member, removed_at__isnull=True)
        .select_related("business")
        .first()
    )


def member_has_business(*, member) -> bool:
    return Holding.objects.filter(member=member, removed_at__isnull=True).exists()


def business_holders(*, business: Business) -> QuerySet[Holding]:
    """BIZ-09: every member who has this business in their profile (no limit, BIZ-11)."""
    return (
        Holding.objects.filter(business=business, removed_at__isnull=True)
        .select_related("member")
        .order_by("created_at")
    )


def holdings_awaiting_verification() -> QuerySet[Holding]:
    """ADM-02: businesses added by document, oldest first, with their documents."""
    return (
        Holding.objects.filter(status=Holding.Status.NOT_VERIFIED, removed_at__isnull=True)
        .select_related("business", "member")
        .prefetch_related(Prefetch("documents"))
        .order_by("created_at")
    )


@dataclass(frozen=True)
class RegistryChange:
    """SSO-09: what the registry says now that differs from what the portal stored."""

    business: Business
    field: str  # name_th, name_en, address
    stored: object
    current: object


def registry_changes_for(*, member) -> list[RegistryChange]:
    """Compare the member's juristic businesses with DBD (name and head-office address).

    Called at login; raises RegistryUnavailable when DBD is down, and the caller then simply
    does not show the check this time."""
    from portal.operators.services import _jsonable
    from portal.registries.dbd import juristic_person_registry

    registry = juristic_person_registry()
    changes: list[RegistryChange] = []
    for holding in member_holdings(member=member).filter(
        business__kind=Business.Kind.JURISTIC_PERSON
    ):
        business = holding.business
        company = registry.lookup(business.registry_key)
        if company is None:
            continue
        stored_address = business.registry_data.get("address", {})
        current_address = _jsonable(company.address)
        for field, stored, current in (
            ("name_th", business.name_th, company.name_th),
            ("name_en", business.name_en, company.name_en or ""),
            ("address", stored_address, current_address),
        ):
            if stored != current:
                changes.append(RegistryChange(business, field, stored, current))
    return changes
