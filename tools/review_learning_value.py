"""What 50 human checks are worth: the review queue's first 50 events against 50 random ones, on the article gold.

    python tools/review_learning_value.py [--gold /work/main/gold] [--split dev] [--n 50] [--random-seeds 10]

1. warlog runs over the gold articles of the split (Guardian texts read from ../shared, fixtures from gold/fixtures)
   into a temporary database;
2. each machine event is matched to a gold event of its article (greedy, by sub-type, type, place within 25 km
   or the same name, date within 3 days; a pair needs the place or the sub-type to agree); unmatched machine events
   are false positives;
3. the analyst checks N events: the queue's first N (``warlog.store.queue.review_queue``, fixed hand-set weights)
   or N drawn at random (mean and spread over several seeds). A check of a matched event corrects its sub-type and
   actor 1 to the gold's; a check of a false positive rejects it;
4. micro-averaged F1 of sub-type and of actor 1 over the split (a machine event is right when matched and equal;
   recall over the gold events) before and after, and the gain of each selection.

This measures the direct value of the corrections (the database gets better where the analyst looked). Retraining
on them (``warlog learn``, issue 15) is the second half of issue 20's measurement and is not done here yet:
``warlog learn`` exists now, and docs/notes/issue-20-learning.md says how this tool is to use it. Tune nothing on the test split: it is reported with ``--split test``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warlog.resolve.geocode import distance_km  # noqa: E402
from warlog.resolve.keys import fold  # noqa: E402


def _texts(shared: Path, gold: Path) -> dict[str, str]:
    csv.field_size_limit(10**9)
    out: dict[str, str] = {}
    g = shared / "eval" / "unlabeled_syria_news" / "Guardian_SDF_sample.csv"
    if g.exists():
        with g.open(newline="", encoding="utf-8") as f:
            out.update({f"guardian:{row['']}": row["text"] for row in csv.DictReader(f)})
    for p in (gold / "fixtures").glob("*"):
        if p.is_file():
            out[f"fixture:{p.stem}"] = p.read_text(encoding="utf-8", errors="replace")
    return out


def load_gold(gold: Path, split: str) -> list[dict]:
    sel = json.loads((gold / "selection.json").read_text())
    splits = {a["article_id"]: a["split"] for a in sel["articles"]}
    recs: dict[str, dict] = {}
    for f in sorted(gold.glob("guardian_[A-Z].jsonl")):  # first passes only (the second pass re-annotates)
        for line in f.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                if splits.get(r["article_id"]) == split:
                    recs[r["article_id"]] = r
    return list(recs.values())


def match(machine: list[dict], gold: list[dict]) -> dict[str, dict]:
    """machine event id -> its gold event (greedy, best pairs first)."""
    pairs = []
    for m in machine:
        for gi, g in enumerate(gold):
            same_sub = m["sub_event_type"] == g.get("sub_event_type")
            same_type = m["event_type"] == g.get("event_type")
            near = False
            if m.get("location") and g.get("location") and fold(m["location"]) == fold(g["location"]):
                near = True
            elif None not in (m.get("latitude"), g.get("latitude"), m.get("longitude"), g.get("longitude")):
                near = distance_km(m["latitude"], m["longitude"], g["latitude"], g["longitude"]) <= 25
            close = False
            if m.get("event_date") and g.get("event_date"):
                close = abs((dt.date.fromisoformat(m["event_date"]) - dt.date.fromisoformat(g["event_date"])).days) <= 3
            if not (near or same_sub):
                continue
            pairs.append((2 * same_sub + same_type + 2 * near + close, m["event_id"], gi))
    out: dict[str, dict] = {}
    used: set[int] = set()
    for _s, mid, gi in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if mid not in out and gi not in used:
            out[mid] = gold[gi]
            used.add(gi)
    return out


def f1(events: list[dict], matched: dict[str, dict], n_gold: int, field: str) -> float:
    right = sum(1 for e in events if e["event_id"] in matched and e.get(field) == matched[e["event_id"]].get(field))
    p = right / len(events) if events else 0.0
    r = right / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def corrected(events: list[dict], matched: dict[str, dict], checked: set[str]) -> list[dict]:
    out = []
    for e in events:
        if e["event_id"] in checked:
            if e["event_id"] not in matched:
                continue  # a false positive: rejected
            g = matched[e["event_id"]]
            e = {**e, "sub_event_type": g.get("sub_event_type"), "actor1": g.get("actor1")}
        out.append(e)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "gold")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--random-seeds", type=int, default=10)
    ap.add_argument("--weights", help="queue weights as JSON (default: warlog.store.queue.WEIGHTS)")
    ap.add_argument("--search", action="store_true", help="grid-search the queue weights (0, 1, 2 each) on this split "
                    "and print the best; only ever on dev")
    a = ap.parse_args()
    from warlog.execute.local import run_paths
    from warlog.store import queue as Qm
    from warlog.store.duckdb_store import Store
    from warlog.store.query import EventFilter, pages, query_events
    from warlog.store.queue import review_queue

    if a.search and a.split != "dev":
        print("--search tunes: only on the dev split", file=sys.stderr)
        return 2
    if a.weights:
        Qm.WEIGHTS.update(json.loads(a.weights))

    gold = load_gold(a.gold, a.split)
    texts = _texts(a.shared, a.gold)
    gold = [g for g in gold if g["article_id"] in texts]
    if not gold:
        print(f"no {a.split} gold articles with texts under {a.gold} and {a.shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "gold.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for g in gold:
                fh.write(json.dumps({"url": g["article_id"], "text": texts[g["article_id"]], "published": g.get("pub_date")}) + "\n")
        db = Path(tmp) / "gold.duckdb"
        run_paths([src], db)
        with Store(db, read_only=True) as s:
            events = [e for page in pages(query_events, s, EventFilter()) for e in page]
            url = {r["article_id"]: r["url"] for r in s.query("SELECT article_id, url FROM articles")}
            queue = [e["event_id"] for page in pages(lambda st, f: review_queue(st, f), s, EventFilter()) for e in page]
            grid: list[tuple[dict[str, float], list[str]]] = []
            if a.search:
                import itertools

                keys = list(Qm.WEIGHTS)
                saved = dict(Qm.WEIGHTS)
                for combo in itertools.product((0.0, 1.0, 2.0), repeat=len(keys)):
                    if not any(combo):
                        continue
                    Qm.WEIGHTS.update(dict(zip(keys, combo, strict=True)))
                    f = EventFilter(limit=a.n)
                    grid.append((dict(Qm.WEIGHTS), [e["event_id"] for e in review_queue(s, f)[0]]))
                Qm.WEIGHTS.update(saved)
    by_article: dict[str, list[dict]] = {}
    for e in events:
        by_article.setdefault(url[e["article_id"]], []).append(e)
    matched: dict[str, dict] = {}
    for g in gold:
        matched.update(match(by_article.get(g["article_id"], []), g.get("events", [])))
    n_gold = sum(len(g.get("events", [])) for g in gold)
    n = min(a.n, len(events))
    wrong = {e["event_id"] for e in events if e["event_id"] not in matched
             or (e["sub_event_type"], e["actor1"]) != (matched[e["event_id"]].get("sub_event_type"), matched[e["event_id"]].get("actor1"))}

    def score(checked: set[str]) -> tuple[float, float, int]:
        ev = corrected(events, matched, checked)
        return f1(ev, matched, n_gold, "sub_event_type"), f1(ev, matched, n_gold, "actor1"), len(checked & wrong)

    base_sub, base_act, _ = score(set())
    q_sub, q_act, q_err = score(set(queue[:n]))
    rnd = [score(set(random.Random(seed).sample([e["event_id"] for e in events], n))) for seed in range(a.random_seeds)]
    print(f"split={a.split} articles={len(gold)} gold_events={n_gold} machine_events={len(events)} matched={len(matched)} "
          f"wrong_or_spurious={len(wrong)} checks={n}")
    print(f"before: sub-type F1 {base_sub:.3f}, actor1 F1 {base_act:.3f}")
    print(f"queue first {n}: sub-type F1 {q_sub:.3f} (+{q_sub - base_sub:.3f}), actor1 F1 {q_act:.3f} "
          f"(+{q_act - base_act:.3f}), errors found {q_err}")
    if grid:
        ranked = sorted(grid, key=lambda wq: -sum(score(set(wq[1][:n]))[:2]))
        for w, ids in ranked[:5]:
            sub, act, err = score(set(ids[:n]))
            print(f"search: {json.dumps(w)} sub-type +{sub - base_sub:.3f} actor1 +{act - base_act:.3f} errors {err}")
    rs, ra, re_ = ([r[i] for r in rnd] for i in range(3))

    def sd(xs: list[float]) -> float:
        return statistics.pstdev(xs) if len(xs) > 1 else 0.0

    print(f"random {n} (mean of {len(rnd)} seeds): sub-type F1 {statistics.mean(rs):.3f} (+{statistics.mean(rs) - base_sub:.3f}"
          f" sd {sd(rs):.3f}), actor1 F1 {statistics.mean(ra):.3f} (+{statistics.mean(ra) - base_act:.3f} sd {sd(ra):.3f}), "
          f"errors found {statistics.mean(re_):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
