"""Backup subcommands: backup and restore (registry.backup)."""

from __future__ import annotations

from ..backup import backup, restore
from ..store import open_store, store_path


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="write a consistent snapshot of the store to a new directory "
                                             "(safe while the server runs)")
    p.add_argument("directory", metavar="DIR", help="a directory that does not exist yet (or is empty)")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("restore", help="replace the whole store by a backup, checked against its manifest")
    p.add_argument("directory", metavar="DIR", help="a directory written by `thamquyen backup`")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args) -> int:
    manifest = backup(open_store(args.store), args.directory)
    print(f"{manifest['quads']:,} quads (generation {manifest['generation']}, sha256 {manifest['sha256'][:16]}…) "
          f"→ {args.directory}")
    return 0


def cmd_restore(args) -> int:
    manifest = restore(open_store(args.store), args.directory)
    print(f"store {store_path(args.store)}: restored {manifest['quads']:,} quads from {args.directory} "
          f"(taken {manifest.get('created', '?')})")
    return 0
