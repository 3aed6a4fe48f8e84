"""Batch processing for the local executor: in this process (one worker) or in worker processes (several).

The parent process reads inputs, forms batches, skips what is stored and writes results; workers only run the
pipeline. Each worker is a spawned process (no state inherited by fork) holding one pipeline, with BLAS, OpenMP
and tokenizer threads held to one each (``THREAD_ENV``), so N workers use N cores. A worker receives
``(seq, articles, run_id)`` and sends back the table rows of the batch (``store.batch_rows``), its stage
rejects and the stage counters of that batch alone, which the parent adds up. Results are handed out in
submission order (``next_result``), so batches are committed in the order they were read.

spaCy's vocabulary grows with every new word it sees (names, numbers, misspellings), so a process that read
millions of articles would keep growing; a worker therefore retires after ``recycle_after`` articles (default
20,000, some minutes of work) and a fresh one takes its place, which keeps memory flat with corpus size at the
cost of one model load per 20,000 articles. One in-process worker reloads its pipeline the same way.

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

RECYCLE_AFTER = 20_000  # articles a worker processes before it is replaced (bounds spaCy's vocabulary growth)

# one thread per worker for every native pool a pipeline may start (numpy's BLAS, OpenMP, tokenizers)
THREAD_ENV = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "BLIS_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
}


class WorkerError(WarlogError):
    """A worker process could not start, failed or died (pipeline range: W201 configuration, W202 a document)."""

    code = "W203"


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
        from warlog.execute.local import apply_learned
        from warlog.pipeline.default import default_pipeline

        if learned:
            apply_learned(learned)
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

    def __init__(self, learned: dict[str, dict[str, str]] | None = None, warm_up: bool = False,
                 recycle_after: int = RECYCLE_AFTER) -> None:
        self.learned, self.warm_up, self.recycle_after = learned, warm_up, recycle_after
        self.proc = BatchProcessor(learned, warm_up)
        self.ready: dict[int, BatchResult] = {}
        self.next_seq = 0
        self.n_workers = 1
        self.done_articles = 0
        self.recycled = 0

    @property
    def inflight(self) -> int:
        return len(self.ready)

    def submit(self, seq: int, articles: list[Article], run_id: str) -> None:
        self.ready[seq] = self.proc(seq, articles, run_id)
        self.done_articles += len(articles)
        if self.done_articles >= self.recycle_after:  # a fresh model and vocabulary (see the module's notes)
            from warlog.extract.nlp import reload_nlp

            reload_nlp()
            self.proc = BatchProcessor(self.learned, self.warm_up)
            self.done_articles = 0
            self.recycled += 1

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
                 parent_pid: int, recycle_after: int = RECYCLE_AFTER) -> None:
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
    n_articles = 0
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
        n_articles += len(articles)
        if n_articles >= recycle_after:
            results.put(("done", pid, res))
            results.put(("retired", pid, None))  # the parent starts a fresh worker; this one exits with 0
            results.close()
            results.join_thread()
            return
        results.put(("done", pid, res))


@dataclass
class PoolRunner:
    """``n`` worker processes fed through one task queue; results come back in submission order."""

    n_workers: int
    learned: dict[str, dict[str, str]] | None = None
    warm_up: bool = False
    recycle_after: int = RECYCLE_AFTER
    start_timeout: float = 600.0
    startup_seconds: float = 0.0
    ready: dict[int, BatchResult] = field(default_factory=dict)
    peaks: dict[int, float] = field(default_factory=dict)
    next_seq: int = 0
    inflight: int = 0
    recycled: int = 0

    def __post_init__(self) -> None:
        import multiprocessing as mp

        self.ctx: Any = mp.get_context("spawn")
        self.tasks: Any = self.ctx.Queue()
        self.results: Any = self.ctx.Queue()
        t0 = time.perf_counter()
        self.procs: list[Any] = []
        for _ in range(self.n_workers):
            self._spawn()
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

    def _spawn(self) -> None:
        with _env(THREAD_ENV):  # the children's native libraries read these when they load
            p = self.ctx.Process(
                target=_worker_main, name=f"warlog-worker-{len(self.procs) + self.recycled}", daemon=True,
                args=(self.tasks, self.results, self.learned, self.warm_up, os.getpid(), self.recycle_after))
            p.start()
        self.procs.append(p)

    def _retire(self, pid: int) -> None:
        """A worker retired after its share of articles: wait for it and start a fresh one (it loads the model
        while the others go on; its 'ready' message is taken and dropped by ``_get``)."""
        for p in [p for p in self.procs if p.pid == pid]:
            p.join(30)
            self.procs.remove(p)
        self.recycled += 1
        self._spawn()

    def _get(self, deadline: float | None = None) -> tuple[str, int, Any]:
        while True:
            try:
                msg: tuple[str, int, Any] = self.results.get(timeout=0.5)
                if deadline is None and msg[0] == "ready":  # a replacement worker is ready: nothing to hand out
                    continue
                if msg[0] == "retired":
                    self._retire(msg[1])
                    continue
                return msg
            except queue.Empty:
                pass
            for p in self.procs:
                if not p.is_alive() and p.exitcode == 0 and deadline is None:
                    continue  # retired: its message is on the way
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
                if msg[0] == "ready":
                    continue
                if msg[0] == "retired":
                    self._retire(msg[1])
                    continue
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
