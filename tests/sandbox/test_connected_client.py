"""The sample connected system is a real relying party (SSO-01, SSO-06, SSO-07): it signs a
member in from the portal's hand-off link, shows the claims it received, and accepts only
valid, unreplayed logout tokens."""

from urllib.parse import urlparse

import pytest

from portal.identity.backchannel import logout_token
from portal.identity.models import ConnectedSystem
from portal.identity.oidc import public_subject
from portal.operators import services as operator_services
from portal.sandbox import connected_client
from tests import sso
from tests.factories import MemberFactory, SignInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(monkeypatch):
    with sso.portal_transport() as transport:
        monkeypatch.setattr(connected_client, "TRANSPORT", transport)
        connected_client.register_sample_clients([sso.ISSUER])
        yield ConnectedSystem.objects.filter(needs_business=True, needs_factory=False).first()


def follow_to_client(client, url: str):
    """Follow redirects between the portal and the sample client (same test server)."""
    response = client.get(url)
    while response.status_code == 302:
        location = response["Location"]
        parsed = urlparse(location)
        response = client.get(f"{parsed.path}?{parsed.query}" if parsed.query else parsed.path)
    return response


def test_sso_06_the_sample_client_signs_the_member_in_for_the_chosen_business(client, system):
    """SSO-06: The sample client signs the member in for the chosen business."""
    member = MemberFactory()
    holding = operator_services.business_add_myself(member=member)
    client.force_login(member)
    client.post(f"/services/{system.slug}/", {"holding": holding.pk})
    client.post(f"/services/{system.slug}/consent/", {"answer": "accept"})
    page = follow_to_client(client, f"/sandbox/connected/{system.slug}/login/?iss={sso.ISSUER}")
    html = page.content.decode()
    assert 'data-testid="signed-in"' in html
    assert member.first_name in html and holding.business.registry_key in html
    assert public_subject(member.pk) in html


def test_sso_07_the_sample_client_refuses_a_forged_or_replayed_logout_token(client, system):
    """SSO-07: The sample client refuses a forged or replayed logout token."""
    member = MemberFactory()
    operator_services.business_add_myself(member=member)
    client.force_login(member)
    sign_in = SignInFactory(member=member, system=system, session_key=client.session.session_key)
    url = f"/sandbox/connected/{system.slug}/backchannel-logout/"
    good = logout_token(
        issuer=sso.ISSUER,
        client_id=connected_client.client_id_for(system.slug),
        subject=public_subject(member.pk),
        sid=str(sign_in.pk),
    )
    other_audience = logout_token(
        issuer=sso.ISSUER, client_id="someone-else", subject="x", sid=str(sign_in.pk)
    )
    assert client.post(url, {"logout_token": other_audience}).status_code == 400
    assert client.post(url, {"logout_token": good[:-4] + "AAAA"}).status_code == 400
    assert client.post(url, {"logout_token": "not-a-jwt"}).status_code == 400
    assert client.post(url, {"logout_token": good}).status_code == 200
    assert client.post(url, {"logout_token": good}).status_code == 400  # replayed


def test_sso_01_the_sample_client_refuses_another_issuer(client, system):
    """SSO-01: The sample client refuses another issuer."""
    response = client.get(
        f"/sandbox/connected/{system.slug}/login/", {"iss": "https://evil.example"}
    )
    assert response.status_code == 400
