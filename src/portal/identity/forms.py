from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=9,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "otp-input"}
        ),
        error_messages={"required": _("Enter the code.")},
    )


class LoginCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app, or a recovery code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("Enter the code.")},
    )


class OfficerResetForm(forms.Form):
    national_id = forms.CharField(label=_("National ID of the member"), max_length=17)
    identity_checked = forms.CharField(
        label=_("How the member's identity was checked"),
        help_text=_("For example: ID card seen at the counter of the provincial office."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
