"""Crash safety: a run SIGKILLed at random points and restarted ends with exactly the rows of an uninterrupted
run - none lost, none duplicated - with one process and with two worker processes (whose parent is killed)."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warlog.execute.local import run_paths
from warlog.store.duckdb_store import Store


def _rows(db: Path) -> dict[str, list]:
    with Store(db, read_only=True) as s:
        return {
            "articles": sorted(r["article_id"] for r in s.query("SELECT article_id FROM articles")),
            "docs": sorted(r["article_id"] for r in s.query("SELECT article_id FROM docs")),
            "events": sorted(tuple(r.values()) for r in s.query(
                "SELECT event_id, article_id, event_date, sub_event_type, location, fatalities_best FROM events")),
            "claims": sorted(r["claim_id"] for r in s.query("SELECT claim_id FROM claims")),
            "rejects": sorted((r["source_path"], r["record_index"], r["reason"]) for r in s.query(
                "SELECT source_path, record_index, reason FROM rejects")),
            "clusters": sorted(r["event_id"] for r in s.query("SELECT event_id FROM cluster_members")),
        }


def _start(corpus: Path, db: Path, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "warlog.cli.main", "run", str(corpus), "--db", str(db), "--batch-size", "4", "-q",
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path, slow_corpus: Path, workers: int) -> None:
    ref = tmp_path / "ref.duckdb"
    run_paths([slow_corpus], ref, batch_size=4)
    expected = _rows(ref)
    assert len(expected["docs"]) >= 390 and expected["rejects"]

    db = tmp_path / "killed.duckdb"
    rnd = random.Random(20261123 + workers)
    kills = 0
    for _attempt in range(4):
        proc = _start(slow_corpus, db, workers)
        # start-up takes ~2-3 s (workers load the model side by side, ~4-5 s on a busy machine): kill during batches
        time.sleep(rnd.uniform(3.0, 5.0) if workers == 1 else rnd.uniform(5.0, 8.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(30)
    proc = _start(slow_corpus, db, workers)  # the final, uninterrupted restart
    _out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert kills >= 2
    got = _rows(db)
    for table in expected:
        assert got[table] == expected[table], f"{table} differs after {kills} kills"
    with Store(db, read_only=True) as s:
        statuses = [r["status"] for r in s.query("SELECT status FROM runs ORDER BY started_at")]
    assert statuses[-1] == "completed" and statuses.count("interrupted") >= 1
