"""A fast rule-based sentence splitter (no model): full stops, question and exclamation marks, closing
quotes, paragraph breaks; abbreviations ("U.S.", "Gen.", "Jan.") and initials do not end sentences.

Text whose punctuation a scraper stripped has no full stops: a stretch of over ``LONG`` characters without
one, and without a comma, colon or semicolon (a long sentence of a well-punctuated text keeps those), is split before a capitalised function word or common word that follows a lower-case word ("... killed
two people The army said ...", "... the town Residents fled ..."): mid-sentence such words are written
lower-case, unless they begin a name ("Free Syrian Army")."""

from __future__ import annotations

import re

from warlog.data import Span

ABBREV = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "gov", "sen", "rep",
    "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc",
    "approx", "est", "dept", "univ", "inc", "ltd", "co", "corp", "jr", "sr", "prof", "rev", "mt", "ft", "al",
}
LONG = 350
_STARTERS = (
    "The|He|She|It|They|We|There|This|That|These|Those|His|Her|Their|Its|In|On|At|After|Before|But|And|As|When|"
    "While|Since|During|According|However|Meanwhile|Some|Many|Most|A|An|One|Two|Three|Several|Last|Earlier|Later|"
    "Yet|Although|Though|If|Despite|Under|With|Without|Among|Both|Each|Other|Such|Now|Then|Still|Also|Asked|"
    "Speaking|Residents|Activists|Officials|Witnesses"
)
_STARTER_SET = frozenset(w.lower() for w in _STARTERS.split("|"))
_CAPITALISED = re.compile(r"(?<=[a-z0-9%])\s+(?=([A-Z][a-z]+)\b)")
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
    if end - start > LONG and not re.search(r"[.!?,;:]\s", text[start:end]):
        cut = start
        for m in _CAPITALISED.finditer(text, start, end):
            if m.start() - cut >= 25 and _starts_sentence(text, m.end(), m.group(1)):  # never a few words
                _add_one(spans, text, cut, m.start(), offset)
                cut = m.end()
        _add_one(spans, text, cut, end, offset)
        return
    _add_one(spans, text, start, end, offset)


def _starts_sentence(text: str, at: int, word: str) -> bool:
    """A capitalised word after a lower-case one starts a sentence when it is a function word or a common word
    usually written lower-case ("Residents", "Fighting"), and does not begin a known name ("Free Syrian Army",
    "Red Crescent")."""
    from warlog.clean.case import begins_name, common_word

    low = word.lower()
    if low not in _STARTER_SET and not common_word(low):
        return False
    return not begins_name(text, at)


def _add_one(spans: list[Span], text: str, start: int, end: int, offset: int) -> None:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    s, e = start + lead, end - trail
    if e > s:
        spans.append(Span(offset + s, offset + e))
