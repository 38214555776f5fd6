"""The registry's store: a small backend interface, with embedded Oxigraph as the default.

Every other module talks to a `Backend`; `open_store()` picks the embedded one (a directory on disk)
or a remote SPARQL 1.1 server (registry.remote) from the configuration. Terms cross the interface
as pyoxigraph terms (NamedNode, Literal, BlankNode), whatever the backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import InputError, UsageError
from .generations import READERS, commit, head_number

DEFAULT_STORE = "var/store"
COMPACT_AFTER_QUADS = 10_000  # a write of at least this many quads compacts its new generation

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


class Backend(Protocol):
    """What the registry needs from a quad store. Queries see the union of all graphs by default."""

    def select(self, query: str) -> tuple[list[str], list[tuple]]:
        """Run a SELECT; return the variable names and rows of terms (None where unbound)."""

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> list[ox.Triple]: ...

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update atomically."""

    def replace_graphs(self, quads: Iterable[ox.Quad], graphs: Iterable[str]) -> None:
        """Atomically drop `graphs` and add `quads`: either everything is written or nothing."""

    def replace_all(self, quads: Iterable[ox.Quad]) -> None:
        """Atomically make the dataset exactly `quads` (every graph the registry owns)."""

    def snapshot(self) -> "Backend":
        """A read-only view for a series of queries: one state of the store where the backend can."""

    def graphs(self) -> list[str]: ...

    def quad_count(self, graph: str | None = None) -> int: ...

    def dump(self, fmt: ox.RdfFormat) -> bytes: ...

    # Optional: `generation`, an int that grows on every write (on disk: by any process), so that
    # readers (registry.lookup's in-memory index) can cache on it. A backend without it is re-read on a timer.


class OxigraphBackend:
    """The embedded, persistent default: Oxigraph in a store directory (registry.generations), or in memory.

    On disk, every read runs on the generation in service when it starts and every write is one
    copy-on-write commit, so readers never see half a write and a crash loses nothing.
    """

    def __init__(self, path: str | os.PathLike | None, *, pinned: ox.Store | None = None, generation: int = 0,
                 holds: object = None):
        self.path = Path(path).resolve() if path is not None else None
        self._memory = ox.Store() if self.path is None and pinned is None else None
        self._pinned = pinned
        self._writes = generation
        self._holds = holds  # a snapshot's reader lock: its generation stays on disk while it lives

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph Store to read: the head generation now (an empty one before the first write)."""
        if self._pinned is not None:
            return self._pinned
        if self._memory is not None:
            return self._memory
        current = READERS.current(self.path)
        return current.store if current else READERS.empty

    @property
    def generation(self) -> int:
        """Grows on every write: the head generation's number on disk, a write counter in memory."""
        if self.path is not None and self._pinned is None:
            return head_number(self.path)
        return self._writes

    def snapshot(self) -> "OxigraphBackend":
        """A read-only view of the store as it is now, for work that asks several queries; its
        `generation` is the one it shows."""
        if self.path is None or self._pinned is not None:
            return OxigraphBackend(self.path, pinned=self.store, generation=self.generation)
        current = READERS.current(self.path)
        if current is None:
            return OxigraphBackend(self.path, pinned=READERS.empty, generation=0)
        return OxigraphBackend(self.path, pinned=current.store, generation=current.number, holds=current)

    def raw_query(self, query: str, **options):
        """The pyoxigraph result itself (for the SPARQL endpoint, which serialises it directly).

        The default graph is the union of all graphs, unless the query names its own dataset
        (FROM / FROM NAMED: pyoxigraph's union option would override it) or `options` give one.
        """
        if "default_graph" not in options and "named_graphs" not in options:
            from .sparql_text import has_dataset_clause

            options.setdefault("use_default_graph_as_union", not has_dataset_clause(query))
        return self.store.query(query, **options)

    def select(self, query: str) -> tuple[list[str], list[tuple]]:
        result = self.raw_query(query)
        names = [v.value for v in result.variables]
        return names, [tuple(solution[n] for n in names) for solution in result]

    def ask(self, query: str) -> bool:
        return bool(self.raw_query(query))

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.raw_query(query))

    def update(self, update: str) -> None:
        """Apply a SPARQL 1.1 Update, all its operations or none."""
        self._write(lambda store: store.update(update))

    def replace_graphs(self, quads: Iterable[ox.Quad], graphs: Iterable[str]) -> None:
        staged = list(quads)
        drops = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)

        def change(store: ox.Store) -> None:
            if drops:
                store.update(drops)
            store.bulk_extend(staged)
            self._compact_after_bulk(store, len(staged))

        self._write(change)

    def replace_all(self, quads: Iterable[ox.Quad]) -> None:
        """Replace the whole dataset by `quads` (an export being read back), all or nothing."""
        staged = list(quads)

        def change(store: ox.Store) -> None:
            store.bulk_extend(staged)
            self._compact_after_bulk(store, len(staged))

        self._write(change, fresh=True)

    def _compact_after_bulk(self, store: ox.Store, quads: int) -> None:
        """A bulk write leaves fresh RocksDB files that read about 25 % slower until compacted (a full
        validation of the 100k registry: 10.5 s before, 8.0 s after); compact the new generation
        once, before it is published, when the write was large."""
        if self.path is not None and quads >= COMPACT_AFTER_QUADS:
            store.optimize()

    def _write(self, change, *, fresh: bool = False) -> None:
        """Run `change` on a new generation (on disk: registry.generations.commit), or on the memory
        store, undoing it there on failure. `fresh`: start from an empty dataset."""
        if self._pinned is not None:
            raise UsageError("a snapshot of the store cannot be written to")
        if self.path is not None:
            commit(self.path, change, base=None if fresh else "head")
            return
        store = self._memory
        kept = list(store)
        try:
            if fresh:
                store.clear()
            change(store)
        except BaseException:
            store.clear()
            store.extend(kept)
            raise
        finally:
            self._writes += 1

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def quad_count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        return self.store.dump(format=fmt)


def store_path(path: str | os.PathLike | None = None) -> str:
    """The store location: an explicit path, else $THAMQUYEN_STORE, else ./var/store."""
    return str(path or os.environ.get("THAMQUYEN_STORE") or DEFAULT_STORE)


def open_store(path: str | os.PathLike | None = None) -> Backend:
    """Open the configured store.

    A path (or $THAMQUYEN_STORE) opens the embedded store there; $THAMQUYEN_SPARQL_QUERY
    (with $THAMQUYEN_SPARQL_UPDATE, $THAMQUYEN_SPARQL_USER, $THAMQUYEN_SPARQL_PASSWORD) selects a
    remote SPARQL 1.1 server instead.

    >>> backend = open_store(":memory:")
    >>> backend.quad_count()
    0
    """
    if path is None and os.environ.get("THAMQUYEN_SPARQL_QUERY"):
        from .remote import SparqlServerBackend

        return SparqlServerBackend.from_environment()
    location = store_path(path)
    return OxigraphBackend(None if location == ":memory:" else location)


def rdf_format(file: str | os.PathLike) -> ox.RdfFormat:
    suffix = Path(file).suffix.lower()
    try:
        return RDF_FORMATS[suffix]
    except KeyError:
        raise InputError(f"unsupported RDF file type {suffix!r}; use one of {', '.join(sorted(RDF_FORMATS))}",
                         file=str(file)) from None


def parse_rdf(data: bytes | str, fmt: ox.RdfFormat, *, name: str, graph: str | None = None) -> list[ox.Quad]:
    """Parse RDF fully in memory, so that a syntax error is found before anything is written.

    Triples go to `graph` (if given); quads of a dataset format keep their own graphs, and their
    default-graph quads go to `graph`.

    Raises:
        InputError: with the file name, line and column of the first syntax error.
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        quads = []
        for q in ox.parse(data, format=fmt, base_iri=None):
            g = q.graph_name
            if isinstance(g, ox.DefaultGraph):
                g = target
            quads.append(ox.Quad(q.subject, q.predicate, q.object, g))
        return quads
    except SyntaxError as error:
        line = getattr(error, "lineno", None)
        column = getattr(error, "offset", None)
        raise InputError(f"not valid {fmt.name}: {error.msg if hasattr(error, 'msg') else error}",
                         file=name, line=line, column=column) from None


def load_files(backend: Backend, files: Iterable[str | os.PathLike], graph_for=None) -> dict[str, int]:
    """Load RDF files, one named graph per file, all or nothing.

    Every file is parsed before the first quad is written; a file that does not parse is
    reported with its name and line, and the store is left exactly as it was.

    Args:
        graph_for: function file → graph IRI; default: <https://w3id.org/thamquyen/graph/file/NAME>.
    Returns:
        quads loaded per graph IRI.
    """
    from .namespaces import GRAPH, slug

    graph_for = graph_for or (lambda f: f"{GRAPH}file/{slug(Path(f).stem)}")
    staged: list[ox.Quad] = []
    counts: dict[str, int] = {}
    for file in files:
        path = Path(file)
        if not path.is_file():
            raise InputError("no such file", file=str(file))
        graph = graph_for(path)
        quads = parse_rdf(path.read_bytes(), rdf_format(path), name=str(file), graph=graph)
        counts[graph] = len(quads)
        staged.extend(quads)
    backend.replace_graphs(staged, list(counts))
    return counts


def iter_values(rows: list[tuple], column: int = 0) -> Iterator[str]:
    """The string value of one column of SELECT rows (skipping unbound cells)."""
    for row in rows:
        if row[column] is not None:
            yield row[column].value
