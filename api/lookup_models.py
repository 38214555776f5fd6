"""Response models of the lookup API: what /tasks, /authority and /places return, for OpenAPI.

The answers are JSON-LD documents built by registry.lookup; these models describe them (and the
tests validate real answers and the examples against them, with extra keys forbidden).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_CONFIG = ConfigDict(populate_by_name=True, extra="forbid", serialize_by_alias=True)

HK = "https://w3id.org/thamquyen/id/"
TQ = "https://w3id.org/thamquyen/ontology#"


class Node(BaseModel):
    model_config = _CONFIG


class Message(Node):
    vi: str = Field(description="Tiếng Việt")
    en: str = Field(description="English")


class Concept(Node):
    """A level of government or a mode of assignment (from the ontology's code lists)."""

    iri: str = Field(alias="@id")
    key: str = Field(description="commune / province / district / central, or PhanDinh / PhanQuyen / PhanCap / UyQuyen")
    name: str | None = None
    name_en: str | None = None


class UnitRef(Node):
    iri: str = Field(alias="@id")
    type: str = Field(alias="@type", description="tq:ProvinceUnit, tq:DistrictUnit or tq:CommuneUnit")
    code: str = Field(description="official code: 2 digits province, 3 district (until 2025-07-01), 5 commune")
    name: str


class Unit(UnitRef):
    level: Concept
    valid_from: str | None = None
    valid_until: str | None = Field(None, description="first day the unit no longer exists (legacy units: 2025-07-01)")
    within: UnitRef | None = None
    province: UnitRef | None = None
    full_name: str = Field(description="the unit and the units above it, e.g. 'Phường Hoàn Kiếm, Thành phố Hà Nội'")


class ScopeRef(Node):
    iri: str = Field(alias="@id")
    type: str | None = Field(None, alias="@type")
    code: str | None = None
    name: str | None = None


class Role(Node):
    """An authority role as the law names it ('Chủ tịch Ủy ban nhân dân cấp xã')."""

    iri: str = Field(alias="@id")
    type: str = Field(alias="@type")
    id: str
    name: str
    name_en: str | None = None
    level: Concept | None = None
    post_in: str | None = Field(None, description="the collective role a post belongs to (tq:postInRole)")


class Sector(Node):
    iri: str = Field(alias="@id")
    id: str
    name: str | None = None
    name_en: str | None = None


class Task(Node):
    """A power or task (tq:Power)."""

    iri: str = Field(alias="@id")
    type: Literal["tq:Power"] = Field(alias="@type")
    id: str = Field(description="stable id, used as /tasks/{id} and ?task=")
    name: str
    name_en: str | None = None
    sector: Sector | None = None
    defining_provision: str | None = Field(None, description="the provision of the specialised law defining it")


class Instrument(Node):
    iri: str = Field(alias="@id")
    number: str | None = Field(None, description="e.g. 151/2025/NĐ-CP")
    title: str | None = None


class LegalBasis(Node):
    iri: str = Field(alias="@id")
    label: str | None = Field(None, description="e.g. 'điểm b khoản 2 Điều 5 Nghị định 151/2025/NĐ-CP'")
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    instrument: Instrument | None = None
    source: str | None = None


class Assignment(Node):
    iri: str = Field(alias="@id")
    type: Literal["tq:Assignment"] = Field(alias="@type")
    id: str
    power: str
    holder: Role
    mode: Concept | None = None
    grantor: Role | None = None
    legal_basis: list[LegalBasis]
    valid_from: str | None = None
    valid_until: str | None = Field(None, description="exclusive: the first day no longer in force")
    former_holders: list[Role] = []
    place_scope: list[ScopeRef] = []
    open_question: str | None = Field(None, description="an unresolved legal reading, shown as the source states it")
    source: list[str] = []


class Authority(Node):
    """A concrete authority: a role in one unit ('Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội')."""

    iri: str | None = Field(None, alias="@id", description="role IRI + '/' + unit code; absent when no single unit")
    type: str = Field(alias="@type")
    name: str
    role: Role
    unit: UnitRef | None = None
    level: Concept | None = None
    area: UnitRef | None = Field(None, description="when the role sits below the place: every unit of it in this area")
    note: Message | None = None


class GrantorStep(Authority):
    assignment: Assignment | None = Field(None, description="the grantor's own assignment of the power, if recorded")


class Competence(Authority):
    assignment: Assignment
    grantor_chain: list[GrantorStep] = Field(description="who decentralised / delegated it, upwards")
    via: list[UnitRef] = Field([], description="the former (or later) units the answer went through")


class FormerHolder(Authority):
    """Who held the power before, as the next assignment's text states it (tq:formerHolder)."""

    stated_by: Assignment
    via: list[UnitRef] = []


class AuthorityAnswer(Node):
    context: dict[str, Any] = Field(alias="@context")
    task: Task
    place: Unit
    date: str
    status: Literal["competent", "candidates", "no_competent_authority"]
    message: Message
    authorities: list[Competence]
    nearest_before: list[Competence] = Field([], description="only when nobody is competent that day")
    nearest_after: list[Competence] = Field([], description="only when nobody is competent that day")
    former_holders: list[FormerHolder] = Field(
        [], description="only when nobody is competent that day: the former holders the next assignment names")


class TaskDetail(Task):
    context: dict[str, Any] = Field(alias="@context")
    timeline: list[Assignment]


class SearchHit(Task):
    score: float


class SearchQuery(Node):
    q: str
    sector: str | None = None
    level: str | None = None
    holder: str | None = None
    date: str | None = None
    limit: int
    offset: int


class SearchAnswer(Node):
    context: dict[str, Any] = Field(alias="@context")
    query: SearchQuery
    total: int
    results: list[SearchHit]


class PlaceAuthority(Authority):
    powers: int = Field(description="how many powers it holds there on the date")


class PlaceProfile(Unit):
    context: dict[str, Any] = Field(alias="@context")
    predecessors: list[UnitRef]
    successors: list[UnitRef]
    date: str
    exists_on_date: bool
    authorities: list[PlaceAuthority]


class Suggestion(Node):
    iri: str = Field(alias="@id")
    id: str | None = None
    code: str | None = None
    name: str


class ErrorAnswer(Node):
    error: Literal["not_found", "ambiguous", "invalid"]
    message: str
    suggestions: list[Suggestion] = []
    candidates: list[Suggestion] = []


# --- examples for the OpenAPI page (validated against the models by the tests) ----------------

_LEVEL_XA = {"@id": TQ + "CommuneLevel", "key": "commune", "name": "cấp xã", "name_en": "commune level"}
_ROLE = {"@id": HK + "role/chu-tich-ubnd-cap-xa", "@type": "tq:IndividualRole", "id": "chu-tich-ubnd-cap-xa",
         "name": "Chủ tịch Ủy ban nhân dân cấp xã", "name_en": "Chairman of the commune People's Committee",
         "level": _LEVEL_XA, "post_in": HK + "role/ubnd-cap-xa"}
_HANOI = {"@id": HK + "unit/province/01", "@type": "tq:ProvinceUnit", "code": "01", "name": "Thành phố Hà Nội"}
_HOAN_KIEM = {"@id": HK + "unit/commune/00070", "@type": "tq:CommuneUnit", "code": "00070", "name": "Phường Hoàn Kiếm"}
_TASK = {"@id": HK + "power/kiem-dem-bat-buoc-d87-k2-dd", "@type": "tq:Power", "id": "kiem-dem-bat-buoc-d87-k2-dd",
         "name": "Ban hành quyết định kiểm đếm bắt buộc", "name_en": "Issuing compulsory inventory decisions",
         "sector": {"@id": HK + "sector/dat-dai", "id": "dat-dai", "name": "Đất đai", "name_en": "Land"},
         "defining_provision": "điểm đ khoản 2 Điều 87 Luật Đất đai"}
_ASSIGNMENT = {
    "@id": HK + "assignment/151-2025-nd-cp-d5-k2-b", "@type": "tq:Assignment", "id": "151-2025-nd-cp-d5-k2-b",
    "power": _TASK["@id"], "holder": _ROLE,
    "mode": {"@id": TQ + "PhanDinh", "key": "PhanDinh", "name": "phân định thẩm quyền",
             "name_en": "delimitation of competence"},
    "grantor": None,
    "legal_basis": [{"@id": HK + "instrument/151-2025-nd-cp/dieu-5/khoan-2/diem-b",
                     "label": "điểm b khoản 2 Điều 5 Nghị định 151/2025/NĐ-CP", "article": "5", "clause": "2",
                     "point": "b", "instrument": {"@id": HK + "instrument/151-2025-nd-cp", "number": "151/2025/NĐ-CP",
                                                  "title": "Quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp trong lĩnh vực đất đai"},
                     "source": None}],
    "valid_from": "2025-07-01", "valid_until": "2026-01-31", "former_holders": [], "place_scope": [],
    "open_question": None, "source": ["https://example.org/nd-151-2025.txt"],
}
AUTHORITY_EXAMPLE = {
    "@context": {"tq": TQ, "…": "see any answer"},
    "task": _TASK,
    "place": _HOAN_KIEM | {"level": _LEVEL_XA, "valid_from": "2025-07-01", "valid_until": None, "within": _HANOI,
                           "province": _HANOI, "full_name": "Phường Hoàn Kiếm, Thành phố Hà Nội"},
    "date": "2025-08-01",
    "status": "competent",
    "message": {"vi": "Cơ quan có thẩm quyền ngày 01/08/2025: Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội.",
                "en": "Competent authority on 2025-08-01: Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội."},
    "authorities": [{
        "@id": HK + "role/chu-tich-ubnd-cap-xa/00070", "@type": "tq:IndividualPost",
        "name": "Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội", "role": _ROLE, "unit": _HOAN_KIEM,
        "level": _LEVEL_XA, "assignment": _ASSIGNMENT, "grantor_chain": [],
    }],
}
TASK_EXAMPLE = {"@context": {"tq": TQ}, **_TASK, "timeline": [_ASSIGNMENT]}
SEARCH_EXAMPLE = {"@context": {"results": "@graph"},
                  "query": {"q": "kiem dem bat buoc", "sector": None, "level": None, "holder": None, "date": None,
                            "limit": 20, "offset": 0},
                  "total": 1, "results": [_TASK | {"score": 213.5}]}
PLACE_EXAMPLE = {"@context": {"authorities": {"@reverse": "tq:ofUnit"}},
                 **AUTHORITY_EXAMPLE["place"], "predecessors": [], "successors": [], "date": "2025-08-01",
                 "exists_on_date": True,
                 "authorities": [{"@id": HK + "role/chu-tich-ubnd-cap-xa/00070", "@type": "tq:IndividualPost",
                                  "name": "Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội",
                                  "role": _ROLE, "unit": _HOAN_KIEM, "level": _LEVEL_XA, "powers": 12}]}
NOT_FOUND_EXAMPLE = {"error": "not_found", "message": "không tìm thấy địa bàn / no place named 'Phuong Hoan Kem'; …",
                     "suggestions": [{"@id": _HOAN_KIEM["@id"], "code": "00070",
                                      "name": "Phường Hoàn Kiếm, Thành phố Hà Nội"}]}
AMBIGUOUS_EXAMPLE = {"error": "ambiguous", "message": "'Xã Tân Lập' khớp 3 đơn vị / matches 3 units; …",
                     "candidates": [{"@id": HK + "unit/commune/23134", "code": "23134",
                                     "name": "Xã Tân Lập, Tỉnh Lâm Đồng"}]}
INVALID_EXAMPLE = {"error": "invalid", "message": "ngày không hợp lệ / not a date: '2025-02-30'; use YYYY-MM-DD"}
