"""The catalogue of connected systems (SSO-01, SVC-01, SVC-03, SVC-04), held as data in
identity/data/connected_systems.json and installed after migrate, like Django's permissions.

The file owns what a system *is* (names, category, profile it needs, notes, manual, scopes,
consent version); the client registration (`manage.py connected_system_client`) owns how it
connects (client, login and logout URLs). Re-installing never touches the second part."""

import json
from pathlib import Path

CATALOGUE_FILE = Path(__file__).parent / "data" / "connected_systems.json"
DESCRIPTIVE_FIELDS = (
    "name_th",
    "name_en",
    "agency",
    "category",
    "description_th",
    "description_en",
    "position",
    "needs_business",
    "needs_factory",
    "business_kinds",
    "notes_th",
    "notes_en",
    "manual_url",
    "scopes",
    "consent_version",
)


def catalogue_entries(path: Path = CATALOGUE_FILE) -> list[dict]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        unknown = set(entry) - set(DESCRIPTIVE_FIELDS) - {"slug"}
        if unknown:
            raise ValueError(f"{path.name}: {entry.get('slug')}: unknown fields {sorted(unknown)}")
    return entries


def install_connected_systems(model, *, using: str = "default", path: Path = CATALOGUE_FILE):
    entries = catalogue_entries(path)
    existing = {system.slug: system for system in model.objects.using(using).all()}
    new, changed = [], []
    for entry in entries:
        values = {field: entry[field] for field in DESCRIPTIVE_FIELDS if field in entry}
        system = existing.get(entry["slug"])
        if system is None:
            new.append(model(slug=entry["slug"], **values))
        elif any(getattr(system, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(system, field, value)
            changed.append(system)
    model.objects.using(using).bulk_create(new)
    if changed:
        model.objects.using(using).bulk_update(changed, list(DESCRIPTIVE_FIELDS))
