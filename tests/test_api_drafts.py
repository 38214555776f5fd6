"""POST /drafts/validate and the upload page GET /drafts: JSON and HTML answers, limits and bad
uploads, and a ministry official's upload in a real browser (Debian's chromium, no JavaScript needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from live import serve
from test_query_page import CHROMIUM, CHROMIUM_ARGS

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"
DRAFT = FIXTURES / "du-thao-thu-hoi-dat.csv"
UNKNOWN_HOLDER = DRAFT.read_text(encoding="utf-8").replace("Chủ tịch Ủy ban nhân dân cấp xã", "UBND cap thon").encode()


@pytest.fixture(scope="module")
def client(registry):
    return TestClient(create_app(Settings(max_upload_bytes=64 * 1024), backend=registry))


def upload(client, name: str = DRAFT.name, content: bytes | None = None, **fields):
    content = DRAFT.read_bytes() if content is None else content
    headers = fields.pop("headers", {})
    path = "/drafts/validate" + fields.pop("query", "")
    return client.post(path, files={"file": (name, content, "application/octet-stream")}, data=fields,
                       headers=headers)


def test_an_upload_answers_the_report_as_json(client, registry):
    before = registry.quad_count()
    answer = upload(client, effective="2026-07-01")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    document = answer.json()
    assert document["exit_code"] == 1 and document["conforms"] is False
    assert document["draft"]["file"] == DRAFT.name and document["effective"] == "2026-07-01"
    assert "Overlap" in {f["rule"].rsplit("#", 1)[1] for f in document["introduced"]}
    [change] = document["changes"]
    assert change["kind"] == "holder" and change["handover"] is False
    assert registry.quad_count() == before


def test_repeals_and_language_come_as_form_fields(client):
    document = upload(client, effective="2026-07-01", repeals="49/2026/NĐ-CP:14.1\n", lang="en").json()
    assert document["changes"][0]["handover"] is True and len(document["ended"]) >= 16
    assert document["summary"].startswith("The draft introduces")


@pytest.mark.parametrize("how", [{"query": "?format=html"}, {"headers": {"Accept": "text/html,*/*;q=0.8"}}])
def test_html_when_asked(client, how):
    answer = upload(client, effective="2026-07-01", **how)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "id='result'" in answer.text and "Chồng chéo" in answer.text and "<script" not in answer.text


@pytest.mark.parametrize("content, fields, status, detail", [
    (UNKNOWN_HOLDER, {"effective": "2026-07-01"},
     422, {"row": 1, "column": 7, "field": "holder", "file": DRAFT.name}),
    (DRAFT.read_bytes(), {"effective": "2026-02-30"}, 422, {"field": "effective"}),
    (DRAFT.read_bytes(), {}, 422, {"row": 1, "field": "valid_from"}),
    (b"x" * (64 * 1024 + 1), {}, 413, {}),
])
def test_bad_uploads_are_refused_with_where_and_why(client, content, fields, status, detail):
    answer = upload(client, content=content, **fields)
    assert answer.status_code == status
    document = answer.json()
    assert {k: document.get(k) for k in detail} == detail and document["message"]


def test_what_is_not_a_draft_upload(client):
    assert upload(client, name="du-thao.pdf").status_code == 415
    assert client.post("/drafts/validate", content=b"{}", headers={"Content-Type": "application/json"}).status_code == 415
    assert client.post("/drafts/validate", data={"effective": "2026-07-01"}).status_code in (415, 422)
    page = upload(client, content=b"id,power_id\n", headers={"Accept": "text/html"})
    assert page.status_code == 422 and "id='error'" in page.text and "missing required column" in page.text


def test_the_page_is_a_plain_form_with_nothing_from_another_host(client):
    page = client.get("/drafts")
    assert page.status_code == 200 and "enctype='multipart/form-data'" in page.text
    assert "<script" not in page.text and "//" not in page.text.replace("https://w3id.org", "")
    assert client.get("/drafts?lang=en").text.count("Check the draft") == 1
    assert client.get("/static/drafts.css").status_code == 200


def test_the_index_is_read_again_after_a_write(registry, tmp_path):
    from registry.store import OxigraphBackend

    store = OxigraphBackend(tmp_path / "store")
    store.replace_graphs(list(ox.parse(registry.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)), [])
    client = TestClient(create_app(Settings(), backend=store))
    assert upload(client, effective="2026-07-01").json()["changes"]
    base = client.app.state.draft_base
    store.update("DELETE WHERE { GRAPH ?g { <https://w3id.org/thamquyen/id/assignment/49-2026-nd-cp-d14-k1-thu-hoi-dat-d83-k2> ?p ?o } }")
    assert upload(client, effective="2026-07-01").json()["changes"] == []
    assert base.reads == 2


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/ensure-system-deps)")
def test_an_official_uploads_a_draft_and_reads_the_report_in_the_browser(registry):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    app = create_app(Settings(), backend=registry)
    with serve(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(java_script_enabled=False)  # the page must work without it
            page = context.new_page()
            elsewhere = []
            page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
            page.goto(base + "/drafts")
            assert page.title() == "Kiểm tra dự thảo văn bản — thamquyen"
            page.set_input_files("#file", str(DRAFT))
            page.fill("#effective", "2026-07-01")
            page.fill("#repeals", "khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP")
            page.click("button[type=submit]")
            page.wait_for_selector("#result")
            verdict = page.inner_text("#verdict")
            assert verdict.startswith("Dự thảo phát sinh") and "vi phạm mới" in verdict
            assert "bàn giao" in page.inner_text("ul.changes")
            introduced = page.inner_text(".findings.introduced")
            assert "Không có chủ thể vào ngày được hỏi" in introduced
            # each change and finding names where it comes from: the draft's row and article, the
            # registry assignment it ends (the draft's own grant by the Government under its own
            # decree is no finding: tqsh:GrantorDoesNotHold exempts the issuer)
            assert "dòng 1 — khoản 1 Điều 2 Nghị định DỰ THẢO/2026/NĐ-CP" in page.inner_text("ul.changes")
            assert "Quy định của sổ đăng ký: 49-2026-nd-cp-d14-k1-" in introduced
            assert page.input_value("#repeals") == "khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP"
            # a draft that cannot be read comes back on the same page, with where and why
            page.set_input_files("#file", files=[{"name": "du-thao-sai.csv", "mimeType": "text/csv",
                                                  "buffer": UNKNOWN_HOLDER}])
            page.click("button[type=submit]")
            error = page.wait_for_selector("#error")
            assert "unknown holder 'UBND cap thon'" in error.inner_text() and "du-thao-sai.csv" in error.inner_text()
            assert elsewhere == []
        finally:
            browser.close()
