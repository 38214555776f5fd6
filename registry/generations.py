"""An embedded store that is never half-written: immutable generations, switched in atomically.

A store directory holds Oxigraph databases ("generations") side by side and a symbolic link that
names the one in service:

    head -> gen-000007      the generation readers see (replaced by rename(2), so never half-made)
    gen-000007/             a RocksDB database, never written again once published
    gen-000008.partial/     a write under way (a writer that died leaves it; the next one removes it)
    writer.lock             flock()ed by the one process writing; holds its pid and command

Every write is copy-on-write, the way Jena TDB2 and LMDB do it: the writer takes `writer.lock`,
checkpoints the head generation into a new directory (RocksDB hard-links its immutable files, so
this costs milliseconds, not a copy), applies the whole change there, flushes and fsyncs it, renames
it into place, and only then points `head` at it. A process killed at any moment leaves `head` on
the old generation or on the new, complete one. Readers open generations read-only and never wait:
a query runs on the generation that was head when it started (snapshot isolation), and the next one
sees the new head.

Old generations are removed by the next writer, except the two newest and any that a reader still
has open (readers hold a shared flock on the generation's `readers.lock`).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import sys
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError, UsageError

HEAD = "head"
WRITER_LOCK = "writer.lock"
READERS_LOCK = "readers.lock"
KEEP = 2  # published generations kept besides those readers hold: head and the one before it
_GENERATION = re.compile(r"gen-(\d{6})")


def generation_dir(root: Path, number: int) -> Path:
    return root / f"gen-{number:06d}"


def head_number(root: Path) -> int:
    """The generation in service; 0 for a store nothing was ever written to."""
    try:
        target = os.readlink(root / HEAD)
    except FileNotFoundError:
        if (root / "CURRENT").exists():
            raise UsageError(f"{root} is an Oxigraph database without thamquyen's generations (made by an "
                             "older version); build a new store with `thamquyen --store NEW init`") from None
        return 0
    except OSError as error:
        raise UsageError(f"cannot read the store at {root}: {error}") from None
    match = _GENERATION.fullmatch(target)
    if not match:
        raise UsageError(f"{root / HEAD} points at {target!r}, not at a generation directory")
    return int(match.group(1))


class Generation:
    """One published generation, opened read-only, with a shared lock that keeps it from removal."""

    def __init__(self, root: Path, number: int):
        self.number = number
        self.path = generation_dir(root, number)
        fd = os.open(self.path / READERS_LOCK, os.O_RDONLY)  # FileNotFoundError: removed meanwhile
        fcntl.flock(fd, fcntl.LOCK_SH)
        weakref.finalize(self, os.close, fd)
        if not self.path.is_dir():  # removed between open and flock
            raise FileNotFoundError(errno.ENOENT, "generation removed", str(self.path))
        try:
            self.store = ox.Store.read_only(str(self.path))
        except OSError as error:
            raise UsageError(f"cannot open the store at {self.path}: {error}") from None


class _Readers:
    """Per process: the generations of each store opened so far (the newest few stay open)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.open: dict[Path, list[Generation]] = {}
        self.empty = ox.Store()

    def current(self, root: Path) -> Generation | None:
        """The head generation of `root`, opened (None while nothing was ever written)."""
        for _attempt in range(20):
            number = head_number(root)
            if number == 0:
                return None
            with self.lock:
                opened = self.open.setdefault(root, [])
                for generation in opened:
                    if generation.number == number:
                        return generation
                try:
                    generation = Generation(root, number)
                except FileNotFoundError:  # a writer published again and removed this one: re-read head
                    continue
                # Keep the previous ones a little: queries that started on them may still be running.
                opened.insert(0, generation)
                del opened[KEEP + 1:]
                return generation
        raise UsageError(f"the store at {root} changes faster than it can be opened")


READERS = _Readers()


class WriterLock:
    """The one writer of a store, across processes (flock) and threads (a lock per store)."""

    _threads: dict[Path, threading.Lock] = {}
    _guard = threading.Lock()

    def __init__(self, root: Path):
        self.root = root
        with self._guard:
            self.thread_lock = self._threads.setdefault(root, threading.Lock())
        self.fd: int | None = None

    def __enter__(self) -> "WriterLock":
        self.thread_lock.acquire()
        try:
            try:
                self.fd = os.open(self.root / WRITER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise StoreError(f"cannot write the store at {self.root}: {error.strerror or error} "
                                 f"({self.root / WRITER_LOCK}); the store is unchanged") from None
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(self.fd, 4096, 0).decode("utf-8", "replace").strip() or "another process"
                raise StoreError(f"the store at {self.root} is being written by {holder}; "
                                 "try again when it has finished", busy=True) from None
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"pid {os.getpid()} ({_command()}) since {_now()}\n".encode(), 0)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        os.ftruncate(self.fd, 0)
        self._release()

    def _release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the flock
            self.fd = None
        self.thread_lock.release()


def commit(root: Path, change: Callable[[ox.Store], None], *, base: ox.Store | None | str = "head") -> int:
    """Apply `change` to a copy of the head generation and put the copy in service; return its number.

    Args:
        change: writes to the store it is given (a new, unpublished database); an exception from it
            leaves the store exactly as it was.
        base: what the new generation starts from: "head" (the generation in service), None (empty),
            or another on-disk store to copy (a backup being restored).
    Raises:
        StoreError: another process is writing, or the disk refused (full, read-only): the path and
            the reason, with the store unchanged.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the store at {root}: {error.strerror or error}") from None
    with WriterLock(root):
        _remove_leftovers(root)
        number = max(head_number(root), _newest(root)) + 1
        partial = root / f"gen-{number:06d}.partial"
        try:
            _write_generation(root, partial, change, base)
            final = generation_dir(root, number)
            os.rename(partial, final)
            _fsync_dir(root)
            link = root / (HEAD + ".new")
            if link.is_symlink():
                link.unlink()
            os.symlink(final.name, link)
            os.replace(link, root / HEAD)
            _fsync_dir(root)
        except OSError as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise StoreError(f"cannot write the store at {root}: {error.strerror or error} "
                             f"({getattr(error, 'filename', None) or partial}); the store is unchanged") from None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _collect_garbage(root)
    return number


def _write_generation(root: Path, partial: Path, change, base) -> None:
    if base == "head":
        current = READERS.current(root)
        base = current.store if current else None
    if base is not None:
        base.backup(str(partial))  # a RocksDB checkpoint: hard links to the immutable files
    store = ox.Store(str(partial))
    try:
        change(store)
        store.flush()
    finally:
        del store  # closes the database (the last reference), so the files are complete
    (partial / READERS_LOCK).touch()
    _fsync_tree(partial)


def _remove_leftovers(root: Path) -> None:
    """With the writer lock held, any partial or half-removed generation is a dead writer's."""
    for entry in root.iterdir():
        if entry.name.endswith((".partial", ".removing")):
            shutil.rmtree(entry, ignore_errors=True)


def _published(root: Path) -> list[int]:
    """The numbers of the published generations, newest first."""
    return sorted((int(m.group(1)) for e in root.iterdir() if (m := _GENERATION.fullmatch(e.name))), reverse=True)


def _newest(root: Path) -> int:
    return next(iter(_published(root)), 0)


def _collect_garbage(root: Path) -> None:
    """Remove published generations older than the newest KEEP that no reader has open."""
    for number in _published(root)[KEEP:]:
        path = generation_dir(root, number)
        fd = os.open(path / READERS_LOCK, os.O_RDONLY)  # every published generation has one
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a reader still has it open: the next writer tries again
        removing = path.with_name(path.name + ".removing")
        os.rename(path, removing)
        os.close(fd)
        shutil.rmtree(removing, ignore_errors=True)


def _fsync_tree(path: Path) -> None:
    for entry in path.iterdir():
        if entry.is_file():
            fd = os.open(entry, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _command() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    return " ".join([name, *sys.argv[1:]])[:200]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
