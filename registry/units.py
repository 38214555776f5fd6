"""Vietnam's administrative units as RDF, from the maintained `vietnam-provinces` package (never typed by hand).

- The 34 provinces and 3,321 commune-level units in force since 1 July 2025 come from the package's
  data file (nested-divisions.json, General Statistics Office codes).
- The legacy units (63 provinces, their districts and communes) come from its `legacy` module, and
  the old → new succession from its 2025 conversion table; legacy units end on 1 July 2025.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import vietnam_provinces
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH
from vietnam_provinces import _ward_conversion_2025 as ward_conversion
from vietnam_provinces import _province_conversion_2025 as province_conversion
from vietnam_provinces.legacy.base import District as LegacyDistrict
from vietnam_provinces.legacy.base import Province as LegacyProvince
from vietnam_provinces.legacy.base import Ward as LegacyWard

from . import namespaces as ns

REARRANGEMENT_DATE = ward_conversion.EFFECTIVE_DATE  # '2025-07-01', as the package states it
SOURCE = f"https://pypi.org/project/vietnam-provinces/{vietnam_provinces.__version__}/"

UNIT_TYPES = {
    "tỉnh": "Tinh",
    "thành phố trung ương": "ThanhPhoTrucThuocTrungUong",
    "xã": "Xa",
    "phường": "Phuong",
    "đặc khu": "DacKhu",
    "thị trấn": "ThiTran",
    "huyện": "Huyen",
    "quận": "Quan",
    "thị xã": "ThiXa",
    "thành phố": "ThanhPhoCapHuyen",
}

_A = ox.NamedNode(ns.RDF + "type")
_LABEL = ox.NamedNode(ns.SKOS + "prefLabel")
_CODE = ox.NamedNode(ns.TQ + "unitCode")
_TYPE = ox.NamedNode(ns.TQ + "unitType")
_LEVEL = ox.NamedNode(ns.TQ + "level")
_WITHIN = ox.NamedNode(ns.TQ + "withinUnit")
_FROM = ox.NamedNode(ns.TQ + "validFrom")
_UNTIL = ox.NamedNode(ns.TQ + "validUntil")
_SUCCEEDED = ox.NamedNode(ns.TQ + "succeededBy")
_PARTLY = ox.NamedNode(ns.TQ + "partlySucceededBy")
_SOURCE = ox.NamedNode(ns.DCTERMS + "source")
_DATE = ox.NamedNode(ns.XSD + "date")


def _unit(iri: str, cls: str, code: str, name: str, kind: str, level: str, within: str | None,
          graph: ox.NamedNode, *, valid_from: str | None = None, valid_until: str | None = None) -> Iterator[ox.Quad]:
    s = ox.NamedNode(iri)
    yield ox.Quad(s, _A, ox.NamedNode(ns.TQ + cls), graph)
    yield ox.Quad(s, _CODE, ox.Literal(code), graph)
    yield ox.Quad(s, _LABEL, ox.Literal(name, language="vi"), graph)
    yield ox.Quad(s, _TYPE, ox.NamedNode(ns.TQ + UNIT_TYPES[kind]), graph)
    yield ox.Quad(s, _LEVEL, ox.NamedNode(ns.TQ + level), graph)
    if within:
        yield ox.Quad(s, _WITHIN, ox.NamedNode(within), graph)
    if valid_from:
        yield ox.Quad(s, _FROM, ox.Literal(valid_from, datatype=_DATE), graph)
    if valid_until:
        yield ox.Quad(s, _UNTIL, ox.Literal(valid_until, datatype=_DATE), graph)
    yield ox.Quad(s, _SOURCE, ox.NamedNode(SOURCE), graph)


def current_units() -> list[dict]:
    """The package's data file: provinces with their wards (list of dicts, as published)."""
    return json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


def level_quads(g: ox.NamedNode) -> Iterator[ox.Quad]:
    """The dated facts of the 2025 reform: the district level and the legacy units end on 1 July 2025."""
    date = ox.Literal(REARRANGEMENT_DATE, datatype=_DATE)
    yield ox.Quad(ox.NamedNode(ns.TQ + "DistrictLevel"), _UNTIL, date, g)
    yield ox.Quad(ox.NamedNode(ns.TQ + "Rearrangement2025"), _FROM, date, g)


def unit_quads(graph: str = ns.UNITS_GRAPH) -> Iterator[ox.Quad]:
    """All units, current and legacy, with the old → new succession, as quads in `graph`.

    >>> quads = list(unit_quads())
    >>> sum(1 for q in quads if q.predicate.value.endswith("#type") and q.object.value.endswith("#CommuneUnit"))
    13372
    """
    g = ox.NamedNode(graph)
    yield from level_quads(g)
    for province in current_units():
        p_iri = ns.province_iri(province["code"])
        yield from _unit(p_iri, "ProvinceUnit", f"{province['code']:02d}", province["name"],
                         province["division_type"], "ProvinceLevel", None, g, valid_from=REARRANGEMENT_DATE)
        for ward in province["wards"]:
            yield from _unit(ns.commune_iri(ward["code"]), "CommuneUnit", f"{ward['code']:05d}", ward["name"],
                             ward["division_type"], "CommuneLevel", p_iri, g, valid_from=REARRANGEMENT_DATE)

    for province in LegacyProvince.iter_all():
        yield from _unit(ns.legacy_province_iri(province.code.value), "ProvinceUnit", f"{province.code.value:02d}",
                         province.name, province.division_type.value, "ProvinceLevel", None, g,
                         valid_until=REARRANGEMENT_DATE)
    for district in LegacyDistrict.iter_all():
        yield from _unit(ns.legacy_district_iri(district.code.value), "DistrictUnit", f"{district.code.value:03d}",
                         district.name, district.division_type.value, "DistrictLevel",
                         ns.legacy_province_iri(district.province_code.value), g, valid_until=REARRANGEMENT_DATE)
    for ward in LegacyWard.iter_all():
        yield from _unit(ns.legacy_commune_iri(ward.code.value), "CommuneUnit", f"{ward.code.value:05d}",
                         ward.name, ward.division_type.value, "CommuneLevel",
                         ns.legacy_district_iri(ward.district_code.value), g, valid_until=REARRANGEMENT_DATE)

    for entry in province_conversion.OLD_TO_NEW.values():
        old = ox.NamedNode(ns.legacy_province_iri(entry.old_province.code))
        for new in entry.new_provinces:
            yield ox.Quad(old, _SUCCEEDED, ox.NamedNode(ns.province_iri(new.code)), g)
    for entry in ward_conversion.OLD_TO_NEW.values():
        old = ox.NamedNode(ns.legacy_commune_iri(entry.old_ward.code))
        for new in entry.new_wards:
            # tq:partlySucceededBy is a sub-property; both are stated so plain SPARQL needs no inference.
            new_unit = ox.NamedNode(ns.commune_iri(new.code))
            yield ox.Quad(old, _SUCCEEDED, new_unit, g)
            if entry.old_ward.is_partly_merged:
                yield ox.Quad(old, _PARTLY, new_unit, g)
