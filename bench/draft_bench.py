"""Draft check at national scale: a 500-row draft decree against the synthetic 100k-assignment registry.

Three paths are measured, each as the median of several runs:

- warm: `check_draft` with the registry's index already read (registry.draft.DraftBase, as the API
  keeps it), from reading the draft file to the report;
- api: `POST /drafts/validate` in-process (FastAPI TestClient), multipart upload to JSON answer,
  with the app's warm index;
- cli: `thamquyen check-draft` in a fresh process, which must first read the registry's index and
  validates both sides of what the draft touches.

Each warm figure is given as wall and CPU time: on shared machines the CPU time is the cost of the
check itself, the wall time also what other processes took from it.

The draft moves 500 random powers to provincial or commune bodies from its effective date; the
`--repeals` variant also repeals one article of a June 2025 decree of the synthetic registry.

    python -m bench.draft_bench --store var/bench/synthetic-100k --assignments 100000 --rows 500
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from registry import namespaces as ns
from registry.draft import DraftBase, check_draft
from registry.template import Row, write_template

EFFECTIVE = "2026-07-01"
REPEAL = "900/2025/NĐ-CP:5"       # an article of the synthetic registry's first June 2025 decree
HOLDERS = ("Ủy ban nhân dân cấp tỉnh", "Chủ tịch Ủy ban nhân dân cấp xã", "Ủy ban nhân dân cấp xã",
           "Sở Xây dựng")
MARKER = "bench-registry.json"


def registry_store(path: Path, n: int, seed: int):
    """The synthetic registry's store at `path`, generated once (bench.generate) and reused after."""
    from bench.generate import build_store
    from registry.store import OxigraphBackend

    marker = path / MARKER
    wanted = {"assignments": n, "seed": seed}
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        return OxigraphBackend(path)
    started = time.perf_counter()
    backend, _ = build_store(path, n, seed)
    marker.write_text(json.dumps(wanted))
    print(f"generated {n:,} assignments in {time.perf_counter() - started:.0f} s → {path}", file=sys.stderr)
    return backend


def write_draft(backend, path: Path, rows: int, seed: int) -> Path:
    """A draft of `rows` rows, each giving one random power of the registry to another holder."""
    _, found = backend.select(f"SELECT ?p WHERE {{ ?p a <{ns.TQ}Power> }}")
    powers = sorted(p.value for (p,) in found if "/power/syn-" in p.value)
    chosen = random.Random(seed).sample(powers, rows)
    table = []
    for i, power in enumerate(chosen):
        key = power.rsplit("/", 1)[-1]
        table.append(Row(
            id=f"du-thao-bench-{i:04d}", power_id=key, task_vi=f"Thẩm quyền {key}", sector="Xây dựng",
            holder=HOLDERS[i % len(HOLDERS)], mode="phân định", instrument="DỰ THẢO/2026/NĐ-CP",
            article=str(i // 20 + 1), clause=str(i % 20 + 1), note="DỰ THẢO — dự thảo dùng để đo"))
    write_template(table, path)
    return path


def peak_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def timed(runs: int, fn) -> tuple[dict, object]:
    """Median wall and CPU seconds of `runs` calls (CPU: this process's, so other load shows apart)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"median_s": round(statistics.median(walls), 3), "median_cpu_s": round(statistics.median(cpus), 3),
            "runs_s": [round(t, 3) for t in walls]}, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draft_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="var/bench/synthetic-100k", help="store directory (generated if absent)")
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--cli-runs", type=int, default=3)
    args = parser.parse_args(argv)

    store = Path(args.store)
    backend = registry_store(store, args.assignments, args.seed)
    draft = write_draft(backend, store.parent / f"draft-{args.rows}.csv", args.rows, args.seed)
    results = {"registry": {"assignments": args.assignments, "seed": args.seed, "quads": backend.quad_count()},
               "draft_rows": args.rows, "load_average_1min": round(os.getloadavg()[0], 2)}
    del backend

    # a one-off check in a fresh process: reads the registry's index, validates both sides
    command = [sys.executable, "-m", "registry.cli", "--store", str(store), "check-draft", str(draft),
               "--effective", EFFECTIVE, "--format", "json", "-o", "/dev/null"]

    def cli():
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"check-draft exited {done.returncode}: {done.stderr}")
        return done

    wall = []
    for _ in range(args.cli_runs):
        started = time.perf_counter()
        cli()
        wall.append(time.perf_counter() - started)
    results["cli"] = {"median_s": round(statistics.median(wall), 2), "runs_s": [round(t, 2) for t in wall],
                      "peak_rss_mib": round(peak_rss_mib(resource.RUSAGE_CHILDREN))}

    # the API's way: the index and the registry's own findings read once, kept warm
    from registry.store import OxigraphBackend

    backend = OxigraphBackend(store)
    base = DraftBase(backend, findings=True)
    started = time.perf_counter()
    base.get()
    results["warm_up_s"] = round(time.perf_counter() - started, 1)
    results["peak_rss_after_warm_up_mib"] = round(peak_rss_mib())
    for label, repeals in (("warm", ()), ("warm_repeals", (REPEAL,))):
        measured, report = timed(args.runs, lambda: check_draft(backend, draft, effective=EFFECTIVE,
                                                                 repeals=repeals, base=base))
        results[label] = {**measured, "scope": report.scope, "introduced": len(report.introduced),
                          "resolved": len(report.resolved), "changes": len(report.changes),
                          "ended": len(report.ended)}

    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    app = create_app(Settings(max_upload_bytes=20 * 1024 * 1024), backend=backend)
    app.state.draft_base = base
    client = TestClient(app)
    content = draft.read_bytes()

    def post():
        answer = client.post("/drafts/validate", files={"file": (draft.name, content, "text/csv")},
                             data={"effective": EFFECTIVE})
        assert answer.status_code == 200, answer.text
        return answer

    results["api"], _ = timed(args.runs, post)
    results["peak_rss_mib"] = round(peak_rss_mib())
    json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
