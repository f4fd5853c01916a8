"""Pages of long lists read by their keys (issues 10 and 11: a consultant's thousands of bills,
a province's tens of thousands, an applicant's hundreds of applications)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_keys(
    rows: QuerySet,
    number,
    *,
    per_page: int,
    rows_of_keys: QuerySet | None = None,
    whole_below: int = 0,
) -> Page:
    """One page of `rows`: the page's primary keys first (an index that holds the order and the
    key gives them without reading a table row, so a deep page or the top of thousands skips
    index entries, not rows), then the rows of those keys with their joins, in one query (the
    keys a subquery). The same queries whatever the list's length; a number out of range gives
    the last page, anything else not a number the first. (A COUNT(*) OVER () beside the keys,
    to save the count's query, was measured slower: the window keeps every row of a province's
    list where the count reads the index alone.)

    `rows_of_keys`: where the page's rows are read from by key (default: `rows`, its filters
    repeated). The keys came from `rows`, which decided what may be seen; a plain queryset with
    the joins the page needs spares the planner a long filter a second time.

    `whole_below`: for a list that is seldom long (one member's bills), every key is read in
    one query when there are fewer than this many, and counted in Python: no count's query,
    which costs as much as the keys'. A longer list is counted and paged as above."""
    # The rows are read in the keys' order: the list must have one (its own or its model's).
    ordering = rows.query.order_by or rows.model._meta.ordering
    if not ordering:
        raise ValueError("page_by_keys needs an ordered list (ending on a unique key)")
    keys_query = rows.values_list("pk", flat=True)
    source = rows if rows_of_keys is None else rows_of_keys
    every_key = list(keys_query[:whole_below]) if whole_below else []
    if whole_below and len(every_key) < whole_below:
        page = Paginator(every_key, per_page).get_page(number)
        keys = list(page.object_list)
        by_key = {row.pk: row for row in source.filter(pk__in=keys)} if keys else {}
        page.object_list = [by_key[key] for key in keys if key in by_key]
        return page
    page = Paginator(keys_query, per_page).get_page(number)
    # The page's keys are a subquery of the rows' query (LIMIT and OFFSET inside it): one
    # round trip to the database, not one for the keys and one for their rows.
    page.object_list = (
        list(source.filter(pk__in=page.object_list).order_by(*ordering))
        if page.paginator.count
        else []
    )
    return page
