"""Gazetteer load cost and a before/after identity check (issue 14, speed).

    python tools/gazetteer_load.py time SY           # CPU seconds and RSS for the core table, then the SY shard
    python tools/gazetteer_load.py time all18        # ... then all 18 conflict countries' shards
    python tools/gazetteer_load.py dump OUT.json SY NG   # candidates, tiers, scores and resolved places of
                                                         # ~9,600 names per country (shard names, alternates,
                                                         # one-deletion and a->e variants), with and without
                                                         # focus country; compare two builds' files with cmp
"""

from __future__ import annotations

import json
import random
import sys
import time

from warlog.assets import asset_path
from warlog.resolve.geocode import Gazetteer, read_table

CONFLICT = ["SY", "AF", "BF", "CD", "ET", "IL", "IQ", "LB", "LY", "ML", "MM", "NG", "PS", "SD", "SO", "SS", "UA", "YE"]


def rss_mib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def time_load(ccs: list[str]) -> None:
    if ccs == ["all18"]:
        ccs = CONFLICT
    r0 = rss_mib()
    t = time.process_time()
    g = Gazetteer()
    tc, r1 = time.process_time() - t, rss_mib()
    t = time.process_time()
    for cc in ccs:
        g.ensure_country(cc)
    ts, r2 = time.process_time() - t, rss_mib()
    label = ",".join(ccs) if len(ccs) < 4 else f"{len(ccs)} countries"
    print(f"core {tc:.2f} cpu-s +{r1 - r0:.0f} MiB; shards {label} {ts:.2f} cpu-s +{r2 - r1:.0f} MiB; "
          f"entries {len(g.entries)}")


def dump(out: str, ccs: list[str]) -> None:
    g = Gazetteer()
    rng = random.Random(5)
    res: list[object] = []
    for cc in ccs:
        rows = list(read_table(asset_path("gazetteer_shards") / f"{cc}.tsv.gz"))
        names: list[str] = []
        for r in rng.sample(rows, min(1500, len(rows))):
            names.append(r[1])
            alts = [a for a in r[2].split("|") if a]
            if alts:
                names.append(rng.choice(alts))
            n = r[1]
            if len(n) > 5:
                j = rng.randrange(1, len(n))
                names.append(n[:j] + n[j + 1 :])  # one deletion: the fuzzy and skeleton tiers
                names.append(n.replace("a", "e", 1))
        names += ["Paris", "Aleppo", "Idlib", "Kansafra", "Jinderes", "Latamneh", "Mashalaay", "Kandahar",
                  "Nad Ali district"]
        for focus in (cc, None):
            for n in names:
                ranked, d = g.rank(n, focus)
                res.append([n, focus, d, [(c.entry.gid, c.tier.value, round(c.score, 9)) for c in ranked]])
                p = g.resolve(n, focus)
                res.append(None if p is None else [p.gazetteer_id, p.tier.value, p.confidence, int(p.precision)])
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(res, fh)
    print(len(res) // 2, "lookups,", sum(1 for r in res[::2] if isinstance(r, list) and r[3]), "with candidates")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "time":
        time_load(sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
