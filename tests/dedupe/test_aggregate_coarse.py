"""A group told only at the country level joins the located event at the article's focus place."""

from __future__ import annotations

import datetime as dt

from warlog.data import GeoMethod, GeoPrecision, Mention, Place, Span
from warlog.dedupe.aggregate import _merge_coarse


def _mention(day: int, sub: str = "Shelling/artillery/missile attack") -> Mention:
    m = Mention(Span(0, 10), Span(0, 5), "shelled", "Explosions/Remote violence", sub)
    m.date = dt.date(2019, 3, day)
    return m


TOWN = Place("Manbij", 36.53, 37.95, "SY", "Aleppo", GeoPrecision.TOWN, "g1", None, 0.9)
GOV = Place("Aleppo Governorate", 36.2, 37.1, "SY", "Aleppo", GeoPrecision.PROVINCE, "g2", None, 0.9, kind="admin1")


def test_coarse_group_of_the_same_day_joins_the_focus_event() -> None:
    groups = {
        ("g1", None): [(_mention(4), TOWN, GeoMethod.SENTENCE)],
        ("g2", None): [(_mention(4), GOV, GeoMethod.ARTICLE_ADMIN1)],
    }
    out, merged = _merge_coarse(groups, TOWN)
    assert merged == 1 and list(out) == [("g1", None)] and len(out[("g1", None)]) == 2


def test_coarse_group_of_another_date_or_type_stays_apart() -> None:
    groups = {
        ("g1", None): [(_mention(4), TOWN, GeoMethod.SENTENCE)],
        ("g2", None): [(_mention(1), GOV, GeoMethod.ARTICLE_ADMIN1)],
        ("g3", None): [(_mention(4, "Armed clash"), GOV, GeoMethod.ARTICLE_ADMIN1)],
    }
    groups[("g3", None)][0][0].event_type = "Battles"
    out, merged = _merge_coarse(groups, TOWN)
    assert merged == 0 and len(out) == 3
    assert _merge_coarse(dict(groups), None)[1] == 0
