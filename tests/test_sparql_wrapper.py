"""SPARQLWrapper, a client legal teams use, against the endpoint on a real uvicorn server:
SELECT, ASK, CONSTRUCT and DESCRIBE in each format it asks for, datasets, errors, updates."""

import urllib.error

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from api.main import create_app
from api.settings import Settings
from live import serve
from registry.namespaces import GRAPH, SPARQL_PREFIXES, UNITS_GRAPH, instrument_graph

HANOI = "<https://w3id.org/thamquyen/id/unit/province/01>"
HANOI_PHUONG = SPARQL_PREFIXES + f"""
SELECT (COUNT(?u) AS ?n) WHERE {{
  ?u a tq:CommuneUnit ; tq:unitType tq:Phuong ; tq:withinUnit {HANOI} .
  FILTER NOT EXISTS {{ ?u tq:validUntil ?end }}
}}"""
HOAN_KIEM = "<https://w3id.org/thamquyen/id/unit/commune/00070>"
TOKEN = "wrapper-token"


@pytest.fixture(scope="module")
def endpoint(registry):
    with serve(create_app(Settings(), backend=registry)) as base:
        yield base + "/sparql"


def client(endpoint: str, query: str, fmt=JSON, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method != "GET":
        sparql.setMethod(POST)
        if method == "POSTDIRECTLY":
            sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_select_json_answers_how_many_phuong_hanoi_has(endpoint, method):
    result = client(endpoint, HANOI_PHUONG, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["n"]
    assert result["results"]["bindings"][0]["n"]["value"] == "51"


def test_select_xml_csv_tsv(endpoint):
    query = SPARQL_PREFIXES + f"SELECT ?name WHERE {{ {HOAN_KIEM} skos:prefLabel ?name }}"
    xml = client(endpoint, query, XML).queryAndConvert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["Phường Hoàn Kiếm"]
    csv = client(endpoint, query, CSV).queryAndConvert()
    assert csv.decode("utf-8").splitlines() == ["name", "Phường Hoàn Kiếm"]
    tsv = client(endpoint, query, TSV).queryAndConvert()
    assert tsv.decode("utf-8").splitlines()[1].startswith('"Phường Hoàn Kiếm"')


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(endpoint, fmt):
    yes = client(endpoint, SPARQL_PREFIXES + f"ASK {{ {HOAN_KIEM} a tq:CommuneUnit }}", fmt).queryAndConvert()
    no = client(endpoint, SPARQL_PREFIXES + f"ASK {{ {HOAN_KIEM} a tq:ProvinceUnit }}", fmt).queryAndConvert()
    if fmt == JSON:
        assert yes["boolean"] is True and no["boolean"] is False
    else:
        assert [b.firstChild.data for d in (yes, no) for b in d.getElementsByTagName("boolean")] == ["true", "false"]


CONSTRUCT = SPARQL_PREFIXES + f"CONSTRUCT {{ ?u skos:prefLabel ?name }} WHERE {{ ?u tq:withinUnit {HANOI} ; skos:prefLabel ?name }}"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_in_each_rdf_format(endpoint, fmt):
    result = client(endpoint, CONSTRUCT, fmt).queryAndConvert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
        data=result, format="turtle" if fmt == TURTLE else "nt")
    labels = {str(o) for o in graph.objects()}
    assert "Phường Hoàn Kiếm" in labels
    assert len(graph) >= 126  # Hà Nội's 126 current communes, and its legacy units


@pytest.mark.parametrize("fmt", [RDFXML, TURTLE])
def test_describe(endpoint, fmt):
    result = client(endpoint, f"DESCRIBE {HOAN_KIEM}", fmt).queryAndConvert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="turtle")
    subject = rdflib.URIRef(HOAN_KIEM[1:-1])
    assert (subject, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            rdflib.Literal("Phường Hoàn Kiếm", lang="vi")) in graph


def test_named_graphs_per_instrument_with_graph(endpoint):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = client(endpoint, query).queryAndConvert()["results"]["bindings"]
    counts = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    assert counts[UNITS_GRAPH] > 100_000
    decree_140 = instrument_graph("140/2025/NĐ-CP")
    assert counts.get(decree_140, 0) > 0, "Decree 140/2025's assignments are a named graph"
    in_140 = SPARQL_PREFIXES + f"SELECT (COUNT(?a) AS ?n) WHERE {{ GRAPH <{decree_140}> {{ ?a a tq:Assignment }} }}"
    assert int(client(endpoint, in_140).queryAndConvert()["results"]["bindings"][0]["n"]["value"]) > 0


def test_default_graph_uri_restricts_the_default_graph(endpoint):
    sparql = client(endpoint, HANOI_PHUONG)
    sparql.addDefaultGraph(GRAPH + "ontology")
    assert sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "0"
    sparql = client(endpoint, HANOI_PHUONG)
    sparql.addDefaultGraph(UNITS_GRAPH)
    assert sparql.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "51"


def test_syntax_error_reaches_the_client_as_bad_query(endpoint):
    with pytest.raises(QueryBadFormed, match="syntax"):
        client(endpoint, "SELECT * WHERE { ?s ?p ").query()


def test_updates_with_the_bearer_token(empty_store):
    with serve(create_app(Settings(write_token=TOKEN), backend=empty_store)) as base:
        insert = 'INSERT DATA { GRAPH <https://w3id.org/thamquyen/graph/file/wrapper> { <http://e/s> <http://e/p> "ư" } }'
        sparql = client(base + "/sparql", insert, JSON, "POST")
        with pytest.raises(Unauthorized):
            sparql.query()
        sparql.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
        sparql.query()
        answer = client(base + "/sparql", "SELECT ?o WHERE { <http://e/s> <http://e/p> ?o }").queryAndConvert()
        assert answer["results"]["bindings"][0]["o"]["value"] == "ư"
    with serve(create_app(Settings(), backend=empty_store)) as base:
        with pytest.raises(urllib.error.HTTPError) as refused:
            client(base + "/sparql", insert, JSON, "POST").query()
        assert refused.value.code == 403
