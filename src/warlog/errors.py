"""Coded errors. Every user-facing failure carries a stable code, the file it concerns and a reason."""

from __future__ import annotations


class WarlogError(Exception):
    """Base error with a stable code (``W1xx`` ingest, ``W2xx`` pipeline, ``W3xx`` store, ``W4xx`` CLI/eval)."""

    code = "W000"

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        where = f"{path}: " if path else ""
        super().__init__(f"[{self.code}] {where}{reason}")


class IngestError(WarlogError):
    """An input file or record could not be read (binary, empty, too large, undecodable, malformed)."""

    code = "W101"


class PipelineConfigError(WarlogError):
    """Stages do not fit together: a stage requires a field no earlier stage assigns."""

    code = "W201"


class AssetError(WarlogError):
    """A shipped data file (gazetteer table or shard, ranker weights) is missing, corrupt or of the wrong format."""

    code = "W210"


class StoreError(WarlogError):
    """The database could not be opened, migrated or written."""

    code = "W301"


class StoreLockedError(StoreError):
    """Another run holds the database."""

    code = "W302"


class EvalFormatError(WarlogError):
    """An evaluation file does not have the expected columns."""

    code = "W401"


class ReviewError(WarlogError):
    """A review action is invalid (unknown event, field or value, missing author)."""

    code = "W501"
