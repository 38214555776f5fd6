"""The store: loads are all-or-nothing, one named graph per file, errors name file and line."""

import pyoxigraph as ox
import pytest

from registry.errors import InputError
from registry.store import OxigraphBackend, load_files

GOOD = '@prefix ex: <http://example.org/> .\nex:a ex:p "1" .\nex:b ex:p "2" .\n'
BAD = '@prefix ex: <http://example.org/> .\nex:a ex:p "1" .\nex:b ex:p "unterminated .\n'


def test_load_puts_each_file_in_its_own_graph(empty_store, tmp_path):
    (tmp_path / "one.ttl").write_text(GOOD)
    (tmp_path / "two.nt").write_text('<http://example.org/c> <http://example.org/p> "3" .\n')
    counts = load_files(empty_store, [tmp_path / "one.ttl", tmp_path / "two.nt"])
    assert sorted(counts.values()) == [1, 2]
    assert len(empty_store.graphs()) == 2
    assert empty_store.quad_count() == 3


def test_malformed_file_is_reported_with_line_and_store_unchanged(empty_store, tmp_path):
    (tmp_path / "one.ttl").write_text(GOOD)
    load_files(empty_store, [tmp_path / "one.ttl"])
    before = sorted(empty_store.dump(ox.RdfFormat.N_QUADS).splitlines())
    (tmp_path / "good.ttl").write_text(GOOD.replace("ex:a", "ex:z"))
    (tmp_path / "bad.ttl").write_text(BAD)
    with pytest.raises(InputError) as caught:
        load_files(empty_store, [tmp_path / "good.ttl", tmp_path / "bad.ttl"])
    assert caught.value.file.endswith("bad.ttl")
    assert caught.value.line == 3
    assert sorted(empty_store.dump(ox.RdfFormat.N_QUADS).splitlines()) == before


def test_reloading_a_file_replaces_its_graph(empty_store, tmp_path):
    path = tmp_path / "one.ttl"
    path.write_text(GOOD)
    load_files(empty_store, [path])
    path.write_text('@prefix ex: <http://example.org/> .\nex:only ex:p "x" .\n')
    load_files(empty_store, [path])
    assert empty_store.quad_count() == 1


def test_store_persists_on_disk(tmp_path):
    path = tmp_path / "store"
    (tmp_path / "one.ttl").write_text(GOOD)
    backend = OxigraphBackend(path)
    load_files(backend, [tmp_path / "one.ttl"])
    del backend
    assert OxigraphBackend(path).quad_count() == 2


def test_unsupported_file_type(empty_store, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InputError, match="unsupported RDF file type"):
        load_files(empty_store, [tmp_path / "notes.txt"])


def test_queries_see_the_union_of_graphs_unless_they_name_their_own_dataset(empty_store, tmp_path):
    (tmp_path / "one.ttl").write_text(GOOD)
    (tmp_path / "two.nt").write_text('<http://example.org/c> <http://example.org/p> "3" .\n')
    counts = load_files(empty_store, [tmp_path / "one.ttl", tmp_path / "two.nt"])
    two = next(g for g, n in counts.items() if n == 1)
    mine = 'FILTER(STRSTARTS(STR(?s), "http://example.org/"))'  # a server may hold graphs of its own
    assert len(empty_store.select(f"SELECT ?s WHERE {{ ?s ?p ?o {mine} }}")[1]) == 3
    assert [r[0].value for r in empty_store.select(f"SELECT ?s FROM <{two}> WHERE {{ ?s ?p ?o {mine} }}")[1]] \
        == ["http://example.org/c"]
