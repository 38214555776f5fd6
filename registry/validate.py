"""`validate`: check the registry against its shapes — structure, overlaps, omissions, gaps, delegations.

The shapes (shapes/*.ttl) state every rule; the fast engine executes them over the store: it
pulls each predicate the shapes read once into an in-memory index (registry.validation.data), runs
the structure shapes over it (validation.core) and the rules over the assignments grouped by
power (validation.rules). pyshacl (validation.reference) is the reference it is proven equal to.

For checking a change (a draft decree) without touching the store, build the index once, overlay
the change, and validate only the powers it touches:

    validator = Validator()
    base = validator.index(backend)                        # keep it; ~2 s for 100k assignments
    draft = base.overlay(add=draft_triples)                # milliseconds
    powers = powers_touched(base, changed) | powers_touched(draft, changed)
    before = validator.findings(base, powers=powers, focus=changed)
    after = validator.findings(draft, powers=powers, focus=changed)
    introduced, resolved = set(after) - set(before), set(before) - set(after)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
import rdflib

from . import namespaces as ns
from .errors import RuleError, UsageError
from .store import Backend
from .validation.core import CoreShapes
from .validation.data import DataIndex, Term, key, paused_gc, to_ox
from .validation.findings import Finding
from .validation.rules import RULES, rule_findings
from .validation.shapes import DEFAULT_REDELEGATION, SparqlRule, load_shapes, sparql_rules
from .validation.table import (GRANTOR, HOLDER, INSTRUMENT, LEGAL_BASIS, LEVEL, PLACE_SCOPE, POWER, PREDICATES,
                               AssignmentTable)

# The reference graphs every validation reads, whatever graphs are chosen.
BASE_GRAPHS = (ns.ONTOLOGY_GRAPH, ns.UNITS_GRAPH, ns.CATALOGUE_GRAPH, ns.INSTRUMENTS_GRAPH)
# Read for the explanations (names of powers, roles, units, instruments, citations).
LABEL_PREDICATES = (ns.SKOS + "prefLabel", ns.RDFS + "label", ns.ELI + "title", ns.ELI + "id_local",
                    ns.SH + "name", ns.TQ + "definingProvision")


class Validator:
    """The shapes, compiled once for the fast engine; validates any number of datasets.

    Args:
        shapes: a shapes graph (default: shapes/*.ttl with the re-delegation policy).
        redelegation: "violation", "warning" (default) or "off" for tqsh:Redelegation.
    Raises:
        InputError: a shape file that does not parse (file and line).
        RuleError: a shape the fast engine cannot run (its IRI says which).
    """

    def __init__(self, shapes: rdflib.Graph | None = None, *, redelegation: str = DEFAULT_REDELEGATION):
        self.shapes = shapes if shapes is not None else load_shapes(redelegation=redelegation)
        self.core = CoreShapes(self.shapes)
        self.rules: list[SparqlRule] = sparql_rules(self.shapes)
        for rule in self.rules:
            if rule.iri not in RULES:
                raise RuleError("the fast engine has no implementation of this rule", rule=rule.iri)

    def predicates(self) -> set[str]:
        """Every predicate an index must hold for these shapes and the explanations."""
        return self.core.predicates() | set(PREDICATES) | set(LABEL_PREDICATES)

    def index(self, backend: Backend, graphs: Iterable[str] | None = None) -> DataIndex:
        """Pull what the shapes read from the store (all graphs, or `graphs` plus the reference graphs).

        Raises:
            UsageError: a graph the store does not have.
        """
        return DataIndex(backend, self.predicates(), data_graphs(backend, graphs))

    def findings(self, data: DataIndex, *, at: date | None = None, powers: Iterable[Term] | None = None,
                 focus: Iterable[Term] | None = None) -> list[Finding]:
        """Every finding on an index, or only those of some powers (rules) and focus nodes (structure).

        Args:
            at: report only findings whose period contains this date, plus tqsh:NoHolderOnDate.
            powers: run the rules for these powers only (default: every power).
            focus: run the structure shapes on these focus nodes only (default: every target).
        """
        powers = [key(p) for p in powers] if powers is not None else None
        with paused_gc():
            found = self.core.findings(data, focus={key(f) for f in focus} if focus is not None else None)
            found += validate_assignments(AssignmentTable(data, powers), powers=powers, at=at, validator=self)
        return sorted(found, key=Finding.sort_key)


def data_graphs(backend: Backend, graphs: Iterable[str] | None) -> list[str] | None:
    """The graphs to read: None for all, else the chosen ones plus the reference graphs present.

    Raises:
        UsageError: a chosen graph the store does not have.
    """
    if graphs is None:
        return None
    present = set(backend.graphs())
    chosen = list(dict.fromkeys(graphs))
    unknown = [g for g in chosen if g not in present]
    if unknown:
        raise UsageError(f"no such graph in the store: {', '.join(unknown)} (see `thamquyen stats`)")
    return chosen + [g for g in BASE_GRAPHS if g in present and g not in chosen]


def validate_assignments(table: AssignmentTable, powers: Iterable[Term] | None = None, at: date | None = None,
                         validator: Validator | None = None) -> list[Finding]:
    """The rule findings (overlap, omission, gaps, delegation, legal basis) of an assignment table.

    Args:
        table: the assignments grouped by power (AssignmentTable(index) or AssignmentTable(index, powers)).
        powers: focus on these powers only (default: every power of the table).
        at: report only findings whose period contains this date, plus tqsh:NoHolderOnDate on it.
        validator: the shapes to use (default: a Validator with the default policy).
    Returns:
        findings sorted by severity, rule, power and assignment.
    """
    validator = validator or Validator()
    targets = sorted(table.by_power if powers is None else {key(p) for p in powers} & set(table.by_power))
    found = []
    with paused_gc():
        for rule in validator.rules:
            found += rule_findings(rule, table, targets, at)
    return sorted(found, key=Finding.sort_key)


def powers_touched(data: DataIndex, changed: Iterable[ox.NamedNode]) -> set[ox.NamedNode]:
    """The powers whose rule findings can change when the given resources change.

    An assignment touches its powers; an instrument or one of its articles, clauses or points the
    powers of the assignments citing it; a role those it holds or grants; a unit those scoped to it;
    a level those held by its roles.
    """
    power_of = data.objects(POWER)
    by = {p: data.inverse(p) for p in (LEGAL_BASIS, INSTRUMENT, HOLDER, GRANTOR, PLACE_SCOPE, LEVEL)}
    assignments: set[Term] = set()
    for node in map(key, changed):
        if node in power_of:
            assignments.add(node)
        bases = {node} | set(by[INSTRUMENT].get(node, ()))
        for basis in bases:
            assignments.update(by[LEGAL_BASIS].get(basis, ()))
        roles = {node} | set(by[LEVEL].get(node, ()))
        for role in roles:
            assignments.update(by[HOLDER].get(role, ()))
            assignments.update(by[GRANTOR].get(role, ()))
        assignments.update(by[PLACE_SCOPE].get(node, ()))
    return {to_ox(p) for a in assignments for p in power_of.get(a, ())}


@dataclass
class Report:
    """The result of a validation.

    Attributes:
        findings: every finding, sorted by severity, rule, focus node and value.
        at: the validation date, if any.
        graphs: the graphs read (None: all).
        lang: the language explanations are rendered in ("vi" or "en").
        data: the index validated (for names, citations and dates in explanations).
        validator: the shapes used.
    """

    findings: list[Finding]
    at: date | None
    graphs: list[str] | None
    lang: str
    data: DataIndex = field(repr=False)
    validator: Validator = field(repr=False)

    @property
    def conforms(self) -> bool:
        """No finding of Violation severity (warnings and infos do not fail the registry)."""
        return not any(f.severity == "Violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts

    def to_rdf(self) -> rdflib.Graph:
        """The SHACL validation report (sh:ValidationReport) as an RDF graph."""
        from .validation.render import report_graph

        return report_graph(self)


def validate(backend: Backend, at: date | None = None, graphs: Iterable[str] | None = None, lang: str = "vi", *,
             overlay: Iterable[ox.Triple] = (), redelegation: str = DEFAULT_REDELEGATION,
             validator: Validator | None = None) -> Report:
    """Validate the store (or some of its graphs) against the shapes with the fast engine.

    Args:
        backend: the store.
        at: validate as of this date: only findings whose period contains it, and every power
            assigned before it that nobody holds on it (tqsh:NoHolderOnDate).
        graphs: named graphs to validate (default: all); the reference graphs (ontology, units,
            catalogue, instruments) are always read with them.
        lang: language of the messages, "vi" or "en" (the report keeps both).
        overlay: triples validated with the store's without being written (e.g. `--data FILE`).
        redelegation: policy for tqsh:Redelegation: "violation", "warning" (default) or "off".
        validator: compiled shapes to reuse (overrides `redelegation`).
    Returns:
        the report.
    Raises:
        UsageError: an unknown graph or language.
        RuleError: shapes the fast engine cannot run.

    >>> from registry.store import open_store
    >>> validate(open_store(":memory:")).conforms
    True
    """
    if lang not in ("vi", "en"):
        raise UsageError(f"language must be vi or en, not {lang!r}")
    validator = validator or Validator(redelegation=redelegation)
    data = validator.index(backend, graphs)
    overlay = list(overlay)
    if overlay:
        data = data.overlay(add=overlay)
    return Report(validator.findings(data, at=at), at, data.graphs, lang, data, validator)
