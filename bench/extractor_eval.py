"""Precision and recall of `thamquyen extract` against the curated rows, beside the regex baseline.

    .venv/bin/python bench/extractor_eval.py                          # tables (Markdown) on stdout
    .venv/bin/python bench/extractor_eval.py --write data/extracted   # also regenerate the rows

The legal evidence base is $THAMQUYEN_LEGAL_DIR, else ../shared/legal next to the repository.
How rows are matched is in registry/extract_eval.py and docs/extractor.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from registry.extract import extract, write_rows
from registry.extract_eval import (FULL_TEXTS, Evaluation, RereadScore, Score, decree_files, evaluate,
                                   legal_dir, ratio, source_urls)
from registry.namespaces import slug

REPO = Path(__file__).resolve().parents[1]
AUDIT = REPO / "bench" / "extractor_audit.csv"


def _percent(part: int, whole: int) -> str:
    return f"{100 * ratio(part, whole):.0f}% ({part}/{whole})" if whole else "–"


SYSTEMS = ("extractor", "baseline")
CURATED_HEADER = ["citations proposed", "citation recall", "citation precision (lower bound)",
                  "holder recall", "holder precision", "mode agrees", "former holder agrees"]
REREAD_HEADER = ["citation precision", "citation recall", "holder precision", "holder recall"]


def _curated_cells(score: Score) -> list[str]:
    return [str(score.rows),
            _percent(score.found_citations, score.gold_citations),
            _percent(score.correct_in_read_articles, score.citations_in_read_articles),
            _percent(score.found_pairs, score.gold_pairs),
            _percent(score.correct_pairs_at_gold, score.pairs_at_gold),
            _percent(score.modes_agree, score.modes_compared),
            _percent(score.formers_agree, score.formers_compared)]


def _reread_cells(score: RereadScore) -> list[str]:
    return [_percent(score.correct_citations, score.system_citations),
            _percent(score.correct_citations, score.gold_citations),
            _percent(score.correct_pairs, score.system_pairs),
            _percent(score.correct_pairs, score.gold_pairs)]


def _table(title: str, header: list[str], results: dict, cells, per_decree: bool) -> list[str]:
    first = ["decree", "system"] if per_decree else ["system"]
    lines = [title, "", "| " + " | ".join(first + header) + " |", "|---" * (len(first) + len(header)) + "|"]
    for instrument in (FULL_TEXTS if per_decree else ("all",)):
        for system in SYSTEMS:
            lead = [instrument, system] if per_decree else [system]
            lines.append("| " + " | ".join(lead + cells(results[system][instrument])) + " |")
    return lines + [""]


def tables(evaluation: Evaluation, per_decree: bool) -> str:
    """The evaluation as Markdown: totals (README) or per decree (docs/extractor.md)."""
    lines = _table("Against the curated rows of assignments.csv (53 citations, 54 holder pairs):",
                   CURATED_HEADER, evaluation.curated, _curated_cells, per_decree)
    titles = {
        "curated articles": "Against a complete re-reading of the {n} articles the curated rows cite "
                            "(bench/extractor_audit.csv adds the assignments they skip):",
        "random sample": "Against a complete reading of {n} other articles drawn at random, 3 per decree "
                         "(bench/extractor_audit.csv, seed 2025):",
    }
    for scope, results in evaluation.reread.items():
        lines += _table(titles[scope].format(n=evaluation.articles[scope]), REREAD_HEADER, results,
                        _reread_cells, per_decree)
    return "\n".join(lines)


def write_extracted(legal: Path, directory: Path) -> list[Path]:
    """Extract the four full texts into directory/<slug>.csv, each row citing its source URL."""
    directory.mkdir(parents=True, exist_ok=True)
    files, urls = decree_files(legal), source_urls(legal)
    written = []
    for instrument in FULL_TEXTS:
        path = directory / f"{slug(instrument)}.csv"
        write_rows(extract(files[instrument], source=urls[instrument]), path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", metavar="DIR", type=Path,
                        help="also write the proposed rows of the four full texts to DIR/<slug>.csv")
    args = parser.parse_args(argv)
    legal = legal_dir(REPO.parent / "shared" / "legal")
    if legal is None:
        print("legal evidence base not found: set $THAMQUYEN_LEGAL_DIR", file=sys.stderr)
        return 2
    evaluation = evaluate(legal, AUDIT)
    print(tables(evaluation, per_decree=False))
    print(tables(evaluation, per_decree=True))
    if args.write:
        for path in write_extracted(legal, args.write):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
