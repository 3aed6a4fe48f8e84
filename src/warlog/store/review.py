"""The analyst review loop: confirm, correct, reject, merge and split, stored with author and time.

Reviews are rows of their own (never edits of the machine's rows), keyed by event id, so they survive re-runs
and are applied wherever events are read: corrections override fields, rejected events drop out, merges and
splits constrain clustering. A correction also teaches extraction: correcting ``actor1`` records the text the
machine read (its raw actor mention) as an alias of the corrected name, and correcting ``location`` records the
toponym as an alias of the corrected place; ``extract`` and ``resolve`` load these additions on the next run.

An ``undo`` is a review too (its ``value`` names the review it takes back): the undone review stays in the audit
log but no longer counts anywhere (readers go through the ``active_reviews`` view), and an alias it taught goes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from warlog.data import content_hash
from warlog.errors import ReviewError

ACTIONS = ("confirm", "correct", "reject", "merge", "split", "undo")
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
    if r.action in ("merge", "split") and r.other_event_id == r.event_id:
        raise ReviewError(f"{r.action} needs two different events")
    if r.action == "undo":
        target = store.query("SELECT review_id, event_id, other_event_id, action FROM reviews WHERE review_id = ?", [r.value])
        if not target:
            raise ReviewError(f"undo: no review {r.value!r}")
        if target[0]["action"] == "undo":
            raise ReviewError("undo: an undo cannot be undone (make the decision again instead)")
        if r.event_id not in (target[0]["event_id"], target[0]["other_event_id"]):
            raise ReviewError(f"undo: review {r.value} is not about event {r.event_id}")
        if store.query("SELECT 1 AS x FROM reviews WHERE action = 'undo' AND value = ?", [r.value]):
            raise ReviewError(f"undo: review {r.value} is already undone")
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
        if r.action == "undo":  # an alias the undone correction taught is forgotten
            store.con.execute("DELETE FROM lexicon_additions WHERE review_id = ?", [r.value])
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
    sql = "SELECT event_id, action, field, value FROM active_reviews WHERE action IN ('correct', 'confirm', 'reject')"
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
    reviews = store.query("SELECT * FROM active_reviews WHERE event_id = ? OR other_event_id = ? ORDER BY created_at",
                          [event_id, event_id])
    ev.update(review_overlay(store, [event_id]).get(event_id, ({}, ""))[0])
    ev["status"] = next((r["action"] for r in reversed(reviews) if r["action"] in ("confirm", "reject") and r["event_id"] == event_id),
                        "machine")
    ev["reviews"] = reviews
    return ev


# ---- reviewers -------------------------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(store: Any, name: str) -> str:
    """Create reviewer ``name`` (or give an existing one a new token) and return the token. Only its SHA-256 is
    stored: the token is shown once. Tokens are 256 random bits, so a plain hash is enough (nothing to guess)."""
    if not re.fullmatch(r"[\w .@'-]{1,80}", name or ""):
        raise ReviewError("user name: letters, digits, spaces, . @ ' -; at most 80 characters")
    token = "wl_" + secrets.token_urlsafe(32)
    store.con.execute(
        "INSERT INTO users VALUES (?, ?, ?, false) ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256, "
        "created_at = excluded.created_at, disabled = false", [name, _token_hash(token), dt.datetime.now()])
    return token


def remove_user(store: Any, name: str) -> bool:
    """Disable a reviewer (their reviews stay, with their name)."""
    found = bool(store.query("SELECT 1 AS x FROM users WHERE name = ?", [name]))
    store.con.execute("UPDATE users SET disabled = true WHERE name = ?", [name])
    return found


def list_users(store: Any) -> list[dict[str, Any]]:
    return store.query("SELECT name, created_at, disabled FROM users ORDER BY name")


def user_for_token(store: Any, token: str | None) -> str | None:
    """The (enabled) reviewer whose token this is, or None."""
    if not token:
        return None
    rows = store.query("SELECT name, token_sha256 FROM users WHERE token_sha256 = ? AND NOT disabled", [_token_hash(token)])
    if rows and hmac.compare_digest(rows[0]["token_sha256"], _token_hash(token)):
        return str(rows[0]["name"])
    return None


# ---- audit log -------------------------------------------------------------------------------------------------
AUDIT_COLUMNS = ["review_id", "created_at", "author", "action", "event_id", "other_event_id", "field", "value", "note",
                 "undone_by"]


def audit_log(store: Any) -> list[dict[str, Any]]:
    """Every review ever made, oldest first, each with the undo that took it back (if any)."""
    rows = store.query(
        "SELECT r.review_id, r.created_at, r.author, r.action, r.event_id, r.other_event_id, r.field, r.value, r.note, "
        "u.review_id AS undone_by FROM reviews r LEFT JOIN reviews u ON u.action = 'undo' AND u.value = r.review_id "
        "ORDER BY r.created_at, r.review_id")
    for r in rows:
        r["created_at"] = r["created_at"].isoformat() if r["created_at"] else None
    return rows
