"""Article-level aggregation: mentions of the same place and time become one event.

Rules (in order):
* background mentions (dated > 30 days before publication, the reporting window) are dropped and counted; so are groups reported
  neither with a date, nor a count, nor in the lead (told in general terms: analysis, statements);
* a mention with no toponym at all takes the article's focus place (``GeoMethod.ARTICLE_FOCUS``);
* no event is lost for want of a place: a mention whose only toponym is a country ("in eastern Syria") takes the
  governorate of the article's focus place in that country (``ARTICLE_ADMIN1``, geo_precision 3), else the
  country (``COUNTRY``); one with no place and no focus place takes the focus country, else none
  (``UNRESOLVED``); each is flagged (``EventFlag``) and counted;
* mentions at the same place (gazetteer id) whose dates are within the article's reporting week merge; a group
  told only at the country level merges into the group at the focus place of the same type and date (within a day);
* the merged event takes the most specific type: a method (air strike, shelling, IED...) beats a generic
  killing; Strategic developments never override violent types;
* actor1 is the most frequent perpetrator, actor2 the civilians when civilians were killed, else the
  opposing armed actor (the most frequent actor2, else another armed actor named with the event);
* fatalities across mentions of one event are not summed: low and best are the maxima, high the maximum
  when every mention gives one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from warlog.data import (
    Actor,
    ActorMethod,
    Claim,
    DatePrecision,
    DateSource,
    Doc,
    Event,
    EventFlag,
    Evidence,
    GeoMethod,
    GeoPrecision,
    Mention,
    Place,
    Quantity,
    Span,
    content_hash,
)
from warlog.extract.claims import find_attributions, is_allegation
from warlog.pipeline.base import Stage
from warlog.resolve.actors import finalise_actor, interaction_code
from warlog.resolve.geocode import DEMONYMS, gazetteer
from warlog.resolve.keys import fold

TYPE_RANK = {
    "Explosions/Remote violence": 5, "Violence against civilians": 4, "Battles": 4, "Riots": 3, "Protests": 2,
    "Strategic developments": 1,
}


def _place_key(p: Place) -> str:
    return p.gazetteer_id or p.name


def best_place(m: Mention, article_counts: Counter[str] | None = None) -> Place | None:
    """The event place of a mention: the most specific place ("near Zurmi" at precision 2 beats "Zamfara
    State" at 3); at equal precision one named as where it happened beats one it was only near; then the place
    the article keeps returning to; then the one nearest the trigger."""
    usable = [(s, p) for s, p in m.places if p.kind not in ("country", "continent") and p.latitude is not None]
    if not usable:
        return None
    counts = article_counts or Counter()
    return min(
        usable,
        key=lambda sp: (
            sp[1].precision, sp[1].kind.startswith("near:"), -counts[_place_key(sp[1])],
            abs(sp[0].start - m.trigger.start), -sp[1].confidence,
        ),
    )[1]


def merge_quantities(qs: Iterable[Quantity]) -> Quantity:
    qs = [q for q in qs if q is not None]
    if not qs:
        return Quantity(None, None, None)
    lows = [q.low for q in qs if q.low is not None]
    bests = [q.best for q in qs if q.best is not None]
    highs = [q.high for q in qs]
    low = max(lows) if lows else None
    best = max(bests) if bests else None
    high = max(h for h in highs if h is not None) if all(h is not None for h in highs) else None
    if high is not None and best is not None and high < best:
        high = best
    return Quantity(low, best, high, approximate=any(q.approximate for q in qs))


Item = tuple[Mention, Place | None, GeoMethod]
MERGE_KM = 60.0


def _group_place(items: list[Item]) -> Place | None:
    """The place of a merged group: the most precise, then the most often named, then the best-attested."""
    placed = [(m, p) for m, p, _g in items if p is not None]
    if not placed:
        return None
    freq = Counter(_place_key(p) for _m, p in placed)
    return min(placed, key=lambda mp: (mp[1].precision, -freq[_place_key(mp[1])], -_weight(mp[0])))[1]


def _group_date(items: list[Item]) -> dt.date | None:
    dated = [m.date for m, _p, _g in items if m.date is not None and m.date_source != DateSource.PUBLICATION]
    dated = dated or [m.date for m, _p, _g in items if m.date is not None]
    return min(dated) if dated else None


def _lead_type(items: list[Item]) -> str:
    return max((m for m, _p, _g in items), key=_weight).event_type


def _close(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None or a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return a is None or b is None
    from warlog.resolve.geocode import distance_km

    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= MERGE_KM


def _merge_nearby(groups: dict[tuple[str, dt.date | None], list[Item]]) -> dict[tuple[str, dt.date | None], list[Item]]:
    """Groups of one article that report one event from two angles ("fighting west of Marib city" ... "the
    clashes in Sirwah district") merge: same event type, dates at most a day apart, places within MERGE_KM."""
    keys = list(groups)
    changed = True
    while changed:
        changed = False
        for i, ka in enumerate(keys):
            for kb in keys[i + 1 :]:
                ga, gb = groups[ka], groups[kb]
                if _lead_type(ga) != _lead_type(gb):
                    continue
                da, db = _group_date(ga), _group_date(gb)
                if da is not None and db is not None and abs((da - db).days) > 1:
                    continue
                if not _close(_group_place(ga), _group_place(gb)):
                    continue
                ga.extend(gb)
                del groups[kb]
                keys.remove(kb)
                changed = True
                break
            if changed:
                break
    return groups


def _merge_coarse(
    groups: dict[tuple[str, dt.date | None], list[Item]], focus: Place | None, same_type: bool = True,
) -> tuple[dict[tuple[str, dt.date | None], list[Item]], int]:
    """A group told only at the country level ("fighting in northern Syria", coded to the governorate of the
    article's focus place) whose date agrees (within a day) with the group at the focus place is that event told in
    vaguer words: it joins it instead of standing as a second, coarser event."""
    if focus is None:
        return groups, 0
    fkey = next((k for k, items in groups.items() if any(p is not None and _place_key(p) == _place_key(focus)
                                                         for _m, p, _g in items)), None)
    if fkey is None:
        return groups, 0
    merged = 0
    for k in list(groups):
        items = groups[k]
        if k == fkey or not all(g == GeoMethod.ARTICLE_ADMIN1 for _m, _p, g in items):
            continue
        target = groups[fkey]
        if same_type and _lead_type(items) != _lead_type(target):
            continue
        da, db = _group_date(items), _group_date(target)
        if da is not None and db is not None and abs((da - db).days) > 1:
            continue
        target.extend(items)
        del groups[k]
        merged += 1
    return groups, merged


def _most_common(actors: list[Actor], weights: list[float] | None = None) -> Actor | None:
    if not actors:
        return None
    votes: dict[str, float] = {}
    for i, a in enumerate(actors):
        votes[a.name] = votes.get(a.name, 0.0) + (weights[i] if weights else 1.0)
    top = max(votes, key=lambda n: (votes[n], -next(i for i, a in enumerate(actors) if a.name == n)))
    return next(a for a in actors if a.name == top)


def _weight(m: Mention) -> float:
    """Evidence weight of a mention: its type's rank and how much it says (actors, place, a count)."""
    return TYPE_RANK.get(m.event_type, 0) * 0.1 + m.confidence + (0.1 if m.fatalities else 0.0)


class AggregateStage(Stage):
    name = "aggregate"
    requires = frozenset({"mentions", "resolved"})
    assigns = frozenset({"events"})

    def process(self, doc: Doc) -> Doc | None:
        live: list[tuple[Mention, Place | None, GeoMethod]] = []
        article_counts: Counter[str] = Counter(
            _place_key(p) for m in doc.mentions if not m.background for _s, p in m.places if p.kind != "country"
        )
        countries: dict[int, str] = {}
        for m in doc.mentions:
            if m.background:
                self.stats.counters["dropped_background"] += 1
                continue
            p = best_place(m, article_counts)
            if p is not None:
                live.append((m, p, GeoMethod.SENTENCE))
            elif any(p.kind == "country" and fold(s.text(doc.clean_text)) not in DEMONYMS for s, p in m.places):
                # "in eastern Syria": too vague for a town; coded coarser below, never dropped
                named = [p.country or "" for s, p in m.places if p.kind == "country" and fold(s.text(doc.clean_text)) not in DEMONYMS]
                fcc = doc.meta.get("focus_country")
                countries[id(m)] = fcc if fcc in named else named[0]
                live.append((m, None, GeoMethod.COUNTRY))
            else:
                live.append((m, None, GeoMethod.ARTICLE_FOCUS))
        placed = Counter(_place_key(p) for _m, p, _g in live if p is not None)
        focus: Place | None = None
        if placed:
            top = placed.most_common(1)[0][0]
            focus = next(p for _m, p, _g in live if p is not None and _place_key(p) == top)
        groups: dict[tuple[str, dt.date | None], list[tuple[Mention, Place | None, GeoMethod]]] = {}
        focus_cc = doc.meta.get("focus_country")
        for m, p, g in live:
            if p is None:
                cc = countries.get(id(m)) or (focus.country if focus is not None else None) or focus_cc
                if g == GeoMethod.COUNTRY and focus is not None and focus.country == cc:
                    p, g = admin1_place(focus), GeoMethod.ARTICLE_ADMIN1
                elif g == GeoMethod.ARTICLE_FOCUS and focus is not None:
                    p = focus
                elif cc:
                    p, g = gazetteer().country_place(cc), GeoMethod.COUNTRY
                else:
                    g = GeoMethod.UNRESOLVED
                self.stats.counters[f"coarse_location_{g.value}"] += g != GeoMethod.ARTICLE_FOCUS
            key = (_place_key(p) if p is not None else "", _week(m.date, doc.pub_date))
            groups.setdefault(key, []).append((m, p, g))
        groups = _merge_nearby(groups)
        groups, n_coarse = _merge_coarse(groups, focus)
        self.stats.counters["merged_coarse_into_focus"] += n_coarse
        groups = self._merge_references(doc, groups)
        cc = doc.meta.get("focus_country")
        claimant = _claimant(doc)
        for (_pk, _wk), items in groups.items():
            if not _reported_as_news(items, doc):
                self.stats.counters["dropped_undated_no_casualties"] += 1
                continue
            ev = self._event(doc, items, cc)
            if claimant is not None and ev.event_type in TYPE_RANK and TYPE_RANK[ev.event_type] >= 4:
                ev.actor1 = finalise_actor(claimant, ev.place.country if ev.place else cc, ev.event_date or doc.pub_date)
                if ev.actor2 is not None and ev.actor1 is not None and ev.actor2.name == ev.actor1.name:
                    ev.actor2 = None
                ev.interaction = interaction_code(ev.actor1.inter if ev.actor1 else 0, ev.actor2.inter if ev.actor2 else 0)
            doc.events.append(ev)
        self._article_claims(doc)
        self.stats.counters["events"] += len(doc.events)
        return doc

    def _merge_references(
        self, doc: Doc, groups: dict[tuple[str, dt.date | None], list[Item]]
    ) -> dict[tuple[str, dt.date | None], list[Item]]:
        """One event per real event: a group told only by reference ("the chemical attack", "the alleged
        strike", "last week's offensive") in sentences about something else (statements from capitals, reactions)
        joins the article's group of the same type that reports the event itself, when their dates agree."""
        keys = list(groups)
        for k in keys:
            items = groups.get(k)
            if not items or not all(_referential(doc, m) for m, _p, _g in items):
                continue
            lead = max((m for m, _p, _g in items), key=_weight)
            d = _group_date(items)
            target = None
            for k2, other in groups.items():
                if k2 == k or all(_referential(doc, m) for m, _p, _g in other):
                    continue
                if not any(m.sub_event_type == lead.sub_event_type for m, _p, _g in other):
                    continue
                d2 = _group_date(other)
                if d is not None and d2 is not None and abs((d - d2).days) > 7:
                    continue
                if target is None or len(other) > len(groups[target]):
                    target = k2
            if target is not None:
                groups[target].extend(items)
                del groups[k]
                self.stats.counters["merged_references"] += 1
        return groups

    def _event(self, doc: Doc, items: list[tuple[Mention, Place | None, GeoMethod]], cc: str | None) -> Event:
        ms = [m for m, _p, _g in items]
        place = _group_place(items)
        methods = {g for _m, p, g in items if p is place or (p is not None and place is not None and _place_key(p) == _place_key(place))}
        geo_method = next((g for g in GEO_ORDER if g in methods), GeoMethod.UNRESOLVED)
        lead = max(ms, key=_weight)
        event_type, sub = lead.event_type, lead.sub_event_type
        civ_killed = any(m.civilian_fatalities for m in ms)
        country = (place.country if place else None) or cc
        a1_ms = [m for m in ms if m.actor1 and m.actor1.inter != 7]
        actor1 = _most_common([m.actor1 for m in a1_ms if m.actor1], [_weight(m) for m in a1_ms])
        a2_pool = [m.actor2 for m in ms if m.actor2 and (actor1 is None or m.actor2.name != actor1.name)]
        armed_pool = [a for a in a2_pool if a.inter != 7] + [
            o for m in ms for o in ([m.actor1] if m.actor1 else []) + m.other_actors
            if o.inter in (1, 2, 3, 4) and (actor1 is None or o.name != actor1.name)
        ]
        if civ_killed or (event_type == "Violence against civilians"):
            actor2 = next((a for a in a2_pool if a.inter == 7), None) or _most_common(a2_pool)
        else:
            actor2 = _most_common(armed_pool) or _most_common(a2_pool)
        dated = sorted(ms, key=lambda m: (m.date is None, m.date_precision, m.date_source == DateSource.PUBLICATION))
        dm = dated[0]
        actor1 = finalise_actor(actor1, country, dm.date or doc.pub_date)
        actor2 = finalise_actor(actor2, country, dm.date or doc.pub_date)
        fat = merge_quantities(m.fatalities for m in ms if m.fatalities is not None)
        civ = merge_quantities(m.fatalities for m in ms if m.fatalities is not None and m.civilian_fatalities)
        evidence: list[Evidence] = []
        aid = doc.doc_id
        for m in ms:
            evidence.append(Evidence(aid, m.sentence.start, m.sentence.end, m.sentence.text(doc.clean_text), "sentence"))
            evidence.append(Evidence(aid, m.trigger.start, m.trigger.end, m.trigger_text, "trigger"))
            if m.fatality_span:
                evidence.append(Evidence(aid, m.fatality_span.start, m.fatality_span.end, m.fatality_span.text(doc.clean_text), "fatalities"))
            for s, p in m.places:
                if place and p.gazetteer_id == place.gazetteer_id:
                    evidence.append(Evidence(aid, s.start, s.end, s.text(doc.clean_text), "place"))
            for role, a in (("actor1", m.actor1), ("actor2", m.actor2)):
                if a and a.span:
                    evidence.append(Evidence(aid, a.span.start, a.span.end, a.span.text(doc.clean_text), role))
            if m.date_span:
                evidence.append(Evidence(aid, m.date_span.start, m.date_span.end, m.date_span.text(doc.clean_text), "date"))
        claims = [c for m in ms for c in m.claims]
        key = f"{aid}|{place.gazetteer_id if place else ''}|{dm.date}|{event_type}"
        inter1 = actor1.inter if actor1 else 0
        inter2 = actor2.inter if actor2 else 0
        return Event(
            event_id=content_hash(key),
            article_id=aid,
            event_date=dm.date,
            date_precision=dm.date_precision if dm.date else DatePrecision.MONTH,
            date_source=dm.date_source,
            event_type=event_type,
            sub_event_type=sub,
            actor1=actor1,
            actor2=actor2,
            place=place,
            geo_method=geo_method,
            fatalities=fat,
            civilian_fatalities=civ.best,
            evidence=evidence,
            claims=claims,
            confidence=round(sum(m.confidence for m in ms) / len(ms) * {GeoMethod.ARTICLE_FOCUS: 0.85, GeoMethod.UNRESOLVED: 0.7}.get(geo_method, 1.0), 3),
            interaction=interaction_code(inter1, inter2),
            source_name=doc.article.url or doc.article.source_path,
            flags=_flags(geo_method, dm.date),
            typing=lead.typing,
        )

    def _article_claims(self, doc: Doc) -> None:
        """Attributed allegations outside event sentences ("Amnesty International has condemned ..."), and the
        cumulative and period tolls of mentions that made no event ("more than 370,000 killed since 2011"): they
        stay with the article's main event as claims with their period, never as its deaths."""
        if not doc.events:
            return
        used = {id(c) for ev in doc.events for c in ev.claims}
        main = max(doc.events, key=lambda e: e.confidence)
        for m in doc.mentions:
            for c in m.claims:
                if c.kind.startswith("cumulative_") and id(c) not in used:
                    main.claims.append(c)
                    used.add(id(c))
        in_mentions = {m.sentence for m in doc.mentions}
        for sent in doc.sentences:
            if sent in in_mentions:
                continue
            text = sent.text(doc.clean_text)
            low = text.lower()
            target = next((e for e in doc.events if e.place and e.place.name.lower() in low), None)
            if target is None and is_allegation(text):
                target = doc.events[0]
            if target is None:
                continue  # about no event of the article: whoever said it, nothing to attach
            atts = find_attributions(text)
            if not atts:
                continue
            for att in atts:
                kind = "allegation" if is_allegation(text) else "statement"
                target.claims.append(Claim(kind, att.source, att.via, text, sent))


LEAD_SENTENCES = 2


GEO_ORDER = (GeoMethod.SENTENCE, GeoMethod.CONTEXT, GeoMethod.ARTICLE_FOCUS, GeoMethod.ARTICLE_ADMIN1, GeoMethod.COUNTRY)


def _flags(geo_method: GeoMethod, date: dt.date | None) -> list[EventFlag]:
    flags = []
    if geo_method in (GeoMethod.ARTICLE_ADMIN1, GeoMethod.COUNTRY):
        flags.append(EventFlag.COARSE_LOCATION)
    elif geo_method == GeoMethod.UNRESOLVED:
        flags.append(EventFlag.UNLOCATED)
    if date is None:
        flags.append(EventFlag.UNDATED)
    return flags


@lru_cache(maxsize=1)
def _admin1_index() -> dict[tuple[str, str], int]:
    gaz = gazetteer()
    return {(e.cc, e.admin1): i for i, e in enumerate(gaz.entries) if e.kind == "admin1" and e.admin1}


def admin1_place(p: Place) -> Place:
    """The governorate (admin-1 unit) a place lies in, at geo_precision 3; the country when it is unknown."""
    gaz = gazetteer()
    i = _admin1_index().get((p.country or "", p.admin1 or ""))
    if i is None:
        return gaz.country_place(p.country) if p.country else p
    e = gaz.entries[i]
    return Place(name=e.name, latitude=e.lat, longitude=e.lon, country=e.cc, admin1=e.admin1 or None,
                 precision=GeoPrecision.PROVINCE, gazetteer_id=e.gid, tier=None, confidence=p.confidence, kind="admin1")


_REFERENCE_BEFORE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|such|an?\s+(?:alleged|suspected|reported|apparent)|"
    r"(?:last|this)\s+(?:week|month)['’]s|\w+day['’]s)\s+(?:(?:alleged|suspected|reported|apparent|latest|recent|"
    r"deadly|chemical|poison|gas|toxic|weapons|nerve|agent|suspected|US-led|western|air|missile|rocket|\w+-led)\s+){0,3}$",
    re.I,
)


def _referential(doc: Doc, m: Mention) -> bool:
    """The trigger names an event by reference ("the chemical weapons attack", "an alleged strike") rather than
    telling it ("warplanes struck", "killed nine")."""
    before = doc.clean_text[max(m.sentence.start, m.trigger.start - 60) : m.trigger.start]
    return bool(_REFERENCE_BEFORE.search(before)) and not m.fatalities


def _reported_as_news(items: list[Item], doc: Doc) -> bool:
    """An article reports an event as news when some mention dates it ("on Tuesday", "20 May"), counts its dead
    or wounded, or leads the article (the headline and first sentence of wire copy: "Islamic State militants
    have recaptured gas fields"), or is an agreement between two named sides. A group with none of these is told in general terms further down (analysis,
    statements, what a force does in general: "Tehran has entrenched its military"), not as an event."""
    lead_end = doc.sentences[min(LEAD_SENTENCES, len(doc.sentences)) - 1].end if doc.sentences else 0
    return any(
        m.date_source not in (DateSource.PUBLICATION, DateSource.UNKNOWN) or m.fatalities is not None
        or m.injuries is not None or m.sentence.start < lead_end
        or (m.sub_event_type == "Agreement" and m.actor1 is not None and m.actor2 is not None)
        for m, _p, _g in items
    )


def _week(d: dt.date | None, pub: dt.date | None) -> dt.date | None:
    """Merge key: mentions dated within the reporting week of the article share one key."""
    if d is None:
        return None
    if pub is not None and 0 <= (pub - d).days <= 7:
        return pub
    return d


_CLAIMED = re.compile(r"\s+(?:has\s+|have\s+)?claimed responsibility\b", re.I)


def _claimant(doc: Doc) -> Actor | None:
    """An armed actor that "claimed responsibility" in the article: the perpetrator of its events."""
    from warlog.extract.actors import find_actors

    for sent in doc.sentences:
        text = sent.text(doc.clean_text)
        m = _CLAIMED.search(text)
        if not m:
            continue
        hits = [h for h in find_actors(text[: m.start()]) if h.end >= m.start() - 2]
        if hits:
            h = hits[-1]
            return Actor(h.entry.name, h.text, h.entry.inter, ActorMethod.LEXICON,
                         Span(sent.start + h.start, sent.start + h.end), h.entry.country)
    return None
