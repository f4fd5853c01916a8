"""FAC-01 to FAC-05: factories in a member's profile, from the DIW registry of the world."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.core.models import AuditEntry
from portal.operators import factory_selectors, factory_services, services
from portal.operators.factory_numbers import mod11_check_digit, parse_factory_no
from portal.operators.models import Business, Factory, FactoryHolding, Holding
from portal.operators.services import OperatorError
from portal.operators.supervisors import offices, supervising_office_for
from portal.registries.base import RegistryUnavailable
from portal.registries.failures import failure_set
from tests.accounts.helpers import login
from tests.factories import BusinessFactory, HoldingFactory, MemberFactory, make_pid
from tests.factories import make_tax_id as tax_id

pytestmark = pytest.mark.django_db

BANGKOK = "กรุงเทพมหานคร"


def thai_director(pid):
    return {"pid": pid, "name_th": "นายกรรมการ ไทย", "nationality": "TH", "can_sign": True}


@pytest.fixture
def member(client, robot):
    member = MemberFactory()
    login(client, robot, member.national_id)
    return member


def myself(member) -> Holding:
    """The member's own verified business: DIW lists its factories under the national ID."""
    return services.business_add_myself(member=member)


def numbers(rows) -> set[str]:
    return {r.factory.factory_no for r in rows}


def add(member, holding, *records) -> list[FactoryHolding]:
    return factory_services.factories_add(
        member=member, holding_id=holding.pk, factory_nos=[r["factory_no"] for r in records]
    )


def unverified_holding(member, kind=Business.Kind.OTHER_LAW) -> Holding:
    business = BusinessFactory(kind=kind, registry_key=f"{tax_id()}:00000", name_th="สหกรณ์")
    return HoldingFactory(member=member, business=business, pending=True)


# --- FAC-01 -----------------------------------------------------------------------------------


def test_fac_01_only_operating_or_stopped_factories_with_allowed_licences_are_addable(world):
    """FAC-01: Only operating or stopped factories with allowed licences are addable."""
    member = MemberFactory()
    holding = myself(member)
    pid = member.national_id
    ok = [
        world.add_factory(operator_id=pid, status="operating", licence="ror_ngor_4"),
        world.add_factory(
            operator_id=pid, status="temporarily_stopped", licence="ieat_03_2", supervisor="IEAT"
        ),
        world.add_factory(operator_id=pid, licence="ror_ngor_2", factory_class=2),
    ]
    refused = {
        "not_started": world.add_factory(operator_id=pid, status="not_started"),
        "closed": world.add_factory(operator_id=pid, status="closed"),
        "revoked": world.add_factory(operator_id=pid, status="revoked"),
        "no_licence": world.add_factory(operator_id=pid, licence=""),
    }
    world.add_factory()  # another operator's: not listed

    available = factory_selectors.factories_available(member=member, holding_id=holding.pk)
    assert {a.factory.factory_no for a in available if a.addable} == {r["factory_no"] for r in ok}
    reasons = {a.factory.factory_no: a.reason for a in available if not a.addable}
    assert set(reasons) == {r["factory_no"] for r in refused.values()}
    assert "เฉพาะโรงงานที่แจ้งประกอบกิจการหรือหยุดชั่วคราว" in (reasons[refused["closed"]["factory_no"]])
    assert "ร.ง.4" in reasons[refused["no_licence"]["factory_no"]]
    # Addable ones come first.
    assert [a.addable for a in available] == [True] * 3 + [False] * 4

    for record in refused.values():
        with pytest.raises(OperatorError) as error:
            add(member, holding, record)
        assert error.value.code == "not_addable" and error.value.field == "factory_nos"
    assert Factory.objects.count() == 0 and FactoryHolding.objects.count() == 0


def test_fac_01_several_factories_are_added_at_once_through_the_pages(client, member, world):
    """FAC-01: Several factories are added at once through the pages."""
    holding = myself(member)
    first = world.add_factory(operator_id=member.national_id, name_th="โรงงานแปรรูปผลไม้")
    second = world.add_factory(
        operator_id=member.national_id,
        status="temporarily_stopped",
        factory_no_old="3-53(5)-๑๒ / 45ชบ",
    )
    closed = world.add_factory(operator_id=member.national_id, status="closed")

    page = client.get("/factories/add/")
    assert page.context["current"] == 1 and len(page.context["steps"]) == 4
    response = client.post("/factories/add/", {"business": str(holding.pk)})
    assert response["Location"] == f"/factories/add/{holding.pk}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["current"] == 3
    assert html.count('type="checkbox"') == 2 and closed["factory_no"] in html
    assert "เลิกประกอบกิจการ" in html  # the closed one is listed with its reason

    response = client.post(
        f"/factories/add/{holding.pk}/",
        {"factory_nos": [first["factory_no"], second["factory_no"]]},
    )
    assert response["Location"] == "/factories/add/done/"
    done = client.get("/factories/add/done/")
    assert done.context["current"] == 4 and len(done.context["rows"]) == 2

    rows = FactoryHolding.objects.filter(member=member, removed_at__isnull=True)
    assert {r.factory.factory_no for r in rows} == {first["factory_no"], second["factory_no"]}
    factory = Factory.objects.get(factory_no=first["factory_no"])
    assert factory.business == holding.business and factory.registry_read_at is not None
    assert factory.name_th == "โรงงานแปรรูปผลไม้" and factory.province == "ชลบุรี"
    assert factory.horsepower == Decimal("250.50") and factory.latitude == Decimal("13.361100")
    assert factory.operation_started_on == dt.date(2005, 11, 30)
    # The old number is kept in the form a search normalises to (FAC-04).
    assert Factory.objects.get(factory_no=second["factory_no"]).factory_no_old == "3-53(5)-12/45ชบ"
    entries = AuditEntry.objects.filter(action="factory.add")
    assert {e.after["factory_no"] for e in entries} == {first["factory_no"], second["factory_no"]}
    assert all(member.national_id not in str(e.after) for e in entries)


def test_fac_01_nothing_chosen_or_a_refused_one_keeps_the_choice_and_stores_nothing(
    client, member, world
):
    """FAC-01: Nothing chosen or a refused one keeps the choice and stores nothing."""
    holding = myself(member)
    good = world.add_factory(operator_id=member.national_id)
    other = world.add_factory(operator_id=member.national_id)
    url = f"/factories/add/{holding.pk}/"
    page = client.post(url, {})
    assert page.status_code == 200
    assert page.context["field_error"] == "เลือกโรงงานที่จะเพิ่มอย่างน้อย 1 แห่ง"
    assert 'id="factory_nos_error"' in page.content.decode()

    # DIW closes one between the page and the click: the whole request is refused.
    world.factories[1]["status"] = "closed"
    world.add_factory(operator_id="0000000000000")  # rewrites factories.jsonl
    page = client.post(url, {"factory_nos": [good["factory_no"], other["factory_no"]]})
    assert other["factory_no"] in page.context["field_error"]
    assert page.context["checked"] == {good["factory_no"], other["factory_no"]}
    assert "checked" in page.content.decode()
    assert FactoryHolding.objects.count() == 0 and Factory.objects.count() == 0


def test_fac_01_a_factory_already_in_the_profile_is_refused(world):
    """FAC-01: A factory already in the profile is refused."""
    member = MemberFactory()
    holding = myself(member)
    first = world.add_factory(operator_id=member.national_id)
    second = world.add_factory(operator_id=member.national_id)
    add(member, holding, first)
    with pytest.raises(OperatorError) as error:
        add(member, holding, second, first)
    assert error.value.code == "already_held"
    assert FactoryHolding.objects.count() == 1
    available = factory_selectors.factories_available(member=member, holding_id=holding.pk)
    assert [a.factory.factory_no for a in available if a.in_profile] == [first["factory_no"]]


def test_fac_01_a_factory_diw_does_not_list_for_the_business_is_refused(world):
    """FAC-01: A factory DIW does not list for the business is refused."""
    member = MemberFactory()
    holding = myself(member)
    someone_elses = world.add_factory()
    with pytest.raises(OperatorError) as error:
        add(member, holding, someone_elses)
    assert error.value.code == "not_listed"


def test_fac_01_only_verified_holdings_add_factories(client, member, world):
    """FAC-01: Only verified holdings add factories."""
    holding = unverified_holding(member)
    world.add_factory(operator_id=holding.business.registry_key.split(":")[0])
    with pytest.raises(OperatorError) as error:
        factory_selectors.factories_available(member=member, holding_id=holding.pk)
    assert error.value.code == "not_verified"
    with pytest.raises(OperatorError):
        factory_services.factories_add(
            member=member, holding_id=holding.pk, factory_nos=[world.factories[0]["factory_no"]]
        )
    page = client.post("/factories/add/", {"business": str(holding.pk)})
    assert page.status_code == 200 and page.context["form"].errors["business"]
    assert 'id="business_error"' in page.content.decode()
    page = client.get(f"/factories/add/{holding.pk}/")
    assert page.context["page_error"] and not page.context["addable"]
    holding.status = Holding.Status.REJECTED
    holding.save()
    page = client.post("/factories/add/", {"business": str(holding.pk)})
    assert page.context["form"].errors["business"]
    assert FactoryHolding.objects.count() == 0


def test_fac_01_the_operator_id_of_each_kind_of_business(world):
    """FAC-01: The operator ID of each kind of business."""
    member = MemberFactory()
    # Natural person: the national ID. Juristic person: the juristic ID.
    assert factory_selectors.diw_operator_id(myself(member).business) == member.national_id
    director = make_pid()
    company = world.add_juristic_person(directors=[thai_director(director)])
    juristic = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    assert factory_selectors.diw_operator_id(juristic.business) == company["juristic_id"]
    record = world.add_factory(operator_id=company["juristic_id"])
    assert add(member, juristic, record)[0].factory.business == juristic.business
    # Other law, group of persons, other: the tax ID before the branch.
    other = unverified_holding(member, kind=Business.Kind.GROUP_OF_PERSONS)
    other.status = Holding.Status.VERIFIED
    other.save()
    tax = other.business.registry_key.split(":")[0]
    assert factory_selectors.diw_operator_id(other.business) == tax
    record = world.add_factory(operator_id=tax)
    assert add(member, other, record)[0].holding == other


def test_fac_01_a_community_enterprise_is_told_diw_lists_none(client, member, world):
    """FAC-01: A community enterprise is told DIW lists none."""
    enterprise = world.add_community_enterprise(representative_pid=member.national_id)
    holding = services.business_add_community_enterprise(
        member=member,
        registration_no=enterprise["registration_no"],
        representative_pid=member.national_id,
    )
    page = client.post("/factories/add/", {"business": str(holding.pk)})
    errors = page.context["form"].errors["business"]
    assert "วิสาหกิจชุมชน" in errors[0]


def test_fac_01_a_business_with_no_factory_says_so(client, member, world):
    """FAC-01: A business with no factory says so."""
    holding = myself(member)
    page = client.get(f"/factories/add/{holding.pk}/")
    assert page.context["listed"] is False and page.context["current"] == 2
    world.add_factory(operator_id=member.national_id, status="closed")
    page = client.get(f"/factories/add/{holding.pk}/")
    assert page.context["listed"] and not page.context["addable"]
    assert "alert-warning" in page.content.decode()


def test_fac_01_registry_down_stores_nothing(client, member, world):
    """FAC-01: Registry down stores nothing."""
    holding = myself(member)
    record = world.add_factory(operator_id=member.national_id)
    failure_set("diw", "down")
    try:
        with pytest.raises(RegistryUnavailable):
            add(member, holding, record)
        page = client.post(f"/factories/add/{holding.pk}/", {"factory_nos": [record["factory_no"]]})
        assert page.status_code == 200 and page.context["registry_down"]
        # What was chosen is kept for "try again".
        assert f'value="{record["factory_no"]}"' in page.content.decode()
        page = client.get(f"/factories/add/{holding.pk}/")
        assert page.context["registry_down"]
    finally:
        failure_set("diw", None)
    assert Factory.objects.count() == 0 and FactoryHolding.objects.count() == 0
    assert not AuditEntry.objects.filter(action="factory.add").exists()


def test_fac_01_a_second_member_adding_the_same_factory_refreshes_the_registry_copy(world):
    """FAC-01: A second member adding the same factory refreshes the registry copy."""
    first, second = make_pid(), make_pid()
    company = world.add_juristic_person(directors=[thai_director(first), thai_director(second)])
    members = [MemberFactory(), MemberFactory()]
    holdings = [
        services.business_add_juristic_person(
            member=m, juristic_id=company["juristic_id"], director_pid=pid
        )
        for m, pid in zip(members, (first, second), strict=True)
    ]
    record = world.add_factory(operator_id=company["juristic_id"], workers=40)
    add(members[0], holdings[0], record)
    world.factories[0]["workers"] = 55
    world.add_factory(operator_id="0000000000000")  # rewrites factories.jsonl
    add(members[1], holdings[1], record)
    assert Factory.objects.count() == 1 and Factory.objects.get().workers == 55
    assert FactoryHolding.objects.filter(removed_at__isnull=True).count() == 2


# --- FAC-02 -----------------------------------------------------------------------------------


def _profile(world, member, count: int) -> tuple[Holding, Holding]:
    """The member's own business and a company, each with factories in the profile."""
    own = myself(member)
    director = make_pid()
    company = world.add_juristic_person(directors=[thai_director(director)])
    juristic = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    for i in range(count):
        holding, operator = (
            (own, member.national_id) if i % 2 == 0 else (juristic, company["juristic_id"])
        )
        add(member, holding, world.add_factory(operator_id=operator))
    return own, juristic


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_fac_02_list_and_filter_cost_the_same_queries_whatever_the_profile_size(
    robot, world, django_assert_num_queries
):
    """FAC-02: List and filter cost the same queries whatever the profile size."""
    small, large = MemberFactory(), MemberFactory()
    small_client, large_client = Client(), Client()
    login(small_client, robot, small.national_id)
    login(large_client, robot, large.national_id)
    small_own, _ = _profile(world, small, 2)
    _, large_company = _profile(world, large, 12)

    expected = _queries(small_client, "/factories/")
    with django_assert_num_queries(expected):
        page = large_client.get("/factories/")
    assert len(page.context["rows"]) == 12

    expected = _queries(small_client, f"/factories/?business={small_own.pk}")
    with django_assert_num_queries(expected):
        page = large_client.get(f"/factories/?business={large_company.pk}")
    rows = page.context["rows"]
    assert len(rows) == 6 and {r["holding_id"] for r in rows} == {large_company.pk}
    html = page.content.decode()
    assert f'<option value="{large_company.pk}" selected>' in html
    assert '<label for="filter_business">' in html


def test_fac_02_the_list_links_each_factory_to_its_detail(client, member, world):
    """FAC-02: The list links each factory to its detail."""
    _profile(world, member, 2)
    page = client.get("/factories/")
    html = page.content.decode()
    for row in page.context["rows"]:
        assert f'href="/factories/{row["pk"]}/"' in html
        assert client.get(f"/factories/{row['pk']}/").status_code == 200
    assert 'href="/factories/search/"' in html and 'href="/factories/add/"' in html


def test_fac_02_member_factories_is_one_query(world, django_assert_num_queries):
    """FAC-02: Member factories is one query."""
    member = MemberFactory()
    _profile(world, member, 5)
    with django_assert_num_queries(1):
        names = [
            (r.factory.name_th, r.holding.business.display_name)
            for r in factory_selectors.member_factories(member=member)
        ]
    assert len(names) == 5


def test_fac_02_factories_of_a_removed_business_leave_the_list(world):
    """FAC-02: Factories of a removed business leave the list."""
    member = MemberFactory()
    own, company = _profile(world, member, 4)
    services.holding_remove(member=member, holding_id=company.pk)
    rows = factory_selectors.member_factories(member=member)
    assert {r.holding_id for r in rows} == {own.pk}


# --- FAC-03 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "office_code"),
    [
        ({"address": {"province": BANGKOK, "district": "บางซื่อ"}, "supervisor": "DIW"}, "DIW"),
        ({"address": {"province": "ชลบุรี", "district": "เมืองชลบุรี"}, "supervisor": "PIO"}, None),
        (
            {
                "address": {
                    "province": "ชลบุรี",
                    "district": "เมืองชลบุรี",
                    "industrial_estate": "นิคมอุตสาหกรรมอมตะซิตี้ชลบุรี",
                },
                "supervisor": "IEAT",
                "licence": "ieat_03_2",
            },
            "IEAT",
        ),
    ],
    ids=["bangkok-diw", "province-office", "estate-ieat"],
)
def test_fac_03_detail_names_who_to_contact_when_data_is_wrong(
    client, member, world, fields, office_code
):
    """FAC-03: Detail names who to contact when data is wrong."""
    holding = myself(member)
    row = add(member, holding, world.add_factory(operator_id=member.national_id, **fields))[0]
    office = (
        offices()[office_code]
        if office_code
        else supervising_office_for(province="ชลบุรี", supervisor="PIO")
    )
    if office_code is None:
        assert office.kind == "PIO" and "ชลบุรี" in office.name_th
    page = client.get(f"/factories/{row.pk}/")
    html = page.content.decode()
    assert page.context["office"] == office
    assert f'data-testid="office">{office.name_th}<' in html
    assert office.address in html
    if office.phone:
        assert office.phone in html
    assert ("alert-warning" in html) == office.illustrative


def test_fac_03_detail_shows_the_registry_data_read_only(client, member, world):
    """FAC-03: Detail shows the registry data read only."""
    holding = myself(member)
    record = world.add_factory(operator_id=member.national_id, factory_no_old="3-53(5)-7/45ชบ")
    row = add(member, holding, record)[0]
    page = client.get(f"/factories/{row.pk}/")
    html = page.content.decode()
    for text in (
        record["factory_no"],
        "3-53(5)-7/45ชบ",
        "ร.ง.4",
        "53(5)",
        "250.50",
        "40",
        "แจ้งประกอบกิจการ",
        "30 พฤศจิกายน 2548",
        "ตำบลบ้านสวน อำเภอเมืองชลบุรี จังหวัดชลบุรี 20000",
        "ละติจูด 13.361100 ลองจิจูด 100.984700",
    ):
        assert text in html, text
    # FAC-04: the 14-digit number's groups in words.
    assert parse_factory_no(record["factory_no"]).explain("th") in html
    assert "สำนักงานอุตสาหกรรมจังหวัด" in html
    assert "<form" not in html.split('id="h-registry"')[1].split("</section>")[0]


# --- FAC-04 -----------------------------------------------------------------------------------


def test_fac_04_the_factory_page_decodes_every_group_with_the_area_by_name(client, member, world):
    """FAC-04: the factory page decodes A to F; the area names the province the number gives
    and the district of the registered address in it."""
    holding = myself(member)
    record = world.add_factory(operator_id=member.national_id)
    row = add(member, holding, record)[0]
    html = client.get(f"/factories/{row.pk}/").content.decode()
    table = html.split('data-testid="number-groups"')[1].split("</table>")[0]
    for letter in "ABCDEF":
        assert f'<th scope="row">{letter}</th>' in table
    assert "20 จังหวัดชลบุรี, อำเภอเมืองชลบุรี (ตามที่อยู่ในทะเบียนโรงงาน)" in table
    assert "โรงงานลำดับที่ 1 ของปีที่ออกเลข" in table


def test_fac_04_an_estate_code_without_a_name_takes_the_registrys_estate(world):
    """FAC-04: inside an estate whose code the source material does not name, the estate the
    DIW registry gives is shown beside the code."""
    first13 = "8221000012563"
    number = parse_factory_no(first13 + str(mod11_check_digit(first13)))
    factory = Factory(
        factory_no=number.number,
        address={"district": "ปลวกแดง", "province": "ระยอง"},
        province="ระยอง",
        district="ปลวกแดง",
        industrial_estate="นิคมอุตสาหกรรมอีสเทิร์นซีบอร์ด",
    )
    groups = factory_selectors.factory_number_groups(factory, number, "th")
    assert groups[2][2] == ("21 (รหัสพื้นที่ที่ยังไม่มีชื่อในระบบ), นิคมอุตสาหกรรมอีสเทิร์นซีบอร์ด (ตามทะเบียนโรงงาน)")


def test_fac_04_search_by_new_number_old_number_name_and_operator_name(client, member, world):
    """FAC-04: Search by new number old number name and operator name."""
    director = make_pid()
    company = world.add_juristic_person(
        directors=[thai_director(director)], name_th="บริษัท ไทยสับปะรดกระป๋อง จำกัด"
    )
    holding = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    record = world.add_factory(
        operator_id=company["juristic_id"],
        name_th="โรงงานบรรจุผลไม้ปากน้ำ",
        factory_no_old="จ3-53(5)-12/45กท",
    )
    row = add(member, holding, record)[0]
    other = world.add_factory(name_th="โรงงานอื่นที่ไม่เกี่ยว")
    other_member = MemberFactory()
    add(other_member, myself(other_member), world.add_factory(operator_id=other_member.national_id))
    assert other["factory_no"] not in {f.factory_no for f in Factory.objects.all()}

    number = record["factory_no"]
    spaced = f"{number[0]}-{number[1]}-{number[2:4]} {number[4:9]} {number[9:13]}-{number[13]}"
    for query in (
        number,
        spaced,
        "จ3-53(5)-๑๒/๔๕กท",  # Thai digits
        "จ3-53(5)-12 / 45กท",
        "บรรจุผลไม้",
        "สับปะรดกระป๋อง",
    ):
        page = client.get("/factories/search/", {"q": query})
        found = [f.factory_no for f, _ in page.context["results"]]
        assert found == [number], query
        assert f'href="/factories/{row.pk}/"' in page.content.decode()
    # Another member's factory is found but has no link to a detail.
    page = client.get("/factories/search/", {"q": "โรงงานทดสอบ"})
    assert [h for _, h in page.context["results"]] == [None]


def test_fac_04_a_number_that_cannot_exist_is_explained_beside_the_field(client, member):
    """FAC-04: A number that cannot exist is explained beside the field."""
    page = client.get("/factories/search/", {"q": "2020 000012563 0"})
    errors = page.context["form"].errors["q"]
    assert "หลักตรวจสอบ" in errors[0]
    html = page.content.decode()
    assert 'value="2020 000012563 0"' in html and 'id="id_q_error"' in html
    page = client.get("/factories/search/", {"q": "ก"})
    assert page.context["form"].errors["q"] and page.context["results"] == []


def test_fac_04_factory_search_is_limited(world):
    """FAC-04: Factory search is limited."""
    member = MemberFactory()
    holding = myself(member)
    for _ in range(4):
        add(member, holding, world.add_factory(operator_id=member.national_id))
    search = factory_selectors.factory_search(query="โรงงานทดสอบการผลิต", limit=3)
    assert len(search.results) == 3 and search.limited


def test_fac_04_trigram_indexes_serve_the_name_search_on_postgresql():
    """FAC-04: The suite runs on PostgreSQL (scripts/run-tests); SQLite gets no trigram index."""
    names = {"operators_factory_name_th_trgm", "operators_business_name_th_trgm"}
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            assert not names & {r[0] for r in cursor.fetchall()}
            return
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(names)])
        assert {r[0] for r in cursor.fetchall()} == names
        # The planner can answer Django's icontains (UPPER(name_th) LIKE ...) from them.
        query = Factory.objects.filter(name_th__icontains="ผลไม้").values("pk").query
        sql, params = query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "operators_factory_name_th_trgm" in plan, plan


# --- FAC-05 -----------------------------------------------------------------------------------


def test_fac_05_removing_leaves_the_factory_and_other_members_rows(client, member, world):
    """FAC-05: Removing leaves the factory and other members rows."""
    director, other_director = make_pid(), make_pid()
    company = world.add_juristic_person(
        directors=[thai_director(director), thai_director(other_director)]
    )
    other = MemberFactory()
    mine = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    theirs = services.business_add_juristic_person(
        member=other, juristic_id=company["juristic_id"], director_pid=other_director
    )
    record = world.add_factory(operator_id=company["juristic_id"])
    row = add(member, mine, record)[0]
    their_row = add(other, theirs, record)[0]

    confirm = client.get(f"/factories/{row.pk}/remove/")
    assert "ไม่ใช่การแจ้งเลิกหรือหยุดประกอบกิจการ" in confirm.content.decode()
    assert 'class="warning-text"' in confirm.content.decode()  # issue 9: it looks a warning
    response = client.post(f"/factories/{row.pk}/remove/")
    assert response["Location"] == "/factories/"
    row.refresh_from_db()
    their_row.refresh_from_db()
    assert row.removed_at is not None and their_row.removed_at is None
    factory = Factory.objects.get(factory_no=record["factory_no"])
    assert factory.status == "operating"  # no closure recorded anywhere
    assert AuditEntry.objects.filter(action="factory.remove", target_id=str(row.pk)).exists()
    assert client.get(f"/factories/{row.pk}/").status_code == 404
    assert client.get("/factories/").context["rows"] == []
    # It can be added again later.
    assert add(member, mine, record)[0].factory == factory


# --- permissions --------------------------------------------------------------------------------


def test_another_member_gets_404_on_detail_remove_filter_and_add(client, member, world):
    other = MemberFactory()
    their_holding = myself(other)
    their_row = add(other, their_holding, world.add_factory(operator_id=other.national_id))[0]
    for url in (
        f"/factories/{their_row.pk}/",
        f"/factories/{their_row.pk}/remove/",
        f"/factories/?business={their_holding.pk}",
        f"/factories/add/{their_holding.pk}/",
        "/factories/?business=abc",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/factories/{their_row.pk}/remove/").status_code == 404
    response = client.post(
        f"/factories/add/{their_holding.pk}/", {"factory_nos": [world.factories[0]["factory_no"]]}
    )
    assert response.status_code == 404
    page = client.post("/factories/add/", {"business": str(their_holding.pk)})
    assert page.status_code == 200 and page.context["form"].errors["business"]
    with pytest.raises(OperatorError):
        factory_services.factory_remove(member=member, factory_holding_id=their_row.pk)
    their_row.refresh_from_db()
    assert their_row.removed_at is None
    assert FactoryHolding.objects.filter(member=member).count() == 0


def test_anonymous_is_sent_to_log_in(world):
    member = MemberFactory()
    holding = myself(member)
    row = add(member, holding, world.add_factory(operator_id=member.national_id))[0]
    anonymous = Client()
    for url in (
        "/factories/",
        "/factories/add/",
        f"/factories/add/{holding.pk}/",
        "/factories/add/done/",
        "/factories/search/?q=x",
        f"/factories/{row.pk}/",
        f"/factories/{row.pk}/remove/",
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert anonymous.post(f"/factories/{row.pk}/remove/").status_code == 302
    row.refresh_from_db()
    assert row.removed_at is None


def test_post_forms_need_the_csrf_token(robot, world):
    member = MemberFactory()
    holding = myself(member)
    row = add(member, holding, world.add_factory(operator_id=member.national_id))[0]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post(f"/factories/{row.pk}/remove/").status_code == 403
    page = strict.get(f"/factories/{row.pk}/remove/")
    assert "csrfmiddlewaretoken" in page.content.decode()
    row.refresh_from_db()
    assert row.removed_at is None


def test_fac_01_a_ror_ngor_2_notice_counts_only_for_a_class_2_factory():
    """FAC-01: A ror ngor 2 notice counts only for a class 2 factory."""
    from types import SimpleNamespace

    from portal.operators.factory_selectors import not_addable_reason

    def factory(**kw):
        base = {"status": "operating", "licence": "ror_ngor_2", "factory_class": 2}
        return SimpleNamespace(**{**base, **kw})

    assert not_addable_reason(factory()) == ""
    assert not_addable_reason(factory(factory_class=3)) != ""
    assert not_addable_reason(factory(licence="ror_ngor_4", factory_class=3)) == ""
