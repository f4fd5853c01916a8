"""ADM-02, ADM-03 (issue 9): the back office reads in words: audit actions by name,
registration numbers grouped, a count on every queue."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.accounts.models import MemberRequest
from portal.backoffice.templatetags.backoffice import (
    AUDIT_ACTION_NAMES,
    audit_action_name,
    registry_number,
)
from portal.operators import services
from portal.operators.models import HolderRemovalRequest, Holding
from tests.backoffice.helpers import signed_in
from tests.factories import MemberFactory
from tests.operators.helpers import PDF, add_by_document, co_holder

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "portal"


def actions_written_by_the_code() -> set[str]:
    """Every audit action the services write: the literal ones, and the ones built from a
    status or a kind, expanded over its values."""
    literal = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit_record\((.*?)\n\s*\)", text, re.S):
            literal.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', call.group(1)))
    built = {f"holding.{status}" for status in Holding.Status.values}
    built |= {f"holder_removal.{status}" for status in HolderRemovalRequest.Status.values}
    built |= {f"request.{status}" for status in MemberRequest.Status.values}
    built |= {f"member.{kind}" for kind in MemberRequest.Kind.values}
    built |= {
        f"member.{kind}_{what}"
        for kind in ("mobile", "email")
        for what in ("verified", "taken_over")
    }
    # Permit applications' acts (issue 11): permits.review_services._record's "permit.<kind>".
    built |= {
        f"permit.{kind}"
        for kind in (
            "assigned",
            "accepted",
            "deficiency",
            "returned",
            "inspected",
            "step_finished",
            "decided",
        )
    }
    return literal | built


def test_adm_03_every_audit_action_has_a_name_for_officers():
    """ADM-03: each action the code audits has a translated name (a new action without one
    fails here), and an unknown code is shown as it is rather than hidden."""
    written = actions_written_by_the_code()
    assert len(written) > 30
    missing = sorted(
        written - set(AUDIT_ACTION_NAMES) - {"holder_removal.pending", "request.pending"}
    )
    assert missing == []
    with translation.override("th"):
        assert audit_action_name("holding.verified") == "เจ้าหน้าที่ตรวจสอบกิจการแล้ว"
    assert audit_action_name("something.new") == "something.new"


def test_adm_03_registration_numbers_are_grouped_as_printed():
    """ADM-03: a 13-digit number reads 0-1055-51234-56-7; a masked ID stays as it is."""
    assert registry_number("0105551234567") == "0-1055-51234-56-7"
    assert registry_number("1-1037-xxxxx-xx-1") == "1-1037-xxxxx-xx-1"
    assert registry_number("") == ""


def test_adm_03_history_shows_action_names_not_codes(robot, officer_factory):
    """ADM-03: a case's history names what happened in the officer's language."""
    pending = add_by_document(member=MemberFactory(verified=True), name_th="สหกรณ์ทดสอบ จำกัด")
    officer = officer_factory(permissions=["operators.verify_holding"])
    desk = signed_in(robot, officer)
    desk.post(f"/backoffice/businesses/{pending.pk}/", {"decision": "approve"})
    page = desk.get(f"/backoffice/businesses/{pending.pk}/").content.decode()
    history = page.split('id="h-hist"')[1]
    with translation.override("th"):
        assert translation.gettext("Business verified by an officer") in history
    assert ">holding.verified<" not in history


def test_adm_02_every_queue_shows_its_count(robot, officer_factory):
    """ADM-02: the back office home counts every queue, and each queue page says how many
    wait."""
    add_by_document(member=MemberFactory(verified=True), name_th="สหกรณ์หนึ่ง จำกัด")
    add_by_document(member=MemberFactory(verified=True), name_th="สหกรณ์สอง จำกัด")
    owner = MemberFactory()
    own = services.business_add_myself(member=owner)
    theirs = co_holder(own.business, MemberFactory())
    owner_client = signed_in(robot, owner)
    owner_client.post(
        f"/businesses/{own.pk}/holders/{theirs.pk}/removal/",
        {"reason": "ลาออกแล้ว", "letter": SimpleUploadedFile("letter.pdf", PDF)},
    )
    officer = officer_factory(
        permissions=["operators.verify_holding", "accounts.review_member_request"]
    )
    desk = signed_in(robot, officer)
    home = desk.get("/backoffice/")
    assert home.context["counts"] == {"holdings": 2, "removals": 1}
    assert home.content.decode().count('class="badge badge-muted"') == 4
    with translation.override("th"):
        two = translation.ngettext("%(n)s waiting", "%(n)s waiting", 2) % {"n": 2}
        one = translation.ngettext("%(n)s waiting", "%(n)s waiting", 1) % {"n": 1}
        none = translation.ngettext("%(n)s waiting", "%(n)s waiting", 0) % {"n": 0}
    for url, expected in (
        ("/backoffice/businesses/", two),
        ("/backoffice/removals/", one),
        ("/backoffice/member-requests/", none),
    ):
        page = desk.get(url).content.decode()
        count = page.split('data-testid="queue-count">')[1].split("<")[0]
        assert count == expected, url
