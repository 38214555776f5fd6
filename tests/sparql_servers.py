"""Start real SPARQL servers on 127.0.0.1 for the tests and CI: Oxigraph's own server and Virtuoso.

`start(kind, directory)` runs one server with its data in `directory` and returns its THAMQUYEN_SPARQL_*
configuration; `scripts/sparql-server` uses the same code from the shell (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

KINDS = ("oxigraph-server", "virtuoso")

# Graphs a fresh Virtuoso 7.2 holds for itself.
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                          "http://localuriqaserver/sparql", "http://www.w3.org/2002/07/owl#",
                          "urn:activitystreams-owl:map", "urn:core:services:sparql")
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
NumberOfBuffers = 85000
MaxDirtyBuffers = 65000
MaxQueryMem = 1G
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
MaxSortedTopRows = 10000000
MaxConstructTriples = 10000000
[Plugins]
LoadPath = /usr/lib/x86_64-linux-gnu/virtuoso-opensource-7/hosting
"""


@dataclass
class Server:
    """A server this module started: its kind, process id, data directory and client configuration."""

    kind: str
    pid: int
    directory: str
    env: dict[str, str]

    def stop(self, timeout: float = 20.0) -> None:
        stop_pid(self.pid, timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    """The `oxigraph` command of the venv running this code (the `oxigraph` PyPI package), else PATH's."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the oxigraph server is not installed (pip install oxigraph)")
    return found


def available(kind: str) -> bool:
    if kind == "oxigraph-server":
        try:
            oxigraph_binary()
            return True
        except RuntimeError:
            return False
    return shutil.which("virtuoso-t") is not None


def start(kind: str, directory: str | os.PathLike, timeout: float = 120.0) -> Server:
    """Start a server of `kind` with its data under `directory`; returns once it answers queries."""
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    if kind == "oxigraph-server":
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [oxigraph_binary(), "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"]
        env = {"THAMQUYEN_SPARQL_QUERY": f"{base}/query", "THAMQUYEN_SPARQL_UPDATE": f"{base}/update"}
    elif kind == "virtuoso":
        port, sql_port = free_port(), free_port()
        base = f"http://127.0.0.1:{port}"
        ini = directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=directory, http_port=port, sql_port=sql_port))
        command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
        env = {"THAMQUYEN_SPARQL_QUERY": f"{base}/sparql", "THAMQUYEN_SPARQL_UPDATE": f"{base}/sparql-auth",
               "THAMQUYEN_SPARQL_STORE": f"{base}/sparql-graph-crud-auth", "THAMQUYEN_SPARQL_USER": "dba",
               "THAMQUYEN_SPARQL_PASSWORD": "dba", "THAMQUYEN_SPARQL_AUTH": "digest",
               "THAMQUYEN_SPARQL_IGNORE_GRAPHS": " ".join(VIRTUOSO_SYSTEM_GRAPHS)}
    else:
        raise ValueError(f"unknown server kind {kind!r}; one of {', '.join(KINDS)}")
    log = open(directory / "server.log", "ab")
    process = subprocess.Popen(command, cwd=directory, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    server = Server(kind, process.pid, str(directory), env)
    try:
        _wait_until_answering(env["THAMQUYEN_SPARQL_QUERY"], process, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_answering(query_url: str, process: subprocess.Popen, timeout: float) -> None:
    url = query_url + "?query=ASK%7B%7D"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {query_url} within {timeout:g} s")


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie that nobody reaped does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def stop_pid(pid: int, timeout: float = 20.0) -> None:
    """Stop a server process (and its session) started here: SIGTERM, then SIGKILL after `timeout`."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    except PermissionError:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
            if finished:
                return
        except ChildProcessError:  # not our child (started by another process): poll for it
            if not alive(pid):
                return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
