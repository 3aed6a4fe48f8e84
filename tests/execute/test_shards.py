"""Shards and the Ray executor: the same rows as a local run; finished shards are skipped on a rerun."""

import json
from pathlib import Path

import pytest

from warlog.execute.local import run_paths
from warlog.execute.shards import LOADED, MARKER, load_shards, plan_shards, process_shard
from warlog.ingest.readers import iter_files
from warlog.store.duckdb_store import Store


def _rows(db: Path) -> dict[str, set]:
    with Store(db, read_only=True) as s:
        return {
            "events": {tuple(r.values()) for r in s.query(
                "SELECT event_id, event_date, sub_event_type, actor1, actor2, location, fatalities_best FROM events")},
            "claims": {r["claim_id"] for r in s.query("SELECT claim_id FROM claims")},
            "rejects": {(r["source_path"], r["record_index"]) for r in s.query("SELECT source_path, record_index FROM rejects")},
            "docs": {r["article_id"] for r in s.query("SELECT article_id FROM docs")},
        }


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory, sample_dir):
    db = tmp_path_factory.mktemp("local") / "l.duckdb"
    run_paths([sample_dir], db)
    return _rows(db)


def test_plan_is_deterministic_round_robin(tmp_path):
    files = [tmp_path / f"{c}.txt" for c in "edcba"]
    plan = plan_shards(files, 2)
    assert plan == [[files[4], files[2], files[0]], [files[3], files[1]]]
    assert plan_shards(files, 10) == [[f] for f in sorted(files)]


def test_shards_load_to_local_rows_and_skip_when_finished(tmp_path, sample_dir, local_rows):
    files = list(iter_files([sample_dir]))
    out = tmp_path / "shards"
    for i, shard in enumerate(plan_shards(files, 3)):
        r = process_shard(f"shard-{i:05d}", [str(f) for f in shard], str(out), "run-x")
        assert not r.skipped and (out / f"shard-{i:05d}" / MARKER).is_file()
    marker = json.loads((out / "shard-00000" / MARKER).read_text())
    assert marker["articles"] >= 1 and marker["files"]
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        assert load_shards(store, out) == 3
        assert load_shards(store, out) == 0  # already loaded
    assert _rows(db) == local_rows
    # a rerun skips finished shards; loading a shard twice changes nothing
    assert process_shard("shard-00000", [str(files[0])], str(out), "run-y").skipped
    (out / "shard-00001" / LOADED).unlink()
    with Store(db) as store:
        assert load_shards(store, out) == 1
    assert _rows(db) == local_rows


def test_a_shard_is_written_and_loaded_in_chunks(tmp_path, sample_dir, local_rows, monkeypatch):
    """Rows leave a task's memory every few articles (whole batches), and load chunk by chunk to the same rows."""
    import warlog.execute.shards as shards

    monkeypatch.setattr(shards, "CHUNK_ARTICLES", 3)
    out = tmp_path / "shards"
    r = process_shard("shard-00000", [str(f) for f in iter_files([sample_dir])], str(out), "run-c", batch_size=2)
    marker = json.loads((out / "shard-00000" / MARKER).read_text())
    assert r.articles >= 10 and marker["batches"] >= 4
    assert len(list((out / "shard-00000").glob("events-*.parquet"))) == marker["batches"]
    db = tmp_path / "c.duckdb"
    with Store(db) as store:
        assert load_shards(store, out) == 1
    assert _rows(db) == local_rows


def test_unfinished_shard_is_redone(tmp_path, sample_dir):
    files = [str(f) for f in iter_files([sample_dir])][:2]
    out = tmp_path / "shards"
    (out / "shard-00000").mkdir(parents=True)
    (out / "shard-00000" / "events.parquet").write_bytes(b"partial garbage from a killed task")
    r = process_shard("shard-00000", files, str(out), "run-z")
    assert not r.skipped and r.articles >= 1
    with Store(tmp_path / "d.duckdb") as store:
        assert load_shards(store, out) == 1


def test_ray_executor_matches_local(tmp_path, sample_dir, local_rows):
    pytest.importorskip("ray")
    from warlog.execute.ray_executor import run_ray

    db, out = tmp_path / "r.duckdb", tmp_path / "rs"
    summary, results = run_ray([sample_dir], db, out, n_shards=3, cpus_per_task=0.5)
    assert len(results) == 3 and not any(r.skipped for r in results)
    assert _rows(db) == local_rows
    summary2, results2 = run_ray([sample_dir], db, out, n_shards=3, cpus_per_task=0.5)
    assert all(r.skipped for r in results2) and summary2.articles == 0
    assert _rows(db) == local_rows
