"""Readers turning files into ``Article`` records (or ``Reject`` records naming the file and the reason)."""

from warlog.ingest.readers import SUPPORTED_SUFFIXES, IngestLimits, iter_inputs, read_path

__all__ = ["SUPPORTED_SUFFIXES", "IngestLimits", "iter_inputs", "read_path"]
