"""The assignment table: every assignment of the data index grouped by power, with the facts the rules read.

An assignment takes part in the rules when it has a power, a holder and a start date, and every
date it carries is a valid YYYY-MM-DD xsd:date (the structure shapes report the others). Values are
kept as tuples, because a malformed assignment may carry several; the rules then consider every
combination, as a SPARQL join does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .. import namespaces as ns
from .data import DataIndex, Term, iri, key, term_date

TQ = ns.TQ
POWER = TQ + "power"
HOLDER = TQ + "holder"
VALID_FROM = TQ + "validFrom"
VALID_UNTIL = TQ + "validUntil"
MODE = TQ + "mode"
GRANTOR = TQ + "grantor"
PLACE_SCOPE = TQ + "placeScope"
LEGAL_BASIS = TQ + "legalBasis"
OPEN_QUESTION = TQ + "openQuestion"
LEVEL = TQ + "level"
POST_IN_ROLE = TQ + "postInRole"
WITHIN_UNIT = TQ + "withinUnit"
INSTRUMENT = TQ + "instrument"
IN_FORCE = ns.ELI + "first_date_entry_in_force"
NO_LONGER_IN_FORCE = ns.ELI + "date_no_longer_in_force"
PASSED_BY = ns.ELI + "passed_by"

# Everything the rules read from the index.
PREDICATES = (POWER, HOLDER, VALID_FROM, VALID_UNTIL, MODE, GRANTOR, PLACE_SCOPE, LEGAL_BASIS, OPEN_QUESTION,
              LEVEL, POST_IN_ROLE, WITHIN_UNIT, INSTRUMENT, IN_FORCE, NO_LONGER_IN_FORCE, PASSED_BY)

PHAN_CAP = iri(TQ + "PhanCap")
UY_QUYEN = iri(TQ + "UyQuyen")
GRANT_MODES = frozenset({PHAN_CAP, UY_QUYEN})


@dataclass(slots=True, eq=False)
class Assignment:
    """One assignment with all its values (usually one each)."""

    iri: Term
    holders: Sequence[Term]
    starts: Sequence[date]
    ends: Sequence[date]                # empty: no known end
    end_terms: Sequence[Term]
    modes: Sequence[Term]
    grantors: Sequence[Term]
    scopes: Sequence[Term]
    bases: Sequence[Term]
    questions: Sequence[Term]
    is_grant: bool                      # a decentralisation (phân cấp) or delegation (ủy quyền)


@dataclass(slots=True)
class Row:
    """One combination of an assignment's holder, start and end, as one SPARQL solution binds them."""

    assignment: Assignment
    holder: Term
    start: date
    end: date | None

    @property
    def proper(self) -> bool:
        """In force on some day: the end is after the start (or there is no end)."""
        return self.end is None or self.start < self.end


def dates(values: list[Term]) -> tuple[list[date], list[Term], bool]:
    """The dates of xsd:date literals; the flag is False when some value is not a valid date."""
    if len(values) == 1:
        d = term_date(values[0])
        return ([d], values, True) if d is not None else ([], [], False)
    found, terms, ok = [], [], True
    for v in values:
        d = term_date(v)
        if d is None:
            ok = False
        else:
            found.append(d)
            terms.append(v)
    return found, terms, ok


class AssignmentTable:
    """Assignments grouped by power, and lookups of the roles, levels, units and instruments they name.

    Args:
        data: the data index (must hold `PREDICATES`).
        powers: build the groups of these powers only (default: every power).
    """

    def __init__(self, data: DataIndex, powers: Iterable[Term] | None = None):
        self.data = data
        self.by_power: dict[Term, list[Assignment]] = {}
        o = data.objects
        self._holder, self._from, self._until = o(HOLDER), o(VALID_FROM), o(VALID_UNTIL)
        self._mode, self._grantor, self._scope = o(MODE), o(GRANTOR), o(PLACE_SCOPE)
        self._basis, self._question = o(LEGAL_BASIS), o(OPEN_QUESTION)
        power_of = data.objects(POWER)
        if powers is None:
            subjects: Iterable[Term] = power_of
        else:
            powers = [key(p) for p in powers]
            inverse = data.inverse(POWER)
            subjects = {s for p in powers for s in inverse.get(p, ())}
        for s in subjects:
            a = self._assignment(s)
            if a is not None:
                for p in power_of.get(s, ()):
                    self.by_power.setdefault(p, []).append(a)
        if powers is not None:
            wanted = set(powers)
            self.by_power = {p: group for p, group in self.by_power.items() if p in wanted}
        self._ancestors: dict[Term, frozenset[Term]] = {}
        self._ends: dict[tuple[Term, str], tuple[date, ...]] = {}
        self._rows: dict[Term, list[Row]] = {}
        self._bases: dict[Term, list[tuple[Term, tuple[date, ...], tuple[date, ...]]]] = {}
        self._ceased: dict[Term, list[tuple[Term, date]]] = {}
        self._issuers: dict[Term, frozenset[Term]] = {}

    def _assignment(self, s: Term) -> Assignment | None:
        holders = self._holder.get(s, ())
        from_values = self._from.get(s, ())
        if not holders or not from_values:
            return None
        starts, _, starts_ok = dates(from_values)
        ends, end_terms, ends_ok = dates(self._until.get(s, ()))
        if not starts_ok or not ends_ok:
            return None
        # the index's own lists: an index is never changed in place (overlays copy what they change)
        modes = self._mode.get(s, ())
        return Assignment(s, holders, starts, ends, end_terms, modes, self._grantor.get(s, ()),
                          self._scope.get(s, ()), self._basis.get(s, ()), self._question.get(s, ()),
                          not GRANT_MODES.isdisjoint(modes))

    def rows(self, power: Term) -> list[Row]:
        """Every (holder, start, end) combination of the power's assignments (computed once)."""
        found = self._rows.get(power)
        if found is None:
            found = self._rows[power] = [Row(a, h, f, u) for a in self.by_power.get(power, ())
                                         for h in a.holders for f in a.starts for u in (a.ends or (None,))]
        return found

    def ends(self, node: Term, predicate: str = VALID_UNTIL) -> tuple[date, ...]:
        """The valid dates of a date property of a role, level, unit or instrument (others ignored)."""
        key = (node, predicate)
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = tuple(dates(self.data.values(node, predicate))[0])
        return found

    def bases(self, a: Assignment) -> list[tuple[Term, tuple[date, ...], tuple[date, ...]]]:
        """(instrument, in-force dates, no-longer-in-force dates) of each instrument an assignment cites."""
        found = []
        for basis in a.bases:
            dated = self._bases.get(basis)
            if dated is None:
                dated = self._bases[basis] = [(i, self.ends(i, IN_FORCE), self.ends(i, NO_LONGER_IN_FORCE))
                                              for i in self.instruments(basis)]
            found += dated
        return found

    def issuers(self, a: Assignment) -> frozenset[Term]:
        """The bodies that passed the instruments an assignment cites (eli:passed_by of each basis's tq:instrument)."""
        if len(a.bases) == 1:
            return self._issuers_of(a.bases[0])
        return frozenset().union(*map(self._issuers_of, a.bases))

    def _issuers_of(self, basis: Term) -> frozenset[Term]:
        found = self._issuers.get(basis)
        if found is None:
            found = self._issuers[basis] = frozenset(issuer for i in self.instruments(basis)
                                                     for issuer in self.data.values(i, PASSED_BY))
        return found

    def ceased(self, holder: Term) -> list[tuple[Term, date]]:
        """(the role or its level, the day it ceased) for a holder whose role or level ended."""
        found = self._ceased.get(holder)
        if found is None:
            found = [(holder, e) for e in self.ends(holder)]
            found += [(level, e) for level in self.levels(holder) for e in self.ends(level)]
            self._ceased[holder] = found
        return found

    def levels(self, role: Term) -> list[Term]:
        return self.data.values(role, LEVEL)

    def posts_in(self, role: Term) -> list[Term]:
        """The bodies a post belongs to (tq:postInRole)."""
        return self.data.values(role, POST_IN_ROLE)

    def instruments(self, basis: Term) -> list[Term]:
        return self.data.values(basis, INSTRUMENT)

    def ancestors(self, unit: Term) -> frozenset[Term]:
        """Every unit a unit lies within (tq:withinUnit+), not the unit itself unless on a cycle."""
        found = self._ancestors.get(unit)
        if found is None:
            seen: set[Term] = set()
            todo = list(self.data.values(unit, WITHIN_UNIT))
            while todo:
                u = todo.pop()
                if u not in seen:
                    seen.add(u)
                    todo.extend(self.data.values(u, WITHIN_UNIT))
            found = self._ancestors[unit] = frozenset(seen)
        return found

    def root(self, unit: Term | None) -> Term | None:
        """A key shared by every unit that can overlap `unit` in place: its outermost ancestors."""
        if unit is None:
            return None
        outer = [u for u in self.ancestors(unit) if not self.data.values(u, WITHIN_UNIT)]
        return min(outer, key=str) if outer else unit

    def places_overlap(self, a: Assignment, b: Assignment) -> bool:
        """Some place of `a` overlaps some place of `b` (no scope: everywhere)."""
        if not a.scopes or not b.scopes:
            return True
        return any(s1 == s2 or s2 in self.ancestors(s1) or s1 in self.ancestors(s2)
                   for s1 in a.scopes for s2 in b.scopes)

    def covers_place(self, c: Assignment, a: Assignment) -> bool:
        """`c` applies everywhere `a` does: `c` is unscoped, or some scope of `a` is a scope of `c` or lies within one."""
        if not c.scopes:
            return True
        return any(sa == sc or sc in self.ancestors(sa) for sa in a.scopes for sc in c.scopes)
