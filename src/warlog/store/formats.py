"""Standard exports over the query layer: ACLED-compatible CSV, UCDP-GED-like CSV, GeoJSON, Parquet.

ACLED columns and codes follow ACLED's export (event_id_cnty, event_date as "12 March 2021", time_precision,
inter codes, interaction, iso numeric, geo_precision, notes, fatalities...); warlog fills what it extracts and
leaves the rest empty. The UCDP-GED-like file is one row per cluster (a real-world event) with best/low/high and
the number of sources; type_of_violence follows UCDP (1 state-based, 2 non-state, 3 one-sided).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warlog.store.query import EventFilter, list_clusters, pages, query_events

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso",
    "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
]
UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "side_a", "side_b", "date_start", "date_end", "date_prec", "country", "adm_1",
    "where_coordinates", "latitude", "longitude", "where_prec", "best", "high", "low", "deaths_civilians",
    "number_of_sources", "event_ids",
]
DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Riots": "Political violence; Demonstrations",
    "Protests": "Demonstrations", "Strategic developments": "Strategic developments",
}


def _all_events(store: Any, f: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    for page in pages(query_events, store, f):
        yield from page


def _country_name(cc: str | None) -> str | None:
    from warlog.resolve.geocode import gazetteer

    return gazetteer().country_name.get(cc, cc) if cc else None


def _iso_numeric(cc: str | None) -> str:
    try:
        import pycountry  # optional

        c = pycountry.countries.get(alpha_2=cc) if cc else None
        return str(int(c.numeric)) if c else ""
    except ImportError:
        return ""


def acled_rows(store: Any, f: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    for page in pages(query_events, store, f):
        extra = {r["event_id"]: r for r in store.query(  # notes and source of the whole page in one query
            "SELECT e.event_id, e.evidence, coalesce(a.url, a.source_path) AS source FROM events e "
            "JOIN articles a USING (article_id) WHERE e.event_id IN (SELECT unnest(?))", [[e["event_id"] for e in page]])}
        yield from (_acled_row(e, extra[e["event_id"]]) for e in page)


def _acled_row(e: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    d = dt.date.fromisoformat(e["event_date"]) if e["event_date"] else None
    sentences = [x["text"] for x in json.loads(extra["evidence"] or "[]") if x["role"] == "sentence"]
    return {
        "event_id_cnty": f"{e['country'] or 'XX'}-warlog-{e['event_id']}", "event_date": f"{d.day} {d:%B %Y}" if d else "",
        "year": d.year if d else "", "time_precision": e["date_precision"], "disorder_type": DISORDER.get(e["event_type"], ""),
        "event_type": e["event_type"], "sub_event_type": e["sub_event_type"], "actor1": e["actor1"] or "",
        "assoc_actor_1": "", "inter1": e["inter1"] or 0, "actor2": e["actor2"] or "", "assoc_actor_2": "",
        "inter2": e["inter2"] or 0, "interaction": e["interaction"] or 0,
        "civilian_targeting": "Civilian targeting" if (e["inter2"] == 7 and e["event_type"] in (
            "Violence against civilians", "Explosions/Remote violence")) else "",
        "iso": _iso_numeric(e["country"]), "region": "", "country": _country_name(e["country"]) or "",
        "admin1": e["admin1"] or "", "admin2": e["admin2"] or "", "admin3": "", "location": e["location"] or "",
        "latitude": e["latitude"] if e["latitude"] is not None else "",
        "longitude": e["longitude"] if e["longitude"] is not None else "", "geo_precision": e["geo_precision"] or "",
        "source": extra["source"] or "", "source_scale": "", "notes": " ".join(sentences)[:2000],
        "fatalities": e["fatalities_best"] or 0, "tags": f"review: {e.get('review_status', 'machine')}",
        "timestamp": int(dt.datetime.now().timestamp()),
    }


def ucdp_rows(store: Any) -> Iterator[dict[str, Any]]:
    for rows in pages(list_clusters, store):
        by_cluster: dict[str, list[dict[str, Any]]] = {}
        for m in store.query(  # the members of the whole page in one query
            "SELECT cluster_id, event_id, inter1, inter2, date_precision FROM cluster_members JOIN events "
            "USING (event_id) WHERE cluster_id IN (SELECT unnest(?)) ORDER BY event_id", [[c["cluster_id"] for c in rows]]
        ):
            by_cluster.setdefault(m["cluster_id"], []).append(m)
        for c in rows:
            members = by_cluster.get(c["cluster_id"], [])
            inter1 = members[0]["inter1"] if members else 0
            inter2 = members[0]["inter2"] if members else 0
            tov = 3 if inter2 == 7 else 1 if 1 in (inter1, inter2) or 8 in (inter1, inter2) else 2
            start = c["date_start"] or ""
            yield {
                "id": c["cluster_id"], "year": start[:4], "type_of_violence": tov, "side_a": c["actor1"] or "",
                "side_b": c["actor2"] or "", "date_start": start, "date_end": c["date_end"] or "",
                "date_prec": min((m["date_precision"] or 3) for m in members) if members else "",
                "country": _country_name(c["country"]) or "", "adm_1": c["admin1"] or "", "where_coordinates": c["location"] or "",
                "latitude": c["latitude"] if c["latitude"] is not None else "",
                "longitude": c["longitude"] if c["longitude"] is not None else "", "where_prec": c["geo_precision"] or "",
                "best": c["fatalities_best"] or 0, "high": c["fatalities_high"] or 0, "low": c["fatalities_low"] or 0,
                "deaths_civilians": c["civilian_fatalities"] or 0, "number_of_sources": c["source_count"],
                "event_ids": ";".join(m["event_id"] for m in members),
            }


def geojson(store: Any, f: EventFilter | None = None) -> dict[str, Any]:
    feats = []
    for e in _all_events(store, f):
        if e["latitude"] is None or e["longitude"] is None:
            continue
        props = {k: v for k, v in e.items() if k not in ("latitude", "longitude")}
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
                      "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def write_csv(rows: Iterator[dict[str, Any]], columns: list[str], fh: IO[str]) -> int:
    w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    n = 0
    for r in rows:
        w.writerow(r)
        n += 1
    return n


def write_parquet(store: Any, path: Path, f: EventFilter | None = None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(_all_events(store, f))
    cols = list(rows[0]) if rows else ["event_id"]
    pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in cols}), path)
    return len(rows)
