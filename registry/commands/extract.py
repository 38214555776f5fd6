"""`thamquyen extract DECREE`: propose assignment rows from a decree's text, as template CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError, UsageError
from ..extract import extract, write_csv, write_rows

FORMATS = ("csv", "xlsx")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "extract", help="propose assignment rows (template CSV/XLSX) from a decree's .docx, .txt or .html")
    p.add_argument("file", metavar="DECREE", help="the decree's text: .docx, .txt or .html")
    p.add_argument("--output", "-o", metavar="FILE", help="file to write (default: CSV on standard output)")
    p.add_argument("--format", choices=FORMATS,
                   help="csv or xlsx; must agree with the output file's extension "
                        "(default: from it, else csv)")
    p.add_argument("--source", metavar="URL",
                   help="URL the text was read from, for the rows' source column (default: the file's URI)")
    p.set_defaults(func=cmd_extract)


def output_format(output: str | None, requested: str | None) -> str:
    """The format to write: the output file's extension (which --format, if given, must agree
    with), else CSV on standard output.

    >>> output_format("rows.xlsx", None), output_format(None, None)
    ('xlsx', 'csv')

    Raises:
        UsageError: XLSX asked for standard output, an output file that is neither .csv nor
            .xlsx, or --format contradicting the extension.
    """
    if not output:
        if requested == "xlsx":
            raise UsageError("XLSX needs an output file: add --output FILE.xlsx")
        return "csv"
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UsageError(f"the output file must end in .csv or .xlsx: {output}")
    if requested and requested != suffix:
        raise UsageError(f"--format {requested} but the output file ends in .{suffix}: {output}")
    return suffix


def cmd_extract(args) -> int:
    output_format(args.output, args.format)
    rows = extract(args.file, source=args.source)
    try:
        if args.output:
            write_rows(rows, args.output)
        else:
            write_csv(rows, sys.stdout)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", file=args.output) from None
    where = args.output or "standard output"
    print(f"{len(rows)} proposed assignment rows from {args.file} → {where}", file=sys.stderr)
    return 0
