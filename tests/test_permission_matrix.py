"""The permission matrix (ADM-01, BIZ-09, SSO-04): every URL of the portal, as every role.

The URL list is generated from the URL configuration (with SANDBOX=1, so the sandbox's pages
are in it too); each pattern is requested with GET and with POST, its arguments filled with
real objects of one fixture world, as each role below. EXPECTED says what each should answer;
a URL pattern missing from it fails the suite, so a new page cannot ship without someone
saying who may open it. Every POST runs in a savepoint that is rolled back, so one request
cannot change what the next one sees.

Answers: ok (200), login (302 to the login page), redirect (302 elsewhere), bad (400),
unauthorized (401), forbidden (403), hidden (404), method (405).

To see what the portal answers now (when adding a URL): MATRIX_OBSERVE=1 pytest -s this file.
"""

import copy
import datetime
import os
import uuid
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from portal.accounts.models import MemberRequest
from portal.backoffice.services import officer_appoint
from portal.billing.models import Bill, BillRun, DiwFactory, FeeTable, ReconciliationIssue
from portal.core.acting import TWO_FACTOR_SESSION_KEY
from portal.documents.models import DocumentKind, SignedDocument
from portal.operators.models import (
    BusinessDocument,
    Factory,
    FactoryHolding,
    HolderRemovalRequest,
)
from portal.permits.definitions import _cached as procedures_cached
from portal.permits.models import Application, ApplicationFile
from portal.sandbox import connected_client
from portal.workdays.models import ExtraHoliday
from tests.factories import BillFactory, BusinessFactory, HoldingFactory, MemberFactory
from tests.operators.helpers import PDF
from tests.permits.officer_helpers import RESTART as OFFICER_TEST_RESTART
from tests.permits.officer_helpers import submit
from tests.sso import InProcessPortal, make_system

pytestmark = pytest.mark.django_db

CASE_PROVINCE = "เชียงใหม่"
OFFICER_RIGHTS = [
    "operators.verify_holding",
    "accounts.review_member_request",
    "identity.reset_two_factor",
    "billing.view_bill",
    "billing.add_bill",
    "billing.view_feetable",
    "billing.edit_fee_table",
    "billing.change_reconciliationissue",
    "permits.review_application",
    "permits.decide_application",
    "workdays.change_extraholiday",
    "billing.view_factorysyncrun",
    "billing.add_factorysyncrun",
]
MEMBERS = ("stranger", "verified", "pending", "rejected")
OFFICERS = ("ops", "diw", "pio_here", "pio_elsewhere", "ieat", "tisi", "own_case")
ROLES = ("anonymous", *MEMBERS, *OFFICERS)
OFFICER_OF = {
    "ops": ("OPS", ""),
    "diw": ("DIW", ""),
    "pio_here": ("PIO", CASE_PROVINCE),
    "pio_elsewhere": ("PIO", "ลำปาง"),
    "ieat": ("IEAT", ""),
    "tisi": ("TISI", ""),
    "own_case": ("OPS", ""),
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name, route) of every URL pattern, walking the whole configuration."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


# --- the world ------------------------------------------------------------------------------


def _document(holding):
    return BusinessDocument.objects.create(
        holding=holding,
        kind="passport",
        file=SimpleUploadedFile("p.pdf", PDF),
        content_type="application/pdf",
    )


def build_world() -> dict:
    """One company (registered in CASE_PROVINCE) with a verified, a pending and a rejected
    holder, an officer of each agency and area, and an officer with cases of their own."""
    w = {}
    business = BusinessFactory(
        name_th="บริษัท เมทริกซ์ จำกัด", registry_data={"address": {"province": CASE_PROVINCE}}
    )
    people = {role: MemberFactory(verified=True) for role in (*MEMBERS, "requester")}
    for role, (agency, province) in OFFICER_OF.items():
        people[role] = MemberFactory(verified=True)
        with transaction.atomic():
            officer_appoint(
                member=people[role], agency=agency, province=province, permissions=OFFICER_RIGHTS
            )
    holdings = {}
    for role, trait in (
        ("verified", {}),
        ("pending", {"pending": True}),
        ("rejected", {"rejected": True, "rejection_reason": "ไม่ใช่เอกสารที่ถูกต้อง"}),
        ("own_case", {"pending": True}),
    ):
        holdings[role] = HoldingFactory(member=people[role], business=business, **trait)
    documents = {role: _document(holdings[role]) for role in ("pending", "rejected", "own_case")}
    removals = {
        role: HolderRemovalRequest.objects.create(
            business=business,
            target=holdings[role],
            requested_by=people["verified"],
            reason="ลาออกแล้ว",
            letter=SimpleUploadedFile("l.pdf", PDF),
            letter_content_type="application/pdf",
        )
        for role in ("pending", "own_case")
    }
    member_requests = {
        role: MemberRequest.objects.create(
            kind=MemberRequest.Kind.NAME_CHANGE,
            member=people[role],
            details_encrypted="",
            evidence=SimpleUploadedFile("e.pdf", PDF),
            evidence_content_type="application/pdf",
        )
        for role in ("requester", "own_case")
    }
    factory = Factory.objects.create(
        factory_no="10500000125601",
        name_th="โรงงานเมทริกซ์",
        business=business,
        licence="ror_ngor_4",
        factory_class=3,
        category="0101",
        status="operating",
        province=CASE_PROVINCE,
        supervisor="PIO",
        registry_read_at=timezone.now(),
    )
    # A bill run OPS started: its progress is that officer's only.
    w["bill_run"] = BillRun.objects.create(
        run_on=timezone.localdate(),
        first_due_on=timezone.localdate(),
        last_due_on=timezone.localdate(),
        started_by=people["ops"],
    )
    now = timezone.now()
    mirror = DiwFactory.objects.create(
        factory_no="10500000125601",
        province=CASE_PROVINCE,
        supervisor="PIO",
        registry_changed_at=now,
        synced_at=now,
    )
    bill = Bill.objects.create(
        kind=Bill.Kind.OTHER,
        factory=mirror,
        province=CASE_PROVINCE,
        fee_satang=50_000,
        amount_satang=50_000,
        due_on=now.date(),
        issued_on=now.date(),
        expires_at=now,
        state=Bill.State.EXPIRED,
        ref1="19000000000017",
        ref2=mirror.factory_no,
        created_at=now,
    )
    payment_issue = ReconciliationIssue.objects.create(
        kind=ReconciliationIssue.Kind.LATE_PAYMENT,
        bank_code="sandbox",
        bank_transaction_id="MATRIX1",
        ref1=bill.ref1,
        ref2=bill.ref2,
        amount_satang=50_000,
        bill=bill,
        province=CASE_PROVINCE,
        created_at=now,
    )
    # A draft application of the verified holder for the factory, with one upload: only its
    # applicant's principal finds it (PRM-10); everyone else: 404.
    application = Application.objects.create(
        procedure_code="test-relocation",
        procedure_version=1,
        applicant=people["verified"],
        principal_key=f"member:{people['verified'].pk}",
        business=business,
        factory=factory,
    )
    w["application"] = application
    w["application_file"] = ApplicationFile.objects.create(
        application=application,
        document_key="id_card",
        file=SimpleUploadedFile("id.pdf", PDF),
        original_name="id.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=people["verified"],
    )
    # A permit application (issue 11) of the factory, routed to CASE_PROVINCE's provincial
    # office, at its document check, with one uploaded file; the procedure is the tests' own.
    w["submitted_application"] = submit(
        "test-restart", applicant=people["verified"], factory=factory, province=CASE_PROVINCE
    )
    upload = w["submitted_application"].files.get()
    upload.file = SimpleUploadedFile("list.pdf", PDF)
    upload.save()
    w["submitted_application_file"] = upload
    # An entry of the holiday table (PRM-07), far in the future: the calendar this process
    # caches never meets it in another test's deadlines.
    w["extra_holiday"] = ExtraHoliday.objects.create(
        day=datetime.date(2149, 3, 10), kind="holiday", name_th="วันหยุดพิเศษ", name_en="Extra"
    )
    w.update(
        payment_issue=payment_issue,
        business=business,
        people=people,
        holdings=holdings,
        documents=documents,
        removals=removals,
        member_requests=member_requests,
        factory_holding=FactoryHolding.objects.create(
            member=people["verified"], factory=factory, holding=holdings["verified"]
        ),
        system=make_system("matrix-system"),
        # A bill of the factory (the DIW mirror's row of the same number) in CASE_PROVINCE: of
        # members only the verified holder of its business sees it (a pending or rejected claim
        # and everyone else: 404); of officers the province's office and OPS (ADM-01).
        bill=BillFactory(factory__factory_no=factory.factory_no, factory__province=CASE_PROVINCE),
        # A record as issued (the verification page reads the record; its file is not read).
        signed_document=SignedDocument.objects.create(
            kind=DocumentKind.LETTER,
            number="อก 0301/1",
            code="MATRXCDE2345MATRXCDE",
            sha256="0" * 64,
            file="documents/matrix.pdf",
            signature_level="PAdES-B-T",
            issuer_agency_th="กรมโรงงานอุตสาหกรรม",
            issuer_agency_en="Department of Industrial Works",
            subject_app="permits",
            subject_id="1",
        ),
    )
    return w


def url_kwargs(route: str, role: str, w: dict) -> dict:
    """Fill a route's arguments for this role: their own object where they have one (their
    holding, their request), else the case every other role is tested on."""
    own = role if role in w["holdings"] else None
    backoffice = route.startswith("backoffice/")
    case = "own_case" if role == "own_case" else "pending"
    kwargs = {}
    if "<int:holding_id>" in route:
        holding = w["holdings"][case] if backoffice else w["holdings"][own or "verified"]
        kwargs["holding_id"] = holding.pk
    if "<int:document_id>" in route:
        document = w["documents"].get(case if backoffice else own or "pending")
        kwargs["document_id"] = (document or w["documents"]["pending"]).pk
    if "<int:target_id>" in route:
        target = "pending" if own == "verified" else "verified"
        kwargs["target_id"] = w["holdings"][target].pk
    if "<int:request_id>" in route:
        if route.startswith("backoffice/removals/"):
            kwargs["request_id"] = w["removals"][case].pk
        else:
            mine = "own_case" if role == "own_case" else "requester"
            kwargs["request_id"] = w["member_requests"][mine].pk
    if "<int:factory_holding_id>" in route:
        kwargs["factory_holding_id"] = w["factory_holding"].pk
    if "<int:bill_id>" in route:
        kwargs["bill_id"] = w["bill"].pk
    if "<int:run_id>" in route:
        kwargs["run_id"] = w["bill_run"].pk
    if "<int:table_id>" in route:
        # A shipped table in force (loaded after migrate).
        kwargs["table_id"] = FeeTable.objects.get(code="licence", superseded_by=None).pk
    if "<slug:slug>" in route:
        kwargs["slug"] = w["system"].slug
    if "<str:kind>" in route:
        kwargs["kind"] = "mobile"
    if "<str:code>" in route:
        kwargs["code"] = w["signed_document"].code
    if "<int:issue_id>" in route:
        kwargs["issue_id"] = w["payment_issue"].pk
    if "<slug:bank_code>" in route:
        kwargs["bank_code"] = "sandbox"
    if "<str:day>" in route:
        kwargs["day"] = timezone.localdate().isoformat()
    if "<int:application_id>" in route:
        kwargs["application_id"] = w["application"].pk
    if "<int:file_id>" in route:
        kwargs["file_id"] = w["application_file"].pk
    if backoffice and "<int:application_id>" in route:
        # The officer's pages: the submitted application of CASE_PROVINCE (the draft is the
        # applicant's own and no officer's business).
        kwargs["application_id"] = w["submitted_application"].pk
    if backoffice and "<int:file_id>" in route:
        kwargs["file_id"] = w["submitted_application_file"].pk
    if "<slug:code>" in route:
        kwargs["code"] = "test-relocation"
    if "<int:holiday_id>" in route:
        kwargs["holiday_id"] = w["extra_holiday"].pk
    if "<uuid:request_id>" in route:
        kwargs["request_id"] = uuid.uuid4()  # a QR code nobody started
    return kwargs


# What the decision pages are sent: a valid decision (rejecting: no registry is asked), so
# that only scope and own-case rules decide the answer.
POST_DATA = {
    "backoffice:member_request_detail": {"decision": "reject", "note": "ไม่ครบ"},
    "backoffice:holding_detail": {"decision": "reject", "reason": "ไม่ครบ"},
    "backoffice:removal_detail": {"decision": "reject", "note": "ไม่ครบ"},
    "backoffice:payment_issue_detail": {"resolution": "noted", "note": "ตรวจแล้ว"},
    "operators:business_detail": {"email": "x@example.com", "contact_address_same": "on"},
}


def answer(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        login = resolve_url(settings.LOGIN_URL)
        return "login" if response["Location"].startswith(login) else "redirect"
    return {
        200: "ok",
        400: "bad",
        401: "unauthorized",
        403: "forbidden",
        404: "hidden",
        405: "method",
    }.get(code, str(code))


def client_for(role: str, w: dict) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(w["people"][role])
        if role in OFFICERS:
            session = client.session
            session[TWO_FACTOR_SESSION_KEY] = 1.0  # officers log in with 2FA (SSO-04)
            session.save()
    return client


def observe(client: Client, method: str, url: str, data: dict) -> str:
    """One request whose every database change is rolled back; the client's cookies too
    (a logout must not log the next request out)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return answer(response)


# --- what each URL answers ------------------------------------------------------------------


def _expected(spec, role: str) -> str:
    """A spec is one answer for every role, or a dict by role, by group ("members",
    "officers", "anonymous") and "*" for the rest."""
    if isinstance(spec, str):
        return spec
    group = "members" if role in MEMBERS else "officers" if role in OFFICERS else role
    for key in (role, group, "*"):
        if key in spec:
            return spec[key]
    raise KeyError(role)


# Who may open what. Officers' queues: OPS nationwide, a provincial office (PIO) for the
# businesses of its province (pio_here), DIW, IEAT and TISI none (ADM-01). An officer sees
# their own case but a decision on it is refused on the page (own_case POST: ok, the form
# with the refusal; the services' own tests prove nothing changes). A pending or rejected
# claim opens its own page but may not post to it (BIZ-09: forbidden).
# The permit pages (issue 11): officers with the right whose agency and area answer for
# applications (DIW, a provincial office); the others' pages do not exist (ADM-01).
PERMIT_OFFICERS_OK = {
    "anonymous": "login",
    "diw": "ok",
    "pio_here": "ok",
    "pio_elsewhere": "ok",
    "*": "hidden",
}
# The method is checked before the application is looked up: a wrong method is 405 for every
# officer the pages exist for, whatever the application.
PERMIT_OFFICERS_METHOD = {
    "anonymous": "login",
    "diw": "method",
    "pio_here": "method",
    "pio_elsewhere": "method",
    "*": "hidden",
}
EXPECTED = {
    # PRM-05 to PRM-10: an application is its applicant's principal's only (the letter: none
    # issued yet for the draft, so 404 for everyone).
    "applications:corrections": {
        "GET": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:declaration": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "ok", "*": "hidden"},
    },
    "applications:deficiency": {
        "GET": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:detail": {
        "GET": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "applications:documents": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "ok", "*": "hidden"},
    },
    "applications:extension": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:file": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "applications:file_remove": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:form": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:letter": {
        "GET": {"anonymous": "login", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "applications:list": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "applications:new": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "applications:start": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    # PRM-05: a draft for a new factory of a business held through a verified holding (the
    # factory licence, which starts from a business); a pending or rejected holder and everyone
    # else (the verified holder's business): 404.
    "applications:start_business": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "applications:withdraw": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "accounts:avatar": {
        "GET": {"anonymous": "login", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "hidden"},
    },
    "accounts:avatar_upload": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "*": "bad"},
    },
    "accounts:close": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "accounts:consent": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "accounts:consents": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "accounts:contact_change": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "accounts:login": {
        "GET": {"anonymous": "ok", "*": "redirect"},
        "POST": {"anonymous": "ok", "*": "redirect"},
    },
    "accounts:logout": {"GET": "method", "POST": "redirect"},
    "accounts:name_change": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "accounts:password_change": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "accounts:register": {
        "GET": {"anonymous": "ok", "*": "redirect"},
        "POST": {"anonymous": "ok", "*": "redirect"},
    },
    "accounts:register_consent": {"GET": "redirect", "POST": "redirect"},
    "accounts:register_details": {"GET": "redirect", "POST": "redirect"},
    "accounts:register_done": {"GET": "login", "POST": "login"},
    "accounts:reopen": {"GET": "ok", "POST": "ok"},
    "accounts:request_evidence": {
        "GET": {"anonymous": "login", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "own_case": "ok", "*": "hidden"},
    },
    "accounts:reset": {"GET": "ok", "POST": "ok"},
    "accounts:reset_birth_date": {"GET": "redirect", "POST": "redirect"},
    "accounts:reset_channel": {"GET": "redirect", "POST": "redirect"},
    "accounts:reset_password": {"GET": "redirect", "POST": "redirect"},
    "accounts:reset_verify": {"GET": "redirect", "POST": "redirect"},
    "accounts:settings": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "altcha_django:challenge": {"GET": "ok", "POST": "method"},
    "altcha_django:sentinel-challenge": {"GET": "hidden", "POST": "method"},
    "backoffice:bill_detail": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "method",
        },
    },
    "backoffice:bill_issue": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
    },
    "backoffice:bill_run_progress": {
        "GET": {"anonymous": "login", "ops": "ok", "*": "hidden"},
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "method",
        },
    },
    "backoffice:bill_run_start": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "redirect", "own_case": "redirect", "*": "hidden"},
    },
    "backoffice:bills": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "method",
        },
    },
    # The DIW mirror's sync (national data): DIW, OPS and every provincial office see the
    # runs; DIW and OPS start one.
    "backoffice:factory_sync": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "ops": "redirect",
            "diw": "redirect",
            "own_case": "redirect",
            "*": "hidden",
        },
    },
    "backoffice:fee_table_revise": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "diw": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "ok", "own_case": "ok", "diw": "ok", "*": "hidden"},
    },
    "backoffice:fee_tables": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "diw": "ok", "*": "hidden"},
        "POST": {
            "anonymous": "login",
            "ops": "method",
            "own_case": "method",
            "diw": "method",
            "*": "hidden",
        },
    },
    "backoffice:holding_detail": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "ops": "redirect",
            "pio_here": "redirect",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "backoffice:holding_document": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "backoffice:holdings": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
    },
    # The holiday table (PRM-07): national, no queue: every officer sees the year's holidays;
    # those with workdays.change_extraholiday (all officers here) add and remove entries.
    "backoffice:holiday_add": {
        "GET": {"anonymous": "login", "members": "hidden", "officers": "ok"},
        "POST": {"anonymous": "login", "members": "hidden", "officers": "ok"},
    },
    "backoffice:holiday_remove": {
        "GET": {"anonymous": "login", "members": "hidden", "officers": "ok"},
        "POST": {"anonymous": "login", "members": "hidden", "officers": "redirect"},
    },
    "backoffice:holidays": {
        "GET": {"anonymous": "login", "members": "hidden", "officers": "ok"},
        "POST": {"anonymous": "login", "members": "hidden", "officers": "method"},
    },
    "backoffice:home": {
        "GET": {"anonymous": "login", "members": "hidden", "officers": "ok"},
        "POST": {"anonymous": "login", "members": "hidden", "officers": "ok"},
    },
    "backoffice:member_request_detail": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "redirect", "own_case": "ok", "*": "hidden"},
    },
    "backoffice:member_request_evidence": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
    },
    "backoffice:member_requests": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
    },
    # BILL-08: late payments and mismatches of CASE_PROVINCE's bills. Own case cannot be told
    # by billing (the mirror keeps no member): the own-case officer is an OPS officer here.
    "backoffice:payment_issue_detail": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "ops": "redirect",
            "pio_here": "redirect",
            "own_case": "redirect",
            "*": "hidden",
        },
    },
    "backoffice:payment_issues": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
    },
    "backoffice:removal_detail": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "ops": "redirect",
            "pio_here": "redirect",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "backoffice:removal_letter": {
        "GET": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "ops": "ok",
            "pio_here": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "backoffice:removals": {
        "GET": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
        "POST": {
            "anonymous": "login",
            "members": "hidden",
            "diw": "hidden",
            "ieat": "hidden",
            "tisi": "hidden",
            "*": "ok",
        },
    },
    "backoffice:permits_queue": {
        "GET": PERMIT_OFFICERS_OK,
        "POST": PERMIT_OFFICERS_METHOD,
    },
    "backoffice:permit_statistics": {
        "GET": PERMIT_OFFICERS_OK,
        "POST": PERMIT_OFFICERS_METHOD,
    },
    "backoffice:permit_detail": {
        "GET": {"anonymous": "login", "pio_here": "ok", "*": "hidden"},
        "POST": PERMIT_OFFICERS_METHOD,
    },
    "backoffice:permit_file": {
        "GET": {"anonymous": "login", "pio_here": "ok", "*": "hidden"},
        "POST": PERMIT_OFFICERS_METHOD,
    },
    # No decision yet: no letter, for anybody.
    "backoffice:permit_letter": {
        "GET": {"anonymous": "login", "*": "hidden"},
        "POST": PERMIT_OFFICERS_METHOD,
    },
    # The acts are posted; an empty form comes back with its errors (ok), an act the step
    # allows is done (redirect), one it does not is refused with a message (redirect).
    "backoffice:permit_accept": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "redirect", "*": "hidden"},
    },
    "backoffice:permit_advance": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "redirect", "*": "hidden"},
    },
    "backoffice:permit_decide": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "redirect", "*": "hidden"},
    },
    "backoffice:permit_assign": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "ok", "*": "hidden"},
    },
    "backoffice:permit_deficiency": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "ok", "*": "hidden"},
    },
    "backoffice:permit_inspection": {
        "GET": PERMIT_OFFICERS_METHOD,
        "POST": {"anonymous": "login", "pio_here": "ok", "*": "hidden"},
    },
    # PRM-11: the open statistics page of a procedure.
    "permit_stats:statistics": {"GET": "ok", "POST": "method"},
    "backoffice:two_factor_reset": {
        "GET": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "ops": "ok", "own_case": "ok", "*": "hidden"},
    },
    # The member's bill pages (issue 10): GET only.
    "billing:bill_barcode": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:bill_detail": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:bill_pay": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:bill_pdf": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:bill_qr": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    # The matrix's bill is unpaid: its holder is sent back to the bill page with the reason.
    "billing:bill_receipt": {
        "GET": {"anonymous": "login", "*": "method"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "billing:bill_status": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:factory_bills": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "billing:bill_list": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "core:healthz": {"GET": "ok", "POST": "ok"},
    "core:home": {"GET": "ok", "POST": "ok"},
    "core:set_language": {"GET": "method", "POST": "method"},
    # The public verification page of signed documents: anyone, logged in or not.
    "documents:verify": {"GET": "ok", "POST": "ok"},
    "documents:verify_lookup": {"GET": "ok", "POST": "method"},
    "factories:add": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "factories:add_choose": {
        "GET": {
            "anonymous": "login",
            "stranger": "hidden",
            "members": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "stranger": "hidden",
            "members": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "factories:add_done": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "factories:detail": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "ok", "*": "hidden"},
    },
    "factories:list": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "factories:remove": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "hidden"},
    },
    "factories:search": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "identity:login_code": {"GET": "login", "POST": "login"},
    "identity:recovery_codes": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "identity:recovery_codes_download": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "method"},
    },
    "identity:sessions": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "hidden"},
    },
    "identity:thaid_callback": {"GET": "login", "POST": "method"},
    "identity:thaid_start": {"GET": "method", "POST": {"anonymous": "login", "*": "redirect"}},
    "identity:two_factor": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    # SSO-01: a request with no client is refused before any login page (issue 9); a POST
    # without the consent form's marker is an authorization request (OIDC Core 3.1.2.1).
    "oauth2_provider:authorize": {"GET": "bad", "POST": "bad"},
    "oauth2_provider:jwks-info": {"GET": "ok", "POST": "method"},
    "oauth2_provider:oidc-connect-discovery-info": {"GET": "ok", "POST": "method"},
    "oauth2_provider:revoke-token": {"GET": "method", "POST": "bad"},
    "oauth2_provider:rp-initiated-logout": {
        "GET": {"anonymous": "redirect", "*": "ok"},
        "POST": {"anonymous": "redirect", "*": "bad"},
    },
    "oauth2_provider:token": {"GET": "method", "POST": "bad"},
    "oauth2_provider:user-info": {"GET": "unauthorized", "POST": "unauthorized"},
    "operators:business_add": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "operators:business_add_details": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "operators:business_add_done": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "operators:business_add_name": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "operators:business_detail": {
        "GET": {
            "anonymous": "login",
            "stranger": "hidden",
            "members": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "members": "forbidden",
            "stranger": "hidden",
            "verified": "ok",
            "own_case": "forbidden",
            "*": "hidden",
        },
    },
    "operators:business_document": {
        "GET": {
            "anonymous": "login",
            "pending": "ok",
            "rejected": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "pending": "ok",
            "rejected": "ok",
            "own_case": "ok",
            "*": "hidden",
        },
    },
    "operators:business_remove": {
        "GET": {
            "anonymous": "login",
            "members": "ok",
            "stranger": "hidden",
            "own_case": "ok",
            "*": "hidden",
        },
        "POST": {
            "anonymous": "login",
            "members": "redirect",
            "stranger": "hidden",
            "own_case": "redirect",
            "*": "hidden",
        },
    },
    "operators:businesses": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "ok"},
    },
    "operators:holder_removal": {
        "GET": {"anonymous": "login", "verified": "ok", "*": "hidden"},
        "POST": {"anonymous": "login", "verified": "ok", "*": "hidden"},
    },
    "operators:registry_changes": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "*": "hidden"},
    },
    # BILL-08: banks' servers call it; CSRF-exempt, refused without the bank's signature.
    "payments:bank_callback": {"GET": "method", "POST": "unauthorized"},
    "sandbox:bank": {"GET": "ok", "POST": "bad"},
    "sandbox:bank_statement": {"GET": "ok", "POST": "method"},
    "sandbox:connected_backchannel_logout": {"GET": "method", "POST": "bad"},
    "sandbox:connected_callback": {"GET": "redirect", "POST": "redirect"},
    "sandbox:connected_home": {"GET": "ok", "POST": "ok"},
    "sandbox:connected_login": {"GET": "redirect", "POST": "redirect"},
    "sandbox:connected_logout": {"GET": "method", "POST": "redirect"},
    "sandbox:outbox": {"GET": "ok", "POST": "method"},
    "sandbox:outbox_json": {"GET": "ok", "POST": "method"},
    "sandbox:registries": {"GET": "ok", "POST": "bad"},
    "sandbox:authenticator": {"GET": "ok", "POST": "bad"},
    "sandbox:thaid_app": {"GET": "hidden", "POST": "hidden"},
    "sandbox:thaid_authorize": {"GET": "bad", "POST": "method"},
    "sandbox:thaid_continue": {"GET": "hidden", "POST": "method"},
    "sandbox:thaid_discovery": {"GET": "ok", "POST": "method"},
    "sandbox:thaid_jwks": {"GET": "ok", "POST": "method"},
    "sandbox:thaid_qr": {"GET": "hidden", "POST": "method"},
    "sandbox:thaid_status": {"GET": "hidden", "POST": "method"},
    "sandbox:thaid_token": {"GET": "method", "POST": "unauthorized"},
    "sandbox:thaid_userinfo": {"GET": "unauthorized", "POST": "unauthorized"},
    "services:consent": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
    "services:detail": {
        "GET": {"anonymous": "login", "*": "ok"},
        "POST": {"anonymous": "login", "verified": "redirect", "*": "ok"},
    },
    "services:faq": {"GET": "ok", "POST": "method"},
    "services:guide": {"GET": "ok", "POST": "method"},
    "services:index": {"GET": "ok", "POST": "ok"},
    "services:open": {
        "GET": {"anonymous": "login", "*": "redirect"},
        "POST": {"anonymous": "login", "*": "redirect"},
    },
}

# SSO-09 (issue 12): a member takes the name the civil registry gives now for their own.
EXPECTED["accounts:registry_name"] = {
    "GET": {"anonymous": "login", "*": "method"},
    "POST": {"anonymous": "login", "*": "redirect"},
}


@pytest.fixture(autouse=True)
def _permit_procedures(tmp_path, settings):
    """The permits pages read procedure definitions: the shipped ones and the permits tests'
    own (the world's draft is of it), in a tmp PROCEDURES_DIR."""
    folder = tmp_path / "procedures"
    folder.mkdir()
    for shipped in Path(settings.PROCEDURES_DIR).glob("*.yaml"):
        (folder / shipped.name).write_text(shipped.read_text(encoding="utf-8"))
    source = Path(__file__).parent / "permits" / "data" / "test-relocation.yaml"
    (folder / "test-relocation.yaml").write_text(source.read_text(encoding="utf-8"))
    # The officer's pages are tested on the officer tests' own restart procedure.
    (folder / "test-restart.yaml").write_text(OFFICER_TEST_RESTART, encoding="utf-8")
    settings.PROCEDURES_DIR = str(folder)
    procedures_cached.cache_clear()
    yield
    procedures_cached.cache_clear()


def test_adm_01_every_url_pattern_has_an_expected_answer():
    """ADM-01: Every URL pattern has an expected answer."""
    names = {name for name, _route in url_patterns()}
    assert sorted(names - set(EXPECTED)) == []  # a URL without an expected answer
    assert sorted(set(EXPECTED) - names) == []  # an answer for a URL that is gone


@pytest.mark.parametrize("role", ROLES)
def test_adm_01_biz_09_sso_04_permission_matrix(role, world, monkeypatch):
    # The sample connected system reaches the portal in-process, as in its own tests.
    """ADM-01, BIZ-09, SSO-04: Permission matrix."""
    monkeypatch.setattr(connected_client, "TRANSPORT", httpx.WSGITransport(app=InProcessPortal()))
    w = build_world()
    client = client_for(role, w)
    observed, wrong = {}, []
    for name, route in url_patterns():
        url = resolve_url(name, **url_kwargs(route, role, w))
        for method in ("GET", "POST"):
            got = observe(client, method, url, POST_DATA.get(name, {}))
            observed[(name, method)] = got
            spec = EXPECTED.get(name, {}).get(method)
            want = _expected(spec, role) if spec is not None else None
            if got != want:
                wrong.append(f"{name} {method} as {role}: {got}, expected {want}")
    if os.environ.get("MATRIX_OBSERVE"):
        for (name, method), got in sorted(observed.items()):
            print(f"OBSERVED {role} {name} {method} {got}")
    assert wrong == []


# --- issue 11: the public citizen manuals (PRM-02) -------------------------------------------
_url_kwargs_before_manuals = url_kwargs


def url_kwargs(route: str, role: str, w: dict) -> dict:
    """The manual routes take a procedure's code: a shipped definition's."""
    kwargs = _url_kwargs_before_manuals(route, role, w)
    if "<slug:procedure_code>" in route:
        # A new factory's start (PRM-05): the shipped procedure that starts from a business.
        business = route.startswith("applications/new/business/")
        kwargs["procedure_code"] = "factory-licence" if business else "machinery-relocation"
    return kwargs


EXPECTED.update(
    {
        "procedures:list": {"GET": "ok", "POST": "method"},
        "procedures:detail": {"GET": "ok", "POST": "method"},
    }
)
