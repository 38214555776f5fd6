"""Checking a draft decree against the real registry: what it introduces, resolves and changes,
from a template, an XLSX workbook with its own sheets, a Word draft and Turtle — and bad drafts.

The drafts in tests/fixtures/drafts/ are fictional, numbered DỰ THẢO/2026/NĐ-CP and marked as
drafts: no such instrument has been issued.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from registry import namespaces as ns
from registry.cli import main
from registry.draft import DraftBase, check_draft
from registry.draft_input import parse_provision
from registry.draft_render import to_html, to_json, to_text
from registry.errors import InputError
from registry.template import Row, write_template
from registry.validate import validate

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"
DATA = Path(__file__).parents[1] / "data" / "assignments"
SHAPES = ns.SHAPES
THU_HOI_DAT = f"{ns.ID}power/thu-hoi-dat-d83-k2"
KIEM_DEM = f"{ns.ID}power/kiem-dem-bat-buoc-d87-k2-dd"
REGISTRY_ROW = f"{ns.ID}assignment/49-2026-nd-cp-d14-k1-thu-hoi-dat-d83-k2"
DRAFT_ROW = f"{ns.ID}assignment/du-thao-2026-d2-k1-thu-hoi-dat-d83-k2"


@pytest.fixture(scope="module")
def base(registry):
    """One warm base for the module, with the registry's own findings computed (as the API keeps it)."""
    return DraftBase(registry, findings=True)


def quads(backend) -> list[str]:
    """Every quad of the store, to compare before and after a check."""
    return sorted(backend.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


def found(findings) -> set[tuple]:
    """(rule, power or focus, value, other, from, until) of draft findings, IRIs as text."""
    def text(term):
        return term.value if term is not None else None
    return {(d.finding.rule.rsplit("#", 1)[1], text(d.finding.focus), text(d.finding.value), text(d.finding.other),
             d.finding.valid_from.isoformat() if d.finding.valid_from else None,
             d.finding.valid_until.isoformat() if d.finding.valid_until else None) for d in findings}


def clause_14_1_powers() -> set[str]:
    """The powers Decree 49/2026 Điều 14 khoản 1 gives (from data/assignments/49-2026-nd-cp.csv)."""
    with (DATA / "49-2026-nd-cp.csv").open(encoding="utf-8") as f:
        return {f"{ns.ID}power/{r['power_id']}" for r in csv.DictReader(f)
                if (r["article"], r["clause"], r["point"]) == ("14", "1", "")}


def test_provisions_are_read_in_both_spellings():
    assert parse_provision("49/2026/NĐ-CP") == parse_provision("Nghị định 49/2026/NĐ-CP")
    assert parse_provision("151/2025/NĐ-CP:5.1.đ").iri == ns.subdivision_iri("151/2025/NĐ-CP", "5", "1", "đ")
    assert parse_provision("điểm đ khoản 1 Điều 5 Nghị định số 151/2025/NĐ-CP").point == "đ"
    for bad in ("Điều 5", "151/2025/NĐ-CP:5..a", "khoản 1 Nghị định 151/2025/NĐ-CP"):
        with pytest.raises(InputError):
            parse_provision(bad)


def test_moving_a_land_power_to_the_commune_chairman_is_a_change_and_an_overlap(registry, base):
    before = quads(registry)
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-07-01", base=base)
    assert quads(registry) == before
    [change] = report.changes
    assert (change.power, change.registry_assignment, change.on.isoformat()) == (THU_HOI_DAT, REGISTRY_ROW, "2026-07-01")
    assert (change.from_holder, change.to_holder) == (ns.role_iri("ubnd-cap-tinh"), ns.role_iri("chu-tich-ubnd-cap-xa"))
    assert change.kind == "holder" and not change.handover and change.row.row == 1
    # The draft's phân cấp by the Government rests on the draft decree (NĐ-CP: passed by the
    # Government), as the registry's own Government grants rest on theirs: no tqsh:GrantorDoesNotHold.
    assert found(report.introduced) == {("Overlap", THU_HOI_DAT, REGISTRY_ROW, DRAFT_ROW, "2026-07-01", "2027-03-01")}
    assert report.resolved == [] and report.ended == []
    overlap = next(d for d in report.introduced if d.finding.rule == SHAPES + "Overlap")
    assert [r.row for r in overlap.rows] == [1] and overlap.registry == [REGISTRY_ROW]
    assert overlap.rows[0].citation == "khoản 1 Điều 2 Nghị định DỰ THẢO/2026/NĐ-CP"
    assert report.exit_code == 1


def test_repealing_the_clause_hands_the_power_over_and_leaves_the_clause_s_other_powers_with_nobody(registry, base):
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-07-01",
                         repeals=["khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP"], base=base)
    [change] = report.changes
    assert change.handover
    others = clause_14_1_powers() - {THU_HOI_DAT}
    assert {e.assignment for e in report.ended} == {
        f"{ns.ID}assignment/49-2026-nd-cp-d14-k1-{p.rsplit('/', 1)[1]}" for p in clause_14_1_powers()}
    assert {e.ends.isoformat() for e in report.ended} == {"2026-07-01"}
    new = {(rule, power) for rule, power, *_ in found(d for d in report.new_violations)}
    assert {p for rule, p in new if rule == "NoHolderOnDate"} == others
    assert not any(rule == "Overlap" for rule, _ in new)
    # the registry's own findings on the repealed rows only get shorter: shown as such, not as new
    for d in report.introduced:
        if d.counterpart is not None:
            assert d.narrows and d.finding.valid_until.isoformat() == "2026-07-01"


def test_amending_the_clause_ends_only_the_powers_the_draft_restates(registry, base):
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-07-01",
                         amends=["49/2026/NĐ-CP:14.1"], base=base)
    assert [e.assignment for e in report.ended] == [REGISTRY_ROW]
    assert [c.handover for c in report.changes] == [True]
    assert not any(d.finding.rule == SHAPES + "NoHolderOnDate" for d in report.introduced)


def test_a_repeal_before_the_provision_starts_leaves_its_assignments_out(registry, base):
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-01-01",
                         repeals=["49/2026/NĐ-CP:14.1"], base=base)
    assert report.ended and all(e.ends is None for e in report.ended)


def test_giving_back_a_power_nobody_holds_resolves_the_omission_and_shows_the_gap_before(registry, base, tmp_path):
    day = "2026-07-01"
    assert any(f.focus.value == KIEM_DEM for f in validate(registry, at=dt.date(2026, 7, 1)).findings
               if f.rule == SHAPES + "NoHolderOnDate"), "precondition: the registry has nobody for kiểm đếm on " + day
    book = tmp_path / "du-thao-kiem-dem.xlsx"
    write_template(read_template_rows(FIXTURES / "du-thao-kiem-dem.csv"), book)
    add_sheets(book, effective=day, title="Dự thảo Nghị định sửa đổi thẩm quyền kiểm đếm bắt buộc")
    report = check_draft(registry, book, base=base)
    assert (report.effective.isoformat(), report.draft.effective_source) == (day, "sheet draft")
    assert report.draft.title.startswith("Dự thảo Nghị định sửa đổi")
    draft_row = f"{ns.ID}assignment/du-thao-2026-d3-k2-kiem-dem-bat-buoc"
    old = f"{ns.ID}assignment/151-2025-nd-cp-d5-k2-b"
    assert found(report.introduced) == {("Interruption", KIEM_DEM, old, draft_row, "2026-01-31", day)}
    assert found(report.resolved) == {("NoHolderOnDate", KIEM_DEM, old, "2026-01-31", day, None)}
    assert report.changes == []


def read_template_rows(path: Path):
    """The fixture's rows with their cells as written (valid_from left empty: the sheet gives it)."""
    with path.open(encoding="utf-8") as f:
        return [Row(**r) for r in csv.DictReader(f)]


def add_sheets(book: Path, effective: str, title: str, amendments: list[list[str]] | None = None) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    sheet = workbook.create_sheet("draft")
    sheet.append(["key", "value"])
    sheet.append(["effective", effective])
    sheet.append(["title", title])
    if amendments:
        sheet = workbook.create_sheet("amendments")
        for values in amendments:
            sheet.append(values)
    workbook.save(book)


def test_the_amendments_sheet_repeals_from_the_draft_s_own_article(registry, base, tmp_path):
    book = tmp_path / "du-thao.xlsx"
    write_template(read_template_rows(FIXTURES / "du-thao-thu-hoi-dat.csv"), book)
    add_sheets(book, "2026-07-01", "Dự thảo", [["article", "clause", "point", "relation", "target", "target_article",
                                                 "target_clause", "target_point"],
                                                ["5", "", "", "repeals", "49/2026/NĐ-CP", "14", "1", ""]])
    report = check_draft(registry, book, base=base)
    [amendment] = report.draft.amendments
    assert amendment.stated_by == ns.subdivision_iri("DỰ THẢO/2026/NĐ-CP", "5")
    assert amendment.target == ns.subdivision_iri("49/2026/NĐ-CP", "14", "1")
    assert len(report.ended) == len(clause_14_1_powers())


def test_a_word_draft_is_read_by_the_extractor_and_its_power_found_by_its_defining_provision(registry, base, tmp_path):
    import docx

    document = docx.Document()
    for line in (FIXTURES / "du-thao-nghi-dinh-dat-dai.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "du-thao-nghi-dinh-dat-dai.docx"
    document.save(path)
    before = quads(registry)
    report = check_draft(registry, path, base=base)
    assert quads(registry) == before
    assert report.draft.kind == "text" and report.draft.number == "DỰ THẢO/2026/NĐ-CP"
    assert report.effective.isoformat() == "2026-07-01"       # "có hiệu lực thi hành từ ngày 01 tháng 7 năm 2026"
    [row] = report.draft.rows
    assert (row.matched_power, row.citation) == ("kiem-dem-bat-buoc-d87-k2-dd", "khoản 1 Điều 2 Nghị định DỰ THẢO/2026/NĐ-CP")
    assert {d.finding.rule.rsplit("#", 1)[1] for d in report.introduced} == {"Interruption"}
    assert {d.finding.rule.rsplit("#", 1)[1] for d in report.resolved} == {"NoHolderOnDate"}


def test_a_turtle_draft_states_its_date_and_its_repeal_with_eli(registry, base):
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.ttl", base=base)
    assert (report.effective.isoformat(), report.draft.effective_source) == ("2026-07-01", "RDF")
    [amendment] = report.draft.amendments
    assert amendment.relation == "repeals"
    assert amendment.stated_by == f"{ns.ID}instrument/du-thao-rdf-2026-nd-cp/dieu-5"
    assert len(report.ended) == len(clause_14_1_powers())
    [change] = report.changes
    assert change.handover and change.row.citation == "Điều 2 Dự thảo Nghị định DỰ THẢO-RDF/2026/NĐ-CP"
    assert report.draft.graph == f"{ns.GRAPH}draft/du-thao-thu-hoi-dat"


def test_checking_every_way_gives_the_same_answer(registry, base):
    """A one-off check (both sides validated) and the warm base (the registry's findings reused) agree."""
    args = dict(effective="2026-07-01", repeals=["49/2026/NĐ-CP:14.1"])
    warm = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", base=base, **args)
    cold = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", **args)
    assert found(warm.introduced) == found(cold.introduced) and found(warm.resolved) == found(cold.resolved)


def test_the_reports_explain_findings_as_validate_does(registry, base):
    report = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-07-01", base=base)
    text = to_text(report)
    assert "[Vi phạm] Chồng chéo" in text and "Dự thảo: dòng 1 — khoản 1 Điều 2 Nghị định DỰ THẢO/2026/NĐ-CP" in text
    assert "Ủy ban nhân dân cấp tỉnh → Chủ tịch Ủy ban nhân dân cấp xã" in text
    document = json.loads(to_json(report))
    overlap = next(f for f in document["introduced"] if f["rule"].endswith("#Overlap"))
    assert overlap["rule_name"] == "Chồng chéo" and overlap["draft_rows"][0]["row"] == 1
    assert overlap["registry_assignments"] == [REGISTRY_ROW]
    assert overlap["assignment"]["legal_basis"][0]["citation"] == "khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP"
    page = to_html(report)
    assert "<script" not in page and "<section class='violation'>" in page
    english = check_draft(registry, FIXTURES / "du-thao-thu-hoi-dat.csv", effective="2026-07-01", base=base, lang="en")
    assert "[Violation] Overlap" in to_text(english)


BAD = {
    "unknown holder": ("holder", "Ủy ban nhân dân cấp thôn", {"row": 1, "column": 7, "field": "holder"}),
    "missing article": ("article", "", {"row": 1, "column": 11, "field": "article"}),
    "a date that is not a date": ("valid_until", "2027-02-30", {"row": 1, "column": 15, "field": "valid_until"}),
    "a registry instrument": ("instrument", "49/2026/NĐ-CP", {"row": 1, "field": "instrument"}),
    "an id of the registry": ("id", "49-2026-nd-cp-d14-k1-thu-hoi-dat-d83-k2", {"row": 1, "field": "id"}),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_row_is_refused_with_its_row_column_and_field(registry, base, tmp_path, case):
    column, value, where = BAD[case]
    with (FIXTURES / "du-thao-thu-hoi-dat.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = value
    path = tmp_path / "du-thao-sai.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = quads(registry)
    with pytest.raises(InputError) as error:
        check_draft(registry, path, effective="2026-07-01", base=base, display="du-thao-sai.csv")
    assert {k: error.value.as_dict().get(k) for k in where} == where
    assert error.value.file == "du-thao-sai.csv"
    assert quads(registry) == before


@pytest.mark.parametrize("name, content, options, expected", [
    ("sai.ttl", "@prefix tq: <https://w3id.org/thamquyen/ontology#> .\n<a> tq:power \n", {}, {"line": 2}),
    ("sai.ttl", "<https://e/a> <https://w3id.org/thamquyen/ontology#validFrom> \"2026-13-01\"^^"
                "<http://www.w3.org/2001/XMLSchema#date> .\n", {}, {"field": "validFrom"}),
    ("sai.pdf", "%PDF-1.4", {}, {}),
    ("du-thao.csv", None, {"effective": "01/07/2026"}, {"field": "effective"}),
    ("du-thao.csv", None, {"effective": "2026-07-01", "repeals": ["999/2025/NĐ-CP"]}, {"field": "repeals"}),
    ("du-thao.csv", None, {"effective": "2026-07-01", "repeals": ["Điều 14"]}, {"field": "repeals"}),
    ("du-thao.csv", None, {}, {"row": 1, "field": "valid_from"}),
])
def test_bad_drafts_and_options_are_refused(registry, base, tmp_path, name, content, options, expected):
    path = tmp_path / name
    if content is None:
        path.write_bytes((FIXTURES / "du-thao-thu-hoi-dat.csv").read_bytes())
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        check_draft(registry, path, base=base, **options)
    assert {k: error.value.as_dict().get(k) for k in expected} == expected


def test_the_command_exits_0_1_or_2(registry_cli, tmp_path, capsys):
    assert main([*registry_cli, "check-draft", str(FIXTURES / "du-thao-thu-hoi-dat.csv"), "--effective",
                 "2026-07-01", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["draft"]["graph"] == f"{ns.GRAPH}draft/du-thao-thu-hoi-dat" and document["new_violations"] >= 1
    clean = tmp_path / "du-thao-sach.csv"
    with (FIXTURES / "du-thao-kiem-dem.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["valid_from"] = "2026-01-31"            # no gap: the power passes on the day the old one ends
    with clean.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main([*registry_cli, "check-draft", str(clean), "--lang", "en"]) == 0
    assert "The draft introduces no new violation." in capsys.readouterr().out
    out = tmp_path / "report.html"
    assert main([*registry_cli, "check-draft", str(FIXTURES / "du-thao-thu-hoi-dat.csv"), "--effective",
                 "2026-07-01", "--format", "html", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert main([*registry_cli, "check-draft", str(FIXTURES / "du-thao-thu-hoi-dat.csv"), "--effective", "2026-7-1"]) == 2
    assert "effective '2026-7-1' is not a date" in capsys.readouterr().err


def test_a_csv_draft_states_its_repeals_in_a_sidecar(registry, base, tmp_path):
    draft = tmp_path / "du-thao.csv"
    draft.write_bytes((FIXTURES / "du-thao-thu-hoi-dat.csv").read_bytes())
    (tmp_path / "du-thao.amendments.csv").write_text(
        "article,clause,point,relation,target,target_article,target_clause,target_point\n"
        "5,,,repeals,49/2026/NĐ-CP,14,1,\n", encoding="utf-8")
    report = check_draft(registry, draft, effective="2026-07-01", base=base)
    [amendment] = report.draft.amendments
    assert amendment.source == "du-thao.amendments.csv, row 1"
    assert len(report.ended) == len(clause_14_1_powers())
    (tmp_path / "du-thao.amendments.csv").write_text("relation,target\nbãi bỏ,49/2026/NĐ-CP\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        check_draft(registry, draft, effective="2026-07-01", base=base)
    assert (error.value.file, error.value.row, error.value.field) == ("du-thao.amendments.csv", 1, "relation")
