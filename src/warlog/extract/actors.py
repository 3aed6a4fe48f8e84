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
from typing import Any

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


_NOT_ARMED = re.compile(r"\b(?:Party|League|Congress|Coalition|Union|Association|Federation|Students?|Workers|"
                        r"Supporters|Teachers|Journalists|Farmers|Traders|Council|Committee|Alliance)\b")
_ACRONYM_STOP = {"PDF", "USA", "CIA", "FBI", "NGO", "UN", "EU", "AU", "BBC", "CNN", "SMS", "GPS", "ICU", "VIP", "PM", "MP"}


def _fold_name(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.lower()).strip()


def _variants(name: str) -> set[str]:
    """Spellings of a group name in news text: 'Hayat Tahrir al Sham' -> also 'Hayat Tahrir al-Sham'."""
    out = {name}
    out.add(re.sub(r"\b(al|el|ad|ash|as|an|ar)\s+(?=[A-Z])", r"\1-", name))
    out.add(re.sub(r"\b(Al|El)\s+(?=[A-Z])", r"\1-", name))
    for v in list(out):  # "Maute group", "Arakan army"
        out.add(re.sub(r"\b(Group|Militia|Army|Front|Forces|Movement|Brigade|Battalion|Division)$", lambda m: m.group(1).lower(), v))
    return {v for v in out if v}


def learned_groups() -> list[dict[str, Any]]:
    """Named armed groups learned from ACLED's training records (``tools/build_actor_tables.py``): ACLED's name,
    inter code and aliases ('HTS: Hayat Tahrir al Sham' <- 'HTS', 'Hayat Tahrir al Sham', 'Hayat Tahrir al-Sham').
    Rebel, political and identity militias and external forces seen at least 10 times; names of a category bound
    to a country ('Fulani Ethnic Militia (Nigeria)') and combined names ('X and/or Y') are left out."""
    out = []
    for g in load_json("acled_actors.json")["groups"]:
        name, inter, n = g["name"], g.get("inter"), int(g.get("n", 0))
        if inter not in (2, 3, 4, 8) or n < 10 or "and/or" in name or name.endswith(")") or name.startswith("Former "):
            continue
        if inter == 3 and _NOT_ARMED.search(name):
            continue
        aliases: set[str] = set()
        acr, _, full = name.partition(": ")
        if full:
            if len(acr) >= 3 and acr.upper() == acr and acr not in _ACRONYM_STOP:
                aliases.add(acr)
            aliases |= _variants(full)
        elif len(name) >= 5:
            aliases |= _variants(name)
        if aliases:
            out.append({"name": name, "inter": inter, "aliases": sorted(aliases),
                        "country": (g.get("countries") or [None])[0], "kind": "acled"})
    return out


@lru_cache(maxsize=1)
def _index() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, ActorEntry]]:
    lex = [dict(a) for a in load_json("actor_lexicon.json")["actors"]]
    groups = learned_groups()
    # the lexicon's own spelling of a group ACLED names otherwise takes ACLED's name
    acled_by_alias = {_fold_name(al): g["name"] for g in groups for al in g["aliases"]}
    for a in lex:
        if a.get("kind") in ("state", "state_generic", "civilians", "protesters", "rioters", "unidentified"):
            continue
        full = a["name"].partition(": ")[2] or a["name"]
        acled = acled_by_alias.get(_fold_name(full))
        if acled and acled != a["name"]:
            a["name"] = acled
    lex += groups
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
