"""Procedures as data (PRM-01): the schema of a citizen manual, and the loader of `procedures/`.

One YAML file a procedure, in the repository's top-level `procedures/` folder (setting
PROCEDURES_DIR). Everything the portal shows or enforces about a procedure comes from here: the
published citizen manual (PRM-02), eligibility, the applicant's form and its conditional document
checklist, the fee (a billing fee table, PRM-06), the officer's steps with their times (PRM-07),
what each step lets the officer do, the results and their letters, and the complaint channels.

Texts are pairs {th: ..., en: ...}: the manuals are Thai; the English is ours. Errors name the
file, the field (a dotted path such as `steps.1.duration`) and what is wrong, in English, for
whoever writes the files (the `procedures_check` command, or start-up).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from portal.core.errors import PortalError

__all__ = [
    "ACTIONS",
    "AGENCIES",
    "CHECKS",
    "Procedure",
    "ProcedureFileError",
    "check_procedure_files",
    "load_procedure_file",
    "load_procedures",
    "procedure",
    "procedures",
]

# Who may own a procedure or act in a step (ADM-01's agencies).
AGENCIES = ("DIW", "PIO", "IEAT", "TISI", "OPS")

# Eligibility checks the engine knows (code in portal.permits.eligibility): a new kind of check
# is code; a new procedure using known checks is only a file (DESIGN.md "Permits as data").
CHECKS = (
    "factory_held",  # the applicant acts for a factory in their profile (every factory procedure)
    "factory_class_in",  # params: {classes: [2, 3]}
    "factory_outside_ieat_estate",  # not inside an IEAT industrial estate
    "factory_not_ieat_estate_in_bangkok",  # PRM-04: not an IEAT estate in Bangkok
    "factory_licensed",  # holds a ร.ง.4 licence (class 3) or is in a section-30 zone
    "factory_stopped",  # the factory notified a stop (PRM-03): asked of the applicant
    "not_in_bangkok",  # PRM-05: e-licensing everywhere but Bangkok
    "horsepower_at_most",  # params: {new: 500, expansion: 600}
    "category_not_in",  # params: {categories: ["101", "105", "106"]}
    "self_assessment_is_factory",  # PRM-05's self-assessment says the activity is a factory
)

# The parameters each check takes: name -> (type, required). Checked at load, so that a typo in
# a file is an error naming the field, not a check that silently passes.
CHECK_PARAMS: dict[str, dict[str, tuple[type, bool]]] = {
    "factory_held": {},
    "factory_class_in": {"classes": (list, True)},
    "factory_outside_ieat_estate": {},
    "factory_not_ieat_estate_in_bangkok": {},
    "factory_licensed": {},
    # field: the form's date of the stop (checked once answered); min_days: how long ago at least
    "factory_stopped": {"field": (str, False), "min_days": (int, False)},
    "not_in_bangkok": {"field": (str, False)},  # field: the form's province when no factory yet
    # new/expansion: the most horsepower; field: the form's choice saying which (new/expansion)
    "horsepower_at_most": {"new": (int, True), "expansion": (int, False), "field": (str, False)},
    "category_not_in": {"categories": (list, True), "field": (str, False)},
    # all: questions that must all give their factory_if answer; any: at least one of these must
    # (absent both: every question must)
    "self_assessment_is_factory": {"all": (list, False), "any": (list, False)},
}

# What an officer may do in a step, as the definition allows (issue 11 "Deciding").
ACTIONS = (
    "accept",  # documents complete: the clock starts (PRM-08)
    "deficiency",  # a deficiency record listing everything missing, with a deadline (PRM-08/12)
    "inspect",  # record an inspection (class 3 readiness under s.8)
    "order_corrections",  # order corrections after an inspection
    "acknowledge",  # a notice acknowledged (class 2): result letter, no permit
    "approve",  # grant, with conditions (and a period where the result has one)
    "refuse",  # refuse with reasons
)

STEP_KINDS = ("document_check", "consideration", "signing", "committee")
CATEGORIES = ("licence", "notice", "permit", "registration", "other")
# "province": one of Thailand's 77 provinces (portal.operators.supervisors.PROVINCES), stored as
# its Thai name: the office a new factory's application goes to is read from it (ADM-01).
FIELD_KINDS = (
    "text",
    "textarea",
    "integer",
    "decimal",
    "date",
    "choice",
    "boolean",
    "machines",
    "province",
)
# What an application starts from (PRM-05): a factory in the member's profile, or a business
# they hold for a factory that has no registration number yet (a new factory).
STARTS_FROM = ("factory", "business")


class ProcedureFileError(PortalError):
    """A procedure file that cannot be loaded: `path` and `field` say where."""

    def __init__(self, path: Path | str, field: str, problem: str):
        super().__init__(f"{path}: {field}: {problem}", field=field, code="procedure_file")
        self.path = str(path)
        self.problem = problem


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Thai (as the manual says it) and in English (ours)."""

    th: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.th


class Channel(Strict):
    place: Text
    hours: Text
    online: bool = False  # the portal itself (e-licensing) as opposed to a counter
    note: Text | None = None


class Check(Strict):
    """One eligibility check run before anything is typed, with the reason shown when it fails."""

    check: Literal[CHECKS]  # type: ignore[valid-type]
    params: dict[str, Any] = {}
    reason: Text  # why the applicant is not eligible, in plain words

    @model_validator(mode="after")
    def _params(self) -> Check:
        spec = CHECK_PARAMS.get(self.check, {})
        unknown = sorted(set(self.params) - set(spec))
        if unknown:
            known = ", ".join(sorted(spec)) or "none"
            raise ValueError(
                f"params: unknown param {', '.join(unknown)} of {self.check} (known: {known})"
            )
        for name, (kind, required) in spec.items():
            if name not in self.params:
                if required:
                    raise ValueError(f"params: {self.check} needs param {name}")
                continue
            value = self.params[name]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError(f"params.{name}: must be a {kind.__name__} ({self.check})")
        return self


class Choice(Strict):
    value: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text


class Condition(Strict):
    """When a document or a field applies. All given parts must hold.

    `field`/`equals`/`in_`: an answer of the applicant's form; `factory_class`: the factory's class;
    `applicant`: "juristic" or "natural"; `delegated`: the application is made by a delegate.
    """

    field: str | None = None
    equals: str | int | bool | None = None
    in_: Annotated[list[str | int] | None, Field(alias="in")] = None
    factory_class: list[int] | None = None
    applicant: Literal["juristic", "natural"] | None = None
    delegated: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> Condition:
        if not any(
            v is not None for v in (self.field, self.factory_class, self.applicant, self.delegated)
        ):
            raise ValueError("a condition needs field, factory_class, applicant or delegated")
        if self.field is None and (self.equals is not None or self.in_ is not None):
            raise ValueError("equals/in need a field")
        if self.field is not None and self.equals is None and self.in_ is None:
            raise ValueError("a field condition needs equals or in")
        return self


class FormField(Strict):
    """A question of the applicant's form."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: Literal[FIELD_KINDS]  # type: ignore[valid-type]
    label: Text
    help: Text | None = None
    required: bool = True
    choices: list[Choice] = []
    min_value: int | None = None
    max_value: int | None = None
    when: Condition | None = None
    # Which answer gives the horsepower the fee is priced on (PRM-06).
    horsepower: bool = False

    @model_validator(mode="after")
    def _choices(self) -> FormField:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError("a choice field needs at least two choices")
        if self.kind != "choice" and self.choices:
            raise ValueError(f"choices are only for kind choice, not {self.kind}")
        if self.horsepower and self.kind not in ("integer", "decimal", "machines"):
            raise ValueError("the horsepower field must be integer, decimal or machines")
        return self


class Document(Strict):
    """One line of the manual's document list (section 15)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    group: Literal["identity", "other"]  # 15.1 identity documents, 15.2 other documents
    name: Text
    issuer: Text | None = None  # the government agency that issues it, when the manual names one
    originals: Annotated[int, Field(ge=0)]
    copies: Annotated[int, Field(ge=0)]
    unit: Text  # ฉบับ, ชุด ...
    note: Text | None = None  # the manual's remark (valid 3 months, signed on every page ...)
    when: Condition | None = None  # absent: always required
    upload: bool = True  # False: shown at the counter, never uploaded (e.g. an original licence)
    # The manual lists it with 0 originals and 0 copies (the relocation manual's combined land
    # plan and EIA approval): needed as its note says, in no stated number.
    no_count: bool = False

    @model_validator(mode="after")
    def _some(self) -> Document:
        if self.originals + self.copies == 0 and not self.no_count:
            raise ValueError(
                "a document needs at least one original or one copy "
                "(no_count: true when the manual itself gives 0 and 0)"
            )
        if self.no_count and self.originals + self.copies:
            raise ValueError("no_count is only for a document the manual counts 0 and 0")
        return self


class Step(Strict):
    """One step of section 13, with its time and who acts."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: Literal[STEP_KINDS]  # type: ignore[valid-type]
    name: Text
    description: Text
    duration: Annotated[int, Field(ge=1)]
    unit: Literal["days", "working_days"]
    responsible: Text
    note: Text | None = None
    actions: Annotated[list[Literal[ACTIONS]], Field(min_length=1)]  # type: ignore[valid-type]


class Fee(Strict):
    """The fee (section 16). `table` is a billing fee table code (billing/fee_tables), priced on
    the form's horsepower field; `when` says whether it is collected with the application (at the
    document check) or billed after approval."""

    table: str | None = None
    when: Literal["none", "at_document_check", "after_approval"]
    description: Text
    bill_kind: str | None = None  # the Bill kind the fee is billed as
    # The results (keys) whose letter bills the fee; empty: every granted or acknowledged result.
    # PRM-05: only the class 3 licence is billed, never the class 2 notice's receipt.
    billed_on: list[str] = []

    def billed_after(self, result_key: str) -> bool:
        """The letter of this granted or acknowledged result bills the fee (after approval)."""
        return self.when == "after_approval" and (
            not self.billed_on or result_key in self.billed_on
        )

    @model_validator(mode="after")
    def _table(self) -> Fee:
        if self.when != "none" and not (self.table and self.bill_kind):
            raise ValueError("a fee that is collected needs a table and a bill_kind")
        return self


class Result(Strict):
    """A possible outcome and its letter."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    letter_title: Text
    outcome: Literal["granted", "acknowledged", "refused", "returned"]
    max_period_days: Annotated[int | None, Field(ge=1)] = None  # PRM-04: at most one year
    conditions: list[Text] = []  # standard conditions printed on the letter


class Extension(Strict):
    """A granted period that may be extended (PRM-04): asked before it ends, adds at most."""

    max_days: Annotated[int, Field(ge=1)]
    procedure_note: Text


class Complaint(Strict):
    name: Text
    contact: Text


class FormDownload(Strict):
    name: Text
    note: Text | None = None


class Statistics(Strict):
    """The manual's own statistics section (9), as published."""

    average_per_month: int = 0
    highest: int = 0
    lowest: int = 0
    published: bool = True  # False: the manual has no statistics section


class Question(Strict):
    """A question of a self-assessment (PRM-05) and the answers that make the activity a factory."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Text
    factory_if: Literal["yes", "no"]
    help: Text | None = None


class Procedure(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    version: Annotated[int, Field(ge=1)]
    effective_from: dt.date
    name: Text
    short_name: Text
    agency: Literal[AGENCIES]  # type: ignore[valid-type]
    # How the responsible office is found: "factory_area" is DIW for factories in Bangkok and the
    # provincial industry office of the factory's province elsewhere (issue 11).
    routing: Literal["factory_area"]
    # What an application starts from (PRM-05): [factory] (the default) or [factory, business]
    # for a procedure a new factory, known only by its business, may apply for.
    starts_from: Annotated[
        list[Literal[STARTS_FROM]],  # type: ignore[valid-type]
        Field(min_length=1),
    ] = ["factory"]
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    service_type: Text
    legal_basis: Annotated[list[Text], Field(min_length=1)]
    impact_level: Text
    service_area: Text
    legal_time: Text | None = None
    reference: Text  # the manual's reference name and date (section 10)
    statistics: Statistics = Statistics()
    channels: Annotated[list[Channel], Field(min_length=1)]
    criteria: Annotated[list[Text], Field(min_length=1)]
    notes: list[Text] = []  # the manual's ** remarks under the criteria
    eligibility: list[Check] = []
    self_assessment: list[Question] = []
    fields: list[FormField] = []
    documents: Annotated[list[Document], Field(min_length=1)]
    steps: Annotated[list[Step], Field(min_length=1)]
    total: Annotated[int, Field(ge=1)]  # the manual's total time, in the steps' unit
    fee: Fee
    results: Annotated[list[Result], Field(min_length=1)]
    extension: Extension | None = None
    complaints: Annotated[list[Complaint], Field(min_length=1)]
    forms: list[FormDownload] = []
    result_notice_days: Annotated[int, Field(ge=1)] = 7  # PRM-09: told within 7 days
    # Compatible additions for the manuals as published (issue 11, h11defs):
    responsible_unit: Text | None = None  # the manual's header "responsible unit"
    streamlining: Text | None = None  # section 14: whether steps and times were streamlined
    remarks: list[Text] = []  # section 19: the manual's closing remarks
    source: Text | None = None  # where the transcription comes from (print date, status ...)
    # "split": sections 15.1 (identity) and 15.2 (other) as the standard manual has them;
    # "single": one numbered list, as DIW's newer manuals print it.
    documents_layout: Literal["split", "single"] = "split"

    @model_validator(mode="after")
    def _consistent(self) -> Procedure:
        for name, items in (
            ("fields", self.fields),
            ("documents", self.documents),
            ("steps", self.steps),
            ("results", self.results),
            ("self_assessment", self.self_assessment),
        ):
            keys = [item.key for item in items]
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                raise ValueError(f"{name}: duplicate key {', '.join(duplicates)}")
        field_keys = {f.key for f in self.fields}
        for where, condition in [
            *((f"documents.{d.key}.when", d.when) for d in self.documents),
            *((f"fields.{f.key}.when", f.when) for f in self.fields),
        ]:
            if condition is not None and condition.field and condition.field not in field_keys:
                raise ValueError(f"{where}: unknown field {condition.field!r}")
        units = {step.unit for step in self.steps}
        if len(units) > 1:
            raise ValueError("steps: all steps must count in the same unit")
        if sum(step.duration for step in self.steps) != self.total:
            raise ValueError(
                f"total: {self.total} is not the sum of the steps' durations "
                f"({sum(step.duration for step in self.steps)})"
            )
        if self.steps[0].kind != "document_check" or "accept" not in self.steps[0].actions:
            raise ValueError("steps: the first step must be a document_check that can accept")
        if self.fee.when != "none" and not any(f.horsepower for f in self.fields):
            raise ValueError("fee: a priced fee needs a form field marked horsepower: true")
        if self.self_assessment and not any(
            c.check == "self_assessment_is_factory" for c in self.eligibility
        ):
            raise ValueError(
                "self_assessment: needs the eligibility check self_assessment_is_factory"
            )
        question_keys = {q.key for q in self.self_assessment}
        for index, check in enumerate(self.eligibility):
            where = f"eligibility.{index}.params"
            field = check.params.get("field")
            if field is not None and field not in field_keys:
                raise ValueError(f"{where}.field: unknown field {field!r}")
            for part in ("all", "any"):
                for key in check.params.get(part, []):
                    if key not in question_keys:
                        raise ValueError(f"{where}.{part}: unknown question {key!r}")
            if check.check == "self_assessment_is_factory" and not self.self_assessment:
                raise ValueError(f"eligibility.{index}: {check.check} needs a self_assessment")
        if len(set(self.starts_from)) != len(self.starts_from):
            raise ValueError("starts_from: each of factory, business at most once")
        if "business" in self.starts_from and not any(f.kind == "province" for f in self.fields):
            raise ValueError(
                "starts_from: a procedure started from a business needs a field of kind "
                "province (where the new factory is: its office, ADM-01)"
            )
        result_keys = {r.key for r in self.results}
        for key in self.fee.billed_on:
            if key not in result_keys:
                raise ValueError(f"fee.billed_on: unknown result {key!r}")
        return self

    # Helpers used by the engine and the pages.
    @property
    def unit(self) -> str:
        return self.steps[0].unit

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)

    def result(self, key: str) -> Result:
        return next(result for result in self.results if result.key == key)

    def horsepower_field(self) -> FormField | None:
        return next((f for f in self.fields if f.horsepower), None)

    def province_field(self) -> FormField | None:
        """The question giving the factory's province when there is no factory yet."""
        return next((f for f in self.fields if f.kind == "province"), None)

    def starts_from_business(self) -> bool:
        return "business" in self.starts_from


def _field_path(location: tuple) -> str:
    return ".".join(str(part) for part in location) or "(file)"


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (plain PyYAML keeps the last one,
    which would silently drop half of a document list written twice)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r} (first on line {seen[key] + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _message(error: dict) -> str:
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _where(error: dict) -> tuple[str, str]:
    """(field, problem) of a pydantic error. A whole-procedure check names its field at the start
    of its message ("total: 14 is not the sum ..."): that becomes the field."""
    message = _message(error)
    path = _field_path(error["loc"])
    named = re.match(r"^([a-z_][a-z0-9_.]*): (.+)$", message, re.DOTALL)
    if named:
        prefix = "" if path == "(file)" else f"{path}."
        return prefix + named.group(1), named.group(2)
    return path, message


def _read(path: Path) -> dict:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        raise ProcedureFileError(path, where, f"not valid YAML: {problem}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ProcedureFileError(path, "(file)", f"cannot be read: {error}") from error
    if not isinstance(raw, dict):
        raise ProcedureFileError(path, "(file)", "must hold one mapping (a procedure)")
    return raw


def file_problems(path: Path) -> tuple[Procedure | None, list[ProcedureFileError]]:
    """Every problem of one file (all of pydantic's, not only the first), and the procedure when
    there is none."""
    try:
        raw = _read(path)
    except ProcedureFileError as error:
        return None, [error]
    try:
        procedure = Procedure.model_validate(raw)
    except ValidationError as error:
        return None, [ProcedureFileError(path, *_where(e)) for e in error.errors()]
    if not re.fullmatch(rf"{re.escape(procedure.code)}\.ya?ml", path.name):
        return None, [ProcedureFileError(path, "code", f"must match the file name ({path.stem})")]
    return procedure, []


def load_procedure_file(path: Path) -> Procedure:
    """Read and check one file; every problem is a ProcedureFileError naming file and field."""
    procedure, problems = file_problems(path)
    if problems:
        raise problems[0]
    return procedure


def _files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def check_procedure_files(
    folder: Path | None = None,
) -> tuple[dict[str, Procedure], list[ProcedureFileError]]:
    """Every file of the folder checked (not only up to the first broken one): the procedures that
    load and the problems of the others, for `procedures_check`."""
    folder = Path(folder or settings.PROCEDURES_DIR)
    loaded: dict[str, Procedure] = {}
    problems: list[ProcedureFileError] = []
    for path in _files(folder):
        procedure, found = file_problems(path)
        problems.extend(found)
        if procedure is None:
            continue
        if procedure.code in loaded:
            problems.append(ProcedureFileError(path, "code", f"{procedure.code} is defined twice"))
            continue
        loaded[procedure.code] = procedure
    return loaded, problems


def load_procedures(folder: Path | None = None) -> dict[str, Procedure]:
    loaded, problems = check_procedure_files(folder)
    if problems:
        raise problems[0]
    return loaded


@cache
def _cached(folder: str) -> dict[str, Procedure]:
    return load_procedures(Path(folder))


def procedures() -> dict[str, Procedure]:
    """Every procedure of the portal, by code (read once a process)."""
    return _cached(str(settings.PROCEDURES_DIR))


def procedure(code: str) -> Procedure | None:
    return procedures().get(code)
