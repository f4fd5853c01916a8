"""The acting context (DESIGN: identity): resolved once per request, recorded by every audit
row (ADM-03) and by the sign-in behind a token (SSO-06)."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from portal.backoffice.services import officer_appoint
from portal.core.acting import (
    TWO_FACTOR_SESSION_KEY,
    Acting,
    OfficerScope,
    Party,
    acting_for_request,
    system_acting,
)
from portal.core.services import audit_record
from portal.identity.models import SignIn
from tests import sso
from tests.factories import MemberFactory
from tests.identity.test_oidc_provider import juristic_holding, sign_in

pytestmark = pytest.mark.django_db


def request_as(user, session=None, address="203.0.113.9"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    request.session = session or {}
    return request


def test_adm_01_a_members_request_acts_for_the_member_with_no_officer_scope():
    """ADM-01: A members request acts for the member with no officer scope."""
    member = MemberFactory()
    acting = acting_for_request(request_as(member))
    assert acting == Acting(
        actor=member,
        principal=Party("member", member.pk, member.display_name),
        officer=None,
        channel="web",
        client_ip="203.0.113.9",
        two_factor=False,
    )
    assert acting.role == "member"


def test_adm_01_an_officers_request_carries_agency_area_and_second_factor():
    """ADM-01: An officers request carries agency area and second factor."""
    member = MemberFactory()
    with transaction.atomic():
        officer_appoint(member=member, agency="PIO", province="ลำพูน")
    member = type(member).objects.get(pk=member.pk)
    acting = acting_for_request(request_as(member, {TWO_FACTOR_SESSION_KEY: 1.0}))
    assert acting.officer == OfficerScope(member_id=member.pk, agency="PIO", province="ลำพูน")
    assert (acting.two_factor, acting.role) == (True, "officer")


def test_an_anonymous_request_has_no_actor_and_no_principal():
    from django.contrib.auth.models import AnonymousUser

    acting = acting_for_request(request_as(AnonymousUser()))
    assert (acting.actor, acting.principal, acting.role) == (None, None, "anonymous")


def test_adm_03_audit_rows_record_principal_actor_and_channel_from_the_context():
    """ADM-03: Audit rows record principal actor and channel from the context."""
    member = MemberFactory()
    grantor = Party("business", 77)  # what delegation (DEL-04) will put in the context
    acting = Acting(actor=member, principal=grantor, channel="api", client_ip="198.51.100.7")
    with transaction.atomic():
        entry = audit_record(action="test.act", target=member, acting=acting)
    assert (entry.actor, entry.actor_role, entry.principal, entry.channel) == (
        member,
        "member",
        "business:77",
        "api",
    )
    assert (entry.ip_address, entry.for_another) == ("198.51.100.7", True)


def test_adm_03_request_callers_still_get_the_requests_context():
    """ADM-03: Request callers still get the requests context."""
    member = MemberFactory()
    with transaction.atomic():
        entry = audit_record(
            actor=member, action="test.act", target=member, request=request_as(member)
        )
    assert (entry.principal, entry.channel, entry.ip_address) == (
        f"member:{member.pk}",
        "web",
        "203.0.113.9",
    )
    assert entry.for_another is False


def test_adm_03_work_without_a_request_is_the_systems():
    """ADM-03: Work without a request is the systems."""
    member = MemberFactory()
    with transaction.atomic():
        entry = audit_record(action="test.sweep", target=member, acting=system_acting())
    assert (entry.actor, entry.actor_role, entry.principal, entry.channel) == (
        None,
        "system",
        "",
        "task",
    )


def test_sso_06_the_sign_in_behind_a_token_records_principal_and_actor(client):
    """SSO-06: The sign in behind a token records principal and actor."""
    member = MemberFactory()
    client.force_login(member)
    holding = juristic_holding(member)
    system = sso.make_system()
    sign_in(client, sso.Flow(system), holding=holding)
    signed = SignIn.objects.get(member=member)
    assert (signed.principal, signed.actor, signed.acts_for_another) == (
        f"member:{member.pk}",
        member,
        False,
    )
    assert signed.business_id == holding.business_id
