"""`thamquyen validate`: check the registry against its shapes and explain each finding.

Exit status: 0 no Violation (warnings and infos may be reported), 1 at least one Violation,
2 a usage error (unknown graph, bad date, shapes or data that do not parse).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ..errors import UsageError
from ..validation.shapes import DEFAULT_REDELEGATION, REDELEGATION_POLICIES

FORMATS = ("text", "json", "turtle", "html")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate", help="check the registry: structure, overlaps, omissions, gaps, delegations, legal basis",
        description="Validate the store against shapes/*.ttl and explain each finding with the power, the holders "
                    "and the article, clause and instrument of each assignment. Exit status 0: no violation; "
                    "1: violations; 2: usage error.")
    p.add_argument("--at", metavar="DATE", help="validate as of this day (YYYY-MM-DD): findings in force then, "
                                                "and powers nobody holds on it")
    p.add_argument("--graph", metavar="IRI", action="append",
                   help="validate this named graph (with the ontology, units, catalogue and instruments); repeatable")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the explanations (default vi)")
    p.add_argument("--redelegation", choices=REDELEGATION_POLICIES, default=DEFAULT_REDELEGATION,
                   help="re-delegation of an ủy quyền: violation, warning (default: Law 72/2025 is unverified) or off")
    p.add_argument("--shapes", metavar="FILE", action="append", help="shape files instead of shapes/*.ttl")
    p.add_argument("--data", metavar="FILE", action="append",
                   help="also validate this RDF file, without loading it into the store; repeatable")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here (default: standard output)")
    p.set_defaults(func=cmd_validate)


def parse_date(text: str | None) -> date | None:
    """A --at value.

    Raises:
        UsageError: not an ISO date.

    >>> parse_date("2025-07-01")
    datetime.date(2025, 7, 1)
    """
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--at: not a date (YYYY-MM-DD): {text!r}") from None


def cmd_validate(args) -> int:
    from ..store import open_store, parse_rdf, rdf_format
    from ..validate import Validator, validate
    from ..validation.render import FORMATS as RENDER
    from ..validation.shapes import load_shapes

    at = parse_date(args.at)
    shapes = load_shapes(args.shapes, redelegation=args.redelegation) if args.shapes else None
    validator = Validator(shapes, redelegation=args.redelegation)
    overlay = []
    for file in args.data or ():
        path = Path(file)
        if not path.is_file():
            raise UsageError(f"--data: no such file: {file}")
        overlay += [q.triple for q in parse_rdf(path.read_bytes(), rdf_format(path), name=str(path))]
    report = validate(open_store(args.store), at=at, graphs=args.graph, lang=args.lang, overlay=overlay,
                      validator=validator)
    text = RENDER[args.format](report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.output or args.format != "text":
        counts = report.counts()
        print(f"{counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']} infos",
              file=sys.stderr)
    return 0 if report.conforms else 1
