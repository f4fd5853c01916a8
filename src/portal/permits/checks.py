"""Checks of the procedure files beyond their schema (PRM-01): what they refer to elsewhere.

`procedures_check` runs these after the schema: the fee table a procedure prices from must be one
billing ships (billing/fee_tables), and its bill kind one billing knows. Problems are
ProcedureFileErrors naming the file and the field, like the schema's.
"""

from pathlib import Path

from django.conf import settings

from portal.billing.fee_tables import KINDS, SHIPPED, read_fee_table_file
from portal.core.errors import PortalError
from portal.permits.definitions import Procedure, ProcedureFileError

__all__ = ["reference_problems", "shipped_fee_tables"]


def shipped_fee_tables(folder: Path = SHIPPED) -> dict[str, list[bool]]:
    """The fee table codes billing ships, each with the completeness of its versions."""
    tables: dict[str, list[bool]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = read_fee_table_file(path)
        except PortalError:
            continue  # billing's own loader reports its broken files
        if data.illustrative and not settings.SANDBOX:
            continue
        tables.setdefault(data.code, []).append(data.is_complete)
    return tables


def _file_of(procedure: Procedure, folder: Path) -> Path:
    for suffix in (".yaml", ".yml"):
        path = folder / f"{procedure.code}{suffix}"
        if path.exists():
            return path
    return folder / f"{procedure.code}.yaml"


def reference_problems(
    loaded: dict[str, Procedure], folder: Path | None = None, tables: dict | None = None
) -> tuple[list[ProcedureFileError], list[str]]:
    """(errors, warnings): an unknown fee table or bill kind is an error; a fee table shipped only
    incomplete is a warning (BILL-01: billing refuses to bill from it until an officer loads the
    official table)."""
    folder = Path(folder or settings.PROCEDURES_DIR)
    tables = shipped_fee_tables() if tables is None else tables
    errors, warnings = [], []
    for procedure in loaded.values():
        fee = procedure.fee
        path = _file_of(procedure, folder)
        if fee.table is not None and fee.table not in tables:
            known = ", ".join(sorted(tables))
            errors.append(
                ProcedureFileError(
                    path, "fee.table", f"no fee table {fee.table!r} among billing's ({known})"
                )
            )
        elif fee.table is not None and not any(tables[fee.table]):
            warnings.append(
                f"{path}: fee.table: {fee.table!r} is shipped incomplete; billing refuses to "
                "bill from it until an authorized officer loads the official table (BILL-01)"
            )
        if fee.bill_kind is not None and fee.bill_kind not in KINDS:
            errors.append(
                ProcedureFileError(path, "fee.bill_kind", f"unknown bill kind {fee.bill_kind!r}")
            )
    return errors, warnings
