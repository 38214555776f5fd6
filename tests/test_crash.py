"""SIGKILL at random moments never leaves part of a write; readers never see one (bench/crash_bench.py).

The generated national-scale registry (bench/generate.py, 100,000 assignments, ≈ 1.1 million quads)
is loaded into a store holding the real registry by a real `thamquyen load`, killed at 20 random
moments; a rebuild (`thamquyen init`) and a SPARQL UPDATE through the API are killed too. After each
kill the store must hold exactly the state before or the state after (quad count and content digest).
Then the API answers lookups and queries while the same load runs: no error, and every answer is
the answer before or the answer after; a `thamquyen validate` run during the load reports the
findings of one of the two states.

THAMQUYEN_CRASH_ASSIGNMENTS sets a smaller registry for a quick local run; CI uses the default.
"""

from __future__ import annotations

import os
import random

import pytest

from bench.crash_bench import api_writer, init_writer, kill_trials, load_writer, prepare, readers_during_load, update_text
from registry.backup import restore
from registry.store import OxigraphBackend

ASSIGNMENTS = int(os.environ.get("THAMQUYEN_CRASH_ASSIGNMENTS", 100_000))


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> dict:
    return prepare(tmp_path_factory.mktemp("crash"), ASSIGNMENTS)


def assert_survived(report: dict, kills: int) -> None:
    assert report["kills"] == kills
    assert report["outcomes"].get("neither", 0) == 0, report
    assert report["outcomes"].get("before", 0) + report["outcomes"].get("after", 0) == kills, report


def test_a_load_killed_at_20_random_moments_leaves_before_or_after(setup):
    report = kill_trials(load_writer(setup["store"], setup["data"]), setup["before"], 20, random.Random(11))
    assert_survived(report, 20)
    assert report["quads_after"] > report["quads_before"] + ASSIGNMENTS  # the load is large and was measured
    # the kills fell before the write began, while the new generation was written, and after it
    # was published; an honest test reports where, and it must have hit the write itself
    assert report["kill_moments"].get("while writing the new generation", 0) >= 1, report


def test_a_rebuild_killed_at_random_moments_leaves_the_old_registry_in_service(setup):
    report = kill_trials(init_writer(setup["store"]), setup["before_init"], 4, random.Random(12))
    assert_survived(report, 4)
    assert report["quads_after"] > report["quads_before"]  # the rebuild brings the units back


def test_an_api_update_killed_at_random_moments_leaves_before_or_after(setup):
    writer = api_writer(setup["store"], update_text(setup["data"], 50_000))
    assert_survived(kill_trials(writer, setup["before"], 4, random.Random(13)), 4)


def test_the_api_answers_before_or_after_while_a_load_runs(setup):
    restore(OxigraphBackend(setup["store"]), setup["before"])
    report = readers_during_load(setup["store"], setup["data"])
    for probe in report["probes"]:
        assert probe["errors"] == 0, probe
        assert probe["neither_before_nor_after"] == 0, probe
        assert probe["requests"] >= 20, probe
    changed = {p["probe"]: p for p in report["probes"] if p["changed"]}
    assert set(changed) == {"lookup, power the load brings", "SPARQL count"}, report
    # the readers were answered from the state before while the load ran, and from the one after
    assert all(p["answered_before"] > 0 and p["answered_after"] > 0 for p in changed.values()), report
    validation = report["validation"]
    assert validation["findings_after"] > validation["findings_before"]  # the generated registry has defects
    assert validation["during_the_load"] in ("before", "after"), validation
