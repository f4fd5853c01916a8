"""The portal's questions and answers (SVC-04), held as data in services/data/faq.json: a list
of topics, each with its questions, in Thai and English. The file is read once per process.

Every question carries its sources, never shown: where the documents say what the answer says
(a file of the seed documents, a line and a phrase of that line) or, for what the portal does
its own way, the docs/decisions.md section that records it (its heading and a phrase of it).
An answer may name the support contacts as [[iindustry_email]] and the like: they are filled in
from the settings (services.contacts), in the answer's language.

Search matches every term of the query (split on whitespace; Thai writes no spaces between
words, so a term is a substring) in the question or the answer, in either language, ignoring
case. Entries whose question holds the terms come first."""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from portal.services.contacts import contact_placeholders

FAQ_FILE = Path(__file__).parent / "data" / "faq.json"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
PLACEHOLDER = re.compile(r"\[\[(\w+)\]\]")


def _filled(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _normalise(text: str) -> str:
    # NFC, case-folded, and SARA AM typed as NIKHAHIT + SARA AA (common in pasted Thai) made one.
    text = unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33")
    return text.casefold()


@cache
def faq_entries() -> tuple[dict, ...]:
    """Every question as one flat entry: id, topic_th, topic_en, question_th, question_en,
    answer_th, answer_en, sources (and the topic's id), in the file's order, so grouped by
    topic. The contact placeholders are filled from the settings as the file is read."""
    topics = json.loads(FAQ_FILE.read_text(encoding="utf-8"))
    thai, english = contact_placeholders("th"), contact_placeholders("en")
    entries = []
    for topic in topics:
        for question in topic["questions"]:
            entries.append(
                {
                    "id": question["id"],
                    "topic": topic["id"],
                    "topic_th": topic["topic_th"],
                    "topic_en": topic["topic_en"],
                    "question_th": question["question_th"],
                    "question_en": question["question_en"],
                    "answer_th": _filled(question["answer_th"], thai),
                    "answer_en": _filled(question["answer_en"], english),
                    "sources": question.get("sources", []),
                }
            )
    return tuple(entries)


@cache
def _haystacks() -> tuple[dict[str, str], ...]:
    """Per entry, normalised: both questions, both answers, and each question alone."""
    return tuple(
        {
            "questions": _normalise(f"{e['question_th']}\n{e['question_en']}"),
            "answers": _normalise(f"{e['answer_th']}\n{e['answer_en']}"),
            "th": _normalise(e["question_th"]),
            "en": _normalise(e["question_en"]),
        }
        for e in faq_entries()
    )


def query_terms(query: str) -> list[str]:
    terms = []
    for term in _normalise(query[:MAX_QUERY_LENGTH]).split():
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


NUMBERED = re.compile(r"^\d+\.\s+")


def answer_blocks(answer: str) -> list[dict]:
    """An answer's lines as paragraphs and lists: lines starting "- " make a bulleted list,
    lines starting "1. " a numbered one; [{"kind": "p" | "ul" | "ol", "lines": [...]}]."""
    blocks: list[dict] = []
    for line in answer.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            kind, text = "ul", line[2:].strip()
        elif NUMBERED.match(line):
            kind, text = "ol", NUMBERED.sub("", line)
        else:
            kind, text = "p", line
        if kind != "p" and blocks and blocks[-1]["kind"] == kind:
            blocks[-1]["lines"].append(text)
        else:
            blocks.append({"kind": kind, "lines": [text]})
    return blocks


def _localised(entry: dict, language: str) -> dict:
    suffix = "en" if language == "en" else "th"
    return {
        **entry,
        "topic_name": entry[f"topic_{suffix}"],
        "question": entry[f"question_{suffix}"],
        "answer": entry[f"answer_{suffix}"],
        "blocks": answer_blocks(entry[f"answer_{suffix}"]),
    }


def search_faq(query: str, language: str) -> list[dict]:
    """The entries that hold every term of the query, best first: more terms in the question
    (in the reader's language first), then the file's order. An empty query gives every entry,
    grouped by topic. Each entry also carries `topic_name`, `question`, `answer` and the
    answer's `blocks` in the given language."""
    entries = faq_entries()
    terms = query_terms(query or "")
    if not terms:
        return [_localised(entry, language) for entry in entries]
    found = []
    own = "en" if language == "en" else "th"
    for index, (entry, text) in enumerate(zip(entries, _haystacks(), strict=True)):
        if not all(term in text["questions"] or term in text["answers"] for term in terms):
            continue
        question_hits = sum(term in text["questions"] for term in terms)
        own_hits = sum(term in text[own] for term in terms)
        found.append((-question_hits, -own_hits, index, entry))
    found.sort(key=lambda row: row[:3])
    return [_localised(row[3], language) for row in found]


def group_by_topic(entries: list[dict]) -> list[tuple[str, list[dict]]]:
    """(topic name, entries) in the order each topic first appears."""
    groups: dict[str, tuple[str, list[dict]]] = {}
    for entry in entries:
        groups.setdefault(entry["topic"], (entry["topic_name"], []))[1].append(entry)
    return list(groups.values())
