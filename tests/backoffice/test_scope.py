"""Officer scope (ADM-01) and own cases in the services and selectors themselves, officers'
two-factor login (SSO-04), and the principal and actor of audit rows (ADM-03)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.accounts import selectors as account_selectors
from portal.accounts.models import MemberRequest
from portal.accounts.services import AccountError, member_request_decide
from portal.backoffice.services import officer_appoint
from portal.core.acting import Acting, system_acting
from portal.core.models import AuditEntry
from portal.identity.models import TwoFactorDevice
from portal.identity.services import TwoFactorError, two_factor_reset_by_officer
from portal.operators import selectors as operator_selectors
from portal.operators.models import HolderRemovalRequest, Holding
from portal.operators.services import (
    OperatorError,
    holder_removal_request_decide,
    holding_decide,
)
from tests.backoffice.helpers import enrol_authenticator, signed_in
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.operators.helpers import PDF, add_by_document, co_holder

pytestmark = pytest.mark.django_db

ALL_RIGHTS = [
    "operators.verify_holding",
    "accounts.review_member_request",
    "identity.reset_two_factor",
]
CASE_PROVINCE = "เชียงใหม่"


def officer(agency="OPS", province="", member=None):
    member = member or MemberFactory()
    with transaction.atomic():
        officer_appoint(member=member, agency=agency, province=province, permissions=ALL_RIGHTS)
    return type(member).objects.get(pk=member.pk)  # fresh permission and profile caches


def acting(member) -> Acting:
    return system_acting(actor=member)


def company_claim(member, province=CASE_PROVINCE) -> Holding:
    """A company with a registered province, claimed on a passport (BIZ-05): Not Verified."""
    business = BusinessFactory(
        name_th="บริษัท ทดสอบ จำกัด", registry_data={"address": {"province": province}}
    )
    return HoldingFactory(member=member, business=business, pending=True)


def name_change(member) -> MemberRequest:
    return MemberRequest.objects.create(
        kind=MemberRequest.Kind.NAME_CHANGE,
        member=member,
        details_encrypted="",
        evidence=SimpleUploadedFile("e.pdf", PDF),
        evidence_content_type="application/pdf",
    )


def removal(business, target: Holding, requested_by) -> HolderRemovalRequest:
    return HolderRemovalRequest.objects.create(
        business=business,
        target=target,
        requested_by=requested_by,
        reason="ลาออกแล้ว",
        letter=SimpleUploadedFile("l.pdf", PDF),
        letter_content_type="application/pdf",
    )


# --- ADM-01: agency and area, in the selectors and the services ----------------------------


def test_adm_01_member_requests_answer_only_the_agency_that_owns_the_queue():
    """ADM-01: Member requests answer only the agency that owns the queue."""
    filed = name_change(MemberFactory())
    ops, diw = officer("OPS"), officer("DIW")
    assert list(account_selectors.pending_member_requests(acting=acting(ops))) == [filed]
    assert list(account_selectors.pending_member_requests(acting=acting(diw))) == []
    assert account_selectors.member_request_counts(acting=acting(diw)) == {}
    with pytest.raises(AccountError) as refused:
        member_request_decide(officer=diw, member_request=filed, approve=False, note="ไม่ครบ")
    assert refused.value.code == "queue"
    filed.refresh_from_db()
    assert filed.status == "pending" and filed.decided_by is None
    assert not AuditEntry.objects.filter(action__startswith="request.").exists()


def test_adm_01_a_provincial_office_decides_only_businesses_of_its_province():
    """ADM-01: A provincial office decides only businesses of its province."""
    claim = company_claim(MemberFactory())
    here = officer("PIO", CASE_PROVINCE)
    elsewhere = officer("PIO", "ลำปาง")
    assert list(operator_selectors.holdings_awaiting_verification(acting=acting(here))) == [claim]
    assert list(operator_selectors.holdings_awaiting_verification(acting=acting(elsewhere))) == []
    with pytest.raises(OperatorError) as refused:
        holding_decide(officer=elsewhere, holding_id=claim.pk, approve=True)
    assert refused.value.code == "area"
    claim.refresh_from_db()
    assert claim.status == "not_verified" and claim.decided_by is None
    holding_decide(officer=here, holding_id=claim.pk, approve=True)
    claim.refresh_from_db()
    assert claim.status == "verified" and claim.decided_by == here


def test_adm_01_a_business_without_a_registered_province_is_the_ops_queue_alone():
    """ADM-01: A business without a registered province is the OPS queue alone."""
    claim = add_by_document(member=MemberFactory(), name_th="สหกรณ์ทดสอบ")
    pio = officer("PIO", CASE_PROVINCE)
    assert list(operator_selectors.holdings_awaiting_verification(acting=acting(pio))) == []
    with pytest.raises(OperatorError):
        holding_decide(officer=pio, holding_id=claim.pk, approve=True)
    claim.refresh_from_db()
    assert claim.status == "not_verified"
    ops = officer("OPS")
    assert list(operator_selectors.holdings_awaiting_verification(acting=acting(ops))) == [claim]


@pytest.mark.parametrize("agency", ["DIW", "IEAT", "TISI"])
def test_adm_01_agencies_without_the_queues_see_and_decide_nothing(agency):
    """ADM-01: Agencies without the queues see and decide nothing."""
    someone = officer(agency, CASE_PROVINCE)
    claim = company_claim(MemberFactory())
    co = co_holder(claim.business)
    filed = removal(claim.business, claim, co.member)
    assert list(operator_selectors.holdings_awaiting_verification(acting=acting(someone))) == []
    assert list(operator_selectors.holder_removals_awaiting_decision(acting=acting(someone))) == []
    with pytest.raises(OperatorError):
        holder_removal_request_decide(officer=someone, request_id=filed.pk, approve=True)
    filed.refresh_from_db()
    claim.refresh_from_db()
    assert filed.status == "pending" and claim.removed_at is None
    member = MemberFactory()
    enrol_authenticator(member)
    with pytest.raises(TwoFactorError) as refused:
        two_factor_reset_by_officer(officer=someone, member=member, identity_checked="บัตร")
    assert refused.value.code == "queue"
    assert TwoFactorDevice.objects.filter(member=member).exists()


# --- ADM-01: an officer never decides their own case ---------------------------------------


def test_adm_01_an_officer_cannot_verify_their_own_business_claim():
    """ADM-01: An officer cannot verify their own business claim."""
    me = officer("OPS")
    claim = add_by_document(member=me, name_th="กิจการของฉันเอง")
    with pytest.raises(OperatorError) as refused:
        holding_decide(officer=me, holding_id=claim.pk, approve=True)
    assert refused.value.code == "own_case"
    claim.refresh_from_db()
    assert claim.status == "not_verified" and claim.decided_by is None
    assert claim.business.name_th == ""
    assert not AuditEntry.objects.filter(action="holding.verified").exists()


def test_adm_01_an_officer_cannot_decide_their_own_member_request():
    """ADM-01: An officer cannot decide their own member request."""
    me = officer("OPS")
    filed = name_change(me)
    with pytest.raises(AccountError) as refused:
        member_request_decide(officer=me, member_request=filed, approve=False, note="ไม่")
    assert refused.value.code == "own_case"
    filed.refresh_from_db()
    assert filed.status == "pending"


def test_adm_01_an_officer_cannot_reset_their_own_two_factor():
    """ADM-01: An officer cannot reset their own two factor."""
    me = officer("OPS")
    enrol_authenticator(me)
    with pytest.raises(TwoFactorError) as refused:
        two_factor_reset_by_officer(officer=me, member=me, identity_checked="บัตร")
    assert refused.value.code == "own_case"
    assert TwoFactorDevice.objects.filter(member=me).exists()


@pytest.mark.parametrize("role", ["target", "requester"])
def test_adm_01_an_officer_cannot_decide_a_removal_about_them_or_filed_by_them(role):
    """ADM-01: An officer cannot decide a removal about them or filed by them."""
    me = officer("OPS")
    claim = company_claim(MemberFactory())
    claim.status = "verified"
    claim.save()
    target = co_holder(claim.business, me if role == "target" else None)
    filed = removal(claim.business, target, claim.member if role == "target" else me)
    with pytest.raises(OperatorError) as refused:
        holder_removal_request_decide(officer=me, request_id=filed.pk, approve=True)
    assert refused.value.code == "own_case"
    filed.refresh_from_db()
    target.refresh_from_db()
    assert filed.status == "pending" and target.removed_at is None


# --- SSO-04: officers log in with two-factor authentication --------------------------------


def test_sso_04_a_decision_from_a_web_session_without_a_second_factor_is_refused():
    """SSO-04: A decision from a web session without a second factor is refused."""
    ops = officer("OPS")
    claim = add_by_document(member=MemberFactory(), name_th="สหกรณ์ทดสอบ")
    web = Acting(actor=ops, officer=acting(ops).officer, channel="web", two_factor=False)
    with pytest.raises(OperatorError) as refused:
        holding_decide(officer=ops, holding_id=claim.pk, approve=True, acting=web)
    assert refused.value.code == "two_factor"
    claim.refresh_from_db()
    assert claim.status == "not_verified"


def test_sso_04_an_officer_without_an_authenticator_is_sent_to_enrol(robot):
    """SSO-04: An officer without an authenticator is sent to enrol."""
    ops = officer("OPS")
    desk = signed_in(robot, ops, second_factor=False)
    for url in ("/backoffice/", "/backoffice/businesses/", "/backoffice/member-requests/"):
        response = desk.get(url)
        assert (response.status_code, response["Location"]) == (302, "/accounts/two-factor/")


def test_sso_04_an_officer_whose_session_passed_no_code_reaches_no_back_office_page(robot):
    """SSO-04: An officer whose session passed no code reaches no back office page."""
    ops = officer("OPS")
    desk = signed_in(robot, ops, second_factor=False)
    enrol_authenticator(ops)  # switched on in another session: this one never gave a code
    assert desk.get("/backoffice/").status_code == 403
    assert desk.get("/backoffice/businesses/").status_code == 403


def test_sso_04_an_officer_who_logged_in_with_a_code_reaches_the_back_office(robot):
    """SSO-04: An officer who logged in with a code reaches the back office."""
    desk = signed_in(robot, officer("OPS"))
    assert desk.get("/backoffice/").status_code == 200


def test_sso_04_adm_02_a_reset_tells_the_member_on_every_verified_channel(
    outbox, django_capture_on_commit_callbacks
):
    """SSO-04, ADM-02: A reset tells the member on every verified channel."""
    ops = officer("OPS")
    member = MemberFactory(verified=True)
    enrol_authenticator(member)
    with django_capture_on_commit_callbacks(execute=True):
        two_factor_reset_by_officer(officer=ops, member=member, identity_checked="เห็นบัตรตัวจริง")
    assert not TwoFactorDevice.objects.filter(member=member).exists()
    assert [m.channel for m in outbox.messages(to=member.mobile)] == ["sms"]
    assert [m.channel for m in outbox.messages(to=member.email)] == ["email"]


def test_sso_04_a_reset_tells_no_unverified_channel(outbox, django_capture_on_commit_callbacks):
    """SSO-04: A reset tells no unverified channel."""
    ops = officer("OPS")
    member = MemberFactory(verified=False)
    enrol_authenticator(member)
    with django_capture_on_commit_callbacks(execute=True):
        two_factor_reset_by_officer(officer=ops, member=member, identity_checked="เห็นบัตรตัวจริง")
    assert outbox.messages(to=member.mobile) == []
    assert outbox.messages(to=member.email) == []


# --- ADM-03: principal, actor and channel of every audit row -------------------------------


def test_adm_03_an_officer_decision_records_actor_principal_and_channel(robot):
    """ADM-03: An officer decision records actor principal and channel."""
    ops = officer("OPS")
    claim = add_by_document(member=MemberFactory(), name_th="สหกรณ์ทดสอบ")
    desk = signed_in(robot, ops)
    response = desk.post(f"/backoffice/businesses/{claim.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="holding.verified")
    assert (entry.actor, entry.actor_role, entry.principal, entry.channel) == (
        ops,
        "officer",
        f"member:{ops.pk}",
        "web",
    )
    assert entry.ip_address == "127.0.0.1"
    added = AuditEntry.objects.get(action="business.add")
    assert (added.actor, added.principal, added.channel) == (
        claim.member,
        f"member:{claim.member_id}",
        "system",
    )
    history = desk.get(f"/backoffice/businesses/{claim.pk}/").content.decode()
    assert "holding.verified" in history and "web" in history
