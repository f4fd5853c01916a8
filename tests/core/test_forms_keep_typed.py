"""Nothing typed is lost on an error (issue 9): passwords come back when the error is elsewhere
and are cleared, with the page saying why, where the form chose so (docs/decisions.md); the
title says there is an error whatever the form's name in the page."""

import re

import pytest
from django.conf import settings

from tests.accounts.helpers import login, register
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _value_of(html: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html)
    assert tag, f"no #{field_id}"
    value = re.search(r'value="([^"]*)"', tag[0])
    return value[1] if value else None


def test_acc_02_registration_keeps_the_passwords_when_the_birth_date_is_wrong(client, world):
    """ACC-02, ACC-03: 31 February is refused beside the day; the passwords typed stay."""
    citizen = world.add_citizen(birth_day=3, birth_month=2, birth_year_be=2530)
    response = register(client, citizen, birth_day="31")
    html = response.content.decode()
    assert response.context["form"].errors["birth_day"]
    assert _value_of(html, "id_password1") == DEFAULT_PASSWORD
    assert _value_of(html, "id_password2") == DEFAULT_PASSWORD
    assert _value_of(html, "id_first_name") == citizen["first_name_th"]
    assert "no-store" in response["Cache-Control"]
    assert "hint-cleared" not in html


def test_acc_03_passwords_that_do_not_match_are_both_typed_again(client, world):
    """ACC-03: the two passwords differ: both are cleared, the message says why."""
    citizen = world.add_citizen()
    response = register(client, citizen, password2=DEFAULT_PASSWORD + "x")
    html = response.content.decode()
    assert response.context["form"].errors["password2"]
    assert _value_of(html, "id_password1") is None
    assert _value_of(html, "id_password2") is None


def test_acc_09_login_clears_the_password_and_says_why(client, robot, member_factory):
    """ACC-09: a wrong password: the national ID stays, the password field is empty and the
    page says it was cleared for safety."""
    member = member_factory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = login(client, robot, member.national_id, password="Wrong-pass1!")
    html = response.content.decode()
    assert _value_of(html, "id_national_id") == member.national_id
    assert _value_of(html, "id_password") is None
    assert "For your safety the password was cleared: type it again." in html


def test_acc_09_login_says_so_in_thai(client, robot, member_factory):
    """ACC-09: the same, in Thai."""
    member = member_factory()
    html = login(client, robot, member.national_id, password="Wrong-pass1!").content.decode()
    assert "ระบบได้ลบรหัสผ่านที่กรอกไว้แล้ว" in html


def test_the_title_says_error_for_a_form_not_named_form(client, member_factory):
    """The settings page's picture form is `avatar_form`: its error still prefixes the title."""
    client.force_login(member_factory())
    response = client.post("/accounts/settings/avatar/", {})
    assert response.context["avatar_form"].errors
    assert not response.context["form"].is_bound
    assert re.search(r"<title>ข้อผิดพลาด: ", response.content.decode())
    page = client.get("/accounts/settings/").content.decode()
    assert not re.search(r"<title>ข้อผิดพลาด", page)
