"""The query layer: the store's one read interface, used by the REST API, the web pages, the exports and the Python API.

Filters are a typed record; SQL is built from fixed fragments with every value passed as a parameter (never
formatted into the statement). Analysts' reviews are applied on the way out: rejected events are left out
unless asked for, field corrections override the machine's values, and each event says its review status.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from warlog.store.duckdb_store import REPORTABLE_SQL
from warlog.store.review import review_overlay

EVENT_FIELDS = [
    "event_id", "event_date", "date_precision", "date_source", "event_type", "sub_event_type", "actor1", "inter1",
    "actor2", "inter2", "interaction", "location", "admin1", "admin2", "country", "latitude", "longitude",
    "geo_precision", "geo_method", "geo_confidence", "fatalities_low", "fatalities_best", "fatalities_high",
    "civilian_fatalities", "confidence", "article_id", "cluster_id", "reportability", "reportable",
    "reportable_method",
]
SORTS = {"date": "e.event_date", "fatalities": "e.fatalities_best", "confidence": "e.confidence",
         "event_type": "e.event_type", "sub_event_type": "e.sub_event_type", "location": "e.location", "country": "e.country",
         "actor1": "e.actor1"}
EVENT_TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"]


@dataclass(slots=True)
class EventFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None  # ISO alpha-2
    admin1: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None  # substring of actor1 or actor2, case-insensitive
    min_fatalities: int | None = None
    max_fatalities: int | None = None
    q: str | None = None  # text search in evidence, location and actors
    cluster_id: str | None = None
    include_rejected: bool = False
    sort: str = "date"
    descending: bool = False
    limit: int = 100
    offset: int = 0
    params: list[Any] = field(default_factory=list)
    include_unreportable: bool = False  # events judged unreportable (dedupe.reportable) that no analyst confirmed

    def where(self) -> tuple[str, list[Any]]:
        c: list[str] = []
        p: list[Any] = []

        def add(sql: str, *vals: Any) -> None:
            c.append(sql)
            p.extend(vals)

        if self.date_from:
            add("e.event_date >= ?", self.date_from)
        if self.date_to:
            add("e.event_date <= ?", self.date_to)
        if self.country:
            add("e.country = ?", self.country.upper())
        if self.admin1:
            add("lower(e.admin1) = lower(?)", self.admin1)
        if self.bbox:
            w, s, e_, n = self.bbox
            add("e.latitude BETWEEN ? AND ?", s, n)
            if w <= e_:
                add("e.longitude BETWEEN ? AND ?", w, e_)
            else:  # across the antimeridian
                add("(e.longitude >= ? OR e.longitude <= ?)", w, e_)
        if self.event_type:
            add("e.event_type = ?", self.event_type)
        if self.sub_event_type:
            add("e.sub_event_type = ?", self.sub_event_type)
        if self.actor:
            add("(contains(lower(e.actor1), lower(?)) OR contains(lower(e.actor2), lower(?)))", self.actor, self.actor)
        if self.min_fatalities is not None:
            add("coalesce(e.fatalities_best, 0) >= ?", self.min_fatalities)
        if self.max_fatalities is not None:
            add("coalesce(e.fatalities_best, 0) <= ?", self.max_fatalities)
        if self.q:
            add("(contains(lower(e.evidence), lower(?)) OR contains(lower(coalesce(e.location, '')), lower(?)) OR "
                "contains(lower(coalesce(e.actor1, '') || ' ' || coalesce(e.actor2, '')), lower(?)))", self.q, self.q, self.q)
        if self.cluster_id:
            add("m.cluster_id = ?", self.cluster_id)
        if not self.include_rejected:
            c.append("e.event_id NOT IN (SELECT event_id FROM rejected_events)")
        if not self.include_unreportable:
            c.append(REPORTABLE_SQL)
        return (" WHERE " + " AND ".join(c)) if c else "", p


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date | dt.datetime) else v


def _apply_reviews(store: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    overlay = review_overlay(store, [r["event_id"] for r in rows])
    for row in rows:
        fields, status = overlay.get(row["event_id"], ({}, "machine"))
        row.update(fields)
        row["review_status"] = status


def query_events(store: Any, f: EventFilter) -> tuple[list[dict[str, Any]], int]:
    where, params = f.where()
    base = "FROM events e LEFT JOIN cluster_members m USING (event_id)"
    total = store.query(f"SELECT count(*) AS n {base}{where}", params)[0]["n"]
    order = SORTS.get(f.sort, "e.event_date") + (" DESC" if f.descending else "") + " NULLS LAST, e.event_id"
    cols = ", ".join(f"e.{c}" if c != "cluster_id" else "m.cluster_id" for c in EVENT_FIELDS)
    rows = store.query(f"SELECT {cols} {base}{where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, f.limit, f.offset])
    _apply_reviews(store, rows)
    return [{k: _iso(v) for k, v in r.items()} for r in rows], int(total)


def points(store: Any, f: EventFilter, cap: int = 250_000) -> dict[str, Any]:
    """Every placed event matching ``f`` (limit and offset ignored, at most ``cap``), newest first, reviews applied,
    as columns the map clusters in the browser: ``ids`` (the 16-character event ids concatenated), ``lon``/``lat``
    (integers, 1e-5 degree, about 1 m), ``type`` (index into ``types``, -1 unknown), ``deaths`` (best estimate, -1
    unknown) and ``day`` (days since 1970-01-01, null when undated). Columns of numbers keep 50,000 events small and
    quick to encode and parse."""
    where, params = f.where()
    where += (" AND " if where else " WHERE ") + "e.latitude IS NOT NULL AND e.longitude IS NOT NULL"
    rows = store.con.execute(
        "SELECT e.event_id, e.longitude, e.latitude, e.event_type, e.fatalities_best, e.event_date "
        f"FROM events e LEFT JOIN cluster_members m USING (event_id){where} "
        "ORDER BY e.event_date DESC NULLS LAST, e.event_id LIMIT ?", [*params, cap]).fetchall()
    overlay = {k: v[0] for k, v in review_overlay(store).items() if v[0]}
    types = {t: i for i, t in enumerate(EVENT_TYPES)}
    epoch = dt.date(1970, 1, 1)
    ids, lon, lat, typ, deaths, day = [], [], [], [], [], []
    for eid, x, y, t, d, date in rows:
        fields = overlay.get(eid)
        if fields:  # corrected coordinates, type, deaths or date
            x, y = fields.get("longitude", x), fields.get("latitude", y)
            t, d, date = fields.get("event_type", t), fields.get("fatalities_best", d), fields.get("event_date", date)
            if x is None or y is None:
                continue
        ids.append(eid)
        lon.append(round(x * 1e5))
        lat.append(round(y * 1e5))
        typ.append(types.get(t, -1))
        deaths.append(-1 if d is None else int(d))
        day.append(None if date is None else (date - epoch).days)
    return {"total": len(ids), "id_length": 16, "types": EVENT_TYPES, "ids": "".join(ids), "lon": lon, "lat": lat,
            "type": typ, "deaths": deaths, "day": day}


def get_event(store: Any, event_id: str) -> dict[str, Any] | None:
    rows = store.query(
        "SELECT e.*, m.cluster_id, coalesce(a.url, a.source_path) AS article_source, a.title, d.clean_text, d.pub_date, "
        "d.pub_date_source FROM events e JOIN articles a USING (article_id) JOIN docs d USING (article_id) "
        "LEFT JOIN cluster_members m USING (event_id) WHERE e.event_id = ?", [event_id])
    if not rows:
        return None
    ev = rows[0]
    _apply_reviews(store, [ev])
    ev["evidence"] = json.loads(ev["evidence"]) if ev["evidence"] else []
    ev["claims"] = store.query("SELECT * FROM claims WHERE event_id = ? ORDER BY span_start", [event_id])
    ev["reviews"] = store.query(  # the whole audit trail of the event, undone reviews marked
        "SELECT r.*, u.review_id AS undone_by, u.author AS undone_author, u.created_at AS undone_at FROM reviews r "
        "LEFT JOIN reviews u ON u.action = 'undo' AND u.value = r.review_id "
        "WHERE (r.event_id = ? OR r.other_event_id = ?) ORDER BY r.created_at, r.review_id", [event_id, event_id])
    ev["sentences"] = _highlighted(ev)
    ev["cluster"] = get_cluster(store, ev["cluster_id"]) if ev.get("cluster_id") else None
    ev.pop("clean_text", None)
    return _jsonable(ev)


def _highlighted(ev: dict[str, Any]) -> list[dict[str, Any]]:
    """Each evidence sentence with the extracted spans inside it (offsets relative to the sentence)."""
    text = ev.get("clean_text") or ""
    out = []
    for s in (e for e in ev["evidence"] if e["role"] == "sentence"):
        spans = [
            {"role": e["role"], "start": e["start"] - s["start"], "end": e["end"] - s["start"], "text": e["text"]}
            for e in ev["evidence"] if e["role"] != "sentence" and s["start"] <= e["start"] and e["end"] <= s["end"]
        ]
        out.append({"start": s["start"], "end": s["end"], "text": text[s["start"] : s["end"]] or s["text"],
                    "spans": sorted(spans, key=lambda x: (x["start"], -x["end"]))})
    return out


def get_cluster(store: Any, cluster_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM clusters WHERE cluster_id = ?", [cluster_id])
    if not rows:
        return None
    c = rows[0]
    c["members"] = store.query(
        "SELECT e.event_id, e.event_date, e.sub_event_type, e.location, e.fatalities_best, e.article_id, "
        "coalesce(a.url, a.source_path) AS article_source, a.title FROM cluster_members m JOIN events e USING (event_id) "
        "JOIN articles a USING (article_id) WHERE m.cluster_id = ? ORDER BY e.event_date, e.event_id", [cluster_id])
    return _jsonable(c)


def list_clusters(store: Any, f: EventFilter) -> tuple[list[dict[str, Any]], int]:
    c: list[str] = []
    p: list[Any] = []
    if f.date_from:
        c.append("date_end >= ?")
        p.append(f.date_from)
    if f.date_to:
        c.append("date_start <= ?")
        p.append(f.date_to)
    if f.country:
        c.append("country = ?")
        p.append(f.country.upper())
    if f.event_type:
        c.append("event_type = ?")
        p.append(f.event_type)
    where = (" WHERE " + " AND ".join(c)) if c else ""
    total = store.query(f"SELECT count(*) AS n FROM clusters{where}", p)[0]["n"]
    rows = store.query(f"SELECT * FROM clusters{where} ORDER BY date_start NULLS LAST, cluster_id LIMIT ? OFFSET ?",
                       [*p, f.limit, f.offset])
    return [_jsonable(r) for r in rows], int(total)


def timeline(store: Any, f: EventFilter, bucket: str = "week") -> list[dict[str, Any]]:
    trunc = {"day": "day", "week": "week", "month": "month"}.get(bucket, "week")
    where, params = f.where()
    rows = store.query(
        f"SELECT date_trunc('{trunc}', e.event_date) AS period, count(*) AS events, "
        "sum(coalesce(e.fatalities_best, 0)) AS fatalities, sum(coalesce(e.civilian_fatalities, 0)) AS civilian_fatalities "
        f"FROM events e LEFT JOIN cluster_members m USING (event_id){where}"
        + (" AND " if where else " WHERE ") + "e.event_date IS NOT NULL GROUP BY 1 ORDER BY 1", params)
    return [{k: _iso(v) if k == "period" else int(v or 0) for k, v in r.items()} for r in rows]


def pages(
    fetch: Callable[[Any, EventFilter], tuple[list[dict[str, Any]], int]], store: Any, f: EventFilter | None = None,
    size: int = 1000,
) -> Iterator[list[dict[str, Any]]]:
    """Every row a listing (``query_events``, ``list_clusters``) gives for ``f``, a page at a time."""
    f = f or EventFilter()
    f.limit, f.offset = size, 0
    while True:
        rows, total = fetch(store, f)
        if rows:
            yield rows
        f.offset += len(rows)
        if not rows or f.offset >= total:
            break


def facets(store: Any) -> dict[str, Any]:
    return {
        "countries": [r["country"] for r in store.query("SELECT DISTINCT country FROM events WHERE country IS NOT NULL ORDER BY 1")],
        "event_types": [r["event_type"] for r in store.query("SELECT DISTINCT event_type FROM events ORDER BY 1")],
        "date_range": [_iso(v) for v in store.con.execute("SELECT min(event_date), max(event_date) FROM events").fetchone()],
        "counts": store.counts(),
    }


def _jsonable(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, list):
            out[k] = [_jsonable(x) if isinstance(x, dict) else _iso(x) for x in v]
        elif isinstance(v, dict):
            out[k] = _jsonable(v)
        else:
            out[k] = _iso(v)
    return out
