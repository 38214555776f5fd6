"""Draft checks over HTTP: `POST /drafts/validate` (a multipart upload; JSON, or HTML when asked with
`Accept: text/html` or `?format=html`) and the upload page `GET /drafts` — thin layers over
registry.draft.check_draft, which never writes to the store.

Status codes: 200 with the report (whatever it finds: `conforms` and `exit_code` say whether the draft
introduces violations); 413 for an upload over `max_upload_bytes`; 415 for a body that is not
multipart/form-data or a file type the check does not read; 422 for a draft that cannot be read
(with file, line, row, column and field) or a bad effective date or provision.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import anyio
import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from api.deps import DraftBaseDep, SettingsDep, StoreDep
from api.drafts_page import page
from api.errors import ProtocolError
from api.sparql import read_body
from api.sparql_formats import accepts_html
from registry.draft import check_draft
from registry.draft_input import SUFFIXES
from registry.draft_render import html_fragment, to_dict
from registry.errors import InputError, ThamquyenError
from registry.validation.data import paused_gc

router = APIRouter(tags=["drafts"])

FORM_SLACK = 64 * 1024          # room for the form's other fields and the multipart boundaries
FIELDS = ("effective", "repeals", "amends", "lang", "name")
HTML = "text/html; charset=utf-8"

_TEXT = {"application/json": {"schema": {"type": "object"}}}
RESPONSES = {
    200: {"description": "The report: findings introduced and resolved, changes, repealed assignments",
          "content": {"application/json": {"schema": {"type": "object"}}, "text/html": {}}},
    413: {"description": "Upload over the limit (THAMQUYEN_MAX_UPLOAD)", "content": _TEXT},
    415: {"description": "Not multipart/form-data, or a file type the check does not read", "content": _TEXT},
    422: {"description": "A draft that cannot be read: file, line, row, column, field and reason", "content": _TEXT},
}
REQUEST_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": f"the draft: {', '.join(SUFFIXES)}"},
        "effective": {"type": "string", "format": "date", "description": "first day in force (YYYY-MM-DD)"},
        "repeals": {"type": "string", "description": "provisions repealed, one a line: 49/2026/NĐ-CP:14.1"},
        "amends": {"type": "string", "description": "provisions amended, one a line"},
        "lang": {"type": "string", "enum": ["vi", "en"], "default": "vi"},
        "name": {"type": "string", "description": "the draft's name (graph …/graph/draft/NAME)"},
    }}}}}

FormatParam = Annotated[str | None, Query(pattern="^(json|html)$", description="json (default) or html")]
LangParam = Annotated[str, Query(pattern="^(vi|en)$")]


class UploadProblem(Exception):
    """A request the check cannot start on: a status and what to tell the user."""

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message
        super().__init__(message)


@router.get("/drafts", summary="Trang kiểm tra dự thảo / the draft upload page", response_class=HTMLResponse)
def drafts_page(base: DraftBaseDep, settings: SettingsDep, lang: LangParam = "vi") -> HTMLResponse:
    """An HTML form to upload a draft; the report comes back on the same page. Opening it starts
    reading the registry's index in the background, so that the check itself is fast."""
    base.warm()
    return HTMLResponse(page(lang, max_bytes=settings.max_upload_bytes), media_type=HTML)


@router.post("/drafts/validate", summary="Kiểm tra dự thảo / check a draft decree", responses=RESPONSES,
             openapi_extra={"requestBody": REQUEST_BODY})
async def validate_draft(request: Request, store: StoreDep, settings: SettingsDep, base: DraftBaseDep,
                         format: FormatParam = None) -> Response:
    """Upload a draft (multipart field `file`) with its effective date and what it repeals or amends;
    the answer says what it introduces, what it resolves and which rows change an assignment."""
    html_wanted = format == "html" or (format is None and accepts_html(request.headers.get("accept")))
    fields: dict[str, str] = {}
    try:
        fields, filename, content = await read_upload(request, settings.max_upload_bytes)
        lang = fields.get("lang") or "vi"
        report = await anyio.to_thread.run_sync(_check, store, base, filename, content, fields)
    except UploadProblem as problem:
        return _error(problem.status, problem.message, html_wanted, fields, settings)
    except ThamquyenError as error:
        return _error(422, error, html_wanted, fields, settings)
    with paused_gc():  # the report points into the registry's index: a collection would walk all of it
        if html_wanted:
            return HTMLResponse(page(lang, max_bytes=settings.max_upload_bytes, values=fields,
                                     report_html=html_fragment(report)), media_type=HTML)
        document = to_dict(report)
        document["exit_code"] = report.exit_code
        return Response(orjson.dumps(document), media_type="application/json")


async def read_upload(request: Request, limit: int) -> tuple[dict[str, str], str, bytes]:
    """The form's text fields, the file's name and its bytes.

    Raises:
        UploadProblem: 415 for a body that is not multipart or a file type that is not read, 413 over
            the limit, 422 without a file.
    """
    media = request.headers.get("content-type", "")
    if not media.lower().startswith("multipart/form-data"):
        raise UploadProblem(415, f"send the draft as multipart/form-data (field 'file'), not {media or '(none)'}")
    try:
        body = await read_body(request, limit + FORM_SLACK)
    except ProtocolError as error:
        raise UploadProblem(error.status, f"the upload is over the limit of {limit:,} bytes") from None

    async def chunks():
        yield body

    try:
        form = await MultiPartParser(request.headers, chunks(), max_files=1, max_fields=len(FIELDS) + 1,
                                     max_part_size=FORM_SLACK).parse()
    except MultiPartException as error:
        raise UploadProblem(422, f"not a readable multipart form: {error.message}") from None
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str) and k in FIELDS}
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise UploadProblem(422, "no draft: upload it as the multipart field 'file'")
    content = await upload.read()
    if len(content) > limit:
        raise UploadProblem(413, f"the draft is {len(content):,} bytes; the limit is {limit:,}")
    filename = Path(upload.filename.replace("\\", "/")).name
    if Path(filename).suffix.lower() not in SUFFIXES:
        raise UploadProblem(415, f"{filename}: unsupported draft type; use one of {', '.join(SUFFIXES)}")
    return fields, filename, content


def _check(store, base, filename: str, content: bytes, fields: dict[str, str]):
    """Write the upload to a private temporary directory and check it (in a worker thread)."""
    with tempfile.TemporaryDirectory(prefix="thamquyen-draft-") as work:
        path = Path(work) / filename
        path.write_bytes(content)
        return check_draft(store, path, effective=fields.get("effective") or None,
                           repeals=[fields.get("repeals", "")], amends=[fields.get("amends", "")],
                           name=fields.get("name") or None, display=filename, lang=fields.get("lang") or "vi",
                           base=base)


def _error(status: int, error: ThamquyenError | str, html_wanted: bool, fields: dict[str, str], settings) -> Response:
    if html_wanted:
        return HTMLResponse(page(fields.get("lang") or "vi", max_bytes=settings.max_upload_bytes, values=fields,
                                 error=error), status_code=status, media_type=HTML)
    document = {"error": "invalid_draft" if isinstance(error, InputError) else "invalid_request",
                "message": str(error)}
    if isinstance(error, InputError):
        document.update(error.as_dict())
        document["message"] = str(error)
        document["reason"] = error.message
    return Response(orjson.dumps(document), status_code=status, media_type="application/json")
