"""What every app's forms share: the base form with messages specific to each field, the Thai
national ID, mobile number and date fields, and how a service's refusal is shown on a form."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core import thaidate
from portal.core.errors import PortalError
from portal.core.jinja import jinja_html
from portal.core.thaiid import is_valid_pid, normalize_pid

MOBILE_RE = re.compile(r"0[689]\d{8}")


# The messages every field gets from its own label (GOV.UK: "Enter your ...", "Choose ...")
# instead of the framework's "This field is required." or "Enter a valid value.". {label} is
# the label as it reads inside a sentence (without its "(13 digits)" and, in English, without
# its capital); {Label} as it reads at the start of one. A field that declares its own message
# for a case keeps it (the better sentence, where there is one).
ENTER = _("Enter {label}")
CHOOSE = _("Choose {label}")
UPLOAD = _("Upload {label}")
TICK = _("Tick the box “{Label}”")
ANSWER = _("Answer the question: {question}")
CHOOSE_ANSWER = _("Choose an answer to the question: {question}")
MESSAGES_BY_CASE = {
    "invalid": _("Enter {label} in the correct format"),
    "invalid_choice": _("Choose {label} from the options given"),
    "max_length": _("{Label} must be %(limit_value)d characters or fewer"),
    "min_length": _("{Label} must be at least %(limit_value)d characters"),
    "min_value": _("{Label} must be %(limit_value)s or more"),
    "max_value": _("{Label} must be %(limit_value)s or less"),
    "step_size": _("{Label} must be a multiple of %(limit_value)s"),
    "max_digits": _("{Label} must have at most %(max)s digits"),
    "max_decimal_places": _("{Label} must have at most %(max)s digits after the decimal point"),
    "max_whole_digits": _("{Label} must have at most %(max)s digits before the decimal point"),
    "null_characters_not_allowed": _("{Label} contains a character that cannot be used"),
}
MESSAGES_BY_FIELD = {
    forms.EmailField: {
        "invalid": _("Enter an email address in the correct format, like name@example.com")
    },
    forms.URLField: {
        "invalid": _("Enter a website address in the correct format, like https://www.example.com")
    },
    forms.IntegerField: {"invalid": _("Enter {label} as a whole number")},
    forms.DecimalField: {"invalid": _("Enter {label} as a number")},
    forms.FloatField: {"invalid": _("Enter {label} as a number")},
    forms.FileField: {
        "invalid": _("Upload {label} again: the file could not be read"),
        "missing": _("Upload {label} again: the file could not be read"),
        "empty": _("The file chosen for {label} is empty"),
        "max_length": _("The file name must be %(max)d characters or fewer"),
        "contradiction": _("Either upload a new file or remove the current one, not both"),
    },
}
# What a question ("Why do you want the account back?") or a field without a label is called
# inside a sentence; {question} is the question itself.
YOUR_ANSWER = _("your answer")
THAI_CHAR = re.compile(r"[\u0e00-\u0e7f]")


def _in_sentence(label: str, *, start: bool) -> str:
    text = re.sub(r"\s*\([^)]*\)\s*$", "", label.strip()).rstrip(":").strip()
    english = not translation.get_language() or translation.get_language().startswith("en")
    # "National ID" reads "national ID" inside an English sentence; "LINE ID" stays.
    if english and not start and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text


def _is_question(label) -> bool:
    """Asked as a question in English (the source language), whatever the page's language:
    Thai questions carry no question mark."""
    with translation.override("en"):
        return str(label or "").rstrip().endswith("?")


def _put(template: str, placeholder: str, text: str) -> str:
    """Put text in the template's placeholder, a space between Thai and Latin letters ("รหัส
    OTP ต้อง..." as Thai is typeset) where the sentence runs from one into the other."""
    while placeholder in template:
        before, after = template.split(placeholder, 1)
        if text and before and THAI_CHAR.match(before[-1]) and not THAI_CHAR.match(text[0]):
            text_here = " " + text
        else:
            text_here = text
        if text and after and THAI_CHAR.match(after[0]) and not THAI_CHAR.match(text[-1]):
            text_here += " "
        template = before + text_here + after
    return template


def _sentence(template, label) -> str:
    template = str(template)
    question = str(label or "").strip()
    if not question or _is_question(label):
        inner = str(YOUR_ANSWER)
        start = inner[0].upper() + inner[1:]
    else:
        inner, start = _in_sentence(question, start=False), _in_sentence(question, start=True)
    if "%(" in template:  # Django formats it with the limit: a % in the label is text
        inner, start, question = (t.replace("%", "%%") for t in (inner, start, question))
    template = _put(template, "{question}", question)
    return _put(_put(template, "{label}", inner), "{Label}", start)


# Built when shown, in the page's language, from the label translated then.
sentence = lazy(_sentence, str)


def _required_template(field):
    question = _is_question(field.label)
    if isinstance(field, forms.BooleanField):
        return TICK
    if isinstance(field, forms.FileField):
        return UPLOAD
    if isinstance(field, forms.ChoiceField) or getattr(field.widget, "input_type", "") == "radio":
        return CHOOSE_ANSWER if question else CHOOSE
    return ANSWER if question else ENTER


def _is_default(field, code: str) -> bool:
    """Whether the field's message for this case is the framework's (no one chose it)."""
    message = field.error_messages.get(code)
    if message is None:
        return True
    return any(
        message is getattr(klass, "default_error_messages", {}).get(code)
        for klass in type(field).__mro__
    )


def plain_messages(field) -> None:
    """Give the field messages built from its label for every case it does not word itself."""
    if getattr(field, "_plain_messages", False):
        return
    field._plain_messages = True
    cases = {"required": _required_template(field), **MESSAGES_BY_CASE}
    for klass in reversed(type(field).__mro__):
        cases.update(MESSAGES_BY_FIELD.get(klass, {}))
    for code, template in cases.items():
        if _is_default(field, code):
            field.error_messages[code] = sentence(template, field.label)


class PortalFormMixin:
    """Every form of the portal: messages specific to each field in the page's language
    (plain_messages), and nothing typed lost: a password is typed back into its field when the
    page comes back for an error elsewhere (keep_passwords), cleared when it is wrong itself.
    A form that sets keep_passwords = False says why on its page (docs/decisions.md)."""

    keep_passwords = True

    def full_clean(self):
        # Fields added by a form's __init__ get their messages too: this runs after it.
        for field in self.fields.values():
            plain_messages(field)
        for field in self._password_fields():
            field.widget.render_value = self.keep_passwords
        super().full_clean()

    def _password_fields(self):
        return [f for f in self.fields.values() if isinstance(f.widget, forms.PasswordInput)]

    @property
    def cleared_passwords(self) -> list[str]:
        """The password fields typed then cleared though not wrong themselves: their page says
        so beside them (includes/field.html)."""
        if not self.is_bound or not self.errors:
            return []
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.PasswordInput)
            and not field.widget.render_value
            and name not in self.errors
            and self.data.get(self.add_prefix(name))
        ]

    @property
    def cleared_files(self) -> list[str]:
        """The file fields whose file came with a page that has errors elsewhere: a browser
        cannot be given a file back, so the page asks for it again and says why."""
        if not self.is_bound or not self.errors:
            return []
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField)
            and name not in self.errors
            and self.files.get(self.add_prefix(name))
        ]

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields and isinstance(self.fields[name].widget, forms.PasswordInput):
                self.fields[name].widget.render_value = False


class PortalForm(PortalFormMixin, forms.Form):
    pass


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    pass


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
        if "label" not in kwargs:
            kwargs["label"] = _("Mobile phone")
            kwargs.setdefault("error_messages", {"required": _("Enter your mobile number")})
        kwargs.setdefault("max_length", 25)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        value = super().clean(value)
        return clean_mobile(value) if value else ""


class NationalIdField(forms.CharField):
    def __init__(self, **kwargs):
        if "label" not in kwargs:
            kwargs["label"] = _("National ID (13 digits)")
            kwargs.setdefault("error_messages", {"required": _("Enter your national ID number")})
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


class ThaiDateWidget(forms.MultiWidget):
    """The one way to enter a date (issue 9): day and month chosen, year typed, as the birth
    date is asked; no browser date picker (its calendar is Gregorian). The year shows in the
    Buddhist era on a Thai page and in the Common Era on an English one (core.thaidate)."""

    # Drawn by Jinja2 (portal.core.jinja): Django's templates, one per option, made a page's
    # two date fields cost more than its 50-row table (about 6 ms a field on the project's
    # machine).
    template_name = "core/widgets/date_parts.html"
    is_date_parts = True

    def __init__(self, attrs=None):
        year_attrs = {"inputmode": "numeric", "maxlength": "4", "size": "4", "class": "year"}
        super().__init__(
            [
                forms.Select(choices=self._days),
                forms.Select(choices=self._months),
                forms.TextInput(attrs=year_attrs),
            ],
            attrs,
        )

    @staticmethod
    def _days():
        return [("", _("Day")), *((str(d), str(d)) for d in range(1, 32))]

    @staticmethod
    def _months():
        thai = (translation.get_language() or "th").startswith("th")
        names = thaidate.MONTHS_TH if thai else thaidate.MONTHS_EN
        return [("", _("Month")), *((str(i), name) for i, name in enumerate(names, start=1))]

    def get_context(self, name, value, attrs):
        # The choices are built in the page's language each time the widget is drawn.
        self.widgets[0].choices = self._days()
        self.widgets[1].choices = self._months()
        context = super().get_context(name, value, attrs)
        labels = [_("Day"), _("Month"), pgettext_lazy("date part", "Year")]
        context["widget"]["parts"] = list(zip(labels, context["widget"]["subwidgets"], strict=True))
        return context

    def _render(self, template_name, context, renderer=None):
        return jinja_html(template_name, context)

    def id_for_label(self, id_):
        # The error summary's link leads to the first part, the day.
        return f"{id_}_0" if id_ else ""

    def decompress(self, value):
        if not value:
            return ["", "", ""]
        thai = (translation.get_language() or "th").startswith("th")
        year = thaidate.ce_to_be(value.year) if thai else value.year
        return [str(value.day), str(value.month), str(year)]


def _date_example():
    example = dt.date(thaidate.current_year_be() - thaidate.BE_OFFSET, 12, 31)
    return str(_("For example, %(date)s")) % {"date": thaidate.format_date(example)}


class ThaiDateField(forms.Field):
    """A date entered with ThaiDateWidget. The year may be typed in either era: 2400 and
    over is Buddhist (2573), under it Common (2030); no year of the two eras overlaps."""

    widget = ThaiDateWidget
    default_error_messages = {
        "invalid": _("Enter a real date"),
        "incomplete": _("Enter the date in full: day, month and year"),
        "year": _("Enter the year with 4 digits"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(_date_example, str)())
        super().__init__(**kwargs)

    def to_python(self, value):
        parts = [str(part or "").strip() for part in (value or [])] + ["", "", ""]
        day, month, year = parts[:3]
        if not (day or month or year):
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not (year.isdigit() and len(year) == 4):
            raise ValidationError(self.error_messages["year"], code="year")
        year_ce = int(year) - thaidate.BE_OFFSET if int(year) >= 2400 else int(year)
        try:
            return dt.date(year_ce, int(month), int(day))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


MESSAGES_BY_FIELD[ThaiDateField] = {
    "invalid": _("{Label} must be a real date"),
    "incomplete": _("Enter {label} in full: day, month and year"),
    "year": _("Enter the year of {label} with 4 digits"),
}


class PortalFileInput(forms.FileInput):
    """A file input in the page's language (issue 9): the browser labels its own "Choose file /
    No file chosen" in the browser's language, so core/js/files.js covers it with a button and
    the chosen file's name in the page's words; the native input stays underneath, takes the
    click and the keyboard, and without JavaScript it is shown as it is."""

    template_name = "core/widgets/file.html"

    def __init__(self, attrs=None, accept="application/pdf,image/jpeg,image/png"):
        super().__init__({"accept": accept, **(attrs or {})})
