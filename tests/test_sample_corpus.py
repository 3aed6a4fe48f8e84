"""The bundled sample corpus: every expected event is found with the right place, type, actors, date and
deaths; background-only articles give no event; bad records are rejected with their line number."""

import json

import pytest

from warlog.store.duckdb_store import Store
from warlog.store.export import iter_events


@pytest.fixture(scope="module")
def events(sample_run):
    db, _ = sample_run
    with Store(db, read_only=True) as s:
        return list(iter_events(s))


@pytest.fixture(scope="module")
def expected(sample_dir):
    return json.loads((sample_dir / "expected.json").read_text(encoding="utf-8"))


def _file(ev):
    return ev["article"]["source"].rsplit("/", 1)[-1] if "/" in ev["article"]["source"] else ev["article"]["source"]


def test_expected_events(events, expected):
    by_loc = {}
    for ev in events:
        by_loc.setdefault(ev["location"], []).append(ev)
    for exp in expected["events"]:
        cands = [e for e in by_loc.get(exp["location"], []) if e["sub_event_type"] == exp["sub_event_type"]]
        assert cands, f"missing {exp}"
        ev = cands[0]
        assert ev["country"] == exp["country"]
        assert set(exp["actors"]) <= {ev["actor1"], ev["actor2"]}, (exp, ev["actor1"], ev["actor2"])
        assert ev["event_date"] == exp["event_date"], exp
        if "fatalities_best" in exp:
            assert ev["fatalities_best"] == exp["fatalities_best"], exp
        if "civilian_fatalities" in exp:
            assert ev["civilian_fatalities"] == exp["civilian_fatalities"]


def test_precision_and_provenance_fields(events):
    for ev in events:
        assert ev["date_precision"] in (1, 2, 3) and ev["geo_precision"] in (1, 2, 3)
        assert ev["date_source"] in ("explicit", "relative", "publication", "inferred")
        assert ev["geo_method"] in ("sentence", "context", "article_focus")
        assert ev["evidence"] and ev["sources"]


def test_evidence_spans_point_into_stored_text(sample_run, events):
    db, _ = sample_run
    with Store(db, read_only=True) as s:
        texts = {r["article_id"]: r["clean_text"] for r in s.query("SELECT article_id, clean_text FROM docs")}
    for ev in events:
        for e in ev["evidence"]:
            assert texts[e["article_id"]][e["start"] : e["end"]] == e["text"]


def test_no_events_from_background_article(events, expected):
    files = {ev["article"]["source"].rsplit("/", 1)[-1] for ev in events}
    for f in expected["no_events"]:
        assert f not in files


def test_bad_records_rejected(sample_run, expected):
    db, summary = sample_run
    with Store(db, read_only=True) as s:
        rows = {(r["source_path"].rsplit("/", 1)[-1], r["record_index"]) for r in s.query("SELECT * FROM rejects")}
    assert {tuple(x) for x in expected["rejects"]} <= rows
    assert summary.rejects == len(expected["rejects"])


def test_population_figures_never_counted(events):
    assert all((e["fatalities_best"] or 0) < 1000 for e in events)
