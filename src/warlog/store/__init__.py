"""Storage: DuckDB (embedded default) with named migrations; exports."""

from warlog.store.duckdb_store import Store

__all__ = ["Store"]
