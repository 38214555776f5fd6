"""The SPARQL 1.1 Protocol endpoint at /sparql: query (GET, URL-encoded POST, direct POST), update
(POST, with the write token), and a service description for a GET without a query.

Status codes: 200 with the result; 204 after an update; 400 for a malformed request (a syntax error
carries the parser's message and position), a refused SERVICE / LOAD, or a result over the size
limit; 401 / 403 for writes without the token; 406 when no offered format is acceptable; 413 for a
body over the limit; 415 for an unsupported Content-Type; 502 when a remote store fails; 503 when the
query runs out of time. Error bodies are text/plain; charset=utf-8.

`install(app)` adds this router, the Graph Store Protocol, the query page and their error handler.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.staticfiles import StaticFiles

from api import sparql_formats as fmt
from api.auth import check_writer
from api.deps import SettingsDep, StoreDep
from api.errors import ProtocolError, protocol_error_handler
from api.settings import Settings
from api.sparql_runner import Outcome, QueryRunner, QueryTimeout, ResultTooLarge, RunnerBusy, collect
from registry.errors import ThamquyenError
from registry.sparql_guard import RemoteAccessRefused, check_remote_access
from registry.sparql_text import has_dataset_clause, query_form

STATIC_DIR = Path(__file__).resolve().parent / "static"

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
SD = "http://www.w3.org/ns/sparql-service-description#"
MAX_FORM_FIELDS = 1000

router = APIRouter(tags=["SPARQL"])


def get_runner(request: Request) -> QueryRunner:
    return request.app.state.sparql_runner


RunnerDep = Annotated[QueryRunner, Depends(get_runner)]

QueryParam = Annotated[str | None, Query(description="The SPARQL query (exactly one).")]
DefaultGraphParam = Annotated[list[str] | None, Query(
    alias="default-graph-uri", description="Graph(s) whose merge is the default graph (replaces FROM).")]
NamedGraphParam = Annotated[list[str] | None, Query(
    alias="named-graph-uri", description="Graph(s) available to GRAPH (replaces FROM NAMED).")]

_RESULT_TYPES = sorted({m.name for m in (*fmt.SOLUTION_TYPES, *fmt.GRAPH_TYPES)})
_TEXT_ERROR = {"text/plain": {"schema": {"type": "string"}}}
RESPONSES = {
    200: {"description": "Query results, or a service description when no query is given",
          "content": {name: {"schema": {"type": "string"}} for name in (*_RESULT_TYPES, "text/html")}},
    400: {"description": "Malformed query or request, SERVICE/LOAD refused, result over the limit",
          "content": _TEXT_ERROR},
    406: {"description": "No acceptable result format", "content": _TEXT_ERROR},
    413: {"description": "Request body over the limit", "content": _TEXT_ERROR},
    415: {"description": "Unsupported Content-Type", "content": _TEXT_ERROR},
    502: {"description": "The remote SPARQL store failed", "content": _TEXT_ERROR},
    503: {"description": "Query time limit reached, or every worker busy", "content": _TEXT_ERROR},
}
_POST_BODY = {
    "required": True,
    "content": {
        FORM: {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"},
            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            "using-graph-uri": {"type": "array", "items": {"type": "string"}},
            "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}}},
        SPARQL_QUERY: {"schema": {"type": "string"}},
        SPARQL_UPDATE: {"schema": {"type": "string"}},
    },
}
_POST_RESPONSES = {**RESPONSES, 204: {"description": "Update applied"},
                   401: {"description": "Update without the right bearer token", "content": _TEXT_ERROR},
                   403: {"description": "Updates are disabled (no write token configured)", "content": _TEXT_ERROR}}


@router.get("/sparql", summary="SPARQL query (GET), or the service description", responses=RESPONSES)
async def sparql_get(request: Request, settings: SettingsDep, store: StoreDep, runner: RunnerDep,
                     query: QueryParam = None, default_graph_uri: DefaultGraphParam = None,
                     named_graph_uri: NamedGraphParam = None) -> Response:
    """`?query=…` runs a query; without one, a browser gets the query page and any other client the
    SPARQL service description (Turtle by default)."""
    params = request.query_params
    if "update" in params:
        raise ProtocolError(400, "a SPARQL update must be sent with POST, not GET")
    queries = params.getlist("query")
    if not queries:
        if fmt.accepts_html(request.headers.get("accept")):
            from api.query_page import page_response

            return page_response()
        return service_description(request, settings, store)
    return await answer_query(request, settings, store, runner, _one(queries, "query"),
                              params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))


@router.post("/sparql", summary="SPARQL query or update (POST)", responses=_POST_RESPONSES,
             openapi_extra={"requestBody": _POST_BODY})
async def sparql_post(request: Request, settings: SettingsDep, store: StoreDep, runner: RunnerDep) -> Response:
    """A query or update, URL-encoded (`query=` / `update=`) or sent directly
    (`application/sparql-query`, `application/sparql-update`)."""
    media, charset = parse_content_type(request.headers.get("content-type"))
    if media not in (FORM, SPARQL_QUERY, SPARQL_UPDATE):
        raise ProtocolError(415, f"unsupported Content-Type {media or '(none)'!r}: send {FORM}, "
                                 f"{SPARQL_QUERY} or {SPARQL_UPDATE}")
    body = await read_body(request, settings.max_body_bytes)
    url = _multi(request.query_params.multi_items())
    if media == FORM:
        fields = parse_form(body)
        params = {k: fields.get(k, []) + url.get(k, []) for k in {*fields, *url}}
        if "query" in params and "update" in params:
            raise ProtocolError(400, "send either query= or update=, not both")
        if "update" in params:
            return await run_update(request, settings, store, _one(params["update"], "update"), params)
        if "query" not in params:
            raise ProtocolError(400, "the form has no query= (or update=) field")
        return await answer_query(request, settings, store, runner, _one(params["query"], "query"),
                                  params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    text = decode_text(body, charset)
    if media == SPARQL_UPDATE:
        return await run_update(request, settings, store, text, url)
    if "query" in url:
        raise ProtocolError(400, "a direct POST carries the query in its body, not also in ?query=")
    return await answer_query(request, settings, store, runner, text,
                              url.get("default-graph-uri", []), url.get("named-graph-uri", []))


# --- queries -----------------------------------------------------------------------------------

async def answer_query(request: Request, settings: Settings, store, runner: QueryRunner, query: str,
                       default_graphs: list[str], named_graphs: list[str]) -> Response:
    """Negotiate, check, run within the limits and serialise one query."""
    accept = request.headers.get("accept")
    form = query_form(query)
    offers = fmt.GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else fmt.SOLUTION_TYPES
    media = fmt.negotiate(accept, offers)
    if media is None and form is not None:
        raise ProtocolError(406, f"cannot answer a {form} query as {accept!r}; available: "
                                 + ", ".join(m.name for m in offers))
    try:
        check_remote_access(query, settings.service_allow_list)
    except RemoteAccessRefused as error:
        raise ProtocolError(400, str(error)) from None
    options = dataset_options(query, default_graphs, named_graphs)
    outcome = await _evaluate(runner, store, query, options, settings)
    offers = {"graph": fmt.GRAPH_TYPES, "boolean": fmt.BOOLEAN_TYPES, "solutions": fmt.SOLUTION_TYPES}[outcome.kind]
    if media not in offers:  # the text fooled query_form: negotiate again for what it really is
        media = fmt.negotiate(accept, offers)
        if media is None:
            raise ProtocolError(406, f"cannot answer as {accept!r}; available: " + ", ".join(m.name for m in offers))
    return Response(serialise(outcome, media), media_type=fmt.content_type(media), headers={"Vary": "Accept"})


async def _evaluate(runner: QueryRunner, store, query: str, options: dict, settings: Settings) -> Outcome:
    def job(cancel):
        return collect(store.raw_query(query, **options), settings.max_results, cancel)

    try:
        return await runner.run(job, settings.query_timeout_s)
    except SyntaxError as error:
        raise ProtocolError(400, f"SPARQL syntax error: {error}") from None
    except RunnerBusy:
        raise ProtocolError(503, f"the server is busy: {runner.workers} queries are still running and none "
                                 f"finished within {settings.query_timeout_s:g} s; try again later",
                            {"Retry-After": "5"}) from None
    except QueryTimeout:
        raise ProtocolError(503, f"the query did not finish within the time limit of "
                                 f"{settings.query_timeout_s:g} s; narrow it (more specific patterns, LIMIT)") from None
    except ResultTooLarge as error:
        raise ProtocolError(400, f"the result has more than {error.limit:,} solutions or triples (the limit "
                                 f"of this endpoint); page through it with LIMIT and OFFSET") from None
    except ThamquyenError as error:  # a remote store's failure, or a usage error it reports
        raise ProtocolError(status_of(error), str(error)) from None
    except ValueError as error:  # pyoxigraph's evaluation errors
        raise ProtocolError(400, f"the query could not be evaluated: {error}") from None


def status_of(error: ThamquyenError) -> int:
    """The HTTP status for a registry error met while answering: 502 for a failing remote store."""
    return getattr(error, "http_status", 400)


def dataset_options(query: str, default_graphs: list[str], named_graphs: list[str]) -> dict:
    """pyoxigraph's dataset options for the protocol's default-graph-uri / named-graph-uri.

    With neither, the default graph is the union of all graphs — unless the query has its own
    FROM / FROM NAMED. With either, they alone make the dataset (SPARQL 1.1 Protocol §2.1.4).
    """
    if default_graphs or named_graphs:
        return {"use_default_graph_as_union": False,
                "default_graph": [_graph_iri(g, "default-graph-uri") for g in default_graphs],
                "named_graphs": [_graph_iri(g, "named-graph-uri") for g in named_graphs]}
    return {"use_default_graph_as_union": not has_dataset_clause(query)}


def _graph_iri(value: str, param: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as error:
        raise ProtocolError(400, f"{param}: not an absolute IRI: {value!r} ({error})") from None


def serialise(outcome: Outcome, media: fmt.MediaType) -> bytes:
    if outcome.kind == "boolean":
        return fmt.write_boolean(outcome.boolean, media)
    if outcome.kind == "solutions":
        return fmt.write_solutions(outcome.variables, outcome.rows, media)
    return fmt.write_graph(outcome.triples, media)


# --- updates -----------------------------------------------------------------------------------

async def run_update(request: Request, settings: Settings, store, update: str, params: dict) -> Response:
    """Apply one SPARQL Update request (all its operations) atomically; 204 when done."""
    check_writer(request, settings)
    if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
        raise ProtocolError(400, "using-graph-uri / using-named-graph-uri are not supported: "
                                 "write USING / USING NAMED (or WITH) in the update itself")
    try:
        check_remote_access(update, settings.service_allow_list, update=True)
    except RemoteAccessRefused as error:
        raise ProtocolError(400, str(error)) from None
    try:
        await anyio.to_thread.run_sync(store.update, update)
    except SyntaxError as error:
        raise ProtocolError(400, f"SPARQL syntax error: {error}") from None
    except ThamquyenError as error:
        raise ProtocolError(status_of(error), str(error)) from None
    except (ValueError, RuntimeError) as error:
        raise ProtocolError(400, f"the update could not be applied (nothing was changed): {error}") from None
    return Response(status_code=204)


# --- service description -------------------------------------------------------------------------

def service_description(request: Request, settings: Settings, store) -> Response:
    """A SPARQL 1.1 Service Description of this endpoint (sd:Service), in the negotiated RDF format."""
    media = fmt.negotiate(request.headers.get("accept"), fmt.GRAPH_TYPES)
    if media is None:
        raise ProtocolError(406, "the service description is RDF: accept one of "
                                 + ", ".join(m.name for m in fmt.GRAPH_TYPES))
    return Response(fmt.write_graph(describe_service(str(request.url.replace(query="")), settings, store),
                                    media, {"sd": SD, "formats": fmt.FORMATS}),
                    media_type=fmt.content_type(media), headers={"Vary": "Accept"})


def describe_service(endpoint: str, settings: Settings, store) -> list[ox.Triple]:
    """The triples of the service description: endpoint, languages, formats, features, dataset."""
    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [ox.Triple(service, a, sd("Service")),
               ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
               ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
               ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
               ox.Triple(service, sd("defaultEntailmentRegime"),
                         ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
               ox.Triple(service, comment, ox.Literal(
                   f"Ai có thẩm quyền gì — who holds which power in Vietnam's government. Limits: "
                   f"{settings.query_timeout_s:g} s per query, {settings.max_results:,} solutions or triples "
                   f"per result, {settings.max_body_bytes:,} bytes per request body.", language="en"))]
    if settings.write_token:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if settings.service_allow_list:
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    for media in (*fmt.SOLUTION_TYPES, *fmt.GRAPH_TYPES):
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(media.format_iri)))
    triples += [ox.Triple(service, sd("defaultDataset"), dataset),
                ox.Triple(dataset, a, sd("Dataset")),
                ox.Triple(dataset, sd("defaultGraph"), default),
                ox.Triple(default, a, sd("Graph"))]
    for index, graph in enumerate(store.graphs()):
        node = ox.BlankNode(f"graph{index}")
        triples += [ox.Triple(dataset, sd("namedGraph"), node),
                    ox.Triple(node, a, sd("NamedGraph")),
                    ox.Triple(node, sd("name"), ox.NamedNode(graph))]
    return triples


# --- request reading -----------------------------------------------------------------------------

def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset or None).

    >>> parse_content_type('application/sparql-query; charset="UTF-8"')
    ('application/sparql-query', 'UTF-8')
    """
    if not header:
        return "", None
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return media.strip().lower(), charset


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request body is {int(declared):,} bytes; the limit is {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"the request body is over the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode_text(body: bytes, charset: str | None) -> str:
    """A direct POST body as text: UTF-8 unless the Content-Type names another charset."""
    encoding = charset or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ProtocolError(415, f"unknown charset {encoding!r}; send UTF-8") from None
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the body is not valid {encoding}: byte {error.start}") from None


def parse_form(body: bytes) -> dict[str, list[str]]:
    """An application/x-www-form-urlencoded body (percent-encoded UTF-8) as name → values."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FORM_FIELDS)
    except UnicodeDecodeError:
        raise ProtocolError(400, "the form is not valid percent-encoded UTF-8") from None
    except ValueError as error:
        raise ProtocolError(400, f"the form cannot be read: {error}") from None
    return _multi(pairs)


def _multi(pairs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _one(values: list[str], name: str) -> str:
    if len(values) != 1:
        raise ProtocolError(400, f"exactly one {name} parameter is allowed, got {len(values)}")
    return values[0]


# --- wiring --------------------------------------------------------------------------------------

def install(app: FastAPI) -> None:
    """Add the SPARQL endpoint, the Graph Store Protocol and the query page to an app."""
    from api import graph_store, query_page

    app.state.sparql_runner = QueryRunner(app.state.settings.query_workers)
    app.add_exception_handler(ProtocolError, protocol_error_handler)
    app.include_router(router)
    app.include_router(graph_store.router)
    app.include_router(query_page.router)
    if not any(getattr(route, "path", None) == "/static" for route in app.routes):
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
