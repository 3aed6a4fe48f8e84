import duckdb
import pytest

from warlog.errors import StoreLockedError
from warlog.execute.local import run_paths
from warlog.store.duckdb_store import Store
from warlog.store.migrations import MIGRATIONS

ART = "date 2021-04-02\n\nGunmen killed four villagers in Tafas on Thursday, local activists said.\n"


def test_migrations_recorded_and_rerun_noop(tmp_path):
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        assert s.migrate() == []
        names = [r["name"] for r in s.query("SELECT name FROM schema_migrations")]
    assert names == [m[0] for m in MIGRATIONS]


def test_rerun_adds_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ART, encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x00binary")
    db = tmp_path / "w.duckdb"
    first = run_paths([tmp_path / "in"], db)
    with Store(db, read_only=True) as s:
        c1 = s.counts()
    second = run_paths([tmp_path / "in"], db)
    with Store(db, read_only=True) as s:
        c2 = s.counts()
    assert first.articles == 1 and first.events >= 1 and second.articles == 0 and second.skipped == 1
    assert {k: v for k, v in c1.items() if k != "runs"} == {k: v for k, v in c2.items() if k != "runs"}
    assert c2["rejects"] == 1 and c2["runs"] == 2


def test_second_writer_gets_clear_error(tmp_path):
    db = tmp_path / "w.duckdb"
    import subprocess
    import sys
    import time

    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); time.sleep(20)"],
    )
    try:
        for _ in range(50):
            if db.exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)
        with pytest.raises(StoreLockedError, match="in use by another warlog process"):
            Store(db)
    finally:
        holder.kill()
        holder.wait()


def test_transaction_rolls_back(tmp_path):
    db = tmp_path / "w.duckdb"
    with Store(db) as s:
        with pytest.raises(duckdb.Error):
            s.con.execute("BEGIN TRANSACTION")
            s.con.execute("INSERT INTO rejects (reject_id) VALUES ('x')")
            s.con.execute("INSERT INTO rejects (reject_id) VALUES ('x')")
        s.con.execute("ROLLBACK")
        assert s.counts()["rejects"] == 0
