"""National IDs are normalised (NFKC, Unicode digits) before any check or hash (issue 8)."""

import pytest

from portal.core.thaiid import is_valid_pid, normalise_pid, normalize_pid, pid_hash

PID = "1101700203450"
THAI = "๑๑๐๑๗๐๐๒๐๓๔๕๐"
FULL_WIDTH = "１１０１７００２０３４５０"


@pytest.mark.parametrize(
    "typed",
    [
        PID,
        THAI,
        FULL_WIDTH,
        "1-1017-00203-45-0",
        "๑-๑๐๑๗-๐๐๒๐๓-๔๕-๐",
        "１－１０１７－００２０３－４５－０",  # full-width digits and full-width hyphen-minus
        "1\u20131017\u201300203\u201345\u20130",  # en dashes
        "1\u22121017\u221200203\u221245\u22120",  # minus signs
        " 1 1017 00203 45 0 ",
        "1\u00a01017\u300000203 45 0",  # no-break and ideographic spaces
        "\u0661\u0661\u0660\u0661\u0667\u0660\u0660\u0662\u0660\u0663\u0664\u0665\u0660",
    ],
)
def test_acc_01_normalise_pid_gives_ascii_digits(typed):
    """ACC-01: Thai, full-width and other Unicode digits, dashes and spaces all give the
    same 13 ASCII digits."""
    assert normalise_pid(typed) == PID
    assert is_valid_pid(typed) is True
    assert pid_hash(typed) == pid_hash(PID)


def test_normalize_pid_is_the_same_function():
    assert normalize_pid is normalise_pid


@pytest.mark.parametrize("typed", ["110170020345x", "1101700203451", "๑๑๐๑๗๐๐๒๐๓๔๕", "", "²" * 13])
def test_acc_01_anything_else_still_fails_the_check(typed):
    """ACC-01: Only digits are translated: letters, a wrong check digit, 12 digits, superscripts
    (not decimal digits) are refused."""
    assert is_valid_pid(typed) is False


def test_normalise_pid_keeps_what_it_does_not_know():
    assert normalise_pid("12a๓") == "12a3"
    assert normalise_pid(None) == ""
