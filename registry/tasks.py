"""Powers (tasks) in memory and their search: Vietnamese with or without diacritics, or English,
ranked by exact phrase first, then query words covered, then BM25 over the folded labels.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import namespaces as ns
from .store import Backend

POWERS_QUERY = ns.SPARQL_PREFIXES + """
SELECT ?power ?p ?o WHERE {
  ?power a tq:Power ; ?p ?o .
  FILTER(?p IN (skos:prefLabel, rdfs:label, skos:altLabel, tq:sector, tq:definingProvision, dcterms:identifier))
}"""

SECTORS_QUERY = ns.SPARQL_PREFIXES + """
SELECT ?sector ?label WHERE {
  { ?sector a tq:Sector } UNION { [] tq:sector ?sector }
  OPTIONAL { ?sector skos:prefLabel ?label }
}"""

_WORD = re.compile(r"[a-z0-9]+")

# BM25 parameters (the usual defaults).
K1 = 1.2
B = 0.75


def words(text: str) -> list[str]:
    """Folded words of a text.

    >>> words("Cấp giấy phép xây dựng (khoản 3 Điều 103)")
    ['cap', 'giay', 'phep', 'xay', 'dung', 'khoan', '3', 'dieu', '103']
    """
    return _WORD.findall(ns.fold(text))


@dataclass(slots=True, eq=False)
class Sector:
    iri: str
    key: str
    label: str | None = None
    label_en: str | None = None


@dataclass(slots=True, eq=False)
class Power:
    """A power or task (tq:Power) as the lookup shows it."""

    iri: str
    key: str                      # the stable id after …/id/power/
    label: str                    # Vietnamese
    label_en: str | None = None
    alt_labels: tuple[str, ...] = ()
    sector: Sector | None = None
    defining_provision: str | None = None


def _lang(terms: list, lang: str) -> str | None:
    return next((t.value for t in terms if getattr(t, "language", None) == lang), None)


def load_powers(backend: Backend) -> dict[str, Power]:
    """Every tq:Power of the store with its labels, sector and defining provision (two queries)."""
    sectors: dict[str, Sector] = {}
    for iri, label in backend.select(SECTORS_QUERY)[1]:
        sector = sectors.setdefault(iri.value, Sector(iri.value, iri.value.rsplit("/", 1)[-1]))
        if label is not None:
            if getattr(label, "language", None) == "en":
                sector.label_en = label.value
            elif sector.label is None or getattr(label, "language", None) == "vi":
                sector.label = label.value
    fields: dict[str, dict[str, list]] = {}
    for power, predicate, obj in backend.select(POWERS_QUERY)[1]:
        local = predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        fields.setdefault(power.value, {}).setdefault(local, []).append(obj)
    powers = {}
    for iri, f in fields.items():
        labels = f.get("prefLabel", []) + f.get("label", [])
        label = _lang(labels, "vi") or next((t.value for t in labels if not getattr(t, "language", None)), None)
        if label is None and labels:
            label = labels[0].value
        key = iri.rsplit("/power/", 1)[-1] if "/power/" in iri else iri.rsplit("/", 1)[-1]
        sector_iri = f["sector"][0].value if "sector" in f else None
        powers[iri] = Power(
            iri=iri, key=key, label=label or key, label_en=_lang(labels, "en"),
            alt_labels=tuple(t.value for t in f.get("altLabel", ())),
            sector=sectors.get(sector_iri) if sector_iri else None,
            defining_provision=f["definingProvision"][0].value if "definingProvision" in f else None,
        )
    return powers


class TaskIndex:
    """An inverted index over the folded labels of the powers.

    >>> idx = TaskIndex([Power("p1", "p1", "Cấp giấy phép xây dựng", "Issuing construction permits"),
    ...                  Power("p2", "p2", "Thu hồi đất", "Land recovery")])
    >>> [p.key for p, _ in idx.search("cap giay phep xay dung")]
    ['p1']
    >>> [p.key for p, _ in idx.search("land")]
    ['p2']
    """

    def __init__(self, powers: Iterable[Power]):
        self.powers: list[Power] = list(powers)
        self.by_key: dict[str, Power] = {p.key: p for p in self.powers}
        self.by_iri: dict[str, Power] = {p.iri: p for p in self.powers}
        self.by_label: dict[str, Power] = {}
        self._phrases: list[tuple[str, ...]] = []
        self._lengths: list[int] = []
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for doc, power in enumerate(self.powers):
            for label in (power.label, power.label_en, *power.alt_labels):
                if label:
                    self.by_label.setdefault(ns.fold(label), power)
            texts = [power.label, power.label_en or "", *power.alt_labels, power.key.replace("-", " "),
                     power.defining_provision or ""]
            tokens = [w for t in texts for w in words(t)]
            self._phrases.append(tuple(" ".join(words(t)) for t in (power.label, power.label_en, *power.alt_labels) if t))
            self._lengths.append(len(tokens))
            for word, tf in Counter(tokens).items():
                self._postings.setdefault(word, []).append((doc, tf))
        self._average = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0

    def find(self, text: str) -> Power | None:
        """The power with this id, IRI or (folded) label, if any."""
        text = text.strip()
        return self.by_key.get(text) or self.by_iri.get(text) or self.by_label.get(ns.fold(text))

    def search(self, query: str, keep: Callable[[Power], bool] | None = None) -> list[tuple[Power, float]]:
        """Powers matching `query`, best first, with a score (higher is better).

        The order: labels that contain the query as a phrase; then the share of the query's
        distinct words found; then BM25. Powers for which `keep` is false are left out.
        """
        terms = list(dict.fromkeys(words(query)))
        if not terms:
            return [(p, 0.0) for p in self.powers if keep is None or keep(p)]
        n = len(self.powers)
        scores: dict[int, float] = {}
        covered: Counter = Counter()
        for term in terms:
            postings = self._postings.get(term, ())
            if not postings:
                continue
            idf = math.log(1 + (n - len(postings) + 0.5) / (len(postings) + 0.5))
            for doc, tf in postings:
                norm = tf * (K1 + 1) / (tf + K1 * (1 - B + B * self._lengths[doc] / self._average))
                scores[doc] = scores.get(doc, 0.0) + idf * norm
                covered[doc] += 1
        phrase = " ".join(words(query))
        ranked = []
        for doc, bm25 in scores.items():
            power = self.powers[doc]
            if keep is not None and not keep(power):
                continue
            exact = any(phrase == p for p in self._phrases[doc])
            within = exact or any(f" {phrase} " in f" {p} " for p in self._phrases[doc])
            score = (2.0 if exact else 1.0 if within else 0.0) * 100 + covered[doc] / len(terms) * 10 + bm25
            ranked.append((power, round(score, 4)))
        ranked.sort(key=lambda item: (-item[1], item[0].label))
        return ranked

    def suggest(self, text: str, n: int = 5) -> list[Power]:
        """Powers close to `text`: the best search hits, then close labels and ids (difflib)."""
        found = [p for p, _ in self.search(text)[:n]]
        keys = {ns.fold(p.label): p for p in self.powers} | {p.key: p for p in self.powers}
        for key in difflib.get_close_matches(ns.fold(text), list(keys), n=n, cutoff=0.5):
            if keys[key] not in found:
                found.append(keys[key])
        return found[:n]
