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

from registry.extract import extract, write_csv
from registry.extract_eval import FULL_TEXTS, Score, decree_files, evaluate, legal_dir, ratio, source_urls
from registry.namespaces import slug

REPO = Path(__file__).resolve().parents[1]


def _percent(part: int, whole: int) -> str:
    return f"{100 * ratio(part, whole):.0f}% ({part}/{whole})" if whole else "–"


def _cells(score: Score) -> list[str]:
    return [str(score.rows),
            _percent(score.found_citations, score.gold_citations),
            _percent(score.correct_in_read_articles, score.citations_in_read_articles),
            _percent(score.found_pairs, score.gold_pairs),
            _percent(score.correct_pairs_at_gold, score.pairs_at_gold),
            _percent(score.modes_agree, score.modes_compared),
            _percent(score.formers_agree, score.formers_compared)]


HEADER = ["citations proposed", "citation recall", "citation precision (lower bound)",
          "holder recall", "holder precision", "mode agrees", "former holder agrees"]


def tables(results: dict[str, dict[str, Score]]) -> str:
    """The README table (all four decrees) and the per-decree table, as Markdown."""
    lines = ["| system | " + " | ".join(HEADER) + " |", "|---" * (len(HEADER) + 1) + "|"]
    for system in ("extractor", "baseline"):
        lines.append(f"| {system} | " + " | ".join(_cells(results[system]["all"])) + " |")
    lines += ["", "| decree | system | " + " | ".join(HEADER) + " |", "|---" * (len(HEADER) + 2) + "|"]
    for instrument in FULL_TEXTS:
        for system in ("extractor", "baseline"):
            lines.append(f"| {instrument} | {system} | "
                         + " | ".join(_cells(results[system][instrument])) + " |")
    return "\n".join(lines)


def write_extracted(legal: Path, directory: Path) -> list[Path]:
    """Extract the four full texts into directory/<slug>.csv, each row citing its source URL."""
    directory.mkdir(parents=True, exist_ok=True)
    files, urls = decree_files(legal), source_urls(legal)
    written = []
    for instrument in FULL_TEXTS:
        path = directory / f"{slug(instrument)}.csv"
        rows = extract(files[instrument], source=urls[instrument])
        with open(path, "w", encoding="utf-8", newline="") as stream:
            write_csv(rows, stream)
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
    print(tables(evaluate(legal)))
    if args.write:
        for path in write_extracted(legal, args.write):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
