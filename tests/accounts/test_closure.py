import pytest

from portal.accounts.models import Member
from portal.core.models import AuditEntry
from tests.accounts.helpers import login, register

pytestmark = pytest.mark.django_db


def close(client, password="iindustrY@2024", reason="no_longer_needed"):
    return client.post(
        "/accounts/settings/close/", {"reason": reason, "password": password, "confirm": "on"}
    )


def test_acc_15_closing_needs_reason_and_password(client, robot, member_factory):
    """ACC-15: Closing needs reason and password."""
    member = member_factory()
    login(client, robot, member.national_id)
    response = close(client, password="Wrong@2024x")
    assert response.context["form"].errors["password"]
    response = client.post(
        "/accounts/settings/close/", {"password": "iindustrY@2024", "confirm": "on"}
    )
    assert response.context["form"].errors["reason"]
    member.refresh_from_db()
    assert member.status == "active"


def test_acc_15_closing_erases_personal_data_and_blocks_the_id(client, robot, world):
    """ACC-15: Closing erases personal data and blocks the ID."""
    citizen = world.add_citizen()
    register(client, citizen, mobile="0861234567", email="closing@example.com")
    login(client, robot, citizen["pid"])
    client.post("/accounts/settings/", {"position": "วิศวกร", "contact_channel": "mobile"})
    response = close(client)
    assert response.status_code == 200
    member = Member.objects.get()
    assert member.status == "closed"
    for field in ("first_name", "last_name", "title_th", "position", "pid_encrypted"):
        assert getattr(member, field) == ""
    assert member.mobile is None and member.email is None and member.birth_year_be is None
    assert not member.has_usable_password()
    # Audit rows stay, without the personal values.
    profile = AuditEntry.objects.get(action="member.profile")
    assert profile.after["position"] == "[erased]"
    # The same ID can never register again, even with all details right.
    client.logout()
    again = register(client, citizen)
    assert again.context["form"].errors["national_id"]
    assert Member.objects.count() == 1
    # And the login says the username was closed.
    response = login(client, robot, citizen["pid"])
    assert "closed" in " ".join(response.context["form"].non_field_errors()) or "ปิด" in " ".join(
        response.context["form"].non_field_errors()
    )


def test_acc_15_closing_ends_every_session(client, robot, member_factory):
    """ACC-15: Closing ends every session."""
    from django.test import Client

    member = member_factory()
    other = Client()
    login(other, robot, member.national_id)
    login(client, robot, member.national_id)
    close(client)
    assert other.get("/accounts/settings/").status_code == 302
    assert client.get("/accounts/settings/").status_code == 302
