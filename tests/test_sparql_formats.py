"""Accept negotiation as a table; result serialisations read back by an independent parser."""

import pyoxigraph as ox
import pytest

from api import sparql_formats as fmt

SOLUTIONS, GRAPH = fmt.SOLUTION_TYPES, fmt.GRAPH_TYPES

# (Accept header, offers, expected media type or None for 406)
NEGOTIATION = [
    (None, SOLUTIONS, "application/sparql-results+json"),
    ("", SOLUTIONS, "application/sparql-results+json"),
    ("*/*", SOLUTIONS, "application/sparql-results+json"),
    ("*", SOLUTIONS, "application/sparql-results+json"),
    ("*/*", GRAPH, "text/turtle"),
    ("application/sparql-results+xml", SOLUTIONS, "application/sparql-results+xml"),
    ("application/json", SOLUTIONS, "application/sparql-results+json"),
    ("application/json", GRAPH, "application/ld+json"),
    ("text/csv", SOLUTIONS, "text/csv"),
    ("text/tab-separated-values; charset=utf-8", SOLUTIONS, "text/tab-separated-values"),
    ("text/*", SOLUTIONS, "text/csv"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.8", SOLUTIONS, "application/sparql-results+xml"),
    ("application/sparql-results+xml, application/sparql-results+json", SOLUTIONS, "application/sparql-results+xml"),
    ("text/csv;q=0, */*;q=0.1", SOLUTIONS, "application/sparql-results+json"),
    ("image/png", SOLUTIONS, None),
    ("text/turtle", SOLUTIONS, None),
    ("application/sparql-results+json", GRAPH, None),
    ("application/rdf+xml", GRAPH, "application/rdf+xml"),
    ("application/n-triples", GRAPH, "application/n-triples"),
    ("text/plain", GRAPH, "application/n-triples"),
    ("application/trig", GRAPH, "application/trig"),
    ("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"", GRAPH, "application/ld+json"),
    # SPARQLWrapper's N3 request: the first type it names that we write wins.
    ("text/rdf+n3,application/n-triples,application/turtle,application/n3,text/n3,text/turtle", GRAPH,
     "application/n-triples"),
    ("application/turtle,text/turtle", GRAPH, "text/turtle"),
    ("garbage, ;;, /x, text/turtle", GRAPH, "text/turtle"),
    ("text/turtle;q=abc", GRAPH, None),
]


@pytest.mark.parametrize("accept, offers, expected", NEGOTIATION)
def test_negotiation(accept, offers, expected):
    chosen = fmt.negotiate(accept, offers)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize("accept, html", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # Chromium
    ("text/html", True),
    ("*/*", False),
    (None, False),
    ("application/sparql-results+json, text/html;q=0.5", False),
])
def test_browsers_get_the_page(accept, html):
    assert fmt.accepts_html(accept) is html


TERMS = [
    ox.NamedNode("http://example.org/a"),
    ox.BlankNode("b0"),
    ox.Literal("Chủ tịch Ủy ban nhân dân", language="vi"),
    ox.Literal('tab\there, "quote", new\nline, comma'),
    ox.Literal("2025-07-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("<xml> & ampersand"),
    None,
]
ROWS = [(t, TERMS[0]) for t in TERMS]


@pytest.mark.parametrize("media", [fmt.SPARQL_JSON, fmt.SPARQL_XML, fmt.SPARQL_TSV])
def test_solutions_read_back_identically(media):
    data = fmt.write_solutions(["x", "y"], ROWS, media)
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_media_type(media.name))
    assert [v.value for v in parsed.variables] == ["x", "y"]
    assert [(s["x"], s["y"]) for s in parsed] == ROWS


def test_csv_is_rfc4180_with_crlf_and_plain_values():
    data = fmt.write_solutions(["x", "y"], ROWS, fmt.SPARQL_CSV).decode()
    lines = data.split("\r\n")
    assert lines[0] == "x,y"
    assert lines[1] == "http://example.org/a,http://example.org/a"
    assert lines[2] == "_:b0,http://example.org/a"
    assert '"tab\there, ""quote"", new\nline, comma"' in data
    assert data.endswith("\r\n")


@pytest.mark.parametrize("media", [fmt.SPARQL_JSON, fmt.SPARQL_XML])
@pytest.mark.parametrize("value", [True, False])
def test_booleans_read_back(media, value):
    data = fmt.write_boolean(value, media)
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.from_media_type(media.name))
    assert bool(parsed) is value


def test_graph_formats_read_back():
    triples = [ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), t) for t in TERMS[2:5]]
    for media in fmt.GRAPH_TYPES:
        data = fmt.write_graph(triples, media)
        parsed = [q.triple for q in ox.parse(data, format=fmt.RDF_FORMATS[media.name])]
        assert sorted(map(str, parsed)) == sorted(map(str, triples)), media.name
