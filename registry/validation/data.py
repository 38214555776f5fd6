"""The triples the shapes look at, pulled from a backend once into an in-memory index.

Both the structure shapes (core) and the rules (rules) read this index, so one validation reads
each predicate from the store once. Terms are held as their N-Triples text ("<iri>", "_:b",
'"text"@vi', '"2025-07-01"^^<…#date>'), interned: Python strings hash once and compare fast, which
is what a national registry's millions of look-ups need. On the embedded store each predicate comes
as one SPARQL result in TSV, serialised by Oxigraph and split in C; any other backend answers one
SELECT per predicate.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

import pyoxigraph as ox

from .. import namespaces as ns
from ..store import Backend, OxigraphBackend

RDF_TYPE = ns.RDF + "type"
SUBCLASS_OF = ns.RDFS + "subClassOf"
XSD_STRING = ns.XSD + "string"
RDF_LANGSTRING = ns.RDF + "langString"
DATE_SUFFIX = f'"^^<{ns.XSD}date>'

Term = str  # N-Triples text of an IRI, blank node or literal


@contextmanager
def paused_gc():
    """Run without the cyclic garbage collector: an index holds millions of objects and none form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class DataIndex:
    """subject → objects per predicate, for the predicates asked for, over the chosen graphs.

    Args:
        backend: the store.
        predicates: predicate IRIs to index (rdf:type and rdfs:subClassOf are always indexed).
        graphs: graph IRIs whose union is the data (default: every graph of the store).
    """

    def __init__(self, backend: Backend, predicates: Iterable[str], graphs: Iterable[str] | None = None):
        self.graphs = list(graphs) if graphs is not None else None
        wanted = sorted(set(predicates) | {RDF_TYPE, SUBCLASS_OF})
        with paused_gc():
            self.by_predicate: dict[str, dict[Term, list[Term]]] = {p: _index(s, o)
                                                                    for p, (s, o) in _pull(backend, wanted, self.graphs)}
        self._superclasses: dict[Term, frozenset[Term]] = {}
        self._inverse: dict[str, dict[Term, list[Term]]] = {}

    def overlay(self, add: Iterable[ox.Triple] = (), remove: Iterable[ox.Triple] = ()) -> DataIndex:
        """A new index with triples added and removed; the store and this index stay as they are.

        Only the mappings of the predicates touched are copied, so an overlay of a few thousand
        triples (a draft decree) on a national registry costs milliseconds.
        """
        layered = object.__new__(DataIndex)
        layered.graphs = self.graphs
        layered.by_predicate = dict(self.by_predicate)
        layered._superclasses = {}
        layered._inverse = {}
        copied: set[str] = set()

        def mapping(predicate: str) -> dict[Term, list[Term]] | None:
            if predicate not in layered.by_predicate:
                return None
            if predicate not in copied:
                layered.by_predicate[predicate] = dict(layered.by_predicate[predicate])
                copied.add(predicate)
            return layered.by_predicate[predicate]

        for t in remove:
            index = mapping(t.predicate.value)
            s, o = str(t.subject), str(t.object)
            if index is not None and o in index.get(s, ()):
                remaining = [x for x in index[s] if x != o]
                if remaining:
                    index[s] = remaining
                else:
                    del index[s]
        for t in add:
            index = mapping(t.predicate.value)
            if index is not None:
                s, o = str(t.subject), str(t.object)
                objects = index.get(s)
                if objects is None:
                    index[s] = [o]
                elif o not in objects:
                    index[s] = objects + [o]
        return layered

    def objects(self, predicate: str) -> dict[Term, list[Term]]:
        """subject → its objects for `predicate` (distinct, in store order)."""
        return self.by_predicate[predicate]

    def values(self, subject: Term, predicate: str) -> list[Term]:
        return self.by_predicate[predicate].get(subject, [])

    def subjects_of(self, predicate: str) -> Iterator[Term]:
        return iter(self.by_predicate[predicate])

    def objects_of(self, predicate: str) -> set[Term]:
        return {o for objects in self.by_predicate[predicate].values() for o in objects}

    def inverse(self, predicate: str) -> dict[Term, list[Term]]:
        """object → its subjects for `predicate` (built on first use)."""
        found = self._inverse.get(predicate)
        if found is None:
            found = self._inverse[predicate] = {}
            for s, objects in self.by_predicate[predicate].items():
                for o in objects:
                    found.setdefault(o, []).append(s)
        return found

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """The class and every class it is a subclass of (rdfs:subClassOf*), as SHACL reads it."""
        found = self._superclasses.get(cls)
        if found is None:
            seen = {cls}
            todo = [cls]
            subclass_of = self.by_predicate[SUBCLASS_OF]
            while todo:
                for parent in subclass_of.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._superclasses[cls] = frozenset(seen)
        return found

    def is_instance(self, node: Term, cls: Term) -> bool:
        """SHACL instance: some rdf:type of the node is `cls` or a subclass of it."""
        return any(cls in self.superclasses(t) for t in self.by_predicate[RDF_TYPE].get(node, ()))

    def instances(self, cls: Term) -> set[Term]:
        """Every SHACL instance of `cls`: typed with it or with one of its subclasses."""
        found: set[Term] = set()
        for c, members in self.inverse(RDF_TYPE).items():
            if cls in self.superclasses(c):
                found.update(members)
        return found


# Threads that pull predicates from the embedded store while the caller's thread indexes those
# already pulled: Oxigraph evaluates and serialises a result without holding the GIL.
PULL_THREADS = 2


def _pull(backend: Backend, predicates: list[str],
          graphs: list[str] | None) -> Iterator[tuple[str, tuple[list[Term], list[Term]]]]:
    """(predicate, (subjects, objects)) for each predicate, in the order given.

    The embedded store is read from one snapshot for all predicates (one generation of it, whatever
    is written meanwhile), each predicate's TSV result serialised in a worker thread.
    """
    if not isinstance(backend, OxigraphBackend):
        for p in predicates:
            yield p, _columns_of_select(backend, p, graphs)
        return
    snapshot = backend.snapshot()
    with ThreadPoolExecutor(PULL_THREADS, thread_name_prefix="index-pull") as pool:
        pulled = [pool.submit(_tsv, snapshot, p, graphs) for p in predicates]
        for p, text in zip(predicates, pulled):
            yield p, _columns_of_tsv(text.result())


def _tsv(backend: OxigraphBackend, predicate: str, graphs: list[str] | None) -> str:
    """A predicate's (subject, object) pairs as a SPARQL TSV result (the union of `graphs`, else of all)."""
    query = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"
    if graphs is None:
        result = backend.raw_query(query)
    else:
        result = backend.raw_query(query, use_default_graph_as_union=False,
                                   default_graph=[ox.NamedNode(g) for g in graphs])
    return result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")


def _columns_of_tsv(text: str) -> tuple[list[Term], list[Term]]:
    """The subjects and objects of a TSV result, in the index's form (strings interned)."""
    # One TSV cell after the other: the split and the interning run in C, not per row in Python.
    cells = text[text.index("\n") + 1:].replace("\n", "\t").split("\t")
    if cells[-1] == "":
        cells.pop()
    subjects = list(map(sys.intern, cells[0::2]))
    objects = list(map(sys.intern, cells[1::2]))
    # judged once per distinct value: numbers and booleans are rare
    bare = {o: _bare_literal(o) for o in set(objects) if o[0] not in '<"_'}
    if bare:
        objects = [bare.get(o, o) for o in objects]
    return subjects, objects


def _columns_of_select(backend: Backend, predicate: str, graphs: list[str] | None) -> tuple[list[Term], list[Term]]:
    """The subjects and objects of a predicate's triples from any backend's SELECT."""
    query = f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"
    if graphs is not None:
        values = " ".join(f"<{g}>" for g in graphs)
        query = f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} VALUES ?g {{ {values} }} }}"
    _, rows = backend.select(query)
    return [sys.intern(str(s)) for s, _ in rows], [sys.intern(str(o)) for _, o in rows]


def _index(subjects: list[Term], objects: list[Term]) -> dict[Term, list[Term]]:
    """subject → distinct objects; most predicates have one value per subject, built in one step."""
    index = dict(zip(subjects, ([o] for o in objects)))
    if len(index) == len(subjects):
        return index
    index = {}
    for s, o in zip(subjects, objects):
        values = index.get(s)
        if values is None:
            index[s] = [o]
        elif o not in values:
            values.append(o)
    return index


def _bare_literal(text: str) -> str:
    """A number or boolean that SPARQL TSV writes without quotes, in N-Triples form."""
    if text in ("true", "false"):
        kind = "boolean"
    elif "e" in text or "E" in text:
        kind = "double"
    elif "." in text:
        kind = "decimal"
    else:
        kind = "integer"
    return f'"{text}"^^<{ns.XSD}{kind}>'


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                       else _ECHAR.get(m.group(3), m.group(3)), text)


@lru_cache(maxsize=1 << 16)
def literal(term: Term) -> tuple[str, str, str] | None:
    """(lexical form, datatype IRI, language) of a literal; None for an IRI or blank node.

    >>> literal('"Hà Nội"@vi')
    ('Hà Nội', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString', 'vi')
    >>> literal('"2025-07-01"^^<http://www.w3.org/2001/XMLSchema#date>')[1]
    'http://www.w3.org/2001/XMLSchema#date'
    """
    if not term.startswith('"'):
        return None
    end = term.rindex('"')
    lexical, rest = _unescape(term[1:end]), term[end + 1:]
    if rest.startswith("@"):
        return lexical, RDF_LANGSTRING, rest[1:]
    if rest.startswith("^^<"):
        return lexical, rest[3:-1], ""
    return lexical, XSD_STRING, ""


def text_of(term: Term) -> str:
    """What SPARQL's STR() gives: the IRI, or the lexical form (blank nodes: their label)."""
    if term.startswith("<"):
        return term[1:-1]
    parts = literal(term)
    return parts[0] if parts else term


def to_ox(term: Term | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """An index term as a pyoxigraph term."""
    if term is None:
        return None
    if term.startswith("<"):
        return ox.NamedNode(term[1:-1])
    if term.startswith("_:"):
        return ox.BlankNode(term[2:])
    lexical, datatype, lang = literal(term)
    if lang:
        return ox.Literal(lexical, language=lang)
    return ox.Literal(lexical, datatype=ox.NamedNode(datatype))


def key(term) -> Term:
    """The index form of a pyoxigraph term (or of an index term)."""
    return term if isinstance(term, str) else str(term)


def iri(value: str) -> Term:
    return f"<{value}>"


@lru_cache(maxsize=1 << 14)
def term_date(term: Term) -> date | None:
    """The date of an xsd:date literal in strict YYYY-MM-DD form, else None.

    >>> term_date('"2025-07-01"^^<http://www.w3.org/2001/XMLSchema#date>'), term_date('"2025-7-1"^^<http://www.w3.org/2001/XMLSchema#date>')
    (datetime.date(2025, 7, 1), None)
    """
    if not term.endswith(DATE_SUFFIX) or len(term) != 11 + len(DATE_SUFFIX):
        return None
    lexical = term[1:11]
    if lexical[4] != "-" or lexical[7] != "-":
        return None
    try:
        return date.fromisoformat(lexical)
    except ValueError:
        return None
