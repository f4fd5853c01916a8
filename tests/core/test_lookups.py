"""core.lookups: `field__any=values`, the one-parameter IN of long lists (a consultant's bills)."""

import pytest
from django.db import connection
from django.db.models import Q
from django.db.utils import load_backend
from django.utils import timezone

from portal.billing.models import DiwFactory

pytestmark = pytest.mark.django_db


def _factories(*numbers):
    now = timezone.now()
    return [
        DiwFactory.objects.create(
            factory_no=n, name_th=f"โรงงาน {n}", registry_changed_at=now, synced_at=now
        )
        for n in numbers
    ]


def test_any_finds_what_in_finds_with_one_parameter():
    """The same rows as `__in`; on PostgreSQL the values travel as one array parameter."""
    _factories("10100000000001", "10100000000002", "10100000000003")
    wanted = ["10100000000001", "10100000000003", "19999999999999"]
    by_any = DiwFactory.objects.filter(factory_no__any=wanted)
    assert sorted(by_any.values_list("factory_no", flat=True)) == sorted(wanted[:2])
    sql, params = by_any.query.sql_with_params()
    assert connection.vendor == "postgresql"
    assert "= ANY(%s)" in sql and params == (wanted,)


def test_any_of_nothing_is_nothing_alone_or_beside_another_condition():
    """An empty list matches nothing, and leaves an OR's other side as it is."""
    first, _second = _factories("10100000000011", "10100000000012")
    assert list(DiwFactory.objects.filter(factory_no__any=[])) == []
    either = DiwFactory.objects.filter(Q(pk=first.pk) | Q(factory_no__any=[]))
    assert list(either) == [first]


def test_other_databases_and_subqueries_get_the_in_list():
    """SQLite (`make run`): the IN list `__in` writes, one placeholder a value; a subquery
    is written as `__in` writes it."""
    sqlite = load_backend("django.db.backends.sqlite3").DatabaseWrapper(
        {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        alias="sqlite_probe",
    )
    query = DiwFactory.objects.filter(factory_no__any=["a", "b", "c"]).query
    sql, params = query.get_compiler(connection=sqlite).as_sql()
    assert '"factory_no" IN (%s, %s, %s)' in sql and params == ("a", "b", "c")
    numbers = DiwFactory.objects.filter(province="ขอนแก่น").values("factory_no")
    sql, _params = DiwFactory.objects.filter(factory_no__any=numbers).query.sql_with_params()
    assert '"factory_no" IN (SELECT' in sql
