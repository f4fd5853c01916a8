"""Pages of long lists read by their keys (issues 10 and 11: a consultant's thousands of bills,
a province's tens of thousands, an applicant's hundreds of applications)."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "_page_total"


def page_by_keys(
    rows: QuerySet,
    number,
    *,
    per_page: int,
    rows_of_keys: QuerySet | None = None,
    counted_with_keys: bool = False,
) -> Page:
    """One page of `rows`: the page's primary keys first (an index that holds the order and the
    key gives them without reading a table row, so a deep page or the top of thousands skips
    index entries, not rows), then the rows of those keys with their joins, in one query (the
    keys a subquery). The same queries whatever the list's length; a number out of range gives
    the last page, anything else not a number the first.

    `rows_of_keys`: where the page's rows are read from by key (default: `rows`, its filters
    repeated). The keys came from `rows`, which decided what may be seen; a plain queryset with
    the joins the page needs spares the planner a long filter a second time.

    `counted_with_keys`: for a list that is seldom long (one member's bills), the page's keys
    and the list's length in one query (COUNT(*) OVER () beside the keys), where its own count
    would cost as much as the keys. A long list (a province's) is better counted apart: the
    window keeps every row of the list, where the count reads the index alone."""
    # The rows are read in the keys' order: the list must have one (its own or its model's).
    ordering = rows.query.order_by or rows.model._meta.ordering
    if not ordering:
        raise ValueError("page_by_keys needs an ordered list (ending on a unique key)")
    keys_query = rows.values_list("pk", flat=True)
    source = rows if rows_of_keys is None else rows_of_keys
    paginator = Paginator(keys_query, per_page)
    if counted_with_keys:
        return _page_counted_with_keys(rows, number, paginator, source)
    page = paginator.get_page(number)
    # The page's keys are a subquery of the rows' query (LIMIT and OFFSET inside it): one
    # round trip to the database, not one for the keys and one for their rows.
    page.object_list = (
        list(source.filter(pk__in=page.object_list).order_by(*ordering))
        if page.paginator.count
        else []
    )
    return page


def _page_counted_with_keys(rows, number, paginator, source) -> Page:
    per_page = paginator.per_page
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1  # as Paginator.get_page: anything not a number is the first page
    counted = rows.annotate(**{TOTAL: Window(Count("*"))})
    window = []
    if wanted >= 1:
        first = (wanted - 1) * per_page
        window = list(counted.values_list("pk", TOTAL)[first : first + per_page])
    if window:
        paginator.count = window[0][1]
        page = paginator.get_page(wanted)
        keys = [key for key, _total in window]
        by_key = {row.pk: row for row in source.filter(pk__in=keys)}
        page.object_list = [by_key[key] for key in keys if key in by_key]
        return page
    if wanted == 1:
        paginator.count = 0  # the first page is empty: so is the list
        page = paginator.get_page(1)
        page.object_list = []
        return page
    # Past the end (a stale link, or a number below 1): the last page, as get_page answers,
    # read from the end of the list with the count beside it; as many queries as any page.
    last = list(counted.reverse()[:per_page])
    paginator.count = getattr(last[0], TOTAL) if last else 0
    page = paginator.get_page(wanted)
    on_last_page = paginator.count - (page.number - 1) * per_page
    page.object_list = list(reversed(last[:on_last_page]))
    return page
