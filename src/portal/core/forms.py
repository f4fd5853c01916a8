"""What every app's forms share: the Thai national ID and mobile number fields, and how a
service's refusal is shown on a form."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core.errors import PortalError
from portal.core.thaiid import is_valid_pid, normalize_pid

MOBILE_RE = re.compile(r"0[689]\d{8}")


def form_add_service_error(form, error: PortalError) -> None:
    """Show a service's refusal on the form: next to its field when the form has that field,
    else above the form, so that the person sees it beside what they typed."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def clean_national_id(raw: str) -> str:
    pid = normalize_pid(raw)
    if not re.fullmatch(r"\d{13}", pid):
        raise ValidationError(_("Enter the 13 digits of your national ID."), code="format")
    if not is_valid_pid(pid):
        raise ValidationError(
            _("This national ID is not valid: please check the digits."), code="checksum"
        )
    return pid


def clean_mobile(raw: str) -> str:
    mobile = re.sub(r"[\s\-]", "", raw or "")
    if mobile.startswith("+66"):
        mobile = "0" + mobile[3:]
    if mobile and not MOBILE_RE.fullmatch(mobile):
        raise ValidationError(
            _("Enter a Thai mobile number of 10 digits starting with 06, 08 or 09."),
            code="mobile",
        )
    return mobile


class NationalIdField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("National ID (13 digits)"))
        kwargs.setdefault("max_length", 17)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "username", "spellcheck": "false"}
        )

    def clean(self, value):
        value = super().clean(value)
        if not value and not self.required:
            return ""
        return clean_national_id(value)
