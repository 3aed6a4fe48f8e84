"""Moved: the query layer is the store's read interface, ``warlog.store.query`` (kept importable from here)."""

from warlog.store.query import (
    EventFilter,
    facets,
    get_cluster,
    get_event,
    list_clusters,
    pages,
    query_events,
    timeline,
)

__all__ = ["EventFilter", "facets", "get_cluster", "get_event", "list_clusters", "pages", "query_events", "timeline"]
