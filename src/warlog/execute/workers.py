"""Batch processing for the local executor: in this process (one worker) or in worker processes (several).

The parent process reads inputs, forms batches, skips what is stored and writes results; workers only run the
pipeline. Each worker is a spawned process (no state inherited by fork) holding one pipeline, with BLAS, OpenMP
and tokenizer threads held to one each (``THREAD_ENV``), so N workers use N cores. A worker receives
``(seq, articles, run_id)`` and sends back the table rows of the batch (``store.batch_rows``), its stage
rejects and the stage counters of that batch alone, which the parent adds up. Results are handed out in
submission order (``next_result``), so batches are committed in the order they were read.

Workers end with the parent: a thread in each worker checks that its parent is alive (and on Linux the kernel
sends the worker SIGKILL when the parent dies, ``PR_SET_PDEATHSIG``), so a killed run leaves no processes
behind. A worker that dies (killed for memory, a crash in a native library) ends the run with an error naming
it; what was committed stays, and the rerun resumes after it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from warlog.data import Article, Doc, Reject, content_hash
from warlog.errors import WarlogError

# one thread per worker for every native pool a pipeline may start (numpy's BLAS, OpenMP, tokenizers)
THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
}


class WorkerError(WarlogError):
    code = "W501"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and ``taskset`` restrict)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass
class BatchResult:
    seq: int
    rows: dict[str, list[list[Any]]]
    n_docs: int
    stage_rejects: list[Reject]
    stats: list[Any]  # StageStats of this batch alone, one per stage in pipeline order
    worker_pid: int = 0
    worker_peak_mib: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the pipeline on this batch, in the process that ran it


class BatchProcessor:
    """One pipeline, and the work on one batch. ``learned``: the analysts' lexicon additions (read from the store
    by the parent). ``warm_up``: run one short report through every stage first, so lazily built tables and
    caches are start-up, not throughput (the benchmark asks for it)."""

    def __init__(self, learned: dict[str, dict[str, str]] | None = None, warm_up: bool = False) -> None:
        from warlog.extract.actors import register_aliases
        from warlog.pipeline.default import default_pipeline
        from warlog.resolve.geocode import gazetteer

        if learned:
            register_aliases(learned.get("actor", {}))
            for alias, value in learned.get("place", {}).items():
                gazetteer().add_alias(alias, value)
        self.pipeline = default_pipeline()
        if warm_up:
            from warlog.bench import WARM_UP

            self.pipeline.run_batch([Doc(Article(content_hash(WARM_UP), "warm-up", WARM_UP))])
            self.pipeline.drain_rejects()
            self.take_stats()

    def take_stats(self) -> list[Any]:
        """The stage counters since the last call (the stages start counting afresh)."""
        from warlog.pipeline.base import StageStats

        out = []
        for stage in self.pipeline.stages:
            out.append(stage.stats)
            stage.stats = StageStats(stage.name)
        return out

    def __call__(self, seq: int, articles: list[Article], run_id: str) -> BatchResult:
        from warlog.store.duckdb_store import batch_rows

        c0 = time.process_time()
        out = self.pipeline.run_batch([Doc(a) for a in articles]) if articles else []
        rejects = self.pipeline.drain_rejects()
        rows = batch_rows(out, rejects, run_id)
        return BatchResult(seq, rows, len(out), rejects, self.take_stats(), os.getpid(), peak_mib(),
                           time.process_time() - c0)


class InlineRunner:
    """Batches processed in this process, at once (``--workers 1``)."""

    def __init__(self, learned: dict[str, dict[str, str]] | None = None, warm_up: bool = False) -> None:
        self.proc = BatchProcessor(learned, warm_up)
        self.ready: dict[int, BatchResult] = {}
        self.next_seq = 0
        self.n_workers = 1

    @property
    def inflight(self) -> int:
        return len(self.ready)

    def submit(self, seq: int, articles: list[Article], run_id: str) -> None:
        self.ready[seq] = self.proc(seq, articles, run_id)

    def next_result(self, block: bool = True) -> BatchResult | None:
        res = self.ready.pop(self.next_seq, None)
        if res is not None:
            self.next_seq += 1
        return res

    def worker_peaks(self) -> dict[int, float]:
        return {os.getpid(): peak_mib()}

    def close(self, abort: bool = False) -> None:
        pass


@contextlib.contextmanager
def _env(extra: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, name="warlog-parent-watch", daemon=True).start()


def _worker_main(tasks: Any, results: Any, learned: dict[str, dict[str, str]] | None, warm_up: bool,
                 parent_pid: int) -> None:
    os.environ.update(THREAD_ENV)
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    pid = os.getpid()
    t0 = time.perf_counter()
    try:
        proc = BatchProcessor(learned, warm_up)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which ends the run with it
        results.put(("error", pid, f"{type(exc).__name__}: {exc}"))
        return
    results.put(("ready", pid, time.perf_counter() - t0))
    while True:
        task = tasks.get()
        if task is None:
            break
        seq, articles, run_id = task
        try:
            res = proc(seq, articles, run_id)
        except BaseException as exc:  # noqa: BLE001 - stages turn document errors into rejects; this is worse
            results.put(("error", pid, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}"))
            return
        results.put(("done", pid, res))


@dataclass
class PoolRunner:
    """``n`` worker processes fed through one task queue; results come back in submission order."""

    n_workers: int
    learned: dict[str, dict[str, str]] | None = None
    warm_up: bool = False
    start_timeout: float = 600.0
    startup_seconds: float = 0.0
    ready: dict[int, BatchResult] = field(default_factory=dict)
    peaks: dict[int, float] = field(default_factory=dict)
    next_seq: int = 0
    inflight: int = 0

    def __post_init__(self) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.tasks: Any = ctx.Queue()
        self.results: Any = ctx.Queue()
        t0 = time.perf_counter()
        with _env(THREAD_ENV):  # the children's native libraries read these when they load
            self.procs = [
                ctx.Process(target=_worker_main, args=(self.tasks, self.results, self.learned, self.warm_up, os.getpid()),
                            name=f"warlog-worker-{i}", daemon=True)
                for i in range(self.n_workers)
            ]
            for p in self.procs:
                p.start()
        try:
            n_ready = 0
            deadline = time.monotonic() + self.start_timeout
            while n_ready < self.n_workers:
                kind, pid, payload = self._get(deadline)
                if kind == "error":
                    raise WorkerError(f"worker process {pid} could not start: {payload}")
                n_ready += 1
        except BaseException:
            self.close(abort=True)
            raise
        self.startup_seconds = time.perf_counter() - t0

    def _get(self, deadline: float | None = None) -> tuple[str, int, Any]:
        while True:
            try:
                msg: tuple[str, int, Any] = self.results.get(timeout=0.5)
                return msg
            except queue.Empty:
                pass
            for p in self.procs:
                if not p.is_alive():
                    why = (f"killed by signal {-p.exitcode}" if p.exitcode and p.exitcode < 0 else f"exit code {p.exitcode}")
                    hint = " (out of memory? try fewer --workers or a smaller --batch-size)" if p.exitcode == -9 else ""
                    raise WorkerError(f"worker process {p.pid} died ({why}){hint}; committed batches are kept and a "
                                      "rerun resumes after them")
            if deadline is not None and time.monotonic() > deadline:
                raise WorkerError(f"worker processes did not start within {self.start_timeout:.0f} s")

    def submit(self, seq: int, articles: list[Article], run_id: str) -> None:
        self.inflight += 1
        if not articles:  # nothing to process: no round trip
            self.ready[seq] = BatchResult(seq, {}, 0, [], [])
            return
        self.tasks.put((seq, articles, run_id))

    def next_result(self, block: bool = True) -> BatchResult | None:
        """The result of the next batch in submission order; ``block=False``: None unless it is already here."""
        while self.next_seq not in self.ready:
            if not block:
                try:
                    msg = self.results.get_nowait()
                except queue.Empty:
                    return None
            else:
                msg = self._get()
            kind, pid, payload = msg
            if kind == "error":
                raise WorkerError(f"worker process {pid} failed: {payload}")
            self.ready[payload.seq] = payload
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), payload.worker_peak_mib)
        res = self.ready.pop(self.next_seq)
        self.next_seq += 1
        self.inflight -= 1
        return res

    def worker_peaks(self) -> dict[int, float]:
        return dict(self.peaks)

    def close(self, abort: bool = False) -> None:
        if not abort:
            for _ in self.procs:
                self.tasks.put(None)
            for p in self.procs:
                p.join(30)
        for p in self.procs:
            if p.is_alive():
                p.kill()
                p.join(5)
        self.tasks.cancel_join_thread()
        self.results.cancel_join_thread()
        self.tasks.close()
        self.results.close()
