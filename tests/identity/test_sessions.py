import pytest
from django.test import Client

from portal.core.models import AuditEntry
from portal.identity.models import MemberSession
from tests.accounts.helpers import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"


def signed_in(robot, member, agent=""):
    client = Client(HTTP_USER_AGENT=agent)
    login(client, robot, member.national_id)
    return client


def test_sso_10_sessions_are_listed_with_device_and_time_and_one_can_be_ended(robot):
    """SSO-10: Sessions are listed with device and time and one can be ended."""
    member = MemberFactory()
    desk = signed_in(robot, member)
    phone = signed_in(robot, member, PHONE)
    page = desk.get("/accounts/sessions/")
    rows = list(page.context["sessions"])
    assert len(rows) == 2
    phone_row = next(r for r in rows if r.user_agent == PHONE)
    assert phone_row.device == "Chrome · Android"
    assert "Chrome · Android" in page.content.decode()
    desk.post("/accounts/sessions/", {"end": phone_row.pk})
    assert phone.get("/accounts/settings/").status_code == 302  # logged out there
    assert desk.get("/accounts/settings/").status_code == 200
    assert AuditEntry.objects.filter(action="member.sessions_end").count() == 1


def test_sso_10_end_all_other_sessions(robot):
    """SSO-10: End all other sessions."""
    member = MemberFactory()
    mine = signed_in(robot, member)
    others = [signed_in(robot, member) for _ in range(3)]
    mine.post("/accounts/sessions/", {"end": "others"})
    assert all(c.get("/accounts/settings/").status_code == 302 for c in others)
    assert mine.get("/accounts/settings/").status_code == 200
    assert MemberSession.objects.filter(member=member).count() == 1


def test_sso_10_another_members_session_cannot_be_ended(robot):
    """SSO-10: Another members session cannot be ended."""
    victim = MemberFactory()
    victim_client = signed_in(robot, victim)
    victim_session = MemberSession.objects.get(member=victim)
    stranger = signed_in(robot, MemberFactory())
    assert stranger.post("/accounts/sessions/", {"end": victim_session.pk}).status_code == 404
    assert victim_client.get("/accounts/settings/").status_code == 200
    assert victim_session.pk not in [
        s.pk for s in stranger.get("/accounts/sessions/").context["sessions"]
    ]


def test_sso_10_logout_and_expired_sessions_leave_the_list(robot):
    """SSO-10: Logout and expired sessions leave the list."""
    member = MemberFactory()
    first = signed_in(robot, member)
    second = signed_in(robot, member)
    second.post("/accounts/logout/")
    assert len(first.get("/accounts/sessions/").context["sessions"]) == 1
