"""The review queue: events in the order a human check is worth most.

A check is worth more where the machine is least sure or a mistake costs most. Each event gets a score that is the
sum of named, bounded parts (all 0..1 before their weight), computed in one SQL statement over the same filters as
the map (``EventFilter``), so 50,000 events rank in one query:

* ``confidence``: 1 - the event's coding confidence (rules and models both write ``events.confidence``);
* ``date``: coarse date precision (week 0.5, month 1; no date 1);
* ``place``: coarse place (region 0.5, province 1; not placed 1) plus half of 1 - the geocoder's confidence;
* ``disagreement``: the event's cluster (the same real-world event in other reports) disagrees on sub-type (1),
  deaths (spread relative to the largest report) or place (0.5);
* ``deaths``: large fatality counts matter most to users (log scale, 100 or more = 1);
* ``actors``: unknown or unidentified actor 1 (1), missing actor 2 where the type has a target (0.5).

Events with an active review (confirmed, corrected or rejected) leave the queue unless ``include_reviewed``.
``WEIGHTS`` are fixed by hand (no data tuned them); the tools/review_learning_value.py measurement compares the
queue's first 50 with 50 random events.
"""

from __future__ import annotations

from typing import Any

from warlog.store.query import EventFilter, _apply_reviews, _iso

WEIGHTS = {"confidence": 2.0, "date": 1.0, "place": 1.0, "disagreement": 1.5, "deaths": 1.5, "actors": 1.0}

PARTS_SQL = {
    "confidence": "greatest(0.0, least(1.0, 1.0 - coalesce(e.confidence, 0.0)))",
    "date": "CASE WHEN e.event_date IS NULL THEN 1.0 ELSE (least(greatest(coalesce(e.date_precision, 3), 1), 3) - 1) / 2.0 END",
    "place": "CASE WHEN e.latitude IS NULL THEN 1.0 ELSE least(1.0, (least(greatest(coalesce(e.geo_precision, 3), 1), 3) - 1)"
             " / 2.0 + 0.5 * (1.0 - least(1.0, greatest(0.0, coalesce(e.geo_confidence, 0.5))))) END",
    "disagreement": "least(1.0, coalesce(d.sub_types - 1, 0) + coalesce(d.spread, 0) + 0.5 * least(coalesce(d.places, 1) - 1, 1))",
    "deaths": "least(1.0, ln(1 + coalesce(e.fatalities_best, 0)) / ln(101))",
    "actors": "(CASE WHEN coalesce(e.actor1, '') = '' OR lower(e.actor1) LIKE 'unidentified%' OR lower(e.actor1) LIKE 'unknown%'"
              " THEN 1.0 ELSE 0.0 END) + (CASE WHEN coalesce(e.actor2, '') = '' AND e.event_type IN ('Battles',"
              " 'Violence against civilians') THEN 0.5 ELSE 0.0 END)",
}
REASONS = {
    "confidence": "low coding confidence", "date": "coarse or missing date", "place": "coarse or missing place",
    "disagreement": "reports of the same event disagree", "deaths": "many deaths", "actors": "unknown actor",
}


def review_queue(store: Any, f: EventFilter, include_reviewed: bool = False) -> tuple[list[dict[str, Any]], int]:
    """One page (``f.limit``/``f.offset``) of the queue, best first, and the queue's length. Each row has the
    event's fields (reviews applied), ``review_score`` and ``review_parts`` (weighted) and ``review_reasons``."""
    where, params = f.where()
    if not include_reviewed:
        where += (" AND " if where else " WHERE ") + (
            "e.event_id NOT IN (SELECT event_id FROM active_reviews WHERE action IN ('confirm', 'correct', 'reject'))")
    parts = ", ".join(f"{WEIGHTS[k]} * ({sql}) AS part_{k}" for k, sql in PARTS_SQL.items())
    score = " + ".join(f"part_{k}" for k in PARTS_SQL)
    sql = f"""
        WITH d AS (
            SELECT m.cluster_id, count(DISTINCT x.sub_event_type) AS sub_types, count(DISTINCT x.location) AS places,
                   (max(coalesce(x.fatalities_best, 0)) - min(coalesce(x.fatalities_best, 0)))
                       / (max(coalesce(x.fatalities_best, 0)) + 1.0) AS spread
            FROM cluster_members m JOIN events x USING (event_id)
            WHERE x.event_id NOT IN (SELECT event_id FROM rejected_events)
            GROUP BY m.cluster_id HAVING count(*) > 1
        ), scored AS (
            SELECT e.event_id, e.event_date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.location, e.admin1,
                   e.country, e.latitude, e.longitude, e.date_precision, e.geo_precision, e.fatalities_best,
                   e.confidence, m.cluster_id, {parts}
            FROM events e LEFT JOIN cluster_members m USING (event_id) LEFT JOIN d ON d.cluster_id = m.cluster_id
            {where}
        )
        SELECT *, {score} AS review_score, count(*) OVER () AS queue_length FROM scored
        ORDER BY review_score DESC, event_date DESC NULLS LAST, event_id LIMIT ? OFFSET ?"""
    rows = store.query(sql, [*params, f.limit, f.offset])
    total = int(rows[0]["queue_length"]) if rows else (0 if f.offset == 0 else _count(store, where, params))
    out = []
    for r in rows:
        r.pop("queue_length")
        weighted = {k: round(float(r.pop(f"part_{k}") or 0.0), 3) for k in PARTS_SQL}
        r["review_score"] = round(float(r["review_score"] or 0.0), 3)
        r["review_parts"] = weighted
        r["review_reasons"] = [REASONS[k] for k, v in sorted(weighted.items(), key=lambda kv: -kv[1]) if v >= 0.25]
        out.append({k: _iso(v) for k, v in r.items()})
    _apply_reviews(store, out)
    return out, total


def _count(store: Any, where: str, params: list[Any]) -> int:
    return int(store.query(f"SELECT count(*) AS n FROM events e LEFT JOIN cluster_members m USING (event_id){where}",
                           params)[0]["n"])
