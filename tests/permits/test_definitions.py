"""PRM-01: the schema of procedure files refuses broken definitions with errors naming the file,
the field and the problem; start-up and `procedures_check` use it."""

import copy
import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from portal.permits import definitions
from portal.permits.definitions import (
    ProcedureFileError,
    check_procedure_files,
    load_procedure_file,
    load_procedures,
)

T = {"th": "ก", "en": "a"}

VALID = {
    "code": "demo",
    "version": 1,
    "effective_from": "2025-01-01",
    "name": T,
    "short_name": T,
    "agency": "DIW",
    "routing": "factory_area",
    "category": "permit",
    "service_type": T,
    "legal_basis": [T],
    "impact_level": T,
    "service_area": T,
    "reference": T,
    "channels": [{"place": T, "hours": T}],
    "criteria": [T],
    "eligibility": [{"check": "factory_held", "reason": T}],
    "fields": [
        {"key": "hp", "kind": "decimal", "label": T, "horsepower": True},
        {"key": "big", "kind": "boolean", "label": T, "required": False},
    ],
    "documents": [
        {
            "key": "id_card",
            "group": "identity",
            "name": T,
            "originals": 0,
            "copies": 1,
            "unit": T,
            "when": {"field": "big", "equals": True},
        }
    ],
    "steps": [
        {
            "key": "check",
            "kind": "document_check",
            "name": T,
            "description": T,
            "duration": 1,
            "unit": "working_days",
            "responsible": T,
            "actions": ["accept", "deficiency"],
        },
        {
            "key": "review",
            "kind": "consideration",
            "name": T,
            "description": T,
            "duration": 12,
            "unit": "working_days",
            "responsible": T,
            "actions": ["approve", "refuse"],
        },
    ],
    "total": 13,
    "fee": {
        "table": "machinery_relocation",
        "when": "after_approval",
        "description": T,
        "bill_kind": "machinery_relocation",
    },
    "results": [
        {"key": "granted", "name": T, "letter_title": T, "outcome": "granted"},
    ],
    "complaints": [{"name": T, "contact": T}],
}


def write(folder: Path, data: dict | str, name: str = "demo.yaml") -> Path:
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path, change) -> ProcedureFileError:
    data = copy.deepcopy(VALID)
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ProcedureFileError) as caught:
        load_procedure_file(path)
    assert caught.value.path == str(path)
    assert str(path) in caught.value.message
    return caught.value


def test_prm_01_a_valid_definition_loads(tmp_path):
    """PRM-01: the reference definition loads (the broken ones below differ by one mistake)."""
    procedure = load_procedure_file(write(tmp_path, VALID))
    assert procedure.code == "demo"
    assert procedure.total == 13
    assert procedure.horsepower_field().key == "hp"


def test_prm_01_bad_yaml_names_the_line(tmp_path):
    """PRM-01: a file that is not YAML says so with its line."""
    path = write(tmp_path, "code: demo\nname: {th: ก\n  en: [a\n")
    with pytest.raises(ProcedureFileError) as caught:
        load_procedure_file(path)
    assert caught.value.field.startswith("line ")
    assert "not valid YAML" in caught.value.problem


def test_prm_01_a_file_that_is_not_a_mapping(tmp_path):
    """PRM-01: a list instead of a procedure."""
    with pytest.raises(ProcedureFileError) as caught:
        load_procedure_file(write(tmp_path, "- a\n- b\n"))
    assert "one mapping" in caught.value.problem


def test_prm_01_unknown_field(tmp_path):
    """PRM-01: a misspelt field is refused, not ignored."""
    error = broken(tmp_path, lambda d: d["steps"][1].update(duraton=12))
    assert error.field == "steps.1.duraton"
    assert "Extra inputs are not permitted" in error.problem


def test_prm_01_missing_required_field(tmp_path):
    """PRM-01: a required field that is absent."""
    error = broken(tmp_path, lambda d: d.pop("complaints"))
    assert error.field == "complaints"
    assert "required" in error.problem.lower()


def test_prm_01_wrong_type(tmp_path):
    """PRM-01: a duration that is not a number."""
    error = broken(tmp_path, lambda d: d["steps"][0].update(duration="one day"))
    assert error.field == "steps.0.duration"
    assert "integer" in error.problem


def test_prm_01_unknown_check(tmp_path):
    """PRM-01: an eligibility check the engine has no code for."""
    error = broken(tmp_path, lambda d: d["eligibility"][0].update(check="factory_is_nice"))
    assert error.field == "eligibility.0.check"
    assert "factory_held" in error.problem  # the known ones are listed


def test_prm_01_unknown_check_param(tmp_path):
    """PRM-01: a check's parameter it does not take."""
    error = broken(
        tmp_path,
        lambda d: d["eligibility"].append(
            {"check": "factory_class_in", "params": {"class": [2]}, "reason": T}
        ),
    )
    assert error.field == "eligibility.1.params"
    assert "unknown param class" in error.problem


def test_prm_05_starts_from_defaults_to_a_factory(tmp_path):
    """PRM-05: a procedure starts from a factory unless its file says otherwise."""
    assert load_procedure_file(write(tmp_path, VALID)).starts_from == ["factory"]


def test_prm_05_starts_from_a_bad_value(tmp_path):
    """PRM-05: `starts_from` takes factory and business only, each once, not an empty list."""
    error = broken(tmp_path, lambda d: d.update(starts_from=["factory", "premises"]))
    assert error.field == "starts_from.1"
    assert "'factory' or 'business'" in error.problem
    error = broken(tmp_path, lambda d: d.update(starts_from=[]))
    assert error.field == "starts_from"
    error = broken(tmp_path, lambda d: d.update(starts_from=["business", "business"]))
    assert error.field == "starts_from"
    assert "at most once" in error.problem


def test_prm_05_starting_from_a_business_needs_a_province_question(tmp_path):
    """PRM-05, ADM-01: a procedure a new factory may apply for asks the factory's province
    (its office is found from it): without a field of kind province the file is refused; with
    one it loads."""
    error = broken(tmp_path, lambda d: d.update(starts_from=["factory", "business"]))
    assert error.field == "starts_from"
    assert "kind province" in error.problem
    data = copy.deepcopy(VALID)
    data["starts_from"] = ["factory", "business"]
    data["fields"].append({"key": "province", "kind": "province", "label": T})
    procedure = load_procedure_file(write(tmp_path, data))
    assert procedure.starts_from_business() and procedure.province_field().key == "province"


def test_prm_01_total_not_the_sum(tmp_path):
    """PRM-01: the manual's total must be the sum of its steps."""
    error = broken(tmp_path, lambda d: d.update(total=15))
    assert error.field == "total"
    assert "not the sum" in error.problem and "(13)" in error.problem


def test_prm_01_condition_on_an_unknown_field(tmp_path):
    """PRM-01: a document's condition on a form field that does not exist."""
    error = broken(tmp_path, lambda d: d["documents"][0]["when"].update(field="biig"))
    assert error.field == "documents.id_card.when"
    assert "unknown field 'biig'" in error.problem


def test_prm_01_duplicate_keys_in_a_list(tmp_path):
    """PRM-01: two documents with one key."""
    error = broken(tmp_path, lambda d: d["documents"].append(copy.deepcopy(d["documents"][0])))
    assert error.field == "documents"
    assert "duplicate key id_card" in error.problem


def test_prm_01_duplicate_keys_in_a_mapping(tmp_path):
    """PRM-01: a YAML key written twice is refused (plain YAML would keep only the last)."""
    text = yaml.safe_dump(VALID, allow_unicode=True) + "total: 14\n"
    with pytest.raises(ProcedureFileError) as caught:
        load_procedure_file(write(tmp_path, text))
    assert "duplicate key 'total'" in caught.value.problem
    assert caught.value.field.startswith("line ")


def test_prm_01_mixed_units(tmp_path):
    """PRM-01: days and working days are not added up."""
    error = broken(tmp_path, lambda d: d["steps"][1].update(unit="days"))
    assert error.field == "steps"
    assert "same unit" in error.problem


def test_prm_01_first_step_not_a_document_check(tmp_path):
    """PRM-01: the clock starts when a document check accepts (PRM-08)."""
    error = broken(tmp_path, lambda d: d["steps"][0].update(kind="consideration"))
    assert error.field == "steps"
    assert "document_check" in error.problem


def test_prm_01_code_not_matching_the_file_name(tmp_path):
    """PRM-01: the file is named after its code."""
    path = write(tmp_path, VALID, name="other.yaml")
    with pytest.raises(ProcedureFileError) as caught:
        load_procedure_file(path)
    assert caught.value.field == "code"
    assert "file name (other)" in caught.value.problem


def test_prm_01_priced_fee_without_a_horsepower_field(tmp_path):
    """PRM-01, PRM-06: a fee by horsepower needs the form field it is priced on."""
    error = broken(tmp_path, lambda d: d["fields"][0].update(horsepower=False))
    assert error.field == "fee"
    assert "horsepower" in error.problem


def test_prm_01_document_without_originals_or_copies(tmp_path):
    """PRM-01: 0 originals and 0 copies only where the manual says so (no_count)."""
    error = broken(tmp_path, lambda d: d["documents"][0].update(copies=0))
    assert error.field == "documents.0"
    assert "no_count" in error.problem
    data = copy.deepcopy(VALID)
    data["documents"][0].update(copies=0, no_count=True)
    assert load_procedure_file(write(tmp_path, data)).documents[0].no_count


def test_prm_01_every_problem_of_every_file_is_collected(tmp_path):
    """PRM-01: the check goes on after the first broken file and lists each field's problem."""
    first = copy.deepcopy(VALID)
    first["code"] = "aaa"
    first["steps"][0]["duration"] = "x"
    first["steps"][1]["unit"] = "weeks"
    write(tmp_path, first, name="aaa.yaml")
    write(tmp_path, "a: [", name="bbb.yaml")
    good = copy.deepcopy(VALID)
    good["code"] = "ccc"
    write(tmp_path, good, name="ccc.yaml")
    loaded, problems = check_procedure_files(tmp_path)
    assert list(loaded) == ["ccc"]
    where = [(Path(p.path).name, p.field) for p in problems]
    assert ("aaa.yaml", "steps.0.duration") in where
    assert ("aaa.yaml", "steps.1.unit") in where
    assert ("bbb.yaml", "line 2") in where or any(w[0] == "bbb.yaml" for w in where)
    with pytest.raises(ProcedureFileError):
        load_procedures(tmp_path)


def run_check(folder) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("procedures_check", dir=str(folder), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_prm_01_command_passes_the_real_procedures():
    """PRM-01: `procedures_check` on the shipped folder: all load, exit 0."""
    code, out, err = run_check(definitions.settings.PROCEDURES_DIR)
    assert code == 0, err
    assert "3 procedure(s) checked" in out
    assert "machinery-relocation: 21 documents, 3 steps, 15 working days" in out


def test_prm_01_command_names_file_field_and_problem_and_exits_1(tmp_path):
    """PRM-01: errors of every file, file: field: problem, and exit status 1."""
    one = copy.deepcopy(VALID)
    one["total"] = 99
    write(tmp_path, one)
    two = copy.deepcopy(VALID)
    two["code"] = "second"
    two["fee"]["table"] = "no_such_table"
    write(tmp_path, two, name="second.yaml")
    code, _out, err = run_check(tmp_path)
    assert code == 1
    assert f"{tmp_path / 'demo.yaml'}: total: 99 is not the sum" in err
    assert f"{tmp_path / 'second.yaml'}: fee.table: no fee table 'no_such_table'" in err
    assert "2 problem(s)" in err


def test_prm_01_command_refuses_an_unknown_bill_kind(tmp_path):
    """PRM-01: the bill kind must be one billing knows."""
    data = copy.deepcopy(VALID)
    data["fee"]["bill_kind"] = "tip"
    write(tmp_path, data)
    code, _out, err = run_check(tmp_path)
    assert code == 1
    assert "fee.bill_kind: unknown bill kind 'tip'" in err


def test_prm_01_start_up_stops_on_a_broken_file(tmp_path, settings):
    """PRM-01: PermitsConfig.ready() loads every procedure: a broken one raises its error."""
    from django.apps import apps

    data = copy.deepcopy(VALID)
    data["total"] = 2
    write(tmp_path, data)
    settings.PROCEDURES_DIR = tmp_path
    definitions._cached.cache_clear()
    try:
        with pytest.raises(ProcedureFileError, match=r"demo\.yaml: total: 2 is not the sum"):
            apps.get_app_config("permits").ready()
    finally:
        definitions._cached.cache_clear()
