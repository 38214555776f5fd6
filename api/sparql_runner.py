"""Run SPARQL queries off the event loop, under a time limit and a result-size limit.

Each query runs in a daemon worker thread; at most `workers` run at once. The request waits for the
result until the deadline, then answers 503 and tells the worker to stop: the worker checks between
solutions and stops consuming them. pyoxigraph offers no way to interrupt a single step (sorting or
aggregating a large intermediate result happens inside one call), so a worker busy in such a step
keeps its slot until the step ends; while every slot is held, new queries wait for one and time out.
"""

from __future__ import annotations

import asyncio
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

T = TypeVar("T")


class QueryTimeout(Exception):
    """The query did not finish within the time limit."""


class RunnerBusy(QueryTimeout):
    """Every worker was busy until the deadline (earlier queries are still running)."""


class ResultTooLarge(Exception):
    """The result has more solutions (or triples) than the limit."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(limit)


class Cancelled(Exception):
    """Raised inside a worker whose request has given up on it."""


@dataclass
class Outcome:
    """A query result collected in full: solutions (variables, rows), a boolean, or triples."""

    kind: str  # "solutions", "boolean" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool = False
    triples: list = field(default_factory=list)


def collect(result, max_results: int, cancel: threading.Event) -> Outcome:
    """Consume a pyoxigraph query result (or a remote backend's equivalent) into an Outcome.

    Raises:
        ResultTooLarge: more than `max_results` solutions or triples.
        Cancelled: `cancel` was set while consuming.
    """
    if isinstance(result, ox.QueryBoolean):
        return Outcome("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        width = range(len(variables))
        rows = []
        for solution in result:
            if cancel.is_set():
                raise Cancelled()
            if len(rows) >= max_results:
                raise ResultTooLarge(max_results)
            rows.append(tuple(solution[i] for i in width))
        return Outcome("solutions", variables=variables, rows=rows)
    triples = []
    for triple in result:
        if cancel.is_set():
            raise Cancelled()
        if len(triples) >= max_results:
            raise ResultTooLarge(max_results)
        triples.append(triple)
    return Outcome("graph", triples=triples)


class QueryRunner:
    """At most `workers` queries at once, each in a daemon thread, each within its deadline."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._slots = threading.BoundedSemaphore(self.workers)

    async def run(self, job: Callable[[threading.Event], T], timeout: float) -> T:
        """Run job(cancel) in a worker; its result, or its exception re-raised here.

        Raises:
            QueryTimeout: the job did not finish within `timeout` seconds (it is told to stop).
            RunnerBusy: no worker became free within `timeout` seconds.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        cancel = threading.Event()
        deadline = time.monotonic() + timeout

        def deliver(value=None, error: BaseException | None = None) -> None:
            def settle() -> None:
                if future.done():
                    return
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(value)
            try:
                loop.call_soon_threadsafe(settle)
            except RuntimeError:  # the loop has closed: nobody is waiting any more
                pass

        def work() -> None:
            if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                deliver(error=RunnerBusy())
                return
            try:
                if cancel.is_set():
                    return
                deliver(job(cancel))
            except Cancelled as error:
                traceback.clear_frames(error.__traceback__)
            except BaseException as error:  # handed to the request, which maps it to a status
                # pyoxigraph's result iterators must be dropped in the thread that made them:
                # free the frames (and their locals) here, not wherever the error ends up.
                traceback.clear_frames(error.__traceback__)
                deliver(error=error.with_traceback(None))
            finally:
                self._slots.release()

        threading.Thread(target=work, name="sparql-query", daemon=True).start()
        try:
            return await asyncio.wait_for(future, timeout)
        except (asyncio.TimeoutError, TimeoutError):
            cancel.set()
            raise QueryTimeout() from None
        except asyncio.CancelledError:  # the client went away
            cancel.set()
            raise
