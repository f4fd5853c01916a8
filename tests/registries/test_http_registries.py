"""The HTTP DBD, RD, DOAE and DIW adapters against local fake registries: the APIs of
portal.registries.http, timeouts, retries, circuit breakers, answers checked against what was
asked, and no national ID in any log line."""

import datetime as dt
import logging
import time
from decimal import Decimal

import pytest
from werkzeug import Response

from portal.registries.base import RegistryUnavailable
from portal.registries.dbd import CommercialRegistration, Director
from portal.registries.doae import CommunityEnterprise
from portal.registries.http import (
    HttpCommercialRegistry,
    HttpCommunityEnterpriseRegistry,
    HttpFactoryRegistry,
    HttpJuristicPersonRegistry,
    HttpTaxpayerRegistry,
)
from portal.registries.rd import Taxpayer
from tests.factories import make_pid
from tests.registries.test_sandbox_registries import (
    company_record,
    factory_no,
    factory_record,
    foreign_director,
    thai_director,
    thirteen_digit_id,
)

JURISTIC_PERSONS = "/dbd/juristic-persons/lookup"
COMMERCIAL = "/dbd/commercial-registrations/search"
TAXPAYER = "/rd/taxpayers/lookup"
BRANCHES = "/rd/taxpayers/branches"
ENTERPRISE = "/doae/community-enterprises/lookup"
ENTERPRISES = "/doae/community-enterprises/search"
FACTORY = "/diw/factories/lookup"
FACTORIES = "/diw/factories/search"
REGISTRIES = ("dbd", "rd", "doae", "diw")


# server, fresh_server, quick_http_client and hanging_server: tests/registries/conftest.py


@pytest.fixture(autouse=True)
def fake_registries(fresh_server, quick_http_client, settings):
    for registry in REGISTRIES:
        setattr(settings, f"{registry.upper()}_URL", fresh_server.url_for(f"/{registry}"))
        setattr(settings, f"{registry.upper()}_TOKEN", f"{registry}-token")


@pytest.fixture
def ids():
    return {
        "person": make_pid(),
        "thai_director": make_pid(),
        "company": thirteen_digit_id("010556100001"),
        "tax_id": thirteen_digit_id("099400015837"),
        "factory": factory_no("1010000125620"),
        "enterprise": "1-50-01-01/1-0001",
    }


def company(ids) -> dict:
    return company_record(
        ids["company"],
        [thai_director(ids["thai_director"]), foreign_director("TK1234567", "Yuki Sato", "JP")],
    )


def registration(owner_pid: str, number: str, status: str) -> dict:
    return {
        "registration_no": number,
        "owner_pid": owner_pid,
        "trade_name_th": f"ร้าน {number}",
        "status": status,
    }


def taxpayer(tax_id: str, branch: str) -> dict:
    return {
        "tax_id": tax_id,
        "kind": "state_enterprise",
        "name_th": f"การไฟฟ้า สาขา {branch}",
        "name_en": "Electricity Authority",
        "branch": branch,
    }


def enterprise(ids, **fields) -> dict:
    return {
        "registration_no": ids["enterprise"],
        "name_th": "วิสาหกิจชุมชนทอผ้าบ้านนา",
        "representative_pid": ids["person"],
        "is_juristic": False,
        **fields,
    }


def sent_without_id_in_url(server, *secrets: str) -> bool:
    """Every request so far kept the IDs in its body: none in a path or query string."""
    return all(
        request.query_string == b"" and not any(s in request.url for s in secrets)
        for request, _ in server.log
    )


# DBD


def test_biz_04_juristic_person_with_directors_from_dbd(server, ids):
    """BIZ-04: Juristic person with directors from DBD."""
    server.expect_request(
        JURISTIC_PERSONS,
        method="POST",
        json={"juristic_id": ids["company"]},
        headers={"Authorization": "Bearer dbd-token"},
    ).respond_with_json(company(ids))

    found = HttpJuristicPersonRegistry().lookup(ids["company"])

    assert (found.juristic_id, found.name_en, found.kind) == (
        ids["company"],
        "THAI PLASTIC CO., LTD.",
        "company_limited",
    )
    assert (found.registered_on, found.capital_baht) == (dt.date(2018, 3, 1), 5000000)
    assert found.objective == "ผลิตและจำหน่ายเม็ดพลาสติก"
    assert found.address["postcode"] == "10150"
    assert found.directors == (
        Director(ids["thai_director"], None, "นายสมศักดิ์ รักไทย", "Somsak Rakthai", "TH", False),
        Director(None, "TK1234567", "", "Yuki Sato", "JP", True),
    )
    assert found.only_foreign_directors is False
    assert sent_without_id_in_url(server, ids["company"])


def test_biz_04_the_juristic_id_is_sent_as_digits_however_typed(server, ids):
    """BIZ-04: The juristic ID is sent as digits however typed."""
    juristic_id = ids["company"]
    server.expect_request(
        JURISTIC_PERSONS, method="POST", json={"juristic_id": juristic_id}
    ).respond_with_json(company(ids))

    typed = f"{juristic_id[0]}-{juristic_id[1:5]}-{juristic_id[5:10]}-{juristic_id[10:]}"

    assert HttpJuristicPersonRegistry().lookup(typed).juristic_id == juristic_id


def test_biz_05_a_company_with_only_foreign_directors(server, ids):
    """BIZ-05: A company with only foreign directors."""
    record = company_record(
        ids["company"],
        [
            foreign_director("JP3258537", "Takeshi Yamada", "JP"),
            foreign_director("KR6430061", "Min-jun Kim", "kr"),
        ],
    )
    server.expect_request(JURISTIC_PERSONS, method="POST").respond_with_json(record)

    found = HttpJuristicPersonRegistry().lookup(ids["company"])

    assert found.only_foreign_directors is True
    assert [(d.pid, d.passport_no, d.nationality) for d in found.directors] == [
        (None, "JP3258537", "JP"),
        (None, "KR6430061", "KR"),
    ]


def test_biz_03_commercial_registrations_of_a_person_active_first(server, ids):
    """BIZ-03: Commercial registrations of a person active first."""
    pid = ids["person"]
    server.expect_request(
        COMMERCIAL,
        method="POST",
        json={"owner_pid": pid},
        headers={"Authorization": "Bearer dbd-token"},
    ).respond_with_json(
        {
            "registrations": [
                registration(pid, "3101200012345", "cancelled"),
                registration(pid, "3101200054321", "active"),
            ]
        }
    )

    registrations = HttpCommercialRegistry().registrations_of(pid)

    assert registrations == [
        CommercialRegistration("3101200054321", pid, "ร้าน 3101200054321", "active"),
        CommercialRegistration("3101200012345", pid, "ร้าน 3101200012345", "cancelled"),
    ]
    assert sent_without_id_in_url(server, pid)


# RD


def test_biz_06_taxpayer_lookup_by_0994_tax_id(server, ids):
    """BIZ-06: Taxpayer lookup by 0994 tax ID."""
    server.expect_request(
        TAXPAYER,
        method="POST",
        json={"tax_id": ids["tax_id"], "branch": "00000"},
        headers={"Authorization": "Bearer rd-token"},
    ).respond_with_json(taxpayer(ids["tax_id"], "00000"))

    found = HttpTaxpayerRegistry().lookup(ids["tax_id"])

    assert found == Taxpayer(
        tax_id=ids["tax_id"],
        kind="state_enterprise",
        name_th="การไฟฟ้า สาขา 00000",
        name_en="Electricity Authority",
        branch="00000",
    )
    assert sent_without_id_in_url(server, ids["tax_id"])


def test_biz_06_taxpayer_lookup_of_a_branch_sends_it_as_five_digits(server, ids):
    """BIZ-06: Taxpayer lookup of a branch sends it as five digits."""
    server.expect_request(
        TAXPAYER, method="POST", json={"tax_id": ids["tax_id"], "branch": "00012"}
    ).respond_with_json(taxpayer(ids["tax_id"], "00012"))

    assert HttpTaxpayerRegistry().lookup(ids["tax_id"], "12").branch == "00012"


def test_biz_06_taxpayer_branches_head_office_first(server, ids):
    """BIZ-06: Taxpayer branches head office first."""
    tax_id = ids["tax_id"]
    server.expect_request(BRANCHES, method="POST", json={"tax_id": tax_id}).respond_with_json(
        {"branches": [taxpayer(tax_id, "00002"), taxpayer(tax_id, "00000")]}
    )

    branches = HttpTaxpayerRegistry().branches(tax_id)

    assert [t.branch for t in branches] == ["00000", "00002"]
    assert branches[0].is_head_office


def test_without_a_token_no_authorization_header_is_sent(server, settings, ids):
    settings.RD_TOKEN = ""
    server.expect_request(BRANCHES, method="POST").respond_with_json({"branches": []})

    assert HttpTaxpayerRegistry().branches(ids["tax_id"]) == []
    ((request, _),) = server.log
    assert "Authorization" not in request.headers


# DOAE


def test_biz_07_community_enterprise_by_representative(server, ids):
    """BIZ-07: Community enterprise by representative."""
    server.expect_request(
        ENTERPRISES,
        method="POST",
        json={"representative_pid": ids["person"]},
        headers={"Authorization": "Bearer doae-token"},
    ).respond_with_json({"community_enterprises": [enterprise(ids)]})

    enterprises = HttpCommunityEnterpriseRegistry().represented_by(ids["person"])

    assert enterprises == [
        CommunityEnterprise(
            registration_no=ids["enterprise"],
            name_th="วิสาหกิจชุมชนทอผ้าบ้านนา",
            representative_pid=ids["person"],
            is_juristic=False,
        )
    ]
    assert sent_without_id_in_url(server, ids["person"])


def test_biz_07_community_enterprise_lookup_by_registration_no(server, ids):
    """BIZ-07: Community enterprise lookup by registration no."""
    server.expect_request(
        ENTERPRISE, method="POST", json={"registration_no": ids["enterprise"]}
    ).respond_with_json(enterprise(ids, is_juristic=True))

    found = HttpCommunityEnterpriseRegistry().lookup(f" {ids['enterprise']} ")

    assert (found.registration_no, found.is_juristic) == (ids["enterprise"], True)


# DIW


def test_fac_01_factories_of_an_operator(server, ids):
    """FAC-01: Factories of an operator."""
    second = factory_no("7123000345640")
    server.expect_request(
        FACTORIES,
        method="POST",
        json={"operator_id": ids["company"]},
        headers={"Authorization": "Bearer diw-token"},
    ).respond_with_json(
        {
            "factories": [
                factory_record(ids["factory"], ids["company"]),
                factory_record(second, ids["company"], status="temporarily_stopped"),
            ]
        }
    )

    factories = HttpFactoryRegistry().factories_of(ids["company"])

    assert [(f.factory_no, f.status) for f in factories] == [
        (ids["factory"], "operating"),
        (second, "temporarily_stopped"),
    ]
    first = factories[0]
    assert first.horsepower == Decimal("1250.75")  # exact, as the world loader reads it
    assert (first.factory_class, first.workers, first.licence) == (3, 180, "ror_ngor_4")
    assert (first.operation_started_on, first.licensed_on) == (
        dt.date(2005, 11, 30),
        dt.date(2005, 6, 1),
    )
    assert first.address["industrial_estate"] == "นิคมอุตสาหกรรมบางพลี"
    assert first.address["industrial_zone"] is None
    assert (first.supervisor, first.latitude, first.longitude) == ("IEAT", 13.6121, 100.7421)
    assert sent_without_id_in_url(server, ids["company"])


def test_fac_01_factory_lookup_by_number(server, ids):
    """FAC-01: Factory lookup by number."""
    server.expect_request(
        FACTORY, method="POST", json={"factory_no": ids["factory"]}
    ).respond_with_json(factory_record(ids["factory"], ids["person"], operation_started_on=None))

    found = HttpFactoryRegistry().lookup(ids["factory"])

    assert (found.factory_no, found.operator_id) == (ids["factory"], ids["person"])
    assert found.operation_started_on is None


# Every call: not found, timeouts, retries, outages.

CALLS = {
    "juristic_person": (
        "dbd",
        JURISTIC_PERSONS,
        lambda ids: HttpJuristicPersonRegistry().lookup(ids["company"]),
        lambda ids: company(ids),
    ),
    "commercial_registrations": (
        "dbd",
        COMMERCIAL,
        lambda ids: HttpCommercialRegistry().registrations_of(ids["person"]),
        lambda ids: {"registrations": [registration(ids["person"], "3101200054321", "active")]},
    ),
    "taxpayer": (
        "rd",
        TAXPAYER,
        lambda ids: HttpTaxpayerRegistry().lookup(ids["tax_id"]),
        lambda ids: taxpayer(ids["tax_id"], "00000"),
    ),
    "taxpayer_branches": (
        "rd",
        BRANCHES,
        lambda ids: HttpTaxpayerRegistry().branches(ids["tax_id"]),
        lambda ids: {"branches": [taxpayer(ids["tax_id"], "00000")]},
    ),
    "community_enterprise": (
        "doae",
        ENTERPRISE,
        lambda ids: HttpCommunityEnterpriseRegistry().lookup(ids["enterprise"]),
        lambda ids: enterprise(ids),
    ),
    "community_enterprises": (
        "doae",
        ENTERPRISES,
        lambda ids: HttpCommunityEnterpriseRegistry().represented_by(ids["person"]),
        lambda ids: {"community_enterprises": [enterprise(ids)]},
    ),
    "factory": (
        "diw",
        FACTORY,
        lambda ids: HttpFactoryRegistry().lookup(ids["factory"]),
        lambda ids: factory_record(ids["factory"], ids["company"]),
    ),
    "factories": (
        "diw",
        FACTORIES,
        lambda ids: HttpFactoryRegistry().factories_of(ids["company"]),
        lambda ids: {"factories": [factory_record(ids["factory"], ids["company"])]},
    ),
}
LOOKUPS = ["juristic_person", "taxpayer", "community_enterprise", "factory"]
SEARCHES = ["commercial_registrations", "taxpayer_branches", "community_enterprises", "factories"]


@pytest.mark.parametrize("call", LOOKUPS)
def test_a_lookup_the_registry_answers_404_is_none(server, ids, call):
    _, path, ask, _ = CALLS[call]
    server.expect_request(path, method="POST").respond_with_data("", status=404)

    assert ask(ids) is None
    assert len(server.log) == 1


@pytest.mark.parametrize("call", SEARCHES)
def test_a_search_the_registry_answers_404_or_empty_is_an_empty_list(server, ids, call):
    _, path, ask, answer = CALLS[call]
    (key,) = answer(ids)
    server.expect_oneshot_request(path, method="POST").respond_with_data("", status=404)
    server.expect_oneshot_request(path, method="POST").respond_with_json({key: []})

    assert ask(ids) == []
    assert ask(ids) == []


@pytest.mark.parametrize("call", CALLS)
def test_acc_05_registry_timeout_raises_unavailable_after_retries(
    settings, ids, hanging_server, call
):
    """ACC-05: Registry timeout raises unavailable after retries."""
    registry, path, ask, _ = CALLS[call]
    fake, calls = hanging_server
    setattr(settings, f"{registry.upper()}_URL", fake.url_for(f"/{registry}"))
    settings.REGISTRY_TIMEOUT_SECONDS = 0.2

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as raised:
        ask(ids)

    assert (raised.value.registry, raised.value.reason) == (registry, "timeout")
    assert calls == [path] * 3  # a lookup only reads: tried again twice
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("call", CALLS)
def test_a_call_is_retried_on_5xx_and_then_succeeds(server, ids, call):
    _, path, ask, answer = CALLS[call]
    server.expect_oneshot_request(path, method="POST").respond_with_data("", status=503)
    server.expect_oneshot_request(path, method="POST").respond_with_data("", status=502)
    server.expect_request(path, method="POST").respond_with_json(answer(ids))

    assert ask(ids)
    assert [response.status_code for _, response in server.log] == [503, 502, 200]


@pytest.mark.parametrize("call", CALLS)
def test_acc_05_registry_down_raises_unavailable_with_its_name_when_retries_run_out(
    server, ids, call
):
    """ACC-05: Registry down raises unavailable with its name when retries run out."""
    registry, path, ask, _ = CALLS[call]
    server.expect_request(path, method="POST").respond_with_data("", status=503)

    with pytest.raises(RegistryUnavailable) as raised:
        ask(ids)

    assert (raised.value.registry, raised.value.reason) == (registry, "down")
    assert len(server.log) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 500])
def test_acc_05_other_answers_are_an_outage_not_retried(server, ids, status):
    """ACC-05: Other answers are an outage not retried."""
    server.expect_request(FACTORIES, method="POST").respond_with_data("", status=status)

    with pytest.raises(RegistryUnavailable) as raised:
        HttpFactoryRegistry().factories_of(ids["company"])

    assert (raised.value.registry, raised.value.reason) == ("diw", "down")
    assert len(server.log) == 1


def test_circuit_opens_for_both_dbd_ports_and_leaves_the_others_alone(server, settings, ids):
    settings.REGISTRY_RETRIES = 0
    server.expect_request(JURISTIC_PERSONS, method="POST").respond_with_data("", status=503)
    server.expect_request(TAXPAYER, method="POST").respond_with_json(
        taxpayer(ids["tax_id"], "00000")
    )
    dbd = HttpJuristicPersonRegistry()
    for _ in range(3):
        with pytest.raises(RegistryUnavailable) as raised:
            dbd.lookup(ids["company"])
        assert raised.value.reason == "down"

    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as lookup:
        dbd.lookup(ids["company"])
    with pytest.raises(RegistryUnavailable) as search:
        HttpCommercialRegistry().registrations_of(ids["person"])

    assert (lookup.value.registry, lookup.value.reason) == ("dbd", "circuit_open")
    assert (search.value.registry, search.value.reason) == ("dbd", "circuit_open")
    assert len(server.log) == 3  # DBD was not called again
    assert time.monotonic() - started < 0.5
    assert HttpTaxpayerRegistry().lookup(ids["tax_id"]).branch == "00000"


@pytest.mark.parametrize("call", ["taxpayer_branches", "community_enterprise", "factories"])
def test_circuit_open_for_each_registry_fails_fast(server, settings, ids, call):
    registry, path, ask, _ = CALLS[call]
    settings.REGISTRY_RETRIES = 0
    server.expect_request(path, method="POST").respond_with_data("", status=504)
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            ask(ids)

    with pytest.raises(RegistryUnavailable) as raised:
        ask(ids)

    assert (raised.value.registry, raised.value.reason) == (registry, "circuit_open")
    assert len(server.log) == 3


def test_circuit_half_opens_after_the_reset_timeout(server, settings, ids):
    settings.REGISTRY_RETRIES = 0
    settings.REGISTRY_BREAKER_RESET_SECONDS = 0.3
    server.expect_request(FACTORY, method="POST").respond_with_data("", status=503)
    diw = HttpFactoryRegistry()
    for _ in range(3):
        with pytest.raises(RegistryUnavailable):
            diw.lookup(ids["factory"])

    time.sleep(0.35)
    server.clear_all_handlers()
    server.expect_request(FACTORY, method="POST").respond_with_json(
        factory_record(ids["factory"], ids["company"])
    )

    assert diw.lookup(ids["factory"]).factory_no == ids["factory"]
    assert diw.lookup(ids["factory"]).factory_no == ids["factory"]


# Answers not in the format: a bad response, never a partial result.


BAD_ANSWERS = [
    (
        "juristic_person",
        lambda ids: {**company(ids), "juristic_id": thirteen_digit_id("010559900001")},
    ),
    ("juristic_person", lambda ids: {**company(ids), "directors": [{"pid": 1101700230705}]}),
    ("juristic_person", lambda ids: {**company(ids), "capital_baht": "a lot"}),
    ("juristic_person", lambda ids: {"name_th": "ไม่มีเลขทะเบียน"}),
    ("taxpayer", lambda ids: taxpayer(ids["tax_id"], "00001")),  # another branch than asked
    ("community_enterprise", lambda ids: {**enterprise(ids), "registration_no": "2-00-00"}),
    ("factory", lambda ids: factory_record(factory_no("1010000999990"), ids["company"])),
    ("factory", lambda ids: factory_record(ids["factory"], ids["company"], horsepower="big")),
    ("commercial_registrations", lambda ids: {"registrations": "none"}),
    ("commercial_registrations", lambda ids: {"trade_names": []}),
    (
        "commercial_registrations",
        lambda ids: {
            "registrations": [
                registration(ids["person"], "3101200054321", "active"),
                registration(make_pid(), "3101200012345", "active"),
            ]
        },
    ),
    (
        "taxpayer_branches",
        lambda ids: {"branches": [taxpayer(ids["tax_id"], "00000"), None]},
    ),
    (
        "community_enterprises",
        lambda ids: {"community_enterprises": [enterprise(ids, is_juristic="yes")]},
    ),
    (
        "factories",
        lambda ids: {
            "factories": [
                factory_record(ids["factory"], ids["company"]),
                factory_record(factory_no("1010000999990"), ids["company"], workers=1.5),
            ]
        },
    ),
]


@pytest.mark.parametrize(
    ("call", "answer"),
    BAD_ANSWERS,
    ids=[
        "another-company",
        "director-pid-not-text",
        "capital-not-a-number",
        "no-juristic-id",
        "another-branch",
        "another-enterprise",
        "another-factory",
        "horsepower-not-a-number",
        "registrations-not-a-list",
        "no-registrations",
        "one-registration-of-another-owner",
        "one-branch-not-an-object",
        "one-enterprise-with-a-bad-field",
        "one-factory-with-a-bad-field",
    ],
)
def test_an_answer_not_in_the_format_is_a_bad_response_and_no_partial_result(
    server, ids, call, answer
):
    registry, path, ask, _ = CALLS[call]
    server.expect_request(path, method="POST").respond_with_json(answer(ids))
    answers = []

    with pytest.raises(RegistryUnavailable) as raised:
        answers.append(ask(ids))

    assert (raised.value.registry, raised.value.reason) == (registry, "bad_response")
    assert answers == []


@pytest.mark.parametrize(
    "answer",
    [
        Response("<html>maintenance</html>", content_type="text/html"),
        Response("[]", content_type="application/json"),
        Response(b'{"name_th": "\xc3\x28"}', content_type="application/json"),
    ],
    ids=["not-json", "not-an-object", "not-utf-8"],
)
@pytest.mark.parametrize("call", ["juristic_person", "factories"])
def test_an_answer_that_is_not_a_json_object_is_a_bad_response(server, ids, call, answer):
    registry, path, ask, _ = CALLS[call]
    server.expect_request(path, method="POST").respond_with_response(answer)

    with pytest.raises(RegistryUnavailable) as raised:
        ask(ids)

    assert (raised.value.registry, raised.value.reason) == (registry, "bad_response")


@pytest.mark.parametrize("registry", REGISTRIES)
def test_without_its_url_a_registry_is_unavailable_and_not_called(server, settings, ids, registry):
    setattr(settings, f"{registry.upper()}_URL", "")
    calls = [name for name, (owner, *_) in CALLS.items() if owner == registry]

    for call in calls:
        with pytest.raises(RegistryUnavailable) as raised:
            CALLS[call][2](ids)
        assert (raised.value.registry, raised.value.reason) == (registry, "down")
    assert server.log == []


def test_no_national_id_in_any_log_line(server, settings, ids, caplog, hanging_server):
    caplog.set_level(logging.DEBUG)
    pid = ids["person"]

    server.expect_oneshot_request(COMMERCIAL, method="POST").respond_with_data("", status=503)
    server.expect_oneshot_request(COMMERCIAL, method="POST").respond_with_json(
        {"registrations": [registration(pid, "3101200054321", "active")]}
    )
    HttpCommercialRegistry().registrations_of(pid)
    server.expect_oneshot_request(COMMERCIAL, method="POST").respond_with_json(
        {"registrations": [{**registration(pid, "3101200054321", "active"), "status": 7}]}
    )
    with pytest.raises(RegistryUnavailable):
        HttpCommercialRegistry().registrations_of(pid)
    server.expect_oneshot_request(ENTERPRISES, method="POST").respond_with_json(
        {"community_enterprises": [enterprise(ids, representative_pid=make_pid())]}
    )
    with pytest.raises(RegistryUnavailable):
        HttpCommunityEnterpriseRegistry().represented_by(pid)
    server.expect_oneshot_request(JURISTIC_PERSONS, method="POST").respond_with_json(
        {**company(ids), "directors": [{"pid": int(ids["thai_director"])}]}
    )
    with pytest.raises(RegistryUnavailable):
        HttpJuristicPersonRegistry().lookup(ids["company"])
    server.expect_oneshot_request(FACTORIES, method="POST").respond_with_data("", status=500)
    with pytest.raises(RegistryUnavailable):
        HttpFactoryRegistry().factories_of(pid)
    fake, _ = hanging_server
    settings.DOAE_URL = fake.url_for("/doae")
    settings.REGISTRY_TIMEOUT_SECONDS = 0.1
    with pytest.raises(RegistryUnavailable):
        HttpCommunityEnterpriseRegistry().represented_by(pid)

    assert "retrying" in caplog.text  # the log says what happened ...
    assert "'status'" in caplog.text
    assert "another ID" in caplog.text
    assert "'pid'" in caplog.text
    assert pid not in caplog.text  # ... and not to whom
    assert ids["thai_director"] not in caplog.text
