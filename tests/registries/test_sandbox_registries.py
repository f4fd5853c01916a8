"""The sandbox DBD, RD, DOAE and DIW adapters: juristic persons, commercial registrations,
taxpayers, community enterprises and factories from the world, failures from the switches."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from portal.registries import http, sandbox
from portal.registries.base import RegistryUnavailable
from portal.registries.dbd import (
    CommercialRegistration,
    Director,
    JuristicPerson,
    commercial_registry,
    juristic_person_registry,
)
from portal.registries.diw import Factory, factory_registry
from portal.registries.doae import CommunityEnterprise, community_enterprise_registry
from portal.registries.failures import failure_set, failures_reset
from portal.registries.rd import Taxpayer, taxpayer_registry
from portal.sandbox.world_generator import factory_no_check_digit, thirteen_digit_check_digit
from tests.factories import make_pid

# The failure switches live in the database cache; no_failure_switches: conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_failure_switches")]

ADDRESS_FIELDS = ("house_no", "moo", "soi", "road", "subdistrict", "district", "province")


def thirteen_digit_id(first12: str) -> str:
    """A juristic or tax ID with a valid mod-11 check digit."""
    return first12 + thirteen_digit_check_digit(first12)


def factory_no(first13: str) -> str:
    """A 14-digit factory number with the sandbox worlds' check digit (FAC-04)."""
    return first13 + factory_no_check_digit(first13)


def address(**fields) -> dict:
    """An address as the world loader gives it: every field, None when unknown."""
    return {**dict.fromkeys((*ADDRESS_FIELDS, "postcode")), **fields}


def factory_address(**fields) -> dict:
    return {**address(), "industrial_estate": None, "industrial_zone": None, **fields}


def write_jsonl(path: Path, rows: list[dict]) -> None:
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_text("".join(lines), encoding="utf-8")


def company_record(juristic_id: str, directors: list[dict], **fields) -> dict:
    """A juristic_persons.jsonl line."""
    return {
        "juristic_id": juristic_id,
        "kind": "company_limited",
        "name_th": "บริษัท พลาสติกไทย จำกัด",
        "name_en": "THAI PLASTIC CO., LTD.",
        "previous_names_th": ["บริษัท พลาสติกสยาม จำกัด"],
        "registered_on": "2018-03-01",
        "status": "active",
        "capital_baht": 5000000,
        "objective": "ผลิตและจำหน่ายเม็ดพลาสติก",
        "address": {"house_no": "99/1", "road": "ถนนพระราม 2", "district": "บางขุนเทียน",
                    "province": "กรุงเทพมหานคร", "postcode": "10150"},
        "directors": directors,
        **fields,
    }  # fmt: skip


def thai_director(pid: str, **fields) -> dict:
    return {"pid": pid, "name_th": "นายสมศักดิ์ รักไทย", "name_en": "Somsak Rakthai",
            "nationality": "TH", "can_sign": False, **fields}  # fmt: skip


def foreign_director(passport_no: str, name_en: str, nationality: str, **fields) -> dict:
    return {"passport_no": passport_no, "name_en": name_en, "nationality": nationality,
            "can_sign": True, **fields}  # fmt: skip


def factory_record(number: str, operator_id: str, **fields) -> dict:
    """A factories.jsonl line."""
    return {
        "factory_no": number,
        "factory_no_old": "จ3-53(5)-1/45กท",
        "name_th": "โรงงานพลาสติกไทย",
        "operator_id": operator_id,
        "licence": "ror_ngor_4",
        "factory_class": 3,
        "category": "53(5)",
        "horsepower": 1250.75,
        "workers": 180,
        "status": "operating",
        "operation_started_on": "2005-11-30",
        "licensed_on": "2005-06-01",
        "address": {"house_no": "7", "road": "ถนนบางนา-ตราด", "district": "บางพลี",
                    "province": "สมุทรปราการ", "postcode": "10540",
                    "industrial_estate": "นิคมอุตสาหกรรมบางพลี", "industrial_zone": None},
        "supervisor": "IEAT",
        "latitude": 13.6121,
        "longitude": 100.7421,
        **fields,
    }  # fmt: skip


def write_small_world(root: Path) -> dict[str, str]:
    """One record or two of each registry, linked as the format links them; their IDs."""
    ids = {
        "person": make_pid(),
        "thai_director": make_pid(),
        "company": thirteen_digit_id("010556100001"),
        "foreign_company": thirteen_digit_id("010556200002"),
        "tax_id": thirteen_digit_id("099400015837"),
        "plastics": factory_no("1010000125620"),
        "warehouse": factory_no("7123000345640"),
        "mill": factory_no("2030000225630"),
        "enterprise": "1-50-01-01/1-0001",
        "juristic_enterprise": "4-10-02-03/1-0042",
    }
    ids["juristic_enterprise_id"] = thirteen_digit_id("055356000123")
    write_jsonl(
        root / "juristic_persons.jsonl",
        [
            company_record(
                ids["company"],
                [
                    thai_director(ids["thai_director"]),
                    foreign_director("TK1234567", "Yuki Sato", "jp", name_th="ยูกิ ซาโต้"),
                ],
            ),
            company_record(
                ids["foreign_company"],
                [
                    foreign_director("JP3258537", "Takeshi Yamada", "JP"),
                    foreign_director("KR6430061", "Min-jun Kim", "KR", can_sign=False),
                ],
                name_th="บริษัท ยามาดะ (ประเทศไทย) จำกัด",
                name_en="YAMADA (THAILAND) CO., LTD.",
                previous_names_th=[],
            ),
        ],
    )
    write_jsonl(
        root / "commercial_registrations.jsonl",
        [
            {"registration_no": "3101200012345", "owner_pid": ids["person"],
             "trade_name_th": "ร้านสมใจ", "status": "cancelled"},
            {"registration_no": "3101200054321", "owner_pid": ids["person"],
             "trade_name_th": "ร้านสมใจการช่าง", "status": "active"},
            {"registration_no": "3101200099999", "owner_pid": ids["thai_director"],
             "trade_name_th": "ร้านอื่น", "status": "active"},
        ],
    )  # fmt: skip
    write_jsonl(
        root / "taxpayers.jsonl",
        [
            {"tax_id": ids["tax_id"], "kind": "cooperative", "name_th": "สหกรณ์โคนม สาขา 1",
             "name_en": None, "branch": "00001"},
            {"tax_id": ids["tax_id"], "kind": "cooperative", "name_th": "สหกรณ์โคนม จำกัด",
             "name_en": "Dairy Cooperative Ltd.", "branch": "00000"},
        ],
    )  # fmt: skip
    write_jsonl(
        root / "community_enterprises.jsonl",
        [
            {"registration_no": ids["enterprise"], "name_th": "วิสาหกิจชุมชนทอผ้าบ้านนา",
             "representative_pid": ids["person"], "is_juristic": False},
            {"registration_no": ids["juristic_enterprise"], "name_th": "วิสาหกิจชุมชนข้าวหอม",
             "representative_pid": ids["thai_director"], "is_juristic": True},
        ],
    )  # fmt: skip
    write_jsonl(
        root / "factories.jsonl",
        [
            factory_record(ids["plastics"], ids["company"]),
            factory_record(
                ids["warehouse"],
                ids["company"],
                name_th="โรงงานพลาสติกไทย 2",
                status="temporarily_stopped",
                licence="ieat_03_2",
            ),
            {"factory_no": ids["mill"], "name_th": "โรงสีข้าวสมใจ", "operator_id": ids["person"],
             "licence": "ror_ngor_2", "factory_class": 2, "category": "1(1)", "horsepower": 45,
             "status": "not_started", "operation_started_on": None},
        ],
    )  # fmt: skip
    return ids


@pytest.fixture
def ids(settings, tmp_path):
    """A small world of this test's own."""
    settings.SANDBOX_WORLD = str(tmp_path)
    return write_small_world(tmp_path)


@pytest.mark.parametrize(
    ("port", "sandbox_adapter", "http_adapter"),
    [
        (
            juristic_person_registry,
            sandbox.SandboxJuristicPersonRegistry,
            http.HttpJuristicPersonRegistry,
        ),
        (commercial_registry, sandbox.SandboxCommercialRegistry, http.HttpCommercialRegistry),
        (taxpayer_registry, sandbox.SandboxTaxpayerRegistry, http.HttpTaxpayerRegistry),
        (
            community_enterprise_registry,
            sandbox.SandboxCommunityEnterpriseRegistry,
            http.HttpCommunityEnterpriseRegistry,
        ),
        (factory_registry, sandbox.SandboxFactoryRegistry, http.HttpFactoryRegistry),
    ],
)
def test_each_port_gives_the_sandbox_adapter_in_sandbox_mode(
    settings, port, sandbox_adapter, http_adapter
):
    settings.REGISTRY_ADAPTER = "sandbox"
    assert isinstance(port(), sandbox_adapter)

    settings.REGISTRY_ADAPTER = "http"
    assert isinstance(port(), http_adapter)


# DBD juristic persons (BIZ-04, BIZ-05)


def test_biz_04_juristic_person_with_directors_from_dbd(ids):
    """BIZ-04: Juristic person with directors from DBD."""
    company = sandbox.SandboxJuristicPersonRegistry().lookup(ids["company"])

    assert company == JuristicPerson(
        juristic_id=ids["company"],
        kind="company_limited",
        name_th="บริษัท พลาสติกไทย จำกัด",
        name_en="THAI PLASTIC CO., LTD.",
        previous_names_th=("บริษัท พลาสติกสยาม จำกัด",),
        registered_on=dt.date(2018, 3, 1),
        status="active",
        capital_baht=5000000,
        objective="ผลิตและจำหน่ายเม็ดพลาสติก",
        address=address(
            house_no="99/1",
            road="ถนนพระราม 2",
            district="บางขุนเทียน",
            province="กรุงเทพมหานคร",
            postcode="10150",
        ),
        directors=(
            Director(
                pid=ids["thai_director"],
                passport_no=None,
                name_th="นายสมศักดิ์ รักไทย",
                name_en="Somsak Rakthai",
                nationality="TH",
                can_sign=False,
            ),
            Director(
                pid=None,
                passport_no="TK1234567",
                name_th="ยูกิ ซาโต้",
                name_en="Yuki Sato",
                nationality="JP",
                can_sign=True,
            ),
        ),
    )


def test_biz_04_any_thai_director_verifies_not_only_signing_ones(ids):
    """BIZ-04: Any thai director verifies not only signing ones."""
    company = sandbox.SandboxJuristicPersonRegistry().lookup(ids["company"])

    (thai,) = company.thai_directors
    assert (thai.pid, thai.can_sign, thai.is_thai) == (ids["thai_director"], False, True)
    assert company.only_foreign_directors is False
    assert [d.is_thai for d in company.directors] == [True, False]


def test_biz_04_lookup_accepts_the_juristic_id_as_people_type_it(ids):
    """BIZ-04: Lookup accepts the juristic ID as people type it."""
    juristic_id = ids["company"]
    typed = f" {juristic_id[0]}-{juristic_id[1:5]}-{juristic_id[5:10]}-{juristic_id[10:]} "

    assert sandbox.SandboxJuristicPersonRegistry().lookup(typed).juristic_id == juristic_id


def test_biz_04_lookup_of_an_unknown_juristic_id_is_none(ids):
    """BIZ-04: Lookup of an unknown juristic ID is none."""
    assert sandbox.SandboxJuristicPersonRegistry().lookup(thirteen_digit_id("010555999999")) is None


def test_biz_05_a_company_with_only_foreign_directors(ids):
    """BIZ-05: A company with only foreign directors."""
    company = sandbox.SandboxJuristicPersonRegistry().lookup(ids["foreign_company"])

    assert company.only_foreign_directors is True
    assert company.thai_directors == ()
    assert [(d.passport_no, d.nationality, d.pid) for d in company.directors] == [
        ("JP3258537", "JP", None),
        ("KR6430061", "KR", None),
    ]
    assert company.previous_names_th == ()


# DBD commercial registrations (BIZ-03)


def test_biz_03_commercial_registrations_of_a_person_active_first(ids):
    """BIZ-03: Commercial registrations of a person active first."""
    registrations = sandbox.SandboxCommercialRegistry().registrations_of(ids["person"])

    assert registrations == [
        CommercialRegistration("3101200054321", ids["person"], "ร้านสมใจการช่าง", "active"),
        CommercialRegistration("3101200012345", ids["person"], "ร้านสมใจ", "cancelled"),
    ]


def test_biz_03_a_person_without_commercial_registrations_has_none(ids):
    """BIZ-03: A person without commercial registrations has none."""
    assert sandbox.SandboxCommercialRegistry().registrations_of(make_pid()) == []


# RD taxpayers (BIZ-06, SSO-02)


def test_biz_06_taxpayer_lookup_by_0994_tax_id(ids):
    """BIZ-06: Taxpayer lookup by 0994 tax ID."""
    taxpayer = sandbox.SandboxTaxpayerRegistry().lookup(ids["tax_id"])

    assert taxpayer == Taxpayer(
        tax_id=ids["tax_id"],
        kind="cooperative",
        name_th="สหกรณ์โคนม จำกัด",
        name_en="Dairy Cooperative Ltd.",
        branch="00000",
    )
    assert taxpayer.is_head_office


@pytest.mark.parametrize("typed", ["00001", "1", "0001", " 00001 "])
def test_biz_06_taxpayer_lookup_of_a_branch_however_typed(ids, typed):
    """BIZ-06: Taxpayer lookup of a branch however typed."""
    taxpayer = sandbox.SandboxTaxpayerRegistry().lookup(ids["tax_id"], typed)

    assert (taxpayer.branch, taxpayer.name_th, taxpayer.name_en) == (
        "00001",
        "สหกรณ์โคนม สาขา 1",
        "",
    )
    assert not taxpayer.is_head_office


def test_biz_06_taxpayer_lookup_of_an_unknown_branch_or_tax_id_is_none(ids):
    """BIZ-06: Taxpayer lookup of an unknown branch or tax ID is none."""
    rd = sandbox.SandboxTaxpayerRegistry()

    assert rd.lookup(ids["tax_id"], "00009") is None
    assert rd.lookup(thirteen_digit_id("099400099999")) is None


def test_biz_06_taxpayer_branches_head_office_first(ids):
    """BIZ-06: Taxpayer branches head office first."""
    branches = sandbox.SandboxTaxpayerRegistry().branches(ids["tax_id"])

    assert [(t.branch, t.name_th) for t in branches] == [
        ("00000", "สหกรณ์โคนม จำกัด"),
        ("00001", "สหกรณ์โคนม สาขา 1"),
    ]
    assert sandbox.SandboxTaxpayerRegistry().branches(thirteen_digit_id("099400099999")) == []


# DOAE community enterprises (BIZ-07)


def test_biz_07_community_enterprise_by_representative(ids):
    """BIZ-07: Community enterprise by representative."""
    enterprises = sandbox.SandboxCommunityEnterpriseRegistry().represented_by(ids["person"])

    assert enterprises == [
        CommunityEnterprise(
            registration_no=ids["enterprise"],
            name_th="วิสาหกิจชุมชนทอผ้าบ้านนา",
            representative_pid=ids["person"],
            is_juristic=False,
        )
    ]


def test_biz_07_a_citizen_who_represents_no_community_enterprise_has_none(ids):
    """BIZ-07: A citizen who represents no community enterprise has none."""
    assert sandbox.SandboxCommunityEnterpriseRegistry().represented_by(make_pid()) == []


def test_biz_07_community_enterprise_registered_as_a_juristic_person(ids):
    """BIZ-07: Community enterprise registered as a juristic person."""
    doae = sandbox.SandboxCommunityEnterpriseRegistry()

    (enterprise,) = doae.represented_by(ids["thai_director"])

    assert enterprise.is_juristic is True
    assert doae.lookup(f" {ids['juristic_enterprise']} ") == enterprise


def test_biz_07_community_enterprise_lookup_by_registration_no(ids):
    """BIZ-07: Community enterprise lookup by registration no."""
    doae = sandbox.SandboxCommunityEnterpriseRegistry()

    assert doae.lookup(ids["enterprise"]).name_th == "วิสาหกิจชุมชนทอผ้าบ้านนา"
    assert doae.lookup("9-99-99-99/9-9999") is None


# DIW factories (FAC-01)


def test_fac_01_factories_of_an_operator(ids):
    """FAC-01: Factories of an operator."""
    factories = sandbox.SandboxFactoryRegistry().factories_of(ids["company"])

    assert [(f.factory_no, f.status, f.licence) for f in factories] == [
        (ids["plastics"], "operating", "ror_ngor_4"),
        (ids["warehouse"], "temporarily_stopped", "ieat_03_2"),
    ]
    assert factories[0] == Factory(
        factory_no=ids["plastics"],
        factory_no_old="จ3-53(5)-1/45กท",
        name_th="โรงงานพลาสติกไทย",
        operator_id=ids["company"],
        licence="ror_ngor_4",
        factory_class=3,
        category="53(5)",
        horsepower=Decimal("1250.75"),
        workers=180,
        status="operating",
        operation_started_on=dt.date(2005, 11, 30),
        licensed_on=dt.date(2005, 6, 1),
        address=factory_address(
            house_no="7",
            road="ถนนบางนา-ตราด",
            district="บางพลี",
            province="สมุทรปราการ",
            postcode="10540",
            industrial_estate="นิคมอุตสาหกรรมบางพลี",
        ),
        supervisor="IEAT",
        latitude=13.6121,
        longitude=100.7421,
    )


def test_fac_01_factories_of_a_natural_person_and_of_nobody(ids):
    """FAC-01: Factories of a natural person and of nobody."""
    diw = sandbox.SandboxFactoryRegistry()

    (mill,) = diw.factories_of(ids["person"])

    assert (mill.factory_no, mill.status, mill.factory_class) == (ids["mill"], "not_started", 2)
    assert (mill.operation_started_on, mill.factory_no_old, mill.horsepower) == (
        None,
        "",
        Decimal(45),
    )
    assert diw.factories_of(ids["tax_id"]) == []


def test_fac_01_factory_lookup_by_number(ids):
    """FAC-01: Factory lookup by number."""
    diw = sandbox.SandboxFactoryRegistry()

    factory = diw.lookup(ids["warehouse"])

    assert (factory.name_th, factory.operator_id) == ("โรงงานพลาสติกไทย 2", ids["company"])
    assert diw.lookup(f" {ids['warehouse']} ") == factory
    assert diw.lookup(factory_no("1010000999990")) is None


def test_an_empty_world_knows_nobody(settings, tmp_path):
    settings.SANDBOX_WORLD = str(tmp_path / "empty")

    assert sandbox.SandboxJuristicPersonRegistry().lookup(thirteen_digit_id("010556100001")) is None
    assert sandbox.SandboxCommercialRegistry().registrations_of(make_pid()) == []
    assert sandbox.SandboxTaxpayerRegistry().branches(thirteen_digit_id("099400015837")) == []
    assert sandbox.SandboxCommunityEnterpriseRegistry().represented_by(make_pid()) == []
    assert sandbox.SandboxFactoryRegistry().factories_of(make_pid()) == []


# Failure switches: each registry down, timing out or slow, and no partial result.

CALLS = {
    "juristic_person": (
        "dbd",
        lambda ids: sandbox.SandboxJuristicPersonRegistry().lookup(ids["company"]),
    ),
    "commercial_registrations": (
        "dbd",
        lambda ids: sandbox.SandboxCommercialRegistry().registrations_of(ids["person"]),
    ),
    "taxpayer": ("rd", lambda ids: sandbox.SandboxTaxpayerRegistry().lookup(ids["tax_id"])),
    "taxpayer_branches": (
        "rd",
        lambda ids: sandbox.SandboxTaxpayerRegistry().branches(ids["tax_id"]),
    ),
    "community_enterprises": (
        "doae",
        lambda ids: sandbox.SandboxCommunityEnterpriseRegistry().represented_by(ids["person"]),
    ),
    "community_enterprise": (
        "doae",
        lambda ids: sandbox.SandboxCommunityEnterpriseRegistry().lookup(ids["enterprise"]),
    ),
    "factories": ("diw", lambda ids: sandbox.SandboxFactoryRegistry().factories_of(ids["company"])),
    "factory": ("diw", lambda ids: sandbox.SandboxFactoryRegistry().lookup(ids["plastics"])),
}


@pytest.mark.parametrize("call", CALLS)
def test_acc_05_registry_down_raises_unavailable_with_its_name_and_no_partial_result(ids, call):
    """ACC-05: Registry down raises unavailable with its name and no partial result."""
    registry, ask = CALLS[call]
    failure_set(registry, "down")
    answers = []

    with pytest.raises(RegistryUnavailable) as raised:
        answers.append(ask(ids))

    assert (raised.value.registry, raised.value.reason) == (registry, "down")
    assert answers == []


@pytest.mark.parametrize("call", CALLS)
def test_acc_05_registry_timeout_raises_unavailable(ids, call):
    """ACC-05: Registry timeout raises unavailable."""
    registry, ask = CALLS[call]
    failure_set(registry, "timeout")

    with pytest.raises(RegistryUnavailable) as raised:
        ask(ids)

    assert (raised.value.registry, raised.value.reason) == (registry, "timeout")


@pytest.mark.parametrize("call", CALLS)
def test_a_slow_registry_still_answers(ids, call):
    registry, ask = CALLS[call]
    working = ask(ids)
    failure_set(registry, "slow")

    assert ask(ids) == working
    assert working  # something to see, not an empty answer


@pytest.mark.parametrize("call", CALLS)
def test_only_the_switched_registry_fails(ids, call):
    registry, ask = CALLS[call]
    for other in {"dopa", "dbd", "rd", "doae", "diw"} - {registry}:
        failure_set(other, "down")

    assert ask(ids)


def test_dbd_down_stops_both_of_its_ports(ids):
    failure_set("dbd", "down")

    with pytest.raises(RegistryUnavailable):
        sandbox.SandboxJuristicPersonRegistry().lookup(ids["company"])
    with pytest.raises(RegistryUnavailable):
        sandbox.SandboxCommercialRegistry().registrations_of(ids["person"])


def test_the_failure_modes_are_read_from_the_environment_at_first(ids, settings):
    settings.SANDBOX_FAILURES = "rd:down,diw:timeout"
    failures_reset()

    with pytest.raises(RegistryUnavailable) as rd:
        sandbox.SandboxTaxpayerRegistry().branches(ids["tax_id"])
    with pytest.raises(RegistryUnavailable) as diw:
        sandbox.SandboxFactoryRegistry().lookup(ids["plastics"])

    assert (rd.value.registry, rd.value.reason) == ("rd", "down")
    assert (diw.value.registry, diw.value.reason) == ("diw", "timeout")
    assert sandbox.SandboxCommunityEnterpriseRegistry().lookup(ids["enterprise"]) is not None
