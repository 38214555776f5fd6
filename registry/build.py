"""`thamquyen init`: build the registry from the ontology, the administrative units and the registry's data.

Each source yields quads into its own named graph; the whole build is staged in memory and written
in one all-or-nothing step, so a failing source leaves the store as it was. Blank nodes are named
in the order they first appear, so the same sources always build the same dataset (same digest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .store import Backend, parse_rdf

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "thamquyen.ttl"


def ontology_quads() -> Iterator[ox.Quad]:
    yield from parse_rdf(ONTOLOGY_FILE.read_bytes(), ox.RdfFormat.TURTLE, name=str(ONTOLOGY_FILE),
                         graph=ns.ONTOLOGY_GRAPH)


def unit_quads() -> Iterator[ox.Quad]:
    from .units import unit_quads as quads

    yield from quads()


def content_quads() -> Iterator[ox.Quad]:
    """Instruments, roles, powers and assignments of the registry's own data (registry.content)."""
    from .content import content_quads as quads

    yield from quads()


# (name, quads) in build order; each name is shown by the progress display.
SOURCES: list[tuple[str, Callable[[], Iterator[ox.Quad]]]] = [
    ("ontology", ontology_quads),
    ("administrative units", unit_quads),
    ("registry content", content_quads),
]


def build(backend: Backend, progress: Callable[[int, int, str, int], None] | None = None) -> dict[str, int]:
    """Rebuild every graph the sources produce; graphs loaded by `thamquyen load` are kept.

    Args:
        progress: called as progress(step, total, source name, quads so far) after each source.
    Returns:
        quads per source name.
    """
    staged: list[ox.Quad] = []
    counts: dict[str, int] = {}
    for step, (name, source) in enumerate(SOURCES, start=1):
        before = len(staged)
        staged.extend(source())
        counts[name] = len(staged) - before
        if progress:
            progress(step, len(SOURCES), name, counts[name])
    graphs = {q.graph_name.value for q in staged if isinstance(q.graph_name, ox.NamedNode)}
    backend.replace_graphs(stable_blank_nodes(staged), sorted(graphs))
    return counts


def stable_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads with blank nodes renamed _:init0, _:init1, … in order of first appearance (the
    parser names them at random), so that a rebuild from the same sources is the same dataset.

    >>> b = ox.BlankNode("x9f")
    >>> [str(q.subject) for q in stable_blank_nodes([ox.Quad(b, ox.NamedNode("http://p"), b)])]
    ['_:init0']
    """
    names: dict[str, ox.BlankNode] = {}

    def stable(term):
        if not isinstance(term, ox.BlankNode):
            return term
        if term.value not in names:
            names[term.value] = ox.BlankNode(f"init{len(names)}")
        return names[term.value]

    return [q if not (isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode))
            else ox.Quad(stable(q.subject), q.predicate, stable(q.object), q.graph_name) for q in quads]
