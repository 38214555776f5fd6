"""The `thamquyen` command: a thin layer over the registry's verbs.

Subcommands live in registry/commands/, one module each group, every module exposing
`register(subparsers)`; this file only wires them up and turns registry errors into exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import ThamquyenError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thamquyen",
        description="Registry of who holds which power in Vietnam's two-level government.",
    )
    parser.add_argument("--version", action="version", version=f"thamquyen {__version__}")
    parser.add_argument("--store", metavar="PATH",
                        help="store directory (default: $THAMQUYEN_STORE, else ./var/store)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{module.name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ThamquyenError as error:
        print(f"thamquyen: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
