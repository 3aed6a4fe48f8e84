"""The local executor: stream inputs in bounded batches through the default pipeline into the store.

Memory stays bounded by ``batch_size`` articles times the batches in flight. With ``workers=1`` the pipeline
runs in this process; with more, worker processes run it (``execute.workers``) while this process reads the
inputs, skips what is stored and is the only writer: results are committed in the order the batches were read,
each batch in one transaction together with its rejects, so a killed run loses at most the batches in flight and
a rerun skips everything committed (documents are keyed by content hash and pipeline version). Batches that are
ready together are written in one opening of the database. A run holds the database's run lock throughout (a
second run is refused) but opens the DuckDB file only to write, so readers such as ``warlog serve`` answer
while it runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warlog.data import Article, Reject
from warlog.ingest.readers import IngestLimits, iter_files, iter_inputs
from warlog.store.duckdb_store import PIPELINE_VERSION, RunLock, Store, open_waiting, reject_row


@dataclass
class RunSummary:
    run_id: str
    articles: int = 0
    skipped: int = 0
    events: int = 0
    rejects: int = 0
    clusters: int = 0
    reject_reasons: list[str] = field(default_factory=list)
    stats: list[dict[str, object]] = field(default_factory=list)
    workers: int = 1
    bytes_read: int = 0
    startup_seconds: float = 0.0  # workers started and ready (pipeline loaded)
    process_seconds: float = 0.0  # first batch read to last batch committed
    cluster_seconds: float = 0.0  # the recluster step
    worker_peak_mib: dict[int, float] = field(default_factory=dict)
    recycled: int = 0  # workers replaced by fresh ones after their share of articles
    worker_cpu_seconds: float = 0.0  # CPU time of the pipeline on the batches, all workers together
    parent_cpu_seconds: float = 0.0  # CPU time of this process meanwhile, besides the pipeline (reading, writing)

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles, "skipped": self.skipped, "events": self.events, "rejects": self.rejects}


ProgressFn = Callable[[int, int], None]  # (articles done: processed or already stored, bytes of input done)


class ProcessedIds:
    """The documents already stored by this pipeline version, read once at the start of a run: 8 bytes per
    document (article ids are 64-bit hex digests, kept as a sorted integer array), so a rerun over millions of
    articles skips them without a query per batch."""

    def __init__(self, store: Store) -> None:
        import numpy as np

        rows = store.con.execute("SELECT article_id FROM docs WHERE pipeline_version = ?", [PIPELINE_VERSION]).fetchall()
        ints: list[int] = []
        self.other: set[str] = set()
        for (aid,) in rows:
            try:
                ints.append(int(aid, 16) if len(aid) == 16 else -1)
            except ValueError:
                ints.append(-1)
            if ints[-1] == -1:
                ints.pop()
                self.other.add(aid)
        self.ids = np.unique(np.array(ints, dtype=np.uint64))

    def __contains__(self, aid: str) -> bool:
        import numpy as np

        if len(aid) == 16:
            try:
                x = np.uint64(int(aid, 16))
            except ValueError:
                return aid in self.other
            i = int(np.searchsorted(self.ids, x))
            return i < len(self.ids) and self.ids[i] == x
        return aid in self.other

    def __len__(self) -> int:
        return len(self.ids) + len(self.other)


@dataclass
class _Pending:
    ingest_rejects: list[Reject]
    bytes_pos: int
    n_read: int


def run_paths(
    paths: Sequence[str | Path],
    db: str | Path,
    batch_size: int = 32,
    limits: IngestLimits | None = None,
    on_file: Callable[[int], None] | None = None,
    workers: int = 1,
    on_progress: ProgressFn | None = None,
    warm_up: bool = False,
    recycle_after: int | None = None,
) -> RunSummary:
    """Process ``paths`` into ``db``. ``workers``: processes running the pipeline (1: this one). ``on_progress``
    is called after each commit with the articles done and the input bytes done (also inside one large JSONL
    or WARC file); ``on_file`` (older) with 1 as each file is finished reading. ``recycle_after``: articles
    after which a worker's pipeline is replaced by a fresh one (default ``workers.RECYCLE_AFTER``)."""
    from warlog.execute.workers import RECYCLE_AFTER, InlineRunner, PoolRunner

    files = list(iter_files(paths))
    with RunLock(db):
        with open_waiting(db) as store:
            learned = learned_additions(store)
            done = ProcessedIds(store)
            run_id = store.start_run([str(p) for p in paths])
        summary = RunSummary(run_id, workers=max(1, workers))
        status = "failed"
        merged: list[Any] = []
        runner: InlineRunner | PoolRunner | None = None
        try:
            t0 = time.perf_counter()
            if workers <= 1:
                apply_learned(learned)
                runner = InlineRunner(warm_up=warm_up, recycle_after=recycle_after or RECYCLE_AFTER)
            else:
                runner = PoolRunner(workers, learned, warm_up=warm_up, recycle_after=recycle_after or RECYCLE_AFTER)
            summary.startup_seconds = time.perf_counter() - t0
            t1, c1 = time.perf_counter(), time.process_time()
            max_inflight = 1 if workers <= 1 else 2 * workers
            pending: dict[int, _Pending] = {}
            n_read = 0
            for seq, (batch, ingest_rejects, pos) in enumerate(_batches(files, limits, batch_size, summary, on_file)):
                todo = [a for a in batch if a.article_id not in done]
                summary.skipped += len(batch) - len(todo)
                n_read += len(batch)
                pending[seq] = _Pending(ingest_rejects, pos, n_read)
                runner.submit(seq, todo, run_id)
                if runner.inflight >= max_inflight:
                    _commit(db, runner, pending, summary, merged, run_id, on_progress, block=True)
            while runner.inflight:
                _commit(db, runner, pending, summary, merged, run_id, on_progress, block=True)
            summary.process_seconds = time.perf_counter() - t1
            own = summary.worker_cpu_seconds if workers <= 1 else 0.0  # one worker: the pipeline ran here
            summary.parent_cpu_seconds = time.process_time() - c1 - own
            summary.worker_peak_mib = runner.worker_peaks()
            summary.recycled = runner.recycled
            runner.close()
            runner = None
            from warlog.dedupe.cluster import recluster

            t2 = time.perf_counter()
            with open_waiting(db) as store:
                summary.clusters = len(recluster(store).clusters)
            summary.cluster_seconds = time.perf_counter() - t2
            status = "completed"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            if runner is not None:
                runner.close(abort=True)
            summary.stats = [s.as_dict() for s in merged]
            with open_waiting(db) as store:
                store.finish_run(run_id, status, summary.counts(), summary.stats)
    return summary


def _batches(
    files: list[Path], limits: IngestLimits | None, batch_size: int, s: RunSummary,
    on_file: Callable[[int], None] | None,
) -> Iterator[tuple[list[Article], list[Reject], int]]:
    """Batches of new articles (duplicates within the run dropped), the ingest rejects read with them and the
    input bytes read so far."""
    batch: list[Article] = []
    rejects: list[Reject] = []
    seen: set[str] = set()
    last_path: str | None = None

    def add_bytes(n: int) -> None:
        s.bytes_read += n

    for item in iter_inputs(files, limits, on_bytes=add_bytes):
        path = item.source_path
        if path != last_path:
            if on_file and last_path is not None:
                on_file(1)
            last_path = path
        if isinstance(item, Reject):
            rejects.append(item)
            s.rejects += 1
            s.reject_reasons.append(f"{item.source_path}: {item.reason}")
            continue
        if item.article_id in seen:
            s.skipped += 1
            continue
        seen.add(item.article_id)
        batch.append(item)
        if len(batch) >= batch_size:
            yield batch, rejects, s.bytes_read
            batch, rejects = [], []
    yield batch, rejects, s.bytes_read
    if on_file and last_path is not None:
        on_file(1)


def _commit(
    db: str | Path, runner: Any, pending: dict[int, _Pending], s: RunSummary, merged: list[Any], run_id: str,
    on_progress: ProgressFn | None, block: bool,
) -> None:
    """Write the next batch's result, and every following one already there, in one opening of the database
    (one transaction per batch)."""
    results = []
    res = runner.next_result(block=block)
    while res is not None:
        results.append(res)
        res = runner.next_result(block=False) if runner.inflight else None
    if not results:
        return
    with open_waiting(db) as store:
        for res in results:
            p = pending.pop(res.seq)
            rows = res.rows or {}
            rows["rejects"] = [reject_row(r, run_id) for r in p.ingest_rejects] + rows.get("rejects", [])
            store.write_rows(rows)
            s.events += len(rows.get("events", []))
            s.articles += res.n_docs
            for r in res.stage_rejects:
                s.reject_reasons.append(f"{r.source_path}: {r.reason}")
            s.rejects += len(res.stage_rejects)
            s.worker_cpu_seconds += res.cpu_seconds
            _merge_stats(merged, res.stats)
            if on_progress:
                on_progress(p.n_read, p.bytes_pos)


def _merge_stats(merged: list[Any], stats: list[Any]) -> None:
    if not merged:
        merged.extend(stats)
        return
    for acc, st in zip(merged, stats, strict=False):
        acc.docs_in += st.docs_in
        acc.docs_out += st.docs_out
        acc.seconds += st.seconds
        acc.counters.update(st.counters)


def apply_learned(learned: Store | dict[str, dict[str, str]]) -> dict[str, int]:
    """Load what a database taught (``learned_additions``: the analysts' lexicon additions, a retrained
    sub-event model) into actor matching, the gazetteer and event typing of this process."""
    from warlog.extract.actors import register_aliases
    from warlog.resolve.geocode import gazetteer
    add = learned_additions(learned) if isinstance(learned, Store) else learned
    n_actor = register_aliases(add.get("actor", {}))
    n_place = sum(gazetteer().add_alias(a, v) for a, v in add.get("place", {}).items())
    n_model = 0
    model = add.get("event_model", {}).get("path")
    if model:
        from warlog.extract.event_model import use_model

        use_model(Path(model))
        n_model = 1
    return {"actor": n_actor, "place": n_place, "event_model": n_model}


def learned_additions(store: Store) -> dict[str, dict[str, str]]:
    """What this database taught: the analysts' lexicon additions, and the sub-event model ``warlog learn``
    wrote next to it (``<db>.event_model.npz``) when there is one."""
    from warlog.learn import local_model_path
    from warlog.store.review import lexicon_additions

    add = dict(lexicon_additions(store))
    local = local_model_path(store.path)
    if local.exists():
        add["event_model"] = {"path": str(local)}
    return add
