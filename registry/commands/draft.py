"""`thamquyen check-draft FILE`: what a draft decree would introduce into the registry and what it
would resolve, without writing anything (registry.draft)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..draft import check_draft
from ..draft_input import SUFFIXES
from ..draft_render import FORMATS
from ..errors import InputError
from ..store import open_store


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check-draft", help="check a draft decree against the registry: the overlaps, omissions and gaps it "
                            "introduces or resolves, and the assignments it changes (exit 0: nothing introduced, "
                            "1: new violations, 2: bad input)")
    p.add_argument("file", metavar="FILE", help=f"the draft: {', '.join(SUFFIXES)}")
    p.add_argument("--effective", metavar="DATE",
                   help="first day the draft is in force (YYYY-MM-DD); rows without valid_from take it "
                        "(default: the draft's own, else its earliest valid_from)")
    p.add_argument("--repeals", metavar="NUMBER[:ARTICLE[.CLAUSE[.POINT]]]", action="append", default=[],
                   help="an instrument or provision the draft repeals, e.g. 49/2026/NĐ-CP:14.1 (repeatable); its "
                        "assignments end on the effective date")
    p.add_argument("--amends", metavar="NUMBER[:ARTICLE[.CLAUSE[.POINT]]]", action="append", default=[],
                   help="a provision the draft amends (repeatable); its assignments of a power the draft restates "
                        "end on the effective date")
    p.add_argument("--name", help="the draft's name, the last part of its graph …/graph/draft/NAME "
                                  "(default: the file's stem)")
    p.add_argument("--format", choices=sorted(FORMATS), default="text")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the explanations")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here (default: standard output)")
    p.set_defaults(func=cmd_check_draft)


def cmd_check_draft(args) -> int:
    report = check_draft(open_store(args.store), args.file, effective=args.effective, repeals=args.repeals,
                         amends=args.amends, name=args.name, lang=args.lang)
    text = FORMATS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise InputError(f"cannot write: {error.strerror or error}", file=args.output) from None
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return report.exit_code
