"""Each form page asks one thing (issue 9): a company's directors are a question of their own
before the path's form; removing a business is confirmed on a page that says what is lost."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core import thaidate
from portal.operators import services
from portal.operators.models import Holding
from tests.accounts.helpers import login
from tests.factories import MemberFactory
from tests.operators.helpers import PDF

pytestmark = pytest.mark.django_db

DETAILS = "/businesses/add/details/"


@pytest.fixture
def member(client, robot):
    member = MemberFactory()
    login(client, robot, member.national_id)
    client.post("/businesses/add/", {"kind": "juristic_person"})
    return member


def _foreign_company(world):
    director = {"passport_no": "JP7654321", "name_en": "Ken Sato", "nationality": "JP"}
    return world.add_juristic_person(directors=[{**director, "can_sign": True}])


def test_biz_04_a_company_asks_first_whether_it_has_a_thai_director(client, member):
    """BIZ-04, BIZ-05: the question alone, at step 2 of 3; no field of either path yet."""
    page = client.get(DETAILS).content.decode()
    assert 'name="directors"' in page
    assert 'name="juristic_id"' not in page and 'type="file"' not in page
    assert re.search(r'aria-current="step">\s*<span class="step-number"[^>]*>2<', page)
    refused = client.post(DETAILS, {})
    assert refused.context["form"].errors["directors"] == ["กรุณาเลือกวิธียืนยันข้อมูลบริษัท"]


def test_biz_04_the_thai_director_path_shows_its_form_only(client, member):
    """BIZ-04: the answer "Thai" leads to the director's national ID, and back to the question."""
    assert client.post(DETAILS, {"directors": "thai"})["Location"] == DETAILS
    page = client.get(DETAILS).content.decode()
    assert 'name="director_pid"' in page and 'type="file"' not in page
    again = client.get(DETAILS + "?change=directors").content.decode()
    assert 'name="directors"' in again


def test_biz_05_the_foreign_path_takes_a_buddhist_era_date(client, member, world):
    """BIZ-05: by a foreign director's document: passport and its validity, the year in the Buddhist
    era on a Thai page; the company is added Not Verified."""
    company = _foreign_company(world)
    client.post(DETAILS, {"directors": "foreign"})
    page = client.get(DETAILS).content.decode()
    assert 'name="director_pid"' not in page and 'type="file"' in page
    assert 'type="date"' not in page
    valid_until = dt.date.today() + dt.timedelta(days=200)
    response = client.post(
        DETAILS,
        {
            "juristic_id": company["juristic_id"],
            "document_kind": "passport",
            "expires_on_0": str(valid_until.day),
            "expires_on_1": str(valid_until.month),
            "expires_on_2": str(thaidate.ce_to_be(valid_until.year)),
            "document": SimpleUploadedFile("passport.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    holding = Holding.objects.get(member=member)
    assert holding.status == Holding.Status.NOT_VERIFIED
    assert holding.documents.get().expires_on == valid_until


def test_biz_05_a_wrong_date_keeps_what_was_typed(client, member, world):
    """BIZ-05: 31 February is refused beside the date, the parts stay as chosen and typed."""
    company = _foreign_company(world)
    client.post(DETAILS, {"directors": "foreign"})
    response = client.post(
        DETAILS,
        {
            "juristic_id": company["juristic_id"],
            "document_kind": "passport",
            "expires_on_0": "31",
            "expires_on_1": "2",
            "expires_on_2": "2575",
            "document": SimpleUploadedFile("passport.pdf", PDF),
        },
    )
    form = response.context["form"]
    assert form.errors["expires_on"] == ["ใช้ได้ถึงวันที่ต้องเป็นวันที่ที่มีอยู่จริง"]
    page = response.content.decode()
    assert re.search(r'name="expires_on_2"[^>]*value="2575"', page)
    assert re.search(r'<option value="31" selected>', page)
    assert 'href="#id_expires_on_0"' in page  # the summary leads to the date's first part
    # A browser cannot be given the file back: the page asks for it again and says why.
    assert "กรุณาเลือกไฟล์อีกครั้ง" in page


def test_biz_10_removing_a_business_is_confirmed_with_a_warning(client, robot):
    """BIZ-10: the detail page links to a confirmation page: warning text, what is lost, a
    red button; only the POST removes."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    holding = services.business_add_myself(member=member)
    detail = client.get(f"/businesses/{holding.pk}/").content.decode()
    assert f'href="/businesses/{holding.pk}/remove/"' in detail
    confirm = client.get(f"/businesses/{holding.pk}/remove/").content.decode()
    assert 'class="warning-text"' in confirm and "สิ่งที่ท่านจะเสียไป" in confirm
    assert re.search(r'<button type="submit" class="button button-danger">', confirm)
    holding.refresh_from_db()
    assert holding.removed_at is None
    client.post(f"/businesses/{holding.pk}/remove/")
    holding.refresh_from_db()
    assert holding.removed_at is not None


def test_acc_15_closing_the_account_warns_and_says_what_is_lost(client, robot):
    """ACC-15: the closing page warns (icon and bold text) and lists what is lost."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    page = client.get("/accounts/settings/close/").content.decode()
    assert 'class="warning-text"' in page and "สิ่งที่ท่านจะเสียไป" in page
    assert "button button-danger" in page
