"""SparqlServerBackend against a real Oxigraph server started here: SPARQL only, and with the
Graph Store Protocol in batches; terms round-trip, failures are reported, partial writes undone."""

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from registry.errors import UsageError
from registry.remote import ServerConfig, SparqlServerBackend, SparqlServerError, _valid_json_bnodes
from registry.store import open_store
from sparql_servers import available, start

pytestmark = pytest.mark.skipif(not available("oxigraph-server"), reason="needs `oxigraph` (pip install oxigraph)")

G1 = "https://w3id.org/thamquyen/graph/file/one"
G2 = "https://w3id.org/thamquyen/graph/file/two"
S, P = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
OBJECTS = [ox.Literal("Ủy ban nhân dân", language="vi"), ox.Literal("2025-07-01", datatype=ox.NamedNode(
    "http://www.w3.org/2001/XMLSchema#date")), ox.Literal('quote " and \\ and\nnewline'), ox.NamedNode("http://e/o")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start("oxigraph-server", tmp_path_factory.mktemp("oxigraph-server"))
    yield running
    running.stop()


def emptied(server, mode: str) -> SparqlServerBackend:
    env = dict(server.env)
    if mode == "graph-store":
        env["THAMQUYEN_SPARQL_STORE"] = env["THAMQUYEN_SPARQL_QUERY"].replace("/query", "/store")
        env["THAMQUYEN_SPARQL_BATCH"] = "2"
    backend = SparqlServerBackend.from_environment(env)
    backend.replace_graphs([], backend.graphs())
    return backend


@pytest.fixture(params=["sparql", "graph-store"])
def backend(request, server):
    return emptied(server, request.param)


def quads(graph: str, objects=OBJECTS) -> list[ox.Quad]:
    return [ox.Quad(S, P, o, ox.NamedNode(graph)) for o in objects]


def test_replace_graphs_counts_and_terms_round_trip(backend):
    backend.replace_graphs(quads(G1) + quads(G2)[:1], [G1, G2])
    assert backend.graphs() == [G1, G2]
    assert backend.quad_count() == 5 and backend.quad_count(G1) == 4
    names, rows = backend.select(f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert names == ["o"] and sorted(map(str, (r[0] for r in rows))) == sorted(map(str, OBJECTS))
    backend.replace_graphs(quads(G1, OBJECTS[:1]), [G1])  # replaces G1, keeps G2
    assert backend.quad_count(G1) == 1 and backend.quad_count(G2) == 1
    backend.replace_graphs(quads(G2, OBJECTS[3:]), [])  # adds to G2
    assert backend.quad_count(G2) == 2
    dumped = list(ox.parse(backend.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS))
    assert len(dumped) == 3


def test_ask_construct_update_and_datasets(backend):
    backend.replace_graphs(quads(G1) + quads(G2, OBJECTS[:1]), [G1, G2])
    assert backend.ask("ASK { <http://e/s> ?p ?o }")
    assert not backend.ask("ASK { <http://e/nobody> ?p ?o }")
    assert len(backend.construct("CONSTRUCT WHERE { ?s ?p ?o }")) == 4  # the union, duplicates merged
    backend.update(f"DROP GRAPH <{G2}>")
    assert backend.graphs() == [G1]
    only_g1 = backend.raw_query("SELECT ?o WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(G1)])
    assert len(list(only_g1)) == 4


def test_errors_are_reported_as_registry_errors(backend, server):
    with pytest.raises(SyntaxError, match="error at 1:"):
        backend.select("SELECT * WHERE { ?s ")
    with pytest.raises(SyntaxError, match="not a SPARQL query"):
        backend.raw_query("INSERT DATA { <http://a> <http://b> <http://c> }")
    gone = SparqlServerBackend(ServerConfig(query_url="http://127.0.0.1:9/query"))
    with pytest.raises(SparqlServerError, match="cannot reach"):
        gone.graphs()
    with pytest.raises(UsageError, match="THAMQUYEN_SPARQL_QUERY"):
        ServerConfig.from_environment({})


def test_a_failed_multi_request_replace_puts_the_graphs_back(server):
    backend = emptied(server, "graph-store")  # with SPARQL only, one request: the server's transaction
    backend.replace_graphs(quads(G1) + quads(G2), [G1, G2])
    before = sorted(backend.dump(ox.RdfFormat.N_QUADS).splitlines())

    class Failing(SparqlServerBackend):
        def _put_graph(self, graph, new_quads):
            if graph == G2 and new_quads and new_quads[0].object == OBJECTS[1]:
                raise SparqlServerError("the server fell over")
            super()._put_graph(graph, new_quads)

    failing = Failing(backend.config)
    with pytest.raises(SparqlServerError, match="fell over"):
        failing.replace_graphs(quads(G1, OBJECTS[1:2]) + quads(G2, OBJECTS[1:2]), [G1, G2])
    assert sorted(backend.dump(ox.RdfFormat.N_QUADS).splitlines()) == before


def test_open_store_uses_the_server_named_in_the_environment(server, monkeypatch):
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    store = open_store()
    assert isinstance(store, SparqlServerBackend)
    assert store.config.query_url == server.env["THAMQUYEN_SPARQL_QUERY"]


def test_the_endpoint_answers_over_a_server_backend(backend):
    backend.replace_graphs(quads(G1), [G1])
    client = TestClient(create_app(Settings(), backend=backend))
    response = client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"},
                          headers={"Accept": "text/csv"})
    assert response.status_code == 200 and "Ủy ban nhân dân" in response.text
    bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s "})
    assert bad.status_code == 400 and "syntax error" in bad.text
    offline = TestClient(create_app(Settings(), backend=SparqlServerBackend(ServerConfig("http://127.0.0.1:9/query"))))
    assert offline.get("/sparql", params={"query": "ASK {}"}).status_code == 502


def test_virtuoso_blank_node_labels_are_made_valid():
    virtuoso = {"head": {"vars": ["o"]}, "results": {"bindings": [
        {"o": {"type": "bnode", "value": "nodeID://b10003"}}, {"o": {"type": "bnode", "value": "nodeID://b10003"}},
        {"o": {"type": "bnode", "value": "b1"}}]}}
    fixed = ox.parse_query_results(_valid_json_bnodes(json.dumps(virtuoso).encode()), format=ox.QueryResultsFormat.JSON)
    labels = [s["o"].value for s in fixed]
    assert labels[0] == labels[1] != "nodeID://b10003" and labels[2] == "b1"
