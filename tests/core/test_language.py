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
