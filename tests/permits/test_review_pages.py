# ruff: noqa: F811 (the fixtures of officer_helpers, imported by name)
"""The officers' permit pages in the back office (issue 11): the queue of the agency and area
(ADM-01, ADM-02) with late and soon-late marked, the application page with the acts the step
allows, a deficiency record and a decision confirmed before the signed letter goes out."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.operators.models import FactoryHolding
from portal.permits.models import Application
from portal.permits.review_services import application_assign
from tests.backoffice.helpers import signed_in
from tests.factories import HoldingFactory
from tests.permits.officer_helpers import (  # noqa: F401 (fixtures)
    moved_clock,
    officer,
    procedures_dir,
    submit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("procedures_dir")]

MONDAY = dt.date(2026, 3, 2)


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year + 543}


def test_adm_02_the_queue_marks_late_and_soon_late_in_constant_queries(
    officer, robot, moved_clock, monkeypatch
):
    """ADM-02: the queue lists the area's applications by due date, the late one and the one
    due within 2 working days marked; more rows cost no more queries."""
    # The holiday calendar re-reads its version from the shared cache every few seconds (the
    # database cache in tests): on a loaded machine that would land in one count and not the
    # other. Here it is read once.
    monkeypatch.setattr("portal.workdays.calendar.CHECK_SECONDS", 3600.0)
    member, _ = officer("DIW")
    client = signed_in(robot, member)
    moved_clock(MONDAY)
    late = submit(on=MONDAY - dt.timedelta(days=7))
    soon = submit(on=MONDAY)
    submit(on=MONDAY + dt.timedelta(days=14))
    submit(province="ชลบุรี")
    page = client.get("/backoffice/permits/")
    assert page.status_code == 200
    items = page.context["items"]
    assert [i["application"].pk for i in items][:2] == [late.pk, soon.pk]
    assert [(i["late"], i["soon"]) for i in items] == [(True, False), (False, True), (False, False)]
    assert page.context["counts"]["late"] == 1
    with CaptureQueriesContext(connection) as few:
        client.get("/backoffice/permits/")
    for _ in range(5):
        submit(on=MONDAY)
    with CaptureQueriesContext(connection) as more:
        client.get("/backoffice/permits/")
    assert len(more) == len(few)
    mine = client.get("/backoffice/permits/?mine=on")
    assert mine.context["items"] == []


def test_adm_02_the_queue_pages_count_the_list_they_show(officer, robot):
    """ADM-02: the pages of the queue count what is listed: the whole queue and "assigned to
    me" from the queue's figures (no query of their own), a queue filtered by procedure by
    its own count."""
    member, acting = officer("DIW")
    client = signed_in(robot, member)
    applications = [submit() for _ in range(3)]
    submit(code="test-restart")
    submit(province="ชลบุรี")  # another area's: counted nowhere here
    application_assign(acting=acting, application_id=applications[0].pk, officer_id=member.pk)
    cases = {"": 4, "?mine=on": 1, "?procedure=test-relocation": 3}
    for query, listed in cases.items():
        page = client.get(f"/backoffice/permits/{query}")
        assert page.context["page"].paginator.count == listed, query
        assert len(page.context["items"]) == listed, query
    assert page.context["counts"]["open"] == 4 and page.context["counts"]["mine"] == 1
    past_the_end = client.get("/backoffice/permits/?mine=on&page=7")  # an old link
    assert past_the_end.context["page"].number == 1
    assert [i["application"].pk for i in past_the_end.context["items"]] == [applications[0].pk]


@pytest.mark.parametrize("holds", ["factory", "business"])
def test_adm_02_the_page_of_a_case_the_officer_holds_offers_no_act(officer, robot, holds):
    """ADM-02: an officer who holds the application's factory or its business in their
    profile sees the case without any act; a colleague who holds neither may act."""
    member, _ = officer("DIW")
    colleague, _ = officer("DIW")
    application = submit()
    holding = HoldingFactory(member=member, business=application.business)
    if holds == "factory":
        FactoryHolding.objects.create(member=member, factory=application.factory, holding=holding)
        holding.removed_at = timezone.now()  # the business alone no longer held
        holding.save(update_fields=["removed_at"])
    url = f"/backoffice/permits/{application.pk}/"
    own = signed_in(robot, member).get(url)
    assert own.status_code == 200
    assert own.context["own_case"] is True and own.context["actions"] == []
    other = signed_in(robot, colleague).get(url)
    assert other.context["own_case"] is False and "accept" in other.context["actions"]


def test_adm_01_another_province_gets_404_and_other_agencies_no_queue(officer, robot):
    """ADM-01: an application of another province does not exist for the officer; agencies that
    answer for no application have no queue."""
    application = submit(province="ชลบุรี")
    member, _ = officer("PIO", "ลำปาง")
    client = signed_in(robot, member)
    assert client.get(f"/backoffice/permits/{application.pk}/").status_code == 404
    assert client.post(f"/backoffice/permits/{application.pk}/accept/").status_code == 404
    ops, _ = officer("OPS")
    assert signed_in(robot, ops).get("/backoffice/permits/").status_code == 404


def test_prm_08_a_deficiency_record_then_a_confirmed_approval_on_the_pages(officer, robot):
    """PRM-08, PRM-09: the officer writes a deficiency record on the application's page; once
    supplied and accepted, the approval is shown again, confirmed, and the signed letter
    downloads."""
    from tests.permits.test_review_services import supply

    member, _ = officer("DIW")
    client = signed_in(robot, member)
    application = submit()
    url = f"/backoffice/permits/{application.pk}/"
    page = client.get(url)
    assert page.context["actions"] == ["assign", "accept", "deficiency"]
    assert "ab" * 32 in page.content.decode()  # the file's SHA-256
    empty = client.post(f"{url}deficiency/", {})
    assert empty.status_code == 200 and empty.context["forms"]["deficiency"].errors
    deadline = timezone.localdate() + dt.timedelta(days=15)
    sent = client.post(
        f"{url}deficiency/",
        {
            "deficiency-documents": ["plan"],
            "deficiency-details": "ลายมือชื่อ",
            **_date("deficiency-deadline", deadline),
        },
    )
    assert sent.status_code == 302
    application.refresh_from_db()
    assert application.state == "deficient"
    assert [i["text"] for i in application.deficiencies.get().items] == ["แผนผัง", "ลายมือชื่อ"]
    supply(application)
    assert client.post(f"{url}accept/").status_code == 302
    assert client.post(f"{url}advance/").status_code == 302
    until = timezone.localdate() + dt.timedelta(days=180)
    decision = {"decide-decision": "approve", **_date("decide-granted_until", until)}
    confirm = client.post(f"{url}decide/", decision)
    assert confirm.status_code == 200
    assert "backoffice/permits/decide_confirm.html" in [t.name for t in confirm.templates]
    assert Application.objects.get(pk=application.pk).state == "in_review"
    done = client.post(f"{url}decide/", {**decision, "confirm": "yes"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.outcome == "granted" and application.granted_until == until
    letter = client.get(f"{url}letter/")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")


def test_prm_04_a_period_longer_than_a_year_is_refused_on_the_page(officer, robot):
    """PRM-04: the confirmed approval beyond a year from the order comes back with the error
    beside the date."""
    member, acting = officer("DIW")
    from tests.permits.test_review_services import to_signing

    application = to_signing(acting, submit())
    client = signed_in(robot, member)
    until = timezone.localdate() + dt.timedelta(days=400)
    response = client.post(
        f"/backoffice/permits/{application.pk}/decide/",
        {"decide-decision": "approve", **_date("decide-granted_until", until), "confirm": "yes"},
    )
    assert response.status_code == 200
    assert response.context["forms"]["decide"].errors["granted_until"]
    assert Application.objects.get(pk=application.pk).state == "in_review"


def test_the_back_office_home_links_the_permits(officer, robot):
    """The back-office home links the queue with its count, for DIW and provincial offices."""
    submit()
    member, _ = officer("DIW")
    page = signed_in(robot, member).get("/backoffice/")
    assert page.context["can_permits"] and page.context["counts"]["permits"]["open"] == 1
    assert "/backoffice/permits/" in page.content.decode()
