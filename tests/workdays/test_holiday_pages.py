"""PRM-07: the officers' holiday table pages (the service's own tests prove the checks and
the audit): who sees what, a Buddhist-era year, an entry added and removed through them."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from portal.backoffice.services import officer_appoint
from portal.core.acting import TWO_FACTOR_SESSION_KEY
from portal.workdays.models import ExtraHoliday
from portal.workdays.selectors import is_working_day
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def officer_client(permissions=("workdays.change_extraholiday",)):
    member = MemberFactory(verified=True)
    with transaction.atomic():
        officer_appoint(member=member, agency="DIW", permissions=list(permissions))
    client = Client()
    client.force_login(member)
    session = client.session
    session[TWO_FACTOR_SESSION_KEY] = 1.0
    session.save()
    return client


def test_prm_07_every_officer_reads_the_year_only_the_right_changes_it():
    """PRM-07: an officer without workdays.change_extraholiday reads the holidays of a year
    (asked in the Buddhist era) but has no add link and no add page."""
    client = officer_client(permissions=())
    page = client.get("/backoffice/holidays/?year=2569")
    assert page.status_code == 200
    text = page.content.decode()
    assert "วันหยุดปี พ.ศ. 2569" in text
    assert 'data-holiday="2026-12-07"' in text  # the substitute day of 5 December
    assert 'data-holiday="2026-05-01"' not in text  # Labour Day: offices open
    assert "/backoffice/holidays/add/" not in text
    assert client.get("/backoffice/holidays/add/").status_code == 404


def test_prm_07_an_officer_adds_and_removes_an_entry_through_the_pages(
    django_capture_on_commit_callbacks,
):
    """PRM-07: the form adds an extra day off (dates typed in the Buddhist era), the list shows
    it as the officer's, and the removal asks before it removes."""
    client = officer_client()
    empty = client.post("/backoffice/holidays/add/", {})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            "/backoffice/holidays/add/",
            {
                "day_0": "10",
                "day_1": "3",
                "day_2": "2570",
                "kind": "holiday",
                "name_th": "วันหยุดพิเศษ",
                "name_en": "Special holiday",
            },
        )
    assert added.status_code == 302 and added["Location"].endswith("?year=2027")
    entry = ExtraHoliday.objects.get()
    assert entry.day == dt.date(2027, 3, 10) and not is_working_day(entry.day)
    listed = client.get(added["Location"]).content.decode()
    assert 'data-holiday="2027-03-10" data-source="officer"' in listed
    confirm = client.get(f"/backoffice/holidays/{entry.pk}/remove/")
    assert confirm.status_code == 200 and ExtraHoliday.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(f"/backoffice/holidays/{entry.pk}/remove/")
    assert removed.status_code == 302
    assert not ExtraHoliday.objects.exists()
    assert is_working_day(dt.date(2027, 3, 10))


def test_prm_07_the_form_shows_the_services_refusal_beside_the_date():
    """PRM-07: a day that is already a holiday is refused on the form, with its name."""
    client = officer_client()
    page = client.post(
        "/backoffice/holidays/add/",
        {
            "day_0": "1",
            "day_1": "1",
            "day_2": "2570",
            "kind": "holiday",
            "name_th": "ก",
            "name_en": "A",
        },
    )
    assert page.status_code == 200
    assert "วันนี้เป็นวันหยุดอยู่แล้ว: วันขึ้นปีใหม่" in page.content.decode()
    assert not ExtraHoliday.objects.exists()
