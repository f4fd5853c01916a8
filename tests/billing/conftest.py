"""Fixtures billing's tests share: mirror factories, officers acting with a second factor."""

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from portal.billing.fees import anniversary_of
from portal.billing.models import DiwFactory, FeeTable
from portal.core.acting import system_acting

_numbers = itertools.count(1)


@pytest.fixture
def mirror_factory(db):
    """A factory of the DIW mirror: PIO-supervised, operating, in Chon Buri, 250.5 HP."""

    def make(**overrides) -> DiwFactory:
        n = next(_numbers)
        started = overrides.pop("operation_started_on", dt.date(2005, 11, 30))
        now = timezone.now()
        fields = {
            "factory_no": f"2020{n:010d}",
            "name_th": f"โรงงานทดสอบ {n}",
            "licence": "ror_ngor_4",
            "factory_class": 3,
            "category": "53(5)",
            "horsepower": Decimal("250.5"),
            "status": "operating",
            "operation_started_on": started,
            "anniversary": anniversary_of(started) if started else None,
            "province": "ชลบุรี",
            "district": "เมืองชลบุรี",
            "industrial_estate": "",
            "supervisor": "PIO",
            "registry_changed_at": now,
            "synced_at": now,
        }
        fields.update(overrides)
        return DiwFactory.objects.create(**fields)

    return make


@pytest.fixture
def billing_officer(officer_factory):
    """An officer acting on the web after a second factor: (member, acting)."""

    def make(*, agency="PIO", province="ชลบุรี", permissions=("billing.add_bill",)):
        from portal.backoffice.services import officer_appoint

        member = officer_factory(agency=agency, permissions=permissions)
        with transaction.atomic():
            officer_appoint(member=member, agency=agency, province=province)
        member = type(member).objects.get(pk=member.pk)
        return member, replace(system_acting(actor=member, channel="web"), two_factor=True)

    return make


def drop_illustrative_tables() -> None:
    """As production: the sandbox's illustrative tables gone, the incomplete ones in force."""
    FeeTable.objects.update(superseded_by=None)
    FeeTable.objects.filter(illustrative=True).delete()
