"""registry.validate: the API other modules build on — graphs, dates, overlays, policies, reports, errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from registry import namespaces as ns
from registry.build import ontology_quads
from registry.errors import InputError, RuleError, UsageError
from registry.store import OxigraphBackend, load_files, parse_rdf
from registry.validate import Validator, powers_touched, validate
from registry.validation.render import FORMATS
from registry.validation.shapes import SH, load_shapes, shape_files

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
OVERLAP = ns.SHAPES + "Overlap"
A = ns.ID + "assignment/"


def store(*files: str) -> OxigraphBackend:
    backend = OxigraphBackend(None)
    backend.replace_graphs(list(ontology_quads()), [])
    load_files(backend, [FIXTURES / "context.trig", *(FIXTURES / f for f in files)])
    return backend


def rules(report) -> list[str]:
    return sorted(f.rule.removeprefix(ns.SHAPES) for f in report.findings)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_a_registry_that_conforms_reports_nothing(validator):
    report = validate(store("overlap-ok.ttl"), validator=validator)
    assert report.conforms and report.findings == []
    assert report.counts() == {"Violation": 0, "Warning": 0, "Info": 0}


def test_findings_carry_the_period_and_the_other_assignment(validator):
    report = validate(store("overlap-bad.ttl"), validator=validator)
    first = next(f for f in report.findings if f.focus.value.endswith("giay-phep-xay-dung"))
    assert (first.value.value, first.other.value) == (A + "x1", A + "x2")
    assert (first.valid_from, first.valid_until) == (date(2026, 1, 31), date(2027, 3, 1))
    assert "[2026-01-31, 2027-03-01)" in first.message("vi") and "Overlap" in first.message("en")
    assert not report.conforms


def test_a_date_keeps_only_what_is_in_force_on_it(validator):
    backend = store("no-holder-on-date-bad.ttl")
    assert rules(validate(backend, validator=validator)) == []
    assert rules(validate(backend, at=date(2027, 6, 1), validator=validator)) == ["NoHolderOnDate"]
    assert rules(validate(backend, at=date(2026, 6, 1), validator=validator)) == []


def test_one_graph_is_validated_with_the_reference_graphs(validator):
    backend = store("overlap-bad.ttl")
    graph = ns.GRAPH + "file/overlap-bad"
    report = validate(backend, graphs=[graph], validator=validator)
    assert graph in report.graphs and ns.CATALOGUE_GRAPH in report.graphs
    assert rules(report) == ["Overlap", "Overlap"]
    assert validate(backend, graphs=[ns.CATALOGUE_GRAPH], validator=validator).findings == []


def test_an_unknown_graph_is_a_usage_error(validator):
    with pytest.raises(UsageError, match="no such graph"):
        validate(store(), graphs=["https://example.org/nothing"], validator=validator)


def test_an_overlay_is_validated_without_touching_the_store(validator):
    backend = store()
    before = backend.quad_count()
    draft = FIXTURES / "interruption-bad.ttl"
    triples = [q.triple for q in parse_rdf(draft.read_bytes(), ox.RdfFormat.TURTLE, name=str(draft))]
    assert rules(validate(backend, overlay=triples, validator=validator)) == ["Interruption"]
    assert backend.quad_count() == before


def test_the_redelegation_policy_sets_severity_or_switches_the_rule_off():
    backend = store("redelegation-bad.ttl")
    assert [f.severity for f in validate(backend).findings] == ["Warning"]
    assert [f.severity for f in validate(backend, redelegation="violation").findings] == ["Violation"]
    assert validate(backend, redelegation="off").findings == []
    with pytest.raises(UsageError):
        load_shapes(redelegation="sometimes")


def test_validating_the_powers_a_change_touches_equals_the_difference_of_two_full_validations(validator):
    """The API check-draft builds on: index once, overlay a change, validate only what it touches."""
    base = validator.index(store("interruption-ok.ttl"))
    gap = ox.NamedNode(A + "x2")
    # the change: the province's assignment starts two months late, opening a hole after x1
    change_remove = [ox.Triple(gap, ox.NamedNode(ns.TQ + "validFrom"),
                               ox.Literal("2026-01-31", datatype=ox.NamedNode(ns.XSD + "date")))]
    change_add = [ox.Triple(gap, ox.NamedNode(ns.TQ + "validFrom"),
                            ox.Literal("2026-03-31", datatype=ox.NamedNode(ns.XSD + "date")))]
    draft = base.overlay(add=change_add, remove=change_remove)
    powers = powers_touched(base, [gap]) | powers_touched(draft, [gap])
    assert powers == {ox.NamedNode(ns.ID + "power/cong-trinh-tam")}
    incremental = set(validator.findings(draft, powers=powers, focus=[gap])) - \
        set(validator.findings(base, powers=powers, focus=[gap]))
    full = set(validator.findings(draft)) - set(validator.findings(base))
    assert incremental == full and [f.rule for f in full] == [ns.SHAPES + "Interruption"]


def test_powers_touched_follows_instruments_and_roles(validator):
    data = validator.index(store("basis-lapses-ok.ttl"))
    decree = ox.NamedNode(ns.ID + "instrument/140-2025-nd-cp")
    power = ox.NamedNode(ns.ID + "power/cong-trinh-tam")
    assert powers_touched(data, [decree]) == {power}
    assert powers_touched(data, [ox.NamedNode(ns.ID + "role/ubnd-cap-tinh")]) == {power}
    assert powers_touched(data, [ox.NamedNode(ns.ID + "role/bo-xay-dung")]) == set()


def test_the_report_is_available_as_shacl_rdf(validator):
    report = validate(store("overlap-bad.ttl"), validator=validator)
    graph = report.to_rdf()
    assert (None, SH.conforms, rdflib.Literal(False)) in graph
    assert len(set(graph.subjects(rdflib.RDF.type, SH.ValidationResult))) == len(report.findings)
    assert set(graph.objects(None, SH.sourceShape)) == {rdflib.URIRef(OVERLAP)}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_names_the_power_the_holders_and_the_citations(fmt, validator):
    report = validate(store("overlap-bad.ttl"), validator=validator)
    text = FORMATS[fmt](report)
    if fmt == "json":
        record = json.loads(text)["findings"][0]
        assert record["assignment"]["legal_basis"][0]["citation"] == "Điều 4 Nghị định 140/2025/NĐ-CP"
        assert record["other_assignment"]["holder"]
    elif fmt == "turtle":
        rdflib.Graph().parse(data=text, format="turtle")
    else:
        for words in ("Cấp giấy phép xây dựng", "Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp tỉnh",
                      "Điều 4 Nghị định 140/2025/NĐ-CP", "Điều 14 Nghị định 49/2026/NĐ-CP"):
            assert words in text, words


def test_shapes_that_do_not_parse_are_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path <b> ;; .\n")
    with pytest.raises(InputError) as error:
        load_shapes([bad])
    assert error.value.file == str(bad) and error.value.line == 3


def test_a_shape_the_fast_engine_cannot_run_is_refused_by_its_iri(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix tq: <https://w3id.org/thamquyen/ontology#> .
<https://example.org/LongLabel> a sh:NodeShape ; sh:targetClass tq:Power ;
    sh:property [ sh:path <http://www.w3.org/2004/02/skos/core#prefLabel> ; sh:maxLength 200 ; sh:message "x" ] .
""")
    with pytest.raises(RuleError) as error:
        Validator(load_shapes([*shape_files(), extra]))
    assert "maxLength" in str(error.value)
