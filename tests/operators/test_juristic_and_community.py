import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.operators import services
from portal.operators.models import Business, BusinessDocument, Holding
from portal.operators.services import OperatorError
from portal.registries.base import RegistryUnavailable
from portal.registries.failures import failure_set
from tests.factories import MemberFactory, make_juristic_id, make_pid
from tests.operators.helpers import PDF

pytestmark = pytest.mark.django_db


def thai(pid, can_sign=False):
    return {"pid": pid, "name_th": "นายกรรมการ ไทย", "nationality": "TH", "can_sign": can_sign}


def foreign(passport="JP1234567"):
    return {
        "passport_no": passport,
        "name_en": "Taro Yamada",
        "nationality": "JP",
        "can_sign": True,
    }


def test_biz_04_any_thai_director_verifies_the_company(world):
    """BIZ-04: Any thai director verifies the company."""
    signing, non_signing = make_pid(), make_pid()
    company = world.add_juristic_person(
        directors=[thai(signing, True), thai(non_signing), foreign()]
    )
    holding = services.business_add_juristic_person(
        member=MemberFactory(), juristic_id=company["juristic_id"], director_pid=non_signing
    )
    assert holding.status == "verified" and holding.proof == "director_id"
    business = holding.business
    assert business.name_th == company["name_th"] and business.name_en == company["name_en"]
    # Registry data kept read-only: objectives at registration, address, directors.
    assert business.registry_data["objective"] == "ผลิตชิ้นส่วนยานยนต์"
    assert len(business.registry_data["directors"]) == 3


def test_biz_04_someone_who_is_not_a_director_is_refused(world):
    """BIZ-04: Someone who is not a director is refused."""
    company = world.add_juristic_person(directors=[thai(make_pid())])
    with pytest.raises(OperatorError) as error:
        services.business_add_juristic_person(
            member=MemberFactory(), juristic_id=company["juristic_id"], director_pid=make_pid()
        )
    assert error.value.code == "not_director"
    assert Business.objects.count() == 0


@pytest.mark.parametrize("status", ["dissolved", "closed"])
def test_biz_04_dissolved_or_closed_companies_are_refused(world, status):
    """BIZ-04: Dissolved or closed companies are refused."""
    director = make_pid()
    company = world.add_juristic_person(directors=[thai(director)], status=status)
    with pytest.raises(OperatorError) as error:
        services.business_add_juristic_person(
            member=MemberFactory(), juristic_id=company["juristic_id"], director_pid=director
        )
    assert error.value.code == "not_active"


def test_biz_04_unknown_company_and_registry_outage(world):
    """BIZ-04: Unknown company and registry outage."""
    with pytest.raises(OperatorError):
        services.business_add_juristic_person(
            member=MemberFactory(), juristic_id=make_juristic_id(), director_pid=make_pid()
        )
    director = make_pid()
    company = world.add_juristic_person(directors=[thai(director)])
    failure_set("dbd", "down")
    try:
        with pytest.raises(RegistryUnavailable):
            services.business_add_juristic_person(
                member=MemberFactory(), juristic_id=company["juristic_id"], director_pid=director
            )
    finally:
        failure_set("dbd", None)
    assert Holding.objects.count() == 0


def test_biz_05_only_foreign_directors_by_valid_passport_not_verified(world):
    """BIZ-05: Only foreign directors by valid passport not verified."""
    company = world.add_juristic_person(directors=[foreign(), foreign("KR7654321")])
    holding = services.business_add_foreign_directed_company(
        member=MemberFactory(),
        juristic_id=company["juristic_id"],
        document=SimpleUploadedFile("passport.pdf", PDF),
        extension="pdf",
        document_kind="passport",
        expires_on=dt.date.today() + dt.timedelta(days=365),
    )
    assert holding.status == "not_verified" and holding.proof == "document"
    assert BusinessDocument.objects.get(holding=holding).kind == "passport"


def _passport(member, juristic_id, *, days=365, kind="passport"):
    return services.business_add_foreign_directed_company(
        member=member,
        juristic_id=juristic_id,
        document=SimpleUploadedFile("passport.pdf", PDF),
        extension="pdf",
        document_kind=kind,
        expires_on=dt.date.today() + dt.timedelta(days=days),
    )


def test_biz_05_expired_document_is_refused(world):
    """BIZ-05: a passport or work permit that has expired is refused, nothing stored."""
    company = world.add_juristic_person(directors=[foreign()])
    with pytest.raises(OperatorError) as error:
        _passport(MemberFactory(), company["juristic_id"], days=-1, kind="work_permit")
    assert error.value.code == "expired"
    assert BusinessDocument.objects.count() == 0 and Holding.objects.count() == 0


def test_biz_05_a_company_with_thai_directors_is_added_on_a_foreign_directors_passport(world):
    """BIZ-05: the member need not know a Thai director's ID: a company with Thai and foreign
    directors is added on the foreign director's passport, Not Verified until an officer
    checks it."""
    company = world.add_juristic_person(directors=[thai(make_pid(), True), foreign()])
    holding = _passport(MemberFactory(), company["juristic_id"])
    assert holding.status == "not_verified" and holding.proof == "document"
    assert holding.business.name_th == company["name_th"]
    assert BusinessDocument.objects.get(holding=holding).kind == "passport"


def test_biz_05_a_company_of_thai_directors_only_is_added_with_an_id(world):
    """BIZ-05: DBD lists no foreign director: the passport route is refused, nothing stored."""
    company = world.add_juristic_person(directors=[thai(make_pid())])
    with pytest.raises(OperatorError) as error:
        _passport(MemberFactory(), company["juristic_id"], kind="work_permit")
    assert error.value.code == "no_foreign_director"
    assert BusinessDocument.objects.count() == 0 and Holding.objects.count() == 0


def test_biz_07_community_enterprise_by_its_registered_representative(world):
    """BIZ-07: Community enterprise by its registered representative."""
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative)
    holding = services.business_add_community_enterprise(
        member=MemberFactory(),
        registration_no=enterprise["registration_no"],
        representative_pid=representative,
    )
    assert holding.status == "verified" and holding.proof == "representative_id"
    with pytest.raises(OperatorError) as error:
        services.business_add_community_enterprise(
            member=MemberFactory(),
            registration_no=enterprise["registration_no"],
            representative_pid=make_pid(),
        )
    assert error.value.code == "not_representative"


def test_biz_07_juristic_community_enterprise_is_added_as_a_juristic_person(world):
    """BIZ-07: Juristic community enterprise is added as a juristic person."""
    representative = make_pid()
    enterprise = world.add_community_enterprise(representative_pid=representative, is_juristic=True)
    with pytest.raises(OperatorError) as error:
        services.business_add_community_enterprise(
            member=MemberFactory(),
            registration_no=enterprise["registration_no"],
            representative_pid=representative,
        )
    assert error.value.code == "is_juristic"


def test_sso_09_biz_08_registry_changes_are_found_and_confirmed(world):
    """SSO-09, BIZ-08: Registry changes are found and confirmed."""
    import json

    from portal.core.models import AuditEntry
    from portal.operators.selectors import registry_changes_for

    director = make_pid()
    company = world.add_juristic_person(directors=[thai(director)])
    member = MemberFactory()
    holding = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director
    )
    assert services.registry_changes_find(member_id=member.pk) == 0
    assert list(registry_changes_for(member=member)) == []
    old_name = company["name_th"]
    # DBD renames the company and moves its head office.
    world.juristic_persons[0].update(
        name_th="บริษัท ชื่อใหม่ อุตสาหกรรม จำกัด",
        previous_names_th=[old_name],
        address={"province": "ระยอง", "district": "เมืองระยอง"},
    )
    world._write("juristic_persons.jsonl", world.juristic_persons)
    assert list(registry_changes_for(member=member)) == []  # found only by the comparison
    assert services.registry_changes_find(member_id=member.pk) == 2
    changes = list(registry_changes_for(member=member))
    assert {c.field for c in changes} == {"name_th", "address"}
    name_change = next(c for c in changes if c.field == "name_th")
    assert (name_change.stored, name_change.current) == (
        old_name,
        "บริษัท ชื่อใหม่ อุตสาหกรรม จำกัด",
    )
    services.business_registry_refresh(member=member, business_id=holding.business_id)
    assert list(registry_changes_for(member=member)) == []
    holding.business.refresh_from_db()
    assert holding.business.registry_data["address"]["province"] == "ระยอง"
    assert (
        json.dumps(
            AuditEntry.objects.get(action="business.registry_refresh").after, ensure_ascii=False
        ).count("ชื่อใหม่")
        == 1
    )
    # Another member cannot refresh a business they do not hold.
    with pytest.raises(OperatorError):
        services.business_registry_refresh(member=MemberFactory(), business_id=holding.business_id)
