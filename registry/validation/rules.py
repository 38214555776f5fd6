"""The SHACL-SPARQL rules of rules.ttl executed over the assignment table: the fast engine for rules.

Each function reads one rule's query the way SPARQL evaluates it — the same joins, the same
half-open interval arithmetic, the same period [?from, ?until) — but per power group with sorted
sweeps instead of a query per focus node. It yields (value, other, from, until) solutions; duplicates
collapse, as pyshacl collapses identical solutions. The tests prove the results equal pyshacl's.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from .. import namespaces as ns
from ..errors import RuleError
from .data import Term, iri, key, text_of, to_ox
from .findings import SPARQL_COMPONENT, Finding, format_message
from .shapes import SparqlRule
from .table import UY_QUYEN, AssignmentTable, Row

Solution = tuple[Term, Term, date, date | None]  # value, other, from, until
Rule = Callable[[AssignmentTable, Term, date | None], Iterable[Solution]]

LEVEL_RANK = {iri(ns.TQ + "CentralLevel"): 3, iri(ns.TQ + "ProvinceLevel"): 2,
              iri(ns.TQ + "DistrictLevel"): 1, iri(ns.TQ + "CommuneLevel"): 0}


def _intersection(a: Row, b: Row) -> tuple[date, date | None] | None:
    """[max start, min end) of two rows, or None when empty."""
    start = max(a.start, b.start)
    ends = [e for e in (a.end, b.end) if e is not None]
    end = min(ends) if ends else None
    if end is not None and not start < end:
        return None
    return start, end


def _comparable(a: Row, b: Row) -> bool:
    """Both are not grants, or both are grants by a same grantor (tqsh:Overlap's reading)."""
    x, y = a.assignment, b.assignment
    if not x.is_grant and not y.is_grant:
        return True
    return bool(set(x.grantors) & set(y.grantors))


def _buckets(table: AssignmentTable, rows: list[Row]) -> Iterator[list[Row]]:
    """Groups of rows outside which no two rows are compared by the overlap rules.

    Rows are compared within one class (non-grants, or grants of one grantor) and one place root;
    unscoped rows join every place root of their class.
    """
    if len(rows) < 2:
        return
    classes: dict[Term | None, list[Row]] = {}
    for r in rows:
        if not r.assignment.is_grant:
            classes.setdefault(None, []).append(r)
        for g in set(r.assignment.grantors) if r.assignment.is_grant else ():
            classes.setdefault(g, []).append(r)
    for members in classes.values():
        unscoped = [r for r in members if not r.assignment.scopes]
        roots: dict[Term, list[Row]] = {}
        for r in members:
            for root in {table.root(s) for s in r.assignment.scopes}:
                roots.setdefault(root, []).append(r)
        if not roots:
            yield unscoped
        for scoped in roots.values():
            yield unscoped + scoped


def _pairs_in_time(rows: list[Row]) -> Iterator[tuple[Row, Row, date, date | None]]:
    """Pairs of rows whose intervals intersect, by a sweep over start dates."""
    active: list[Row] = []
    for r in sorted(rows, key=lambda r: r.start):
        if not r.proper:
            continue
        active = [a for a in active if a.end is None or a.end > r.start]
        for a in active:
            span = _intersection(a, r)
            if span is not None:
                yield a, r, span[0], span[1]
        active.append(r)


def overlap(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for bucket in _buckets(table, table.rows(power)):
        for x, y, start, end in _pairs_in_time(bucket):
            tx, ty = _iri_text(x), _iri_text(y)
            if x.holder == y.holder or tx is None or ty is None or tx == ty:
                continue
            a, b = (x, y) if tx < ty else (y, x)
            if not _comparable(a, b) or not table.places_overlap(a.assignment, b.assignment):
                continue
            if b.holder in table.posts_in(a.holder) or a.holder in table.posts_in(b.holder):
                continue
            yield a.assignment.iri, b.assignment.iri, start, end


def _iri_text(r: Row) -> str | None:
    """STR(?assignment): blank nodes have none, so SPARQL drops them from the pair rules."""
    node = r.assignment.iri
    return node[1:-1] if node.startswith("<") else None


def committee_and_chairman(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    rows = table.rows(power)
    by_holder: dict[Term, list[Row]] = {}
    for r in rows:
        by_holder.setdefault(r.holder, []).append(r)
    for post in rows:
        for body in table.posts_in(post.holder):
            for other in by_holder.get(body, ()):
                if other.assignment is post.assignment or not _comparable(post, other):
                    continue
                span = _intersection(post, other)
                if span is not None and table.places_overlap(post.assignment, other.assignment):
                    yield post.assignment.iri, other.assignment.iri, span[0], span[1]


def level_ended_not_taken_over(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    rows = table.rows(power)
    for r in rows:
        for level in table.levels(r.holder):
            for ended in table.ends(level):
                if not (r.start < ended and (r.end is None or r.end >= ended)):
                    continue
                taken_over = any((c.end is None or (c.end > ended and c.start < c.end))
                                 and level not in table.levels(c.holder) for c in rows)
                if not taken_over:
                    yield r.assignment.iri, level, ended, None


def no_holder_on_date(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    if at is None:
        return
    rows = table.rows(power)
    if any(c.start <= at and (c.end is None or at < c.end) for c in rows):
        return
    ended = [r for r in rows if r.end is not None and r.start < r.end <= at]
    if ended:
        last = max(r.end for r in ended)
        for r in ended:
            if r.end == last:
                yield r.assignment.iri, _end_term(r), at, None


def _end_term(r: Row) -> Term:
    return r.assignment.end_terms[r.assignment.ends.index(r.end)]


class _Coverage:
    """The days on which some of a set of rows is in force, as sorted disjoint intervals."""

    def __init__(self, rows: Iterable[Row]):
        proper = sorted((r for r in rows if r.proper), key=lambda r: r.start)
        self.starts = sorted(r.start for r in proper)
        merged: list[list] = []
        for r in proper:
            if merged and (merged[-1][1] is None or r.start <= merged[-1][1]):
                if merged[-1][1] is not None and (r.end is None or r.end > merged[-1][1]):
                    merged[-1][1] = r.end
            else:
                merged.append([r.start, r.end])
        self.begins = [m[0] for m in merged]
        self.intervals = merged

    def covers(self, day: date) -> bool:
        i = bisect_right(self.begins, day) - 1
        return i >= 0 and (self.intervals[i][1] is None or day < self.intervals[i][1])

    def covers_span(self, start: date, end: date | None) -> bool:
        """Every day of [start, end) is covered (end None: every day from start on)."""
        i = bisect_right(self.begins, start) - 1
        if i < 0:
            return False
        stop = self.intervals[i][1]
        return stop is None or (end is not None and end <= stop)

    def next_start(self, day: date) -> date | None:
        """The first start of a row strictly after `day`."""
        i = bisect_right(self.starts, day)
        return self.starts[i] if i < len(self.starts) else None


def interruption(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    rows = table.rows(power)
    coverage = _Coverage(rows)
    for r in rows:
        if r.end is None or not r.start < r.end or coverage.covers(r.end):
            continue
        resumes = coverage.next_start(r.end)
        if resumes is None:
            continue
        for other in rows:
            if other.start == resumes and other.proper:
                yield r.assignment.iri, other.assignment.iri, r.end, resumes


def abolished_holder(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for r in table.rows(power):
        causes = table.ceased(r.holder) + [(unit, e) for unit in r.assignment.scopes for e in table.ends(unit)]
        for other, ended in causes:
            start = max(r.start, ended)
            if r.end is None or start < r.end:
                yield r.assignment.iri, other, start, r.end


def _grants(rows: list[Row]) -> Iterator[tuple[Row, Term]]:
    for r in rows:
        if r.assignment.is_grant:
            for g in r.assignment.grantors:
                yield r, g


def grantor_does_not_hold(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    rows = table.rows(power)
    by_holder: dict[Term, list[Row]] = {}
    for r in rows:
        by_holder.setdefault(r.holder, []).append(r)
    coverages: dict[tuple, tuple[list[Row], _Coverage]] = {}
    for r, grantor in _grants(rows):
        if grantor in table.issuers(r.assignment):
            continue  # the grant rests on the instrument its grantor passed, not on a power it holds
        # where the grantor's own assignments are all unscoped, what they cover does not depend on the place
        scoped = any(h.assignment.scopes for h in by_holder.get(grantor, ()))
        place = (grantor, tuple(r.assignment.scopes)) if scoped else (grantor,)
        if place not in coverages:
            held = [h for h in by_holder.get(grantor, ()) if table.covers_place(h.assignment, r.assignment)]
            coverages[place] = (held, _Coverage(held))
        held, coverage = coverages[place]
        if coverage.covers_span(r.start, r.end):
            continue
        points = {r.start} | {h.end for h in held if h.end is not None and h.start < h.end}
        for day in points:
            if day < r.start or (r.end is not None and not day < r.end) or coverage.covers(day):
                continue
            resumes = coverage.next_start(day)
            end = resumes if resumes is not None and (r.end is None or resumes < r.end) else r.end
            yield r.assignment.iri, grantor, day, end


def upward_grant(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for r, grantor in _grants(table.rows(power)):
        if r.end is not None and not r.start < r.end:
            continue
        for lh in table.levels(r.holder):
            for lg in table.levels(grantor):
                if lh in LEVEL_RANK and lg in LEVEL_RANK and LEVEL_RANK[lh] > LEVEL_RANK[lg]:
                    yield r.assignment.iri, grantor, r.start, r.end


def redelegation(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    rows = table.rows(power)
    delegated: dict[Term, list[Row]] = {}
    for r in rows:
        if UY_QUYEN in r.assignment.modes:
            delegated.setdefault(r.holder, []).append(r)
    for r, grantor in _grants(rows):
        for other in delegated.get(grantor, ()):
            if other.assignment is r.assignment:
                continue
            span = _intersection(r, other)
            if span is not None and table.places_overlap(r.assignment, other.assignment):
                yield r.assignment.iri, other.assignment.iri, span[0], span[1]


def basis_not_yet_in_force(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for r in table.rows(power):
        for instrument, starts, _ in table.bases(r.assignment):
            for start in starts:
                end = r.end if r.end is not None and r.end < start else start
                if r.start < end:
                    yield r.assignment.iri, instrument, r.start, end


def basis_lapses(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for r in table.rows(power):
        for instrument, _, ends in table.bases(r.assignment):
            for ended in ends:
                start = max(r.start, ended)
                if r.end is None or start < r.end:
                    yield r.assignment.iri, instrument, start, r.end


def open_question(table: AssignmentTable, power: Term, at: date | None) -> Iterator[Solution]:
    for r in table.rows(power):
        if r.proper:
            for question in r.assignment.questions:
                yield r.assignment.iri, question, r.start, r.end


RULES: dict[str, Rule] = {
    ns.SHAPES + "Overlap": overlap,
    ns.SHAPES + "CommitteeAndChairman": committee_and_chairman,
    ns.SHAPES + "LevelEndedNotTakenOver": level_ended_not_taken_over,
    ns.SHAPES + "NoHolderOnDate": no_holder_on_date,
    ns.SHAPES + "Interruption": interruption,
    ns.SHAPES + "AbolishedHolder": abolished_holder,
    ns.SHAPES + "GrantorDoesNotHold": grantor_does_not_hold,
    ns.SHAPES + "UpwardGrant": upward_grant,
    ns.SHAPES + "Redelegation": redelegation,
    ns.SHAPES + "BasisNotYetInForce": basis_not_yet_in_force,
    ns.SHAPES + "BasisLapses": basis_lapses,
    ns.SHAPES + "OpenQuestion": open_question,
}

# Rules whose period ends with the finding (no ?until, so ?end is not projected either).
_NO_UNTIL = {ns.SHAPES + "LevelEndedNotTakenOver", ns.SHAPES + "NoHolderOnDate"}


def in_period(at: date | None, start: date, end: date | None) -> bool:
    """The validation date (if any) falls in [start, end)."""
    return at is None or (start <= at and (end is None or at < end))


def rule_findings(rule: SparqlRule, table: AssignmentTable, powers: Iterable[Term], at: date | None) -> list[Finding]:
    """The findings of one rule on some powers.

    Raises:
        RuleError: a rule of the shapes that the fast engine does not implement.
    """
    run = RULES.get(rule.iri)
    if run is None:
        raise RuleError("the fast engine has no implementation of this rule", rule=rule.iri)
    found = []
    for power in (key(p) for p in powers):
        seen = set()
        for solution in run(table, power, at):
            value, other, start, end = solution
            if solution in seen or not in_period(at, start, end):
                continue
            seen.add(solution)
            found.append(_finding(rule, power, value, other, start, end))
    return found


def _finding(rule: SparqlRule, power: Term, value: Term, other: Term, start: date, end: date | None) -> Finding:
    bindings = {"other": text_of(other), "from": start.isoformat()}
    if rule.iri not in _NO_UNTIL:
        if end is not None:
            bindings["until"] = end.isoformat()
        bindings["end"] = end.isoformat() if end is not None else "∞"
    bindings.update({"this": text_of(power), "value": text_of(value)})
    return Finding(rule=rule.iri, severity=rule.severity, focus=to_ox(power), value=to_ox(value),
                   component=SPARQL_COMPONENT, other=to_ox(other), valid_from=start, valid_until=end,
                   messages=tuple(sorted((lang, format_message(text, bindings)) for lang, text in rule.messages.items())))
