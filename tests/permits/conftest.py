"""Set-up of the permits tests: procedure definitions of the tests' own in a tmp
PROCEDURES_DIR (the tests do not depend on the real files in procedures/), and a member who
holds a factory."""

import io
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from portal.core.acting import Acting, Party
from portal.operators.models import Factory, FactoryHolding
from portal.permits.definitions import _cached
from tests.factories import HoldingFactory, MemberFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A relocation-like procedure: a machine list gives the horsepower (PRM-06, the shipped
# machinery_relocation table), a plan answer decides whether the plan document is asked for,
# classes 2 and 3 only, 1 + 12 + 2 working days, an extension of at most a year (PRM-04).
RELOCATION = (Path(__file__).parent / "data" / "test-relocation.yaml").read_text(encoding="utf-8")


def write_procedure(folder: Path, text: str, code: str) -> None:
    (folder / f"{code}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def procedures_dir(tmp_path, settings):
    """A PROCEDURES_DIR holding the tests' own definitions; the loader's cache is cleared
    before and after."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    write_procedure(folder, RELOCATION, "test-relocation")
    after = RELOCATION.replace("code: test-relocation", "code: test-after").replace(
        "when: at_document_check", "when: after_approval"
    )
    write_procedure(folder, after, "test-after")
    settings.PROCEDURES_DIR = str(folder)
    _cached.cache_clear()
    yield folder
    _cached.cache_clear()


def make_factory(member, *, province="ชลบุรี", factory_class=3, holding=None, number=None):
    holding = holding or HoldingFactory(member=member)
    factory = Factory.objects.create(
        factory_no=number or f"3{Factory.objects.count() + 1:013d}",
        name_th="โรงงานทดสอบใบอนุญาต",
        business=holding.business,
        licence="ror_ngor_4",
        factory_class=factory_class,
        category="53(5)",
        status="operating",
        province=province,
        supervisor="PIO",
        registry_read_at=timezone.now(),
    )
    return FactoryHolding.objects.create(member=member, factory=factory, holding=holding)


def acting_of(member) -> Acting:
    return Acting(actor=member, principal=Party("member", member.pk), client_ip="127.0.0.1")


@pytest.fixture
def applicant(db, procedures_dir):
    member = MemberFactory(verified=True)
    return member, make_factory(member)


def pdf(name="doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="scan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


ANSWERS = {
    "machines": "เครื่องปั๊ม; 10; 2\nเครื่องกลึง; 5",
    "reason": "ปรับปรุงอาคาร",
    "until": "2027-06-30",
    "has_plan": "yes",
}


def complete_draft(acting, row, services, code="test-relocation"):
    """A draft with every answer and upload, ready to submit."""
    with transaction.atomic():
        application = services.application_start(
            acting=acting, procedure_code=code, factory_holding_id=row.pk
        )
        services.application_save(acting=acting, application_id=application.pk, answers=ANSWERS)
        for key in ("id_card", "plan"):
            services.file_upload(
                acting=acting, application_id=application.pk, document_key=key, upload=pdf()
            )
    return application
