"""Retrain warlog's reportability model (``src/warlog/assets/reportable.json``) from the article gold.

    PYTHONPATH=src python tools/train_reportable.py [--gold DIR] [--folds 5] [--seed 13] [--dry-run]

Only the dev split of the article gold is read (``gold/selection.json``); the test split is never opened. Every
dev article goes through the stages of ``warlog run`` up to aggregation (the reportability stage left out); each
event it emits is a training example: positive when the article matcher of ``warlog eval articles`` pairs it with
a gold event, negative otherwise. The model is an L2-regularised logistic regression fitted by Newton's method in
numpy (deterministic); the regularisation strength and the threshold are chosen by article-grouped
cross-validation on dev (folds shuffled with ``--seed``): the threshold that gives the best event F1 of the
out-of-fold probabilities, each article re-matched with only the events kept. The final weights are fitted on
all of dev. Written: ``reportable.json`` (weights, threshold) and ``reportable.meta.json`` (sources, seed,
features, cross-validated dev figures before and after). Takes about as long as ``warlog eval articles --split
dev`` (one pass of the pipeline over the dev articles).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warlog.data import Doc  # noqa: E402
from warlog.dedupe import reportable as rep  # noqa: E402
from warlog.evaluate import articles as arts  # noqa: E402
from warlog.pipeline.default import default_pipeline  # noqa: E402

ASSETS = ROOT / "src" / "warlog" / "assets"
C_GRID = (0.3, 1.0, 3.0, 10.0)  # L2 penalty (lambda) candidates
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.01))


def fit(x: np.ndarray, y: np.ndarray, lam: float, iters: int = 3000) -> tuple[np.ndarray, float]:
    """Logistic regression, L2 penalty ``lam`` on the weights (not the bias), every weight kept on the side of
    zero ``reportable.SIGNS`` expects: accelerated projected gradient (FISTA), deterministic."""
    n, d = x.shape
    signs = np.array([rep.SIGNS[f] for f in rep.FEATURES], dtype=float)
    xb = np.hstack([x, np.ones((n, 1))])
    reg = np.full(d + 1, lam)
    reg[-1] = 0.0
    step = 1.0 / (0.25 * np.linalg.norm(xb, 2) ** 2 + lam)

    def project(w: np.ndarray) -> np.ndarray:
        w = w.copy()
        w[:-1] = np.where(signs > 0, np.maximum(w[:-1], 0.0), np.where(signs < 0, np.minimum(w[:-1], 0.0), w[:-1]))
        return w

    w = np.zeros(d + 1)
    v, t = w.copy(), 1.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ v, -30, 30)))
        grad = xb.T @ (p - y) + reg * v
        w_new = project(v - step * grad)
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        v = w_new + (t - 1) / t_new * (w_new - w)
        if np.max(np.abs(w_new - w)) < 1e-9:
            w = w_new
            break
        w, t = w_new, t_new
    return w[:-1], float(w[-1])


def predict(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x @ w + b, -30, 30))))


class Example:
    __slots__ = ("article", "features", "label", "desc")

    def __init__(self, article: int, features: list[float], label: int, desc: str) -> None:
        self.article, self.features, self.label, self.desc = article, features, label, desc


def collect(gold_dir: Path) -> tuple[list[tuple[list[arts.Side], list[arts.Side], list[int]]], list[Example], int]:
    """Per dev article: gold sides, predicted sides and the examples' indices; every example; skipped articles."""
    records = [r for r in arts.load_gold(arts.default_gold_files(gold_dir)) if r.split == "dev"]
    shared = arts.shared_dir()
    sources = []
    skipped = 0
    for rec in records:
        src = arts.load_source(rec, shared)
        if src is None:
            skipped += 1
            continue
        src.article.article_id = rec.article_id
        sources.append((rec, src))
    pipeline = default_pipeline(reportable=False)
    docs: dict[str, Doc] = {}
    arts_list = [s.article for _r, s in sources]
    for i in range(0, len(arts_list), 32):
        for d in pipeline.run_batch([Doc(a) for a in arts_list[i : i + 32]]):
            docs[d.doc_id] = d
        pipeline.drain_rejects()
    per_article = []
    examples: list[Example] = []
    for ai, (rec, src) in enumerate(sources):
        doc = docs.get(rec.article_id) or Doc(src.article)
        preds = arts.predicted_events(doc, src.gold_text, include_unreportable=True)
        gs = [arts.gold_side(g) for g in rec.events]
        ps = [arts.pred_side(p) for p in preds]
        matched = {pi for _gi, pi in arts.match(gs, ps)}
        idx = []
        for pi, p in enumerate(preds):
            idx.append(len(examples))
            examples.append(Example(ai, rep.features(p.event, doc), int(pi in matched), f"{rec.article_id} {arts._describe(p)}"))
        per_article.append((gs, ps, idx))
    return per_article, examples, skipped


def prf(per_article: list[tuple[list[arts.Side], list[arts.Side], list[int]]], keep: np.ndarray) -> dict[str, float]:
    """Event P/R/F1 with only the kept events, each article re-matched."""
    tp = n_pred = n_gold = 0
    for gs, ps, idx in per_article:
        kept = [ps[j] for j, i in enumerate(idx) if keep[i]]
        tp += len(arts.match(gs, kept))
        n_pred += len(kept)
        n_gold += len(gs)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"predicted": n_pred, "gold": n_gold, "matched": tp, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def bootstrap_se(per_article: list[tuple[list[arts.Side], list[arts.Side], list[int]]], keep: np.ndarray, seed: int,
                 n: int = 300) -> float:
    """Standard error of the event F1 under resampling of the dev articles."""
    counts = []
    for gs, ps, idx in per_article:
        kept = [ps[j] for j, i in enumerate(idx) if keep[i]]
        counts.append((len(arts.match(gs, kept)), len(kept), len(gs)))
    c = np.array(counts, dtype=float)
    rng = np.random.default_rng(seed)
    f1s = []
    for _ in range(n):
        tp, npred, ngold = c[rng.integers(0, len(c), len(c))].sum(axis=0)
        f1s.append(2 * tp / (npred + ngold) if npred + ngold else 0.0)
    return float(np.std(f1s))


def oof(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int, seed: int, lam: float) -> np.ndarray:
    """Out-of-fold probabilities, folds of whole articles."""
    arts_ids = np.unique(groups)
    rng = np.random.default_rng(seed)
    order = rng.permutation(arts_ids)
    fold_of = {int(a): i % folds for i, a in enumerate(order)}
    f = np.array([fold_of[int(g)] for g in groups])
    out = np.zeros(len(y))
    for k in range(folds):
        tr, te = f != k, f == k
        if not te.any():
            continue
        w, b = fit(x[tr], y[tr], lam)
        out[te] = predict(x[te], w, b)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=arts.default_gold_dir(), help="gold folder (default: gold/)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeats", type=int, default=5, help="shuffles of the CV folds (seeds seed .. seed+repeats-1)")
    ap.add_argument("--out", type=Path, default=ASSETS / rep.MODEL_FILE)
    ap.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    per_article, examples, skipped = collect(a.gold)
    if not examples:
        print("no dev events: is ../shared (the Guardian sample) here?", file=sys.stderr)
        return 2
    x = np.array([e.features for e in examples], dtype=float)
    y = np.array([e.label for e in examples], dtype=float)
    groups = np.array([e.article for e in examples])
    before = prf(per_article, np.ones(len(y), dtype=bool))
    # repeated article-grouped CV: mean F1 over --repeats shuffles of the folds for every (penalty, threshold)
    lead = x[:, rep.FEATURES.index("in_lead")] > 0
    mean_f1: dict[tuple[bool, float, float], float] = {}
    oof_by: dict[float, list[np.ndarray]] = {}
    for lam in C_GRID:
        oof_by[lam] = [oof(x, y, groups, a.folds, a.seed + r, lam) for r in range(a.repeats)]
        for keep_lead in (True, False):
            for thr in THRESHOLDS:
                mean_f1[(keep_lead, lam, thr)] = float(np.mean(
                    [prf(per_article, (pr >= thr) | (lead & keep_lead))["f1"] for pr in oof_by[lam]]))
            top = max(THRESHOLDS, key=lambda t, k=keep_lead, lam=lam: mean_f1[(k, lam, t)])
            print(f"  penalty {lam:5}, lead events {'always kept' if keep_lead else 'judged too'}: "
                  f"best mean CV F1 {mean_f1[(keep_lead, lam, top)]:.3f} at threshold {top}")
    # one-standard-error rule: of the settings whose mean F1 is within one standard error (bootstrap over dev
    # articles) of the best, the most regularised (strongest penalty), lead events always kept over judged (a
    # real event lost is worse than a spurious one kept), then its best threshold
    best_k = max(mean_f1, key=lambda k: mean_f1[k])
    se = bootstrap_se(per_article, (oof_by[best_k[1]][0] >= best_k[2]) | (lead & best_k[0]), a.seed)
    near = [k for k in mean_f1 if mean_f1[k] >= mean_f1[best_k] - se]
    keep_lead, lam, thr = max(near, key=lambda k: (k[1], k[0], round(mean_f1[k], 6), -k[2]))
    print(f"best mean CV F1 {mean_f1[best_k]:.3f} (penalty {best_k[1]}, threshold {best_k[2]}, lead kept {best_k[0]}); "
          f"standard error {se:.3f}")
    runs = [prf(per_article, (pr >= thr) | (lead & keep_lead)) for pr in oof_by[lam]]
    after = {k: round(float(np.mean([r[k] for r in runs])), 4) for k in runs[0]}
    probs = oof_by[lam][0]
    w, b = fit(x, y, lam)
    ll = float(-np.mean(y * np.log(np.clip(probs, 1e-9, 1)) + (1 - y) * np.log(np.clip(1 - probs, 1e-9, 1))))
    model = {
        "format": rep.FORMAT_VERSION,
        "features": list(rep.FEATURES),
        "weights": [round(float(v), 5) for v in w],
        "bias": round(b, 5),
        "threshold": thr,
        "keep_lead": keep_lead,
    }
    gold_files = arts.default_gold_files(a.gold)
    meta = {
        "model": "logistic regression, L2 penalty on the weights, Newton's method (numpy)",
        "trained": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "sources": {
            "gold": [p.name for p in gold_files],
            "gold_sha256": hashlib.sha256(b"".join(p.read_bytes() for p in gold_files)).hexdigest()[:16],
            "split": "dev only (gold/selection.json); the test split is never read",
            "labels": "warlog eval articles matcher: a predicted event paired with a gold event = 1, unpaired = 0",
        },
        "seed": a.seed,
        "folds": a.folds,
        "repeats": a.repeats,
        "penalty": lam,
        "threshold": thr,
        "examples": len(y),
        "positives": int(y.sum()),
        "dev_articles": len(per_article),
        "dev_articles_skipped": skipped,
        "features": list(rep.FEATURES),
        "weights": dict(zip(rep.FEATURES, model["weights"], strict=True)),
        "dev_cv": {"before": before, "after_mean_of_repeats": after, "log_loss_oof_first_repeat": round(ll, 4),
                   "f1_by_threshold": {str(t): round(mean_f1[(keep_lead, lam, t)], 4) for t in THRESHOLDS[::5]}},
        "command": "PYTHONPATH=src python tools/train_reportable.py",
    }
    print(f"dev: {len(per_article)} articles ({skipped} skipped), {len(y)} events, {int(y.sum())} matched")
    print(f"chosen by {a.repeats} x {a.folds}-fold CV: penalty {lam}, threshold {thr}, lead events always kept: {keep_lead}")
    print(f"dev before: P {before['precision']:.3f} R {before['recall']:.3f} F1 {before['f1']:.3f} "
          f"({before['predicted']} pred, {before['matched']} matched, {before['gold']} gold)")
    print(f"dev CV after (mean of {a.repeats} shuffles): P {after['precision']:.3f} R {after['recall']:.3f} F1 {after['f1']:.3f} "
          f"({after['predicted']} pred, {after['matched']} matched)")
    print("weights (log-odds per unit):")
    for name, v in sorted(meta["weights"].items(), key=lambda t: -abs(t[1])):
        print(f"  {name:28} {v:+.3f}")
    print(f"bias {b:+.3f}; {time.perf_counter() - t0:.1f} s")
    if a.dry_run:
        return 0
    a.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    a.out.with_name(a.out.stem + ".meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {a.out} and {a.out.with_name(a.out.stem + '.meta.json')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
