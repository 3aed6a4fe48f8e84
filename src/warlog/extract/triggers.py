"""Event triggers: which sentences report a political-violence event, and of what ACLED type.

A sentence is typed by its highest-priority trigger that survives the filters below:
* hypothetical or future ("poised to launch a ground assault", "gearing up for a fresh assault", "a prelude
  to", "could", "threatened to"), negated ("no", "denied") or purposive ("an offensive to re-take") triggers;
* scare-quoted triggers (“liberating”);
* verbal attacks ("activists attacked Israel, accusing it of ...");
* generic references to a weapon or to fighting in general ("the use of chemical weapons", "the prohibition of",
  "an end to the fighting", "the fight against");
* triggers inside a proper name ("the Organisation for the Prohibition of Chemical Weapons").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warlog.assets import load_json
from warlog.literals import CASE_FOLD_EXTRA, word_gate


@dataclass(frozen=True, slots=True)
class TriggerRule:
    regex: re.Pattern[str]
    event_type: str
    sub_event_type: str
    priority: int
    kind: str
    plover: str | None


@dataclass(frozen=True, slots=True)
class TriggerHit:
    start: int
    end: int
    text: str
    event_type: str
    sub_event_type: str
    priority: int
    kind: str
    plover: str | None


HYPOTHETICAL = re.compile(
    r"\b(?:will|would(?!-be)|could|might|called on (?:\w+ ){0,2}to|(?-i:may)|shall|poised to|set to|about to|prepar(?:e|es|ed|ing) (?:to|for)|gearing up for|"
    r"gear(?:s|ing)? up for|intends? to|intended to|plan(?:s|ned|ning)? (?:to|for)|threat(?:en|ens|ened) (?:to|with)|"
    r"vow(?:s|ed)? to|promis(?:e|es|ed) (?:to|further)|prelude to|warn(?:s|ed|ing)? (?:of|that|against)|fears? (?:of|that)|"
    r"expected to|likely to|to prevent|prevent(?:ed|ing)?|to stop|to avoid|call(?:s|ed)? for|demand(?:s|ed)? (?:that|an end)|"
    r"no|not|never|den(?:y|ied|ies)|without|if|unless|possible|potential|in case of|risk of|ready (?:to|for)|threat of)"
    r"(?:\W+[\w’'-]+){0,4}\W*$",
    re.I,
)
PURPOSE = re.compile(r"\bto\s+$|\bin order to\s+$|\baim(?:s|ed|ing)? (?:to|at)\s+$|\bbid to\s+$", re.I)
SPEECH = re.compile(
    r"\b(?:accus\w+|criticis\w+|criticiz\w+|condemn\w*|verbal(?:ly)?|rhetoric|tweet\w*|online|spokesperson|"
    r"slammed|lambast\w+|hypocrisy|in a statement|op-ed|editorial|on social media)\b",
    re.I,
)
OPEN_QUOTE = "“\"'‘"
CLOSE_QUOTE = "”\"'’"


@lru_cache(maxsize=1)
def rules() -> tuple[TriggerRule, ...]:
    lex = load_json("event_lexicon.json")["triggers"]
    out = []
    for t in lex:
        out.append(
            TriggerRule(
                regex=re.compile(rf"(?<![\w-])(?:{t['pattern']})(?![\w-])", re.I),
                event_type=t["event_type"],
                sub_event_type=t["sub_event_type"],
                priority=int(t["priority"]),
                kind=t["kind"],
                plover=t.get("plover"),
            )
        )
    return tuple(sorted(out, key=lambda r: -r.priority))


_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class _WordIndex:
    """The prefilter as lookups per word, from each rule's word gate (``warlog.literals``): whole words (a
    literal beginning whose letters end before a space or hyphen, as "a" in "a mob", must be a whole word),
    three-letter beginnings (then a ``startswith`` check) and shorter beginnings; rules that are not anchored at a
    word start or can't be bounded are always tried."""

    always: frozenset[int]
    whole: dict[str, tuple[int, ...]]
    by3: dict[str, tuple[tuple[str, int], ...]]
    short: dict[str, tuple[int, ...]]


@lru_cache(maxsize=1)
def _word_index() -> _WordIndex:
    always: set[int] = set()
    whole: dict[str, list[int]] = {}
    by3: dict[str, list[tuple[str, int]]] = {}
    short: dict[str, list[int]] = {}
    for i, r in enumerate(rules()):
        gate = word_gate(r.regex)
        if gate is None or not gate.anchored:
            always.add(i)
            continue
        for run in gate.whole:
            whole.setdefault(run, []).append(i)
        for run in gate.begins:
            if len(run) >= 3:
                by3.setdefault(run[:3], []).append((run, i))
            else:
                short.setdefault(run, []).append(i)
    return _WordIndex(frozenset(always), {k: tuple(v) for k, v in whole.items()},
                      {k: tuple(v) for k, v in by3.items()}, {k: tuple(v) for k, v in short.items()})


def _candidate_rules(low: str) -> list[TriggerRule]:
    """The rules some word of lower-cased ``low`` can start a match of, in priority order."""
    ix = _word_index()
    found = set(ix.always)
    whole, by3, short = ix.whole, ix.by3, ix.short
    for w in _RUN.findall(low):
        if w in whole:
            found.update(whole[w])
        for run, i in by3.get(w[:3], ()):
            if w.startswith(run):
                found.add(i)
        if short:
            for k in (1, 2):
                if w[:k] in short:
                    found.update(short[w[:k]])
    allr = rules()
    return [allr[i] for i in sorted(found)]


GENERIC = re.compile(
    r"\b(?:(?:the|its|their|any|of) use of|use of|prohibition of|ban(?:ning)? (?:on )?(?:the )?(?:use of )?|stockpiles? of|"
    r"(?:an |the )?end to (?:the )?|cessation of (?:the )?|halt (?:to )?(?:the )?|the fight against|"
    r"normali[sz]e the use of|programmes? of|experts? on)\W*$",
    re.I,
)


def is_generic(sentence: str, start: int) -> bool:
    """A trigger told as a generic reference, not as something that happened: "the use of chemical weapons",
    "the prohibition of chemical weapons", "an end to the fighting"."""
    return bool(GENERIC.search(sentence[max(0, start - 40) : start]))


_WORD = re.compile(r"[A-Za-z][\w’'-]*")


def in_proper_name(sentence: str, start: int, end: int) -> bool:
    """A trigger whose words are all capitalised, not at the start of a sentence written in normal case, is part of
    a name ("the Organisation for the Prohibition of Chemical Weapons", "Syrian Observatory for Human Rights")."""
    words = _WORD.findall(sentence[start:end])
    if not words or not all(w[0].isupper() for w in words) or not sentence[:start].strip():
        return False
    allw = _WORD.findall(sentence)
    caps = sum(1 for w in allw if w[0].isupper())
    return caps / max(1, len(allw)) < 0.5


REALISED = re.compile(r"\b(?:after|following|since)\b", re.I)


def is_hypothetical(sentence: str, start: int) -> bool:
    """A future, conditional, negated or purposive frame within a few words before ``start`` ("poised to
    launch", "could", "no"); a frame before "after"/"following"/"since" does not reach past it ("will advance
    to X after seizing Y": the seizure happened)."""
    left = sentence[max(0, start - 70) : start]
    cuts = [m.end() for m in REALISED.finditer(left)]
    if cuts:
        left = left[cuts[-1] :]
    return bool(HYPOTHETICAL.search(left))


def is_scare_quoted(sentence: str, start: int, end: int) -> bool:
    return start > 0 and end < len(sentence) and sentence[start - 1] in OPEN_QUOTE and sentence[end] in CLOSE_QUOTE


def find_triggers(sentence: str, use_prefilter: bool = True) -> list[TriggerHit]:
    """All surviving trigger hits in a sentence, best (highest priority, then earliest) first. The prefilter (the
    literal beginnings of each rule) tries only the rules that can match; ``use_prefilter=False`` tries every rule."""
    if use_prefilter:
        low = sentence.lower()
        todo = list(rules()) if CASE_FOLD_EXTRA.search(low) else _candidate_rules(low)
        if not todo:
            return []
    else:
        todo = list(rules())
    hits: list[TriggerHit] = []
    taken: list[tuple[int, int]] = []
    for rule in todo:
        for m in rule.regex.finditer(sentence):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if is_scare_quoted(sentence, s, e) or is_hypothetical(sentence, s):
                continue
            if is_generic(sentence, s) or in_proper_name(sentence, s, e):
                continue
            if rule.kind == "territory" and PURPOSE.search(sentence[max(0, s - 25) : s]):
                continue
            if rule.kind == "attack" and SPEECH.search(sentence):
                continue
            taken.append((s, e))
            hits.append(
                TriggerHit(s, e, m.group(), rule.event_type, rule.sub_event_type, rule.priority, rule.kind, rule.plover)
            )
    hits.sort(key=lambda h: (-h.priority, h.start))
    return hits
