"""Classification metrics shared by the evaluation commands (no scikit-learn dependency)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(slots=True)
class ClassScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class ClassificationReport:
    classes: dict[str, ClassScore]
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    n: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def weighted_f1(self) -> float:
        total = sum(c.support for c in self.classes.values())
        return sum(c.f1 * c.support for c in self.classes.values()) / total if total else 0.0

    @property
    def macro_f1(self) -> float:
        scored = [c for c in self.classes.values() if c.support]
        return sum(c.f1 for c in scored) / len(scored) if scored else 0.0

    def table(self) -> str:
        lines = [f"{'class':34} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}"]
        for c in sorted(self.classes.values(), key=lambda c: -c.support):
            lines.append(f"{c.label:34} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:5d}")
        return "\n".join(lines)

    def top_confusions(self, k: int = 12) -> str:
        lines = ["most frequent confusions (gold -> predicted):"]
        for (g, p), n in self.confusions.most_common(k):
            lines.append(f"  {n:4d}  {g} -> {p}")
        return "\n".join(lines)


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Iterable[str] | None = None) -> ClassificationReport:
    """Per-class P/R/F1 over ``labels`` (default: the gold labels). A prediction outside ``labels`` counts as a
    miss for the gold class and as no false positive (as in scikit-learn's ``labels=`` restriction)."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    keep = set(labels) if labels is not None else set(gold)
    classes = {lab: ClassScore(lab) for lab in sorted(keep)}
    rep = ClassificationReport(classes)
    for g, p in zip(gold, pred, strict=True):
        rep.n += 1
        if g == p:
            rep.correct += 1
            if g in classes:
                classes[g].tp += 1
            continue
        rep.confusions[(g, p)] += 1
        if g in classes:
            classes[g].fn += 1
        if p in classes:
            classes[p].fp += 1
    return rep
