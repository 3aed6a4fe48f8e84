"""A report's total fatalities: the counts of one text combined into one low/best/high, and ACLED's figure.

Combination rules (each is a test case):

* distinct victim groups add up: "killing 4 soldiers and 2 police officers. 3 militants were also killed" -> 9;
* an increment adds ("killed 400 civilians ... another 400" -> 800);
* a subset does not add: "12 people were killed, including 3 children" -> 12;
* the same group restated is the larger figure, not a sum ("at least 20 killed ... the toll rose to 25" -> 25);
* cumulative counts ("since 2013", "so far this year") and injuries never count;
* a death reported without a number: a singular victim ("a soldier was killed") is 1; an unnumbered plural
  ("militants were killed", "unknown fatalities") is ``unknown``, which ACLED codes as 10 (its stated rule for
  reports of deaths with no figure); vague words keep their literal minimum in ``best`` and ACLED's conventional
  figure in ``acled`` ("several"/"many" -> 10, "dozens" -> 12, "scores" -> 20, "hundreds" -> 100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from warlog.extract.casualties import CIVILIAN_NOUNS, CountHit, find_counts
from warlog.extract.sentences import split_sentences

ACLED_VAGUE = {"a few": 3, "few": 3, "several": 10, "many": 10, "numerous": 10, "a number": 10, "dozens": 12,
               "tens": 12, "scores": 20, "hundreds": 100, "thousands": 1000}
ACLED_UNKNOWN = 10
SINGLE_DEATH = re.compile(
    r"\b(?:an?|one) (?:[\w'’-]+ ){0,3}?(?:man|woman|boy|girl|child|civilian|soldier|policeman|police officer|officer|"
    r"militant|fighter|rebel|member|commander|leader|journalist|farmer|teacher|student|protester|person|resident|"
    r"villager|driver|guard|trader|cleric|official|worker|doctor|nurse|refugee|shepherd|herder|insurgent|gunman|"
    r"attacker|assailant|suspect|recruit|militiaman|jihadist|terrorist|elder|chief|imam|priest|pilot|passenger|bomber)\b"
    r"(?:[^.;]{0,40}?)\b(?:was|were|has been|had been|is)?\s*(?:reportedly\s+)?(?:killed|shot dead|gunned down|"
    r"executed|beheaded|died|slain|murdered|stabbed to death|beaten to death|lynched|assassinated)\b"
    r"|\bthe (?:suicide )?(?:bomber|attacker|assailant|gunman|perpetrator) (?:\w+ ){0,2}?(?:was |were )?(?:also )?(?:killed|died|shot dead)\b"
    r"|\b(?:beat|beating|stoned|hacked|burned|burnt) (?:an?|one) (?:[\w'’-]+ ){0,2}?(?:man|woman|boy|girl|child|person|"
    r"youth|suspect|trader|farmer|herder)\b (?:\w+ ){0,2}to death"
    r"|\b(?:killing|killed|kills|shot dead|gunned down|executed|beheaded|murdered|assassinated|lynched) (?:an?|one) "
    r"(?:[\w'’-]+ ){0,3}?(?:man|woman|boy|girl|child|civilian|soldier|policeman|officer|militant|fighter|member|"
    r"commander|leader|journalist|farmer|teacher|student|protester|person|resident|villager|driver|guard|trader|"
    r"cleric|official|worker|doctor|nurse|insurgent|elder|chief|imam|priest)\b",
    re.I,
)
UNNUMBERED = re.compile(
    r"\b(?:killed|killing) (?:an? )?(?:unknown|unspecified|undisclosed) (?:number|numbers)|"
    r"\b(?:unknown|unspecified|undisclosed|unconfirmed) (?:number of )?(?:fatalities|casualties|deaths|dead|killed)|"
    r"\b(?:fatalities|casualties|deaths) (?:were |was )?(?:reported|feared|confirmed)|"
    r"\b(?:\w+ )?(?:militants|fighters|soldiers|rebels|insurgents|civilians|people|attackers|terrorists|troops|gunmen|"
    r"members|protesters) (?:were |have been |had been |being )?(?:reportedly )?(?:killed|dead|died)\b|"
    r"\binflicting (?:\w+ )?(?:casualties|fatalities|losses)|resulting in (?:\w+ )?(?:fatalities|deaths)",
    re.I,
)
NO_DEATHS = re.compile(r"\bno (?:one|body|fatalities|casualties|deaths|injuries|one was (?:killed|hurt))\b|\bnobody\b", re.I)
INCLUDING = re.compile(r"\b(?:including|among them|among whom|of whom|of them|most of them|mostly)\s+$", re.I)


@dataclass(slots=True)
class FatalityEstimate:
    low: int | None
    best: int | None
    high: int | None
    civilian: int | None
    acled: int  # ACLED's coded fatalities
    unknown: bool = False  # deaths reported without a number
    evidence: list[tuple[int, int]] = field(default_factory=list)


def _group(h: CountHit) -> str:
    noun = (h.victim or "people").lower()
    noun = re.sub(r"^(?:[\w'’-]+\s+){0,2}?(?=\w+$)", "", noun)
    return noun


def estimate(text: str) -> FatalityEstimate:
    counts: list[tuple[int, CountHit]] = []
    cumulative_only: list[tuple[int, int]] = []
    sentences = split_sentences(text) or []
    for s in sentences:
        for h in find_counts(s.text(text)):
            if h.kind == "killed" and not h.cumulative:
                counts.append((s.start, h))
            elif h.kind == "killed":
                cumulative_only.append((s.start + h.start, s.start + h.end))
    singles = [m for m in _singles(text) if not any(o + h.start < m.end() and m.start() < o + h.end for o, h in counts)]
    if not counts and len(singles) > 1:
        civ_n = sum(1 for m in singles if _civilian_single(m.group()))
        return FatalityEstimate(len(singles), len(singles), len(singles), civ_n, len(singles), False,
                                [(m.start(), m.end()) for m in singles])
    if not counts and singles and _numeric_conjuncts(text, singles):
        n = len(singles) + _numeric_conjuncts(text, singles)
        return FatalityEstimate(n, n, n, None, n, False, [(m.start(), m.end()) for m in singles])
    if not counts:
        single = SINGLE_DEATH.search(text)
        if single:
            is_civ = bool(re.search(rf"\b(?:{CIVILIAN_NOUNS}|man|woman|boy|girl|child|farmer|teacher|student|villager|resident|"
                                 r"journalist|driver|trader|cleric|worker|doctor|nurse|elder|chief|imam|priest)\b", single.group(), re.I))
            return FatalityEstimate(1, 1, 1, 1 if is_civ else 0, 1, False, [(single.start(), single.end())])
        unnumbered = UNNUMBERED.search(text)
        if unnumbered and any(a < unnumbered.end() and unnumbered.start() < b for a, b in cumulative_only):
            unnumbered = None  # "300 people have been killed since ...": a running total, not this event
        if unnumbered and not NO_DEATHS.search(text):
            return FatalityEstimate(1, None, None, None, ACLED_UNKNOWN, True, [(unnumbered.start(), unnumbered.end())])
        return FatalityEstimate(0, 0, 0, 0, 0)
    # restated groups take the larger count; distinct groups and increments add; subsets ("including 3 children") do not
    by_group: dict[str, list[CountHit]] = {}
    increments: list[CountHit] = []
    evidence: list[tuple[int, int]] = []
    for off, h in counts:
        evidence.append((off + h.start, off + h.end))
        left = text[max(0, off + h.start - 30) : off + h.start]
        if INCLUDING.search(left):
            continue
        if h.quantity.increment:
            increments.append(h)
            continue
        by_group.setdefault(_group(h), []).append(h)
    # a generic total ("people", "others") alongside specific groups is the total, not one more group
    generic = {g for g in by_group if g in ("people", "persons", "individuals", "bodies", "lives", "dead")}
    specific = [g for g in by_group if g not in generic and g != "others"]
    groups: list[CountHit] = []
    for hs in by_group.values():
        groups.append(max(hs, key=lambda h: h.quantity.best or 0))
    low = sum((h.quantity.low or 0) for h in groups) + sum((h.quantity.low or 0) for h in increments)
    best = sum((h.quantity.best or 0) for h in groups) + sum((h.quantity.best or 0) for h in increments)
    high_parts = [h.quantity.high for h in groups + increments]
    high = None if any(x is None for x in high_parts) else sum(x or 0 for x in high_parts)
    if generic and specific:
        gen_best = max((h.quantity.best or 0) for g in generic for h in by_group[g])
        spec_best = sum(max((h.quantity.best or 0) for h in by_group[g]) for g in specific)
        if gen_best >= spec_best:  # "12 people were killed: 8 soldiers and 4 civilians"
            best = gen_best + sum((h.quantity.best or 0) for h in increments)
            low = max((h.quantity.low or 0) for g in generic for h in by_group[g])
            high = None
    extra = len(singles) + _numeric_conjuncts(text, singles)  # "killing an elderly woman and 2 men", "the attacker was also killed"
    low, best = low + extra, best + extra
    high = None if high is None else high + extra
    civ = sum((h.quantity.best or 0) for h in groups + increments if h.civilian) + sum(
        1 for m in singles if _civilian_single(m.group()))
    acled = 0
    for h in groups + increments:
        acled += _acled_count(text, h)
    acled += extra
    if generic and specific and best is not None and best < acled:
        acled = best
    return FatalityEstimate(low, best, high, civ, acled, False, evidence)


def _acled_count(text: str, h: CountHit) -> int:
    del text
    if h.vague is not None:
        return ACLED_VAGUE.get(h.vague, ACLED_UNKNOWN)
    return h.quantity.best or 0


SINGLE_CONJUNCT = re.compile(
    r"\s*(?:,|,? and)\s+(?:an?|one) (?:[\w'’-]+ ){0,2}?(?:man|woman|boy|girl|child|civilian|soldier|policeman|officer|"
    r"militant|fighter|person|resident|villager|driver|guard|elder|baby|infant)\b",
    re.I,
)
_CIV_SINGLE = re.compile(
    rf"\b(?:{CIVILIAN_NOUNS}|man|woman|boy|girl|child|farmer|teacher|student|villager|resident|journalist|driver|trader|"
    r"cleric|worker|doctor|nurse|elder|chief|imam|priest|baby|infant)\b",
    re.I,
)


def _civilian_single(s: str) -> bool:
    return bool(_CIV_SINGLE.search(s)) and not re.search(
        r"\b(?:soldier|policeman|officer|militant|fighter|attacker|assailant|bomber|gunman|insurgent|jihadist|terrorist|"
        r"commander|guard|recruit|militiaman)\b", s, re.I)


def _singles(text: str) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    for m in SINGLE_DEATH.finditer(text):
        out.append(m)
        pos = m.end()
        while (c := SINGLE_CONJUNCT.match(text, pos)) is not None:
            out.append(c)
            pos = c.end()
    return out


def _numeric_conjuncts(text: str, singles: list[re.Match[str]]) -> int:
    """'killing an elderly woman and 2 men': the numbered conjunct after a singular victim."""
    from warlog.extract.casualties import CONJUNCT, parse_quantity

    n = 0
    for m in singles:
        c = CONJUNCT.match(text, m.end())
        if c is not None and (q := parse_quantity(c)) is not None:
            n += q.best or 0
    return n


# ---------------------------------------------------------------- ACLED's coding of a note's fatalities

_NUM_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
CODED_AS = re.compile(r"\bcoded (?:here )?as (\d{1,4})\b(?! ?(?:at|in|to)\b)", re.I)
CODED_HALF = re.compile(r"\b(?:coded as half|half (?:of them )?(?:are |were |is )?coded(?: as fatalities)?)\b", re.I)
SPLIT_EVENTS = re.compile(r"\b(?:split|coded|divided|spread) (?:across|over|between|into) (\d+|two|three|four|five|six|seven|eight|nine|ten) events\b", re.I)
STATE_VICTIM = re.compile(
    r"\b(?:soldiers?|troops|servicemen|police(?:men|man| officers?| personnel)?|security (?:forces|personnel|guards|officers)|"
    r"ANDSF|ANA|ANP|ALP|NDS|Arbakis?|local police(?:men)?|border (?:guards|police)|commandos|army (?:personnel|officers)|"
    r"officers|(?:pro-government )?militiamen|guards|personnel|rangers)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class AcledFatalities:
    value: int
    method: str  # "count" | "note: coded as N" | "note: coded as half" | "note: split across N events" | "convention: ..."
    estimate: FatalityEstimate


def _only_state_victims(text: str) -> bool:
    killed = [h for s in split_sentences(text) for h in find_counts(s.text(text)) if h.kind == "killed" and not h.cumulative]
    return bool(killed) and all(h.victim and STATE_VICTIM.search(h.victim) and not h.civilian for h in killed)


def conventions() -> dict[str, dict[str, float]]:
    """Per-country fatality conventions measured on ACLED's training notes (``tools/learn_fatality_conventions.py``)."""
    from warlog.assets import asset_path, load_json

    if not asset_path("fatality_conventions.json").exists():
        return {}
    return dict(load_json("fatality_conventions.json")["countries"])


def acled_fatalities(text: str, country: str | None = None) -> AcledFatalities:
    """ACLED's coded fatalities of a note: the note's own coding remark first ("Unknown fatalities coded as 10",
    "Fatalities are coded as half", "13 fatalities split over 2 events"), then a convention measured on the
    training notes of the event country (``conventions()``: e.g. deaths of state forces reported in the note coded
    as 0 where ACLED's notes of that country do so in most cases), then the count (``estimate``)."""
    est = estimate(text)
    coded = CODED_AS.search(text)
    if coded and re.search(r"fatalit|death|casualt|killed|dead", text[max(0, coded.start() - 80) : coded.start()], re.I):
        return AcledFatalities(int(coded.group(1)), f"note: coded as {coded.group(1)}", est)
    split = SPLIT_EVENTS.search(text)
    if split and est.acled:
        k = split.group(1).lower()
        n = int(k) if k.isdigit() else _NUM_WORDS.get(k, 1)
        return AcledFatalities(-(-est.acled // max(n, 1)), f"note: split across {n} events", est)
    if CODED_HALF.search(text) and est.acled:
        return AcledFatalities(est.acled // 2, "note: coded as half", est)
    conv = conventions().get(country or "", {})
    if est.acled and conv.get("state_victims_zero", 0.0) >= 0.6 and _only_state_victims(text):
        return AcledFatalities(0, f"convention: state-force deaths coded 0 in {country} "
                                  f"({conv['state_victims_zero']:.0%} of {int(conv.get('n', 0))} training notes)", est)
    return AcledFatalities(est.acled, "count", est)
