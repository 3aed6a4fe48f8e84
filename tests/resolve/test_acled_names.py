"""ACLED actor names: state forces with the period suffix of the event date, ACLED's country spellings,
named groups learned from the training records."""

import datetime as dt

import pytest

from warlog.data import Actor, ActorMethod
from warlog.extract.actors import find_actors
from warlog.resolve.actors import finalise_actor, state_actor_name, state_suffix


@pytest.mark.parametrize(("iso2", "date", "name"), [
    ("US", dt.date(2018, 5, 1), "Military Forces of the United States (2017-2021)"),
    ("US", dt.date(2002, 3, 1), "Military Forces of the United States (2001-2009)"),
    ("IQ", dt.date(2019, 6, 1), "Military Forces of Iraq (2018-2020)"),
    ("RU", dt.date(2019, 6, 1), "Military Forces of Russia (2000-)"),
    ("SY", dt.date(2018, 5, 20), "Military Forces of Syria (2000-)"),
    ("ET", dt.date(2010, 1, 1), "Military Forces of Ethiopia (1995-2018)"),  # a regime-level ACLED label
    ("PH", dt.date(2018, 1, 1), "Military Forces of the Philippines (2016-2022)"),
    ("YE", dt.date(2021, 2, 14), "Military Forces of Yemen (2012-2022)"),
])
def test_state_forces_by_date(iso2: str, date: dt.date, name: str) -> None:
    assert state_actor_name("Military Forces", iso2, date) == name


def test_beyond_training_countries_and_families() -> None:
    assert state_actor_name("Police Forces", "SO", dt.date(2019, 1, 1)) == "Police Forces of Somalia (2017-2022)"
    assert state_suffix("ML", dt.date(2022, 3, 1)) == "(2021-)"
    assert state_suffix("ZZ", dt.date(2022, 3, 1)) is None
    assert state_suffix("US", None) is None


def _fin(name: str, country: str, date: dt.date) -> str:
    a = finalise_actor(Actor(name, name, 1, ActorMethod.LEXICON), country, date)
    assert a is not None
    return a.name


def test_finalise_dates_lexicon_names_and_generics() -> None:
    # a 2002 event must not get the 2017-2021 suffix
    assert _fin("Military Forces of the United States (2017-2021)", "IQ", dt.date(2002, 3, 1)) == \
        "Military Forces of the United States (2001-2009)"
    assert _fin("Government Forces", "IQ", dt.date(2019, 1, 1)) == "Military Forces of Iraq (2018-2020)"
    assert _fin("Protesters", "CD", dt.date(2019, 1, 1)) == "Protesters (Democratic Republic of Congo)"
    assert _fin("Civilians", "SY", dt.date(2019, 1, 1)) == "Civilians (Syria)"
    assert _fin("Unidentified Armed Group", "NG", dt.date(2019, 1, 1)) == "Unidentified Armed Group (Nigeria)"
    # a unit ACLED dates on its own keeps its suffix
    assert _fin("Military Forces of Yemen (2016-) Supreme Political Council", "YE", dt.date(2021, 1, 1)) == \
        "Military Forces of Yemen (2016-) Supreme Political Council"
    # a unit seen with the state's forces in the training records follows the state's period
    assert _fin("Military Forces of Syria (2000-) Syrian Arab Air Defense Force", "SY", dt.date(2019, 1, 1)) == \
        "Military Forces of Syria (2000-) Syrian Arab Air Defense Force"


def test_learned_group_aliases() -> None:
    names = {h.text: h.entry.name for h in find_actors("HTS fighters and the Maute group clashed with the NPA and Ansaroul Islam.")}
    assert names["HTS"] == "HTS: Hayat Tahrir al Sham"
    assert names["NPA"] == "NPA: New People's Army"
    assert names["Maute group"] == "Maute Group"
    assert names["Ansaroul Islam"] == "Ansaroul Islam"
    # the lexicon's own spelling takes ACLED's name
    assert {h.entry.name for h in find_actors("Hayat Tahrir al-Sham attacked the town.")} == {"HTS: Hayat Tahrir al Sham"}
