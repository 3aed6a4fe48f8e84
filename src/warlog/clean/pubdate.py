"""Publication-date discovery from the first lines of cleaned text.

Cascade: metadata (JSONL/HTML, set by ingest) > bare ``date YYYY-MM-DD`` header (clean.junk) > a dateline or
full date in the first 400 characters ("BEIRUT, May 20, 2018 (Reuters) -", "20 May 2018"). When none is
found the publication window is inferred later from text cues (resolve.dates.infer_pub_window).
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
