"""``warlog serve``: the REST API (JSON, OpenAPI at /docs) and the web pages, over the one query layer.

Read-only by default: every request opens the database read-only, so the server never blocks or changes a
run's writes. Review actions (POST) exist only when the server is started with a token and need
``Authorization: Bearer <token>``. Every input is validated by type and range; the SQL takes values only as
parameters.
"""


import datetime as dt
import hmac
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from warlog.errors import ReviewError, StoreError, StoreLockedError
from warlog.serve import query as Q
from warlog.store.duckdb_store import Store, open_waiting

STATIC = Path(__file__).parent / "static"
EVENT_TYPES = Literal[
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments"
]


class ReviewIn(BaseModel):
    action: Literal["confirm", "correct", "reject", "merge", "split"]
    author: str = Field(min_length=1, max_length=80, pattern=r"^[\w .@'-]+$")
    field: str | None = Field(default=None, max_length=40)
    value: str | None = Field(default=None, max_length=500)
    other_event_id: str | None = Field(default=None, max_length=64, pattern=r"^[0-9a-f]{16}$")
    note: str | None = Field(default=None, max_length=2000)


def create_app(db: str | Path, token: str | None = None) -> FastAPI:
    db = Path(db)
    app = FastAPI(title="warlog", version="0.1.0",
                  description="Evidence-backed political-violence events: query, map, timeline, evidence, exports.")

    @contextmanager
    def store(read_only: bool = True, wait: float = 10.0) -> Iterator[Store]:
        """A connection for one request. A run holds the file only for each batch's transaction, so a locked
        database is retried for up to ``wait`` seconds before the request fails with 503."""
        if not db.exists():
            raise HTTPException(503, f"database {db} does not exist yet: run `warlog run PATH --db {db}`")
        try:  # a writer holds the file, or is mid-checkpoint: wait a little, then 503
            s = open_waiting(db, read_only=read_only, wait=wait, retry=(StoreLockedError, StoreError))
        except StoreError as exc:
            raise HTTPException(503, f"database busy: {exc}") from exc
        try:
            yield s
        finally:
            s.close()

    def filters(
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
        admin1: Annotated[str | None, Query(max_length=100)] = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north in degrees",
                                          pattern=r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$")] = None,
        event_type: EVENT_TYPES | None = None,
        sub_event_type: Annotated[str | None, Query(max_length=60)] = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        min_fatalities: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
        max_fatalities: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
        q: Annotated[str | None, Query(max_length=200, description="text search in evidence, place and actors")] = None,
        cluster_id: Annotated[str | None, Query(pattern=r"^[0-9a-f]{16}$")] = None,
        include_rejected: bool = False,
        include_unreportable: Annotated[bool, Query(description="also events judged not events of their article")] = False,
        sort: Literal["date", "fatalities", "confidence"] = "date",
        descending: bool = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> Q.EventFilter:
        box = None
        if bbox:
            w, s, e, n = (float(x) for x in bbox.split(","))
            if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
                raise HTTPException(422, "bbox must be west,south,east,north with -180..180 and -90..90, south <= north")
            box = (w, s, e, n)
        if date_from and date_to and date_from > date_to:
            raise HTTPException(422, "date_from is after date_to")
        return Q.EventFilter(date_from, date_to, country, admin1, box, event_type, sub_event_type, actor, min_fatalities,
                             max_fatalities, q, cluster_id, include_rejected, sort, descending, limit, offset,
                             include_unreportable=include_unreportable)

    F = Annotated[Q.EventFilter, Depends(filters)]

    @app.get("/api/events", summary="Events matching the filters, paginated")
    def events(f: F) -> dict[str, Any]:
        with store() as s:
            rows, total = Q.query_events(s, f)
        return {"total": total, "limit": f.limit, "offset": f.offset, "events": rows}

    @app.get("/api/events/{event_id}", summary="One event with its evidence, highlighted spans, claims and cluster")
    def event(event_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]) -> dict[str, Any]:
        with store() as s:
            ev = Q.get_event(s, event_id)
        if ev is None:
            raise HTTPException(404, f"no event {event_id}")
        return ev

    @app.get("/api/timeline", summary="Events and fatalities per day, week or month")
    def timeline(f: F, bucket: Literal["day", "week", "month"] = "week") -> dict[str, Any]:
        with store() as s:
            return {"bucket": bucket, "periods": Q.timeline(s, f, bucket)}

    @app.get("/api/clusters", summary="Real-world events (clusters of reports), paginated")
    def clusters(f: F) -> dict[str, Any]:
        with store() as s:
            rows, total = Q.list_clusters(s, f)
        return {"total": total, "clusters": rows}

    @app.get("/api/clusters/{cluster_id}", summary="One cluster with its member events and articles")
    def cluster(cluster_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]) -> dict[str, Any]:
        with store() as s:
            c = Q.get_cluster(s, cluster_id)
        if c is None:
            raise HTTPException(404, f"no cluster {cluster_id}")
        return c

    @app.get("/api/facets", summary="Countries, event types, date range and table counts")
    def facets() -> dict[str, Any]:
        with store() as s:
            return Q.facets(s)

    @app.get("/api/export/{fmt}", summary="Download: acled.csv, ucdp.csv, events.geojson or events.parquet")
    def export(fmt: Literal["acled.csv", "ucdp.csv", "events.geojson", "events.parquet"], f: F) -> Response:
        from warlog.store import formats

        with store() as s:
            if fmt == "acled.csv":
                buf = io.StringIO()
                formats.write_csv(formats.acled_rows(s, f), formats.ACLED_COLUMNS, buf)
                return Response(buf.getvalue(), media_type="text/csv",
                                headers={"Content-Disposition": "attachment; filename=warlog-acled.csv"})
            if fmt == "ucdp.csv":
                buf = io.StringIO()
                formats.write_csv(formats.ucdp_rows(s), formats.UCDP_COLUMNS, buf)
                return Response(buf.getvalue(), media_type="text/csv",
                                headers={"Content-Disposition": "attachment; filename=warlog-ucdp.csv"})
            if fmt == "events.geojson":
                return JSONResponse(formats.geojson(s, f), media_type="application/geo+json")
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                p = Path(tmp) / "events.parquet"
                formats.write_parquet(s, p, f)
                data = p.read_bytes()
            return Response(data, media_type="application/vnd.apache.parquet",
                            headers={"Content-Disposition": "attachment; filename=warlog-events.parquet"})

    @app.post("/api/events/{event_id}/review", summary="Review an event (needs the server's token)", status_code=201)
    def review(event_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")], body: ReviewIn,
               authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token to allow reviews")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
        from warlog.dedupe.cluster import recluster
        from warlog.store.review import Review, add_review

        try:
            with store(read_only=False) as s:
                r = add_review(s, Review("", event_id, body.action, body.author, body.field, body.value,
                                         body.other_event_id, body.note))
                recluster(s)
        except ReviewError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"review_id": r.review_id, "event_id": event_id, "action": r.action}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> FileResponse:
        return FileResponse(STATIC / "event.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: Literal["basemap.json", "app.js", "event.js", "style.css"]) -> FileResponse:
        return FileResponse(STATIC / name)

    return app
