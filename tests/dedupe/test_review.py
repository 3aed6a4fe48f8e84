"""The review loop: corrections, rejections, merge/split survive re-runs and teach the next runs."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from warlog.cli.main import app
from warlog.errors import ReviewError
from warlog.execute.local import run_paths
from warlog.store.duckdb_store import Store
from warlog.store.review import Review, add_review, reviewed_event

runner = CliRunner()
UNKNOWN_GROUP = """date 2022-03-10
Fighters of the Sons of Nineveh Brigade attacked an army checkpoint in Tal Afar on Thursday, killing 3 soldiers, officials said.
"""
SECOND = """date 2022-03-20
The Sons of Nineveh Brigade ambushed a police patrol near Sinjar on Sunday, killing 2 policemen, a local official said.
"""


@pytest.fixture()
def db(tmp_path: Path, sample_dir: Path) -> Path:
    d = tmp_path / "r.duckdb"
    run_paths([sample_dir], d)
    return d


def _events(db: Path) -> list[dict]:
    with Store(db, read_only=True) as s:
        return s.query("SELECT event_id, actor1, actor1_raw, location, sub_event_type FROM events ORDER BY event_id")


def test_validation(db: Path) -> None:
    eid = _events(db)[0]["event_id"]
    with Store(db) as s:
        with pytest.raises(ReviewError, match="no event"):
            add_review(s, Review("", "nope", "confirm", "ana"))
        with pytest.raises(ReviewError, match="author"):
            add_review(s, Review("", eid, "confirm", ""))
        with pytest.raises(ReviewError, match="cannot be corrected"):
            add_review(s, Review("", eid, "correct", "ana", field="evidence", value="x"))
        with pytest.raises(ReviewError, match="not a valid int"):
            add_review(s, Review("", eid, "correct", "ana", field="fatalities_best", value="many"))


def test_correct_reject_survive_rerun(db: Path, sample_dir: Path) -> None:
    eid = _events(db)[0]["event_id"]
    r = runner.invoke(app, ["review", "correct", eid, "fatalities_best", "99", "--author", "ana", "--db", str(db)])
    assert r.exit_code == 0, r.output
    run_paths([sample_dir], db)  # a re-run adds nothing and keeps the review
    with Store(db, read_only=True) as s:
        ev = reviewed_event(s, eid)
    assert ev is not None and ev["fatalities_best"] == 99 and ev["reviews"][0]["author"] == "ana"
    other = _events(db)[1]["event_id"]
    r = runner.invoke(app, ["review", "reject", other, "--author", "ana", "--db", str(db)])
    assert r.exit_code == 0
    with Store(db, read_only=True) as s:
        assert not s.query("SELECT 1 AS x FROM cluster_members WHERE event_id = ?", [other])
        assert reviewed_event(s, other)["status"] == "reject"


def test_merge_and_split(db: Path) -> None:
    a, b = (e["event_id"] for e in _events(db)[:2])
    assert runner.invoke(app, ["review", "merge", a, b, "--author", "ana", "--db", str(db)]).exit_code == 0
    with Store(db, read_only=True) as s:
        ca = s.query("SELECT cluster_id FROM cluster_members WHERE event_id = ?", [a])[0]["cluster_id"]
        cb = s.query("SELECT cluster_id FROM cluster_members WHERE event_id = ?", [b])[0]["cluster_id"]
    assert ca == cb
    assert runner.invoke(app, ["review", "split", a, b, "--author", "bo", "--db", str(db)]).exit_code == 0
    with Store(db, read_only=True) as s:
        n = s.query("SELECT count(DISTINCT cluster_id) AS n FROM cluster_members WHERE event_id IN (?, ?)", [a, b])[0]["n"]
    assert n == 2  # the later decision (split) wins


def test_actor_correction_teaches_next_run(tmp_path: Path) -> None:
    (tmp_path / "in1").mkdir()
    (tmp_path / "in2").mkdir()
    (tmp_path / "in1" / "a.txt").write_text(UNKNOWN_GROUP, encoding="utf-8")
    (tmp_path / "in2" / "b.txt").write_text(SECOND, encoding="utf-8")
    db = tmp_path / "t.duckdb"
    run_paths([tmp_path / "in1"], db)
    ev = _events(db)[0]
    assert ev["actor1"] != "Sons of Nineveh Brigade"
    # the analyst names the group, which the evidence sentence spells out: the name becomes a learned alias
    r = runner.invoke(app, ["review", "correct", ev["event_id"], "actor1", "Sons of Nineveh Brigade", "--author", "ana",
                            "--db", str(db)])
    assert r.exit_code == 0, r.output
    run_paths([tmp_path / "in2"], db)
    later = [e for e in _events(db) if e["event_id"] != ev["event_id"]]
    assert later and later[0]["actor1"] == "Sons of Nineveh Brigade"  # measurable: unknown before, found now
