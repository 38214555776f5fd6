"""The ontology is consistent and every class is satisfiable under HermiT (OWL 2 DL)."""

import shutil

import pytest
import rdflib

from registry.build import ONTOLOGY_FILE


def test_ontology_parses_and_reuses_standard_vocabularies():
    graph = rdflib.Graph().parse(ONTOLOGY_FILE)
    namespaces = {str(o) for _, _, o in graph.triples((None, rdflib.RDFS.subClassOf, None))}
    assert "http://www.w3.org/ns/org#Organization" in namespaces
    assert "http://www.w3.org/ns/org#Post" in namespaces
    assert "http://data.europa.eu/eli/ontology#LegalResourceSubdivision" in namespaces
    assert "http://www.w3.org/2004/02/skos/core#Concept" in namespaces


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (scripts/ensure-system-deps)")
def test_hermit_finds_the_ontology_consistent_and_every_class_satisfiable(tmp_path):
    import owlready2

    rdfxml = tmp_path / "thamquyen.owl"
    rdflib.Graph().parse(ONTOLOGY_FILE).serialize(rdfxml, format="xml")
    world = owlready2.World()
    onto = world.get_ontology(rdfxml.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = list(world.inconsistent_classes())
    assert unsatisfiable == []
    tq_classes = [c for c in world.classes() if c.iri.startswith("https://w3id.org/thamquyen/ontology#")]
    assert len(tq_classes) >= 20
