"""The /sparql endpoint against the SPARQL 1.1 Protocol: operations, dataset, status codes, limits."""

import time
import urllib.parse

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from registry.store import OxigraphBackend

G1 = "https://w3id.org/thamquyen/graph/140-2025-nd-cp"
G2 = "https://w3id.org/thamquyen/graph/151-2025-nd-cp"
TOKEN = "s3cret-token"
DATA = f"""
<{G1}> {{ <http://e/a1> <http://e/holder> "Chủ tịch Ủy ban nhân dân cấp xã"@vi . }}
<{G2}> {{ <http://e/a2> <http://e/holder> "Ủy ban nhân dân cấp tỉnh"@vi . }}
<http://e/default> <http://e/p> "in the default graph" .
"""


def small_store() -> OxigraphBackend:
    backend = OxigraphBackend(None)
    backend.store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    return backend


@pytest.fixture
def store():
    return small_store()


@pytest.fixture
def client(store):
    return TestClient(create_app(Settings(), backend=store))


@pytest.fixture
def writer(store):
    return TestClient(create_app(Settings(write_token=TOKEN), backend=store))


AUTH = {"Authorization": f"Bearer {TOKEN}"}
SELECT_ALL = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"


def subjects(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [b["s"]["value"] for b in response.json()["results"]["bindings"]]


# --- the three ways to send a query ------------------------------------------------------------

def test_get_urlencoded_post_and_direct_post_give_the_same_answer(client):
    get = client.get("/sparql", params={"query": SELECT_ALL})
    form = client.post("/sparql", data={"query": SELECT_ALL})
    direct = client.post("/sparql", content=SELECT_ALL.encode(), headers={"Content-Type": "application/sparql-query"})
    assert subjects(get) == subjects(form) == subjects(direct) == ["http://e/a1", "http://e/a2", "http://e/default"]
    assert get.headers["content-type"] == "application/sparql-results+json"
    assert get.headers["vary"] == "Accept"


def test_charset_parameters_and_utf8(client):
    query = 'SELECT ?s WHERE { ?s ?p "Chủ tịch Ủy ban nhân dân cấp xã"@vi }'
    form = client.post("/sparql", content=urllib.parse.urlencode({"query": query}).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    direct = client.post("/sparql", content=query.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    assert subjects(form) == subjects(direct) == ["http://e/a1"]
    csv = client.get("/sparql", params={"query": "SELECT ?o { ?s ?p ?o } ORDER BY ?o"}, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "Chủ tịch Ủy ban nhân dân cấp xã" in csv.content.decode("utf-8")


def test_named_graph_per_instrument_is_queryable_with_graph(client):
    response = client.get("/sparql", params={"query": f"SELECT ?s WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}"})
    assert subjects(response) == ["http://e/a1"]
    graphs = client.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"})
    assert [b["g"]["value"] for b in graphs.json()["results"]["bindings"]] == [G1, G2]


# --- the RDF dataset -----------------------------------------------------------------------------

def test_default_graph_uri_and_named_graph_uri(client):
    only_g1 = client.get("/sparql", params={"query": SELECT_ALL, "default-graph-uri": G1})
    assert subjects(only_g1) == ["http://e/a1"]
    merged = client.get("/sparql", params={"query": SELECT_ALL, "default-graph-uri": [G1, G2]})
    assert subjects(merged) == ["http://e/a1", "http://e/a2"]
    named = client.get("/sparql", params={"query": "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": G2})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [G2]
    # named-graph-uri alone: the default graph is empty (SPARQL 1.1 Query §13.2).
    assert subjects(client.get("/sparql", params={"query": SELECT_ALL, "named-graph-uri": G2})) == []


def test_protocol_dataset_overrides_from_and_from_is_honoured(client):
    from_g2 = f"SELECT ?s FROM <{G2}> WHERE {{ ?s ?p ?o }}"
    assert subjects(client.get("/sparql", params={"query": from_g2})) == ["http://e/a2"]
    assert subjects(client.get("/sparql", params={"query": from_g2, "default-graph-uri": G1})) == ["http://e/a1"]
    form = client.post("/sparql", data={"query": SELECT_ALL, "default-graph-uri": G2})
    assert subjects(form) == ["http://e/a2"]
    direct = client.post(f"/sparql?default-graph-uri={urllib.parse.quote(G1)}", content=SELECT_ALL,
                         headers={"Content-Type": "application/sparql-query"})
    assert subjects(direct) == ["http://e/a1"]


def test_bad_graph_iri_is_400(client):
    response = client.get("/sparql", params={"query": SELECT_ALL, "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "default-graph-uri" in response.text


# --- formats -------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
])
def test_select_and_ask_formats(client, accept, media):
    select = client.get("/sparql", params={"query": SELECT_ALL}, headers={"Accept": accept})
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept})
    assert select.status_code == ask.status_code == 200
    assert select.headers["content-type"] == ask.headers["content-type"] == media
    assert "true" in ask.text


@pytest.mark.parametrize("accept, rdf_format", [
    ("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", ox.RdfFormat.TRIG),
])
def test_construct_and_describe_formats(client, accept, rdf_format):
    for query in ("CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://e/a1>"):
        response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        triples = list(ox.parse(response.content, format=rdf_format))
        assert ox.NamedNode("http://e/a1") in {q.subject for q in triples}


def test_unacceptable_format_is_406_before_running(client):
    response = client.get("/sparql", params={"query": SELECT_ALL}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "image/png"})
    assert response.status_code == 406


# --- errors --------------------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parsers_message_and_position(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("SPARQL syntax error: error at 1:24")


@pytest.mark.parametrize("request_kwargs, status, words", [
    ({"method": "GET", "url": "/sparql?query=ASK{}&query=ASK{}"}, 400, "exactly one query"),
    ({"method": "GET", "url": "/sparql?update=CLEAR+ALL"}, 400, "POST"),
    ({"method": "POST", "url": "/sparql", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
    ({"method": "POST", "url": "/sparql", "content": "ASK {}"}, 415, "Content-Type"),
    ({"method": "POST", "url": "/sparql", "data": {"nothing": "here"}}, 400, "no query"),
    ({"method": "POST", "url": "/sparql", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "not both"),
    ({"method": "POST", "url": "/sparql?query=ASK{}", "content": "ASK {}",
      "headers": {"Content-Type": "application/sparql-query"}}, 400, "body"),
    ({"method": "POST", "url": "/sparql", "content": b"ASK { ?s ?p '\xff' }",
      "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
    ({"method": "POST", "url": "/sparql", "content": b"query=%FF",
      "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, "UTF-8"),
    ({"method": "POST", "url": "/sparql", "content": "ASK {}",
      "headers": {"Content-Type": "application/sparql-query; charset=klingon"}}, 415, "charset"),
    ({"method": "GET", "url": "/sparql?query=INSERT+DATA+{<http://a>+<http://b>+<http://c>}"}, 400, "syntax"),
])
def test_malformed_requests(client, request_kwargs, status, words):
    response = client.request(**request_kwargs)
    assert response.status_code == status, response.text
    assert words.lower() in response.text.lower()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_body_over_the_limit_is_413(store):
    client = TestClient(create_app(Settings(max_body_bytes=1000), backend=store))
    big = "ASK { ?s ?p ?o } " + "#" * 2000
    assert client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    ok = client.post("/sparql", content="ASK { ?s ?p ?o }", headers={"Content-Type": "application/sparql-query"})
    assert ok.status_code == 200


def test_service_is_refused_unless_allowed(store):
    query = "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = TestClient(create_app(Settings(), backend=store)).get("/sparql", params={"query": query})
    assert refused.status_code == 400
    assert "SERVICE <http://127.0.0.1:9/sparql> is not allowed" in refused.text
    hidden = TestClient(create_app(Settings(), backend=store)).get(
        "/sparql", params={"query": r"SELECT * { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert hidden.status_code == 400
    # With the endpoint on the allow-list the query is sent (and here fails: nothing listens there).
    allowed = TestClient(create_app(Settings(service_allow_list=("http://127.0.0.1:9/sparql",)), backend=store),
                         raise_server_exceptions=False)
    assert "not allowed" not in allowed.get("/sparql", params={"query": query}).text


# --- limits --------------------------------------------------------------------------------------

def test_result_size_limit(store):
    client = TestClient(create_app(Settings(max_results=2), backend=store))
    too_many = client.get("/sparql", params={"query": SELECT_ALL})
    assert too_many.status_code == 400
    assert "more than 2" in too_many.text and "LIMIT" in too_many.text
    assert client.get("/sparql", params={"query": SELECT_ALL + " LIMIT 2"}).status_code == 200
    assert client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}).status_code == 400


def heavy_store(n: int = 400) -> OxigraphBackend:
    backend = OxigraphBackend(None)
    backend.store.extend(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)))
                         for i in range(n))
    return backend


# 400³ = 64 million solutions, produced one by one: stopped between two of them.
CUBE = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


def test_time_limit_answers_503_and_stops_the_worker():
    app = create_app(Settings(query_timeout_s=0.5, max_results=10**9, query_workers=1), backend=heavy_store())
    client = TestClient(app)
    started = time.monotonic()
    response = client.get("/sparql", params={"query": CUBE})
    assert response.status_code == 503
    assert "time limit of 0.5 s" in response.text
    assert time.monotonic() - started < 5
    # The one worker gave up its slot: the next query runs.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        if ok.status_code == 200:
            break
    assert ok.status_code == 200


# --- the service description and the page ----------------------------------------------------

def test_get_without_query_is_a_service_description(client):
    response = client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)]
    by_predicate = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, set()).add(t.object)
    assert ox.NamedNode(sd + "Service") in by_predicate["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
    assert by_predicate[sd + "endpoint"] == {ox.NamedNode("http://testserver/sparql")}
    assert by_predicate[sd + "supportedLanguage"] == {ox.NamedNode(sd + "SPARQL11Query")}
    assert ox.NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in by_predicate[sd + "resultFormat"]
    assert {ox.NamedNode(G1), ox.NamedNode(G2)} <= by_predicate[sd + "name"]
    as_xml = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert as_xml.headers["content-type"].startswith("application/rdf+xml")


def test_update_language_is_described_when_writes_are_enabled(writer):
    assert "SPARQL11Update" in writer.get("/sparql").text


def test_browser_gets_the_query_page(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/sparql", headers={"Accept": accept})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "yasgui.min.js" in page.text
    assert client.get("/query").text == page.text
    assert client.get("/static/yasgui/yasgui.min.js").status_code == 200
    assert client.get("/static/yasgui/LICENSE").status_code == 200


# --- updates -------------------------------------------------------------------------------------

INSERT = 'INSERT DATA { GRAPH <http://e/new> { <http://e/x> <http://e/p> "x" } }'


def test_updates_are_refused_without_a_configured_token(client, store):
    for headers in ({}, AUTH):
        response = client.post("/sparql", data={"update": INSERT}, headers=headers)
        assert response.status_code == 403
        assert "read-only" in response.text
    assert "http://e/new" not in store.graphs()


def test_updates_need_the_bearer_token(writer, store):
    missing = writer.post("/sparql", data={"update": INSERT})
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = writer.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and 'error="invalid_token"' in wrong.headers["www-authenticate"]
    assert "http://e/new" not in store.graphs()
    form = writer.post("/sparql", data={"update": INSERT}, headers=AUTH)
    assert form.status_code == 204
    direct = writer.post("/sparql", content="DROP GRAPH <http://e/new>",
                         headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert direct.status_code == 204
    assert "http://e/new" not in store.graphs()


def test_an_update_is_atomic(writer, store):
    before = store.quad_count()
    response = writer.post("/sparql", data={"update": INSERT + " ; DROP GRAPH <http://e/missing>"}, headers=AUTH)
    assert response.status_code == 400 and "nothing was changed" in response.text
    assert store.quad_count() == before


def test_load_and_service_in_updates_are_refused(writer):
    for update in ("LOAD <http://127.0.0.1:9/data.ttl>",
                   "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"):
        response = writer.post("/sparql", data={"update": update}, headers=AUTH)
        assert response.status_code == 400 and "not allowed" in response.text


def test_update_syntax_error_and_unsupported_using_parameters(writer):
    bad = writer.post("/sparql", data={"update": "INSERT DATA { <a> "}, headers=AUTH)
    assert bad.status_code == 400 and "syntax error" in bad.text
    using = writer.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }", "using-graph-uri": G1}, headers=AUTH)
    assert using.status_code == 400 and "USING" in using.text
