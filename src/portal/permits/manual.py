"""The published citizen manual of a procedure (PRM-02), read from its definition: what the
public pages /procedures/ and /procedures/<code>/ show, in the manuals' order.

Reads only: the definitions (procedures/) and billing's fee table in force for the fee's lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.billing.selectors import fee_table_in_force, fee_table_tiers
from portal.core.money import Money
from portal.permits.definitions import Condition, Document, Procedure, procedure, procedures

__all__ = [
    "CATEGORY_LABELS",
    "FeeLine",
    "FeeSchedule",
    "ManualDocument",
    "condition_text",
    "fee_schedule",
    "manual_documents",
    "published_procedure",
    "published_procedures",
    "unit_label",
]

CATEGORY_LABELS = {
    "licence": pgettext_lazy("procedure category", "Licence"),
    "notice": pgettext_lazy("procedure category", "Notice"),
    "permit": pgettext_lazy("procedure category", "Permit"),
    "registration": pgettext_lazy("procedure category", "Registration"),
    "other": pgettext_lazy("procedure category", "Other"),
}

AGENCY_LABELS = {
    "DIW": gettext_lazy("Department of Industrial Works"),
    "PIO": gettext_lazy("Provincial industry office"),
    "IEAT": gettext_lazy("Industrial Estate Authority of Thailand"),
    "TISI": gettext_lazy("Thai Industrial Standards Institute"),
    "OPS": gettext_lazy("Office of the Permanent Secretary, Ministry of Industry"),
}


def unit_label(unit: str, count: int) -> str:
    if unit == "working_days":
        return _("working day") if count == 1 else _("working days")
    return _("day") if count == 1 else _("days")


def published_procedures() -> list[Procedure]:
    """Every procedure, by its Thai name's order as a list of services is read."""
    return sorted(procedures().values(), key=lambda p: p.code)


def published_procedure(code: str) -> Procedure | None:
    return procedure(code)


def _hp(value: Decimal) -> str:
    number = value.normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}"


@dataclass(frozen=True)
class FeeLine:
    description: str
    amount: str  # baht, formatted ("1,500.00")


@dataclass(frozen=True)
class FeeSchedule:
    title: str
    lines: list[FeeLine]
    is_complete: bool
    illustrative: bool


def fee_schedule(proc: Procedure, language: str, on: dt.date | None = None) -> FeeSchedule | None:
    """The lines of the fee table in force today (billing's, BILL-01), in words a person reads:
    "From 5 HP to under 20 HP: 1,000.00 baht". None when the procedure has no table or billing
    has none loaded."""
    if not proc.fee.table:
        return None
    table = fee_table_in_force(proc.fee.table, on or timezone.localdate())
    if table is None:
        return None
    lines = []
    for tier in fee_table_tiers(table):
        if tier.no_machinery:
            text = _("No machinery")
        elif tier.below_hp is None and tier.from_hp is None:
            text = _("Any power")
        elif tier.below_hp is None:
            text = _("From %(low)s HP up") % {"low": _hp(tier.from_hp)}
        else:
            text = _("From %(low)s HP to under %(high)s HP") % {
                "low": _hp(tier.from_hp or Decimal(0)),
                "high": _hp(tier.below_hp),
            }
        lines.append(FeeLine(text, Money(tier.amount_satang).format()))
    title = table.title_en if language.startswith("en") else table.title_th
    return FeeSchedule(title, lines, table.is_complete, table.illustrative)


def condition_text(proc: Procedure, condition: Condition | None, language: str) -> str:
    """When a document is needed, in words ("" when always)."""
    if condition is None:
        return ""
    parts = []
    if condition.applicant == "juristic":
        parts.append(_("when the applicant is a juristic person"))
    elif condition.applicant == "natural":
        parts.append(_("when the applicant is a natural person"))
    if condition.delegated is True:
        parts.append(_("when a power of attorney is given"))
    elif condition.delegated is False:
        parts.append(_("when no power of attorney is given"))
    if condition.factory_class:
        classes = ", ".join(str(c) for c in condition.factory_class)
        parts.append(_("for factory class %(classes)s") % {"classes": classes})
    if condition.field:
        field = next(f for f in proc.fields if f.key == condition.field)
        label = field.label.get(language)
        if condition.equals is True:
            parts.append(_("when “%(question)s”") % {"question": label})
        elif condition.equals is False:
            parts.append(_("unless “%(question)s”") % {"question": label})
        else:
            values = condition.in_ if condition.in_ is not None else [condition.equals]
            choices = {c.value: c.label.get(language) for c in field.choices}
            shown = ", ".join(str(choices.get(str(v), v)) for v in values)
            parts.append(
                _("when %(question)s is %(values)s") % {"question": label, "values": shown}
            )
    return "; ".join(parts)


@dataclass(frozen=True)
class ManualDocument:
    number: int
    document: Document
    condition: str


def manual_documents(proc: Procedure, language: str) -> list[tuple[str, list[ManualDocument]]]:
    """The document tables as the manual prints them: 15.1 identity and 15.2 other documents,
    or one list (documents_layout single), each numbered from 1."""
    if proc.documents_layout == "single":
        groups = [("all", list(proc.documents))]
    else:
        groups = [
            ("identity", [d for d in proc.documents if d.group == "identity"]),
            ("other", [d for d in proc.documents if d.group == "other"]),
        ]

    def condition(document: Document) -> str:
        # The manual's own note often is the condition ("กรณีมีการมอบอำนาจ"): not said twice.
        text = condition_text(proc, document.when, language)
        note = document.note.get(language).strip().lower() if document.note else ""
        return "" if note and note in text.lower() else text

    return [
        (
            name,
            [
                ManualDocument(number, document, condition(document))
                for number, document in enumerate(documents, start=1)
            ],
        )
        for name, documents in groups
        if documents
    ]
