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
