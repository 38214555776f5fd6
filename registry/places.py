"""Administrative units in memory: by official code and by name without diacritics, with their
ancestors and the 2025 old → new succession, read once from the store's units graph.

The units graph (registry.units) is the source; this module only indexes it and answers
"which unit is this?" and "which unit of level L is this place on date D?".
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from . import namespaces as ns
from .errors import AmbiguousError, NotFoundError
from .store import Backend

LEVELS = {"CentralLevel": "central", "ProvinceLevel": "province", "DistrictLevel": "district",
          "CommuneLevel": "commune"}

# Unit names begin with their type word ("Phường Hoàn Kiếm", "Thành phố Hà Nội"); inside a phrase
# such as "Ủy ban nhân dân phường Hoàn Kiếm" Vietnamese writes that word in lower case.
TYPE_WORDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "xã", "huyện", "quận", "tỉnh")
_FOLDED_TYPE_WORDS = tuple(ns.fold(w) for w in TYPE_WORDS)

# Abbreviations people type for unit names (folded), replaced before matching.
ABBREVIATIONS = (("tp. ", "thanh pho "), ("tp.", "thanh pho "), ("tp ", "thanh pho "), ("tx. ", "thi xa "),
                 ("tx ", "thi xa "), ("tt. ", "thi tran "), ("p. ", "phuong "), ("q. ", "quan "),
                 ("h. ", "huyen "), ("x. ", "xa "))
ALIASES = {"hcm": "ho chi minh", "tphcm": "thanh pho ho chi minh", "hn": "ha noi"}

_CODE = re.compile(r"^\d{2}$|^\d{3}$|^\d{5}$")

UNITS_QUERY = ns.SPARQL_PREFIXES + """
SELECT ?u ?class ?code ?name ?level ?type ?within ?from ?until WHERE {
  { ?u a tq:ProvinceUnit BIND(tq:ProvinceUnit AS ?class) } UNION { ?u a tq:DistrictUnit BIND(tq:DistrictUnit AS ?class) }
  UNION { ?u a tq:CommuneUnit BIND(tq:CommuneUnit AS ?class) }
  ?u tq:unitCode ?code ; skos:prefLabel ?name ; tq:level ?level .
  OPTIONAL { ?u tq:unitType ?type }
  OPTIONAL { ?u tq:withinUnit ?within }
  OPTIONAL { ?u tq:validFrom ?from }
  OPTIONAL { ?u tq:validUntil ?until }
}"""

SUCCESSION_QUERY = ns.SPARQL_PREFIXES + "SELECT ?old ?new WHERE { ?old tq:succeededBy ?new }"


@dataclass(slots=True, eq=False)
class Unit:
    """One administrative unit, current (from 2025-07-01) or legacy (until 2025-07-01)."""

    iri: str
    code: str
    name: str
    level: str                    # 'province' | 'district' | 'commune'
    unit_class: str               # 'ProvinceUnit' | 'DistrictUnit' | 'CommuneUnit'
    unit_type: str | None = None  # local name of tq:unitType, e.g. 'Phuong'
    within: str | None = None     # IRI of the unit it belongs to
    valid_from: date | None = None
    valid_until: date | None = None
    successors: list[str] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)

    @property
    def legacy(self) -> bool:
        """A unit of the pre-2025 code lists (it has an end date)."""
        return self.valid_until is not None

    def exists_on(self, day: date) -> bool:
        """Half-open: valid_from <= day < valid_until."""
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.valid_until is None or day < self.valid_until)


@dataclass(slots=True, frozen=True)
class Territory:
    """Where a role of some level is competent for a place on a date.

    unit: the unit whose authority decides (None for a central role, or when the role sits below
    the place, e.g. a commune-level role asked at a province: then every commune of `area`).
    area: the unit that is the place on that date (the place itself, or a predecessor/successor).
    via: the predecessors or successors the answer went through (empty when the place existed then).
    """

    unit: Unit | None
    area: Unit
    via: tuple[Unit, ...] = ()


def type_phrase(name: str) -> str:
    """A unit's name as it reads inside a phrase: the type word in lower case.

    >>> type_phrase("Phường Hoàn Kiếm")
    'phường Hoàn Kiếm'
    >>> type_phrase("Thành phố Hà Nội")
    'thành phố Hà Nội'
    """
    lowered = name.lower()
    for word in TYPE_WORDS:
        if lowered.startswith(word + " "):
            return word + name[len(word):]
    return name


def base_name(folded: str) -> str:
    """A folded name without its type word.

    >>> base_name("thanh pho ha noi")
    'ha noi'
    """
    for word in _FOLDED_TYPE_WORDS:
        if folded.startswith(word + " "):
            return folded[len(word) + 1:]
    return folded


def normalise_name(text: str) -> str:
    """Fold a name as typed and expand the usual abbreviations.

    >>> normalise_name("TP. Hồ Chí Minh")
    'thanh pho ho chi minh'
    >>> normalise_name("HCM")
    'ho chi minh'
    """
    folded = ns.fold(text)
    for short, full in ABBREVIATIONS:
        if folded.startswith(short):
            folded = full + folded[len(short):]
            break
    return " ".join(ALIASES.get(word, word) for word in folded.split())


def _date(term) -> date | None:
    return date.fromisoformat(term.value[:10]) if term is not None else None  # servers may add a zone


class Places:
    """All units of the store, indexed by IRI, official code and folded name."""

    def __init__(self, units: Iterable[Unit]):
        self.by_iri: dict[str, Unit] = {u.iri: u for u in units}
        self.by_code: dict[str, Unit] = {}
        self._names: tuple[dict[str, list[Unit]], dict[str, list[Unit]]] = ({}, {})  # current, legacy
        for unit in self.by_iri.values():
            if not unit.legacy or (unit.level == "district" and len(unit.code) == 3):
                # Current units own the 2- and 5-digit codes; 3-digit codes are the old districts.
                self.by_code.setdefault(unit.code, unit)
            folded = ns.fold(unit.name)
            names = self._names[1 if unit.legacy else 0]
            for key in {folded, base_name(folded)}:
                names.setdefault(key, []).append(unit)
        self._labels: dict[str, Unit] | None = None
        self._ancestors: dict[str, tuple[Unit, ...]] = {}
        self._phrases: dict[str, str] = {}
        self._territories: dict[tuple, list[Territory]] = {}
        self._boundaries: list[date] = []

    @classmethod
    def load(cls, backend: Backend) -> "Places":
        """Read the units and their succession from the store (two SPARQL queries)."""
        units: dict[str, Unit] = {}
        for iri, cls_, code, name, level, type_, within, from_, until in backend.select(UNITS_QUERY)[1]:
            if iri.value in units and getattr(name, "language", None) != "vi":
                continue  # one row per label: keep the Vietnamese one
            units[iri.value] = Unit(
                iri=iri.value, code=code.value, name=name.value, level=LEVELS.get(_local(level.value), "commune"),
                unit_class=_local(cls_.value), unit_type=_local(type_.value) if type_ is not None else None,
                within=within.value if within is not None else None,
                valid_from=_date(from_), valid_until=_date(until))
        places = cls(units.values())
        for old, new in backend.select(SUCCESSION_QUERY)[1]:
            a, b = places.by_iri.get(old.value), places.by_iri.get(new.value)
            if a is not None and b is not None:
                a.successors.append(b.iri)
                b.predecessors.append(a.iri)
        return places

    # --- structure -----------------------------------------------------------------------------

    def parent(self, unit: Unit) -> Unit | None:
        return self.by_iri.get(unit.within) if unit.within else None

    def ancestors(self, unit: Unit) -> tuple[Unit, ...]:
        """The unit, then the units it lies within, up to its province (computed once per unit)."""
        chain = self._ancestors.get(unit.iri)
        if chain is None:
            units, seen = [unit], {unit.iri}
            while (up := self.parent(units[-1])) is not None and up.iri not in seen:
                units.append(up)
                seen.add(up.iri)
            chain = self._ancestors[unit.iri] = tuple(units)
        return chain

    def enclosing(self, unit: Unit) -> frozenset[str]:
        """IRIs of the unit and the units it lies within (what a tq:placeScope is matched against)."""
        key = ("enclosing", unit.iri)
        found = self._ancestors.get(key)  # type: ignore[call-overload]
        if found is None:
            found = self._ancestors[key] = frozenset(u.iri for u in self.ancestors(unit))  # type: ignore[index]
        return found

    def province_of(self, unit: Unit) -> Unit | None:
        return next((u for u in self.ancestors(unit) if u.level == "province"), None)

    def phrase(self, unit: Unit) -> str:
        """The unit and the units above it, as they read after an authority's name.

        E.g. 'phường Hoàn Kiếm, thành phố Hà Nội' (used for tq:concreteLabelPattern's {unit}).
        """
        phrase = self._phrases.get(unit.iri)
        if phrase is None:
            phrase = self._phrases[unit.iri] = ", ".join(type_phrase(u.name) for u in self.ancestors(unit))
        return phrase

    def display(self, unit: Unit) -> str:
        """'Phường Hoàn Kiếm, Thành phố Hà Nội' — the name people would type."""
        return ", ".join(u.name for u in self.ancestors(unit))

    # --- finding a place -----------------------------------------------------------------------

    def find(self, text: str) -> Unit:
        """The unit named by an official code, an IRI or a name ("Phường Hoàn Kiếm, Hà Nội").

        Codes: 2 digits a province, 5 digits a commune (the 2025 code lists), 3 digits a former
        district. Names are matched without regard to case or diacritics, with or without the type
        word; the parts after commas must name units it lies within. An exact name beats a name
        without its type word, and a province beats communes of the same bare name. Current units
        are preferred; a name that matches none is looked up among the legacy units.

        Raises:
            NotFoundError: no such unit (with close names as suggestions).
            AmbiguousError: several units match the name (with the candidates).
        """
        text = text.strip()
        if _CODE.match(text):
            if text in self.by_code:
                return self.by_code[text]
            raise NotFoundError(f"không có đơn vị hành chính mã {text} / no unit with code {text}", [])
        if text.startswith(ns.ID + "unit/"):
            if text in self.by_iri:
                return self.by_iri[text]
            raise NotFoundError(f"no unit {text}", [])
        parts = [normalise_name(p) for p in text.split(",") if p.strip()]
        if not parts:
            raise NotFoundError("empty place name / chưa nêu địa bàn", [])
        for names in self._names:
            matches = [u for u in names.get(parts[0], ()) if self._within_all(u, parts[1:])]
            exact = [u for u in matches if ns.fold(u.name) == parts[0]]
            provinces = [u for u in matches if u.level == "province"]
            # A bare name ("Tuyên Quang") that is a province's is the province; "Phường Tuyên Quang"
            # names the ward exactly.
            matches = exact or (provinces if len(provinces) == 1 else matches)
            if len(matches) == 1:
                return matches[0]
            if matches:
                candidates = sorted(matches, key=lambda u: (u.level != "province", self.display(u)))
                raise AmbiguousError(
                    f"'{text}' khớp {len(candidates)} đơn vị / matches {len(candidates)} units; "
                    "add the province, e.g. 'Xã …, Tỉnh …', or use the code", candidates)
        suggestions = self.suggest(text)
        hint = f"; có phải / did you mean: {'; '.join(self.display(u) for u in suggestions)}?" if suggestions else ""
        raise NotFoundError(f"không tìm thấy địa bàn / no place named '{text}'{hint}", suggestions)

    def _within_all(self, unit: Unit, parts: list[str]) -> bool:
        if not parts:
            return True
        keys = set()
        for up in self.ancestors(unit)[1:]:
            folded = ns.fold(up.name)
            keys.update((folded, base_name(folded)))
        return all(p in keys or base_name(p) in keys for p in parts)

    def suggest(self, text: str, n: int = 5) -> list[Unit]:
        """Current units whose names are close to `text` (difflib on folded names)."""
        if self._labels is None:
            labels: dict[str, Unit] = {}
            for unit in self.by_iri.values():
                if not unit.legacy:
                    labels.setdefault(ns.fold(self.display(unit)), unit)
                    labels.setdefault(ns.fold(unit.name), unit)
            self._labels = labels
        wanted = ", ".join(normalise_name(p) for p in text.split(",") if p.strip())
        found: list[Unit] = []
        for key in difflib.get_close_matches(wanted, list(self._labels), n=n * 2, cutoff=0.6):
            if self._labels[key] not in found:
                found.append(self._labels[key])
        return found[:n]

    # --- which unit decides, on a date ----------------------------------------------------------

    def areas_on(self, place: Unit, day: date) -> list[tuple[Unit, tuple[Unit, ...]]]:
        """The units that were (or became) `place` on `day`, each with the path taken.

        A place that existed on `day` is itself. A 2025 unit asked about a date before it existed
        is its predecessors (tq:succeededBy backwards); a legacy unit asked about a date after it
        ended is its successors.
        """
        if place.exists_on(day):
            return [(place, ())]
        if place.valid_from is not None and day < place.valid_from:
            others = place.predecessors
        else:
            others = place.successors
        found = []
        for iri in others:
            unit = self.by_iri[iri]
            if unit.exists_on(day):
                found.append((unit, (unit,)))
        return found or [(place, ())]

    def territories(self, place: Unit, level: str | None, day: date) -> list[Territory]:
        """Which unit's authority of `level` is competent at `place` on `day`.

        A province-level role at a commune is the commune's province; a district-level role at a
        legacy commune is its district; a commune-level role at a province is every commune of it
        (unit None). Central roles have no unit. Duplicates (several old communes of one district)
        are merged, keeping every path.
        """
        # Which units exist changes only on the units' own dates (2025-07-01): cache per period.
        if not self._boundaries:
            self._boundaries = sorted({d for u in self.by_iri.values() for d in (u.valid_from, u.valid_until) if d})
        key = (place.iri, level, bisect.bisect_right(self._boundaries, day))
        cached = self._territories.get(key)
        if cached is None:
            cached = self._territories[key] = self._territories_on(place, level, day)
        return cached

    def _territories_on(self, place: Unit, level: str | None, day: date) -> list[Territory]:
        merged: dict[str | None, Territory] = {}
        for area, via in self.areas_on(place, day):
            unit = None
            if level not in (None, "central"):
                unit = next((u for u in self.ancestors(area) if u.level == level), None)
            key = unit.iri if unit is not None else f"area:{area.iri}" if level != "central" else None
            if key in merged:
                old = merged[key]
                merged[key] = Territory(old.unit, old.area, old.via + tuple(v for v in via if v not in old.via))
            else:
                merged[key] = Territory(unit, area, via)
        return list(merged.values())


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]
