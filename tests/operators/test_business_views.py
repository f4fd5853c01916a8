import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.core.models import AuditEntry
from portal.operators import services
from portal.operators.models import Business, Holding
from portal.operators.selectors import member_has_business
from tests.accounts.helpers import login
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory
from tests.operators.helpers import add_by_document, co_holder

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, robot):
    member = MemberFactory()
    login(client, robot, member.national_id)
    return member


def test_biz_01_first_login_without_business_opens_add_business(client, robot):
    """BIZ-01: First login without business opens add business."""
    member = MemberFactory()
    response = login(client, robot, member.national_id)
    assert response["Location"] == "/businesses/add/"
    services.business_add_myself(member=member)
    client.post("/accounts/logout/")
    assert login(client, robot, member.national_id)["Location"] == "/"


def test_biz_01_a_member_who_skipped_adding_a_business_is_not_sent_there_again(client, robot):
    """BIZ-01: only the first login opens "add business"; a member who skipped it lands on
    the dashboard at the next login, and the dashboard offers "add business"."""
    member = MemberFactory()
    assert login(client, robot, member.national_id)["Location"] == "/businesses/add/"
    client.post("/accounts/logout/")
    assert login(client, robot, member.national_id)["Location"] == "/"
    assert not member_has_business(member=member)
    assert 'href="/businesses/add/"' in client.get("/").content.decode()


def test_biz_02_add_myself_through_the_pages(client, member):
    """BIZ-02: Add myself through the pages."""
    assert client.post("/businesses/add/", {"kind": "natural_person"})["Location"] == (
        "/businesses/add/details/"
    )
    response = client.post("/businesses/add/details/", {"who": "myself"})
    assert response["Location"] == "/businesses/add/done/"
    page = client.get("/businesses/add/done/")
    assert page.context["holding"].status == "verified"
    assert member.display_name in client.get("/businesses/").content.decode()


def test_biz_03_trade_name_is_offered_and_chosen(client, member, world):
    """BIZ-03: Trade name is offered and chosen."""
    import json

    (world.path / "commercial_registrations.jsonl").write_text(
        json.dumps(
            {
                "registration_no": "3100000000001",
                "owner_pid": member.national_id,
                "trade_name_th": "ร้านทดสอบการช่าง",
                "status": "active",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    client.post("/businesses/add/", {"kind": "natural_person"})
    response = client.post("/businesses/add/details/", {"who": "myself"})
    assert response["Location"] == "/businesses/add/name/"
    page = client.get("/businesses/add/name/")
    labels = [label for _, label in page.context["form"].fields["name"].choices]
    assert "ร้านทดสอบการช่าง" in labels and member.display_name in labels[0]
    made_up = client.post("/businesses/add/name/", {"name": "9"})
    assert made_up.status_code == 200 and made_up.context["form"].errors["name"]
    assert not Holding.objects.filter(member=member).exists()
    client.post("/businesses/add/name/", {"name": "1"})
    assert Holding.objects.get(member=member).business.display_name == "ร้านทดสอบการช่าง"


def test_biz_02_another_person_needs_id_and_laser_code(client, member, world):
    """BIZ-02: Another person needs ID and laser code."""
    client.post("/businesses/add/", {"kind": "natural_person"})
    response = client.post("/businesses/add/details/", {"who": "other"})
    errors = response.context["form"].errors
    assert "pid" in errors and "laser_code" in errors
    citizen = world.add_citizen(laser_code="JT0-1234567-89", card_status="lost")
    response = client.post(
        "/businesses/add/details/",
        {"who": "other", "pid": citizen["pid"], "laser_code": "JT0-1234567-89"},
    )
    assert response.context["form"].errors["laser_code"]
    assert Holding.objects.count() == 0


def test_biz_06_upload_is_checked_by_content(client, member, world):
    """BIZ-06: Upload is checked by content."""
    client.post("/businesses/add/", {"kind": "other_law"})
    client.post("/businesses/add/details/", {"number": "0994000158378"})
    fake = SimpleUploadedFile("pp20.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        "/businesses/add/details/",
        {"name_th": "สหกรณ์", "document_kind": "rd_document", "document": fake},
    )
    assert response.context["form"].errors["document"]
    assert Holding.objects.count() == 0


def test_biz_08_contacts_are_edited_registry_data_is_not(client, member):
    """BIZ-08: each part of the contacts is edited on its own; registry data is not."""
    holding = services.business_add_myself(member=member)
    url = f"/businesses/{holding.pk}/"
    bad = client.post(url, {"section": "person", "contact_person_mobile": "123"})
    assert {"contact_person_mobile", "contact_person_email"} <= set(bad.context["form"].errors)
    bad = client.post(url, {"section": "position", "latitude": "50", "longitude": "100"})
    assert set(bad.context["form"].errors) == {"latitude"}
    sent = [
        {"section": "contacts", "phone": "021234567", "website": "https://example.co.th"},
        {"section": "address", "contact_address": "99 ถนนพระราม 6 กรุงเทพมหานคร"},
        {"section": "position", "latitude": "13.7563", "longitude": "100.5018"},
        {
            "section": "person",
            "contact_person_name": "คุณติดต่อ",
            "contact_person_mobile": "0812345678",
            "contact_person_email": "contact@example.co.th",
            "name_th": "ชื่อที่แก้เอง",
        },
    ]
    for data in sent:
        assert client.post(url, data).status_code == 302
    business = Business.objects.get(pk=holding.business_id)
    assert business.phone == "021234567"
    assert business.contact_address == {"text": "99 ถนนพระราม 6 กรุงเทพมหานคร"}
    assert str(business.latitude) == "13.756300"
    assert business.contact_person_mobile == "0812345678"
    assert business.name_th != "ชื่อที่แก้เอง"
    assert AuditEntry.objects.filter(action="business.contacts").count() == 4


def test_biz_08_a_phone_number_is_changed_with_nothing_else(client, member):
    """BIZ-08: changing the phone number needs no contact person, no address, no position;
    what was saved before stays, and the audit names the phone only."""
    holding = services.business_add_myself(member=member)
    url = f"/businesses/{holding.pk}/"
    client.post(
        url,
        {
            "section": "person",
            "contact_person_name": "คุณติดต่อ",
            "contact_person_mobile": "0812345678",
            "contact_person_email": "contact@example.co.th",
        },
    )
    client.post(url, {"section": "address", "contact_address": "99 ถนนพระราม 6"})
    response = client.post(url, {"section": "contacts", "phone": "02 123 4567"})
    assert response.status_code == 302, response.context["form"].errors
    business = Business.objects.get(pk=holding.business_id)
    assert business.phone == "02 123 4567"
    assert business.contact_person_email == "contact@example.co.th"
    assert business.contact_address == {"text": "99 ถนนพระราม 6"}
    last = AuditEntry.objects.filter(action="business.contacts").latest("pk")
    assert set(last.after) == {"phone"}
    # A part the page does not have is not a way round the forms: nothing changes.
    assert client.post(url, {"section": "name_th", "name_th": "x"}).status_code == 200
    assert Business.objects.get(pk=holding.business_id).name_th == business.name_th


def test_biz_09_detail_lists_every_holder_respecting_privacy(client, member):
    """BIZ-09: Detail lists every holder respecting privacy."""
    holding = services.business_add_myself(member=member)
    other = MemberFactory(share_email_with_co_members=False, share_mobile_with_co_members=True)
    co_holder(holding.business, other)
    page = client.get(f"/businesses/{holding.pk}/").content.decode()
    assert other.display_name in page
    assert other.mobile in page and other.email not in page


def test_biz_10_remove_from_profile(client, member):
    """BIZ-10: Remove from profile."""
    holding = services.business_add_myself(member=member)
    response = client.post(f"/businesses/{holding.pk}/remove/")
    assert response["Location"] == "/businesses/"
    assert client.get(f"/businesses/{holding.pk}/").status_code == 404


def test_another_member_gets_404_on_every_business_page(client, member, robot):
    own = services.business_add_myself(member=member)
    with_document = add_by_document(member=member, kind="group_of_persons", name_th="คณะบุคคลทดสอบ")
    document = with_document.documents.get()
    document_url = f"/businesses/{with_document.pk}/documents/{document.pk}/"
    assert client.get(document_url).status_code == 200
    stranger = Client()
    login(stranger, robot, MemberFactory().national_id)
    assert stranger.get(f"/businesses/{own.pk}/").status_code == 404
    assert stranger.post(f"/businesses/{own.pk}/", {"phone": "1"}).status_code == 404
    assert stranger.post(f"/businesses/{own.pk}/remove/").status_code == 404
    assert stranger.get(document_url).status_code == 404
    assert Client().get(f"/businesses/{own.pk}/").status_code == 302
    own.refresh_from_db()
    assert own.removed_at is None and own.business.phone == ""


def test_business_list_has_a_constant_number_of_queries(client, member, django_assert_num_queries):
    services.business_add_myself(member=member)
    # session, member with its officer row, count, one page
    with django_assert_num_queries(4):
        client.get("/businesses/")
    for index in range(5):
        HoldingFactory(
            member=member,
            business=BusinessFactory(other=True, name_th=f"ธุรกิจ {index}"),
            pending=True,
        )
    with django_assert_num_queries(4):
        client.get("/businesses/")


def test_sso_09_login_shows_registry_changes_to_confirm(client, robot, world):
    """SSO-09: Login shows registry changes to confirm."""
    from tests.operators.test_juristic_and_community import thai

    member = MemberFactory()
    director = member.national_id
    company = world.add_juristic_person(directors=[thai(director)])
    services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    assert login(client, robot, member.national_id)["Location"] == "/"
    client.post("/accounts/logout/")
    world.juristic_persons[0]["name_th"] = "บริษัท เปลี่ยนชื่อแล้ว จำกัด"
    world._write("juristic_persons.jsonl", world.juristic_persons)
    # The login asks no registry; the comparison it queued ran at its commit, and the change
    # waits on the dashboard, then greets the next login.
    assert login(client, robot, member.national_id)["Location"] == "/"
    assert client.get("/").context["registry_changes_waiting"] is True
    client.post("/accounts/logout/")
    response = login(client, robot, member.national_id)
    assert response["Location"] == "/businesses/registry-changes/"
    page = client.get("/businesses/registry-changes/")
    assert "บริษัท เปลี่ยนชื่อแล้ว จำกัด" in page.content.decode()
    business = page.context["by_business"][0][0]
    client.post("/businesses/registry-changes/", {"business": business.pk})
    business.refresh_from_db()
    assert business.name_th == "บริษัท เปลี่ยนชื่อแล้ว จำกัด"
    assert client.get("/businesses/registry-changes/").context["by_business"] == []


def test_sso_09_registry_down_at_login_lets_the_member_in(client, robot, world):
    """SSO-09: Registry down at login lets the member in."""
    from portal.registries.failures import failure_set
    from tests.operators.test_juristic_and_community import thai

    member = MemberFactory()
    company = world.add_juristic_person(directors=[thai(member.national_id)])
    services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=member.national_id
    )
    failure_set("dbd", "down")
    try:
        assert login(client, robot, member.national_id)["Location"] == "/"
    finally:
        failure_set("dbd", None)


def test_business_detail_has_a_constant_number_of_queries(
    client, member, django_assert_max_num_queries
):
    holding = services.business_add_myself(member=member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/businesses/{holding.pk}/")
    for _ in range(12):
        co_holder(holding.business)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/businesses/{holding.pk}/")
    assert len(page.context["holders"]) == 13


def test_business_list_is_paged_for_large_profiles(client, member):
    for index in range(60):
        HoldingFactory(
            member=member,
            business=BusinessFactory(other=True, name_th=f"ธุรกิจ {index:02d}"),
            proof=Holding.Proof.DOCUMENT,
        )
    first = client.get("/businesses/")
    assert len(first.context["holdings"]) == 50
    second = client.get("/businesses/?page=2")
    assert len(second.context["holdings"]) == 10
    assert "?page=2" in first.content.decode()
