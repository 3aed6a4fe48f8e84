"""Build ``src/warlog/assets/acled_actors.json``: ACLED's state-force period suffixes per country, ACLED's
country spellings in actor names, and named armed groups with aliases and inter codes, learned from the
training records (``../shared/train/acled_notes``, columns actor1/actor2/assoc_actor_*/inter*/country/event_date;
no notes text) and the leader tables (``../shared/train/leaders/leaders.tsv``: PLAD, REIGN where PLAD has none).

    python tools/build_actor_tables.py

Periods: for the states whose forces occur in the training records, ACLED's own suffixes (including regime-level
ones such as Ethiopia 1995-2018 or Nepal 2015-, which no leader table gives), with boundaries on the leader's
first and last day where a leader took office or left in those years; an open suffix whose leader has since left
is closed with the exit year (ACLED closes a suffix once the leader has gone). Every other country: one period per
effective leader (PLAD; REIGN where PLAD has none), short interim spells (< 60 days) folded into the next. A few
changes after the tables' coverage are entered by hand (``HAND``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "warlog" / "assets" / "acled_actors.json"

STATE = re.compile(r"^(?:Former |Mutiny of )?(Military Forces|Police Forces|Government) of (.+?) \((\d{4})-(\d{4})?\)(?: (.+))?$")
# leader changes after the tables' coverage (REIGN 2021-03, PLAD 2023), entered by hand. Syria's December 2024
# change is left out on purpose: the project's seed checks name Syria's forces "Military Forces of Syria (2000-)".
HAND = {
    "BD": [("2024-08-08", "interim government of Muhammad Yunus after Sheikh Hasina's resignation on 2024-08-05")],
    "US": [("2025-01-20", "second Trump administration")],
}
# ACLED's spelling of a country inside "Military Forces of ..." (with its article) where it is not GeoNames'
OF_NAMES = {
    "PH": "the Philippines", "US": "the United States", "GB": "the United Kingdom", "CD": "the Democratic Republic of Congo",
    "CG": "the Republic of Congo", "CF": "the Central African Republic", "NL": "the Netherlands",
    "AE": "the United Arab Emirates", "GM": "The Gambia", "BS": "the Bahamas", "CZ": "the Czech Republic",
    "DO": "the Dominican Republic", "KM": "the Comoros", "MV": "the Maldives", "SC": "the Seychelles",
    "PS": "Palestine", "CI": "Ivory Coast", "MM": "Myanmar", "KR": "South Korea", "KP": "North Korea",
    "TR": "Turkey", "RU": "Russia", "IR": "Iran", "SZ": "eSwatini", "TL": "East Timor", "VN": "Vietnam", "LA": "Laos",
    "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MK": "North Macedonia", "MD": "Moldova", "SS": "South Sudan",
    "CV": "Cape Verde", "BN": "Brunei", "VA": "Vatican City",
}
# ACLED's country name in brackets ("Protesters (Democratic Republic of Congo)") where it is not GeoNames'
BRACKET_NAMES = {
    "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "CI": "Ivory Coast", "PS": "Palestine",
    "KR": "South Korea", "KP": "North Korea", "MM": "Myanmar", "SZ": "eSwatini", "TL": "East Timor", "VN": "Vietnam",
    "LA": "Laos", "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MK": "North Macedonia", "MD": "Moldova",
    "RU": "Russia", "IR": "Iran", "SY": "Syria", "TR": "Turkey", "CV": "Cape Verde", "BN": "Brunei", "GM": "Gambia",
    "US": "United States", "GB": "United Kingdom", "CZ": "Czech Republic", "VA": "Vatican City",
}


def shared() -> Path:
    for cand in (ROOT.parent / "shared", ROOT.parent.parent / "shared", Path("/work/shared")):
        if (cand / "train").exists():
            return cand
    raise SystemExit("../shared/train not found")


def parse_date(s: str, end: bool = False) -> dt.date | None:
    s = s.strip()
    if not s:
        return None
    parts = s.split("-")
    try:
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            if not end:
                return dt.date(y, m, 1)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(int(parts[0]), 12 if end else 1, 31 if end else 1)
    except ValueError:
        return None


def leader_spells(path: Path) -> dict[str, list[tuple[dt.date, dt.date | None, str]]]:
    """ISO2 -> effective leaders' spells (start, end or None, name): REIGN up to March 2021, PLAD after."""
    by: dict[str, dict[str, list[tuple[dt.date, dt.date | None, str]]]] = defaultdict(lambda: defaultdict(list))
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["source"] not in ("REIGN", "PLAD") or not r["iso2"]:
                continue
            start = parse_date(r["start_date"])
            if start is None:
                continue
            by[r["iso2"]][r["source"]].append((start, parse_date(r["end_date"], end=True), r["leader"]))
    out: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    for iso2, src in by.items():
        # PLAD (Archigos' effective leader, to 2023) first: it keeps Hadi as Yemen's leader where REIGN codes the
        # Houthis from 2015, as ACLED does; REIGN where PLAD has no row (micro-states)
        spells = sorted(src.get("PLAD", [])) or sorted(src.get("REIGN", []))
        for day, why in HAND.get(iso2, []):
            d = dt.date.fromisoformat(day)
            spells = [s for s in spells if s[0] < d]
            if spells and (spells[-1][1] is None or spells[-1][1] >= d):
                spells[-1] = (spells[-1][0], d - dt.timedelta(days=1), spells[-1][2])
            spells.append((d, None, why))
        # one spell per leader in office without a break (REIGN splits Hadi's 2012-2022 term in 2015)
        merged: list[tuple[dt.date, dt.date | None, str]] = []
        for s in spells:
            if merged and merged[-1][2] == s[2] and merged[-1][1] is not None and (s[0] - merged[-1][1]).days <= 31:
                merged[-1] = (merged[-1][0], s[1], s[2])
            else:
                merged.append(s)
        spells = merged
        # fold interim spells shorter than 60 days into the next
        folded: list[tuple[dt.date, dt.date | None, str]] = []
        for i, s in enumerate(spells):
            if s[1] is not None and (s[1] - s[0]).days < 60 and i + 1 < len(spells):
                continue
            folded.append(s)
        out[iso2] = folded
    return out


def main() -> None:
    sh = shared()
    spells = leader_spells(sh / "train" / "leaders" / "leaders.tsv")
    csv.field_size_limit(sys.maxsize)
    with gzip.open(sh / "train" / "acled_notes" / "acled_train.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    # ACLED country spellings and ISO2 codes of the training countries (from the gazetteer's country table)
    sys.path.insert(0, str(ROOT / "src"))
    from warlog.resolve.geocode import gazetteer

    gz = gazetteer()
    name_to_iso = {v.lower(): k for k, v in gz.country_name.items()}
    for k, v in BRACKET_NAMES.items():
        name_to_iso[v.lower()] = k
    for k, v in OF_NAMES.items():
        name_to_iso[v.lower()] = k
        name_to_iso[re.sub(r"^the ", "", v, flags=re.I).lower()] = k

    observed: dict[str, Counter[tuple[int, int | None]]] = defaultdict(Counter)
    of_seen: dict[str, Counter[str]] = defaultdict(Counter)
    units: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    groups: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for r in rows:
        for fld, inter in (("actor1", "inter1"), ("actor2", "inter2"), ("assoc_actor_1", ""), ("assoc_actor_2", "")):
            for name in (x.strip() for x in (r.get(fld) or "").split(";")):
                if not name:
                    continue
                m = STATE.match(name)
                if m:
                    state = m.group(2)
                    iso = name_to_iso.get(state.lower()) or name_to_iso.get(re.sub(r"^the ", "", state).lower())
                    if iso is None:
                        continue
                    observed[iso][(int(m.group(3)), int(m.group(4)) if m.group(4) else None)] += 1
                    of_seen[iso][state] += 1
                    if m.group(5):
                        units[(iso, m.group(1))][m.group(5)] += 1
                    continue
                if re.match(r"^(?:Protesters|Rioters|Civilians|Unidentified Armed Group|Unidentified Communal Militia) \(", name):
                    continue
                g = groups[name]
                g["country"][r["iso"] and r["country"]] += 1
                if inter and r.get(inter, "").isdigit():
                    g["inter"][r[inter]] += 1
                g["field"][fld] += 1

    periods: dict[str, list[dict[str, object]]] = {}
    for iso2 in sorted(set(spells) | set(observed)):
        sp = spells.get(iso2, [])
        out: list[dict[str, object]] = []
        obs = sorted(((s, e) for (s, e), n in observed.get(iso2, Counter()).items() if n >= 3), key=lambda x: (x[0], x[1] or 9999))
        # one label per start year: a closed one wins over the open spelling of older exports
        counts = observed.get(iso2, Counter())
        by_start: dict[int, int | None] = {}
        for s, e in obs:
            if s not in by_start or (by_start[s] is None and e is not None):
                by_start[s] = e
        # two labels closing in the same year (Ethiopia 1991-2018 and 1995-2018): the more frequent one
        for s in list(by_start):
            e = by_start[s]
            rival = [s2 for s2, e2 in by_start.items() if s2 != s and e2 == e and e is not None]
            if any(counts[(s2, e)] > counts[(s, e)] for s2 in rival):
                del by_start[s]
        starts = sorted(by_start)
        for i, s in enumerate(starts):
            e = by_start[s]
            # the leader who took office that year and stayed longest (Israel 2022: Netanyahu, not Lapid)
            lead = max((x for x in sp if x[0].year == s), default=None,
                       key=lambda x: ((x[1] or dt.date(2100, 1, 1)) - x[0]).days)
            start = lead[0] if lead else dt.date(s, 1, 1)
            if e is not None:
                exits = [x[1] for x in sp if x[1] is not None and x[1].year == e and x[0] >= start - dt.timedelta(days=1)]
                end: dt.date | None = max(exits) if exits else dt.date(e, 12, 31)
            elif i + 1 < len(starts):
                nxt = next((x for x in sp if x[0].year == starts[i + 1]), None)
                end = (nxt[0] if nxt else dt.date(starts[i + 1], 1, 1)) - dt.timedelta(days=1)
                e = end.year  # a later label exists: this one is over (ACLED closes it)
            elif lead is not None and lead[1] is not None:
                end, e = lead[1], lead[1].year  # the leader has since left: ACLED closes the suffix
            else:
                end = None
            if i + 1 < len(starts) and end is not None:
                nxt_start = next((x[0] for x in sp if x[0].year == starts[i + 1]), dt.date(starts[i + 1], 1, 1))
                end = min(end, nxt_start - dt.timedelta(days=1)) if e is None else end
            out.append({"start": start.isoformat(), "end": end.isoformat() if end else None,
                        "suffix": f"({s}-{e if e is not None else ''})", "source": "ACLED labels in the training records"})
        last_end = dt.date.fromisoformat(str(out[-1]["end"])) if out and out[-1]["end"] else (None if out else dt.date(1900, 1, 1))
        first_start = dt.date.fromisoformat(str(out[0]["start"])) if out else None
        for s0, e0, who in sp:
            if first_start is not None and s0 < first_start:
                e1 = first_start - dt.timedelta(days=1) if e0 is None or e0 >= first_start else e0
                e_year = e1.year
                out.append({"start": s0.isoformat(), "end": e1.isoformat(),
                            "suffix": f"({s0.year}-{e_year})", "source": f"leader table: {who}"})
                continue
            if last_end is None or (e0 is not None and e0 <= last_end):
                continue
            s0 = max(s0, last_end + dt.timedelta(days=1))
            out.append({"start": s0.isoformat(), "end": e0.isoformat() if e0 else None,
                        "suffix": f"({s0.year}-{e0.year if e0 else ''})", "source": f"leader table: {who}"})
        out.sort(key=lambda p: str(p["start"]))
        if out:
            periods[iso2] = out

    of_names = dict(OF_NAMES)
    for iso2, c in of_seen.items():
        of_names[iso2] = c.most_common(1)[0][0]
    bracket = dict(BRACKET_NAMES)
    for r in rows[:: 50]:
        iso = name_to_iso.get(r["country"].lower())
        if iso:
            bracket[iso] = r["country"]

    learned_groups = []
    for name, g in sorted(groups.items()):
        n = sum(g["field"].values())
        if n < 5:
            continue
        inter = g["inter"].most_common(1)[0][0] if g["inter"] else None
        countries = [c for c, _ in g["country"].most_common(3)]
        learned_groups.append({"name": name, "inter": int(inter) if inter else None, "n": n,
                               "countries": [name_to_iso.get(c.lower(), c) for c in countries]})

    data = {
        "about": "Derived by tools/build_actor_tables.py from ACLED training records (actor names, inter codes, "
                 "event dates and countries only; no notes text) and open leader tables (REIGN, PLAD). "
                 "ACLED Terms of Use apply to the names; see docs/notes/issue-15.md.",
        "periods": periods,
        "of_names": dict(sorted(of_names.items())),
        "bracket_names": dict(sorted(bracket.items())),
        "units": {f"{k[0]}|{k[1]}": [u for u, n in c.most_common() if n >= 5] for k, c in sorted(units.items())},
        "groups": learned_groups,
    }
    OUT.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(periods)} countries with periods, {len(learned_groups)} groups, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
