"""Shards: the unit of work of distributed executors.

A shard is a list of input files. ``process_shard`` runs the default pipeline over them in bounded batches and
writes one Parquet file per table (``articles``, ``docs``, ``events``, ``claims``, ``rejects``) into the shard's
folder, then a completion marker ``_SUCCESS.json`` with its counters, written last and atomically (a temporary
file renamed). A shard with a marker is finished: a rerun skips it. ``load_shards`` is the single writer step: it
loads every finished shard into the store in one transaction each, and marks it ``_LOADED`` (loading twice is
harmless: the store's writes are idempotent).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from warlog.data import Article, Doc, Reject
from warlog.ingest.readers import iter_inputs
from warlog.store.duckdb_store import TABLE_COLUMNS, Store, batch_rows

MARKER = "_SUCCESS.json"
LOADED = "_LOADED"


@dataclass
class ShardResult:
    shard_id: str
    skipped: bool
    articles: int = 0
    events: int = 0
    rejects: int = 0
    seconds: float = 0.0
    stats: list[dict[str, Any]] = field(default_factory=list)


def plan_shards(files: Sequence[Path], n_shards: int) -> list[list[Path]]:
    """Round-robin files over ``n_shards`` shards (deterministic: the same inputs give the same shards)."""
    n = max(1, min(n_shards, len(files))) if files else 1
    shards: list[list[Path]] = [[] for _ in range(n)]
    for i, f in enumerate(sorted(files)):
        shards[i % n].append(f)
    return [s for s in shards if s]


def process_shard(
    shard_id: str, files: Sequence[str], out_dir: str, run_id: str, batch_size: int = 32,
    learned: dict[str, dict[str, str]] | None = None,
) -> ShardResult:
    from warlog.extract.actors import register_aliases
    from warlog.pipeline.default import default_pipeline
    from warlog.resolve.geocode import gazetteer

    if learned:  # analysts' lexicon additions, read by the driver from the store
        register_aliases(learned.get("actor", {}))
        for alias, value in learned.get("place", {}).items():
            gazetteer().add_alias(alias, value)

    folder = Path(out_dir) / shard_id
    if (folder / MARKER).is_file():
        return ShardResult(shard_id, skipped=True)
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pipeline = default_pipeline()
    tables: dict[str, list[list[Any]]] = {t: [] for t in TABLE_COLUMNS}
    res = ShardResult(shard_id, skipped=False)
    batch: list[Article] = []
    seen: set[str] = set()

    def flush(items: list[Article], rejects: list[Reject]) -> None:
        out = pipeline.run_batch([Doc(a) for a in items]) if items else []
        rej = [*rejects, *pipeline.drain_rejects()]
        rows = batch_rows(out, rej, run_id)
        for t, rs in rows.items():
            tables[t].extend(rs)
        res.articles += len(out)
        res.events += len(rows["events"])
        res.rejects += len(rej)

    pending: list[Reject] = []
    for item in iter_inputs([Path(f) for f in files]):
        if isinstance(item, Reject):
            pending.append(item)
            continue
        if item.article_id in seen:
            continue
        seen.add(item.article_id)
        batch.append(item)
        if len(batch) >= batch_size:
            flush(batch, pending)
            batch, pending = [], []
    flush(batch, pending)
    for t, rows in tables.items():
        cols = TABLE_COLUMNS[t]
        table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}) if rows else pa.table(
            {c: pa.array([], pa.string()) for c in cols})
        pq.write_table(table, folder / f"{t}.parquet")
    res.seconds = round(time.perf_counter() - t0, 3)
    res.stats = pipeline.stats()
    tmp = folder / (MARKER + ".tmp")
    tmp.write_text(json.dumps({"shard": shard_id, "files": list(files), "articles": res.articles, "events": res.events,
                               "rejects": res.rejects, "seconds": res.seconds}), encoding="utf-8")
    os.replace(tmp, folder / MARKER)
    return res


def load_shards(store: Store, out_dir: str | Path) -> int:
    """Load every finished, not yet loaded shard into the store; returns how many were loaded."""
    n = 0
    for folder in sorted(Path(out_dir).glob("shard-*")):
        if not (folder / MARKER).is_file() or (folder / LOADED).is_file():
            continue
        rows: dict[str, list[list[Any]]] = {}
        for t, cols in TABLE_COLUMNS.items():
            tab = pq.read_table(folder / f"{t}.parquet")
            data = tab.to_pydict()
            rows[t] = [[data[c][i] for c in cols] for i in range(tab.num_rows)]
        store.write_rows(rows)
        (folder / LOADED).write_text("", encoding="utf-8")
        n += 1
    return n
