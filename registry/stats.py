"""`thamquyen stats`: what the registry holds, counted per graph, unit type, instrument, sector, level and mode."""

from __future__ import annotations

from .namespaces import SPARQL_PREFIXES
from .store import Backend

UNITS_BY_TYPE = SPARQL_PREFIXES + """
SELECT ?key (COUNT(?u) AS ?n) WHERE {
  ?u tq:unitType/skos:prefLabel ?type ; a ?class .
  FILTER(lang(?type) = "vi")
  OPTIONAL { ?u tq:validUntil ?until }
  BIND(CONCAT(IF(BOUND(?until), "legacy ", "current "), STRAFTER(STR(?class), "#"), " / ", ?type) AS ?key)
} GROUP BY ?key ORDER BY ?key
"""

ASSIGNMENTS_BY = SPARQL_PREFIXES + """
SELECT ?key (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  ?a a tq:Assignment .
  {pattern}
}} GROUP BY ?key ORDER BY ?key
"""

DIMENSIONS = {
    "assignments per instrument": "?a tq:legalBasis/tq:instrument/eli:id_local ?key .",
    "assignments per sector": "?a tq:power/tq:sector/skos:prefLabel ?key . FILTER(lang(?key) = 'vi')",
    "assignments per holder level": "?a tq:holder/tq:level/skos:prefLabel ?key . FILTER(lang(?key) = 'vi')",
    "assignments per mode": "?a tq:mode/skos:prefLabel ?key . FILTER(lang(?key) = 'vi')",
}


def _counts(backend: Backend, query: str) -> dict[str, int]:
    _, rows = backend.select(query)
    return {row[0].value: int(row[1].value) for row in rows}


def registry_stats(backend: Backend) -> dict[str, dict[str, int]]:
    """Counts per section; every section is a {key: count} mapping."""
    stats = {
        "quads per graph": {g: backend.quad_count(g) for g in backend.graphs()},
        "administrative units": _counts(backend, UNITS_BY_TYPE),
    }
    for title, pattern in DIMENSIONS.items():
        stats[title] = _counts(backend, ASSIGNMENTS_BY.format(pattern=pattern))
    return stats
