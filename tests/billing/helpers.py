"""Helpers of the bill pages' tests (unit and browser)."""

from django.utils import timezone

from portal.operators.models import Factory, FactoryHolding
from tests.factories import DiwFactoryFactory, HoldingFactory


def hold_factory(member, *, holding=None, **fields) -> FactoryHolding:
    """A factory in the member's profile (operators) and its DIW mirror row (billing)."""
    holding = holding or HoldingFactory(member=member)
    mirror = DiwFactoryFactory(**{k: v for k, v in fields.items() if k != "name_th"})
    factory = Factory.objects.create(
        factory_no=mirror.factory_no,
        name_th=fields.get("name_th", mirror.name_th),
        business=holding.business,
        licence="ror_ngor_4",
        factory_class=3,
        category="53(5)",
        status="operating",
        province=mirror.province,
        district=mirror.district,
        industrial_estate=mirror.industrial_estate,
        supervisor=mirror.supervisor,
        registry_read_at=timezone.now(),
    )
    return FactoryHolding.objects.create(member=member, factory=factory, holding=holding)
