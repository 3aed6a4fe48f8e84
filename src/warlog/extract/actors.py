"""Actor mentions from the actor lexicon (ACLED-style names and inter codes).

Aliases that are capitals used as metonyms for a government ("Damascus", "Moscow") count as actors only when
they act ("Damascus said", "Moscow launched") and are not governed by a preposition ("in Damascus").
Generic kinds take the event country: "civilians" -> "Civilians (Syria)", "gunmen" -> "Unidentified Armed
Group (Syria)"; country-bound groups with several national branches ("Islamic State") take the branch of the
event country when the lexicon has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warlog.assets import load_json

METONYMS = {"damascus", "moscow", "ankara", "tehran", "washington", "baghdad", "kabul", "riyadh", "assad", "israel",
            "turkey", "russia", "iran"}
ACTING = re.compile(
    r"^\W*(?:has|have|had|said|says|claimed|accused|denied|launched|sent|announced|struck|bombed|attacked|"
    r"deployed|ordered|responded|retaliated|and (?:its|his) allies|is|was|forces|troops|regime|backed|continued|"
    r"carried|began|stepped|pressed|intensified|shelled|seized|captured|recaptured)\b",
    re.I,
)
PREP_BEFORE = re.compile(r"\b(?:in|near|of|to|from|around|outside|into|across|inside|at|toward|towards)\s+$", re.I)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    inter: int
    country: str | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class ActorHit:
    start: int
    end: int
    text: str
    entry: ActorEntry


_LEARNED: dict[str, str] = {}  # alias -> actor name, from analysts' corrections (store.review)


def register_aliases(aliases: dict[str, str]) -> int:
    """Add learned aliases ("Ansar al-Din Front" -> "JNIM: ...") for the rest of the process; returns how many
    were new. Names the lexicon does not know become actors of their own (inter code of the closest kind: 3)."""
    new = {a: n for a, n in aliases.items() if _LEARNED.get(a) != n}
    if new:
        _LEARNED.update(new)
        _index.cache_clear()
    return len(new)


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, ActorEntry]]:
    lex = list(load_json("actor_lexicon.json")["actors"])
    known = {a["name"]: a for a in lex}
    for alias, name in _LEARNED.items():
        base = known.get(name)
        if base is None:
            base = {"name": name, "inter": 3, "aliases": [], "country": None, "kind": "learned"}
            known[name] = base
            lex.append(base)
        base = dict(base)
        lex.append({**base, "aliases": [alias]})
    by_alias: dict[str, ActorEntry] = {}
    sensitive: list[str] = []
    insensitive: list[str] = []
    for a in lex:
        entry = ActorEntry(a["name"], int(a["inter"]), a.get("country"), a.get("kind"))
        for alias in a["aliases"]:
            key = alias.lower()
            by_alias.setdefault(key, entry)
            (sensitive if (len(alias) <= 4 or alias.isupper() or alias[0].isupper()) else insensitive).append(alias)
            if len(alias) >= 4 and alias.isalpha() and alias.isupper():  # "Isis", "Nato": house styles of acronyms
                sensitive.append(alias.capitalize())

    def alt(xs: list[str]) -> str:
        return "|".join(re.escape(x) for x in sorted(set(xs), key=len, reverse=True))

    cs = re.compile(rf"(?<![\w-])(?:{alt(sensitive)})(?![\w-])")
    ci = re.compile(rf"(?<![\w-])(?:{alt(insensitive)})(?![\w-])", re.I)
    return cs, ci, by_alias


def find_actors(sentence: str) -> list[ActorHit]:
    cs, ci, by_alias = _index()
    hits: list[ActorHit] = []
    for pat in (cs, ci):
        for m in pat.finditer(sentence):
            if any(m.start() < h.end and h.start < m.end() for h in hits):
                continue
            text = m.group()
            entry = by_alias.get(text.lower())
            if entry is None:
                continue
            if text.lower() in METONYMS:
                if PREP_BEFORE.search(sentence[max(0, m.start() - 12) : m.start()]):
                    continue
                if not ACTING.match(sentence[m.end() : m.end() + 40]) and not sentence[m.end() : m.end() + 2].startswith("’s"):
                    continue
            hits.append(ActorHit(m.start(), m.end(), text, entry))
    # prefer the longest overlapping alias ("Syrian regime forces" over "Syrian regime")
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[ActorHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out
