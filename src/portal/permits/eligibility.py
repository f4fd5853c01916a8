"""Eligibility (issue 11 "Applying"): the checks of a procedure run against the factory's data
before anything is typed, each failing one with the reason the definition gives.

Pure code over plain data: `factory` and `business` may be model instances or dicts with the
operators Factory fields (factory_no, factory_class, category, horsepower, province,
industrial_estate, industrial_zone, licence, status, supervisor, business_id), so it is tested
without a database. Only `factory_held` reads the member's profile (operators' selectors), unless
the caller gives `held_factory_nos`.

A check that needs an answer of the form (PRM-05's self-assessment, a horsepower, the stop date)
does not fail while that answer is not given: the caller runs eligibility again with the answers
before the application is submitted (h11apply does both).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from portal.operators.factory_selectors import member_verified_factory_nos
from portal.permits.definitions import CHECKS, Check, Procedure, Text

__all__ = [
    "BANGKOK",
    "FACTORY_CHECKS",
    "Failure",
    "eligibility_of",
    "horsepower_of",
    "is_bangkok",
]

# How the registries and people write Bangkok (FAC/ADM-01 route on the Thai name).
BANGKOK = frozenset(
    {"กรุงเทพมหานคร", "กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม", "bangkok", "bangkok metropolis"}
)

# Licences that let a factory operate: the Factory Act's ร.ง.4 and, inside an IEAT estate, the
# IEAT's permit that stands in for it (the relocation manual excludes only estates in Bangkok).
OPERATING_LICENCES = frozenset({"ror_ngor_4", "ieat_03_2"})

# The checks that read a factory the member holds: they do not apply to an application started
# from a business for a new factory (PRM-05), which has no factory yet. The others read the
# answers when there is no factory (not_in_bangkok's province, category_not_in's category).
FACTORY_CHECKS = frozenset(
    {
        "factory_held",
        "factory_class_in",
        "factory_outside_ieat_estate",
        "factory_not_ieat_estate_in_bangkok",
        "factory_licensed",
        "factory_stopped",
    }
)
STOPPED = "temporarily_stopped"


@dataclass(frozen=True)
class Failure:
    """One check the applicant does not pass, and why (the definition's words)."""

    check: str
    reason: Text

    @property
    def text(self) -> str:
        return self.reason.get(get_language() or "th")

    def __str__(self) -> str:
        return self.text


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def is_bangkok(province: str | None) -> bool:
    return (province or "").strip().lower() in BANGKOK


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def horsepower_of(procedure: Procedure, answers: Mapping | None) -> Decimal | None:
    """The horsepower the fee and the limits are measured on: the form's field marked
    horsepower. A "machines" list sums horsepower x count of its rows (count 1 when absent).
    None when not answered yet."""
    field = procedure.horsepower_field()
    if field is None or not answers or field.key not in answers:
        return None
    value = answers[field.key]
    if field.kind == "machines":
        if not isinstance(value, list | tuple):
            return None
        total = Decimal(0)
        for row in value:
            power = _decimal(_get(row, "horsepower"))
            if power is None:
                return None
            count = _decimal(_get(row, "count", 1)) or Decimal(1)
            total += power * count
        return total
    return _decimal(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _in_estate(factory) -> bool:
    return bool((_get(factory, "industrial_estate") or "").strip()) or (
        _get(factory, "licence") == "ieat_03_2"
    )


def _yes(value: Any) -> str | None:
    if value is True or (isinstance(value, str) and value.lower() in ("yes", "true", "1")):
        return "yes"
    if value is False or (isinstance(value, str) and value.lower() in ("no", "false", "0")):
        return "no"
    return None


class _Context:
    def __init__(self, procedure, factory, business, member, answers, held, today):
        self.procedure = procedure
        self.factory = factory
        self.business = business
        self.member = member
        self.answers = answers
        self.held = held
        self.today = today

    def answer(self, key: str | None) -> Any:
        if key is None or self.answers is None:
            return None
        value = self.answers.get(key)
        return None if value == "" else value

    def held_factory_nos(self) -> Collection[str]:
        if self.held is not None:
            return self.held
        if self.member is None or not getattr(self.member, "pk", None):
            return ()
        return set(member_verified_factory_nos(member=self.member))


# Each check answers True (passes), False (fails) or None (cannot tell yet: not failed).
def _factory_held(c: _Context, params) -> bool:
    if c.factory is None:
        return False
    business_id = _get(c.factory, "business_id")
    if c.business is not None and business_id is not None and business_id != c.business.pk:
        return False
    return _get(c.factory, "factory_no") in c.held_factory_nos()


def _factory_class_in(c: _Context, params) -> bool:
    return c.factory is not None and _get(c.factory, "factory_class") in params["classes"]


def _factory_outside_ieat_estate(c: _Context, params) -> bool:
    return c.factory is not None and not _in_estate(c.factory)


def _factory_not_ieat_estate_in_bangkok(c: _Context, params) -> bool:
    if c.factory is None:
        return False
    return not (_in_estate(c.factory) and is_bangkok(_get(c.factory, "province")))


def _factory_licensed(c: _Context, params) -> bool:
    if c.factory is None:
        return False
    return _get(c.factory, "licence") in OPERATING_LICENCES or bool(
        (_get(c.factory, "industrial_zone") or "").strip()
    )


def _factory_stopped(c: _Context, params) -> bool | None:
    if c.factory is None or _get(c.factory, "status") != STOPPED:
        return False
    stopped_on = _date(c.answer(params.get("field")))
    if stopped_on is None:
        return None if params.get("field") else True
    return (c.today - stopped_on).days >= params.get("min_days", 366)


def _not_in_bangkok(c: _Context, params) -> bool | None:
    province = _get(c.factory, "province") if c.factory is not None else None
    province = province or c.answer(params.get("field"))
    if not province:
        return None
    return not is_bangkok(province)


def _horsepower_at_most(c: _Context, params) -> bool | None:
    power = horsepower_of(c.procedure, c.answers)
    if power is None:
        return None
    limit = params["new"]
    if c.answer(params.get("field")) == "expansion" and "expansion" in params:
        limit = params["expansion"]
    return power <= limit


def _category_not_in(c: _Context, params) -> bool | None:
    category = c.answer(params.get("field")) or _get(c.factory, "category")
    if not category:
        return None
    main = re.match(r"\s*(\d+)", str(category))
    number = main.group(1) if main else str(category).strip()
    return number not in {str(x) for x in params["categories"]}


def _self_assessment_is_factory(c: _Context, params) -> bool | None:
    questions = {q.key: q for q in c.procedure.self_assessment}
    answers = {key: _yes(c.answer(key)) for key in questions}
    if c.answers is None or any(value is None for value in answers.values()):
        return None
    factory_like = {key: answers[key] == q.factory_if for key, q in questions.items()}
    every = params.get("all")
    some = params.get("any")
    if every is None and some is None:
        return all(factory_like.values())
    return all(factory_like[k] for k in every or ()) and (
        not some or any(factory_like[k] for k in some)
    )


RUNNERS: dict[str, Callable[[_Context, dict], bool | None]] = {
    "factory_held": _factory_held,
    "factory_class_in": _factory_class_in,
    "factory_outside_ieat_estate": _factory_outside_ieat_estate,
    "factory_not_ieat_estate_in_bangkok": _factory_not_ieat_estate_in_bangkok,
    "factory_licensed": _factory_licensed,
    "factory_stopped": _factory_stopped,
    "not_in_bangkok": _not_in_bangkok,
    "horsepower_at_most": _horsepower_at_most,
    "category_not_in": _category_not_in,
    "self_assessment_is_factory": _self_assessment_is_factory,
}
assert set(RUNNERS) == set(CHECKS), "every check of definitions.CHECKS has code here"


def run_check(check: Check, context: _Context) -> bool | None:
    return RUNNERS[check.check](context, check.params)


def eligibility_of(
    procedure: Procedure,
    *,
    factory: Any,
    business: Any,
    member: Any,
    answers: Mapping | None = None,
    held_factory_nos: Collection[str] | None = None,
    today: dt.date | None = None,
    new_factory: bool = False,
) -> list[Failure]:
    """The checks of `procedure` the applicant fails, in the definition's order (empty: eligible
    as far as can be told). `answers`: the form's answers and self-assessment (question key ->
    "yes"/"no"), when given. `new_factory`: started from a business for a factory not yet
    registered (PRM-05): the checks of a held factory do not apply, the others read the
    answers."""
    context = _Context(
        procedure,
        factory,
        business,
        member,
        answers,
        held_factory_nos,
        today or timezone.localdate(),
    )
    return [
        Failure(check.check, check.reason)
        for check in procedure.eligibility
        if not (new_factory and check.check in FACTORY_CHECKS)
        and run_check(check, context) is False
    ]
