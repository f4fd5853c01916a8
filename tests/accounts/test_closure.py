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


# --- closing ends the member's holdings (ACC-15) ---------------------------------------------


def _queues(officer):
    from portal.accounts import selectors as account_selectors
    from portal.core.acting import system_acting
    from portal.operators import selectors as operator_selectors

    acting = system_acting(actor=officer)
    return (
        list(operator_selectors.holdings_awaiting_verification(acting=acting)),
        list(operator_selectors.holder_removals_awaiting_decision(acting=acting)),
        list(account_selectors.pending_member_requests(acting=acting)),
    )


def test_acc_15_closing_leaves_every_business_and_withdraws_pending_claims(
    client, robot, officer_factory
):
    """ACC-15: the closed member leaves every business's list of holders (no nameless row
    stays), their claims awaiting an officer leave the queues (a business added by document,
    a request to take someone off, a name change), as does a request to take them off."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.accounts.models import MemberRequest
    from portal.operators import selectors as operator_selectors
    from portal.operators import services as operator_services
    from portal.operators.models import HolderRemovalRequest
    from tests.factories import HoldingFactory
    from tests.operators.helpers import PDF, add_by_document

    officer = officer_factory(
        permissions=("accounts.review_member_request", "operators.verify_holding")
    )
    closing, staying, third = MemberFactory(), MemberFactory(), MemberFactory()
    shared = HoldingFactory(member=closing)
    kept = HoldingFactory(member=staying, business=shared.business)
    other = HoldingFactory(member=third, business=shared.business)
    claim = add_by_document(member=closing, name_th="สหกรณ์ทดสอบการปิดบัญชี")
    asked = operator_services.holder_removal_request_file(
        member=closing,
        holding_id=shared.pk,
        target_holding_id=other.pk,
        reason="ลาออกแล้ว",
        letter=SimpleUploadedFile("letter.pdf", PDF),
        extension="pdf",
    )
    against = operator_services.holder_removal_request_file(
        member=staying,
        holding_id=kept.pk,
        target_holding_id=shared.pk,
        reason="ลาออกแล้ว",
        letter=SimpleUploadedFile("letter.pdf", PDF),
        extension="pdf",
    )
    MemberRequest.objects.create(
        kind=MemberRequest.Kind.NAME_CHANGE, member=closing, details_encrypted="x"
    )
    holdings, removals, requests = _queues(officer)
    assert claim in holdings and {asked, against} <= set(removals) and requests

    login(client, robot, closing.national_id)
    close(client)

    holders = operator_selectors.business_holders(business=shared.business)
    assert {h.member_id for h in holders} == {staying.pk, third.pk}
    assert operator_selectors.member_holdings(member=closing).count() == 0
    holdings, removals, requests = _queues(officer)
    assert claim not in holdings
    assert asked not in removals and against not in removals
    assert requests == []
    assert MemberRequest.objects.get(member=closing).status == "withdrawn"
    for filed in (asked, against):
        filed.refresh_from_db()
        assert filed.status == HolderRemovalRequest.Status.REJECTED and filed.decided_by is None
        assert filed.decision_note
    # The co-holders keep theirs; the record of who held what stays.
    assert operator_selectors.member_holdings(member=staying).count() == 1
    shared.refresh_from_db()
    assert shared.removed_at is not None
    assert AuditEntry.objects.filter(action="holder_removal.withdrawn").count() == 2


def test_acc_15_a_sole_proprietorship_nobody_else_holds_leaves_with_the_member(
    client, robot, world
):
    """ACC-15: the member's own sole proprietorship, held by no one else, leaves with them
    (its encrypted ID, names and contacts erased); one another member also holds stays as it
    is. Re-added later (BIZ-02), it comes back with DOPA's data."""
    from portal.operators import services as operator_services
    from portal.operators.models import Business
    from tests.factories import BusinessFactory, HoldingFactory

    citizen = world.add_citizen()
    register(client, citizen)
    member = Member.objects.get()
    own = operator_services.business_add_myself(member=member, trade_name_th="ร้านทดสอบ")
    own.business.phone = "021234567"
    own.business.save()
    shared_person = BusinessFactory(natural_person=True)
    HoldingFactory(member=member, business=shared_person, proof="id_card")
    HoldingFactory(business=shared_person, proof="id_card")
    client.post("/accounts/logout/")
    login(client, robot, citizen["pid"])
    close(client)

    left = Business.objects.get(pk=own.business_id)
    assert (left.pid_encrypted, left.name_th, left.trade_name_th, left.phone) == ("", "", "", "")
    stays = Business.objects.get(pk=shared_person.pk)
    assert stays.pid_encrypted and stays.name_th
    # Someone adding that person again (BIZ-02, with the card) restores it from DOPA.
    adder = MemberFactory()
    operator_services.business_add_natural_person(
        member=adder, pid=citizen["pid"], laser_code=citizen["laser_code"]
    )
    left.refresh_from_db()
    assert left.pid_encrypted and left.name_th == "นายสมชาย ใจดี"


def test_acc_15_the_faq_says_a_reopened_account_signs_in_with_thaid_or_a_reset(client):
    """ACC-15: the FAQ's answer on a closed username says that after reopening the member
    logs in with ThaID or sets a new password by "Forgot password" (the old one is erased)."""
    from portal.services.faq import faq_entries

    entry = next(e for e in faq_entries() if e["id"] == "account-closed-message")
    assert "ThaID" in entry["answer_th"] and "ลืมรหัสผ่าน" in entry["answer_th"]
    assert "รหัสผ่านเดิมใช้ไม่ได้" in entry["answer_th"]
    assert "ThaID" in entry["answer_en"] and "old password no longer works" in entry["answer_en"]
    page = client.get("/services/faq/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "รหัสผ่านเดิมใช้ไม่ได้" in page
