"""``warlog eval dedupe``: cross-article clustering scored on a labelled set of articles.

The set is a folder of articles plus ``gold.json`` (``{"articles": {file name: event label}}``): each article
reports one event, articles with the same label the same event. The folder runs through the pipeline into a
temporary database and is clustered; each article's predicted cluster is the cluster of its best event (an
article with no event is a cluster of its own). Scores: pairwise precision/recall/F1 over article pairs, and
B-cubed precision/recall/F1, and the largest predicted cluster against the largest gold group (chaining shows
there first).

``evaluate_fakes`` scores the same on FA-KES (real articles from 15 outlets, ../shared/eval/fakes_dev): articles
with the same gold incident date and governorate from *different* outlets approximate one incident; pairs from
one outlet with the same date and governorate are left out of the pairwise score (they may be a follow-up or a
second incident), pairs with another date or governorate are different incidents. Publication dates come from
the text as a user's run would find them; ``gold_dates=True`` supplies the gold incident date as the
publication date instead, which separates extraction errors from clustering errors.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warlog.errors import EvalFormatError

if TYPE_CHECKING:
    from warlog.dedupe.cluster import EventRecord


@dataclass(slots=True)
class DedupeEval:
    path: Path
    n_articles: int
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    predicted: dict[str, str]
    gold: dict[str, str]
    show_clusters: bool = True
    pair_counts: tuple[int, int, int] = (0, 0, 0)  # true positives, false positives, false negatives
    long_clusters: int = 0  # clusters spanning more than 7 days with a day- or week-precise member

    @property
    def largest(self) -> tuple[int, int]:
        """Size of the largest predicted cluster (articles) and of the largest gold group."""
        from collections import Counter

        pred = Counter(c for c in self.predicted.values() if not c.startswith("none:"))
        return (max(pred.values(), default=0), max(Counter(self.gold.values()).values(), default=0))

    def render(self) -> str:
        lines = [f"dedupe evaluation on {self.path}: {self.n_articles} articles, {len(set(self.gold.values()))} gold events, "
                 f"{len(set(self.predicted.values()))} predicted clusters"]
        by_pred: dict[str, list[str]] = {}
        for name, c in sorted(self.predicted.items()):
            by_pred.setdefault(c, []).append(f"{name} [{self.gold[name]}]")
        for c, fs in sorted(by_pred.items()):
            if self.show_clusters or len(fs) > 1:
                lines.append(f"  cluster {c[:8]}: " + ", ".join(fs))
        tp, fp, fn = self.pair_counts
        lines.append(f"pairs: {tp} right merges, {fp} wrong merges, {fn} missed")
        lines.append("largest predicted cluster={} articles, largest gold group={}".format(*self.largest))
        lines.append(f"clusters spanning more than 7 days with a day- or week-precise member: {self.long_clusters}")
        p, r, f = self.pairwise
        lines.append(f"pairwise precision={p:.3f} recall={r:.3f} f1={f:.3f}")
        p, r, f = self.bcubed
        lines.append(f"bcubed precision={p:.3f} recall={r:.3f} f1={f:.3f}")
        lines.append(f"pairwise_f1={self.pairwise[2]:.3f}")
        return "\n".join(lines)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


Scores = tuple[tuple[float, float, float], tuple[float, float, float], tuple[int, int, int]]


def score(
    gold: dict[str, str], pred: dict[str, str], skip: Callable[[str, str], bool] | None = None,
    override: dict[frozenset[str], bool | None] | None = None,
) -> Scores:
    """Pairwise (pairs for which ``skip`` is true left out) and B-cubed scores, and the pair counts. ``override``
    relabels pairs (True same, False different, None left out: an audit judged it unclear); B-cubed keeps the
    group labels."""
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        same_g = gold[a] == gold[b]
        key = frozenset((a, b))
        if override is not None and key in override:
            audited = override[key]
            if audited is None:
                continue
            same_g = audited
        elif skip is not None and skip(a, b):
            continue
        same_p = pred[a] == pred[b]
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
    return (pp, pr, _f1(pp, pr)), (bp, br, _f1(bp, br)), (tp, fp, fn)


def evaluate_dedupe(folder: Path) -> DedupeEval:
    from warlog.execute.local import run_paths

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
        n_long = long_clusters(db)
        by_path = _main_clusters(db, "source_path")
    pred: dict[str, str] = {}
    for path, cluster_id in by_path.items():
        pred.setdefault(Path(path).name, cluster_id)
    for name in gold:
        pred.setdefault(name, f"none:{name}")
    pw, bc, counts = score(gold, pred)
    return DedupeEval(folder, len(gold), pw, bc, pred, gold, pair_counts=counts, long_clusters=n_long)


LONG_CLUSTERS = (
    "SELECT count(*) AS n FROM (SELECT m.cluster_id FROM cluster_members m JOIN events e USING (event_id) "
    "GROUP BY m.cluster_id HAVING max(e.event_date) - min(e.event_date) > 7 AND min(e.date_precision) <= 2)"
)


def long_clusters(db: Path) -> int:
    from warlog.store.duckdb_store import Store

    with Store(db, read_only=True) as store:
        return int(store.query(LONG_CLUSTERS)[0]["n"])


def _main_clusters(db: Path, by: str) -> dict[Any, str]:
    """Each article (by its ``source_path`` or ``record_index``) -> the cluster of its most confident event."""
    from warlog.store.duckdb_store import Store

    assert by in ("source_path", "record_index")
    with Store(db, read_only=True) as store:
        rows = store.query(
            f"SELECT a.{by} AS article, m.cluster_id FROM events e JOIN articles a USING (article_id) "
            "JOIN cluster_members m USING (event_id) ORDER BY e.confidence DESC, e.event_id"
        )
    out: dict[Any, str] = {}
    for r in rows:
        out.setdefault(r["article"], r["cluster_id"])
    return out


def load_audit(path: Path) -> dict[frozenset[str], bool | None]:
    """Pair labels from a hand audit of FA-KES pairs (``gold/fakes_pairs_audit.json``)."""
    try:
        pairs = json.loads(path.read_text(encoding="utf-8"))["pairs"]
        return {frozenset((p["a"], p["b"])): {"same": True, "different": False}.get(p["audit"]) for p in pairs}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvalFormatError(f"{path}: expected {{\"pairs\": [{{a, b, audit}}]}} ({exc})") from exc


def evaluate_fakes(path: Path, gold_dates: bool = False, audit: Path | None = None) -> list[DedupeEval]:
    """Cross-outlet clustering on FA-KES (see the module docstring): one run, scored against the FA-KES labels
    and, with ``audit``, again with the pairs a person checked by reading both articles relabelled."""
    from warlog.execute.local import run_paths

    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            recs = [json.loads(line) for line in fh if line.strip()]
        for r in recs:
            r["unit_id"], r["event_date"], r["location"], r["source"], r["article_content"]  # noqa: B018
    except (OSError, ValueError, KeyError) as exc:
        raise EvalFormatError(f"{path}: expected FA-KES JSONL (unit_id, event_date, location, source, "
                              f"article_content) ({exc})") from exc
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fakes.jsonl"
        with src.open("w", encoding="utf-8") as out:
            for r in recs:
                rec = {"text": r["article_content"], "title": r.get("article_title"), "outlet": r["source"]}
                if gold_dates:
                    rec["published"] = r["event_date"]
                out.write(json.dumps(rec) + "\n")
        db = Path(tmp) / "fakes.duckdb"
        run_paths([src], db)
        by_line = _main_clusters(db, "record_index")
        n_long = long_clusters(db)
    names = {i: f"{r['source']}:{r['unit_id']}" for i, r in enumerate(recs, start=1)}
    gold = {names[i]: f"{r['event_date']}|{r['location']}" for i, r in enumerate(recs, start=1)}
    pred = {names[i]: by_line.get(i, f"none:{names[i]}") for i in names}
    outlet = {names[i]: r["source"] for i, r in enumerate(recs, start=1)}

    def same_outlet_same_key(a: str, b: str) -> bool:
        return outlet[a] == outlet[b] and gold[a] == gold[b]

    label = f"{path} ({'gold incident dates as publication dates' if gold_dates else 'dates from the text'}"
    results: list[DedupeEval] = []
    for overrides in ([None] + ([audit] if audit is not None else [])):
        override = load_audit(overrides) if overrides is not None else None
        pw, bc, counts = score(gold, pred, skip=same_outlet_same_key, override=override)
        name = label + (f"; pairs relabelled by the audit {overrides.name})" if overrides is not None else ")")
        results.append(DedupeEval(Path(name), len(gold), pw, bc, pred, gold, show_clusters=False,
                                  pair_counts=counts, long_clusters=n_long))
    return results


# ---------------------------------------------------------------- labelled pairs of gold events (gold/dedupe_pairs.json)


@dataclass(slots=True)
class GoldPairsEval:
    path: Path
    counts: Counter[str]  # right_merge, wrong_merge, missed_merge, right_apart, not_extracted

    @property
    def precision(self) -> float:
        tp, fp = self.counts["right_merge"], self.counts["wrong_merge"]
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self.counts["right_merge"], self.counts["missed_merge"]
        return tp / (tp + fn) if tp + fn else 1.0

    def render(self) -> str:
        c = self.counts
        p, r = self.precision, self.recall
        return "\n".join([
            f"labelled incident pairs of the article gold ({self.path}): {sum(c.values())} pairs",
            f"  same incident: {c['right_merge']} clustered together, {c['missed_merge']} kept apart",
            f"  different incidents (near misses): {c['right_apart']} kept apart, {c['wrong_merge']} clustered together",
            f"  pairs with an event warlog did not extract (or place), left out: {c['not_extracted']}",
            f"gold_pairs precision={p:.3f} recall={r:.3f} f1={_f1(p, r):.3f}",
        ])


def _record(ev: Any, outlet: str, pub_date: Any, text: str) -> EventRecord:
    from warlog.dedupe.cluster import EventRecord, _words

    p = ev.place
    return EventRecord(
        ev.event_id, ev.article_id, outlet, ev.event_date, int(ev.date_precision), ev.event_type, ev.sub_event_type,
        ev.actor1.name if ev.actor1 else None, ev.actor2.name if ev.actor2 else None,
        p.name if p else None, p.admin1 if p else None, p.country if p else None,
        p.latitude if p else None, p.longitude if p else None, int(p.precision) if p else None,
        ev.fatalities.low, ev.fatalities.best, ev.fatalities.high, ev.civilian_fatalities, text, _words(text),
        ev.date_source.value, outlet, pub_date,
    )


def _outlet(article_id: str) -> str:
    """Guardian articles share one outlet; a fixture's outlet is the first part of its name (outletA_x)."""
    corpus, _, name = article_id.partition(":")
    return corpus if corpus != "fixture" else name.split("_")[0]


def evaluate_gold_pairs(pairs_path: Path, gold_paths: list[Path] | None = None) -> GoldPairsEval:
    """Run the articles of the labelled pairs, match warlog's events to the gold events (the article
    evaluation's matcher), cluster warlog's events across these articles and score each labelled pair."""
    from warlog.dedupe.cluster import cluster
    from warlog.evaluate import articles as arts

    try:
        spec = json.loads(pairs_path.read_text(encoding="utf-8"))
        labelled = [(tuple(p), True) for p in spec["same"]] + [(tuple(p), False) for p in spec["different"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EvalFormatError(f"{pairs_path}: expected {{\"same\": [[a, e, b, e]], \"different\": [...]}} ({exc})") from exc
    wanted = {x for (a, _ea, b, _eb), _s in labelled for x in (a, b)}
    gold = [r for r in arts.load_gold(gold_paths or arts.default_gold_files()) if r.article_id in wanted]
    shared = arts.shared_dir()
    sources = []
    for rec in gold:
        src = arts.load_source(rec, shared)
        if src is not None:
            src.article.article_id = rec.article_id
            sources.append((rec, src))
    docs, _ = arts.run_docs([s.article for _r, s in sources])
    matched: dict[tuple[str, str], str] = {}  # (article id, gold event id) -> predicted event id
    records = []
    for rec, src in sources:
        doc = docs.get(rec.article_id)
        if doc is None:
            continue
        preds = arts.predicted_events(doc, src.gold_text)
        for gi, pi in arts.match([arts.gold_side(g) for g in rec.events], [arts.pred_side(p) for p in preds]):
            matched[(rec.article_id, rec.events[gi].id)] = preds[pi].event.event_id
        for p in preds:
            text = " ".join(e.text for e in p.event.evidence if e.role == "sentence")
            records.append(_record(p.event, _outlet(rec.article_id), doc.pub_date, text))
    members = cluster(records).members
    counts: Counter[str] = Counter()
    for (a, ea, b, eb), same in labelled:
        pa, pb = matched.get((a, ea)), matched.get((b, eb))
        if pa is None or pb is None:
            counts["not_extracted"] += 1
            continue
        together = pa == pb or members.get(pa) == members.get(pb)
        counts["right_merge" if same and together else "missed_merge" if same else
               "wrong_merge" if together else "right_apart"] += 1
    return GoldPairsEval(pairs_path, counts)
