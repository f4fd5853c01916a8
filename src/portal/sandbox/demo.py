"""Demo accounts for `make run`: chosen from whatever world is loaded, by what they show,
never by name, so any world in the sandbox format works."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from stdnum.th import pin

from portal.accounts.selectors import (
    current_consent_documents,
    current_terms,
    member_by_national_id,
)
from portal.accounts.services import AccountError, member_register
from portal.backoffice.services import officer_appoint
from portal.identity.selectors import two_factor_current_code, two_factor_enabled
from portal.identity.services import two_factor_confirm, two_factor_start
from portal.registries.world import CitizenRecord, current_world

DEMO_PASSWORD = "Demo#2569pass"
# The demo officer (OPS, nationwide) holds every back-office queue's right, so that each
# queue can be tried on `make run`, the two-factor reset included (SSO-04, ADM-01).
DEMO_OFFICER_PERMISSIONS = [
    "accounts.review_member_request",
    "operators.verify_holding",
    "identity.reset_two_factor",
]


@dataclass
class DemoLogin:
    role: str
    pid: str
    name: str
    note: str = ""


def _usable(citizen: CitizenRecord, *, known_birth_date: bool, thai: bool = True) -> bool:
    return (
        (citizen.nationality == "TH") == thai  # ACC-01: only Thai nationals register
        and citizen.alive
        and citizen.card_status == "active"
        and pin.is_valid(citizen.pid)
        and bool(citizen.first_name_th and citizen.last_name_th and citizen.birth_year_be)
        and (citizen.birth_month is not None) == known_birth_date
    )


def _pick(
    taken: set[str], *, known_birth_date: bool = True, thai: bool = True
) -> CitizenRecord | None:
    for pid in sorted(current_world().citizens):
        citizen = current_world().citizens[pid]
        if pid not in taken and _usable(citizen, known_birth_date=known_birth_date, thai=thai):
            taken.add(pid)
            return citizen
    return None


def _ensure_member(citizen: CitizenRecord, *, index: int):
    member = member_by_national_id(pid=citizen.pid)
    if member is None:
        try:
            member = member_register(
                pid=citizen.pid,
                first_name=citizen.first_name_th,
                last_name=citizen.last_name_th,
                birth_year_be=citizen.birth_year_be,
                birth_month=citizen.birth_month,
                birth_day=citizen.birth_day,
                mobile=f"09{citizen.pid[-8:]}",  # unique per person, whatever the world
                email=f"demo{citizen.pid[-6:]}@example.com",
                line_id="",
                password=DEMO_PASSWORD,
                terms_document_id=current_terms().pk,
                consent_answers={d.pk: True for d in current_consent_documents(kind="pdpa")},
            )
        except AccountError:
            return None
    if not member.is_active:
        return None
    with transaction.atomic():
        # Demo members start with verified contacts so that every reset channel can be tried.
        member.set_password(DEMO_PASSWORD)
        now = timezone.now()
        member.mobile_verified_at = member.mobile_verified_at or (now if member.mobile else None)
        member.email_verified_at = member.email_verified_at or (now if member.email else None)
        member.save(update_fields=["password", "mobile_verified_at", "email_verified_at"])
    return member


def _ensure_authenticator(member) -> None:
    """Officers log in with two factors (issue 8): the demo officer's authenticator is set up
    already, and the sandbox authenticator page plays its phone."""
    if two_factor_enabled(member=member):
        return
    two_factor_start(member=member)
    code, _seconds = two_factor_current_code(member=member)
    two_factor_confirm(member=member, code=code)


ADDABLE = {"operating", "temporarily_stopped"}


def _director_with_factories(taken: set[str]):
    """A Thai director, registrable, of an active company with factories one may add."""
    world = current_world()
    candidates = []
    for juristic_id in sorted(world.juristic_persons):
        company = world.juristic_persons[juristic_id]
        factories = [f for f in world.factories_of(juristic_id) if f.status in ADDABLE]
        if company.status == "active" and factories:
            candidates.append((company, factories))
    # The company with the most factories shows adding several at once.
    candidates.sort(key=lambda pair: -len(pair[1]))
    for company, factories in candidates:
        for director in company.directors:
            citizen = world.citizens.get(director.pid or "")
            if citizen and citizen.pid not in taken and _usable(citizen, known_birth_date=True):
                taken.add(citizen.pid)
                return citizen, company, len(factories)
    return None


def demo_accounts_ensure() -> list[DemoLogin]:
    taken = set()
    logins: list[DemoLogin] = []
    for index, (role, known) in enumerate(
        [("member", True), ("member, no day and month of birth", False), ("officer", True)],
        start=1,
    ):
        citizen = _pick(taken, known_birth_date=known)
        if citizen is None:
            continue
        member = _ensure_member(citizen, index=index)
        if member is None:
            continue
        note = ""
        if role == "officer":
            with transaction.atomic():
                officer_appoint(
                    member=member,
                    agency="OPS",
                    permissions=DEMO_OFFICER_PERMISSIONS,
                )
            _ensure_authenticator(member)
            note = "second factor: the code at /sandbox/authenticator/"
        logins.append(
            DemoLogin(role, citizen.pid, f"{citizen.first_name_th} {citizen.last_name_th}", note)
        )
    director = _director_with_factories(taken)
    if director is not None:
        citizen, company, count = director
        if _ensure_member(citizen, index=4) is not None:
            logins.append(
                DemoLogin(
                    "member, director of a company",
                    citizen.pid,
                    f"{citizen.first_name_th} {citizen.last_name_th}",
                    note=f"{company.name_th} {company.juristic_id}, {count} factories at DIW",
                )
            )
    unregistered = [_pick(taken), _pick(taken, known_birth_date=False)]
    for citizen in filter(None, unregistered):
        birth = (
            f"{citizen.birth_day}/{citizen.birth_month}/{citizen.birth_year_be}"
            if citizen.birth_month
            else f"ไม่มี/ไม่มี/{citizen.birth_year_be}"
        )
        logins.append(
            DemoLogin(
                "citizen to register",
                citizen.pid,
                f"{citizen.first_name_th} {citizen.last_name_th}",
                note=f"born {birth}",
            )
        )
    resident = _pick(taken, thai=False)
    if resident is not None:
        logins.append(
            DemoLogin(
                "non-Thai resident, refused at registration (ACC-01)",
                resident.pid,
                f"{resident.first_name_th} {resident.last_name_th}",
                note=(
                    f"nationality {resident.nationality}, born {resident.birth_day}/"
                    f"{resident.birth_month}/{resident.birth_year_be}"
                ),
            )
        )
    return logins
