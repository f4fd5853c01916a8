"""The usage guide's list of connected systems and their manuals (SVC-04), read from the
ConnectedSystem table that the catalogue fills (identity/data/connected_systems.json)."""

from django.utils.translation import gettext_lazy as _

from portal.identity.catalogue import DESCRIPTIVE_FIELDS
from portal.identity.models import ConnectedSystem
from portal.operators.models import Business

# SVC-01: the order of the four categories in every menu and list.
CATEGORY_ORDER = [value for value, _label in ConnectedSystem.Category.choices]

AGENCIES = {
    "TISI": _("Thai Industrial Standards Institute (TISI)"),
    "DIW": _("Department of Industrial Works (DIW)"),
    "DIPROM": _("Department of Industrial Promotion (DIPROM)"),
    "OIE": _("Office of Industrial Economics (OIE)"),
    "DPIM": _("Department of Primary Industries and Mines (DPIM)"),
    "OPS": _("Office of the Permanent Secretary, Ministry of Industry"),
    "IEAT": _("Industrial Estate Authority of Thailand (IEAT)"),
}


def guide_systems() -> list[ConnectedSystem]:
    """Every connected system, in one query, by category (SVC-01 order) then position."""
    systems = list(
        ConnectedSystem.objects.only("slug", *DESCRIPTIVE_FIELDS).order_by("position", "slug")
    )
    rank = {category: index for index, category in enumerate(CATEGORY_ORDER)}
    systems.sort(key=lambda system: rank.get(system.category, len(rank)))
    return systems


def guide_rows(systems: list[ConnectedSystem], language: str) -> list[dict]:
    """The systems grouped by category, with names and notes in the reader's language:
    [{"category", "label", "systems": [{"slug", "name", "agency", "agency_name", ...}]}]."""
    english = language == "en"
    labels = dict(ConnectedSystem.Category.choices)
    kinds = dict(Business.Kind.choices)
    groups: dict[str, dict] = {}
    for system in systems:
        group = groups.setdefault(
            system.category,
            {
                "category": system.category,
                "label": labels.get(system.category, system.category),
                "systems": [],
            },
        )
        group["systems"].append(
            {
                "slug": system.slug,
                "name": system.name_en if english else system.name_th,
                "agency": system.agency,
                "agency_name": AGENCIES.get(system.agency, system.agency),
                "needs_business": system.needs_business,
                "needs_factory": system.needs_factory,
                "business_kinds": [kinds.get(kind, kind) for kind in system.business_kinds],
                "notes": system.notes_en if english else system.notes_th,
                "manual_url": system.manual_url,
            }
        )
    return list(groups.values())
