"""Public pages of the permits app (PRM-02): the citizen manuals rendered from the procedure
definitions. No login: the manuals are published for everyone, as the law asks."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.permits.manual import (
    AGENCY_LABELS,
    CATEGORY_LABELS,
    fee_schedule,
    manual_documents,
    published_procedure,
    published_procedures,
    unit_label,
)


@require_GET
def manual_list(request):
    """PRM-02: every procedure's manual, with its owner, category and total time."""
    rows = [
        {
            "procedure": p,
            "category": CATEGORY_LABELS[p.category],
            "agency": AGENCY_LABELS[p.agency],
            "total_unit": unit_label(p.unit, p.total),
        }
        for p in published_procedures()
    ]
    return render(request, "permits/manual/list.html", {"rows": rows})


@require_GET
def manual_detail(request, procedure_code: str):
    """PRM-02: one procedure's manual, in the manuals' order of sections."""
    procedure = published_procedure(procedure_code)
    if procedure is None:
        raise Http404
    language = get_language() or "th"
    steps = [
        {"step": step, "unit": unit_label(step.unit, step.duration)} for step in procedure.steps
    ]
    return render(
        request,
        "permits/manual/detail.html",
        {
            "procedure": procedure,
            "category": CATEGORY_LABELS[procedure.category],
            "agency": AGENCY_LABELS[procedure.agency],
            "steps": steps,
            "total_unit": unit_label(procedure.unit, procedure.total),
            "document_groups": manual_documents(procedure, language),
            "fees": fee_schedule(procedure, language),
        },
    )
