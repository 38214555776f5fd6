"""The registry's own legal content: the catalogue, the instruments and every data/assignments file.

data/assignments/ holds one or more template files per instrument, named after the instrument's
slug: `140-2025-nd-cp.csv`, and e.g. `140-2025-nd-cp.extracted.csv` for rows from the extractor. Each
instrument's assignments go to its own named graph (namespaces.instrument_graph); powers go to the
catalogue graph and the articles / clauses / points cited to the instruments graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .catalogue import DATA_DIR, Catalogue, catalogue_quads, load_catalogue
from .errors import InputError
from .instruments import instrument_quads, load_amendments
from .template import Row, power_definitions, read_template, rows_to_quads

TEMPLATE_SUFFIXES = (".csv", ".xlsx")


def assignment_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The template files of data/assignments/, sorted by name."""
    folder = data_dir / "assignments"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in TEMPLATE_SUFFIXES and p.is_file())


def instrument_rows(data_dir: Path = DATA_DIR, catalogue: Catalogue | None = None) -> dict[str, list[Row]]:
    """Every row of data/assignments/, grouped by instrument number, checked as one body of content.

    A file is named after its instrument (the part of its name before the first '.'), and all its
    rows cite that instrument, which data/instruments.csv describes; every row has a source; ids
    are unique across all files; a power shared by several files is defined the same way in each;
    an assignment lies within its instrument's dates and ends when its provision is repealed.

    Raises:
        InputError: the first row (or file) that breaks one of these rules.
    """
    catalogue = catalogue or load_catalogue(data_dir)
    slugs = {ns.slug(number): number for number in catalogue.instruments}
    grouped: dict[str, list[Row]] = {}
    seen: dict[str, Row] = {}
    for path in assignment_files(data_dir):
        stem = path.name.split(".", 1)[0]
        number = slugs.get(stem)
        if number is None:
            raise InputError(f"the file name must start with the slug of an instrument of data/instruments.csv "
                             f"(e.g. 140-2025-nd-cp.csv), not {stem!r}", file=str(path))
        for row in read_template(path):
            if row.instrument != number:
                raise row.error("instrument", f"a file of {number} cites {row.instrument!r}")
            if not row.source:
                raise row.error("source", "every row of the registry's data names its source")
            if row.id in seen:
                raise row.error("id", f"id {row.id!r} is already used in {seen[row.id].file}, row {seen[row.id].number}")
            seen[row.id] = row
            grouped.setdefault(number, []).append(row)
    power_definitions(r for rows in grouped.values() for r in rows)
    _check_dates(grouped, catalogue, data_dir)
    return grouped


def _check_dates(grouped: dict[str, list[Row]], catalogue: Catalogue, data_dir: Path) -> None:
    repealed: dict[str, str] = {}       # subdivision or instrument IRI → date the repeal takes effect
    for amendment in load_amendments(data_dir / "amendments.csv", catalogue):
        if amendment.relation == "repeals":
            date = catalogue.instruments[amendment.instrument].date_in_force
            repealed[amendment.target_iri] = min(date, repealed.get(amendment.target_iri, date))
    for number, rows in grouped.items():
        instrument = catalogue.instruments[number]
        for row in rows:
            if instrument.date_in_force and row.valid_from < instrument.date_in_force:
                raise row.error("valid_from", f"{number} is in force only from {instrument.date_in_force}")
            end = instrument.date_no_longer_in_force
            if end and (not row.valid_until or row.valid_until > end):
                raise row.error("valid_until", f"{number} is no longer in force from {end}")
            for iri in _basis_and_parents(row):
                if iri in repealed and (not row.valid_until or row.valid_until > repealed[iri]):
                    raise row.error("valid_until", f"its legal basis is repealed from {repealed[iri]} "
                                                   "(data/amendments.csv); valid_until must not be later")


def _basis_and_parents(row: Row) -> list[str]:
    """The instrument, article, clause and point a row cites, from the whole down to its legal basis."""
    iris = [ns.instrument_iri(row.instrument), ns.subdivision_iri(row.instrument, row.article)]
    if row.clause:
        iris.append(ns.subdivision_iri(row.instrument, row.article, row.clause))
    if row.point:
        iris.append(ns.subdivision_iri(row.instrument, row.article, row.clause, row.point))
    return iris


def content_quads(data_dir: Path = DATA_DIR) -> Iterator[ox.Quad]:
    """Quads of the registry's legal content, each instrument's assignments in its own named graph.

    Everything is read and checked before the first quad is yielded, so a bad row stops the build
    (see registry.build) before anything is written.

    Raises:
        InputError: a malformed data file, with file, row and column.
    """
    catalogue = load_catalogue(data_dir)
    grouped = instrument_rows(data_dir, catalogue)
    quads: list[ox.Quad] = list(catalogue_quads(catalogue))
    quads.extend(instrument_quads(catalogue, with_assignments=grouped, data_dir=data_dir))
    for number, rows in grouped.items():
        quads.extend(rows_to_quads(rows, ns.instrument_graph(number), catalogue,
                                   powers_graph=ns.CATALOGUE_GRAPH, subdivisions_graph=ns.INSTRUMENTS_GRAPH))
    yield from dict.fromkeys(quads)
