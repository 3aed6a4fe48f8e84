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
import time
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
    "civilian_fatalities", "confidence", "evidence", "run_id", "admin2", "reportability", "reportable",
    "reportable_method", "type_method", "type_rule", "type_model_probability",
]
# events an analyst sees by default: not judged unreportable (dedupe.reportable), or confirmed by a review
REPORTABLE_SQL = ("(e.reportable IS NOT FALSE OR e.event_id IN "
                  "(SELECT event_id FROM active_reviews WHERE action = 'confirm'))")


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
        # the caller holds the run lock: a run still marked running was killed; say so
        self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
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
        rows = batch_rows(docs, rejects, run_id)
        self.write_rows(rows)
        return len(rows["events"])

    def write_rows(self, rows: dict[str, list[list[Any]]]) -> None:
        """Insert table rows (as built by ``batch_rows``) in one transaction. A document written again (a new
        pipeline version, or a shard loaded twice) replaces its derived rows; everything else is insert-or-ignore,
        so writing the same rows twice changes nothing."""
        import pyarrow as pa

        self.con.execute("BEGIN TRANSACTION")
        try:
            aids = sorted({r[0] for r in rows.get("docs", [])})
            if aids:
                for t in ("claims", "events", "docs"):
                    self.con.execute(f"DELETE FROM {t} WHERE article_id IN (SELECT unnest(?))", [aids])
            for table in ("articles", "docs", "events", "claims", "rejects"):
                cols = TABLE_COLUMNS[table]
                seen: set[Any] = set()
                uniq = []
                for r in rows.get(table, []):  # the first column is the key: first row wins, as insert-or-ignore
                    if r[0] not in seen:
                        seen.add(r[0])
                        uniq.append(r)
                if not uniq:
                    continue
                self.con.register("_warlog_batch", pa.table({c: pa.array([r[i] for r in uniq]) for i, c in enumerate(cols)}))
                try:
                    self.con.execute(
                        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _warlog_batch "
                        "ON CONFLICT DO NOTHING"
                    )
                finally:
                    self.con.unregister("_warlog_batch")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # ---- reads ------------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        out = {}
        for t in ("articles", "docs", "events", "claims", "rejects", "runs", "clusters", "reviews"):
            out[t] = int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
        return out


ARTICLE_COLUMNS = ["article_id", "source_path", "record_index", "url", "title", "published", "is_html", "raw_text", "first_run",
                   "outlet"]
DOC_COLUMNS = [
    "article_id", "clean_text", "offset_map", "text_base", "pub_date", "pub_date_source", "pub_window_start",
    "pub_window_end", "focus_country", "episode", "n_sentences", "n_mentions", "pipeline_version", "run_id",
]
CLAIM_COLUMNS = [
    "claim_id", "event_id", "article_id", "kind", "source", "via", "text", "span_start", "span_end", "low", "best",
    "high", "civilian",
]
REJECT_COLUMNS = ["reject_id", "source_path", "record_index", "stage", "code", "reason", "content_hash", "run_id", "rejected_at"]
TABLE_COLUMNS = {
    "articles": ARTICLE_COLUMNS, "docs": DOC_COLUMNS, "events": EVENT_COLUMNS, "claims": CLAIM_COLUMNS,
    "rejects": REJECT_COLUMNS,
}


def batch_rows(docs: Sequence[Doc], rejects: Sequence[Reject], run_id: str) -> dict[str, list[list[Any]]]:
    """Every table row a processed batch produces: the one place that maps records to the schema (used by the
    store and by shard writers of distributed executors)."""
    out: dict[str, list[list[Any]]] = {t: [] for t in TABLE_COLUMNS}
    for doc in docs:
        a = doc.article
        out["articles"].append(
            [a.article_id, a.source_path, a.record_index, a.url, a.title, a.published, a.is_html, a.raw_text, run_id,
             a.outlet]
        )
        w = doc.pub_window
        out["docs"].append(
            [a.article_id, doc.clean_text, json.dumps(doc.offset_map), doc.meta.get("text_base"), doc.pub_date,
             doc.pub_date_source.value, w[0] if w else None, w[1] if w else None, doc.meta.get("focus_country"),
             doc.meta.get("episode"), len(doc.sentences), len(doc.mentions), PIPELINE_VERSION, run_id]
        )
        for ev in doc.events:
            out["events"].append(event_row(ev, run_id))
            for c in ev.claims:
                cid = content_hash(f"{ev.event_id}|{c.source}|{c.kind}|{c.span.start}|{c.span.end}")
                q = c.value
                out["claims"].append(
                    [cid, ev.event_id, a.article_id, c.kind, c.source, c.via, c.text, c.span.start, c.span.end,
                     q.low if q else None, q.best if q else None, q.high if q else None, c.civilian]
                )
    for r in rejects:
        out["rejects"].append(reject_row(r, run_id))
    return out


def reject_row(r: Reject, run_id: str) -> list[Any]:
    rid = content_hash(f"{r.source_path}|{r.record_index}|{r.stage}|{r.reason}|{r.content_hash}")
    return [rid, r.source_path, r.record_index, r.stage, r.code, r.reason, r.content_hash, run_id, dt.datetime.now()]


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
        json.dumps(evidence, ensure_ascii=False), run_id, p.admin2 if p else None, ev.reportability, ev.reportable,
        ev.reportable_method.value, ev.typing.method.value if ev.typing else None,
        ev.typing.rule if ev.typing else None, ev.typing.model_probability if ev.typing else None,
    ]


def open_waiting(
    db: str | Path, read_only: bool = False, wait: float = 60.0,
    retry: tuple[type[StoreError], ...] = (StoreLockedError,),
) -> Store:
    """Open the database, retrying for up to ``wait`` seconds while another process holds it for a moment: a run
    holds the file only for each batch's transaction, a reader for one request. (Another *run* is kept out by
    the run lock, not by this.) The last error is raised when the time is up."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return Store(db, read_only=read_only)
        except retry:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class RunLock:
    """One writer per database: an exclusive advisory lock on ``<db>.lock`` held for a whole run.

    The DuckDB file itself is opened only for each batch's transaction, so readers (``warlog serve``, exports)
    get in between batches; a second run is refused at once with W302, naming the process that holds the lock.
    The lock is the kernel's (``flock``): it goes away with the process, even after SIGKILL.
    """

    def __init__(self, db: str | Path) -> None:
        self.path = Path(f"{db}.lock")
        self.fh: Any = None

    def __enter__(self) -> RunLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "another process"
            self.fh.close()
            raise StoreLockedError(
                f"another warlog run is writing to this database ({holder}); runs on one database are serialised: "
                "wait for it to finish or use another --db",
                str(self.path)[: -len(".lock")],
            ) from exc
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(f"pid {os.getpid()} on {socket.gethostname()} since {dt.datetime.now():%Y-%m-%d %H:%M:%S}")
        self.fh.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self.fh is not None:
            self.fh.seek(0)
            self.fh.truncate()
            fcntl.flock(self.fh.fileno(), fcntl.LOCK_UN)
            self.fh.close()
