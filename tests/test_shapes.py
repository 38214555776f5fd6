"""Every shape on small Turtle fixtures: exactly the findings each fixture expects, from both engines.

Each tests/fixtures/shapes/<rule>-(ok|bad)[-…].ttl is validated with the ontology and context.trig.
Its `# expect: RULE FOCUS VALUE [-> OTHER]` lines (prefixed names, `-` for no value) are the whole
multiset of findings pyshacl must report — an -ok fixture expects none — and the fast engine must
report the same findings (signatures equal) with the same second party (OTHER). `# at: DATE`
validates as of that date.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from registry import namespaces as ns
from registry.build import ontology_quads
from registry.store import OxigraphBackend, load_files
from registry.validate import Validator, validate
from registry.validation.core import CoreShapes
from registry.validation.reference import data_graph, reference_findings

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
CONTEXT = FIXTURES / "context.trig"
CASES = sorted(FIXTURES.glob("*-ok*.ttl")) + sorted(FIXTURES.glob("*-bad*.ttl"))
NAME = re.compile(r"^[a-z0-9-]+-(ok|bad)(-[a-z0-9-]+)?\.ttl$")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def prefixes(text: str) -> dict[str, str]:
    found = dict(re.findall(r"^@prefix\s+(\S*):\s*<([^>]*)>", text, re.M))
    found.setdefault("tqsh", ns.SHAPES)
    return found


def term(token: str, names: dict[str, str]) -> ox.NamedNode | ox.Literal | None:
    """A fixture's prefixed name, "…"^^prefix:type or "…"@lang as a pyoxigraph term; "-" is None."""
    if token == "-":
        return None
    literal = re.fullmatch(r'"(.*)"(?:@([\w-]+)|\^\^(\S+))?', token)
    if literal:
        text, lang, datatype = literal.groups()
        if lang:
            return ox.Literal(text, language=lang)
        return ox.Literal(text, datatype=term(datatype, names)) if datatype else ox.Literal(text)
    prefix, local = token.split(":", 1)
    return ox.NamedNode(names[prefix] + local)


def expectations(path: Path) -> tuple[Counter, date | None]:
    """(rule IRI, focus, value, other) of each `# expect:` line, and the `# at:` date."""
    text = path.read_text(encoding="utf-8")
    names = prefixes(text)
    found = Counter()
    for line in re.findall(r"^# expect: (.*)$", text, re.M):
        tokens = re.findall(r'"[^"]*"\S*|\S+', line)
        other = None
        if "->" in tokens:
            other = term(tokens[tokens.index("->") + 1], names)
            tokens = tokens[:tokens.index("->")]
        rule, focus, value = tokens
        found[(ns.SHAPES + rule.removeprefix("tqsh:"), term(focus, names), term(value, names), other)] += 1
    at = re.search(r"^# at: (\S+)", text, re.M)
    return found, date.fromisoformat(at.group(1)) if at else None


def store_with(path: Path) -> OxigraphBackend:
    backend = OxigraphBackend(None)
    backend.replace_graphs(list(ontology_quads()), [])
    load_files(backend, [CONTEXT, path])
    return backend


def test_fixture_files_are_named_by_rule():
    assert CASES, "no fixtures found"
    assert len(CASES) == len(list(FIXTURES.glob("*.ttl"))), "every .ttl fixture is an -ok or -bad case"
    assert all(NAME.match(p.name) for p in CASES), [p.name for p in CASES if not NAME.match(p.name)]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture(path: Path, validator: Validator):
    expected, at = expectations(path)
    if path.stem.split("-")[-1] == "ok" or "-ok-" in path.stem:
        assert not expected, "an -ok fixture expects no findings"
    else:
        assert expected, "a -bad fixture expects findings"
    backend = store_with(path)

    reference = reference_findings(data_graph(backend, at=at), validator.shapes)
    assert Counter((f.rule, f.focus, f.value) for f in reference) == \
        Counter((rule, focus, value) for rule, focus, value, _ in expected.elements())

    fast = validate(backend, at=at, validator=validator).findings
    assert Counter(f.signature() for f in fast) == Counter(f.signature() for f in reference)
    assert Counter((f.rule, f.focus, f.value, f.other) for f in fast) == expected


def test_every_rule_has_an_ok_and_a_bad_fixture(validator: Validator):
    stems = {p.stem for p in CASES}
    for rule in validator.rules:
        kebab = re.sub(r"(?<!^)(?=[A-Z])", "-", rule.iri.removeprefix(ns.SHAPES)).lower()
        assert any(s.startswith(kebab + "-ok") for s in stems), f"no {kebab}-ok fixture"
        assert any(s.startswith(kebab + "-bad") for s in stems), f"no {kebab}-bad fixture"


def test_every_structure_shape_is_seen_failing(validator: Validator):
    """Each reporting node and property shape of structure.ttl is expected by some -bad fixture."""
    expected = {rule for p in CASES for rule, *_ in expectations(p)[0]}
    reporting = set()
    for shape in CoreShapes(validator.shapes).shapes:
        if shape.constraints:
            reporting.add(shape.iri)
        reporting |= {prop.iri for prop in shape.properties}
    missing = sorted(reporting - expected)
    assert not missing, f"structure shapes no fixture shows failing: {missing}"
