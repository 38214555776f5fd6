"""Namespaces and the one place where IRIs are minted for units, roles, powers, instruments and graphs."""

from __future__ import annotations

import re
import unicodedata

BASE = "https://w3id.org/thamquyen/"
TQ = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
SHAPES = BASE + "shapes#"  # the validation shapes (shapes/) and the terms of a validation request

ORG = "http://www.w3.org/ns/org#"
ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
CV = "http://data.europa.eu/m8g/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "tq": TQ, "id": ID, "org": ORG, "eli": ELI, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV,
    "cv": CV, "tqsh": SHAPES, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "sh": SH,
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# Named graphs that are not per instrument.
ONTOLOGY_GRAPH = GRAPH + "ontology"
UNITS_GRAPH = GRAPH + "units"
CATALOGUE_GRAPH = GRAPH + "catalogue"      # roles, powers, sectors
INSTRUMENTS_GRAPH = GRAPH + "instruments"  # metadata of legal instruments and their subdivisions


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces: the key names are matched on.

    >>> fold("  Chủ tịch Ủy ban nhân dân  cấp Xã ")
    'chu tich uy ban nhan dan cap xa'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().split())


def slug(text: str) -> str:
    """ASCII slug for IRIs.

    >>> slug("140/2025/NĐ-CP")
    '140-2025-nd-cp'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def province_iri(code: str | int) -> str:
    return f"{ID}unit/province/{int(code):02d}"


def commune_iri(code: str | int) -> str:
    return f"{ID}unit/commune/{int(code):05d}"


def legacy_province_iri(code: str | int) -> str:
    return f"{ID}unit/legacy/province/{int(code):02d}"


def legacy_district_iri(code: str | int) -> str:
    return f"{ID}unit/legacy/district/{int(code):03d}"


def legacy_commune_iri(code: str | int) -> str:
    return f"{ID}unit/legacy/commune/{int(code):05d}"


def role_iri(key: str) -> str:
    """A role as the law names it, e.g. role_iri('chu-tich-ubnd-cap-xa')."""
    return f"{ID}role/{key}"


def concrete_authority_iri(role_key: str, unit_code: str) -> str:
    """The authority of one unit: the role IRI + '/' + the unit's code (see tq:ConcreteAuthority)."""
    return f"{ID}role/{role_key}/{unit_code}"


def power_iri(key: str) -> str:
    return f"{ID}power/{key}"


def sector_iri(key: str) -> str:
    return f"{ID}sector/{slug(key)}"


def instrument_iri(number: str) -> str:
    """A legal instrument from its number: instrument_iri('140/2025/NĐ-CP')."""
    return f"{ID}instrument/{slug(number)}"


def instrument_graph(number: str) -> str:
    """The named graph holding the assignments an instrument makes."""
    return f"{GRAPH}{slug(number)}"


def subdivision_iri(number: str, article: str, clause: str | None = None, point: str | None = None) -> str:
    """Article / clause / point of an instrument.

    >>> subdivision_iri("140/2025/NĐ-CP", "4", "1")
    'https://w3id.org/thamquyen/id/instrument/140-2025-nd-cp/dieu-4/khoan-1'
    """
    iri = f"{instrument_iri(number)}/dieu-{slug(article)}"
    if clause:
        iri += f"/khoan-{slug(clause)}"
    if point:
        iri += f"/diem-{point_slug(point)}"
    return iri


def point_slug(point: str) -> str:
    """Slug of a point letter; 'đ' is a letter of its own (điểm d ≠ điểm đ), so it becomes 'dd'.

    >>> point_slug("d"), point_slug("đ")
    ('d', 'dd')
    """
    return slug(point.replace("đ", "dd").replace("Đ", "dd"))


def assignment_iri(key: str) -> str:
    return f"{ID}assignment/{slug(key)}"
