"""The catalogue the registry's rows are matched against: authority roles, sectors and instruments.

Each lives in one readable file under data/ (roles.csv, sectors.csv, instruments.csv); this module
reads them, matches names written in a template against them (without regard to case or diacritics,
see namespaces.fold), and turns roles and sectors into quads of the catalogue graph.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .errors import InputError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"

KINDS = {"collective": "CollectiveRole", "individual": "IndividualRole"}
LEVELS = {"central": "CentralLevel", "province": "ProvinceLevel", "commune": "CommuneLevel",
          "district": "DistrictLevel"}
INSTRUMENT_TYPES = {"Luat": "Luật", "NghiQuyetQuocHoi": "Nghị quyết", "NghiDinh": "Nghị định"}

_A = ox.NamedNode(ns.RDF + "type")
_PREF = ox.NamedNode(ns.SKOS + "prefLabel")
_ALT = ox.NamedNode(ns.SKOS + "altLabel")
_IN_SCHEME = ox.NamedNode(ns.SKOS + "inScheme")
_BROADER = ox.NamedNode(ns.SKOS + "broader")
_IDENTIFIER = ox.NamedNode(ns.DCTERMS + "identifier")
_DATE = ox.NamedNode(ns.XSD + "date")


@dataclass(frozen=True)
class Role:
    """An authority as the law names it (one row of data/roles.csv)."""

    key: str
    label_vi: str
    label_en: str
    kind: str                      # collective | individual
    level: str                     # central | province | commune | district
    post_in: str = ""              # key of the collective role, for individual roles
    alt_labels: tuple[str, ...] = ()
    concrete_label_pattern: str = ""
    valid_until: str = ""          # first day the role no longer exists (district roles: 2025-07-01)

    @property
    def iri(self) -> str:
        return ns.role_iri(self.key)


@dataclass(frozen=True)
class Sector:
    """A sector of state management (one row of data/sectors.csv)."""

    key: str
    label_vi: str
    label_en: str
    broader: str = ""
    alt_labels: tuple[str, ...] = ()   # other names a template may use, e.g. a decree's section heading

    @property
    def iri(self) -> str:
        return ns.sector_iri(self.key)


@dataclass(frozen=True)
class Instrument:
    """A legal instrument (one row of data/instruments.csv); only the columns the registry models."""

    number: str
    type: str                      # Luat | NghiQuyetQuocHoi | NghiDinh (concepts of the ontology)
    title_vi: str
    title_en: str
    issuer: str                    # role key
    date_document: str = ""
    date_in_force: str = ""
    date_no_longer_in_force: str = ""
    status: str = ""
    sources: tuple[str, ...] = ()
    note: str = ""

    @property
    def iri(self) -> str:
        return ns.instrument_iri(self.number)

    @property
    def designation(self) -> str:
        """How a citation names it: 'Nghị định 140/2025/NĐ-CP'."""
        return f"{INSTRUMENT_TYPES[self.type]} {self.number}"


class NameIndex:
    """Names (labels, abbreviations) → keys, compared after namespaces.fold."""

    def __init__(self, kind: str):
        self.kind = kind
        self._keys: dict[str, str] = {}
        self._names: dict[str, str] = {}      # folded → the name as written in the catalogue

    def add(self, name: str, key: str, *, file: str, row: int) -> None:
        folded = ns.fold(name)
        if folded in self._keys and self._keys[folded] != key:
            raise InputError(f"{self.kind} name {name!r} already names {self._keys[folded]!r}", file=file, row=row)
        self._keys[folded] = key
        self._names.setdefault(folded, name)

    def key(self, name: str) -> str:
        """The key a name refers to.

        Raises:
            KeyError: with a message naming the closest known names.
        """
        try:
            return self._keys[ns.fold(name)]
        except KeyError:
            close = difflib.get_close_matches(ns.fold(name), list(self._keys), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(self._names[c]) for c in close)}?" if close else ""
            raise KeyError(f"unknown {self.kind} {name!r}{hint}") from None


@dataclass(frozen=True)
class Catalogue:
    """Roles, sectors and instruments, with the name indexes a template is matched against."""

    roles: dict[str, Role]
    sectors: dict[str, Sector]
    instruments: dict[str, Instrument]      # by number, e.g. '140/2025/NĐ-CP'
    role_names: NameIndex
    sector_names: NameIndex

    def role(self, name: str) -> Role:
        """The role a holder, grantor or former-holder name refers to (case and diacritics ignored).

        >>> load_catalogue().role("chu tich ubnd cap xa").key
        'chu-tich-ubnd-cap-xa'

        Raises:
            KeyError: the name matches no role.
        """
        return self.roles[self.role_names.key(name)]

    def sector(self, name: str) -> Sector:
        """The sector a name refers to (its key, Vietnamese or English label).

        Raises:
            KeyError: the name matches no sector.
        """
        return self.sectors[self.sector_names.key(name)]


def read_data_csv(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of one of data/*.csv as (1-based row number, stripped cells); a missing column is an InputError."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}", file=str(path))
        for number, record in enumerate(reader, start=1):
            yield number, {k: (v or "").strip() for k, v in record.items() if k is not None}


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def load_roles(path: Path) -> dict[str, Role]:
    """Read data/roles.csv (see data/README.md for the columns).

    Raises:
        InputError: a bad kind, level, post_in or date, with file and row.
    """
    roles: dict[str, Role] = {}
    for number, r in read_data_csv(path, ("key", "label_vi", "label_en", "kind", "level")):
        where = {"file": str(path), "row": number}
        if r["key"] != ns.slug(r["key"]) or not r["key"]:
            raise InputError(f"role key {r['key']!r} is not a slug", field="key", **where)
        if r["key"] in roles:
            raise InputError(f"duplicate role key {r['key']!r}", field="key", **where)
        if r["kind"] not in KINDS:
            raise InputError(f"kind must be one of {', '.join(KINDS)}", field="kind", **where)
        if r["level"] not in LEVELS:
            raise InputError(f"level must be one of {', '.join(LEVELS)}", field="level", **where)
        if (r["kind"] == "individual") != bool(r.get("post_in")):
            raise InputError("post_in is required for individual roles and only for them", field="post_in", **where)
        roles[r["key"]] = Role(r["key"], r["label_vi"], r["label_en"], r["kind"], r["level"], r.get("post_in", ""),
                               _split(r.get("alt_labels", "")), r.get("concrete_label_pattern", ""),
                               r.get("valid_until", ""))
    for number, role in enumerate(roles.values(), start=1):
        if role.post_in and (role.post_in not in roles or roles[role.post_in].kind != "collective"):
            raise InputError(f"post_in {role.post_in!r} is not a collective role", file=str(path), row=number,
                             field="post_in")
    return roles


def load_sectors(path: Path) -> dict[str, Sector]:
    """Read data/sectors.csv.

    Raises:
        InputError: a duplicate key or an unknown broader sector.
    """
    sectors: dict[str, Sector] = {}
    for number, r in read_data_csv(path, ("key", "label_vi", "label_en")):
        if r["key"] in sectors or r["key"] != ns.slug(r["key"]):
            raise InputError(f"bad or duplicate sector key {r['key']!r}", file=str(path), row=number, field="key")
        sectors[r["key"]] = Sector(r["key"], r["label_vi"], r["label_en"], r.get("broader", ""),
                                   _split(r.get("alt_labels", "")))
    for number, sector in enumerate(sectors.values(), start=1):
        if sector.broader and sector.broader not in sectors:
            raise InputError(f"unknown broader sector {sector.broader!r}", file=str(path), row=number, field="broader")
    return sectors


def load_instruments(path: Path, roles: dict[str, Role]) -> dict[str, Instrument]:
    """Read data/instruments.csv.

    Raises:
        InputError: an unknown type or issuer, a duplicate number.
    """
    instruments: dict[str, Instrument] = {}
    for number, r in read_data_csv(path, ("number", "type", "title_vi", "title_en", "issuer")):
        where = {"file": str(path), "row": number}
        if r["number"] in instruments:
            raise InputError(f"duplicate instrument {r['number']!r}", field="number", **where)
        if r["type"] not in INSTRUMENT_TYPES:
            raise InputError(f"type must be one of {', '.join(INSTRUMENT_TYPES)}", field="type", **where)
        if r["issuer"] not in roles:
            raise InputError(f"unknown issuer role {r['issuer']!r}", field="issuer", **where)
        instruments[r["number"]] = Instrument(
            r["number"], r["type"], r["title_vi"], r["title_en"], r["issuer"], r.get("date_document", ""),
            r.get("date_in_force", ""), r.get("date_no_longer_in_force", ""), r.get("status", ""),
            _split(r.get("source", "")), r.get("note", ""))
    return instruments


def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """The registry's catalogue from data/roles.csv, data/sectors.csv and data/instruments.csv.

    Args:
        data_dir: the folder holding the three files (default: the project's data/).
    Returns:
        the catalogue, with every label and abbreviation of a role or sector indexed.
    Raises:
        InputError: a malformed catalogue file, or a name that names two things.
    """
    roles = load_roles(data_dir / "roles.csv")
    sectors = load_sectors(data_dir / "sectors.csv")
    instruments = load_instruments(data_dir / "instruments.csv", roles)
    role_names, sector_names = NameIndex("holder"), NameIndex("sector")
    for number, role in enumerate(roles.values(), start=1):
        for name in (role.key, role.label_vi, *role.alt_labels):
            role_names.add(name, role.key, file=str(data_dir / "roles.csv"), row=number)
    for number, sector in enumerate(sectors.values(), start=1):
        for name in (sector.key, sector.label_vi, sector.label_en, *sector.alt_labels):
            sector_names.add(name, sector.key, file=str(data_dir / "sectors.csv"), row=number)
    return Catalogue(roles, sectors, instruments, role_names, sector_names)


def catalogue_quads(catalogue: Catalogue, graph: str = ns.CATALOGUE_GRAPH) -> Iterator[ox.Quad]:
    """Roles (tq:CollectiveRole / tq:IndividualRole) and sectors (tq:Sector in tq:Sectors) as quads."""
    g = ox.NamedNode(graph)
    for role in catalogue.roles.values():
        s = ox.NamedNode(role.iri)
        yield ox.Quad(s, _A, ox.NamedNode(ns.TQ + KINDS[role.kind]), g)
        yield ox.Quad(s, _IDENTIFIER, ox.Literal(role.key), g)
        yield ox.Quad(s, _PREF, ox.Literal(role.label_vi, language="vi"), g)
        yield ox.Quad(s, _PREF, ox.Literal(role.label_en, language="en"), g)
        for alt in role.alt_labels:
            yield ox.Quad(s, _ALT, ox.Literal(alt, language="vi"), g)
        yield ox.Quad(s, ox.NamedNode(ns.TQ + "level"), ox.NamedNode(ns.TQ + LEVELS[role.level]), g)
        if role.post_in:
            yield ox.Quad(s, ox.NamedNode(ns.TQ + "postInRole"), ox.NamedNode(ns.role_iri(role.post_in)), g)
        if role.concrete_label_pattern:
            yield ox.Quad(s, ox.NamedNode(ns.TQ + "concreteLabelPattern"),
                          ox.Literal(role.concrete_label_pattern, language="vi"), g)
        if role.valid_until:
            yield ox.Quad(s, ox.NamedNode(ns.TQ + "validUntil"), ox.Literal(role.valid_until, datatype=_DATE), g)
    for sector in catalogue.sectors.values():
        s = ox.NamedNode(sector.iri)
        yield ox.Quad(s, _A, ox.NamedNode(ns.TQ + "Sector"), g)
        yield ox.Quad(s, _IN_SCHEME, ox.NamedNode(ns.TQ + "Sectors"), g)
        yield ox.Quad(s, _IDENTIFIER, ox.Literal(sector.key), g)
        yield ox.Quad(s, _PREF, ox.Literal(sector.label_vi, language="vi"), g)
        yield ox.Quad(s, _PREF, ox.Literal(sector.label_en, language="en"), g)
        for alt in sector.alt_labels:
            yield ox.Quad(s, _ALT, ox.Literal(alt, language="vi"), g)
        if sector.broader:
            yield ox.Quad(s, _BROADER, ox.NamedNode(ns.sector_iri(sector.broader)), g)
