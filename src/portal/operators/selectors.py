from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from portal.accounts.selectors import member_registry_name
from portal.core.acting import Acting
from portal.core.scope import Queue, area_of, sees_queue
from portal.core.thaiid import is_valid_thirteen_digit_id
from portal.operators.errors import OperatorError
from portal.operators.models import (
    Business,
    FactoryHolding,
    HolderRemovalRequest,
    Holding,
    RegistryChange,
)
from portal.registries.base import RegistryUnavailable
from portal.registries.dbd import commercial_registry
from portal.registries.doae import CommunityEnterprise, community_enterprise_registry
from portal.registries.dopa import citizen_registry
from portal.registries.rd import Taxpayer, taxpayer_registry

DIRECTOR_NAMES = RegistryChange.DIRECTOR_NAMES

# Where a business's registered province is kept (Business.province reads the same).
PROVINCE_LOOKUP = "registry_data__address__province"


def _in_scope(rows: QuerySet, acting: Acting, queue: Queue, business_path: str) -> QuerySet:
    """ADM-01: only the cases of the officer's agency and area; nothing for anyone else.
    An officer's own cases stay listed (they see them) but cannot be decided by them."""
    if not sees_queue(acting.officer, queue):
        return rows.none()
    area = area_of(acting.officer, queue)
    if area is not None:
        rows = rows.filter(**{f"{business_path}{PROVINCE_LOOKUP}": area})
    return rows


def member_holdings(*, member) -> QuerySet[Holding]:
    """The businesses in a member's profile, in one query (BIZ-01, FAC-02)."""
    return (
        Holding.objects.filter(member=member, removed_at__isnull=True)
        .select_related("business")
        # Lists never show the registry's answer; a consultant's 150 JSON blobs would cost.
        .defer("business__registry_data")
        .order_by("business__name_th", "id")
    )


def business_kinds() -> list[tuple[str, str]]:
    """(value, label) of the kinds of business (SSO-02)."""
    return list(Business.Kind.choices)


def holding_is_verified(holding: Holding) -> bool:
    return holding.status == Holding.Status.VERIFIED


def member_holdings_with_factory_counts(*, member) -> list[Holding]:
    """The member's businesses, each with `factory_count` (its factories in the profile), in
    one query (SVC-03 readiness)."""
    return list(
        Holding.objects.filter(member=member, removed_at__isnull=True)
        .select_related("business")
        .defer("business__registry_data")
        .annotate(
            factory_count=Count(
                "factory_holdings", filter=Q(factory_holdings__removed_at__isnull=True)
            )
        )
        .order_by("business__name_th", "id")
    )


def member_business_choices(*, member) -> list[tuple[int, str]]:
    """(holding id, shown name) of the member's businesses, for filters: no model objects,
    so a profile of hundreds of businesses stays cheap."""
    rows = (
        Holding.objects.filter(member=member, removed_at__isnull=True)
        .order_by("business__name_th", "id")
        .values_list("pk", "business__trade_name_th", "business__name_th", "claimed_name_th")
    )
    return [(pk, trade or name or claimed) for pk, trade, name, claimed in rows]


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


def co_holders_seen_by(*, holding: Holding) -> QuerySet[Holding]:
    """BIZ-09 for this member: the business's holders, seen only through a verified holding.
    A pending or rejected claim shows nobody's name or contacts."""
    if not holding.is_verified or holding.removed_at is not None:
        return Holding.objects.none()
    return business_holders(business=holding.business)


def holdings_awaiting_verification(*, acting: Acting) -> QuerySet[Holding]:
    """ADM-02: businesses added by document in this officer's scope, oldest first."""
    rows = (
        Holding.objects.filter(status=Holding.Status.NOT_VERIFIED, removed_at__isnull=True)
        .select_related("business", "member")
        .prefetch_related(Prefetch("documents"))
        .order_by("created_at")
    )
    return _in_scope(rows, acting, Queue.BUSINESS_VERIFICATIONS, "business__")


def holding_for_officer(*, acting: Acting, holding_id: int) -> Holding | None:
    """A holding the officer may open (any status: decided ones keep their history)."""
    rows = Holding.objects.filter(pk=holding_id, proof=Holding.Proof.DOCUMENT)
    rows = _in_scope(rows, acting, Queue.BUSINESS_VERIFICATIONS, "business__")
    return rows.select_related("business", "member").first()


def holder_removals_awaiting_decision(*, acting: Acting) -> QuerySet[HolderRemovalRequest]:
    """ADM-02: requests to take a member off a business in this officer's scope."""
    rows = (
        HolderRemovalRequest.objects.filter(status=HolderRemovalRequest.Status.PENDING)
        .select_related("business", "target__member", "requested_by")
        .order_by("created_at")
    )
    return _in_scope(rows, acting, Queue.HOLDER_REMOVALS, "business__")


def holder_removal_for_officer(*, acting: Acting, request_id: int) -> HolderRemovalRequest | None:
    rows = HolderRemovalRequest.objects.filter(pk=request_id)
    rows = _in_scope(rows, acting, Queue.HOLDER_REMOVALS, "business__")
    return rows.select_related("business", "target__member", "requested_by").first()


def registry_changes_for(*, member) -> QuerySet[RegistryChange]:
    """SSO-09: the changes to confirm that the background comparison (operators.tasks) found
    for the member's businesses. Reads only the portal's own table: no registry is asked here,
    so neither the login nor this page waits for DBD."""
    # A pending or rejected claim sees nothing of the business's shared data (issue 8).
    held = Holding.objects.filter(
        member=member, removed_at__isnull=True, status=Holding.Status.VERIFIED
    ).values("business_id")
    return (
        RegistryChange.objects.filter(business_id__in=held)
        .select_related("business")
        .defer("business__registry_data")
        .order_by("business__name_th", "business_id", "pk")
    )


def registry_changes_waiting(*, member) -> bool:
    """SSO-09: whether the member has registry changes to confirm (one query): of their
    businesses, or of their own name at the civil registry (kept on the member)."""
    return bool(member_registry_name(member=member)) or registry_changes_for(member=member).exists()


DASHBOARD_ROWS = 10


def dashboard_context(*, member) -> dict:
    """The member's dashboard (core's home page): the first businesses and whether registry
    changes wait to be confirmed (SSO-09), in a constant number of queries."""
    holdings = list(member_holdings(member=member)[: DASHBOARD_ROWS + 1])
    return {
        "holdings": holdings[:DASHBOARD_ROWS],
        "more": len(holdings) > DASHBOARD_ROWS,
        "registry_changes_waiting": registry_changes_waiting(member=member),
    }


@dataclass(frozen=True)
class NaturalPersonCheck:
    pid: str
    person_name: str
    trade_names: tuple[str, ...]
    person_name_en: str = ""


def natural_person_check(*, member, who: str, pid: str = "", laser_code: str = ""):
    """BIZ-02 and BIZ-03 before anything is stored: who the owner is (the member, or another
    person with a current card) and which trade names they have registered."""
    if who == "myself":
        pid = member.national_id
        person_name = f"{member.title_th}{member.display_name}"
        person_name_en = f"{member.first_name_en} {member.last_name_en}".strip()
    else:
        registry = citizen_registry()
        card = registry.check_card(pid, laser_code)
        if not card.matches:
            raise OperatorError(
                _("The ID and the laser code do not match the civil registry."),
                field="laser_code",
                code="card_mismatch",
            )
        if not card.current:
            raise OperatorError(
                _("This ID card is not current (expired, lost or revoked); use the current card."),
                field="laser_code",
                code="card_not_current",
            )
        citizen = registry.lookup(pid)
        if citizen is None or not citizen.alive:
            raise OperatorError(
                _("The civil registry does not confirm this person."), field="pid", code="unknown"
            )
        person_name = f"{citizen.title_th}{citizen.first_name_th} {citizen.last_name_th}"
        person_name_en = f"{citizen.first_name_en} {citizen.last_name_en}".strip()
    trade_names = tuple(
        r.trade_name_th for r in commercial_registry().registrations_of(pid) if r.status == "active"
    )
    # BIZ-07, the manual's first route: a community enterprise added as a natural person, its
    # representative being the person; DOAE's name for it is offered beside the trade names.
    trade_names += tuple(
        name for name in _community_enterprise_names(pid) if name not in trade_names
    )
    return NaturalPersonCheck(
        pid=pid, person_name=person_name, trade_names=trade_names, person_name_en=person_name_en
    )


def _community_enterprise_names(pid: str) -> list[str]:
    """The names of the community enterprises DOAE lists this person as representing (not
    those registered as juristic persons, which are added as such). DOAE unreachable: none; the
    person is still added, and the enterprise can be added on its own route later."""
    try:
        enterprises = community_enterprise_registry().represented_by(pid)
    except RegistryUnavailable:
        return []
    return list(dict.fromkeys(e.name_th for e in enterprises if not e.is_juristic))


def factory_holder_ids(*, factory_no: str) -> list[int]:
    """The members who have this factory in their profile now (an officer among them may not
    decide its cases: ADM-02, own case)."""
    return list(
        FactoryHolding.objects.filter(factory__factory_no=factory_no, removed_at__isnull=True)
        .values_list("member_id", flat=True)
        .distinct()
    )


def holds_factory_or_business_condition(*, member_id: int, factory_id, business_id) -> Q:
    """Whether the member has this factory or this business in their profile now (an
    officer's own case, ADM-02), as a condition of a query: `factory_id` and `business_id` are
    ids or references to another query's columns (OuterRef), which then reads it without a query
    of its own. A missing factory or business (None) holds nothing."""
    return Q(
        Exists(
            FactoryHolding.objects.filter(
                member_id=member_id, factory_id=factory_id, removed_at__isnull=True
            )
        )
    ) | Q(
        Exists(
            Holding.objects.filter(
                member_id=member_id, business_id=business_id, removed_at__isnull=True
            )
        )
    )


def holds_factory_or_business(
    *, member_id: int, factory_id: int | None, business_id: int | None
) -> bool:
    """holds_factory_or_business_condition in a query of its own."""
    held = holds_factory_or_business_condition(
        member_id=member_id, factory_id=factory_id, business_id=business_id
    )
    return get_user_model().objects.filter(held, pk=member_id).exists()


# --- BIZ-06, BIZ-07, SSO-02: look the number up before anything is typed ----------------------

TAX_ID_KINDS = (Business.Kind.OTHER_LAW, Business.Kind.GROUP_OF_PERSONS, Business.Kind.OTHER)
LOOKUP_KINDS = (*TAX_ID_KINDS, Business.Kind.COMMUNITY_ENTERPRISE)
OTHER_LAW_PREFIX = "0994"


@dataclass(frozen=True)
class BusinessLookup:
    """What the registries know of the number typed for a business under other laws, a group
    of persons, "other" or a community enterprise (BIZ-06, BIZ-07, SSO-02).

    `community` is True when the number is the national ID of a community enterprise's
    representative (the manual makes it the enterprise's registration number); then
    `enterprises` are the enterprises DOAE lists for that person, else `taxpayers` the
    branches the Revenue Department's register lists for the tax ID. Nothing found: the
    member types the details (key-in) and uploads a document."""

    number: str
    community: bool
    taxpayers: tuple[Taxpayer, ...] = ()
    enterprises: tuple[CommunityEnterprise, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.taxpayers or self.enterprises)


def is_community_number(*, kind: str, number: str) -> bool:
    """A community enterprise is looked up by its representative's national ID: always under
    its own kind, and under "other laws" when the number is not a 0994 tax ID (the manual's
    second route, BIZ-07)."""
    if kind == Business.Kind.COMMUNITY_ENTERPRISE:
        return True
    return kind == Business.Kind.OTHER_LAW and not number.startswith(OTHER_LAW_PREFIX)


def business_lookup(*, kind: str, number: str) -> BusinessLookup:
    """BIZ-06, BIZ-07, SSO-02: check the number, then ask the register that keeps it: DOAE
    for a representative's ID, the Revenue Department for a tax ID. Raises OperatorError for a
    number that cannot be one, RegistryUnavailable when the register cannot be reached."""
    if kind not in LOOKUP_KINDS:
        raise OperatorError(_("This kind of business is not looked up this way."), code="kind")
    if not is_valid_thirteen_digit_id(number):
        raise OperatorError(
            _("Enter the 13 digits; the last digit does not check."), field="number", code="number"
        )
    if is_community_number(kind=kind, number=number):
        if number.startswith(OTHER_LAW_PREFIX):
            raise OperatorError(
                _(
                    "A community enterprise is found by the national ID of its representative, "
                    "not by a tax ID beginning with 0994."
                ),
                field="number",
                code="not_a_person",
            )
        listed = community_enterprise_registry().represented_by(number)
        enterprises = tuple(e for e in listed if not e.is_juristic)
        if listed and not enterprises:
            raise OperatorError(
                _(
                    "This community enterprise is registered as a juristic person: add it as a "
                    "juristic person (Department of Business Development)."
                ),
                field="number",
                code="is_juristic",
            )
        return BusinessLookup(number=number, community=True, enterprises=enterprises)
    branches = tuple(taxpayer_registry().branches(number))
    return BusinessLookup(number=number, community=False, taxpayers=branches)
