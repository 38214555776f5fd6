"""`thamquyen validate`: exit status, explanations, formats and one-line usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"


@pytest.fixture
def store_cli(tmp_path) -> list[str]:
    """A store with the ontology and the fixtures' context (roles, units, powers, instruments)."""
    from registry.build import ontology_quads
    from registry.store import OxigraphBackend, load_files

    path = tmp_path / "store"
    backend = OxigraphBackend(path)
    backend.replace_graphs(list(ontology_quads()), [])
    load_files(backend, [FIXTURES / "context.trig"])
    return ["--store", str(path)]


def test_a_conforming_store_exits_0(store_cli, capsys):
    assert main([*store_cli, "validate", "--data", str(FIXTURES / "overlap-ok.ttl")]) == 0
    assert "Không có vi phạm." in capsys.readouterr().out


def test_violations_exit_1_and_are_explained_for_a_lawyer(store_cli, capsys):
    assert main([*store_cli, "validate", "--lang", "en", "--data", str(FIXTURES / "overlap-bad.ttl")]) == 1
    out = capsys.readouterr().out
    for words in ("[Violation] Overlap", "Power: Issue construction permits", "Period: [2026-01-31, 2027-03-01)",
                  "① Ủy ban nhân dân cấp xã",
                  "basis Điều 4 Nghị định 140/2025/NĐ-CP", "② Ủy ban nhân dân cấp tỉnh",
                  "basis Điều 14 Nghị định 49/2026/NĐ-CP", "2 violations, 0 warnings, 0 infos"):
        assert words in out, words


def test_warnings_alone_exit_0(store_cli, capsys):
    assert main([*store_cli, "validate", "--data", str(FIXTURES / "basis-lapses-bad.ttl")]) == 0
    assert "[Cảnh báo] Căn cứ hết hiệu lực" in capsys.readouterr().out


def test_the_report_as_json_and_turtle(store_cli, capsys, tmp_path):
    data = ["--data", str(FIXTURES / "interruption-bad.ttl")]
    assert main([*store_cli, "validate", *data, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["Violation"] == 1 and report["findings"][0]["rule_name"] == "Gián đoạn"
    out = tmp_path / "report.ttl"
    assert main([*store_cli, "validate", *data, "--format", "turtle", "-o", str(out)]) == 1
    assert "sh:ValidationReport" in out.read_text()


@pytest.mark.parametrize("args, message", [
    (["--at", "2025-13-01"], "--at: not a date"),
    (["--at", "1/7/2025"], "--at: not a date"),
    (["--graph", "https://example.org/none"], "no such graph"),
    (["--data", "missing.ttl"], "no such file"),
])
def test_usage_errors_exit_2_with_one_line(store_cli, capsys, args, message):
    assert main([*store_cli, "validate", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_shapes_and_data_that_do_not_parse_are_reported_with_file_and_line(store_cli, capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix tq: <https://w3id.org/thamquyen/ontology#> .\n<a> tq:power .\n")
    assert main([*store_cli, "validate", "--shapes", str(bad)]) == 2
    assert f"{bad}: line 2" in capsys.readouterr().err
    assert main([*store_cli, "validate", "--data", str(bad)]) == 2
    assert f"{bad}: line 2" in capsys.readouterr().err


def test_the_real_registry_validates(registry_cli, capsys):
    """Findings in the real decrees are a result: the command explains them and exits 0 or 1."""
    status = main([*registry_cli, "validate", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == (0 if report["conforms"] else 1)
    assert all(f["rule"].startswith("https://w3id.org/thamquyen/shapes#") for f in report["findings"])
