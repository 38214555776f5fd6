"""`extract`: decree text → proposed template rows, on small fixtures and on the real full texts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from registry.cli import main
from registry.errors import InputError
from registry.extract import TEMPLATE_COLUMNS, extract, write_csv
from registry.extract_eval import evaluate, legal_dir

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
REPO = Path(__file__).parents[1]
AUDIT = REPO / "bench" / "extractor_audit.csv"
LEGAL = legal_dir(Path(__file__).parents[2] / "shared" / "legal")

DATES = {"valid_from": "2025-07-01", "valid_until": "2027-03-01"}


def picked(rows, *columns):
    """The rows reduced to the columns a test is about."""
    return [{c: row[c] for c in columns} for row in rows]


CORE = ("article", "clause", "point", "holder", "mode", "defining_provision", "former_holder")


def test_delimitation_decree_gives_one_row_per_assignment_with_its_citation_holder_and_mode():
    rows = extract(FIXTURES / "phan-dinh.txt", source="https://example.org/901")
    assert picked(rows, *CORE) == [
        {"article": "2", "clause": "1", "point": "", "holder": "Ủy ban nhân dân cấp xã",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "khoản 3 Điều 103 Luật Xây dựng năm 2014 (đã được sửa đổi, bổ sung năm 2020)"},
        {"article": "2", "clause": "2", "point": "", "holder": "Chủ tịch Ủy ban nhân dân cấp xã",
         "mode": "phân định", "former_holder": "Chủ tịch Ủy ban nhân dân cấp huyện",
         "defining_provision": "khoản 5 Điều 93 Nghị định số 95/2024/NĐ-CP"},
        {"article": "2", "clause": "4", "point": "", "holder": "Ủy ban nhân dân cấp xã",
         "mode": "phân cấp", "former_holder": "",
         "defining_provision": "điểm b khoản 8 Điều 121 Nghị định số 175/2024/NĐ-CP"},
        {"article": "3", "clause": "", "point": "", "holder": "Ủy ban nhân dân cấp xã",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "khoản 3 Điều 22; khoản 2 Điều 45 Nghị định số 62/2025/NĐ-CP"},
        {"article": "4", "clause": "1", "point": "a", "holder": "Chủ tịch Ủy ban nhân dân cấp xã",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "điểm a khoản 2 Điều 139 Luật Nhà ở năm 2023"},
        {"article": "4", "clause": "1", "point": "b", "holder": "Ủy ban nhân dân cấp xã",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "khoản 3 Điều 139 Luật Nhà ở năm 2023"},
        {"article": "4", "clause": "2", "point": "", "holder": "Chủ tịch Ủy ban nhân dân cấp tỉnh",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "điểm b khoản 2 Điều 42 Nghị định số 06/2021/NĐ-CP"},
        {"article": "4", "clause": "2", "point": "", "holder": "cơ quan quản lý nhà nước có thẩm quyền",
         "mode": "phân định", "former_holder": "",
         "defining_provision": "điểm b khoản 2 Điều 42 Nghị định số 06/2021/NĐ-CP"},
        {"article": "6", "clause": "", "point": "", "holder": "Ủy ban nhân dân cấp xã",   # from the title
         "mode": "phân định", "former_holder": "Ủy ban nhân dân cấp huyện", "defining_provision": ""},
    ]
    assert {row["instrument"] for row in rows} == {"901/2025/NĐ-CP"}
    assert all(picked([row], *DATES)[0] == DATES for row in rows)
    assert {row["source"] for row in rows} == {"https://example.org/901"}


def test_collective_body_and_its_chairman_stay_distinct():
    rows = extract(FIXTURES / "phan-dinh.txt")
    holders = {(row["article"], row["clause"], row["point"]): row["holder"] for row in rows}
    assert holders[("4", "1", "a")] == "Chủ tịch Ủy ban nhân dân cấp xã"
    assert holders[("4", "1", "b")] == "Ủy ban nhân dân cấp xã"


def test_a_power_made_conditional_on_decentralisation_names_its_grantor():
    row = next(r for r in extract(FIXTURES / "phan-dinh.txt") if r["clause"] == "4")
    assert (row["mode"], row["grantor"]) == ("phân cấp", "Ủy ban nhân dân cấp tỉnh")
    assert "khi được Ủy ban nhân dân cấp tỉnh phân cấp" in row["note"]


def test_framing_articles_procedures_negations_and_annexes_give_no_rows():
    rows = extract(FIXTURES / "phan-dinh.txt")
    cited = {(row["article"], row["clause"]) for row in rows}
    assert ("1", "") not in cited          # scope article: "… do Ủy ban nhân dân cấp tỉnh thực hiện"
    assert ("2", "3") not in cited         # "Trình tự, thủ tục … do … thực hiện"
    assert ("4", "3") not in cited         # "Bộ Xây dựng, Cục … không thực hiện …"
    assert not any("Thủ tục mẫu" in row["task_vi"] for row in rows)            # PHỤ LỤC I


def test_sections_give_the_mode_and_the_text_gives_the_former_holder():
    rows = extract(FIXTURES / "phan-quyen-phan-cap.txt")
    assert picked(rows, "article", "clause", "holder", "mode", "former_holder", "note") == [
        {"article": "2", "clause": "1", "holder": "Bộ Công Thương", "mode": "phân quyền",
         "former_holder": "Thủ tướng Chính phủ", "note": ""},
        {"article": "3", "clause": "1", "holder": "Ủy ban nhân dân cấp tỉnh", "mode": "phân cấp",
         "former_holder": "Bộ Công Thương", "note": ""},
        {"article": "3", "clause": "2", "holder": "đại diện chủ sở hữu nhà ở thuộc tài sản công",
         "mode": "phân cấp", "former_holder": "", "note": "scope: đối với nhà ở thuộc tài sản công"},
        {"article": "3", "clause": "2", "holder": "Ủy ban nhân dân cấp tỉnh", "mode": "phân cấp",
         "former_holder": "",
         "note": "holder as written: Ủy ban nhân dân tỉnh; scope: đối với nhà ở không thuộc tài sản công"},
    ]


def test_in_force_from_signature_takes_the_header_date_and_leaves_the_end_open():
    rows = extract(FIXTURES / "phan-quyen-phan-cap.txt")
    assert {(row["valid_from"], row["valid_until"]) for row in rows} == {("2025-06-12", "")}


def test_saved_web_page_is_read_past_its_site_chrome_and_script():
    rows = extract(FIXTURES / "saved-page.html")
    assert picked(rows, "instrument", "article", "clause", "holder", "defining_provision") == [
        {"instrument": "903/2025/NĐ-CP", "article": "2", "clause": "", "holder": "Ủy ban nhân dân cấp xã",
         "defining_provision": "khoản 2 Điều 7 của Luật Hộ tịch năm 2014"},
        {"instrument": "903/2025/NĐ-CP", "article": "3", "clause": "1",
         "holder": "Chủ tịch Ủy ban nhân dân cấp xã", "defining_provision": "khoản 1 Điều 63 Luật Hộ tịch"},
    ]
    assert {(row["valid_from"], row["valid_until"]) for row in rows} == {tuple(DATES.values())}


def _write_docx(path: Path) -> None:
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "CHÍNH PHỦ"
    header.cell(1, 0).text = "Số: 904/2025/NĐ-CP"
    header.cell(1, 1).text = "Hà Nội, ngày 12 tháng 6 năm 2025"
    for text in ("NGHỊ ĐỊNH", "QUY ĐỊNH VỀ PHÂN CẤP TRONG LĨNH VỰC MẪU", "Chương I",
                 "PHÂN CẤP TRONG LĨNH VỰC KINH DOANH KHÍ"):
        document.add_paragraph(text)
    article = document.add_paragraph("Điều 1. Thẩm quyền về kinh doanh khí")
    article.add_run().add_break()        # title and body in one Word paragraph, as in Decree 140
    article.add_run("Thẩm quyền cấp Giấy chứng nhận quy định tại khoản 3 Điều 44 Nghị định số "
                    "87/2018/NĐ-CP do Ủy ban nhân dân cấp tỉnh thực hiện.")
    document.add_paragraph("Điều 2. Hiệu lực thi hành")
    document.add_paragraph("Nghị định này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2025.")
    document.save(str(path))


def test_word_document_with_header_table_and_a_line_break_inside_a_paragraph(tmp_path):
    path = tmp_path / "decree.docx"
    _write_docx(path)
    rows = extract(path, source="https://example.org/904")
    assert picked(rows, "instrument", "article", "clause", "holder", "mode", "defining_provision",
                  "valid_from", "valid_until", "sector") == [
        {"instrument": "904/2025/NĐ-CP", "article": "1", "clause": "", "holder": "Ủy ban nhân dân cấp tỉnh",
         "mode": "phân cấp", "defining_provision": "khoản 3 Điều 44 Nghị định số 87/2018/NĐ-CP",
         "valid_from": "2025-07-01", "valid_until": "", "sector": "kinh doanh khí"},
    ]


@pytest.mark.parametrize("name, content, message", [
    ("decree.pdf", b"%PDF-1.4", "unknown file type '.pdf'"),
    ("decree.docx", b"not a zip file", "not a readable Word (.docx) document"),
    ("decree.txt", b"", "the document has no text"),
    ("decree.txt", b"\xff\xfe\x00garbage\x80", "not UTF-8 text"),
    ("decree.txt", "Một văn bản không có số hiệu.\n".encode(), "no decree number"),
])
def test_bad_input_is_an_input_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        extract(path)
    assert caught.value.file == str(path)


def test_cli_reports_bad_input_with_exit_code_2_and_no_traceback(tmp_path, capsys):
    missing = tmp_path / "missing.docx"
    assert main(["extract", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err


def test_cli_writes_template_csv_to_standard_output(capsys):
    assert main(["extract", str(FIXTURES / "phan-dinh.txt"), "--source", "https://example.org/901"]) == 0
    out = capsys.readouterr().out
    reader = csv.reader(io.StringIO(out))
    assert tuple(next(reader)) == TEMPLATE_COLUMNS
    assert len(list(reader)) == len(extract(FIXTURES / "phan-dinh.txt"))


def test_cli_writes_xlsx_with_the_template_columns(tmp_path):
    out = tmp_path / "rows.xlsx"
    assert main(["extract", str(FIXTURES / "phan-quyen-phan-cap.txt"), "-o", str(out)]) == 0
    sheet = load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert tuple(values[0]) == TEMPLATE_COLUMNS
    assert [row[TEMPLATE_COLUMNS.index("holder")] for row in values[1:]] == [
        "Bộ Công Thương", "Ủy ban nhân dân cấp tỉnh", "đại diện chủ sở hữu nhà ở thuộc tài sản công",
        "Ủy ban nhân dân cấp tỉnh"]


@pytest.mark.parametrize("options, message", [
    (["--format", "xlsx"], "XLSX needs an output file"),
    (["-o", "rows.txt"], "the output file must end in .csv or .xlsx"),
    (["-o", "rows.csv", "--format", "xlsx"], "--format xlsx but the output file ends in .csv"),
])
def test_cli_refuses_an_output_it_cannot_write(tmp_path, capsys, options, message):
    options = [str(tmp_path / o) if o.startswith("rows.") else o for o in options]
    assert main(["extract", str(FIXTURES / "phan-dinh.txt"), *options]) == 2
    assert message in capsys.readouterr().err


needs_legal = pytest.mark.skipif(
    LEGAL is None, reason="legal evidence base not found: set $THAMQUYEN_LEGAL_DIR or put it at ../shared/legal")


@needs_legal
def test_extractor_reaches_its_measured_scores_against_the_curated_rows_and_beats_the_baseline():
    curated = evaluate(LEGAL).curated
    ours, baseline = curated["extractor"]["all"], curated["baseline"]["all"]
    # Thresholds are what the extractor measured when written (docs/extractor.md).
    assert ours.citation_recall == 1.0 and ours.holder_recall == 1.0
    assert ours.holder_precision >= 0.94
    assert ours.citation_recall > baseline.citation_recall
    assert ours.holder_recall > baseline.holder_recall
    for instrument in ("139/2025/NĐ-CP", "140/2025/NĐ-CP", "144/2025/NĐ-CP", "146/2025/NĐ-CP"):
        assert curated["extractor"][instrument].citation_recall == 1.0, instrument


@needs_legal
def test_extractor_reaches_its_measured_scores_on_completely_read_articles():
    reread = evaluate(LEGAL, AUDIT).reread
    for scope, precision, recall in (("curated articles", 1.0, 0.99), ("random sample", 1.0, 0.88)):
        ours, baseline = reread[scope]["extractor"]["all"], reread[scope]["baseline"]["all"]
        assert ours.holder_precision >= precision and ours.citation_precision >= precision, scope
        assert ours.holder_recall >= recall, scope
        assert ours.holder_recall > baseline.holder_recall, scope


@needs_legal
@pytest.mark.parametrize("slug", ["139-2025-nd-cp", "140-2025-nd-cp", "144-2025-nd-cp", "146-2025-nd-cp"])
def test_committed_extracted_rows_are_what_the_extractor_gives_today(slug):
    from registry.extract_eval import decree_files, source_urls

    committed = REPO / "data" / "extracted" / f"{slug}.csv"
    instrument = slug.replace("-nd-cp", "").replace("-", "/") + "/NĐ-CP"
    rows = extract(decree_files(LEGAL)[instrument], source=source_urls(LEGAL)[instrument])
    fresh = io.StringIO()
    write_csv(rows, fresh)
    assert committed.read_text(encoding="utf-8") == fresh.getvalue(), \
        f"re-run: .venv/bin/python bench/extractor_eval.py --write data/extracted"


def test_legal_dir_honours_the_environment(tmp_path, monkeypatch):
    (tmp_path / "sources").mkdir()
    monkeypatch.setenv("THAMQUYEN_LEGAL_DIR", str(tmp_path))
    assert legal_dir(Path("/nonexistent")) == tmp_path
    monkeypatch.setenv("THAMQUYEN_LEGAL_DIR", str(tmp_path / "absent"))
    assert legal_dir(tmp_path) is None
    monkeypatch.delenv("THAMQUYEN_LEGAL_DIR")
    assert legal_dir(tmp_path) == tmp_path


def test_text_exported_from_a_web_page_has_its_broken_sentences_rejoined(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Số: 905/2025/NĐ-CP\nNGHỊ ĐỊNH\nQUY ĐỊNH VỀ PHÂN CẤP\nChương I\nPHÂN CẤP TRONG LĨNH VỰC NỘI VỤ\n"
                    "Điều 1. Phân cấp nhiệm vụ\nNhiệm vụ, quyền hạn quy định tại Điều 18 của Nghị định số\n"
                    "93/2019/NĐ-CP\nngày 25 tháng 11 năm 2019 của Chính phủ do Chủ tịch Ủy ban nhân dân cấp tỉnh "
                    "thực hiện.\n", encoding="utf-8")
    assert picked(extract(path), "article", "holder", "defining_provision") == [
        {"article": "1", "holder": "Chủ tịch Ủy ban nhân dân cấp tỉnh",
         "defining_provision": "Điều 18 của Nghị định số 93/2019/NĐ-CP"}]
