"""Public help pages of the services menu (SVC-04): the usage guide, with the manuals of the
connected systems, and the searchable questions and answers."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.services import faq as faq_data
from portal.services.contacts import support_contacts
from portal.services.guide import guide_rows, guide_systems

# Open the answers at once when a search finds only a few.
OPEN_RESULTS_AT_MOST = 3


@require_GET
def faq(request):
    """SVC-04: the FAQ, searched with ?q= (every word must match), grouped by topic, then the
    support contacts, as the manuals place them after their questions."""
    query = request.GET.get("q", "")[: faq_data.MAX_QUERY_LENGTH].strip()
    entries = faq_data.search_faq(query, get_language())
    return render(
        request,
        "services/faq.html",
        {
            "query": query,
            "searched": bool(faq_data.query_terms(query)),
            "count": len(entries),
            "groups": faq_data.group_by_topic(entries),
            "open_all": 0 < len(entries) <= OPEN_RESULTS_AT_MOST and bool(query),
            "contacts": support_contacts(),
        },
    )


@require_GET
def guide(request):
    """SVC-04: how to use the portal, then every connected system with its manual and what
    it needs before use (SVC-03), then the support contacts, as the manual ends."""
    return render(
        request,
        "services/guide.html",
        {
            "categories": guide_rows(guide_systems(), get_language()),
            "contacts": support_contacts(),
        },
    )
