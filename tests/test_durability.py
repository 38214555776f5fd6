"""The embedded store keeps one committed state at every moment (registry.generations, registry.backup).

Real stores in temporary directories, real `thamquyen` processes, a real full disk (a small tmpfs)
and a real read-only file system. The kills themselves are in tests/test_crash.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from registry.backup import MANIFEST, backup, content_digest, restore
from registry.errors import InputError, StoreError, UsageError
from registry.generations import KEEP, commit, head_number
from registry.store import OxigraphBackend, load_files

ROOT = Path(__file__).resolve().parent.parent
EX = "http://example.org/"


def thamquyen(store: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "registry.cli", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                               if not k.startswith("THAMQUYEN_")})


def triples_file(path: Path, n: int, start: int = 0) -> Path:
    path.write_text("".join(f"<{EX}s{i}> <{EX}p> \"value {i} {'x' * 80}\" .\n" for i in range(start, start + n)))
    return path


def state(path: Path) -> tuple[int, str]:
    return content_digest(OxigraphBackend(path).snapshot().store)


def generations(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.startswith("gen-"))


@pytest.fixture
def store(tmp_path) -> Path:
    """A store with one loaded graph of 100 triples."""
    path = tmp_path / "store"
    load_files(OxigraphBackend(path), [triples_file(tmp_path / "first.nt", 100)])
    return path


@contextlib.contextmanager
def tmpfs(where: Path, size: str):
    """A real small file system (needs root, as on the CI machines)."""
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=True)  # this process may still have it open


@contextlib.contextmanager
def writer_in_another_process(store: Path):
    """Another process holding the store's writer lock (as a `thamquyen load` does while it writes)."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from registry.generations import WriterLock\n"
        "with WriterLock(Path(sys.argv[1])):\n    print('holding', flush=True); time.sleep(60)\n"), str(store)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_a_write_is_a_new_generation_and_head_names_it(store, tmp_path):
    assert head_number(store) == 1 and os.readlink(store / "head") == "gen-000001"
    load_files(OxigraphBackend(store), [triples_file(tmp_path / "second.nt", 5)])
    assert head_number(store) == 2
    assert OxigraphBackend(store).quad_count() == 105
    assert not [p for p in store.iterdir() if p.name.endswith(".partial")]


def test_a_failing_change_leaves_the_store_and_no_partial_generation(store):
    before = state(store)

    def change(db: ox.Store) -> None:
        db.update("DROP ALL")
        raise RuntimeError("the change failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        commit(store, change)
    assert state(store) == before and head_number(store) == 1
    assert generations(store) == ["gen-000001"]


def test_a_failing_update_changes_nothing(store):
    before = state(store)
    with pytest.raises(SyntaxError):
        OxigraphBackend(store).update(f"DROP ALL ; INSERT DATA {{ <{EX}a> <{EX}b> }}")
    assert state(store) == before


def test_a_dead_writers_partial_generation_is_removed_by_the_next_writer(store, tmp_path):
    leftover = store / "gen-000002.partial"
    leftover.mkdir()
    (leftover / "000001.sst").write_bytes(b"half a file")
    load_files(OxigraphBackend(store), [triples_file(tmp_path / "second.nt", 5)])
    assert not leftover.exists()
    assert head_number(store) == 2 and OxigraphBackend(store).quad_count() == 105


def test_a_snapshot_keeps_answering_from_its_state_after_a_write(store, tmp_path):
    backend = OxigraphBackend(store)
    snapshot = backend.snapshot()
    load_files(backend, [triples_file(tmp_path / "second.nt", 5)])
    assert snapshot.quad_count() == 100 and snapshot.generation == 1
    assert backend.quad_count() == 105 and backend.generation == 2
    with pytest.raises(UsageError, match="snapshot"):
        snapshot.update(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")


def test_old_generations_are_removed_unless_a_reader_holds_one(store, tmp_path):
    held = OxigraphBackend(store).snapshot()  # this process keeps generation 1 open
    writer = OxigraphBackend(store)
    for i in range(6):
        writer.update(f"INSERT DATA {{ <{EX}new{i}> <{EX}p> <{EX}o> }}")
    kept = generations(store)
    assert "gen-000001" in kept  # held by a reader
    assert kept[-KEEP:] == ["gen-000006", "gen-000007"]
    assert len(kept) <= KEEP + 4  # the newest two, the held one, and those this process's reader cache holds
    assert held.quad_count() == 100


def test_a_second_writer_gets_one_line_naming_the_holder(store, tmp_path):
    with writer_in_another_process(store) as holder:
        before = state(store)
        result = thamquyen(store, "load", str(triples_file(tmp_path / "second.nt", 5)))
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"being written by pid {holder.pid}" in lines[0], result.stderr
        assert str(store) in lines[0]
        assert state(store) == before
        with pytest.raises(StoreError) as error:
            OxigraphBackend(store).update(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}")
        assert error.value.http_status == 409
    assert thamquyen(store, "load", str(tmp_path / "second.nt")).returncode == 0  # the lock went with it


def test_backup_then_restore_brings_back_every_quad(store, tmp_path):
    before = state(store)
    result = thamquyen(store, "backup", str(tmp_path / "backup"))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert (manifest["quads"], manifest["sha256"]) == before
    load_files(OxigraphBackend(store), [triples_file(tmp_path / "second.nt", 5)])
    OxigraphBackend(store).update("DROP GRAPH <https://w3id.org/thamquyen/graph/file/first>")
    assert state(store) != before
    result = thamquyen(store, "restore", str(tmp_path / "backup"))
    assert result.returncode == 0, result.stderr
    assert state(store) == before
    assert thamquyen(tmp_path / "elsewhere", "restore", str(tmp_path / "backup")).returncode == 0
    assert state(tmp_path / "elsewhere") == before


def test_restore_refuses_a_backup_that_does_not_match_its_manifest(store, tmp_path):
    backup(OxigraphBackend(store), tmp_path / "backup")
    manifest_file = tmp_path / "backup" / MANIFEST
    manifest = json.loads(manifest_file.read_text())
    manifest_file.write_text(json.dumps({**manifest, "quads": manifest["quads"] + 1}))
    load_files(OxigraphBackend(store), [triples_file(tmp_path / "second.nt", 5)])
    after = state(store)
    with pytest.raises(InputError, match="does not match its manifest"):
        restore(OxigraphBackend(store), tmp_path / "backup")
    assert state(store) == after
    with pytest.raises(InputError, match="not a thamquyen backup"):
        restore(OxigraphBackend(store), tmp_path)
    result = thamquyen(store, "backup", str(tmp_path / "backup"))
    assert result.returncode == 2 and "not empty" in result.stderr


def test_export_then_init_from_it_round_trips_every_quad(built_store_path, tmp_path):
    export = tmp_path / "registry.nq"
    assert thamquyen(built_store_path, "export", "--format", "nquads", "-o", str(export)).returncode == 0
    result = thamquyen(tmp_path / "copy", "init", "--from", str(export))
    assert result.returncode == 0, result.stderr
    assert state(tmp_path / "copy") == state(built_store_path)
    trig = tmp_path / "registry.trig"
    assert thamquyen(built_store_path, "export", "-o", str(trig)).returncode == 0
    assert thamquyen(tmp_path / "copy", "init", "--from", str(trig)).returncode == 0
    assert state(tmp_path / "copy") == state(built_store_path)


def test_init_is_reproducible_and_a_rebuild_keeps_loaded_graphs(built_store_path, tmp_path):
    copy = tmp_path / "copy"
    assert thamquyen(copy, "init").returncode == 0
    assert state(copy) == state(built_store_path)  # blank nodes too: the same sources, the same dataset
    load_files(OxigraphBackend(copy), [triples_file(tmp_path / "extra.nt", 5)])
    with_extra = state(copy)
    assert thamquyen(copy, "init").returncode == 0
    assert state(copy) == with_extra


def test_init_from_a_file_that_does_not_parse_names_the_line_and_changes_nothing(store, tmp_path):
    before = state(store)
    bad = tmp_path / "bad.nq"
    bad.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> \"open .\n")
    result = thamquyen(store, "init", "--from", str(bad))
    assert result.returncode == 2 and f"{bad}: line 2" in result.stderr
    assert state(store) == before


def test_a_full_disk_is_a_clear_error_and_the_store_is_unchanged(tmp_path):
    with tmpfs(tmp_path / "small-disk", "4m") as disk:
        path = disk / "store"
        load_files(OxigraphBackend(path), [triples_file(tmp_path / "first.nt", 100)])
        before = state(path)
        result = thamquyen(path, "load", str(triples_file(tmp_path / "big.nt", 60_000)))  # ≈ 8 MB
        assert result.returncode == 2
        assert "No space left on device" in result.stderr and str(path) in result.stderr
        assert "the store is unchanged" in result.stderr and "Traceback" not in result.stderr
        assert state(path) == before
        assert generations(path) == ["gen-000001"]


def test_a_read_only_store_directory_is_a_clear_error_and_still_answers_queries(tmp_path):
    with tmpfs(tmp_path / "disk", "4m") as disk:
        path = disk / "store"
        load_files(OxigraphBackend(path), [triples_file(tmp_path / "first.nt", 100)])
        before = state(path)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = thamquyen(path, "load", str(triples_file(tmp_path / "second.nt", 5)))
        assert result.returncode == 2
        assert result.stderr.strip() == (f"thamquyen: error: cannot write the store at {path}: Read-only file system "
                                         f"({path / 'writer.lock'}); the store is unchanged")
        count = thamquyen(path, "query", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", "--format", "csv")
        assert count.returncode == 0 and count.stdout.split() == ["n", "100"]
        assert state(path) == before


def test_a_store_made_before_generations_is_refused_with_what_to_do(tmp_path):
    legacy = tmp_path / "legacy"
    ox.Store(str(legacy)).flush()
    result = thamquyen(legacy, "stats")
    assert result.returncode == 2 and "without thamquyen's generations" in result.stderr


def test_the_api_answers_409_while_another_process_writes_and_reads_meanwhile(store, tmp_path):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    client = TestClient(create_app(Settings(write_token="t"), backend=OxigraphBackend(store)))
    with writer_in_another_process(store) as holder:
        update = client.post("/sparql", content=f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}",
                             headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        assert update.status_code == 409 and f"being written by pid {holder.pid}" in update.text
        query = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                           headers={"Accept": "text/csv"})
        assert query.status_code == 200 and query.text.split() == ["n", "100"]


def test_serve_read_only_refuses_writes_even_with_a_token(store, monkeypatch):
    import argparse

    from registry.commands import core

    seen = {}
    monkeypatch.setenv("THAMQUYEN_WRITE_TOKEN", "t")
    monkeypatch.setattr("uvicorn.run", lambda app, **options: seen.update(settings=app.state.settings))
    core.cmd_serve(argparse.Namespace(store=str(store), host="127.0.0.1", port=0, read_only=True))
    assert seen["settings"].write_token is None
    core.cmd_serve(argparse.Namespace(store=str(store), host="127.0.0.1", port=0, read_only=False))
    assert seen["settings"].write_token == "t"
