"""SVC-04: the usage guide lists the manuals of the connected systems, and the FAQ is a page of
the portal, searchable in Thai and English."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal.identity.models import ConnectedSystem
from portal.services.faq import (
    FAQ_FILE,
    answer_blocks,
    faq_entries,
    group_by_topic,
    search_faq,
)
from portal.services.guide import guide_systems

KEYS = {"id", "topic_th", "topic_en", "question_th", "question_en", "answer_th", "answer_en"}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def question_ids(html: str) -> list[str]:
    return re.findall(r'<details class="card" id="([a-z0-9-]+)"', html)


# --- the data and the search ------------------------------------------------------------------


def test_svc_04_faq_file_is_topics_of_bilingual_questions():
    """SVC-04: the FAQ file holds topics, each with questions in Thai and English."""
    topics = json.loads(FAQ_FILE.read_text(encoding="utf-8"))
    assert len(topics) >= 8
    ids = [entry["id"] for entry in faq_entries()]
    assert len(ids) == len(set(ids)) >= 60
    for entry in faq_entries():
        assert set(entry) >= KEYS
        assert all(entry[key].strip() for key in KEYS), entry["id"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry["id"])


def test_svc_04_search_by_a_thai_term_matches_a_substring():
    """SVC-04: Thai has no spaces, so a Thai term matches inside words."""
    results = search_faq("ลืมรหัสผ่าน", "th")
    assert results
    assert results[0]["id"] == "login-forgot-password"  # the term is in its question
    assert all(
        "ลืมรหัสผ่าน" in f"{r['question_th']}{r['answer_th']}{r['question_en']}{r['answer_en']}"
        for r in results
    )
    # A term found only in answers still finds the entry, after those found in questions.
    laser = [r["id"] for r in search_faq("เลเซอร์", "th") + search_faq("laser", "th")]
    assert "natural-laser-code" in laser


def test_svc_04_search_by_an_english_term_ignores_case_and_finds_either_language():
    """SVC-04: an English term, any case, matches the English text, and the entry is shown in
    the reader's language."""
    lower = search_faq("thaid", "th")
    upper = search_faq("ThaID", "th")
    assert [r["id"] for r in lower] == [r["id"] for r in upper]
    assert lower[0]["id"] == "login-thaid"
    assert lower[0]["question"] == lower[0]["question_th"]
    assert search_faq("ThaID", "en")[0]["question"] == lower[0]["question_en"]


def test_svc_04_every_term_must_match_and_question_hits_come_first():
    """SVC-04: a query of several terms finds the entries holding all of them."""
    both = search_faq("ค่าธรรมเนียม รายปี", "th")
    fee_only = search_faq("ค่าธรรมเนียม", "th")
    assert 0 < len(both) < len(fee_only)
    for r in both:
        text = f"{r['question_th']}{r['answer_th']}{r['question_en']}{r['answer_en']}"
        assert "ค่าธรรมเนียม" in text and "รายปี" in text
    in_question = [("ค่าธรรมเนียม" in r["question_th"]) for r in fee_only]
    assert in_question == sorted(in_question, reverse=True)
    mixed = [r["id"] for r in search_faq("ThaID QR", "en")]
    assert mixed[0] == "login-thaid"
    assert search_faq("ThaID ไม่มีคำนี้แน่นอน", "th") == []


def test_svc_04_empty_query_gives_every_question_grouped_by_topic():
    """SVC-04: without a query the whole FAQ shows, topic by topic in the file's order."""
    everything = search_faq("   ", "th")
    assert len(everything) == len(faq_entries())
    groups = group_by_topic(everything)
    topics = json.loads(FAQ_FILE.read_text(encoding="utf-8"))
    assert [name for name, _entries in groups] == [t["topic_th"] for t in topics]


def test_svc_04_answers_are_shown_as_paragraphs_and_lists():
    """SVC-04: Answers are shown as paragraphs and lists."""
    blocks = answer_blocks("Intro\n1. one\n2. two\n- a\n- b\nEnd")
    assert blocks == [
        {"kind": "p", "lines": ["Intro"]},
        {"kind": "ol", "lines": ["one", "two"]},
        {"kind": "ul", "lines": ["a", "b"]},
        {"kind": "p", "lines": ["End"]},
    ]


# --- the FAQ page -------------------------------------------------------------------------------


def test_svc_04_faq_page_is_public_and_thai_by_default(client):
    """SVC-04: the FAQ is a public page of the portal, in Thai unless English is chosen."""
    response = client.get(reverse("services:faq"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "<details" in html and "<summary>" in html
    assert len(question_ids(html)) == len(faq_entries())
    assert "ลืมรหัสผ่าน ต้องทำอย่างไร" in html
    assert "I forgot my password. What do I do?" not in html
    english_html = english(client).get(reverse("services:faq")).content.decode()
    assert "I forgot my password. What do I do?" in english_html


def test_svc_04_faq_search_shows_the_count_and_keeps_the_query(client):
    """SVC-04: a search shows how many questions were found and keeps what was typed."""
    response = client.get(reverse("services:faq"), {"q": "ThaID"})
    html = response.content.decode()
    ids = question_ids(html)
    assert ids and ids[0] == "login-thaid"
    assert len(ids) == len(search_faq("ThaID", "th"))
    assert 'data-testid="faq-count"' in html
    assert f"พบ {len(ids)} คำถาม" in html
    assert 'name="q" value="ThaID"' in html
    assert "faq-none" not in html


def test_svc_04_faq_search_for_thai_and_english_terms_on_the_page(client):
    """SVC-04: Thai and multi-term searches through the page."""
    html = client.get(reverse("services:faq"), {"q": "เลขหลังบัตร"}).content.decode()
    assert "natural-laser-code" in question_ids(html)
    html = english(client).get(reverse("services:faq"), {"q": "annual FEE"}).content.decode()
    ids = question_ids(html)
    assert "fee-annual-rate" in ids and "login-thaid" not in ids
    assert "How is the annual factory fee worked out?" in html
    html = client.get(reverse("services:faq"), {"q": "ThaID"}).content.decode()
    thaid = html.split('id="login-thaid"')[1].split("</details>")[0]
    assert "<ol><li>" in thaid  # the numbered steps
    assert '<a href="https://www.bora.dopa.go.th/app-thaid/"' in thaid


def test_svc_04_faq_no_results_message_with_a_hint(client):
    """SVC-04: a search that finds nothing says so, with a hint, and keeps the query."""
    html = client.get(reverse("services:faq"), {"q": "zzqq ไม่พบแน่"}).content.decode()
    assert 'data-testid="faq-none"' in html
    assert question_ids(html) == []
    assert 'value="zzqq ไม่พบแน่"' in html
    assert reverse("services:faq") + '"' in html  # the way back to every question


def test_svc_04_faq_query_is_escaped(client):
    """SVC-04: Faq query is escaped."""
    html = client.get(reverse("services:faq"), {"q": '"><script>alert(1)</script>'}).content
    assert b"<script>alert(1)" not in html


# --- the usage guide --------------------------------------------------------------------------


@pytest.mark.django_db
def test_svc_04_guide_systems_in_one_query(django_assert_num_queries):
    """SVC-04: the guide reads every connected system in one query, in SVC-01 order."""
    with django_assert_num_queries(1):
        systems = guide_systems()
    assert len(systems) == ConnectedSystem.objects.count() > 0
    order = ["survey", "payment", "license", "service"]
    categories = [s.category for s in systems]
    assert categories == sorted(categories, key=order.index)


@pytest.mark.django_db
def test_svc_04_guide_lists_the_systems_with_their_manuals(client):
    """SVC-04: the public usage guide explains the portal and lists every connected system
    with its agency, category, readiness notes and a link to its manual when there is one."""
    response = client.get(reverse("services:guide"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    for anchor in ("register", "login", "add-business", "add-factories", "use-service"):
        assert f'id="{anchor}"' in html
    for system in ConnectedSystem.objects.all():
        assert f'data-system="{system.slug}"' in html
        assert system.name_th in html
    licence = ConnectedSystem.objects.get(slug="factory-licence-request")
    assert licence.manual_url and f'href="{licence.manual_url}"' in html
    assert "Digital Payment" in html and "Digital Survey" in html
    assert "ต้องเชื่อมต่อ VPN" in html  # ECO Sticker cars (SVC-03 notes)
    assert "กรมโรงงานอุตสาหกรรม" in html

    ConnectedSystem.objects.filter(slug="isingleform").update(manual_url="")
    html = english(client).get(reverse("services:guide")).content.decode()
    assert "iSingleForm central reporting" in html
    assert "ระบบรายงานข้อมูลกลาง" not in html
    assert "Department of Industrial Works" in html
    row = html.split('data-system="isingleform"')[1].split("</article>")[0]
    assert "href=" not in row


@pytest.mark.django_db
def test_svc_04_help_pages_are_public_even_for_members(client):
    """SVC-04: both pages answer without login, and with one."""
    from tests.factories import MemberFactory

    assert client.get(reverse("services:guide")).status_code == 200
    client.force_login(MemberFactory())
    assert client.get(reverse("services:faq"), {"q": "โรงงาน"}).status_code == 200
    assert client.get(reverse("services:guide")).status_code == 200
