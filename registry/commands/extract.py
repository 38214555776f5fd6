"""`thamquyen extract DECREE`: propose assignment rows from a decree's text, as template CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, UsageError
from ..extract import extract, write_csv, write_xlsx

FORMATS = ("csv", "xlsx")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "extract", help="propose assignment rows (template CSV/XLSX) from a decree's .docx, .txt or .html")
    p.add_argument("file", metavar="DECREE", help="the decree's text: .docx, .txt or .html")
    p.add_argument("--output", "-o", metavar="FILE", help="file to write (default: CSV on standard output)")
    p.add_argument("--format", choices=FORMATS,
                   help="csv or xlsx (default: from the output file's extension, else csv)")
    p.add_argument("--source", metavar="URL",
                   help="URL the text was read from, for the rows' source column (default: the file's URI)")
    p.set_defaults(func=cmd_extract)


def output_format(output: str | None, requested: str | None) -> str:
    """The format to write: the one asked for, else the output file's extension, else CSV.

    >>> output_format("rows.xlsx", None), output_format(None, None)
    ('xlsx', 'csv')
    """
    if requested:
        chosen = requested
    elif output and Path(output).suffix.lower() == ".xlsx":
        chosen = "xlsx"
    else:
        chosen = "csv"
    if chosen == "xlsx" and not output:
        raise UsageError("XLSX needs an output file: add --output FILE.xlsx")
    return chosen


def cmd_extract(args) -> int:
    chosen = output_format(args.output, args.format)
    rows = extract(args.file, source=args.source)
    try:
        if chosen == "xlsx":
            write_xlsx(rows, args.output)
        elif args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as stream:
                write_csv(rows, stream)
        else:
            write_csv(rows, sys.stdout)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", file=args.output) from None
    where = args.output or "standard output"
    print(f"{len(rows)} proposed assignment rows from {args.file} → {where}", file=sys.stderr)
    return 0
