"""Filters of the applicant's pages: a definition's text in the page's language, a short
fingerprint of a SHA-256, an event's words."""

from django import template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.permits.selectors import new_factory_label

register = template.Library()

EVENTS = {
    "draft_started": _("Draft started"),
    "submitted": _("Application submitted and signed off"),
    "withdrawn": _("Draft withdrawn"),
    "deficiency_supplied": _("Missing documents supplied and signed off"),
    "corrections_reported": _("Corrections reported and signed off"),
    "extension_started": _("Extension request started"),
    # The officer's acts (portal.permits.review_services), in the same words as the back
    # office's timeline.
    "assigned": _("Assigned"),
    "accepted": _("Documents complete: the legal time started"),
    "deficiency": _("Deficiency record written: the legal time paused"),
    "returned": _("Returned with its documents: deadline passed"),
    "inspected": _("Inspection recorded"),
    "step_finished": _("Step finished, next step started"),
    "decided": _("Decided: letter signed and sent"),
    "billed": _("Fee billed"),
    "late_notice": _("Applicant told of the delay"),
    "extended": _("Period extended"),
}

OUTCOMES = {
    "granted": _("Granted"),
    "acknowledged": _("Acknowledged"),
    "refused": _("Refused"),
    "returned": _("Returned"),
}


@register.filter
def text(value) -> str:
    """A definitions.Text (th/en) in the page's language."""
    if value is None:
        return ""
    return value.get(translation.get_language() or "th")


@register.filter
def sha_short(value: str) -> str:
    """The first 16 hex digits of a SHA-256, in groups of four, for people to compare."""
    value = (value or "")[:16]
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


@register.filter
def event_label(kind: str) -> str:
    return str(EVENTS.get(kind, kind.replace("_", " ")))


@register.filter
def outcome_label(outcome: str) -> str:
    return str(OUTCOMES.get(outcome, outcome))


@register.filter
def new_factory(application) -> str:
    """PRM-05: an application for a new factory (no factory yet): the factory's name and province
    as its applicant answered them ("" for what is not answered yet)."""
    return new_factory_label(application)
