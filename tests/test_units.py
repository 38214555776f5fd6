"""The administrative units: counts as published, codes, and the old → new succession."""

from registry.namespaces import SPARQL_PREFIXES


def count(registry, pattern: str) -> int:
    _, rows = registry.select(SPARQL_PREFIXES + f"SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0][0].value)


CURRENT = "FILTER NOT EXISTS { ?u tq:validUntil ?end }"


def test_34_provinces_28_tinh_6_cities(registry):
    assert count(registry, f"?u a tq:ProvinceUnit . {CURRENT}") == 34
    assert count(registry, f"?u a tq:ProvinceUnit ; tq:unitType tq:Tinh . {CURRENT}") == 28
    assert count(registry, f"?u a tq:ProvinceUnit ; tq:unitType tq:ThanhPhoTrucThuocTrungUong . {CURRENT}") == 6


def test_3321_commune_level_units(registry):
    assert count(registry, f"?u a tq:CommuneUnit . {CURRENT}") == 3321
    assert count(registry, f"?u a tq:CommuneUnit ; tq:unitType tq:Xa . {CURRENT}") == 2621
    assert count(registry, f"?u a tq:CommuneUnit ; tq:unitType tq:Phuong . {CURRENT}") == 687
    assert count(registry, f"?u a tq:CommuneUnit ; tq:unitType tq:DacKhu . {CURRENT}") == 13


def test_largest_and_smallest_provinces(registry):
    ho_chi_minh = "<https://w3id.org/thamquyen/id/unit/province/79>"
    lai_chau = "<https://w3id.org/thamquyen/id/unit/province/12>"
    assert count(registry, f"?u tq:withinUnit {ho_chi_minh}") == 168
    assert count(registry, f"?u tq:withinUnit {lai_chau}") == 38


def test_legacy_units_end_on_1_july_2025(registry):
    assert count(registry, '?u a tq:ProvinceUnit ; tq:validUntil "2025-07-01"^^xsd:date') == 63
    assert count(registry, '?u a tq:DistrictUnit ; tq:validUntil "2025-07-01"^^xsd:date') == 696
    assert count(registry, "?u a tq:DistrictUnit") == 696
    # Every legacy commune that the conversion table knows has a successor among the 3,321.
    assert count(registry, f"?u tq:succeededBy ?new . ?new a tq:CommuneUnit . "
                           f"FILTER NOT EXISTS {{ ?new tq:validUntil ?e }}") > 10_000


def test_hoan_kiem_succeeds_the_old_wards_of_hoan_kiem_district(registry):
    _, rows = registry.select(SPARQL_PREFIXES + """
        SELECT DISTINCT ?district WHERE {
          ?old tq:succeededBy <https://w3id.org/thamquyen/id/unit/commune/00070> ;
               tq:withinUnit/skos:prefLabel ?district .
        }""")
    assert {r[0].value for r in rows} == {"Quận Hoàn Kiếm", "Quận Ba Đình"}
