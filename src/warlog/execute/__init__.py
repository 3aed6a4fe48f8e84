"""Executors run the same stages over inputs: local (in-process, streaming batches)."""

from warlog.execute.local import RunSummary, run_paths

__all__ = ["RunSummary", "run_paths"]
