"""Reviewing over the API: per-user tokens (stored hashed), the queue, undo, the audit log, and that no
state-changing request succeeds without a valid token."""

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from warlog.cli.main import app as cli
from warlog.execute.local import run_paths
from warlog.serve.app import create_app
from warlog.store.duckdb_store import Store
from warlog.store.review import add_user, user_for_token


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_dir) -> Path:
    d = tmp_path_factory.mktemp("review") / "review.duckdb"
    run_paths([sample_dir], d)
    return d


@pytest.fixture(scope="module")
def ana(db) -> str:
    res = CliRunner().invoke(cli, ["users", "add", "ana", "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.stdout.strip().splitlines()[-1]


def test_tokens_are_stored_hashed(db: Path, ana: str) -> None:
    with Store(db) as s:
        rows = s.query("SELECT * FROM users")
        assert [r["name"] for r in rows] == ["ana"]
        assert ana not in json.dumps(rows, default=str)  # only the hash
        assert user_for_token(s, ana) == "ana" and user_for_token(s, ana + "x") is None
        t2 = add_user(s, "ana")  # a new token replaces the old one
        assert user_for_token(s, ana) is None and user_for_token(s, t2) == "ana"
        s.con.execute("UPDATE users SET token_sha256 = ? WHERE name = 'ana'",
                      [__import__("hashlib").sha256(ana.encode()).hexdigest()])


def test_no_state_change_without_a_valid_token(db: Path, ana: str) -> None:
    rw = TestClient(create_app(db, reviews=True))
    ro = TestClient(create_app(db))
    eid = rw.get("/api/events").json()["events"][0]["event_id"]
    writes = [r for r in rw.app.routes if set(getattr(r, "methods", ())) & {"POST", "PUT", "PATCH", "DELETE"}]
    assert [r.path for r in writes] == ["/api/events/{event_id}/review"]  # the one state-changing route
    with Store(db, read_only=True) as s:
        before = s.query("SELECT count(*) AS n FROM reviews")[0]["n"]
    body = {"action": "reject"}
    for headers in ({}, {"X-Warlog-Token": "nope"}, {"Authorization": "Bearer nope"}, {"Cookie": f"token={ana}"}):
        assert rw.post(f"/api/events/{eid}/review", json=body, headers=headers).status_code == 401
    assert ro.post(f"/api/events/{eid}/review", json=body, headers={"X-Warlog-Token": ana}).status_code == 403
    with Store(db, read_only=True) as s:
        assert s.query("SELECT count(*) AS n FROM reviews")[0]["n"] == before
    assert ro.get("/api/session").json() == {"reviews": False, "signed_in": False, "user": None, "shared_token": False}
    assert rw.get("/api/session", headers={"X-Warlog-Token": ana}).json()["user"] == "ana"


def test_review_round_trip_with_undo(db: Path, ana: str) -> None:
    c = TestClient(create_app(db, reviews=True))
    hdr = {"X-Warlog-Token": ana}
    eid = c.get("/api/events", params={"q": "Saraqib"}).json()["events"][0]["event_id"]
    r = c.post(f"/api/events/{eid}/review", json={"action": "correct", "field": "fatalities_best", "value": "21",
                                                  "author": "someone else"}, headers=hdr)
    assert r.status_code == 201 and r.json()["author"] == "ana"  # the token names the author
    ev = c.get(f"/api/events/{eid}").json()
    assert ev["fatalities_best"] == 21 and ev["review_status"] == "corrected"
    assert ev["reviews"][-1]["author"] == "ana" and ev["reviews"][-1]["created_at"]
    undo = c.post(f"/api/events/{eid}/review", json={"action": "undo", "value": r.json()["review_id"]}, headers=hdr)
    assert undo.status_code == 201
    ev = c.get(f"/api/events/{eid}").json()
    assert ev["fatalities_best"] != 21 and ev["review_status"] == "machine"
    assert ev["reviews"][0]["undone_by"] == undo.json()["review_id"]  # kept in the trail, marked undone
    again = c.post(f"/api/events/{eid}/review", json={"action": "undo", "value": r.json()["review_id"]}, headers=hdr)
    assert again.status_code == 422 and "already undone" in again.text
    # reject, then confirm: the latest decision counts; undoing the confirm rejects it again
    assert c.post(f"/api/events/{eid}/review", json={"action": "reject"}, headers=hdr).status_code == 201
    assert eid not in {e["event_id"] for e in c.get("/api/events").json()["events"]}
    conf = c.post(f"/api/events/{eid}/review", json={"action": "confirm"}, headers=hdr).json()
    assert eid in {e["event_id"] for e in c.get("/api/events").json()["events"]}
    c.post(f"/api/events/{eid}/review", json={"action": "undo", "value": conf["review_id"]}, headers=hdr)
    assert eid not in {e["event_id"] for e in c.get("/api/events").json()["events"]}
    assert c.get("/api/clusters").json()["total"] == 11  # the rejected event left the clusters too


def test_place_correction_alias_is_undone_with_it(db: Path, ana: str) -> None:
    c = TestClient(create_app(db, reviews=True))
    hdr = {"X-Warlog-Token": ana}
    eid = c.get("/api/events", params={"q": "Hodeidah"}).json()["events"][0]["event_id"]
    r = c.post(f"/api/events/{eid}/review", json={"action": "correct", "field": "location", "value": "Aden"}, headers=hdr)
    with Store(db, read_only=True) as s:
        assert s.query("SELECT count(*) AS n FROM lexicon_additions WHERE review_id = ?", [r.json()["review_id"]])[0]["n"] == 1
    c.post(f"/api/events/{eid}/review", json={"action": "undo", "value": r.json()["review_id"]}, headers=hdr)
    with Store(db, read_only=True) as s:
        assert s.query("SELECT count(*) AS n FROM lexicon_additions WHERE review_id = ?", [r.json()["review_id"]])[0]["n"] == 0


def test_queue_order_filters_and_reasons(db: Path) -> None:
    c = TestClient(create_app(db))
    q = c.get("/api/review/queue", params={"limit": 100}).json()
    scores = [e["review_score"] for e in q["events"]]
    assert scores == sorted(scores, reverse=True) and q["total"] == len(q["events"])
    top = q["events"][0]
    assert top["review_reasons"] and set(top["review_parts"]) == set(q["weights"])
    assert abs(sum(top["review_parts"].values()) - top["review_score"]) < 0.01
    reviewed = {e["event_id"] for e in c.get("/api/review/queue", params={"limit": 100, "include_reviewed": True,
                                                                           "include_rejected": True}).json()["events"]}
    assert reviewed > {e["event_id"] for e in q["events"]}  # reviewed events leave the queue unless asked for
    sy = c.get("/api/review/queue", params={"country": "SY"}).json()
    assert sy["events"] and all(e["country"] == "SY" for e in sy["events"])
    # a single report with no cluster disagreement scores 0 for it
    assert all(e["review_parts"]["disagreement"] == 0 for e in q["events"])


def test_map_endpoints(db: Path) -> None:
    c = TestClient(create_app(db))
    pts = c.get("/api/points").json()
    n = pts["total"]
    assert n >= 10 and len(pts["ids"]) == 16 * n and all(len(pts[k]) == n for k in ("lon", "lat", "type", "deaths", "day"))
    events = {e["event_id"]: e for e in c.get("/api/events", params={"limit": 100}).json()["events"]}
    first = events[pts["ids"][:16]]
    assert abs(pts["lon"][0] / 1e5 - first["longitude"]) < 1e-4 and pts["types"][pts["type"][0]] == first["event_type"]
    assert c.get("/api/points", params={"country": "SY"}).json()["total"] < n
    places = c.get("/api/places", params={"bbox": "36.0,33.3,36.7,33.8", "limit": 50}).json()["places"]
    assert places and all(36.0 <= p[1] <= 36.7 and 33.3 <= p[2] <= 33.8 for p in places)
    assert [p[3] for p in places] == sorted((p[3] for p in places), reverse=True)
    g = c.get("/api/gazetteer", params={"q": "Douma", "country": "SY"}).json()["places"]
    assert g and g[0]["country"] == "SY" and abs(g[0]["latitude"] - 33.57) < 0.1
    assert c.get("/api/gazetteer", params={"q": "Alep"}).json()["places"][0]["name"].startswith("Alep")
    assert c.get("/api/places", params={"bbox": "1,2,3"}).status_code == 422
    by_place = [e["location"] for e in c.get("/api/events", params={"sort": "location", "limit": 100}).json()["events"]]
    assert by_place == sorted(by_place, key=lambda x: (x is None, x))
    for name in ("admin1.json", "vendor/leaflet.js", "vendor/supercluster.min.js", "vendor/LICENSES.txt", "review.js"):
        assert c.get(f"/static/{name}").status_code == 200, name
    assert c.get("/static/../app.py").status_code == 404
    assert c.get("/review").status_code == 200


def test_reviews_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    res = CliRunner().invoke(cli, ["reviews", "export", "--db", str(db), "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and {"review_id", "created_at", "author", "action", "undone_by"} <= set(rows[0])
    assert any(r["action"] == "undo" for r in rows) and any(r["undone_by"] for r in rows)
    res = CliRunner().invoke(cli, ["reviews", "export", "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0 and json.loads(res.stdout.splitlines()[0])["author"]
    assert CliRunner().invoke(cli, ["reviews", "export", "--db", str(db), "--format", "xml"]).exit_code == 2
