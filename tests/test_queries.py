"""Competency questions: every queries/cq/*.rq answers its question on the built registry.

Each file starts with comments: `# Câu hỏi:` (vi), `# Question:` (en), `# Trả lời:` (the answer in
words), then the expected answer the test compares, as one or more of

    # expected rows:        every row, in any order ("a | b" per line, cells as the query returns them)
    # expected count: N     the number of rows
    # expected includes:    rows that must be among the answer
    # expected excludes:    rows that must not be
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.namespaces import SPARQL_PREFIXES
from registry.sparql_text import with_prefixes

QUERIES = sorted((Path(__file__).resolve().parent.parent / "queries" / "cq").glob("*.rq"))
DIRECTIVES = ("expected rows", "expected includes", "expected excludes")


def expectations(text: str) -> dict:
    """The header of a competency question: question, answer and expected results."""
    found: dict = {"rows": None, "includes": [], "excludes": [], "count": None}
    section = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, _, value = body.partition(":")
        if key in ("Câu hỏi", "Question", "Trả lời"):
            found[key] = value.strip()
            section = None
        elif key == "expected count":
            found["count"] = int(value)
            section = None
        elif key in DIRECTIVES:
            section = key.split()[1]
            if section == "rows":
                found["rows"] = []
        elif section and body:
            found[section].append(tuple(cell.strip() for cell in body.split("|")))
    return found


def answer(backend, query: str) -> list[tuple[str, ...]]:
    _, rows = backend.select(with_prefixes(query, SPARQL_PREFIXES))
    return [tuple("" if term is None else term.value for term in row) for row in rows]


def test_there_are_at_least_15_competency_questions():
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_competency_question(registry, path):
    text = path.read_text(encoding="utf-8")
    expected = expectations(text)
    assert expected.get("Câu hỏi") and expected.get("Question") and expected.get("Trả lời"), \
        "state the question in Vietnamese and English, and the answer"
    assert expected["rows"] is not None or expected["count"] is not None or expected["includes"], \
        "give an expected answer"
    got = answer(registry, text)
    if expected["rows"] is not None:
        assert sorted(got) == sorted(expected["rows"])
    if expected["count"] is not None:
        assert len(got) == expected["count"]
    for row in expected["includes"]:
        assert row in got
    for row in expected["excludes"]:
        assert row not in got
