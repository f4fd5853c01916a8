"""The back office's own forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm


class OfficerResetForm(PortalForm):
    national_id = forms.CharField(label=_("National ID of the member"), max_length=17)
    identity_checked = forms.CharField(
        label=_("How the member's identity was checked"),
        help_text=_("For example: ID card seen at the counter of the provincial office."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
