"""The fast engine against pyshacl on generated national-style registries, and the generator itself.

bench/generate.py builds registries with injected defects of every kind; pyshacl (the reference)
and the fast engine must report exactly the same findings, and every injected defect must be found.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bench.generate import DEFECTS, generate
from registry.build import ontology_quads
from registry.store import OxigraphBackend
from registry.validate import Validator, validate
from registry.validation.reference import data_graph, reference_findings


def store_of(n: int, seed: int) -> tuple[OxigraphBackend, object]:
    registry = generate(n, seed, units=True)
    backend = OxigraphBackend(None)
    backend.replace_graphs([*ontology_quads(), *registry.quads], [])
    return backend, registry


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def registry_1k():
    return store_of(1000, seed=1)


def found(findings) -> tuple[set, set]:
    exact = {(f.rule, f.focus.value, f.value.value if f.value is not None else None) for f in findings}
    return exact, {(rule, focus) for rule, focus, _ in exact}


def assert_injected_found(findings, injected: dict) -> None:
    exact, by_focus = found(findings)
    missing = {kind: [i for i in items if (i not in exact if i[2] else (i[0], i[1]) not in by_focus)]
               for kind, items in injected.items()}
    assert not {k: v for k, v in missing.items() if v}


def test_generator_makes_exactly_n_assignments_with_every_defect_kind():
    registry = generate(1000, seed=3)
    assert registry.assignments == 1000
    typed = {q.subject for q in registry.quads
             if q.predicate.value.endswith("#type") and q.object.value.endswith("#Assignment")}
    assert len(typed) == 1000
    assert set(registry.injected) == set(DEFECTS)


def test_generator_is_seeded():
    first, again, other = generate(300, seed=5), generate(300, seed=5), generate(300, seed=6)
    assert first.quads == again.quads
    assert first.quads != other.quads


def test_fast_engine_equals_pyshacl_on_1k(registry_1k, validator):
    backend, registry = registry_1k
    fast = validate(backend, validator=validator).findings
    reference = reference_findings(data_graph(backend), validator.shapes)
    assert Counter(f.signature() for f in fast) == Counter(f.signature() for f in reference)
    assert_injected_found(fast, registry.injected)


def test_fast_engine_equals_pyshacl_as_of_the_day_the_june_decrees_end(validator):
    backend, _ = store_of(300, seed=4)
    day = date(2027, 3, 1)
    fast = validate(backend, at=day, validator=validator).findings
    reference = reference_findings(data_graph(backend, at=day), validator.shapes)
    assert Counter(f.signature() for f in fast) == Counter(f.signature() for f in reference)
    assert any(f.rule.endswith("#NoHolderOnDate") for f in fast)


@pytest.mark.slow
def test_every_injected_defect_is_found_at_10k(validator):
    backend, registry = store_of(10_000, seed=2)
    assert_injected_found(validate(backend, validator=validator).findings, registry.injected)
