"""``warlog eval dedupe``: cross-article clustering scored on a labelled set of articles.

The set is a folder of articles plus ``gold.json`` (``{"articles": {file name: event label}}``): each article
reports one event, articles with the same label the same event. The folder runs through the pipeline into a
temporary database and is clustered; each article's predicted cluster is the cluster of its best event (an
article with no event is a cluster of its own). Scores: pairwise precision/recall/F1 over article pairs, and
B-cubed precision/recall/F1.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from warlog.errors import EvalFormatError


@dataclass(slots=True)
class DedupeEval:
    path: Path
    n_articles: int
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    predicted: dict[str, str]
    gold: dict[str, str]

    def render(self) -> str:
        lines = [f"dedupe evaluation on {self.path}: {self.n_articles} articles, {len(set(self.gold.values()))} gold events, "
                 f"{len(set(self.predicted.values()))} predicted clusters"]
        by_pred: dict[str, list[str]] = {}
        for name, c in sorted(self.predicted.items()):
            by_pred.setdefault(c, []).append(f"{name} [{self.gold[name]}]")
        for c, fs in sorted(by_pred.items()):
            lines.append(f"  cluster {c[:8]}: " + ", ".join(fs))
        p, r, f = self.pairwise
        lines.append(f"pairwise precision={p:.3f} recall={r:.3f} f1={f:.3f}")
        p, r, f = self.bcubed
        lines.append(f"bcubed precision={p:.3f} recall={r:.3f} f1={f:.3f}")
        lines.append(f"pairwise_f1={self.pairwise[2]:.3f}")
        return "\n".join(lines)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: dict[str, str], pred: dict[str, str]) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_g, same_p = gold[a] == gold[b], pred[a] == pred[b]
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    pp = tp / (tp + fp) if tp + fp else 1.0
    pr = tp / (tp + fn) if tp + fn else 1.0
    bp = br = 0.0
    for a in items:
        pc = {b for b in items if pred[b] == pred[a]}
        gc = {b for b in items if gold[b] == gold[a]}
        bp += len(pc & gc) / len(pc)
        br += len(pc & gc) / len(gc)
    n = len(items) or 1
    bp, br = bp / n, br / n
    return (pp, pr, _f1(pp, pr)), (bp, br, _f1(bp, br))


def evaluate_dedupe(folder: Path) -> DedupeEval:
    from warlog.execute.local import run_paths
    from warlog.store.duckdb_store import Store

    gold_file = folder / "gold.json"
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError) as exc:
        raise EvalFormatError(f"{gold_file}: expected {{\"articles\": {{file: label}}}} ({exc})") from exc
    files = [folder / f for f in gold]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise EvalFormatError(f"{gold_file}: articles missing: {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "dedupe.duckdb"
        run_paths(files, db)
        with Store(db, read_only=True) as store:
            rows = store.query(
                "SELECT a.source_path, m.cluster_id, e.confidence FROM events e JOIN articles a USING (article_id) "
                "JOIN cluster_members m USING (event_id) ORDER BY e.confidence DESC, e.event_id"
            )
    pred: dict[str, str] = {}
    for r in rows:
        name = Path(r["source_path"]).name
        pred.setdefault(name, r["cluster_id"])
    for name in gold:
        pred.setdefault(name, f"none:{name}")
    pw, bc = score(gold, pred)
    return DedupeEval(folder, len(gold), pw, bc, pred, gold)
