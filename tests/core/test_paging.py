"""core.paging.page_by_keys: pages of long lists (a province's bills, an applicant's
applications) read by their keys, in the list's order, at the same cost whatever the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.billing.models import DiwFactory
from portal.core.paging import page_by_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def factories():
    now = timezone.now()
    for n in range(7):
        DiwFactory.objects.create(
            factory_no=f"1010000000{n:04d}",
            name_th=f"โรงงาน {6 - n}",  # the names run the other way round from the numbers
            province="ขอนแก่น" if n != 3 else "ชลบุรี",
            registry_changed_at=now,
            synced_at=now,
        )


def test_the_pages_keep_the_lists_order_and_filter(factories):
    """Every row the list's filter admits, once, in its order, page after page; a page past
    the end is the last, anything not a number the first."""
    rows = DiwFactory.objects.filter(province="ขอนแก่น").order_by("name_th", "pk")
    seen = []
    for number in (1, 2):
        page = page_by_keys(rows, number, per_page=4)
        assert page.paginator.count == 6 and page.number == number
        seen += [factory.name_th for factory in page.object_list]
    assert seen == [f"โรงงาน {n}" for n in (0, 1, 2, 4, 5, 6)]
    assert page_by_keys(rows, 9, per_page=4).number == 2
    assert [f.name_th for f in page_by_keys(rows, "x", per_page=4).object_list] == seen[:4]


def test_a_page_is_the_count_and_one_query_of_its_rows(factories):
    """The count, then the page's rows with the keys as their subquery: two queries for the
    first page and for the last."""
    rows = DiwFactory.objects.filter(province="ขอนแก่น").order_by("-factory_no")
    for number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            page = page_by_keys(rows, number, per_page=4)
        assert len(queries) == 2
        assert "LIMIT" in queries[1]["sql"] and len(page.object_list) == (4 if number == 1 else 2)


def test_an_empty_list_reads_no_rows():
    with CaptureQueriesContext(connection) as queries:
        page = page_by_keys(DiwFactory.objects.order_by("pk"), 1, per_page=4)
    assert page.object_list == [] and page.paginator.count == 0 and len(queries) == 1


def test_the_models_own_order_is_kept_and_a_list_without_one_is_refused(factories):
    """A list ordered by its model's Meta.ordering keeps it on every page; a list with no order
    at all cannot be paged by keys (its rows would come back in any order)."""
    from portal.core.models import AuditEntry

    assert AuditEntry._meta.ordering
    for n in range(5):
        AuditEntry.objects.create(action=f"test.{n}", target_type="test", target_id=str(n))
    rows = AuditEntry.objects.filter(target_type="test")
    seen = []
    for number in (1, 2):
        seen += [e.pk for e in page_by_keys(rows, number, per_page=3).object_list]
    assert seen == list(rows.values_list("pk", flat=True))
    with pytest.raises(ValueError):
        page_by_keys(DiwFactory.objects.all(), 1, per_page=3)


def test_a_short_list_is_counted_beside_its_pages_keys(factories):
    """counted_with_keys (a member's bills): the page's keys and the list's length in one
    query, then the page's rows: two queries, the same pages and order as counted apart; a
    page past the end is the last (read from the end of the list, two queries as well),
    anything not a number the first, an empty list one query."""
    rows = DiwFactory.objects.filter(province="ขอนแก่น").order_by("name_th", "pk")
    seen = []
    for number in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            page = page_by_keys(rows, number, per_page=4, counted_with_keys=True)
        assert len(queries) == 2 and "OVER" in queries[0]["sql"]
        assert page.paginator.count == 6 and page.number == number
        assert page.has_next() == (number == 1)
        seen += [factory.name_th for factory in page.object_list]
    assert seen == [f"โรงงาน {n}" for n in (0, 1, 2, 4, 5, 6)]
    for past_the_end in (9, "9", 0, -1):
        with CaptureQueriesContext(connection) as queries:
            page = page_by_keys(rows, past_the_end, per_page=4, counted_with_keys=True)
        assert page.number == 2 and [f.name_th for f in page.object_list] == seen[4:]
        assert page.paginator.count == 6 and len(queries) == (2 if int(past_the_end) > 0 else 1)
    assert [f.name_th for f in page_by_keys(rows, 9, per_page=3, counted_with_keys=True)] == (
        seen[3:]
    )
    for not_a_number in ("x", None, ""):
        page = page_by_keys(rows, not_a_number, per_page=4, counted_with_keys=True)
        assert page.number == 1 and [f.name_th for f in page.object_list] == seen[:4]
    with CaptureQueriesContext(connection) as queries:
        empty = page_by_keys(
            DiwFactory.objects.filter(province="ไม่มี").order_by("pk"),
            1,
            per_page=4,
            counted_with_keys=True,
        )
    assert empty.object_list == [] and empty.paginator.count == 0 and len(queries) == 1
