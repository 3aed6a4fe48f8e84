"""The default stage list, shared by every executor."""

from __future__ import annotations

from warlog.pipeline.base import Pipeline


def default_pipeline(naive: bool = False, reportable: bool = True) -> Pipeline:
    """Every stage of ``warlog run``; ``reportable=False`` leaves out the learned reportability stage (its
    training needs the events before it)."""
    from warlog.clean.stage import CleanStage
    from warlog.dedupe.aggregate import AggregateStage
    from warlog.extract.stage import ExtractStage
    from warlog.resolve.stage import ResolveStage

    stages = [CleanStage(), ExtractStage(naive=naive), ResolveStage(), AggregateStage()]
    if reportable:
        from warlog.dedupe.reportable import ReportableStage

        stages.append(ReportableStage())
    return Pipeline(stages)
