"""Scrape-junk removal that keeps a character mapping back to the source text.

The cleaned text is assembled from *pieces*: slices of the source (which keep their source offset) and
short inserted separators (paragraph breaks, a space restored after a run-on full stop) that map to
nothing. ``CleanResult.offset_map`` lists ``(clean_start, source_start, length)`` for the slices, so any
span in the stored cleaned text can be traced back to the characters of the source.

Removed, in order:
1. leaked template/debug output (PHP ``bool(false)``, ``var_dump``, notices and stack traces),
2. a bare ``date YYYY-MM-DD`` header (the date is returned for publication-date discovery) and the short
   junk that precedes it on the same line ("Advertisement Advertise on ..."),
3. ads, newsletter plugs, share/follow/cookie/copyright lines,
4. invisible characters (zero-width, bidi controls, soft hyphen, BOM); runs of blank lines collapse to one
   paragraph break.

Repaired, keeping the map exact: mojibake ("Syriaâ€™s" -> "Syria’s", ``clean.mojibake``: the characters ftfy
rewrote are inserted text, the rest map to the source) and, in a text without a single apostrophe, stripped
possessive apostrophes of names ("Syrias" -> "Syria's", an inserted "'"). Case restoration of lower-cased
and ALL-CAPS text (``clean.case``) keeps the length and is applied by the cleaning stage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from warlog.clean.mojibake import repair_line
from warlog.literals import may_match

DEBUG_MARKERS = re.compile(
    r"(\bbool\((?:true|false)\)|\bstring\(\d+\)\s*\"|\bint\(\d+\)|\barray\(\d+\)\s*\{|\bvar_dump\b|"
    r"\bNULL\b\s*\}|\$[a-z_][a-z0-9_]*\s*[<>=!]|Stack trace:|\bon line \d+\b|^(?:PHP )?(?:Notice|Warning|Fatal error|"
    r"Deprecated|Parse error):|Undefined (?:index|variable|offset)|\bobject\([A-Za-z_\\]+\)#\d+)",
    re.I | re.M,
)
JUNK_LINE = re.compile(
    r"^(?:advertisement|advertise\b.*|sponsored\b.*|promoted\b.*|read more\b.*|related(?: articles?| stories)?:.*|"
    r"more from\b.*|recommended\b.*|share (?:this|on)\b.*|share$|tweet$|follow us\b.*|subscribe\b.*|sign up\b.*|"
    r".*\bnewsletter\b.*|.*\bcookies?\b.*(?:accept|policy|consent).*|(?:©|copyright)\b.*|all rights reserved.*|"
    r"click here\b.*|download (?:our|the) app\b.*|(?:listen|watch)(?: now)?:?$|loading\.{0,3}|skip to (?:main )?content|"
    r"(?:facebook|twitter|whatsapp|linkedin|email|print)(?:\s*[|/·•]\s*(?:facebook|twitter|whatsapp|linkedin|email|print))+|"
    r"comments?(?: \(\d+\))?|leave a (?:comment|reply)\b.*|you may also like\b.*|trending now\b.*|"
    r"support (?:our|independent) journalism\b.*|donate\b.*)$",
    re.I,
)
DATE_HEADER = re.compile(
    r"(?:^|(?<=[\s.]))(?:date|published|posted(?: on)?|updated)\s*[:\-]?\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+Z-]+)?\s*",
    re.I,
)
INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
RUN_ON = re.compile(r"(?<=[a-z0-9\)\]”\"'’])\.(?=[A-Z][a-z])")
APOSTROPHES = ("'", "\u2019", "\u2018", "`", "\u02bc", "\u20ac\u2122", "\u20ac\u02dc", "\u00e2\x80\x99")  # and as mojibake
IRREGULAR_POSSESSIVES = {"childrens", "womens", "mens", "peoples"}
POSSESSIVE = re.compile(r"(?<![\w'’-])([^\W\d_]{3,})s(?![\w'’-])")
SPACE_LIKE = str.maketrans({"\u00a0": " ", "\t": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\r": " "})


@dataclass
class CleanResult:
    text: str
    offset_map: list[tuple[int, int, int]]
    header_date: dt.date | None = None
    removed: Counter[str] = field(default_factory=Counter)
    # characters rewritten by mojibake repair: (clean_start, length, source_start, source_length)
    repairs: list[tuple[int, int, int, int]] = field(default_factory=list)


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.map: list[tuple[int, int, int]] = []
        self.repairs: list[tuple[int, int, int, int]] = []
        self.length = 0

    def add_source(self, text: str, src_start: int) -> None:
        """Append a slice of the source, dropping invisible characters (which split the mapping)."""
        pos = 0
        for m in INVISIBLE.finditer(text):
            self._add(text[pos : m.start()], src_start + pos)
            pos = m.end()
        self._add(text[pos:], src_start + pos)

    def _add(self, chunk: str, src_start: int) -> None:
        if not chunk:
            return
        self.parts.append(chunk.translate(SPACE_LIKE))
        self.map.append((self.length, src_start, len(chunk)))
        self.length += len(chunk)

    def add_inserted(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def result(self) -> tuple[str, list[tuple[int, int, int]]]:
        return "".join(self.parts), self.map


def is_debug_line(line: str) -> bool:
    if not may_match(DEBUG_MARKERS, line.lower()):  # most lines hold none of the markers' literal beginnings
        return False
    hits = DEBUG_MARKERS.findall(line)
    return len(hits) >= 2 or (len(hits) == 1 and len(line) < 300)


def is_junk_line(line: str) -> bool:
    s = line.strip()
    return len(s) < 220 and bool(JUNK_LINE.match(s))


def _strip_header(line: str, first_lines: bool) -> tuple[int, dt.date | None]:
    """Return (offset where the article text starts in ``line``, header date) for a leading date header."""
    if not first_lines:
        return 0, None
    m = DATE_HEADER.search(line)
    if not m or m.start() > 160:
        return 0, None
    prefix = line[: m.start()].strip()
    if prefix and not (is_junk_line(prefix) or len(prefix.split()) <= 6):
        return 0, None
    try:
        d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return 0, None
    return m.end(), d


def clean_text(source: str) -> CleanResult:
    """Clean scraped article text; see the module docstring for what is removed."""
    b = _Builder()
    removed: Counter[str] = Counter()
    header_date: dt.date | None = None
    pos = 0
    n_text_lines = 0
    possessives = _apostrophes_stripped(source)
    for raw_line in source.splitlines(keepends=True):
        start = pos
        pos += len(raw_line)
        line = raw_line.rstrip("\r\n")
        if not line.strip() or not INVISIBLE.sub("", line).strip():
            continue
        lmap: list[int | tuple[int, int]] | None = None
        repaired = repair_line(line)
        if repaired is not None:
            line, lmap, n_fixed = repaired
            removed["mojibake_fixed"] += n_fixed
        off = 0  # where ``line`` starts in the (repaired) line
        if is_debug_line(line):
            removed["debug_lines"] += 1
            continue
        cut, d = _strip_header(line, first_lines=n_text_lines < 3 and header_date is None)
        if d is not None:
            header_date = d
            removed["date_header"] += 1
            off += cut
            line = line[cut:]
            if not line.strip():
                continue
        if is_junk_line(line):
            removed["junk_lines"] += 1
            continue
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        off += lead
        if b.length:
            b.add_inserted("\n\n")
        inserts = [(m.end(), " ", "run_on_fixed") for m in RUN_ON.finditer(body)]
        if possessives:
            inserts += [(i, "'", "possessive_restored") for i in possessive_sites(body)]
        last = 0
        for at, text, what in sorted(inserts):
            _emit(b, body, last, at, start + off, lmap, off)
            b.add_inserted(text)
            removed[what] += 1
            last = at
        _emit(b, body, last, len(body), start + off, lmap, off)
        n_text_lines += 1
    text, omap = b.result()
    # trailing plugs glued to the last paragraph ("... lost. Read more like this in X's newsletter.")
    return CleanResult(text=text, offset_map=omap, header_date=header_date, removed=removed, repairs=b.repairs)


def _emit(b: _Builder, body: str, i0: int, i1: int, src_body: int, lmap: list[int | tuple[int, int]] | None,
          off: int) -> None:
    """Add ``body[i0:i1]``: a source slice, or (in a repaired line) its runs of source characters, with the
    characters the repair rewrote added as inserted text and recorded as repairs of their source range."""
    if i1 <= i0:
        return
    if lmap is None:
        b.add_source(body[i0:i1], src_body + i0)
        return
    line_start = src_body - off  # source offset of the line
    i = i0
    while i < i1:
        src = lmap[off + i]
        j = i + 1
        if isinstance(src, tuple):
            while j < i1 and lmap[off + j] == src:
                j += 1
            b.repairs.append((b.length, j - i, line_start + src[0], src[1] - src[0]))
            b.add_inserted(body[i:j])
        else:
            while j < i1 and lmap[off + j] == src + (j - i):
                j += 1
            b.add_source(body[i:j], line_start + src)
        i = j


def _apostrophes_stripped(source: str) -> bool:
    """A text of some length without a single apostrophe has had them stripped ("Syrias", "Assads")."""
    return len(source) > 200 and not any(q in source for q in APOSTROPHES)


def possessive_sites(body: str) -> list[int]:
    """Where an apostrophe was stripped from a possessive: "Syrias" -> "Syria's" when "Syria" is a name (by
    the case counts) and "Syrias" is not a word or name of its own ("Hamas", "Kurds", "Houthis"; a
    lower-case word such as "turkeys" only when written capitalised mid-text), and the possessives no plural
    can be: "childrens", "womens", "countrys"."""
    from warlog.clean.case import cased_form, is_alias, proper_name, seen_word

    out: list[int] = []
    for m in POSSESSIVE.finditer(body):
        word, stem = m.group(0), m.group(1)
        low = word.lower()
        if low in IRREGULAR_POSSESSIVES or re.search(r"[^aeiouy]ys$", low):
            out.append(m.end() - 1)
            continue
        if not proper_name(stem.lower()):
            continue
        if is_alias(low) or cased_form(low) is not None:
            continue  # a name of its own ("Kurds", "Hamas")
        if not seen_word(low) or (word[0].isupper() and m.start() > 0 and body[m.start() - 1] == " "
                                  and not low.endswith(("ians", "ites", "ists", "ans"))):
            out.append(m.end() - 1)
    return out


def source_span(offset_map: Sequence[tuple[int, int, int]], start: int, end: int,
                repairs: Sequence[tuple[int, int, int, int]] = ()) -> tuple[int, int]:
    """The source span of the cleaned span ``[start, end)``: exact where its ends are mapped characters; an end
    inside a repaired character takes the edge of the damaged characters it replaces ("café" points at
    "cafÃ©"); an end inside an inserted separator takes the nearest mapped character inward."""
    pieces = sorted([(c, n, s, n) for c, s, n in offset_map] + [(c, n, s, sn) for c, n, s, sn in repairs])
    s_start = s_end = None
    for c, n, s, sn in pieces:  # first piece ending after start
        if c + n > start:
            s_start = (s + (start - c) if sn == n else s) if c <= start else s
            break
    for c, n, s, sn in reversed(pieces):  # last piece beginning before end
        if c < end:
            s_end = (s + (end - c) if sn == n else s + sn) if end < c + n else s + sn
            break
    if s_start is None or s_end is None:
        return (0, 0)
    return s_start, max(s_start, s_end)
