"""Content subcommands: `import` an authoring template (CSV / XLSX) into a named graph."""

from __future__ import annotations

from pathlib import Path

from ..catalogue import load_catalogue
from ..errors import InputError
from ..namespaces import GRAPH, slug
from ..store import open_store
from ..template import read_template, rows_to_quads


def register(subparsers) -> None:
    p = subparsers.add_parser("import", help="import authoring templates (CSV/XLSX), one named graph per file, "
                                             "all or nothing; re-importing a file replaces its graph")
    p.add_argument("files", nargs="+", metavar="FILE", help="template files (.csv or .xlsx), columns as in docs/model.md")
    p.add_argument("--graph", metavar="IRI", help="named graph (only with one FILE; default: "
                                                  f"{GRAPH}file/<file name>)")
    p.set_defaults(func=cmd_import)


def template_graph(path: str | Path) -> str:
    """The named graph a template file is imported into: …/graph/file/<slug of the file name>."""
    return f"{GRAPH}file/{slug(Path(path).stem)}"


def cmd_import(args) -> int:
    if args.graph and len(args.files) > 1:
        raise InputError("--graph names the graph of a single file; import several files without it")
    catalogue = load_catalogue()
    staged, counts = [], {}
    for file in args.files:
        graph = args.graph or template_graph(file)
        rows = read_template(file)
        quads = rows_to_quads(rows, graph, catalogue)
        staged.extend(quads)
        counts[graph] = (len(rows), len(quads))
    open_store(args.store).replace_graphs(staged, list(counts))
    for graph, (rows, quads) in counts.items():
        print(f"{rows:,} rows, {quads:,} quads → <{graph}>")
    return 0
