"""The usage guide's list of connected systems and their manuals (SVC-04), read from the
ConnectedSystem table that the catalogue fills (identity/data/connected_systems.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from portal.identity.catalogue import DESCRIPTIVE_FIELDS
from portal.identity.selectors import connected_system_categories, connected_systems_described
from portal.operators.selectors import business_kinds

if TYPE_CHECKING:
    from portal.identity.models import ConnectedSystem

# SVC-01: the order of the four categories in every menu and list.
CATEGORY_ORDER = [value for value, _label in connected_system_categories()]

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
    systems = connected_systems_described(fields=DESCRIPTIVE_FIELDS)
    rank = {category: index for index, category in enumerate(CATEGORY_ORDER)}
    systems.sort(key=lambda system: rank.get(system.category, len(rank)))
    return systems


def guide_rows(systems: list[ConnectedSystem], language: str) -> list[dict]:
    """The systems grouped by category, with names and notes in the reader's language:
    [{"category", "label", "systems": [{"slug", "name", "agency", "agency_name", ...}]}]."""
    english = language == "en"
    labels = dict(connected_system_categories())
    kinds = dict(business_kinds())
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
