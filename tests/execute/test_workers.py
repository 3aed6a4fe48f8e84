"""Worker processes: the same rows and counters as one process, progress by articles and bytes (also inside one
JSONL file), workers that end with a killed parent, a failing worker reported by name."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.reliability.conftest import write_corpus
from warlog.data import Article
from warlog.execute.local import run_paths
from warlog.execute.workers import PoolRunner, WorkerError, available_cores
from warlog.ingest.readers import iter_files, iter_inputs
from warlog.store.duckdb_store import Store


def _rows(db: Path) -> dict[str, list]:
    with Store(db, read_only=True) as s:
        return {
            "articles": sorted(r["article_id"] for r in s.query("SELECT article_id FROM articles")),
            "docs": sorted(tuple(r.values()) for r in s.query(
                "SELECT article_id, clean_text, offset_map, pub_date, focus_country, n_sentences, n_mentions FROM docs")),
            "events": sorted(tuple(str(v) for v in r.values()) for r in s.query(
                "SELECT * EXCLUDE (run_id) FROM events")),
            "claims": sorted(tuple(str(v) for v in r.values()) for r in s.query("SELECT * FROM claims")),
            "rejects": sorted((r["source_path"], r["record_index"], r["stage"], r["reason"]) for r in s.query(
                "SELECT source_path, record_index, stage, reason FROM rejects")),
            "clusters": sorted(r["event_id"] for r in s.query("SELECT event_id FROM cluster_members")),
        }


def _counters(stats: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in s.items() if k != "seconds"} for s in stats]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_dir) -> Path:
    """The sample corpus and 40 generated reports, with a JSONL file of 30 records and bad files."""
    folder = write_corpus(tmp_path_factory.mktemp("wk") / "in", 40, seed=11)
    for f in sample_dir.iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    reports = sorted(folder.glob("report-*.txt"))[:30]
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as fh:
        for i, f in enumerate(reports):
            fh.write(json.dumps({"text": f.read_text(encoding="utf-8") + f" Feed copy {i}.", "url": f"https://x.org/{i}"}) + "\n")
    return folder


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory, corpus):
    db = tmp_path_factory.mktemp("one") / "one.duckdb"
    return db, run_paths([corpus], db, batch_size=4, workers=1)


def test_two_workers_give_the_rows_and_counters_of_one(tmp_path, corpus, one_worker):
    db1, s1 = one_worker
    db2 = tmp_path / "two.duckdb"
    seen: list[tuple[int, int]] = []
    s2 = run_paths([corpus], db2, batch_size=4, workers=2, on_progress=lambda a, b: seen.append((a, b)))
    assert s2.workers == 2 and len(s2.worker_peak_mib) == 2
    assert _rows(db2) == _rows(db1)
    assert (s2.articles, s2.events, s2.rejects, s2.skipped) == (s1.articles, s1.events, s1.rejects, s1.skipped)
    assert sorted(s2.reject_reasons) == sorted(s1.reject_reasons) and s1.rejects >= 3
    assert _counters(s2.stats) == _counters(s1.stats)
    # progress: articles and bytes only grow, and end at every article and every byte of the input
    assert seen == sorted(seen) and len(seen) >= 10
    total = sum(f.stat().st_size for f in iter_files([corpus]))
    distinct = {a.article_id for a in iter_inputs([corpus]) if isinstance(a, Article)}
    assert seen[-1] == (len(distinct), total)
    # a rerun with workers adds nothing and says everything was stored
    s3 = run_paths([corpus], db2, batch_size=4, workers=2)
    assert s3.articles == 0 and s3.skipped == s1.articles + s1.skipped and _rows(db2) == _rows(db1)


def test_progress_moves_inside_one_large_jsonl(tmp_path, corpus):
    feed = corpus / "feed.jsonl"
    seen: list[tuple[int, int]] = []
    s = run_paths([feed], tmp_path / "f.duckdb", batch_size=4, workers=2, on_progress=lambda a, b: seen.append((a, b)))
    size = feed.stat().st_size
    assert s.articles == 30
    assert len(seen) >= 8 and 0 < seen[0][1] < size and seen[-1] == (30, size)  # not 0/1 file until the end
    told: list[int] = []
    items = list(iter_inputs([feed], on_bytes=told.append))
    assert len(items) == 30 and sum(told) == size and len(told) == 30


def test_workers_end_when_the_parent_is_killed(tmp_path, corpus):
    proc = subprocess.Popen(
        [sys.executable, "-m", "warlog.cli.main", "run", str(corpus), "--db", str(tmp_path / "k.duckdb"),
         "--workers", "2", "--batch-size", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    kids: list[psutil.Process] = []
    while time.monotonic() < deadline and proc.poll() is None:
        kids = [k for k in parent.children() if "warlog" in " ".join(k.cmdline()) or "multiprocessing" in " ".join(k.cmdline())]
        if len([k for k in kids if "spawn_main" in " ".join(k.cmdline())]) >= 2:
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before its workers could be seen"
    kids = [k for k in parent.children() if "spawn_main" in " ".join(k.cmdline())]
    assert len(kids) >= 2
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    _gone, alive = psutil.wait_procs(kids, timeout=10)
    assert not alive, f"workers outlived their parent: {[k.pid for k in alive]}"


def test_a_worker_that_cannot_start_is_named():
    with pytest.raises(WorkerError, match=r"worker process \d+ could not start: AttributeError"):
        PoolRunner(1, learned={"actor": 5})  # type: ignore[dict-item]  # a lexicon that is not a mapping


def test_available_cores_is_the_affinity():
    assert available_cores() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("workers", [1, 2])
def test_recycled_workers_give_the_same_rows(tmp_path, corpus, one_worker, workers):
    """Workers replaced by fresh ones every 12 articles (the default is 20,000) change nothing in the output."""
    db1, s1 = one_worker
    db = tmp_path / "r.duckdb"
    s = run_paths([corpus], db, batch_size=4, workers=workers, recycle_after=12)
    assert s.recycled >= 2 and _rows(db) == _rows(db1)
    assert _counters(s.stats) == _counters(s1.stats)
    if workers == 2:
        assert len(s.worker_peak_mib) > 2  # more worker processes than were running at once
