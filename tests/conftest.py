"""Shared fixtures: real Oxigraph stores in temporary directories, never mocks.

THAMQUYEN_TEST_BACKEND (or --backend) = embedded (default) | oxigraph-server | virtuoso: with a
server kind, the `registry`, `empty_store` and `registry_cli` fixtures use the servers described in
THAMQUYEN_TEST_SERVERS (the servers.json that `scripts/sparql-server start KIND DIR` writes), and
only the tests that use one of those fixtures run (the rest do not depend on the store).
"""

from __future__ import annotations

import json
import os

import pytest

from registry.build import build
from registry.store import OxigraphBackend

BACKEND_FIXTURES = {"registry", "empty_store", "registry_cli"}

# Tests that fail because of a server's own bug, per backend: xfail with the reason (reported as
# XPASS when they pass; not strict, as Virtuoso's path bug shows or not depending on the data).
# Never filtered in code.
KNOWN_SERVER_FAILURES = {
    "virtuoso": {
        "tests/test_queries.py::test_competency_question[lapse-2027-03-01]":
            "Virtuoso 7.2.5: 'SP031 internal error: sparp_find_origin_of_external_var()' on FILTER NOT EXISTS "
            "around an OPTIONAL",
        "tests/test_queries.py::test_competency_question[land-district-chairman-to-commune-chairman]":
            "Virtuoso 7.2.5: a zero-or-more path (tq:sector/skos:broader*) to a fixed node joined with other "
            "patterns matches nothing",
    },
}


def pytest_addoption(parser):
    parser.addoption("--backend", default=None,
                     help="embedded, oxigraph-server or virtuoso (default: $THAMQUYEN_TEST_BACKEND, else embedded)")


def backend_kind(config) -> str:
    return config.getoption("--backend") or os.environ.get("THAMQUYEN_TEST_BACKEND") or "embedded"


def pytest_report_header(config):
    return f"store backend: {backend_kind(config)}"


def pytest_collection_modifyitems(config, items):
    """On a server backend, run only the tests whose fixtures reach the store."""
    kind = backend_kind(config)
    if kind == "embedded":
        return
    known = KNOWN_SERVER_FAILURES.get(kind, {})
    for item in items:
        if item.nodeid in known:
            item.add_marker(pytest.mark.xfail(reason=known[item.nodeid], strict=False))
    keep = [i for i in items if BACKEND_FIXTURES & set(getattr(i, "fixturenames", ()))]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def server_config(request) -> dict | None:
    """The servers.json of a server backend (roles "registry" and "scratch"); None when embedded."""
    kind = backend_kind(request.config)
    if kind == "embedded":
        return None
    path = os.environ.get("THAMQUYEN_TEST_SERVERS")
    if not path:
        pytest.exit(f"backend {kind}: set THAMQUYEN_TEST_SERVERS to the servers.json of "
                    f"`scripts/sparql-server start {kind} DIR`", returncode=4)
    with open(path) as f:
        return json.load(f)


def remote_backend(server_config: dict, role: str):
    """The server of `role`, emptied of every graph the registry owns."""
    from registry.remote import SparqlServerBackend

    backend = SparqlServerBackend.from_environment(server_config[role])
    backend.replace_graphs([], backend.graphs())
    return backend


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory):
    """A store built once by `build()` (ontology, units, content); tests must not modify it."""
    path = tmp_path_factory.mktemp("registry") / "store"
    backend = OxigraphBackend(path)
    build(backend)
    del backend
    return path


@pytest.fixture(scope="session")
def registry(request, server_config):
    """The built registry, opened read-only by convention (on the registry server for a server backend)."""
    if server_config is None:
        return OxigraphBackend(request.getfixturevalue("built_store_path"))
    backend = remote_backend(server_config, "registry")
    build(backend)
    return backend


@pytest.fixture
def empty_store(request, server_config):
    """A store with nothing in it: a fresh directory, or the scratch server emptied."""
    if server_config is None:
        return OxigraphBackend(request.getfixturevalue("tmp_path") / "store")
    return remote_backend(server_config, "scratch")


@pytest.fixture
def registry_cli(registry, server_config, monkeypatch) -> list[str]:
    """The `thamquyen` options that reach the built registry: --store PATH, or the server's variables."""
    monkeypatch.delenv("THAMQUYEN_STORE", raising=False)
    if server_config is None:
        return ["--store", str(registry.path)]
    for name in [n for n in os.environ if n.startswith("THAMQUYEN_SPARQL_")]:
        monkeypatch.delenv(name)
    for name, value in server_config["registry"].items():
        monkeypatch.setenv(name, value)
    return []


@pytest.fixture(scope="session")
def lookup_store(tmp_path_factory):
    """The ontology, the real units and the lookup fixture (tests/fixtures/lookup/*.ttl); read-only."""
    from pathlib import Path

    from registry.build import ontology_quads, unit_quads
    from registry.store import load_files

    backend = OxigraphBackend(tmp_path_factory.mktemp("lookup") / "store")
    backend.replace_graphs([*ontology_quads(), *unit_quads()], [])
    load_files(backend, sorted((Path(__file__).parent / "fixtures" / "lookup").glob("*.ttl")))
    return backend
