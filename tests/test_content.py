"""The registry's legal content: the data files compile, hang together, and tell time right."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from registry import namespaces as ns
from registry.catalogue import DATA_DIR, load_catalogue
from registry.content import instrument_rows
from registry.errors import InputError
from registry.stats import registry_stats

PROJECT = Path(__file__).resolve().parent.parent
ROWS_PER_INSTRUMENT = {"120/2025/NĐ-CP": 18, "128/2025/NĐ-CP": 39, "129/2025/NĐ-CP": 9, "139/2025/NĐ-CP": 19,
                       "140/2025/NĐ-CP": 130, "142/2025/NĐ-CP": 1, "144/2025/NĐ-CP": 91, "146/2025/NĐ-CP": 156,
                       "151/2025/NĐ-CP": 50, "49/2026/NĐ-CP": 19}


def select(backend, query: str) -> list[tuple[str, ...]]:
    _, rows = backend.select(ns.SPARQL_PREFIXES + query)
    return [tuple("" if t is None else t.value for t in row) for row in rows]


def test_rows_per_instrument():
    grouped = instrument_rows()
    assert {number: len(rows) for number, rows in grouped.items()} == ROWS_PER_INSTRUMENT


def test_every_evidence_row_is_used_or_explained():
    """Each row's note names its evidence row; the rows not used are listed in docs/content-notes.md."""
    used = {m for rows in instrument_rows().values() for r in rows for m in re.findall(r"bằng chứng (A\d{3})", r.note)}
    notes = (PROJECT / "docs" / "content-notes.md").read_text(encoding="utf-8")
    left_out = set(re.findall(r"^\| (A\d{3}) \|", notes, flags=re.M))
    assert used.isdisjoint(left_out)
    assert used | left_out == {f"A{n:03d}" for n in range(1, 130)}
    assert len(left_out) == 7


def test_every_extracted_row_is_merged_covered_or_explained():
    """Each row the extractor proposed (data/extracted/) is in a reviewed file, already covered by a
    curated row (same provision and holder), or listed in docs/content-notes.md (dropped, split, renamed)."""
    import csv

    def key(r):
        return (r["instrument"], r["article"], r["clause"], r["point"], ns.fold(r["holder"]))

    curated, merged = set(), set()
    for path in (DATA_DIR / "assignments").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if ".extracted." in path.name:
            merged |= {r["id"] for r in rows}
        else:
            curated |= {key(r) for r in rows}
    notes = (PROJECT / "docs" / "content-notes.md").read_text(encoding="utf-8")
    explained = set(re.findall(r"^\| `([0-9]+-[0-9]{4}-nd-cp-[a-z0-9-]+)` \|", notes, flags=re.M))
    proposed = []
    for path in sorted((DATA_DIR / "extracted").glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            proposed += list(csv.DictReader(f))
    assert len(proposed) == 426
    unaccounted = [r["id"] for r in proposed if r["id"] not in merged and key(r) not in curated
                   and r["id"] not in explained]
    assert unaccounted == []


def test_a_provision_that_dates_itself_starts_on_that_date(registry):
    """Art. 31(4) of Decree 144/2025 applies "từ ngày 01 tháng 01 năm 2026", not from the decree's 1 July 2025."""
    [(start, end)] = select(registry, """SELECT ?from ?until WHERE {
        <https://w3id.org/thamquyen/id/assignment/144-2025-nd-cp-d31-k4> tq:validFrom ?from ; tq:validUntil ?until }""")
    assert (start, end) == ("2026-01-01", "2027-03-01")


def test_the_catalogue_holds_the_instruments_and_roles_the_law_names():
    catalogue = load_catalogue()
    assert len(catalogue.instruments) == 33
    chairman = catalogue.role("Chủ tịch UBND cấp xã")
    assert (chairman.key, chairman.kind, chairman.post_in) == ("chu-tich-ubnd-cap-xa", "individual", "ubnd-cap-xa")
    assert chairman.concrete_label_pattern == "Chủ tịch Ủy ban nhân dân {unit}"
    assert {r.key for r in catalogue.roles.values() if r.level == "district"} == {
        "ubnd-cap-huyen", "chu-tich-ubnd-cap-huyen", "co-quan-chuyen-mon-thuoc-ubnd-cap-huyen",
        "co-quan-chuyen-mon-ve-xay-dung-cap-huyen", "co-quan-quan-ly-duong-bo-cap-huyen",
        "co-quan-quan-ly-dat-dai-cap-huyen", "chinh-quyen-cap-huyen"}
    assert all(r.valid_until == "2025-07-01" for r in catalogue.roles.values() if r.level == "district")


def test_time_is_the_proof(registry):
    """Decree 151/2025 gave land recovery to the commune Chairman; Decree 49/2026 to the provincial committee."""
    query = """
    SELECT ?holder ?instrument WHERE {
      ?a tq:power <https://w3id.org/thamquyen/id/power/thu-hoi-dat-d83-k2> ; tq:holder/dcterms:identifier ?holder ;
         tq:legalBasis/tq:instrument/eli:id_local ?instrument ; tq:validFrom ?from .
      OPTIONAL { ?a tq:validUntil ?until }
      FILTER(?from <= "%s"^^xsd:date && (!BOUND(?until) || "%s"^^xsd:date < ?until))
    }"""
    assert select(registry, query % ("2025-08-01", "2025-08-01")) == [("chu-tich-ubnd-cap-xa", "151/2025/NĐ-CP")]
    assert select(registry, query % ("2026-01-30", "2026-01-30")) == [("chu-tich-ubnd-cap-xa", "151/2025/NĐ-CP")]
    assert select(registry, query % ("2026-01-31", "2026-01-31")) == [("ubnd-cap-tinh", "49/2026/NĐ-CP")]
    assert select(registry, query % ("2026-03-01", "2026-03-01")) == [("ubnd-cap-tinh", "49/2026/NĐ-CP")]
    assert select(registry, query % ("2027-03-01", "2027-03-01")) == []


def test_instruments_are_eli_resources_with_repeals(registry):
    [(title, date, start, end)] = select(registry, """
      SELECT ?title ?date ?start ?end WHERE {
        <https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp> a eli:LegalResource ; eli:type_document tq:NghiDinh ;
          eli:passed_by <https://w3id.org/thamquyen/id/role/chinh-phu> ; eli:title ?title ; eli:date_document ?date ;
          eli:first_date_entry_in_force ?start ; eli:date_no_longer_in_force ?end .
        FILTER(lang(?title) = "vi") }""")
    assert (date, start, end) == ("2025-06-12", "2025-07-01", "2027-03-01")
    assert "đất đai" in title
    repealed = {r[0] for r in select(registry, """SELECT ?t WHERE {
        <https://w3id.org/thamquyen/id/instrument/49-2026-nd-cp/dieu-16/khoan-3/diem-dd> eli:repeals ?t }""")}
    assert len(repealed) == 56
    assert ns.subdivision_iri("151/2025/NĐ-CP", "4") in repealed
    assert ns.subdivision_iri("151/2025/NĐ-CP", "5", "1", "i") not in repealed      # expressly kept
    assert registry.ask(ns.SPARQL_PREFIXES + "ASK { <https://w3id.org/thamquyen/id/instrument/49-2026-nd-cp> eli:amends <https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp> }")
    assert not registry.ask(ns.SPARQL_PREFIXES + "ASK { <https://w3id.org/thamquyen/id/instrument/49-2026-nd-cp> eli:date_no_longer_in_force ?d }")


def test_cited_provisions_carry_label_and_text(registry):
    [(label, text, parent)] = select(registry, """SELECT ?label ?text ?parent WHERE {
        <https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp/dieu-5/khoan-1/diem-b> a tq:Point ;
          rdfs:label ?label ; tq:provisionText ?text ; eli:is_part_of ?parent ;
          tq:instrument <https://w3id.org/thamquyen/id/instrument/151-2025-nd-cp> . }""")
    assert label == "điểm b khoản 1 Điều 5 Nghị định 151/2025/NĐ-CP"
    assert text.startswith("b) Quyết định thu hồi đất thuộc các trường hợp quy định tại khoản 2 Điều 83 Luật Đất đai")
    assert parent == ns.subdivision_iri("151/2025/NĐ-CP", "5", "1")


def test_each_instrument_has_its_own_graph(registry):
    graphs = set(registry.graphs())
    assert {ns.instrument_graph(n) for n in ROWS_PER_INSTRUMENT} <= graphs
    assert registry.ask(ns.SPARQL_PREFIXES + """ASK { GRAPH <https://w3id.org/thamquyen/graph/49-2026-nd-cp> {
        <https://w3id.org/thamquyen/id/assignment/49-2026-nd-cp-d14-k2-c> tq:holder <https://w3id.org/thamquyen/id/role/van-phong-dang-ky-dat-dai> ;
          prov:wasDerivedFrom ?source ; dcterms:identifier "49-2026-nd-cp-d14-k2-c" } }""")


def test_stats_count_the_content(registry):
    stats = registry_stats(registry)
    assert stats["assignments per instrument"] == ROWS_PER_INSTRUMENT
    assert stats["assignments per mode"] == {"phân cấp": 224, "phân quyền": 110, "phân định thẩm quyền": 196,
                                             "ủy quyền": 2}
    assert stats["assignments per holder level"] == {"cấp tỉnh": 245, "cấp xã": 165, "trung ương": 122}
    assert stats["assignments per sector"]["Đất đai"] == 69


@pytest.fixture
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def test_a_row_outliving_its_repealed_basis_is_refused(data_copy):
    path = data_copy / "assignments" / "151-2025-nd-cp.csv"
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith("151-2025-nd-cp-d5-k1-b,"))
    path.write_text(text.replace(line, line.replace(",2026-01-31,", ",2027-03-01,")), encoding="utf-8")
    with pytest.raises(InputError, match="repealed from 2026-01-31") as caught:
        instrument_rows(data_copy)
    assert caught.value.field == "valid_until"


def test_several_files_per_instrument_and_ids_unique_across_them(data_copy):
    extra = data_copy / "assignments" / "140-2025-nd-cp.extracted.csv"
    header = (DATA_DIR / "assignments" / "140-2025-nd-cp.csv").read_text(encoding="utf-8").splitlines()[0]
    row = ("140-2025-nd-cp-d9-k4,luu-tru-ho-so-nha-o-d120-k1-b,Lưu trữ hồ sơ nhà ở,,Nhà ở,,Ủy ban nhân dân cấp xã,"
           "phân định,,140/2025/NĐ-CP,9,4,,2025-07-01,2027-03-01,,,,https://example.org/140,")
    extra.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert len(instrument_rows(data_copy)["140/2025/NĐ-CP"]) == 33
    extra.write_text(f"{header}\n{row.replace('-d9-k4,', '-d4-k1,', 1)}\n", encoding="utf-8")
    with pytest.raises(InputError, match="already used in .*140-2025-nd-cp.csv"):
        instrument_rows(data_copy)


def test_a_file_must_be_named_after_its_instrument(data_copy):
    shutil.copy(data_copy / "assignments" / "142-2025-nd-cp.csv", data_copy / "assignments" / "nd-142.csv")
    with pytest.raises(InputError, match="slug of an instrument"):
        instrument_rows(data_copy)
