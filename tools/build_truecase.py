"""Build ``src/warlog/assets/truecase.tsv.gz``: the usual written case of words, for restoring the case of
lower-cased or ALL-CAPS scrapes (``warlog.clean.case``).

Counts case forms of every word that is not at the start of a sentence or line (where case says nothing) in
well-cased text we may ship counts of:
- ACLED coder notes of the training set (``../shared/train/acled_notes``; ACLED's terms allow derived counts,
  the notes text itself is not shipped),
- the geoparsing gold corpora's article texts (TR-News, GeoWebNews, LGL, GeoVirus),
- the fakes_dev articles (2011-2015).
Words common in English (wordfreq's Zipf frequency 3.5 and above) are marked common unless the counts saw
them capitalised 5 times or more. (Frequent names are frequent words too: frequency cannot tell "orange" from "moscow"; the few
common words that name places elsewhere are listed in ``warlog.clean.case.COMMON_PLACE_WORDS``.) Neither the Guardian sample (the metamorphic test corpus), the CASE 2021 test set nor the holdout is read.

Output rows: ``lower<TAB>form<TAB>n_form<TAB>n_total`` for every word seen at least twice; ``form`` is the
most frequent written form when it holds three quarters of the occurrences, else the lower-case form; when
news prose wrote the word lower-case more than a quarter of the time (3+ occurrences), only the prose counts
(ACLED notes capitalise words of actor and place names: "Coalition", "Rural", "Central") (``form == lower`` marks a common lower-case word, which the truecaser never
capitalises from the gazetteer). Run: ``pip install -e '.[tools]' && python tools/build_truecase.py
[--shared ../shared]``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

WORD = re.compile(r"[^\W\d_]+")
INITIAL = re.compile(r"(?:^|[.!?:;\"“”‘(\[]|\s-|\s–|\s—)\s*$")
COMMON_ZIPF = 3.5
OUT = Path(__file__).resolve().parents[1] / "src" / "warlog" / "assets" / "truecase.tsv.gz"


def texts(shared: Path) -> Iterator[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with gzip.open(shared / "train" / "acled_notes" / "acled_train.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield "acled_train_notes", row.get("notes") or ""
    for xml in sorted((shared / "eval" / "geoparsing").glob("*.xml")):
        root = ET.parse(xml).getroot()
        for t in root.iter("text"):
            yield f"geoparsing/{xml.name}", t.text or ""
    with gzip.open(shared / "eval" / "fakes_dev" / "fakes_dev_2011_2015.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            yield "fakes_dev", str(rec.get("article_content") or "")


def count(shared: Path) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]], Counter[str]]:
    """Case forms in ACLED notes and in news prose apart (ACLED capitalises words of actor names: "Coalition")."""
    notes: dict[str, Counter[str]] = defaultdict(Counter)
    news: dict[str, Counter[str]] = defaultdict(Counter)
    per_source: Counter[str] = Counter()
    maybe_possessive: dict[str, Counter[str]] = defaultdict(Counter)
    for source, text in texts(shared):
        # a text of some length without an apostrophe may have had them stripped: its words ending in "s" count
        # only when their stem is not a name (its possessives would read as words of their own: "Syrias")
        stripped = len(text) > 200 and not any(q in text for q in "'\u2019")
        per_source[source] += 1
        forms = notes if source.startswith("acled") else news
        for line in text.splitlines():
            letters = [c for c in line if c.isalpha()]
            if len(letters) > 20 and sum(c.isupper() for c in letters) > 0.5 * len(letters):
                continue  # an ALL-CAPS line says nothing about case
            for m in WORD.finditer(line):
                if INITIAL.search(line[max(0, m.start() - 3) : m.start()]):
                    continue
                w = m.group()
                if stripped and w.endswith("s"):
                    maybe_possessive[w.lower()][w] += 1
                    continue
                forms[w.lower()][w] += 1
    from wordfreq import zipf_frequency

    for low, c in maybe_possessive.items():  # "Syrias" (Syria's) is not a word; "Kurds", "weapons" are
        stem = (notes.get(low[:-1], Counter()) + news.get(low[:-1], Counter())).most_common(1)
        if stem and stem[0][0][:1].isupper() and zipf_frequency(low, "en") < 2.5:
            continue
        for w, n in c.items():
            news[low][w] += n
    return notes, news, per_source


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()
    notes, news, per_source = count(args.shared)
    rows = []
    for low in sorted(set(notes) | set(news)):
        c = notes.get(low, Counter()) + news.get(low, Counter())
        total = sum(c.values())
        prose = news.get(low, Counter())
        if sum(prose.values()) >= 3 and prose[low] * 4 > sum(prose.values()):
            c = prose  # news prose writes it lower-case often enough: a common word, whatever ACLED's names do
        if total < args.min_count or len(low) < 2:
            continue
        form, n = c.most_common(1)[0]
        if form != low and c[low] * 4 > sum(c.values()):  # split decision: lower-case is the safe default
            form, n = low, c[low]
        rows.append((low, form, n, sum(c.values())))
    # common English words (wordfreq, Zipf >= 3.5): lower-case unless the counts saw them capitalised 5+ times
    # ("dome" seen 3 times as "Iron Dome" stays a word; "sparks" never seen, a common word, not the Nevada city)
    from wordfreq import top_n_list, zipf_frequency

    have = {r[0]: i for i, r in enumerate(rows)}
    n_common = 0
    for w in top_n_list("en", 60000):
        if not w.isalpha() or zipf_frequency(w, "en") < COMMON_ZIPF:
            continue
        i = have.get(w)
        if i is None:
            rows.append((w, w, 0, 0))
            n_common += 1
        elif rows[i][1] != w and rows[i][3] < 5:
            rows[i] = (w, w, 0, rows[i][3])
            n_common += 1
    rows.sort()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as gz:
        gz.write("".join(f"{a}\t{b}\t{n}\t{t}\n" for a, b, n, t in rows).encode("utf-8"))
    meta = {
        "built_by": "tools/build_truecase.py",
        "sources": dict(per_source),
        "rows": len(rows),
        "rows_cased": sum(1 for a, b, _, _ in rows if a != b),
        "min_count": args.min_count,
        "common_words_from_wordfreq": n_common,
        "common_zipf": COMMON_ZIPF,
        "seed": None,
        "deterministic": "no randomness: the same sources give the same table (gzip mtime 0)",
        "note": "counts of written case forms only; no source text is shipped",
    }
    meta_path = OUT.with_name("truecase.meta.json")
    if meta_path.is_file():  # figures measured with the table (warlog eval metamorphic) are kept across rebuilds
        old = json.loads(meta_path.read_text(encoding="utf-8"))
        if "measured" in old:
            meta["measured"] = old["measured"]
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=1), f"{OUT.stat().st_size} bytes", sep="\n")


if __name__ == "__main__":
    main()
