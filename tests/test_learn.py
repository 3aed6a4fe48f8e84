"""``warlog learn``: the sub-event model updated from reviewed events, written next to the database,
reproducible, picked up by later runs."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from warlog.assets import asset_path
from warlog.cli.main import app
from warlog.execute.local import apply_learned, learned_additions, run_paths
from warlog.extract import event_model as em
from warlog.learn import learn, local_model_path
from warlog.store.duckdb_store import Store
from warlog.store.review import Review, add_review

pytestmark = pytest.mark.skipif(not asset_path(em.MODEL_NAME).exists(), reason="no shipped event model")
runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path, sample_dir: Path) -> Path:
    d = tmp_path / "l.duckdb"
    run_paths([sample_dir], d)
    return d


def test_no_reviews_nothing_learned(db: Path) -> None:
    rep = learn(db)
    assert rep.path is None and not local_model_path(db).exists()


def test_learn_from_reviews(db: Path) -> None:
    with Store(db) as s:
        evs = s.query("SELECT event_id, sub_event_type FROM events ORDER BY event_id")
        assert len(evs) >= 3
        add_review(s, Review("", evs[0]["event_id"], "correct", "tester", "sub_event_type", "Looting/property destruction"))
        add_review(s, Review("", evs[1]["event_id"], "confirm", "tester"))
        add_review(s, Review("", evs[2]["event_id"], "reject", "tester"))
    res = runner.invoke(app, ["learn", "--db", str(db)])
    assert res.exit_code == 0, res.output
    out = local_model_path(db)
    assert out.exists() and "2 reviewed events" in res.output
    meta = json.loads(out.with_name(out.name.replace(".npz", ".meta.json")).read_text())
    assert meta["reviewed_events"] == 2 and meta["labels"]["Looting/property destruction"] == 1
    assert meta["sha256"] == em.file_sha256(out)
    first = meta["sha256"]
    learn(db)  # same reviews, same seed: the same file
    assert em.file_sha256(out) == first
    assert asset_path(em.MODEL_NAME) != out  # never the shipped model
    try:
        with Store(db, read_only=True) as store:
            assert apply_learned(learned_additions(store))["event_model"] == 1
        assert em.shipped_or_override().path == str(out)
    finally:
        em.use_model(None)
    assert em.shipped_or_override().path == str(asset_path(em.MODEL_NAME))


def test_sub_types_without_a_model_class_are_left_out_not_fatal(db: Path) -> None:
    with Store(db) as s:
        evs = s.query("SELECT event_id FROM events ORDER BY event_id")
        add_review(s, Review("", evs[0]["event_id"], "correct", "tester", "sub_event_type", "Chemical weapon"))
        add_review(s, Review("", evs[1]["event_id"], "correct", "tester", "sub_event_type", "Attack"))
    rep = learn(db)
    try:
        if "Chemical weapon" in em.load_model(asset_path(em.MODEL_NAME)).labels:
            pytest.skip("the shipped model has a Chemical weapon class")
        assert rep.path is not None and rep.examples == 1 and rep.skipped["Chemical weapon"] == 1
        assert "left out" in rep.render()
    finally:
        em.use_model(None)
