"""Crash and concurrency proof of the embedded store (registry.generations), re-runnable by anyone.

Kills: a real `thamquyen load` of a generated registry, a rebuild (`thamquyen init` over the store)
and a SPARQL UPDATE through the API are each started as a subprocess and killed with SIGKILL after a
random delay (uniform over the time a full run takes, a little beyond). After every kill the store
is reopened and its quad count and content digest (registry.backup.content_digest) must equal the
state before the write or the state after it — never anything else. A kill that left the state
"after" is undone with `thamquyen restore` before the next one.

Readers: the API serves the store read-only while `thamquyen load` writes into it; client threads
ask a lookup of a real power, a lookup of a power only the load brings, and a SPARQL count, without
pause; every answer must be the one before the load or the one after it, with no error. A
`thamquyen validate` started during the load must report exactly the findings of before or after.

    python -m bench.crash_bench                       # 100k assignments: 20 load kills, 5 init, 5 API
    python -m bench.crash_bench --assignments 10000 --load-kills 30 --json out.json

tests/test_crash.py runs the same functions (fewer kills of init and API, the 100k load).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.backup import content_digest  # noqa: E402
from registry.generations import head_number  # noqa: E402
from registry.namespaces import UNITS_GRAPH  # noqa: E402
from registry.store import OxigraphBackend  # noqa: E402

TOKEN = "crash-bench-token"
REAL_LOOKUP = {"task": "kiem-dem-bat-buoc-d87-k2-dd", "place": "00070", "date": "2026-03-01"}
COUNT_QUERY = ("PREFIX tq: <https://w3id.org/thamquyen/ontology#> "
               "SELECT (COUNT(*) AS ?n) WHERE { ?a a tq:Assignment }")


def thamquyen(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "registry.cli", "--store", str(store), *args]


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True, **options)


def state(store: Path) -> tuple[int, str]:
    """(quads, digest) of the store as a fresh reader sees it."""
    return content_digest(OxigraphBackend(store).snapshot().store)


def prepare(workdir: Path, assignments: int, seed: int = 0) -> dict:
    """The real registry in a store and a backup of it ("before"); a backup of an older registry
    that `init` brings up to date (the units graph missing: "before-init"); a generated registry to load."""
    store = workdir / "store"
    for old in (store, workdir / "before", workdir / "before-init"):
        shutil.rmtree(old, ignore_errors=True)
    run(thamquyen(store, "init"))
    run(thamquyen(store, "backup", str(workdir / "before")))
    OxigraphBackend(store).update(f"DROP GRAPH <{UNITS_GRAPH}>")
    run(thamquyen(store, "backup", str(workdir / "before-init")))
    run(thamquyen(store, "restore", str(workdir / "before")))
    data = workdir / f"synthetic-{assignments}.nq"
    if not data.exists():
        run([sys.executable, "-m", "bench.generate", "-n", str(assignments), "--seed", str(seed), "-o", str(data)])
    return {"store": store, "before": workdir / "before", "before_init": workdir / "before-init", "data": data}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, *, token: str | None = None, max_body: int | None = None) -> tuple[subprocess.Popen, str]:
    """`thamquyen serve` on a free loopback port, answering; returns (process, base URL)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THAMQUYEN_")}
    if token:
        env["THAMQUYEN_WRITE_TOKEN"] = token
    if max_body:
        env["THAMQUYEN_MAX_BODY"] = str(max_body)
    server = subprocess.Popen(thamquyen(store, "serve", "--port", str(port)), cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=2).read()
            return server, base
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- kills ---------------------------------------------------------------------------------------

@dataclass
class Writer:
    """One kind of write: how to start it (a process), and how to tell it has finished."""

    name: str
    store: Path
    start: object  # () -> (process to kill, finished: () -> bool)


def load_writer(store: Path, data: Path) -> Writer:
    def start():
        process = subprocess.Popen(thamquyen(store, "load", str(data)), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return process, lambda: process.poll() is not None
    return Writer("load", store, start)


def init_writer(store: Path) -> Writer:
    def start():
        process = subprocess.Popen(thamquyen(store, "init"), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return process, lambda: process.poll() is not None
    return Writer("init", store, start)


def update_text(data: Path, triples: int) -> str:
    """A SPARQL INSERT DATA of the first `triples` lines of an N-Quads file, into one graph."""
    lines = []
    with data.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip(" .\n").rsplit(" ", 1)  # drop the graph name
            lines.append(parts[0] + " .")
            if len(lines) == triples:
                break
    return "INSERT DATA { GRAPH <https://w3id.org/thamquyen/graph/crash-update> {\n" + "\n".join(lines) + "\n} }"


def api_writer(store: Path, update: str) -> Writer:
    body = update.encode()

    def start():
        server, base = start_server(store, token=TOKEN, max_body=len(body) + 1024)
        done = threading.Event()

        def send():
            request = urllib.request.Request(base + "/sparql", data=body, method="POST", headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
            try:
                urllib.request.urlopen(request, timeout=600).read()
            except OSError:
                pass  # killed meanwhile
            done.set()

        threading.Thread(target=send, daemon=True).start()
        return server, done.is_set
    return Writer("api-update", store, start)


def timed_full_run(writer: Writer, before: Path) -> tuple[float, tuple[int, str]]:
    """Run the write to its end: its duration and the state after it; then put the state before back."""
    started = time.perf_counter()
    process, finished = writer.start()
    while not finished():
        time.sleep(0.02)
    duration = time.perf_counter() - started
    stop(process)
    if process.returncode not in (0, -signal.SIGINT):
        raise RuntimeError(f"{writer.name} failed with exit code {process.returncode}")
    after = state(writer.store)
    run(thamquyen(writer.store, "restore", str(before)))
    return duration, after


def kill_trials(writer: Writer, before_backup: Path, kills: int, rng: random.Random) -> dict:
    """From the state in `before_backup`, kill the write `kills` times at random moments; every
    state must be the one before or the one after. The store is put back to before after each kill."""
    run(thamquyen(writer.store, "restore", str(before_backup)))
    before = state(writer.store)
    duration, after = timed_full_run(writer, before_backup)
    if after == before:
        raise RuntimeError(f"{writer.name} does not change the store: a kill could not be told apart")
    outcomes, phases = Counter(), Counter()
    for _ in range(kills):
        head = head_number(writer.store)
        delay = rng.uniform(0, duration * 1.1)
        process, finished = writer.start()
        started = time.perf_counter()
        while time.perf_counter() - started < delay and not finished():
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.wait()
        partial = any(p.name.endswith(".partial") for p in writer.store.iterdir())
        found = state(writer.store)
        outcome = "before" if found == before else "after" if found == after else "neither"
        outcomes[outcome] += 1
        phases["published" if head_number(writer.store) != head else
               "while writing the new generation" if partial else "before writing began"] += 1
        if outcome != "before":
            run(thamquyen(writer.store, "restore", str(before_backup)))
    return {"writer": writer.name, "kills": kills, "full_run_s": round(duration, 1), "quads_before": before[0],
            "quads_after": after[0], "outcomes": dict(outcomes), "kill_moments": dict(phases)}


# --- readers during a load -----------------------------------------------------------------------

@dataclass
class Probe:
    name: str
    path: str
    answers: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)


def _ask(base: str, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def synthetic_task(data: Path) -> str:
    """The id of the first power of a generated registry (N-Quads)."""
    marker = "<https://w3id.org/thamquyen/id/power/"
    with data.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith(marker):
                return line[len(marker):line.index(">")]
    raise RuntimeError(f"no power in {data}")


def readers_during_load(store: Path, data: Path, threads: int = 2) -> dict:
    """Lookups and queries against `thamquyen serve` while `thamquyen load` writes; see the module doc."""
    server, base = start_server(store)
    try:
        probes = [
            Probe("lookup, real power", "/authority?" + urllib.parse.urlencode(REAL_LOOKUP)),
            Probe("lookup, power the load brings", "/authority?" + urllib.parse.urlencode(
                {"task": synthetic_task(data), "place": "01", "date": "2026-03-01"})),
            Probe("SPARQL count", "/sparql?" + urllib.parse.urlencode({"query": COUNT_QUERY})),
        ]
        before = {p.name: _ask(base, p.path) for p in probes}
        validate = thamquyen(store, "validate", "--format", "json")
        validation_before = subprocess.run(validate, cwd=ROOT, capture_output=True, text=True).stdout
        stopping = threading.Event()

        def client(offset: int):
            i = offset
            while not stopping.is_set():
                probe = probes[i % len(probes)]
                i += 1
                try:
                    probe.answers[_ask(base, probe.path)] += 1
                except Exception as error:  # an error of any kind is what this measures
                    probe.errors.append(repr(error))

        workers = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(threads)]
        for w in workers:
            w.start()
        started = time.perf_counter()
        loading = subprocess.Popen(thamquyen(store, "load", str(data)), cwd=ROOT, stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
        validation_during = subprocess.run(validate, cwd=ROOT, capture_output=True, text=True).stdout
        load_output = loading.communicate()[0]
        load_s = time.perf_counter() - started
        if loading.returncode != 0:
            raise RuntimeError(f"the load failed with exit code {loading.returncode}")
        # keep asking until the server answers from the new state (its lookup index is rebuilt in
        # the background, from the previous index meanwhile)
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and _ask(base, probes[1].path) == before[probes[1].name]:
            time.sleep(0.5)
        time.sleep(1.0)
        stopping.set()
        for w in workers:
            w.join()
        after = {p.name: _ask(base, p.path) for p in probes}
        validation_after = subprocess.run(validate, cwd=ROOT, capture_output=True, text=True).stdout
    finally:
        stop(server)
    report = {"load_s": round(load_s, 1), "load_output": load_output.strip(), "probes": [], "validation": {
        "findings_before": len(json.loads(validation_before)["findings"]),
        "findings_after": len(json.loads(validation_after)["findings"]),
        "during_the_load": ("before" if validation_during == validation_before else
                            "after" if validation_during == validation_after else "neither")}}
    for probe in probes:
        allowed = {before[probe.name], after[probe.name]}
        unexpected = sum(n for answer, n in probe.answers.items() if answer not in allowed)
        report["probes"].append({
            "probe": probe.name, "requests": sum(probe.answers.values()), "errors": len(probe.errors),
            "neither_before_nor_after": unexpected, "before_status": before[probe.name][0],
            "after_status": after[probe.name][0], "changed": before[probe.name] != after[probe.name],
            "answered_before": probe.answers[before[probe.name]], "answered_after": probe.answers[after[probe.name]],
            "first_errors": probe.errors[:3]})
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", type=int, default=100_000, help="size of the generated registry loaded")
    parser.add_argument("--load-kills", type=int, default=20)
    parser.add_argument("--init-kills", type=int, default=5)
    parser.add_argument("--api-kills", type=int, default=5)
    parser.add_argument("--api-triples", type=int, default=100_000, help="triples in the API's INSERT DATA")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", help="keep the stores here (default: a temporary directory)")
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="crash-bench-"))
    rng = random.Random(args.seed)
    try:
        setup = prepare(workdir, args.assignments)
        store, before = setup["store"], setup["before"]
        report = {"assignments": args.assignments, "load_average_1min": round(os.getloadavg()[0], 2), "kills": []}
        writers = [(load_writer(store, setup["data"]), before, args.load_kills),
                   (init_writer(store), setup["before_init"], args.init_kills),
                   (api_writer(store, update_text(setup["data"], args.api_triples)), before, args.api_kills)]
        for writer, start, kills in writers:
            if kills:
                report["kills"].append(kill_trials(writer, start, kills, rng))
                print(json.dumps(report["kills"][-1], ensure_ascii=False), file=sys.stderr)
        run(thamquyen(store, "restore", str(before)))
        report["readers"] = readers_during_load(store, setup["data"])
        report["survived"] = sum(k["outcomes"].get("before", 0) + k["outcomes"].get("after", 0) for k in report["kills"])
        report["total_kills"] = sum(k["kills"] for k in report["kills"])
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    failed = report["survived"] != report["total_kills"] or report["readers"]["validation"]["during_the_load"] == "neither" \
        or any(p["errors"] or p["neither_before_nor_after"] for p in report["readers"]["probes"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
