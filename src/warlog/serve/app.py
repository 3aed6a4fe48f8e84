"""``warlog serve``: the REST API (JSON, OpenAPI at /docs) and the web pages, over the one query layer.

Read-only by default: every request opens the database read-only, so the server never blocks or changes a
run's writes. Review actions (POST) are allowed only when the server is started with ``--reviews`` (per-user
tokens made by ``warlog users add NAME``, stored hashed) or ``--token T`` (one shared token), and each needs the
token in a header (``X-Warlog-Token: <token>`` or ``Authorization: Bearer <token>``), never a cookie, so a
cross-site page cannot act for a signed-in analyst. Every input is validated by type and range; the SQL takes values
only as parameters.
"""


import datetime as dt
import gzip
import hmac
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from warlog import __version__
from warlog.errors import ReviewError, StoreError, StoreLockedError
from warlog.store import query as Q
from warlog.store.duckdb_store import Store, open_waiting

STATIC = Path(__file__).parent / "static"
EVENT_TYPES = Literal[
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments"
]


VENDOR = {"leaflet.js", "leaflet.css", "supercluster.min.js", "topojson-client.min.js", "LICENSES.txt"}
PAGES = {"basemap.json", "admin1.json", "app.js", "common.js", "event.js", "review.js", "style.css", "webmap.meta.json"}
MEDIA = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".txt": "text/plain", ".png": "image/png"}


class ReviewIn(BaseModel):
    action: Literal["confirm", "correct", "reject", "merge", "split", "undo"]
    author: str | None = Field(default=None, min_length=1, max_length=80, pattern=r"^[\w .@'-]+$",
                               description="only with the shared --token; a user's token names its user")
    field: str | None = Field(default=None, max_length=40)
    value: str | None = Field(default=None, max_length=500)
    other_event_id: str | None = Field(default=None, max_length=64, pattern=r"^[0-9a-f]{16}$")
    note: str | None = Field(default=None, max_length=2000)


@lru_cache(maxsize=8)
def _gzipped(path: Path, _mtime: float) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def create_app(db: str | Path, token: str | None = None, reviews: bool = False) -> FastAPI:
    """The app over ``db``. Reviews are allowed with the shared ``token`` and, when ``reviews``, with any user's
    token from the database's ``users`` table; without either the server is read-only."""
    db = Path(db)
    app = FastAPI(title="warlog", version=__version__,
                  description="Evidence-backed political-violence events: query, map, timeline, evidence, exports.")
    app.add_middleware(GZipMiddleware, minimum_size=2000, compresslevel=3)  # level 9 costs seconds on 3 MB answers
    reviews_enabled = token is not None or reviews
    for layer in ("basemap.json", "admin1.json"):  # compress the map's layers before the first page asks
        if (STATIC / layer).is_file():
            threading.Thread(target=_gzipped, args=(STATIC / layer, (STATIC / layer).stat().st_mtime), daemon=True).start()
    if db.exists():  # bring an older database's schema up to date (views the reviews need); a busy one is left
        with suppress(StoreLockedError, StoreError):
            Store(db).close()

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
        sort: Literal["date", "fatalities", "confidence", "event_type", "sub_event_type", "location", "country",
                      "actor1"] = "date",
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

    def identity(x_warlog_token: str | None, authorization: str | None) -> str | None:
        """The reviewer a request's token names ("" for the shared token), or None."""
        given = (x_warlog_token or (authorization or "").removeprefix("Bearer ")).strip()
        if not given:
            return None
        if token is not None and hmac.compare_digest(given.encode(), token.encode()):
            return ""
        if reviews:
            from warlog.store.review import user_for_token

            with store() as s:
                return user_for_token(s, given)
        return None

    @app.get("/api/session", summary="Whether this server takes reviews, and who the request's token names")
    def session(x_warlog_token: Annotated[str | None, Header()] = None,
                authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        who = identity(x_warlog_token, authorization) if reviews_enabled else None
        return {"reviews": reviews_enabled, "signed_in": who is not None, "user": who or None,
                "shared_token": who == ""}

    @app.post("/api/events/{event_id}/review", summary="Review an event (needs a reviewer's token in a header)",
              status_code=201)
    def review(event_id: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")], body: ReviewIn,
               x_warlog_token: Annotated[str | None, Header()] = None,
               authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        if not reviews_enabled:
            raise HTTPException(403, "this server is read-only: start it with --reviews (users' tokens) or --token")
        who = identity(x_warlog_token, authorization)
        if who is None:
            raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
        author = who or body.author
        if not author:
            raise HTTPException(422, "the shared token needs an author in the request")
        from warlog.dedupe.cluster import recluster
        from warlog.store.review import Review, add_review

        try:
            with store(read_only=False) as s:
                r = add_review(s, Review("", event_id, body.action, author, body.field, body.value,
                                         body.other_event_id, body.note))
                recluster(s)
        except ReviewError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"review_id": r.review_id, "event_id": event_id, "action": r.action, "author": author}

    @app.get("/api/points", summary="Every placed event matching the filters as compact columns, for the map")
    def points(f: F) -> Response:
        import json

        with store() as s:
            cols = Q.points(s, f)
        # serialised directly: FastAPI's generic encoder walks 50,000 rows several times slower
        return Response(json.dumps(cols, separators=(",", ":")), media_type="application/json")

    @app.get("/api/review/queue", summary="Events in the order a human check is worth most (same filters)")
    def review_queue(f: F, include_reviewed: bool = False) -> dict[str, Any]:
        from warlog.store.queue import WEIGHTS
        from warlog.store.queue import review_queue as rq

        with store() as s:
            rows, total = rq(s, f, include_reviewed)
        return {"total": total, "limit": f.limit, "offset": f.offset, "weights": WEIGHTS, "events": rows}

    @app.get("/api/gazetteer", summary="Search the gazetteer by name (for place corrections)")
    def gazetteer_search(q: Annotated[str, Query(min_length=1, max_length=100)],
                         country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
                         limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
        from warlog.serve.places import search

        return {"places": search(q, country, limit)}

    @app.get("/api/places", summary="The largest populated places inside a box (map labels)")
    def places(bbox: Annotated[str, Query(pattern=r"^-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?$")],
               limit: Annotated[int, Query(ge=1, le=2000)] = 300) -> dict[str, Any]:
        from warlog.serve.places import populated_places

        w, s_, e, n = (float(x) for x in bbox.split(","))
        if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s_ <= n <= 90):
            raise HTTPException(422, "bbox must be west,south,east,north")
        return {"fields": ["name", "longitude", "latitude", "population"], "places": populated_places((w, s_, e, n), limit)}

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> FileResponse:
        return FileResponse(STATIC / "event.html")

    @app.get("/review", include_in_schema=False)
    def review_page() -> FileResponse:
        return FileResponse(STATIC / "review.html")

    def static_file(path: Path, accept_encoding: str | None = None) -> Response:
        media = MEDIA.get(path.suffix, "application/octet-stream")
        if path.suffix == ".json" and "gzip" in (accept_encoding or ""):  # the map's layers: compressed once
            return Response(_gzipped(path, path.stat().st_mtime), media_type=media,
                            headers={"Content-Encoding": "gzip", "Cache-Control": "no-cache", "Vary": "Accept-Encoding"})
        return FileResponse(path, media_type=media, headers={"Cache-Control": "no-cache"})

    @app.get("/static/vendor/images/{name}", include_in_schema=False)
    def vendor_image(name: Annotated[str, Field(pattern=r"^[a-z0-9-]+\.png$")]) -> Response:
        p = STATIC / "vendor" / "images" / name
        if not p.is_file():
            raise HTTPException(404, name)
        return static_file(p)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in VENDOR:
            raise HTTPException(404, name)
        return static_file(STATIC / "vendor" / name)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str, accept_encoding: Annotated[str | None, Header()] = None) -> Response:
        if name not in PAGES or not (STATIC / name).is_file():
            raise HTTPException(404, name)
        return static_file(STATIC / name, accept_encoding)

    return app
