"""The applicant's forms (PRM-05 to PRM-10). The application's questions come from the
procedure's definition (definitions.FormField), one Django field a question, in the page's
language."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.core.forms import PortalFileInput, PortalForm, ThaiDateField
from portal.permits.definitions import FormField
from portal.permits.selectors import province_choices

ASSESSMENT_PREFIX = "self_assessment__"
MACHINES_HELP = _(
    "One machine a line: its name, its horsepower and how many, with ; between. "
    "For example: Water pump; 10; 2"
)


def _language() -> str:
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def _django_field(field: FormField, *, strict: bool, language: str) -> forms.Field:
    label = field.label.get(language)
    help_text = field.help.get(language) if field.help else ""
    options = {"label": label, "required": field.required and strict and field.when is None}
    kind = field.kind
    if kind == "text":
        made = forms.CharField(max_length=200, **options)
    elif kind == "textarea":
        made = forms.CharField(max_length=5000, widget=forms.Textarea({"rows": 4}), **options)
    elif kind == "machines":
        made = forms.CharField(max_length=20000, widget=forms.Textarea({"rows": 5}), **options)
        help_text = help_text or MACHINES_HELP
    elif kind == "integer":
        made = forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **options)
    elif kind == "decimal":
        made = forms.DecimalField(
            min_value=field.min_value,
            max_value=field.max_value,
            max_digits=12,
            decimal_places=2,
            **options,
        )
    elif kind == "date":
        made = ThaiDateField(**options)
    elif kind == "choice":
        made = forms.ChoiceField(
            choices=[("", "—"), *((c.value, c.label.get(language)) for c in field.choices)],
            **options,
        )
    elif kind == "province":  # Thailand's 77 provinces, kept by their Thai name
        made = forms.ChoiceField(choices=[("", "—"), *province_choices(language)], **options)
    else:  # boolean
        made = forms.BooleanField(**{**options, "required": False})
    if help_text:
        made.help_text = help_text
    return made


def _initial(field: FormField, value):
    if value is None:
        return None
    if field.kind == "machines" and isinstance(value, list):
        return "\n".join(f"{m['name']}; {m['horsepower']}; {m['count']}" for m in value)
    if field.kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


class AnswersForm(PortalForm):
    """The application's questions. `strict`: the required questions must be answered (to go
    on); a draft saved as it is needs none. A question asked only in some cases (its `when`)
    says so in its hint and is kept only when it applies."""

    def __init__(
        self,
        *args,
        fields=(),
        answers=None,
        strict=True,
        conditions=None,
        questions=(),
        assessment=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        language = _language()
        answers = answers or {}
        assessment = assessment or {}
        # PRM-05's self-assessment first: does the activity count as a factory?
        for question in questions:
            made = forms.ChoiceField(
                label=question.text.get(language),
                required=strict,
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            )
            made.initial = assessment.get(question.key)
            self.fields[f"{ASSESSMENT_PREFIX}{question.key}"] = made
        self.definitions = list(fields)
        for field in self.definitions:
            made = _django_field(field, strict=strict, language=language)
            if conditions and field.key in conditions:
                made.help_text = f"{made.help_text} {conditions[field.key]}".strip()
            made.initial = _initial(field, answers.get(field.key))
            self.fields[field.key] = made

    def answers(self) -> dict:
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if value not in ("",) and not key.startswith(ASSESSMENT_PREFIX)
        }

    def assessment(self) -> dict:
        return {
            key.removeprefix(ASSESSMENT_PREFIX): value
            for key, value in self.cleaned_data.items()
            if key.startswith(ASSESSMENT_PREFIX) and value
        }


class UploadForm(PortalForm):
    """One document of the checklist (PDF, JPEG or PNG, at most 15 MB)."""

    file = forms.FileField(
        label=_("File"),
        widget=PortalFileInput(),
        help_text=_("PDF, JPEG or PNG, at most 15 MB."),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["file"].label = label


class DeclarationForm(PortalForm):
    """PRM-10: the applicant signs off the statement shown above the checkbox."""

    agree = forms.BooleanField(
        label=_("I have read the statement above and sign off this application and its files")
    )


class ExtensionForm(PortalForm):
    """PRM-04: the new end date of the period, and why."""

    extend_until = ThaiDateField(label=_("New end date"))
    reason = forms.CharField(
        label=_("Why the period must be extended"),
        max_length=2000,
        widget=forms.Textarea({"rows": 4}),
    )


class CorrectionsForm(PortalForm):
    """The corrections ordered after an inspection are made."""

    note = forms.CharField(
        label=_("What was corrected"), max_length=2000, widget=forms.Textarea({"rows": 4})
    )
    agree = forms.BooleanField(
        label=_("I certify that the corrections ordered after the inspection have been made.")
    )
