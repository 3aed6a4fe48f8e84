"""Python API: events and clusters of a warlog database as pandas or polars data frames.

    >>> import warlog.api as wl
    >>> df = wl.events("warlog.duckdb", country="SY", date_from="2018-01-01")        # pandas
    >>> pl_df = wl.events("warlog.duckdb", engine="polars", event_type="Battles")
    >>> clusters = wl.clusters("warlog.duckdb")

Filters are those of the REST API (``store.query.EventFilter``); reviews are applied (rejected events left out).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from warlog.store.duckdb_store import Store
from warlog.store.query import EventFilter, list_clusters, pages


def _frame(rows: list[dict[str, Any]], engine: str) -> Any:
    if engine == "polars":
        import polars as pl

        return pl.DataFrame(rows, infer_schema_length=None)
    if engine == "pandas":
        import pandas as pd

        return pd.DataFrame(rows)
    raise ValueError(f"engine must be 'pandas' or 'polars', not {engine!r}")


def _filter(kw: dict[str, Any]) -> EventFilter:
    for k in ("date_from", "date_to"):
        if isinstance(kw.get(k), str):
            kw[k] = dt.date.fromisoformat(kw[k])
    return EventFilter(**kw)


def events(db: str | Path, engine: str = "pandas", **filters: Any) -> Any:
    from warlog.store.formats import _all_events

    with Store(db, read_only=True) as store:
        rows = list(_all_events(store, _filter(dict(filters))))
    return _frame(rows, engine)


def clusters(db: str | Path, engine: str = "pandas", **filters: Any) -> Any:
    with Store(db, read_only=True) as store:
        out = [c for page in pages(list_clusters, store, _filter(dict(filters))) for c in page]
    return _frame(out, engine)
