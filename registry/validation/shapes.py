"""The validation shapes: shapes/*.ttl parsed into one rdflib graph, the severity policy applied, read as rules.

The shapes are the one statement of every rule; both engines (the fast one and pyshacl) read them
from the graph this module returns, so a policy (e.g. re-delegation as a Violation) changes both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

from .. import namespaces as ns
from ..errors import RuleError, UsageError
from ..store import parse_rdf

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
SHAPES_DIR = PROJECT_ROOT / "shapes"

SH = rdflib.Namespace(ns.SH)
TQSH = rdflib.Namespace(ns.SHAPES)

SEVERITIES = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
SEVERITY_NAMES = {iri: name.capitalize() for name, iri in SEVERITIES.items()}

REDELEGATION_RULE = ns.SHAPES + "Redelegation"
# Law 72/2025/QH15 on onward delegation of an ủy quyền is unverified (shared/legal/principles.md §2.4):
# report it, but do not fail the registry on it.
DEFAULT_REDELEGATION = "warning"
REDELEGATION_POLICIES = ("violation", "warning", "off")


def severity_name(iri) -> str:
    """"Violation", "Warning", "Info", or the local name of another severity IRI."""
    return SEVERITY_NAMES.get(iri) or str(iri).rsplit("#", 1)[-1]


def shape_files() -> list[Path]:
    """The shapes of the registry: every Turtle file in shapes/, in name order."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


def load_shapes(files: Iterable[str | Path] | None = None, *,
                redelegation: str = DEFAULT_REDELEGATION) -> rdflib.Graph:
    """Parse the shapes into one graph and apply the re-delegation policy.

    Args:
        files: shape files (default: shapes/*.ttl).
        redelegation: "violation", "warning" (default) or "off": severity of tqsh:Redelegation, or
            switched off (sh:deactivated).
    Returns:
        the shapes graph.
    Raises:
        InputError: a file that does not parse, with its name and line.
        UsageError: an unknown policy.

    >>> graph = load_shapes(redelegation="off")
    >>> (rdflib.URIRef(REDELEGATION_RULE), SH.deactivated, rdflib.Literal(True)) in graph
    True
    """
    if redelegation not in REDELEGATION_POLICIES:
        raise UsageError(f"re-delegation policy must be one of {', '.join(REDELEGATION_POLICIES)}, "
                         f"not {redelegation!r}")
    graph = rdflib.Graph()
    for file in files if files is not None else shape_files():
        path = Path(file)
        # pyoxigraph reports syntax errors with line and column; rdflib then reads the same text.
        parse_rdf(path.read_bytes(), ox.RdfFormat.TURTLE, name=str(path))
        graph.parse(path, format="turtle")
    rule = rdflib.URIRef(REDELEGATION_RULE)
    if (rule, None, None) in graph:
        if redelegation == "off":
            graph.set((rule, SH.deactivated, rdflib.Literal(True)))
        else:
            graph.set((rule, SH.severity, SEVERITIES[redelegation]))
    return graph


def rdflib_to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    """An rdflib term as a pyoxigraph term."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or ns.XSD + "string")))


def texts(graph: rdflib.Graph, node, predicate) -> dict[str, str]:
    """Language → text of a multilingual annotation (untagged text under "")."""
    return {(o.language or ""): str(o) for o in graph.objects(node, predicate) if isinstance(o, rdflib.Literal)}


def rdf_list(graph: rdflib.Graph, node) -> list:
    """The members of an RDF list."""
    return list(Collection(graph, node))


@dataclass(frozen=True)
class SparqlRule:
    """A SHACL-SPARQL rule of rules.ttl: one node shape with one sh:sparql constraint.

    Attributes:
        iri: the shape IRI, the rule's stable identifier (reported as sh:sourceShape).
        severity: "Violation", "Warning" or "Info".
        names, descriptions, messages: language → text; messages are templates with {$this}, {?value}…
        see_also: IRIs of the legal provisions behind the rule.
        select: the SPARQL SELECT query.
    """

    iri: str
    severity: str
    names: dict[str, str] = field(hash=False)
    descriptions: dict[str, str] = field(hash=False)
    messages: dict[str, str] = field(hash=False)
    see_also: tuple[str, ...]
    select: str


def sparql_rules(graph: rdflib.Graph) -> list[SparqlRule]:
    """The active SHACL-SPARQL rules of a shapes graph, in IRI order.

    Raises:
        RuleError: a shape with more than one sh:sparql constraint, or one without sh:select.
    """
    found = []
    for shape in sorted(set(graph.subjects(SH.sparql, None))):
        if graph.value(shape, SH.deactivated) == rdflib.Literal(True):
            continue
        constraints = list(graph.objects(shape, SH.sparql))
        if len(constraints) != 1:
            raise RuleError("a rule shape has exactly one sh:sparql constraint", rule=str(shape))
        constraint = constraints[0]
        select = graph.value(constraint, SH.select)
        if select is None:
            raise RuleError("the constraint has no sh:select", rule=str(shape))
        found.append(SparqlRule(
            iri=str(shape),
            severity=severity_name(graph.value(shape, SH.severity, default=SH.Violation)),
            names=texts(graph, shape, SH.name),
            descriptions=texts(graph, shape, SH.description),
            messages=texts(graph, constraint, SH.message),
            see_also=tuple(sorted(str(o) for o in graph.objects(shape, rdflib.RDFS.seeAlso))),
            select=str(select),
        ))
    return found
