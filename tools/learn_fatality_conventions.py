"""Measure ACLED's fatality conventions per country on the training notes and write
``src/warlog/assets/fatality_conventions.json`` (shares and counts only, no notes text).

    python tools/learn_fatality_conventions.py

Measured: among notes whose only reported deaths are of state forces (soldiers, police, ALP, ...) and where the
count (``warlog.extract.fatalities.estimate``) is above 0, the share ACLED coded as 0 fatalities
(``state_victims_zero``); ``acled_fatalities`` applies it where that share is at least 0.6 over 30+ notes.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warlog.extract.fatalities import _only_state_victims, estimate  # noqa: E402

OUT = ROOT / "src" / "warlog" / "assets" / "fatality_conventions.json"


def main() -> None:
    src = next(p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared"))
               if (p / "train" / "acled_notes" / "acled_train.csv.gz").exists()) / "train" / "acled_notes" / "acled_train.csv.gz"
    csv.field_size_limit(sys.maxsize)
    n: Counter[str] = Counter()
    zero: Counter[str] = Counter()
    with gzip.open(src, "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if not r["fatalities"].isdigit() or not r["iso"]:
                continue
            text = r["notes"]
            if "coded" in text.lower():
                continue
            if estimate(text).acled > 0 and _only_state_victims(text):
                n[r["country"]] += 1
                zero[r["country"]] += r["fatalities"] == "0"
    from warlog.resolve.actors import _state_iso

    iso = _state_iso()
    out = {}
    for c in sorted(n):
        code = iso.get(c.lower())
        if code:
            out[code] = {"state_victims_zero": round(zero[c] / n[c], 3), "n": n[c], "country": c}
    data = {"about": "Measured by tools/learn_fatality_conventions.py on ACLED's training notes (shares only).",
            "countries": out}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
