"""What the lookup index is made of — levels and modes, roles, legal bases, assignments — and how
it is read from the store: a few SPARQL queries, rows grouped per subject in Python."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import namespaces as ns
from .places import LEVELS
from .store import Backend

ROLE_CLASSES = ("IndividualRole", "CollectiveRole", "AuthorityRole")
AUTHORITY_TYPES = {"IndividualRole": "tq:IndividualPost", "CollectiveRole": "tq:CollectiveBody"}

# --- reading the store -----------------------------------------------------------------------

ROLES_QUERY = ns.SPARQL_PREFIXES + """
SELECT DISTINCT ?role ?p ?o WHERE {
  { ?role a tq:IndividualRole } UNION { ?role a tq:CollectiveRole } UNION { ?role a tq:AuthorityRole }
  ?role ?p ?o .
  FILTER(?p IN (rdf:type, skos:prefLabel, rdfs:label, tq:level, tq:concreteLabelPattern, tq:postInRole))
}"""

CONCEPTS_QUERY = ns.SPARQL_PREFIXES + """
SELECT ?concept ?label ?notation WHERE {
  ?concept skos:inScheme ?scheme . FILTER(?scheme IN (tq:Levels, tq:Modes))
  OPTIONAL { ?concept skos:prefLabel ?label }
  OPTIONAL { ?concept skos:notation ?notation }
}"""

# FILTER, not VALUES: with VALUES first, Oxigraph scans every triple of each predicate.
ASSIGNMENTS_QUERY = ns.SPARQL_PREFIXES + """
SELECT ?a ?p ?o WHERE {
  ?a tq:power ?power ; ?p ?o .
  FILTER(?p IN (tq:power, tq:holder, tq:mode, tq:grantor, tq:legalBasis, tq:validFrom, tq:validUntil, tq:placeScope,
                tq:openQuestion, tq:formerHolder, prov:wasDerivedFrom, dcterms:source, dcterms:identifier))
}"""

LEGAL_QUERY = ns.SPARQL_PREFIXES + """
SELECT DISTINCT ?s ?p ?o WHERE {
  { ?s tq:instrument ?whole } UNION { ?s a eli:LegalResource } UNION { ?s a tq:Article }
  UNION { ?s a tq:Clause } UNION { ?s a tq:Point }
  ?s ?p ?o .
  FILTER(?p IN (rdf:type, rdfs:label, skos:prefLabel, eli:number, eli:is_part_of, tq:instrument, eli:id_local,
                dcterms:identifier, eli:title, dcterms:title, dcterms:source, prov:wasDerivedFrom))
}"""


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _rows(backend: Backend, query: str) -> Iterable[tuple]:
    """SELECT rows, streamed from the embedded store (no list of a million rows), else listed."""
    raw = getattr(backend, "raw_query", None)
    if raw is None:
        yield from backend.select(query)[1]
        return
    result = raw(query)
    names = [v.value for v in result.variables]
    for solution in result:
        yield tuple(solution[n] for n in names)


def _subjects(backend: Backend, query: str) -> dict[str, dict[str, list]]:
    """Rows ?s ?p ?o grouped as {subject: {local name of p: [objects]}}."""
    grouped: dict[str, dict[str, list]] = {}
    for s, p, o in _rows(backend, query):
        values = grouped.setdefault(s.value, {}).setdefault(local_name(p.value), [])
        if o not in values:
            values.append(o)
    return grouped


def _text(terms: list | None, lang: str | None = "vi") -> str | None:
    """The literal in `lang` (else one without a language, else the first)."""
    if not terms:
        return None
    for want in (lang, None):
        for t in terms:
            if getattr(t, "language", None) == want:
                return t.value
    return terms[0].value if lang == "vi" else None


@dataclass(slots=True, eq=False)
class Concept:
    """A level or a mode from the ontology's code lists."""

    iri: str
    key: str
    label: str | None = None
    label_en: str | None = None


@dataclass(slots=True, eq=False)
class Role:
    """An authority role as the law names it (tq:AuthorityRole)."""

    iri: str
    key: str
    label: str
    label_en: str | None = None
    kind: str = "AuthorityRole"     # IndividualRole | CollectiveRole | AuthorityRole
    level: str | None = None        # 'central' | 'province' | 'district' | 'commune'
    pattern: str | None = None      # tq:concreteLabelPattern
    post_in: str | None = None


@dataclass(slots=True, eq=False)
class LegalBasis:
    """An article, clause or point (or a whole instrument) cited as a legal basis."""

    iri: str
    label: str | None
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    instrument: str | None = None          # IRI
    instrument_number: str | None = None   # "140/2025/NĐ-CP"
    instrument_title: str | None = None
    source: str | None = None


@dataclass(slots=True, eq=False)
class Assignment:
    """One tq:Assignment: a power given to a holder role, by a mode, on a basis, for [from, until)."""

    iri: str
    key: str
    power: str
    holder: str
    mode: str | None = None
    grantor: str | None = None
    bases: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    place_scope: tuple[str, ...] = ()
    open_question: str | None = None
    former_holders: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def in_force(self, day: date) -> bool:
        """validFrom <= day < validUntil (no validFrom: from the start; no validUntil: no known end)."""
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day < self.valid_until)


def by_valid_from(a: Assignment) -> tuple:
    return (a.valid_from or date.min, a.valid_until or date.max, a.iri)


def legal_basis_of(iri: str, legal: dict[str, dict[str, list]]) -> LegalBasis:
    """Article / clause / point numbers up the eli:is_part_of chain (else from the IRI's path)."""
    numbers: dict[str, str] = {}
    instrument = None
    node, seen = iri, set()
    while node is not None and node not in seen:
        seen.add(node)
        f = legal.get(node, {})
        kinds = {local_name(t.value) for t in f.get("type", ())}
        number = _text(f.get("number"))
        for kind, name in (("Article", "article"), ("Clause", "clause"), ("Point", "point")):
            if kind in kinds and number is not None:
                numbers.setdefault(name, number)
        if "instrument" in f and instrument is None:
            instrument = f["instrument"][0].value
        parent = f.get("is_part_of")
        if not parent and node != iri and instrument is None and (kinds & {"LegalResource"} or "id_local" in f):
            instrument = node
        node = parent[0].value if parent else None
    # IRIs minted by namespaces.subdivision_iri: …/instrument/<slug>/dieu-4/khoan-1/diem-a
    if "/instrument/" in iri:
        path = iri.split("/instrument/", 1)[1].split("/")
        for part in path[1:]:
            for prefix, name in (("dieu-", "article"), ("khoan-", "clause"), ("diem-", "point")):
                if part.startswith(prefix):
                    numbers.setdefault(name, part[len(prefix):])
        instrument = instrument or ns.ID + "instrument/" + path[0]
    inst = legal.get(instrument, {}) if instrument else {}
    own = legal.get(iri, {})
    return LegalBasis(
        iri=iri, label=_text(own.get("label")) or _text(own.get("prefLabel")),
        article=numbers.get("article"), clause=numbers.get("clause"), point=numbers.get("point"),
        instrument=instrument,
        instrument_number=_text(inst.get("id_local")) or _text(inst.get("identifier")),
        instrument_title=_text(inst.get("title")),
        source=_text(own.get("source")) or _text(own.get("wasDerivedFrom")) or _text(inst.get("source"))
        or _text(inst.get("wasDerivedFrom")),
    )


def read_registry(backend: Backend) -> tuple[dict, dict, dict, dict]:
    """Concepts (levels, modes), roles, legal bases and assignments per power (sorted by valid_from).

    Returns:
        (concepts, roles, bases, assignments), each keyed by IRI (assignments by power IRI).
    """
    concepts = {}
    for iri, label, notation in backend.select(CONCEPTS_QUERY)[1]:
        c = concepts.setdefault(iri.value, Concept(iri.value, notation.value if notation else local_name(iri.value)))
        if label is not None:
            if getattr(label, "language", None) == "en":
                c.label_en = label.value
            else:
                c.label = c.label or label.value
    roles = {}
    for iri, f in _subjects(backend, ROLES_QUERY).items():
        kinds = [local_name(t.value) for t in f.get("type", ())]
        labels = f.get("prefLabel", []) + f.get("label", [])
        roles[iri] = Role(
            iri=iri, key=iri.rsplit("/role/", 1)[-1], label=_text(labels) or local_name(iri),
            label_en=_text(labels, "en"),
            kind=next((k for k in ROLE_CLASSES if k in kinds), "AuthorityRole"),
            level=LEVELS.get(local_name(f["level"][0].value)) if "level" in f else None,
            pattern=_text(f.get("concreteLabelPattern")),
            post_in=f["postInRole"][0].value if "postInRole" in f else None,
        )
    legal = _subjects(backend, LEGAL_QUERY)
    bases = {iri: legal_basis_of(iri, legal) for iri in legal}
    assignments: dict[str, list[Assignment]] = {}
    # Values as interned strings: powers, holders, modes and bases repeat across assignments.
    fields: dict[str, dict[str, list[str]]] = {}
    for s_, p_, o_ in _rows(backend, ASSIGNMENTS_QUERY):
        values = fields.setdefault(s_.value, {}).setdefault(local_name(p_.value), [])
        value = sys.intern(o_.value)
        if value not in values:
            values.append(value)
    for iri, f in fields.items():
        if "holder" not in f:
            continue  # not an assignment the lookup can answer with (the shapes report it)
        a = Assignment(
            iri=iri, key=f["identifier"][0] if "identifier" in f else local_name(iri),
            power=f["power"][0], holder=f["holder"][0],
            mode=f["mode"][0] if "mode" in f else None,
            grantor=f["grantor"][0] if "grantor" in f else None,
            bases=tuple(f.get("legalBasis", ())),
            valid_from=date.fromisoformat(f["validFrom"][0][:10]) if "validFrom" in f else None,
            valid_until=date.fromisoformat(f["validUntil"][0][:10]) if "validUntil" in f else None,
            place_scope=tuple(f.get("placeScope", ())),
            open_question=f["openQuestion"][0] if "openQuestion" in f else None,
            former_holders=tuple(f.get("formerHolder", ())),
            sources=tuple(f.get("wasDerivedFrom", []) + f.get("source", [])),
        )
        assignments.setdefault(a.power, []).append(a)
    del fields
    for items in assignments.values():
        items.sort(key=by_valid_from)
    return concepts, roles, bases, assignments

