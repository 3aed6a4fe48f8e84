"""Case restoration for lower-cased and ALL-CAPS scrapes, before the NER and the lexicons see the text.

The NER, the actor lexicon (capitalised aliases match case-sensitively) and the sentence splitter (a new
sentence starts with a capital) expect well-cased text. A scraped archive that lower-cased every article, or
a wire feed in capitals, would lose most of its events. ``restore_case`` finds such segments and rewrites
their case only, so the text keeps its length and every offset (the offset map to the source stays exact;
the source's characters differ from the cleaned ones in case only, inside the restored segments):

- a *document* whose letters are almost all lower case (under 1% capitals, or four fifths of its letters in
  lines without a capital) has every line with under 1% capitals restored (a header line written normally,
  "This story is from March 10, 2002", is left alone; capitals a restored line had stay);
- an ALL-CAPS *line* (12+ letters, over 80% capitals) in any document is restored.

Restoring a segment (a truecaser): each word takes its usual written form from ``assets/truecase.tsv.gz``
(built by ``tools/build_truecase.py`` from counts of case forms in ACLED training notes and news texts; a
capitalised form must hold three quarters of the word's occurrences), multi-word actor names take the actor
lexicon's spelling ("free syrian army" -> "Free Syrian Army"), a word the counts never saw takes the
gazetteer's spelling when it is a place or country name (a word the counts saw written lower-case never
does: no new places from common words), sentence starts and "I" are capitalised, "may"/"march" are months
only next to a number or after "in"/"since"/"last"..., and "us" is the country only after "the" or before
a word like "forces" or "-led". Words the counts saw upper-case stay upper-case in an ALL-CAPS line ("ISIS",
"SDF"); everything else becomes lower-case.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache

from warlog.assets import asset_path, load_json
from warlog.errors import WarlogError

TABLE = "truecase.tsv.gz"
CASED_SHARE = 0.75  # a capitalised form must hold this share of a word's occurrences
LOWER_DOC = 0.01  # a document with fewer capitals than this share of its letters is lower-cased
UPPER_LINE = 0.8
WORD = re.compile(r"[^\W\d_]+")
SENT_START = re.compile(
    r"(?:^|[.!?][\"'”’)\]]*\s+|\n|(?:\d{4}|\))\s*[-\u2013\u2014]\s*)[\"'“‘(\[]*(?=[^\W\d_])")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATELINE = re.compile(
    rf"^\s*([^\W\d_][^\W\d_ .'-]*(?:[ '-][^\W\d_]+){{0,2}}),(?:\s+[^\W\d_ ]+(?: [^\W\d_]+)?,)?\s+"
    rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}),?\s+\d{{4}}\s*(?:\([^)]{{1,20}}\)\s*)?[-\u2013\u2014]"
)
# common English words that are also the names of towns somewhere ("Reading", "Bath", "Nice", "Orange"): the
# case counts see them capitalised as names often enough, so they are kept lower-case here explicitly (a
# lower-cased "the orange groves" must not become a place)
COMMON_PLACE_WORDS = frozenset({
    "orange", "reading", "bath", "nice", "mobile", "split", "male", "bar", "goes", "deal", "sale", "wells",
    "mold", "marks", "chance", "hope", "union", "independence", "enterprise", "liberty", "commerce", "university",
    "mission", "police", "dome", "sparks", "aid", "cork", "derby", "rugby",
})
MONTH_VERBS = {"may", "march"}
MONTH_CUES = {"in", "since", "until", "till", "early", "late", "mid", "last", "next", "this", "during", "of", "by",
              "from", "between", "before", "after", "end"}
US_BEFORE = {"forces", "troops", "military", "army", "officials", "official", "president", "government", "state",
             "embassy", "envoy", "coalition", "air", "special", "ally", "allies", "administration", "secretary",
             "navy", "soldiers", "soldier", "drone", "drones", "strike", "strikes", "airstrike", "airstrikes",
             "aircraft", "warplanes", "jets", "citizens", "citizen", "policy", "department", "sanctions", "officer",
             "officers", "commander", "commanders", "defence", "defense", "marines", "senator", "congress",
             "withdrawal", "support", "backing", "and", "led", "backed", "intelligence", "diplomats", "envoys",
             "central", "treasury", "national", "spokesman", "spokeswoman", "base", "bases", "personnel"}


class CaseTableError(WarlogError):
    """The shipped truecasing table is missing or corrupt."""

    code = "W110"


@dataclass(slots=True)
class CaseInfo:
    """What ``restore_case`` did to one text (recorded in ``Doc.meta['case']`` and the stage counters)."""

    style: str = "mixed"  # mixed | lower | upper (the document as a whole)
    lines_lower: int = 0
    lines_upper: int = 0
    words_changed: int = 0
    segments: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "lower"|"upper")


@dataclass(frozen=True, slots=True)
class _Tables:
    forms: dict[str, str]  # lower -> usual written form (cased forms only above CASED_SHARE)
    seen: frozenset[str]  # every word the counts saw (lower keys)
    common: frozenset[str]  # common lower-case words (20+ occurrences, or common in English per wordfreq)
    aliases: dict[str, str]  # one-word actor aliases, lower-cased
    totals: dict[str, int]  # occurrences counted per word


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    path = asset_path(TABLE)
    forms: dict[str, str] = {}
    seen: set[str] = set()
    common: set[str] = set()
    totals: dict[str, int] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 4 or parts[0] != parts[1].lower() or not parts[2].isdigit() or not parts[3].isdigit():
                    raise CaseTableError(f"line {n} is not 'lower<TAB>form<TAB>n_form<TAB>n_total'", str(path))
                low, form, nf, nt = parts[0], parts[1], int(parts[2]), int(parts[3])
                seen.add(low)
                totals[low] = nt
                if form != low and nt and nf / nt >= CASED_SHARE:
                    forms[low] = form
                elif form == low and (nt >= 20 or nf == 0):
                    common.add(low)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CaseTableError(f"cannot read the truecasing table ({exc})", str(path)) from exc
    if not seen:
        raise CaseTableError("the truecasing table is empty", str(path))
    aliases = {a.lower(): a for actor in load_json("actor_lexicon.json")["actors"] for a in actor["aliases"] if " " not in a}
    return _Tables(forms, frozenset(seen), frozenset(common), aliases, totals)


@dataclass(frozen=True, slots=True)
class _Phrases:
    lower: re.Pattern[str] | None  # lower-cased multi-word names
    written: re.Pattern[str] | None  # the same names as written
    form: dict[str, str]


@lru_cache(maxsize=1)
def _phrases() -> _Phrases:
    """Multi-word names (compiled only when a text needs restoring)."""
    form: dict[str, str] = {}
    for name in _phrase_names():
        if " " in name and any(c.isupper() for c in name):
            form.setdefault(name.lower(), name)
    alts = "|".join(re.escape(p) for p in sorted(form, key=len, reverse=True))
    lower = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])") if alts else None
    alts_cs = "|".join(re.escape(p) for p in sorted(form.values(), key=len, reverse=True))
    written = re.compile(rf"(?:{alts_cs})(?![\w-])") if alts_cs else None
    return _Phrases(lower, written, form)


def _phrase_names() -> list[str]:
    """Multi-word names with a fixed spelling: actor aliases, the claim sources and outlets."""
    from warlog.extract.claims import KNOWN_SOURCES, OUTLETS

    names = [alias for actor in load_json("actor_lexicon.json")["actors"] for alias in actor["aliases"]]
    for alt in (KNOWN_SOURCES + "|" + OUTLETS).split("|"):
        alt = re.sub(r"^\(\?:(?:the|a|local) \)\?", "", alt)
        alt = re.sub(r"\(\?:[^)]*\)\??$", "", alt).strip()
        if alt and not re.search(r"[\\()\[\]?|*+]", alt):
            names.append(alt)
    return names


_UPPER = bytes(range(65, 91))
_LOWER = bytes(range(97, 123))


def _letters_share_upper(s: str) -> tuple[int, int]:
    """(ASCII letters, ASCII capitals) of ``s``: case restoration is for Latin-script text."""
    raw = s.encode("ascii", "ignore")
    up = len(raw) - len(raw.translate(None, _UPPER))
    low = len(raw) - len(raw.translate(None, _LOWER))
    return up + low, up


@lru_cache(maxsize=65536)
def _gazetteer_form(low: str) -> str | None:
    """The gazetteer's spelling of a one-word place or country name the case counts never saw (its primary
    name when it differs in case only, else the word capitalised)."""
    if len(low) < 3:
        return None
    from warlog.resolve.geocode import gazetteer
    from warlog.resolve.keys import fold

    gaz = gazetteer()
    key = fold(low)
    cc = gaz.country_by_name.get(key)
    if cc:
        name = gaz.country_name.get(cc, "")
        return name if name.lower() == low else low.capitalize()
    hits = gaz.exact.get(key, ()) or gaz.alt.get(key, ())
    if not hits and len(key) >= 5:  # transliteration variants ("hodeidah" of Al Ḩudaydah)
        from warlog.resolve.keys import normalise

        hits = gaz.norm.get(normalise(key), ())
    for i in hits[:5]:
        name = gaz.entries[i].name
        if name.lower() == low:
            return name
    return low.capitalize() if hits else None


@lru_cache(maxsize=65536)
def _gazetteer_phrase(low: str) -> str | None:
    """The spelling of a multi-word gazetteer name ("lashkar gah" -> "Lashkar Gah") unless it begins with a
    common lower-case word ("east london" stays: the South African city; "new town" never) or is made of words
    usually written lower-case."""
    from warlog.resolve.geocode import gazetteer
    from warlog.resolve.keys import fold

    t = _tables()
    words = low.split()
    if words[0] in t.common or all(w in t.seen and w not in t.forms for w in words):
        return None
    gaz = gazetteer()
    key = fold(low)
    hits = gaz.exact.get(key, ()) or gaz.alt.get(key, ())
    for i in hits[:5]:
        name = gaz.entries[i].name
        if name.lower() == low:
            return name
    if not hits:
        return None
    # spelt otherwise in the gazetteer ("Lashkar Gāh"): names capitalised, short common particles not
    return " ".join(w if (len(w) <= 3 and w in t.seen and w not in t.forms) else w.capitalize() for w in words)


def common_word(low: str) -> bool:
    """Whether ``low`` is a common word usually written lower-case."""
    t = _tables()
    return low in t.common and low not in t.forms


def begins_name(text: str, at: int) -> bool:
    """Whether a multi-word name with a fixed spelling (actor alias, claim source or outlet) or a
    gazetteer name of two or three words begins at ``text[at]``."""
    ph = _phrases()
    if ph.written is not None and ph.written.match(text, at):
        return True
    words = WORD.findall(text[at : at + 60])[:3]
    return any(_gazetteer_phrase(" ".join(words[:n]).lower()) is not None for n in (3, 2) if len(words) >= n)


def cased_form(low: str) -> str | None:
    """The written form of a word usually capitalised ("kurds" -> "Kurds"), or of a one-word actor alias."""
    t = _tables()
    return t.forms.get(low) or t.aliases.get(low)


def is_alias(low: str) -> bool:
    """Whether ``low`` is a one-word actor alias ("hamas", "houthis")."""
    return low in _tables().aliases


def count(low: str) -> int:
    """How often the case counts saw the word."""
    return _tables().totals.get(low, 0)


def seen_word(low: str) -> bool:
    """Whether the case counts saw ``low`` (lower-cased) as a word."""
    return low in _tables().seen


def proper_name(low: str) -> bool:
    """Whether ``low`` (lower-cased) is usually written capitalised (by the case counts): a name."""
    form = _tables().forms.get(low)
    return form is not None and form[:1].isupper()


def _same_length_case(src: str, form: str) -> str:
    """``form`` when it is ``src`` up to case, character for character; else ``src`` unchanged."""
    return form if len(form) == len(src) and form.lower() == src.lower() else src


def _word_form(t: _Tables, w: str) -> str | None:
    if w in COMMON_PLACE_WORDS:
        return None
    form = t.forms.get(w)
    if form is None and w not in t.seen:
        form = _gazetteer_form(w)
        if form is None and len(w) > 4 and w.endswith("s"):  # "houthis": the plural of a name
            stem = t.forms.get(w[:-1])
            form = stem + "s" if stem and stem[:1].isupper() else None
    return form


def truecase(segment: str) -> str:
    """Restore the case of a lower-cased or ALL-CAPS segment; the result has the segment's length."""
    t = _tables()
    low = segment.lower()
    if len(low) != len(segment):  # a character whose lower case is longer ("İ"): lower character by character
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in segment)
    out = list(low)
    words = list(WORD.finditer(low))
    for k, m in enumerate(words):
        w = m.group()
        prev = words[k - 1].group() if k else ""
        if w in MONTH_VERBS:
            between_prev = low[words[k - 1].end() : m.start()] if k else ""
            near_number = bool(re.match(r"[\s,]*\d", low[m.end() : m.end() + 6])) or bool(
                re.search(r"\d[\s,]*$", low[max(0, m.start() - 6) : m.start()]))
            form: str | None = w.capitalize() if near_number or (prev in MONTH_CUES and between_prev.strip() == "") else None
        elif w == "us":
            nxt_word = words[k + 1].group() if k + 1 < len(words) else ""
            glued = low[m.end() : m.end() + 1] == "-"
            form = "US" if prev == "the" or nxt_word in US_BEFORE or glued else None
        elif w == "i":
            form = "I"
        else:
            form = _word_form(t, w)
        if form is not None:
            out[m.start() : m.end()] = _same_length_case(w, form)
    for n in (3, 2):  # multi-word gazetteer names
        for k in range(len(words) - n + 1):
            a, z = words[k].start(), words[k + n - 1].end()
            phrase = low[a:z]
            if not re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)+", phrase):
                continue
            form = _gazetteer_phrase(phrase)
            if form is not None:
                out[a:z] = _same_length_case(phrase, form)
    res = "".join(out)
    ph = _phrases()
    if ph.lower is not None:
        for m in ph.lower.finditer(low):
            form = ph.form[m.group()]
            res = res[: m.start()] + _same_length_case(m.group(), form) + res[m.end() :]
    chars = list(res)
    dl = DATELINE.match(low)
    if dl:  # "maiduguri, nigeria, march 3, 2020 - ...": a dateline's place is written in capitals
        chars[dl.start(1) : dl.end(1)] = list(_same_length_case(dl.group(1), dl.group(1).upper()))
    for m in SENT_START.finditer(res):
        i = m.end()
        if i < len(chars):
            chars[i] = chars[i].upper() if len(chars[i].upper()) == 1 else chars[i]
    return "".join(chars)


def restore_case(text: str) -> tuple[str, CaseInfo]:
    """Find lower-cased documents and ALL-CAPS lines and restore their case (see the module docstring).
    Returns the text (same length, identical when nothing needed restoring) and what was done."""
    info = CaseInfo()
    n, up = _letters_share_upper(text)
    if n < 20:
        return text, info
    lines = text.splitlines(keepends=True)
    stats = [_letters_share_upper(line) for line in lines]
    # lower-cased: almost no capitals, or four fifths of the letters in lines without one (a header line kept)
    doc_lower = up < LOWER_DOC * n or sum(ln for ln, lup in stats if lup == 0) >= 0.8 * n
    if doc_lower:
        info.style = "lower"
    elif up > UPPER_LINE * n:
        info.style = "upper"
    pieces: list[str] = []
    pos = 0
    for line, (ln, lup) in zip(lines, stats, strict=True):
        start = pos
        pos += len(line)
        kind = None
        if doc_lower and lup < LOWER_DOC * ln and ln >= 3:
            kind = "lower"
        elif ln >= 12 and lup > UPPER_LINE * ln:
            kind = "upper"
        if kind is None:
            pieces.append(line)
            continue
        fixed = truecase(line)
        if kind == "lower" and lup:  # capitals the scrape kept stay
            fixed = "".join(c if c.isupper() else f for c, f in zip(line, fixed, strict=True))
        if len(fixed) != len(line):  # never shift offsets
            pieces.append(line)
            continue
        info.words_changed += sum(1 for a, b in zip(WORD.findall(line), WORD.findall(fixed), strict=False) if a != b)
        info.segments.append((start, pos, kind))
        if kind == "lower":
            info.lines_lower += 1
        else:
            info.lines_upper += 1
        pieces.append(fixed)
    out = "".join(pieces)
    return out, info
