"""Writes of the factories in a member's profile: adding them from the DIW registry (FAC-01)
and removing them from the profile (FAC-05).

DIW is read before the transaction; when it is down RegistryUnavailable propagates and nothing
is stored. Adding several factories is all-or-nothing."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.services import audit_record
from portal.operators.factory_numbers import QUERY_OLD, normalize_factory_query
from portal.operators.factory_selectors import (
    factories_available,
    factory_operator_holding,
    member_verified_holdings,
    not_addable_reason,
)
from portal.operators.models import Factory, FactoryHolding, Holding
from portal.operators.services import OperatorError
from portal.registries import diw

__all__ = [
    "factories_add",
    "factories_available",
    "factory_defaults",
    "factory_link_licensed",
    "factory_remove",
]


def _decimal(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def _old_number(raw: str) -> str:
    """Old-style numbers are kept in the form search normalises to (FAC-04), so that a search
    by an old number is an exact index lookup."""
    kind, value = normalize_factory_query(raw or "")
    return value if kind == QUERY_OLD else (raw or "").strip()


def factory_defaults(record: diw.Factory, *, business, read_at: dt.datetime) -> dict:
    """The portal's copy of what DIW lists for a factory (read-only in the portal)."""
    address = dict(record.address or {})
    return {
        "factory_no_old": _old_number(record.factory_no_old),
        "name_th": record.name_th,
        "business": business,
        "licence": record.licence,
        "factory_class": record.factory_class,
        "category": record.category or "",
        "horsepower": _decimal(record.horsepower, 2),
        "workers": record.workers,
        "status": record.status,
        "operation_started_on": record.operation_started_on,
        "licensed_on": record.licensed_on,
        "address": {k: v for k, v in address.items() if v not in (None, "")},
        "province": address.get("province") or "",
        "district": address.get("district") or "",
        "industrial_estate": address.get("industrial_estate") or "",
        "industrial_zone": address.get("industrial_zone") or "",
        "supervisor": record.supervisor or "",
        "latitude": _decimal(record.latitude, 6),
        "longitude": _decimal(record.longitude, 6),
        "registry_read_at": read_at,
    }


def _unique(numbers) -> list[str]:
    seen: dict[str, None] = {}
    for number in numbers or ():
        number = "".join(str(number).split())
        if number:
            seen.setdefault(number, None)
    return list(seen)


def factories_add(
    *, member, holding_id: int, factory_nos: list[str], request=None
) -> list[FactoryHolding]:
    """FAC-01: add one or more of the factories DIW lists for the member's verified business.

    DIW is read again here (what it says now counts, not what the page showed). A factory
    that may not be added, that DIW does not list for the business, or that is already in the
    profile refuses the whole request: nothing is stored."""
    numbers = _unique(factory_nos)
    if not numbers:
        raise OperatorError(
            _("Choose at least one factory to add."), field="factory_nos", code="required"
        )
    holding, operator_id = factory_operator_holding(member=member, holding_id=holding_id)
    listed = {f.factory_no: f for f in diw.factory_registry().factories_of(operator_id)}
    records = []
    for number in numbers:
        record = listed.get(number)
        if record is None:
            raise OperatorError(
                _(
                    "The Department of Industrial Works does not list factory %(number)s "
                    "under this business."
                )
                % {"number": number},
                field="factory_nos",
                code="not_listed",
            )
        reason = not_addable_reason(record)
        if reason:
            raise OperatorError(
                _("Factory %(number)s cannot be added. %(reason)s")
                % {"number": number, "reason": reason},
                field="factory_nos",
                code="not_addable",
            )
        records.append(record)
    read_at = timezone.now()
    try:
        with transaction.atomic():
            # The holding may have been removed since the page was shown.
            locked = (
                Holding.objects.select_for_update()
                .filter(
                    pk=holding.pk,
                    member=member,
                    removed_at__isnull=True,
                    status=Holding.Status.VERIFIED,
                )
                .first()
            )
            if locked is None:
                raise OperatorError(
                    _("This business is no longer in your profile."),
                    field="business",
                    code="not_held",
                )
            held = set(
                FactoryHolding.objects.filter(
                    member=member, removed_at__isnull=True, factory__factory_no__in=numbers
                ).values_list("factory__factory_no", flat=True)
            )
            if held:
                raise _already_held(sorted(held))
            added = []
            for record in records:
                factory, created = Factory.objects.update_or_create(
                    factory_no=record.factory_no,
                    defaults=factory_defaults(record, business=holding.business, read_at=read_at),
                )
                row = FactoryHolding.objects.create(member=member, factory=factory, holding=locked)
                audit_record(
                    actor=member,
                    action="factory.add",
                    target=row,
                    after={
                        "factory": factory.pk,
                        "factory_no": factory.factory_no,
                        "holding": locked.pk,
                        "business": locked.business_id,
                        "factory_created": created,
                    },
                    request=request,
                )
                added.append(row)
    except IntegrityError as exc:
        # Two requests of the same member at once: the constraint keeps one active row.
        raise _already_held(numbers) from exc
    return added


def _already_held(numbers: list[str]) -> OperatorError:
    return OperatorError(
        _("Already in your profile: %(numbers)s.") % {"numbers": ", ".join(numbers)},
        field="factory_nos",
        code="already_held",
    )


@transaction.atomic
def factory_remove(*, member, factory_holding_id: int, request=None) -> FactoryHolding:
    """FAC-05: take the factory out of this member's profile only. The factory, its registry
    data and other members' rows stay; it is not a notice of closure or stop under the Factory
    Act."""
    row = (
        FactoryHolding.objects.select_for_update(of=("self",))
        .filter(pk=factory_holding_id, member=member, removed_at__isnull=True)
        .select_related("factory")
        .first()
    )
    if row is None:
        raise OperatorError(_("This factory is not in your profile."), code="not_held")
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    audit_record(
        actor=member,
        action="factory.remove",
        target=row,
        before={"removed": False},
        after={"removed": True, "factory_no": row.factory.factory_no},
        request=request,
    )
    return row


def factory_link_licensed(
    *, record: diw.Factory, business, member=None, acting=None
) -> tuple[Factory, FactoryHolding | None]:
    """PRM-05: the portal's row of a new factory DIW registered for `business` after its
    licence was approved (record: read from DIW by registry_factory_of_business), kept as when a
    member adds a factory (FAC-01); and the factory put in the applicant's profile under their
    verified holding of the business, when they hold it so and do not hold the factory yet (so
    that they see its bills). Audited. Runs in the caller's transaction."""
    factory, created = Factory.objects.update_or_create(
        factory_no=record.factory_no,
        defaults=factory_defaults(record, business=business, read_at=timezone.now()),
    )
    row = None
    holding = (
        member_verified_holdings(member=member).filter(business=business).first()
        if member is not None
        else None
    )
    if (
        holding is not None
        and not FactoryHolding.objects.filter(
            member=member, factory=factory, removed_at__isnull=True
        ).exists()
    ):
        row = FactoryHolding.objects.create(member=member, factory=factory, holding=holding)
    audit_record(
        action="factory.link_licensed",
        target=factory,
        after={
            "factory_no": factory.factory_no,
            "business": business.pk,
            "factory_created": created,
            "holding_added_for": member.pk if row is not None else None,
        },
        acting=acting,
    )
    return factory, row
