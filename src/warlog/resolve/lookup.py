"""``warlog geocode``: the ranked candidates of a place name, for analysts checking a place.

Each candidate shows the ranker's score and probability, how its name matched (tier), and what each feature
contributed (weight x value), so a surprising choice can be read off the table. ``--context`` takes a sentence
or paragraph: its capitalised names vote for the focus country (unless ``--country`` is given), name parents
("Idlib" for a village of Idlib) and anchor ambiguous names to the places near them, as the pipeline does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from warlog.resolve.geocode import Candidate, gazetteer, geo_ranker
from warlog.resolve.keys import fold

_NAMES = re.compile(r"\b(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z][\w’'‘`-]+(?:\s+(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[A-Z][\w’'‘`-]+){0,3}")


@dataclass(slots=True)
class Lookup:
    name: str
    focus: str | None
    designator: str | None
    candidates: list[Candidate]
    chosen: str | None  # gazetteer id the pipeline would code, None when it abstains


def context_names(text: str) -> list[str]:
    """Capitalised name sequences of a context text, with each shorter prefix ("Kafr Nabl in Idlib" ->
    "Kafr Nabl", "Idlib")."""
    out: list[str] = []
    for m in _NAMES.finditer(text):
        words = m.group(0).split()
        out.extend(" ".join(words[:n]) for n in range(len(words), 0, -1))
    return out


def lookup(name: str, country: str | None = None, context: str = "") -> Lookup:
    from warlog.resolve.stage import anchor_points, place_context, toponym_votes

    gaz = gazetteer()
    names = context_names(context) if context else []
    focus = country.upper() if country else None
    if focus is None and names:
        votes = toponym_votes([n for n in names if gaz.candidates(n, None) or gaz.country_of(n)], defaultdict(float))
        focus = max(votes, key=lambda k: votes[k]) if votes else None
    ctx = place_context(names, context)
    anchors = anchor_points([n for n in names if fold(n) != fold(name)], focus, ctx)
    ranked, designator = gaz.rank(name, focus, ctx, anchors)
    chosen = gaz.resolve(name, focus, ctx, anchors)
    return Lookup(name, focus, designator, ranked, chosen.gazetteer_id if chosen else None)


def render(res: Lookup, limit: int = 10) -> str:
    r = geo_ranker()
    lines = [
        f"{res.name!r}: focus country {res.focus or '-'}, designator {res.designator or '-'}, "
        f"{len(res.candidates)} candidate(s); ranker: {r.meta.get('source', 'learned')}"
    ]
    if not res.candidates:
        lines.append("  no gazetteer entry matches (exact, alternate, transliteration key, one edit or consonant "
                     "skeleton in the focus country); the pipeline codes such a place at its country, flagged")
        return "\n".join(lines)
    for k, c in enumerate(res.candidates[:limit], 1):
        e = c.entry
        mark = "*" if res.chosen == e.gid else " "
        where = f"{e.lat:.4f},{e.lon:.4f}" if e.lat is not None and e.lon is not None else "-"
        lines.append(
            f"{mark}{k:2d}. {e.name} [{e.kind}] {e.cc} {e.admin1 or '-'}/{e.admin2 or '-'} {where} {e.gid} "
            f"({e.source or 'core'}, pop {e.pop})  match={c.tier.value} score={c.score:.3f} p={r.confidence(c.score):.3f}"
        )
        contrib = sorted(((k2, r.weights.get(k2, 0.0) * v) for k2, v in c.features.items()), key=lambda kv: -abs(kv[1]))
        lines.append("      " + "  ".join(f"{k2}={v:+.2f}" for k2, v in contrib))
    if res.chosen is None:
        lines.append(f"  the pipeline abstains: best probability under {r.abstain:.2f}")
    if len(res.candidates) > limit:
        lines.append(f"  ... {len(res.candidates) - limit} more (--limit)")
    return "\n".join(lines)
