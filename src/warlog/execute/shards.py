"""Shards: the unit of work of distributed executors.

A shard is a list of input files. ``process_shard`` runs the default pipeline over them in bounded batches and
writes its rows in chunks of about ``CHUNK_ARTICLES`` articles (whole batches), one Parquet file per table and
chunk (``articles-000001.parquet``, ``docs-...``, ``events-...``, ``claims-...``, ``rejects-...``) into the
shard's folder, so a task's memory stays bounded by one chunk however large its shard; then a completion marker ``_SUCCESS.json`` with its counters and number of batches, written last
and atomically (a temporary file renamed). A shard with a marker is finished: a rerun skips it. ``load_shards`` is
the single writer step: it loads every finished shard into the store batch by batch (one transaction each, a
document always with its events and claims), and marks it ``_LOADED`` (loading twice is harmless: the store's
writes are idempotent).
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
CHUNK_ARTICLES = 512
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
    from warlog.execute.local import apply_learned
    from warlog.pipeline.default import default_pipeline

    if learned:  # what the database taught (lexicon additions, a retrained model), read by the driver
        apply_learned(learned)

    folder = Path(out_dir) / shard_id
    if (folder / MARKER).is_file():
        return ShardResult(shard_id, skipped=True)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):  # what a killed task left
        old.unlink()
    t0 = time.perf_counter()
    pipeline = default_pipeline()
    res = ShardResult(shard_id, skipped=False)
    n_batches = 0
    tables: dict[str, list[list[Any]]] = {t: [] for t in TABLE_COLUMNS}

    def write_chunk() -> None:
        nonlocal n_batches
        if not any(tables.values()):
            return
        n_batches += 1
        for t, rs in tables.items():
            _write_rows(folder / f"{t}-{n_batches:06d}.parquet", TABLE_COLUMNS[t], rs)
            rs.clear()

    batch: list[Article] = []
    seen: set[str] = set()

    def flush(items: list[Article], rejects: list[Reject]) -> None:
        out = pipeline.run_batch([Doc(a) for a in items]) if items else []
        rej = [*rejects, *pipeline.drain_rejects()]
        rows = batch_rows(out, rej, run_id)
        for t, rs in rows.items():
            tables[t].extend(rs)
        if len(tables["articles"]) >= CHUNK_ARTICLES:
            write_chunk()
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
    write_chunk()
    res.seconds = round(time.perf_counter() - t0, 3)
    res.stats = pipeline.stats()
    tmp = folder / (MARKER + ".tmp")
    tmp.write_text(json.dumps({"shard": shard_id, "files": list(files), "articles": res.articles, "events": res.events,
                               "rejects": res.rejects, "seconds": res.seconds, "batches": n_batches}),
                   encoding="utf-8")
    os.replace(tmp, folder / MARKER)
    return res


def _write_rows(path: Path, cols: list[str], rows: list[list[Any]]) -> None:
    table = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)}) if rows else pa.table(
        {c: pa.array([], pa.string()) for c in cols})
    pq.write_table(table, path)


def _read_rows(path: Path, cols: list[str]) -> list[list[Any]]:
    tab = pq.read_table(path)
    data = tab.to_pydict()
    return [[data[c][i] for c in cols] for i in range(tab.num_rows)]


def load_shards(store: Store, out_dir: str | Path) -> int:
    """Load every finished, not yet loaded shard into the store, batch by batch; returns how many were loaded."""
    n = 0
    for folder in sorted(Path(out_dir).glob("shard-*")):
        if not (folder / MARKER).is_file() or (folder / LOADED).is_file():
            continue
        n_batches = int(json.loads((folder / MARKER).read_text(encoding="utf-8")).get("batches", 0))
        for b in range(1, n_batches + 1):
            store.write_rows({t: _read_rows(folder / f"{t}-{b:06d}.parquet", cols) for t, cols in TABLE_COLUMNS.items()})
        (folder / LOADED).write_text("", encoding="utf-8")
        n += 1
    return n
