"""Event dates: explicit and relative expressions resolved against the publication date, with ACLED time
precision and the way each date was resolved (``DateSource``).

When the publication date is unknown, ``infer_pub_window`` derives a feasible window from text cues (the
latest full date or year mentioned, "Since 2013", "Syria's seven-year civil war" with the conflict's start,
"last December"), and ``episode_anchor`` intersects it with the curated episodes of the article's main place
(assets/episodes.json). A unique match anchors the dates, marked ``DateSource.INFERRED`` with month precision.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from warlog.assets import load_json
from warlog.clean.pubdate import MONTHS, find_full_dates
from warlog.data import DatePrecision, DateSource
from warlog.resolve.keys import fold

WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_WD = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20}

RELATIVE = [
    ("day_month", re.compile(rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON}\b(?!,?\s+\d{{4}})", re.I)),
    ("month_day", re.compile(rf"\b(?:on\s+)?{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})", re.I)),
    ("month_year", re.compile(rf"\b(?:in\s+|since\s+|early\s+|late\s+|mid-)?{_MON}\s+(\d{{4}})\b", re.I)),
    ("middle_month", re.compile(rf"\b(?:the\s+)?(middle|start|beginning|end)\s+of\s+{_MON}\b", re.I)),
    ("last_month_name", re.compile(rf"\b(?:last|this past)\s+{_MON}\b", re.I)),
    ("in_month", re.compile(rf"\b(?:in|during|since|early|late|mid-)\s*{_MON}\b(?!\s+\d)", re.I)),
    ("last_weekday", re.compile(rf"\blast\s+{_WD}\b", re.I)),
    ("weekday", re.compile(rf"\b(?:on\s+|early\s+|late\s+)?{_WD}(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast night\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today|overnight)\b", re.I)),
    ("days_ago", re.compile(r"\b(\d+|two|three|four|five|six|seven|ten)\s+days?\s+ago\b", re.I)),
    ("this_week", re.compile(r"\b(?:this|earlier this|this past)\s+week(?:end)?(?:’s|'s)?\b", re.I)),
    ("last_week", re.compile(r"\blast\s+week(?:end)?\b", re.I)),
    ("this_month", re.compile(r"\b(?:this|earlier this)\s+month\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|by)\s+((?:19|20)\d{2})\b", re.I)),
]
BACKGROUND_DAYS = 30


@dataclass(frozen=True, slots=True)
class DateExpr:
    start: int
    end: int
    kind: str
    text: str
    groups: tuple[str | None, ...]


_WEEKDAY_BEFORE = re.compile(rf"\b(?:on\s+)?{_WD},?\s+$", re.I)


def find_date_exprs(sentence: str) -> list[DateExpr]:
    out: list[DateExpr] = []
    for s, e, _d in find_full_dates(sentence):
        wd = _WEEKDAY_BEFORE.search(sentence[max(0, s - 16) : s])
        if wd:  # "on Saturday 12 January 2019": one expression, the full date
            s = max(0, s - 16) + wd.start()
        out.append(DateExpr(s, e, "full", sentence[s:e], ()))
    for kind, pat in RELATIVE:
        for m in pat.finditer(sentence):
            if any(m.start() < x.end and x.start < m.end() for x in out):
                continue
            if kind == "weekday" and sentence[m.start() : m.end()].istitle() is False and not m.group(1)[0].isupper():
                continue
            out.append(DateExpr(m.start(), m.end(), kind, m.group(), m.groups()))
    return sorted(out, key=lambda x: x.start)


def nearest(exprs: list[DateExpr], pos: int) -> DateExpr | None:
    if not exprs:
        return None
    return min(exprs, key=lambda x: min(abs(x.start - pos), abs(x.end - pos)))


def _month_before(pub: dt.date, month: int) -> dt.date:
    year = pub.year if month < pub.month else pub.year - 1
    return dt.date(year, month, 1)


def resolve_expr(expr: DateExpr | None, pub: dt.date | None) -> tuple[dt.date | None, DatePrecision, DateSource]:
    """Resolve one expression. With no expression the publication date stands (week precision)."""
    if expr is None:
        if pub is None:
            return None, DatePrecision.MONTH, DateSource.UNKNOWN
        return pub, DatePrecision.WEEK, DateSource.PUBLICATION
    g = expr.groups
    if expr.kind == "full":
        found = find_full_dates(expr.text)
        return (found[0][2] if found else None), DatePrecision.DAY, DateSource.EXPLICIT
    if expr.kind == "month_year":
        return dt.date(int(g[1] or 0), MONTHS[(g[0] or "").lower()], 1), DatePrecision.MONTH, DateSource.EXPLICIT
    if expr.kind == "year":
        return dt.date(int(g[0] or 0), 1, 1), DatePrecision.MONTH, DateSource.EXPLICIT
    if pub is None:
        return None, DatePrecision.MONTH, DateSource.UNKNOWN
    try:
        if expr.kind in ("day_month", "month_day"):
            day, mon = (g[0], g[1]) if expr.kind == "day_month" else (g[1], g[0])
            d = dt.date(pub.year, MONTHS[(mon or "").lower()], int(day or 0))
            if d > pub + dt.timedelta(days=2):
                d = d.replace(year=pub.year - 1)
            return d, DatePrecision.DAY, DateSource.RELATIVE
        if expr.kind == "middle_month":
            month_no = MONTHS[(g[1] or "").lower()]
            base = _month_before(pub + dt.timedelta(days=31), month_no)
            day_no = {"middle": 15, "start": 1, "beginning": 1, "end": 28}[(g[0] or "middle").lower()]
            return base.replace(day=day_no), DatePrecision.MONTH, DateSource.RELATIVE
        if expr.kind == "last_month_name":
            return _month_before(pub, MONTHS[(g[0] or "").lower()]), DatePrecision.MONTH, DateSource.RELATIVE
        if expr.kind == "in_month":
            month_no = MONTHS[(g[0] or "").lower()]
            return _month_before(pub + dt.timedelta(days=31), month_no), DatePrecision.MONTH, DateSource.RELATIVE
        if expr.kind in ("weekday", "last_weekday"):
            wd = WEEKDAYS[(g[0] or "").lower()]
            delta = (pub.weekday() - wd) % 7
            if expr.kind == "last_weekday" and delta == 0:
                delta = 7
            return pub - dt.timedelta(days=delta), DatePrecision.DAY, DateSource.RELATIVE
        if expr.kind == "yesterday":
            return pub - dt.timedelta(days=1), DatePrecision.DAY, DateSource.RELATIVE
        if expr.kind == "today":
            return pub, DatePrecision.DAY, DateSource.RELATIVE
        if expr.kind == "days_ago":
            word = g[0] or ""
            n = int(word) if word.isdigit() else NUMBERS.get(word.lower(), 1)
            return pub - dt.timedelta(days=n), DatePrecision.DAY, DateSource.RELATIVE
        if expr.kind == "this_week":
            return pub, DatePrecision.WEEK, DateSource.RELATIVE
        if expr.kind == "last_week":
            return pub - dt.timedelta(days=7), DatePrecision.WEEK, DateSource.RELATIVE
        if expr.kind == "this_month":
            return pub, DatePrecision.MONTH, DateSource.RELATIVE
        if expr.kind == "last_month":
            first = pub.replace(day=1) - dt.timedelta(days=1)
            return first.replace(day=1), DatePrecision.MONTH, DateSource.RELATIVE
    except (ValueError, KeyError):
        return pub, DatePrecision.WEEK, DateSource.PUBLICATION
    return pub, DatePrecision.WEEK, DateSource.PUBLICATION


_PAST_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d{2})(?!\d|,\d)")
_SINCE_YEAR = re.compile(r"\b(?:since|from)\s+(?:(?:early|late|mid)[- ])?(?:the\s+)?(?:(?:start|end|beginning|summer|spring|autumn|winter)\s+of\s+)?$", re.I)
_AGO = re.compile(
    r"\b(?:(?:\w+|a|\d+)\s+(?:years?|months?|decades?)\s+(?:ago|earlier|before|after|later|previously)|last\s+year|"
    r"the\s+previous\s+year|a\s+year\s+(?:ago|earlier|before)|in\s+the\s+(?:19|20)\d0s|decades?\s+of)\b",
    re.I,
)


_CLAUSE_BREAK = re.compile(r",?\s+(?:but|while|whereas|although|though|yet|even as)\s+|;\s+|\s+[–—]\s+", re.I)


def trigger_clause(sentence: str, pos: int) -> str:
    """The clause of ``sentence`` around offset ``pos``: "residents fled years ago, but thousands remain under a
    siege" -> "thousands remain under a siege" for the siege."""
    start, end = 0, len(sentence)
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return sentence[start:end]


def history_cue(sentence: str, pub: dt.date | None, pos: int | None = None) -> bool:
    """The sentence (the clause around ``pos`` when given) places what it tells before the article's reporting
    window: a past year ("when the regime took Aleppo in late 2016", "the 1982 Hama massacre") or a distance in
    years or months ("five months after", "two years ago", "last year"). A year after "since" opens a period
    that may run to now and does not count."""
    if pub is None:
        return False
    if pos is not None:
        sentence = trigger_clause(sentence, pos)
    if _AGO.search(sentence):
        return True
    for m in _PAST_YEAR.finditer(sentence):
        year = int(m.group(1))
        if year > pub.year - 1 or (year == pub.year - 1 and pub.month <= 2):
            continue
        if _SINCE_YEAR.search(sentence[max(0, m.start() - 40) : m.start()]):
            continue
        return True
    return False


def is_background(date: dt.date | None, source: DateSource, pub: dt.date | None) -> bool:
    """A mention dated well before publication reports an earlier episode, not the article's news."""
    if date is None or pub is None or source in (DateSource.PUBLICATION, DateSource.UNKNOWN):
        return False
    return (pub - date).days > BACKGROUND_DAYS


# ---- publication window inference -------------------------------------------------------------------------

_N_YEAR_WAR = re.compile(
    r"\b(\w+)[- ]year(?:[- ]old)?\s+(?:long\s+)?(?:civil\s+)?(?:war|conflict|insurgency|uprising)\b", re.I
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NUMWORDS = {**NUMBERS, "one": 1, "eleven": 11, "twelve": 12}


@lru_cache(maxsize=1)
def _episodes() -> Any:
    return load_json("episodes.json")


def infer_pub_window(text: str, focus_cc: str | None) -> tuple[dt.date, dt.date] | None:
    lo: dt.date | None = None
    hi: dt.date | None = None
    for _s, _e, d in find_full_dates(text):
        lo = max(lo, d) if lo else d
    for m in _YEAR.finditer(text):
        y = int(m.group(1))
        d = dt.date(y, 1, 1)
        lo = max(lo, d) if lo else d
    conflicts = [c for c in _episodes()["conflicts"] if c["country"] == focus_cc]
    for m in _N_YEAR_WAR.finditer(text):
        word = m.group(1).lower()
        n = int(word) if word.isdigit() else _NUMWORDS.get(word)
        if not n or not conflicts:
            continue
        start = dt.date.fromisoformat(conflicts[0]["start"])
        w_lo = start.replace(year=start.year + n - 1)
        w_hi = start.replace(year=start.year + n + 1)
        lo = max(lo, w_lo) if lo else w_lo
        hi = min(hi, w_hi) if hi else w_hi
    if lo is None:
        return None
    if hi is None:
        hi = lo.replace(year=lo.year + 2)
    return (lo, hi) if lo <= hi else None


def episode_anchor(window: tuple[dt.date, dt.date], place_names: list[str], cc: str | None) -> tuple[dt.date, str] | None:
    """The start date and name of the single curated episode at one of ``place_names`` inside ``window``."""
    names = {fold(n) for n in place_names}
    found = []
    for ep in _episodes()["episodes"]:
        if cc and ep["country"] != cc:
            continue
        if not names & {fold(p) for p in ep["places"]}:
            continue
        s, e = dt.date.fromisoformat(ep["start"]), dt.date.fromisoformat(ep["end"])
        if s <= window[1] and window[0] <= e:
            found.append((max(s, window[0]), ep["name"]))
    return found[0] if len(found) == 1 else None
