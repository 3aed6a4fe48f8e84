"""Train warlog's sub-event model on ACLED coder notes and measure it (numpy only, CPU, fixed seed).

    python tools/train_event_model.py                      # train on all of ../shared/train, write the shipped model
    python tools/train_event_model.py --loco               # leave-one-country-out: rules, model, combined per country
    python tools/train_event_model.py --out /tmp/m.npz     # write elsewhere

Examples: each note with ACLED's conventions stripped (leading date, size tags, "Fatalities coded as") and its
first sentence alone (a news-like segment). Notes that several rows share count once per sub-type. Softmax
regression over 2**18 hashed features (``warlog.extract.event_model.feature_ids``), Adagrad, L2, balanced class
weights (square root of inverse frequency), seed 13. The precision of each codebook rule is measured on the
training notes (the rows where the rule decided) and stored in the model: ``combine`` lets the model overrule a
rule only when the model's probability is higher than that precision. Nothing here reads CASE 2021 or the
ACLED 2020 holdout.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warlog.evaluate.metrics import classification_report  # noqa: E402
from warlog.extract.event_model import (  # noqa: E402
    MODEL_NAME,
    EventModel,
    combine,
    feature_ids,
    file_sha256,
    save_model,
    strip_note_conventions,
    train_csr,
)
from warlog.extract.event_type import TAXONOMY, classify_text  # noqa: E402
from warlog.extract.sentences import split_sentences  # noqa: E402

SEED = 13
# Syria's rows are Battles only (the source kept no other event type): a note about shelling or an airstrike in
# Syria is there only when ACLED coded it a battle, which teaches "Syrian shelling -> Armed clash". They are left
# out of training and of the rule precisions; leave-one-country-out still tests on them.
NOT_FOR_TRAINING = {"Syria"}
DIM = 1 << 18
EPOCHS = 4
LR = 0.5
L2 = 1e-6
BATCH = 256


def shared_dir() -> Path:
    for cand in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (cand / "train" / "acled_notes" / "acled_train.csv.gz").exists():
            return cand
    raise SystemExit("../shared/train/acled_notes/acled_train.csv.gz not found")


def read_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r.get("notes") and r.get("sub_event_type") in TAXONOMY]


def first_sentence(text: str) -> str | None:
    sents = split_sentences(text)
    if len(sents) < 2:
        return None
    return sents[0].text(text)


def segments(note: str) -> list[tuple[str, float]]:
    """(text, weight) training segments of a note: the stripped note, and its first sentence alone."""
    t = strip_note_conventions(note)
    out = [(t, 1.0)]
    fs = first_sentence(t)
    if fs and len(fs) > 20:
        out.append((fs, 0.5))
    return out


class Data:
    """Hashed examples in CSR form, with a group (row index) per example."""

    def __init__(self, rows: list[dict[str, str]], labels: list[str]) -> None:
        lab = {k: i for i, k in enumerate(labels)}
        indptr = [0]
        idx: list[np.ndarray] = []
        y: list[int] = []
        w: list[float] = []
        group: list[int] = []
        seen: set[tuple[str, str]] = set()
        for i, r in enumerate(rows):
            key = (r["notes"], r["sub_event_type"])
            if key in seen:  # one note reused for several rows: one example
                continue
            seen.add(key)
            for text, weight in segments(r["notes"]):
                ids = feature_ids(text, DIM)
                if ids.size == 0:
                    continue
                idx.append(ids.astype(np.int32))
                indptr.append(indptr[-1] + ids.size)
                y.append(lab[r["sub_event_type"]])
                w.append(weight)
                group.append(i)
        self.indices = np.concatenate(idx)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.y = np.asarray(y, dtype=np.int64)
        self.w = np.asarray(w, dtype=np.float32)
        self.group = np.asarray(group, dtype=np.int64)

    def subset(self, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        rows = np.flatnonzero(keep)
        lens = self.indptr[rows + 1] - self.indptr[rows]
        indptr = np.concatenate([[0], np.cumsum(lens)])
        take = np.concatenate([np.arange(self.indptr[r], self.indptr[r + 1]) for r in rows])
        return self.indices[take], indptr, self.y[rows], self.w[rows]


def train(indices: np.ndarray, indptr: np.ndarray, y: np.ndarray, w: np.ndarray, n_labels: int,
          seed: int = SEED, epochs: int = EPOCHS) -> tuple[np.ndarray, np.ndarray]:
    return train_csr(indices, indptr, y, w, n_labels, DIM, seed=seed, epochs=epochs, lr=LR, l2=L2, batch=BATCH)


def rule_decisions(rows: list[dict[str, str]], cache: Path | None) -> list[tuple[str, str]]:
    """(sub-type, rule) of the codebook rules on each note (cached: it takes a minute)."""
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text())
        if len(data) == len(rows):
            return [tuple(x) for x in data]  # type: ignore[misc]
    out = []
    for r in rows:
        d = classify_text(r["notes"])
        out.append((d.sub_event_type, d.rule))
    if cache is not None:
        cache.write_text(json.dumps(out))
    return out


def rule_precision(rows: list[dict[str, str]], rules: list[tuple[str, str]], keep: np.ndarray | None = None
                   ) -> dict[str, tuple[float, int]]:
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for i, (r, (sub, rule)) in enumerate(zip(rows, rules, strict=True)):
        if keep is not None and not keep[i]:
            continue
        fired[rule] += 1
        right[rule] += sub == r["sub_event_type"]
    # shrunk toward 0.5 so a rule seen a few times is not trusted blindly
    return {k: ((right[k] + 1.0) / (fired[k] + 2.0), fired[k]) for k in fired}


def make_model(W: np.ndarray, b: np.ndarray, labels: list[str], rp: dict[str, tuple[float, int]]) -> EventModel:
    # the same int8 quantisation as the shipped file, so figures measured here are the shipped model's
    scale = np.maximum(np.abs(W).max(axis=0), 1e-8) / 127.0
    Wq = np.clip(np.rint(W / scale), -127, 127).astype(np.float32) * scale
    return EventModel(tuple(labels), Wq.astype(np.float32), b.astype(np.float32), DIM, "<memory>", rp, {})


def wf1(gold: list[str], pred: list[str]) -> float:
    return classification_report(gold, pred, labels=TAXONOMY.keys()).weighted_f1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "warlog" / "assets" / MODEL_NAME)
    ap.add_argument("--loco", action="store_true", help="leave-one-country-out evaluation instead of training")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--margins", default="0.0", help="comma-separated margins to compare in --loco")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/warlog_rule_cache.json"))
    args = ap.parse_args()

    shared = shared_dir()
    src = shared / "train" / "acled_notes" / "acled_train.csv.gz"
    t0 = time.time()
    rows = read_rows(src)
    labels = [k for k in TAXONOMY if any(r["sub_event_type"] == k for r in rows)]
    print(f"{len(rows)} rows, {len(labels)} sub-types", flush=True)
    trainable = np.asarray([r["country"] not in NOT_FOR_TRAINING for r in rows])
    data = Data(rows, labels)
    print(f"{data.y.size} examples, {data.indices.size} features ({time.time() - t0:.0f}s)", flush=True)
    rules = rule_decisions(rows, args.cache)
    print(f"rules done ({time.time() - t0:.0f}s)", flush=True)
    countries = np.asarray([r["country"] for r in rows])

    if args.loco:
        margins = [float(x) for x in args.margins.split(",")]
        results: dict[str, dict[str, float]] = {}
        per_margin: dict[float, list[float]] = defaultdict(list)
        for c in sorted(set(countries.tolist())):
            test = countries == c
            keep_ex = (~test & trainable)[data.group]
            W, b = train(*data.subset(keep_ex), n_labels=len(labels), epochs=args.epochs)
            rp = rule_precision(rows, rules, ~test & trainable)
            model = make_model(W, b, labels, rp)
            idx = np.flatnonzero(test)
            gold = [rows[i]["sub_event_type"] for i in idx]
            rule_pred = [rules[i][0] for i in idx]
            model_pred = [model.predict(rows[i]["notes"])[0] for i in idx]
            res = {"n": float(len(idx)), "rules": wf1(gold, rule_pred), "model": wf1(gold, model_pred)}
            for m in margins:
                comb = [combine(rules[i][0], rules[i][1], model, rows[i]["notes"], m, domain="notes").sub_event_type for i in idx]
                res[f"combined@{m}"] = wf1(gold, comb)
                per_margin[m].append(res[f"combined@{m}"])
            # news-like: first sentences of the held-out notes, date stripped
            fs = [(i, first_sentence(strip_note_conventions(rows[i]["notes"]))) for i in idx]
            fs = [(i, s) for i, s in fs if s]
            if fs:
                g2 = [rows[i]["sub_event_type"] for i, _ in fs]
                r2 = [classify_text(s) for _, s in fs]
                res["first_sentence_rules"] = wf1(g2, [d.sub_event_type for d in r2])
                res["first_sentence_combined"] = wf1(
                    g2, [combine(d.sub_event_type, d.rule, model, s, margins[0], domain="news").sub_event_type for d, (_, s) in zip(r2, fs, strict=True)])
            results[c] = res
            print(c, json.dumps({k: round(v, 3) for k, v in res.items()}), f"({time.time() - t0:.0f}s)", flush=True)
        keys = sorted({k for r in results.values() for k in r if k != "n"})
        avg = {k: float(np.mean([r[k] for r in results.values() if k in r])) for k in keys}
        print("average over countries:", json.dumps({k: round(v, 3) for k, v in avg.items()}))
        out = Path("/tmp/warlog_loco.json")
        out.write_text(json.dumps({"per_country": results, "average": avg}, indent=1))
        print(f"written {out}")
        return

    W, b = train(*data.subset(trainable[data.group]), n_labels=len(labels), epochs=args.epochs)
    rp = rule_precision(rows, rules, trainable)
    config = {"features": "word 1-2 grams + char 4-grams of words, crc32 mod 2**18, 1/sqrt(n) scaling",
              "epochs": args.epochs, "lr": LR, "l2": L2, "batch": BATCH, "seed": SEED,
              "segments": "stripped note (1.0) + first sentence (0.5)",
              "not_for_training": sorted(NOT_FOR_TRAINING)}
    save_model(args.out, labels, W, b, config, rp)
    model = make_model(W, b, labels, rp)
    train_pred = [model.predict(rows[i]["notes"])[0] for i in range(0, len(rows), 10)]
    train_gold = [rows[i]["sub_event_type"] for i in range(0, len(rows), 10)]
    meta = {
        "model": MODEL_NAME,
        "sha256": file_sha256(args.out),
        "bytes": args.out.stat().st_size,
        "format": "numpy npz: int8 weights (2**18 x labels) with a float32 scale per label, float32 bias, JSON header",
        "sources": [{"path": "../shared/train/acled_notes/acled_train.csv.gz",
                     "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
                     "rows": len(rows), "terms": "ACLED Terms of Use: weights only, no notes text ships"}],
        "seed": SEED,
        "config": config,
        "labels": labels,
        "examples": int(trainable[data.group].sum()),
        "train_weighted_f1_every_10th_row": round(wf1(train_gold, train_pred), 4),
        "figures": "leave-one-country-out and holdout figures: docs/notes/issue-15.md",
        "command": "python tools/train_event_model.py",
    }
    meta_path = args.out.with_name(args.out.name.replace(".npz", ".meta.json"))
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
