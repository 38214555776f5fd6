"""Small facts about SPARQL text that several layers need: its query form, missing prefixes, and
the SERVICE / LOAD / FROM keywords it uses — read by one left-to-right lexer, so that keywords inside
strings, IRIs and comments are never taken for keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urljoin

_PNC = r"\w\u00B7\u0300-\u036F\u203F\u2040"  # name characters (PN_CHARS, loosely)
_PN = rf"[{_PNC}]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\n\r]*)"
    r"|(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    rf"|(?P<var>[?$]{_PN}+)"
    rf"|(?P<bnode>_:{_PN}(?:[{_PNC}.-]*[{_PNC}-])?)"
    rf"|(?P<pname>(?:[^\W\d_](?:[{_PNC}.-]*[{_PNC}-])?)?:(?:(?:[{_PNC}:]|{_PLX})(?:(?:[{_PNC}.:-]|{_PLX})*(?:[{_PNC}:-]|{_PLX}))?)?)"
    r"|(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    r"|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[^\W\d]\w*)"
    r"|(?P<punct>.)",
    re.S,
)
_GUARDED_WORDS = re.compile(r"\b(?:SERVICE|LOAD)\b", re.I)
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class Token(NamedTuple):
    kind: str  # space, comment, string, iri, var, bnode, pname, langtag, number, word, punct
    text: str
    start: int


def tokens(text: str, *, cautious: bool = False) -> Iterator[Token]:
    """Lex SPARQL text left to right; every character belongs to exactly one token.

    `cautious` (for the safety checks): an "IRI" that contains the word SERVICE or LOAD is read as a
    less-than sign and what follows it, since `?a<?b)SERVICE?v#>` is a comparison and then SERVICE.

    >>> [t.kind for t in tokens('SELECT ?s { ?s ex:p "a # b" } # end')]
    ['word', 'space', 'var', 'space', 'punct', 'space', 'var', 'space', 'pname', 'space', 'string', 'space', 'punct', 'space', 'comment']
    """
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        kind = match.lastgroup
        if cautious and kind == "iri" and _GUARDED_WORDS.search(match.group()):
            yield Token("punct", "<", position)
            position += 1
            continue
        yield Token(kind, match.group(), position)
        position = match.end()


def significant(text: str, *, cautious: bool = False) -> list[Token]:
    """The tokens that are not white space or comments."""
    return [t for t in tokens(text, cautious=cautious) if t.kind not in ("space", "comment")]


def unescape_codepoints(text: str) -> str:
    r"""Replace \u (4 hex digits) and \U (8 hex digits) escapes, as SPARQL 1.1 §19.2 allows anywhere in a query.

    >>> unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def replace(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _CODEPOINT_ESCAPE.sub(replace, text)


def _code_only(query: str) -> str:
    """The query with strings, IRIs and comments blanked out, so keywords inside them are not seen."""
    blank = {"string": '""', "iri": "<>", "comment": ""}
    return "".join(blank.get(t.kind, t.text) for t in tokens(query))


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None when the text is not a query (e.g. an update).

    >>> query_form('PREFIX ex: <http://ex/select#> # ASK?\\nselect * { ?s ?p "CONSTRUCT" }')
    'SELECT'
    >>> query_form('PREFIX ask: <http://ex/> DESCRIBE ask:x')
    'DESCRIBE'
    >>> query_form('INSERT { ?s a ?o } WHERE { SELECT ?s ?o { ?s ?p ?o } }') is None
    True
    """
    for token in significant(query):
        if token.kind == "word":
            word = token.text.upper()
            if word in _QUERY_FORMS:
                return word
            if word in _UPDATE_WORDS:
                return None
    return None


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset with FROM / FROM NAMED.

    >>> has_dataset_clause('SELECT ?from FROM <http://g> { ?s ex:from ?from }')
    True
    >>> has_dataset_clause('SELECT * { ?s ?p "FROM" } # FROM')
    False
    """
    return any(t.kind == "word" and t.text.upper() == "FROM" for t in significant(query))


def dataset_iris(query: str) -> tuple[list[str], list[str]]:
    """The IRIs of the query's FROM and FROM NAMED clauses (prefixed names expanded).

    >>> dataset_iris('PREFIX g: <http://g/> SELECT * FROM <http://g/a> FROM NAMED g:b { ?s ?p ?o }')
    (['http://g/a'], ['http://g/b'])
    """
    sig = significant(query)
    prefixes, base = _declarations(sig)
    defaults: list[str] = []
    named: list[str] = []
    for i, token in enumerate(sig):
        if token.kind != "word" or token.text.upper() != "FROM":
            continue
        j = i + 1
        target = named if j < len(sig) and sig[j].kind == "word" and sig[j].text.upper() == "NAMED" else defaults
        j += target is named
        iri = _endpoint(query, sig[j], prefixes, base) if j < len(sig) and sig[j].kind in ("iri", "pname") else None
        if iri:
            target.append(iri)
    return defaults, named


def _declarations(sig: list[Token]) -> tuple[dict[str, str], str]:
    """The PREFIX map and the (last) BASE of a token list."""
    prefixes: dict[str, str] = {}
    base = ""
    for _, _, prefixes, base in _words_with_declarations(sig):
        pass
    return prefixes, base


def _words_with_declarations(sig: list[Token]) -> Iterator[tuple[int, str, dict[str, str], str]]:
    """Each word of a token list (index, upper-cased), with the PREFIX map and BASE in force there."""
    prefixes: dict[str, str] = {}
    base = ""
    for i, token in enumerate(sig):
        if token.kind != "word":
            continue
        word = token.text.upper()
        nxt = sig[i + 1] if i + 1 < len(sig) else None
        if word == "BASE" and nxt is not None and nxt.kind == "iri":
            base = urljoin(base, nxt.text[1:-1])
        elif word == "PREFIX" and nxt is not None and nxt.kind == "pname" and i + 2 < len(sig) \
                and sig[i + 2].kind == "iri":
            prefixes[nxt.text[:-1]] = urljoin(base, sig[i + 2].text[1:-1])
        yield i, word, prefixes, base


class RemoteReference(NamedTuple):
    """A SERVICE or LOAD in the text: the keyword, and the endpoint IRI (None when a variable)."""

    keyword: str
    endpoint: str | None


def remote_references(text: str) -> list[RemoteReference]:
    """Every SERVICE and LOAD keyword of a query or update, with the endpoint it would reach.

    Prefixed names are expanded with the text's PREFIX declarations and relative IRIs resolved
    against its BASE; an endpoint given by a variable is reported as None.

    >>> remote_references('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:sparql { ?s ?p "SERVICE <x>" } }')
    [RemoteReference(keyword='SERVICE', endpoint='http://e.org/sparql')]
    >>> remote_references('SELECT ?service { ?s ex:service ?service } # SERVICE <http://x>')
    []
    >>> remote_references('LOAD <http://data/x.ttl> INTO GRAPH <g> ; SELECT * { SERVICE ?where {} }')
    [RemoteReference(keyword='LOAD', endpoint='http://data/x.ttl'), RemoteReference(keyword='SERVICE', endpoint=None)]
    """
    sig = significant(text, cautious=True)
    found: list[RemoteReference] = []
    for i, word, prefixes, base in _words_with_declarations(sig):
        if word in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(sig) and sig[j].kind == "word" and sig[j].text.upper() == "SILENT":
                j += 1
            target = sig[j] if j < len(sig) else None
            if target is None or target.kind in ("var", "iri", "pname") or target.text == "<":
                found.append(RemoteReference(word, _endpoint(text, target, prefixes, base)))
            # anything else after the word (`…/Service>`) means it was not the keyword
    return found


def _endpoint(text: str, token: Token | None, prefixes: dict[str, str], base: str) -> str | None:
    """The endpoint IRI a SERVICE / LOAD names; None when it is a variable or cannot be read."""
    if token is None or token.kind == "var":
        return None
    if token.kind == "punct":  # an IRI that the cautious lexer split: read it as an IRI after all
        match = _IRIREF.match(text, token.start)
        return urljoin(base, match.group()[1:-1]) if match else None
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    prefix, _, local = token.text.partition(":")
    if prefix in prefixes:
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def with_prefixes(query: str, prefixes: str) -> str:
    """Prepend the registry's PREFIX lines for those prefixes the query uses without declaring.

    >>> with_prefixes("SELECT * { ?s a tq:Power }", "PREFIX tq: <https://w3id.org/thamquyen/ontology#>\\nPREFIX x: <http://x/>\\n")
    'PREFIX tq: <https://w3id.org/thamquyen/ontology#>\\nSELECT * { ?s a tq:Power }'
    """
    code = _code_only(query)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)}
    lines = []
    for line in prefixes.splitlines():
        name = line.split()[1].rstrip(":")
        if name not in declared and re.search(rf"(?<![\w?$]){re.escape(name)}:", code):
            lines.append(line + "\n")
    return "".join(lines) + query


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
