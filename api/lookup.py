"""Who is competent? /tasks (search), /tasks/{id} (timeline), /authority (task + place + date) and
/places/{code}: thin handlers over registry.lookup's in-memory index, answering JSON-LD.

Handlers are `async` and return pre-serialised JSON: the answer is computed in memory in tens of
microseconds, so a thread-pool hop and a second validation pass would cost more than the lookup.
The response models (api.lookup_models) document the answers and the tests hold answers to them.
"""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api import lookup_models as m
from api.deps import LookupDep
from registry.errors import AmbiguousError, NotFoundError, ThamquyenError, UsageError
from registry.places import Unit
from registry.tasks import Power

router = APIRouter(tags=["lookup"])

MEDIA_TYPE = "application/json"

# Checked by registry.lookup.parse_date (not a Query pattern) so that every bad date gets the same
# 422 answer shape as the other lookup errors.
DateParam = Annotated[str | None, Query(description="YYYY-MM-DD (default: today)", examples=["2025-08-01"])]

ERRORS = {
    404: {"model": m.ErrorAnswer, "description": "Unknown task or place, with close suggestions",
          "content": {MEDIA_TYPE: {"example": m.NOT_FOUND_EXAMPLE}}},
    409: {"model": m.ErrorAnswer, "description": "A place name that matches several units: the candidates",
          "content": {MEDIA_TYPE: {"example": m.AMBIGUOUS_EXAMPLE}}},
    422: {"model": m.ErrorAnswer, "description": "A bad date, or an unknown sector / level / holder filter",
          "content": {MEDIA_TYPE: {"example": m.INVALID_EXAMPLE}}},
}


def _json(document: dict, status: int = 200) -> Response:
    return Response(orjson.dumps(document), status_code=status, media_type=MEDIA_TYPE)


def _ref(index, thing) -> dict:
    if isinstance(thing, Unit):
        return {"@id": thing.iri, "code": thing.code, "name": index.places.display(thing)}
    if isinstance(thing, Power):
        return {"@id": thing.iri, "id": thing.key, "name": thing.label}
    return {"@id": str(thing), "name": str(thing)}


def error_response(index, error: ThamquyenError) -> Response:
    """404 with suggestions, 409 with candidates, 422 for bad input (one JSON shape for all)."""
    if isinstance(error, NotFoundError):
        return _json({"error": "not_found", "message": str(error),
                      "suggestions": [_ref(index, s) for s in error.suggestions]}, 404)
    if isinstance(error, AmbiguousError):
        return _json({"error": "ambiguous", "message": str(error),
                      "candidates": [_ref(index, c) for c in error.candidates]}, 409)
    if isinstance(error, UsageError):
        return _json({"error": "invalid", "message": str(error)}, 422)
    raise error


@router.get("/tasks", summary="Tìm thẩm quyền / search powers", response_model=m.SearchAnswer,
            responses={200: {"content": {MEDIA_TYPE: {"example": m.SEARCH_EXAMPLE}}}, 422: ERRORS[422]})
async def search_tasks(
    index: LookupDep,
    q: Annotated[str, Query(description="words of the task, Vietnamese with or without diacritics, or English",
                            examples=["cap giay phep xay dung"])] = "",
    sector: Annotated[str | None, Query(description="sector id or name", examples=["dat-dai"])] = None,
    level: Annotated[str | None, Query(description="central, province, commune or district (or 'cấp xã'…)",
                                       examples=["commune"])] = None,
    holder: Annotated[str | None, Query(description="role id or name", examples=["chu-tich-ubnd-cap-xa"])] = None,
    date: DateParam = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """Powers ranked by exact phrase, then words covered, then BM25 over the folded labels; the
    level / holder filters keep powers with such a holder (in force on `date`, when given)."""
    try:
        return _json(index.search(q, sector=sector, level=level, holder=holder, at=date, limit=limit, offset=offset))
    except ThamquyenError as error:
        return error_response(index, error)


@router.get("/tasks/{task_id}", summary="Một thẩm quyền và các chủ thể theo thời gian / a power and its holders over time",
            response_model=m.TaskDetail,
            responses={200: {"content": {MEDIA_TYPE: {"example": m.TASK_EXAMPLE}}}, 404: ERRORS[404]})
async def get_task(index: LookupDep, task_id: Annotated[str, Path(examples=["kiem-dem-bat-buoc-d87-k2-dd"])]):
    """The power, the provision that defines it, and every assignment of it in date order: holder,
    mode, grantor, legal basis, dates (half-open), former holders, place scope, open question."""
    try:
        return _json(index.timeline(task_id))
    except ThamquyenError as error:
        return error_response(index, error)


@router.get("/authority", summary="Ai có thẩm quyền? / who is competent here on this date?",
            response_model=m.AuthorityAnswer,
            responses={200: {"content": {MEDIA_TYPE: {"example": m.AUTHORITY_EXAMPLE}}}, **ERRORS})
async def get_authority(
    index: LookupDep,
    task: Annotated[str, Query(description="task id (see /tasks), or its exact label",
                               examples=["kiem-dem-bat-buoc-d87-k2-dd"])],
    place: Annotated[str, Query(description="unit code (5-digit commune, 2-digit province, 3-digit former district) "
                                            "or name, e.g. 'Phường Hoàn Kiếm, Hà Nội'",
                                examples=["00070", "Phường Hoàn Kiếm, Hà Nội"])],
    date: DateParam = None,
):
    """The concrete authority (role pattern + unit), its role and level, the mode, the grantor chain
    and the legal basis. Before 1 July 2025 a 2025 commune resolves through the old → new
    succession to the former units' authorities (several candidates when it came from several
    districts). A date when nobody holds the power answers `no_competent_authority` with the
    nearest assignments before and after."""
    try:
        return _json(index.lookup(task, place, date))
    except ThamquyenError as error:
        return error_response(index, error)


@router.get("/places/{code}", summary="Một đơn vị hành chính và các cơ quan của nó / a unit and its authorities",
            response_model=m.PlaceProfile,
            responses={200: {"content": {MEDIA_TYPE: {"example": m.PLACE_EXAMPLE}}}, **ERRORS})
async def get_place(
    index: LookupDep,
    code: Annotated[str, Path(description="unit code (or a name)", examples=["00070"])],
    date: DateParam = None,
):
    """The unit, its province, its predecessors / successors, and the authorities of its level with
    how many powers each holds there on `date` (default today; a former unit: its last day)."""
    try:
        return _json(index.place_profile(code, date))
    except ThamquyenError as error:
        return error_response(index, error)
