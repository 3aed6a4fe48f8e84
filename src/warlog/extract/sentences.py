"""A fast rule-based sentence splitter (no model): full stops, question and exclamation marks, closing
quotes, paragraph breaks; abbreviations ("U.S.", "Gen.", "Jan.") and initials do not end sentences."""

from __future__ import annotations

import re

from warlog.data import Span

ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "gov", "sen", "rep",
    "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
    "approx", "est", "dept", "univ", "inc", "ltd", "co", "corp", "jr", "sr", "prof", "rev", "mt", "ft", "al",
}
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group().startswith("."):
            before = text[max(start, m.start() - 12) : m.start()]
            word = re.split(r"[\s(\"“]", before)[-1]
            if word.lower().rstrip(".") in ABBREV or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word or "x"):
                if len(word) <= 4 or "." in word:
                    continue
        _add(spans, text, start, end, offset)
        start = end
    _add(spans, text, start, len(text), offset)
    return spans


def _add(spans: list[Span], text: str, start: int, end: int, offset: int) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    s, e = start + lead, end - trail
    if e > s:
        spans.append(Span(offset + s, offset + e))
