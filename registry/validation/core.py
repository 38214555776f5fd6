"""The SHACL Core shapes (structure.ttl) executed over the data index: the fast engine for structure.

Each supported constraint component follows the SHACL spec as pyshacl reads it (one result per
offending value; none for minCount, maxCount, uniqueLang per language, qualified counts; lessThan
once per pair of values). A component outside the supported set is refused with the shape's IRI,
so a shape is never skipped silently. SHACL-SPARQL constraints (sh:sparql) are run by `rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import rdflib

from .. import namespaces as ns
from ..errors import RuleError
from .data import RDF_LANGSTRING, XSD_STRING, DataIndex, Term, literal, to_ox
from .findings import Finding
from .shapes import SH, rdf_list, rdflib_to_ox, severity_name

XSD_DATE = ns.XSD + "date"
WELL_FORMED = {
    XSD_STRING: lambda lexical: True,
    RDF_LANGSTRING: lambda lexical: True,
    XSD_DATE: lambda lexical: _xsd_date(lexical) is not None,
}
# Node kinds by the first character of a term's N-Triples text.
NODE_KINDS = {
    SH.IRI: "<", SH.Literal: '"', SH.BlankNode: "_", SH.BlankNodeOrIRI: "_<", SH.IRIOrLiteral: '<"',
    SH.BlankNodeOrLiteral: '_"',
}
REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}

# Predicates of a shape that state no constraint (documentation, targets, and the parameters read
# together with their component).
NOT_CONSTRAINTS = {
    rdflib.RDF.type, rdflib.RDFS.label, rdflib.RDFS.comment, rdflib.RDFS.seeAlso, SH.name, SH.description,
    SH.message, SH.severity, SH.deactivated, SH.path, SH.order, SH.group, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql,
}
COMPONENTS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class", SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind", SH["in"]: "In", SH.pattern: "Pattern", SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang", SH.lessThan: "LessThan", SH["or"]: "Or", SH.property: "Property",
    SH.qualifiedValueShape: "QualifiedValueShape",
}

# Components that judge one value on its own.
VALUE_COMPONENTS = {"Class", "Datatype", "NodeKind", "In", "Pattern", "LanguageIn", "Or"}


def _xsd_date(lexical: str) -> date | None:
    match = re.fullmatch(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?", lexical)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


@dataclass
class Shape:
    """A compiled node or property shape: its constraints as (component, parameter) pairs."""

    iri: str
    path: str | None
    severity: str
    messages: tuple[tuple[str, str], ...]
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    target_classes: list[Term] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    target_nodes: list[Term] = field(default_factory=list)
    # only counts and value-by-value constraints: conformance is checked without the general walk
    simple: bool = False

    def predicates(self) -> set[str]:
        """Every predicate the shape reads: paths, lessThan properties and target predicates."""
        found = set(self.target_subjects_of) | set(self.target_objects_of)
        if self.path:
            found.add(self.path)
        for component, param in self.constraints:
            if component == "LessThan":
                found.add(param)
            elif component == "Or":
                for operand in param:
                    found |= operand.predicates()
            elif component == "QualifiedValueShape":
                found |= param[0].predicates()
        for prop in self.properties:
            found |= prop.predicates()
        return found


class CoreShapes:
    """The SHACL Core shapes of a shapes graph, compiled once, run over any data index.

    Raises:
        RuleError: a shape uses a constraint component or datatype the fast engine does not
            support, a complex property path, or reports findings without an sh:message.
    """

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.shapes: list[Shape] = []
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        roots = sorted({s for t in targets for s in graph.subjects(t, None)})
        for node in roots:
            if graph.value(node, SH.deactivated) == rdflib.Literal(True):
                continue
            shape = self._compile(node, reporting=True)
            if shape.constraints or shape.properties:
                self.shapes.append(shape)

    def predicates(self) -> set[str]:
        found = set()
        for shape in self.shapes:
            found |= shape.predicates()
        return found

    def _compile(self, node, *, reporting: bool) -> Shape:
        g = self.graph
        path = g.value(node, SH.path)
        if path is not None and not isinstance(path, rdflib.URIRef):
            raise RuleError("only a single predicate is supported as sh:path", rule=str(node))
        messages = tuple(sorted(((m.language or ""), str(m)) for m in g.objects(node, SH.message)))
        shape = Shape(
            iri=str(node), path=str(path) if path is not None else None,
            severity=severity_name(g.value(node, SH.severity, default=SH.Violation)),
            messages=messages,
            target_classes=[_term(c) for c in g.objects(node, SH.targetClass)],
            target_subjects_of=[str(p) for p in g.objects(node, SH.targetSubjectsOf)],
            target_objects_of=[str(p) for p in g.objects(node, SH.targetObjectsOf)],
            target_nodes=[_term(n) for n in g.objects(node, SH.targetNode)],
        )
        for predicate, obj in sorted(g.predicate_objects(node)):
            if predicate in NOT_CONSTRAINTS:
                continue
            component = COMPONENTS.get(predicate)
            if component is None or (predicate == SH.property and path is not None):
                # (sh:property nested in a property shape is not used by the registry's shapes)
                raise RuleError(f"constraint {predicate} is not supported by the fast engine", rule=str(node))
            if component == "Property":
                if g.value(obj, SH.deactivated) != rdflib.Literal(True):
                    shape.properties.append(self._compile(obj, reporting=True))
                continue
            shape.constraints.append((component, self._parameter(node, component, obj)))
        if reporting and shape.constraints and not messages:
            raise RuleError("a shape that reports findings needs an sh:message (vi and en)", rule=str(node))
        shape.simple = not shape.properties and all(c in VALUE_COMPONENTS or c in ("MinCount", "MaxCount")
                                                    for c, _ in shape.constraints)
        return shape

    def _parameter(self, node, component: str, obj):
        g = self.graph
        if component in ("MinCount", "MaxCount"):
            return int(obj)
        if component == "Class":
            return _term(obj)
        if component == "Datatype":
            if str(obj) not in WELL_FORMED:
                raise RuleError(f"datatype {obj} is not supported by the fast engine", rule=str(node))
            return str(obj)
        if component == "NodeKind":
            return NODE_KINDS[obj]
        if component == "In":
            return {_term(m) for m in rdf_list(g, obj)}
        if component == "Pattern":
            flags = 0
            for letter in str(g.value(node, SH.flags, default="")):
                flags |= REGEX_FLAGS[letter]
            return re.compile(str(obj), flags)
        if component == "LanguageIn":
            return [str(m).lower() for m in rdf_list(g, obj)]
        if component == "UniqueLang":
            return bool(obj.toPython())
        if component == "LessThan":
            return str(obj)
        if component == "Or":
            return [self._compile(m, reporting=False) for m in rdf_list(g, obj)]
        if component == "QualifiedValueShape":
            if g.value(node, SH.qualifiedValueShapesDisjoint) is not None:
                raise RuleError("sh:qualifiedValueShapesDisjoint is not supported", rule=str(node))
            low = g.value(node, SH.qualifiedMinCount)
            high = g.value(node, SH.qualifiedMaxCount)
            return (self._compile(obj, reporting=False), int(low) if low is not None else None,
                    int(high) if high is not None else None)
        raise RuleError(f"component {component} has no parameter reader", rule=str(node))  # pragma: no cover

    def findings(self, data: DataIndex, focus: set[Term] | None = None) -> list[Finding]:
        """Every result of every structure shape on the data (or on the given focus nodes only)."""
        found = []
        for shape in self.shapes:
            nodes = focus_nodes(shape, data)
            if focus is not None:
                nodes &= focus
            for owner, component, node, value in _evaluate(shape, nodes, data):
                found.append(Finding(rule=owner.iri, severity=owner.severity, focus=to_ox(node), value=to_ox(value),
                                     component=f"{ns.SH}{component}ConstraintComponent", path=owner.path,
                                     messages=owner.messages))
        return found


def focus_nodes(shape: Shape, data: DataIndex) -> set[Term]:
    """The focus nodes of a shape's targets."""
    nodes = set(shape.target_nodes)
    for cls in shape.target_classes:
        nodes |= data.instances(cls)
    for p in shape.target_subjects_of:
        nodes.update(data.subjects_of(p))
    for p in shape.target_objects_of:
        nodes |= data.objects_of(p)
    return nodes


def _evaluate(shape: Shape, nodes: set[Term], data: DataIndex) -> Iterator[tuple[Shape, str, Term, Term | None]]:
    """(shape, component, focus, value) of every violation of a shape and its property shapes.

    Runs constraint by constraint over all focus nodes. What depends on a value only (class
    membership, datatype, pattern…) is judged once per distinct value: a national registry repeats
    the same few hundred holders, modes and dates, and only the nodes holding a failing value are
    looked for.
    """
    if shape.path:
        index = data.objects(shape.path)
        values_of = index.get
    else:
        index = None
        values_of = _itself
    for component, param in shape.constraints:
        if component == "MinCount" and param == 1 and index is not None:
            for node in nodes - index.keys():
                yield shape, component, node, None
        elif component == "MaxCount" and index is not None and _most_values(index) <= param:
            continue
        elif component in ("MinCount", "MaxCount"):
            low = component == "MinCount"
            for node in nodes:
                count = len(values_of(node, ()))
                if (count < param) if low else (count > param):
                    yield shape, component, node, None
        elif component == "LessThan":
            others_of = data.objects(param)
            compared: dict[tuple[Term, Term], bool] = {}
            for node in nodes:
                others = others_of.get(node)
                if not others:
                    continue
                for v in values_of(node, ()):
                    for w in others:
                        ok = compared.get((v, w))
                        if ok is None:
                            ok = compared[(v, w)] = _less_than(v, w)
                        if not ok:
                            yield shape, component, node, v
        elif component == "QualifiedValueShape":
            inner, low, high = param
            qualified: dict[Term, bool] = {}
            for node in nodes:
                count = 0
                for v in values_of(node, ()):
                    ok = qualified.get(v)
                    if ok is None:
                        ok = qualified[v] = conforms(inner, v, data)
                    count += ok
                if low is not None and count < low:
                    yield shape, "QualifiedMinCount", node, None
                if high is not None and count > high:
                    yield shape, "QualifiedMaxCount", node, None
        elif component == "UniqueLang":
            if param:
                for node in nodes:
                    for _ in range(_duplicate_languages(values_of(node, ()))):
                        yield shape, component, node, None
        elif index is None and component == "Or" and all(operand.simple for operand in param):
            passing: set[Term] = set()
            for operand in param:
                passing |= _conforming(operand, nodes, data)
            for node in nodes - passing:
                yield shape, component, node, node
        elif index is None:
            for node in nodes:
                if not _value_ok(component, param, node, data):
                    yield shape, component, node, node
        else:
            failing = _failing_values(component, param, shape.path, data)
            for node, values in index.items() if failing else ():
                if node in nodes:
                    for v in values:
                        if v in failing:
                            yield shape, component, node, v
    for prop in shape.properties:
        yield from _evaluate(prop, nodes, data)


def _most_values(index: dict[Term, list[Term]]) -> int:
    """The largest number of values a node has in an index (counted in C: most have one)."""
    return max(map(len, index.values()), default=0)


def _failing_values(component: str, param, path: str, data: DataIndex) -> set[Term]:
    """The distinct values of a path that fail a value-by-value constraint."""
    return {v for v in data.objects_of(path) if not _value_ok(component, param, v, data)}


def _conforming(shape: Shape, nodes: set[Term], data: DataIndex) -> set[Term]:
    """The nodes that conform to a simple shape, computed with set operations over all nodes at once."""
    passing = set(nodes)
    if not shape.path:
        for component, param in shape.constraints:
            passing = {n for n in passing if _value_ok(component, param, n, data)}
        return passing
    index = data.objects(shape.path)
    for component, param in shape.constraints:
        if component == "MinCount":
            passing = (passing & index.keys()) if param == 1 else {n for n in passing if len(index.get(n, ())) >= param}
        elif component == "MaxCount":
            if _most_values(index) > param:
                passing -= {n for n, values in index.items() if len(values) > param}
        else:
            failing = _failing_values(component, param, shape.path, data)
            if failing:
                passing -= {n for n, values in index.items() if not failing.isdisjoint(values)}
    return passing


def _itself(node: Term, default=None) -> tuple[Term]:
    """The value nodes of a node shape: the focus node itself."""
    return (node,)


def _duplicate_languages(values) -> int:
    """How many language tags are used by more than one value (sh:uniqueLang reports each once)."""
    seen, duplicated = set(), set()
    for v in values:
        parts = literal(v)
        lang = parts[2].lower() if parts else ""
        if lang:
            if lang in seen:
                duplicated.add(lang)
            seen.add(lang)
    return len(duplicated)


def conforms(shape: Shape, node: Term, data: DataIndex) -> bool:
    """The node conforms to the shape (used for sh:or operands and qualified value shapes)."""
    if shape.simple:
        values = data.values(node, shape.path) if shape.path else (node,)
        for component, param in shape.constraints:
            if component == "MinCount":
                if len(values) < param:
                    return False
            elif component == "MaxCount":
                if len(values) > param:
                    return False
            elif not all(_value_ok(component, param, v, data) for v in values):
                return False
        return True
    return next(_evaluate(shape, {node}, data), None) is None


def _value_ok(component: str, param, v: Term, data: DataIndex) -> bool:
    if component == "Class":
        return data.is_instance(v, param)
    if component == "Datatype":
        parts = literal(v)
        return parts is not None and parts[1] == param and WELL_FORMED[param](parts[0])
    if component == "NodeKind":
        return v[0] in param
    if component == "In":
        return v in param
    if component == "Pattern":
        if v.startswith("_:"):
            return False
        text = v[1:-1] if v.startswith("<") else literal(v)[0]
        return param.search(text) is not None
    if component == "LanguageIn":
        parts = literal(v)
        if parts is None or not parts[2]:
            return False
        lang = parts[2].lower()
        return any(lang == r or lang.startswith(r + "-") or r == "*" for r in param)
    if component == "Or":
        return any(conforms(operand, v, data) for operand in param)
    raise RuleError(f"component {component} cannot be evaluated")  # pragma: no cover


def _comparable(t: Term):
    """pyshacl's reading of a value for sh:lessThan: strings (IRIs, plain and tagged text), dates, or lexical."""
    if t.startswith("<"):
        return "text", t[1:-1]
    parts = literal(t)
    if parts is None:
        return "node", t
    lexical, datatype, lang = parts
    if lang or datatype == XSD_STRING:
        return "text", lexical
    if datatype == XSD_DATE:
        parsed = _xsd_date(lexical)
        if parsed is not None:
            return "date", parsed
    return datatype, lexical


def _less_than(v: Term, w: Term) -> bool:
    kind_v, a = _comparable(v)
    kind_w, b = _comparable(w)
    if kind_v == kind_w:
        return a < b
    if {kind_v, kind_w} <= {"date", XSD_DATE}:
        # an ill-formed date against a date: rdflib compares the lexical forms
        return literal(v)[0] < literal(w)[0]
    return False


def _term(node) -> Term:
    """A shapes-graph (rdflib) term in the index's N-Triples form."""
    return str(rdflib_to_ox(node))
