"""Gazetteer reads for the web pages: a search box for place corrections and the map's populated places.

Both read the packaged gazetteer (``warlog.resolve.geocode.gazetteer``), so they work offline and know every place
(and learned alias) the geocoder knows.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from warlog.resolve.geocode import Entry, Gazetteer, gazetteer
from warlog.resolve.keys import fold

PRECISION_CODE = {"town": 1, "region": 2, "admin1": 3}


def _row(e: Entry, country_name: dict[str, str]) -> dict[str, Any]:
    return {"gazetteer_id": e.gid, "name": e.name, "admin1": e.admin1 or None, "admin2": e.admin2 or None,
            "country": e.cc, "country_name": country_name.get(e.cc, e.cc), "latitude": e.lat, "longitude": e.lon,
            "population": e.pop, "kind": e.kind, "geo_precision": PRECISION_CODE.get(e.precision, 1)}


def search(q: str, country: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Places whose name (or an alternate name) is ``q`` or starts with it, exact matches and big places first."""
    g = gazetteer()
    key = fold(q).strip()
    if not key:
        return []
    cc = country.upper() if country else None
    hits: dict[int, tuple[int, int]] = {}  # entry -> (match rank, -population)
    for rank, index in ((0, g.exact), (1, g.alt)):
        for i in index.get(key, ()):
            hits.setdefault(i, (rank, -g.entries[i].pop))
    for k in _prefix_keys(g, key):
        for i in g.exact.get(k, ()):
            hits.setdefault(i, (2, -g.entries[i].pop))
    ids = [i for i in hits if g.entries[i].lat is not None and (cc is None or g.entries[i].cc == cc)]
    ids.sort(key=lambda i: (hits[i], g.entries[i].name))
    return [_row(g.entries[i], g.country_name) for i in ids[:limit]]


def _prefix_keys(g: Gazetteer, key: str) -> list[str]:
    keys = _sorted_keys(id(g))
    lo = int(np.searchsorted(keys, key))
    out: list[str] = []
    while lo < len(keys) and len(out) < 200 and keys[lo].startswith(key):
        out.append(str(keys[lo]))
        lo += 1
    return out


@lru_cache(maxsize=1)
def _sorted_keys(_gid: int) -> np.ndarray:
    return np.array(sorted(gazetteer().exact), dtype=object)


@lru_cache(maxsize=1)
def _place_arrays(_gid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    g = gazetteer()
    idx = [i for i, e in enumerate(g.entries) if e.lat is not None and e.lon is not None and e.kind == "town"]
    lat = np.array([g.entries[i].lat for i in idx], dtype=np.float64)
    lon = np.array([g.entries[i].lon for i in idx], dtype=np.float64)
    pop = np.array([g.entries[i].pop for i in idx], dtype=np.int64)
    return np.array(idx, dtype=np.int64), lat, lon, pop


def populated_places(bbox: tuple[float, float, float, float], limit: int = 300) -> list[list[Any]]:
    """The largest towns and villages inside ``bbox`` (west, south, east, north): [name, lon, lat, population]."""
    g = gazetteer()
    idx, lat, lon, pop = _place_arrays(id(g))
    w, s, e, n = bbox
    inside = (lat >= s) & (lat <= n) & (((lon >= w) & (lon <= e)) if w <= e else ((lon >= w) | (lon <= e)))
    sel = np.flatnonzero(inside)
    sel = sel[np.argsort(-pop[sel], kind="stable")[:limit]]
    return [[g.entries[int(idx[j])].name, float(lon[j]), float(lat[j]), int(pop[j])] for j in sel]
