"""Reads of the services menu: the catalogue by category (SVC-01), profile readiness per
service (SVC-03), the data-sharing consent in force (SVC-02, SSO-10)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.identity.selectors import (
    connected_system_categories,
    connected_system_for_client,
    connected_systems_with_login,
)
from portal.operators.selectors import (
    business_kinds,
    holding_is_verified,
    member_holdings_with_factory_counts,
)
from portal.services.models import SystemConsent

if TYPE_CHECKING:
    from portal.identity.models import ConnectedSystem
    from portal.operators.models import Holding

CATEGORY_ORDER = [choice for choice, _label in connected_system_categories()]
CATEGORY_DESCRIPTIONS = {
    "survey": _("Statutory reports and surveys"),
    "payment": _("Fees and bills"),
    "license": _("Licences, permits and certificates"),
    "service": _("Support, training and other services"),
}


def system_name(system: ConnectedSystem) -> str:
    return system.name_en if get_language() == "en" and system.name_en else system.name_th


def system_notes(system: ConnectedSystem) -> str:
    return system.notes_en if get_language() == "en" and system.notes_en else system.notes_th


def connected_systems() -> QuerySet[ConnectedSystem]:
    """The systems a member can be handed off to: those with a registered client."""
    return connected_systems_with_login()


def connected_system(*, slug: str) -> ConnectedSystem | None:
    return connected_systems().select_related("client").filter(slug=slug).first()


def system_for_client(*, client_id: str) -> ConnectedSystem | None:
    return connected_system_for_client(client_id=client_id)


@dataclass
class Profile:
    """What a member's profile holds that readiness looks at: two queries, whatever the
    number of services shown."""

    holdings: list[Holding]
    factories_per_holding: dict[int, int]


def member_profile(*, member) -> Profile:
    holdings = member_holdings_with_factory_counts(member=member)
    return Profile(
        holdings=holdings,
        factories_per_holding={holding.pk: holding.factory_count for holding in holdings},
    )


@dataclass
class Missing:
    code: str  # business, business_kind, verification, factory
    message: str
    link_name: str = ""


@dataclass
class Readiness:
    system: ConnectedSystem
    eligible: list[Holding] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def checklist(self) -> list[Check]:
        """SVC-03: every requirement of the service with its mark for this member: done,
        missing (the first one not met, with how to meet it) or later (not checked until the
        one before it is met), so the member sees what is done as well as what is not."""
        codes = []
        if self.system.needs_business:
            codes.append("business")
            if self.system.business_kinds:
                codes.append("business_kind")
            codes.append("verification")
            if self.system.needs_factory:
                codes.append("factory")
        missing = {item.code: item for item in self.missing}
        checks, state = [], Check.DONE
        for code in codes:
            if code in missing:
                state = Check.MISSING
            checks.append(Check(code=code, label=_check_label(code, self.system), state=state))
            if state == Check.MISSING:
                checks[-1].missing = missing[code]
                state = Check.LATER
        return checks


@dataclass
class Check:
    DONE, MISSING, LATER = "done", "missing", "later"

    code: str
    label: str
    state: str
    missing: Missing | None = None


def _check_label(code: str, system: ConnectedSystem) -> str:
    if code == "business":
        return _("A business in your profile")
    if code == "business_kind":
        return _("A business of a kind this service serves: %(kinds)s") % {
            "kinds": _kind_labels(system.business_kinds)
        }
    if code == "verification":
        return _("The business verified")
    return _("The business's factories in your profile")


def _kind_labels(kinds: list[str]) -> str:
    labels = dict(business_kinds())
    return ", ".join(str(labels.get(kind, kind)) for kind in kinds)


def readiness(*, system: ConnectedSystem, profile: Profile) -> Readiness:
    """SVC-03: whether the member can use this service now, and if not, what to add first."""
    result = Readiness(system=system)
    if not system.needs_business:
        return result
    kinds = set(system.business_kinds)
    right_kind = [h for h in profile.holdings if not kinds or h.business.kind in kinds]
    verified = [h for h in right_kind if holding_is_verified(h)]
    if not profile.holdings:
        result.missing.append(
            Missing(
                "business", _("Add a business to your profile first."), "operators:business_add"
            )
        )
        return result
    if not right_kind:
        result.missing.append(
            Missing(
                "business_kind",
                _("This service is only for: %(kinds)s.") % {"kinds": _kind_labels(kinds)},
                "operators:business_add",
            )
        )
        return result
    if not verified:
        result.missing.append(
            Missing(
                "verification",
                _("Your business is waiting for an officer to verify it."),
                "operators:businesses",
            )
        )
        return result
    if system.needs_factory:
        verified = [h for h in verified if profile.factories_per_holding.get(h.pk)]
        if not verified:
            result.missing.append(
                Missing(
                    "factory",
                    _("Add the factories of your business to your profile first."),
                    "factories:add",
                )
            )
            return result
    result.eligible = verified
    return result


CHOOSE_BUSINESS = _("Choose the business you are acting for.")


def chosen_holding(*, readiness: Readiness, holding_id: int | None) -> Holding | None:
    """The business the member acts for at a hand-off: the one they chose among those that
    fit the service, else the only one that fits (never another member's, never one that
    does not fit)."""
    eligible = {holding.pk: holding for holding in readiness.eligible}
    if holding_id in eligible:
        return eligible[holding_id]
    return next(iter(eligible.values())) if len(eligible) == 1 else None


def handoff_page(*, member, system: ConnectedSystem) -> dict:
    """What the hand-off pages and the authorization page show about a system for a member:
    its names, readiness (SVC-03), whether consent is in force and what it shares (SVC-02)."""
    return {
        "system": system,
        "system_name": system_name(system),
        "notes": system_notes(system),
        "agency": system.agency,
        "readiness": readiness(system=system, profile=member_profile(member=member)),
        "consented": consent_current(member=member, system=system),
        "shared_data": shared_data(system),
    }


def catalogue(*, member=None) -> list[dict]:
    """SVC-01: the four categories with their services (and, for a member, each service's
    readiness), in three queries."""
    systems = list(connected_systems().order_by("category", "position", "slug"))
    profile = member_profile(member=member) if member is not None else None
    by_category = {category: [] for category in CATEGORY_ORDER}
    for system in systems:
        by_category[system.category].append(
            {
                "system": system,
                "name": system_name(system),
                "notes": system_notes(system),
                "readiness": readiness(system=system, profile=profile) if profile else None,
            }
        )
    labels = dict(connected_system_categories())
    return [
        {
            "code": category,
            "label": labels[category],
            "description": CATEGORY_DESCRIPTIONS[category],
            "services": by_category[category],
        }
        for category in CATEGORY_ORDER
    ]


def consent_current(*, member, system: ConnectedSystem) -> bool:
    return SystemConsent.objects.filter(
        member=member, system=system, version=system.consent_version, withdrawn_at__isnull=True
    ).exists()


def member_system_consents(*, member) -> QuerySet[SystemConsent]:
    """SSO-10: the data-sharing consents the member has given and not withdrawn."""
    return (
        SystemConsent.objects.filter(member=member, withdrawn_at__isnull=True)
        .select_related("system")
        .order_by("-given_at")
    )


SCOPE_DESCRIPTIONS = {
    "openid": _("an identifier of your account (not your national ID)"),
    "profile": _("your name"),
    "email": _("your email address"),
    "phone": _("your mobile phone number"),
    "pid": _("your national ID number"),
    "business": _("the business you choose: its registration number, kind and name"),
    "factories": _("the factories of that business in your profile: numbers, names, licences"),
}


def shared_data(system: ConnectedSystem) -> list[str]:
    """What the consent text lists: the data the system's scopes let it receive (SSO-06)."""
    return [
        SCOPE_DESCRIPTIONS[scope] for scope in system.scopes.split() if scope in SCOPE_DESCRIPTIONS
    ]
