"""Fatality and injury counts with their qualifiers.

Only numbers tied to a death (or injury) expression count: "killed over 400 civilians", "another 400",
"claimed hundreds of lives", "the death toll rose to 25", "12 soldiers were killed". Population and other
figures ("400,000 residents", "200,000 people in 2011", "a seven-year war") never match because no death
expression governs them.

Quantities follow UCDP low/best/high. Vague words take their literal minimum as ``low`` and ``best``
("dozens" -> 24, "hundreds" -> 200) and the top of their range as ``high`` ("hundreds" -> 999). "over/more than N" ->
low N+1; "at least N" -> low N; "up to N" -> high N; ranges "10 to 15" -> low 10, high 15, best 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from warlog.data import Quantity
from warlog.literals import may_match

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
VAGUE: dict[str, tuple[int, int, int]] = {  # word -> (low, best, high): the literal minimum, then the range top
    "a few": (2, 3, 5), "few": (2, 3, 5), "several": (3, 3, 9), "many": (3, 3, 99), "numerous": (3, 3, 99),
    "dozens": (24, 24, 99), "scores": (40, 40, 99), "tens": (20, 20, 99), "hundreds": (200, 200, 999),
    "thousands": (2000, 2000, 9999), "a number": (2, 3, 9),
}
_NUMWORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s*(?:hundred|thousand))?|(?:{'|'.join(TENS)})-(?:one|two|three|four|five|six|seven|eight|nine)|"
    rf"(?:{_NUMWORD})(?:\s+hundred)?|a hundred|a thousand)"
)
_VAGUE = r"(?:a few|several|many|numerous|dozens|scores|tens|hundreds|thousands|a number)(?:\s+of)?"
_QUAL = (
    r"(?:at least|more than|over|upwards of|in excess of|nearly|almost|close to|about|around|approximately|roughly|"
    r"some|up to|as many as|another|a further|an additional|a total of|an estimated|only|just)"
)
QTY = rf"(?P<qual>{_QUAL}\s+)?(?:(?P<num>{_NUM})(?:\s*(?:-|–|to|or)\s*(?P<num2>{_NUM}))?|(?P<vague>{_VAGUE}))"
CIVILIAN_NOUNS = (
    r"civilians?|children|child|kids|women|residents|villagers|worshippers|farmers|passengers|students|pupils|patients|"
    r"families|family members|refugees|displaced people|aid workers|journalists|medics|doctors|nurses|shoppers|"
    r"pilgrims|fishermen|herders|infants|babies|girls|boys|inhabitants|protesters|demonstrators|mourners|guests"
)
ARMED_NOUNS = (
    r"soldiers|troops|fighters|militants|insurgents|rebels|jihadists|gunmen|policemen|police officers|officers|"
    r"servicemen|combatants|militiamen|members|commanders|guards|personnel|attackers|assailants|recruits|extremists|"
    r"Taliban|Houthis|Huthis|Shabaab|Shabab|bandits|terrorists|pirates|mercenaries|loyalists|Peshmerga|paramilitaries|"
    r"gendarmes|fighters from both sides|men|women"
)
VICTIM = rf"(?P<noun>(?:[\w'’-]+\s+){{0,2}}?(?:{CIVILIAN_NOUNS}|{ARMED_NOUNS}|people|persons|others|individuals|bodies|lives))"
KILL_AFTER = (
    r"(?:killed|killing|kills|kill|slaughtered|massacred|executed|shot dead|gunned down|claimed the lives of|"
    r"claiming the lives of|took the lives of|taking the lives of|left|leaving|killed at least)"
)
DEAD_AFTER = (
    r"(?:(?:were|have been|had been|was|are|being|reportedly|allegedly|believed to have been|were reportedly|"
    r"have reportedly been)\s+)*(?:killed|dead|died|slain|perished|executed|massacred|lost their lives|shot dead|"
    r"confirmed dead|feared dead)"
)
INJ_AFTER = r"(?:(?:were|have been|had been|was|are|being|reportedly)\s+)*(?:injured|wounded|hurt|maimed)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("killed", re.compile(rf"\b{KILL_AFTER}\s+{QTY}(?:\s+{VICTIM})?", re.I)),
    ("killed", re.compile(rf"\b{QTY}\s+(?:{VICTIM}\s+(?:[\w’'-]+\s+){{0,3}}?)?{DEAD_AFTER}\b", re.I)),
    ("killed", re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|reached|hit)\s+{QTY}", re.I)),
    ("killed", re.compile(rf"\bclaim(?:ed|ing|s)?\s+{QTY}\s+(?:\w+\s+)?lives\b", re.I)),
    ("killed", re.compile(rf"\b{QTY}\s+(?:\w+\s+)?(?:deaths|fatalities|dead)\b", re.I)),
    ("injured", re.compile(rf"\b(?:injur(?:ed|ing)|wound(?:ed|ing))\s+{QTY}(?:\s+{VICTIM})?", re.I)),
    ("injured", re.compile(rf"\b{QTY}\s+(?:{VICTIM}\s+(?:[\w’'-]+\s+){{0,2}}?)?{INJ_AFTER}\b", re.I)),
]
CONJUNCT = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+){QTY}\s+{VICTIM}", re.I)
_WAR = r"(?:war|conflict|uprising|insurgency|rebellion|revolt|revolution|crisis|violence|unrest)"
CUMULATIVE = re.compile(
    r"\b(?:since (?:the (?:start|beginning|outbreak|onset|end)|(?:early |late |mid-?)?\d{4}|last|then|it (?:began|started|erupted)|"
    rf"the {_WAR}|(?:syria['’]?s |the country['’]?s )?(?:\w+ )?{_WAR}|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"between (?:the end|the start|\w+ \d|last)|so far|to date|in total|in all\b(?! of)|overall|all told|"
    r"cumulative|over the (?:past|last|course of) (?:\w+ )?(?:years?|months?|weeks?|decades?)|throughout the war|during the war|"
    r"of the war|in (?:the )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)(?:-\d/\d)?[- ]years?\b|"
    r"this year|last year|per (?:year|month)|each (?:year|month)|"
    rf"{_WAR}(?:,)? (?:that |which )?(?:has|have|had) (?:so far |now |already |since )?(?:killed|claimed|left|taken|cost)|"
    rf"(?:the |syria['’]?s |the country['’]?s )(?:\w+[- ]year(?:[- ]old)?|multi-front|civil|brutal|bloody|long|\w+-sided)[- ]"
    rf"(?:\w+ )?{_WAR}|(?:bombing|air) campaign (?:has|had) (?:killed|claimed|left)|offensive (?:has|had) (?:killed|claimed|left)|"
    rf"death toll (?:in|of|from) the {_WAR}|"
    r"in (?:the )?(?:first |past |last )?(?:\w+ |\d+ )?(?:days|weeks|months|years) of\b|"
    r"(?:in|during|throughout) (?:that|the|this|its|their) (?:\w+ )?(?:campaign|offensive|bombardment|assault|siege|onslaught)\b)",
    re.I,
)


# "More than 200,000 people have been killed": a count this large is a war's toll (or a population), never one
# event's deaths, even without a period cue
WAR_SCALE = 5000


@dataclass(slots=True)
class CountHit:
    kind: str  # killed | injured
    start: int
    end: int
    quantity: Quantity
    civilian: bool
    victim: str | None
    cumulative: bool
    vague: str | None = None  # the vague word ("several", "dozens") when the count is one
    conjunct: bool = False  # shares the verb of the previous count ("20 fighters and eight soldiers were killed")


def _num(text: str) -> int | None:
    t = text.lower().strip()
    if t in ("a hundred",):
        return 100
    if t in ("a thousand",):
        return 1000
    mult = 1
    for word, m in (("hundred", 100), ("thousand", 1000)):
        if t.endswith(word):
            mult = m
            t = t[: -len(word)].strip()
    if not t:
        return mult
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", t):
        return int(float(t.replace(",", "")) * mult)
    if "-" in t:
        a, _, b = t.partition("-")
        if a in TENS and b in UNITS:
            return (TENS[a] + UNITS[b]) * mult
    if t in UNITS:
        return UNITS[t] * mult
    if t in TENS:
        return TENS[t] * mult
    return None


def parse_quantity(m: re.Match[str]) -> Quantity | None:
    qual = (m.group("qual") or "").strip().lower()
    vague = m.group("vague")
    if vague:
        key = re.sub(r"\s+of$", "", vague.lower()).strip()
        low, best, high = VAGUE.get(key, (2, 10, 99))
        q = Quantity(low=low, best=best, high=high, approximate=True)
    else:
        n1 = _num(m.group("num"))
        if n1 is None:
            return None
        n2 = _num(m.group("num2")) if m.group("num2") else None
        if n2 is not None and n2 >= n1:
            q = Quantity(low=n1, best=n1, high=n2)
        else:
            q = Quantity(low=n1, best=n1, high=n1)
    if qual in ("more than", "over", "upwards of", "in excess of"):
        q.low = (q.low or 0) + (0 if q.approximate else 1)
        q.best = max(q.best or 0, q.low)
        q.high = None
    elif qual in ("at least",):
        q.high = None
    elif qual in ("up to", "as many as"):
        q.high = q.best
        q.low = 1 if not q.approximate else q.low
    elif qual in ("nearly", "almost", "close to", "about", "around", "approximately", "roughly", "some", "an estimated"):
        q.approximate = True
        if qual in ("nearly", "almost", "close to") and q.best:
            q.high = q.best
    elif qual in ("another", "a further", "an additional"):
        q.increment = True
    return q


def find_counts(sentence: str) -> list[CountHit]:
    hits: list[CountHit] = []
    cumulative_sentence = bool(CUMULATIVE.search(sentence))
    low = sentence.lower()
    for kind, pat in PATTERNS:
        if not may_match(pat, low):
            continue
        for m in pat.finditer(sentence):
            if any(m.start() < h.end and h.start < m.end() for h in hits):
                continue
            num_text = m.group("num") or ""
            following = sentence[m.end() : m.end() + 12].lower()
            if num_text and re.fullmatch(r"\d{4}", num_text) and not m.group("noun"):
                continue  # a year, not a count
            if re.match(r"\s*(?:-|–)?\s*(?:year|month|week|day|hour|km|kilomet|mile|percent|%)", following):
                continue
            q = parse_quantity(m)
            if q is None:
                continue
            noun = (m.groupdict().get("noun") or "").lower() or None
            civilian = bool(noun and re.search(rf"\b(?:{CIVILIAN_NOUNS})\b", noun))
            # cumulative only when the count sits in the part of the sentence that carries the period cue
            cum = cumulative_sentence and not q.increment and _cue_near(sentence, m.start(), m.end())
            cum = cum or (kind == "killed" and (q.best or 0) >= WAR_SCALE)
            vague = re.sub(r"\s+of$", "", m.group("vague").lower()).strip() if m.group("vague") else None
            hits.append(CountHit(kind, m.start(), m.end(), q, civilian, noun, cum, vague))
            if kind == "killed" and m.groupdict().get("noun"):
                # conjuncts share the verb: "killing 4 soldiers and 2 police officers", "20 insurgents and 2 soldiers were killed"
                pos = m.end("noun")
                while (c := CONJUNCT.match(sentence, pos)) is not None:
                    cq = parse_quantity(c)
                    if cq is None:
                        break
                    cnoun = (c.group("noun") or "").lower() or None
                    cciv = bool(cnoun and re.search(rf"\b(?:{CIVILIAN_NOUNS})\b", cnoun))
                    if any(c.start() < h.end and h.start < c.end() for h in hits[:-1]):
                        break
                    hits.append(CountHit(kind, c.start("qual") if c.group("qual") else c.start("num") if c.group("num") else c.start("vague"),
                                         c.end(), cq, cciv, cnoun, cum, None, True))
                    pos = c.end()
    hits.sort(key=lambda h: h.start)
    for prev, cur in zip(hits, hits[1:], strict=False):
        if cur.quantity.increment and cur.victim is None and prev.kind == cur.kind:
            cur.civilian, cur.victim = prev.civilian, prev.victim  # "killing 400 civilians ... another 400"
    return hits


def _cue_near(sentence: str, start: int, end: int) -> bool:
    return period_cue(sentence, start, end) is not None


def period_cue(sentence: str, start: int, end: int) -> re.Match[str] | None:
    """The period cue that makes the count at ``start:end`` a cumulative or period toll ("since 2011", "the war
    has killed", "so far this year"), within 60 characters before it or 90 after."""
    lo = max(0, start - 60)
    return CUMULATIVE.search(sentence, lo, min(len(sentence), end + 90))
