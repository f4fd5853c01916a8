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
    """A Thai mobile number as people write it (`081-234-5678`, `+66 81 234 5678`,
    `+66 (0)81 234 5678`, `0066 81...`), as its 10 digits (issue 9: nothing typed is cut short
    or refused for its punctuation)."""
    mobile = re.sub(r"[\s\-.()]", "", raw or "")
    for country in ("+66", "0066"):
        if mobile.startswith(country):
            national = mobile[len(country) :]
            # The "(0)" of "+66 (0)81..." is the trunk prefix written for callers at home.
            mobile = national if national.startswith("0") else "0" + national
            break
    if mobile and not MOBILE_RE.fullmatch(mobile):
        raise ValidationError(
            _("Enter a Thai mobile number of 10 digits starting with 06, 08 or 09."),
            code="mobile",
        )
    return mobile


class MobileField(forms.CharField):
    """A mobile number field long enough for the ways people write one (clean_mobile);
    what it gives is the 10 digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("max_length", 25)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return clean_mobile(value) if value else ""


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
