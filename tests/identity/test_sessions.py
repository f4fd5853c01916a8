from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

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


def test_sso_10_a_session_ended_elsewhere_is_gone_from_the_session_cache(
    robot, redis_cache, settings
):
    """SSO-10: with Redis, sessions are read from the cache (cached_db): ending the other
    sessions removes them from the cache too, not only from the database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    member = MemberFactory()
    mine = signed_in(robot, member)
    other = signed_in(robot, member)
    assert other.get("/accounts/settings/").status_code == 200  # now in the cache
    mine.post("/accounts/sessions/", {"end": "others"})
    assert other.get("/accounts/settings/").status_code == 302
    assert mine.get("/accounts/settings/").status_code == 200


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


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
LINE_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 Line/13.21.0"
)


@pytest.mark.parametrize(
    ("agent", "kind", "browser", "system"),
    [
        (PHONE, "phone", "Chrome 130", "Android"),
        (IPHONE, "phone", "Safari 17", "iPhone"),
        (WINDOWS_EDGE, "computer", "Edge 131", "Windows"),
        (LINE_ANDROID, "phone", "LINE 13", "Android"),
        (
            "Mozilla/5.0 (Linux; Android 14; Tab) Chrome/130.0 Safari/537.36",
            "tablet",
            "Chrome 130",
            "Android",
        ),
        ("", "", "", ""),
    ],
)
def test_sso_10_device_kind_browser_and_system_from_the_user_agent(agent, kind, browser, system):
    """SSO-10: sessions are told apart by device kind, browser with version and system."""
    session = MemberSession(user_agent=agent)
    assert (session.device_kind, session.browser, session.system) == (kind, browser, system)


def test_sso_10_sessions_page_tells_sessions_apart(robot):
    """SSO-10: each session shows device kind, browser, network address, login time and last
    activity; a session on the same network is marked so."""
    member = MemberFactory()
    desk = signed_in(robot, member, WINDOWS_EDGE)
    signed_in(robot, member, IPHONE)
    page = desk.get("/accounts/sessions/")
    html = page.content.decode()
    assert html.count('data-testid="session"') == 2
    assert "Edge 131" in html and "Safari 17" in html
    assert html.count("127.0.0.1") == 2
    with translation.override("th"):
        assert translation.gettext("the same network as this session") in html
        assert translation.gettext("Last active") in html
    rows = {row.user_agent: row for row in page.context["sessions"]}
    assert rows[IPHONE].last_active_at is not None


def test_sso_10_last_activity_is_written_at_most_every_five_minutes(robot):
    """SSO-10: using a session moves its "last active" time, with one UPDATE per session at
    most every five minutes, not on every request."""
    member = MemberFactory()
    client = signed_in(robot, member)
    row = MemberSession.objects.get(member=member)
    earlier = timezone.now() - timedelta(hours=3)
    MemberSession.objects.filter(pk=row.pk).update(last_active_at=earlier)
    client.get("/accounts/settings/")
    # The login itself wrote "active now"; within five minutes nothing more is written.
    assert MemberSession.objects.get(pk=row.pk).last_active_at == earlier
    session = client.session
    session["session_seen_at"] -= 301
    session.save()
    client.get("/accounts/settings/")
    assert MemberSession.objects.get(pk=row.pk).last_active_at > earlier
