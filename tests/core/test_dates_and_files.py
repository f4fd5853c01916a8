"""One way to enter a date (day and month chosen, year typed, Buddhist era on a Thai page, no
browser date picker) and file inputs in the page's language, everywhere (issue 9)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

import portal
from portal.core.forms import PortalFileInput, PortalForm, ThaiDateField, ThaiDateWidget
from tests.core.test_field_messages import PORTAL_FORMS, _kwargs

SRC = Path(portal.__file__).parent


class _Form(PortalForm):
    valid_until = ThaiDateField(label="Valid until")


def _post(day, month, year):
    return _Form({"valid_until_0": day, "valid_until_1": month, "valid_until_2": year})


@pytest.mark.parametrize("year", ["2573", "2030"])
def test_the_year_is_taken_in_either_era(year):
    form = _post("31", "12", year)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["valid_until"] == dt.date(2030, 12, 31)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2573"), "Valid until must be a real date"),
        (("", "2", "2573"), "Enter valid until in full: day, month and year"),
        (("1", "2", "73"), "Enter the year of valid until with 4 digits"),
        (("", "", ""), "Enter valid until"),
    ],
)
def test_each_mistake_has_its_own_message(parts, message):
    with translation.override("en"):
        assert _post(*parts).errors["valid_until"] == [message]


def test_a_date_shows_in_the_buddhist_era_in_thai_and_the_common_era_in_english():
    form = _Form(initial={"valid_until": dt.date(2030, 12, 31)})
    with translation.override("th"):
        thai = str(form["valid_until"])
        hint = str(form["valid_until"].help_text)
    with translation.override("en"):
        english = str(form["valid_until"])
    assert re.search(r'name="valid_until_2"[^>]*value="2573"', thai)
    assert '<option value="12" selected>ธันวาคม</option>' in thai
    assert re.search(r'name="valid_until_2"[^>]*value="2030"', english)
    assert '<option value="12" selected>December</option>' in english
    assert hint.startswith("เช่น 31 ธันวาคม 25")
    # Each part is labelled; the day select is what the error summary links to.
    assert '<label for="id_valid_until_0">' in english
    assert ThaiDateWidget().id_for_label("id_valid_until") == "id_valid_until_0"


def _every_field():
    for klass in PORTAL_FORMS:
        if klass.__name__ in ("PortalForm", "PortalModelForm"):
            continue
        for name, field in klass(**_kwargs(klass)).fields.items():
            yield f"{klass.__name__}.{name}", field


def test_no_form_has_a_browser_date_picker_and_every_date_is_the_portals():
    for name, field in _every_field():
        widget = field.widget
        assert getattr(widget, "input_type", "") not in ("date", "datetime-local"), name
        assert not isinstance(widget, (forms.DateInput, forms.SelectDateWidget)), name
        if isinstance(field, forms.DateField | forms.DateTimeField):
            raise AssertionError(f"{name}: a date is a core.forms.ThaiDateField")


def test_no_template_has_a_date_input():
    for template in SRC.rglob("*.html"):
        assert not re.search(r'type=["\']?date', template.read_text()), template


def test_every_file_field_is_in_the_pages_language():
    files = [(name, field) for name, field in _every_field() if isinstance(field, forms.FileField)]
    assert len(files) >= 4
    for name, field in files:
        assert isinstance(field.widget, PortalFileInput), name


def test_the_file_input_says_choose_file_in_the_pages_language():
    class Upload(PortalForm):
        document = forms.FileField(label="Document", widget=PortalFileInput())

    with translation.override("th"):
        thai = str(Upload()["document"])
    with translation.override("en"):
        english = str(Upload()["document"])
    assert "เลือกไฟล์" in thai and "ยังไม่ได้เลือกไฟล์" in thai
    assert "Choose file" in english and "No file chosen" in english
    assert 'type="file"' in thai and 'accept="application/pdf,image/jpeg,image/png"' in thai
