"""The learned reportability stage: the shipped model, clear errors on a bad weights file, events under the
threshold kept but marked, and left out of exports, clusters and the API unless asked for or confirmed."""

import io
import json
from pathlib import Path

import pytest

from warlog.data import Article, Doc, EventFlag, ReportableMethod
from warlog.dedupe import reportable as rep
from warlog.dedupe.cluster import recluster
from warlog.execute.local import run_paths
from warlog.pipeline.default import default_pipeline
from warlog.store.duckdb_store import Store
from warlog.store.export import export_events
from warlog.store.query import EventFilter, query_events
from warlog.store.review import Review, add_review

TEXT = """date 2022-03-10
Fighters attacked an army checkpoint in Tal Afar on Thursday, killing 3 soldiers, officials said.

In 2014 Islamic State fighters had killed hundreds of people in Sinjar, a massacre that the war has never let anyone forget.
"""


def _model(bias: float, keep_lead: bool = False, threshold: float = 0.5) -> rep.Model:
    data = {"format": rep.FORMAT_VERSION, "features": list(rep.FEATURES), "weights": [0.0] * len(rep.FEATURES),
            "bias": bias, "threshold": threshold, "keep_lead": keep_lead}
    return rep.parse_model(data, "test-model.json")


def _doc(text: str = TEXT) -> Doc:
    pipe = default_pipeline(reportable=False)
    (doc,) = pipe.run_batch([Doc(Article("a1", "a1.txt", text))])
    assert doc.events
    return doc


def test_shipped_model_loads_and_keeps_its_signs() -> None:
    m = rep.load_model()
    assert m.features == rep.FEATURES and len(m.weights) == len(rep.FEATURES)
    assert set(rep.SIGNS) == set(rep.FEATURES)
    for f, w in zip(m.features, m.weights, strict=True):
        assert w * rep.SIGNS[f] >= 0, f"{f}: weight {w} against its expected sign"
    assert 0 < m.threshold < 1
    meta = json.loads(Path(m.path).with_name("reportable.meta.json").read_text())
    assert isinstance(meta["seed"], int) and "dev_cv" in meta and meta["features"] == list(rep.FEATURES)
    assert "test" not in meta["sources"]["gold"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "missing"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"format": 99}), "format"),
        (json.dumps({"format": 1, "features": ["a"], "weights": [1.0], "bias": 0, "threshold": 0.5}), "retrain"),
        (json.dumps({"format": 1, "features": list(rep.FEATURES), "weights": [0.0] * len(rep.FEATURES), "bias": "x",
                     "threshold": 0.5}), "bad number"),
        (json.dumps({"format": 1, "features": list(rep.FEATURES), "weights": [0.0] * len(rep.FEATURES), "bias": 0,
                     "threshold": 2}), "threshold"),
    ],
)
def test_bad_model_file_names_file_and_reason(tmp_path: Path, content: str | None, reason: str) -> None:
    p = tmp_path / "reportable.json"
    if content is not None:
        p.write_text(content)
    with pytest.raises(rep.ReportableModelError, match=reason) as exc:
        rep.load_model(p)
    assert str(p) in str(exc.value) and exc.value.code == "W211"


def test_features_are_bounded_and_readable() -> None:
    doc = _doc()
    for ev in doc.events:
        x = rep.features(ev, doc)
        assert len(x) == len(rep.FEATURES)
        assert all(0.0 <= v <= 5.0 for v in x)
    m = _model(0.0)
    assert m.explain([1.0] * len(rep.FEATURES)) == []  # no weight, nothing to explain


def test_under_threshold_kept_marked_and_counted() -> None:
    doc = _doc()
    n = len(doc.events)
    assert rep.score_doc(doc, _model(-10.0)) == n
    assert len(doc.events) == n  # never dropped
    for ev in doc.events:
        assert ev.reportable is False and ev.reportability is not None and ev.reportability < 0.01
        assert EventFlag.UNREPORTABLE in ev.flags and ev.reportable_method == ReportableMethod.MODEL
    assert rep.score_doc(doc, _model(10.0)) == 0
    assert all(ev.reportable and EventFlag.UNREPORTABLE not in ev.flags for ev in doc.events)


def test_lead_events_kept_when_the_model_says_so() -> None:
    doc = _doc()
    rep.score_doc(doc, _model(-10.0, keep_lead=True))
    lead = rep.FEATURES.index("in_lead")
    for ev in doc.events:
        in_lead = rep.features(ev, doc)[lead] > 0
        assert ev.reportable is in_lead
        assert ev.reportable_method == (ReportableMethod.LEAD if in_lead else ReportableMethod.MODEL)


def test_stage_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    stage = rep.ReportableStage(model=_model(-10.0))
    doc = _doc()
    stage([doc])
    assert stage.stats.counters["unreportable"] == len(doc.events) == stage.stats.counters["scored"]


def test_unreportable_left_out_unless_asked_or_confirmed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT)
    db = tmp_path / "r.duckdb"
    run_paths([src], db)
    with Store(db) as s:
        rows = s.query("SELECT event_id, reportability, reportable, reportable_method FROM events ORDER BY event_id")
        assert rows and all(r["reportability"] is not None and r["reportable_method"] in ("model", "lead") for r in rows)
        eid = rows[0]["event_id"]
        s.con.execute("UPDATE events SET reportable = false WHERE event_id = ?", [eid])
        recluster(s)

        def exported(include: bool) -> set[str]:
            buf = io.StringIO()
            export_events(s, buf, "jsonl", include_unreportable=include)
            return {json.loads(line)["event_id"] for line in buf.getvalue().splitlines()}

        assert eid not in exported(False) and eid in exported(True)
        assert eid not in {r["event_id"] for r in query_events(s, EventFilter())[0]}
        listed = query_events(s, EventFilter(include_unreportable=True))[0]
        assert any(r["event_id"] == eid and r["reportable"] is False for r in listed)
        assert not s.query("SELECT 1 AS x FROM cluster_members WHERE event_id = ?", [eid])
        add_review(s, Review("", eid, "confirm", "ana"))  # an analyst's confirmation brings it back
        recluster(s)
        assert eid in exported(False)
        assert s.query("SELECT 1 AS x FROM cluster_members WHERE event_id = ?", [eid])


def _trainer():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "tools" / "train_reportable.py"
    spec = importlib.util.spec_from_file_location("train_reportable", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_training_keeps_signs_and_is_deterministic() -> None:
    import numpy as np

    t = _trainer()
    rng = np.random.default_rng(0)
    x = (rng.random((200, len(rep.FEATURES))) > 0.5).astype(float)
    # a label that goes against the expected sign of in_lead and with that of has_fatalities
    y = ((x[:, rep.FEATURES.index("has_fatalities")] - x[:, rep.FEATURES.index("in_lead")]) > 0).astype(float)
    w1, b1 = t.fit(x, y, 1.0)
    w2, b2 = t.fit(x, y, 1.0)
    assert np.array_equal(w1, w2) and b1 == b2
    assert w1[rep.FEATURES.index("in_lead")] == 0.0  # clipped at zero, never negative
    assert w1[rep.FEATURES.index("has_fatalities")] > 1.0
    for f, w in zip(rep.FEATURES, w1, strict=True):
        assert w * rep.SIGNS[f] >= 0


def test_cli_lists_unreportable(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from warlog.cli.main import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT)
    db = tmp_path / "r.duckdb"
    run_paths([src], db)
    with Store(db) as s:
        eid = s.query("SELECT event_id FROM events ORDER BY event_id")[0]["event_id"]
        s.con.execute("UPDATE events SET reportable = false WHERE event_id = ?", [eid])
    res = CliRunner().invoke(app, ["unreportable", "--db", str(db)])
    assert res.exit_code == 0 and eid in res.output
    res = CliRunner().invoke(app, ["export", "--db", str(db), "--include-unreportable"])
    assert res.exit_code == 0 and eid in res.output
    res = CliRunner().invoke(app, ["export", "--db", str(db)])
    assert res.exit_code == 0 and eid not in res.output


def test_run_summary_counts_unreportable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from warlog.cli.main import app

    monkeypatch.setattr(rep, "_shipped_model", lambda: _model(-10.0))
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(TEXT)
    res = CliRunner().invoke(app, ["run", str(src), "--db", str(tmp_path / "r.duckdb"), "-q", "--workers", "1"])  # in-process: the patched model
    assert res.exit_code == 0, res.output
    assert "judged not events of their article" in res.output
