"""REST API over the query layer: filters, validation, pagination, exports, read-only default, review token."""

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from warlog.execute.local import run_paths
from warlog.serve.app import create_app

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def db(tmp_path_factory, sample_dir) -> Path:
    d = tmp_path_factory.mktemp("api") / "api.duckdb"
    run_paths([sample_dir], d)
    return d


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    return TestClient(create_app(db))


def test_events_filters_and_pagination(client: TestClient) -> None:
    r = client.get("/api/events")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 12 and len(body["events"]) == 12
    assert client.get("/api/events", params={"country": "SY"}).json()["total"] == 3
    assert client.get("/api/events", params={"event_type": "Battles"}).json()["total"] >= 2
    assert client.get("/api/events", params={"min_fatalities": 20}).json()["total"] >= 1
    assert client.get("/api/events", params={"actor": "russia"}).json()["total"] == 2
    assert client.get("/api/events", params={"q": "Hodeidah"}).json()["total"] == 1
    assert client.get("/api/events", params={"date_from": "2021-01-01", "date_to": "2021-12-31"}).json()["total"] == 3
    syria_box = client.get("/api/events", params={"bbox": "35.5,32,42.5,37.5"}).json()
    assert syria_box["total"] == 3 and all(35.5 <= e["longitude"] <= 42.5 for e in syria_box["events"])
    page = client.get("/api/events", params={"limit": 5, "offset": 10}).json()
    assert len(page["events"]) == 2 and page["offset"] == 10
    top = client.get("/api/events", params={"sort": "fatalities", "descending": True, "limit": 1}).json()["events"][0]
    assert top["fatalities_best"] == max(e["fatalities_best"] or 0 for e in client.get("/api/events").json()["events"])


@pytest.mark.parametrize(
    "params",
    [{"country": "SYR"}, {"bbox": "1,2,3"}, {"bbox": "10,50,20,40"}, {"limit": 0}, {"limit": 5000}, {"min_fatalities": -1},
     {"event_type": "Battles'; DROP TABLE events; --"}, {"date_from": "yesterday"}, {"sort": "event_id; DROP"},
     {"date_from": "2022-01-01", "date_to": "2021-01-01"}],
)
def test_invalid_input_is_422(client: TestClient, params: dict) -> None:
    assert client.get("/api/events", params=params).status_code == 422


def test_no_injection_through_text_filters(client: TestClient) -> None:
    for evil in ["' OR 1=1 --", "%' UNION SELECT * FROM articles --", "\\'; DROP TABLE events; --", "\x00", "名字"]:
        r = client.get("/api/events", params={"q": evil, "actor": evil, "admin1": evil})
        assert r.status_code == 200 and r.json()["total"] == 0
    assert client.get("/api/events").json()["total"] == 12  # nothing dropped


def test_event_page_data(client: TestClient) -> None:
    ev = client.get("/api/events", params={"q": "Saraqib"}).json()["events"][0]
    d = client.get(f"/api/events/{ev['event_id']}").json()
    assert d["sentences"] and any(s["spans"] for s in d["sentences"])
    s = next(s for s in d["sentences"] if s["spans"])
    for sp in s["spans"]:
        assert s["text"][sp["start"] : sp["end"]] == sp["text"]
    assert d["claims"] and d["cluster"]["members"][0]["event_id"] == ev["event_id"]
    assert client.get("/api/events/0123456789abcdef").status_code == 404
    assert client.get("/api/events/not-an-id").status_code == 422


def test_timeline_clusters_facets(client: TestClient) -> None:
    tl = client.get("/api/timeline", params={"bucket": "month"}).json()
    assert sum(p["events"] for p in tl["periods"]) == 12
    cl = client.get("/api/clusters").json()
    assert cl["total"] == 12
    one = client.get(f"/api/clusters/{cl['clusters'][0]['cluster_id']}").json()
    assert one["members"]
    f = client.get("/api/facets").json()
    assert "SY" in f["countries"] and f["counts"]["events"] == 12


def test_exports(client: TestClient) -> None:
    acled = list(csv.DictReader(io.StringIO(client.get("/api/export/acled.csv").text)))
    assert len(acled) == 12 and {"event_id_cnty", "event_date", "time_precision", "inter1", "interaction", "geo_precision",
                                 "fatalities", "notes", "admin1"} <= set(acled[0])
    ucdp = list(csv.DictReader(io.StringIO(client.get("/api/export/ucdp.csv").text)))
    assert len(ucdp) == 12 and {"best", "low", "high", "type_of_violence", "number_of_sources"} <= set(ucdp[0])
    gj = client.get("/api/export/events.geojson").json()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 12
    pq = client.get("/api/export/events.parquet")
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1"
    assert client.get("/api/export/events.xlsx").status_code == 422


def test_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/events/{event_id}/review" in spec["paths"]


def test_reviews_need_token(db: Path, tmp_path: Path) -> None:
    ro = TestClient(create_app(db))
    eid = ro.get("/api/events").json()["events"][0]["event_id"]
    body = {"action": "correct", "author": "ana", "field": "fatalities_best", "value": "7"}
    assert ro.post(f"/api/events/{eid}/review", json=body).status_code == 403
    rw = TestClient(create_app(db, token=TOKEN))
    assert rw.post(f"/api/events/{eid}/review", json=body).status_code == 401
    assert rw.post(f"/api/events/{eid}/review", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = rw.post(f"/api/events/{eid}/review", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert rw.get(f"/api/events/{eid}").json()["fatalities_best"] == 7
    bad = rw.post(f"/api/events/{eid}/review", json={**body, "field": "evidence"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert bad.status_code == 422
    assert rw.post(f"/api/events/{eid}/review", json={"action": "reject", "author": "ana"},
                   headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 201
    assert eid not in {e["event_id"] for e in rw.get("/api/events").json()["events"]}
    assert eid in {e["event_id"] for e in rw.get("/api/events", params={"include_rejected": True}).json()["events"]}
    json.dumps(rw.get(f"/api/events/{eid}").json())  # serialisable with reviews


def test_python_api(db: Path) -> None:
    import warlog.api as wl

    df = wl.events(db, country="SY")
    assert len(df) >= 2 and {"event_id", "sub_event_type", "latitude"} <= set(df.columns)
    pl_df = wl.events(db, engine="polars", event_type="Battles")
    assert pl_df.height >= 1
    assert len(wl.clusters(db)) >= 10
    with pytest.raises(ValueError):
        wl.events(db, engine="spark")
