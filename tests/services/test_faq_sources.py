"""SVC-04: every answer of the portal's FAQ is traceable to the documents (the seed files of
shared/seeds) or to the portal's documented behaviour (a docs/decisions.md section); every
question the documents ask has an answer; the support contacts are settings shown where the
manuals show them."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.services import faq as faq_data
from portal.services.contacts import support_contacts
from portal.services.faq import faq_entries

ROOT = Path(__file__).resolve().parents[2]
# shared/ lies beside the clone (as in CI); on a machine without it only the form is checked.
SEEDS = ROOT.parent / "shared" / "seeds"
DECISIONS = ROOT / "docs" / "decisions.md"
FAQ_SEED = "i-industry-faq.txt"
MANUAL = "i-industry-user-manual.txt"
TISI = "tisi-e-services-sso-manual.txt"
SEED_FILES = {FAQ_SEED, MANUAL, TISI}

# The questions of the documents, each by its line, a key phrase of that line and the FAQ entry
# that answers it. A question the FAQ seed repeats word for word is listed once.
SEED_QUESTIONS = [
    (FAQ_SEED, 4, "ระบบ i-Industry คืออะไร", "about-portal"),
    (FAQ_SEED, 6, "สามารถสมัครสมาชิกได้กี่คน", "about-members-per-business"),
    (FAQ_SEED, 8, "กรณีลาออกจากกิจการ", "account-left-company"),
    (FAQ_SEED, 28, "จะถูกลบหรือไม่", "other-data-kept"),
    (FAQ_SEED, 30, "iSingleForm คืออะไร", "report-what-is"),
    (FAQ_SEED, 54, "สมัครสมาชิกด้วยตนเองหรือไม่", "account-directors-register"),
    (FAQ_SEED, 56, "ผู้ที่มิใช่บุคคลสัญชาติไทย", "account-non-thai"),
    (FAQ_SEED, 60, "หนังสือมอบอำนาจ", "account-employee-authorisation"),
    (FAQ_SEED, 61, "เอกสารการมอบหมายหรือไม่", "account-employee-authorisation"),
    (FAQ_SEED, 62, "ไม่ทราบวันและเดือน", "account-birth-date-unknown"),
    (FAQ_SEED, 64, "ชื่อกลาง", "account-middle-name"),
    (FAQ_SEED, 66, "ไม่สามารถสมัครสำเร็จ", "account-registration-fails"),
    (FAQ_SEED, 68, "หมายเลขนี้ได้ลงทะเบียนแล้ว", "account-id-already-registered"),
    (FAQ_SEED, 70, "ระบบเปิดให้สมัครสมาชิกเวลาใดบ้าง", "account-opening-hours"),
    (FAQ_SEED, 71, "แจ้งผลการสมัครและรหัสผ่าน", "account-nothing-sent"),
    (FAQ_SEED, 73, "ใช้ซ้ำกันได้หรือไม่", "account-unique-contacts"),
    (FAQ_SEED, 95, "ได้แจ้งปิดบัญชีการใช้งานแล้ว", "account-closed-message"),
    (FAQ_SEED, 115, "เปลี่ยนชื่อผู้ใช้งานบัญชีได้หรือไม่", "account-transfer"),
    (FAQ_SEED, 117, "มีการเปลี่ยนแปลงชื่อ - นามสกุล", "account-name-change"),
    (FAQ_SEED, 126, "กดตรวจสอบข้อมูลแล้วไม่สามารถทำรายการได้", "natural-check-fails"),
    (FAQ_SEED, 128, "บุคคลนั้นจำเป็นต้องสมัครสมาชิก", "natural-other-person-account"),
    (FAQ_SEED, 130, "การเพิ่มกิจการของบุคคลอื่น", "natural-other-person-data"),
    (FAQ_SEED, 132, "(Laser Code) คืออะไร", "natural-laser-code"),
    (FAQ_SEED, 135, "กรณีบริษัทมีกรรมการหลายคน", "juristic-which-director"),
    (FAQ_SEED, 137, "กรณีมีกรรมการลงชื่อหลายคน", "juristic-signing-directors"),
    (FAQ_SEED, 139, "กรณีกรรมการเปลี่ยนชื่อหรือนามสกุล", "juristic-director-renamed"),
    (FAQ_SEED, 141, "กรณีกรรมการเป็นชาวต่างชาติ", "juristic-foreign-directors"),
    (FAQ_SEED, 143, "สถานะเป็น Not Verified", "juristic-not-verified"),
    (FAQ_SEED, 145, "ข้อมูลประกอบการในแท็บเมนูกิจการไม่ถูกต้อง", "juristic-objectives"),
    (FAQ_SEED, 147, "ชื่อบริษัทไม่ถูกต้อง", "juristic-renamed"),
    (FAQ_SEED, 150, "หน่วยงานราชการ รัฐวิสาหกิจ สหกรณ์", "otherlaw-documents"),
    (FAQ_SEED, 155, "กดตรวจสอบแล้วไม่พบโรงงาน", "factory-not-found"),
    (FAQ_SEED, 157, "จำนวนโรงงานที่ตรวจสอบไม่ครบถ้วน", "factory-missing-some"),
    (FAQ_SEED, 159, "จำเป็นต้องเพิ่มโรงงานทั้งหมดหรือไม่", "factory-add-all"),
    (FAQ_SEED, 161, "ไม่สามารถดูรายละเอียดได้", "factory-details"),
    (FAQ_SEED, 163, "โรงงานสถานะใดบ้าง", "factory-statuses"),
    (FAQ_SEED, 166, "ใบแจ้งการชำระเงินค่าธรรมเนียม", "fee-what-bill"),
    (FAQ_SEED, 168, "ลำดับที่ 9", "fee-record-licence"),
    (FAQ_SEED, 170, "หากไม่ชำระค่าธรรมเนียมรายปีตามวันที่ระบุ", "fee-late"),
    (FAQ_SEED, 172, "อัตราค่าธรรมเนียมรายปีโรงงาน", "fee-annual-rate"),
    (FAQ_SEED, 174, "อัตราค่าธรรมเนียมใบอนุญาตประกอบกิจการโรงงาน", "fee-licence-rate"),
    (FAQ_SEED, 176, "ผลกระทบหากไม่ชำระค่าธรรมเนียมรายปี", "fee-unpaid"),
    (FAQ_SEED, 178, "กรณีไม่ได้รับใบแจ้งค่าธรรมเนียมรายปี", "fee-no-bill"),
    (FAQ_SEED, 180, "ต้องชำระค่าธรรมเนียมใดบ้าง", "fee-kinds"),
    (FAQ_SEED, 190, "ต้องชำระค่าธรรมเนียมรายปีหรือไม่", "fee-industrial-estate"),
    (FAQ_SEED, 193, "สามารถขอใบอนุญาตโรงงานได้อย่างไร", "licence-how"),
    (FAQ_SEED, 195, "โรงงานประเภทใดบ้าง", "licence-eligible"),
    (FAQ_SEED, 203, "การเข้าใช้งานเพื่อขอรับใบอนุญาต", "licence-steps"),
    (FAQ_SEED, 215, "มีค่าธรรมเนียมหรือค่าบริการหรือไม่", "licence-fee"),
    (FAQ_SEED, 218, "ต้องรายงานที่ใด", "report-where"),
    (FAQ_SEED, 234, "ใครเป็นผู้มีหน้าที่รายงานข้อมูล", "report-who"),
    (FAQ_SEED, 236, "สามารถรายงานข้อมูลในระบบ iSingleForm ได้อย่างไร", "report-how"),
    (FAQ_SEED, 244, "ต้องรายงานข้อมูลอะไรบ้าง", "report-what"),
    (FAQ_SEED, 246, "ส่งเฉพาะบางส่วนได้หรือไม่", "report-partial"),
    (FAQ_SEED, 248, "ข้อมูลในช่วงเวลาใด", "report-period"),
    (FAQ_SEED, 254, "สามารถขอแก้ไขรายงานได้หรือไม่", "report-amend"),
    (FAQ_SEED, 257, "กรณีพบรายชื่อบุคคลอื่น", "other-stranger-in-business"),
    (FAQ_SEED, 285, "เลขทะเบียนโรงงานแบบใหม่ 14 หลัก คืออะไร", "factory-number-14"),
    (FAQ_SEED, 347, "ตรวจสอบเลขทะเบียนโรงงานแบบใหม่ 14 หลัก ได้อย่างไร", "factory-number-find"),
    (FAQ_SEED, 355, "บล็อกป๊อปอัปอยู่", "services-popup-blocked"),
    # The user manual's question-like notes ("if ..."), and the TISI manual's questions.
    (MANUAL, 106, "กรณีที่ไม่มีวันและเดือนเกิด", "account-birth-date-unknown"),
    (MANUAL, 179, "(Sender) SMS", "login-sms-sender"),
    (MANUAL, 626, "หากพบว่ามีรายชื่อของบุคคลอื่น", "other-stranger-in-business"),
    (MANUAL, 692, "หากข้อมูลโรงงานที่แสดงไม่ตรงตามใบอนุญาต", "factory-details"),
    (MANUAL, 770, "ใบแจ้งค่าธรรมเนียมรายปี", "fee-no-bill"),
    (TISI, 76, "เข้าใช้งานระบบได้อย่างไร?", "login-how"),
    (TISI, 184, "กรณีลืมรหัสผ่าน", "login-forgot-password"),
    (TISI, 278, "(2FA) คืออะไร ?", "login-two-factor"),
    (TISI, 348, "กรณีติดปัญหา 2FA เข้าใช้งานไม่ได้", "login-two-factor"),
    (TISI, 542, "มากกว่า 1 Account", "account-more-than-one"),
    (TISI, 544, "ต้องการเปลี่ยน e-Mail", "account-change-email"),
    (TISI, 551, "มีหลายสาขา", "other-branches"),
    (TISI, 552, "ไม่ได้รับ e-mail ยืนยันตัวตน", "account-no-confirmation-email"),
    (TISI, 556, "ใครที่สามารถลงทะเบียนในระบบ SSO ได้", "services-tisi-who"),
    (TISI, 564, "ต้องการปิดการใช้งาน 2FA", "login-two-factor"),
    (TISI, 572, "เปลี่ยนแปลงที่ตั้งสำนักงานใหญ่", "juristic-renamed"),
]
# A line of the FAQ seed that asks (the answers there do not end so).
ASKING = ("หรือไม่", "อย่างไร", "คืออะไร", "อะไรบ้าง", "กี่คน", "ใดบ้าง", "เวลาใด", "ที่ใด")


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


def flat(text: str) -> str:
    return " ".join(text.split())


def decision_sections() -> dict[str, str]:
    """docs/decisions.md's sections by heading, their text on one line."""
    sections = re.split(r"^## ", DECISIONS.read_text(encoding="utf-8"), flags=re.M)[1:]
    return {part.split("\n", 1)[0].strip(): flat(part.split("\n", 1)[1]) for part in sections}


def entries_by_id() -> dict[str, dict]:
    return {entry["id"]: entry for entry in faq_entries()}


def test_svc_04_every_faq_answer_has_a_source_that_exists():
    """SVC-04: each FAQ entry names where its answer comes from: a line of a seed document that
    holds the given phrase, or a docs/decisions.md section that holds it."""
    sections = decision_sections()
    have_seeds = SEEDS.is_dir()
    lines = {name: seed_lines(name) for name in SEED_FILES} if have_seeds else {}
    for entry in faq_entries():
        assert entry["sources"], f"{entry['id']} has no source"
        for source in entry["sources"]:
            phrase = source["phrase"]
            assert phrase.strip(), (entry["id"], source)
            if "seed" in source:
                assert set(source) == {"seed", "line", "phrase"}, (entry["id"], source)
                assert source["seed"] in SEED_FILES, (entry["id"], source)
                assert isinstance(source["line"], int) and source["line"] > 0
                if have_seeds:
                    text = lines[source["seed"]]
                    assert source["line"] <= len(text), (entry["id"], source)
                    assert phrase in text[source["line"] - 1], (entry["id"], source)
            else:
                assert set(source) == {"decisions", "phrase"}, (entry["id"], source)
                assert source["decisions"] in sections, (entry["id"], source)
                assert flat(phrase) in sections[source["decisions"]], (entry["id"], source)


def test_svc_04_every_question_of_the_documents_has_an_answer():
    """SVC-04: each question of the i-Industry FAQ and the manuals is answered by an entry that
    cites the question's own passage (from its line to the next question listed)."""
    entries = entries_by_id()
    starts: dict[str, list[int]] = {}
    for name, line, _key, _entry in SEED_QUESTIONS:
        starts.setdefault(name, []).append(line)
    for name, line, key, entry_id in SEED_QUESTIONS:
        assert entry_id in entries, entry_id
        if SEEDS.is_dir():
            assert key in seed_lines(name)[line - 1], (name, line, key)
        later = [start for start in starts[name] if start > line]
        end = min(later) if later else 10**9
        cited = [
            source["line"]
            for source in entries[entry_id]["sources"]
            if source.get("seed") == name and line <= source["line"] < end
        ]
        assert cited, f"{entry_id} does not cite {name} lines {line}-{end - 1}"


def test_svc_04_no_question_of_the_faq_seed_is_left_out():
    """SVC-04: every line of the FAQ seed (and of the TISI manual's FAQ) that asks is in the
    list of answered questions, once per distinct wording."""
    listed = {(name, line) for name, line, _key, _entry in SEED_QUESTIONS}
    assert len(listed) == len(SEED_QUESTIONS)  # each question listed once
    if not SEEDS.is_dir():  # without shared/ beside the clone there is nothing more to read
        return
    listed_text = {seed_lines(name)[line - 1].strip() for name, line in listed}
    for number, text in enumerate(seed_lines(FAQ_SEED), start=1):
        text = text.strip()
        asks = any(word in text for word in ASKING) and text[:1] not in "-•0123456789"
        if asks and len(text) < 160:
            assert text in listed_text, f"{FAQ_SEED}:{number} {text}"
    tisi = seed_lines(TISI)
    faq_start = next(i for i, text in enumerate(tisi) if text.startswith("FAQ |"))
    for number, text in enumerate(tisi[faq_start:], start=faq_start + 1):
        if re.match(r"^(- )?\(?\d\)? ", text):
            assert (TISI, number) in listed, f"{TISI}:{number} {text}"


def test_svc_04_registration_answers_say_only_what_the_documents_say():
    """SVC-04: the opening-hours answer claims no hours (no document gives any), and the
    employee's-documents answer says what the manual asks: nothing for registering or for a
    Thai director's ID, a passport or work permit for a foreign director."""
    entries = entries_by_id()
    hours = entries["account-opening-hours"]
    assert "24" not in hours["answer_th"] + hours["answer_en"]
    assert "day or night" not in hours["answer_en"]
    assert "1–2" in hours["answer_th"]
    documents = entries["account-employee-authorisation"]
    assert "No document is needed to register or to add the company" not in documents["answer_en"]
    assert "กรรมการคนไทย: ไม่ต้องแนบเอกสาร" in documents["answer_th"]
    assert "หนังสือเดินทาง" in documents["answer_th"]
    assert "passport" in documents["answer_en"] and "work permit" in documents["answer_en"]
    for entry in faq_entries():
        assert "24 ชั่วโมง" not in entry["answer_th"], entry["id"]


@pytest.fixture
def contacts(settings):
    """Other support contacts than the manuals' defaults, with the FAQ read again."""
    settings.SUPPORT_CONTACTS = {
        "i-industry": {
            "phone": "0 2111 2222",
            "extensions": ["7"],
            "email": "help@example.go.th",
            "line": "@portalhelp",
        },
        "tisi-ict": {"phone": "0 2333 4444", "extensions": [], "email": "", "line": ""},
        "tisi-standards-control": {"phone": "", "extensions": [], "email": "", "line": ""},
    }
    faq_data.faq_entries.cache_clear()
    faq_data._haystacks.cache_clear()
    yield settings.SUPPORT_CONTACTS
    faq_data.faq_entries.cache_clear()
    faq_data._haystacks.cache_clear()


def test_svc_04_default_contacts_are_the_manuals():
    """SVC-04: by default the contacts are those the i-Industry and TISI manuals print."""
    from django.utils import translation

    with translation.override("th"):  # as the Thai page shows them, whatever ran before
        contacts = {contact["key"]: contact for contact in support_contacts()}
    assert contacts["i-industry"]["phone"] == "0 2430 6976 ต่อ 3"
    assert contacts["i-industry"]["tel"] == "tel:024306976"
    assert contacts["i-industry"]["email"] == "service_ids@industry.go.th"
    assert contacts["i-industry"]["line"] == "@iindustry"
    assert contacts["tisi-ict"]["phone"] == "0 2430 6834 ต่อ 2450, 2451"
    assert contacts["tisi-ict"]["email"] == "nsw@tisi.mail.go.th"
    assert contacts["tisi-standards-control"]["phone"] == "0 2430 6821 ต่อ 1002, 1003"
    answer = entries_by_id()["other-contact"]
    assert "service_ids@industry.go.th" in answer["answer_th"]
    assert "0 2430 6976 ext. 3" in answer["answer_en"]
    assert "[[" not in answer["answer_th"] + answer["answer_en"]


@pytest.mark.django_db
def test_svc_04_contacts_come_from_the_settings(client, contacts):
    """SVC-04: the contacts at the end of the FAQ and of the usage guide, and the FAQ's contact
    answer, follow the settings; a contact with nothing to show is left out."""
    for name in ("services:faq", "services:guide"):
        html = client.get(reverse(name)).content.decode()
        block = html.split('data-testid="support-contacts"')[1].split("</section>")[0]
        assert '<a href="tel:021112222">0 2111 2222 ต่อ 7</a>' in block
        assert '<a href="mailto:help@example.go.th">help@example.go.th</a>' in block
        assert "LINE: @portalhelp" in block
        assert "0 2333 4444" in block
        assert "กองควบคุมมาตรฐาน" not in block  # nothing set for it
        assert "service_ids@industry.go.th" not in html
    html = client.get(reverse("services:faq"), {"q": "@portalhelp"}).content.decode()
    assert 'id="other-contact"' in html


@pytest.mark.django_db
def test_svc_04_usage_guide_beside_the_profile_picture_and_in_the_footer(client):
    """SVC-04: the member's header has the usage guide right after the name and picture (where
    the manual places its menu); the footer has it, and the contacts, for everyone."""
    from tests.factories import MemberFactory

    html = client.get(reverse("services:faq")).content.decode()
    footer = html.split('<footer class="site-footer">')[1]
    assert f'href="{reverse("services:guide")}"' in footer
    assert f'href="{reverse("services:faq")}#contacts"' in footer
    assert 'data-testid="header-guide"' not in html
    client.force_login(MemberFactory())
    html = client.get(reverse("services:index")).content.decode()
    header = html.split('<header class="site-header">')[1].split("</header>")[0]
    after_who = header.split('data-testid="who"')[1].split("</span>", 2)[2]
    link = after_who.split("</a>")[0]
    assert link.lstrip().startswith(
        f'<a class="guide-link" href="{reverse("services:guide")}" data-testid="header-guide"'
    )
    assert '<span class="visually-hidden">แนะนำการใช้งาน</span>' in link  # its name, for everyone
