"""The resolution stage: focus country, gazetteer lookup of each mention's toponyms, event dates (relative
to the publication date, or anchored by an inferred window and a curated episode) and background marking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from warlog.clean.pubdate import find_full_dates
from warlog.data import DatePrecision, DateSource, Doc, GeoPrecision, Place, PubDateSource, Span
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


class ResolveStage(Stage):
    name = "resolve"
    requires = frozenset({"mentions", "pub_date"})
    assigns = frozenset({"resolved"})

    def process(self, doc: Doc) -> Doc | None:
        gaz = gazetteer()
        cc = focus_country(doc)
        doc.meta["focus_country"] = cc
        names = _toponyms(doc)
        context = place_context(names, doc.clean_text)
        anchor_t = anchor_points(names, cc, context)
        for m in doc.mentions:
            m.places = []
            for span, text, role in m.place_candidates:
                if role == "excluded":
                    continue
                place = gaz.resolve(_with_designator(doc.clean_text, span, text), cc, context, anchor_t)
                if place is None:
                    place = _head_toponym(text, cc, context, anchor_t)  # "Daraa al-Balad" -> near Daraa
                if place is None:
                    self.stats.counters["geo_abstain"] += 1
                    continue
                if role == "reference" and place.kind != "country":
                    place = dataclasses.replace(place, precision=max(place.precision, GeoPrecision.REGION))
                    place.kind = "near:" + place.kind
                m.places.append((span, place))
                self.stats.counters["geo_resolved"] += 1
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


