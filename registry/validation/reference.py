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
