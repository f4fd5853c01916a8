"""Mobile numbers as people type them are accepted whole and kept as their 10 digits
(ACC-02, ACC-13: nothing typed is cut short or refused for its punctuation)."""

import pytest
from django.core.exceptions import ValidationError

from portal.core.forms import MobileField


@pytest.mark.parametrize(
    "typed",
    [
        "0812345678",
        "081-234-5678",
        "081 234 5678",
        "(081) 234-5678",
        "+66812345678",
        "+66 81 234 5678",
        "+66 (0)81 234 5678",
        "+66-(0)-81-234-5678",
        "0066 81 234 5678",
    ],
)
def test_acc_13_a_mobile_typed_in_any_usual_way_is_its_ten_digits(typed):
    """ACC-13: the ways a Thai mobile is written, the "+66 (0)" of international cards
    included (it was cut to 15 characters, then refused)."""
    assert MobileField().clean(typed) == "0812345678"


def test_acc_13_the_field_takes_the_longest_usual_writing_whole():
    """ACC-13: "+66 (0) 81-234-5678" is 20 characters; the field takes 25."""
    field = MobileField()
    assert field.max_length == 25
    assert field.widget.attrs["maxlength"] == "25"
    assert field.widget.attrs["inputmode"] == "tel"


@pytest.mark.parametrize("typed", ["12345", "+1 212 555 0100", "0212345678", "+66 2 123 4567"])
def test_acc_13_what_is_not_a_thai_mobile_is_refused_with_the_reason(typed):
    """ACC-13: a landline, a foreign number or too few digits: the field's own message."""
    with pytest.raises(ValidationError) as refused:
        MobileField().clean(typed)
    assert refused.value.code == "mobile"


def test_an_optional_mobile_left_empty_is_empty():
    assert MobileField(required=False).clean("") == ""
