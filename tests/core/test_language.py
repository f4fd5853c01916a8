import pytest

from portal.accounts.models import Member
from tests.accounts.helpers import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_english_switch_keeps_the_members_choice(client, robot):
    """core's view tells the accounts app through a signal (core imports no app)."""
    member = MemberFactory(language="th")
    login(client, robot, member.national_id)
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).language == "en"


def test_the_english_switch_for_a_visitor_sets_only_the_cookie(client):
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.cookies["portal_language"].value == "en"
    assert not Member.objects.exists()


def test_the_language_chosen_before_logging_in_stays_after_it(client, robot):
    """Issue 9: a visitor who switched to English before logging in keeps English after
    login, although the member's saved choice is Thai; the saved choice is not changed."""
    member = MemberFactory(language="th")
    client.post("/language/", {"language": "en", "next": "/"})
    response = login(client, robot, member.national_id)
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert Member.objects.get(pk=member.pk).language == "th"


def test_the_saved_language_applies_without_a_choice_in_this_visit(client, robot):
    """Issue 9: a cookie from an earlier visit does not override the member's saved choice;
    a choice made in this visit does."""
    member = MemberFactory(language="th")
    client.cookies["portal_language"] = "en"
    assert client.get("/")["Content-Language"] == "en"  # a visitor: the cookie
    login(client, robot, member.national_id)
    assert client.get("/")["Content-Language"] == "th"  # the member: the saved choice
    client.post("/language/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"


def test_logging_out_ends_the_visits_choice(client, robot):
    """Issue 9: the choice of a visit lives in its session; after logout the cookie rules."""
    member = MemberFactory(language="en")
    login(client, robot, member.national_id)
    client.post("/language/", {"language": "th", "next": "/"})
    client.post("/accounts/logout/")
    assert "language_chosen" not in client.session
    assert client.get("/")["Content-Language"] == "th"  # the cookie the switch set
