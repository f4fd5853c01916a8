"""Pages of long lists read by their keys (issues 10 and 11: a consultant's thousands of bills,
a province's tens of thousands, an applicant's hundreds of applications)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_keys(
    rows: QuerySet, number, *, per_page: int, rows_of_keys: QuerySet | None = None
) -> Page:
    """One page of `rows`: the page's primary keys first (an index that holds the order and the
    key gives them without reading a table row, so a deep page or the top of thousands skips
    index entries, not rows), then the rows of those keys with their joins. One query more than
    a plain page, the same whatever the list's length; a number out of range gives the last
    page, anything else not a number the first. (A COUNT(*) OVER () beside the keys, to save the
    count's query, was measured slower: the window keeps every row of a province's list where
    the count reads the index alone.)

    `rows_of_keys`: where the page's rows are read from by key (default: `rows`, its filters
    repeated). The keys came from `rows`, which decided what may be seen; a plain queryset with
    the joins the page needs spares the planner a long filter a second time."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    keys = list(page.object_list)
    source = rows if rows_of_keys is None else rows_of_keys
    by_key = {row.pk: row for row in source.filter(pk__in=keys)} if keys else {}
    page.object_list = [by_key[key] for key in keys if key in by_key]
    return page
