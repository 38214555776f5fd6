"""`thamquyen backup` and `restore`: a consistent copy of the embedded store, and bringing it back.

A backup is a directory with the generation in service when it started (an Oxigraph database, see
registry.generations) and a manifest with its quad count and content digest:

    DIR/data/                    the database (hard links into the store when on the same disk)
    DIR/thamquyen-backup.json    {"quads": …, "sha256": …, "generation": …, "created": …, "store": …}

Generations are immutable, so a backup taken while the server answers and writes is still exactly
one committed state. Restore is one write like any other: the new generation is checked against the
manifest before it is put in service, so a damaged backup leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, UsageError
from .generations import commit
from .store import Backend, OxigraphBackend

MANIFEST = "thamquyen-backup.json"
DATA = "data"


def content_digest(store: ox.Store) -> tuple[int, str]:
    """(quad count, SHA-256 of the sorted N-Quads lines): equal for equal datasets with equal blank nodes."""
    lines = store.dump(format=ox.RdfFormat.N_QUADS).splitlines()
    lines.sort()
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    return len(lines), digest.hexdigest()


def _embedded(backend: Backend, verb: str) -> OxigraphBackend:
    if not isinstance(backend, OxigraphBackend) or backend.path is None:
        raise UsageError(f"{verb} works on the embedded store (--store DIR); a SPARQL server has its own backups")
    return backend


def backup(backend: Backend, target: str | os.PathLike) -> dict:
    """Write the store as it is now to `target` (a new directory); return the manifest."""
    backend = _embedded(backend, "backup")
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} already exists and is not empty; back up into a new directory")
    snapshot = backend.snapshot()
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir(parents=True)
        snapshot.store.backup(str(partial / DATA))
        quads, sha256 = content_digest(snapshot.store)
        manifest = {"format": 1, "quads": quads, "sha256": sha256, "generation": snapshot.generation,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "store": str(backend.path)}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            target.rmdir()
        os.rename(partial, target)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise UsageError(f"cannot write the backup at {target}: {error.strerror or error}") from None
    return manifest


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not path.is_file() or not (source / DATA).is_dir():
        raise InputError(f"not a thamquyen backup (no {MANIFEST} and {DATA}/ here)", file=str(source))
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        return {"quads": int(manifest["quads"]), "sha256": str(manifest["sha256"]), **manifest}
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"unreadable backup manifest: {error}", file=str(path)) from None


def restore(backend: Backend, source: str | os.PathLike) -> dict:
    """Replace the whole store by the backup in `source`, checked against its manifest first."""
    backend = _embedded(backend, "restore")
    source = Path(source)
    manifest = read_manifest(source)
    try:
        saved = ox.Store.read_only(str(source / DATA))
    except OSError as error:
        raise InputError(f"the backup's database cannot be opened: {error}", file=str(source / DATA)) from None

    def check(store: ox.Store) -> None:
        found = content_digest(store)
        if found != (manifest["quads"], manifest["sha256"]):
            raise InputError(f"the backup does not match its manifest ({found[0]:,} quads, sha256 {found[1][:12]}…; "
                             f"the manifest says {manifest['quads']:,}, {manifest['sha256'][:12]}…); "
                             "nothing was restored", file=str(source))

    commit(backend.path, check, base=saved)
    return manifest
