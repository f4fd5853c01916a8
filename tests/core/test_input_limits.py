"""Input that cannot hurt: every text field has a maximum length, a request has a size cap."""

import importlib
import pkgutil

from django import forms

import portal


def _project_form_classes():
    """Every form class defined in the portal's modules (imported, so a new module counts)."""
    for module in pkgutil.walk_packages(portal.__path__, prefix="portal."):
        if ".migrations" in module.name or module.name.startswith("portal.sandbox.management"):
            continue
        importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith("portal.") and subclass not in seen:
                seen.add(subclass)
    return sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _inherited_from_a_library(cls, field) -> bool:
    """django-oauth-toolkit's AllowForm carries the authorization request's hidden fields; the
    request-size cap (DATA_UPLOAD_MAX_MEMORY_SIZE) bounds those."""
    return any(
        field is base.__dict__.get("declared_fields", {}).get(name)
        for base in cls.__mro__
        if not base.__module__.startswith("portal.")
        for name in base.__dict__.get("declared_fields", {})
    )


def test_every_text_field_of_every_form_has_a_max_length():
    """8,000,000 characters were accepted: every CharField (a TextField too) has a maximum."""
    classes = _project_form_classes()
    unlimited = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in classes
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and field.max_length is None
        and not _inherited_from_a_library(cls, field)
    ]
    assert len(classes) > 30  # the walk found the project's forms, not none
    assert unlimited == [], "\n".join(unlimited)
