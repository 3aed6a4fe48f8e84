"""Cross-article deduplication: events that report the same real-world event become one ``EventCluster``.

A wrong merge is worse than a missed one (users read source counts as corroboration), so a cluster is built by
**complete linkage**: two clusters merge only when *every* pair of their members is compatible and scores at
least ``THRESHOLD``; nothing chains. Pairs are scored only inside blocks (same country; day/week-precise events
within ``MAX_DAYS`` of each other; month-precise events in the same month), so the work grows with the events of
a block, not with the square of the database.

Pair rule (``same_event``, 0 when a hard rule says no):

* dates: an event without a date, or whose date was inferred (no publication date, a window guessed from the
  text) never merges on its date; day-precise pairs at most 1 day apart, a week-precise one within ``WEEK_DAYS``,
  month-precise events only with month-precise events of the same month;
* places: within ``TOWN_KM`` when both are towns (and the same named town unless within ``SAME_PLACE_KM``: a
  strike on the next village is another event), within ``NEAR_KM`` when either is coded near a place or a
  district, the same admin-1 when either is a province; an event with no place never merges;
* type: the same sub-event type, except within Battles (a clash and the capture it ends in are one event);
* actors: named actors must overlap (an unidentified group or no actor is compatible with anyone);
* text: the evidence sentences' word overlap (Jaccard) adds to the score; a pair must reach ``THRESHOLD``.

Analyst decisions are constraints: a ``merge`` review is a must-link (applied first, it overrides the rules), a
``split`` review a cannot-link, a ``reject`` removes the event. Candidate merges are taken in a fixed order
(score, then ids), so the result depends only on the set of events and reviews: running twice, or adding
articles in another order, gives the same clusters (property-tested). A cluster's id is the hash of its smallest
event id.

Corroboration: a cluster's ``source_count`` counts distinct **outlets** (the article's outlet field, else its
URL's domain, else its file), not articles. Fatalities across outlets: each outlet's latest report (by
publication date) supersedes its earlier ones (a revised toll); across outlets, low is the smallest report, best
the median, high the largest - never their sum.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from warlog.data import content_hash
from warlog.resolve.geocode import distance_km

MAX_DAYS = 3  # day- or week-precise events further apart than this never merge
WEEK_DAYS = 3  # a week-precise date is the middle of the week it names
TOWN_KM = 25.0
SAME_PLACE_KM = 5.0  # two town-precise events at differently named places further apart are two events
NEAR_KM = 50.0
THRESHOLD = 0.6
GENERIC_ACTORS = ("Unidentified Armed Group", "Civilians", "Protesters", "Rioters")
WORD = re.compile(r"[a-z]{3,}")
STOP = {"the", "and", "said", "was", "were", "has", "have", "had", "that", "with", "from", "for", "this", "which",
        "are", "its", "their", "his", "her", "they", "after", "also", "been", "who", "on", "in", "at"}


@dataclass(slots=True)
class EventRecord:
    """The fields of a stored event that clustering reads."""

    event_id: str
    article_id: str
    source: str
    event_date: dt.date | None
    date_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    civilian_fatalities: int | None
    text: str = ""
    words: frozenset[str] = field(default_factory=frozenset)
    date_source: str = "explicit"  # DateSource value; "inferred" and "unknown" dates never merge
    outlet: str | None = None  # who published the article (None: the article's source stands for it)
    pub_date: dt.date | None = None  # when the article was published (orders revised tolls of one outlet)

    @property
    def outlet_key(self) -> str:
        return (self.outlet or self.source or self.article_id).casefold()


def _km(a: EventRecord, b: EventRecord) -> float:
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _actors(e: EventRecord) -> set[str]:
    return {a for a in (e.actor1, e.actor2) if a and not a.startswith(GENERIC_ACTORS)}


UNDATED = ("inferred", "unknown")


def dates_compatible(a: EventRecord, b: EventRecord) -> int | None:
    """Days between two events when their dates allow them to be one event, else None."""
    if a.event_date is None or b.event_date is None or a.date_source in UNDATED or b.date_source in UNDATED:
        return None
    days = abs((a.event_date - b.event_date).days)
    pa, pb = a.date_precision or 3, b.date_precision or 3
    if pa >= 3 or pb >= 3:  # a month says only the month: it matches only a month, the same one
        same_month = (a.event_date.year, a.event_date.month) == (b.event_date.year, b.event_date.month)
        return days if pa >= 3 and pb >= 3 and same_month else None
    limit = 1 if pa == 1 and pb == 1 else WEEK_DAYS
    return days if days <= limit else None


def same_event(a: EventRecord, b: EventRecord) -> float:
    """Score in [0, 1] that two events are one; 0 when a hard rule says no."""
    if a.article_id == b.article_id:
        return 0.0  # one article's events were already merged by the aggregate stage
    if a.country != b.country:
        return 0.0
    days = dates_compatible(a, b)
    if days is None:
        return 0.0
    if a.latitude is None or b.latitude is None:
        return 0.0
    if a.event_type != b.event_type:
        return 0.0
    if a.sub_event_type != b.sub_event_type and a.event_type != "Battles":
        return 0.0  # a peaceful protest and a shooting of protesters, an air strike and shelling: two events
    gp = max(a.geo_precision or 1, b.geo_precision or 1)
    if gp >= 3:
        if not a.admin1 or a.admin1 != b.admin1:
            return 0.0
        place = 0.5
    else:
        d = _km(a, b)
        limit = TOWN_KM if gp == 1 else NEAR_KM
        if d > limit:
            return 0.0
        if gp == 1 and d > SAME_PLACE_KM and (a.location or "").casefold() != (b.location or "").casefold():
            return 0.0  # two named towns are two events (ACLED splits by location), however close
        place = 1.0 - 0.5 * d / limit
    aa, ab = _actors(a), _actors(b)
    if aa and ab and not (aa & ab):
        return 0.0
    actor = 1.0 if aa and ab else 0.6
    union = a.words | b.words
    text = len(a.words & b.words) / len(union) if union else 0.0
    date = 1.0 if days == 0 else 0.7 if days == 1 else 0.4
    sub = 1.0 if a.sub_event_type == b.sub_event_type else 0.6
    return round(0.3 * place + 0.2 * date + 0.15 * actor + 0.15 * sub + 0.2 * min(1.0, 2 * text), 4)


def _blocks(events: list[EventRecord]) -> Iterable[tuple[EventRecord, EventRecord]]:
    """Candidate pairs (smaller id first): same country, and day/week-precise dates within ``MAX_DAYS`` or
    month-precise dates in the same month. Undated and inferred-date events take part in no pair."""
    by_day: dict[tuple[str | None, int], list[EventRecord]] = defaultdict(list)
    by_month: dict[tuple[str | None, int, int], list[EventRecord]] = defaultdict(list)
    for e in events:
        if e.event_date is None or e.date_source in UNDATED:
            continue
        if (e.date_precision or 3) >= 3:
            by_month[(e.country, e.event_date.year, e.event_date.month)].append(e)
        else:
            by_day[(e.country, e.event_date.toordinal())].append(e)
    for (cc, day), es in by_day.items():
        for other_day in range(day, day + MAX_DAYS + 1):
            others = by_day.get((cc, other_day), [])
            for a in es:
                for b in others:
                    if other_day == day and b.event_id <= a.event_id:
                        continue
                    yield (a, b) if a.event_id < b.event_id else (b, a)
    for es in by_month.values():
        for i, a in enumerate(es):
            for b in es[i + 1 :]:
                yield (a, b) if a.event_id < b.event_id else (b, a)


@dataclass(slots=True)
class ClusterResult:
    members: dict[str, str]  # event_id -> cluster_id
    scores: dict[str, float]
    clusters: dict[str, list[str]]


def cluster(
    events: list[EventRecord], must_link: Iterable[tuple[str, str]] = (), cannot_link: Iterable[tuple[str, str]] = ()
) -> ClusterResult:
    """Complete-link clustering: clusters merge, best pair first, only when every cross pair scores at least
    ``THRESHOLD`` and no cannot-link separates them. Must-links are applied first and unconditionally."""
    ids = {e.event_id for e in events}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    members_of: dict[str, set[str]] = {i: {i} for i in ids}
    cannot = {(min(a, b), max(a, b)) for a, b in cannot_link if a in ids and b in ids}
    must = sorted({(min(a, b), max(a, b)) for a, b in must_link if a in ids and b in ids})
    linked = set(must)
    score: dict[tuple[str, str], float] = {}
    for a, b in _blocks(events):
        s = same_event(a, b)
        if s >= THRESHOLD:
            score[(a.event_id, b.event_id)] = s

    def pair_ok(x: str, y: str) -> bool:
        key = (x, y) if x < y else (y, x)
        return key not in cannot and (key in score or key in linked)

    def union(a: str, b: str, check: bool) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        ma, mb = members_of[ra], members_of[rb]
        if any((min(x, y), max(x, y)) in cannot for x in ma for y in mb):
            return False
        if check and not all(pair_ok(x, y) for x in ma for y in mb):
            return False
        keep, gone = (ra, rb) if ra < rb else (rb, ra)
        parent[gone] = keep
        members_of[keep] |= members_of.pop(gone)
        return True

    best: dict[str, float] = defaultdict(float)
    for a_id, b_id in must:
        union(a_id, b_id, check=False)
    for (a_id, b_id), s in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])):
        if union(a_id, b_id, check=True):
            best[a_id] = max(best[a_id], s)
            best[b_id] = max(best[b_id], s)
    clusters: dict[str, list[str]] = defaultdict(list)
    for i in sorted(ids):
        clusters[find(i)].append(i)
    named = {content_hash("cluster|" + min(m)): sorted(m) for m in clusters.values()}
    members = {e: cid for cid, ms in named.items() for e in ms}
    return ClusterResult(members, dict(best), named)


def latest_per_outlet(es: list[EventRecord]) -> list[EventRecord]:
    """Each outlet's latest report of the event (a later article of the same outlet revises its earlier toll)."""
    latest: dict[str, EventRecord] = {}
    for e in sorted(es, key=lambda e: (e.pub_date or dt.date.min, e.event_id)):
        latest[e.outlet_key] = e
    return sorted(latest.values(), key=lambda e: e.event_id)


def merge_fields(es: list[EventRecord]) -> dict[str, Any]:
    dates = sorted(e.event_date for e in es if e.event_date is not None)
    placed = [e for e in es if e.latitude is not None]
    freq = Counter(e.location for e in placed)
    place = min(placed, key=lambda e: (e.geo_precision or 3, -freq[e.location], e.event_id)) if placed else None
    lead = Counter((e.event_type, e.sub_event_type) for e in es).most_common(1)[0][0]
    a1 = Counter(e.actor1 for e in es if e.actor1).most_common(1)
    a2 = Counter(e.actor2 for e in es if e.actor2).most_common(1)
    reports = latest_per_outlet(es)
    bests = [e.fatalities_best for e in reports if e.fatalities_best is not None]
    highs = [e.fatalities_high if e.fatalities_high is not None else e.fatalities_best for e in reports
             if e.fatalities_best is not None]
    civ = [e.civilian_fatalities for e in reports if e.civilian_fatalities is not None]
    return {
        "date_start": dates[0] if dates else None, "date_end": dates[-1] if dates else None,
        "event_type": lead[0], "sub_event_type": lead[1], "actor1": a1[0][0] if a1 else None,
        "actor2": a2[0][0] if a2 else None,
        "location": place.location if place else None, "admin1": place.admin1 if place else None,
        "country": place.country if place else es[0].country, "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None, "geo_precision": place.geo_precision if place else None,
        "fatalities_low": min(bests) if bests else None,
        "fatalities_best": int(statistics.median_low(bests)) if bests else None,
        "fatalities_high": max(h for h in highs if h is not None) if highs else None,
        "civilian_fatalities": int(statistics.median_low(civ)) if civ else None,
        "n_events": len(es), "source_count": len({e.outlet_key for e in es}),
    }


def url_domain(url: str | None) -> str | None:
    """``https://www.example.org/a/b`` -> ``example.org``: the outlet of an article known only by its URL."""
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in WORD.findall(text.lower()) if w not in STOP)


def load_records(store: Any) -> list[EventRecord]:
    from warlog.store.duckdb_store import REPORTABLE_SQL

    rows = store.query(
        "SELECT e.*, coalesce(a.url, a.source_path) AS source, a.outlet, a.url, d.pub_date FROM events e "
        "JOIN articles a USING (article_id) LEFT JOIN docs d USING (article_id) "
        "WHERE e.event_id NOT IN (SELECT event_id FROM rejected_events)"
        f" AND {REPORTABLE_SQL}"
    )
    from warlog.store.review import review_overlay

    overlay = review_overlay(store)
    out = []
    for r in rows:
        r.update(overlay.get(r["event_id"], ({}, ""))[0])
        ev = json.loads(r["evidence"]) if r["evidence"] else []
        text = " ".join(x["text"] for x in ev if x.get("role") == "sentence")
        out.append(EventRecord(
            r["event_id"], r["article_id"], r["source"], r["event_date"], r["date_precision"] or 3, r["event_type"],
            r["sub_event_type"], r["actor1"], r["actor2"], r["location"], r["admin1"], r["country"], r["latitude"],
            r["longitude"], r["geo_precision"], r["fatalities_low"], r["fatalities_best"], r["fatalities_high"],
            r["civilian_fatalities"], text, _words(text), r["date_source"] or "unknown",
            r["outlet"] or url_domain(r["url"]), r["pub_date"],
        ))
    return out


def recluster(store: Any) -> ClusterResult:
    """Cluster every stored event (with the analysts' constraints) and rewrite the cluster tables in one
    transaction."""
    events = load_records(store)
    latest: dict[tuple[str, str], str] = {}  # the latest merge or split of a pair decides
    for r in store.query("SELECT event_id, other_event_id, action FROM active_reviews WHERE action IN ('merge', 'split') "
                         "ORDER BY created_at"):
        a, b = r["event_id"], r["other_event_id"]
        latest[(min(a, b), max(a, b))] = r["action"]
    must = [p for p, act in latest.items() if act == "merge"]
    cannot = [p for p, act in latest.items() if act == "split"]
    res = cluster(events, must, cannot)
    by_id = {e.event_id: e for e in events}
    now = dt.datetime.now()
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.execute("DELETE FROM cluster_members")
        store.con.execute("DELETE FROM clusters")
        for cid, ids in res.clusters.items():
            f = merge_fields([by_id[i] for i in ids])
            cols = ["cluster_id", *f.keys(), "updated_at"]
            store.con.execute(
                f"INSERT INTO clusters ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", [cid, *f.values(), now]
            )
            for i in ids:
                store.con.execute("INSERT INTO cluster_members VALUES (?, ?, ?)", [i, cid, res.scores.get(i, 1.0)])
        store.con.execute("COMMIT")
    except Exception:
        store.con.execute("ROLLBACK")
        raise
    return res
