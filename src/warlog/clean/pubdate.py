"""Publication-date discovery from the leading and trailing lines of cleaned text.

Cascade: metadata (JSONL/HTML, set by ingest) > bare ``date YYYY-MM-DD`` header (clean.junk) > a date line
(``find_date_line``: "Date of publication 27 November 2017", "Published on ...", "Last updated at Jul 152015",
"This story is from March 10, 2002", "Tue 05 Jul 2016 ...", "24.08.2013", ISO dates and datetimes, US and UK
orders, with or without punctuation) > a dateline ("BEIRUT, May 20, 2018 (Reuters) -"). When none is found the
publication window is inferred later from text cues (resolve.dates.infer_pub_window).
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MON = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(\d{{4}})\b", re.I)
MDY = re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _mk(y: int, m: int, d: int) -> dt.date | None:
    try:
        date = dt.date(y, m, d)
    except ValueError:
        return None
    return date if 1900 <= y <= 2100 else None


def find_full_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """All full (day, month, year) dates in ``text`` as ``(start, end, date)``."""
    out: list[tuple[int, int, dt.date]] = []
    for m in DMY.finditer(text):
        d = _mk(int(m.group(3)), MONTHS[m.group(2).lower().rstrip(".")], int(m.group(1)))
        if d:
            out.append((m.start(), m.end(), d))
    for m in MDY.finditer(text):
        d = _mk(int(m.group(3)), MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)))
        if d:
            out.append((m.start(), m.end(), d))
    for m in ISO.finditer(text):
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            out.append((m.start(), m.end(), d))
    return sorted(out)


DATELINE_END = re.compile(r"^\s*(?:\([A-Za-z .]{1,20}\)\s*)?(?:[-\u2013\u2014:|]|$)")


def find_dateline(clean_text: str) -> tuple[dt.date, int] | None:
    """(date, end offset) of a dateline date at the start of the text."""
    head = clean_text[:160]
    for start, end, date in find_full_dates(head):
        line_end = head.find("\n", end)
        tail = head[end : line_end if line_end >= 0 else len(head)]
        if start < 80 and DATELINE_END.match(tail[:40]):
            return date, end
    return None


def find_pub_date(clean_text: str) -> dt.date | None:
    """A dateline date: a full date in the first 160 characters followed by a dash, colon, bar, an agency
    tag ("(Reuters) -") or the end of the line. Dates inside the first sentence's prose are event dates,
    not publication dates, and are left to resolve.dates."""
    found = find_dateline(clean_text)
    return found[0] if found else None


# ---- date lines: publication dates in the leading or trailing lines of a page -------------------------------

_WDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d{2})"
# one date in any common written form; groups: dmy (d, mon, y) | mdy (mon, d, y) | glued mdy "Jul 152015" |
# iso (y, m, d) | numeric (a, b, y) with dots, slashes or dashes
_ANY_DATE = (
    rf"(?:{_D}\s+{_MON},?\s+{_Y}"
    rf"|{_MON}\s+{_D},?\s+{_Y}"
    rf"|{_MON}\s+(\d{{1,2}})((?:19|20)\d{{2}})"
    r"|(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(\d{4})/(\d{1,2})/(\d{1,2})"
    r"|(\d{1,2})([./-])(\d{1,2})\17((?:19|20)\d{2}))"
)
_CUE = (
    r"(?:date\s+of\s+publication|first\s+published|last\s+updated|last\s+modified|published|posted|updated|"
    r"this\s+(?:story|article)\s+(?:is|was)\s+from|dated?)(?:\s+(?:on|at))?\s*[:|-]?\s*"
)
CUE_DATE = re.compile(rf"\b{_CUE}(?:{_WDAY},?\s+)?{_ANY_DATE}(?!\d)", re.I)
WEEKDAY_DATE = re.compile(rf"\b{_WDAY},?\s+{_ANY_DATE}(?!\d)", re.I)
LEADING_DATE = re.compile(rf"^\W{{0,3}}(?:{_WDAY},?\s+)?{_ANY_DATE}(?!\d)", re.I)
_PREP_BEFORE = re.compile(r"\b(?:on|since|until|till|by|from|before|after|between|and|to|of|last|next|late|early)\s+$", re.I)
HEAD_CHARS = 240
TAIL_CHARS = 300


def _any_date(m: re.Match[str], offset: int) -> dt.date | None:
    """The date of an ``_ANY_DATE`` match whose groups start at group ``offset + 1``."""
    g = m.groups()[offset:]
    if g[0]:  # d mon y
        return _mk(int(g[2]), MONTHS[g[1].lower().rstrip(".")], int(g[0]))
    if g[3]:  # mon d y
        return _mk(int(g[5]), MONTHS[g[3].lower().rstrip(".")], int(g[4]))
    if g[6]:  # mon dY glued
        return _mk(int(g[8]), MONTHS[g[6].lower().rstrip(".")], int(g[7]))
    if g[9]:  # ISO
        return _mk(int(g[9]), int(g[10]), int(g[11]))
    if g[12]:  # y/m/d
        return _mk(int(g[12]), int(g[13]), int(g[14]))
    if g[15]:  # a.b.y / a/b/y / a-b-y: day first unless impossible (US order with slashes when day > 12 second)
        a, sep, b, y = int(g[15]), g[16], int(g[17]), int(g[18])
        if sep == "/" and a <= 12 < b:
            return _mk(y, a, b)
        if a > 12 or sep != "/":
            return _mk(y, b, a) or _mk(y, a, b)
        return _mk(y, b, a)
    return None


def find_date_line(clean_text: str, today: dt.date | None = None) -> tuple[dt.date, int, int, str] | None:
    """A publication date written on a leading or trailing line: ``(date, start, end, how)`` with ``how`` one of
    ``cue`` ("Published on ...", "Date of publication ...", "Last updated ..."), ``leading`` (a date opening the
    text, "Tue 05 Jul 2016 Suicide bombing ...", "24.08.2013"), ``weekday`` (a weekday and full date among the
    first lines, "... Monitor AFP Wednesday 22 Jul 2015 At least ..."), or ``trailing`` (a cue in the last lines).
    Dates after a preposition ("on Tuesday 5 July 2016") are event dates, not publication dates."""
    latest = (today or dt.date.today()) + dt.timedelta(days=2)

    def ok(d: dt.date | None) -> bool:
        return d is not None and d <= latest

    head = clean_text[:HEAD_CHARS]
    for m in CUE_DATE.finditer(head):
        d = _any_date(m, 0)
        if ok(d):
            assert d is not None
            return d, m.start(), m.end(), "cue"
    m0 = LEADING_DATE.match(head)
    if m0:
        d = _any_date(m0, 0)
        if ok(d):
            assert d is not None
            return d, m0.start(), m0.end(), "leading"
    for m in WEEKDAY_DATE.finditer(head):
        if _PREP_BEFORE.search(head[max(0, m.start() - 12) : m.start()]):
            continue
        d = _any_date(m, 0)
        if ok(d):
            assert d is not None
            return d, m.start(), m.end(), "weekday"
    tail_start = max(HEAD_CHARS, len(clean_text) - TAIL_CHARS)
    for m in CUE_DATE.finditer(clean_text, tail_start):
        d = _any_date(m, 0)
        if ok(d):
            assert d is not None
            return d, m.start(), m.end(), "trailing"
    return None
