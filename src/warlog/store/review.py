"""The analyst review loop: confirm, correct, reject, merge and split, stored with author and time.

Reviews are rows of their own (never edits of the machine's rows), keyed by event id, so they survive re-runs
and are applied wherever events are read: corrections override fields, rejected events drop out, merges and
splits constrain clustering. A correction also teaches extraction: correcting ``actor1`` records the text the
machine read (its raw actor mention) as an alias of the corrected name, and correcting ``location`` records the
toponym as an alias of the corrected place; ``extract`` and ``resolve`` load these additions on the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from warlog.data import content_hash
from warlog.errors import ReviewError

ACTIONS = ("confirm", "correct", "reject", "merge", "split")
CORRECTABLE = {
    "event_type": str, "sub_event_type": str, "actor1": str, "actor2": str, "location": str, "admin1": str,
    "country": str, "latitude": float, "longitude": float, "geo_precision": int, "fatalities_low": int,
    "fatalities_best": int, "fatalities_high": int, "civilian_fatalities": int, "event_date": dt.date,
}


@dataclass(slots=True)
class Review:
    review_id: str
    event_id: str
    action: str
    author: str
    field: str | None = None
    value: str | None = None
    other_event_id: str | None = None
    note: str | None = None


def parse_value(field: str, value: str | None) -> dict[str, Any]:
    if field not in CORRECTABLE:
        raise ReviewError(f"field {field!r} cannot be corrected (one of: {', '.join(sorted(CORRECTABLE))})")
    typ = CORRECTABLE[field]
    if value is None or value == "":
        return {field: None}
    try:
        if typ is dt.date:
            return {field: dt.date.fromisoformat(value)}
        return {field: typ(value)}
    except ValueError as exc:
        raise ReviewError(f"{field}: {value!r} is not a valid {typ.__name__}") from exc


def add_review(store: Any, r: Review) -> Review:
    if r.action not in ACTIONS:
        raise ReviewError(f"unknown action {r.action!r} (one of: {', '.join(ACTIONS)})")
    if not r.author or not re.fullmatch(r"[\w .@'-]{1,80}", r.author):
        raise ReviewError("author is required (letters, digits, spaces, . @ ' -; at most 80 characters)")
    for eid in filter(None, (r.event_id, r.other_event_id)):
        if not store.query("SELECT 1 AS x FROM events WHERE event_id = ?", [eid]):
            raise ReviewError(f"no event {eid!r}")
    if r.action in ("merge", "split") and not r.other_event_id:
        raise ReviewError(f"{r.action} needs a second event id")
    if r.action == "correct":
        if not r.field:
            raise ReviewError("correct needs a field and a value")
        parse_value(r.field, r.value)
    now = dt.datetime.now()
    r.review_id = content_hash(f"{r.event_id}|{r.other_event_id}|{r.action}|{r.field}|{r.value}|{r.author}|{now.isoformat()}")
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.execute(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [r.review_id, r.event_id, r.other_event_id, r.action, r.field, r.value, r.author, r.note, now],
        )
        if r.action == "correct" and r.field in ("actor1", "actor2", "location") and r.value:
            _learn(store, r, now)
        store.con.execute("COMMIT")
    except Exception:
        store.con.execute("ROLLBACK")
        raise
    return r


def _learn(store: Any, r: Review, now: dt.datetime) -> None:
    row = store.query("SELECT actor1_raw, actor2_raw, evidence FROM events WHERE event_id = ?", [r.event_id])[0]
    if r.field in ("actor1", "actor2"):
        raw = row[f"{r.field}_raw"]
        sentences = " ".join(e["text"] for e in json.loads(row["evidence"] or "[]") if e.get("role") == "sentence")
        if str(r.value).lower() in sentences.lower():
            raw = str(r.value)  # the corrected name is written in the evidence: learn it as it is written
        if raw:  # the words the machine read now name the corrected actor (a new actor when the name is new)
            store.con.execute(
                "INSERT INTO lexicon_additions VALUES ('actor', ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value,"
                " review_id = excluded.review_id, created_at = excluded.created_at",
                [raw.strip(), r.value, r.review_id, now],
            )
    else:
        spans = [e for e in json.loads(row["evidence"] or "[]") if e.get("role") == "place"]
        if spans:
            store.con.execute(
                "INSERT INTO lexicon_additions VALUES ('place', ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value,"
                " review_id = excluded.review_id, created_at = excluded.created_at",
                [spans[0]["text"].strip(), r.value, r.review_id, now],
            )


def lexicon_additions(store: Any) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"actor": {}, "place": {}}
    for r in store.query("SELECT kind, alias, value FROM lexicon_additions ORDER BY created_at"):
        out.setdefault(r["kind"], {})[r["alias"]] = r["value"]
    return out


def review_overlay(store: Any, event_ids: list[str] | None = None) -> dict[str, tuple[dict[str, Any], str]]:
    """Per reviewed event (all, or those of ``event_ids``): the corrected fields, the latest correction of a field
    winning, and the review status the latest decision gives (corrected, confirmed or rejected). The one place
    where reviews are applied to the machine's rows: the query layer, exports and clustering all read it."""
    sql = "SELECT event_id, action, field, value FROM reviews WHERE action IN ('correct', 'confirm', 'reject')"
    params: list[Any] = []
    if event_ids is not None:
        sql += " AND event_id IN (SELECT unnest(?))"
        params.append(list(event_ids))
    out: dict[str, tuple[dict[str, Any], str]] = {}
    for r in store.query(sql + " ORDER BY created_at", params):
        fields, status = out.get(r["event_id"], ({}, "machine"))
        if r["action"] == "correct" and r["field"] in CORRECTABLE:
            fields.update(parse_value(r["field"], r["value"]))
            status = "corrected"
        elif r["action"] in ("confirm", "reject"):
            status = "confirmed" if r["action"] == "confirm" else "rejected"
        out[r["event_id"]] = (fields, status)
    return out


def reviewed_event(store: Any, event_id: str) -> dict[str, Any] | None:
    """An event with its reviews applied, and the reviews themselves."""
    rows = store.query("SELECT * FROM events WHERE event_id = ?", [event_id])
    if not rows:
        return None
    ev = rows[0]
    reviews = store.query("SELECT * FROM reviews WHERE event_id = ? OR other_event_id = ? ORDER BY created_at", [event_id, event_id])
    ev.update(review_overlay(store, [event_id]).get(event_id, ({}, ""))[0])
    ev["status"] = next((r["action"] for r in reversed(reviews) if r["action"] in ("confirm", "reject") and r["event_id"] == event_id),
                        "machine")
    ev["reviews"] = reviews
    return ev
