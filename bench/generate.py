"""bench/generate: national-scale data for the page benchmarks (bench/pages.py).

At --scale 1 (DESIGN.md "Performance budgets"): 1,000,000 members, 300,000 businesses,
150,000 factories, about 430,000 holdings and 150,000 factory holdings. Most members hold 0 to
3 businesses; a few "consultant" members hold 100 to 150 businesses and 200 to 320 factories
(their size does not shrink with --scale), so that a profile's size varies widely.

Rows are written with PostgreSQL COPY in batches, into the tables the migrations created
(nothing is dropped or recreated), then the tables are vacuumed and analysed. National IDs are
valid (mod-11); pid_hash uses the portal's key (Django set up with the server's env) and every
member gets its own Fernet token (about 15 µs each: 1M tokens take about 15 s). All members
share one precomputed Argon2 hash of bench/login.py's password.

Bills (issue 10): the DIW mirror (billing_diwfactory) is every generated factory, copied by one
INSERT ... SELECT; then 2,000,000 bills at --scale 1 (13 to 14 a factory: a yearly annual fee
over the years and now and then another kind), by one INSERT ... SELECT over generate_series,
set-based: no row crosses the wire. `--bills-only` (re)writes the mirror and the bills alone,
over members and factories already generated.

Usage: .venv/bin/python bench/generate.py [--scale 1] [--reset] [--seed 2569] [--bills-only]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench);
the database is created when missing. Without --reset it refuses to write into tables that
already hold members, businesses or factories; --reset truncates them first (CASCADE: every row
that refers to a member goes too, e.g. sessions' consents and bench/login.py's members).
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import bench_env  # bench/ is on the path: scripts run as bench/<name>.py

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "iindustrY@2024"  # the same as bench/login.py
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/portal_bench"
BATCH = 100_000
TZ = "+07:00"
NULL = "\\N"  # COPY's text format

# Tables this script fills; --reset truncates them (RESTART IDENTITY CASCADE).
TABLES = (
    "accounts_member",
    "operators_business",
    "operators_holding",
    "operators_factory",
    "operators_factoryholding",
)

# --- names: small fixed lists, combined ------------------------------------------------------

MALE = [
    ("สมชาย", "Somchai"),
    ("สมศักดิ์", "Somsak"),
    ("วิชัย", "Wichai"),
    ("ประเสริฐ", "Prasert"),
    ("สุนทร", "Sunthon"),
    ("มานพ", "Manop"),
    ("ณัฐพล", "Nattaphon"),
    ("ธนากร", "Thanakon"),
    ("กิตติศักดิ์", "Kittisak"),
    ("อนุชา", "Anucha"),
    ("ชัยวัฒน์", "Chaiwat"),
    ("ธีรวัฒน์", "Thirawat"),
    ("พงศกร", "Phongsakon"),
    ("วีระพงษ์", "Weeraphong"),
    ("สุรชัย", "Surachai"),
    ("อภิชาติ", "Aphichat"),
]
FEMALE = [
    ("สุดารัตน์", "Sudarat"),
    ("วราภรณ์", "Waraphon"),
    ("กัลยา", "Kanlaya"),
    ("ปราณี", "Pranee"),
    ("นงลักษณ์", "Nongluk"),
    ("พิมพ์ชนก", "Phimchanok"),
    ("ศิริพร", "Siriphon"),
    ("อรุณี", "Arunee"),
    ("จันทร์เพ็ญ", "Chanphen"),
    ("สมหญิง", "Somying"),
    ("รัตนา", "Rattana"),
    ("มาลัย", "Malai"),
    ("ธิดารัตน์", "Thidarat"),
    ("ปิยะนุช", "Piyanut"),
    ("กาญจนา", "Kanchana"),
    ("อัญชลี", "Anchalee"),
]
LAST = [
    ("สุขสวัสดิ์", "Suksawat"),
    ("แสงทอง", "Saengthong"),
    ("ศรีสุข", "Srisuk"),
    ("วงศ์ใหญ่", "Wongyai"),
    ("บุญมา", "Boonma"),
    ("ทองดี", "Thongdee"),
    ("จันทร์แก้ว", "Chankaeo"),
    ("พรหมมา", "Phromma"),
    ("ศรีวงศ์", "Sriwong"),
    ("สมบูรณ์", "Somboon"),
    ("เจริญสุข", "Charoensuk"),
    ("รุ่งเรือง", "Rungrueang"),
    ("ชัยมงคล", "Chaimongkhon"),
    ("แก้วมณี", "Kaewmanee"),
    ("อินทร์แก้ว", "Inkaeo"),
    ("ปัญญาดี", "Panyadee"),
    ("สุวรรณรัตน์", "Suwannarat"),
    ("ทรัพย์สมบูรณ์", "Sapsomboon"),
    ("ศักดิ์สิทธิ์", "Saksit"),
    ("นาคสุข", "Naksuk"),
    ("พึ่งทอง", "Phuengthong"),
    ("กิตติวงศ์", "Kittiwong"),
    ("ศรีประเสริฐ", "Sriprasert"),
    ("วัฒนชัย", "Watthanachai"),
]
BRAND = [
    "สยาม",
    "ไทย",
    "รุ่งเรือง",
    "เจริญ",
    "ศรีนคร",
    "มิตรภาพ",
    "ทองคำ",
    "บางกอก",
    "ตะวันออก",
    "อีสาน",
    "ล้านนา",
    "อันดามัน",
    "เพชรเกษม",
    "สุวรรณภูมิ",
    "มหาชัย",
    "นครชัย",
    "ปทุม",
    "ชลบุรี",
    "ระยอง",
    "โคราช",
    "ศรีราชา",
    "บูรพา",
    "ทวีทรัพย์",
    "รวมมิตร",
    "พัฒนกิจ",
    "เอเชีย",
    "แปซิฟิก",
    "โกลเด้น",
    "ยูไนเต็ด",
    "สหกิจ",
]
TRADE = [
    "พลาสติก",
    "เคมีภัณฑ์",
    "อาหาร",
    "สิ่งทอ",
    "เหล็ก",
    "ยางพารา",
    "ชิ้นส่วนยานยนต์",
    "อิเล็กทรอนิกส์",
    "บรรจุภัณฑ์",
    "เฟอร์นิเจอร์",
    "กระดาษ",
    "น้ำตาล",
    "แป้งมัน",
    "อาหารสัตว์",
    "ปูนซีเมนต์",
    "คอนกรีต",
    "เครื่องดื่ม",
    "ยา",
    "เครื่องสำอาง",
    "หลอมโลหะ",
    "แปรรูปไม้",
    "สีและเคลือบ",
    "ประมง",
    "ข้าว",
    "ผลไม้กระป๋อง",
    "ถุงมือยาง",
    "แก้ว",
    "เซรามิก",
    "อะลูมิเนียม",
    "พลังงาน",
]
SUFFIX = [
    "อุตสาหกรรม",
    "การผลิต",
    "เทรดดิ้ง",
    "โฮลดิ้ง",
    "เอ็นจิเนียริ่ง",
    "แมนูแฟคเจอริ่ง",
    "อินเตอร์",
    "กรุ๊ป",
    "พัฒนา",
    "ซัพพลาย",
]
COMPANY_FORMS = [
    ("บริษัท ", " จำกัด"),
    ("บริษัท ", " จำกัด"),
    ("บริษัท ", " จำกัด"),
    ("บริษัท ", " จำกัด (มหาชน)"),
    ("ห้างหุ้นส่วนจำกัด ", ""),
]
FACTORY_FORMS = ["โรงงาน", "โรงงานผลิต", "โรงงานแปรรูป", "โรงงาน", "โรงงานบรรจุ"]
ROADS = ["ถนนสุขุมวิท", "ถนนเพชรเกษม", "ถนนพหลโยธิน", "ถนนมิตรภาพ", "ถนนบางนา-ตราด", ""]
ESTATES = ["นิคมอุตสาหกรรมอมตะซิตี้ ชลบุรี", "นิคมอุตสาหกรรมบางปู", "นิคมอุตสาหกรรมลาดกระบัง"]
OLD_CATEGORIES = ["3(1)", "9(1)", "42(2)", "52(1)", "53(5)", "64(1)", "88", "101", "105", "106"]
OLD_PROVINCES = ["สป", "ชบ", "รย", "นฐ", "ปท", "สค", "อย", "ฉช", "นม", "ขก", ""]
LICENCES = ["ror_ngor_4"] * 7 + ["ror_ngor_2"] * 2 + ["ieat_03_2"]
FACTORY_STATUSES = ["operating"] * 17 + ["temporarily_stopped", "not_started", "closed"]


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)


def conninfo(url: str) -> str:
    """psycopg takes postgres:// URLs as they are; only the scheme needs normalising."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", *parts[1:]))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def migrate(env: dict) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def setup_django(env: dict) -> None:
    os.environ.update(env)
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- numbers ------------------------------------------------------------------------------------


def mod11(first12: str) -> int:
    """The national ID's check digit: weights 13..2 over the first 12 digits."""
    total = sum(int(d) * w for d, w in zip(first12, range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10


def national_id(i: int) -> str:
    # (i * A + B) mod 10^11 is a bijection (A is prime to 10), so IDs are unique and scattered.
    body = f"{1 + i % 8}{(i * 7_919_113 + 31_415_926) % 10**11:011d}"
    return body + str(mod11(body))


def juristic_id(i: int) -> str:
    body = f"0105{(i * 7_919 + 4_242) % 10**8:08d}"
    return body + str(mod11(body))


def tax_id(i: int) -> str:
    body = f"0994{(i * 6_113 + 1_717) % 10**8:08d}"
    return body + str(mod11(body))


def factory_number(i: int, area: str) -> str:
    """A 14-digit number: authority, zone, area, running (unique per year), year, mod-11 F
    with weights 14..2 (the sandbox's FACTORY_NO_CHECK_DIGIT)."""
    year = 2562 + i % 7
    first13 = f"{'12'[i % 2]}{i % 5}{area}{i // 7 + 1:05d}{year}"
    total = sum(int(d) * w for d, w in zip(first13, range(14, 1, -1), strict=True))
    return first13 + str((11 - total % 11) % 10)


def old_factory_number(i: int) -> str:
    category = OLD_CATEGORIES[i % len(OLD_CATEGORIES)]
    return f"{1 + i % 3}-{category}-{i // 11 % 99_999 + 1}/{35 + i % 27}{OLD_PROVINCES[i % 11]}"


def stamp(rng: random.Random, year_from: int = 2019, year_to: int = 2026) -> str:
    return (
        f"{rng.randint(year_from, year_to)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}{TZ}"
    )


def copy_text(value: str) -> str:
    """Escape for COPY's text format (our values hold no tabs; JSON may hold backslashes)."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


# --- the writer -----------------------------------------------------------------------------


class Writer:
    def __init__(self, conn):
        self.conn = conn
        self.report: list[tuple[str, int, float]] = []

    def copy(self, table: str, columns: tuple[str, ...], lines) -> int:
        """COPY the lines (already in text format, with the newline) in batches of BATCH."""
        started, count, batch = time.perf_counter(), 0, []
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

        def flush():
            with self.conn.cursor() as cur, cur.copy(sql) as copy:
                copy.write("".join(batch))
            self.conn.commit()
            batch.clear()

        for line in lines:
            batch.append(line)
            count += 1
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        elapsed = time.perf_counter() - started
        self.report.append((table, count, elapsed))
        print(f"  {table}: {count:,} rows in {elapsed:.1f} s ({count / elapsed:,.0f} rows/s)")
        return count


def check_columns(conn, table: str, columns: tuple[str, ...]) -> None:
    """Every NOT NULL column without a default must be written: a migration added since this
    script was written would otherwise fail deep inside COPY."""
    missing = [
        name
        for (name,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [table],
        ).fetchall()
        if name not in columns
    ]
    if missing:
        raise SystemExit(f"{table}: columns {missing} are NOT NULL and not generated here")


MEMBER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "pid_hash",
    "pid_encrypted",
    "title_th",
    "first_name",
    "last_name",
    "first_name_en",
    "last_name_en",
    "birth_year_be",
    "birth_month",
    "birth_day",
    "mobile",
    "mobile_verified_at",
    "email",
    "email_verified_at",
    "line_id",
    "facebook",
    "instagram",
    "position",
    "contact_channel",
    "share_mobile_with_co_members",
    "share_email_with_co_members",
    "avatar",
    "language",
    "status",
    "closed_at",
    "closure_reason",
    "registered_via",
    "date_joined",
    "is_staff",
    "registry_name",
]
BUSINESS_COLUMNS = [
    "id",
    "kind",
    "registry_key",
    "pid_encrypted",
    "name_th",
    "name_en",
    "trade_name_th",
    "branch",
    "registry_data",
    "registry_read_at",
    "phone",
    "fax",
    "website",
    "email",
    "other_contacts",
    "contact_address_same",
    "contact_address",
    "latitude",
    "longitude",
    "contact_person_name",
    "contact_person_position",
    "contact_person_phone",
    "contact_person_mobile",
    "contact_person_email",
    "created_at",
]
HOLDING_COLUMNS = [
    "id",
    "member_id",
    "business_id",
    "proof",
    "status",
    "claimed_name_th",
    "claimed_name_en",
    "rejection_reason",
    "decided_by_id",
    "decided_at",
    "created_at",
    "removed_at",
]
FACTORY_COLUMNS = [
    "id",
    "factory_no",
    "factory_no_old",
    "name_th",
    "business_id",
    "licence",
    "factory_class",
    "category",
    "horsepower",
    "workers",
    "status",
    "operation_started_on",
    "licensed_on",
    "address",
    "province",
    "district",
    "industrial_estate",
    "industrial_zone",
    "supervisor",
    "latitude",
    "longitude",
    "registry_read_at",
]
FACTORY_HOLDING_COLUMNS = [
    "id",
    "member_id",
    "factory_id",
    "holding_id",
    "created_at",
    "removed_at",
]


BILL_TABLES = ("billing_diwfactory", "billing_bill")


def generate_bills(conn, *, n_bills: int) -> int:
    """The DIW mirror of every factory, then `n_bills` bills spread evenly over it, in two
    set-based statements (bench/pages.py's bill pages). Bill i belongs to mirror row
    i mod (number of factories); the k-th pass over the factories is fee year 2026 - k, so
    "one annual bill per factory and year" holds. Every 7th bill is a factory expansion fee
    (no fee year). This year's bills await payment, are paid or expired; earlier ones are
    mostly paid, some expired or cancelled."""
    started = time.perf_counter()
    conn.execute(f"TRUNCATE {', '.join(BILL_TABLES)} RESTART IDENTITY CASCADE")
    conn.execute(
        """
        INSERT INTO billing_diwfactory (
            factory_no, factory_no_old, name_th, licence, factory_class, category, horsepower,
            status, operation_started_on, anniversary, licensed_on, province, district,
            industrial_estate, supervisor, registry_changed_at, synced_at)
        SELECT factory_no, factory_no_old, name_th, licence, factory_class, category,
            horsepower, status, operation_started_on,
            extract(month FROM operation_started_on)::int * 100
                + extract(day FROM operation_started_on)::int,
            licensed_on, province, district, industrial_estate, supervisor, registry_read_at,
            now()
        FROM operators_factory ORDER BY id
        """
    )
    mirrored = conn.execute("SELECT count(*) FROM billing_diwfactory").fetchone()[0]
    conn.commit()
    print(f"  billing_diwfactory: {mirrored:,} rows in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    conn.execute(
        """
        WITH f AS (
            SELECT id, factory_no, province, (row_number() OVER (ORDER BY id) - 1)::int AS k
            FROM billing_diwfactory
        ), n AS (SELECT count(*)::int AS c FROM f),
        g AS (
            SELECT i, i %% n.c AS k, i / n.c AS pass,
                make_date(2026 - i / n.c, 1 + i %% 12, 1 + i %% 28) AS due,
                i %% 7 = 6 AS other
            FROM generate_series(0, %s - 1) AS s(i), n
        ), b AS (
            SELECT g.*, f.id AS factory_id, f.factory_no, f.province,
                CASE WHEN g.pass = 0
                    THEN (ARRAY['awaiting_payment', 'paid', 'expired'])[1 + g.i %% 3]
                    WHEN g.i %% 10 = 0 THEN 'expired'
                    WHEN g.i %% 25 = 1 THEN 'cancelled'
                    ELSE 'paid'
                END AS state
            FROM g JOIN f ON f.k = g.k
        )
        INSERT INTO billing_bill (
            kind, factory_id, province, fee_year, period, fee_satang, surcharge_satang,
            surcharge_months, amount_satang, due_on, issued_on, expires_at, state, ref1, ref2,
            fee_table_version, illustrative, note, created_at, state_changed_at, paid_at)
        SELECT
            CASE WHEN other THEN 'expansion' ELSE 'annual' END, factory_id, province,
            CASE WHEN other THEN NULL ELSE 2026 - pass END,
            CASE WHEN other THEN 'ขยายโรงงาน' ELSE '' END,
            50000 + (i %% 40) * 2500, 0, 0, 50000 + (i %% 40) * 2500,
            due, due - 30, (due + 30)::timestamptz, state,
            '9' || lpad(i::text, 13, '0'), factory_no, '', false, '',
            (due - 30)::timestamptz,
            CASE WHEN state <> 'awaiting_payment' THEN (due + 1)::timestamptz END,
            CASE WHEN state = 'paid' THEN (due - 3)::timestamptz END
        FROM b
        """,
        [n_bills],
    )
    conn.commit()
    elapsed = time.perf_counter() - started
    print(f"  billing_bill: {n_bills:,} rows in {elapsed:.1f} s ({n_bills / elapsed:,.0f} rows/s)")
    started = time.perf_counter()
    conn.autocommit = True
    conn.execute(f"VACUUM (ANALYZE) {', '.join(BILL_TABLES)}")
    conn.autocommit = False
    print(f"  VACUUM ANALYZE of the bill tables {time.perf_counter() - started:.0f} s")
    return n_bills


def generate(conn, *, scale: float, seed: int) -> dict:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    from portal.core.thaiid import encrypt_text
    from portal.operators.supervisors import PROVINCES

    rng = random.Random(seed)
    n_members = max(1000, round(1_000_000 * scale))
    n_businesses = max(300, round(300_000 * scale))
    n_factories = max(150, round(150_000 * scale))
    n_consultants = max(3, round(30 * scale))
    writer = Writer(conn)
    key = settings.PID_HASH_KEY.encode()
    password = make_password(PASSWORD)
    provinces = [(p.code, p.name_th) for p in PROVINCES]
    print(
        f"scale {scale}: {n_members:,} members ({n_consultants} consultants), "
        f"{n_businesses:,} businesses, {n_factories:,} factories"
    )
    started = time.perf_counter()

    # Owners: every business has a first holder among the regular members; most members hold
    # none, some 1, fewer 2 or 3 (before co-holders and consultants).
    regular = list(range(n_consultants + 1, n_members + 1))
    rng.shuffle(regular)
    slots: list[int] = []
    shares = ((1, 0.25), (2, 0.05), (3, 0.015))
    cursor = 0
    for count, share in shares:
        take = round(len(regular) * share)
        for member_id in regular[cursor : cursor + take]:
            slots.extend([member_id] * count)
        cursor += take
    rng.shuffle(slots)
    while len(slots) < n_businesses:  # tiny scales only
        slots.extend(slots)
    owners = slots[:n_businesses]
    co_holder_slots = slots[n_businesses:]

    owner_set = set(owners)

    # Members. Consultants are ids 1..n_consultants; pids are kept for natural persons.
    pids: dict[int, tuple[str, str]] = {}

    def members():
        for member_id in range(1, n_members + 1):
            pid = national_id(member_id)
            digest = hmac.new(key, pid.encode(), hashlib.sha256).hexdigest()
            token = encrypt_text(pid)
            if member_id in owner_set:  # a natural-person business may be theirs
                pids[member_id] = (digest, token)
            female = member_id % 2
            first_th, first_en = (FEMALE if female else MALE)[rng.randrange(16)]
            last_th, last_en = LAST[rng.randrange(len(LAST))]
            title = ("นางสาว" if member_id % 3 else "นาง") if female else "นาย"
            mobile = (
                f"0{'689'[member_id % 3]}{(member_id * 7_919 + 13) % 10**8:08d}"
                if member_id % 10 < 7
                else "\\N"
            )
            email = (
                f"{first_en.lower()}.{last_en[:4].lower()}{member_id}@example.co.th"
                if member_id % 10 < 4
                else "\\N"
            )
            joined = stamp(rng, 2020, 2026)
            verified = joined if mobile != "\\N" else "\\N"
            yield (
                f"{member_id}\t{password}\t\\N\tf\t{digest}\t{token}\t{title}\t{first_th}\t"
                f"{last_th}\t{first_en}\t{last_en}\t{2490 + member_id % 60}\t"
                f"{1 + member_id % 12}\t{1 + member_id % 28}\t{mobile}\t{verified}\t{email}\t"
                f"\\N\t\t\t\t\tmobile\tf\tt\t\\N\tth\tactive\t\\N\t\t"
                f"{'thaid' if member_id % 5 == 0 else 'web'}\t{joined}\tf\t{{}}\n"
            )

    check_columns(conn, "accounts_member", MEMBER_COLUMNS)
    writer.copy("accounts_member", MEMBER_COLUMNS, members())

    # Businesses.
    kinds: list[str] = []
    natural_used: set[int] = set()

    def businesses():
        for index in range(n_businesses):
            business_id = index + 1
            owner = owners[index]
            roll = business_id % 100
            pid_token = ""
            b1, b2 = BRAND[rng.randrange(len(BRAND))], BRAND[rng.randrange(len(BRAND))]
            trade, suffix = TRADE[rng.randrange(len(TRADE))], SUFFIX[rng.randrange(len(SUFFIX))]
            head, tail = COMPANY_FORMS[rng.randrange(len(COMPANY_FORMS))]
            name = f"{head}{b1}{b2 if b2 != b1 else ''}{trade} {suffix}{tail}"
            kind = "juristic_person"
            registry_key = juristic_id(business_id)
            if 85 <= roll < 97 and owner in pids and owner not in natural_used:
                natural_used.add(owner)
                kind = "natural_person"
                registry_key, pid_token = pids[owner]
                name = f"ร้าน{b1}{trade}"
            elif roll == 97:
                kind = "community_enterprise"
                registry_key = f"{10 + business_id % 80}-{business_id:07d}"
                name = f"วิสาหกิจชุมชน{b1}{trade}"
            elif roll in (98, 99):
                kind = "group_of_persons" if roll == 98 else "other_law"
                registry_key = f"{tax_id(business_id)}:00000"
                name = f"กลุ่ม{b1}{trade}" if roll == 98 else f"สหกรณ์{b1}{trade} จำกัด"
            kinds.append(kind)
            _code, province = provinces[business_id % len(provinces)]
            data = copy_text(
                json.dumps(
                    {
                        "status": "active",
                        "objective": f"ผลิตและจำหน่าย{trade}",
                        "address": {
                            "house_no": f"{business_id % 999 + 1}/{business_id % 30}",
                            "road": ROADS[business_id % len(ROADS)],
                            "province": province,
                        },
                        "directors": [
                            {
                                "name_th": f"นาย{MALE[business_id % 16][0]} {LAST[owner % 24][0]}",
                                "name_en": f"Mr. {MALE[business_id % 16][1]} {LAST[owner % 24][1]}",
                                "can_sign": True,
                            }
                        ],
                    }
                    if kind == "juristic_person"
                    else {},
                    ensure_ascii=False,
                )
            )
            read_at = stamp(rng, 2025, 2026)
            yield (
                f"{business_id}\t{kind}\t{registry_key}\t{pid_token}\t{name}\t\t\t"
                f"{'00000' if kind == 'juristic_person' else ''}\t{data}\t{read_at}\t"
                f"02{business_id % 10**7:07d}\t\t\t\t\tt\t{{}}\t\\N\t\\N\t\t\t\t\t\t{read_at}\n"
            )

    check_columns(conn, "operators_business", BUSINESS_COLUMNS)
    writer.copy("operators_business", BUSINESS_COLUMNS, businesses())
    pids.clear()

    # Factories: 60 % of them each belong to a different business with a DIW operator ID, the
    # rest to the first quarter of those, which thus run about 3 to 4 factories each.
    can_run = [i + 1 for i, kind in enumerate(kinds) if kind != "community_enterprise"]
    rng.shuffle(can_run)
    single = min(len(can_run), round(n_factories * 0.6))
    runners = can_run[:single]
    multi = runners[: max(1, single // 4)]
    factory_business = runners + [
        multi[rng.randrange(len(multi))] for _ in range(n_factories - single)
    ]
    rng.shuffle(factory_business)
    factories_of: dict[int, list[int]] = {}
    for factory_id, business_id in enumerate(factory_business, start=1):
        factories_of.setdefault(business_id, []).append(factory_id)

    def factories():
        for factory_id, business_id in enumerate(factory_business, start=1):
            code, province = provinces[rng.randrange(len(provinces))]
            new_no = factory_number(factory_id, code)
            old_no = old_factory_number(factory_id) if factory_id % 100 < 85 else ""
            b1 = BRAND[rng.randrange(len(BRAND))]
            trade = TRADE[rng.randrange(len(TRADE))]
            name = f"{FACTORY_FORMS[factory_id % 5]}{trade}{b1}"
            if factory_id % 7 == 0:
                name += f" สาขา {factory_id % 9 + 1}"
            estate = ESTATES[factory_id % 3] if factory_id % 20 == 0 else ""
            supervisor = "IEAT" if estate else ("DIW" if code == "10" else "PIO")
            address = copy_text(
                json.dumps(
                    {
                        "house_no": f"{factory_id % 500 + 1}",
                        "moo": str(factory_id % 12 + 1),
                        "road": ROADS[factory_id % len(ROADS)],
                        "subdistrict": "บางพลีใหญ่",
                        "district": "บางพลี",
                        "province": province,
                        "postcode": f"{code}000",
                    },
                    ensure_ascii=False,
                )
            )
            lat = f"{13 + rng.random() * 5:.6f}"
            lon = f"{99 + rng.random() * 5:.6f}"
            yield (
                f"{factory_id}\t{new_no}\t{old_no}\t{name}\t{business_id}\t"
                f"{LICENCES[factory_id % 10]}\t{1 + factory_id % 3}\t"
                f"{OLD_CATEGORIES[factory_id % 10]}\t{factory_id % 2000 + 5}.00\t"
                f"{factory_id % 400 + 3}\t{FACTORY_STATUSES[factory_id % 20]}\t"
                f"{2000 + factory_id % 26}-01-15\t{2000 + factory_id % 26}-01-01\t{address}\t"
                f"{province}\tบางพลี\t{estate}\t\t{supervisor}\t{lat}\t{lon}\t"
                f"{stamp(rng, 2025, 2026)}\n"
            )

    check_columns(conn, "operators_factory", FACTORY_COLUMNS)
    writer.copy("operators_factory", FACTORY_COLUMNS, factories())
    kinds.clear()

    # Holdings: the owner's, then co-holders on random businesses, then the consultants' on
    # businesses running several factories (proof by a representative's ID, all verified).
    holdings: list[tuple[int, int, int, str, str, bool]] = []  # id, member, business, ...
    seen: set[tuple[int, int]] = set()
    for index, owner in enumerate(owners):
        holdings.append((len(holdings) + 1, owner, index + 1, "director_id", "verified", False))
        seen.add((owner, index + 1))
    for member_id in co_holder_slots:
        business_id = rng.randint(1, n_businesses)
        if (member_id, business_id) in seen:
            continue
        seen.add((member_id, business_id))
        roll = rng.random()
        status = "verified" if roll < 0.85 else ("not_verified" if roll < 0.95 else "rejected")
        proof = "representative_id" if status == "verified" else "document"
        holdings.append(
            (len(holdings) + 1, member_id, business_id, proof, status, rng.random() < 0.03)
        )
    consultant_targets: dict[int, int] = {}
    for consultant in range(1, n_consultants + 1):
        # The largest profile is member 1: 150 businesses and 320 factories.
        n_held = 150 if consultant == 1 else rng.randint(100, 140)
        consultant_targets[consultant] = 320 if consultant == 1 else rng.randint(200, 300)
        for business_id in rng.sample(multi, min(n_held, len(multi))):
            holdings.append(
                (len(holdings) + 1, consultant, business_id, "representative_id", "verified", False)
            )

    def holding_lines():
        for holding_id, member_id, business_id, proof, status, removed in holdings:
            created = stamp(rng, 2024, 2026)
            decided = created if proof == "document" and status != "not_verified" else "\\N"
            yield (
                f"{holding_id}\t{member_id}\t{business_id}\t{proof}\t{status}\t\t\t"
                f"{'เอกสารไม่ชัดเจน' if status == 'rejected' else ''}\t\\N\t{decided}\t"
                f"{created}\t{created if removed else NULL}\n"
            )

    check_columns(conn, "operators_holding", HOLDING_COLUMNS)
    writer.copy("operators_holding", HOLDING_COLUMNS, holding_lines())

    # Factory holdings: the owner holds every factory of the business; a verified co-holder
    # half of the time; a consultant the factories of its businesses up to its target.
    def factory_holding_lines():
        next_id = 1
        taken: dict[int, int] = {}
        for holding_id, member_id, business_id, _proof, status, removed in holdings:
            if status != "verified" or removed:
                continue
            target = consultant_targets.get(member_id)
            if target is None and holding_id > n_businesses and rng.random() < 0.5:
                continue
            for factory_id in factories_of.get(business_id, ()):
                if target is not None:
                    if taken.get(member_id, 0) >= target:
                        break
                    taken[member_id] = taken.get(member_id, 0) + 1
                yield (
                    f"{next_id}\t{member_id}\t{factory_id}\t{holding_id}\t"
                    f"{stamp(rng, 2025, 2026)}\t\\N\n"
                )
                next_id += 1

    check_columns(conn, "operators_factoryholding", FACTORY_HOLDING_COLUMNS)
    writer.copy("operators_factoryholding", FACTORY_HOLDING_COLUMNS, factory_holding_lines())

    for table in TABLES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    conn.commit()
    written = sum(count for _, count, _ in writer.report)
    copy_seconds = time.perf_counter() - started
    analyse_started = time.perf_counter()
    conn.autocommit = True
    conn.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
    conn.autocommit = False
    print(
        f"{written:,} rows in {copy_seconds:.0f} s ({written / copy_seconds:,.0f} rows/s "
        f"including ID hashing and encryption); "
        f"VACUUM ANALYZE {time.perf_counter() - analyse_started:.0f} s"
    )
    bills = generate_bills(conn, n_bills=round(2_000_000 * scale))
    return {"members": n_members, "consultants": n_consultants, "rows": written, "bills": bills}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reset", action="store_true", help="truncate the bench tables first")
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument(
        "--bills-only",
        action="store_true",
        help="(re)write the DIW mirror and the bills alone, over the generated factories",
    )
    args = parser.parse_args()
    import psycopg

    url = database_url()
    env = bench_env(url)
    ensure_database(url)
    migrate(env)
    setup_django(env)
    with psycopg.connect(conninfo(url)) as conn:
        if args.bills_only:
            conn.execute("SET synchronous_commit = off")
            conn.execute("SET maintenance_work_mem = '512MB'")
            generate_bills(conn, n_bills=round(2_000_000 * args.scale))
            return
        if args.reset:
            conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            conn.execute("TRUNCATE django_session")
            conn.commit()
            print("truncated " + ", ".join(TABLES) + " (CASCADE) and django_session")
        else:
            filled = [
                table
                for table in TABLES
                if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
            ]
            if filled:
                raise SystemExit(f"{', '.join(filled)} already hold rows: run with --reset")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.commit()
        generate(conn, scale=args.scale, seed=args.seed)


if __name__ == "__main__":
    main()
