"""Eligibility checks (issue 11 "Applying"), one test per check kind, on the real definitions of
PRM-03, PRM-04 and PRM-05 and on plain dicts standing for operators' Factory rows."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from portal.permits.definitions import CHECKS, load_procedure_file
from portal.permits.eligibility import RUNNERS, eligibility_of, horsepower_of, is_bangkok

TODAY = dt.date(2026, 12, 3)


def procedure(code):
    from django.conf import settings

    return load_procedure_file(settings.PROCEDURES_DIR / f"{code}.yaml")


@pytest.fixture(scope="module")
def restart():
    return procedure("restart-after-stop")


@pytest.fixture(scope="module")
def relocation():
    return procedure("machinery-relocation")


@pytest.fixture(scope="module")
def licence():
    return procedure("factory-licence")


def factory(**changes):
    row = {
        "factory_no": "10100000125670",
        "business_id": 7,
        "factory_class": 3,
        "category": "53(1)",
        "horsepower": "120.00",
        "province": "ชลบุรี",
        "industrial_estate": "",
        "industrial_zone": "",
        "licence": "ror_ngor_4",
        "status": "operating",
        "supervisor": "PIO",
    }
    row.update(changes)
    return row


def failed(proc, fac, answers=None, held=("10100000125670",), business=None):
    return [
        f.check
        for f in eligibility_of(
            proc,
            factory=fac,
            business=business,
            member=None,
            answers=answers,
            held_factory_nos=held,
            today=TODAY,
        )
    ]


def test_every_check_kind_has_code():
    """PRM-01: a check named in definitions.CHECKS always has its code."""
    assert set(RUNNERS) == set(CHECKS)


def test_prm_04_factory_held(relocation):
    """PRM-04: only a factory in the applicant's profile (held), of the business acted for."""
    assert "factory_held" not in failed(relocation, factory())
    assert "factory_held" in failed(relocation, factory(), held=())
    assert "factory_held" in failed(relocation, None)
    other = SimpleNamespace(pk=8)
    assert "factory_held" in failed(relocation, factory(), business=other)
    assert "factory_held" not in failed(relocation, factory(), business=SimpleNamespace(pk=7))


def test_prm_03_factory_class_in(restart):
    """PRM-03: class 2 and 3 factories only."""
    stopped = {"status": "temporarily_stopped"}
    assert "factory_class_in" not in failed(restart, factory(factory_class=2, **stopped))
    assert "factory_class_in" not in failed(restart, factory(factory_class=3, **stopped))
    assert "factory_class_in" in failed(restart, factory(factory_class=1, **stopped))


def test_prm_03_factory_outside_ieat_estate(restart):
    """PRM-03: factories outside industrial estates only."""
    stopped = {"status": "temporarily_stopped"}
    assert "factory_outside_ieat_estate" not in failed(restart, factory(**stopped))
    inside = factory(industrial_estate="นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี", **stopped)
    assert "factory_outside_ieat_estate" in failed(restart, inside)
    assert "factory_outside_ieat_estate" in failed(restart, factory(licence="ieat_03_2"))


def test_prm_03_factory_stopped_over_a_year(restart):
    """PRM-03: the factory notified a stop, and the stop date answered is over a year ago."""
    operating = factory()
    assert "factory_stopped" in failed(restart, operating)
    stopped = factory(status="temporarily_stopped")
    assert failed(restart, stopped) == []  # before the form: the stop date is not asked yet
    long_ago = {"stopped_on": "2025-10-01"}
    assert failed(restart, stopped, answers=long_ago) == []
    recent = {"stopped_on": dt.date(2026, 3, 1)}
    assert failed(restart, stopped, answers=recent) == ["factory_stopped"]


def test_prm_04_factory_licensed(relocation):
    """PRM-04: a licensed factory (ร.ง.4, or the IEAT permit in an estate) or one in a
    section-30 zone; a class 2 notice (ร.ง.2) alone is not a licence."""
    assert failed(relocation, factory()) == []
    class2 = factory(licence="ror_ngor_2", factory_class=2)
    assert failed(relocation, class2) == ["factory_licensed"]
    in_zone = factory(licence="ror_ngor_2", industrial_zone="เขตประกอบการอุตสาหกรรมบางปู")
    assert failed(relocation, in_zone) == []


def test_prm_04_not_an_ieat_estate_in_bangkok(relocation):
    """PRM-04: not a factory of an IEAT estate in Bangkok; elsewhere an estate factory may."""
    bangkok_estate = factory(
        province="กรุงเทพมหานคร", industrial_estate="นิคมอุตสาหกรรมลาดกระบัง", licence="ieat_03_2"
    )
    assert failed(relocation, bangkok_estate) == ["factory_not_ieat_estate_in_bangkok"]
    chonburi_estate = factory(industrial_estate="นิคมอุตสาหกรรมอมตะซิตี้", licence="ieat_03_2")
    assert failed(relocation, chonburi_estate) == []
    assert failed(relocation, factory(province="กรุงเทพมหานคร")) == []


def test_prm_05_self_assessment(licence):
    """PRM-05: the activity is a factory when it is a listed activity and uses 50 HP or more,
    or 50 workers or more; otherwise the reason says no licence is needed."""
    answers = {"activity": "yes", "machines_50hp": "no", "workers_50": "yes", "province": "ลำพูน"}
    assert failed(licence, None, answers=answers) == []
    small = {**answers, "workers_50": "no"}
    assert failed(licence, None, answers=small) == ["self_assessment_is_factory"]
    not_listed = {**answers, "activity": "no", "machines_50hp": "yes"}
    assert failed(licence, None, answers=not_listed) == ["self_assessment_is_factory"]
    assert failed(licence, None, answers={"activity": "yes"}) == []  # not all answered yet
    with translation.override("th"):
        reason = eligibility_of(licence, factory=None, business=None, member=None, answers=small)[
            0
        ].text
    assert "ยังไม่เข้าข่ายเป็นโรงงาน" in reason
    with translation.override("en"):
        reason = str(
            eligibility_of(licence, factory=None, business=None, member=None, answers=small)[0]
        )
    assert "not a factory under the Factory Act" in reason


def test_prm_05_not_in_bangkok(licence):
    """PRM-05: e-licensing everywhere but Bangkok, from the factory or the form's province."""
    base = {"activity": "yes", "machines_50hp": "yes", "workers_50": "no"}
    assert failed(licence, None, answers={**base, "province": "กรุงเทพมหานคร"}) == ["not_in_bangkok"]
    assert failed(licence, None, answers={**base, "province": "เชียงใหม่"}) == []
    assert failed(licence, factory(province="Bangkok"), answers=base) == ["not_in_bangkok"]
    assert is_bangkok(" กรุงเทพฯ ") and not is_bangkok("นนทบุรี")


def test_prm_05_horsepower_at_most(licence):
    """PRM-05: at most 500 HP for a new factory, 600 HP for an expansion."""
    base = {"activity": "yes", "machines_50hp": "yes", "workers_50": "no", "province": "ระยอง"}
    assert failed(licence, None, answers={**base, "purpose": "new", "horsepower": "500"}) == []
    assert failed(licence, None, answers={**base, "purpose": "new", "horsepower": "500.5"}) == [
        "horsepower_at_most"
    ]
    expansion = {**base, "purpose": "expansion", "horsepower": "600"}
    assert failed(licence, None, answers=expansion) == []
    assert failed(licence, None, answers={**expansion, "horsepower": "601"}) == [
        "horsepower_at_most"
    ]


def test_prm_05_category_not_in(licence):
    """PRM-05: not categories 101, 105 and 106 (with or without a sub-item)."""
    base = {"activity": "yes", "machines_50hp": "yes", "workers_50": "no", "province": "ระยอง"}
    assert failed(licence, None, answers={**base, "category": "101"}) == ["category_not_in"]
    assert failed(licence, None, answers={**base, "category": "105(2)"}) == ["category_not_in"]
    assert failed(licence, None, answers={**base, "category": "10(1)"}) == []
    assert failed(licence, factory(category="106"), answers=base) == ["category_not_in"]


def test_prm_04_horsepower_of_a_machine_list(relocation):
    """PRM-04, PRM-06: the relocation fee is priced on the machines moved: horsepower x count."""
    machines = [{"name": "เครื่องกลึง", "horsepower": "7.5", "count": 2}, {"horsepower": 5}]
    assert horsepower_of(relocation, {"machines": machines}) == 20
    assert horsepower_of(relocation, {}) is None
    assert horsepower_of(relocation, {"machines": [{"name": "x"}]}) is None


def test_prm_04_member_profile_is_read_when_no_list_is_given(relocation, db):
    """PRM-04: factory_held reads the member's verified factories from operators."""
    from tests.factories import MemberFactory

    member = MemberFactory()
    found = eligibility_of(relocation, factory=factory(), business=None, member=member)
    assert [f.check for f in found] == ["factory_held"]


def test_prm_05_a_new_factory_skips_the_held_factory_checks_and_reads_the_answers(relocation):
    """PRM-05: started from a business (new_factory), the checks of a held factory do not
    apply (the relocation's factory checks, which all fail with no factory, pass)."""
    assert "factory_held" in failed(relocation, None)
    assert all(check.startswith("factory_") for check in failed(relocation, None))
    assert (
        eligibility_of(relocation, factory=None, business=None, member=None, new_factory=True) == []
    )


@pytest.mark.parametrize(
    ("answers", "check"),
    [
        ({"province": "กรุงเทพมหานคร"}, "not_in_bangkok"),
        ({"purpose": "new", "horsepower": "501"}, "horsepower_at_most"),
        ({"category": "105(1)"}, "category_not_in"),
    ],
)
def test_prm_05_a_new_factorys_answers_make_it_ineligible(licence, answers, check):
    """PRM-05: a new factory (no factory row) in Bangkok, of more than 500 HP or of category
    105 fails by its answers alone."""
    found = eligibility_of(
        licence, factory=None, business=None, member=None, answers=answers, new_factory=True
    )
    assert [f.check for f in found] == [check]
