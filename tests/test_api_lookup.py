"""The lookup API and CLI over the fixture store: status codes, answers that match the documented
models exactly, the OpenAPI examples, JSON-LD that parses to the right triples, and CLI errors."""

from __future__ import annotations

import json

import pytest
import rdflib
from fastapi.testclient import TestClient

from api import lookup_models as m
from api.main import create_app
from api.settings import Settings
from registry import namespaces as ns
from registry.cli import main

TASK = "kiem-dem-bat-buoc-d87-k2-dd"


@pytest.fixture(scope="module")
def client(lookup_store):
    return TestClient(create_app(Settings(), backend=lookup_store))


def test_authority_answer_matches_its_model(client):
    for day in ("2024-12-01", "2025-06-30", "2025-08-01", "2026-03-01", "2027-06-01"):
        r = client.get("/authority", params={"task": TASK, "place": "00070", "date": day})
        assert r.status_code == 200 and r.headers["content-type"] == "application/json"
        m.AuthorityAnswer.model_validate(r.json())


def test_authority_by_name_without_diacritics(client):
    r = client.get("/authority", params={"task": TASK, "place": "phuong hoan kiem, ha noi", "date": "2025-08-01"})
    assert [a["name"] for a in r.json()["authorities"]] == ["Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội"]


def test_authority_before_the_reform_lists_both_former_districts(client):
    body = client.get("/authority", params={"task": TASK, "place": "00070", "date": "2025-06-30"}).json()
    assert body["status"] == "candidates"
    assert [a["name"] for a in body["authorities"]] == ["Chủ tịch Ủy ban nhân dân quận Ba Đình, thành phố Hà Nội",
                                                        "Chủ tịch Ủy ban nhân dân quận Hoàn Kiếm, thành phố Hà Nội"]


def test_gap_answer_is_not_an_empty_list(client):
    body = client.get("/authority", params={"task": "cap-giay-phep-xay-dung-d103-k2-k3", "place": "00070",
                                            "date": "2027-06-01"}).json()
    assert body["status"] == "no_competent_authority" and body["authorities"] == []
    assert [c["assignment"]["valid_until"] for c in body["nearest_before"]] == ["2027-03-01"]


def test_other_answers_match_their_models(client):
    m.TaskDetail.model_validate(client.get(f"/tasks/{TASK}").json())
    m.SearchAnswer.model_validate(client.get("/tasks", params={"q": "dat"}).json())
    m.SearchAnswer.model_validate(client.get("/tasks").json())
    m.PlaceProfile.model_validate(client.get("/places/00070").json())
    m.PlaceProfile.model_validate(client.get("/places/002").json())
    m.AuthorityAnswer.model_validate(client.get("/authority", params={
        "task": "cap-chung-chi-hanh-nghe-xay-dung", "place": "01", "date": "2025-08-01"}).json())


def test_search_ranks_and_filters(client):
    body = client.get("/tasks", params={"q": "cap giay phep xay dung"}).json()
    assert body["results"][0]["id"] == "cap-giay-phep-xay-dung-d103-k2-k3"
    body = client.get("/tasks", params={"q": "", "sector": "dat-dai", "limit": 1}).json()
    assert body["total"] == 2 and len(body["results"]) == 1


def test_task_timeline(client):
    body = client.get(f"/tasks/{TASK}").json()
    assert [a["holder"]["id"] for a in body["timeline"]] == [
        "chu-tich-ubnd-cap-huyen", "chu-tich-ubnd-cap-xa", "ubnd-cap-tinh"]
    assert body["timeline"][1]["legal_basis"][0]["label"] == "điểm b khoản 2 Điều 5 Nghị định 151/2025/NĐ-CP"


def test_place_profile(client):
    body = client.get("/places/00070", params={"date": "2025-08-01"}).json()
    assert body["name"] == "Phường Hoàn Kiếm" and body["province"]["code"] == "01"
    assert body["authorities"][0] == body["authorities"][0] | {
        "name": "Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội", "powers": 2}


@pytest.mark.parametrize("url, params, status, key", [
    ("/authority", {"task": "kiem dem", "place": "00070"}, 404, "suggestions"),
    ("/authority", {"task": TASK, "place": "Phuong Hoan Kem"}, 404, "suggestions"),
    ("/authority", {"task": TASK, "place": "Xã Tân Lập"}, 409, "candidates"),
    ("/authority", {"task": TASK, "place": "00070", "date": "2025-02-30"}, 422, None),
    ("/authority", {"task": TASK, "place": "00070", "date": "1"}, 422, None),
    ("/tasks/cap-giay-phep-xay-dung", {}, 404, "suggestions"),
    ("/places/99999", {}, 404, None),
    ("/tasks", {"level": "cấp thôn"}, 422, None),
])
def test_errors(client, url, params, status, key):
    r = client.get(url, params=params)
    assert r.status_code == status
    body = m.ErrorAnswer.model_validate(r.json())
    if key:
        assert getattr(body, key), body


def test_openapi_documents_models_and_examples(client):
    spec = client.get("/openapi.json").json()
    authority = spec["paths"]["/authority"]["get"]
    assert set(authority["responses"]) >= {"200", "404", "409", "422"}
    assert authority["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("AuthorityAnswer")
    params = {p["name"]: p for p in authority["parameters"]}
    assert all(params[name]["schema"]["examples"] for name in ("task", "place", "date"))
    for path in ("/tasks", "/tasks/{task_id}", "/places/{code}"):
        assert "example" in spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]


@pytest.mark.parametrize("model, example", [
    (m.AuthorityAnswer, m.AUTHORITY_EXAMPLE), (m.TaskDetail, m.TASK_EXAMPLE), (m.SearchAnswer, m.SEARCH_EXAMPLE),
    (m.PlaceProfile, m.PLACE_EXAMPLE), (m.ErrorAnswer, m.NOT_FOUND_EXAMPLE), (m.ErrorAnswer, m.AMBIGUOUS_EXAMPLE),
    (m.ErrorAnswer, m.INVALID_EXAMPLE),
])
def test_examples_match_the_models(model, example):
    model.model_validate(example)


def test_answer_is_linked_data(client):
    text = client.get("/authority", params={"task": TASK, "place": "00070", "date": "2025-08-01"}).text
    g = rdflib.Graph().parse(data=text, format="json-ld")
    tq = rdflib.Namespace(ns.TQ)
    authority = rdflib.URIRef(ns.concrete_authority_iri("chu-tich-ubnd-cap-xa", "00070"))
    assignment = rdflib.URIRef(ns.assignment_iri("151-2025-nd-cp-d5-k2-b"))
    assert (authority, tq.hasRole, rdflib.URIRef(ns.role_iri("chu-tich-ubnd-cap-xa"))) in g
    assert (authority, tq.ofUnit, rdflib.URIRef(ns.commune_iri("00070"))) in g
    assert (None, rdflib.URIRef(ns.CV + "hasCompetentAuthority"), authority) in g
    assert (authority, rdflib.URIRef(ns.PROV + "wasDerivedFrom"), assignment) in g
    assert (assignment, tq.validFrom, rdflib.Literal("2025-07-01", datatype=rdflib.XSD.date)) in g
    assert (assignment, tq.legalBasis,
            rdflib.URIRef(ns.subdivision_iri("151/2025/NĐ-CP", "5", "2", "b"))) in g


def test_index_follows_writes_through_the_api_store(tmp_path, lookup_store):
    from registry.store import OxigraphBackend

    backend = OxigraphBackend(tmp_path / "store")
    backend.replace_graphs(lookup_store.store.quads_for_pattern(None, None, None, None), [])
    client = TestClient(create_app(Settings(), backend=backend))
    params = {"task": "cap-giay-phep-xay-dung-d103-k2-k3", "place": "00070", "date": "2027-06-01"}
    assert client.get("/authority", params=params).json()["status"] == "no_competent_authority"
    backend.update(f"""PREFIX tq: <{ns.TQ}> PREFIX xsd: <{ns.XSD}>
        INSERT DATA {{ <{ns.assignment_iri('x')}> a tq:Assignment ;
          tq:power <{ns.power_iri('cap-giay-phep-xay-dung-d103-k2-k3')}> ; tq:holder <{ns.role_iri('ubnd-cap-xa')}> ;
          tq:validFrom "2027-03-01"^^xsd:date }}""")
    client.get("/authority", params=params)  # sees the new generation: starts the rebuild
    client.app.state.lookup_cache.wait()
    assert client.get("/authority", params=params).json()["status"] == "competent"


# --- the command line ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store_path(lookup_store):
    return str(lookup_store.path)


def test_cli_lookup_prints_vietnamese_first(store_path, capsys):
    assert main(["--store", store_path, "lookup", TASK, "--place", "Phường Hoàn Kiếm, Hà Nội",
                 "--date", "2025-08-01"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Thẩm quyền: Ban hành quyết định kiểm đếm bắt buộc [{TASK}]"
    assert "1. Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội" in lines
    assert "   Căn cứ:       điểm b khoản 2 Điều 5 Nghị định 151/2025/NĐ-CP" in lines
    assert "   Hiệu lực:     từ 01/07/2025 đến trước 31/01/2026" in lines
    assert lines[-1].startswith("(en) Competent authority on 2025-08-01")


def test_cli_lookup_json_is_the_api_answer(store_path, capsys, client):
    assert main(["--store", store_path, "lookup", TASK, "--place", "00070", "--date", "2026-03-01",
                 "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    api = client.get("/authority", params={"task": TASK, "place": "00070", "date": "2026-03-01"}).json()
    api.pop("@context")
    assert printed == api


@pytest.mark.parametrize("args, words", [
    (["lookup", "nope", "--place", "00070"], "no task 'nope'"),
    (["lookup", TASK, "--place", "Xã Tân Lập"], "matches 3 units"),
    (["lookup", TASK, "--place", "Phuong Hoan Kem"], "did you mean: Phường Hoàn Kiếm"),
    (["lookup", TASK, "--place", "00070", "--date", "2025-13-01"], "not a date"),
    (["place", "99999"], "no unit with code 99999"),
])
def test_cli_errors_are_one_line_exit_2(store_path, capsys, args, words):
    assert main(["--store", store_path, *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and words in captured.err
    assert "Traceback" not in captured.err


def test_cli_tasks_and_place(store_path, capsys):
    assert main(["--store", store_path, "tasks", "giay", "phep"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("cap-giay-phep-xay-dung-d103-k2-k3\tCấp giấy phép xây dựng")
    assert main(["--store", store_path, "place", "00070", "--date", "2025-08-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Phường Hoàn Kiếm, Thành phố Hà Nội (00070) — cấp xã")
    assert "      2  Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội" in out
