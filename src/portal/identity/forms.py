from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm


class CodeForm(PortalForm):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=9,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "otp-input"}
        ),
        error_messages={"required": _("Enter the code.")},
    )


class LoginCodeForm(PortalForm):
    code = forms.CharField(
        label=_("Code from the authenticator app, or a recovery code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Enter the code.")},
    )
