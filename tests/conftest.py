"""Shared fixtures: real Oxigraph stores in temporary directories, never mocks."""

from __future__ import annotations

import pytest

from registry.build import build
from registry.store import OxigraphBackend


@pytest.fixture(scope="session")
def built_store_path(tmp_path_factory):
    """A store built once by `build()` (ontology, units, content); tests must not modify it."""
    path = tmp_path_factory.mktemp("registry") / "store"
    backend = OxigraphBackend(path)
    build(backend)
    del backend
    return path


@pytest.fixture(scope="session")
def registry(built_store_path):
    """The built registry, opened read-only by convention."""
    return OxigraphBackend(built_store_path)


@pytest.fixture
def empty_store(tmp_path):
    return OxigraphBackend(tmp_path / "store")


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
