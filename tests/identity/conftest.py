"""Fixtures of the OpenID provider's tests: the provider reached in-process, a logged-in
member, and that member's own business."""

import pytest

from portal.operators import services as operator_services
from tests import sso
from tests.factories import MemberFactory


@pytest.fixture
def transport():
    with sso.portal_transport() as transport:
        yield transport


@pytest.fixture
def member(client):
    member = MemberFactory()
    client.force_login(member)
    return member


@pytest.fixture
def own_business(member):
    return operator_services.business_add_myself(member=member)
