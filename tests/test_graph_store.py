"""The Graph Store HTTP Protocol (/rdf-graphs/service, /store): every method needs the write token."""

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings

TOKEN = "gsp-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "https://w3id.org/thamquyen/graph/file/gsp-test"
TURTLE = {"Content-Type": "text/turtle", **AUTH}
DATA = '@prefix e: <http://e/> .\ne:a e:p "một" .\ne:b e:p "hai" .\n'


@pytest.fixture
def client(empty_store):
    return TestClient(create_app(Settings(write_token=TOKEN, max_upload_bytes=10_000), backend=empty_store))


def triples(response) -> set[str]:
    return {str(q.triple) for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}


def test_put_get_post_delete_a_graph(client, empty_store):
    url = "/rdf-graphs/service"
    assert client.get(url, params={"graph": GRAPH}, headers=AUTH).status_code == 404
    assert client.put(url, params={"graph": GRAPH}, content=DATA, headers=TURTLE).status_code == 201
    assert GRAPH in empty_store.graphs() and empty_store.quad_count(GRAPH) == 2
    got = client.get(url, params={"graph": GRAPH}, headers=AUTH)
    assert got.status_code == 200 and got.headers["content-type"] == "text/turtle; charset=utf-8"
    assert '<http://e/a> <http://e/p> "một"' in triples(got)
    assert client.put(url, params={"graph": GRAPH}, content='<http://e/c> <http://e/p> "ba" .',
                      headers={"Content-Type": "application/n-triples", **AUTH}).status_code == 204
    assert empty_store.quad_count(GRAPH) == 1
    assert client.post(url, params={"graph": GRAPH}, content=DATA, headers=TURTLE).status_code == 204
    assert empty_store.quad_count(GRAPH) == 3
    head = client.head(url, params={"graph": GRAPH}, headers=AUTH)
    assert head.status_code == 200 and head.content == b""
    assert client.delete(url, params={"graph": GRAPH}, headers=AUTH).status_code == 204
    assert GRAPH not in empty_store.graphs()
    assert client.delete(url, params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_store_alias_and_content_negotiation(client):
    client.put("/store", params={"graph": GRAPH}, content=DATA, headers=TURTLE)
    for accept in ("application/n-triples", "application/rdf+xml", "application/ld+json"):
        response = client.get("/store", params={"graph": GRAPH}, headers={"Accept": accept, **AUTH})
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert client.get("/store", params={"graph": GRAPH}, headers={"Accept": "image/png", **AUTH}).status_code == 406
    dataset = client.get("/store", headers={"Accept": "application/n-quads", **AUTH})
    assert f"<{GRAPH}>" in dataset.text


def test_post_to_the_service_makes_a_new_graph(client, empty_store):
    response = client.post("/rdf-graphs/service", content=DATA, headers=TURTLE)
    assert response.status_code == 201
    assert response.headers["location"] in empty_store.graphs()
    trig = f"<{GRAPH}> {{ <http://e/x> <http://e/p> 1 }}"
    added = client.post("/rdf-graphs/service", content=trig, headers={"Content-Type": "application/trig", **AUTH})
    assert added.status_code == 204 and GRAPH in empty_store.graphs()


def test_the_token_is_required(empty_store):
    read_only = TestClient(create_app(Settings(), backend=empty_store))
    assert read_only.get("/rdf-graphs/service", params={"graph": GRAPH}).status_code == 403
    assert read_only.put("/rdf-graphs/service", params={"graph": GRAPH}, content=DATA, headers=TURTLE).status_code == 403
    writable = TestClient(create_app(Settings(write_token=TOKEN), backend=empty_store))
    assert writable.put("/rdf-graphs/service", params={"graph": GRAPH}, content=DATA,
                        headers={"Content-Type": "text/turtle"}).status_code == 401
    assert writable.delete("/rdf-graphs/service", params={"graph": GRAPH},
                           headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert empty_store.graphs() == []


@pytest.mark.parametrize("params, body, headers, status, words", [
    ({"graph": GRAPH}, "<http://e/a> <http://e/p> .", TURTLE, 400, "line 1"),
    ({"graph": GRAPH}, DATA, {"Content-Type": "text/csv", **AUTH}, 415, "unsupported"),
    ({"graph": "not an iri"}, DATA, TURTLE, 400, "IRI"),
    ({"graph": GRAPH, "default": ""}, DATA, TURTLE, 400, "not both"),
    ({}, DATA, TURTLE, 400, "PUT needs"),
    ({"graph": GRAPH}, "#" * 20_000, TURTLE, 413, "limit"),
    ({"graph": GRAPH}, f"<{GRAPH}2> {{ <http://e/a> <http://e/p> 1 }}", {"Content-Type": "application/trig", **AUTH},
     400, "named graphs"),
])
def test_bad_puts_change_nothing(client, empty_store, params, body, headers, status, words):
    response = client.put("/rdf-graphs/service", params=params, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert words in response.text
    assert empty_store.graphs() == []
