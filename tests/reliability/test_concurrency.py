"""Concurrency: a second run on one database is refused with a clear message; the server keeps answering while
a run writes."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from warlog.errors import StoreLockedError
from warlog.execute.local import run_paths
from warlog.serve.app import create_app


def _start(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "warlog.cli.main", "run", str(corpus), "--db", str(db), "--batch-size", "4", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )


def _wait_for_lock(db: Path, proc: subprocess.Popen) -> None:
    lock = Path(f"{db}.lock")
    for _ in range(300):
        if lock.exists() and lock.read_text().startswith("pid") and db.exists():
            return
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        time.sleep(0.05)
    raise AssertionError("run did not start")


def test_second_run_is_refused(tmp_path: Path, slow_corpus: Path, sample_dir: Path) -> None:
    db = tmp_path / "c.duckdb"
    proc = _start(slow_corpus, db)
    try:
        _wait_for_lock(db, proc)
        with pytest.raises(StoreLockedError) as exc:
            run_paths([sample_dir], db)
        assert exc.value.code == "W302" and "another warlog run" in str(exc.value), str(exc.value)
        assert f"pid {proc.pid}" in str(exc.value), str(exc.value)
    finally:
        proc.kill()
        proc.wait(30)
    run_paths([sample_dir], db)  # the lock died with the process: the next run goes ahead


def test_server_answers_while_a_run_writes(tmp_path: Path, slow_corpus: Path, sample_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    run_paths([sample_dir], db)
    client = TestClient(create_app(db))
    proc = _start(slow_corpus, db)
    latencies, totals = [], []
    try:
        _wait_for_lock(db, proc)
        while proc.poll() is None and len(latencies) < 60:
            t0 = time.perf_counter()
            r = client.get("/api/events", params={"limit": 5})
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
            totals.append(r.json()["total"])
            time.sleep(0.02)
    finally:
        proc.wait(300)
    assert proc.returncode == 0, proc.stderr.read().decode()[-2000:] if proc.stderr else ""  # the run never saw a reader's lock
    assert len(latencies) >= 5
    assert totals == sorted(totals)  # the count only grows: every answer is a committed state
    assert max(latencies) < 10
    assert client.get("/api/events").json()["total"] > totals[0]
