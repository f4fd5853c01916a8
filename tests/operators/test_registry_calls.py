"""How often the portal asks the registries: SSO-09 off the login path, and one call per
registry when a person is added (BIZ-02, BIZ-03). Calls are counted on the sandbox adapters."""

import json
from collections import Counter

import pytest
from django.tasks import TaskResultStatus

from portal.operators import services, tasks
from portal.operators.models import Business, RegistryChange
from portal.registries import sandbox
from portal.registries.failures import failure_set
from tests.accounts.helpers import login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

COMPANIES = 12


@pytest.fixture
def registry_calls(monkeypatch):
    """Counts every call of the sandbox registries' methods, by "Class.method"."""
    calls: Counter = Counter()
    for cls, method in (
        (sandbox.SandboxCitizenRegistry, "lookup"),
        (sandbox.SandboxCitizenRegistry, "check_card"),
        (sandbox.SandboxJuristicPersonRegistry, "lookup"),
        (sandbox.SandboxCommercialRegistry, "registrations_of"),
    ):
        original = getattr(cls, method)

        def counted(self, *args, _original=original, _name=f"{cls.__name__}.{method}", **kw):
            calls[_name] += 1
            return _original(self, *args, **kw)

        monkeypatch.setattr(cls, method, counted)
    return calls


@pytest.fixture
def consultant(world):
    """A member holding COMPANIES companies, each renamed at DBD since it was added."""
    member = MemberFactory()
    director = {"pid": member.national_id, "name_th": "กรรมการ", "nationality": "TH"}
    for _ in range(COMPANIES):
        company = world.add_juristic_person(directors=[director])
        services.business_add_juristic_person(
            member=member, juristic_id=company["juristic_id"], director_pid=member.national_id
        )
    for record in world.juristic_persons:
        record["name_th"] = record["name_th"] + " (ชื่อใหม่)"
    world._write("juristic_persons.jsonl", world.juristic_persons)
    return member


class _Enqueued:
    """Stands in for the task: records what the login queued without running it."""

    def __init__(self):
        self.calls = []

    def enqueue(self, *args, **kwargs):
        self.calls.append((args, kwargs))


def test_sso_09_login_makes_no_registry_call_and_queues_the_comparison(
    client, robot, consultant, registry_calls, monkeypatch
):
    """SSO-09: a consultant's login asks no registry; it queues one task that takes only the
    member's id (no personal data in task arguments)."""
    from portal.accounts import tasks as account_tasks

    queued, own_name = _Enqueued(), _Enqueued()
    monkeypatch.setattr(tasks, "registry_changes_find_task", queued)
    # The member's own name with DOPA is queued the same way (SSO-09, issue 12).
    monkeypatch.setattr(account_tasks, "member_registry_name_find_task", own_name)
    response = login(client, robot, consultant.national_id)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert sum(registry_calls.values()) == 0
    assert queued.calls == [((consultant.pk,), {})]
    assert own_name.calls == [((consultant.pk,), {})]
    assert RegistryChange.objects.count() == 0


def test_sso_09_the_comparison_is_queued_on_commit(
    consultant, registry_calls, django_capture_on_commit_callbacks
):
    """SSO-09: The comparison is queued on commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.queue_registry_changes_find(member_id=consultant.pk)
    assert len(callbacks) == 1
    assert sum(registry_calls.values()) == 0  # nothing before the commit
    callbacks[0]()
    # DBD once per company; DOPA once per Thai director, however many companies they direct.
    assert registry_calls == Counter(
        {"SandboxJuristicPersonRegistry.lookup": COMPANIES, "SandboxCitizenRegistry.lookup": 1}
    )
    assert RegistryChange.objects.filter(field="name_th").count() == COMPANIES


def test_sso_09_changes_wait_on_the_dashboard_once_the_task_ran(client, robot, consultant):
    """SSO-09: The member sees the changes to confirm on the next page once the background task ran;
    the next login lands on them."""
    login(client, robot, consultant.national_id)  # its queued task runs at commit (immediate)
    assert RegistryChange.objects.filter(field="name_th").count() == COMPANIES
    dashboard = client.get("/")
    assert dashboard.context["registry_changes_waiting"] is True
    assert 'href="/businesses/registry-changes/"' in dashboard.content.decode()
    page = client.get("/businesses/registry-changes/")
    assert len(page.context["by_business"]) == COMPANIES
    client.post("/accounts/logout/")
    assert login(client, robot, consultant.national_id)["Location"] == (
        "/businesses/registry-changes/"
    )


def test_sso_09_confirming_clears_the_change_for_every_holder(consultant):
    """SSO-09: Confirming clears the change for every holder."""
    services.registry_changes_find(member_id=consultant.pk)
    business = Business.objects.filter(registry_changes__isnull=False).first()
    services.business_registry_refresh(member=consultant, business_id=business.pk)
    assert not RegistryChange.objects.filter(business=business).exists()
    assert RegistryChange.objects.count() == COMPANIES - 1
    assert business.name_th != Business.objects.get(pk=business.pk).name_th


def test_sso_09_a_registry_down_leaves_nothing_half_done(consultant, registry_calls):
    """SSO-09: DBD down: the task fails, the changes recorded before stay as they were, and the next
    login queues it again."""
    services.registry_changes_find(member_id=consultant.pk)
    before = sorted(RegistryChange.objects.values_list("pk", flat=True))
    failure_set("dbd", "down")
    try:
        result = tasks.registry_changes_find_task.enqueue(consultant.pk)
    finally:
        failure_set("dbd", None)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "portal.core.errors.RegistryUnavailable"
    assert sorted(RegistryChange.objects.values_list("pk", flat=True)) == before


def _trade_name(world, owner_pid: str, name: str) -> None:
    (world.path / "commercial_registrations.jsonl").write_text(
        json.dumps(
            {
                "registration_no": "3100000000001",
                "owner_pid": owner_pid,
                "trade_name_th": name,
                "status": "active",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


ONCE_EACH = Counter(
    {
        "SandboxCitizenRegistry.check_card": 1,
        "SandboxCitizenRegistry.lookup": 1,
        "SandboxCommercialRegistry.registrations_of": 1,
    }
)


def test_biz_02_adding_another_person_calls_each_registry_once(
    client, robot, world, registry_calls
):
    """BIZ-02: Adding another person calls each registry once."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    registry_calls.clear()  # the login's own comparison with DOPA (SSO-09) is not the add's
    person = world.add_citizen(laser_code="JT0-1234567-89")
    client.post("/businesses/add/", {"kind": "natural_person"})
    response = client.post(
        "/businesses/add/details/",
        {"who": "other", "pid": person["pid"], "laser_code": "JT0-1234567-89"},
    )
    assert response["Location"] == "/businesses/add/done/"
    assert registry_calls == ONCE_EACH
    business = Business.objects.get(kind="natural_person")
    assert (
        business.name_th
        == f"{person['title_th']}{person['first_name_th']} {person['last_name_th']}"
    )
    assert business.name_en == f"{person['first_name_en']} {person['last_name_en']}"


def test_biz_03_adding_another_person_with_a_trade_name_calls_each_registry_once(
    client, robot, world, registry_calls
):
    """BIZ-03: Adding another person with a trade name calls each registry once."""
    member = MemberFactory()
    login(client, robot, member.national_id)
    registry_calls.clear()  # the login's own comparison with DOPA (SSO-09) is not the add's
    person = world.add_citizen(laser_code="JT0-1234567-89")
    _trade_name(world, person["pid"], "ร้านทดสอบการช่าง")
    client.post("/businesses/add/", {"kind": "natural_person"})
    response = client.post(
        "/businesses/add/details/",
        {"who": "other", "pid": person["pid"], "laser_code": "JT0-1234567-89"},
    )
    assert response["Location"] == "/businesses/add/name/"
    response = client.post("/businesses/add/name/", {"name": "1"})
    assert response["Location"] == "/businesses/add/done/"
    assert registry_calls == ONCE_EACH
    business = Business.objects.get(kind="natural_person")
    assert (business.trade_name_th, business.name_en) == (
        "ร้านทดสอบการช่าง",
        f"{person['first_name_en']} {person['last_name_en']}",
    )
