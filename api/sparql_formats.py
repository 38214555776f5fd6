"""Media types of the SPARQL endpoint, Accept negotiation, and the query-result serialisers.

The media-type tables are data: a result kind (solutions, boolean, graph) offers the formats listed
for it, the first being the default. Negotiation is a pure function of the Accept header and an
offer list. SELECT and ASK results are written here (SPARQL 1.1 JSON, XML, CSV and TSV, from the
pyoxigraph terms already collected under the result-size limit); graphs are written by pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
FORMATS = "http://www.w3.org/ns/formats/"


class MediaType(NamedTuple):
    """One format the endpoint writes: its media type, aliases a client may ask for, its W3C IRI."""

    name: str
    aliases: tuple[str, ...]
    format_iri: str
    charset: bool  # whether a "; charset=utf-8" parameter belongs on the Content-Type


SPARQL_JSON = MediaType("application/sparql-results+json", ("application/json",), FORMATS + "SPARQL_Results_JSON", False)
SPARQL_XML = MediaType("application/sparql-results+xml", (), FORMATS + "SPARQL_Results_XML", True)
SPARQL_CSV = MediaType("text/csv", (), FORMATS + "SPARQL_Results_CSV", True)
SPARQL_TSV = MediaType("text/tab-separated-values", (), FORMATS + "SPARQL_Results_TSV", True)
TURTLE = MediaType("text/turtle", ("application/x-turtle", "application/turtle"), FORMATS + "Turtle", True)
N_TRIPLES = MediaType("application/n-triples", ("text/plain",), FORMATS + "N-Triples", True)
JSON_LD = MediaType("application/ld+json", ("application/json",), FORMATS + "JSON-LD", False)
RDF_XML = MediaType("application/rdf+xml", ("application/xml",), FORMATS + "RDF_XML", True)
TRIG = MediaType("application/trig", (), FORMATS + "TriG", True)
N_QUADS = MediaType("application/n-quads", (), FORMATS + "N-Quads", True)
HTML = MediaType("text/html", ("application/xhtml+xml",), "", True)

# What each kind of result can be written as; the first entry is the default for */*.
SOLUTION_TYPES = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
BOOLEAN_TYPES = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
GRAPH_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG)
DATASET_TYPES = (TRIG, N_QUADS)

RDF_FORMATS = {
    TURTLE.name: ox.RdfFormat.TURTLE, N_TRIPLES.name: ox.RdfFormat.N_TRIPLES,
    JSON_LD.name: ox.RdfFormat.JSON_LD, RDF_XML.name: ox.RdfFormat.RDF_XML,
    TRIG.name: ox.RdfFormat.TRIG, N_QUADS.name: ox.RdfFormat.N_QUADS,
}
# Media types accepted in request bodies (Graph Store Protocol uploads), aliases included.
UPLOAD_FORMATS = {alias: RDF_FORMATS[t.name] for t in (*GRAPH_TYPES, N_QUADS) for alias in (t.name, *t.aliases)
                  if alias not in ("text/plain", "application/json", "application/xml")}
UPLOAD_FORMATS["application/json"] = ox.RdfFormat.JSON_LD


def content_type(media: MediaType) -> str:
    """The Content-Type header value for a response in this format."""
    return f"{media.name}; charset=utf-8" if media.charset else media.name


class Range(NamedTuple):
    type: str
    subtype: str
    q: float
    order: int


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header, ignoring malformed entries; no header means */*.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/csv;q=0.5, application/*")]
    [('text', 'csv', 0.5), ('application', '*', 1.0)]
    """
    if header is None or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if media == "*":  # seen in the wild, meaning */*
            media = "*/*"
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(Range(kind, sub, q, order))
    return ranges


def _quality(ranges: Sequence[Range], media: str) -> tuple[float, int, int]:
    """(q, specificity, -order) of the most specific range matching `media`; q = -1 when none does."""
    kind, _, sub = media.partition("/")
    best = (-1.0, -1, 0)
    for r in ranges:
        if r.type == kind and r.subtype == sub:
            specificity = 2
        elif r.type == kind and r.subtype == "*":
            specificity = 1
        elif r.type == "*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (r.q, specificity, -r.order)
    return best


def negotiate(accept: str | None, offers: Sequence[MediaType]) -> MediaType | None:
    """The offer the client prefers (RFC 9110 §12.5.1), or None when it accepts none of them.

    Among equal preferences the earlier offer wins, so */* gets the first (default) format; a
    client that names a type explicitly gets it even if a wildcard has a higher q.

    >>> negotiate("text/csv, */*;q=0.1", SOLUTION_TYPES).name
    'text/csv'
    >>> negotiate("application/json", GRAPH_TYPES).name
    'application/ld+json'
    >>> negotiate("image/png", SOLUTION_TYPES) is None
    True
    """
    ranges = parse_accept(accept)
    best: tuple | None = None
    choice = None
    for index, offer in enumerate(offers):
        for name in (offer.name, *offer.aliases):
            q, specificity, order = _quality(ranges, name)
            if q <= 0:
                continue
            # Exact names outrank aliases and wildcards at equal q; then the client's order; then ours.
            alias_rank = 1 if name == offer.name else 0
            key = (q, specificity, alias_rank, order, -index)
            if best is None or key > best:
                best, choice = key, offer
    return choice


def accepts_html(accept: str | None) -> bool:
    """Whether a browser asks for a page: text/html preferred over every SPARQL format."""
    if not accept:
        return False
    choice = negotiate(accept, (HTML, *SOLUTION_TYPES, *GRAPH_TYPES))
    return choice is HTML and _quality(parse_accept(accept), "text/html")[1] == 2


# --- SELECT / ASK results ---------------------------------------------------------------------

def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term) -> str:
    # N-Triples syntax; oxigraph's str() of a term is exactly that, with \t \n \r escaped in literals.
    return "" if term is None else str(term)


def write_solutions(variables: list[str], rows: list[tuple], media: MediaType) -> bytes:
    """Serialise SELECT results (rows of terms, None where unbound) in one of SOLUTION_TYPES."""
    if media is SPARQL_JSON:
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode()
    if media is SPARQL_XML:
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
        for row in rows:
            out.append("<result>")
            out.extend(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                       for v, t in zip(variables, row) if t is not None)
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if media is SPARQL_CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    if media is SPARQL_TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join(_tsv_term(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"not a format for solutions: {media.name}")


def write_boolean(value: bool, media: MediaType) -> bytes:
    """Serialise an ASK result; CSV and TSV (which the W3C note leaves open) as the bare word."""
    word = "true" if value else "false"
    if media is SPARQL_JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media is SPARQL_XML:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode()
    if media in (SPARQL_CSV, SPARQL_TSV):
        return (word + "\n").encode()
    raise ValueError(f"not a format for a boolean: {media.name}")


def write_graph(triples: list, media: MediaType, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise CONSTRUCT / DESCRIBE triples (or quads, for dataset formats) with pyoxigraph."""
    fmt = RDF_FORMATS[media.name]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) and prefixes:
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
    return ox.serialize(triples, format=fmt)
