"""The query page: YASGUI from the package's own files, the registry's queries as examples,
and a real query run from it in headless chromium (Debian's; never a downloaded browser)."""

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.query_page import QUERIES_DIR, read_examples
from api.settings import Settings
from live import serve
from registry.store import OxigraphBackend

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HANOI = """# Câu hỏi: Hà Nội có bao nhiêu phường?
# Question: How many phường does Hà Nội have?
# expected rows:
#   51
SELECT (COUNT(?u) AS ?n) WHERE {
  ?u a tq:CommuneUnit ; tq:unitType tq:Phuong ; tq:withinUnit <https://w3id.org/thamquyen/id/unit/province/01> .
  FILTER NOT EXISTS { ?u tq:validUntil ?end }
}
"""


def test_examples_have_title_description_and_the_prefixes_they_need(tmp_path):
    (tmp_path / "cq").mkdir()
    (tmp_path / "cq" / "hanoi.rq").write_text(HANOI, encoding="utf-8")
    [example] = read_examples(tmp_path)
    assert example["name"] == "cq/hanoi.rq"
    assert example["title"] == "Câu hỏi: Hà Nội có bao nhiêu phường?"
    assert example["description"] == "Question: How many phường does Hà Nội have?"
    assert example["query"].startswith("# Câu hỏi")
    assert "PREFIX tq: <https://w3id.org/thamquyen/ontology#>\nSELECT" in example["query"]


def test_examples_are_read_at_request_time(tmp_path):
    client = TestClient(create_app(Settings(extra={"queries_dir": str(tmp_path)}), backend=OxigraphBackend(None)))
    assert client.get("/query/examples").json() == []
    (tmp_path / "new.rq").write_text("# A new question\nASK {}\n")
    assert [e["title"] for e in client.get("/query/examples").json()] == ["A new question"]


def test_the_registry_queries_are_the_default_examples():
    client = TestClient(create_app(Settings(), backend=OxigraphBackend(None)))
    names = {e["name"] for e in client.get("/query/examples").json()}
    assert names == {p.relative_to(QUERIES_DIR).as_posix() for p in QUERIES_DIR.rglob("*.rq")}


def test_the_page_needs_nothing_from_another_host():
    page = (Path(__file__).parents[1] / "api" / "static" / "query.html").read_text()
    assert "//" not in page.replace("http://www.w3.org", "")  # relative URLs only: no CDN


@pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromedriver") is None,
                    reason="needs Debian's chromium (scripts/ensure-system-deps)")
def test_a_person_runs_an_example_in_the_browser(registry, tmp_path):
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    (tmp_path / "hanoi.rq").write_text(HANOI, encoding="utf-8")
    app = create_app(Settings(extra={"queries_dir": str(tmp_path)}), backend=registry)
    with serve(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            elsewhere, failures = [], []
            page.on("request", lambda r: None if r.url.startswith((base, "data:")) else elsewhere.append(r.url))
            page.on("pageerror", lambda error: failures.append(str(error)))
            page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.goto(base + "/sparql")  # a browser asking /sparql for HTML gets the page
            assert page.title() == "thamquyen — SPARQL"
            button = page.wait_for_selector("#example-list button")
            assert "Hà Nội có bao nhiêu phường" in button.inner_text()
            button.click()
            cell = page.wait_for_selector(".yasr table tbody td:last-child", timeout=20_000)
            assert '"51"' in cell.inner_text()
            assert page.locator("#endpoint").inner_text() == base + "/sparql"
            assert elsewhere == [] and failures == []
        finally:
            browser.close()
