"""Offline gazetteer lookup with tiered matching and disambiguation.

Tiers, in order: ``exact`` (primary name), ``alternate`` (GeoNames alternate / curated alias), ``normalised``
(case, diacritics, Arabic article al-/el-/ad-..., Deir/Dayr and ou/u transliteration, hyphens and
apostrophes folded), ``fuzzy`` (one edit or a plural ``s``, only among places of the document's focus
country). Candidates are scored by tier, population (prominence), focus-country agreement, a mentioned parent
and the curated flag; the best one is returned with a confidence in [0, 1], or ``None`` below ``ABSTAIN``.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from warlog.assets import asset_path
from warlog.data import GeoPrecision, MatchTier, Place
from warlog.resolve.keys import fold, normalise

ABSTAIN = 0.35
@dataclass(slots=True)
class Entry:
    gid: str
    name: str
    lat: float | None
    lon: float | None
    cc: str
    admin1: str
    pop: int
    kind: str
    precision: str
    parent: str
    curated: bool


PRECISION = {"town": GeoPrecision.TOWN, "region": GeoPrecision.REGION, "admin1": GeoPrecision.PROVINCE}


class Gazetteer:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.alt: dict[str, list[int]] = defaultdict(list)
        self.norm: dict[str, list[int]] = defaultdict(list)
        self.country_by_name: dict[str, str] = {}
        self.country_name: dict[str, str] = {}
        self._fuzzy: dict[str, dict[str, list[int]]] = {}
        with gzip.open(asset_path("gazetteer.tsv.gz"), "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                (gid, name, alts, lat, lon, cc, admin1, pop, kind, precision, parent, source, fkeys, nkeys) = (
                    line.rstrip("\n").split("\t")
                )
                if kind == "country":
                    self.country_by_name[fold(name)] = cc
                    self.country_name[cc] = name
                    continue
                i = len(self.entries)
                self.entries.append(
                    Entry(gid, name, float(lat) if lat else None, float(lon) if lon else None, cc, admin1,
                          int(pop or 0), kind, precision, parent, source == "hand_entered")
                )
                self.exact[fold(name)].append(i)
                for k in fkeys.split("|") if fkeys else ():
                    self.alt[k].append(i)
                for k in nkeys.split("|") if nkeys else ():
                    self.norm[k].append(i)
        for alias, cc in COUNTRY_ALIASES.items():
            self.country_by_name[alias] = cc

    def country_of(self, text: str) -> str | None:
        """ISO code when ``text`` names a country (or a demonym such as 'Syrian')."""
        key = fold(text)
        return self.country_by_name.get(key) or DEMONYMS.get(key)

    def country_place(self, cc: str) -> Place:
        return Place(
            name=self.country_name.get(cc, cc), latitude=None, longitude=None, country=cc, admin1=None,
            precision=GeoPrecision.PROVINCE, gazetteer_id=f"country:{cc}", tier=MatchTier.EXACT, confidence=1.0,
            kind="country",
        )

    def candidates(self, name: str, focus_cc: str | None) -> list[tuple[int, MatchTier]]:
        key = fold(name)
        key_nothe = re.sub(r"^the ", "", key)
        seen: dict[int, MatchTier] = {}
        for tier, index, k in (
            (MatchTier.EXACT, self.exact, key_nothe),
            (MatchTier.ALTERNATE, self.alt, key_nothe),
            (MatchTier.NORMALISED, self.norm, normalise(key_nothe)),
        ):
            for i in index.get(k, ()):
                seen.setdefault(i, tier)
        if not seen and focus_cc and len(key_nothe) >= 5:
            for i in self._fuzzy_lookup(normalise(key_nothe), focus_cc):
                seen.setdefault(i, MatchTier.FUZZY)
        return list(seen.items())

    def _fuzzy_lookup(self, key: str, cc: str) -> list[int]:
        idx = self._fuzzy.get(cc)
        if idx is None:
            idx = defaultdict(list)
            for i, e in enumerate(self.entries):
                if e.cc == cc:
                    k = normalise(e.name)
                    for d in _deletes(k):
                        idx[d].append(i)
            for k, ids in list(self.norm.items()):
                for i in ids:
                    if self.entries[i].cc == cc:
                        for d in _deletes(k):
                            idx[d].append(i)
            self._fuzzy[cc] = idx
        out: list[int] = []
        for d in _deletes(key) | {key[:-1] if key.endswith("s") else key}:
            out.extend(idx.get(d, ()))
        return sorted(set(out))

    def resolve(
        self, name: str, focus_cc: str | None = None, context_names: frozenset[str] = frozenset()
    ) -> Place | None:
        if fold(name) in self.country_by_name:
            return self.country_place(self.country_by_name[fold(name)])
        cands = self.candidates(name, focus_cc)
        if not cands:
            return None
        tier_score = {MatchTier.EXACT: 1.0, MatchTier.ALTERNATE: 0.8, MatchTier.NORMALISED: 0.7, MatchTier.FUZZY: 0.5}
        best: tuple[float, int, MatchTier] | None = None
        for i, tier in cands:
            e = self.entries[i]
            s = tier_score[tier]
            s += min(math.log10(e.pop + 1) / 7.0, 1.0) * 0.6
            if focus_cc:
                s += 0.8 if e.cc == focus_cc else -0.4
            if e.curated:
                s += 0.3
            if e.parent and fold(e.parent) in context_names or fold(e.admin1) in context_names:
                s += 0.3
            if best is None or s > best[0]:
                best = (s, i, tier)
        assert best is not None
        score, i, tier = best
        conf = max(0.0, min(1.0, score / 2.5))
        if conf < ABSTAIN:
            return None
        e = self.entries[i]
        return Place(
            name=e.name, latitude=e.lat, longitude=e.lon, country=e.cc, admin1=e.admin1 or None,
            precision=PRECISION.get(e.precision, GeoPrecision.TOWN), gazetteer_id=e.gid, tier=tier,
            confidence=round(conf, 3), kind=e.kind,
        )

    def region_names(self) -> list[str]:
        """Names and aliases of curated entries (regions, camps, neighbourhoods) for the entity ruler."""
        out: list[str] = []
        for k, ids in self.alt.items():
            if any(self.entries[i].curated for i in ids):
                out.append(k)
        out.extend(fold(e.name) for e in self.entries if e.curated)
        return sorted(set(out))


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}


DEMONYMS = {
    "syrian": "SY", "iraqi": "IQ", "yemeni": "YE", "afghan": "AF", "somali": "SO", "nigerian": "NG", "malian": "ML",
    "libyan": "LY", "sudanese": "SD", "south sudanese": "SS", "congolese": "CD", "ukrainian": "UA", "russian": "RU",
    "turkish": "TR", "israeli": "IL", "palestinian": "PS", "lebanese": "LB", "iranian": "IR", "saudi": "SA",
    "american": "US", "burkinabe": "BF", "nigerien": "NE", "ethiopian": "ET", "pakistani": "PK", "burmese": "MM",
    "kurdish": "SY", "damascene": "SY",
}
COUNTRY_ALIASES = {
    "syria": "SY", "iraq": "IQ", "yemen": "YE", "afghanistan": "AF", "somalia": "SO", "nigeria": "NG", "mali": "ML",
    "libya": "LY", "sudan": "SD", "south sudan": "SS", "drc": "CD", "dr congo": "CD", "ukraine": "UA", "russia": "RU",
    "turkey": "TR", "turkiye": "TR", "israel": "IL", "gaza": "PS", "west bank": "PS", "lebanon": "LB", "iran": "IR",
    "saudi arabia": "SA", "us": "US", "u s": "US", "united states": "US", "usa": "US", "america": "US", "uk": "GB",
    "britain": "GB", "united kingdom": "GB", "burkina faso": "BF", "niger": "NE", "myanmar": "MM", "burma": "MM",
}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
