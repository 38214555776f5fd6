"""The registry on an external SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune).

Queries and updates go through SPARQLWrapper; whole-graph writes and reads use the Graph Store
Protocol over plain HTTP (httpx) when a Graph Store URL is configured. Terms come back as pyoxigraph
terms, as from the embedded store. The server must present the union of its graphs as the default
graph (see the README for each server's setting).

How atomic `replace_graphs` is depends on what the server offers:

- no Graph Store URL and no batch size: one SPARQL Update request (`DROP SILENT GRAPH …; INSERT
  DATA { … }`) — all or nothing on servers that run one request in one transaction (Oxigraph,
  Fuseki/TDB2, GraphDB, Neptune);
- a Graph Store URL (needed by Virtuoso, whose SPARQL parser takes only a few thousand triples per
  request) or a batch size: several requests. Each graph PUT is atomic where the server makes it so,
  but readers may see some graphs replaced and others not yet; if a request fails, the graphs
  already written are put back as they were (from a copy read first) and the error is raised.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import ThamquyenError, UsageError
from .sparql_text import dataset_iris, has_dataset_clause, query_form

ENV_PREFIX = "THAMQUYEN_SPARQL_"
N_TRIPLES = "application/n-triples"
_BNODE_OK = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_XML_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")


class SparqlServerError(ThamquyenError):
    """The SPARQL server could not be reached, refused the credentials, or failed (HTTP 502 upstream)."""

    http_status = 502


@dataclass(frozen=True)
class ServerConfig:
    """Where and how to reach the server; `from_environment` reads THAMQUYEN_SPARQL_*.

    query_url: SPARQL query endpoint (THAMQUYEN_SPARQL_QUERY).
    update_url: SPARQL update endpoint (THAMQUYEN_SPARQL_UPDATE; default: the query URL).
    store_url: Graph Store Protocol endpoint (THAMQUYEN_SPARQL_STORE; default: none — SPARQL only).
    user, password: credentials (THAMQUYEN_SPARQL_USER, THAMQUYEN_SPARQL_PASSWORD).
    auth: "basic" or "digest" (THAMQUYEN_SPARQL_AUTH; Virtuoso's /sparql-auth wants digest).
    ignore_graphs: IRI prefixes of the server's own graphs, left out of graphs(), counts and dumps
        (THAMQUYEN_SPARQL_IGNORE_GRAPHS, space-separated; e.g. Virtuoso's system graphs).
    batch: quads per INSERT DATA request when there is no Graph Store URL (THAMQUYEN_SPARQL_BATCH;
        0: everything in one request).
    timeout_s: per HTTP request (THAMQUYEN_SPARQL_TIMEOUT).
    """

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    ignore_graphs: tuple[str, ...] = ()
    batch: int = 0
    timeout_s: float = 300.0

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> "ServerConfig":
        """The configuration in THAMQUYEN_SPARQL_* variables (of `env`, default os.environ).

        >>> ServerConfig.from_environment({"THAMQUYEN_SPARQL_QUERY": "http://h/q", "THAMQUYEN_SPARQL_AUTH": "digest"}).auth
        'digest'
        """
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            return env.get(ENV_PREFIX + name) or None

        query = get("QUERY")
        if not query:
            raise UsageError(f"{ENV_PREFIX}QUERY is not set: name the server's SPARQL query endpoint")
        auth = (get("AUTH") or "basic").lower()
        if auth not in ("basic", "digest"):
            raise UsageError(f"{ENV_PREFIX}AUTH must be basic or digest, not {auth!r}")
        try:
            batch = int(get("BATCH") or 0)
            timeout = float(get("TIMEOUT") or 300)
        except ValueError as error:
            raise UsageError(f"{ENV_PREFIX}BATCH / {ENV_PREFIX}TIMEOUT: {error}") from None
        return cls(query_url=query, update_url=get("UPDATE"), store_url=get("STORE"), user=get("USER"),
                   password=get("PASSWORD"), auth=auth, ignore_graphs=tuple((get("IGNORE_GRAPHS") or "").split()),
                   batch=batch, timeout_s=timeout)


class SparqlServerBackend:
    """A Backend (registry.store) on a SPARQL 1.1 server."""

    def __init__(self, config: ServerConfig):
        self.config = config

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> "SparqlServerBackend":
        return cls(ServerConfig.from_environment(env))

    def __repr__(self) -> str:
        return f"SparqlServerBackend({self.config.query_url!r})"

    # --- queries ---------------------------------------------------------------------------------

    def raw_query(self, query: str, **options):
        """The result as pyoxigraph objects: QuerySolutions, QueryBoolean, or a list of Triples.

        Takes pyoxigraph's dataset options: `default_graph` / `named_graphs` become the protocol's
        default-graph-uri / named-graph-uri, as do the query's own FROM / FROM NAMED;
        `use_default_graph_as_union` is the server's setting.
        """
        form = query_form(query)
        if form is None:
            raise SyntaxError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        defaults = [g.value for g in options.get("default_graph") or [] if isinstance(g, ox.NamedNode)]
        named = [g.value for g in options.get("named_graphs") or [] if isinstance(g, ox.NamedNode)]
        if not defaults and not named and has_dataset_clause(query):
            # A server whose default graph is the union (Oxigraph's --union-default-graph) lets that
            # override FROM; the same dataset sent as protocol parameters is honoured everywhere.
            defaults, named = dataset_iris(query)
        if form in ("CONSTRUCT", "DESCRIBE"):
            data, media = self._query(query, form, f"{N_TRIPLES}, text/turtle;q=0.9, application/rdf+xml;q=0.5",
                                      defaults, named)
            return [q.triple for q in _parse_rdf(data, media)]
        data, media = self._query(query, form, "application/sparql-results+json, application/sparql-results+xml;q=0.5",
                                  defaults, named)
        results_format = ox.QueryResultsFormat.XML if "xml" in media else ox.QueryResultsFormat.JSON
        # Virtuoso sends XML, whatever was asked, when a result holds some blank nodes
        data = _valid_json_bnodes(data) if results_format is ox.QueryResultsFormat.JSON else _valid_xml_bnodes(data)
        try:
            return ox.parse_query_results(data, format=results_format)
        except SyntaxError as error:
            raise SparqlServerError(f"{self.config.query_url} sent results that cannot be read: {error}") from None

    def select(self, query: str) -> tuple[list[str], list[tuple]]:
        result = self.raw_query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise UsageError("not a SELECT query")
        names = [v.value for v in result.variables]
        return names, [tuple(solution[n] for n in names) for solution in result]

    def ask(self, query: str) -> bool:
        return bool(self.raw_query(query))

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.raw_query(query))

    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update (as atomically as the server runs one request)."""
        wrapper = self._wrapper(self.config.update_url or self.config.query_url)
        wrapper.setQuery(update)
        wrapper.queryType = "INSERT"  # any update type: SPARQLWrapper then sends update= to the update URL
        wrapper.setReturnFormat("json")
        self._send(wrapper)

    # --- graphs ----------------------------------------------------------------------------------

    def graphs(self) -> list[str]:
        # GROUP BY, not DISTINCT: Virtuoso 7 answers DISTINCT ?g by scanning every quad (a minute here).
        _, rows = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(row[0].value for row in rows if row[0] is not None and self._owned(row[0].value))

    def quad_count(self, graph: str | None = None) -> int:
        """Quads in one graph, or in every graph the registry owns (the ignored ones left out)."""
        if graph is not None:
            _, rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
            return int(rows[0][0].value)
        _, rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(n.value) for g, n in rows if self._owned(g.value))

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """Every owned graph, as TriG or N-Quads (read per graph: the Graph Store, else SELECT)."""
        quads = [q for g in self.graphs() for q in self._graph_quads(g)]
        return ox.serialize(quads, format=fmt)

    def replace_graphs(self, quads: Iterable[ox.Quad], graphs: Iterable[str]) -> None:
        """Drop `graphs` and add `quads`, as atomically as the server allows (see the module doc)."""
        staged = list(quads)
        graphs = list(dict.fromkeys(graphs))
        if not staged and not graphs:
            return
        if not self.config.store_url and not self.config.batch:
            self.update(_replace_update(staged, graphs))
            return
        existing = set(self.graphs())
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in staged:
            by_graph.setdefault(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", []).append(q)
        touched = [g for g in dict.fromkeys([*graphs, *by_graph]) if g]
        backup = {g: self._graph_quads(g) for g in touched if g in existing}
        done: list[str] = []
        try:
            for g in graphs:
                done.append(g)
                self._put_graph(g, by_graph.get(g, []))
            for g, group in by_graph.items():
                if g not in graphs:
                    done.append(g)
                    self._add_quads(group)
        except BaseException:
            for g in done:
                try:
                    self._put_graph(g, backup.get(g, []))
                except Exception:  # the original error is the one to report
                    pass
            raise

    # --- plumbing --------------------------------------------------------------------------------

    def replace_all(self, quads: Iterable[ox.Quad]) -> None:
        """Replace every graph the registry owns by `quads` (as atomically as replace_graphs)."""
        self.replace_graphs(quads, self.graphs())

    def snapshot(self) -> "SparqlServerBackend":
        """This backend itself: a server gives each query its own isolation, not a series of them."""
        return self

    def _owned(self, graph: str) -> bool:
        return not any(graph.startswith(prefix) for prefix in self.config.ignore_graphs)

    def _wrapper(self, url: str):
        """A SPARQLWrapper for one request, sending through its own opener (see _Wrapper)."""
        wrapper = _wrapper_class()(self.config.query_url, updateEndpoint=url, agent="thamquyen")
        wrapper.setMethod("POST")
        wrapper.setTimeout(int(self.config.timeout_s))
        handlers = []
        if self.config.user:
            if self.config.auth == "digest":
                passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                for target in {self.config.query_url, url}:
                    passwords.add_password(None, target, self.config.user, self.config.password or "")
                handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
            else:
                pair = f"{self.config.user}:{self.config.password or ''}".encode()
                wrapper.addCustomHttpHeader("Authorization", "Basic " + base64.b64encode(pair).decode())
        wrapper.opener = urllib.request.build_opener(*handlers)
        return wrapper

    def _query(self, query: str, form: str, accept: str, defaults: list[str], named: list[str]) -> tuple[bytes, str]:
        wrapper = self._wrapper(self.config.update_url or self.config.query_url)
        wrapper.setQuery(query)
        wrapper.queryType = form  # our reading of the form, not SPARQLWrapper's regular expression
        for g in defaults:
            wrapper.addDefaultGraph(g)
        for g in named:
            wrapper.addNamedGraph(g)
        wrapper.addCustomHttpHeader("Accept", accept)
        response = self._send(wrapper)
        try:
            return response.read(), (response.headers.get("Content-Type") or "").lower()
        finally:
            response.close()

    def _send(self, wrapper):
        """Send a SPARQLWrapper request; the urllib response, or the server's error as ours."""
        url = wrapper.updateEndpoint if wrapper.isSparqlUpdateRequest() else wrapper.endpoint
        try:
            return wrapper.query().response
        except urllib.error.HTTPError as error:
            text = error.read()[:4000].decode("utf-8", "replace").strip()
            if error.code == 400:
                raise SyntaxError(f"{url}: {text}") from None
            if error.code in (401, 403):
                raise SparqlServerError(f"{url} refused the credentials ({ENV_PREFIX}USER / _PASSWORD / _AUTH): "
                                        f"HTTP {error.code}") from None
            raise SparqlServerError(f"{url}: HTTP {error.code}: {text}") from None
        except (urllib.error.URLError, OSError) as error:
            raise SparqlServerError(f"cannot reach {url}: {getattr(error, 'reason', error)}") from None

    def _graph_quads(self, graph: str) -> list[ox.Quad]:
        node = ox.NamedNode(graph)
        if self.config.store_url:
            response = self._http("GET", graph, headers={"Accept": N_TRIPLES}, missing_ok=True)
            if response is None:
                return []
            media = response.headers.get("content-type", N_TRIPLES)
            return [ox.Quad(q.subject, q.predicate, q.object, node) for q in _parse_rdf(response.content, media)]
        _, rows = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
        return [ox.Quad(s, p, o, node) for s, p, o in rows]

    def _put_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """Make `graph` hold exactly `quads` (none: delete it)."""
        if self.config.store_url:
            if quads:
                self._http("PUT", graph, content=_n_triples(quads))
            else:
                self._http("DELETE", graph, missing_ok=True)
            return
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")
        self._add_quads(quads)

    def _add_quads(self, quads: list[ox.Quad]) -> None:
        if not quads:
            return
        graph = quads[0].graph_name
        if self.config.store_url and isinstance(graph, ox.NamedNode):
            self._http("POST", graph.value, content=_n_triples(quads))
            return
        size = self.config.batch or len(quads)
        for start in range(0, len(quads), size):
            self.update(_replace_update(quads[start:start + size], []))

    def _http(self, method: str, graph: str, *, content: bytes | None = None, headers: dict | None = None,
              missing_ok: bool = False):
        """One Graph Store Protocol request on ?graph=…; None for a 404 when `missing_ok`."""
        import httpx

        auth = None
        if self.config.user:
            credentials = (self.config.user, self.config.password or "")
            auth = httpx.DigestAuth(*credentials) if self.config.auth == "digest" else httpx.BasicAuth(*credentials)
        headers = dict(headers or {})
        if content is not None:
            headers["Content-Type"] = N_TRIPLES
        try:
            response = httpx.request(method, self.config.store_url, params={"graph": graph}, content=content,
                                     headers=headers, auth=auth, timeout=self.config.timeout_s)
        except httpx.HTTPError as error:
            raise SparqlServerError(f"cannot reach {self.config.store_url}: {error}") from None
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise SparqlServerError(f"{self.config.store_url}: {method} <{graph}>: HTTP {response.status_code}: "
                                    f"{response.text[:2000]}")
        return response


def _replace_update(quads: list[ox.Quad], graphs: list[str]) -> str:
    """One SPARQL Update: drop `graphs`, then insert `quads` (in their graphs)."""
    operations = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = []
    for graph, triples in by_graph.items():
        body = "\n".join(triples)
        blocks.append(body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{\n{body}\n}}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(operations)


def _n_triples(quads: list[ox.Quad]) -> bytes:
    return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)


def _parse_rdf(data: bytes, media: str) -> list[ox.Quad]:
    base = media.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(base) if base else None
    fmt = fmt or ox.RdfFormat.N_TRIPLES
    try:
        return list(ox.parse(data, format=fmt))
    except SyntaxError as error:
        raise SparqlServerError(f"the server sent {base or 'RDF'} that cannot be read: {error}") from None


def _bnode_label(value: str) -> str:
    """A valid blank-node label for a server's label, the same for the same label."""
    if _BNODE_OK.fullmatch(value):
        return value
    return "b" + hashlib.sha1(value.encode()).hexdigest()[:16]


def _valid_xml_bnodes(data: bytes) -> bytes:
    """SPARQL XML results with blank-node labels pyoxigraph accepts."""
    if b"<bnode>" not in data:
        return data
    return _XML_BNODE.sub(lambda m: b"<bnode>" + _bnode_label(m.group(1).decode("utf-8", "replace")).encode()
                          + b"</bnode>", data)


def _valid_json_bnodes(data: bytes) -> bytes:
    """SPARQL JSON results with blank-node labels pyoxigraph accepts (Virtuoso sends 'nodeID://b1')."""
    if b'"bnode"' not in data:
        return data
    try:
        document = json.loads(data)
    except ValueError:
        return data  # pyoxigraph reports the error

    def fix(term: dict) -> None:
        if term.get("type") == "bnode":
            term["value"] = _bnode_label(term.get("value", ""))
        elif term.get("type") == "triple":
            for part in term.get("value", {}).values():
                fix(part)

    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            fix(term)
    return json.dumps(document).encode()


def _wrapper_class():
    """SPARQLWrapper, sending through a per-request opener.

    SPARQLWrapper's own digest support installs a process-wide urllib opener (install_opener),
    which then answers every other urllib request of the process — the API's included. This
    subclass keeps its handlers to itself; HTTP errors come back as urllib's HTTPError.
    """
    global _WRAPPER
    if _WRAPPER is None:
        from SPARQLWrapper import SPARQLWrapper

        class _Wrapper(SPARQLWrapper):
            opener: urllib.request.OpenerDirector

            def _query(self):
                request = self._createRequest()
                return self.opener.open(request, timeout=self.timeout or None), self.returnFormat

        _WRAPPER = _Wrapper
    return _WRAPPER


_WRAPPER = None
