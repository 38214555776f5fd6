"""The authoring template: reading CSV and XLSX, errors with file/row/column, compiling, round trips."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyoxigraph as ox
import pytest

from registry import namespaces as ns
from registry.catalogue import load_catalogue
from registry.cli import main
from registry.errors import InputError
from registry.store import OxigraphBackend
from registry.template import COLUMNS, Row, read_template, row_dicts, rows_to_quads, write_template

FIXTURES = Path(__file__).parent / "fixtures" / "template"
TQ = ns.TQ


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def objects(quads, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in quads if q.subject.value == subject and q.predicate.value == predicate}


def test_a_good_file_gives_every_row_with_canonical_mode_and_dates():
    rows = read_template(FIXTURES / "good.csv")
    assert [r.id for r in rows] == ["140-2025-nd-cp-d4-k1", "140-2025-nd-cp-d7-k7", "151-2025-nd-cp-d5-k1-dd",
                                    "99-2026-nd-cp-d3"]
    assert rows[1].mode == "phân cấp" and rows[1].grantor == "Ủy ban nhân dân cấp tỉnh"
    assert rows[2].point == "đ" and rows[2].valid_until == "2026-01-31"
    assert rows[2].former_holders == ("Chủ tịch Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp huyện")


def test_a_good_file_compiles_to_assignments_powers_and_subdivisions(catalogue):
    quads = rows_to_quads(read_template(FIXTURES / "good.csv"), "urn:test", catalogue)
    a = ns.assignment_iri("151-2025-nd-cp-d5-k1-dd")
    assert objects(quads, a, TQ + "holder") == {ns.role_iri("chu-tich-ubnd-cap-xa")}
    assert objects(quads, a, TQ + "formerHolder") == {ns.role_iri("chu-tich-ubnd-cap-huyen"),
                                                      ns.role_iri("ubnd-cap-huyen")}
    assert objects(quads, a, TQ + "legalBasis") == {
        "https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp/dieu-5/khoan-1/diem-dd"}
    point = "https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp/dieu-5/khoan-1/diem-dd"
    assert objects(quads, point, ns.RDFS + "label") == {"điểm đ khoản 1 Điều 5 Nghị định 151/2025/NĐ-CP"}
    assert objects(quads, point, ns.ELI + "is_part_of") == {
        "https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp/dieu-5/khoan-1"}
    scoped = ns.assignment_iri("140-2025-nd-cp-d7-k7")
    assert objects(quads, scoped, TQ + "placeScope") == {ns.commune_iri("00070")}
    assert objects(quads, scoped, TQ + "grantor") == {ns.role_iri("ubnd-cap-tinh")}
    # a draft's instrument, unknown to the catalogue, is named from its number
    draft = "https://w3id.org/thamquyen/id/instrument/99-2026-nd-cp/dieu-3"
    assert objects(quads, draft, ns.RDFS + "label") == {"Điều 3 Nghị định 99/2026/NĐ-CP"}
    assert {q.graph_name.value for q in quads} == {"urn:test"}


def test_points_d_and_dd_are_different_provisions():
    assert ns.subdivision_iri("151/2025/NĐ-CP", "5", "1", "d") != ns.subdivision_iri("151/2025/NĐ-CP", "5", "1", "đ")


def test_holders_sectors_and_modes_match_without_case_diacritics_or_abbreviation(catalogue):
    quads = rows_to_quads(read_template(FIXTURES / "abbreviated.csv"), "urn:test", catalogue)
    assert objects(quads, ns.assignment_iri("a1"), TQ + "holder") == {ns.role_iri("ubnd-cap-xa")}
    assert objects(quads, ns.assignment_iri("a2"), TQ + "holder") == {ns.role_iri("chu-tich-ubnd-cap-xa")}
    assert objects(quads, ns.assignment_iri("a2"), TQ + "grantor") == {ns.role_iri("ubnd-cap-tinh")}
    assert objects(quads, ns.assignment_iri("a1"), TQ + "mode") == {TQ + "PhanDinh"}
    assert objects(quads, ns.assignment_iri("a2"), TQ + "mode") == {TQ + "PhanCap"}
    assert objects(quads, ns.power_iri("p1"), TQ + "sector") == {ns.sector_iri("dat-dai")}
    assert objects(quads, ns.power_iri("p2"), TQ + "sector") == {ns.sector_iri("dat-dai")}


def test_an_unknown_holder_names_file_row_and_column(catalogue):
    rows = read_template(FIXTURES / "unknown-holder.csv")
    with pytest.raises(InputError) as caught:
        rows_to_quads(rows, "urn:test", catalogue)
    error = caught.value
    assert (Path(error.file).name, error.row, error.column, error.field) == ("unknown-holder.csv", 2, 5, "holder")
    assert "UBND cấp thôn" in error.message and "UBND cấp xã" in error.message   # the closest names are suggested


@pytest.mark.parametrize("fixture, field, column, words", [
    ("bad-date.csv", "valid_from", 10, "not an ISO date"),
    ("unknown-mode.csv", "mode", 6, "unknown mode"),
    ("missing-article.csv", "article", 8, "article is required"),
])
def test_a_bad_cell_names_file_row_and_column(fixture, field, column, words):
    with pytest.raises(InputError) as caught:
        read_template(FIXTURES / fixture)
    error = caught.value
    assert (Path(error.file).name, error.row, error.column, error.field) == (fixture, 1, column, field)
    assert words in error.message


def write_rows(path: Path, *rows: dict) -> Path:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r[c] for c in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BASE = {"id": "x1", "power_id": "p1", "task_vi": "Một thẩm quyền", "sector": "Đất đai",
        "holder": "Ủy ban nhân dân cấp xã", "mode": "phân định", "grantor": "", "instrument": "151/2025/NĐ-CP",
        "article": "5", "clause": "3", "point": "", "valid_from": "2025-07-01", "valid_until": ""}


@pytest.mark.parametrize("change, field, words", [
    ({"grantor": "Ủy ban nhân dân cấp tỉnh"}, "grantor", "only stated for phân cấp and ủy quyền"),
    ({"valid_until": "2025-07-01"}, "valid_until", "not after valid_from"),
    ({"valid_from": "2025-02-30"}, "valid_from", "not an ISO date"),
    ({"point": "a", "clause": ""}, "point", "needs its clause"),
    ({"point": "f"}, "point", "not a point letter"),
    ({"id": "X 1"}, "id", "must be a slug"),
])
def test_rules_of_a_row(tmp_path, change, field, words):
    path = write_rows(tmp_path / "t.csv", BASE | change)
    with pytest.raises(InputError) as caught:
        read_template(path)
    assert caught.value.field == field and words in caught.value.message


def test_an_id_used_twice_is_an_error(tmp_path):
    path = write_rows(tmp_path / "t.csv", BASE, BASE | {"clause": "4"})
    with pytest.raises(InputError, match="already used in row 1") as caught:
        read_template(path)
    assert caught.value.row == 2


def test_an_unknown_column_is_an_error(tmp_path):
    path = write_rows(tmp_path / "t.csv", BASE | {"holdr": "x"})
    with pytest.raises(InputError, match="unknown column"):
        read_template(path)


def test_a_holder_that_no_longer_exists_cannot_hold_a_new_power(tmp_path, catalogue):
    rows = read_template(write_rows(tmp_path / "t.csv", BASE | {"holder": "UBND cấp huyện"}))
    with pytest.raises(InputError, match="no longer exists from 2025-07-01"):
        rows_to_quads(rows, "urn:test", catalogue)


def test_a_power_defined_two_ways_is_an_error(tmp_path, catalogue):
    rows = read_template(write_rows(tmp_path / "t.csv", BASE, BASE | {"id": "x2", "task_vi": "Khác"}))
    with pytest.raises(InputError, match="power 'p1' has task_vi") as caught:
        rows_to_quads(rows, "urn:test", catalogue)
    assert caught.value.row == 2


def test_xlsx_round_trip(tmp_path):
    rows = read_template(FIXTURES / "good.csv")
    write_template(rows, tmp_path / "good.xlsx")
    again = read_template(tmp_path / "good.xlsx")
    assert row_dicts(again) == row_dicts(rows)


def test_xlsx_cells_typed_by_a_spreadsheet_are_read_as_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(BASE))
    sheet.append([dt.datetime(2025, 7, 1) if k == "valid_from" else (int(v) if v.isdigit() else v)
                  for k, v in BASE.items()])
    book.save(tmp_path / "typed.xlsx")
    [row] = read_template(tmp_path / "typed.xlsx")
    assert (row.valid_from, row.article, row.clause) == ("2025-07-01", "5", "3")


def test_csv_written_by_the_writer_has_the_columns_in_order(tmp_path):
    write_template([Row(id="x", power_id="p", task_vi="t")], tmp_path / "w.csv")
    assert (tmp_path / "w.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_import_then_export_gives_the_same_rows(tmp_path, capsys):
    store = str(tmp_path / "store")
    assert main(["--store", store, "import", str(FIXTURES / "good.csv")]) == 0
    assert "4 rows" in capsys.readouterr().out
    assert main(["--store", store, "export", "--template", str(tmp_path / "out.csv")]) == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == (FIXTURES / "good.csv").read_text(encoding="utf-8")
    assert main(["--store", store, "export", "--template", str(tmp_path / "out.xlsx")]) == 0
    assert row_dicts(read_template(tmp_path / "out.xlsx")) == row_dicts(read_template(FIXTURES / "good.csv"))


def test_import_is_all_or_nothing(tmp_path, capsys):
    store = tmp_path / "store"
    code = main(["--store", str(store), "import", str(FIXTURES / "good.csv"), str(FIXTURES / "unknown-holder.csv")])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown-holder.csv: row 2: column 5: field holder" in err
    assert OxigraphBackend(store).quad_count() == 0


def test_reimport_replaces_the_graph(tmp_path):
    store = str(tmp_path / "store")
    path = tmp_path / "draft.csv"
    write_rows(path, BASE, BASE | {"id": "x2", "power_id": "p2", "clause": "4"})
    assert main(["--store", store, "import", str(path)]) == 0
    write_rows(path, BASE)
    assert main(["--store", store, "import", str(path)]) == 0
    backend = OxigraphBackend(store)
    graph = "https://w3id.org/thamquyen/graph/file/draft"
    assignments = {q.subject.value for q in backend.store.quads_for_pattern(
        None, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(TQ + "Assignment"), ox.NamedNode(graph))}
    assert assignments == {ns.assignment_iri("x1")}
