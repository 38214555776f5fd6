"""Core subcommands: init, load, query, export, stats, serve."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError, UsageError
from ..store import load_files, open_store, parse_rdf, rdf_format, store_path

EXPORT_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def register(subparsers) -> None:
    p = subparsers.add_parser("init", help="build the store from ontology, units and registry data "
                                           "(built aside, switched in at once)")
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="instead, make the store exactly this dataset: an `export` (TriG or N-Quads)")
    p.set_defaults(func=cmd_init)

    p = subparsers.add_parser("load", help="load RDF files, one named graph per file, all or nothing")
    p.add_argument("files", nargs="+", metavar="FILE", help="Turtle, TriG, N-Quads, N-Triples, JSON-LD, RDF/XML")
    p.set_defaults(func=cmd_load)

    p = subparsers.add_parser("query", help="run a SPARQL query (string or .rq file)")
    p.add_argument("query", help="SPARQL text, or a path to a .rq file")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("export", help="write the whole dataset (TriG or N-Quads), or the assignments "
                                             "as an authoring template (--template)")
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="trig")
    p.add_argument("--output", "-o", metavar="FILE", help="file to write (default: standard output)")
    p.add_argument("--template", metavar="FILE.csv|FILE.xlsx",
                   help="write the assignments as template rows instead (registry.template)")
    p.add_argument("--graph", metavar="IRI", help="with --template: only the assignments of this named graph")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("stats", help="counts of what the store holds")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_stats)

    p = subparsers.add_parser("serve", help="start the API (SPARQL endpoint, lookup, draft check)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--read-only", action="store_true",
                   help="refuse every write, even with THAMQUYEN_WRITE_TOKEN set")
    p.set_defaults(func=cmd_serve)


def _progress(step: int, total: int, name: str, quads: int) -> None:
    width = 30
    filled = width * step // total
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {step}/{total} {name}: {quads:,} quads",
          file=sys.stderr)


def cmd_init(args) -> int:
    from ..build import build

    backend = open_store(args.store)
    if args.source:
        path = Path(args.source)
        if not path.is_file():
            raise InputError("no such file", file=args.source)
        quads = parse_rdf(path.read_bytes(), rdf_format(path), name=args.source)
        backend.replace_all(quads)
        print(f"store {store_path(args.store)}: {len(quads):,} quads from {args.source}")
        return 0
    counts = build(backend, progress=_progress)
    print(f"store {store_path(args.store)}: {sum(counts.values()):,} quads built")
    return 0


def cmd_load(args) -> int:
    backend = open_store(args.store)
    counts = load_files(backend, args.files)
    for graph, n in counts.items():
        print(f"{n:,} quads → <{graph}>")
    return 0


def read_query(text: str) -> str:
    """A query given on the command line, or the contents of a .rq file."""
    path = Path(text)
    if text.endswith(".rq") or (len(text) < 4096 and "\n" not in text and path.is_file()):
        if not path.is_file():
            raise InputError("no such query file", file=text)
        return path.read_text(encoding="utf-8")
    return text


def term_text(term) -> str:
    if term is None:
        return ""
    return term.value


def cmd_query(args) -> int:
    from ..namespaces import SPARQL_PREFIXES
    from ..sparql_text import query_form, with_prefixes

    backend = open_store(args.store)
    query = with_prefixes(read_query(args.query), SPARQL_PREFIXES)
    form = query_form(query)
    try:
        if form == "ASK":
            print("true" if backend.ask(query) else "false")
            return 0
        if form in ("CONSTRUCT", "DESCRIBE"):
            sys.stdout.write(ox.serialize(backend.construct(query), format=ox.RdfFormat.TURTLE).decode())
            return 0
        if form is None:
            raise UsageError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates go through the API")
        names, rows = backend.select(query)
    except SyntaxError as error:
        raise UsageError(f"SPARQL syntax error: {error}") from None
    if args.format == "json":
        json.dump([dict(zip(names, map(term_text, row))) for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows([list(map(term_text, row)) for row in rows])
    else:
        print_table(names, [list(map(term_text, row)) for row in rows])
    return 0


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c[:w].ljust(w) for c, w in zip(row, widths)))
    print(f"({len(rows)} rows)")


def cmd_export(args) -> int:
    backend = open_store(args.store)
    if args.template:
        from ..catalogue import load_catalogue
        from ..template import rows_from_store, write_template

        rows = rows_from_store(backend, load_catalogue(), graph=args.graph)
        write_template(rows, args.template)
        print(f"{len(rows):,} rows → {args.template}")
        return 0
    if args.graph:
        raise UsageError("--graph only applies to --template")
    data = backend.dump(EXPORT_FORMATS[args.format])
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_stats(args) -> int:
    from ..stats import registry_stats

    stats = registry_stats(open_store(args.store))
    if args.format == "json":
        json.dump(stats, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    for section, counts in stats.items():
        print(f"{section}:")
        for key, n in counts.items():
            print(f"  {key:<60} {n:>9,}")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from api.main import create_app
    from api.settings import Settings

    settings = Settings.from_environment(store=args.store)
    if args.read_only:
        settings = dataclasses.replace(settings, write_token=None)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0
