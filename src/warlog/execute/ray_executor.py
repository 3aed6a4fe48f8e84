"""Run the same stages on Ray: one task per shard, per-shard Parquet and completion markers, one writer.

Locally (``ray.init()`` with no address) Ray starts a single-node cluster of this machine's cores; tasks ask for
``cpus_per_task`` CPUs (fractional on a 2-core laptop, e.g. 0.5, so four shards run side by side). On a cluster
set ``RAY_ADDRESS`` (or pass ``address``) and put ``out_dir`` on storage every node can write (NFS, or a
mounted bucket); the load step runs on the driver, the only process that opens the DuckDB file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warlog.execute.local import RunSummary
from warlog.execute.shards import ShardResult, load_shards, plan_shards, process_shard
from warlog.ingest.readers import iter_files
from warlog.store.duckdb_store import RunLock, Store


def run_ray(
    paths: Sequence[str | Path],
    db: str | Path,
    out_dir: str | Path,
    n_shards: int = 4,
    cpus_per_task: float = 0.5,
    address: str | None = None,
    batch_size: int = 32,
) -> tuple[RunSummary, list[ShardResult]]:
    import ray

    files = list(iter_files(paths))
    shards = plan_shards(files, n_shards)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address or os.environ.get("RAY_ADDRESS"), include_dashboard=False, log_to_driver=False,
            configure_logging=False,
            runtime_env={"env_vars": {"TOKENIZERS_PARALLELISM": "false"}},
        )
    with RunLock(db), Store(db) as store:
        run_id = store.start_run([str(p) for p in paths])
        summary = RunSummary(run_id)
        status = "failed"
        results: list[ShardResult] = []
        try:
            from warlog.dedupe.cluster import recluster
            from warlog.execute.local import learned_additions

            learned = learned_additions(store)
            task: Any = ray.remote(num_cpus=cpus_per_task)(process_shard)
            refs = [
                task.remote(f"shard-{i:05d}", [str(f) for f in shard], str(out), run_id, batch_size, learned)
                for i, shard in enumerate(shards)
            ]
            results = list(ray.get(refs))
            load_shards(store, out)  # the single writer step
            summary.clusters = len(recluster(store).clusters)
            for r in results:
                summary.articles += r.articles
                summary.events += r.events
                summary.rejects += r.rejects
            summary.stats = [{"shard": r.shard_id, "skipped": r.skipped, "seconds": r.seconds} for r in results]
            status = "completed"
        finally:
            store.finish_run(run_id, status, summary.counts(), summary.stats)
            if started_here:
                ray.shutdown()
    return summary, results
