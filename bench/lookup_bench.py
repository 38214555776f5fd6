"""Benchmark GET /authority: uvicorn serving a registry on loopback, wrk rotating tasks, places and
dates with a Lua script; reports requests/s, latency percentiles, errors, index build time and the
server's peak memory (medians of several runs).

    python -m bench.lookup_bench --registry                  # the real registry (thamquyen init)
    python -m bench.lookup_bench --trig registry-100k.trig   # any TriG / Turtle / N-Quads file
    python -m bench.lookup_bench --synthetic 100000          # bench.generate if present, else a simple one

Needs `wrk` (Debian: apt-get install wrk). Never run by the tests: timings are reported in
bench/README.md, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry import namespaces as ns  # noqa: E402
from registry.errors import ThamquyenError  # noqa: E402
from registry.store import OxigraphBackend, load_files  # noqa: E402

DATES = ["2025-06-15", "2025-08-01", "2026-01-30", "2026-03-01", "2027-06-01"]

LUA = """-- rotate through the request paths written by bench/lookup_bench.py
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


# --- registries ----------------------------------------------------------------------------------

def synthetic_quads(n: int, seed: int = 7):
    """A registry of `n` assignments over the real units, for load only (not legal facts).

    Uses bench.generate (the validator's generator) when it offers `generate_quads(n, seed=…)`;
    otherwise: n/10 powers, each with a district → commune → province chain (2024-08-01,
    2025-07-01, 2026-01-31, ending 2027-03-01) and 7 assignments scoped to random provinces.
    """
    try:
        from bench.generate import generate_quads  # type: ignore[import-not-found]
    except ImportError:
        generate_quads = None
    if generate_quads is not None:
        yield from generate_quads(n, seed=seed)
        return
    import pyoxigraph as ox

    from registry.units import current_units

    rng = random.Random(seed)
    g = ox.NamedNode(ns.GRAPH + "bench")
    a_ = ox.NamedNode(ns.RDF + "type")
    tq = lambda local: ox.NamedNode(ns.TQ + local)  # noqa: E731
    date = lambda d: ox.Literal(d, datatype=ox.NamedNode(ns.XSD + "date"))  # noqa: E731
    label = ox.NamedNode(ns.SKOS + "prefLabel")
    roles = {
        "chu-tich-ubnd-cap-xa": ("IndividualRole", "CommuneLevel", "Chủ tịch Ủy ban nhân dân cấp xã", "Chủ tịch Ủy ban nhân dân {unit}"),
        "ubnd-cap-xa": ("CollectiveRole", "CommuneLevel", "Ủy ban nhân dân cấp xã", "Ủy ban nhân dân {unit}"),
        "chu-tich-ubnd-cap-huyen": ("IndividualRole", "DistrictLevel", "Chủ tịch Ủy ban nhân dân cấp huyện", "Chủ tịch Ủy ban nhân dân {unit}"),
        "ubnd-cap-tinh": ("CollectiveRole", "ProvinceLevel", "Ủy ban nhân dân cấp tỉnh", "Ủy ban nhân dân {unit}"),
        "so-xay-dung": ("CollectiveRole", "ProvinceLevel", "Sở Xây dựng", "Sở Xây dựng {unit}"),
    }
    for key, (cls, level, name, pattern) in roles.items():
        r = ox.NamedNode(ns.role_iri(key))
        yield ox.Quad(r, a_, tq(cls), g)
        yield ox.Quad(r, label, ox.Literal(name, language="vi"), g)
        yield ox.Quad(r, tq("level"), tq(level), g)
        yield ox.Quad(r, tq("concreteLabelPattern"), ox.Literal(pattern), g)
    provinces = [ns.province_iri(p["code"]) for p in current_units()]
    words = ("cấp giấy phép xây dựng thu hồi đất quyết định giá đất chấp thuận địa điểm phê duyệt phương án "
             "bồi thường cưỡng chế kiểm đếm đăng ký biến động công nhận quyền sử dụng").split()
    basis = ox.NamedNode(ns.subdivision_iri("151/2025/NĐ-CP", "5", "1", "a"))
    chain = [("chu-tich-ubnd-cap-huyen", "2024-08-01", "2025-07-01", "PhanQuyen"),
             ("chu-tich-ubnd-cap-xa", "2025-07-01", "2026-01-31", "PhanDinh"),
             ("ubnd-cap-tinh", "2026-01-31", "2027-03-01", "PhanCap")]
    count = 0
    for p in range(max(1, n // 10)):
        power = ox.NamedNode(ns.power_iri(f"bench-{p:05d}"))
        yield ox.Quad(power, a_, tq("Power"), g)
        yield ox.Quad(power, label, ox.Literal(" ".join(rng.sample(words, 6)) + f" {p}", language="vi"), g)
        rows = [(holder, start, end, mode, None) for holder, start, end, mode in chain]
        rows += [(rng.choice(["so-xay-dung", "ubnd-cap-tinh"]), "2025-07-01", "2027-03-01", "UyQuyen",
                  rng.choice(provinces)) for _ in range(7)]
        for holder, start, end, mode, scope in rows:
            if count >= n:
                break
            a = ox.NamedNode(ns.assignment_iri(f"bench-{count:06d}"))
            count += 1
            yield ox.Quad(a, a_, tq("Assignment"), g)
            yield ox.Quad(a, tq("power"), power, g)
            yield ox.Quad(a, tq("holder"), ox.NamedNode(ns.role_iri(holder)), g)
            yield ox.Quad(a, tq("mode"), tq(mode), g)
            yield ox.Quad(a, tq("legalBasis"), basis, g)
            yield ox.Quad(a, tq("validFrom"), date(start), g)
            yield ox.Quad(a, tq("validUntil"), date(end), g)
            if scope:
                yield ox.Quad(a, tq("placeScope"), ox.NamedNode(scope), g)
                yield ox.Quad(a, tq("grantor"), ox.NamedNode(ns.role_iri("ubnd-cap-tinh")), g)


def prepare_store(args, workdir: Path) -> tuple[str, str]:
    """A store directory to serve, and a one-line description of what it holds."""
    from registry.build import build, ontology_quads, unit_quads

    path = Path(args.store) if args.store else workdir / "store"
    backend = OxigraphBackend(path)
    if args.store:
        what = f"store {args.store}"
    elif args.registry:
        build(backend)
        what = "the real registry (thamquyen init)"
    else:
        backend.replace_graphs([*ontology_quads(), *unit_quads()], [])
        if args.trig:
            load_files(backend, [args.trig])
            what = f"{Path(args.trig).name} + ontology + units"
        else:
            backend.replace_graphs(synthetic_quads(args.synthetic), [])
            what = f"synthetic {args.synthetic:,} assignments + ontology + units"
        for extra in args.load or []:
            load_files(backend, [extra])
    n = backend.select(ns.SPARQL_PREFIXES + "SELECT (COUNT(*) AS ?n) { ?a a tq:Assignment }")[1][0][0].value
    del backend
    return str(path), f"{what}: {int(n):,} assignments"


def request_paths(store: str, count: int, seed: int = 1) -> list[str]:
    """`count` /authority paths over the registry's powers, commune / province codes, a few names
    and dates on both sides of 2025-07-01 and 2026-01-31."""
    from registry.lookup import LookupIndex

    index = LookupIndex.load(OxigraphBackend(store))
    rng = random.Random(seed)
    tasks = [p.key for p in index.tasks.powers if index.assignments.get(p.iri)]
    communes = [u for u in index.places.by_code.values() if u.level == "commune"]
    provinces = [u for u in index.places.by_code.values() if u.level == "province"]
    paths = []
    for i in range(count):
        kind = i % 10
        if kind < 7:
            place = rng.choice(communes).code
        elif kind < 9:
            place = rng.choice(provinces).code
        else:
            unit = rng.choice(communes)
            place = index.places.display(unit)  # by name, with diacritics
            try:
                index.places.find(place)
            except ThamquyenError:  # e.g. two Xã Tân Thành in Đồng Tháp: only the code says which
                place = unit.code
        query = {"task": rng.choice(tasks), "place": place, "date": rng.choice(DATES)}
        paths.append("/authority?" + urllib.parse.urlencode(query))
    return paths


# --- the server and wrk ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def parse_wrk(text: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    out = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for pct in ("50", "90", "99"):
        out[f"p{pct}_ms"] = ms(re.search(rf"^\s+{pct}\.000%\s+(\S+)", text, re.M).group(1)) \
            if re.search(rf"^\s+{pct}\.000%", text, re.M) else ms(re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["errors"] = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    out["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    return out


def run(args) -> dict:
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="lookup-bench-"))
    server = None
    try:
        started = time.perf_counter()
        # Oxigraph holds a store open for the life of the process: prepare it in a child process
        # so that the server can open it.
        subprocess.run([sys.executable, "-m", "bench.lookup_bench", "--prepare-into", str(workdir),
                        *args.source_argv], cwd=ROOT, check=True)
        prepared = time.perf_counter() - started
        store, what = json.loads((workdir / "prepared.json").read_text())
        paths = (workdir / "paths.txt").read_text().splitlines()
        (workdir / "rotate.lua").write_text(LUA % {"paths": workdir / "paths.txt"})
        port = free_port()
        env = os.environ | {"THAMQUYEN_STORE": store}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/openapi.json", timeout=1).read()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(server.stderr.read().decode())
                time.sleep(0.1)
        started = time.perf_counter()
        urllib.request.urlopen(base + paths[0], timeout=300).read()  # builds the index
        index_s = time.perf_counter() - started
        for path in paths[:200]:  # every path answers 200 before load is put on
            urllib.request.urlopen(base + path, timeout=10).read()
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s",
                                  "--latency", "-s", str(workdir / "rotate.lua"), base],
                                 capture_output=True, text=True, check=True).stdout
            runs.append(parse_wrk(out))
        result = {
            "registry": what, "prepare_s": round(prepared, 1), "index_build_s": round(index_s, 2),
            "connections": args.connections, "threads": args.threads, "duration_s": args.duration, "runs": len(runs),
            "rps": round(statistics.median(r["rps"] for r in runs)),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
            "p90_ms": round(statistics.median(r["p90_ms"] for r in runs), 2),
            "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
            "errors": sum(r["errors"] for r in runs), "requests": sum(r["requests"] for r in runs),
            "server_peak_rss_mb": round(peak_rss_mb(server.pid)),
        }
        return result
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--registry", action="store_true", help="build the real registry (thamquyen init)")
    source.add_argument("--trig", metavar="FILE", help="an RDF dataset (TriG, Turtle, N-Quads…) to add to the units")
    source.add_argument("--synthetic", type=int, metavar="N", help="N synthetic assignments")
    source.add_argument("--store", metavar="PATH", help="an existing store directory")
    parser.add_argument("--load", action="append", metavar="FILE", help="also load these files")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paths", type=int, default=2000, help="distinct request paths to rotate through")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--prepare-into", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare_into:
        workdir = Path(args.prepare_into)
        store, what = prepare_store(args, workdir)
        (workdir / "paths.txt").write_text("\n".join(request_paths(store, args.paths)) + "\n")
        (workdir / "prepared.json").write_text(json.dumps([store, what], ensure_ascii=False))
        return 0
    argv = sys.argv[1:] if argv is None else argv
    args.source_argv = [a for a in argv if a != "--json"]
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"| {result['registry']} | {result['connections']} | {result['rps']:,} | {result['p50_ms']} | "
              f"{result['p90_ms']} | {result['p99_ms']} | {result['errors']} | {result['index_build_s']} | "
              f"{result['server_peak_rss_mb']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
