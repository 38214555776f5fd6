"""Legal instruments as ELI resources: the instruments themselves, what repeals or amends what, and
the text of the provisions the registry cites (data/instruments.csv, data/amendments.csv,
data/provisions.csv), all in the instruments graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .catalogue import DATA_DIR, Catalogue, read_data_csv
from .errors import InputError
from .template import subdivision_quads

RELATIONS = {"repeals": "repeals", "amends": "amends"}

_A = ox.NamedNode(ns.RDF + "type")
_DATE = ox.NamedNode(ns.XSD + "date")


def _eli(name: str) -> ox.NamedNode:
    return ox.NamedNode(ns.ELI + name)


@dataclass(frozen=True)
class Amendment:
    """One row of data/amendments.csv: a provision (or a whole instrument) repeals or amends another.

    `instrument`/`article`/`clause`/`point` is the provision that says it (article empty: the whole
    instrument); `target`/`target_article`/`target_clause`/`target_point` what it repeals or amends.
    """

    instrument: str
    article: str
    clause: str
    point: str
    relation: str
    target: str
    target_article: str = ""
    target_clause: str = ""
    target_point: str = ""

    @property
    def subject_iri(self) -> str:
        return _iri(self.instrument, self.article, self.clause, self.point)

    @property
    def target_iri(self) -> str:
        return _iri(self.target, self.target_article, self.target_clause, self.target_point)


def _iri(number: str, article: str, clause: str, point: str) -> str:
    if not article:
        return ns.instrument_iri(number)
    return ns.subdivision_iri(number, article, clause or None, point or None)


@dataclass(frozen=True)
class Provision:
    """One row of data/provisions.csv: the text of a cited article, clause or point."""

    instrument: str
    article: str
    clause: str
    point: str
    text: str


def load_amendments(path: Path, catalogue: Catalogue) -> list[Amendment]:
    """Read data/amendments.csv.

    Raises:
        InputError: an unknown relation, or an instrument that is not in the catalogue.
    """
    found = []
    for number, r in read_data_csv(path, ("instrument", "relation", "target")):
        where = {"file": str(path), "row": number}
        if r["relation"] not in RELATIONS:
            raise InputError(f"relation must be one of {', '.join(RELATIONS)}", field="relation", **where)
        for name in ("instrument", "target"):
            if r[name] not in catalogue.instruments:
                raise InputError(f"{r[name]!r} is not in data/instruments.csv", field=name, **where)
        found.append(Amendment(r["instrument"], r.get("article", ""), r.get("clause", ""), r.get("point", ""),
                               r["relation"], r["target"], r.get("target_article", ""),
                               r.get("target_clause", ""), r.get("target_point", "")))
    return found


def load_provisions(path: Path, catalogue: Catalogue) -> list[Provision]:
    """Read data/provisions.csv.

    Raises:
        InputError: an instrument that is not in the catalogue, a missing article or text.
    """
    found = []
    for number, r in read_data_csv(path, ("instrument", "article", "clause", "point", "text")):
        where = {"file": str(path), "row": number}
        if r["instrument"] not in catalogue.instruments:
            raise InputError(f"{r['instrument']!r} is not in data/instruments.csv", field="instrument", **where)
        if not r["article"] or not r["text"]:
            raise InputError("article and text are required", **where)
        found.append(Provision(r["instrument"], r["article"], r["clause"], r["point"], r["text"]))
    return found


def instrument_quads(catalogue: Catalogue, *, with_assignments: Iterable[str] = (), data_dir: Path = DATA_DIR,
                     graph: str = ns.INSTRUMENTS_GRAPH) -> Iterator[ox.Quad]:
    """Every instrument of the catalogue as an eli:LegalResource, with repeals, amendments and provision texts.

    Args:
        catalogue: the instruments (and the roles that passed them).
        with_assignments: numbers of the instruments whose assignments the registry holds; each gets
            tq:assignmentsGraph, the named graph of its assignments.
        data_dir: the folder of amendments.csv and provisions.csv.
    """
    g = ox.NamedNode(graph)
    with_assignments = set(with_assignments)
    for instrument in catalogue.instruments.values():
        s = ox.NamedNode(instrument.iri)
        yield ox.Quad(s, _A, _eli("LegalResource"), g)
        yield ox.Quad(s, _eli("id_local"), ox.Literal(instrument.number), g)
        yield ox.Quad(s, _eli("type_document"), ox.NamedNode(ns.TQ + instrument.type), g)
        yield ox.Quad(s, _eli("title"), ox.Literal(instrument.title_vi, language="vi"), g)
        yield ox.Quad(s, _eli("title"), ox.Literal(instrument.title_en, language="en"), g)
        yield ox.Quad(s, ox.NamedNode(ns.RDFS + "label"), ox.Literal(instrument.designation, language="vi"), g)
        yield ox.Quad(s, _eli("passed_by"), ox.NamedNode(ns.role_iri(instrument.issuer)), g)
        for prop, value in (("date_document", instrument.date_document),
                            ("first_date_entry_in_force", instrument.date_in_force),
                            ("date_no_longer_in_force", instrument.date_no_longer_in_force)):
            if value:
                yield ox.Quad(s, _eli(prop), ox.Literal(value, datatype=_DATE), g)
        if instrument.status:
            yield ox.Quad(s, ox.NamedNode(ns.TQ + "instrumentStatus"), ox.Literal(instrument.status, language="vi"), g)
        for url in instrument.sources:
            yield ox.Quad(s, ox.NamedNode(ns.DCTERMS + "source"), ox.NamedNode(url), g)
        if instrument.note:
            yield ox.Quad(s, ox.NamedNode(ns.SKOS + "note"), ox.Literal(instrument.note, language="vi"), g)
        if instrument.number in with_assignments:
            yield ox.Quad(s, ox.NamedNode(ns.TQ + "assignmentsGraph"),
                          ox.NamedNode(ns.instrument_graph(instrument.number)), g)
    for amendment in load_amendments(data_dir / "amendments.csv", catalogue):
        for number, article, clause, point in (
                (amendment.instrument, amendment.article, amendment.clause, amendment.point),
                (amendment.target, amendment.target_article, amendment.target_clause, amendment.target_point)):
            if article:
                yield from subdivision_quads(number, article, clause, point, catalogue=catalogue, graph=graph)
        yield ox.Quad(ox.NamedNode(amendment.subject_iri), _eli(RELATIONS[amendment.relation]),
                      ox.NamedNode(amendment.target_iri), g)
    for provision in load_provisions(data_dir / "provisions.csv", catalogue):
        yield from subdivision_quads(provision.instrument, provision.article, provision.clause, provision.point,
                                     catalogue=catalogue, graph=graph)
        s = ox.NamedNode(ns.subdivision_iri(provision.instrument, provision.article, provision.clause or None,
                                            provision.point or None))
        yield ox.Quad(s, ox.NamedNode(ns.TQ + "provisionText"), ox.Literal(provision.text, language="vi"), g)
