"""The resolution stage: focus country, gazetteer lookup of each mention's toponyms, event dates (relative
to the publication date, or anchored by an inferred window and a curated episode) and background marking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from warlog.clean.pubdate import find_full_dates
from warlog.data import (
    DatePrecision,
    DateSource,
    Doc,
    GeoPrecision,
    MatchTier,
    Mention,
    Place,
    PubDateSource,
    Span,
)
from warlog.extract.places import NOT_PLACES, PlaceCandidate, classify
from warlog.pipeline.base import Stage
from warlog.resolve import dates as dates_mod
from warlog.resolve.geocode import COUNTRY_ALIASES, DEMONYMS, gazetteer
from warlog.resolve.keys import fold

_COUNTRY_WORDS = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k.title()) for k in list(COUNTRY_ALIASES) + list(DEMONYMS) if len(k) > 3),
                             key=len, reverse=True)) + r")\b"
)


def focus_country(doc: Doc) -> str | None:
    votes: defaultdict[str, float] = defaultdict(float)
    for m in _COUNTRY_WORDS.finditer(doc.clean_text):
        cc = gazetteer().country_of(m.group(1))
        if cc:  # a country name counts fully, a demonym ("Russian warplanes", "the Turkish ministry") little
            votes[cc] += 1.0 if fold(m.group(1)) in COUNTRY_ALIASES else 0.3
    toponym_votes(_toponyms(doc), votes)
    # domestic armed actors name their country ("the regime" -> SY); foreign forces (inter 8) do not
    for mention in doc.mentions:
        for actor in (mention.actor1, mention.actor2, *mention.other_actors):
            if actor is not None and actor.country and actor.inter in (1, 2, 3):
                votes[actor.country] += 0.75
    # parent hints "(Idlib)", "(Mopti)" name the unit the place lies in
    for hint in PAREN_HINT.findall(doc.clean_text):
        place = gazetteer().resolve(hint, None)
        if place is not None and place.country and place.kind != "country":
            votes[place.country] += 1.0
    return max(votes, key=lambda k: votes[k]) if votes else None


def _toponyms(doc: Doc) -> list[str]:
    return [t for m in doc.mentions for _s, t, r in m.place_candidates if r != "excluded"]


def toponym_votes(names: Iterable[str], votes: defaultdict[str, float]) -> defaultdict[str, float]:
    """Country votes of a document's toponyms: a country name counts 1, a place 1.5 times its confidence."""
    gaz = gazetteer()
    for text in names:
        cc = gaz.country_of(text)
        if cc:
            votes[cc] += 1
        else:
            place = gaz.resolve(text, None)
            if place is not None and place.country:
                votes[place.country] += 1.5 * place.confidence
    return votes


def place_context(names: Iterable[str], text: str) -> frozenset[str]:
    """Folded toponyms of a document and its parent hints ("Zurmi (Zamfara)"): what a parent must match."""
    return frozenset([fold(t) for t in names] + [fold(h) for h in PAREN_HINT.findall(text)])


def anchor_points(names: Iterable[str], cc: str | None, context: frozenset[str]) -> tuple[tuple[float, float], ...]:
    """Points of a document's unambiguous places (towns, not units): they pull ambiguous namesakes towards them."""
    gaz = gazetteer()
    anchors: list[tuple[float, float]] = []
    for text in names:
        if gaz.is_ambiguous(text):
            continue
        p = gaz.resolve(text, cc, context)
        if p is not None and p.latitude is not None and p.longitude is not None and p.kind not in ("admin1", "country"):
            anchors.append((p.latitude, p.longitude))
    return tuple(anchors[:20])


PAREN_HINT = re.compile(r"\(([A-Z][\w'’ -]{2,40}?)(?: (?:province|governorate|state|region))?\)")


DESIGNATOR_NEXT = re.compile(
    r"^\s+(district|province|governorate|state|region|countryside|outskirts|city|town|village|camp|area)\b", re.I
)
DESIGNATOR_PREV = re.compile(
    r"\b(?:the\s+)?(countryside|outskirts|suburbs|province|governorate|district|city|town|village)\s+of\s+(?:the\s+)?$", re.I
)


def _with_designator(text: str, span: Span, name: str) -> str:
    """The toponym with the designator that the entity span left outside ("Sirwah| district", "the countryside
    of |Hama"), so the gazetteer can read the level it names."""
    if re.search(r"\s(?:district|province|governorate|state|region|city|town|village|camp)$", name, re.I):
        return name
    nxt = DESIGNATOR_NEXT.match(text[span.end : span.end + 20])
    if nxt:
        return f"{name} {nxt.group(1)}"
    prv = DESIGNATOR_PREV.search(text[max(0, span.start - 30) : span.start])
    if prv:
        return f"{prv.group(1)} of {name}"
    return name


def _head_toponym(
    name: str, cc: str | None, context: frozenset[str], anchors: tuple[tuple[float, float], ...]
) -> Place | None:
    """A quarter or suburb the gazetteer lacks ("Daraa al-Balad", "Kafr Nabl West"): its head town, coded near
    (geo_precision 2), when that town is in the focus country and resolves confidently."""
    words = name.split()
    if cc is None or len(words) < 2:
        return None
    head = gazetteer().resolve(words[0], cc, context, anchors)
    if head is None or head.country != cc or head.confidence < 0.6 or head.kind != "town":
        return None
    return dataclasses.replace(head, precision=max(head.precision, GeoPrecision.REGION), kind="near:town")


YEARLESS = frozenset({"day_month", "month_day", "middle_month", "in_month"})


def _latest_full_date(text: str) -> dt.date | None:
    found = [d for _s, _e, d in find_full_dates(text)]
    return max(found) if found else None


# names after these words are places in event sentences ("shelled the village of Kansafrah", "in Mashalaay");
# a bare "of" is left out ("the brother of Ahmad")
FOCUS_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|around|into|across|hit|struck|shelled|pounded|targeted|bombed|stormed|entered|"
    r"besieged|attacked|captured|recaptured|seized|raided|overran|control of|took over|(?:village|town|city|area|"
    r"outskirts|countryside|district|vicinity|suburb|neighbou?rhood|camp|farms?) of|villages? of)\s+(?:the\s+)?"
    r"((?:al-|el-|ad-|ar-|as-|ash-|at-|az-|an-)?[A-Z][\w’'‘`-]+(?:\s+(?:al-|el-|ad-|ar-|as-|ash-|at-|az-|an-|al |el )?"
    r"[A-Z][\w’'‘`-]+){0,2})"
)
UNIT_CUE_BEFORE = re.compile(r"\b(?:village|town|city|camp|hamlet)s? of\s+(?:the\s+)?$", re.I)
UNIT_CUE_AFTER = re.compile(r"^\s+(?:village|town|city|camp|hamlet)\b", re.I)
STRONG_TIERS = (MatchTier.EXACT, MatchTier.ALTERNATE, MatchTier.NORMALISED)


def focus_locatives(doc: Doc, m: Mention, cc: str | None) -> list[tuple[Span, str, str]]:
    """Toponyms the extractor did not take (no NER entity, not in the core gazetteer) that name a village or
    district of the document's focus country after a locative word: the shards are consulted only here, where
    the focus country is known, and only that country's places count (exact, alternate or transliteration key)."""
    if cc is None:
        return []
    gaz = gazetteer()
    text = m.sentence.text(doc.clean_text)
    off = m.sentence.start
    taken = [(s.start - off, s.end - off) for s, _t, _r in m.place_candidates]
    for a in (m.actor1, m.actor2, *m.other_actors):
        if a is not None and a.span is not None:
            taken.append((a.span.start - off, a.span.end - off))
    out: list[tuple[Span, str, str]] = []
    prev: PlaceCandidate | None = None
    # an entity span cut inside a name ("Al" of "Al Bab city") may give way to the whole name
    partial = {(s.start - off, s.end - off) for s, t, _r in m.place_candidates if len(t) <= 3}
    for mt in FOCUS_LOCATIVE.finditer(text):
        words = mt.group(1).split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            s, e = mt.start(1), mt.start(1) + len(name)
            if name.lower() in NOT_PLACES:
                continue
            inside = [(s2, e2) for s2, e2 in taken if s < e2 and s2 < e]
            if any(not (s <= s2 and e2 <= e and (s2, e2) in partial) for s2, e2 in inside):
                continue
            if gaz.country_of(name) or len(name) < 4:
                continue
            cands = gaz.candidates(name, cc)
            hits = [(i, t) for i, t in cands if t in STRONG_TIERS]
            named = n == len(words) and (UNIT_CUE_BEFORE.search(text[: mt.start(1)]) or UNIT_CUE_AFTER.match(text[e:]))
            if not cands and named:
                # "the village of Tayyib al-Fal", "Marwiya village": a place the gazetteer lacks, kept so the
                # event can still be coded (at its country, the name kept and flagged) when nothing else places it
                out.append((Span(off + s, off + e), name, "event"))
                taken.append((s, e))
                break
            if not hits or not all(gaz.entries[i].cc == cc for i, _t in hits):
                continue  # a name known elsewhere is left to the extractor's own reading
            role, why = classify(text, s, e, prev)
            prev = PlaceCandidate(s, e, name, role, why)
            if role != "excluded":
                out.append((Span(off + s, off + e), name, role))
                taken.append((s, e))
                if inside:
                    m.place_candidates = [c for c in m.place_candidates if (c[0].start - off, c[0].end - off) not in inside]
            break
    return out


PARENT_GAP = re.compile(r"\s*(?:district|sub-?district|village|town|city|area|camp|region)?\s*,\s*(?:in\s+)?$", re.I)


def _is_parent_slot(text: str, prev_end: int, span: Span, name: str, cc: str | None) -> bool:
    """``name`` follows another toponym after a comma ("in Khakrez district, Kandahar", "Jasim, Daraa") and
    names an admin-1 unit of the focus country: it is that unit, the place's parent, not its namesake town."""
    if cc is None or span.start - prev_end > 30 or not PARENT_GAP.fullmatch(text[prev_end : span.start]):
        return False
    return bool(gazetteer()._text_units(frozenset({fold(name)}), cc))


def fallback_place(cc: str, text: str) -> Place:
    """The stand-in for a toponym the gazetteer lacks: the country (geo_precision 3) with the name kept."""
    c = gazetteer().country_place(cc)
    return dataclasses.replace(
        c, kind="fallback:country", tier=MatchTier.FALLBACK, confidence=0.2, fallback="country", unresolved_name=text,
    )


class ResolveStage(Stage):
    name = "resolve"
    requires = frozenset({"mentions", "pub_date"})
    assigns = frozenset({"resolved"})

    def process(self, doc: Doc) -> Doc | None:
        gaz = gazetteer()
        cc = focus_country(doc)
        doc.meta["focus_country"] = cc
        for m in doc.mentions:
            extra = focus_locatives(doc, m, cc)
            if extra:
                m.place_candidates = sorted([*m.place_candidates, *extra], key=lambda c: c[0].start)
                self.stats.counters["place_focus_locative"] += len(extra)
        names = _toponyms(doc)
        context = place_context(names, doc.clean_text)
        anchor_t = anchor_points(names, cc, context)
        unresolved: list[tuple[Mention, Span, str]] = []
        for m in doc.mentions:
            m.places = []
            prev_end: int | None = None
            for span, text, role in m.place_candidates:
                if role == "excluded":
                    continue
                query = _with_designator(doc.clean_text, span, text)
                if prev_end is not None and query == text and _is_parent_slot(doc.clean_text, prev_end, span, text, cc):
                    query = f"{text} province"  # "Khakrez district, Kandahar": the province the place lies in
                    self.stats.counters["geo_parent_province"] += 1
                prev_end = span.end
                place = gaz.resolve(query, cc, context, anchor_t)
                if place is None:
                    place = _head_toponym(text, cc, context, anchor_t)  # "Daraa al-Balad" -> near Daraa
                if place is None:
                    self.stats.counters["geo_abstain"] += 1
                    unresolved.append((m, span, text))
                    continue
                if role == "reference" and place.kind != "country":
                    place = dataclasses.replace(place, precision=max(place.precision, GeoPrecision.REGION))
                    place.kind = "near:" + place.kind
                m.places.append((span, place))
                self.stats.counters["geo_resolved"] += 1
        # nothing in the document could be placed: an event is still coded, at its country, with the toponym kept
        # and flagged (ACLED codes an unknown place to the smallest unit it can, here the country)
        if cc and unresolved and not any(
            p.kind not in ("country", "continent") for m in doc.mentions for _s, p in m.places
        ):
            for m, span, text in unresolved:
                m.places.append((span, fallback_place(cc, text)))
                self.stats.counters["geo_fallback_country"] += 1
        # publication window when no date was found
        anchor_name = None
        if doc.pub_date is None:
            window = dates_mod.infer_pub_window(doc.clean_text, cc)
            doc.pub_window = window
            names = [p.name for m in doc.mentions for _s, p in m.places]
            anchored = dates_mod.episode_anchor(window, names, cc) if window else None
            if anchored:
                doc.pub_date, anchor_name = anchored
                doc.pub_date_source = PubDateSource.INFERRED
                doc.meta["episode"] = anchor_name
                self.stats.counters["pubdate_episode_anchor"] += 1
        # no publication date: day-and-month dates ("Sunday 13 January") take the year of the text's latest full date
        ref = None if doc.pub_date is not None else _latest_full_date(doc.clean_text)
        for m in doc.mentions:
            expr = None
            if m.date_expr is not None:
                span, kind = m.date_expr
                sent_text = m.sentence.text(doc.clean_text)
                rel = [e for e in dates_mod.find_date_exprs(sent_text) if e.start == span.start - m.sentence.start]
                expr = rel[0] if rel else None
            d, prec, src = dates_mod.resolve_expr(expr, doc.pub_date)
            if src == DateSource.UNKNOWN and ref is not None and expr is not None and expr.kind in YEARLESS:
                d, prec, src = dates_mod.resolve_expr(expr, ref + dt.timedelta(days=7))
                self.stats.counters["date_year_from_text"] += 1
            if doc.pub_date_source == PubDateSource.INFERRED and src in (DateSource.RELATIVE, DateSource.PUBLICATION):
                src, prec = DateSource.INFERRED, DatePrecision.MONTH
            m.date, m.date_precision, m.date_source = d, prec, src
            m.date_span = m.date_expr[0] if m.date_expr and src != DateSource.PUBLICATION else None
            m.background = dates_mod.is_background(d, src, doc.pub_date)
            if not m.background and src in (DateSource.PUBLICATION, DateSource.INFERRED) and dates_mod.history_cue(
                m.sentence.text(doc.clean_text), doc.pub_date, m.trigger.start - m.sentence.start
            ):
                m.background = True  # undated itself, told as history ("since the regime took Aleppo in late 2016")
                self.stats.counters["background_history_cue"] += 1
            if m.background:
                self.stats.counters["background_mentions"] += 1
        return doc


