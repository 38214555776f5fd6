"""pyshacl on the registry: the reference engine the fast one is proven equal to (tests, benchmarks).

It is exact but slow — it evaluates each rule's SPARQL once per power through rdflib — so the
registry runs the fast engine; this module is how the tests and bench/ check it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pyoxigraph as ox
import pyshacl
import rdflib

from .. import namespaces as ns
from ..errors import RuleError
from ..store import Backend
from .findings import Finding
from .shapes import SH, TQSH, rdflib_to_ox as to_ox, severity_name

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_GRAPHS = "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {graphs} }} }}"


def data_graph(backend: Backend, graphs: Iterable[str] | None = None, at: date | None = None) -> rdflib.Graph:
    """The data pyshacl validates: the union of the store's graphs (or of `graphs`) as one rdflib graph.

    Args:
        graphs: graph IRIs whose union is the data (default: every graph).
        at: the validation date, added as `tqsh:request tqsh:at D`.
    """
    if graphs is None:
        query = _UNION
    else:
        query = _GRAPHS.format(graphs=" ".join(f"<{g}>" for g in graphs))
    triples = backend.construct(query)
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    if at is not None:
        graph.add((TQSH.request, TQSH.at, rdflib.Literal(at.isoformat(), datatype=rdflib.XSD.date)))
    return graph


def reference_findings(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Finding]:
    """Validate with pyshacl and read its report as findings.

    pyshacl's report carries no ?other or period; those reach it only through the messages, so
    compare findings of both engines with `Finding.signature()`.

    Raises:
        RuleError: shapes pyshacl refuses (e.g. a SPARQL constraint with VALUES).
    """
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                       allow_infos=True, allow_warnings=True)
    if not isinstance(report, rdflib.Graph):
        raise RuleError(f"pyshacl cannot run the shapes: {text}")
    findings = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        findings.append(Finding(
            rule=str(report.value(result, SH.sourceShape)),
            severity=severity_name(report.value(result, SH.resultSeverity)),
            focus=to_ox(report.value(result, SH.focusNode)),
            value=to_ox(report.value(result, SH.value)),
            component=str(report.value(result, SH.sourceConstraintComponent)),
            path=str(path) if isinstance(path, rdflib.URIRef) else None,
            messages=tuple(sorted(((m.language or ""), str(m)) for m in report.objects(result, SH.resultMessage))),
        ))
    return sorted(findings, key=Finding.sort_key)


class PowerPartitions:
    """The data split for pyshacl by power: partition k holds every triple about an assignment of a
    power of k, and every triple that is about no assignment (ontology, units, roles, powers,
    instruments — the reference data, in every partition).

    Why pyshacl on the partitions reports exactly what it reports on the whole data, once each
    finding is kept from the partition that owns its focus node (`owner`):

    - Rules (shapes/rules.ttl): the focus node is a power (sh:targetObjectsOf tq:power), a focus in
      the partition of its assignments only. Every pattern that reaches an assignment is anchored at
      the focus, `?x tq:power $this`, so the query reads that power's assignments with all their
      triples (all in the partition), and from their values (roles, levels, units, bases,
      instruments) reference data only, plus `tqsh:request`, added to each partition.
    - Structure shapes (shapes/structure.ttl): single-predicate paths from the focus node and the
      rdf:type of values (sh:class), so a focus reads its own triples and reference data. An
      assignment is a focus only where its triples are (owner: the first partition of its
      powers); every other focus has the same triples in each partition (owner: partition 0).
    - Both hold only if no value reached from an assignment is itself an assignment: `__init__`
      refuses data where the object of a triple is an assignment.

    Args:
        data: the data graph (as `data_graph` gives it).
        parts: how many partitions; powers are dealt in turn, largest first, so that their work
            (quadratic in a power's assignments under pyshacl) is shared out evenly.
    Raises:
        ValueError: an assignment is the value of some triple (the split would not be exact).
    """

    def __init__(self, data: rdflib.Graph, parts: int):
        power = rdflib.URIRef(ns.TQ + "power")
        self.data = data
        self.parts = parts
        self.powers_of: dict[rdflib.term.Node, set[rdflib.term.Node]] = {}
        for assignment, p in data.subject_objects(power):
            self.powers_of.setdefault(assignment, set()).add(p)
        reached = [o for o in data.objects() if o in self.powers_of]
        if reached:
            raise ValueError(f"an assignment is the value of a triple, so partitions by power are not exact: {reached[0]}")
        sizes: dict[rdflib.term.Node, int] = {}
        for powers in self.powers_of.values():
            for p in powers:
                sizes[p] = sizes.get(p, 0) + 1
        by_size = sorted(sizes, key=lambda p: (-sizes[p], str(p)))
        self.part_of_power = {p: i % parts for i, p in enumerate(by_size)}

    def graph(self, k: int) -> rdflib.Graph:
        """Partition k: its powers' assignments and all the reference data."""
        part = rdflib.Graph()
        for triple in self.data:
            powers = self.powers_of.get(triple[0])
            if powers is None or any(self.part_of_power[p] == k for p in powers):
                part.add(triple)
        return part

    def owner(self, focus: ox.NamedNode | ox.BlankNode | ox.Literal) -> int:
        """The partition whose findings on this focus node are kept."""
        node = rdflib.URIRef(focus.value) if isinstance(focus, ox.NamedNode) else None
        if node in self.part_of_power:
            return self.part_of_power[node]
        if node in self.powers_of:
            return min(self.part_of_power[p] for p in self.powers_of[node])
        return 0


# What a worker process validates: set once per process by the pool's initializer (under fork the
# graphs are shared with the parent, not sent through a pipe).
_WORKER: dict[str, object] = {}


def _start_worker(partitions: PowerPartitions, shapes: rdflib.Graph) -> None:
    _WORKER.update(partitions=partitions, shapes=shapes)


def _partition_findings(k: int) -> list[Finding]:
    partitions, shapes = _WORKER["partitions"], _WORKER["shapes"]
    return [f for f in reference_findings(partitions.graph(k), shapes) if partitions.owner(f.focus) == k]


def partitioned_reference_findings(partitions: PowerPartitions, shapes: rdflib.Graph, which: Iterable[int],
                                   processes: int = 2) -> list[Finding]:
    """pyshacl's findings owned by some partitions, each partition validated in a worker process.

    With `which` = every partition, these are the findings of one pyshacl run on all the data
    (see PowerPartitions); with fewer, those on the powers and assignments of these partitions
    (and, with partition 0, on the reference data).
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker, initargs=(partitions, shapes)) as pool:
        found = [f for part in pool.map(_partition_findings, list(which)) for f in part]
    return sorted(found, key=Finding.sort_key)
