"""SSO-09 against the civil registry as well as DBD: a sole proprietor's name change at DOPA
(the member's own included), and a director renamed at DOPA but not at DBD (the FAQ's way)."""

import pytest

from portal.operators import services
from portal.operators.models import Business, RegistryChange
from portal.operators.selectors import registry_changes_waiting
from tests.accounts.helpers import login, register
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def rename_at_dopa(world, citizen: dict, **names) -> None:
    citizen["previous_names"] = [
        {"first_name_th": citizen["first_name_th"], "last_name_th": citizen["last_name_th"]}
    ]
    citizen.update(names)
    world._write("citizens.jsonl", world.citizens)


def test_sso_09_a_director_renamed_at_dopa_but_not_at_dbd_is_shown_as_the_faq_says(
    client, robot, world
):
    """SSO-09: the comparison asks DOPA for the company's Thai directors; one renamed there
    but not at DBD is shown with the FAQ's way (another director whose data is right, or the
    company corrects DBD first), never confirmed: DBD's data stays as DBD keeps it."""
    director = world.add_citizen()
    member = MemberFactory()
    company = world.add_juristic_person(
        directors=[{"pid": director["pid"], "name_th": "นายสมชาย ใจดี", "nationality": "TH"}]
    )
    holding = services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director["pid"]
    )
    assert services.registry_changes_find(member_id=member.pk) == 0
    rename_at_dopa(world, director, first_name_th="สมศักดิ์")

    assert services.registry_changes_find(member_id=member.pk) == 1
    change = RegistryChange.objects.get()
    assert change.field == "director_names"
    assert (change.stored, change.current) == (["นายสมชาย ใจดี"], ["นายสมศักดิ์ ใจดี"])
    login(client, robot, member.national_id)
    page = client.get("/businesses/registry-changes/").content.decode()
    assert 'data-testid="director-renamed"' in page
    assert "นายสมศักดิ์ ใจดี" in page
    assert 'name="business"' not in page  # nothing to confirm: DBD owns the data
    business = Business.objects.get(pk=holding.business_id)
    assert business.name_th == company["name_th"]


def test_sso_09_a_directors_name_the_same_at_both_registries_is_no_change(world):
    """SSO-09: spacing aside, the same name at DBD and DOPA records nothing."""
    director = world.add_citizen()
    member = MemberFactory()
    company = world.add_juristic_person(
        directors=[{"pid": director["pid"], "name_th": "นายสมชาย  ใจดี", "nationality": "TH"}]
    )
    services.business_add_juristic_person(
        member=member, juristic_id=company["juristic_id"], director_pid=director["pid"]
    )
    assert services.registry_changes_find(member_id=member.pk) == 0


def test_sso_09_the_members_own_name_change_at_dopa_reaches_their_sole_proprietorship(
    client, robot, world
):
    """SSO-09: a member renamed at DOPA sees their own sole proprietorship's new names at the
    next login's comparison and confirms them; the business then shows DOPA's names."""
    citizen = world.add_citizen()
    register(client, citizen)
    from portal.accounts.models import Member

    member = Member.objects.get()
    holding = services.business_add_myself(member=member)
    assert services.registry_changes_find(member_id=member.pk) == 0
    rename_at_dopa(world, citizen, last_name_th="ศรีสุข", last_name_en="Srisuk")

    assert services.registry_changes_find(member_id=member.pk) == 2
    assert set(RegistryChange.objects.values_list("field", flat=True)) == {"name_th", "name_en"}
    client.post("/accounts/logout/")
    login(client, robot, citizen["pid"])
    page = client.get("/businesses/registry-changes/").content.decode()
    assert "นายสมชาย ศรีสุข" in page
    response = client.post("/businesses/registry-changes/", {"business": holding.business_id})
    assert response.status_code == 302
    business = Business.objects.get(pk=holding.business_id)
    assert (business.name_th, business.name_en) == ("นายสมชาย ศรีสุข", "Somchai Srisuk")
    assert not RegistryChange.objects.exists()


def test_sso_09_the_members_own_name_change_at_dopa_is_shown_and_confirmed(client, robot, world):
    """SSO-09: the login's comparison covers the member's own name at the civil registry: a
    name changed at DOPA is shown on the registry-changes page (where the login lands) and
    the member confirms it; the profile then shows DOPA's name, audited."""
    from portal.accounts.models import Member
    from portal.core.models import AuditEntry

    citizen = world.add_citizen(title_th="นางสาว", first_name_th="มาลี", first_name_en="Mali")
    register(client, citizen)
    client.post("/accounts/logout/")
    member = Member.objects.get()
    rename_at_dopa(world, citizen, title_th="นาง", last_name_th="ศรีสุข", last_name_en="Srisuk")

    login(client, robot, citizen["pid"])  # the comparison runs after the login's commit
    member.refresh_from_db()
    assert member.registry_name["last_name"] == "ศรีสุข"
    # The dashboard says changes wait, and the next login lands on them.
    assert registry_changes_waiting(member=member)
    page = client.get("/businesses/registry-changes/").content.decode()
    assert 'data-testid="own-name"' in page and "นางมาลี ศรีสุข" in page
    response = client.post("/accounts/settings/registry-name/")
    assert response["Location"] == "/businesses/registry-changes/"
    member.refresh_from_db()
    assert (member.title_th, member.first_name, member.last_name) == ("นาง", "มาลี", "ศรีสุข")
    assert member.last_name_en == "Srisuk" and member.registry_name == {}
    assert AuditEntry.objects.get(action="member.registry_name").after["last_name"] == "ศรีสุข"
    page = client.get("/businesses/registry-changes/").content.decode()
    assert 'data-testid="own-name"' not in page


def test_sso_09_the_members_name_as_at_dopa_records_nothing(client, robot, world):
    """SSO-09: a name the same at DOPA gives nothing to confirm, and confirming anyway
    changes nothing."""
    from portal.accounts.models import Member
    from portal.accounts.services import member_registry_name_find

    citizen = world.add_citizen()
    register(client, citizen)
    member = Member.objects.get()
    assert member_registry_name_find(member_id=member.pk) is False
    member.refresh_from_db()
    assert member.registry_name == {}
    response = client.post("/accounts/settings/registry-name/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == citizen["last_name_th"]
