import pytest
from django.utils import translation

from portal.accounts.models import Member
from portal.core.models import AuditEntry
from tests.accounts.helpers import login, register
from tests.factories import MemberFactory, make_pid

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
    assert response.context["closed_account"] is True


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


# --- a closed account is told so at every door (ACC-15) ---------------------------------------


def closed_notice(response) -> str:
    """The closed-account notice of a page, or "" when the page has none."""
    page = response.content.decode()
    if 'data-testid="closed-account"' not in page:
        return ""
    return page.split('data-testid="closed-account"')[1].split("</div>")[0]


def test_acc_15_registration_of_a_closed_id_says_closed_and_links_to_reopen(client, world):
    """ACC-15: registering a closed ID says the account is closed and leads to the reopen
    request, not to "forgot password"; nothing is created."""
    citizen = world.add_citizen()
    member = MemberFactory(pid=citizen["pid"], closed=True)
    response = register(client, citizen)
    assert response.status_code == 200
    with translation.override("th"):
        expected = translation.gettext(
            "This national ID belongs to a closed account and cannot be registered again."
        )
    assert (
        expected != "This national ID belongs to a closed account and cannot be registered again."
    )
    assert response.context["form"].errors["national_id"] == [expected]
    notice = closed_notice(response)
    assert 'href="/accounts/reopen/"' in notice
    assert "/accounts/reset/" not in notice
    assert list(Member.objects.values_list("pk", "status")) == [(member.pk, "closed")]


def test_acc_15_reset_of_a_closed_id_says_closed_and_links_to_reopen(client, robot):
    """ACC-15: a reset for a closed ID stops at the first step with the closed notice and a
    link to the reopen request; no reset is started."""
    member = MemberFactory(closed=True)
    response = client.post(
        "/accounts/reset/", {"national_id": member.national_id, "robot": robot(client)}
    )
    assert response.status_code == 200
    assert 'href="/accounts/reopen/"' in closed_notice(response)
    assert "password_reset" not in client.session
    assert client.get("/accounts/reset/channel/")["Location"] == "/accounts/reset/"


def test_acc_15_reset_of_an_active_or_unknown_id_has_no_closed_notice(client, robot):
    """ACC-15: the notice is only for closed IDs; an unknown ID goes on as before."""
    response = client.post("/accounts/reset/", {"national_id": make_pid(), "robot": robot(client)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/channel/"


def test_acc_15_login_of_a_closed_id_says_closed_and_links_to_reopen(client, robot):
    """ACC-15: the password login of a closed ID shows the notice with the reopen link, and
    nobody is logged in."""
    member = MemberFactory(closed=True)
    response = login(client, robot, member.national_id)
    assert response.status_code == 200
    notice = closed_notice(response)
    with translation.override("th"):
        assert translation.gettext("This username has been closed.") in notice
    assert 'href="/accounts/reopen/"' in notice
    assert "_auth_user_id" not in client.session


def test_acc_15_wrong_password_of_an_active_id_has_no_closed_notice(client, robot):
    """ACC-15: the closed notice never shows for an active account."""
    member = MemberFactory()
    response = login(client, robot, member.national_id, password="Wrong@2024x")
    assert closed_notice(response) == ""
    assert response.context["closed_account"] is False
