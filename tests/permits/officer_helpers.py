# ruff: noqa: E501 (the procedure files are YAML flow mappings, one step a line)
"""Helpers of the officer-side tests (issue 11): procedure files of the tests' own in a tmp
PROCEDURES_DIR, applications made directly with the models and the clock (as a submission
leaves them), officers acting with a second factor, and a clock moved by days."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from portal.backoffice.services import officer_appoint
from portal.billing.models import DiwFactory
from portal.core.acting import Party, system_acting
from portal.operators.models import Factory, FactoryHolding
from portal.permits import clock
from portal.permits.definitions import _cached, procedure
from portal.permits.models import Application, ApplicationEvent, ApplicationFile
from tests.factories import HoldingFactory, MemberFactory

REVIEW = "permits.review_application"
DECIDE = "permits.decide_application"
BANGKOK = "กรุงเทพมหานคร"

_TEXT = "{th: ข้อความ, en: Text}"

RELOCATION = f"""
code: test-relocation
version: 1
effective_from: 2025-01-01
name: {{th: การย้ายเครื่องจักรบางส่วนไปใช้ชั่วคราว, en: Temporary relocation of machinery}}
short_name: {{th: ย้ายเครื่องจักร, en: Relocation}}
agency: DIW
routing: factory_area
category: permit
service_type: {_TEXT}
legal_basis: [{_TEXT}]
impact_level: {_TEXT}
service_area: {_TEXT}
reference: {_TEXT}
channels: [{{place: {_TEXT}, hours: {_TEXT}}}]
criteria: [{_TEXT}]
fields:
  - {{key: hp, kind: decimal, label: {_TEXT}, horsepower: true}}
documents:
  - {{key: machine_list, group: other, name: {{th: บัญชีเครื่องจักร, en: Machine list}}, originals: 1, copies: 0, unit: {{th: ฉบับ, en: copy}}}}
  - {{key: plan, group: other, name: {{th: แผนผัง, en: Plan}}, originals: 1, copies: 0, unit: {{th: ฉบับ, en: copy}}}}
steps:
  - {{key: check, kind: document_check, name: {{th: ตรวจเอกสาร, en: Document check}}, description: {_TEXT}, duration: 1, unit: working_days, responsible: {_TEXT}, actions: [accept, deficiency]}}
  - {{key: review, kind: consideration, name: {{th: พิจารณา, en: Review}}, description: {_TEXT}, duration: 12, unit: working_days, responsible: {_TEXT}, actions: [inspect, order_corrections, refuse]}}
  - {{key: signing, kind: signing, name: {{th: ลงนาม, en: Signing}}, description: {_TEXT}, duration: 2, unit: working_days, responsible: {_TEXT}, actions: [approve, refuse]}}
total: 15
fee: {{table: machinery_relocation, when: after_approval, description: {_TEXT}, bill_kind: machinery_relocation}}
results:
  - {{key: granted, name: {_TEXT}, letter_title: {{th: หนังสืออนุญาตให้ย้ายเครื่องจักร, en: Permit}}, outcome: granted, max_period_days: 365, conditions: [{{th: ต้องย้ายเครื่องจักรกลับเมื่อครบกำหนด, en: Move back}}]}}
  - {{key: refused, name: {_TEXT}, letter_title: {{th: หนังสือแจ้งไม่อนุญาต, en: Refusal}}, outcome: refused}}
extension: {{max_days: 365, procedure_note: {_TEXT}}}
complaints: [{{name: {_TEXT}, contact: {_TEXT}}}]
"""

RESTART = f"""
code: test-restart
version: 1
effective_from: 2025-01-01
name: {{th: แจ้งการประกอบกิจการโรงงานอีกครั้ง, en: Notice of restarting operation}}
short_name: {{th: แจ้งประกอบกิจการ, en: Restart}}
agency: DIW
routing: factory_area
category: notice
service_type: {_TEXT}
legal_basis: [{_TEXT}]
impact_level: {_TEXT}
service_area: {_TEXT}
reference: {_TEXT}
channels: [{{place: {_TEXT}, hours: {_TEXT}}}]
criteria: [{_TEXT}]
fields:
  - {{key: hp, kind: decimal, label: {_TEXT}, horsepower: true}}
documents:
  - {{key: notice, group: other, name: {_TEXT}, originals: 1, copies: 0, unit: {_TEXT}}}
steps:
  - {{key: check, kind: document_check, name: {{th: ตรวจเอกสาร, en: Document check}}, description: {_TEXT}, duration: 1, unit: days, responsible: {_TEXT}, actions: [accept, deficiency]}}
  - {{key: consider, kind: consideration, name: {{th: พิจารณา, en: Consideration}}, description: {_TEXT}, duration: 22, unit: days, responsible: {_TEXT}, actions: [acknowledge, inspect]}}
  - {{key: signing, kind: signing, name: {{th: ลงนาม, en: Signing}}, description: {_TEXT}, duration: 7, unit: days, responsible: {_TEXT}, actions: [acknowledge]}}
total: 30
fee: {{table: restart_notice, when: at_document_check, description: {_TEXT}, bill_kind: restart_notice}}
results:
  - {{key: acknowledged, name: {_TEXT}, letter_title: {{th: หนังสือรับแจ้ง, en: Acknowledgement}}, outcome: acknowledged}}
complaints: [{{name: {_TEXT}, contact: {_TEXT}}}]
"""


@pytest.fixture
def procedures_dir(tmp_path, settings):
    """The tests' own procedure files (not the repository's): test-relocation, test-restart."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    (folder / "test-relocation.yaml").write_text(RELOCATION, encoding="utf-8")
    (folder / "test-restart.yaml").write_text(RESTART, encoding="utf-8")
    settings.PROCEDURES_DIR = str(folder)
    _cached.cache_clear()
    yield folder
    _cached.cache_clear()


_numbers = itertools.count(1)


def make_factory(member, *, province=BANGKOK, horsepower=Decimal("120")) -> Factory:
    """A factory in the member's profile, and its row in the DIW mirror (billing)."""
    n = next(_numbers)
    holding = HoldingFactory(member=member)
    factory_no = f"30{n:012d}"
    now = timezone.now()
    factory = Factory.objects.create(
        factory_no=factory_no,
        name_th=f"โรงงานคำขอ {n}",
        business=holding.business,
        licence="ror_ngor_4",
        factory_class=3,
        category="53(5)",
        horsepower=horsepower,
        status="operating",
        province=province,
        supervisor="DIW" if province == BANGKOK else "PIO",
        registry_read_at=now,
    )
    FactoryHolding.objects.create(member=member, factory=factory, holding=holding)
    DiwFactory.objects.create(
        factory_no=factory_no,
        name_th=factory.name_th,
        factory_class=3,
        horsepower=horsepower,
        province=province,
        supervisor=factory.supervisor,
        registry_changed_at=now,
        synced_at=now,
    )
    return factory


def submit(
    code="test-relocation",
    *,
    applicant=None,
    factory=None,
    province=BANGKOK,
    on: dt.date | None = None,
    horsepower=Decimal("120"),
    **fields,
) -> Application:
    """An application as its submission leaves it: numbered, routed (DIW in Bangkok, the
    provincial office elsewhere), its steps made and the document check running."""
    applicant = applicant or MemberFactory(verified=True)
    factory = factory or make_factory(applicant, province=province, horsepower=horsepower)
    definition = procedure(code)
    on = on or clock.today()
    n = next(_numbers)
    with transaction.atomic():
        application = Application.objects.create(
            procedure_code=code,
            procedure_version=definition.version,
            number=f"T{n:06d}",
            state=Application.State.SUBMITTED,
            applicant=applicant,
            principal_key=Party("member", applicant.pk).key,
            business=factory.business,
            factory=factory,
            agency="DIW" if factory.province == BANGKOK else "PIO",
            province=factory.province,
            answers={"hp": str(horsepower)},
            horsepower=horsepower,
            submitted_at=timezone.make_aware(dt.datetime.combine(on, dt.time(9))),
            **fields,
        )
        clock.steps_create(application, definition)
        clock.step_start(application, definition, definition.steps[0].key, on=on)
        ApplicationFile.objects.create(
            application=application,
            document_key="machine_list",
            file="permits/test/list.pdf",
            original_name="list.pdf",
            content_type="application/pdf",
            size=10,
            sha256="ab" * 32,
            uploaded_by=applicant,
        )
        ApplicationEvent.objects.create(application=application, kind="submitted", actor=applicant)
    return application


@pytest.fixture
def officer(officer_factory):
    """An officer acting on the web after a second factor: officer("PIO", "ชลบุรี") ->
    (member, acting)."""

    def make(agency="DIW", province="", permissions=(REVIEW, DECIDE), **member_kwargs):
        member = officer_factory(agency=agency, permissions=permissions, **member_kwargs)
        with transaction.atomic():
            officer_appoint(member=member, agency=agency, province=province)
        member = type(member).objects.get(pk=member.pk)
        return member, replace(system_acting(actor=member, channel="web"), two_factor=True)

    return make


@pytest.fixture
def moved_clock(monkeypatch):
    """Set today's date (timezone.localdate and now) without sleeping: moved_clock(date)."""

    def move(day: dt.date):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return move
