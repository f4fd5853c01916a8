"""The HTTP DIW adapter's bulk listing (factories/changes), which keeps the billing mirror: the
request it sends, the page it reads, and every answer it refuses."""

import datetime as dt
from decimal import Decimal

import pytest

from portal.registries.base import RegistryUnavailable
from portal.registries.http import HttpFactoryRegistry
from tests.registries.test_sandbox_registries import factory_no, factory_record

CHANGES = "/diw/factories/changes"
T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def fake_diw(fresh_server, quick_http_client, settings):
    settings.DIW_URL = fresh_server.url_for("/diw")
    settings.DIW_TOKEN = "diw-token"


def record(n: int, minutes: int) -> dict:
    return factory_record(
        factory_no(f"10100001256{n:02d}"),
        "0105561000013",
        updated_at=(T0 + dt.timedelta(minutes=minutes)).isoformat(),
    )


def test_a_page_of_changes_is_asked_after_a_position_and_read_in_order(server):
    server.expect_request(
        CHANGES,
        method="POST",
        json={"since": T0.isoformat(), "after": "10100001256000", "limit": 2},
        headers={"Authorization": "Bearer diw-token"},
    ).respond_with_json({"factories": [record(1, 1), record(2, 1)], "more": True})

    page = HttpFactoryRegistry().changes(since=T0, after_factory_no="10100001256000", limit=2)

    assert page.more
    assert [f.changed_at for f in page.factories] == [T0 + dt.timedelta(minutes=1)] * 2
    assert page.factories[0].horsepower == Decimal("1250.75")
    assert [f.factory_no for f in page.factories] == sorted(f.factory_no for f in page.factories)


def test_from_the_beginning_since_is_null_and_404_is_an_empty_last_page(server):
    server.expect_request(
        CHANGES, method="POST", json={"since": None, "after": "", "limit": 1000}
    ).respond_with_data("", status=404)
    page = HttpFactoryRegistry().changes(since=None)
    assert (page.factories, page.more) == ([], False)


@pytest.mark.parametrize(
    "answer",
    [
        {"factories": [record(2, 1), record(1, 1)], "more": False},  # out of order
        {"factories": [record(1, -5)], "more": False},  # before the position asked
        {"factories": [{**record(1, 1), "updated_at": None}], "more": False},
        {"factories": [record(1, 1)]},  # no "more"
        {"factories": [record(1, 1), record(2, 2), record(3, 3)], "more": True},  # > limit
        {"factories": [{**record(1, 1), "horsepower": "many"}], "more": False},
    ],
)
def test_a_page_not_in_the_format_is_a_bad_response(server, answer):
    server.expect_request(CHANGES, method="POST").respond_with_json(answer)
    with pytest.raises(RegistryUnavailable) as caught:
        HttpFactoryRegistry().changes(since=T0, limit=2)
    assert (caught.value.registry, caught.value.reason) == ("diw", "bad_response")
