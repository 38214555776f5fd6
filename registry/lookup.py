"""Who is competent? For a task, a place and a date: the concrete authority, its role and level, the
mode, the grantor chain and the legal basis — answered from an in-memory index of the store.

The index (`LookupIndex`) is read from the store with a few SPARQL queries and kept per store;
`IndexCache` rebuilds it when the store's write generation changes. Answers are JSON-LD documents
(plain dicts with an `@context`), the same for the API and the command line.

Concrete authorities are never stored: "Chủ tịch Ủy ban nhân dân phường Hoàn Kiếm, thành phố Hà Nội"
is the role's tq:concreteLabelPattern with {unit} = the unit and the units above it, and its IRI is
`namespaces.concrete_authority_iri(role, code)`; a legacy unit's code is prefixed "legacy-" there
because the 2025 code lists reuse old commune codes.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import namespaces as ns
from .errors import NotFoundError, UsageError
from .lookup_data import (AUTHORITY_TYPES, Assignment, Concept, LegalBasis, Role, by_valid_from, legal_basis_of,
                          local_name, read_registry)
from .places import LEVELS, Places, Territory, Unit, type_phrase
from .store import Backend
from .tasks import Power, TaskIndex, load_powers

# --- JSON-LD contexts ------------------------------------------------------------------------

_COMMON = {
    "tq": ns.TQ, "skos": ns.SKOS, "dcterms": ns.DCTERMS, "eli": ns.ELI, "prov": ns.PROV, "cv": ns.CV,
    "rdfs": ns.RDFS, "xsd": ns.XSD,
    "id": "dcterms:identifier",
    "name": {"@id": "skos:prefLabel", "@language": "vi"},
    "name_en": {"@id": "skos:prefLabel", "@language": "en"},
    "label": {"@id": "rdfs:label", "@language": "vi"},
    "label_en": {"@id": "rdfs:label", "@language": "en"},
    "code": "tq:unitCode",
    "level": {"@id": "tq:level"},
    "within": {"@id": "tq:withinUnit"},
    "province": {"@id": "dcterms:isPartOf"},
    "valid_from": {"@id": "tq:validFrom", "@type": "xsd:date"},
    "valid_until": {"@id": "tq:validUntil", "@type": "xsd:date"},
    "role": {"@id": "tq:hasRole"},
    "unit": {"@id": "tq:ofUnit"},
    "post_in": {"@id": "tq:postInRole", "@type": "@id"},
    "power": {"@id": "tq:power", "@type": "@id"},
    "holder": {"@id": "tq:holder"},
    "mode": {"@id": "tq:mode"},
    "grantor": {"@id": "tq:grantor"},
    "former_holders": {"@id": "tq:formerHolder"},
    "place_scope": {"@id": "tq:placeScope"},
    "open_question": {"@id": "tq:openQuestion"},
    "legal_basis": {"@id": "tq:legalBasis"},
    "instrument": {"@id": "tq:instrument"},
    "number": {"@id": "eli:id_local"},
    "title": {"@id": "eli:title", "@language": "vi"},
    "source": {"@id": "dcterms:source", "@type": "@id"},
    "sector": {"@id": "tq:sector"},
    "defining_provision": {"@id": "tq:definingProvision"},
    "assignment": {"@id": "prov:wasDerivedFrom"},
    "successors": {"@id": "tq:succeededBy"},
    "predecessors": {"@reverse": "tq:succeededBy"},
}

#: /authority: the answer is a blank node about the task (dcterms:subject), at a place
#: (dcterms:spatial), on a date, whose competent authorities are cv:hasCompetentAuthority.
AUTHORITY_CONTEXT = _COMMON | {
    "task": {"@id": "dcterms:subject"},
    "place": {"@id": "dcterms:spatial"},
    "date": {"@id": "dcterms:date", "@type": "xsd:date"},
    "authorities": {"@id": "cv:hasCompetentAuthority"},
}
#: /tasks/{id}: the power itself; its timeline are the assignments whose tq:power it is.
TASK_CONTEXT = _COMMON | {"timeline": {"@reverse": "tq:power"}}
#: /tasks?q=: a list of powers.
SEARCH_CONTEXT = _COMMON | {"results": "@graph"}
#: /places/{code}: the unit itself; its authorities are the concrete authorities tq:ofUnit it.
PLACE_CONTEXT = _COMMON | {"authorities": {"@reverse": "tq:ofUnit"}}

def parse_date(value: str | date | None) -> date:
    """A date from YYYY-MM-DD (None: today).

    >>> parse_date("2025-08-01")
    datetime.date(2025, 8, 1)

    Raises:
        UsageError: not a YYYY-MM-DD date.
    """
    if value is None or value == "":
        return date.today()
    if isinstance(value, date):
        return value
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"ngày không hợp lệ / not a date: {value!r}; use YYYY-MM-DD, e.g. 2025-08-01") from None


def _vn_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(eq=False)
class LookupIndex:
    """Everything a lookup needs, in memory: places, powers, roles, bases and assignments per power."""

    places: Places
    tasks: TaskIndex
    roles: dict[str, Role]
    concepts: dict[str, Concept]
    bases: dict[str, LegalBasis]
    assignments: dict[str, list[Assignment]]    # power IRI → assignments sorted by valid_from
    generation: int | None = None
    built_at: float = field(default_factory=time.monotonic)
    _json: dict = field(default_factory=dict, repr=False)
    _held: dict = field(default_factory=dict, repr=False)
    # Per power: the assignments without tq:placeScope, and the scoped ones by scope unit — a
    # national registry is mostly provinces' and communes' own delegations, each scoped to itself.
    _general: dict = field(default_factory=dict, repr=False)
    _scoped: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for power, items in self.assignments.items():
            for a in items:
                if not a.place_scope:
                    self._general.setdefault(power, []).append(a)
                for scope in a.place_scope:
                    self._scoped.setdefault(power, {}).setdefault(scope, []).append(a)

    # --- building ------------------------------------------------------------------------------

    @classmethod
    def load(cls, backend: Backend, places: Places | None = None) -> "LookupIndex":
        """Read the index from the store: units, powers, roles, concepts, legal texts, assignments.

        Args:
            places: reuse an already-read units index (units rarely change).
        """
        backend = backend.snapshot()  # one state of the store for every query below
        generation = getattr(backend, "generation", None)
        concepts, roles, bases, assignments = read_registry(backend)
        return cls(places=places or Places.load(backend), tasks=TaskIndex(load_powers(backend).values()),
                   roles=roles, concepts=concepts, bases=bases, assignments=assignments, generation=generation)

    # --- resolving names -----------------------------------------------------------------------

    def task(self, text: str) -> Power:
        """The power named by its id, IRI or label.

        Raises:
            NotFoundError: no such power, with the closest ones as suggestions.
        """
        power = self.tasks.find(text)
        if power is not None:
            return power
        suggestions = self.tasks.suggest(text)
        hint = f"; có phải / did you mean: {'; '.join(p.key for p in suggestions)}?" if suggestions else ""
        raise NotFoundError(f"không có thẩm quyền / no task '{text}'{hint}", suggestions)

    def place(self, text: str | Unit) -> Unit:
        return text if isinstance(text, Unit) else self.places.find(text)

    def role(self, iri: str) -> Role:
        role = self.roles.get(iri)
        if role is None:  # a holder not in the catalogue: still answer, named by its key
            key = iri.rsplit("/role/", 1)[-1]
            role = self.roles[iri] = Role(iri=iri, key=key, label=key)
        return role

    # --- the questions -------------------------------------------------------------------------

    def lookup(self, task: str, place: str | Unit, at: str | date | None = None) -> dict:
        """Who is competent for `task` at `place` on `at` (default today)?

        Returns:
            a JSON-LD answer: task, place, date, status ("competent", "candidates" when several
            authorities answer — e.g. a 2025 commune formed from several districts, asked about a
            date before 1 July 2025 —, or "no_competent_authority" with the nearest assignments
            before and after, and the former holders the next assignment's text names, resolved
            for the place on that date), a message in Vietnamese and English, and the authorities.
        Raises:
            NotFoundError: unknown task or place (with suggestions).
            AmbiguousError: a place name that matches several units.
            UsageError: `at` is not a YYYY-MM-DD date.
        """
        day = parse_date(at)
        power = self.task(task)
        unit = self.place(place)
        timeline = self._relevant(power, unit)
        competent = self._competences(power, timeline, unit, day)
        answer = {
            "@context": AUTHORITY_CONTEXT,
            "task": self._power_json(power),
            "place": self._unit_json(unit),
            "date": day.isoformat(),
        }
        if competent:
            answer["status"] = "competent" if len(competent) == 1 else "candidates"
            answer["message"] = self._message(answer["status"], competent, unit, day)
            answer["authorities"] = competent
            return answer
        before, after = self._nearest(power, timeline, unit, day)
        answer["status"] = "no_competent_authority"
        answer["authorities"] = []
        answer["nearest_before"] = before
        answer["nearest_after"] = after
        answer["former_holders"] = self._former_holders(power, timeline, unit, day, after)
        answer["message"] = self._none_message(unit, day, before, after, answer["former_holders"])
        return answer

    def timeline(self, task: str) -> dict:
        """The power, its defining provision and every assignment of it in date order.

        Raises:
            NotFoundError: unknown task (with suggestions).
        """
        power = self.task(task)
        return {"@context": TASK_CONTEXT, **self._power_json(power),
                "timeline": [self._assignment_json(a) for a in self.assignments.get(power.iri, [])]}

    def search(self, q: str = "", *, sector: str | None = None, level: str | None = None,
               holder: str | None = None, at: str | date | None = None, limit: int = 20, offset: int = 0) -> dict:
        """Powers matching `q` (Vietnamese with or without diacritics, or English), best first.

        Args:
            sector: sector id or name; level: central / province / commune / district (or "cấp xã"…);
            holder: role id or name — keep powers with an assignment of that level / holder
            (in force on `at`, when given).
        Raises:
            UsageError: an unknown sector, level or holder, or a bad date.
        """
        day = parse_date(at) if at else None
        keep = self._filters(sector, level, holder, day)
        ranked = self.tasks.search(q, keep)
        if not q.strip():
            ranked.sort(key=lambda item: item[0].label)
        return {
            "@context": SEARCH_CONTEXT,
            "query": {"q": q, "sector": sector, "level": level, "holder": holder,
                      "date": day.isoformat() if day else None, "limit": limit, "offset": offset},
            "total": len(ranked),
            "results": [self._power_json(p) | {"score": score} for p, score in ranked[offset:offset + limit]],
        }

    def place_profile(self, code: str, at: str | date | None = None) -> dict:
        """The unit, its province, its predecessors/successors and its authorities: the roles of its
        level, each with the number of powers it holds there on `at` (default today, or the last day
        of a legacy unit).

        Raises:
            NotFoundError: unknown place (with suggestions); AmbiguousError; UsageError (bad date).
        """
        unit = self.place(code)
        if at:
            day = parse_date(at)
        elif unit.valid_until is not None:
            day = unit.valid_until - timedelta(days=1)
        else:
            day = max(date.today(), unit.valid_from or date.min)
        authorities = []
        for role in self.roles.values():
            if role.level != unit.level:
                continue
            powers = {a.power for a in self._held_at(role.iri, unit) if a.in_force(day)}
            terr = Territory(unit, unit)
            authorities.append(self._authority_json(role, terr) | {"powers": len(powers)})
        authorities.sort(key=lambda a: (-a["powers"], a["name"]))
        profile = {"@context": PLACE_CONTEXT, **self._unit_json(unit)}
        profile["predecessors"] = [self._unit_ref(self.places.by_iri[i]) for i in unit.predecessors]
        profile["successors"] = [self._unit_ref(self.places.by_iri[i]) for i in unit.successors]
        profile["date"] = day.isoformat()
        profile["exists_on_date"] = unit.exists_on(day)
        profile["authorities"] = authorities
        return profile

    # --- internals -----------------------------------------------------------------------------

    def _held_at(self, role_iri: str, unit: Unit) -> Iterable[Assignment]:
        """The assignments held by a role that can apply at `unit` (unscoped, or scoped above it)."""
        if not self._held:
            for items in self.assignments.values():
                for a in items:
                    general, scoped = self._held.setdefault(a.holder, ([], {}))
                    if not a.place_scope:
                        general.append(a)
                    for scope in a.place_scope:
                        scoped.setdefault(scope, []).append(a)
        general, scoped = self._held.get(role_iri, ((), {}))
        yield from general
        for key in self.places.enclosing(unit):
            yield from scoped.get(key, ())

    def _filters(self, sector, level, holder, day):
        tests = []
        if sector:
            wanted = ns.fold(sector)
            sectors = {p.sector.iri for p in self.tasks.powers if p.sector and wanted in (
                p.sector.key, p.sector.iri, ns.fold(p.sector.label or ""), ns.fold(p.sector.label_en or ""))}
            if not sectors:
                known = sorted({p.sector.label or p.sector.key for p in self.tasks.powers if p.sector})
                raise UsageError(f"unknown sector {sector!r}; known: {', '.join(known[:20])}")
            tests.append(lambda p: p.sector is not None and p.sector.iri in sectors)
        roles = None
        if level:
            wanted = ns.fold(level)
            levels = {c.key for c in self.concepts.values() if c.iri.rsplit("#", 1)[-1] in LEVELS and wanted in (
                c.key, ns.fold(c.label or ""), ns.fold(c.label_en or ""))} | ({wanted} & set(LEVELS.values()))
            if not levels:
                raise UsageError(f"unknown level {level!r}; use central, province, commune or district")
            roles = {r.iri for r in self.roles.values() if r.level in levels}
        if holder:
            wanted = ns.fold(holder)
            named = {r.iri for r in self.roles.values() if wanted in (r.key, r.iri, ns.fold(r.label))}
            if not named:
                raise UsageError(f"unknown holder {holder!r}")
            roles = named if roles is None else roles & named
        if roles is not None:
            def held(p, roles=roles):
                return any(a.holder in roles and (day is None or a.in_force(day)) for a in self.assignments.get(p.iri, ()))
            tests.append(held)
        if not tests:
            return None
        return lambda p: all(t(p) for t in tests)

    def _relevant(self, power: Power, unit: Unit) -> list[Assignment]:
        """The assignments of `power` that can apply at `unit` at some date, sorted by valid_from:
        the unscoped ones, and those scoped to the unit, a unit above it, or a unit it was formed
        from or became (and the units above those)."""
        general = self._general.get(power.iri, [])
        scoped = self._scoped.get(power.iri)
        if not scoped:
            return general
        keys = set(self.places.enclosing(unit))
        for iri in (*unit.predecessors, *unit.successors):
            keys |= self.places.enclosing(self.places.by_iri[iri])
        found = {a.iri: a for key in keys for a in scoped.get(key, ())}
        if not found:
            return general
        return sorted([*general, *found.values()], key=by_valid_from)

    def _competences(self, power: Power, timeline: list[Assignment], unit: Unit, day: date) -> list[dict]:
        """The authorities competent at `unit` on `day` among `timeline` (sorted by valid_from).

        A holder that granted the power on to another holder in force the same day (tq:grantor of
        a phân cấp / ủy quyền) is not listed itself: it appears in that holder's grantor chain.
        """
        end = bisect.bisect_right(timeline, day, key=lambda a: a.valid_from or date.min)
        scopes = None
        hits: list[tuple[Assignment, Role, Territory]] = []
        for a in timeline[:end]:
            if a.valid_until is not None and day >= a.valid_until:
                continue
            role = self.role(a.holder)
            for terr in self.places.territories(unit, role.level, day):
                if a.place_scope:
                    if scopes is None:
                        scopes = self.places.enclosing(unit)
                    if scopes.isdisjoint(a.place_scope) and self.places.enclosing(terr.area).isdisjoint(a.place_scope):
                        continue
                hits.append((a, role, terr))
        if len(hits) > 1:
            granted = {a.grantor for a, _, _ in hits if a.grantor}
            hits = [h for h in hits if h[0].holder not in granted] or hits
        found = [self._competence(power, a, role, terr, unit, day, timeline) for a, role, terr in hits]
        found.sort(key=lambda c: (not c["assignment"]["place_scope"], c["name"]))
        return found

    def _competence(self, power: Power, a: Assignment, role: Role, terr: Territory, unit: Unit, day: date,
                    timeline: list[Assignment]) -> dict:
        competence = self._authority_json(role, terr)
        competence["assignment"] = self._assignment_json(a)
        competence["grantor_chain"] = self._grantor_chain(a, terr, day, timeline)
        if terr.via:
            shown = unit.valid_from if terr.via[0].valid_until and unit.valid_from else None
            names = self._grouped(terr.via)
            competence["via"] = [self._unit_ref(v) for v in terr.via]
            if shown:
                note = {"vi": f"Trước ngày {_vn_date(shown)}, địa bàn này thuộc: {names}.",
                        "en": f"Before {shown.isoformat()} this area was part of: {names}."}
            else:
                note = {"vi": f"Địa bàn này nay thuộc: {names}.", "en": f"This area is now part of: {names}."}
            if "note" in competence:  # a role below the place's level: keep both explanations
                note = {lang: f"{note[lang]} {competence['note'][lang]}" for lang in ("vi", "en")}
            competence["note"] = note
        return competence

    def _grouped(self, units: tuple[Unit, ...]) -> str:
        """'phường Hàng Bạc, phường Hàng Bồ thuộc quận Hoàn Kiếm, thành phố Hà Nội; …' (by parent)."""
        groups: dict[str | None, list[Unit]] = {}
        for u in units:
            groups.setdefault(u.within, []).append(u)
        parts = []
        for parent, members in groups.items():
            names = ", ".join(type_phrase(u.name) for u in members)
            above = self.places.by_iri.get(parent) if parent else None
            parts.append(f"{names} ({self.places.phrase(above)})" if above else names)
        return "; ".join(parts)

    def _grantor_chain(self, a: Assignment, terr: Territory, day: date, timeline: list[Assignment]) -> list[dict]:
        """Up the tq:grantor links: each grantor's authority for this place and, if the registry
        holds it, the grantor's own assignment of the power in force that day there (`timeline`:
        the power's assignments that can apply at the place)."""
        chain, seen = [], {a.holder}
        grantor = a.grantor
        area = self.places.enclosing(terr.area)
        while grantor is not None and grantor not in seen:
            seen.add(grantor)
            role = self.role(grantor)
            territories = self.places.territories(terr.area, role.level, day)
            own = next((b for b in timeline if b.holder == grantor and b.in_force(day)
                        and (not b.place_scope or not area.isdisjoint(b.place_scope))), None)
            step = self._authority_json(role, territories[0] if territories else Territory(None, terr.area))
            step["assignment"] = self._assignment_json(own) if own else None
            chain.append(step)
            grantor = own.grantor if own else None
        return chain

    def _nearest(self, power: Power, timeline: list[Assignment], unit: Unit, day: date) -> tuple[list, list]:
        """The assignments that ended last before `day` and that start first after it, each answered
        on a day it was in force (its last day, or its first)."""
        ended = [a for a in timeline if a.valid_until is not None and a.valid_until <= day]
        starts = [a for a in timeline if a.valid_from is not None and a.valid_from > day]
        before: list = []
        if ended:
            last = max(a.valid_until for a in ended)
            on = last - timedelta(days=1)
            before = self._competences(power, [a for a in ended if a.valid_until == last], unit, on)
        after: list = []
        if starts:
            first = min(a.valid_from for a in starts)
            after = self._competences(power, [a for a in starts if a.valid_from == first], unit, first)
        return before, after

    def _former_holders(self, power: Power, timeline: list[Assignment], unit: Unit, day: date,
                        after: list[dict]) -> list[dict]:
        """Before the first recorded assignment: the holders its text says held the power before
        (tq:formerHolder), as concrete authorities of the place on `day` — stated, not assigned here."""
        found = []
        stated = {c["assignment"]["@id"] for c in after}
        for a in timeline:
            if a.iri not in stated or not a.former_holders:
                continue
            for iri in a.former_holders:
                role = self.role(iri)
                for terr in self.places.territories(unit, role.level, day):
                    former = self._authority_json(role, terr)
                    former["stated_by"] = self._assignment_json(a)
                    if terr.via:
                        former["via"] = [self._unit_ref(v) for v in terr.via]
                    found.append(former)
        return sorted(found, key=lambda f: f["name"])

    def _message(self, status: str, competent: list[dict], unit: Unit, day: date) -> dict:
        names = "; ".join(c["name"] for c in competent)
        open_questions = [c["assignment"]["open_question"] for c in competent if c["assignment"].get("open_question")]
        if status == "competent":
            vi = f"Cơ quan có thẩm quyền ngày {_vn_date(day)}: {names}."
            en = f"Competent authority on {day.isoformat()}: {names}."
        elif all(c.get("via") for c in competent):
            vi = f"{len(competent)} cơ quan có thể có thẩm quyền ngày {_vn_date(day)}, tùy phần địa bàn: {names}."
            en = f"{len(competent)} candidate authorities on {day.isoformat()}, depending on the part of the area: {names}."
        else:
            vi = f"{len(competent)} quy định cùng có hiệu lực ngày {_vn_date(day)} giao thẩm quyền này: {names}."
            en = f"{len(competent)} assignments of this power are in force on {day.isoformat()}: {names}."
        if open_questions:
            vi += " Vấn đề pháp lý chưa rõ: " + " ".join(open_questions)
            en += " Open legal question: " + " ".join(open_questions)
        return {"vi": vi, "en": en}

    def _none_message(self, unit: Unit, day: date, before: list, after: list, former: list) -> dict:
        where = self.places.display(unit)
        vi = f"Không có cơ quan có thẩm quyền vào ngày {_vn_date(day)} tại {where}."
        en = f"No competent authority on {day.isoformat()} at {where}."
        if before:
            until = before[0]["assignment"]["valid_until"]
            vi += f" Gần nhất trước đó: {'; '.join(c['name'] for c in before)} (đến trước ngày {_vn_date(date.fromisoformat(until))})."
            en += f" Nearest before: {'; '.join(c['name'] for c in before)} (until {until}, exclusive)."
        if after:
            since = after[0]["assignment"]["valid_from"]
            vi += f" Gần nhất sau đó: {'; '.join(c['name'] for c in after)} (từ ngày {_vn_date(date.fromisoformat(since))})."
            en += f" Nearest after: {'; '.join(c['name'] for c in after)} (from {since})."
        if former:
            basis = "; ".join(dict.fromkeys(b["label"] or b["@id"] for f in former for b in f["stated_by"]["legal_basis"]))
            names = "; ".join(dict.fromkeys(f["name"] for f in former))
            vi += f" Theo {basis}, chủ thể trước đây: {names}."
            en += f" {basis} names the former holder: {names}."
        return {"vi": vi, "en": en}

    # --- JSON-LD nodes (cached per index: never mutate what these return) ------------------------

    def _cached(self, key, build):
        value = self._json.get(key)
        if value is None:
            value = self._json[key] = build()
        return value

    def _concept_json(self, iri: str | None) -> dict | None:
        if iri is None:
            return None

        def build():
            c = self.concepts.get(iri) or Concept(iri, local_name(iri))
            return {"@id": iri, "key": c.key, "name": c.label, "name_en": c.label_en}
        return self._cached(("concept", iri), build)

    def _level_json(self, level: str | None) -> dict | None:
        if level is None:
            return None
        local = next(k for k, v in LEVELS.items() if v == level)
        node = self._concept_json(ns.TQ + local)
        return node | {"key": level} if node["key"] != level else node

    def _unit_ref(self, unit: Unit) -> dict:
        return self._cached(("unit-ref", unit.iri), lambda: {
            "@id": unit.iri, "@type": f"tq:{unit.unit_class}", "code": unit.code, "name": unit.name})

    def _unit_json(self, unit: Unit) -> dict:
        def build():
            node = dict(self._unit_ref(unit))
            node["level"] = self._level_json(unit.level)
            node["valid_from"] = unit.valid_from.isoformat() if unit.valid_from else None
            node["valid_until"] = unit.valid_until.isoformat() if unit.valid_until else None
            parent = self.places.parent(unit)
            node["within"] = self._unit_ref(parent) if parent else None
            province = self.places.province_of(unit)
            node["province"] = self._unit_ref(province) if province and province is not unit else None
            node["full_name"] = self.places.display(unit)
            return node
        return self._cached(("unit", unit.iri), build)

    def _role_json(self, role: Role) -> dict:
        return self._cached(("role", role.iri), lambda: {
            "@id": role.iri, "@type": f"tq:{role.kind}", "id": role.key, "name": role.label,
            "name_en": role.label_en, "level": self._level_json(role.level), "post_in": role.post_in})

    def _authority_json(self, role: Role, terr: Territory) -> dict:
        """The concrete authority of `role` in the territory's unit (a fresh dict: callers add to it)."""
        key = ("authority", role.iri, terr.unit.iri if terr.unit else None, terr.area.iri if terr.unit is None else None)
        return dict(self._cached(key, lambda: self._build_authority(role, terr)))

    def _build_authority(self, role: Role, terr: Territory) -> dict:
        unit = terr.unit
        kind = AUTHORITY_TYPES.get(role.kind, "tq:ConcreteAuthority")
        if unit is None:
            node = {"@id": role.iri if role.level in (None, "central") else None, "@type": kind, "name": role.label,
                    "role": self._role_json(role), "unit": None, "level": self._level_json(role.level)}
            if role.level not in (None, "central"):
                area = terr.area
                node["name"] = f"{role.label} ({self.places.phrase(area)})"
                level_vi = self._level_json(role.level)["name"] or role.level
                node["area"] = self._unit_ref(area)
                node["note"] = {
                    "vi": f"Thẩm quyền của {role.label} tại từng đơn vị {level_vi} thuộc {self.places.display(area)}; "
                          "nêu mã đơn vị để biết cơ quan cụ thể.",
                    "en": f"Held by the {role.label_en or role.label} of each {role.level}-level unit in "
                          f"{area.name}; give that unit's code for the concrete authority."}
            return node
        phrase = self.places.phrase(unit)
        name = role.pattern.replace("{unit}", phrase) if role.pattern else f"{role.label}, {phrase}"
        code = f"legacy-{unit.code}" if unit.legacy else unit.code
        return {"@id": ns.concrete_authority_iri(role.key, code), "@type": kind, "name": name,
                "role": self._role_json(role), "unit": self._unit_ref(unit), "level": self._level_json(role.level)}

    def _power_json(self, power: Power) -> dict:
        def build():
            sector = None
            if power.sector:
                sector = {"@id": power.sector.iri, "id": power.sector.key, "name": power.sector.label,
                          "name_en": power.sector.label_en}
            return {"@id": power.iri, "@type": "tq:Power", "id": power.key, "name": power.label,
                    "name_en": power.label_en, "sector": sector, "defining_provision": power.defining_provision}
        return self._cached(("power", power.iri), build)

    def _basis_json(self, iri: str) -> dict:
        def build():
            b = self.bases.get(iri) or legal_basis_of(iri, {})
            instrument = None
            if b.instrument:
                instrument = {"@id": b.instrument, "number": b.instrument_number, "title": b.instrument_title}
            return {"@id": iri, "label": b.label, "article": b.article, "clause": b.clause, "point": b.point,
                    "instrument": instrument, "source": b.source}
        return self._cached(("basis", iri), build)

    def _assignment_json(self, a: Assignment) -> dict:
        def build():
            bases = [self._basis_json(iri) for iri in a.bases]
            sources = list(a.sources) or [b["source"] for b in bases if b.get("source")]
            return {
                "@id": a.iri, "@type": "tq:Assignment", "id": a.key, "power": a.power,
                "holder": self._role_json(self.role(a.holder)),
                "mode": self._concept_json(a.mode),
                "grantor": self._role_json(self.role(a.grantor)) if a.grantor else None,
                "legal_basis": bases,
                "valid_from": a.valid_from.isoformat() if a.valid_from else None,
                "valid_until": a.valid_until.isoformat() if a.valid_until else None,
                "former_holders": [self._role_json(self.role(r)) for r in a.former_holders],
                "place_scope": [self._unit_ref(self.places.by_iri[u]) if u in self.places.by_iri else {"@id": u}
                                for u in a.place_scope],
                "open_question": a.open_question,
                "source": sources,
            }
        return self._cached(("assignment", a.iri), build)


class IndexCache:
    """The lookup index of one store, rebuilt when the store changes.

    A backend with a `generation` (the embedded store) is checked on every `get()` at no cost; a
    backend without one (a remote SPARQL server) is re-read at most every `ttl` seconds.

    The first `get()` builds the index and waits for it. After a write, `background=False` (the
    CLI, the tests) rebuilds before answering; `background=True` (the API) keeps answering from the
    previous index while one thread rebuilds — a national registry takes seconds to read, and
    millions of lookups should not queue behind a write.
    """

    def __init__(self, backend: Backend, ttl: float = 60.0, background: bool = False):
        self.backend = backend
        self.ttl = ttl
        self.background = background
        self._index: LookupIndex | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.builds = 0

    def stale(self) -> bool:
        index = self._index
        if index is None:
            return True
        generation = getattr(self.backend, "generation", None)
        if generation is not None:
            return generation != index.generation
        return time.monotonic() - index.built_at > self.ttl

    def get(self) -> LookupIndex:
        """The current index (built on first use; after a write, see `background`)."""
        index = self._index
        if index is not None and not self.stale():
            return index
        if index is not None and self.background:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._rebuild, name="lookup-index", daemon=True)
                self._thread.start()
            return index
        self._rebuild()
        return self._index

    def wait(self) -> LookupIndex:
        """Wait for a background rebuild, if one is running, and return the fresh index."""
        thread = self._thread
        if thread is not None:
            thread.join()
        return self.get() if not self.background else self._index

    def _rebuild(self) -> None:
        with self._lock:
            if self.stale():
                self._index = LookupIndex.load(self.backend)
                self.builds += 1


_CACHES: dict[int, tuple[Backend, IndexCache]] = {}


def index_for(backend: Backend) -> LookupIndex:
    """The (cached, fresh) lookup index of a backend."""
    entry = _CACHES.get(id(backend))
    if entry is None or entry[0] is not backend:
        entry = _CACHES[id(backend)] = (backend, IndexCache(backend))
    return entry[1].get()


def lookup(backend: Backend, task: str, place: str, at: str | date | None = None) -> dict:
    """Who is competent for `task` at `place` on `at`: see `LookupIndex.lookup`."""
    return index_for(backend).lookup(task, place, at)

