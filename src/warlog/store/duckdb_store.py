"""DuckDB store (the embedded default).

* Schema by named migrations (store.migrations), recorded in ``schema_migrations``.
* Idempotent: articles are keyed by the hash of their raw text, events by a hash of article, place, date and
  type, claims by a hash of event, source and span, rejects by a hash of file, record, stage and reason.
  Re-running adds nothing; a document already processed by the same pipeline version is skipped.
* Transactional: each batch (articles, docs, events, claims, rejects) is written in one transaction, so a
  killed run leaves whole batches only and the rerun completes the rest.
* One writer: DuckDB locks the file; a second writer gets ``StoreLockedError`` (W302) with a clear message.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from warlog import __version__
from warlog.data import Doc, Event, Reject, content_hash
from warlog.errors import StoreError, StoreLockedError
from warlog.store.migrations import MIGRATIONS

PIPELINE_VERSION = f"warlog-{__version__}"

EVENT_COLUMNS = [
    "event_id", "article_id", "event_date", "date_precision", "date_source", "event_type", "sub_event_type",
    "actor1", "actor1_raw", "inter1", "actor1_method", "actor2", "actor2_raw", "inter2", "actor2_method",
    "interaction", "location", "admin1", "country", "latitude", "longitude", "geo_precision", "geo_method",
    "geo_confidence", "gazetteer_id", "match_tier", "fatalities_low", "fatalities_best", "fatalities_high",
    "civilian_fatalities", "confidence", "evidence", "run_id",
]


class Store:
    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        try:
            if not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreLockedError(
                    "database is in use by another warlog process (one writer at a time); wait for it to finish "
                    f"or use another --db. Details: {msg.splitlines()[0]}",
                    self.path,
                ) from exc
            raise StoreError(msg, self.path) from exc
        except duckdb.Error as exc:
            raise StoreError(f"cannot open database: {exc}", self.path) from exc
        if not read_only:
            self.migrate()

    # ---- schema -----------------------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
        done = {r[0] for r in self.con.execute("SELECT name FROM schema_migrations").fetchall()}
        applied = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                for stmt in (s.strip() for s in sql.split(";")):
                    if stmt:
                        self.con.execute(stmt)
                self.con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, dt.datetime.now()])
                self.con.execute("COMMIT")
            except duckdb.Error:
                self.con.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- runs -------------------------------------------------------------------------------------------
    def start_run(self, inputs: Sequence[str]) -> str:
        run_id = f"{dt.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, status, inputs, pipeline_version, stats) VALUES (?, ?, 'running', ?, ?, ?)",
            [run_id, dt.datetime.now(), json.dumps(list(inputs)), PIPELINE_VERSION,
             json.dumps({"pid": os.getpid(), "host": socket.gethostname()})],
        )
        return run_id

    def finish_run(self, run_id: str, status: str, counts: dict[str, int], stats: Any) -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, n_articles = ?, n_skipped = ?, n_events = ?, n_rejects = ?, "
            "stats = ? WHERE run_id = ?",
            [dt.datetime.now(), status, counts.get("articles", 0), counts.get("skipped", 0), counts.get("events", 0),
             counts.get("rejects", 0), json.dumps(stats), run_id],
        )

    # ---- idempotency ------------------------------------------------------------------------------------
    def processed_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT article_id FROM docs WHERE pipeline_version = ? AND article_id IN (SELECT unnest(?))",
            [PIPELINE_VERSION, ids],
        ).fetchall()
        return {r[0] for r in rows}

    # ---- writes -----------------------------------------------------------------------------------------
    def write_batch(self, docs: Sequence[Doc], rejects: Sequence[Reject], run_id: str) -> int:
        """Write a processed batch in one transaction; returns the number of events written."""
        n_events = 0
        self.con.execute("BEGIN TRANSACTION")
        try:
            for doc in docs:
                self._write_doc(doc, run_id)
                n_events += len(doc.events)
            for r in rejects:
                self.add_reject(r, run_id, commit=False)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return n_events

    def _write_doc(self, doc: Doc, run_id: str) -> None:
        a = doc.article
        self.con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [a.article_id, a.source_path, a.record_index, a.url, a.title, a.published, a.is_html, a.raw_text, run_id],
        )
        # a reprocessed document (new pipeline version) replaces its derived rows
        self.con.execute("DELETE FROM claims WHERE article_id = ?", [a.article_id])
        self.con.execute("DELETE FROM events WHERE article_id = ?", [a.article_id])
        self.con.execute("DELETE FROM docs WHERE article_id = ?", [a.article_id])
        w = doc.pub_window
        self.con.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [a.article_id, doc.clean_text, json.dumps(doc.offset_map), doc.meta.get("text_base"), doc.pub_date,
             doc.pub_date_source.value, w[0] if w else None, w[1] if w else None, doc.meta.get("focus_country"),
             doc.meta.get("episode"), len(doc.sentences), len(doc.mentions), PIPELINE_VERSION, run_id],
        )
        for ev in doc.events:
            self.con.execute(
                f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))}) "
                "ON CONFLICT DO NOTHING",
                event_row(ev, run_id),
            )
            for c in ev.claims:
                cid = content_hash(f"{ev.event_id}|{c.source}|{c.kind}|{c.span.start}|{c.span.end}")
                q = c.value
                self.con.execute(
                    "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [cid, ev.event_id, a.article_id, c.kind, c.source, c.via, c.text, c.span.start, c.span.end,
                     q.low if q else None, q.best if q else None, q.high if q else None, c.civilian],
                )

    def add_reject(self, r: Reject, run_id: str, commit: bool = True) -> None:
        rid = content_hash(f"{r.source_path}|{r.record_index}|{r.stage}|{r.reason}|{r.content_hash}")
        self.con.execute(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [rid, r.source_path, r.record_index, r.stage, r.code, r.reason, r.content_hash, run_id, dt.datetime.now()],
        )

    # ---- reads ------------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        out = {}
        for t in ("articles", "docs", "events", "claims", "rejects", "runs"):
            out[t] = int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
        return out


def event_row(ev: Event, run_id: str) -> list[Any]:
    p = ev.place
    a1, a2 = ev.actor1, ev.actor2
    evidence = [
        {"article_id": e.article_id, "start": e.start, "end": e.end, "text": e.text, "role": e.role} for e in ev.evidence
    ]
    return [
        ev.event_id, ev.article_id, ev.event_date, int(ev.date_precision), ev.date_source.value, ev.event_type,
        ev.sub_event_type,
        a1.name if a1 else None, a1.raw if a1 else None, a1.inter if a1 else 0, a1.method.value if a1 else None,
        a2.name if a2 else None, a2.raw if a2 else None, a2.inter if a2 else 0, a2.method.value if a2 else None,
        ev.interaction,
        p.name if p else None, p.admin1 if p else None, p.country if p else None, p.latitude if p else None,
        p.longitude if p else None, int(p.precision) if p else None, ev.geo_method.value, p.confidence if p else None,
        p.gazetteer_id if p else None, p.tier.value if p and p.tier else None,
        ev.fatalities.low, ev.fatalities.best, ev.fatalities.high, ev.civilian_fatalities, ev.confidence,
        json.dumps(evidence, ensure_ascii=False), run_id,
    ]
