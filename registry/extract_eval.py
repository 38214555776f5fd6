"""Measure `extract` against the curated rows of the legal evidence base, beside the regex baseline.

Matching is by citation and by holder, nothing looser:

- a row's **citation** is (instrument, article, clause, point), compared exactly; the curated
  `legal_basis` ("điểm a khoản 4 Điều 17 Nghị định 140/2025/NĐ-CP") is parsed into the same four parts;
- a row's **holder** is compared after the same normalisation on every side (`extract_holders.
  parse_holders`: abbreviations written out, "tỉnh" → "cấp tỉnh", qualifiers such as "nơi có dự án"
  and parentheses such as "(khi được … phân cấp)" dropped), then without case or diacritics. A curated
  cell naming two holders ("Chủ tịch UBND cấp tỉnh hoặc cơ quan …") is two (citation, holder) pairs.

Recall counts curated citations / (citation, holder) pairs that a system reproduces. The curated rows
are a sample of each decree, not every assignment in it, so precision is measured where the truth is
known: holder precision over the system's pairs at curated citations; citation precision over the
system's citations inside the articles the curators read — a lower bound, since a citation the
curators skipped in such an article counts as wrong even when it is a real assignment.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .extract import extract
from .extract_structure import mode_of
from .extract_holders import parse_holders
from .namespaces import fold

FULL_TEXTS = ("139/2025/NĐ-CP", "140/2025/NĐ-CP", "144/2025/NĐ-CP", "146/2025/NĐ-CP")

_LEGAL_BASIS = re.compile(r"^(?:điểm ([a-zđ]) )?(?:khoản (\d+[a-z]?) )?Điều (\d+[a-z]?) "
                          r"Nghị định (?:số )?(\d+/\d{4}/NĐ-CP)$")

Citation = tuple[str, str, str, str]      # instrument, article, clause, point


def legal_dir(default: Path | None = None) -> Path | None:
    """The legal evidence base: $THAMQUYEN_LEGAL_DIR, else `default`; None when it does not exist."""
    path = Path(os.environ["THAMQUYEN_LEGAL_DIR"]) if os.environ.get("THAMQUYEN_LEGAL_DIR") else default
    return path if path is not None and (path / "sources").is_dir() else None


def parse_legal_basis(text: str) -> Citation | None:
    """The citation of a curated `legal_basis`, or None when it is not one exact provision.

    >>> parse_legal_basis("điểm a khoản 4 Điều 17 Nghị định 140/2025/NĐ-CP")
    ('140/2025/NĐ-CP', '17', '4', 'a')
    >>> parse_legal_basis("131/2025/NĐ-CP Điều 26 (per GitHub note)") is None
    True
    """
    m = _LEGAL_BASIS.match(" ".join(text.split()))
    if not m:
        return None
    point, clause, article, instrument = m.groups()
    return instrument, article, clause or "", point or ""


def holder_keys(cell: str) -> set[str]:
    """The normalised holders of a holder cell, for comparison (cells may use " | " between holders).

    >>> sorted(holder_keys("UBND cấp xã (khi được UBND cấp tỉnh phân cấp)"))
    ['uy ban nhan dan cap xa']
    """
    keys = set()
    for part in cell.split(" | "):
        part = re.sub(r"\([^()]*\)", " ", part)
        keys.update(fold(h.name) for h in parse_holders(part))
    return keys


def _mode_key(text: str) -> str:
    """The mode a curated or baseline `mode` cell starts with ("phân cấp by UBND cấp tỉnh …")."""
    head = re.split(r"[(/]| by ", text)[0]
    return mode_of(head) or ""


@dataclass
class Rows:
    """One system's (or the curators') rows for some instruments, indexed by citation."""

    holders: dict[Citation, set[str]] = field(default_factory=lambda: defaultdict(set))
    modes: dict[Citation, set[str]] = field(default_factory=lambda: defaultdict(set))
    formers: dict[Citation, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, citation: Citation, holders: set[str], mode: str, formers: set[str]) -> None:
        self.holders[citation] |= holders
        if mode:
            self.modes[citation].add(mode)
        self.formers[citation] |= formers


def curated_rows(legal: Path, instruments=FULL_TEXTS) -> Rows:
    """The curated rows of assignments.csv for `instruments` whose legal basis is one provision."""
    rows = Rows()
    with open(legal / "assignments.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            citation = parse_legal_basis(row["legal_basis"])
            if citation is None or citation[0] not in instruments:
                continue
            before = row["holder_before"]
            formers = set() if before.startswith("not stated") else holder_keys(before)
            rows.add(citation, holder_keys(row["holder_after"]), _mode_key(row["mode"]), formers)
    return rows


def baseline_rows(legal: Path, instruments=FULL_TEXTS) -> Rows:
    """The regex baseline (assignments_autoextracted.csv) for `instruments`."""
    rows = Rows()
    with open(legal / "assignments_autoextracted.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            citation = parse_legal_basis(row["legal_basis"])
            if citation is None or citation[0] not in instruments:
                continue
            rows.add(citation, holder_keys(row["holder_after_detected"]),
                     _mode_key(row["mode_from_heading"]), holder_keys(row["holder_before_detected"]))
    return rows


def extracted_rows(template_rows: list[dict[str, str]]) -> Rows:
    """Rows proposed by `extract`, indexed like the others."""
    rows = Rows()
    for row in template_rows:
        citation = (row["instrument"], row["article"], row["clause"], row["point"])
        rows.add(citation, holder_keys(row["holder"]), row["mode"], holder_keys(row["former_holder"]))
    return rows


def decree_files(legal: Path) -> dict[str, Path]:
    """The full texts in sources/ by instrument number (read from each file's header), .docx first."""
    found: dict[str, Path] = {}
    for path in sorted((legal / "sources").iterdir(), key=lambda p: (p.suffix != ".docx", p.name)):
        m = re.match(r"ND-(\d+)-(\d{4})-", path.name)
        if m and path.suffix in (".docx", ".txt"):
            found.setdefault(f"{m.group(1)}/{m.group(2)}/NĐ-CP", path)
    return found


def source_urls(legal: Path) -> dict[str, str]:
    """The source URL decrees.csv gives for each instrument (its first URL, where it has one)."""
    urls: dict[str, str] = {}
    with open(legal / "decrees.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            found = re.search(r"https?://\S+", row["source_url"])
            if found:
                urls[row["number"]] = found.group(0)
    return urls


@dataclass
class Score:
    """Counts behind precision and recall; `ratio` turns a pair into a fraction."""

    gold_citations: int = 0
    found_citations: int = 0           # curated citations the system has
    citations_in_read_articles: int = 0
    correct_in_read_articles: int = 0
    gold_pairs: int = 0
    found_pairs: int = 0               # curated (citation, holder) pairs the system has
    pairs_at_gold: int = 0             # system pairs at curated citations
    correct_pairs_at_gold: int = 0
    modes_compared: int = 0
    modes_agree: int = 0
    formers_compared: int = 0
    formers_agree: int = 0
    rows: int = 0

    def __iadd__(self, other: "Score") -> "Score":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def citation_recall(self) -> float:
        return ratio(self.found_citations, self.gold_citations)

    @property
    def citation_precision(self) -> float:
        return ratio(self.correct_in_read_articles, self.citations_in_read_articles)

    @property
    def holder_recall(self) -> float:
        return ratio(self.found_pairs, self.gold_pairs)

    @property
    def holder_precision(self) -> float:
        return ratio(self.correct_pairs_at_gold, self.pairs_at_gold)


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score(gold: Rows, system: Rows, instrument: str) -> Score:
    """Compare one instrument's system rows with the curated rows (see the module docstring)."""
    result = Score()
    gold_citations = {c for c in gold.holders if c[0] == instrument}
    system_citations = {c for c in system.holders if c[0] == instrument}
    result.rows = len(system_citations)
    read_articles = {c[:2] for c in gold_citations}
    result.gold_citations = len(gold_citations)
    result.found_citations = len(gold_citations & system_citations)
    in_read = {c for c in system_citations if c[:2] in read_articles}
    result.citations_in_read_articles = len(in_read)
    result.correct_in_read_articles = len(in_read & gold_citations)
    for citation in gold_citations:
        truth = gold.holders[citation]
        proposed = system.holders.get(citation, set())
        result.gold_pairs += len(truth)
        result.found_pairs += len(truth & proposed)
        result.pairs_at_gold += len(proposed)
        result.correct_pairs_at_gold += len(proposed & truth)
        if citation in system_citations and gold.modes.get(citation):
            result.modes_compared += 1
            result.modes_agree += bool(system.modes.get(citation, set()) & gold.modes[citation])
        if citation in system_citations:
            result.formers_compared += 1
            result.formers_agree += gold.formers.get(citation, set()) == system.formers.get(citation, set())
    return result


@dataclass
class RereadScore:
    """Counts over articles read in full: every assignment in them is known, so both ratios are exact."""

    gold_citations: int = 0
    system_citations: int = 0
    correct_citations: int = 0         # system citations that make an assignment
    gold_pairs: int = 0
    system_pairs: int = 0
    correct_pairs: int = 0             # system (citation, holder) pairs that are right

    def __iadd__(self, other: "RereadScore") -> "RereadScore":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def citation_precision(self) -> float:
        return ratio(self.correct_citations, self.system_citations)

    @property
    def citation_recall(self) -> float:
        return ratio(self.correct_citations, self.gold_citations)

    @property
    def holder_precision(self) -> float:
        return ratio(self.correct_pairs, self.system_pairs)

    @property
    def holder_recall(self) -> float:
        return ratio(self.correct_pairs, self.gold_pairs)


def reread_rows(legal: Path, additions: Path, instruments=FULL_TEXTS) -> tuple[Rows, set[tuple[str, str]]]:
    """The curated rows plus what a complete re-reading added, and the articles read for a sample.

    Args:
        legal: the legal evidence base.
        additions: CSV (instrument, article, clause, point, holder, reading): the (citation, holder)
            pairs the curated rows lack in the articles they cite, and articles drawn at random and
            read in full — a row with no holder declares such an article, the rows after it give
            every assignment in it.

    Returns:
        (rows, sampled articles as (instrument, article)).
    """
    rows = curated_rows(legal, instruments)
    sampled: set[tuple[str, str]] = set()
    with open(additions, encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if not row["holder"]:
                sampled.add((row["instrument"], row["article"]))
                continue
            citation = (row["instrument"], row["article"], row["clause"], row["point"])
            rows.add(citation, holder_keys(row["holder"]) or {fold(row["holder"])}, "", set())
    return rows, sampled


def score_reread(gold: Rows, system: Rows, instrument: str, articles: set[tuple[str, str]]) -> RereadScore:
    """Compare one instrument's system rows with the complete reading of `articles`."""
    result = RereadScore()
    truth = {c for c in gold.holders if c[0] == instrument and c[:2] in articles}
    proposed = {c for c in system.holders if c[0] == instrument and c[:2] in articles}
    result.gold_citations, result.system_citations = len(truth), len(proposed)
    result.correct_citations = len(truth & proposed)
    true_pairs = {(c, h) for c in truth for h in gold.holders[c]}
    proposed_pairs = {(c, h) for c in proposed for h in system.holders[c]}
    result.gold_pairs, result.system_pairs = len(true_pairs), len(proposed_pairs)
    result.correct_pairs = len(true_pairs & proposed_pairs)
    return result


@dataclass
class Evaluation:
    """`curated[system][instrument]`: against the curated rows. `reread[scope][system][instrument]`:
    against complete readings, for scope "curated articles" (the articles the curated rows cite) and
    "random sample" (articles drawn at random elsewhere); empty without the additions file."""

    curated: dict[str, dict[str, Score]]
    reread: dict[str, dict[str, dict[str, RereadScore]]]
    articles: dict[str, int] = field(default_factory=dict)


def _with_total(per: dict, empty):
    total = empty()
    for value in per.values():
        total += value
    per["all"] = total
    return per


def evaluate(legal: Path, additions: Path | None = None) -> Evaluation:
    """Scores of the extractor and of the baseline, per full-text decree and in total.

    Args:
        legal: the legal evidence base (assignments.csv, assignments_autoextracted.csv, sources/).
        additions: the re-reading's additions (bench/extractor_audit.csv), or None to skip it.

    Returns:
        An Evaluation; systems are "extractor" and "baseline", instruments FULL_TEXTS and "all".
    """
    gold = curated_rows(legal)
    files = decree_files(legal)
    systems = {
        "extractor": extracted_rows([row for instrument in FULL_TEXTS
                                     for row in extract(files[instrument], source="")]),
        "baseline": baseline_rows(legal),
    }
    curated = {name: _with_total({i: score(gold, system, i) for i in FULL_TEXTS}, Score)
               for name, system in systems.items()}
    evaluation = Evaluation(curated, {})
    if additions is not None:
        complete, sampled = reread_rows(legal, additions)
        scopes = (("curated articles", {c[:2] for c in gold.holders}), ("random sample", sampled))
        for scope, articles in scopes:
            evaluation.articles[scope] = len(articles)
            evaluation.reread[scope] = {
                name: _with_total({i: score_reread(complete, system, i, articles) for i in FULL_TEXTS},
                                  RereadScore)
                for name, system in systems.items()}
    return evaluation
