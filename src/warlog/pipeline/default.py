"""The default stage list, shared by every executor."""

from __future__ import annotations

from warlog.pipeline.base import Pipeline


def default_pipeline(naive: bool = False) -> Pipeline:
    from warlog.clean.stage import CleanStage
    from warlog.dedupe.aggregate import AggregateStage
    from warlog.extract.stage import ExtractStage
    from warlog.resolve.stage import ResolveStage

    return Pipeline([CleanStage(), ExtractStage(naive=naive), ResolveStage(), AggregateStage()])
