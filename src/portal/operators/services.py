"""Writes of the operators app: adding businesses to a member's profile by each way the rules
allow, removing them, and the officer's decision on a document-proven holding.

Every registry call happens before the transaction; a registry that is down raises
RegistryUnavailable and nothing is stored (DESIGN: errors and faults)."""

import datetime as dt
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core.acting import Acting, resolve_acting
from portal.core.jsonable import jsonable
from portal.core.scope import Queue, officer_refusal, refusal_message
from portal.core.services import audit_record
from portal.core.thaiid import decrypt_text, encrypt_text, is_valid_thirteen_digit_id, pid_hash
from portal.core.uploads import CONTENT_TYPE_OF, private_name
from portal.identity.services import sign_ins_end
from portal.operators.errors import OperatorError
from portal.operators.models import (
    Business,
    BusinessDocument,
    FactoryHolding,
    HolderRemovalRequest,
    Holding,
    RegistryChange,
)
from portal.operators.selectors import NaturalPersonCheck, natural_person_check
from portal.registries.dbd import juristic_person_registry
from portal.registries.doae import community_enterprise_registry
from portal.registries.dopa import citizen_registry
from portal.registries.rd import Taxpayer
from portal.registries.tasks import queue_email, queue_sms

REGISTRY_FIELDS = ("name_th", "name_en", "registry_data", "registry_read_at")


def _hold(
    *,
    member,
    kind: str,
    registry_key: str,
    defaults: dict,
    proof: str,
    status: str,
    claim: dict | None = None,
    request=None,
) -> Holding:
    """Find or create the business, then the member's holding of it, in one transaction."""
    try:
        with transaction.atomic():
            business, created = Business.objects.get_or_create(
                kind=kind, registry_key=registry_key, defaults=defaults
            )
            refreshed = [f for f in REGISTRY_FIELDS if f in defaults]
            if not created and not business.pid_encrypted and defaults.get("pid_encrypted"):
                # A sole proprietorship that left with a closed account (ACC-15) comes back
                # with what DOPA says now.
                restored = ["pid_encrypted", "name_th", "name_en", "trade_name_th"]
                for field in restored:
                    if defaults.get(field) and not getattr(business, field):
                        setattr(business, field, defaults[field])
                business.save(update_fields=restored)
            if not created and "registry_data" in defaults:
                # The registry was just read: keep its newest answer (BIZ-08).
                for field in refreshed:
                    setattr(business, field, defaults[field])
                business.save(update_fields=refreshed)
            holding = Holding.objects.create(
                member=member, business=business, proof=proof, status=status, **(claim or {})
            )
            audit_record(
                actor=member,
                action="business.add",
                target=holding,
                after={"business": business.pk, "kind": kind, "proof": proof, "status": status},
                request=request,
            )
    except IntegrityError as exc:
        raise OperatorError(
            _("This business is already in your profile."), code="already_held"
        ) from exc
    return holding


def _own_holding(rows, *, member, holding_id: int) -> Holding:
    """The member's current holding among rows, or the error every member-side write gives."""
    holding = rows.filter(pk=holding_id, member=member, removed_at__isnull=True).first()
    if holding is None:
        raise OperatorError(_("This business is not in your profile."), code="not_held")
    return holding


def _refuse_if_held(member, kind: str, registry_key: str) -> None:
    if Holding.objects.filter(
        member=member,
        business__kind=kind,
        business__registry_key=registry_key,
        removed_at__isnull=True,
    ).exists():
        raise OperatorError(_("This business is already in your profile."), code="already_held")


# --- natural persons (BIZ-02, BIZ-03) ------------------------------------------------------


def _hold_natural_person(
    *, member, pid: str, name_th: str, name_en: str, trade_name_th: str, proof: str, request
) -> Holding:
    """A natural person is keyed by the hash of the national ID, which is stored encrypted."""
    return _hold(
        member=member,
        kind=Business.Kind.NATURAL_PERSON,
        registry_key=pid_hash(pid),
        defaults={
            "pid_encrypted": encrypt_text(pid),
            "name_th": name_th,
            "name_en": name_en,
            "trade_name_th": trade_name_th,
        },
        proof=proof,
        status=Holding.Status.VERIFIED,
        request=request,
    )


def business_add_myself(*, member, trade_name_th: str = "", request=None) -> Holding:
    """BIZ-02 "myself": the member is the sole proprietor; nothing to type."""
    pid = member.national_id
    _refuse_if_held(member, Business.Kind.NATURAL_PERSON, pid_hash(pid))
    return _hold_natural_person(
        member=member,
        pid=pid,
        name_th=f"{member.title_th}{member.display_name}",
        name_en=f"{member.first_name_en} {member.last_name_en}".strip(),
        trade_name_th=trade_name_th,
        proof=Holding.Proof.SELF,
        request=request,
    )


def business_add_natural_person(
    *,
    member,
    pid: str,
    laser_code: str,
    trade_name_th: str = "",
    checked: NaturalPersonCheck | None = None,
    request=None,
) -> Holding:
    """BIZ-02 "another person": their ID and the laser code of a current card, checked with
    DOPA. The other person needs no account.

    `checked` is natural_person_check's answer for this person, made earlier in the same add
    (the wizard checks before it offers the trade names, BIZ-03): given, DOPA and DBD are not
    asked a second time, so adding a person calls each registry once."""
    # Checked before DOPA is asked: a business already held costs no registry call.
    _refuse_if_held(member, Business.Kind.NATURAL_PERSON, pid_hash(pid))
    if checked is not None and checked.pid == pid:
        person = checked
    else:
        person = natural_person_check(member=member, who="other", pid=pid, laser_code=laser_code)
    return _hold_natural_person(
        member=member,
        pid=pid,
        name_th=person.person_name,
        name_en=person.person_name_en,
        trade_name_th=trade_name_th,
        proof=Holding.Proof.ID_CARD,
        request=request,
    )


# --- juristic persons (BIZ-04, BIZ-05) and community enterprises (BIZ-07) ------------------


def _registry_snapshot(company) -> dict:
    return jsonable(company)


def _company_to_add(*, member, juristic_id: str):
    """What DBD lists by this number, when it is active and not already in the profile; both
    ways of adding a juristic person (BIZ-04, BIZ-05) start here."""
    _refuse_if_held(member, Business.Kind.JURISTIC_PERSON, juristic_id)
    if not is_valid_thirteen_digit_id(juristic_id):
        raise OperatorError(
            _("Enter the 13 digits of the juristic person's registration number."),
            field="juristic_id",
            code="juristic_id",
        )
    company = juristic_person_registry().lookup(juristic_id)
    if company is None:
        raise OperatorError(
            _("The Department of Business Development has no juristic person by this number."),
            field="juristic_id",
            code="unknown",
        )
    if company.status != "active":
        raise OperatorError(
            _(
                "This juristic person is dissolved or closed at the Department of Business "
                "Development."
            ),
            field="juristic_id",
            code="not_active",
        )
    return company


def _juristic_defaults(company) -> dict:
    return {
        "name_th": company.name_th,
        "name_en": company.name_en or "",
        "registry_data": _registry_snapshot(company),
        "registry_read_at": timezone.now(),
    }


def business_add_juristic_person(
    *, member, juristic_id: str, director_pid: str, request=None
) -> Holding:
    """BIZ-04: verified with the national ID of any one Thai director (signing or not)."""
    company = _company_to_add(member=member, juristic_id=juristic_id)
    if company.only_foreign_directors:
        raise OperatorError(
            _("This company has only foreign directors: add it with a passport or work permit."),
            field="director_pid",
            code="only_foreign",
        )
    if director_pid not in {d.pid for d in company.thai_directors}:
        raise OperatorError(
            _("This ID is not the ID of a Thai director of the company."),
            field="director_pid",
            code="not_director",
        )
    return _hold(
        member=member,
        kind=Business.Kind.JURISTIC_PERSON,
        registry_key=juristic_id,
        defaults=_juristic_defaults(company),
        proof=Holding.Proof.DIRECTOR_ID,
        status=Holding.Status.VERIFIED,
        request=request,
    )


def business_add_foreign_directed_company(
    *,
    member,
    juristic_id: str,
    document,
    extension: str,
    document_kind: str,
    expires_on: dt.date,
    request=None,
) -> Holding:
    """BIZ-05: a company proven by a foreign director's passport or Thai work permit that has
    not expired, whether or not it also has Thai directors (the member need not know a Thai
    director's ID); Not Verified until an officer checks it. DBD must list a foreign director:
    a company of Thai directors only is added with one of their IDs (BIZ-04)."""
    refuse_expired_document(expires_on)
    company = _company_to_add(member=member, juristic_id=juristic_id)
    if all(director.is_thai for director in company.directors):
        raise OperatorError(
            _(
                "The Department of Business Development lists no foreign director of this "
                "company: add it with a Thai director's national ID."
            ),
            field="juristic_id",
            code="no_foreign_director",
        )
    return _hold_with_document(
        member=member,
        kind=Business.Kind.JURISTIC_PERSON,
        registry_key=juristic_id,
        defaults=_juristic_defaults(company),
        document=document,
        extension=extension,
        document_kind=document_kind,
        expires_on=expires_on,
        request=request,
    )


def business_add_community_enterprise(
    *, member, registration_no: str, representative_pid: str, request=None
) -> Holding:
    """BIZ-07: verified with the ID of its representative as registered with DOAE (the
    enterprise is found by that ID, business_lookup); one that is also a juristic person is
    added as a juristic person (BIZ-04)."""
    _refuse_if_held(member, Business.Kind.COMMUNITY_ENTERPRISE, registration_no)
    enterprise = community_enterprise_registry().lookup(registration_no)
    if enterprise is None or enterprise.representative_pid != representative_pid:
        raise OperatorError(
            _(
                "The Department of Agricultural Extension does not list this ID as the "
                "representative of this community enterprise."
            ),
            field="representative_pid",
            code="not_representative",
        )
    if enterprise.is_juristic:
        raise OperatorError(
            _("This community enterprise is a juristic person: add it as a juristic person."),
            field="registration_no",
            code="is_juristic",
        )
    return _hold(
        member=member,
        kind=Business.Kind.COMMUNITY_ENTERPRISE,
        registry_key=registration_no,
        defaults={
            "name_th": enterprise.name_th,
            # BIZ-07: the representative's ID is the registration number the page shows.
            "pid_encrypted": encrypt_text(representative_pid),
            "registry_data": jsonable(enterprise),
            "registry_read_at": timezone.now(),
        },
        proof=Holding.Proof.REPRESENTATIVE_ID,
        status=Holding.Status.VERIFIED,
        request=request,
    )


# --- documents (BIZ-05, BIZ-06, SSO-02) ----------------------------------------------------


def refuse_expired_document(expires_on: dt.date) -> None:
    """BIZ-05: a passport or work permit must still be valid. The form asks this too, so the
    person sees it next to the date; the rule and its words live here, once."""
    if expires_on < timezone.localdate():
        raise OperatorError(
            _("The document has expired; upload one that is still valid."),
            field="expires_on",
            code="expired",
        )


@contextmanager
def _stored_upload(folder: str, upload, extension: str):
    """Write the file before the rows that name it, and delete it again when they are not
    stored: a refused or failed request leaves no file behind."""
    name = default_storage.save(private_name(folder, extension), upload)
    try:
        yield name
    except BaseException:
        default_storage.delete(name)
        raise


def _hold_with_document(
    *,
    member,
    kind,
    registry_key,
    defaults,
    document,
    extension,
    document_kind,
    expires_on=None,
    claim=None,
    request=None,
) -> Holding:
    with _stored_upload("business-documents", document, extension) as name, transaction.atomic():
        holding = _hold(
            member=member,
            kind=kind,
            registry_key=registry_key,
            defaults=defaults,
            proof=Holding.Proof.DOCUMENT,
            status=Holding.Status.NOT_VERIFIED,
            claim=claim,
            request=request,
        )
        BusinessDocument.objects.create(
            holding=holding,
            kind=document_kind,
            file=name,
            content_type=CONTENT_TYPE_OF[extension],
            expires_on=expires_on,
        )
    return holding


TAX_ID_DOCUMENTS = (
    BusinessDocument.Kind.RD_DOCUMENT,
    BusinessDocument.Kind.GOVERNMENT_DOCUMENT,
    BusinessDocument.Kind.OTHER,
)
COMMUNITY_ENTERPRISE_DOCUMENTS = (
    BusinessDocument.Kind.COMMUNITY_ENTERPRISE_CERTIFICATE,
    BusinessDocument.Kind.REPRESENTATIVE_ID_CARD,
)


def _refuse_document_kind(document_kind: str, allowed) -> None:
    if document_kind not in allowed:
        raise OperatorError(
            _("Choose which document you upload."), field="document_kind", code="document_kind"
        )


def business_add_by_document(
    *,
    member,
    kind: str,
    tax_id: str,
    name_th: str = "",
    name_en: str = "",
    branch: str = "",
    document,
    extension: str,
    document_kind: str,
    taxpayer: Taxpayer | None = None,
    request=None,
) -> Holding:
    """BIZ-06 and SSO-02: juristic persons under other laws (0994 tax ID), groups of persons
    and "other" operators are added with a document and stay Not Verified until an officer
    checks it.

    `taxpayer` is the branch the Revenue Department's register lists (business_lookup, made
    earlier in the same add): its names and branch are the business's, nothing typed. Without
    it the register found nothing and the member's typed names stay on their own claim."""
    if kind not in (
        Business.Kind.OTHER_LAW,
        Business.Kind.GROUP_OF_PERSONS,
        Business.Kind.OTHER,
    ):
        raise OperatorError(_("This kind of business is not added by document."), code="kind")
    if not is_valid_thirteen_digit_id(tax_id):
        raise OperatorError(
            _("Enter the 13 digits of the tax ID; the last digit does not check."),
            field="tax_id",
            code="tax_id",
        )
    if kind == Business.Kind.OTHER_LAW and not tax_id.startswith("0994"):
        raise OperatorError(
            _("A juristic person under other laws has a tax ID beginning with 0994."),
            field="tax_id",
            code="not_0994",
        )
    _refuse_document_kind(document_kind, TAX_ID_DOCUMENTS)
    if taxpayer is not None:
        if taxpayer.tax_id != tax_id:
            raise OperatorError(_("The register's answer is for another tax ID."), code="tax_id")
        branch = taxpayer.branch
        defaults = {
            "name_th": taxpayer.name_th,
            "name_en": taxpayer.name_en or "",
            "branch": branch,
            "registry_data": jsonable(taxpayer),
            "registry_read_at": timezone.now(),
        }
        claim = {"claimed_name_th": taxpayer.name_th, "claimed_name_en": taxpayer.name_en or ""}
    else:
        if not name_th.strip():
            raise OperatorError(_("Enter the name in Thai."), field="name_th", code="name_th")
        # No registry knows this business: its shared name stays empty until an officer
        # verifies a claim, and each claimant's typed name stays on their own holding.
        defaults = {"name_th": "", "name_en": "", "branch": branch or "00000"}
        claim = {"claimed_name_th": name_th, "claimed_name_en": name_en}
    key = f"{tax_id}:{branch or '00000'}"
    _refuse_if_held(member, kind, key)
    return _hold_with_document(
        member=member,
        kind=kind,
        registry_key=key,
        defaults=defaults,
        claim=claim,
        document=document,
        extension=extension,
        document_kind=document_kind,
        request=request,
    )


def business_add_community_enterprise_by_document(
    *,
    member,
    representative_pid: str,
    name_th: str,
    name_en: str = "",
    document,
    extension: str,
    document_kind: str,
    request=None,
) -> Holding:
    """BIZ-07, the manual's route "under other laws": a community enterprise DOAE does not
    list for this representative is added with its registration certificate or a copy of the
    representative's ID card, whose national ID is its registration number; Not Verified until
    an officer checks it. The ID is kept as natural persons' are: hashed as the key, encrypted
    to show it masked."""
    if not is_valid_thirteen_digit_id(representative_pid) or representative_pid.startswith("0994"):
        raise OperatorError(
            _("Enter the 13 digits of the representative's national ID."),
            field="number",
            code="number",
        )
    if not name_th.strip():
        raise OperatorError(_("Enter the name in Thai."), field="name_th", code="name_th")
    _refuse_document_kind(document_kind, COMMUNITY_ENTERPRISE_DOCUMENTS)
    key = pid_hash(representative_pid)
    _refuse_if_held(member, Business.Kind.COMMUNITY_ENTERPRISE, key)
    return _hold_with_document(
        member=member,
        kind=Business.Kind.COMMUNITY_ENTERPRISE,
        registry_key=key,
        defaults={"name_th": "", "name_en": "", "pid_encrypted": encrypt_text(representative_pid)},
        claim={"claimed_name_th": name_th, "claimed_name_en": name_en},
        document=document,
        extension=extension,
        document_kind=document_kind,
        request=request,
    )


# --- what the member edits (BIZ-08, SSO-02) -------------------------------------------------

# BIZ-08: the parts of a business's details a member edits, each saved on its own (changing
# the phone number asks for nothing else). "address" also carries the typed contact address.
CONTACT_SECTIONS: dict[str, tuple[str, ...]] = {
    "contacts": ("phone", "fax", "website", "email", "other_contacts"),
    "address": ("contact_address_same",),
    "position": ("latitude", "longitude"),
    "person": (
        "contact_person_name",
        "contact_person_position",
        "contact_person_phone",
        "contact_person_mobile",
        "contact_person_email",
    ),
}
CONTACT_FIELDS = tuple(f for fields in CONTACT_SECTIONS.values() for f in fields)


def _contact_values(business: Business) -> dict:
    values = {f: jsonable(getattr(business, f)) for f in CONTACT_FIELDS}
    values["contact_address"] = business.contact_address
    return values


@transaction.atomic
def business_update_contacts(*, member, holding_id: int, data: dict, request=None) -> Business:
    """Contacts, contact address, map position and contact person; registry data stays as
    the registry says. Only what `data` holds changes (BIZ-08: one part at a time; the
    contact address with "contact_address_same"). They are shared by every holder: only a
    verified holding changes them (a pending or rejected claim could be anyone's)."""
    holding = _own_holding(Holding.objects, member=member, holding_id=holding_id)
    if not holding.is_verified:
        raise OperatorError(
            _("Only a verified member of this business can change its contacts."),
            code="not_verified",
        )
    business = Business.objects.select_for_update().get(pk=holding.business_id)
    before = _contact_values(business)
    changed = [field for field in CONTACT_FIELDS if field in data]
    for field in changed:
        setattr(business, field, data[field])
    if "contact_address_same" in data:
        business.contact_address = (
            {} if business.contact_address_same else {"text": data.get("contact_address", "")}
        )
        changed.append("contact_address")
    if not changed:
        return business
    business.save(update_fields=changed)
    after = _contact_values(business)
    audit_record(
        actor=member,
        action="business.contacts",
        target=business,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        request=request,
    )
    return business


# --- registry changes (SSO-09, BIZ-08) ------------------------------------------------------


def _registry_differences(business: Business, company) -> list[RegistryChange]:
    stored_address = business.registry_data.get("address", {})
    return [
        RegistryChange(business=business, field=field, stored=stored, current=current)
        for field, stored, current in (
            ("name_th", business.name_th, company.name_th),
            ("name_en", business.name_en, company.name_en or ""),
            ("address", stored_address, jsonable(company.address)),
        )
        if stored != current
    ]


def _person_name_th(person) -> str:
    """A person's Thai name as the portal stores a sole proprietor's (natural_person_check)."""
    return f"{person.title_th}{person.first_name_th} {person.last_name_th}"


def _person_differences(business: Business, person) -> list[RegistryChange]:
    """SSO-09 for a natural person: the names DOPA gives now (a name change at the civil
    registry, the member's own included)."""
    return [
        RegistryChange(business=business, field=field, stored=stored, current=current)
        for field, stored, current in (
            ("name_th", business.name_th, _person_name_th(person)),
            ("name_en", business.name_en, f"{person.first_name_en} {person.last_name_en}".strip()),
        )
        if _words(stored) != _words(current)
    ]


def _words(text: str) -> str:
    return " ".join((text or "").split())


def _renamed_directors(business: Business, company, dopa) -> list[RegistryChange]:
    """SSO-09 and the FAQ (seeds/i-industry-faq.txt, lines 139-140): a Thai director renamed
    at DOPA whom DBD still lists under the old name. The portal keeps DBD's data (DBD owns
    it); the member is shown the difference and what to do, and nothing is confirmed."""
    stored, current = [], []
    for director in company.thai_directors:
        person = dopa.lookup(director.pid)
        if person is None or not person.alive:
            continue
        dbd_name = director.name_th
        if person.middle_name_th:
            dopa_name = (
                f"{person.title_th}{person.first_name_th} {person.middle_name_th} "
                f"{person.last_name_th}"
            )
        else:
            dopa_name = _person_name_th(person)
        if _words(dbd_name) != _words(dopa_name):
            stored.append(dbd_name)
            current.append(dopa_name)
    if not stored:
        return []
    return [
        RegistryChange(
            business=business, field=RegistryChange.DIRECTOR_NAMES, stored=stored, current=current
        )
    ]


def registry_changes_find(*, member_id: int) -> int:
    """SSO-09, in the background after a login: compare each business the member holds with
    its registries and record what differs, to be confirmed. Juristic persons with DBD (names,
    head-office address) and their Thai directors' names with DOPA (a director renamed at
    DOPA but not at DBD); natural persons with DOPA (names: a name change at the civil
    registry, the member's own sole proprietorship included). Returns the number recorded.

    Every registry answer is had before anything is written: when DBD or DOPA is down this
    raises RegistryUnavailable and the recorded changes stay as they were (the next login
    tries again). No audit row: nothing of the member's or the business's data changes here;
    the confirmation that changes it is audited (business_registry_refresh)."""
    businesses = list(
        Business.objects.filter(
            kind__in=(Business.Kind.JURISTIC_PERSON, Business.Kind.NATURAL_PERSON),
            pk__in=Holding.objects.filter(
                member_id=member_id, removed_at__isnull=True, status=Holding.Status.VERIFIED
            ).values("business_id"),
        ).order_by("pk")
    )
    if not businesses:
        return 0
    dbd, citizens = juristic_person_registry(), citizen_registry()
    people: dict = {}

    class _Dopa:
        """DOPA once per person: a consultant's companies often share their directors."""

        @staticmethod
        def lookup(pid: str):
            if pid not in people:
                people[pid] = citizens.lookup(pid)
            return people[pid]

    dopa = _Dopa()
    found: list[RegistryChange] = []
    for business in businesses:
        if business.kind == Business.Kind.NATURAL_PERSON:
            if not business.pid_encrypted:
                continue
            person = dopa.lookup(decrypt_text(business.pid_encrypted))
            if person is not None and person.alive:
                found.extend(_person_differences(business, person))
            continue
        company = dbd.lookup(business.registry_key)
        if company is not None:
            found.extend(_registry_differences(business, company))
            found.extend(_renamed_directors(business, company, dopa))
    with transaction.atomic():
        # Locked in one order: members sharing a business may be compared at the same time.
        locked = set(
            Business.objects.select_for_update()
            .filter(pk__in=[b.pk for b in businesses])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        RegistryChange.objects.filter(business_id__in=locked).delete()
        recorded = RegistryChange.objects.bulk_create([c for c in found if c.business_id in locked])
    return len(recorded)


def business_registry_refresh(*, member, business_id: int, request=None) -> Business:
    """The member confirms what DBD says now: the stored names, address and data follow it.
    Only a verified holder changes the business's shared data (issue 8, BIZ-08)."""
    business = Business.objects.filter(
        pk=business_id,
        kind__in=(Business.Kind.JURISTIC_PERSON, Business.Kind.NATURAL_PERSON),
        holdings__member=member,
        holdings__removed_at__isnull=True,
        holdings__status=Holding.Status.VERIFIED,
    ).first()
    if business is None:
        raise OperatorError(_("This business is not in your profile."), code="not_held")
    if business.kind == Business.Kind.NATURAL_PERSON:
        return _natural_person_refresh(member=member, business=business, request=request)
    company = juristic_person_registry().lookup(business.registry_key)
    if company is None:
        raise OperatorError(_("The registry no longer lists this business."), code="unknown")
    with transaction.atomic():
        business = Business.objects.select_for_update().get(pk=business.pk)
        before = {"name_th": business.name_th, "name_en": business.name_en}
        for field, value in _juristic_defaults(company).items():
            setattr(business, field, value)
        business.save(update_fields=list(REGISTRY_FIELDS))
        # SSO-09: confirmed for every member who holds it.
        RegistryChange.objects.filter(business=business).delete()
        audit_record(
            actor=member,
            action="business.registry_refresh",
            target=business,
            before=before,
            after={"name_th": business.name_th, "name_en": business.name_en},
            request=request,
        )
    return business


def _natural_person_refresh(*, member, business: Business, request) -> Business:
    """SSO-09: the member confirms the names DOPA gives a sole proprietor now."""
    person = (
        citizen_registry().lookup(decrypt_text(business.pid_encrypted))
        if business.pid_encrypted
        else None
    )
    if person is None or not person.alive:
        raise OperatorError(_("The registry no longer lists this business."), code="unknown")
    with transaction.atomic():
        business = Business.objects.select_for_update().get(pk=business.pk)
        before = {"name_th": business.name_th, "name_en": business.name_en}
        business.name_th = _person_name_th(person)
        business.name_en = f"{person.first_name_en} {person.last_name_en}".strip()
        business.save(update_fields=["name_th", "name_en"])
        RegistryChange.objects.filter(business=business).delete()
        audit_record(
            actor=member,
            action="business.registry_refresh",
            target=business,
            before=before,
            after={"name_th": business.name_th, "name_en": business.name_en},
            request=request,
        )
    return business


# --- removal (BIZ-10) and the officer's decision (ADM-02, ADM-03) --------------------------


def _end_holding(holding: Holding, *, request) -> None:
    """Take a business off a member's profile, whether the member or an officer does it.
    SSO-06: a connected system signed in for this business loses it with the holding."""
    holding.removed_at = timezone.now()
    holding.save(update_fields=["removed_at"])
    sign_ins_end(member=holding.member, business_id=holding.business_id, request=request)


def _refuse_unless_may_decide(*, officer, approve: bool, note: str, note_field: str) -> None:
    """Both decisions an officer makes here (ADM-02) need the permission, and a reason when
    rejecting."""
    if not officer.has_perm("operators.verify_holding"):
        raise PermissionError("officer lacks operators.verify_holding")
    if not approve and not note.strip():
        raise OperatorError(_("Give the reason for rejecting."), field=note_field, code="reason")


def _refuse_out_of_scope(acting: Acting, queue: Queue, *, business, concerned) -> None:
    """ADM-01: the case must be in the officer's agency and area, and not their own (the
    view finds only such cases; the service re-checks, whoever calls it)."""
    refusal = officer_refusal(
        acting, queue, province=business.province, concerned_member_ids=concerned
    )
    if refusal is not None:
        raise OperatorError(refusal_message(refusal), code=refusal)


@transaction.atomic
def holding_remove(*, member, holding_id: int, request=None) -> Holding:
    """Remove a business from this member's profile only; nothing done in its name changes."""
    holding = _own_holding(
        Holding.objects.select_for_update(), member=member, holding_id=holding_id
    )
    _end_holding(holding, request=request)
    audit_record(
        actor=member,
        action="business.remove",
        target=holding,
        before={"removed": False},
        after={"removed": True},
        request=request,
    )
    return holding


@transaction.atomic
def holding_decide(
    *,
    officer,
    holding_id: int,
    approve: bool,
    reason: str = "",
    request=None,
    acting: Acting | None = None,
):
    """An officer verifies or rejects a document-proven holding, with a reason when rejecting."""
    acting = resolve_acting(acting=acting, request=request, actor=officer)
    _refuse_unless_may_decide(officer=officer, approve=approve, note=reason, note_field="reason")
    holding = (
        Holding.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=holding_id)
    )
    _refuse_out_of_scope(
        acting,
        Queue.BUSINESS_VERIFICATIONS,
        business=holding.business,
        concerned=[holding.member_id],
    )
    if holding.status != Holding.Status.NOT_VERIFIED:
        raise OperatorError(_("This business was already decided."), code="decided")
    before = {"status": holding.status}
    if approve:
        _decide_shared_name(holding)
    holding.status = Holding.Status.VERIFIED if approve else Holding.Status.REJECTED
    holding.rejection_reason = "" if approve else reason
    holding.decided_by = officer
    holding.decided_at = timezone.now()
    holding.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    audit_record(
        actor=officer,
        actor_role="officer",
        action=f"holding.{holding.status}",
        target=holding,
        before=before,
        after={"status": holding.status, "reason": holding.rejection_reason},
        acting=acting,
    )
    _tell_member_of_verification(holding)
    return holding


def _decide_shared_name(holding: Holding) -> None:
    """A business no registry names takes the name of the first claim an officer verifies
    (the officer saw the document); later claims keep their typed names to themselves."""
    business = Business.objects.select_for_update().get(pk=holding.business_id)
    if business.name_th or not holding.claimed_name_th:
        return
    business.name_th = holding.claimed_name_th
    business.name_en = holding.claimed_name_en
    business.save(update_fields=["name_th", "name_en"])
    holding.business = business


def _tell_member_of_verification(holding: Holding) -> None:
    """ADM-02: the member is told by email and SMS, after the decision commits."""
    member = holding.member
    with translation.override(member.language or "th"):
        name = holding.business_name
        if holding.status == Holding.Status.VERIFIED:
            body = _("“%(name)s” in your Industry Portal profile was verified by an officer.") % {
                "name": name
            }
        else:
            body = _("“%(name)s” in your Industry Portal profile was not verified: %(reason)s") % {
                "name": name,
                "reason": holding.rejection_reason,
            }
        subject = _("Verification of your business")
    # Only verified contacts get anything but a verification code (issue 8).
    if member.mobile_verified:
        queue_sms(to=member.mobile, body=body)
    if member.email_verified:
        queue_email(to=member.email, subject=subject, body=body)


# --- taking another member off a business (ADM-02) -----------------------------------------


def holder_removal_request_file(
    *,
    member,
    holding_id: int,
    target_holding_id: int,
    reason: str,
    letter,
    extension: str,
    request=None,
) -> HolderRemovalRequest:
    """A verified holder asks an officer to take another member off the business, with a
    letter signed by a director."""
    own = Holding.objects.filter(
        pk=holding_id, member=member, removed_at__isnull=True, status=Holding.Status.VERIFIED
    ).first()
    target = (
        Holding.objects.filter(pk=target_holding_id, removed_at__isnull=True)
        .exclude(member=member)
        .first()
    )
    if own is None or target is None or target.business_id != own.business_id:
        raise OperatorError(_("This member does not hold this business."), code="not_held")
    if HolderRemovalRequest.objects.filter(
        target=target, status=HolderRemovalRequest.Status.PENDING
    ).exists():
        raise OperatorError(
            _("A request to take this member off is already awaiting an officer."),
            code="pending",
        )
    with _stored_upload("removal-letters", letter, extension) as name, transaction.atomic():
        filed = HolderRemovalRequest.objects.create(
            business_id=own.business_id,
            target=target,
            requested_by=member,
            reason=reason,
            letter=name,
            letter_content_type=CONTENT_TYPE_OF[extension],
        )
        audit_record(
            actor=member,
            action="holder_removal.file",
            target=filed,
            after={"target_holding": target.pk},
            request=request,
        )
    return filed


@transaction.atomic
def holder_removal_request_decide(
    *,
    officer,
    request_id: int,
    approve: bool,
    note: str = "",
    request=None,
    acting: Acting | None = None,
) -> HolderRemovalRequest:
    """ADM-02: approve (the member is taken off the business) or reject with a note. The
    officer may be neither the member concerned nor the one who asked."""
    acting = resolve_acting(acting=acting, request=request, actor=officer)
    _refuse_unless_may_decide(officer=officer, approve=approve, note=note, note_field="note")
    filed = (
        HolderRemovalRequest.objects.select_for_update(of=("self",))
        .select_related("business", "target")
        .get(pk=request_id)
    )
    _refuse_out_of_scope(
        acting,
        Queue.HOLDER_REMOVALS,
        business=filed.business,
        concerned=[filed.target.member_id, filed.requested_by_id],
    )
    if filed.status != HolderRemovalRequest.Status.PENDING:
        raise OperatorError(_("This request was already decided."), code="decided")
    filed.status = (
        HolderRemovalRequest.Status.APPROVED if approve else HolderRemovalRequest.Status.REJECTED
    )
    filed.decided_by = officer
    filed.decided_at = timezone.now()
    filed.decision_note = note
    filed.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        target = Holding.objects.select_for_update().get(pk=filed.target_id)
        if target.removed_at is None:
            _end_holding(target, request=request)
    audit_record(
        actor=officer,
        actor_role="officer",
        action=f"holder_removal.{filed.status}",
        target=filed,
        before={"status": HolderRemovalRequest.Status.PENDING},
        after={"status": filed.status, "note": note},
        acting=acting,
    )
    return filed


# --- a closed account leaves its businesses (ACC-15) ----------------------------------------


def _blank_contacts(business: Business) -> list[str]:
    """Empty every contact of a business (they are the person's own for a sole proprietor)."""
    for field in CONTACT_FIELDS:
        default = Business._meta.get_field(field).get_default()
        setattr(business, field, default)
    business.contact_address = {}
    return [*CONTACT_FIELDS, "contact_address"]


@transaction.atomic
def member_holdings_end_on_closure(*, member, request=None) -> dict[str, int]:
    """ACC-15: closing an account ends the member's holdings. The closed member leaves every
    business's list of holders (BIZ-09) and the factories in their profile; their claims
    awaiting an officer (businesses added by document, requests to take someone off a
    business) leave the officer queues, as do requests to take them off (nothing is left to
    decide); a sole proprietorship nobody else holds leaves with them: its encrypted national
    ID and contacts are erased, and when it has no factory (nothing was done in its name
    here), its names too. Everything done in the name of businesses and factories stays.

    Called by accounts.services.member_close inside its transaction; returns what it did."""
    now = timezone.now()
    holdings = list(
        Holding.objects.select_for_update(of=("self",))
        .filter(member=member, removed_at__isnull=True)
        .select_related("business")
        .order_by("pk")
    )
    for holding in holdings:
        holding.removed_at = now
        holding.save(update_fields=["removed_at"])
        audit_record(
            actor=member,
            action="business.remove",
            target=holding,
            before={"removed": False, "status": holding.status},
            after={"removed": True, "reason": "account_closed"},
            request=request,
        )
    FactoryHolding.objects.filter(member=member, removed_at__isnull=True).update(removed_at=now)

    with translation.override("th"):
        note = _("Withdrawn: the account of a member concerned was closed.")
    withdrawn = 0
    for filed in (
        HolderRemovalRequest.objects.select_for_update()
        .filter(status=HolderRemovalRequest.Status.PENDING)
        .filter(Q(requested_by=member) | Q(target__member=member))
        .order_by("pk")
    ):
        filed.status = HolderRemovalRequest.Status.REJECTED
        filed.decided_at = now
        filed.decision_note = note
        filed.save(update_fields=["status", "decided_at", "decision_note"])
        audit_record(
            actor=member,
            action="holder_removal.withdrawn",
            target=filed,
            before={"status": HolderRemovalRequest.Status.PENDING},
            after={"status": filed.status, "reason": "account_closed"},
            request=request,
        )
        withdrawn += 1

    sole = {h.business_id for h in holdings if h.business.kind == Business.Kind.NATURAL_PERSON}
    still_held = set(
        Holding.objects.filter(business_id__in=sole, removed_at__isnull=True).values_list(
            "business_id", flat=True
        )
    )
    left = sorted(sole - still_held)
    for business in Business.objects.select_for_update().filter(pk__in=left).order_by("pk"):
        fields = ["pid_encrypted", *_blank_contacts(business)]
        business.pid_encrypted = ""
        if not business.factories.exists():
            business.name_th = business.name_en = business.trade_name_th = ""
            business.registry_data = {}
            fields += ["name_th", "name_en", "trade_name_th", "registry_data"]
        business.save(update_fields=fields)
    RegistryChange.objects.filter(business_id__in=left).delete()
    return {"holdings": len(holdings), "withdrawn": withdrawn, "left": len(left)}
