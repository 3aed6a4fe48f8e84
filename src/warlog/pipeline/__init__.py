"""Stage base class and Pipeline (components declare what they require and assign)."""

from warlog.pipeline.base import Pipeline, Stage, StageStats

__all__ = ["Pipeline", "Stage", "StageStats"]
