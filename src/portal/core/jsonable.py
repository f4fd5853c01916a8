import datetime as dt
from dataclasses import asdict


def jsonable(value):
    """Registry answers (dataclasses, dates, Decimals) as JSON for snapshots and audit rows."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return jsonable(asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
