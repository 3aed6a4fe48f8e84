"""Actor normalisation to ACLED-style names, inter codes and the interaction code."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=1)
def acled_tables() -> dict[str, Any]:
    """ACLED naming tables learned by ``tools/build_actor_tables.py`` (``assets/acled_actors.json``)."""
    return dict(load_json("acled_actors.json"))


@lru_cache(maxsize=1)
def _periods() -> dict[str, tuple[list[dt.date], list[str]]]:
    out: dict[str, tuple[list[dt.date], list[str]]] = {}
    for iso2, ps in acled_tables()["periods"].items():
        ps = sorted(ps, key=lambda p: p["start"])
        out[iso2] = ([dt.date.fromisoformat(p["start"]) for p in ps], [p["suffix"] for p in ps])
    return out


def state_suffix(iso2: str | None, date: dt.date | None) -> str | None:
    """ACLED's period suffix of the state forces of ``iso2`` on ``date``: the period of the leader (or
    regime-level label) in office that day, e.g. ('SY', 2018-05-20) -> '(2000-2024)', ('US', 2002-03-01) ->
    '(2001-2009)'. None when the date or the country's periods are unknown."""
    if not iso2 or date is None:
        return None
    got = _periods().get(iso2)
    if not got:
        return None
    starts, suffixes = got
    i = bisect.bisect_right(starts, date) - 1
    return suffixes[i] if i >= 0 else None


def acled_country(iso2: str | None, of: bool = False) -> str | None:
    """ACLED's spelling of a country: in brackets ('Democratic Republic of Congo') or after 'Military Forces of'
    (``of=True``: 'the Democratic Republic of Congo', 'the Philippines')."""
    if not iso2:
        return None
    t = acled_tables()
    name = (t["of_names"] if of else t["bracket_names"]).get(iso2)
    return name or gazetteer().country_name.get(iso2)


@lru_cache(maxsize=1)
def _state_iso() -> dict[str, str]:
    t = acled_tables()
    out = {v.lower(): k for k, v in gazetteer().country_name.items()}
    for table in (t["bracket_names"], t["of_names"]):
        for k, v in table.items():
            out[v.lower()] = k
            out[re.sub(r"^the ", "", v, flags=re.I).lower()] = k
    return out


STATE_NAME = re.compile(r"^(Military Forces|Police Forces|Government) of (.+?)(?: \((\d{4})-(\d{4})?\)(?: (.+))?)?$")


def state_actor_name(family: str, iso2: str, date: dt.date | None, unit: str | None = None) -> str:
    """'Military Forces of Iraq (2018-2020)': family, ACLED's country spelling, the suffix of the event date."""
    suffix = state_suffix(iso2, date)
    name = f"{family} of {acled_country(iso2, of=True) or iso2}"
    if suffix:
        name += f" {suffix}"
    return f"{name} {unit}" if unit else name


def _dated_state(name: str, country_hint: str | None, date: dt.date | None) -> str:
    m = STATE_NAME.match(name)
    if m is None or date is None:
        return name
    iso2 = _state_iso().get(m.group(2).lower()) or country_hint
    if not iso2 or state_suffix(iso2, date) is None:
        return name
    unit = m.group(5)
    if unit and unit not in acled_tables()["units"].get(f"{iso2}|{m.group(1)}", ()):
        # a unit ACLED dates on its own ("Military Forces of Yemen (2016-) Supreme Political Council", the Houthi
        # authorities) keeps its own suffix
        return name
    return state_actor_name(m.group(1), iso2, date, m.group(5))


def finalise_actor(actor: Actor | None, country: str | None, date: dt.date | None = None) -> Actor | None:
    """Give generic actors the event country in ACLED's spelling ('Protesters (Democratic Republic of Congo)'),
    national groups the branch of the event country, and state forces ACLED's period suffix of the event date
    ('Military Forces of the United States (2017-2021)' only for 2017-2021 events)."""
    if actor is None:
        return None
    cname = acled_country(country) if country else None
    name = actor.name
    if name in GENERIC:
        if name == "Police Forces":
            name = state_actor_name("Police Forces", country, date) if country else "Police Forces (unspecified)"
        elif name == "Government Forces":
            name = (state_actor_name("Military Forces", country, date) if country and state_suffix(country, date)
                    else state_forces().get(country or "") or (f"Military Forces of {cname}" if cname else name))
        else:
            name = f"{name} ({cname})" if cname else name
    elif name.startswith("Islamic State (") and country:
        name = _branches().get(("Islamic State", country), name)
    name = _dated_state(name, actor.country, date)
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
