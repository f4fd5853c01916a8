"""One base error for the services and one helper that shows it on a form (issue 8)."""

import pytest
from django import forms

from portal.accounts.services import AccountError
from portal.core.errors import PortalError, RegistryError, RegistryUnavailable
from portal.core.forms import form_add_service_error
from portal.identity.services import TwoFactorError
from portal.operators.services import OperatorError
from portal.registries import base
from portal.services.services import ServiceError


class _NameForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize("error_class", [AccountError, OperatorError, ServiceError, TwoFactorError])
def test_every_app_error_is_a_portal_error(error_class):
    error = error_class("Not allowed", code="denied")
    assert isinstance(error, PortalError)
    assert (error.message, error.code, error.field, str(error)) == (
        "Not allowed",
        "denied",
        None,
        "Not allowed",
    )


def test_registry_errors_are_core_errors_re_exported_by_the_registries():
    assert base.RegistryUnavailable is RegistryUnavailable
    assert base.RegistryError is RegistryError
    error = RegistryUnavailable("dopa", "timeout")
    assert (error.registry, error.reason, str(error)) == (
        "dopa",
        "timeout",
        "dopa unavailable: timeout",
    )


def test_form_add_service_error_puts_the_error_on_its_field():
    form = _NameForm(data={"name": "x"})
    assert form.is_valid()
    form_add_service_error(form, PortalError("Name taken", field="name"))
    assert form.errors == {"name": ["Name taken"]}
    assert form.non_field_errors() == []


@pytest.mark.parametrize("field", [None, "national_id"])
def test_form_add_service_error_without_that_field_shows_it_above_the_form(field):
    form = _NameForm(data={"name": "x"})
    assert form.is_valid()
    form_add_service_error(form, OperatorError("Registry says no", field=field))
    assert form.non_field_errors() == ["Registry says no"]
    assert "name" not in form.errors
