"""Reading a draft decree for `check-draft`: the authoring template (CSV / XLSX), RDF, or the draft's
Word text through the extractor — into the quads of one overlay graph, `…/graph/draft/<name>`, with
the draft's effective date and what it repeals or amends.

Nothing here touches a store: a draft is read and checked in memory, and every problem with it is an
`InputError` naming the file, row, column and field (registry.errors).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .catalogue import Catalogue
from .errors import InputError
from .store import RDF_FORMATS, parse_rdf, rdf_format
from .template import (Row, instrument_designation, read_template, rows_to_quads, subdivision_label,
                       write_template)
from .template import _clean as _cell  # a sheet's cell as the template reads it

TEMPLATE_SUFFIXES = (".csv", ".xlsx")
TEXT_SUFFIXES = (".docx", ".txt", ".html", ".htm")    # read by the extractor (registry.extract_text)
SUFFIXES = TEMPLATE_SUFFIXES + TEXT_SUFFIXES + tuple(sorted(RDF_FORMATS))
RELATIONS = ("repeals", "amends")

# The draft's own sheets (XLSX) and sidecar (CSV), documented in docs/model.md.
DRAFT_SHEET = "draft"              # key | value: effective (YYYY-MM-DD), title
AMENDMENTS_SHEET = "amendments"    # what the draft repeals or amends, columns as data/amendments.csv
AMENDMENT_COLUMNS = ("article", "clause", "point", "relation", "target", "target_article", "target_clause",
                     "target_point")
DRAFT_KEYS = ("effective", "title")

_NUMBER = r"\d+/\d{4}/[A-ZĐa-zđ0-9\-]+"
_SHORT = re.compile(rf"^(?P<number>{_NUMBER})(?::(?P<article>\d+[a-z]?)(?:\.(?P<clause>\d+[a-z]?)"
                    r"(?:\.(?P<point>[a-zđ]\d*))?)?)?$")
_CITATION = re.compile(r"^(?:điểm (?P<point>[a-zđ]\d*),? )?(?:khoản (?P<clause>\d+[a-z]?),? )?"
                       r"(?:Điều (?P<article>\d+[a-z]?),? )?(?:(?:của )?(?:Luật|Nghị định|Nghị quyết|Quyết định"
                       rf"|Thông tư)(?: số)? )?(?P<number>{_NUMBER})$", re.IGNORECASE)
_HEADER_NUMBER = re.compile(rf"^Số:\s*{_NUMBER}")
_BLANK_NUMBER = re.compile(r"^Số:\s*(?:\.{2,}|…+|_+)?\s*/\s*(?P<year>\d{4})\s*/\s*(?P<suffix>[A-ZĐa-zđ0-9\-]+)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLACEHOLDER = "0"                 # the number the extractor is given for an unnumbered draft

_A = ox.NamedNode(ns.RDF + "type")
_XSD_DATE = ox.NamedNode(ns.XSD + "date")
IN_FORCE = ns.ELI + "first_date_entry_in_force"
DATE_PREDICATES = (ns.TQ + "validFrom", ns.TQ + "validUntil", IN_FORCE, ns.ELI + "date_no_longer_in_force")


def draft_graph(name: str) -> str:
    """The overlay graph of a draft: …/graph/draft/<slug of its name>.

    >>> draft_graph("Dự thảo đất đai")
    'https://w3id.org/thamquyen/graph/draft/du-thao-dat-dai'
    """
    return f"{ns.GRAPH}draft/{ns.slug(name) or 'draft'}"


@dataclass(frozen=True)
class Provision:
    """An instrument, or one of its articles, clauses or points, as a draft cites it."""

    number: str
    article: str = ""
    clause: str = ""
    point: str = ""

    @property
    def iri(self) -> str:
        if not self.article:
            return ns.instrument_iri(self.number)
        return ns.subdivision_iri(self.number, self.article, self.clause or None, self.point or None)

    def label(self, catalogue: Catalogue) -> str:
        """'điểm a khoản 1 Điều 5 Nghị định 151/2025/NĐ-CP' (or the instrument's designation)."""
        if not self.article:
            return instrument_designation(self.number, catalogue)
        return subdivision_label(self.number, self.article, self.clause, self.point, catalogue=catalogue)


@dataclass(frozen=True)
class Amendment:
    """What the draft repeals or amends, and where it says so.

    Attributes:
        relation: "repeals" or "amends".
        target: IRI of the instrument, article, clause or point repealed or amended.
        provision: the target as numbers, when the draft wrote them (None for an RDF target).
        stated_by: IRI of the draft's own provision that says it (None: stated for the whole draft).
        source: where it was stated, for people ("--repeals", "sheet amendments, row 2", "RDF").
    """

    relation: str
    target: str
    provision: Provision | None = None
    stated_by: str | None = None
    source: str = ""


@dataclass(frozen=True)
class DraftRow:
    """One assignment of the draft and where it came from (a template row, a provision, an RDF node).

    Attributes:
        assignment: IRI of the draft's assignment.
        row: 1-based data row of the template (for a Word draft: of the proposed rows); None for RDF.
        id: the row id (dcterms:identifier).
        citation: the draft's own article / clause / point, as a citation.
        legal_basis: IRI of that provision.
    """

    assignment: str
    row: int | None
    id: str
    citation: str
    legal_basis: str
    power_id: str = ""
    matched_power: str = ""        # a Word draft's power matched to the registry's by its defining provision


@dataclass
class Draft:
    """A draft decree, read: the quads of its overlay graph and what it says about itself.

    Attributes:
        name: the draft's name (its file's stem), the last part of its graph.
        file: the file name shown in messages (an upload's own name, not a temporary path).
        kind: "template", "text" (read by the extractor) or "rdf".
        number: the draft's instrument number ("" when an RDF draft states none).
        quads: everything the draft states, in its graph.
        rows: the draft's assignments, with their rows and provisions.
        effective: the first day the draft is in force (None: not stated; see registry.draft).
        effective_source: where the date comes from ("--effective", "sheet draft", "RDF", "rows").
        amendments: what it repeals or amends.
        title: the draft's title (the 'draft' sheet's, else "Dự thảo <file name>").
        template_rows: the template rows it was read from (template and Word drafts).
    """

    name: str
    file: str
    kind: str
    number: str
    graph: str
    quads: list[ox.Quad]
    rows: list[DraftRow] = field(default_factory=list)
    effective: dt.date | None = None
    effective_source: str = ""
    amendments: list[Amendment] = field(default_factory=list)
    title: str = ""
    template_rows: list[Row] = field(default_factory=list)


# --- small parsers -------------------------------------------------------------------------------

def parse_date(text: str, *, field_name: str = "effective", file: str | None = None,
               row: int | None = None) -> dt.date:
    """An ISO date (YYYY-MM-DD).

    >>> parse_date("2026-07-01")
    datetime.date(2026, 7, 1)

    Raises:
        InputError: anything else, naming the field.
    """
    text = (text or "").strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{field_name} {text!r} is not a date (YYYY-MM-DD)", file=file, row=row,
                         field=field_name) from None


def parse_provision(text: str, *, field_name: str = "repeals") -> Provision:
    """A repealed or amended provision: `NUMBER[:ARTICLE[.CLAUSE[.POINT]]]` or a Vietnamese citation.

    >>> parse_provision("151/2025/NĐ-CP:5.1.a")
    Provision(number='151/2025/NĐ-CP', article='5', clause='1', point='a')
    >>> parse_provision("khoản 1 Điều 14 Nghị định 49/2026/NĐ-CP")
    Provision(number='49/2026/NĐ-CP', article='14', clause='1', point='')

    Raises:
        InputError: neither form, or a point without its clause.
    """
    cleaned = " ".join(text.split())
    match = _SHORT.match(cleaned) or _CITATION.match(cleaned)
    if not match:
        raise InputError(f"{cleaned!r} names no instrument: write NUMBER[:ARTICLE[.CLAUSE[.POINT]]], e.g. "
                         "151/2025/NĐ-CP:5.1.a, or 'điểm a khoản 1 Điều 5 Nghị định 151/2025/NĐ-CP'",
                         field=field_name)
    parts = {k: (match.group(k) or "").lower() if k == "point" else (match.group(k) or "")
             for k in ("number", "article", "clause", "point")}
    if (parts["clause"] or parts["point"]) and not parts["article"]:
        raise InputError(f"{cleaned!r}: a clause or point needs its article", field=field_name)
    if parts["point"] and not parts["clause"]:
        raise InputError(f"{cleaned!r}: a point needs its clause", field=field_name)
    return Provision(**parts)


def parse_provisions(texts: Iterable[str], relation: str) -> list[Amendment]:
    """Amendments from option values (`--repeals`, a web form's field): one per value or per line.

    Raises:
        InputError: a value that `parse_provision` cannot read.
    """
    found = []
    for text in texts:
        for part in re.split(r"[\n;]+", text or ""):
            if part.strip():
                provision = parse_provision(part, field_name=relation)
                found.append(Amendment(relation, provision.iri, provision, None, f"--{relation}"))
    return found


# --- reading -------------------------------------------------------------------------------------

def read_draft(path: str | Path, catalogue: Catalogue, *, name: str | None = None, display: str | None = None,
               effective: dt.date | None = None, amendments: Iterable[Amendment] = ()) -> Draft:
    """Read a draft file into its overlay graph.

    Args:
        path: the draft: .csv / .xlsx (template), .docx / .txt / .html (the extractor), or RDF
            (.ttl, .trig, .jsonld, .nt, .nq, .rdf).
        catalogue: roles and sectors the template's names are matched against.
        name: the draft's name (default: the file's stem).
        display: the file name for messages (default: the path).
        effective: the effective date given by the caller; it overrides the draft's own and fills
            every row without valid_from.
        amendments: repeals / amendments given by the caller, added to the draft's own.
    Returns:
        the draft, with `effective` from the caller, else the draft's own statement, else None.
    Raises:
        InputError: a file that does not parse or a row that cannot be read, with file, row,
            column and field.
    """
    path = Path(path)
    display = display or str(path)
    name = name or Path(display).stem
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", file=display)
    with _located(str(path), display):
        if suffix in TEMPLATE_SUFFIXES:
            draft = _template_draft(path, display, name, catalogue, effective)
        elif suffix in TEXT_SUFFIXES:
            draft = _text_draft(path, display, name, catalogue, effective)
        elif suffix in RDF_FORMATS:
            draft = _rdf_draft(path, display, name, catalogue)
        else:
            raise InputError(f"unsupported draft type {suffix or '(none)'!r}; use one of {', '.join(SUFFIXES)}",
                             file=display)
    if effective is not None:
        draft.effective, draft.effective_source = effective, "--effective"
    draft.amendments = list(amendments) + draft.amendments
    return draft


@contextmanager
def _located(actual: str, display: str) -> Iterator[None]:
    """Errors about a working copy name the file the user gave."""
    try:
        yield
    except InputError as error:
        if error.file in (None, actual) or str(error.file).startswith(tempfile.gettempdir()):
            error.file = display
        raise


def _template_draft(path: Path, display: str, name: str, catalogue: Catalogue, effective: dt.date | None) -> Draft:
    meta, amendments = _draft_tables(path, display)
    own = meta.get("effective")
    fill = effective or own
    with tempfile.TemporaryDirectory() as work:
        source = _with_valid_from(path, fill, Path(work)) if fill else path
        try:
            rows = [replace(r, file=display) for r in read_template(source)]
        except InputError as error:
            raise _hint_effective(error) from None
    draft = _from_rows(rows, display, name, "template", catalogue)
    if own is not None:
        draft.effective, draft.effective_source = own, f"sheet {DRAFT_SHEET}"
    draft.title = meta.get("title") or draft.title
    draft.amendments = _stated_by(amendments, draft.number)
    return draft


def _hint_effective(error: InputError) -> InputError:
    if error.field == "valid_from" and error.message.endswith("is required"):
        error.message += "; or give the draft an effective date (--effective, or the 'draft' sheet)"
    return error


def _from_rows(rows: list[Row], display: str, name: str, kind: str, catalogue: Catalogue) -> Draft:
    if not rows:
        raise InputError("the draft has no assignment rows", file=display)
    number = rows[0].instrument
    for row in rows:
        if row.instrument != number:
            raise row.error("instrument", f"a draft is one instrument: row {rows[0].number} cites {number!r}, "
                                          f"this row {row.instrument!r}")
        if number in catalogue.instruments:
            raise row.error("instrument", f"{number} is already in the registry; a draft's rows cite the draft "
                                          "itself (what it repeals or amends goes in --repeals / --amends or "
                                          "the 'amendments' sheet)")
    graph = draft_graph(name)
    quads = rows_to_quads(rows, graph, catalogue)
    draft_rows = [DraftRow(ns.assignment_iri(r.id), r.number, r.id,
                           subdivision_label(r.instrument, r.article, r.clause, r.point, catalogue=catalogue),
                           r.legal_basis_iri, r.power_id) for r in rows]
    return Draft(name, display, kind, number, graph, quads, draft_rows, title=f"Dự thảo {Path(display).name}",
                 template_rows=rows)


def _with_valid_from(path: Path, effective: dt.date, work: Path) -> Path:
    """A working copy of a template whose empty valid_from cells hold the effective date."""
    copy = work / path.name
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            table = list(csv.reader(f))
        _fill(table, effective)
        with copy.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(table)
        return copy
    book = _workbook(path, path.name)
    sheet = book["assignments"] if "assignments" in book.sheetnames else book.worksheets[0]
    header = [str(c.value or "").strip() for c in sheet[1]] if sheet.max_row else []
    if "valid_from" in header:
        column = header.index("valid_from") + 1
        for cells in sheet.iter_rows(min_row=2):
            if any(c.value not in (None, "") for c in cells) and sheet.cell(cells[0].row, column).value in (None, ""):
                sheet.cell(cells[0].row, column).value = effective.isoformat()
    book.save(copy)
    return copy


def _fill(table: list[list[str]], effective: dt.date) -> None:
    if not table:
        return
    header = [" ".join(h.split()) for h in table[0]]
    if "valid_from" not in header:
        return
    column = header.index("valid_from")
    for values in table[1:]:
        if any(v.strip() for v in values):
            values.extend([""] * (column + 1 - len(values)))
            if not values[column].strip():
                values[column] = effective.isoformat()


def _workbook(path: Path, display: str, read_only: bool = False):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(f"not a readable XLSX workbook: {error}", file=display) from None


def _draft_tables(path: Path, display: str) -> tuple[dict, list[Amendment]]:
    """The 'draft' and 'amendments' sheets of a workbook, or the `<stem>.amendments.csv` beside a CSV."""
    if path.suffix.lower() == ".xlsx":
        book = _workbook(path, display, read_only=True)
        tables = {n: [list(r) for r in book[n].iter_rows(values_only=True)] for n in (DRAFT_SHEET, AMENDMENTS_SHEET)
                  if n in book.sheetnames}
        book.close()
        meta = _meta(tables.get(DRAFT_SHEET, []), display)
        amendments = _amendments(tables.get(AMENDMENTS_SHEET, []), display, f"sheet {AMENDMENTS_SHEET}")
        return meta, amendments
    sidecar = path.with_name(f"{path.stem}.{AMENDMENTS_SHEET}.csv")
    if not sidecar.is_file():
        return {}, []
    with sidecar.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    return {}, _amendments(table, sidecar.name, sidecar.name, file=sidecar.name)


def _meta(table: list[list], display: str) -> dict:
    meta: dict = {}
    for number, values in enumerate(table, start=1):
        cells = [_cell(v) for v in values] + ["", ""]
        key, value = cells[0].lower(), cells[1]
        if not key or (number == 1 and key == "key"):
            continue
        if key not in DRAFT_KEYS:
            raise InputError(f"sheet {DRAFT_SHEET}: unknown key {cells[0]!r}; the keys are {', '.join(DRAFT_KEYS)}",
                             file=display, row=number, column=1)
        meta[key] = parse_date(value, field_name=key, file=display, row=number) if key == "effective" else value
    return meta


def _amendments(table: list[list], display: str, where: str, file: str | None = None) -> list[Amendment]:
    rows = [[_cell(v) for v in values] for values in table]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    header = rows[0]
    unknown = [h for h in header if h and h not in AMENDMENT_COLUMNS + ("instrument",)]
    missing = [c for c in ("relation", "target") if c not in header]
    if unknown or missing:
        raise InputError(f"{where}: the columns are {', '.join(AMENDMENT_COLUMNS)}"
                         + (f"; unknown {', '.join(map(repr, unknown))}" if unknown else "")
                         + (f"; missing {', '.join(missing)}" if missing else ""), file=file or display)
    found = []
    for number, values in enumerate(rows[1:], start=1):
        cells = dict(zip(header, values + [""] * len(header)))

        def error(name: str, message: str) -> InputError:
            return InputError(f"{where}: {message}", file=file or display, row=number,
                              column=header.index(name) + 1 if name in header else None, field=name)

        relation = cells.get("relation", "").lower()
        if relation not in RELATIONS:
            raise error("relation", f"relation must be repeals or amends, not {cells.get('relation')!r}")
        text = cells["target"]
        for part, label in (("target_article", ":"), ("target_clause", "."), ("target_point", ".")):
            if cells.get(part):
                text += label + cells[part]
        try:
            target = parse_provision(text, field_name="target")
        except InputError as problem:
            raise error("target", problem.message) from None
        own = (cells.get("article", ""), cells.get("clause", ""), cells.get("point", ""))
        found.append(Amendment(relation, target.iri, target, "|".join(own) if own[0] else None,
                               f"{where}, row {number}"))
    return found


def _stated_by(amendments: list[Amendment], number: str) -> list[Amendment]:
    """The draft's provision that states each amendment, as an IRI of the draft (article|clause|point)."""
    found = []
    for a in amendments:
        stated = None
        if a.stated_by:
            article, clause, point = a.stated_by.split("|")
            stated = ns.subdivision_iri(number, article, clause or None, point or None)
        found.append(replace(a, stated_by=stated))
    return found


# --- the draft's Word text, through the extractor -------------------------------------------------

def _text_draft(path: Path, display: str, name: str, catalogue: Catalogue, effective: dt.date | None) -> Draft:
    from .extract import extract
    from .extract_text import read_lines

    lines = read_lines(path)
    placeholder = None
    with tempfile.TemporaryDirectory() as work:
        source = path
        if not any(_HEADER_NUMBER.match(line) for line in lines):
            # A draft is numbered when it is issued ("Số:      /2026/NĐ-CP"); give the extractor a
            # placeholder number and call the draft "DỰ THẢO/<year>/<suffix>".
            for i, line in enumerate(lines):
                blank = _BLANK_NUMBER.match(line)
                if blank:
                    placeholder = (f"{_PLACEHOLDER}/{blank['year']}/{blank['suffix']}",
                                   f"DỰ THẢO/{blank['year']}/{blank['suffix']}")
                    lines[i] = f"Số: {placeholder[0]}"
                    break
            source = Path(work) / f"{path.stem}.txt"
            source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proposed = extract(source, source="")
        if placeholder:
            proposed = [_renumbered(row, *placeholder) for row in proposed]
        if not proposed:
            raise InputError("the extractor found no provision that gives a power to a holder", file=display)
        provisions = {n: _cite(r) for n, r in enumerate(proposed, start=1)}
        if effective is not None:
            proposed = [{**r, "valid_from": r["valid_from"] or effective.isoformat()} for r in proposed]
        table = Path(work) / f"{path.stem}.csv"
        write_template([Row(**r) for r in proposed], table)
        try:
            rows = [replace(r, file=display) for r in read_template(table)]
            draft = _from_rows(rows, display, name, "text", catalogue)
        except InputError as error:
            if error.row in provisions:
                error.message += f" (proposed from {provisions[error.row]} of the draft)"
            raise _hint_effective(error) from None
    return draft


def _renumbered(row: dict[str, str], placeholder: str, number: str) -> dict[str, str]:
    old, new = ns.slug(placeholder), ns.slug(number)
    fix = (lambda v: new + v[len(old):] if v.startswith(old) else v)
    return {**row, "instrument": number, "id": fix(row["id"]), "power_id": fix(row["power_id"])}


def _cite(row: dict[str, str]) -> str:
    parts = [f"điểm {row['point']}" if row["point"] else "", f"khoản {row['clause']}" if row["clause"] else "",
             f"Điều {row['article']}"]
    return " ".join(p for p in parts if p)


# --- RDF -----------------------------------------------------------------------------------------

def _rdf_draft(path: Path, display: str, name: str, catalogue: Catalogue) -> Draft:
    graph = draft_graph(name)
    g = ox.NamedNode(graph)
    quads = [ox.Quad(q.subject, q.predicate, q.object, g)
             for q in parse_rdf(path.read_bytes(), rdf_format(path), name=display, graph=graph)]
    if not quads:
        raise InputError("the draft states nothing (no triples)", file=display)
    for q in quads:
        if q.predicate.value in DATE_PREDICATES and (not isinstance(q.object, ox.Literal)
                                                     or q.object.datatype != _XSD_DATE
                                                     or not _valid_date(q.object.value)):
            raise InputError(f"<{q.predicate.value}> of {q.subject} is {q.object}, not an xsd:date (YYYY-MM-DD)",
                             file=display, field=q.predicate.value.rsplit("#", 1)[-1])
    by_subject: dict[str, dict[str, list]] = {}
    for q in quads:
        by_subject.setdefault(str(q.subject), {}).setdefault(q.predicate.value, []).append(q.object)
    own_instruments = {s for s, props in by_subject.items() if IN_FORCE in props or ns.ELI + "repeals" in props
                       or ns.ELI + "amends" in props}
    dates = sorted({v.value for s in own_instruments for v in by_subject[s].get(IN_FORCE, [])})
    if len(dates) > 1:
        raise InputError(f"the draft states several dates of entry into force ({', '.join(dates)}); a draft has one",
                         file=display, field="first_date_entry_in_force")
    numbers = sorted({v.value for s in own_instruments for v in by_subject[s].get(ns.ELI + "id_local", [])})
    draft = Draft(name, display, "rdf", numbers[0] if numbers else "", graph, quads)
    if dates:
        draft.effective, draft.effective_source = dt.date.fromisoformat(dates[0]), "RDF"
    for s, props in by_subject.items():
        for relation in RELATIONS:
            for target in props.get(ns.ELI + relation, []):
                if not isinstance(target, ox.NamedNode):
                    raise InputError(f"eli:{relation} of {s} must name an instrument or provision (an IRI)",
                                     file=display, field=relation)
                draft.amendments.append(Amendment(relation, target.value, None, s[1:-1] if s.startswith("<") else None,
                                                  "RDF"))
    for s, props in sorted(by_subject.items()):
        types = {t.value for t in props.get(ns.RDF + "type", []) if isinstance(t, ox.NamedNode)}
        if ns.TQ + "power" not in props and ns.TQ + "Assignment" not in types:
            continue
        identifier = next((v.value for v in props.get(ns.DCTERMS + "identifier", [])), s.strip("<>").rsplit("/", 1)[-1])
        bases = [b.value for b in props.get(ns.TQ + "legalBasis", []) if isinstance(b, ox.NamedNode)]
        labels = [v.value for b in bases for v in by_subject.get(f"<{b}>", {}).get(ns.RDFS + "label", [])]
        powers = [p.value for p in props.get(ns.TQ + "power", []) if isinstance(p, ox.NamedNode)]
        draft.rows.append(DraftRow(s.strip("<>"), None, identifier, labels[0] if labels else (bases[0] if bases else ""),
                                   bases[0] if bases else "",
                                   powers[0].rsplit("/", 1)[-1] if powers else ""))
    return draft


def _valid_date(text: str) -> bool:
    try:
        return bool(_DATE.match(text)) and dt.date.fromisoformat(text) is not None
    except ValueError:
        return False
