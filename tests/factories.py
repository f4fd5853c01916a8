"""Test data built through the same rules as production: valid IDs, real password hashes."""

import datetime as dt
import json
import random
from pathlib import Path

import factory
from django.utils import timezone

from portal.accounts.models import Member
from portal.billing.models import Bill, DiwFactory
from portal.core.thaiid import encrypt_text, pid_hash
from portal.identity.models import ConnectedSystem, SignIn
from portal.operators.models import Business, Holding

DEFAULT_PASSWORD = "iindustrY@2024"  # the example of ACC-03


def make_pid(rng: random.Random | None = None) -> str:
    """A national ID with a valid mod-11 check digit (first digit 1-8, as th.pin requires)."""
    rng = rng or random
    first = str(rng.randint(1, 8))
    body = first + "".join(str(rng.randint(0, 9)) for _ in range(11))
    total = sum(int(d) * w for d, w in zip(body, range(13, 1, -1), strict=True))
    return body + str((11 - total % 11) % 10)


def make_juristic_id(rng: random.Random | None = None) -> str:
    """A DBD registration number (13 digits, same mod-11 check, starting 0105)."""
    rng = rng or random
    body = "0105" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = sum(int(d) * w for d, w in zip(body, range(13, 1, -1), strict=True))
    return body + str((11 - total % 11) % 10)


def make_tax_id(prefix: str = "0994") -> str:
    """A 13-digit tax ID with a valid check digit; 0994 for juristic persons under other laws."""
    body = prefix + make_pid()[4:12]
    total = sum(int(d) * w for d, w in zip(body, range(13, 1, -1), strict=True))
    return body + str((11 - total % 11) % 10)


_mobile_counter = iter(range(10_000_000, 99_999_999))


def make_mobile() -> str:
    return f"08{next(_mobile_counter)}"


def citizen_record(**overrides) -> dict:
    """A citizens.jsonl line in the sandbox-world format."""
    record = {
        "pid": make_pid(),
        "title_th": "นาย",
        "first_name_th": "สมชาย",
        "last_name_th": "ใจดี",
        "first_name_en": "Somchai",
        "last_name_en": "Jaidee",
        "middle_name_th": None,
        "birth_year_be": 2527,
        "birth_month": 6,
        "birth_day": 19,
        "laser_code": "JT0-1234567-89",
        "card_status": "active",
        "card_expiry": "2030-01-01",
        "alive": True,
        "address": {"province": "กรุงเทพมหานคร"},
        "previous_names": [],
    }
    record.update(overrides)
    return record


class World:
    """A small sandbox world written into a temporary directory for one test."""

    def __init__(self, path: Path):
        self.path = path
        self.citizens: list[dict] = []
        self.juristic_persons: list[dict] = []
        self.community_enterprises: list[dict] = []
        self.factories: list[dict] = []

    def add_citizen(self, **overrides) -> dict:
        record = citizen_record(**overrides)
        self.citizens.append(record)
        self._write("citizens.jsonl", self.citizens)
        return record

    def add_juristic_person(self, *, directors: list[dict], **overrides) -> dict:
        record = {
            "juristic_id": make_juristic_id(),
            "kind": "company_limited",
            "name_th": "บริษัท ทดสอบอุตสาหกรรม จำกัด",
            "name_en": "TEST INDUSTRY CO., LTD.",
            "previous_names_th": [],
            "registered_on": "2005-03-01",
            "status": "active",
            "capital_baht": 1_000_000,
            "objective": "ผลิตชิ้นส่วนยานยนต์",
            "address": {"province": "ชลบุรี", "district": "เมืองชลบุรี"},
            "directors": directors,
        }
        record.update(overrides)
        self.juristic_persons.append(record)
        self._write("juristic_persons.jsonl", self.juristic_persons)
        return record

    def add_community_enterprise(self, **overrides) -> dict:
        record = {
            "registration_no": f"1-20-01-01/1-{len(self.community_enterprises) + 1:04d}",
            "name_th": "วิสาหกิจชุมชนทดสอบแปรรูปสมุนไพร",
            "representative_pid": make_pid(),
            "is_juristic": False,
        }
        record.update(overrides)
        self.community_enterprises.append(record)
        self._write("community_enterprises.jsonl", self.community_enterprises)
        return record

    def add_factory(self, **overrides) -> dict:
        """A factories.jsonl line: an operating class 3 factory with a ร.ง.4 licence in Chon Buri,
        its 14-digit number valid under the sandbox worlds' check digit (FAC-04)."""
        from portal.operators.factory_numbers import mod11_check_digit

        n = len(self.factories) + 1
        first13 = f"2020{n:05d}2563"
        record = {
            "factory_no": first13 + str(mod11_check_digit(first13)),
            "factory_no_old": f"3-53(5)-{n}/45ชบ",
            "name_th": f"โรงงานทดสอบการผลิต {n}",
            "operator_id": make_juristic_id(),
            "licence": "ror_ngor_4",
            "factory_class": 3,
            "category": "53(5)",
            "horsepower": 250.5,
            "workers": 40,
            "status": "operating",
            "operation_started_on": "2005-11-30",
            "licensed_on": "2005-06-01",
            "address": {
                "house_no": "99/1",
                "moo": "3",
                "road": "ถนนสุขุมวิท",
                "subdistrict": "บ้านสวน",
                "district": "เมืองชลบุรี",
                "province": "ชลบุรี",
                "postcode": "20000",
                "industrial_estate": None,
                "industrial_zone": None,
            },
            "supervisor": "PIO",
            "latitude": 13.3611,
            "longitude": 100.9847,
        }
        record.update(overrides)
        self.factories.append(record)
        self._write("factories.jsonl", self.factories)
        return record

    def _write(self, name: str, rows: list[dict]) -> None:
        path = self.path / name
        path.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )


class MemberFactory(factory.django.DjangoModelFactory):
    """A registered member; traits: verified contacts, closed account."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    class Params:
        pid = factory.LazyFunction(make_pid)
        verified = factory.Trait(
            mobile_verified_at=factory.LazyFunction(timezone.now),
            email_verified_at=factory.LazyFunction(timezone.now),
        )
        closed = factory.Trait(
            status=Member.Status.CLOSED, closed_at=factory.LazyFunction(timezone.now)
        )

    pid_hash = factory.LazyAttribute(lambda o: pid_hash(o.pid))
    pid_encrypted = factory.LazyAttribute(lambda o: encrypt_text(o.pid))
    title_th = "นาย"
    first_name = "สมชาย"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    birth_year_be = 2527
    birth_month = 6
    birth_day = 19
    mobile = factory.LazyFunction(make_mobile)
    email = factory.Sequence(lambda n: f"member{n}@example.test")

    @factory.post_generation
    def consented(obj, create, extracted, **kwargs):
        """Members have answered the current consent documents unless told otherwise."""
        if create and extracted is not False:
            from portal.accounts.models import ConsentDocument, ConsentRecord

            ConsentRecord.objects.bulk_create(
                ConsentRecord(member=obj, document=d, granted=True, channel="registration")
                for d in ConsentDocument.objects.all()
            )

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save()


class BusinessFactory(factory.django.DjangoModelFactory):
    """A business as the registries know it; a company (DBD) unless a trait says otherwise.

    Traits, one per kind: natural_person, other_law, community_enterprise, group_of_persons,
    other (the last two and other_law are verified by document, BIZ-05/BIZ-06)."""

    class Meta:
        model = Business

    class Params:
        natural_person = factory.Trait(
            kind=Business.Kind.NATURAL_PERSON,
            registry_key=factory.LazyAttribute(lambda o: pid_hash(o.pid)),
            pid_encrypted=factory.LazyAttribute(lambda o: encrypt_text(o.pid)),
            name_th=factory.Sequence(lambda n: f"นายบุคคล ทดสอบ{n}"),
        )
        pid = factory.LazyFunction(make_pid)
        other_law = factory.Trait(
            kind=Business.Kind.OTHER_LAW,
            registry_key=factory.LazyFunction(lambda: f"{make_tax_id()}:00000"),
            name_th=factory.Sequence(lambda n: f"สหกรณ์ทดสอบ{n}"),
        )
        community_enterprise = factory.Trait(
            kind=Business.Kind.COMMUNITY_ENTERPRISE,
            registry_key=factory.Sequence(lambda n: f"1-10-01-{n:04d}"),
            name_th=factory.Sequence(lambda n: f"วิสาหกิจชุมชนทดสอบ{n}"),
        )
        group_of_persons = factory.Trait(
            kind=Business.Kind.GROUP_OF_PERSONS,
            registry_key=factory.LazyFunction(lambda: f"{make_tax_id('3101')}:00000"),
            name_th=factory.Sequence(lambda n: f"คณะบุคคลทดสอบ{n}"),
        )
        other = factory.Trait(
            kind=Business.Kind.OTHER,
            registry_key=factory.LazyFunction(lambda: f"{make_tax_id('3101')}:00000"),
            name_th=factory.Sequence(lambda n: f"กิจการอื่นทดสอบ{n}"),
        )

    kind = Business.Kind.JURISTIC_PERSON
    registry_key = factory.LazyFunction(make_juristic_id)
    name_th = factory.Sequence(lambda n: f"บริษัท ทดสอบ{n} จำกัด")
    name_en = factory.Sequence(lambda n: f"TEST{n} CO., LTD.")


class HoldingFactory(factory.django.DjangoModelFactory):
    """A business in a member's profile; verified unless a trait says otherwise.

    Traits: pending (not verified, awaiting an officer), rejected (with a reason), removed
    (taken off the profile, BIZ-10)."""

    class Meta:
        model = Holding

    class Params:
        pending = factory.Trait(status=Holding.Status.NOT_VERIFIED, proof=Holding.Proof.DOCUMENT)
        rejected = factory.Trait(
            status=Holding.Status.REJECTED,
            proof=Holding.Proof.DOCUMENT,
            rejection_reason="เอกสารไม่ชัดเจน",
            decided_at=factory.LazyFunction(timezone.now),
        )
        removed = factory.Trait(removed_at=factory.LazyFunction(timezone.now))

    member = factory.SubFactory(MemberFactory)
    business = factory.SubFactory(BusinessFactory)
    proof = Holding.Proof.DIRECTOR_ID
    status = Holding.Status.VERIFIED


class ConnectedSystemFactory(factory.django.DjangoModelFactory):
    """A connected system of the catalogue (SVC-01), not yet registered as a client; tests/sso.py
    registers one as a real OIDC client."""

    class Meta:
        model = ConnectedSystem

    class Params:
        for_factories = factory.Trait(needs_factory=True)
        juristic_only = factory.Trait(business_kinds=[Business.Kind.JURISTIC_PERSON])

    slug = factory.Sequence(lambda n: f"system-{n}")
    name_th = factory.Sequence(lambda n: f"ระบบทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test system {n}")
    agency = "DIW"
    category = ConnectedSystem.Category.LICENSE


class SignInFactory(factory.django.DjangoModelFactory):
    """A member's sign-in to a connected system from one portal session (SSO-07); trait ended."""

    class Meta:
        model = SignIn

    class Params:
        ended = factory.Trait(ended_at=factory.LazyFunction(timezone.now))

    member = factory.SubFactory(MemberFactory)
    system = factory.SubFactory(ConnectedSystemFactory)
    session_key = factory.Sequence(lambda n: f"session{n:032d}")


# --- billing (issue 10): the DIW mirror's factories and their bills ----------------------------


class DiwFactoryFactory(factory.django.DjangoModelFactory):
    """A factory of the DIW mirror, supervised by a provincial office, operating."""

    class Meta:
        model = DiwFactory
        django_get_or_create = ("factory_no",)

    factory_no = factory.Sequence(lambda n: f"3020{n:010d}")
    name_th = factory.Sequence(lambda n: f"โรงงานบิล {n}")
    licence = "ror_ngor_4"
    factory_class = 3
    category = "53(5)"
    status = "operating"
    operation_started_on = dt.date(2005, 11, 30)
    anniversary = 1130
    province = "ชลบุรี"
    district = "เมืองชลบุรี"
    supervisor = "PIO"
    registry_changed_at = factory.LazyFunction(timezone.now)
    synced_at = factory.LazyFunction(timezone.now)


# The bill's field `factory` hides the module inside the class body.
fb = factory


class BillFactory(fb.django.DjangoModelFactory):
    """An annual bill awaiting payment, Ref2 the factory's number (docs/decisions.md "Bill
    references"); amount = fee + surcharge, as the database requires (BILL-11)."""

    class Meta:
        model = Bill

    kind = Bill.Kind.ANNUAL
    factory = fb.SubFactory(DiwFactoryFactory)
    province = fb.LazyAttribute(lambda o: o.factory.province)
    fee_year = fb.Sequence(lambda n: 2026 + n)
    fee_satang = 123_450
    surcharge_satang = 0
    amount_satang = fb.LazyAttribute(lambda o: o.fee_satang + o.surcharge_satang)
    due_on = fb.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    issued_on = fb.LazyFunction(timezone.localdate)
    expires_at = fb.LazyFunction(lambda: timezone.now() + dt.timedelta(days=60))
    state = Bill.State.AWAITING_PAYMENT
    ref1 = fb.Sequence(lambda n: f"10{n:011d}7")
    ref2 = fb.LazyAttribute(lambda o: o.factory.factory_no)
    created_at = fb.LazyFunction(timezone.now)
