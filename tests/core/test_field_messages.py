"""Every message of every form of the portal is specific to its field, in the page's language:
never the framework's generic wording ("This field is required.", "ฟิลด์นี้จำเป็น", "Enter a
valid value.") nor the robot check library's English ("Please complete the ALTCHA
verification."). Issue 9, forms and errors."""

import importlib
import pkgutil
import re
from types import SimpleNamespace

import pytest
from altcha_django.forms import AltchaField
from django import forms
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import portal
from portal.accounts.forms import RegistrationForm
from portal.core.forms import PortalFormMixin
from portal.permits.definitions import FormField

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0e00-\u0e7f]")


def _portal_forms() -> list[type]:
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        leaf = module.name.rsplit(".", 1)[-1]
        if "form" in leaf or "view" in leaf:
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        klass = todo.pop()
        for sub in klass.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("portal.") and not sub.__name__.endswith("Mixin"):
                found.add(sub)
    return sorted(found, key=lambda k: (k.__module__, k.__name__))


PORTAL_FORMS = _portal_forms()
BASES = {"PortalForm", "PortalModelForm"}

# What the forms that build fields from the page's data are given here.
_DOCUMENT = SimpleNamespace(pk=1, title=lambda language: "Marketing", body=lambda language: "")
_HOLDING = SimpleNamespace(pk=1, status="verified", business_name="บริษัท ก")
_TEXT = {"th": "คำถาม", "en": "Question"}
_PERMIT_FIELDS = [
    FormField(
        key=f"q_{kind}",
        kind=kind,
        label={"th": f"คำถาม{n}", "en": f"Question {n}"},
        min_value=0 if kind in ("integer", "decimal") else None,
        max_value=1000 if kind in ("integer", "decimal") else None,
        choices=[{"value": "a", "label": _TEXT}, {"value": "b", "label": _TEXT}]
        if kind == "choice"
        else [],
    )
    for n, kind in enumerate(
        ("text", "textarea", "integer", "decimal", "date", "choice", "machines")
    )
]
KWARGS = {
    "permits.forms.AnswersForm": {"fields": _PERMIT_FIELDS},
    "accounts.forms.ConsentForm": {"documents": [_DOCUMENT], "language": "th"},
    "accounts.forms.ResetChannelForm": {"channels": [("sms", "SMS"), ("email", "Email")]},
    "operators.forms.TradeNameForm": {"choices": [("a", "ก"), ("b", "ข")]},
    "operators.factory_forms.BusinessChoiceForm": {"holdings": [_HOLDING]},
}


def _kwargs(klass) -> dict:
    return KWARGS.get(f"{klass.__module__.removeprefix('portal.')}.{klass.__name__}", {})


def _generic_messages() -> list[re.Pattern]:
    """The framework's and the robot check library's messages, in English and in Thai, as
    patterns (their %(limit_value)d and the like stand for anything)."""
    messages = set()
    classes = [AltchaField, *(getattr(forms, name) for name in dir(forms))]
    for klass in classes:
        if isinstance(klass, type) and issubclass(klass, forms.Field):
            for cls in klass.__mro__:
                messages.update(getattr(cls, "default_error_messages", {}).values())
    messages.update(
        [
            validators.EmailValidator.message,
            validators.URLValidator.message,
            validators.RegexValidator.message,
            validators.MaxLengthValidator.message,
            validators.MinLengthValidator.message,
            validators.MaxValueValidator.message,
            validators.MinValueValidator.message,
            validators.ProhibitNullCharactersValidator.message,
            *validators.DecimalValidator.messages.values(),
        ]
    )
    patterns = []
    for language in ("en", "th"):
        with translation.override(language):
            for message in messages:
                text = re.escape(str(message))
                text = re.sub(r"%\\\([a-z_]+\\\)[sd]", ".*", text)
                patterns.append(re.compile(text))
    return patterns


GENERIC = _generic_messages()


def _field_names(form) -> list[str]:
    names = []
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            names += [f"{form.add_prefix(name)}{suffix}" for suffix in widget.widgets_names]
        else:
            names.append(form.add_prefix(name))
    return names


def _attempts(klass):
    """Posts that make each field fail in each way it can: empty, wrong, too long, invalid
    characters, an empty file, out-of-range numbers."""
    form = klass(**_kwargs(klass))
    names = _field_names(form)
    files = {
        form.add_prefix(n): SimpleUploadedFile("a.pdf", b"")
        for n, f in form.fields.items()
        if isinstance(f, forms.FileField)
    }
    for value in ("", "x", "x" * 3000, "a\x00b", "-99999999999", "99999999999", "1.1234567"):
        yield {name: value for name in names}, {}
    yield {}, files


def _messages(klass, language) -> list[str]:
    found = []
    with translation.override(language):
        for data, files in _attempts(klass):
            form = klass(data, files, **_kwargs(klass))
            for errors in form.errors.values():
                found += [str(error) for error in errors]
    return found


def test_the_walk_finds_the_forms_of_every_app():
    apps = {klass.__module__.split(".")[1] for klass in PORTAL_FORMS}
    assert {"accounts", "identity", "operators", "services", "backoffice"} <= apps
    assert len(PORTAL_FORMS) > 25


@pytest.mark.parametrize("klass", PORTAL_FORMS, ids=lambda k: f"{k.__module__}.{k.__name__}")
def test_every_form_is_a_portal_form(klass):
    assert issubclass(klass, PortalFormMixin), f"{klass} is not built on core.forms.PortalForm"


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize(
    "klass",
    [k for k in PORTAL_FORMS if k.__name__ not in BASES],
    ids=lambda k: f"{k.__module__}.{k.__name__}",
)
def test_no_form_says_a_generic_message(klass, language):
    messages = _messages(klass, language)
    assert messages, f"{klass.__name__} refused nothing"
    for message in messages:
        assert "ALTCHA" not in message, message
        assert message.strip(), klass
        for generic in GENERIC:
            assert not generic.fullmatch(message), f"{klass.__name__}: generic “{message}”"
        if language == "th":
            assert THAI.search(message), f"{klass.__name__}: not in Thai: “{message}”"
        else:
            assert not THAI.search(message), f"{klass.__name__}: not in English: “{message}”"


def test_the_messages_name_their_field():
    with translation.override("th"):
        form = _form_with("national_id", "first_name")
        assert form.errors["national_id"] == ["กรุณากรอกเลขประจำตัวประชาชน"]
        assert form.errors["first_name"] == ["กรุณากรอกชื่อ"]
        assert form.errors["password2"] == ["กรุณากรอกรหัสผ่านอีกครั้ง"]
    with translation.override("en"):
        form = _form_with("national_id", "first_name")
        assert form.errors["national_id"] == ["Enter your national ID number"]
        assert form.errors["first_name"] == ["Enter your first name"]
        assert form.errors["password2"] == ["Enter the password again"]


def _form_with(*names):
    form = RegistrationForm({})
    assert {*names, "password2"} <= set(form.errors)
    return form
