"""`check-draft`: what a draft decree would introduce into the registry, what it would resolve, and
which of its rows change who holds a power — before it is issued, without writing anything.

The draft (registry.draft_input) is an overlay graph, `…/graph/draft/<name>`, laid over the
registry's validation index (registry.validate): its assignments are added, and the registry's
assignments whose legal basis it repeals end on its effective date (those that would only start on
or after that day are left out); an amended provision's assignments end too when the draft restates
their power. Only what the draft touches is validated — the powers of the assignments added or ended
(`powers_touched`), and as focus of the structure shapes the nodes it changes and those that point
to them — on a sub-index holding those assignments and everything they lead to. The findings before
and after are compared:

- introduced = after − before, resolved = before − after, exactly as two full validations would
  differ (tests/test_draft_property.py proves it on random registries and drafts). A full validation
  here is `validate` with no date plus tqsh:NoHolderOnDate on the effective date: a repeal that
  leaves a power with nobody is an omission on that day (`full_findings`).
- changes: draft rows that give a power to another holder (or in another mode) than the registry's
  assignment in force on the row's first day.

    report = check_draft(backend, "du-thao.csv", effective="2026-07-01", repeals=["49/2026/NĐ-CP:14.1"])
    report.introduced, report.resolved, report.changes, report.exit_code
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from . import namespaces as ns
from .catalogue import Catalogue, load_catalogue
from .draft_input import (IN_FORCE, Amendment, Draft, DraftRow, Provision, parse_date, parse_provisions,
                          read_draft)
from .errors import InputError, UsageError
from .store import Backend
from .template import instrument_designation, instrument_issuer, rows_to_quads
from .validate import Report, Validator, powers_touched, validate_assignments
from .validation.data import SUBCLASS_OF, DataIndex, Term, iri, key, paused_gc, term_date, text_of, to_ox
from .validation.findings import Finding
from .validation.rules import rule_findings
from .validation.table import INSTRUMENT, LEGAL_BASIS, POWER, VALID_FROM, VALID_UNTIL, WITHIN_UNIT, AssignmentTable

NO_HOLDER_RULE = ns.SHAPES + "NoHolderOnDate"
ASSIGNMENT = iri(ns.TQ + "Assignment")
POWER_CLASS = iri(ns.TQ + "Power")
RDF_TYPE = ns.RDF + "type"
DEFINING_PROVISION = ns.TQ + "definingProvision"
# Changes to these reach beyond the nodes they are stated on (class membership, places within
# places): a draft that makes them is validated in full.
GLOBAL_PREDICATES = frozenset({SUBCLASS_OF, WITHIN_UNIT})


# --- the registry side, kept warm --------------------------------------------------------------------

@dataclass
class Snapshot:
    """The registry's validation index as of one store generation, with what draft checks read from it.

    Attributes:
        index: the index of every graph (registry.validation.data.DataIndex).
        generation: the store's write generation it was read at (None: a store without one).
        built_at: time.monotonic() when it was read.
        assignments: every assignment node of the registry (with a power, or typed tq:Assignment).
        powers: every power node of the registry (typed tq:Power).
        powers_by_provision: folded defining provision → the registry's powers it defines.
        layout: each subject and the predicates it has values for (`predicates_of`, for `sub_index`).
        catalogue: the roles, sectors and instruments rows are matched against (data/), read with it.
        findings: the registry's own findings (no date), when read with `findings=True`, as
            ("rules", power) and ("structure", focus node) → findings; a check then validates only
            the registry with the draft.
    """

    index: DataIndex
    generation: int | None
    built_at: float
    assignments: frozenset[Term]
    powers: frozenset[Term]
    powers_by_provision: dict[str, list[Term]]
    layout: dict[Term, tuple[str, ...]] = field(default_factory=dict)
    catalogue: Catalogue | None = None
    findings: dict[tuple[str, Term], list[Finding]] | None = None

    @classmethod
    def read(cls, backend: Backend, validator: Validator, *, findings: bool = False) -> Snapshot:
        """Read the store's index and warm the look-ups every draft check makes.

        Args:
            findings: also validate the whole registry once, so that checks reuse its findings.
        """
        generation = getattr(backend, "generation", None)
        index = validator.index(backend)
        with paused_gc():
            layout = predicates_of(index)
            assignments = frozenset(index.objects(POWER)) | frozenset(index.instances(ASSIGNMENT))
            for predicate in (LEGAL_BASIS, INSTRUMENT, POWER):
                index.inverse(predicate)
            powers_by_provision: dict[str, list[Term]] = {}
            powers = frozenset(index.instances(POWER_CLASS))
            for power, values in index.objects(DEFINING_PROVISION).items():
                if power in powers:
                    for v in values:
                        powers_by_provision.setdefault(ns.fold(text_of(v)), []).append(power)
            by_focus = None
            if findings:
                by_focus = {}
                rules = {r.iri for r in validator.rules}
                for f in validator.findings(index):
                    by_focus.setdefault(("rules" if f.rule in rules else "structure", key(f.focus)), []).append(f)
        return cls(index, generation, time.monotonic(), assignments, powers, powers_by_provision, layout,
                   load_catalogue(), by_focus)

    def registry_findings(self, powers: Iterable[Term] | None, focus: Iterable[Term] | None) -> list[Finding] | None:
        """The registry's own findings (no date): the rules' on these powers, the structure shapes' on
        these focus nodes (None: all); None when they were not computed."""
        if self.findings is None:
            return None
        if powers is None and focus is None:
            return [f for found in self.findings.values() for f in found]
        wanted = {("rules", p) for p in powers or ()} | {("structure", n) for n in focus or ()}
        return [f for k in wanted for f in self.findings.get(k, ())]


class DraftBase:
    """The shapes and the registry's index for draft checks: read once, re-read when the store changes.

    A backend with a write `generation` (the embedded store) is re-read after any write; one without
    (a remote SPARQL server) at most every `ttl` seconds. A check never uses an index older than the
    store it can see: `get()` re-reads before answering (a national registry takes seconds), and the
    API calls `warm()` when the upload page is opened, so that the index is ready by the upload.

    Args:
        backend: the store.
        validator: compiled shapes (default: the registry's, with the default policy).
        ttl: seconds a backend without a generation is trusted.
        findings: also validate the whole registry when it is read (seconds for a national registry,
            once), so that each check validates only the registry with the draft: for a base kept
            warm (the API); a one-off check (the CLI) validates both sides of what it touches.
    """

    def __init__(self, backend: Backend, validator: Validator | None = None, ttl: float = 60.0, *,
                 findings: bool = False):
        self.backend = backend
        self.validator = validator or Validator()
        self.ttl = ttl
        self.with_findings = findings
        self.reads = 0
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def stale(self) -> bool:
        snapshot = self._snapshot
        if snapshot is None:
            return True
        generation = getattr(self.backend, "generation", None)
        if generation is not None:
            return generation != snapshot.generation
        return time.monotonic() - snapshot.built_at > self.ttl

    def get(self) -> Snapshot:
        """The registry's index as of now (read again first if the store changed)."""
        if self.stale():
            with self._lock:
                if self.stale():
                    self._snapshot = Snapshot.read(self.backend, self.validator, findings=self.with_findings)
                    self.reads += 1
        return self._snapshot

    def warm(self) -> None:
        """Read the index in a background thread, if it is stale and nobody is reading it already."""
        if self.stale() and (self._thread is None or not self._thread.is_alive()):
            self._thread = threading.Thread(target=self.get, name="draft-base", daemon=True)
            self._thread.start()


# --- the report ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ended:
    """A registry assignment the draft ends, because it repeals (or amends and restates) its legal basis.

    Attributes:
        assignment: the registry assignment's IRI.
        amendment: the repeal or amendment that ends it.
        valid_until: its end in the registry (None: no end).
        ends: its end under the draft, the effective date; None when it is left out, because it
            would only have started on or after that day.
    """

    assignment: str
    amendment: Amendment
    valid_until: dt.date | None
    ends: dt.date | None


@dataclass(frozen=True)
class Change:
    """A draft row that gives a power to another holder (or in another mode) than the registry does
    on the row's first day.

    Attributes:
        row: the draft's row.
        power: the power's IRI.
        registry_assignment: the registry assignment in force on that day.
        on: the row's first day.
        from_holder, to_holder: role IRIs.
        kind: "holder" (another holder) or "mode" (same holder, another mode or grantor).
        handover: the draft also ends the registry assignment by that day (else both would be in force).
    """

    row: DraftRow
    power: str
    registry_assignment: str
    on: dt.date
    from_holder: str
    to_holder: str
    kind: str
    handover: bool


@dataclass
class DraftFinding:
    """A finding the draft introduces or resolves, tied to the draft and to the registry.

    Attributes:
        finding: the finding (as `thamquyen validate` reports it).
        rows: the draft's rows it is about (its own assignments among the finding's parties, else
            the draft's rows of the same power).
        registry: the registry assignments it collides with (or that ended), by IRI.
        ended: the repeals / amendments that end one of its parties.
        counterpart: the same finding on the other side with another period (a repeal that shortens
            an overlap resolves the long one and introduces the short one), else None.
    """

    finding: Finding
    rows: list[DraftRow] = field(default_factory=list)
    registry: list[str] = field(default_factory=list)
    ended: list[Ended] = field(default_factory=list)
    counterpart: Finding | None = None

    @property
    def narrows(self) -> bool:
        """An introduced finding whose period lies within its counterpart's: the draft only shortens it."""
        c, f = self.counterpart, self.finding
        if c is None or c.valid_from is None or f.valid_from is None:
            return False
        ends_within = c.valid_until is None or (f.valid_until is not None and f.valid_until <= c.valid_until)
        return c.valid_from <= f.valid_from and ends_within


@dataclass
class DraftReport:
    """What a draft would do to the registry.

    Attributes:
        draft: the draft as read (its rows, graph, number, amendments).
        effective: the effective date used.
        introduced, resolved: findings after − before and before − after.
        changes: draft rows that change an existing assignment.
        ended: registry assignments the draft ends.
        lang: language of the explanations ("vi" or "en").
        before, after: the validation reports of the part validated, without and with the draft
            (their `data` names everything the explanations mention).
        scope: what was validated: mode ("incremental" or "full"), powers, focus nodes, assignments.
        notes: what the reader should know besides findings (an amendment that ended nothing…).
        labels: each amendment's target as a citation ("khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP").
    """

    draft: Draft
    effective: dt.date
    introduced: list[DraftFinding]
    resolved: list[DraftFinding]
    changes: list[Change]
    ended: list[Ended]
    lang: str
    before: Report = field(repr=False)
    after: Report = field(repr=False)
    scope: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    labels: dict[Amendment, str] = field(default_factory=dict)

    @property
    def new_violations(self) -> list[DraftFinding]:
        """Introduced violations, except those that only narrow one the registry already has."""
        return [d for d in self.introduced if d.finding.severity == "Violation" and not d.narrows]

    @property
    def conforms(self) -> bool:
        return not self.new_violations

    @property
    def exit_code(self) -> int:
        """0: the draft introduces no violation; 1: it does."""
        return 0 if self.conforms else 1

    def counts(self) -> dict[str, dict[str, int]]:
        """Findings per severity, introduced and resolved."""
        def count(found: list[DraftFinding]) -> dict[str, int]:
            c = {"Violation": 0, "Warning": 0, "Info": 0}
            for d in found:
                c[d.finding.severity] = c.get(d.finding.severity, 0) + 1
            return c
        return {"introduced": count(self.introduced), "resolved": count(self.resolved)}


# --- checking ------------------------------------------------------------------------------------

def check_draft(backend: Backend, file: str | Path, *, effective: str | dt.date | None = None,
                repeals: Iterable[str | Provision] = (), amends: Iterable[str | Provision] = (),
                name: str | None = None, display: str | None = None, lang: str = "vi",
                base: DraftBase | None = None, catalogue: Catalogue | None = None) -> DraftReport:
    """Check a draft decree against the registry, without writing anything.

    Args:
        backend: the registry's store (only read).
        file: the draft: template (.csv, .xlsx), Word text (.docx, .txt, .html) or RDF (.ttl, .trig,
            .jsonld, …); see docs/model.md for the draft's sheets and sidecar.
        effective: the first day the draft is in force (overrides the draft's own; fills rows
            without valid_from). Default: the draft's own, else its earliest valid_from.
        repeals, amends: instruments or provisions the draft repeals / amends, as
            NUMBER[:ARTICLE[.CLAUSE[.POINT]]] or a Vietnamese citation, besides those it states.
        name: the draft's name, the last part of its graph (default: the file's stem).
        display: the file name for messages (an upload's own name).
        lang: language of the explanations, "vi" or "en".
        base: a warm DraftBase of this backend to reuse (the API keeps one); default: read now.
        catalogue: roles and sectors (default: data/).
    Returns:
        the report.
    Raises:
        InputError: a draft that does not parse, a bad row, date or provision — with file, row,
            column and field.
        UsageError: an unknown language.
    """
    if lang not in ("vi", "en"):
        raise UsageError(f"language must be vi or en, not {lang!r}")
    if isinstance(effective, str):
        effective = parse_date(effective) if effective.strip() else None
    amendments = _amendments(repeals, "repeals") + _amendments(amends, "amends")
    base = base if base is not None else DraftBase(backend)
    snapshot = base.get()
    catalogue = catalogue or snapshot.catalogue or load_catalogue()
    with paused_gc():  # a collection would walk the whole index (millions of objects) for nothing
        draft = read_draft(file, catalogue, name=name, display=display, effective=effective, amendments=amendments)
        return check(draft, snapshot, base.validator, lang=lang, catalogue=catalogue)


def _amendments(values: Iterable[str | Provision], relation: str) -> list[Amendment]:
    found = []
    for v in values:
        if isinstance(v, Provision):
            found.append(Amendment(relation, v.iri, v, None, f"--{relation}"))
        else:
            found.extend(parse_provisions([v], relation))
    return found


def check(draft: Draft, snapshot: Snapshot, validator: Validator, *, lang: str = "vi",
          catalogue: Catalogue | None = None) -> DraftReport:
    """Check a draft that has been read against a snapshot of the registry (see `check_draft`).

    Raises:
        InputError: a draft that clashes with the registry itself: a row id or instrument number the
            registry already has, a repeal of an instrument it does not have, no effective date.
    """
    catalogue = catalogue or load_catalogue()
    data = snapshot.index
    draft = _matched_powers(draft, snapshot, catalogue)
    _check_against_registry(draft, snapshot, catalogue)
    facts = _facts(ox.Triple(q.subject, q.predicate, q.object) for q in draft.quads)
    if draft.kind != "rdf":
        # a power the registry has keeps the registry's definition
        facts = [f for f in facts if f.s not in snapshot.powers]
    effective = draft.effective or _earliest_start(facts)
    if effective is None:
        raise InputError("the draft states no effective date and no row has valid_from: give --effective",
                         file=draft.file, field="effective")
    facts += _facts(_own_dates(draft, facts, effective, catalogue))
    draft_powers = {f.o for f in facts if f.p == POWER}
    ended, removed, added, notes = _ended(data, draft, effective, draft_powers, catalogue)
    facts += _facts(added)

    with paused_gc():
        new = _new(data, facts)
        gone = [f for f in _facts(removed) if f.p in data.by_predicate]
        changed = {f.s for f in new} | {f.s for f in gone}
        full = any(f.p in GLOBAL_PREDICATES for f in new + gone)
        if full:
            powers = focus = None
            before_data = before_shapes = data
        else:
            powers = {key(p) for p in powers_touched(data, [to_ox(c) for c in changed])}
            powers |= {f.o for f in new if f.p == POWER}
            # a node that becomes (or stops being) a target of a shape with sh:targetObjectsOf
            targeting = {p for shape in validator.core.shapes for p in shape.target_objects_of}
            nodes = {f.o for f in new + gone if f.o[0] in "<_" and f.p in targeting}
            focus = changed | _referrers(data, new, changed, snapshot) | nodes
            chosen = {a for p in powers for a in data.inverse(POWER).get(p, ())}
            reached = {f.o for f in new if f.o[0] in "<_"}     # what the draft's own triples lead to
            before_data = sub_index(data, chosen | focus | reached, snapshot.layout)
            # the structure shapes read only the focus nodes and what they lead to
            before_shapes = sub_index(data, focus | reached, snapshot.layout)
        new, gone = [f.triple for f in new], [f.triple for f in gone]
        after_data = before_data.overlay(add=new, remove=gone)
        after_shapes = after_data if full else before_shapes.overlay(add=new, remove=gone)
        known = snapshot.registry_findings(powers, focus)
        if known is None:
            before, before_table = _findings(validator, before_data, powers, focus, effective, before_shapes)
        else:
            before_table = AssignmentTable(before_data, powers)
            before = sorted(known + _no_holder(validator, before_table, powers, effective), key=Finding.sort_key)
        after, after_table = _findings(validator, after_data, powers, focus, effective, after_shapes)
    rows = {iri(r.assignment): r for r in draft.rows}
    introduced, resolved = _tied(set(after) - set(before), set(before) - set(after), rows, ended, snapshot,
                                 after_data)
    changes = _changes(draft, rows, before_table, after_table, ended)
    scope = {"mode": "full" if full else "incremental",
             "powers": len(powers) if powers is not None else len(after_table.by_power),
             "focus": len(focus) if focus is not None else None,
             "assignments": sum(len(g) for g in after_table.by_power.values())}
    labels = {a: a.provision.label(catalogue) for a in draft.amendments if a.provision}
    return DraftReport(draft, effective, introduced, resolved, changes, ended, lang,
                       Report(before, None, None, lang, before_data, validator),
                       Report(after, None, None, lang, after_data, validator), scope, notes, labels)


def full_findings(validator: Validator, data: DataIndex, at: dt.date | None) -> list[Finding]:
    """What a draft check compares: every finding of `validate` (no date) and, on `at`, every power
    nobody holds that day (tqsh:NoHolderOnDate).

    `check_draft`'s introduced and resolved findings are the difference of this on the registry and
    on the registry with the draft applied as data.
    """
    return _findings(validator, data, None, None, at)[0]


def _findings(validator: Validator, data: DataIndex, powers: set[Term] | None, focus: set[Term] | None,
              at: dt.date | None, shapes_data: DataIndex | None = None) -> tuple[list[Finding], AssignmentTable]:
    """Structure findings on `focus`, rule findings of `powers` (None: all), NoHolderOnDate on `at`.

    Args:
        shapes_data: the index the structure shapes read (default: `data`), a smaller one will do
            when it holds the focus nodes and what they lead to.
    """
    with paused_gc():
        table = AssignmentTable(data, powers)
        found = validator.core.findings(shapes_data if shapes_data is not None else data, focus=focus)
        found += validate_assignments(table, powers=powers, validator=validator)
        found += _no_holder(validator, table, powers, at)
    return sorted(found, key=Finding.sort_key), table


def _no_holder(validator: Validator, table: AssignmentTable, powers: set[Term] | None,
               at: dt.date | None) -> list[Finding]:
    """tqsh:NoHolderOnDate on `at` for these powers (None: all)."""
    rule = next((r for r in validator.rules if r.iri == NO_HOLDER_RULE), None)
    if at is None or rule is None:
        return []
    targets = sorted(table.by_power if powers is None else set(powers) & set(table.by_power))
    return rule_findings(rule, table, targets, at)


def predicates_of(data: DataIndex) -> dict[Term, tuple[str, ...]]:
    """Each subject of an index and the predicates it has values for (what `sub_index` walks)."""
    found: dict[Term, list[str]] = {}
    with paused_gc():
        for p, mapping in data.by_predicate.items():
            for s in mapping:
                found.setdefault(s, []).append(p)
        return {s: tuple(ps) for s, ps in found.items()}


def sub_index(data: DataIndex, seeds: Iterable[Term],
              layout: dict[Term, tuple[str, ...]] | None = None) -> DataIndex:
    """The part of an index that validating the seeds can read: the seeds and every node their
    values lead to (roles, levels, units and the units they lie within, bases, instruments, classes).

    Validation reads nothing else about a node than its own values and, through them, these nodes:
    so the structure findings of the seeds, and the rule findings of the powers whose assignments
    are all among the seeds, are the same on this sub-index as on the whole one.

    Args:
        layout: `predicates_of(data)`, when kept (a Snapshot keeps it); else computed here.
    """
    layout = layout if layout is not None else predicates_of(data)
    by_predicate = data.by_predicate
    restricted: dict[str, dict[Term, list[Term]]] = {p: {} for p in by_predicate}
    seen = set(seeds)
    todo = list(seen)
    while todo:
        node = todo.pop()
        for p in layout.get(node, ()):
            objects = by_predicate[p][node]
            restricted[p][node] = objects
            for o in objects:
                if o not in seen and o[0] in "<_":
                    seen.add(o)
                    todo.append(o)
    sub = data.overlay()
    sub.by_predicate = restricted
    return sub


class Fact(NamedTuple):
    """A triple of the draft with the index form of its parts, computed once."""

    triple: ox.Triple
    s: Term
    p: str
    o: Term


def _facts(triples: Iterable[ox.Triple]) -> list[Fact]:
    return [Fact(t, str(t.subject), t.predicate.value, str(t.object)) for t in triples]


def _new(data: DataIndex, facts: list[Fact]) -> list[Fact]:
    """The facts that change the index: of a predicate validation reads, not in it yet."""
    found = []
    for f in facts:
        mapping = data.by_predicate.get(f.p)
        if mapping is not None and f.o not in mapping.get(f.s, ()):
            found.append(f)
    return found


def _referrers(data: DataIndex, new: list[Fact], changed: set[Term], snapshot: Snapshot) -> set[Term]:
    """Nodes whose values are changed nodes: their class and value constraints may judge differently."""
    found = {f.s for f in new if f.o in changed}
    existing = [c for c in changed if c not in snapshot.assignments
                and any(c in mapping for mapping in data.by_predicate.values())]
    for predicate in data.by_predicate if existing else ():
        inverse = data.inverse(predicate)
        for c in existing:
            found.update(inverse.get(c, ()))
    return found


def _earliest_start(facts: list[Fact]) -> dt.date | None:
    starts = [d for d in (term_date(f.o) for f in facts if f.p == VALID_FROM) if d is not None]
    return min(starts) if starts else None


def _own_dates(draft: Draft, facts: list[Fact], effective: dt.date, catalogue: Catalogue) -> list[ox.Triple]:
    """The draft instrument: in force from the effective date, its name, title and issuer; RDF
    assignments without a start take the date."""
    date = ox.Literal(effective.isoformat(), datatype=ox.NamedNode(ns.XSD + "date"))
    added = []
    if draft.kind != "rdf":
        instrument = ox.NamedNode(ns.instrument_iri(draft.number))
        added.append(ox.Triple(instrument, ox.NamedNode(IN_FORCE), date))
        added.append(ox.Triple(instrument, ox.NamedNode(ns.RDFS + "label"),
                               ox.Literal(instrument_designation(draft.number, catalogue), language="vi")))
        added.append(ox.Triple(instrument, ox.NamedNode(ns.ELI + "title"), ox.Literal(draft.title, language="vi")))
        issuer = instrument_issuer(draft.number, catalogue)
        if issuer is not None:  # a grant by the body passing the draft rests on the draft (tqsh:GrantorDoesNotHold)
            added.append(ox.Triple(instrument, ox.NamedNode(ns.ELI + "passed_by"), ox.NamedNode(ns.role_iri(issuer))))
        return added
    started = {f.s for f in facts if f.p == VALID_FROM}
    for r in draft.rows:
        if iri(r.assignment) not in started:
            added.append(ox.Triple(ox.NamedNode(r.assignment), ox.NamedNode(VALID_FROM), date))
    return added


def _matched_powers(draft: Draft, snapshot: Snapshot, catalogue: Catalogue) -> Draft:
    """A Word draft's powers are named by the draft's own provisions; a power whose defining provision
    is that of exactly one registry power is taken to be that power."""
    if draft.kind != "text":
        return draft
    known = snapshot.powers
    matched = {}
    rows = []
    for row in draft.template_rows:
        power = iri(ns.power_iri(row.power_id))
        candidates = snapshot.powers_by_provision.get(ns.fold(row.defining_provision), []) \
            if row.defining_provision else []
        if power not in known and len(candidates) == 1:
            found = candidates[0][1:-1].rsplit("/", 1)[-1]
            matched[row.id] = found
            row = replace(row, power_id=found)
        rows.append(row)
    if not matched:
        return draft
    quads = rows_to_quads(rows, draft.graph, catalogue)
    draft_rows = [replace(r, power_id=matched.get(r.id, r.power_id), matched_power=matched.get(r.id, ""))
                  for r in draft.rows]
    return replace(draft, quads=quads, rows=draft_rows, template_rows=rows)


def _check_against_registry(draft: Draft, snapshot: Snapshot, catalogue: Catalogue) -> None:
    data = snapshot.index
    if draft.kind != "rdf" and data.values(iri(ns.instrument_iri(draft.number)), RDF_TYPE):
        raise InputError(f"{draft.number} is already an instrument of the registry; a draft's rows cite the draft "
                         "itself", file=draft.file, field="instrument")
    for r in draft.rows:
        if draft.kind != "rdf" and iri(r.assignment) in snapshot.assignments:
            raise InputError(f"id {r.id!r} is already an assignment of the registry; a draft's ids are new",
                             file=draft.file, row=r.row, field="id")
    for a in draft.amendments:
        instrument = iri(_instrument_of(a.target))
        if not data.values(instrument, RDF_TYPE) and not data.values(instrument, ns.ELI + "id_local"):
            named = a.provision.number if a.provision else a.target
            raise InputError(f"the draft {a.relation} {named}, which the registry does not have", file=draft.file,
                             field=a.relation)


def _instrument_of(target: str) -> str:
    """The instrument IRI of an instrument, article, clause or point IRI (namespaces.subdivision_iri)."""
    return target.split("/dieu-", 1)[0]


def _ended(data: DataIndex, draft: Draft, effective: dt.date, draft_powers: set[Term],
           catalogue: Catalogue) -> tuple[list[Ended], list[ox.Triple], list[ox.Triple], list[str]]:
    """The registry assignments the draft's repeals and amendments end, as triples to remove and add."""
    basis_of = data.inverse(LEGAL_BASIS)
    parts_of = data.inverse(INSTRUMENT)
    ended: list[Ended] = []
    removed: list[ox.Triple] = []
    added: list[ox.Triple] = []
    notes: list[str] = []
    done: set[Term] = set()
    until = ox.NamedNode(VALID_UNTIL)
    date = ox.Literal(effective.isoformat(), datatype=ox.NamedNode(ns.XSD + "date"))
    for amendment in draft.amendments:
        target = iri(amendment.target)
        prefix = target[:-1] + "/"
        bases = {target} | {s for s in parts_of.get(iri(_instrument_of(amendment.target)), ())
                            if s == target or s.startswith(prefix)}
        hits = 0
        for basis in sorted(bases):
            for a in basis_of.get(basis, ()):
                if a in done:
                    continue
                if amendment.relation == "amends" and not set(data.values(a, POWER)) & draft_powers:
                    continue
                starts = [d for d in map(term_date, data.values(a, VALID_FROM)) if d is not None]
                ends = [d for d in map(term_date, data.values(a, VALID_UNTIL)) if d is not None]
                end = min(ends) if ends else None
                if not starts or (end is not None and end <= effective):
                    continue
                done.add(a)
                hits += 1
                node = to_ox(a)
                if min(starts) >= effective:
                    removed += [ox.Triple(node, ox.NamedNode(p), to_ox(o))
                                for p, mapping in data.by_predicate.items() for o in mapping.get(a, ())]
                    ended.append(Ended(a[1:-1], amendment, end, None))
                else:
                    removed += [ox.Triple(node, until, to_ox(o)) for o in data.values(a, VALID_UNTIL)]
                    added.append(ox.Triple(node, until, date))
                    ended.append(Ended(a[1:-1], amendment, end, effective))
        if not hits:
            what = amendment.provision.label(catalogue) if amendment.provision else amendment.target
            kept = " whose power the draft restates" if amendment.relation == "amends" else ""
            notes.append(f"{amendment.relation} {what}: no assignment of the registry{kept} is in force on or "
                         f"after {effective.isoformat()} under it")
    return sorted(ended, key=lambda e: e.assignment), removed, added, notes


def _tied(introduced: set[Finding], resolved: set[Finding], rows: dict[Term, DraftRow], ended: list[Ended],
          snapshot: Snapshot, data: DataIndex) -> tuple[list[DraftFinding], list[DraftFinding]]:
    """Each finding with the draft rows, registry assignments and repeals it is about, and its counterpart."""
    by_power: dict[Term, list[DraftRow]] = {}
    for node, row in rows.items():
        for p in data.values(node, POWER):
            by_power.setdefault(p, []).append(row)
    ended_by = {iri(e.assignment): e for e in ended}

    def identity(f: Finding) -> tuple:
        return (f.rule, f.severity, f.component, f.path, f.focus, f.value, f.other)

    def tie(f: Finding, others: dict[tuple, Finding]) -> DraftFinding:
        parties = [key(x) for x in (f.value, f.other) if x is not None]
        own = [rows[p] for p in parties if p in rows] or ([rows[key(f.focus)]] if key(f.focus) in rows else [])
        return DraftFinding(f, own or by_power.get(key(f.focus), []),
                            [p[1:-1] for p in parties if p in snapshot.assignments],
                            [ended_by[p] for p in parties if p in ended_by], others.get(identity(f)))

    after = {identity(f): f for f in introduced}
    before = {identity(f): f for f in resolved}
    order = Finding.sort_key
    return ([tie(f, before) for f in sorted(introduced, key=order)],
            [tie(f, after) for f in sorted(resolved, key=order)])


def _changes(draft: Draft, rows: dict[Term, DraftRow], before: AssignmentTable, after: AssignmentTable,
             ended: list[Ended]) -> list[Change]:
    """Draft rows whose power the registry gives to another holder (or in another mode) on the row's first day.

    Assignments are compared as tqsh:Overlap compares them: two that are neither decentralisations
    nor delegations, or two grants by the same grantor, over places that overlap.
    """
    ends = {iri(e.assignment): e for e in ended}
    changes = []
    for power, group in after.by_power.items():
        for new in group:
            row = rows.get(new.iri)
            if row is None or not new.starts:
                continue
            day = min(new.starts)
            for old in before.rows(power):
                a = old.assignment
                if a.iri in rows or not (old.start <= day and (old.end is None or day < old.end)):
                    continue
                if (a.is_grant or new.is_grant) and not set(a.grantors) & set(new.grantors):
                    continue
                if old.holder not in new.holders:
                    kind = "holder"
                elif set(a.modes) != set(new.modes) or set(a.grantors) != set(new.grantors):
                    kind = "mode"
                else:
                    continue
                if not after.places_overlap(a, new):
                    continue
                stop = ends.get(a.iri)
                handover = stop is not None and (stop.ends is None or stop.ends <= day)
                changes.append(Change(row, power[1:-1], a.iri[1:-1], day, old.holder[1:-1],
                                      new.holders[0][1:-1], kind, handover))
    return sorted(changes, key=lambda c: (c.row.row or 0, c.row.id, c.registry_assignment))


__all__ = ["check_draft", "check", "DraftBase", "Snapshot", "DraftReport", "DraftFinding", "Change", "Ended",
           "full_findings", "sub_index", "predicates_of"]
