"""The local executor: stream inputs in bounded batches through the default pipeline into the store.

Memory stays bounded by ``batch_size`` articles. Each batch is committed in one transaction together with
its rejects, so a killed run loses at most the batch in flight and a rerun skips everything committed
(documents are keyed by content hash and pipeline version). A run holds the database's run lock throughout
(a second run is refused) but opens the DuckDB file only to check and to write each batch, so readers such as
``warlog serve`` answer while it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warlog.data import Article, Doc, Reject
from warlog.ingest.readers import IngestLimits, iter_files, iter_inputs
from warlog.pipeline.base import Pipeline
from warlog.pipeline.default import default_pipeline
from warlog.store.duckdb_store import RunLock, Store, open_waiting


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

    def counts(self) -> dict[str, int]:
        return {"articles": self.articles, "skipped": self.skipped, "events": self.events, "rejects": self.rejects}


def run_paths(
    paths: Sequence[str | Path],
    db: str | Path,
    batch_size: int = 32,
    limits: IngestLimits | None = None,
    on_file: Callable[[int], None] | None = None,
) -> RunSummary:
    files = list(iter_files(paths))
    pipeline = default_pipeline()
    with RunLock(db):
        with open_waiting(db) as store:
            apply_learned(store)
            run_id = store.start_run([str(p) for p in paths])
        summary = RunSummary(run_id)
        status = "failed"
        try:
            batch: list[Article] = []
            seen: set[str] = set()
            pending_rejects: list[Reject] = []
            last_path: str | None = None
            for item in iter_inputs(files, limits):
                path = item.source_path
                if path != last_path:
                    if on_file and last_path is not None:
                        on_file(1)
                    last_path = path
                if isinstance(item, Reject):
                    pending_rejects.append(item)
                    summary.rejects += 1
                    summary.reject_reasons.append(f"{item.source_path}: {item.reason}")
                    continue
                if item.article_id in seen:
                    summary.skipped += 1
                    continue
                seen.add(item.article_id)
                batch.append(item)
                if len(batch) >= batch_size:
                    _flush(db, pipeline, batch, pending_rejects, run_id, summary)
                    batch, pending_rejects = [], []
            _flush(db, pipeline, batch, pending_rejects, run_id, summary)
            if on_file and last_path is not None:
                on_file(1)
            from warlog.dedupe.cluster import recluster

            with open_waiting(db) as store:
                summary.clusters = len(recluster(store).clusters)
            status = "completed"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            summary.stats = pipeline.stats()
            with open_waiting(db) as store:
                store.finish_run(run_id, status, summary.counts(), summary.stats)
    return summary


def apply_learned(store: Store) -> dict[str, int]:
    """Load the analysts' lexicon additions (store.review) into actor matching and the gazetteer."""
    from warlog.extract.actors import register_aliases
    from warlog.resolve.geocode import gazetteer
    from warlog.store.review import lexicon_additions

    add = lexicon_additions(store)
    n_actor = register_aliases(add.get("actor", {}))
    n_place = sum(gazetteer().add_alias(a, v) for a, v in add.get("place", {}).items())
    return {"actor": n_actor, "place": n_place, "event_model": use_local_model(store.path)}


def use_local_model(db: str | Path) -> int:
    """Use the sub-event model ``warlog learn`` wrote next to the database, when there is one (1), else the
    shipped model (0)."""
    from warlog.extract.event_model import use_model
    from warlog.learn import local_model_path

    path = local_model_path(db)
    use_model(path if path.exists() else None)
    return int(path.exists())


def _flush(
    db: str | Path, pipeline: Pipeline, batch: list[Article], rejects: list[Reject], run_id: str, s: RunSummary
) -> None:
    """Process one batch with the database closed (readers get in meanwhile), then write it in one transaction."""
    with open_waiting(db) as store:
        done = store.processed_ids(a.article_id for a in batch)
    todo = [Doc(a) for a in batch if a.article_id not in done]
    s.skipped += len(batch) - len(todo)
    out = pipeline.run_batch(todo) if todo else []
    stage_rejects = pipeline.drain_rejects()
    for r in stage_rejects:
        s.reject_reasons.append(f"{r.source_path}: {r.reason}")
    s.rejects += len(stage_rejects)
    with open_waiting(db) as store:
        s.events += store.write_batch(out, [*rejects, *stage_rejects], run_id)
    s.articles += len(out)
