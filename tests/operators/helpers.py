"""Set-up shared by the tests of businesses in a profile and of the officers' queues."""

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.operators import services
from portal.operators.models import Holding
from tests.factories import HoldingFactory, MemberFactory, make_tax_id

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_by_document(*, member, name_th: str, kind: str = "other_law") -> Holding:
    """A business added with one PDF (BIZ-06, SSO-02), Not Verified until an officer checks it.
    A juristic person under other laws has a 0994 tax ID and a Revenue Department document;
    the other kinds any tax ID and any document."""
    other_law = kind == "other_law"
    return services.business_add_by_document(
        member=member,
        kind=kind,
        tax_id=make_tax_id() if other_law else make_tax_id("3101"),
        name_th=name_th,
        document=SimpleUploadedFile("doc.pdf", PDF),
        extension="pdf",
        document_kind="rd_document" if other_law else "other",
    )


def co_holder(business, member=None) -> Holding:
    """Another member who holds the same business, verified (BIZ-09, BIZ-11)."""
    return HoldingFactory(
        member=member or MemberFactory(), business=business, proof=Holding.Proof.DOCUMENT
    )


def add_taxpayers(world, *records: dict) -> list[dict]:
    """Lines of the Revenue Department's register (taxpayers.jsonl) in the test's world."""
    rows = getattr(world, "taxpayers", [])
    rows.extend(records)
    world.taxpayers = rows
    world._write("taxpayers.jsonl", rows)
    return list(records)


def taxpayer(tax_id: str, branch: str = "00000", **overrides) -> dict:
    record = {
        "tax_id": tax_id,
        "kind": "cooperative",
        "name_th": "สหกรณ์การเกษตรทดสอบ จำกัด",
        "name_en": "TEST AGRICULTURAL COOPERATIVE LIMITED",
        "branch": branch,
    }
    record.update(overrides)
    return record
