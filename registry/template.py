"""The authoring template (CSV / XLSX, one row per assignment): the one reader and writer of it.

`read_template(path)` reads and checks a file (columns in docs/model.md) into `Row`s;
`rows_to_quads(rows, graph, catalogue)` matches holders, grantors, former holders and sectors against
the catalogue (registry.catalogue) and compiles powers, subdivisions and assignments to quads;
`write_template(rows, path)` writes rows back, and `rows_from_store(backend)` reads them out of a
store, so that import followed by export gives the same rows. Every error a file can cause is an
`InputError` naming the file, the data row (1-based, the header not counted), the column and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .catalogue import INSTRUMENT_TYPES, Catalogue
from .errors import InputError

COLUMNS = ("id", "power_id", "task_vi", "task_en", "sector", "defining_provision", "holder", "mode", "grantor",
           "instrument", "article", "clause", "point", "valid_from", "valid_until", "former_holder",
           "place_scope", "open_question", "source", "note")
REQUIRED = ("id", "power_id", "task_vi", "sector", "holder", "mode", "instrument", "article", "valid_from")

# The four modes: ontology concept → the label the template writes. Any of these spellings is read.
MODES = {"PhanDinh": "phân định", "PhanQuyen": "phân quyền", "PhanCap": "phân cấp", "UyQuyen": "ủy quyền"}
_MODE_SPELLINGS = {ns.fold(s): concept for concept, label in MODES.items()
                   for s in (label, f"{label} thẩm quyền", concept, f"tq:{concept}")}
_GRANTED_MODES = {"PhanCap", "UyQuyen"}     # the modes that have a grantor

# Points are lettered in the Vietnamese alphabet order (no f, j, w, z; đ after d).
POINT_ORDER = "abcdđeghiklmnopqrstuvxy"
_NUMBER = re.compile(r"^\d+[a-z]?$")
_POINT = re.compile(r"^[a-zđ]\d*$")
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIT_CODE = re.compile(r"^(\d{2}|\d{5})$")
_LIST_SEPARATOR = "|"

_A = ox.NamedNode(ns.RDF + "type")
_DATE = ox.NamedNode(ns.XSD + "date")


def _tq(name: str) -> ox.NamedNode:
    return ox.NamedNode(ns.TQ + name)


@dataclass(frozen=True)
class Row:
    """One assignment as the template writes it: every cell a string ('' when empty).

    `mode` holds the canonical label ('phân định' …) and dates are ISO; names (holder, grantor,
    former_holder, sector) are kept as written and matched when the row is compiled. `file`,
    `number` (1-based data row) and `header` say where the row came from, for error messages.
    """

    id: str
    power_id: str
    task_vi: str
    task_en: str = ""
    sector: str = ""
    defining_provision: str = ""
    holder: str = ""
    mode: str = ""
    grantor: str = ""
    instrument: str = ""
    article: str = ""
    clause: str = ""
    point: str = ""
    valid_from: str = ""
    valid_until: str = ""
    former_holder: str = ""
    place_scope: str = ""
    open_question: str = ""
    source: str = ""
    note: str = ""
    file: str = field(default="", compare=False, repr=False)
    number: int = field(default=0, compare=False, repr=False)
    header: tuple[str, ...] = field(default=COLUMNS, compare=False, repr=False)

    def cells(self) -> dict[str, str]:
        """The template columns of this row, in order."""
        return {c: getattr(self, c) for c in COLUMNS}

    def error(self, field_name: str, message: str) -> InputError:
        """An InputError located at this row and the column of `field_name`."""
        column = self.header.index(field_name) + 1 if field_name in self.header else None
        return InputError(message, file=self.file or None, row=self.number or None, column=column,
                          field=field_name)

    @property
    def mode_concept(self) -> str:
        """The ontology concept of the mode, e.g. 'PhanDinh'."""
        return _MODE_SPELLINGS[ns.fold(self.mode)]

    @property
    def former_holders(self) -> tuple[str, ...]:
        """The former holders as written ('|' separates several)."""
        return tuple(p.strip() for p in self.former_holder.split(_LIST_SEPARATOR) if p.strip())

    @property
    def legal_basis_iri(self) -> str:
        return ns.subdivision_iri(self.instrument, self.article, self.clause or None, self.point or None)


# --- reading -------------------------------------------------------------------------------------

def read_template(path: str | Path) -> list[Row]:
    """Read an authoring template (.csv or .xlsx) and check every row.

    Args:
        path: a CSV file (UTF-8, with or without BOM) or an XLSX workbook (sheet 'assignments',
            else the first sheet). The first row is the header; columns may come in any order,
            optional columns may be missing, blank rows are skipped.
    Returns:
        the rows, in file order.
    Raises:
        InputError: an unknown or missing column, a missing required cell, a bad date, an unknown
            mode, a clause or point without its article/clause, a bad unit code or source, a
            grantor for phân định / phân quyền, or an id used twice — with file, row and column.

    >>> rows = read_template(Path(__file__).parent.parent / "tests/fixtures/template/good.csv")
    >>> rows[0].id, rows[0].mode
    ('140-2025-nd-cp-d4-k1', 'phân định')
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, records = _csv_records(path)
    elif suffix == ".xlsx":
        header, records = _xlsx_records(path)
    else:
        raise InputError(f"unsupported template type {suffix!r}; use .csv or .xlsx", file=str(path))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(repr(c) for c in unknown)}; the template columns are "
                         f"{', '.join(COLUMNS)}", file=str(path), row=None,
                         column=header.index(unknown[0]) + 1)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"missing required column(s) {', '.join(missing)}", file=str(path))
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, values in records:
        cells = {c: _clean(v) for c, v in zip(header, values)}
        if not any(cells.values()):
            continue
        row = _checked_row(cells, file=str(path), number=number, header=tuple(header))
        if row.id in seen:
            raise row.error("id", f"id {row.id!r} is already used in row {seen[row.id]}")
        seen[row.id] = number
        rows.append(row)
    return rows


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _csv_records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    if not table:
        raise InputError("empty file (no header row)", file=str(path))
    header = [_clean(h) for h in table[0]]
    records = []
    for number, values in enumerate(table[1:], start=1):
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            raise InputError(f"{len(values)} cells but the header has {len(header)} columns", file=str(path),
                             row=number, column=len(header) + 1)
        records.append((number, values + [""] * (len(header) - len(values))))
    return header, records


def _xlsx_records(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(f"not a readable XLSX workbook: {error}", file=str(path)) from None
    sheet = book["assignments"] if "assignments" in book.sheetnames else book.worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not table:
        raise InputError("empty workbook (no header row)", file=str(path))
    header = [_clean(h) for h in table[0]]
    while header and not header[-1]:
        header.pop()
    records = [(n, (values + [None] * len(header))[:len(header)]) for n, values in enumerate(table[1:], start=1)]
    return header, records


def _checked_row(cells: dict[str, str], *, file: str, number: int, header: tuple[str, ...]) -> Row:
    values = {c: cells.get(c, "") for c in COLUMNS}
    row = Row(**values, file=file, number=number, header=header)
    for name in REQUIRED:
        if not values[name]:
            raise row.error(name, f"{name} is required")
    for name in ("id", "power_id"):
        if values[name] != ns.slug(values[name]):
            raise row.error(name, f"{name} {values[name]!r} must be a slug (a-z, 0-9, '-'), e.g. "
                                  f"{ns.slug(values[name])!r}")
    concept = _MODE_SPELLINGS.get(ns.fold(values["mode"]))
    if concept is None:
        raise row.error("mode", f"unknown mode {values['mode']!r}; use one of {', '.join(MODES.values())}")
    values["mode"] = MODES[concept]
    if values["grantor"] and concept not in _GRANTED_MODES:
        raise row.error("grantor", f"a grantor is only stated for phân cấp and ủy quyền, not {values['mode']}")
    if not _NUMBER.match(values["article"]):
        raise row.error("article", f"article {values['article']!r} is not an article number (e.g. 4)")
    if values["clause"] and not _NUMBER.match(values["clause"]):
        raise row.error("clause", f"clause {values['clause']!r} is not a clause number (e.g. 1)")
    if values["point"]:
        if not values["clause"]:
            raise row.error("point", "a point needs its clause")
        if not _POINT.match(values["point"]) or values["point"][0] not in POINT_ORDER:
            raise row.error("point", f"point {values['point']!r} is not a point letter (a, b, … đ …)")
    for name in ("valid_from", "valid_until"):
        if values[name]:
            values[name] = _iso_date(row, name, values[name])
    if values["valid_until"] and values["valid_until"] <= values["valid_from"]:
        raise row.error("valid_until", f"valid_until {values['valid_until']} is not after valid_from "
                                       f"{values['valid_from']} (valid_until is the first day no longer in force)")
    values["former_holder"] = f" {_LIST_SEPARATOR} ".join(
        p.strip() for p in values["former_holder"].split(_LIST_SEPARATOR) if p.strip())
    if values["place_scope"] and not _UNIT_CODE.match(values["place_scope"]):
        raise row.error("place_scope", f"place_scope {values['place_scope']!r} is not an official unit code "
                                       "(2 digits for a province, 5 for a commune)")
    if values["source"] and (not re.match(r"^https?://\S+$", values["source"])):
        raise row.error("source", f"source {values['source']!r} is not an http(s) URL")
    return Row(**values, file=file, number=number, header=header)


def _iso_date(row: Row, name: str, text: str) -> str:
    try:
        if not _DATE_TEXT.match(text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise row.error(name, f"{name} {text!r} is not an ISO date (YYYY-MM-DD)") from None


# --- compiling to quads --------------------------------------------------------------------------

def power_definitions(rows: Iterable[Row]) -> dict[str, Row]:
    """The first row defining each power; later rows must define it the same way.

    Rows of different instruments that move the same power share its power_id, and must then
    agree on task_vi, task_en, sector and defining_provision.

    Raises:
        InputError: at the first row whose definition of a power differs from an earlier one.
    """
    first: dict[str, Row] = {}
    for row in rows:
        seen = first.setdefault(row.power_id, row)
        for name in ("task_vi", "task_en", "sector", "defining_provision"):
            if getattr(row, name) != getattr(seen, name):
                where = f"{seen.file}, row {seen.number}" if seen.file else f"row {seen.number}"
                raise row.error(name, f"power {row.power_id!r} has {name} {getattr(seen, name)!r} in {where}")
    return first


def rows_to_quads(rows: Iterable[Row], graph: str, catalogue: Catalogue, *,
                  powers_graph: str | None = None, subdivisions_graph: str | None = None) -> list[ox.Quad]:
    """Compile rows to quads: the assignments, their powers and the articles/clauses/points cited.

    Args:
        rows: rows from `read_template` (or built in code).
        graph: named graph of the assignments (e.g. namespaces.instrument_graph(number)).
        catalogue: roles and sectors to match names against (catalogue.load_catalogue()).
        powers_graph: graph for the powers (default: `graph`); the registry uses the catalogue graph.
        subdivisions_graph: graph for instruments' subdivisions (default: `graph`); the registry uses
            the instruments graph.
    Returns:
        the quads, fully built: nothing is written, so a caller can stage several files and write
        them in one step.
    Raises:
        InputError: a holder, grantor, former holder or sector that matches nothing in the catalogue,
            a holder role that no longer exists on valid_from, or a power defined two ways.
    """
    rows = list(rows)
    g = ox.NamedNode(graph)
    pg = ox.NamedNode(powers_graph or graph)
    sg = ox.NamedNode(subdivisions_graph or graph)
    quads: list[ox.Quad] = []
    for row in power_definitions(rows).values():
        quads.extend(_power_quads(row, catalogue, pg))
    subdivisions: set[tuple[str, str, str, str]] = set()
    for row in rows:
        quads.extend(_assignment_quads(row, catalogue, g))
        subdivisions.add((row.instrument, row.article, row.clause, row.point))
    for key in sorted(subdivisions):
        quads.extend(subdivision_quads(*key, catalogue=catalogue, graph=sg.value))
    return list(dict.fromkeys(quads))


def _role(row: Row, field_name: str, name: str, catalogue: Catalogue):
    try:
        return catalogue.role(name)
    except KeyError as error:
        raise row.error(field_name, error.args[0]) from None


def _power_quads(row: Row, catalogue: Catalogue, g: ox.NamedNode) -> list[ox.Quad]:
    try:
        sector = catalogue.sector(row.sector)
    except KeyError as error:
        raise row.error("sector", error.args[0]) from None
    p = ox.NamedNode(ns.power_iri(row.power_id))
    quads = [
        ox.Quad(p, _A, _tq("Power"), g),
        ox.Quad(p, ox.NamedNode(ns.SKOS + "inScheme"), _tq("Powers"), g),
        ox.Quad(p, ox.NamedNode(ns.DCTERMS + "identifier"), ox.Literal(row.power_id), g),
        ox.Quad(p, ox.NamedNode(ns.SKOS + "prefLabel"), ox.Literal(row.task_vi, language="vi"), g),
        ox.Quad(p, _tq("sector"), ox.NamedNode(sector.iri), g),
    ]
    if row.task_en:
        quads.append(ox.Quad(p, ox.NamedNode(ns.SKOS + "prefLabel"), ox.Literal(row.task_en, language="en"), g))
    if row.defining_provision:
        quads.append(ox.Quad(p, _tq("definingProvision"), ox.Literal(row.defining_provision), g))
    return quads


def _assignment_quads(row: Row, catalogue: Catalogue, g: ox.NamedNode) -> list[ox.Quad]:
    a = ox.NamedNode(ns.assignment_iri(row.id))
    holder = _role(row, "holder", row.holder, catalogue)
    if holder.valid_until and holder.valid_until <= row.valid_from:
        raise row.error("holder", f"{holder.label_vi!r} no longer exists from {holder.valid_until}; "
                                  f"it cannot hold a power from {row.valid_from}")
    quads = [
        ox.Quad(a, _A, _tq("Assignment"), g),
        ox.Quad(a, ox.NamedNode(ns.DCTERMS + "identifier"), ox.Literal(row.id), g),
        ox.Quad(a, _tq("power"), ox.NamedNode(ns.power_iri(row.power_id)), g),
        ox.Quad(a, _tq("holder"), ox.NamedNode(holder.iri), g),
        ox.Quad(a, _tq("mode"), _tq(row.mode_concept), g),
        ox.Quad(a, _tq("legalBasis"), ox.NamedNode(row.legal_basis_iri), g),
        ox.Quad(a, _tq("validFrom"), ox.Literal(row.valid_from, datatype=_DATE), g),
    ]
    if row.valid_until:
        quads.append(ox.Quad(a, _tq("validUntil"), ox.Literal(row.valid_until, datatype=_DATE), g))
    if row.grantor:
        quads.append(ox.Quad(a, _tq("grantor"), ox.NamedNode(_role(row, "grantor", row.grantor, catalogue).iri), g))
    for name in row.former_holders:
        quads.append(ox.Quad(a, _tq("formerHolder"),
                             ox.NamedNode(_role(row, "former_holder", name, catalogue).iri), g))
    if row.place_scope:
        code = row.place_scope
        unit = ns.province_iri(code) if len(code) == 2 else ns.commune_iri(code)
        quads.append(ox.Quad(a, _tq("placeScope"), ox.NamedNode(unit), g))
    if row.open_question:
        quads.append(ox.Quad(a, _tq("openQuestion"), ox.Literal(row.open_question, language="vi"), g))
    if row.source:
        quads.append(ox.Quad(a, ox.NamedNode(ns.PROV + "wasDerivedFrom"), ox.NamedNode(row.source), g))
    if row.note:
        quads.append(ox.Quad(a, ox.NamedNode(ns.SKOS + "note"), ox.Literal(row.note, language="vi"), g))
    return quads


# What the suffix of an instrument's number says: its type and the role that passes it (None: a
# ministry's circular, whose minister the suffix names only by abbreviation).
NUMBER_SUFFIXES = (("NĐ-CP", "Nghị định", "chinh-phu"), ("QĐ-TTg", "Quyết định", "thu-tuong-chinh-phu"),
                   ("NQ-CP", "Nghị quyết", "chinh-phu"), ("TT-", "Thông tư", None))


def instrument_designation(number: str, catalogue: Catalogue) -> str:
    """How a citation names an instrument: 'Nghị định 140/2025/NĐ-CP'.

    The type comes from the catalogue; an instrument not in it (a draft) is named by its number's
    suffix (NĐ-CP → Nghị định, QĐ-TTg → Quyết định, TT- → Thông tư), else by the number alone.

    >>> from registry.catalogue import load_catalogue
    >>> instrument_designation("49/2026/NĐ-CP", load_catalogue())
    'Nghị định 49/2026/NĐ-CP'
    """
    known = catalogue.instruments.get(number)
    if known:
        return known.designation
    for marker, name, _ in NUMBER_SUFFIXES:
        if marker in number:
            return f"{name} {number}"
    return number


def instrument_issuer(number: str, catalogue: Catalogue) -> str | None:
    """The role key of the body that passes an instrument: the catalogue's, else (a draft) its number's suffix.

    >>> from registry.catalogue import load_catalogue
    >>> instrument_issuer("DỰ THẢO/2026/NĐ-CP", load_catalogue()), instrument_issuer("DỰ THẢO/2026", load_catalogue())
    ('chinh-phu', None)
    """
    known = catalogue.instruments.get(number)
    if known:
        return known.issuer
    return next((issuer for marker, _, issuer in NUMBER_SUFFIXES if marker in number), None)


def subdivision_label(number: str, article: str, clause: str = "", point: str = "", *,
                      catalogue: Catalogue) -> str:
    """'điểm a khoản 1 Điều 5 Nghị định 151/2025/NĐ-CP' (Vietnamese citation order, smallest first)."""
    parts = [f"điểm {point}" if point else "", f"khoản {clause}" if clause else "", f"Điều {article}",
             instrument_designation(number, catalogue)]
    return " ".join(p for p in parts if p)


def subdivision_quads(number: str, article: str, clause: str = "", point: str = "", *, catalogue: Catalogue,
                      graph: str) -> list[ox.Quad]:
    """An article, clause or point with its parents up to the instrument (tq:Article/Clause/Point)."""
    g = ox.NamedNode(graph)
    instrument = ox.NamedNode(ns.instrument_iri(number))
    quads = [ox.Quad(instrument, _A, ox.NamedNode(ns.ELI + "LegalResource"), g),
             ox.Quad(instrument, ox.NamedNode(ns.ELI + "id_local"), ox.Literal(number), g)]
    known = catalogue.instruments.get(number)
    if known:
        quads.append(ox.Quad(instrument, ox.NamedNode(ns.ELI + "type_document"), _tq(known.type), g))
    levels = [("Article", article, "", ""), ("Clause", clause, clause, ""), ("Point", point, clause, point)]
    parent = instrument
    for cls, value, c, p in levels:
        if not value:
            break
        s = ox.NamedNode(ns.subdivision_iri(number, article, c or None, p or None))
        quads += [
            ox.Quad(s, _A, _tq(cls), g),
            ox.Quad(s, ox.NamedNode(ns.ELI + "is_part_of"), parent, g),
            ox.Quad(s, ox.NamedNode(ns.ELI + "number"), ox.Literal(value), g),
            ox.Quad(s, _tq("instrument"), instrument, g),
            ox.Quad(s, ox.NamedNode(ns.RDFS + "label"),
                    ox.Literal(subdivision_label(number, article, c, p, catalogue=catalogue), language="vi"), g),
        ]
        parent = s
    return quads


# --- writing and reading back ----------------------------------------------------------------------

def _number_key(text: str) -> tuple[int, str]:
    match = re.match(r"^(\d+)(.*)$", text)
    return (int(match.group(1)), match.group(2)) if match else (0, text)


def legal_order(row: Row) -> tuple:
    """Sort key: instrument, then article, clause and point in legal order, then id."""
    point = (POINT_ORDER.index(row.point[0]), row.point[1:]) if row.point else (-1, "")
    return (row.instrument, _number_key(row.article), _number_key(row.clause) if row.clause else (-1, ""),
            point, row.id)


def write_template(rows: Iterable[Row], path: str | Path) -> None:
    """Write rows as a template (.csv: UTF-8, or .xlsx: sheet 'assignments'), columns in order.

    Raises:
        InputError: the file type is neither .csv nor .xlsx.
    """
    path = Path(path)
    table = [list(COLUMNS)] + [[row.cells()[c] for c in COLUMNS] for row in rows]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(table)
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "assignments"
        for values in table:
            sheet.append(values)      # every cell as text, so dates and numbers round-trip unchanged
        for cell in sheet[1]:
            cell.font = openpyxl.styles.Font(bold=True)
        sheet.freeze_panes = "A2"
        book.save(path)
    else:
        raise InputError(f"unsupported template type {suffix!r}; use .csv or .xlsx", file=str(path))


_ASSIGNMENTS = ns.SPARQL_PREFIXES + """
SELECT ?a ?id ?power ?holder ?mode ?basis ?from ?until ?grantor ?place ?oq ?source ?note
       (GROUP_CONCAT(STR(?former); separator=" ") AS ?formers) WHERE {
  %s
  ?a dcterms:identifier ?id ; tq:power ?power ; tq:holder ?holder ; tq:mode ?mode ;
     tq:legalBasis ?basis ; tq:validFrom ?from .
  OPTIONAL { ?a tq:validUntil ?until }
  OPTIONAL { ?a tq:grantor ?grantor }
  OPTIONAL { ?a tq:placeScope ?place }
  OPTIONAL { ?a tq:openQuestion ?oq }
  OPTIONAL { ?a prov:wasDerivedFrom ?source }
  OPTIONAL { ?a skos:note ?note }
  OPTIONAL { ?a tq:formerHolder ?former }
} GROUP BY ?a ?id ?power ?holder ?mode ?basis ?from ?until ?grantor ?place ?oq ?source ?note
"""

_POWERS = ns.SPARQL_PREFIXES + """
SELECT ?p ?id ?vi ?en ?sector ?defining WHERE {
  ?p a tq:Power ; dcterms:identifier ?id ; skos:prefLabel ?vi ; tq:sector ?sector .
  FILTER(lang(?vi) = "vi")
  OPTIONAL { ?p skos:prefLabel ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?p tq:definingProvision ?defining }
}
"""

_SUBDIVISIONS = ns.SPARQL_PREFIXES + """
SELECT ?s ?class ?number ?parent ?instrument WHERE {
  ?s a ?class ; eli:number ?number ; eli:is_part_of ?parent ; tq:instrument/eli:id_local ?instrument .
  VALUES ?class { tq:Article tq:Clause tq:Point }
}
"""


def rows_from_store(backend, catalogue: Catalogue, graph: str | None = None) -> list[Row]:
    """The assignments in a store as template rows, in legal order (the inverse of rows_to_quads).

    Args:
        backend: a registry.store.Backend.
        catalogue: gives each role and sector the name the template writes (its Vietnamese label).
        graph: only the assignments of this named graph (default: all).
    Returns:
        one Row per assignment.
    """
    scope = f"GRAPH <{graph}> {{ ?a a tq:Assignment }}" if graph else "?a a tq:Assignment ."
    _, powers = backend.select(_POWERS)
    power = {}
    for p, pid, vi, en, sector, defining in powers:
        power.setdefault(p.value, (pid.value, vi.value, en.value if en else "", sector.value,
                                   defining.value if defining else ""))
    _, subs = backend.select(_SUBDIVISIONS)
    sub = {s.value: (cls.value.rsplit("#", 1)[1], n.value, parent.value, inst.value) for s, cls, n, parent, inst in subs}

    def role_name(iri: str) -> str:
        key = iri.rsplit("/", 1)[1]
        return catalogue.roles[key].label_vi if key in catalogue.roles else key

    def sector_name(iri: str) -> str:
        key = iri.rsplit("/", 1)[1]
        return catalogue.sectors[key].label_vi if key in catalogue.sectors else key

    def basis(iri: str) -> dict[str, str]:
        cells = {"article": "", "clause": "", "point": "", "instrument": ""}
        while iri in sub:
            cls, number, parent, instrument = sub[iri]
            cells[{"Article": "article", "Clause": "clause", "Point": "point"}[cls]] = number
            cells["instrument"] = instrument
            iri = parent
        return cells

    modes = {f"{ns.TQ}{concept}": label for concept, label in MODES.items()}
    _, found = backend.select(_ASSIGNMENTS % scope)
    rows = []
    for a, rid, p, holder, mode, b, start, until, grantor, place, oq, source, note, formers in found:
        pid, vi, en, sector, defining = power.get(p.value, (p.value.rsplit("/", 1)[1], "", "", "", ""))
        former = sorted((role_name(f) for f in formers.value.split()), key=ns.fold) if formers else []
        rows.append(Row(
            id=rid.value, power_id=pid, task_vi=vi, task_en=en, sector=sector_name(sector) if sector else "",
            defining_provision=defining, holder=role_name(holder.value), mode=modes[mode.value],
            grantor=role_name(grantor.value) if grantor else "", **basis(b.value),
            valid_from=start.value, valid_until=until.value if until else "",
            former_holder=f" {_LIST_SEPARATOR} ".join(former),
            place_scope=place.value.rsplit("/", 1)[1] if place else "",
            open_question=oq.value if oq else "", source=source.value if source else "",
            note=note.value if note else ""))
    return sorted(rows, key=legal_order)


def row_dicts(rows: Iterable[Row]) -> list[dict[str, str]]:
    """Rows as plain dicts of their template cells (for comparisons and JSON)."""
    return [{k: v for k, v in asdict(r).items() if k in COLUMNS} for r in rows]


__all__ = ["COLUMNS", "REQUIRED", "MODES", "Row", "read_template", "rows_to_quads", "power_definitions",
           "write_template", "rows_from_store", "legal_order", "subdivision_quads", "subdivision_label",
           "instrument_designation", "row_dicts"]
