"""The applicant's pages (PRM-04 to PRM-10) through the Django client: the whole flow, the
fee and hashes shown, the timeline, the deficiency page, the letter, and 404 for anyone but
the applicant's principal."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from portal.documents.models import DocumentKind, SignedDocument
from portal.permits import clock, services
from portal.permits.definitions import procedure
from portal.permits.models import Application, DeficiencyRecord, Inspection
from tests.factories import HoldingFactory, MemberFactory
from tests.permits.conftest import acting_of, complete_draft, make_factory, pdf

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year + 543}


def test_prm_05_to_prm_10_apply_through_the_pages(client, applicant):
    """PRM-05, PRM-06, PRM-10: eligibility, the form (draft kept), the conditional
    checklist's uploads, the fee and the declaration with the files' SHA-256, the
    submission and the timeline."""
    member, row = applicant
    client.force_login(member)
    page = client.get(f"/applications/new/?factory={row.pk}")
    assert page.status_code == 200
    assert "ขออนุญาตย้ายเครื่องจักรทดสอบ" in page.text
    response = client.post(f"/applications/new/{row.pk}/test-relocation/")
    application = Application.objects.get(applicant=member, procedure_code="test-relocation")
    assert response["Location"] == f"/applications/{application.pk}/form/"
    # "Continue" needs the required answers; the message names the field.
    page = client.post(f"/applications/{application.pk}/form/", {"continue": "1"})
    assert page.status_code == 200 and "รายการเครื่องจักร" in page.text
    # The draft is saved as it is.
    client.post(f"/applications/{application.pk}/form/", {"save": "1", "reason": "ปรับปรุง"})
    application.refresh_from_db()
    assert application.answers == {"reason": "ปรับปรุง"}
    response = client.post(
        f"/applications/{application.pk}/form/",
        {
            "continue": "1",
            "machines": "ปั๊มน้ำ; 10; 2\nเครื่องกลึง; 5",
            "reason": "ปรับปรุงอาคาร",
            **_date("until", dt.date(2027, 6, 30)),
            "has_plan": "yes",
        },
    )
    assert response["Location"] == f"/applications/{application.pk}/documents/"
    page = client.get(f"/applications/{application.pk}/documents/")
    assert "แผนผังการติดตั้ง" in page.text and "ใบอนุญาตฉบับจริง" in page.text
    for key in ("id_card", "plan"):
        response = client.post(
            f"/applications/{application.pk}/documents/",
            {"document": key, f"{key}-file": pdf()},
        )
        assert response.status_code == 302
    page = client.get(f"/applications/{application.pk}/declaration/")
    fee = services.fee_preview(
        procedure("test-relocation"), {"machines": [{"name": "a", "horsepower": "25", "count": 1}]}
    )
    assert f"{fee.amount_satang // 100:,}.00" in page.text
    upload = application.files.first()
    assert upload.sha256[:4] in page.text
    page = client.post(f"/applications/{application.pk}/declaration/", {})
    assert page.status_code == 200
    response = client.post(f"/applications/{application.pk}/declaration/", {"agree": "on"})
    assert response["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED
    page = client.get(f"/applications/{application.pk}/")
    assert application.number in page.text and "ตรวจสอบเอกสาร" in page.text
    page = client.get("/applications/")
    assert application.number in page.text


def test_prm_05_not_eligible_shows_the_reason_before_anything_is_typed(client, procedures_dir):
    """PRM-05: a class-1 factory: the reason is shown and no start button."""
    member = MemberFactory()
    row = make_factory(member, factory_class=1)
    client.force_login(member)
    page = client.get(f"/applications/new/?factory={row.pk}")
    assert "เฉพาะโรงงานจำพวก 2 และ 3" in page.text
    assert 'data-testid="start-test-relocation"' not in page.text
    client.post(f"/applications/new/{row.pk}/test-relocation/")
    assert not Application.objects.exists()


def test_prm_10_another_member_gets_404_everywhere(client, applicant):
    """PRM-10: another member, even a co-holder of the same business, finds nothing."""
    member, row = applicant
    application = complete_draft(acting_of(member), row, services)
    co_holder = MemberFactory()
    HoldingFactory(member=co_holder, business=row.holding.business)
    file_id = application.files.first().pk
    for other in (MemberFactory(), co_holder):
        client.force_login(other)
        for path in ("", "form/", "documents/", "declaration/", "withdraw/", "letter/"):
            assert client.get(f"/applications/{application.pk}/{path}").status_code == 404
        assert client.get(f"/applications/{application.pk}/files/{file_id}/").status_code == 404
        assert (
            client.post(f"/applications/{application.pk}/declaration/", {"agree": "on"}).status_code
            == 404
        )
        assert client.get(f"/applications/new/?factory={row.pk}").status_code == 404
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_prm_08_supply_missing_documents_page(client, applicant, monkeypatch):
    """PRM-08: the timeline shows the open record; the page takes a file for each item and
    the sign-off, and the clock runs again."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    with transaction.atomic():
        clock.clock_pause(application, "deficiency")
        Application.objects.filter(pk=application.pk).update(state="deficient")
        DeficiencyRecord.objects.create(
            application=application,
            items=[{"document_key": "id_card", "text": "สำเนาบัตรหมดอายุ"}],
            deadline=timezone.localdate() + dt.timedelta(days=15),
            written_by=MemberFactory(),
        )
    client.force_login(member)
    page = client.get(f"/applications/{application.pk}/")
    assert "สำเนาบัตรหมดอายุ" in page.text and 'data-testid="deficiency-open"' in page.text
    page = client.post(
        f"/applications/{application.pk}/deficiency/", {"supply": "1", "declare-agree": "on"}
    )
    assert page.status_code == 200  # nothing uploaded yet: refused on the page
    client.post(
        f"/applications/{application.pk}/deficiency/",
        {"document": "id_card", "id_card-file": pdf()},
    )
    response = client.post(
        f"/applications/{application.pk}/deficiency/", {"supply": "1", "declare-agree": "on"}
    )
    assert response["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED and not application.clock_paused


def test_prm_09_the_timeline_shows_the_corrections_still_waiting(client, applicant):
    """PRM-09: an application waiting on corrections shows, on its timeline page, the latest
    corrections ordered that are not reported done (an earlier order already done is not),
    read with the timeline's inspections."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    officer = MemberFactory()
    today = timezone.localdate()
    with transaction.atomic():
        clock.clock_pause(application, "corrections")
        Application.objects.filter(pk=application.pk).update(state="corrections")
        for corrections, done in (("ติดตั้งถังดับเพลิง", timezone.now()), ("ย้ายท่อระบายน้ำ", None)):
            Inspection.objects.create(
                application=application,
                step_key="consider",
                inspected_on=today,
                findings="ตรวจแล้ว",
                outcome=Inspection.Outcome.CORRECTIONS,
                corrections=corrections,
                corrections_done_at=done,
                officer=officer,
            )
    client.force_login(member)
    page = client.get(f"/applications/{application.pk}/")
    assert page.context["corrections"].corrections == "ย้ายท่อระบายน้ำ"
    assert page.context["open_deficiency"] is None


def test_prm_09_letter_downloaded_by_the_applicant_and_extension_asked(client, applicant):
    """PRM-09, PRM-04: the decided application's signed letter is the applicant's to
    download; a granted period still running offers the extension request."""
    member, row = applicant
    acting = acting_of(member)
    application = complete_draft(acting, row, services)
    application = services.application_submit(acting=acting, application_id=application.pk)
    letter = SignedDocument.objects.create(
        kind=DocumentKind.LETTER,
        number="อก 0301/9",
        code="LETTERCODE2345LETTER",
        sha256="0" * 64,
        file="documents/letter-test.pdf",
        signature_level="PAdES-B-T",
        issuer_agency_th="กรมโรงงานอุตสาหกรรม",
        issuer_agency_en="Department of Industrial Works",
        subject_app="permits",
        subject_id=str(application.pk),
    )
    letter.file.save("letter-test.pdf", pdf(), save=True)
    Application.objects.filter(pk=application.pk).update(
        state="decided",
        outcome="granted",
        result_key="granted",
        letter=letter,
        decided_at=timezone.now(),
        granted_from=timezone.localdate(),
        granted_until=timezone.localdate() + dt.timedelta(days=180),
    )
    client.force_login(member)
    page = client.get(f"/applications/{application.pk}/")
    assert 'data-testid="letter"' in page.text and 'data-testid="extend"' in page.text
    response = client.get(f"/applications/{application.pk}/letter/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    response = client.post(f"/applications/{application.pk}/extension/")
    extension = Application.objects.get(extends=application)
    assert response["Location"] == f"/applications/{extension.pk}/form/"
    page = client.get(f"/applications/{extension.pk}/form/")
    assert page.status_code == 200
    until = timezone.localdate() + dt.timedelta(days=300)
    response = client.post(
        f"/applications/{extension.pk}/form/",
        {**_date("extend_until", until), "reason": "ติดตั้งยังไม่เสร็จ"},
    )
    assert response["Location"] == f"/applications/{extension.pk}/declaration/"
    response = client.post(f"/applications/{extension.pk}/declaration/", {"agree": "on"})
    extension.refresh_from_db()
    assert extension.state == Application.State.SUBMITTED and extension.number


def test_prm_05_withdraw_a_draft_page(client, applicant):
    """PRM-05: a draft is withdrawn after a confirmation page; it leaves the list."""
    member, row = applicant
    application = complete_draft(acting_of(member), row, services)
    client.force_login(member)
    assert client.get(f"/applications/{application.pk}/withdraw/").status_code == 200
    client.post(f"/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    assert f"/applications/{application.pk}/" not in client.get("/applications/").text
