"""SERVICE and LOAD are found wherever the SPARQL engine would see them, and nowhere else."""

import pytest

from registry.sparql_guard import RemoteAccessRefused, check_remote_access, references
from registry.sparql_text import has_dataset_clause, query_form

EVIL = "http://evil.example/sparql"

# (query, endpoints the engine would reach: None for a variable)
QUERIES = [
    ("SELECT * { ?s ?p ?o }", []),
    (f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    (f"select * {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    (f"SELECT * {{ ?s ?p ?o .SERVICE<{EVIL}>{{}} }}", [EVIL]),
    (f"PREFIX e: <http://evil.example/> SELECT * {{ SERVICE e:sparql {{ ?s ?p ?o }} }}", [EVIL]),
    (f"BASE <http://evil.example/> SELECT * {{ SERVICE <sparql> {{ ?s ?p ?o }} }}", [EVIL]),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", [None]),
    (f"SELECT * {{ {{ SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }} }}", [EVIL]),
    (f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }}", [EVIL]),
    (f"SELECT * {{ OPTIONAL {{ SERVICE <{EVIL}> {{}} }} }}", [EVIL]),
    # Codepoint escapes are undone before parsing (SPARQL 1.1 §19.2).
    (rf"SELECT * {{ \u0053ERVICE <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    # `<?b)SERVICE?v#>` looks like one IRI, but the engine reads a comparison, then SERVICE.
    ("SELECT * { ?a ?p ?b FILTER(?a<?b)SERVICE?v#>\n{ ?x ?y ?z } }", [None]),
    (f"SELECT * {{ SERVICE <{EVIL}/service> {{}} }}", [f"{EVIL}/service"]),
    # Not SERVICE: inside strings, comments, IRIs, variable and prefixed names, language tags.
    (f'SELECT * {{ ?s ?p "SERVICE <{EVIL}> {{}}" }}', []),
    (f"SELECT * {{ ?s ?p '''\nSERVICE <{EVIL}> {{}}''' }}", []),
    (f"SELECT * {{ ?s ?p ?o }} # SERVICE <{EVIL}> {{}}", []),
    ("SELECT ?service { ?s ex:service ?service ; service:x ?o }", []),
    ("SELECT * { ?s ?p <http://purl.org/dc/dcmitype/Service> }", []),
    ("SELECT * { ?s ?p ( \"x\"@service <http://e/> ) }", []),
]


@pytest.mark.parametrize("query, endpoints", QUERIES)
def test_service_endpoints_are_found_as_the_engine_reads_them(query, endpoints):
    assert sorted(r.endpoint or "" for r in references(query)) == sorted(e or "" for e in endpoints)


@pytest.mark.parametrize("update, endpoints", [
    ("LOAD <http://evil.example/data.ttl>", ["http://evil.example/data.ttl"]),
    ("load silent <http://evil.example/data.ttl> INTO GRAPH <http://g>", ["http://evil.example/data.ttl"]),
    (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", [EVIL]),
    ('INSERT DATA { <http://s> <http://p> "LOAD <http://evil.example/>" }', []),
    ("DROP GRAPH <http://example.org/load>", []),
])
def test_load_and_service_in_updates(update, endpoints):
    assert sorted(r.endpoint or "" for r in references(update, update=True)) == sorted(endpoints)


def test_allowed_endpoint_passes_and_others_are_refused_with_a_clear_message():
    check_remote_access(f"SELECT * {{ SERVICE <{EVIL}> {{}} }}", [EVIL])
    with pytest.raises(RemoteAccessRefused, match="SERVICE <http://other/> is not allowed: allowed endpoints"):
        check_remote_access(f"SELECT * {{ SERVICE <{EVIL}> {{}} SERVICE <http://other/> {{}} }}", [EVIL])
    with pytest.raises(RemoteAccessRefused, match="variable endpoint"):
        check_remote_access("SELECT * { SERVICE ?x {} }", [EVIL])
    with pytest.raises(RemoteAccessRefused, match="does not fetch documents"):
        check_remote_access("LOAD <http://data/x.ttl>", [], update=True)


def test_a_query_rdflib_cannot_parse_is_still_read_by_the_lexer():
    # RDF 1.2 triple terms are beyond rdflib's parser; the SERVICE is still seen.
    query = f"SELECT * {{ ?s ?p <<( ?a ?b ?c )>> . SERVICE <{EVIL}> {{ ?x ?y ?z }} }}"
    assert [r.endpoint for r in references(query)] == [EVIL]


@pytest.mark.parametrize("text, form", [
    ("SELECT * {}", "SELECT"),
    ("PREFIX ask: <http://e/> CONSTRUCT WHERE { ?s ask:p ?o }", "CONSTRUCT"),
    ("# DESCRIBE\nASK { ?s ?p 'SELECT' }", "ASK"),
    ("DESCRIBE <http://e/x>", "DESCRIBE"),
    ("DELETE WHERE { ?s ?p ?o }", None),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } }", None),
    ("", None),
])
def test_query_form(text, form):
    assert query_form(text) == form


def test_dataset_clause():
    assert has_dataset_clause("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }")
    assert not has_dataset_clause("SELECT ?from { ?s <http://e/from> ?from } # FROM")
