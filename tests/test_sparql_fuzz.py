"""Nothing a client sends makes the endpoint fail with a 5xx: schemathesis against the OpenAPI
document (bounded examples), and malformed bodies of every accepted media type."""

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings, strategies as st

from api.main import create_app
from api.settings import Settings
from registry.store import OxigraphBackend

schemathesis = pytest.importorskip("schemathesis")

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RAW_TYPES = ("application/sparql-query", "application/sparql-update", "application/n-triples",
             "application/trig", "application/n-quads", "application/rdf+xml", "application/x-turtle",
             "application/turtle")
for media_type in RAW_TYPES:
    schemathesis.serializer.alias(media_type, "text/plain")


def fuzz_app():
    store = OxigraphBackend(None)
    store.store.load(b'<http://e/g> { <http://e/a> <http://e/p> "x"@vi . }', format=ox.RdfFormat.TRIG)
    # Short limits keep every generated request quick; 503 (time limit) is an answer, not a crash.
    return create_app(Settings(write_token=TOKEN, query_timeout_s=2, max_results=1000, max_body_bytes=100_000,
                               max_upload_bytes=100_000), backend=store)


APP = fuzz_app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(
    path_regex="^/(sparql|rdf-graphs|query)")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_from_the_openapi_document_is_a_server_error(case):
    response = case.call(headers={**AUTH, **(case.headers or {})})
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.text)


CLIENT = TestClient(APP, raise_server_exceptions=False)
BODY_TYPES = ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
              "application/sparql-query; charset=latin-1", "multipart/form-data", "")
NASTY = [
    b"", b"\x00\xff\xfe", b"query=", b"update=", b"query=%", b"query=%zz&query=ASK{}", b"&&&==&",
    "query=SELECT * { ?s ?p ?o } ORDER BY (1/0)".encode(), b"SELECT * { BIND(<<( ?a ?b ?c )>> AS ?t) }",
    b"SELECT (STRLEN(REPEAT('x', 100000)) AS ?n) {}", b"ASK { FILTER(REGEX('a', '(((')) }",
    b"SELECT * { ?s ?p ?o } LIMIT 99999999999999999999999", b"DESCRIBE ?x", b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    b"INSERT DATA { GRAPH <http://e/g> { <http://e/b> <http://e/p> 1 } }", b"DROP ALL ; DROP ALL",
    b"CREATE GRAPH <http://e/g>", b"LOAD <file:///etc/passwd>", b"SELECT * { SERVICE <file:///etc/passwd> {} }",
    b"BASE <rel> SELECT * { <x> ?p ?o }", b"PREFIX : <http://e/> SELECT * { :a :p+ ?o }",
    b"SELECT * { ?s ?p ?o } GROUP BY ?nope", b"SELECT ?x { VALUES ?x { 1 2 } } ORDER BY DESC(?x) OFFSET -1",
    ("SELECT * { " + "{ " * 2000 + "}" * 2000 + " }").encode(), ("query=" + "(" * 5000).encode(),
]


@pytest.mark.parametrize("body", NASTY)
@pytest.mark.parametrize("media", BODY_TYPES)
def test_malformed_bodies_are_answered_not_crashed_on(media, body):
    headers = {**AUTH, "Content-Type": media} if media else AUTH
    response = CLIENT.post("/sparql", content=body, headers=headers)
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.text)


ACCEPT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40) | st.sampled_from(
    ["text/csv;q=0.5, */*;q=0", "application/*", "*/*;q=x", "text/turtle", "image/png", ",,,;"])


@given(body=st.binary(max_size=300), media=st.sampled_from(BODY_TYPES), accept=ACCEPT)
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_random_bytes_and_accept_headers(body, media, accept):
    headers = {**AUTH, "Content-Type": media, "Accept": accept}
    response = CLIENT.post("/sparql", content=body, headers=headers)
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.text)
    query = CLIENT.get("/sparql", params={"query": body.decode("utf-8", "replace")}, headers={"Accept": headers["Accept"]})
    assert query.status_code < 500 or query.status_code == 503


@given(body=st.binary(max_size=300), media=st.sampled_from(("text/turtle", "application/trig", "application/ld+json",
                                                            "application/rdf+xml", "application/n-quads")))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_random_graph_store_payloads(body, media):
    for method in ("PUT", "POST"):
        response = CLIENT.request(method, "/rdf-graphs/service", params={"graph": "http://e/fuzz"}, content=body,
                                  headers={**AUTH, "Content-Type": media})
        assert response.status_code < 500, (method, response.status_code, response.text)
