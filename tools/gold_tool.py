"""Annotation helper for warlog's article gold (ids and character offsets only; never article text).

    python tools/gold_tool.py show guardian:3            # the article with character offsets per paragraph
    python tools/gold_tool.py find guardian:3 "a quote"  # start end of a quote (first match; --nth N)
    python tools/gold_tool.py span guardian:3 120 245    # print the text of a span (to check offsets)
    python tools/gold_tool.py place "Kafr Nabl" [--cc SY] # gazetteer rows (Who's On First extracts)
    python tools/gold_tool.py actors Syria [WORD]        # ACLED actor names used in the training records
    python tools/gold_tool.py check gold/guardian_A.jsonl # validate records against the schema

Article ids: ``guardian:<index>`` (the CSV's first column; offsets index its ``text`` field as Python's csv
module reads it), ``fakes:<unit_id>`` (``article_content``), ``fixture:<name>`` (``gold/fixtures/<name>.*``,
our own text; offsets index the file decoded as UTF-8).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
GUARDIAN = SHARED / "eval" / "unlabeled_syria_news" / "Guardian_SDF_sample.csv"
FAKES = SHARED / "eval" / "fakes_dev" / "fakes_dev_2011_2015.jsonl.gz"

EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"},
}
NON_EVENT_KINDS = {"history", "cumulative_toll", "foreign_statement", "dateline", "hypothetical", "comparison",
                   "not_toponym", "other"}


@lru_cache(maxsize=1)
def _guardian() -> dict[str, str]:
    csv.field_size_limit(10**9)
    with open(GUARDIAN, newline="", encoding="utf-8") as f:
        return {f"guardian:{row['']}": row["text"] for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _fakes() -> dict[str, str]:
    with gzip.open(FAKES, "rt", encoding="utf-8") as f:
        return {f"fakes:{rec['unit_id']}": rec["article_content"] for rec in map(json.loads, f)}


def article_text(article_id: str) -> str:
    corpus, _, key = article_id.partition(":")
    if corpus == "guardian":
        return _guardian()[article_id]
    if corpus == "fakes":
        return _fakes()[article_id]
    if corpus == "fixture":
        hits = sorted((ROOT / "gold" / "fixtures").glob(f"{key}.*"))
        if not hits:
            raise KeyError(article_id)
        return hits[0].read_bytes().decode("utf-8")
    raise KeyError(article_id)


def show(article_id: str) -> None:
    text = article_text(article_id)
    # one line per sentence (a rough split, for reading only), each with its offsets
    for m in re.finditer(r"\S.*?(?:[.!?][\"\u201d\u2019)]*(?=\s+[\"\u201c\u2018A-Z0-9(])|\n|$)", text, re.S):
        print(f"[{m.start()}-{m.end()}] {m.group().strip()}")


def find(article_id: str, quote: str, nth: int = 1) -> None:
    text = article_text(article_id)
    pos = -1
    for _ in range(nth):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            sys.exit(f"not found: {quote!r}")
    print(pos, pos + len(quote))


def place(name: str, cc: str | None = None) -> None:
    key = name.casefold()
    files = [SHARED / "gazetteer" / "wof_sy.tsv", SHARED / "gazetteer" / "opensyria_admin_sy.tsv",
             SHARED / "gazetteer" / "wof_conflict_countries.tsv.gz"]
    for path in files:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            for line in f:
                row = dict(zip(header, line.rstrip("\n").split("\t"), strict=False))
                if cc and row.get("country_code") != cc:
                    continue
                names = [row.get("name", "")] + row.get("alternate_names", "").split("|")
                if any(key == n.casefold() or key in n.casefold().split() for n in names if n):
                    print("\t".join(row.get(c, "") for c in ("name", "latitude", "longitude", "feature_code", "country_code",
                                                               "admin1", "admin2", "population", "source_id")))


def actors(country: str, word: str | None = None) -> None:
    import collections
    csv.field_size_limit(10**9)
    counts: collections.Counter[str] = collections.Counter()
    with gzip.open(SHARED / "train" / "acled_notes" / "acled_train.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["country"].casefold() == country.casefold():
                for col in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
                    if row[col]:
                        counts[row[col]] += 1
    for name, n in counts.most_common():
        if word is None or word.casefold() in name.casefold():
            print(n, name, sep="\t")


def bad(*what: object) -> int:
    print(*what)
    return 1


def check(path: str) -> int:
    errors = 0
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = json.loads(line)
        aid = rec["article_id"]
        n = len(article_text(aid))
        ids = set()
        for ev in rec.get("events", []):
            where = f"{path}:{lineno} {aid} {ev.get('id')}"
            if ev.get("id") in ids:
                errors += bad(where, "duplicate id")
            ids.add(ev.get("id"))
            if ev.get("sub_event_type") not in EVENT_TYPES.get(ev.get("event_type"), ()):
                errors += bad(where, "bad type", ev.get("event_type"), ev.get("sub_event_type"))
            if ev.get("time_precision") not in (1, 2, 3) or ev.get("geo_precision") not in (1, 2, 3):
                errors += bad(where, "bad precision")
            if not re.fullmatch(r"\d{4}-\d\d-\d\d", str(ev.get("event_date"))):
                errors += bad(where, "bad date")
            lo, best, hi = (ev.get(k) for k in ("fatalities_low", "fatalities_best", "fatalities_high"))
            if not (isinstance(lo, int) and isinstance(best, int) and isinstance(hi, int) and lo <= best <= hi):
                errors += bad(where, "bad fatalities")
            if not ev.get("spans"):
                errors += bad(where, "no evidence spans")
            for s, e in ev.get("spans", []):
                if not (0 <= s < e <= n):
                    errors += bad(where, "span out of range", s, e)
            for k in ("latitude", "longitude"):
                if not isinstance(ev.get(k), (int, float)):
                    errors += bad(where, "missing", k)
        for ne in rec.get("non_events", []):
            if ne.get("kind") not in NON_EVENT_KINDS or not (0 <= ne["start"] < ne["end"] <= n):
                errors += bad(f"{path}:{lineno} {aid} bad non_event", ne)
    print("errors:", errors)
    return errors


def main(argv: list[str]) -> None:
    cmd, *args = argv
    if cmd == "show":
        show(args[0])
    elif cmd == "find":
        nth = int(args[args.index("--nth") + 1]) if "--nth" in args else 1
        find(args[0], args[1], nth)
    elif cmd == "span":
        print(article_text(args[0])[int(args[1]) : int(args[2])])
    elif cmd == "place":
        place(args[0], args[args.index("--cc") + 1] if "--cc" in args else None)
    elif cmd == "actors":
        actors(args[0], args[1] if len(args) > 1 else None)
    elif cmd == "check":
        sys.exit(1 if check(args[0]) else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
