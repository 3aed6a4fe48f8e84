"""Offline gazetteer lookup with tiered matching and disambiguation.

Tiers, in order: ``exact`` (primary name), ``alternate`` (GeoNames alternate / curated alias), ``normalised``
(case, diacritics, Arabic article al-/el-/ad-..., Deir/Dayr and ou/u transliteration, hyphens and
apostrophes folded), ``fuzzy`` (one edit or a plural ``s``, only among places of the document's focus
country). Candidates are scored by tier, population (prominence), focus-country agreement, a mentioned parent
(a town's admin-1 or curated parent named elsewhere in the document, "Zurmi (Zamfara)"), distance to the
document's unambiguous places (anchors) and the curated flag; the best one is returned with a confidence in
[0, 1], or ``None`` below ``ABSTAIN``.

Designators are read, not matched: "Kandahar city" is the town Kandahar, "Helmand province" / "Idlib
governorate" the admin-1 unit (ACLED geo_precision 3), "Nad Ali district" / "the countryside of Hama" the town
coded at geo_precision 2 (a place near or around it). A bare name prefers the town over the admin-1 unit of
the same name, as ACLED does.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import io
import json
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from warlog.assets import asset_path
from warlog.data import GeoPrecision, MatchTier, Place
from warlog.errors import AssetError
from warlog.resolve.keys import fold, normalise, skeleton

COLUMNS = (
    "gid", "name", "alts", "lat", "lon", "cc", "admin1", "admin2", "pop", "kind", "precision", "parent", "source",
    "fkeys", "nkeys",
)
SHARD_DIR = "gazetteer_shards"

ABSTAIN = 0.35
ANCHOR_KM = 150.0
ADMIN_WORDS = r"province|governorate|state|region|oblast|prefecture|department|muhafazat|wilayat|county"
REGION_WORDS = r"district|countryside|rural areas|outskirts|suburbs|area|areas|environs|villages"
TOWN_WORDS = r"city|town|village|camp|neighbou?rhood|quarter|municipality|locality|hamlet|settlement"
DESIGNATOR_AFTER = re.compile(rf"^(?P<core>.+?)\s+(?P<d>{ADMIN_WORDS}|{REGION_WORDS}|{TOWN_WORDS})$", re.I)
DESIGNATOR_BEFORE = re.compile(
    rf"^(?:the\s+)?(?P<d>{ADMIN_WORDS}|{REGION_WORDS}|{TOWN_WORDS})\s+of\s+(?:the\s+)?(?P<core>.+)$", re.I
)


ABBREVIATION = re.compile(r"[A-Z]{2,3}|ISIS|ISIL|AQAP|AQIM|JNIM|ISWAP|ISKP|ISGS|AMISOM|FARDC|MONUSCO|UNAMID|UNMISS|MINUSMA")
DISTRICT_WORD = re.compile(r"\b(?:district|sub-?district|county|nahiya|nahiyah|mantiqa)\b", re.I)


def split_designator(name: str) -> tuple[str, str | None]:
    """'Helmand province' -> ('Helmand', 'admin1'); 'Nad Ali district' -> ('Nad Ali', 'near'); 'Kandahar city' ->
    ('Kandahar', 'town'); a name with none -> (name, None)."""
    n = name.strip()
    for rx in (DESIGNATOR_AFTER, DESIGNATOR_BEFORE):
        m = rx.match(n)
        if m:
            d = m.group("d").lower()
            kind = "admin1" if re.fullmatch(ADMIN_WORDS, d) else "near" if re.fullmatch(REGION_WORDS, d) else "town"
            return m.group("core").strip(), kind
    return n, None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class Entry:
    gid: str
    name: str
    lat: float | None
    lon: float | None
    cc: str
    admin1: str
    admin2: str
    pop: int
    kind: str
    precision: str
    parent: str
    curated: bool
    source: str = ""


PRECISION = {"town": GeoPrecision.TOWN, "region": GeoPrecision.REGION, "admin1": GeoPrecision.PROVINCE}
UNIT_KINDS = ("admin2", "admin3")


def read_table(path: Path, data: bytes | None = None) -> Iterator[list[str]]:
    """Rows of a gazetteer table (gzip TSV, header ``COLUMNS``), streamed; a missing, truncated or malformed
    file is an ``AssetError`` naming it and the reason."""
    try:
        raw: BinaryIO = path.open("rb") if data is None else io.BytesIO(data)
    except FileNotFoundError:
        raise AssetError("gazetteer file missing (reinstall warlog, or rebuild: python tools/build_gazetteer.py)",
                         str(path)) from None
    n = 1
    try:
        with raw, gzip.GzipFile(fileobj=raw) as gz, io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as fh:
            header = fh.readline().rstrip("\n")
            if tuple(header.split("\t")) != COLUMNS:
                raise AssetError(f"not a gazetteer table: header {header[:80]!r}", str(path))
            for n, line in enumerate(fh, 2):  # noqa: B007  (n names the line in errors)
                parts = line.rstrip("\n").split("\t")
                if len(parts) != len(COLUMNS):
                    raise AssetError(f"line {n}: {len(parts)} columns, expected {len(COLUMNS)}", str(path))
                yield parts
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise AssetError(f"gazetteer file corrupt near line {n} ({type(exc).__name__}: {exc})", str(path)) from None


# a shard key's places: one entry index, or a list of them (in file order) when several places share the key
ShardIds = int | list[int]


def _put_compact(d: dict[str, ShardIds], k: str, i: int) -> None:
    v = d.setdefault(k, i)
    if v != i:
        if isinstance(v, int):
            d[k] = [v, i]
        else:
            v.append(i)


def _put_list(d: dict[str, list[int]], k: str, i: int) -> None:
    d[k].append(i)


def _ids(v: ShardIds | None) -> Sequence[int]:
    if v is None:
        return ()
    return (v,) if isinstance(v, int) else v


class Gazetteer:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.alt: dict[str, list[int]] = defaultdict(list)
        self.norm: dict[str, list[int]] = defaultdict(list)
        self.country_by_name: dict[str, str] = {}
        self.country_name: dict[str, str] = {}
        self.country_gid: dict[str, str] = {}
        self.country_point: dict[str, tuple[float, float]] = {}
        self._fuzzy: dict[tuple[str, str, int], dict[str, list[int]]] = {}
        self._fuzzy_groups: dict[str, dict[tuple[str, int], list[tuple[str, int]]]] = {}
        self._buckets: dict[tuple[int, int], list[int]] | None = None
        self.entry_nkeys: list[tuple[str, ...]] = []
        self.learned: dict[str, int] = {}
        self._fuzzy_memo: dict[tuple[str, str], list[int]] = {}
        self.by_cc: dict[str, list[int]] = defaultdict(list)
        self.loaded_shards: set[str] = set()
        self.shard_keys: dict[str, tuple[dict[str, ShardIds], dict[str, ShardIds], dict[str, ShardIds]]] = {}
        self.pending_aliases: dict[str, str] = {}
        self._units_memo: dict[tuple[frozenset[str], str], frozenset[str]] = {}
        self._admin1_memo: dict[str, frozenset[str]] = {}
        self._gid_index: dict[str, int] | None = None
        self._skeletons: dict[str, dict[str, list[int]]] = {}
        self._manifest: dict[str, dict[str, object]] | None = None
        path = asset_path("gazetteer.tsv.gz")
        self._add_rows(read_table(path), path, None)
        self.n_core = len(self.entries)
        for alias, cc in COUNTRY_ALIASES.items():
            self.country_by_name[alias] = cc

    def _add_rows(self, rows: Iterable[list[str]], path: Path, shard: str | None) -> None:
        """Table rows into the index, in file order. A shard's names go into that country's own key dicts,
        consulted only when a document's focus country is that country: what a name resolves to never depends on
        which shards earlier documents happened to load. Shard key dicts are compact (``ShardIds``: one index,
        a list only for a key several places share); repeated strings (country, admin-1/2, kind, precision, parent,
        source, name keys) are stored once per table; the garbage collector is paused while rows are added (they
        make no reference cycles, and collecting while the heap grows cost most of a load). A row that does not
        parse is an error naming the file and line."""
        if shard is None:
            exact: dict[str, Any] = self.exact
            alt: dict[str, Any] = self.alt
            norm: dict[str, Any] = self.norm
            put: Callable[[dict[str, Any], str, int], None] = _put_list
        else:
            exact, alt, norm = self.shard_keys.setdefault(shard, ({}, {}, {}))
            put = _put_compact
        entries, entry_nkeys, by_cc = self.entries, self.entry_nkeys, self.by_cc
        new_entry, add_entry, add_nkeys = Entry, entries.append, entry_nkeys.append
        memo: dict[str, str] = {}
        one = memo.setdefault  # one string object per distinct value in this table
        n = 1
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            for n, parts in enumerate(rows, 2):  # noqa: B007  (n names the line in errors)
                (gid, name, _alts, lat, lon, cc, admin1, admin2, pop, kind, precision, parent, source, fkeys,
                 nkeys) = parts
                if kind == "country":
                    self.country_by_name[fold(name)] = cc
                    self.country_name[cc] = name
                    self.country_gid[cc] = gid
                    if lat and lon:
                        self.country_point[cc] = (float(lat), float(lon))
                    continue
                if kind == "alias":  # extra names (Arabic script, variants) of a place the core table holds
                    if self._gid_index is None:
                        self._gid_index = {e.gid: i for i, e in enumerate(entries)}
                    j = self._gid_index.get(gid)
                    if j is None:
                        continue
                    for k in fkeys.split("|") if fkeys else ():
                        put(alt, k, j)
                    extra = tuple(k for k in (nkeys.split("|") if nkeys else ()) if k not in entry_nkeys[j])
                    for k in extra:
                        put(norm, k, j)
                    entry_nkeys[j] = entry_nkeys[j] + extra
                    continue
                i = len(entries)
                cc = one(cc, cc)
                add_entry(new_entry(
                    gid, name, float(lat) if lat else None, float(lon) if lon else None, cc, one(admin1, admin1),
                    one(admin2, admin2), int(pop) if pop else 0, one(kind, kind), one(precision, precision),
                    one(parent, parent), source == "hand_entered", one(source, source),
                ))
                if self._gid_index is not None:
                    self._gid_index[gid] = i
                k = fold(name)
                put(exact, one(k, k), i)
                if fkeys:
                    for k in fkeys.split("|"):
                        put(alt, one(k, k), i)
                if nkeys:
                    keys = tuple([one(k, k) for k in nkeys.split("|")])
                    for k in keys:
                        put(norm, k, i)
                else:
                    keys = ()
                add_nkeys(keys)
                by_cc[cc].append(i)
        except ValueError as exc:
            raise AssetError(f"line {n}: {exc}", str(path)) from None
        finally:
            if gc_was_on:
                gc.enable()

    def manifest(self) -> dict[str, dict[str, object]]:
        """The shard manifest (country -> file, rows, sha256); empty when no shards ship."""
        if self._manifest is None:
            path = asset_path(SHARD_DIR) / "manifest.json"
            if not path.is_file():
                self._manifest = {}
            else:
                try:
                    self._manifest = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise AssetError(f"shard manifest unreadable ({exc})", str(path)) from None
        return self._manifest

    def ensure_country(self, cc: str | None) -> bool:
        """Load country ``cc``'s shard (villages, districts, small towns) on first use: checksum checked, rows
        appended to the in-memory index, the country's fuzzy and skeleton indexes rebuilt when next needed.
        Returns whether a shard was loaded now."""
        if not cc or cc in self.loaded_shards:
            return False
        self.loaded_shards.add(cc)
        info = self.manifest().get(cc)
        if info is None:
            return False
        path = asset_path(SHARD_DIR) / str(info["file"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise AssetError("gazetteer shard missing (listed in manifest.json)", str(path)) from None
        if hashlib.sha256(data).hexdigest() != info.get("sha256"):
            raise AssetError("gazetteer shard corrupt: checksum differs from manifest.json", str(path))
        self._add_rows(read_table(path, data), path, cc)
        self._fuzzy_groups.pop(cc, None)
        for key in [k for k in self._fuzzy if k[0] == cc]:
            del self._fuzzy[key]
        self._fuzzy_memo.clear()
        self._skeletons.pop(cc, None)
        self._buckets = None
        if self.pending_aliases:
            self._bind_pending()
        return True

    def _skeleton_lookup(self, key: str, cc: str) -> list[int]:
        idx = self._skeletons.get(cc)
        if idx is None:
            idx = defaultdict(list)
            for i in self.by_cc.get(cc, ()):
                for k in {skeleton(k) for k in self.entry_nkeys[i]}:
                    idx[k].append(i)
            self._skeletons[cc] = idx
        return idx.get(skeleton(key), [])

    def country_of(self, text: str) -> str | None:
        """ISO code when ``text`` names a country (or a demonym such as 'Syrian')."""
        key = fold(text)
        return self.country_by_name.get(key) or DEMONYMS.get(key)

    def country_place(self, cc: str) -> Place:
        """A country as a place. Its point (the middle of its places) is for map display and evaluation only:
        events are never coded to a country point (``best_place`` skips kind 'country')."""
        lat, lon = self.country_point.get(cc, (None, None))
        return Place(
            name=self.country_name.get(cc, cc), latitude=lat, longitude=lon, country=cc, admin1=None,
            precision=GeoPrecision.PROVINCE, gazetteer_id=self.country_gid.get(cc, f"country:{cc}"), tier=MatchTier.EXACT,
            confidence=1.0, kind="country",
        )

    def candidates(self, name: str, focus_cc: str | None) -> list[tuple[int, MatchTier]]:
        """Candidate entries of ``name`` and the tier each matched by. The focus country's shard (villages,
        districts) is consulted, and loaded on first need, only when the core table has no place of that name in
        the focus country: a name the core answers there never loads a shard, and the answer for a name never
        depends on which shards are loaded."""
        key = fold(name)
        key_nothe = re.sub(r"^the ", "", key)
        seen: dict[int, MatchTier] = {}
        nkey = normalise(key_nothe)
        tiers = (
            (MatchTier.EXACT, self.exact, key_nothe, 0),
            (MatchTier.ALTERNATE, self.alt, key_nothe, 1),
            (MatchTier.NORMALISED, self.norm, nkey, 2),
        )
        for tier, index, k, _j in tiers:
            for i in index.get(k, ()):
                seen.setdefault(i, tier)
        if focus_cc and not any(self.entries[i].cc == focus_cc for i in seen):
            self.ensure_country(focus_cc)
            sk = self.shard_keys.get(focus_cc)
            if sk is not None:
                for tier, _index, k, j in tiers:
                    for i in _ids(sk[j].get(k)):
                        seen.setdefault(i, tier)
        prominent = any(self.entries[i].pop >= 50_000 or self.entries[i].kind == "admin1" for i in seen)
        if focus_cc and len(key_nothe) >= 5 and not prominent and not any(self.entries[i].cc == focus_cc for i in seen):
            # nothing of that spelling in the focus country: one edit, then the consonant skeleton, there only
            for i in self._fuzzy_lookup(nkey, focus_cc):
                seen.setdefault(i, MatchTier.FUZZY)
            if not any(self.entries[i].cc == focus_cc for i in seen) and len(skeleton(nkey)) >= 4:
                for i in self._skeleton_lookup(nkey, focus_cc):
                    seen.setdefault(i, MatchTier.SKELETON)
        return list(seen.items())

    def _fuzzy_lookup(self, key: str, cc: str) -> list[int]:
        """Entries of country ``cc`` one edit from ``key`` (a deletion of one equals a deletion of the other, or
        ``key`` less a plural s is a deletion of the entry's key).

        Built lazily and exactly, without indexing a whole country at once. Keys one edit apart differ in length
        by at most one, so only entry keys of nearby lengths are indexed. When neither edit touches the first
        letter, both keys start with the same letter: the deletion index of the entries starting with ``key[0]``
        answers; an edit at the query's first letter is looked up among entries starting with ``key[1]``, one
        at the entry's first letter in a dict of entry keys less their first letter."""
        if not key:
            return []
        memo = self._fuzzy_memo.get((key, cc))
        if memo is not None:
            return memo
        probes = _deletes(key) | ({key[:-1]} if key.endswith("s") else set())
        out: set[int] = set()
        for d in probes:  # entry keys with d among their deletions are len(d) or len(d) + 1 long
            for n in (len(d), len(d) + 1):
                out.update(self._fuzzy_bucket(cc, key[0], n).get(d, ()))
                out.update(self._fuzzy_tails(cc, n).get(d, ()))  # entry less its first letter == d
        if len(key) > 1:
            for n in (len(key) - 1, len(key)):
                out.update(self._fuzzy_bucket(cc, key[1], n).get(key[1:], ()))
        res = sorted(out)
        if len(self._fuzzy_memo) > 50_000:
            self._fuzzy_memo.clear()
        self._fuzzy_memo[(key, cc)] = res
        return res

    def _fuzzy_bucket(self, cc: str, first: str, length: int) -> dict[str, list[int]]:
        """Every ``length``-letter key of ``cc``'s entries that starts with ``first``, and its one-letter deletions."""
        idx = self._fuzzy.get((cc, first, length))
        if idx is None:
            idx = {}
            get = idx.get
            for k, i in self._fuzzy_keys(cc).get((first, length), ()):
                for j in range(len(k) + 1):
                    d = k[:j] + k[j + 1 :]
                    lst = get(d)
                    if lst is None:
                        idx[d] = [i]
                    elif lst[-1] != i:
                        lst.append(i)
            self._fuzzy[(cc, first, length)] = idx
        return idx

    def _fuzzy_tails(self, cc: str, length: int) -> dict[str, list[int]]:
        """``cc``'s ``length``-letter entry keys less their first letter."""
        idx = self._fuzzy.get((cc, "", length))
        if idx is None:
            idx = {}
            for (_first, n), pairs in self._fuzzy_keys(cc).items():
                if n != length:
                    continue
                for k, i in pairs:
                    idx.setdefault(k[1:], []).append(i)
            self._fuzzy[(cc, "", length)] = idx
        return idx

    def _fuzzy_keys(self, cc: str) -> dict[tuple[str, int], list[tuple[str, int]]]:
        """``cc``'s normalised keys (name and alternates) grouped by first letter and length, in entry order."""
        groups = self._fuzzy_groups.get(cc)
        if groups is None:
            groups = {}
            n_core = self.n_core
            for i in self.by_cc.get(cc, ()):
                if i >= n_core:
                    break  # shard villages are reached by key and skeleton, not one-edit (memory, and load order)
                for k in self.entry_nkeys[i]:
                    groups.setdefault((k[:1], len(k)), []).append((k, i))
            self._fuzzy_groups[cc] = groups
        return groups

    def rank(
        self,
        name: str,
        focus_cc: str | None = None,
        context_names: frozenset[str] = frozenset(),
        anchors: tuple[tuple[float, float], ...] = (),
    ) -> tuple[list[Candidate], str | None]:
        """Every candidate place of ``name`` with its features and ranker score, best first, and the designator
        read from the name ("admin1", "near", "town" or None)."""
        cands = self.candidates(name, focus_cc)
        designator: str | None = None
        core, d = split_designator(name)
        if d is not None and core != name:
            core_cands = self.candidates(core, focus_cc)
            if core_cands:
                designator = d
                # the full name may itself be a place ("Kandahar Province" as an alias): keep both
                cands = list({i: t for i, t in [*core_cands, *cands]}.items())
        if not cands:
            return [], designator
        only_admin = all(self.entries[i].kind == "admin1" for i, _t in cands)
        # a bare name prefers the town over a unit named after it (Idlib city over Idlib governorate)
        strong = (MatchTier.EXACT, MatchTier.ALTERNATE, MatchTier.NORMALISED)
        namesakes = {
            (self.entries[i].cc, fold(self.entries[i].admin1)) for i, t in cands
            if self.entries[i].kind == "town" and t in strong
            and (self.entries[i].pop >= 50_000 or fold(self.entries[i].admin1) == fold(core))
        }
        town_named = {self.entries[i].cc for i, t in cands if self.entries[i].kind == "town" and t in strong}
        if only_admin and designator is None:
            designator = "admin1"  # "Helmand" names no town: it is the province
        ranker = geo_ranker()
        text_units = self._text_units(context_names, focus_cc)
        out: list[Candidate] = []
        for i, tier in cands:
            e = self.entries[i]
            f: dict[str, float] = {f"tier_{tier.value}": 1.0}
            lp = min(math.log10(e.pop + 1) / 7.0, 1.0)
            f["log_pop_unit" if e.kind in ("admin1", *UNIT_KINDS) else "log_pop"] = lp
            if focus_cc:
                if e.cc == focus_cc:
                    f["in_focus"] = 1.0
                else:
                    f["out_focus_exact" if tier == MatchTier.EXACT else "out_focus_other"] = 1.0
            if e.curated:
                f["curated"] = 1.0
            if e.kind == "admin1":
                if designator == "admin1":
                    f["admin1_designated"] = 1.0
                elif (e.cc, fold(e.admin1)) in namesakes:
                    f["admin1_town_namesake"] = 1.0
            elif e.kind in UNIT_KINDS:
                # "Nad Ali district": ACLED codes a district at its centre town when there is one (near, precision
                # 2), at the unit only where no town carries the name
                if e.cc in town_named:
                    f["district_town_namesake"] = 1.0
                elif designator == "near" and DISTRICT_WORD.search(name):
                    f["district_designated"] = 1.0
                if designator == "admin1":
                    f["town_admin1_designator"] = 1.0
            elif designator == "admin1":
                f["town_admin1_designator"] = 1.0
            if e.source == "wof" and e.pop == 0:
                f["village_no_pop"] = 1.0
            if (e.parent and fold(e.parent) in context_names) or (e.admin1 and fold(e.admin1) in context_names) or (
                e.admin1 and normalise(e.admin1) in text_units
            ):
                f["parent_in_text"] = 1.0
            elif text_units and e.cc == focus_cc and e.kind != "admin1" and tier not in (MatchTier.EXACT, MatchTier.ALTERNATE):
                # the text names the focus country's provinces, and a spelling-level match lies in another one
                f["other_admin1_in_text"] = 1.0
            if anchors and e.lat is not None and e.lon is not None:
                near = min(distance_km(e.lat, e.lon, a, b) for a, b in anchors)
                f["anchor_near"] = max(0.0, 1.0 - near / ANCHOR_KM)
                if near > 1000:
                    f["anchor_far"] = 1.0
            out.append(Candidate(i, e, tier, f, ranker.score(f)))
        out.sort(key=lambda c: (-c.score, c.index))
        return out, designator

    def _admin1_keys(self, cc: str) -> frozenset[str]:
        """Normalised admin-1 names of a country ("kandahar", "idlib", "rifdimask")."""
        keys = self._admin1_memo.get(cc)
        if keys is None:
            keys = frozenset(normalise(self.entries[i].admin1) for i in self.by_cc.get(cc, ())
                             if self.entries[i].kind == "admin1" and self.entries[i].admin1)
            self._admin1_memo[cc] = keys
        return keys

    def _text_units(self, context_names: frozenset[str], cc: str | None) -> frozenset[str]:
        """Normalised admin-1 names of the focus country that the document names ("Idleb", "Rural Damascus",
        "Deir ez Zor governorate"), read through the admin-1 entries' names and aliases."""
        if not context_names or not cc:
            return frozenset()
        memo = self._units_memo.get((context_names, cc))
        if memo is not None:
            return memo
        out: set[str] = set()
        units = self._admin1_keys(cc)
        for t in context_names:
            core = fold(split_designator(t)[0])
            if normalise(core) in units:
                out.add(normalise(core))
                continue
            for i in (*self.exact.get(core, ()), *self.alt.get(core, ()), *self.norm.get(normalise(core), ())):
                e = self.entries[i]
                if e.kind == "admin1" and e.cc == cc and e.admin1:
                    out.add(normalise(e.admin1))
        res = frozenset(out)
        if len(self._units_memo) > 10_000:
            self._units_memo.clear()
        self._units_memo[(context_names, cc)] = res
        return res

    def resolve(
        self,
        name: str,
        focus_cc: str | None = None,
        context_names: frozenset[str] = frozenset(),
        anchors: tuple[tuple[float, float], ...] = (),
    ) -> Place | None:
        if fold(name) in self.country_by_name:
            return self.country_place(self.country_by_name[fold(name)])
        if fold(name) in DEMONYMS:  # "Turkish", "Syrian": the country, as geoparsing gold codes them
            return self.country_place(DEMONYMS[fold(name)])
        if ABBREVIATION.fullmatch(name.strip()):
            return None  # "IS", "HTS", "QSD", "YPG": group abbreviations, not places (countries were read above)
        if fold(name) in self.learned:
            e = self.entries[self.learned[fold(name)]]
            return _place(e, PRECISION.get(e.precision, GeoPrecision.TOWN), MatchTier.ALTERNATE, 1.0)
        ranked, designator = self.rank(name, focus_cc, context_names, anchors)
        if not ranked:
            return None
        best = ranked[0]
        conf = geo_ranker().confidence(best.score)
        if len(ranked) == 1 and best.tier in (MatchTier.EXACT, MatchTier.ALTERNATE) and (
            not focus_cc or best.entry.cc == focus_cc
        ):
            conf = max(conf, 0.5)  # the only place of that name (GeoNames lacks many populations)
        if conf < geo_ranker().abstain:
            return None
        e = best.entry
        precision = PRECISION.get(e.precision, GeoPrecision.TOWN)
        if designator == "near" and precision == GeoPrecision.TOWN:
            precision = GeoPrecision.REGION
        return _place(e, precision, best.tier, round(conf, 3))

    def add_alias(self, alias: str, place_name: str) -> bool:
        """Teach the gazetteer that ``alias`` names the place called ``place_name`` (an analyst's location
        correction); the best-known place of that name is taken. A name found in no table loaded yet (a village
        of a country shard) is kept pending and bound when a document of that country loads its shard.
        Returns False when no loaded table has the place now."""
        key = fold(alias)
        target = fold(place_name)
        ids: Sequence[int] = self.exact.get(target) or self.alt.get(target) or []
        for ex, al, _n in ([] if ids else self.shard_keys.values()):
            ids = _ids(ex.get(target)) or _ids(al.get(target))
            if ids:
                break
        if not ids:
            self.pending_aliases[key] = place_name
            return False
        best = max(ids, key=lambda i: (self.entries[i].curated, self.entries[i].pop))
        if best not in self.alt[key]:
            self.alt[key].insert(0, best)
        self.learned[key] = best
        self.pending_aliases.pop(key, None)
        return True

    def _bind_pending(self) -> None:
        for alias, target in list(self.pending_aliases.items()):
            self.add_alias(alias, target)

    def country_at(self, lat: float, lon: float) -> str | None:
        """Country of the nearest gazetteer place to a point (within about 100 km), by 1-degree buckets."""
        if self._buckets is None:
            self._buckets = defaultdict(list)
            for i, e in enumerate(self.entries[: self.n_core]):  # the core table: the same answer whatever is loaded
                if e.lat is not None and e.lon is not None and e.kind == "town":
                    self._buckets[(int(math.floor(e.lat)), int(math.floor(e.lon)))].append(i)
        best: tuple[float, str] | None = None
        bi, bj = int(math.floor(lat)), int(math.floor(lon))
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for i in self._buckets.get((bi + di, bj + dj), ()):
                    e = self.entries[i]
                    assert e.lat is not None and e.lon is not None
                    d = distance_km(lat, lon, e.lat, e.lon)
                    if d <= 100 and (best is None or d < best[0]):
                        best = (d, e.cc)
        return best[1] if best else None

    def is_ambiguous(self, name: str) -> bool:
        """More than one candidate place for ``name`` (before any focus country)."""
        core, _d = split_designator(name)
        return len({self.entries[i].gid for i, _t in self.candidates(core, None)}) > 1

    def region_names(self) -> list[str]:
        """Names and aliases of curated entries (regions, camps, neighbourhoods) for the entity ruler."""
        out: list[str] = []
        for k, ids in self.alt.items():
            if any(self.entries[i].curated for i in ids):
                out.append(k)
        out.extend(fold(e.name) for e in self.entries if e.curated)
        return sorted(set(out))


@dataclass(slots=True)
class Candidate:
    """One candidate place of a toponym: the entry, how its name matched, the ranker's features and score."""

    index: int
    entry: Entry
    tier: MatchTier
    features: dict[str, float]
    score: float


# the hand-set weights the learned ranker started from (and the fallback when no weights file ships)
HAND_WEIGHTS: dict[str, float] = {
    "tier_exact": 1.0, "tier_alternate": 0.8, "tier_normalised": 0.7, "tier_fuzzy": 0.5, "tier_skeleton": 0.35,
    "log_pop": 0.6, "log_pop_unit": 0.3, "in_focus": 0.8, "out_focus_exact": -0.4, "out_focus_other": -0.7,
    "curated": 0.3, "admin1_designated": 0.9, "admin1_town_namesake": -0.5, "district_designated": 0.6,
    "district_town_namesake": -0.5, "town_admin1_designator": -0.3, "village_no_pop": 0.0, "parent_in_text": 0.4,
    "anchor_near": 0.5, "anchor_far": -0.3, "other_admin1_in_text": -0.6,
}
FEATURES = tuple(HAND_WEIGHTS)


@dataclass(slots=True)
class Ranker:
    """A linear candidate ranker: score = sum of weight x feature; confidence = logistic(a * score + b)."""

    weights: dict[str, float]
    a: float = 2.5
    b: float = -2.5
    abstain: float = ABSTAIN
    meta: dict[str, object] = field(default_factory=dict)

    def score(self, f: dict[str, float]) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in f.items())

    def confidence(self, score: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.a * score + self.b)))


RANKER_FILE = "geo_ranker.json"


@lru_cache(maxsize=1)
def geo_ranker() -> Ranker:
    """The shipped learned ranker (``assets/geo_ranker.json``, built by tools/train_geo_ranker.py); the hand
    weights when none ships. A file that is there but unreadable is an error naming it."""
    path = asset_path(RANKER_FILE)
    if not path.is_file():
        return Ranker(dict(HAND_WEIGHTS), a=1.0 / 0.625, b=-2.0, meta={"source": "hand weights"})
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(d["weights"][k]) for k in d["weights"]}
        return Ranker(weights, float(d["a"]), float(d["b"]), float(d["abstain"]), d.get("meta", {}))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AssetError(f"ranker weights unreadable ({type(exc).__name__}: {exc})", str(path)) from None


def _place(e: Entry, precision: GeoPrecision, tier: MatchTier, confidence: float) -> Place:
    return Place(
        name=e.name, latitude=e.lat, longitude=e.lon, country=e.cc, admin1=e.admin1 or None, precision=precision,
        gazetteer_id=e.gid, tier=tier, confidence=confidence, kind=e.kind, admin2=e.admin2 or None,
    )


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))} | {key}


DEMONYMS = {
    "french": "FR", "german": "DE", "british": "GB", "english": "GB", "spanish": "ES", "italian": "IT", "chinese": "CN",
    "japanese": "JP", "indian": "IN", "canadian": "CA", "mexican": "MX", "cuban": "CU", "jordanian": "JO",
    "egyptian": "EG", "kuwaiti": "KW", "qatari": "QA", "emirati": "AE", "bahraini": "BH", "omani": "OM",
    "tunisian": "TN", "algerian": "DZ", "moroccan": "MA", "kenyan": "KE", "ugandan": "UG", "tanzanian": "TZ",
    "cameroonian": "CM", "chadian": "TD", "mozambican": "MZ", "congolese": "CD", "rwandan": "RW", "burundian": "BI",
    "eritrean": "ER", "djiboutian": "DJ", "bangladeshi": "BD", "sri lankan": "LK", "nepalese": "NP", "thai": "TH",
    "filipino": "PH", "indonesian": "ID", "malaysian": "MY", "vietnamese": "VN", "korean": "KR", "north korean": "KP",
    "south korean": "KR", "australian": "AU", "brazilian": "BR", "colombian": "CO", "venezuelan": "VE",
    "argentine": "AR", "argentinian": "AR", "chilean": "CL", "peruvian": "PE", "haitian": "HT", "polish": "PL",
    "dutch": "NL", "belgian": "BE", "swiss": "CH", "austrian": "AT", "swedish": "SE", "norwegian": "NO",
    "danish": "DK", "finnish": "FI", "greek": "GR", "armenian": "AM", "azerbaijani": "AZ", "georgian": "GE",
    "belarusian": "BY", "kazakh": "KZ", "uzbek": "UZ", "tajik": "TJ", "kyrgyz": "KG", "turkmen": "TM",
    "ivorian": "CI", "senegalese": "SN", "ghanaian": "GH", "liberian": "LR", "sierra leonean": "SL",
    "guinean": "GN", "mauritanian": "MR", "zimbabwean": "ZW", "zambian": "ZM", "south african": "ZA",
    "irish": "IE", "portuguese": "PT", "hungarian": "HU", "romanian": "RO", "bulgarian": "BG", "serbian": "RS",
    "croatian": "HR", "bosnian": "BA", "albanian": "AL", "nicaraguan": "NI", "honduran": "HN", "guatemalan": "GT",
    "salvadoran": "SV",
    "syrian": "SY", "iraqi": "IQ", "yemeni": "YE", "afghan": "AF", "somali": "SO", "nigerian": "NG", "malian": "ML",
    "libyan": "LY", "sudanese": "SD", "south sudanese": "SS", "ukrainian": "UA", "russian": "RU",
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
    "uae": "AE", "u a e": "AE", "dprk": "KP", "north korea": "KP", "south korea": "KR", "car": "CF", "ivory coast": "CI",
    "holy see": "VA", "vatican": "VA", "czechia": "CZ", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "u k": "GB",
}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
