"""Stages and the pipeline that chains them.

A ``Stage`` declares the ``Doc`` fields it ``requires`` and the ones it ``assigns``; ``Pipeline`` checks when
it is built that every requirement is assigned by an earlier stage (or is ``article``, which ingest
provides) and raises ``PipelineConfigError`` otherwise. Stages work on batches, count what they do in
``stats.counters`` and turn a failing document into a ``Reject`` instead of stopping the run.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from warlog.data import Doc, Reject
from warlog.errors import PipelineConfigError, WarlogError


@dataclass
class StageStats:
    name: str
    docs_in: int = 0
    docs_out: int = 0
    seconds: float = 0.0
    counters: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {
            "stage": self.name,
            "docs_in": self.docs_in,
            "docs_out": self.docs_out,
            "seconds": round(self.seconds, 4),
            **{f"n_{k}": v for k, v in sorted(self.counters.items())},
        }


class Stage:
    """One processing step. Subclasses implement ``process`` (one doc) or override ``process_batch``."""

    name: ClassVar[str] = "stage"
    requires: ClassVar[frozenset[str]] = frozenset()
    assigns: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        self.stats = StageStats(self.name)
        self.rejects: list[Reject] = []

    def process(self, doc: Doc) -> Doc | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def process_batch(self, docs: Sequence[Doc]) -> list[Doc]:
        out: list[Doc] = []
        for doc in docs:
            try:
                res = self.process(doc)
            except WarlogError as exc:
                self.reject(doc, exc.code, exc.reason)
                continue
            except Exception as exc:  # a bug in one document must not stop the run
                self.reject(doc, "W202", f"{type(exc).__name__}: {exc}")
                continue
            if res is not None:
                out.append(res)
        return out

    def reject(self, doc: Doc, code: str, reason: str) -> None:
        self.stats.counters["rejected"] += 1
        self.rejects.append(
            Reject(
                source_path=doc.article.source_path,
                record_index=doc.article.record_index,
                stage=self.name,
                code=code,
                reason=reason,
                content_hash=doc.article.article_id,
            )
        )

    def __call__(self, docs: Sequence[Doc]) -> list[Doc]:
        t0 = time.perf_counter()
        self.stats.docs_in += len(docs)
        out = self.process_batch(docs)
        self.stats.docs_out += len(out)
        self.stats.seconds += time.perf_counter() - t0
        return out


class Pipeline:
    """An ordered list of stages whose requires/assigns are checked at construction."""

    def __init__(self, stages: Sequence[Stage], provided: Iterable[str] = ("article",)) -> None:
        available = set(provided)
        for stage in stages:
            missing = set(stage.requires) - available
            if missing:
                raise PipelineConfigError(
                    f"stage '{stage.name}' requires {sorted(missing)} but no earlier stage assigns it "
                    f"(available: {sorted(available)})"
                )
            available |= set(stage.assigns)
        self.stages = list(stages)

    def run_batch(self, docs: Sequence[Doc]) -> list[Doc]:
        cur = list(docs)
        for stage in self.stages:
            if not cur:
                break
            cur = stage(cur)
        return cur

    def run(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[list[Doc]]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield self.run_batch(batch)
                batch = []
        if batch:
            yield self.run_batch(batch)

    def drain_rejects(self) -> list[Reject]:
        out: list[Reject] = []
        for stage in self.stages:
            out.extend(stage.rejects)
            stage.rejects.clear()
        return out

    def stats(self) -> list[dict[str, object]]:
        return [s.stats.as_dict() for s in self.stages]
