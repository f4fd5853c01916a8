"""The services menu and the hand-off: SVC-01 (four categories), SVC-02 (choose, proceed,
consent, open), SVC-03 (profile readiness), SSO-10 (consents listed and withdrawable)."""

import pytest
from django.utils import translation

from portal.identity.models import ConnectedSystem, SignIn
from portal.operators import services as operator_services
from portal.operators.models import Holding
from portal.services.models import SystemConsent
from tests import sso
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = MemberFactory()
    client.force_login(member)
    return member


def juristic(member, *, status=Holding.Status.VERIFIED, name="บริษัท ทดสอบ จำกัด") -> Holding:
    return HoldingFactory(member=member, business=BusinessFactory(name_th=name), status=status)


def test_svc_01_four_categories_on_the_home_page_the_member_page_and_the_menu(client):
    """SVC-01: Four categories on the home page the member page and the menu."""
    sso.make_system()
    for page in (client.get("/").content.decode(), client.get("/services/").content.decode()):
        for category in ("Digital Survey", "Digital Payment", "Digital License", "Digital Service"):
            assert category in page
    menu = client.get("/services/").content.decode()
    assert "/services/test-system/" in menu
    client.force_login(MemberFactory())
    assert "Digital Payment" in client.get("/").content.decode()


def test_svc_01_only_systems_with_a_client_are_offered(client, member):
    """SVC-01: Only systems with a client are offered."""
    unconnected = ConnectedSystem.objects.create(
        slug="not-yet", name_th="ยังไม่เชื่อม", name_en="Not yet", agency="DIW", category="license"
    )
    assert f"/services/{unconnected.slug}/" not in client.get("/services/").content.decode()
    assert client.get(f"/services/{unconnected.slug}/").status_code == 404


def test_svc_03_readiness_says_what_is_missing_before_the_handoff(client, member):
    """SVC-03: Readiness says what is missing before the handoff."""
    needs_business = sso.make_system("needs-business")
    needs_factory = sso.make_system("needs-factory", needs_factory=True)
    juristic_only = sso.make_system("juristic-only", business_kinds=["juristic_person"])
    anyone = sso.make_system("anyone", needs_business=False)

    page = client.get(f"/services/{needs_business.slug}/").content.decode()
    assert "/businesses/add/" in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    assert client.post(f"/services/{needs_business.slug}/").status_code == 200
    assert "service_handoffs" not in client.session

    operator_services.business_add_myself(member=member)  # a natural person
    page = client.get(f"/services/{juristic_only.slug}/").content.decode()
    assert "/businesses/add/" in page
    page = client.get(f"/services/{needs_factory.slug}/").content.decode()
    assert "/factories/add/" in page
    page = client.get(f"/services/{needs_business.slug}/").content.decode()
    assert 'name="holding"' in page

    juristic(member, status=Holding.Status.NOT_VERIFIED)
    page = client.get(f"/services/{juristic_only.slug}/").content.decode()
    assert "/businesses/" in page and 'name="holding"' not in page

    menu = client.get("/services/").content.decode()
    assert menu.count("badge-warn") == 2  # juristic-only and needs-factory
    assert "/services/anyone/" in menu and anyone.needs_business is False


def test_svc_03_menu_costs_the_same_queries_whatever_the_profile(
    client, member, django_assert_max_num_queries
):
    """SVC-03: Menu costs the same queries whatever the profile."""
    for slug in ("a", "b", "c"):
        sso.make_system(slug)
    for _ in range(3):
        juristic(member)
    with django_assert_max_num_queries(12) as small:
        client.get("/services/")
    for _ in range(30):
        juristic(member)
    for slug in ("d", "e", "f", "g"):
        sso.make_system(slug)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/services/")


def test_svc_02_proceed_consent_then_open_with_the_chosen_business(client, member):
    """SVC-02: Proceed consent then open with the chosen business."""
    system = sso.make_system()
    first, second = juristic(member, name="บริษัท หนึ่ง จำกัด"), juristic(member, name="บริษัท สอง")
    response = client.post(f"/services/{system.slug}/", {})
    assert response.status_code == 200
    assert "Choose the business" in response.content.decode() or "เลือกกิจการ" in (
        response.content.decode()
    )
    # Another member's business is not a choice.
    stranger = juristic(MemberFactory())
    assert client.post(f"/services/{system.slug}/", {"holding": stranger.pk}).status_code == 200
    # The open page is not reachable before proceeding and consenting.
    assert client.get(f"/services/{system.slug}/open/")["Location"] == f"/services/{system.slug}/"

    response = client.post(f"/services/{system.slug}/", {"holding": second.pk})
    assert response["Location"] == f"/services/{system.slug}/consent/"
    page = client.get(f"/services/{system.slug}/consent/").content.decode()
    assert ("ระบบทดสอบ" in page and "version 1" in page) or "ฉบับที่ 1" in page
    assert client.get(f"/services/{system.slug}/open/")["Location"] == f"/services/{system.slug}/"

    response = client.post(f"/services/{system.slug}/consent/", {"answer": "accept"})
    assert response["Location"] == f"/services/{system.slug}/open/"
    page = client.get(f"/services/{system.slug}/open/").content.decode()
    assert second.business.name_th in page and first.business.name_th not in page
    assert 'target="_blank"' in page and 'rel="noopener"' in page
    assert SystemConsent.objects.filter(member=member, system=system, version=1).count() == 1

    # Consent given once is not asked again; a new version is.
    response = client.post(f"/services/{system.slug}/", {"holding": first.pk})
    assert response["Location"] == f"/services/{system.slug}/open/"
    ConnectedSystem.objects.filter(pk=system.pk).update(consent_version=2)
    response = client.post(f"/services/{system.slug}/", {"holding": first.pk})
    assert response["Location"] == f"/services/{system.slug}/consent/"


def test_svc_02_no_consent_no_handoff(client, member):
    """SVC-02: No consent no handoff."""
    system = sso.make_system()
    holding = juristic(member)
    client.post(f"/services/{system.slug}/", {"holding": holding.pk})
    # No answer at all: the page says so and nothing is recorded.
    response = client.post(f"/services/{system.slug}/consent/", {})
    assert response.status_code == 200 and response.context["form"].errors["answer"]
    assert 'class="errors"' in response.content.decode()
    response = client.post(f"/services/{system.slug}/consent/", {"answer": "refuse"}, follow=True)
    assert not SystemConsent.objects.exists()
    assert response.redirect_chain[-1][0] == f"/services/{system.slug}/"
    assert client.get(f"/services/{system.slug}/open/")["Location"] == f"/services/{system.slug}/"
    # Nor can the system sign the member in: it gets the consent page, not a code.
    flow = sso.Flow(system)
    assert client.get(flow.authorize_url()).status_code == 200


def test_sso_10_consents_are_listed_and_withdrawing_one_ends_the_system_sign_ins(client, member):
    """SSO-10: Consents are listed and withdrawing one ends the system sign ins."""
    system = sso.make_system()
    holding = juristic(member)
    flow = sso.Flow(system)
    client.get(flow.authorize_url())
    flow.code_from(flow.approve(client, holding=holding))
    consent = SystemConsent.objects.get(member=member)

    page = client.get("/accounts/sessions/").content.decode()
    assert "ระบบทดสอบ" in page and f'value="{consent.pk}"' in page

    # Another member cannot withdraw it.
    other = MemberFactory()
    client.force_login(other)
    assert client.post("/accounts/sessions/", {"withdraw": consent.pk}).status_code == 404
    client.force_login(member)

    response = client.post("/accounts/sessions/", {"withdraw": consent.pk})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert SignIn.objects.get(member=member).ended_at is not None
    assert f'value="{consent.pk}"' not in client.get("/accounts/sessions/").content.decode()
    # The next sign-in asks for consent again.
    assert client.get(sso.Flow(system).authorize_url()).status_code == 200


def test_sso_10_ending_another_session_ends_its_sign_ins(client, member):
    """SSO-10: Ending another session ends its sign ins."""
    from django.test import Client

    from portal.identity.models import MemberSession

    system = sso.make_system(needs_business=False)
    other_device = Client()
    other_device.force_login(member)
    MemberSession.objects.create(member=member, session_key=other_device.session.session_key)
    flow = sso.Flow(system)
    other_device.get(flow.authorize_url())
    flow.code_from(flow.approve(other_device))
    row = SignIn.objects.get(member=member)
    assert row.session_key == other_device.session.session_key

    client.post("/accounts/sessions/", {"end": "others"})
    row.refresh_from_db()
    assert row.ended_at is not None


def readiness_marks(client, system) -> list[tuple[str, str]]:
    checklist = client.get(f"/services/{system.slug}/").context["readiness"].checklist
    return [(check.code, check.state) for check in checklist]


def test_svc_03_readiness_marks_what_is_done_as_well_as_what_is_missing(client, member):
    """SVC-03: the readiness list marks each requirement done, missing (the first one not met,
    with its link) or waiting for the one above, and the page shows the marks in words."""
    system = sso.make_system(
        "juristic-factory", business_kinds=["juristic_person"], needs_factory=True
    )
    assert readiness_marks(client, system) == [
        ("business", "missing"),
        ("business_kind", "later"),
        ("verification", "later"),
        ("factory", "later"),
    ]
    holding = juristic(member, status=Holding.Status.NOT_VERIFIED)
    assert readiness_marks(client, system) == [
        ("business", "done"),
        ("business_kind", "done"),
        ("verification", "missing"),
        ("factory", "later"),
    ]
    Holding.objects.filter(pk=holding.pk).update(status=Holding.Status.VERIFIED)
    assert readiness_marks(client, system) == [
        ("business", "done"),
        ("business_kind", "done"),
        ("verification", "done"),
        ("factory", "missing"),
    ]
    page = client.get(f"/services/{system.slug}/").content.decode()
    listed = page.split('data-testid="readiness"')[1].split("</ul>")[0]
    assert listed.count("check-done") == 3 and listed.count("check-missing") == 1
    with translation.override("th"):
        assert translation.gettext("Done") in listed and translation.gettext("Missing") in listed


def test_svc_03_a_service_needing_nothing_is_all_done(client, member):
    """SVC-03: a service that needs no business has no requirement left and says so."""
    system = sso.make_system("anyone", needs_business=False)
    assert readiness_marks(client, system) == []
    page = client.get(f"/services/{system.slug}/")
    assert page.context["readiness"].ready is True
    with translation.override("th"):
        assert translation.gettext("No business is needed.") in page.content.decode()
