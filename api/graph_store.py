"""The SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs/service (and /store): read, replace, add
to and delete whole graphs — an administrator's interface, so every method needs the write token.

`?graph=IRI` names a graph, `?default` the store's own default graph (not the union that queries
see); with neither, GET returns the whole dataset (TriG / N-Quads) and POST adds a dataset, or makes
a new graph from a graph payload (201 with its IRI in Location).
"""

from __future__ import annotations

import uuid
from typing import Annotated

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response

from api import sparql_formats as fmt
from api.auth import WriterDep
from api.deps import SettingsDep, StoreDep
from api.errors import ProtocolError
from api.sparql import parse_content_type, read_body, status_of
from registry.errors import InputError, ThamquyenError
from registry.namespaces import GRAPH
from registry.store import parse_rdf

PATHS = ("/rdf-graphs/service", "/store")
UPLOAD_GRAPH = GRAPH + "upload/"

router = APIRouter(tags=["Graph Store"])

_TEXT = {"text/plain": {"schema": {"type": "string"}}}
_ERRORS = {
    400: {"description": "Bad graph IRI, parameters or payload", "content": _TEXT},
    401: {"description": "Missing or wrong bearer token", "content": _TEXT},
    403: {"description": "Writes disabled (no write token configured)", "content": _TEXT},
    404: {"description": "No such graph", "content": _TEXT},
    406: {"description": "No acceptable format", "content": _TEXT},
    413: {"description": "Payload over the upload limit", "content": _TEXT},
    415: {"description": "Unsupported payload format", "content": _TEXT},
}
_PAYLOAD = {"required": False, "content": {m: {"schema": {"type": "string"}} for m in sorted(fmt.UPLOAD_FORMATS)}}
GraphParam = Annotated[str | None, Query(description="IRI of the graph")]
DefaultParam = Annotated[str | None, Query(description="present (empty) to mean the store's default graph")]


def _target(request: Request) -> ox.NamedNode | ox.DefaultGraph | None:
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise ProtocolError(400, "name either ?graph=IRI or ?default, not both")
    if len(graphs) > 1:
        raise ProtocolError(400, "name one graph")
    if "default" in params:
        return ox.DefaultGraph()
    if graphs:
        try:
            return ox.NamedNode(graphs[0])
        except ValueError as error:
            raise ProtocolError(400, f"graph: not an absolute IRI: {graphs[0]!r} ({error})") from None
    return None


def _exists(store, target) -> bool:
    return isinstance(target, ox.DefaultGraph) or target.value in store.graphs()


def _graph_triples(store, target) -> list[ox.Triple]:
    if isinstance(target, ox.DefaultGraph):
        return list(store.raw_query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=False))
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}")


async def _payload(request: Request, limit: int, target) -> list[ox.Quad]:
    media, _ = parse_content_type(request.headers.get("content-type"))
    rdf_format = fmt.UPLOAD_FORMATS.get(media)
    if rdf_format is None:
        raise ProtocolError(415, f"unsupported payload type {media or '(none)'!r}; send one of "
                                 + ", ".join(sorted(fmt.UPLOAD_FORMATS)))
    body = await read_body(request, limit)
    name = "request body"
    graph = target.value if isinstance(target, ox.NamedNode) else None
    try:
        quads = parse_rdf(body, rdf_format, name=name, graph=graph)
    except InputError as error:
        raise ProtocolError(400, str(error)) from None
    if target is not None:
        wanted = target
        if any(q.graph_name != wanted for q in quads):
            raise ProtocolError(400, "a graph payload cannot contain named graphs; POST a dataset "
                                     "(TriG, N-Quads) to the service without ?graph to load several")
    return quads


def _insert_data(quads: list[ox.Quad]) -> str:
    body = " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ {body} }}"


async def _write(fn, *args) -> None:
    try:
        await anyio.to_thread.run_sync(fn, *args)
    except ThamquyenError as error:
        raise ProtocolError(status_of(error), str(error)) from None
    except (ValueError, RuntimeError) as error:
        raise ProtocolError(400, f"the store refused the change (nothing was changed): {error}") from None


def _get(request: Request, store, head: bool) -> Response:
    target = _target(request)
    accept = request.headers.get("accept")
    if target is None:
        media = fmt.negotiate(accept, fmt.DATASET_TYPES)
        if media is None:
            raise ProtocolError(406, "the dataset is written as " + ", ".join(m.name for m in fmt.DATASET_TYPES))
        body = b"" if head else store.dump(fmt.RDF_FORMATS[media.name])
        return Response(body, media_type=fmt.content_type(media), headers={"Vary": "Accept"})
    media = fmt.negotiate(accept, fmt.GRAPH_TYPES)
    if media is None:
        raise ProtocolError(406, "a graph is written as " + ", ".join(m.name for m in fmt.GRAPH_TYPES))
    if not _exists(store, target):
        raise ProtocolError(404, f"no graph {target}")
    body = b"" if head else fmt.write_graph(_graph_triples(store, target), media)
    return Response(body, media_type=fmt.content_type(media), headers={"Vary": "Accept"})


def graph_get(request: Request, store: StoreDep, _writer: WriterDep,
              graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """A graph (or, without parameters, the whole dataset), in the negotiated format."""
    return _get(request, store, head=False)


def graph_head(request: Request, store: StoreDep, _writer: WriterDep,
               graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """As GET, without the body."""
    return _get(request, store, head=True)


async def graph_put(request: Request, store: StoreDep, settings: SettingsDep, _writer: WriterDep,
                    graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Replace a graph with the payload, atomically: 201 when it is new, 204 when it existed."""
    target = _target(request)
    if target is None:
        raise ProtocolError(400, "PUT needs ?graph=IRI or ?default")
    quads = await _payload(request, settings.max_upload_bytes, target)
    if isinstance(target, ox.DefaultGraph):
        await _write(store.update, "CLEAR DEFAULT ; " + _insert_data(quads))
        return Response(status_code=204)
    created = not _exists(store, target)
    await _write(store.replace_graphs, quads, [target.value])
    return Response(status_code=201 if created else 204)


async def graph_post(request: Request, store: StoreDep, settings: SettingsDep, _writer: WriterDep,
                     graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Add the payload to a graph (201 when it is new, 204 otherwise); to the service: a new graph."""
    target = _target(request)
    quads = await _payload(request, settings.max_upload_bytes, target)
    if target is None:
        if quads and all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            name = UPLOAD_GRAPH + str(uuid.uuid4())
            quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name)) for q in quads]
            await _write(store.replace_graphs, quads, [name])
            return Response(status_code=201, headers={"Location": name})
        await _write(store.replace_graphs, quads, [])
        return Response(status_code=204)
    if isinstance(target, ox.DefaultGraph):
        await _write(store.update, _insert_data(quads))
        return Response(status_code=204)
    created = not _exists(store, target)
    await _write(store.replace_graphs, quads, [])
    return Response(status_code=201 if created else 204)


async def graph_delete(request: Request, store: StoreDep, _writer: WriterDep,
                       graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Delete a graph (404 if there is none); ?default empties the default graph."""
    target = _target(request)
    if target is None:
        raise ProtocolError(400, "DELETE needs ?graph=IRI or ?default")
    if isinstance(target, ox.DefaultGraph):
        await _write(store.update, "CLEAR DEFAULT")
        return Response(status_code=204)
    if not _exists(store, target):
        raise ProtocolError(404, f"no graph {target}")
    await _write(store.update, f"DROP SILENT GRAPH {target}")  # Virtuoso drops only CREATEd graphs otherwise
    return Response(status_code=204)


for _path in PATHS:
    _hidden = _path != PATHS[0]
    router.add_api_route(_path, graph_get, methods=["GET"], summary="Graph Store: read a graph",
                         responses={200: {"description": "The graph"}, **_ERRORS}, include_in_schema=not _hidden)
    router.add_api_route(_path, graph_head, methods=["HEAD"], summary="Graph Store: graph headers",
                         responses=_ERRORS, include_in_schema=not _hidden)
    router.add_api_route(_path, graph_put, methods=["PUT"], summary="Graph Store: replace a graph",
                         status_code=204, responses={201: {"description": "Created"}, **_ERRORS},
                         openapi_extra={"requestBody": _PAYLOAD}, include_in_schema=not _hidden)
    router.add_api_route(_path, graph_post, methods=["POST"], summary="Graph Store: add to a graph",
                         status_code=204, responses={201: {"description": "Created"}, **_ERRORS},
                         openapi_extra={"requestBody": _PAYLOAD}, include_in_schema=not _hidden)
    router.add_api_route(_path, graph_delete, methods=["DELETE"], summary="Graph Store: delete a graph",
                         status_code=204, responses=_ERRORS, include_in_schema=not _hidden)
