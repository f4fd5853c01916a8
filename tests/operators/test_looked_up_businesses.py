"""BIZ-06, BIZ-07, SSO-02 as the i-Industry manual describes them: juristic persons under other
laws, groups of persons, "other" and community enterprises are looked up first (the Revenue
Department's register, DOAE); the member types the details only when nothing is found."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.operators import selectors, services
from portal.operators.models import Business, BusinessDocument, Holding
from portal.operators.services import OperatorError
from portal.registries.failures import failure_set
from tests.accounts.helpers import login
from tests.factories import MemberFactory, make_pid, make_tax_id
from tests.operators.helpers import PDF, add_taxpayers, taxpayer

pytestmark = pytest.mark.django_db

ADD, DETAILS = "/businesses/add/", "/businesses/add/details/"


@pytest.fixture
def member(client, robot):
    member = MemberFactory()
    login(client, robot, member.national_id)
    return member


def pdf(name="document.pdf"):
    return SimpleUploadedFile(name, PDF)


def start(client, kind, number):
    client.post(ADD, {"kind": kind})
    page = client.get(DETAILS).content.decode()
    assert 'name="number"' in page and 'type="file"' not in page  # the number comes first
    response = client.post(DETAILS, {"number": number})
    assert response.status_code == 302, response.context["form"].errors
    return client.get(DETAILS)


def test_biz_06_other_law_is_prefilled_by_the_revenue_departments_register(client, member, world):
    """BIZ-06: the 0994 tax ID is looked up: the register's names and branches are shown, not
    typed; the member picks the branch and uploads the document; Not Verified."""
    tax_id = make_tax_id()
    head, branch = add_taxpayers(
        world,
        taxpayer(tax_id),
        taxpayer(tax_id, "00001", name_th="สหกรณ์การเกษตรทดสอบ จำกัด (สาขา 00001)"),
    )
    page = start(client, "other_law", tax_id)
    html = page.content.decode()
    assert head["name_th"] in html and head["name_en"] in html
    assert 'name="name_th"' not in html  # nothing to type
    assert 'value="00001"' in html and 'name="document_kind"' in html
    response = client.post(
        DETAILS, {"branch": "00001", "document_kind": "rd_document", "document": pdf()}
    )
    assert response.status_code == 302, response.context["form"].errors
    holding = Holding.objects.get(member=member)
    assert holding.status == Holding.Status.NOT_VERIFIED
    business = holding.business
    assert (business.name_th, business.branch) == (branch["name_th"], "00001")
    assert business.registry_key == f"{tax_id}:00001"
    assert business.registry_data["kind"] == "cooperative" and business.registry_read_at
    assert holding.documents.get().kind == BusinessDocument.Kind.RD_DOCUMENT


def test_biz_06_key_in_only_when_the_register_finds_nothing(client, member, world):
    """BIZ-06: a tax ID the register does not know: the member types the names and branch."""
    tax_id = make_tax_id()
    html = start(client, "other_law", tax_id).content.decode()
    assert 'name="name_th"' in html and 'name="branch"' in html
    response = client.post(
        DETAILS,
        {
            "name_th": "องค์การทดสอบ",
            "branch": "00002",
            "document_kind": "government_document",
            "document": pdf(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    holding = Holding.objects.get(member=member)
    assert holding.claimed_name_th == "องค์การทดสอบ" and holding.business.name_th == ""
    assert holding.business.registry_key == f"{tax_id}:00002"
    assert holding.documents.get().kind == BusinessDocument.Kind.GOVERNMENT_DOCUMENT


def test_biz_06_the_page_says_which_documents_are_accepted_and_which_are_not(client, member, world):
    """BIZ-06: any document of a government agency showing the tax ID is accepted; the page
    names what is not (manual: no ร.ง.4, cooperative registration certificate, ministerial
    regulation or law)."""
    html = start(client, "other_law", make_tax_id()).content.decode()
    accepted = html.split('data-testid="documents-accepted"')[1].split("</div>")[0]
    for words in ("ภ.พ.20", "หน่วยงานราชการ", "ร.ง.4", "ใบทะเบียนสหกรณ์", "กฎกระทรวง"):
        assert words in accepted, words
    with pytest.raises(OperatorError) as refused:
        services.business_add_by_document(
            member=member,
            kind="other_law",
            tax_id=make_tax_id(),
            name_th="องค์การ",
            document=pdf(),
            extension="pdf",
            document_kind="ce_certificate",
        )
    assert refused.value.code == "document_kind"


@pytest.mark.parametrize("kind", ["group_of_persons", "other"])
def test_sso_02_groups_of_persons_and_other_are_looked_up_first(client, member, world, kind):
    """SSO-02: a group of persons and "other" are looked up like BIZ-06: found, the register
    fills the name in; not found, the member types it. Both by document, Not Verified."""
    known = make_tax_id("0993")
    add_taxpayers(world, taxpayer(known, kind="other", name_th="คณะบุคคลทดสอบ", name_en=""))
    start(client, kind, known)
    client.post(DETAILS, {"branch": "00000", "document_kind": "rd_document", "document": pdf()})
    found = Holding.objects.get(member=member)
    assert found.business.name_th == "คณะบุคคลทดสอบ" and found.business.kind == kind
    start(client, kind, make_tax_id("3101"))
    client.post(DETAILS, {"name_th": "ร้านทดสอบ", "document_kind": "rd_document", "document": pdf()})
    typed = Holding.objects.filter(member=member).exclude(pk=found.pk).get()
    assert typed.claimed_name_th == "ร้านทดสอบ" and typed.status == Holding.Status.NOT_VERIFIED


def test_biz_06_the_register_down_keeps_the_member_on_the_number(client, member, world):
    """BIZ-06: when the register cannot be reached nothing is typed in its place: the number
    page says so and nothing is stored."""
    client.post(ADD, {"kind": "other_law"})
    failure_set("rd", "down")
    try:
        response = client.post(DETAILS, {"number": make_tax_id()})
    finally:
        failure_set("rd", None)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert 'name="name_th"' not in client.get(DETAILS).content.decode()
    assert Holding.objects.count() == 0


def test_biz_06_a_number_that_cannot_be_is_refused_beside_the_field(client, member):
    """BIZ-06: a number whose check digit fails is refused before any register is asked."""
    client.post(ADD, {"kind": "other_law"})
    response = client.post(DETAILS, {"number": "0994000000000"})
    assert response.context["form"].errors["number"]


def test_biz_07_community_enterprise_is_found_by_its_representatives_id(client, member, world):
    """BIZ-07: the representative's national ID is the registration number: DOAE lists the
    enterprise for it, the member picks it and it is verified at once; the page shows the ID
    masked as the registration number."""
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative)
    html = start(client, "community_enterprise", representative).content.decode()
    assert enterprise["name_th"] in html and representative not in html
    response = client.post(DETAILS, {"registration_no": enterprise["registration_no"]})
    assert response.status_code == 302, response.context["form"].errors
    holding = Holding.objects.get(member=member)
    assert holding.status == Holding.Status.VERIFIED and holding.proof == "representative_id"
    business = holding.business
    assert business.kind == Business.Kind.COMMUNITY_ENTERPRISE
    assert (
        business.masked_registry_id
        == f"{representative[0]}-{representative[1:5]}-xxxxx-xx-{representative[12]}"
    )


@pytest.mark.parametrize("document_kind", ["ce_certificate", "representative_card"])
def test_biz_07_under_other_laws_with_the_certificate_or_the_representatives_id_card(
    client, member, world, document_kind
):
    """BIZ-07, the manual's second route: "juristic person under other laws" with the
    representative's ID as the number and the registration certificate or a copy of the
    representative's ID card; an officer checks it."""
    representative = make_pid()
    html = start(client, "other_law", representative).content.decode()
    assert 'name="branch"' not in html and 'name="name_th"' in html
    response = client.post(
        DETAILS, {"name_th": "วิสาหกิจชุมชนทดสอบ", "document_kind": document_kind, "document": pdf()}
    )
    assert response.status_code == 302, response.context["form"].errors
    holding = Holding.objects.get(member=member)
    assert holding.status == Holding.Status.NOT_VERIFIED
    assert holding.business.kind == Business.Kind.COMMUNITY_ENTERPRISE
    assert holding.documents.get().kind == document_kind
    # The ID is the registration number, never stored in the clear.
    assert representative not in holding.business.registry_key
    assert holding.business.masked_registry_id.endswith(representative[12])


def test_biz_07_under_other_laws_a_representative_doae_lists_is_verified(client, member, world):
    """BIZ-07: under "other laws" too, a representative DOAE lists verifies the enterprise."""
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative)
    start(client, "other_law", representative)
    client.post(DETAILS, {"registration_no": enterprise["registration_no"]})
    assert Holding.objects.get(member=member).status == Holding.Status.VERIFIED


def test_biz_07_as_a_natural_person(client, member, world):
    """BIZ-07, the manual's first route: the enterprise registered by a natural person is added
    as that person (natural person, ID and laser code), verified at DOPA; the person's own name
    or the enterprise's may be the business's name (here the person's own)."""
    person = world.add_citizen(laser_code="AB1-2345678-90")
    world.add_community_enterprise(representative_pid=person["pid"])
    client.post(ADD, {"kind": "natural_person"})
    response = client.post(
        DETAILS, {"who": "other", "pid": person["pid"], "laser_code": "AB1-2345678-90"}
    )
    assert response["Location"] == "/businesses/add/name/"
    assert client.post("/businesses/add/name/", {"name": "0"}).status_code == 302
    holding = Holding.objects.get(member=member)
    assert person["first_name_th"] in holding.business.display_name
    assert holding.business.kind == Business.Kind.NATURAL_PERSON
    assert holding.status == Holding.Status.VERIFIED


def test_biz_07_a_juristic_community_enterprise_is_sent_to_the_dbd_route(world):
    """BIZ-07: one registered as a juristic person is added as a juristic person (BIZ-04)."""
    representative = make_pid()
    world.add_community_enterprise(representative_pid=representative, is_juristic=True)
    with pytest.raises(OperatorError) as refused:
        selectors.business_lookup(kind="community_enterprise", number=representative)
    assert refused.value.code == "is_juristic"
    with pytest.raises(OperatorError) as refused:
        selectors.business_lookup(kind="community_enterprise", number=make_tax_id())
    assert refused.value.code == "not_a_person"


def test_biz_07_as_a_natural_person_the_enterprises_name_is_offered(client, member, world):
    """BIZ-07, the manual's first route: the representative adds the community enterprise as a
    natural person (themself); DOAE's name for it is offered beside their own name and becomes
    the business's name when chosen. One registered as a juristic person is not offered (it is
    added as a juristic person)."""
    enterprise = world.add_community_enterprise(representative_pid=member.national_id)
    world.add_community_enterprise(
        representative_pid=member.national_id,
        name_th="วิสาหกิจชุมชนนิติบุคคลทดสอบ",
        is_juristic=True,
    )
    client.post(ADD, {"kind": "natural_person"})
    response = client.post(DETAILS, {"who": "myself"})
    assert response["Location"] == "/businesses/add/name/"
    labels = [
        label
        for _, label in client.get("/businesses/add/name/").context["form"].fields["name"].choices
    ]
    assert labels[1:] == [enterprise["name_th"]] and member.display_name in labels[0]
    response = client.post("/businesses/add/name/", {"name": "1"})
    assert response.status_code == 302, response.context["form"].errors
    business = Holding.objects.get(member=member).business
    assert business.kind == Business.Kind.NATURAL_PERSON
    assert business.display_name == enterprise["name_th"]


def test_biz_07_doae_down_adds_the_natural_person_without_the_enterprises_name(
    client, member, world
):
    """BIZ-07: DOAE unreachable does not stop a natural person being added; only the
    enterprise's name is not offered."""
    world.add_community_enterprise(representative_pid=member.national_id)
    failure_set("doae", "down")
    try:
        client.post(ADD, {"kind": "natural_person"})
        response = client.post(DETAILS, {"who": "myself"})
    finally:
        failure_set("doae", None)
    assert response["Location"] == "/businesses/add/done/"
    assert member.display_name in Holding.objects.get(member=member).business.display_name
