"""Refuse SPARQL that would make the server reach out to the network: SERVICE and LOAD.

A query or update may name another endpoint (`SERVICE <url> { … }`) or a document to fetch
(`LOAD <url>`); both turn a public endpoint into a proxy to anywhere. They are allowed only for the
endpoints an allow-list names. The endpoints are read from rdflib's parsed algebra and, as well, from
the lexer of registry.sparql_text on the text as sent and with its \\u escapes undone, so that neither
a construct rdflib does not know nor a crafted string or comment can hide one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .errors import UsageError
from .sparql_text import RemoteReference, remote_references, unescape_codepoints

# rdflib's parser is pure Python; past this size only the lexer reads the text.
ALGEBRA_MAX_CHARS = 100_000
_MENTION = re.compile(r"service|load", re.I)


class RemoteAccessRefused(UsageError):
    """A SERVICE or LOAD names an endpoint that the allow-list does not (or names it by a variable)."""

    def __init__(self, message: str, references: list[RemoteReference]):
        self.references = references
        super().__init__(message)


def references(text: str, *, update: bool = False) -> list[RemoteReference]:
    """Every SERVICE (and, in an update, LOAD) the text contains, from algebra and lexer together.

    >>> references('SELECT * { ?s ?p "SERVICE <http://x>" }')
    []
    >>> references(r'SELECT * { \\u0053ERVICE <http://e/sparql> { ?s ?p ?o } }')
    [RemoteReference(keyword='SERVICE', endpoint='http://e/sparql')]
    """
    unescaped = unescape_codepoints(text)
    if not (_MENTION.search(text) or _MENTION.search(unescaped)):
        return []
    found = set(remote_references(text)) | set(remote_references(unescaped))
    if len(text) <= ALGEBRA_MAX_CHARS:
        found |= set(_algebra_references(text, update=update))
    if not update:
        found = {r for r in found if r.keyword == "SERVICE"}
    return sorted(found, key=lambda r: (r.keyword, r.endpoint or ""))


def check_remote_access(text: str, allow: Iterable[str], *, update: bool = False) -> None:
    """Raise RemoteAccessRefused unless every SERVICE / LOAD endpoint is on the allow-list.

    >>> check_remote_access('SELECT * { SERVICE <http://ok/sparql> { ?s ?p ?o } }', ["http://ok/sparql"])
    >>> check_remote_access('SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }', [])
    Traceback (most recent call last):
    ...
    registry.sparql_guard.RemoteAccessRefused: SERVICE <http://evil/> is not allowed: this endpoint does not query other endpoints (no allow-list configured)
    """
    allowed = set(allow)
    refused = [r for r in references(text, update=update) if r.endpoint is None or r.endpoint not in allowed]
    if not refused:
        return
    first = refused[0]
    what = f"{first.keyword} <{first.endpoint}>" if first.endpoint else f"{first.keyword} with a variable endpoint"
    hint = (f"allowed endpoints: {', '.join(sorted(allowed))}" if allowed
            else "this endpoint does not query other endpoints (no allow-list configured)")
    if first.keyword == "LOAD":
        hint = (f"allowed sources: {', '.join(sorted(allowed))}" if allowed
                else "this endpoint does not fetch documents (no allow-list configured); "
                     "send the data with the Graph Store Protocol instead")
    raise RemoteAccessRefused(f"{what} is not allowed: {hint}", refused)


def _algebra_references(text: str, *, update: bool) -> Iterator[RemoteReference]:
    """SERVICE / LOAD nodes of rdflib's algebra; nothing when rdflib cannot parse the text."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        algebra = translateUpdate(parseUpdate(text)).algebra if update else translateQuery(parseQuery(text)).algebra
    except Exception:  # any rdflib failure: the lexer's reading stands alone
        return
    yield from _walk(algebra)


def _walk(node, depth: int = 0) -> Iterator[RemoteReference]:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    if depth > 500:
        return
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            yield RemoteReference("SERVICE", str(term) if isinstance(term, URIRef) else None)
        elif node.name == "Load":
            iri = node.get("iri")
            yield RemoteReference("LOAD", str(iri) if isinstance(iri, URIRef) else None)
        children = node.values()
    elif isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return
    for child in children:
        yield from _walk(child, depth + 1)
