"""Reads of the factories in members' profiles (FAC-01 to FAC-04).

`factories_available` reads the DIW registry (it raises RegistryUnavailable when DIW is down);
everything else reads the portal's own rows. Every lookup of a member's factory goes through
the member's own rows, so another member's factory is never found (a 404 in the views)."""

from dataclasses import dataclass

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from portal.core.thaiid import decrypt_text
from portal.operators.errors import OperatorError
from portal.operators.factory_numbers import (
    QUERY_NEW,
    QUERY_OLD,
    FactoryNumber,
    InvalidFactoryNumber,
    normalize_factory_query,
    parse_factory_no,
)
from portal.operators.models import Business, Factory, FactoryHolding, Holding
from portal.registries import diw

__all__ = [
    "ADDABLE_LICENCES",
    "ADDABLE_STATUSES",
    "LICENCE_LABELS",
    "STATUS_LABELS",
    "AvailableFactory",
    "FactorySearch",
    "diw_operator_id",
    "factories_available",
    "factory_holding_ids",
    "factory_number_groups",
    "factory_operator_holding",
    "factory_search",
    "factory_verified_holders",
    "licence_label",
    "member_factories",
    "member_factory",
    "member_verified_factory_choices",
    "member_verified_factory_nos",
    "member_verified_holding",
    "member_verified_holdings",
    "not_addable_reason",
    "registry_factory_of_business",
    "status_label",
]

# FAC-01: only factories under the Factory Act B.E. 2535 that operate or are temporarily
# stopped, with a licence ร.ง.4, a class 2 notice ร.ง.2 or an IEAT permit กนอ.03/2.
ADDABLE_STATUSES = ("operating", "temporarily_stopped")
ADDABLE_LICENCES = ("ror_ngor_4", "ror_ngor_2", "ieat_03_2")

STATUS_LABELS = {
    "operating": pgettext_lazy("factory status", "Operating"),
    "temporarily_stopped": pgettext_lazy("factory status", "Temporarily stopped"),
    "not_started": pgettext_lazy("factory status", "Operation not yet notified"),
    "closed": pgettext_lazy("factory status", "Closed"),
    "revoked": pgettext_lazy("factory status", "Licence revoked"),
}
LICENCE_LABELS = {
    "ror_ngor_4": pgettext_lazy("factory licence", "Factory licence (ร.ง.4)"),
    "ror_ngor_2": pgettext_lazy("factory licence", "Class 2 factory notice (ร.ง.2)"),
    "ieat_03_2": pgettext_lazy("factory licence", "IEAT permit (กนอ.03/2)"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def licence_label(licence: str) -> str:
    return str(LICENCE_LABELS.get(licence, licence or _("none")))


# --- whose factories: the DIW operator of a business ------------------------------------------


def diw_operator_id(business: Business) -> str | None:
    """The ID under which DIW lists the business's factories, or None when DIW lists none.

    A juristic person: its juristic ID. A juristic person under other laws, a group of persons
    or "other": the tax ID (the registry key is "tax ID:branch"). A natural person: the
    person's national ID. A community enterprise is registered with DOAE, not by an ID DIW
    knows: None."""
    kind = business.kind
    if kind == Business.Kind.JURISTIC_PERSON:
        return business.registry_key
    if kind in (Business.Kind.OTHER_LAW, Business.Kind.GROUP_OF_PERSONS, Business.Kind.OTHER):
        return business.registry_key.split(":", 1)[0]
    if kind == Business.Kind.NATURAL_PERSON and business.pid_encrypted:
        return decrypt_text(business.pid_encrypted)
    return None


def factory_operator_holding(*, member, holding_id) -> tuple[Holding, str]:
    """The member's holding whose factories may be added, and its DIW operator ID.

    Raises OperatorError: not_held (not this member's business: a 404), not_verified (only
    verified holdings add factories), no_diw_operator (a community enterprise)."""
    try:
        holding_id = int(holding_id)
    except (TypeError, ValueError):
        holding_id = 0
    holding = (
        Holding.objects.filter(pk=holding_id, member=member, removed_at__isnull=True)
        .select_related("business")
        .first()
    )
    if holding is None:
        raise OperatorError(
            _("This business is not in your profile."), field="business", code="not_held"
        )
    if holding.status == Holding.Status.REJECTED:
        raise OperatorError(
            _(
                "An officer rejected this business, so its factories cannot be added. Add the "
                "business again with the right documents."
            ),
            field="business",
            code="not_verified",
        )
    if holding.status != Holding.Status.VERIFIED:
        raise OperatorError(
            _(
                "This business is not verified yet: you can add its factories once an officer "
                "has checked its documents."
            ),
            field="business",
            code="not_verified",
        )
    operator_id = diw_operator_id(holding.business)
    if not operator_id:
        raise OperatorError(
            _(
                "The Department of Industrial Works lists no factories under a community "
                "enterprise: a factory is registered under the juristic ID, tax ID or national "
                "ID of its operator. Add the business that operates the factory first."
            ),
            field="business",
            code="no_diw_operator",
        )
    return holding, operator_id


# --- PRM-05: a new factory of a business the member holds -------------------------------------


def member_verified_holdings(*, member) -> QuerySet[Holding]:
    """The member's businesses held through a verified holding under which DIW can register a
    factory (not a community enterprise: DIW lists none under it), by name: what a new
    factory's licence request can start from (PRM-05). A pending or rejected claim gives
    nothing."""
    return (
        Holding.objects.filter(
            member=member, removed_at__isnull=True, status=Holding.Status.VERIFIED
        )
        .exclude(business__kind=Business.Kind.COMMUNITY_ENTERPRISE)
        .select_related("business")
        .defer("business__registry_data")
        .order_by("business__name_th", "id")
    )


def member_verified_holding(*, member, holding_id) -> Holding | None:
    """One of those holdings of this member's, or None (another member's, a pending or
    rejected one: a 404)."""
    if not holding_id:
        return None
    return member_verified_holdings(member=member).filter(pk=holding_id).first()


def registry_factory_of_business(*, business: Business, factory_no: str) -> diw.Factory:
    """PRM-05: the factory DIW registered under this number, when the business operates it: the
    licensed new factory an approval links. Reads DIW (RegistryUnavailable when it is down);
    OperatorError on the field factory_no when DIW lists no such factory (not_found) or its
    operator is another (not_operator)."""
    number = "".join(str(factory_no or "").split())
    record = diw.factory_registry().lookup(number) if number else None
    if record is None:
        raise OperatorError(
            _("The Department of Industrial Works lists no factory %(number)s.")
            % {"number": number or "-"},
            field="factory_no",
            code="not_found",
        )
    operator_id = diw_operator_id(business)
    if not operator_id or record.operator_id != operator_id:
        raise OperatorError(
            _(
                "The Department of Industrial Works lists factory %(number)s under another "
                "operator, not this application's business."
            )
            % {"number": number},
            field="factory_no",
            code="not_operator",
        )
    return record


# --- FAC-01: what DIW lists for a business, and what may be added --------------------------


def not_addable_reason(factory: diw.Factory) -> str:
    """Why FAC-01 does not let this factory be added, or "" when it may be added."""
    if factory.status not in ADDABLE_STATUSES:
        return _(
            "Its status is “%(status)s”: only factories that are operating or temporarily "
            "stopped can be added."
        ) % {"status": status_label(factory.status)}
    if factory.licence not in ADDABLE_LICENCES:
        return _("It has no factory licence ร.ง.4, class 2 notice ร.ง.2 or IEAT permit กนอ.03/2.")
    if factory.factory_class is None:
        return _(
            "The registry does not give its factory class; ask the office that supervises it "
            "to complete the record."
        )
    if factory.licence == "ror_ngor_2" and factory.factory_class != 2:
        # FAC-01: ร.ง.2 is the notice of a class 2 factory; on another class it is no licence.
        return _(
            "Its ร.ง.2 notice is for class 2 factories, but the registry lists class %(c)s."
        ) % {"c": factory.factory_class}
    return ""


@dataclass(frozen=True)
class AvailableFactory:
    """A factory DIW lists for the business, with whether this member may add it."""

    factory: diw.Factory
    reason: str  # why it may not be added; "" when it may
    in_profile: bool

    @property
    def addable(self) -> bool:
        return not self.reason and not self.in_profile

    @property
    def status_label(self) -> str:
        return status_label(self.factory.status)

    @property
    def licence_label(self) -> str:
        return licence_label(self.factory.licence)


def factories_available(*, member, holding_id) -> list[AvailableFactory]:
    """FAC-01: every factory DIW lists for the business, addable ones first, each with the
    reason it may not be added. Reads DIW: raises RegistryUnavailable when it is down, and
    OperatorError when the business may not add factories (see factory_operator_holding)."""
    _holding, operator_id = factory_operator_holding(member=member, holding_id=holding_id)
    listed = diw.factory_registry().factories_of(operator_id)
    held = set(
        FactoryHolding.objects.filter(
            member=member,
            removed_at__isnull=True,
            factory__factory_no__in=[f.factory_no for f in listed],
        ).values_list("factory__factory_no", flat=True)
    )
    rows = [
        AvailableFactory(factory=f, reason=not_addable_reason(f), in_profile=f.factory_no in held)
        for f in listed
    ]
    return sorted(rows, key=lambda r: (not r.addable, r.factory.name_th, r.factory.factory_no))


# --- FAC-02: the member's factories -----------------------------------------------------------


def member_factories(*, member, holding_id: int | None = None) -> QuerySet[FactoryHolding]:
    """The factories in the member's profile, optionally of one business, in one query."""
    rows = FactoryHolding.objects.filter(
        member=member, removed_at__isnull=True, holding__removed_at__isnull=True
    )
    if holding_id is not None:
        rows = rows.filter(holding_id=holding_id)
    return rows.select_related("factory", "holding__business").order_by(
        "factory__name_th", "factory__factory_no", "id"
    )


def member_factory_rows(*, member, holding_id: int | None = None):
    """The factory list's rows as plain values (no model objects): a consultant's page of 50
    factories renders in a fraction of the time (docs/benchmarks.md). Same order and filter as
    member_factories."""
    return (
        member_factories(member=member, holding_id=holding_id)
        .annotate(
            business_name=Coalesce(
                NullIf("holding__business__trade_name_th", Value("")),
                "holding__business__name_th",
            )
        )
        .values(
            "pk",
            "holding_id",
            "business_name",
            name_th=F("factory__name_th"),
            factory_no=F("factory__factory_no"),
            province=F("factory__province"),
            status=F("factory__status"),
        )
    )


def member_factory(*, member, factory_holding_id: int) -> FactoryHolding | None:
    """A factory in this member's profile, or None: another member's is never found (404)."""
    return (
        member_factories(member=member).filter(pk=factory_holding_id).first()
        if factory_holding_id
        else None
    )


def factory_holding_ids(*, member, factories) -> dict[int, int]:
    """factory id -> the member's factory-holding id, for the given factories they hold."""
    return dict(
        FactoryHolding.objects.filter(
            member=member,
            removed_at__isnull=True,
            holding__removed_at__isnull=True,
            factory__in=list(factories),
        ).values_list("factory_id", "pk")
    )


# --- FAC-04: what the number says --------------------------------------------------------


def factory_number_groups(
    factory: Factory, number: FactoryNumber, language: str | None = None
) -> list[tuple[str, str, str]]:
    """FAC-04: every group of the number decoded (FactoryNumber.groups), the area with the
    district the registry gives for the factory when it lies in the province the number names
    (the number carries the province, not the district), or with the estate the registry
    names when the number's estate code has no name in the source material."""
    groups = number.groups(language)
    thai = (language or "th")[:2] == "th"
    address = factory.address or {}
    extra = ""
    if number.in_industrial_estate:
        estate = factory.industrial_estate or address.get("industrial_estate") or ""
        if estate and not number.area_name(language):
            extra = f"{estate} (ตามทะเบียนโรงงาน)" if thai else f"{estate} (registry)"
    else:
        province = number.area_name("th").removeprefix("จังหวัด")
        district = factory.district or address.get("district") or ""
        if district and province and province == (factory.province or address.get("province")):
            bangkok = province == "กรุงเทพมหานคร"
            if thai:
                extra = f"{'เขต' if bangkok else 'อำเภอ'}{district} (ตามที่อยู่ในทะเบียนโรงงาน)"
            else:
                extra = f"district {district} (registered address)"
    if extra:
        groups = [
            (letter, digits, f"{meaning}, {extra}" if letter == "C" else meaning)
            for letter, digits, meaning in groups
        ]
    return groups


# --- FAC-04: search by new number, old number, factory name or operator name ---------------


@dataclass(frozen=True)
class FactorySearch:
    kind: str  # QUERY_NEW, QUERY_OLD or QUERY_TEXT
    value: str  # the query as normalised
    results: list[Factory]
    number_error: str  # a 14-digit number that cannot exist: why; "" otherwise
    limited: bool  # more than `limit` matched


MIN_TEXT_LENGTH = 2


def factory_search(*, query: str, limit: int = 50) -> FactorySearch:
    """FAC-04: the factories kept in the portal by the new 14-digit number, the old-style
    number (exact index lookups) or part of the factory's or its operator's Thai name
    (trigram GIN indexes on PostgreSQL, migration 0003)."""
    kind, value = normalize_factory_query(query)
    number_error = ""
    if kind == QUERY_NEW:
        try:
            parse_factory_no(value)
        except InvalidFactoryNumber as error:
            number_error = error.message
        rows = Factory.objects.filter(factory_no=value)
    elif kind == QUERY_OLD:
        rows = Factory.objects.filter(factory_no_old=value)
    elif len(value) < MIN_TEXT_LENGTH:
        return FactorySearch(kind, value, [], "", False)
    else:
        # Each way of matching runs on its own index with its own limit, then the few ids are
        # merged: one OR over the three cannot use the indexes together and walks the whole
        # table when few rows match. The branches take any matches, unordered, so that a
        # common word stops at the limit instead of sorting thousands of rows; the page says
        # when there are more and shows what it has in name order (docs/benchmarks.md).
        order = ("name_th", "factory_no")
        branches = [
            Factory.objects.filter(name_th__icontains=value),
            Factory.objects.filter(business__name_th__icontains=value),
            Factory.objects.filter(factory_no_old=value),
        ]
        keyed = set()
        for branch in branches:
            keyed.update(branch.order_by().values_list(*order, "pk")[: limit + 1])
        ids = [pk for *_sort, pk in sorted(keyed)[: limit + 1]]
        rows = Factory.objects.filter(pk__in=ids)
    found = list(
        rows.select_related("business")
        .defer("business__registry_data", "address")
        .order_by("name_th", "factory_no")[: limit + 1]
    )
    return FactorySearch(kind, value, found[:limit], number_error, len(found) > limit)


def member_factories_of_business(*, member_id: int, business_id: int) -> list[tuple]:
    """SSO-06: the factories a member holds of one business, as the connected systems are told
    them: (factory_no, factory_no_old, name_th, licence, status), by number."""
    return list(
        FactoryHolding.objects.filter(
            member_id=member_id,
            holding__business_id=business_id,
            removed_at__isnull=True,
            holding__removed_at__isnull=True,
        )
        .order_by("factory__factory_no")
        .values_list(
            "factory__factory_no",
            "factory__factory_no_old",
            "factory__name_th",
            "factory__licence",
            "factory__status",
        )
    )


def member_verified_factory_nos(*, member) -> QuerySet:
    """The registration numbers of the factories in the member's profile held through a
    verified holding (a subquery): whose bills the member sees (issue 10). A pending or
    rejected claim sees nothing of the business's factories' bills."""
    return (
        member_factories(member=member)
        .filter(holding__status=Holding.Status.VERIFIED)
        .order_by()
        .values("factory__factory_no")
    )


def factory_verified_holders(*, factory_no: str) -> list:
    """The members who have this factory in their profile through a verified holding: the
    converse of member_verified_factory_nos, those who see its bills and are told of its
    payments (BILL-08). A pending or rejected claim, or a removed row, is not among them."""
    rows = (
        FactoryHolding.objects.filter(
            factory__factory_no=factory_no,
            removed_at__isnull=True,
            holding__removed_at__isnull=True,
            holding__status=Holding.Status.VERIFIED,
        )
        .select_related("member")
        .order_by("member_id")
    )
    return [row.member for row in rows]


def member_verified_factory_choices(*, member) -> list[tuple[str, str]]:
    """(registration number, name) of those factories, by name: the bill list's filter."""
    return list(
        member_factories(member=member)
        .filter(holding__status=Holding.Status.VERIFIED)
        .values_list("factory__factory_no", "factory__name_th")
    )
