"""The draft check's incremental answer is the difference of two full validations.

On random small registries and drafts — a few powers, roles, modes, place scopes and dates, with
repeals and amendments — `check_draft`'s introduced and resolved findings equal what a full
validation of the registry and a full validation of the registry with the draft applied as real
data (a separate in-memory store, built here from the model, not from the check's overlay) differ
by. Both ways of checking are tried: validating both sides of what the draft touches, and reusing
the registry's own findings computed once (the API's warm base).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import namespaces as ns
from registry.build import ontology_quads, unit_quads
from registry.catalogue import catalogue_quads, load_catalogue
from registry.draft import DraftBase, check_draft, full_findings
from registry.draft_input import draft_graph
from registry.store import OxigraphBackend
from registry.template import Row, instrument_issuer, rows_to_quads, write_template
from registry.validate import Validator

DATES = ["2025-01-01", "2025-07-01", "2026-01-31", "2026-07-01", "2027-03-01", "2028-01-01"]
HOLDERS = ["Ủy ban nhân dân cấp tỉnh", "Chủ tịch Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân cấp xã",
           "Chủ tịch Ủy ban nhân dân cấp xã", "Sở Xây dựng", "Chính phủ", "Ủy ban nhân dân cấp huyện"]
GRANTORS = ["Ủy ban nhân dân cấp tỉnh", "Chính phủ", "Chủ tịch Ủy ban nhân dân cấp tỉnh"]
POWERS = ["p-0", "p-1", "p-2", "p-3"]
PLACES = ["", "", "01", "00070", "79"]
# Registry instruments: number → (in force from, no longer in force from)
INSTRUMENTS = {"901/2025/NĐ-CP": ("2025-01-01", None), "902/2025/NĐ-CP": ("2025-07-01", "2027-03-01")}
TARGETS = ["901/2025/NĐ-CP", "901/2025/NĐ-CP:1", "901/2025/NĐ-CP:2.1", "902/2025/NĐ-CP:1", "902/2025/NĐ-CP:2"]
DRAFT = "DỰ THẢO/2026/NĐ-CP"


@pytest.fixture(scope="module")
def context():
    catalogue = load_catalogue()
    units = {ns.province_iri("01"), ns.commune_iri("00070"), ns.province_iri("79")}
    reference = [*ontology_quads(), *catalogue_quads(catalogue)]
    reference += [q for q in unit_quads() if q.subject.value in units or q.subject.value.startswith(ns.TQ)]
    g = ox.NamedNode(ns.INSTRUMENTS_GRAPH)
    for number, (start, end) in INSTRUMENTS.items():
        s = ox.NamedNode(ns.instrument_iri(number))
        reference += [ox.Quad(s, ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.ELI + "LegalResource"), g),
                      ox.Quad(s, ox.NamedNode(ns.ELI + "id_local"), ox.Literal(number), g),
                      ox.Quad(s, ox.NamedNode(ns.ELI + "title"), ox.Literal(f"Nghị định {number}", language="vi"), g),
                      ox.Quad(s, ox.NamedNode(ns.ELI + "first_date_entry_in_force"), _date(start), g)]
        if end:
            reference.append(ox.Quad(s, ox.NamedNode(ns.ELI + "date_no_longer_in_force"), _date(end), g))
    return {"catalogue": catalogue, "reference": reference, "validator": Validator()}


def _date(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(ns.XSD + "date"))


@st.composite
def assignment(draw, ident: str, instrument: str, start_required: bool = True):
    mode = draw(st.sampled_from(["phân định", "phân định", "phân cấp", "ủy quyền"]))
    start = draw(st.sampled_from(DATES[:-1])) if start_required else draw(st.sampled_from(["", *DATES[:-1]]))
    later = [d for d in DATES if d > (start or "2026-12-31")]
    until = draw(st.sampled_from(["", *later]))
    holder = draw(st.sampled_from(HOLDERS))
    if holder.endswith("cấp huyện") and (start or "2026") >= "2025-07-01":
        holder = HOLDERS[0]
    power = draw(st.sampled_from(POWERS))
    article, clause = draw(st.sampled_from(["1", "2", "3"])), draw(st.sampled_from(["1", "2"]))
    return Row(id=ident, power_id=power, task_vi=f"Thẩm quyền {power}", sector="Xây dựng", holder=holder, mode=mode,
               grantor=draw(st.sampled_from(GRANTORS)) if mode != "phân định" else "", instrument=instrument,
               article=article, clause=clause, valid_from=start, valid_until=until,
               place_scope=draw(st.sampled_from(PLACES)))


@st.composite
def case(draw):
    registry = [draw(assignment(f"b-{i}", draw(st.sampled_from(sorted(INSTRUMENTS)))))
                for i in range(draw(st.integers(1, 7)))]
    effective = draw(st.sampled_from(DATES[1:-1]))
    draft = []
    for i in range(draw(st.integers(1, 3))):
        row = draw(assignment(f"d-{i}", DRAFT, start_required=False))
        if not row.valid_from and row.valid_until and row.valid_until <= effective:
            row = replace(row, valid_until="")
        draft.append(row)
    repeals = draw(st.lists(st.sampled_from(TARGETS), max_size=2, unique=True))
    amends = draw(st.lists(st.sampled_from(TARGETS), max_size=1))
    return registry, draft, dt.date.fromisoformat(effective), repeals, amends


def _within(row: Row, target: str) -> bool:
    number, _, rest = target.partition(":")
    parts = rest.split(".") if rest else []
    return row.instrument == number and [row.article, row.clause][:len(parts)] == parts


def _after_rows(registry: list[Row], draft_powers: set[str], effective: dt.date, repeals: list[str],
                amends: list[str]) -> list[Row]:
    """The registry's rows as they stand once the draft is in force: what it repeals (or amends and
    restates) ends on its effective date, and what would only start then is left out."""
    day = effective.isoformat()
    rows = []
    for row in registry:
        hit = any(_within(row, t) for t in repeals) or (
            row.power_id in draft_powers and any(_within(row, t) for t in amends))
        if hit and (not row.valid_until or row.valid_until > day):
            if row.valid_from >= day:
                continue
            row = replace(row, valid_until=day)
        rows.append(row)
    return rows


def _store(quads) -> OxigraphBackend:
    backend = OxigraphBackend(None)
    backend.replace_graphs(quads, [])
    return backend


def _compile(rows: list[Row], catalogue, graph: str) -> list[ox.Quad]:
    return rows_to_quads(rows, graph, catalogue, powers_graph=ns.CATALOGUE_GRAPH,
                         subdivisions_graph=ns.INSTRUMENTS_GRAPH) if rows else []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(case())
def test_the_incremental_answer_is_the_difference_of_two_full_validations(context, example):
    registry, draft, effective, repeals, amends = example
    catalogue, validator = context["catalogue"], context["validator"]
    base_quads = context["reference"] + _compile(registry, catalogue, ns.GRAPH + "test-registry")
    base = _store(base_quads)
    before_quads = sorted(base.store, key=str)

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "du-thao.csv"
        write_template(draft, path)
        answers = []
        for findings in (False, True):
            answers.append(check_draft(base, path, effective=effective, repeals=repeals, amends=amends,
                                       base=DraftBase(base, validator, findings=findings), catalogue=catalogue))
    assert sorted(base.store, key=str) == before_quads  # the registry is never written

    filled = [replace(r, valid_from=r.valid_from or effective.isoformat()) for r in draft]
    draft_powers = {r.power_id for r in filled}
    graph = draft_graph("du-thao")
    instrument = ox.NamedNode(ns.instrument_iri(DRAFT))
    # a repeal ends assignments; the powers and provisions the registry defines stay defined
    definitions = [q for q in _compile(registry, catalogue, ns.GRAPH + "test-registry")
                   if q.graph_name.value != ns.GRAPH + "test-registry"]
    applied = context["reference"] + definitions + _compile(
        _after_rows(registry, draft_powers, effective, repeals, amends), catalogue, ns.GRAPH + "test-registry")
    known_powers = {r.power_id for r in registry}
    applied += [q for q in rows_to_quads(filled, graph, catalogue) if not (
        q.subject.value.startswith(ns.ID + "power/") and q.subject.value.rsplit("/", 1)[1] in known_powers)]
    applied += [ox.Quad(instrument, ox.NamedNode(ns.ELI + "first_date_entry_in_force"), _date(effective.isoformat()),
                        ox.NamedNode(graph)),
                ox.Quad(instrument, ox.NamedNode(ns.RDFS + "label"), ox.Literal(f"Nghị định {DRAFT}", language="vi"),
                        ox.NamedNode(graph)),
                ox.Quad(instrument, ox.NamedNode(ns.ELI + "title"), ox.Literal("Dự thảo du-thao.csv", language="vi"),
                        ox.NamedNode(graph)),
                # a decree (NĐ-CP) is passed by the Government: its grants rest on the draft itself
                ox.Quad(instrument, ox.NamedNode(ns.ELI + "passed_by"),
                        ox.NamedNode(ns.role_iri(instrument_issuer(DRAFT, catalogue))), ox.NamedNode(graph))]
    before = set(full_findings(validator, validator.index(base), effective))
    after = set(full_findings(validator, validator.index(_store(applied)), effective))
    for report in answers:
        assert {d.finding for d in report.introduced} == after - before
        assert {d.finding for d in report.resolved} == before - after
