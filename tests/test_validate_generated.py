"""The fast engine against pyshacl on generated national-style registries, and the generator itself.

bench/generate.py builds registries with injected defects of every kind; pyshacl (the reference)
and the fast engine must report exactly the same findings, and every injected defect must be found.
At 10k plain pyshacl does not finish in 15 minutes, so it runs on partitions by power
(registry.validation.reference.PowerPartitions: why that is the same reference), here on two of ten.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import rdflib

from bench.generate import DEFECTS, generate
from registry import namespaces as ns
from registry.build import ontology_quads
from registry.store import OxigraphBackend
from registry.validate import Validator, validate
from registry.validation.reference import (PowerPartitions, data_graph, partitioned_reference_findings,
                                           reference_findings)


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


@pytest.fixture(scope="module")
def reference_1k(registry_1k, validator):
    return reference_findings(data_graph(registry_1k[0]), validator.shapes)


def signatures(findings) -> Counter:
    return Counter(f.signature() for f in findings)


def test_fast_engine_equals_pyshacl_on_1k(registry_1k, reference_1k, validator):
    backend, registry = registry_1k
    fast = validate(backend, validator=validator).findings
    assert signatures(fast) == signatures(reference_1k)
    assert_injected_found(fast, registry.injected)


def test_pyshacl_on_every_partition_by_power_equals_pyshacl_on_the_whole_1k(registry_1k, reference_1k, validator):
    partitions = PowerPartitions(data_graph(registry_1k[0]), parts=3)
    assert signatures(partitioned_reference_findings(partitions, validator.shapes, range(3))) == signatures(reference_1k)


def test_partitions_refuse_an_assignment_that_is_the_value_of_a_triple():
    data = rdflib.Graph()
    a, b = rdflib.URIRef(ns.ID + "assignment/a"), rdflib.URIRef(ns.ID + "assignment/b")
    data.add((a, rdflib.URIRef(ns.TQ + "power"), rdflib.URIRef(ns.ID + "power/p")))
    data.add((b, rdflib.URIRef(ns.TQ + "power"), rdflib.URIRef(ns.ID + "power/q")))
    data.add((b, rdflib.URIRef(ns.TQ + "legalBasis"), a))
    with pytest.raises(ValueError, match="assignment/a"):
        PowerPartitions(data, parts=2)


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


@pytest.mark.slow
def test_fast_engine_equals_pyshacl_on_two_of_ten_partitions_of_the_10k_registry(validator):
    """Every finding on the powers and assignments of two partitions by power of the 10k registry
    (about 2,000 of its assignments and 140 of its 714 powers), and on its reference data (units,
    roles, powers, instruments), the same from both engines. All ten partitions would take pyshacl
    about 18 minutes on 2 cores, more than the suite can spend (bench/README.md, Validation)."""
    backend, _ = store_of(10_000, seed=2)
    partitions = PowerPartitions(data_graph(backend), parts=10)
    checked = (0, 1)
    reference = partitioned_reference_findings(partitions, validator.shapes, checked)
    fast = [f for f in validate(backend, validator=validator).findings if partitions.owner(f.focus) in checked]
    assert len({f.rule for f in reference}) >= 8, "the sample exercises most rules"
    assert signatures(fast) == signatures(reference)
