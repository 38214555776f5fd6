"""Full validation of synthetic registries: the fast engine and pyshacl, wall time and peak memory.

    python -m bench.validate_bench                      # 1k, 10k, 100k; pyshacl where it finishes
    python -m bench.validate_bench --sizes 1000 --runs 3 --pyshacl-cutoff 900 --json

Each store (ontology, the real units, `bench.generate` registry) is built once on disk; every run is
a fresh process that opens it and validates it, so the figures are those of `thamquyen validate`:
the time of `validate()` (pull the index, structure shapes, rules) — reported as the median of the
runs — the process's peak resident memory (the store's caches included), the largest share of the
machine's CPU time its VM host stole during a run (/proc/stat) and the highest 1-minute load average
seen at the start or end of a run (other work on the 2 cores slows every figure). pyshacl runs on
the same data as one rdflib graph, cut off after `--pyshacl-cutoff` seconds. Timings are reported
in bench/README.md, never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAST = """
import json, resource, sys, time
from registry.store import OxigraphBackend
from registry.validate import Validator, validate
backend = OxigraphBackend(sys.argv[1])
start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
report = validate(backend, validator=Validator())
seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "findings": len(report.findings),
                  "peak_mb": after.ru_maxrss / 1024}))
"""

REFERENCE = """
import json, logging, resource, sys, time
logging.disable(logging.WARNING)  # rdflib logs each ill-formed date it meets
from registry.store import OxigraphBackend
from registry.validate import Validator
from registry.validation.reference import data_graph, reference_findings
backend = OxigraphBackend(sys.argv[1])
shapes = Validator().shapes
start = time.perf_counter()
findings = reference_findings(data_graph(backend), shapes)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "findings": len(findings),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(directory: Path, n: int, seed: int) -> dict:
    """Build the store of a registry of n assignments in `directory`; return the generator's counts."""
    from bench.generate import build_store

    backend, registry = build_store(directory, n, seed)
    counts = registry.counts()
    del backend
    return counts


def cpu_ticks() -> tuple[int, int]:
    """(all, stolen) CPU ticks of the machine so far (/proc/stat): a VM's host can take its CPU."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields), fields[7]


def run(script: str, store: Path, timeout: float | None) -> dict | None:
    """One measurement in a fresh process, with the share of CPU the host stole and the load average; None when cut off."""
    total, stolen = cpu_ticks()
    load = os.getloadavg()[0]
    try:
        done = subprocess.run([sys.executable, "-c", script, str(store)], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    total_after, stolen_after = cpu_ticks()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["steal"] = (stolen_after - stolen) / max(1, total_after - total)
    result["load"] = max(load, os.getloadavg()[0])
    return result


def measure(n: int, seed: int, runs: int, cutoff: float, reference_up_to: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="validate-bench-") as tmp:
        store = Path(tmp) / "store"
        # build in a child process, so that this process (and its memory) stays small
        counts = json.loads(subprocess.run(
            [sys.executable, "-c", "import json, sys; from bench.validate_bench import build; "
                                   "print(json.dumps(build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))",
             str(store), str(n), str(seed)], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
        fast = [run(FAST, store, None) for _ in range(runs)]
        result = {"assignments": n, "generated": counts,
                  "fast": {"median_s": statistics.median(r["seconds"] for r in fast),
                           "runs_s": [round(r["seconds"], 3) for r in fast],
                           "cpu_s": statistics.median(r["cpu_s"] for r in fast),
                           "peak_mb": max(r["peak_mb"] for r in fast), "findings": fast[0]["findings"],
                           "steal": max(r["steal"] for r in fast), "load": max(r["load"] for r in fast)}}
        if n <= reference_up_to:
            ref = [run(REFERENCE, store, cutoff) for _ in range(runs if n <= 1000 else 1)]
            done = [r for r in ref if r is not None]
            result["pyshacl"] = ({"median_s": statistics.median(r["seconds"] for r in done),
                                  "runs_s": [round(r["seconds"], 1) for r in done],
                                  "peak_mb": max(r["peak_mb"] for r in done), "findings": done[0]["findings"],
                                  "load": max(r["load"] for r in done)}
                                 if len(done) == len(ref) else {"cut_off_s": cutoff})
        shutil.rmtree(store, ignore_errors=True)
    return result


def table(results: list[dict]) -> str:
    lines = ["| assignments | quads | fast engine (median) | runs | its CPU time (median) | CPU stolen by the host "
             "| load average | fast peak memory | findings | pyshacl | pyshacl peak memory |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ref = r.get("pyshacl")
        if ref is None:
            ref_time, ref_mem = "not run", "—"
        elif "cut_off_s" in ref:
            ref_time, ref_mem = f"> {ref['cut_off_s']:.0f} s (cut off)", "—"
        else:
            agree = "same findings" if ref["findings"] == r["fast"]["findings"] else f"{ref['findings']} findings"
            ref_time, ref_mem = f"{ref['median_s']:.1f} s ({agree}; load ≤ {ref['load']:.1f})", f"{ref['peak_mb']:.0f} MB"
        fast = r["fast"]
        lines.append(f"| {r['assignments']:,} | {r['generated']['quads']:,} + units | {fast['median_s']:.2f} s "
                     f"| {min(fast['runs_s']):.2f}–{max(fast['runs_s']):.2f} s | {fast['cpu_s']:.2f} s | ≤ {fast['steal']:.0%} "
                     f"| ≤ {fast['load']:.1f} | {fast['peak_mb']:.0f} MB | {fast['findings']:,} | {ref_time} | {ref_mem} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validate_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="fast-engine runs per size (median reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pyshacl-cutoff", type=float, default=900, help="seconds before a pyshacl run is cut off")
    parser.add_argument("--pyshacl-up-to", type=int, default=10_000, help="run pyshacl up to this size")
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    args = parser.parse_args(argv)
    results = [measure(n, args.seed, args.runs, args.pyshacl_cutoff, args.pyshacl_up_to) for n in args.sizes]
    print(table(results))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
