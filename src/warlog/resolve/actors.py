"""Actor normalisation to ACLED-style names, inter codes and the interaction code."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from warlog.assets import load_json
from warlog.data import Actor, ActorMethod
from warlog.resolve.geocode import gazetteer

GENERIC = {"Civilians", "Protesters", "Rioters", "Unidentified Armed Group", "Police Forces", "Government Forces"}


@lru_cache(maxsize=1)
def state_forces() -> dict[str, str]:
    """Country -> the lexicon's name of its state (inter 1) forces: 'SY' -> 'Military Forces of Syria (2000-)'."""
    out: dict[str, str] = {}
    for a in load_json("actor_lexicon.json")["actors"]:
        if a.get("kind") == "state" and int(a["inter"]) == 1 and a.get("country"):
            out.setdefault(a["country"], a["name"])
    return out


@lru_cache(maxsize=1)
def _branches() -> dict[tuple[str, str], str]:
    """(group stem, country) -> branch name, e.g. ('Islamic State', 'IQ') -> 'Islamic State (Iraq)'."""
    out: dict[tuple[str, str], str] = {}
    for a in load_json("actor_lexicon.json")["actors"]:
        name = a["name"]
        if "(" in name and a.get("country") and name.startswith("Islamic State ("):
            out[("Islamic State", a["country"])] = name
    return out


def finalise_actor(actor: Actor | None, country: str | None) -> Actor | None:
    """Give generic actors their country and national groups the branch of the event country."""
    if actor is None:
        return None
    cname = gazetteer().country_name.get(country or "", None) if country else None
    name = actor.name
    if name in GENERIC:
        if name == "Police Forces":
            name = f"Police Forces of {cname}" if cname else "Police Forces (unspecified)"
        elif name == "Government Forces":
            name = state_forces().get(country or "") or (f"Military Forces of {cname}" if cname else name)
        else:
            name = f"{name} ({cname})" if cname else name
    elif name.startswith("Islamic State (") and country:
        name = _branches().get(("Islamic State", country), name)
    if name == actor.name:
        return actor
    return dataclasses.replace(actor, name=name, method=ActorMethod.LEXICON if actor.method == ActorMethod.LEXICON else actor.method)


def interaction_code(inter1: int, inter2: int) -> int:
    """ACLED interaction: the two inter codes, lower first ("17" state forces vs civilians); "10" alone."""
    if inter1 == 0 and inter2 == 0:
        return 0
    a, b = sorted((inter1, inter2))
    if a == 0:
        return b * 10
    return a * 10 + b
