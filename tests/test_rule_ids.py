"""Every rule ID is written one way (ACC-05) in code and tests, so that
`grep -rn ACC-05 src tests` finds the code that keeps a rule and the tests that prove it."""

import ast
import importlib.machinery
import importlib.util
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
CANONICAL = re.compile(r"\b(ACC|BIZ|FAC|BILL|SSO|SVC|DEL|PRM|RPT|ADM)-(\d{2})\b")

# Rules a test proves that have no single place in the code to name them.
TESTED_ONLY = {
    "SSO-08": "browsers: a property of every page, proved by the browser tests",
}
# Areas whose issues are still to come: code names their rules only where it is shaped for them
# (the acting context for delegation, DEL-04 to DEL-07). Take an area out when it lands.
NOT_YET = ("DEL-", "PRM-", "RPT-")


def _rule_ids_script():
    path = ROOT / "scripts" / "rule-ids"
    loader = importlib.machinery.SourceFileLoader("rule_ids", str(path))
    spec = importlib.util.spec_from_loader("rule_ids", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _ids_in(folder: str) -> set[str]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found.update("-".join(m) for m in CANONICAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_test_named_after_a_rule_carries_its_canonical_id():
    script = _rule_ids_script()
    missing = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                docstring = ast.get_docstring(node, clean=False) or ""
                for rule in script.canonical_ids(node.name):
                    if rule not in docstring:
                        missing.append(f"{path.relative_to(ROOT)}::{node.name} lacks {rule}")
    assert missing == [], "run scripts/rule-ids:\n" + "\n".join(missing)


def test_rules_named_in_code_are_tested_and_rules_tested_are_named_in_code():
    in_src, in_tests = _ids_in("src"), _ids_in("tests")
    assert sorted(rule for rule in in_src - in_tests if not rule.startswith(NOT_YET)) == []
    assert sorted(in_tests - in_src - TESTED_ONLY.keys()) == []
