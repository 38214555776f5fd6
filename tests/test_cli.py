"""The `thamquyen` command on a real store: init, query, load, export, stats."""

import json

from registry.cli import main

HANOI_PHUONG = """
SELECT (COUNT(?u) AS ?n) WHERE {
  ?u a tq:CommuneUnit ; tq:unitType tq:Phuong ;
     tq:withinUnit/skos:prefLabel "Thành phố Hà Nội"@vi .
  FILTER NOT EXISTS { ?u tq:validUntil ?end }
}"""


def test_query_answers_which_communes_of_hanoi_are_phuong(registry_cli, capsys, tmp_path):
    query_file = tmp_path / "hanoi.rq"
    query_file.write_text(HANOI_PHUONG)
    assert main([*registry_cli, "query", str(query_file), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    # vietnam-provinces 2026.9.0: Hà Nội has 126 commune-level units, of which 51 are phường.
    assert answer == [{"n": "51"}]


def test_query_lists_phuong_names_in_csv(registry_cli, capsys):
    query = ('SELECT ?name WHERE { ?u tq:unitType tq:Phuong ; skos:prefLabel ?name ; '
             'tq:withinUnit <https://w3id.org/thamquyen/id/unit/province/01> } ORDER BY ?name')
    assert main([*registry_cli, "query", query, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name"
    assert "Phường Hoàn Kiếm" in lines
    assert len(lines) == 1 + 51


def test_bad_query_is_a_usage_error(registry_cli, capsys):
    assert main([*registry_cli, "query", "SELECT ?x WHERE { ?x"]) == 2
    assert "SPARQL syntax error" in capsys.readouterr().err


def test_load_malformed_file_exits_2_with_line(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e/a> <http://e/p> .\n")
    assert main(["--store", str(tmp_path / "s"), "load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.ttl" in err and "line 1" in err


def test_export_and_stats(registry_cli, capsys, tmp_path):
    out = tmp_path / "all.nq"
    assert main([*registry_cli, "export", "--format", "nquads", "-o", str(out)]) == 0
    assert out.stat().st_size > 1_000_000
    capsys.readouterr()
    assert main([*registry_cli, "stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["administrative units"]["current CommuneUnit / phường"] == 687


def test_store_from_environment(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("THAMQUYEN_STORE", str(tmp_path / "envstore"))
    (tmp_path / "a.ttl").write_text('<http://e/a> <http://e/p> "x" .\n')
    assert main(["load", str(tmp_path / "a.ttl")]) == 0
    assert (tmp_path / "envstore").is_dir()
