"""Forms of the factory pages (FAC-01, FAC-02, FAC-04). The factories to add are checkboxes
rendered from what DIW lists (factory_views.factory_add_choose), not a form class."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalForm


def _holding_label(holding) -> str:
    if holding.status == "verified":
        return holding.business_name
    return f"{holding.business_name} ({holding.get_status_display()})"


class BusinessChoiceForm(PortalForm):
    """FAC-01 step 1: which of the member's businesses operates the factories."""

    def __init__(self, *args, holdings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"] = forms.ChoiceField(
            label=_("Which business operates the factories?"),
            choices=[(str(h.pk), _holding_label(h)) for h in holdings],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose the business."),
                "invalid_choice": _("Choose one of the businesses in your profile."),
            },
        )


class FactorySearchForm(PortalForm):
    q = forms.CharField(
        label=_("Factory registration number, old number, factory name or operator name"),
        help_text=_(
            "For example 20200000125639, 3-53(5)-12/45ชบ, part of the factory's name or of "
            "its operator's name."
        ),
        max_length=200,
        required=False,
    )
