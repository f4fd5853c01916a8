import pytest

from portal.operators import services
from portal.operators.models import Holding
from tests.accounts.helpers import login
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_the_members_businesses_in_constant_queries(
    client, robot, django_assert_num_queries
):
    member = MemberFactory()
    services.business_add_myself(member=member)
    login(client, robot, member.national_id)
    # session, member with its officer row, holdings, registry changes to confirm (SSO-09)
    with django_assert_num_queries(4):
        page = client.get("/")
    assert member.display_name in page.content.decode()
    for index in range(15):
        HoldingFactory(
            member=member,
            business=BusinessFactory(other=True, name_th=f"ธุรกิจ {index}"),
            proof=Holding.Proof.DOCUMENT,
        )
    with django_assert_num_queries(4):
        page = client.get("/")
    assert len(page.context["holdings"]) == 10 and page.context["more"]


def test_visitors_see_the_public_home(client):
    page = client.get("/")
    assert page.templates[0].name == "core/home.html"
