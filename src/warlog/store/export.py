"""Event exports (JSON Lines, CSV). One query serves both; evidence and sources are lists."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from warlog.store.duckdb_store import REPORTABLE_SQL, Store

EXPORT_SQL = """
SELECT e.event_id, e.event_date, e.date_precision, e.date_source, e.event_type, e.sub_event_type,
       e.actor1, e.inter1, e.actor2, e.inter2, e.interaction, e.location, e.admin1, e.country,
       e.latitude, e.longitude, e.geo_precision, e.geo_method, e.geo_confidence,
       e.fatalities_low, e.fatalities_best, e.fatalities_high, e.civilian_fatalities, e.confidence,
       e.article_id, coalesce(a.url, a.source_path) AS article_source, a.title, d.pub_date, d.pub_date_source,
       e.evidence, e.reportability, e.reportable, e.reportable_method, e.type_method, e.type_rule,
       e.type_model_probability, e.match_tier, e.gazetteer_id, e.admin2
FROM events e JOIN articles a USING (article_id) JOIN docs d USING (article_id)
{where}
ORDER BY e.event_date NULLS LAST, e.event_id
"""

FIELDS = [
    "event_id", "event_date", "date_precision", "date_source", "event_type", "sub_event_type", "actor1", "inter1",
    "actor2", "inter2", "interaction", "location", "admin1", "country", "latitude", "longitude", "geo_precision",
    "geo_method", "geo_confidence", "fatalities_low", "fatalities_best", "fatalities_high", "civilian_fatalities",
    "confidence", "sources", "claims", "evidence", "reportability", "reportable",
    "reportable_method", "type_method", "type_rule", "type_model_probability", "match_tier", "gazetteer_id", "admin2",
]


def iter_events(store: Store, include_unreportable: bool = False) -> Iterator[dict[str, Any]]:
    """Stored events with their claims and sources; those judged unreportable (and not confirmed by an analyst)
    only when asked for."""
    claims: dict[str, list[dict[str, Any]]] = {}
    for c in store.query("SELECT * FROM claims ORDER BY event_id, span_start"):
        claims.setdefault(c["event_id"], []).append(
            {k: c[k] for k in ("kind", "source", "via", "text", "low", "best", "high", "civilian")}
            | {"start": c["span_start"], "end": c["span_end"]}
        )
    for row in store.query(EXPORT_SQL.format(where="" if include_unreportable else f"WHERE {REPORTABLE_SQL}")):
        ev_claims = claims.get(row["event_id"], [])
        sources: list[str] = []
        for c in ev_claims:
            for s in (c["source"], c["via"]):
                if s and s not in sources:
                    sources.append(s)
        if row["article_source"] not in sources:
            sources.append(row["article_source"])
        out = {k: row[k] for k in FIELDS if k in row}
        out["event_date"] = row["event_date"].isoformat() if row["event_date"] else None
        out["evidence"] = json.loads(row["evidence"]) if row["evidence"] else []
        out["claims"] = ev_claims
        out["sources"] = sources
        out["reportable"] = row["reportable"] is not False
        out["article"] = {
            "article_id": row["article_id"], "source": row["article_source"], "title": row["title"],
            "pub_date": row["pub_date"].isoformat() if row["pub_date"] else None, "pub_date_source": row["pub_date_source"],
        }
        yield out


def export_events(store: Store, fh: IO[str], fmt: str = "jsonl", include_unreportable: bool = False) -> int:
    n = 0
    if fmt == "jsonl":
        for ev in iter_events(store, include_unreportable):
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        w = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
        w.writeheader()
        for ev in iter_events(store, include_unreportable):
            flat = dict(ev)
            flat["sources"] = "; ".join(ev["sources"])
            flat["claims"] = json.dumps(ev["claims"], ensure_ascii=False)
            flat["evidence"] = json.dumps(ev["evidence"], ensure_ascii=False)
            w.writerow(flat)
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (jsonl, csv)")
    return n
