"""The open statistics page of a procedure (PRM-11): applications per month with their average,
highest and lowest, and the time taken per step against its due time, as a chart and tables.
Public: figures only, no person, factory or application named."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.permits.review_selectors import procedure_statistics, statistics_chart


@require_GET
def procedure_statistics_page(request, code):
    figures = procedure_statistics(code)
    if figures is None:
        raise Http404
    language = get_language() or "th"
    return render(
        request,
        "permits/statistics.html",
        {
            "figures": figures,
            "chart": statistics_chart(figures),
            "name": figures.procedure.name.get(language),
            "language": language,
        },
    )
