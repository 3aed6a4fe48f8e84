"""Article-level error classes (issue 13), on sentences written for these tests: governments' voices, datelines
and abbreviations are never event places; cumulative tolls never become an event's deaths; history is
background; nothing is dropped for want of a place."""

from __future__ import annotations

import datetime as dt

import pytest

from warlog.data import Article, DateSource, Doc, EventFlag, GeoMethod
from warlog.extract.casualties import find_counts
from warlog.extract.places import classify, is_voice, not_toponym
from warlog.resolve.dates import history_cue, trigger_clause


def _role(sentence: str, name: str) -> tuple[str, str]:
    s = sentence.index(name)
    return classify(sentence, s, s + len(name))


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Moscow said its aircraft had not flown over the province.", "Moscow"),
        ("Washington has warned that it would respond to any chemical attack.", "Washington"),
        ("Ankara denied that its troops had shelled the village.", "Ankara"),
        ("Officials in Tehran told reporters that the advisers would stay.", "Tehran"),
        ("Moscow's support for the offensive has not wavered.", "Moscow"),
        ("Talks between Ankara and Moscow broke down on Friday.", "Moscow"),
        ("Kurdish militias fought an incursion by the army and rebels affiliated with Ankara.", "Ankara"),
        ("The leaders met at a summit in Tehran to discuss the offensive.", "Tehran"),
        ("The two leaders discussed the strike, according to the US ambassador to London.", "London"),
        ("There were mixed feelings in Whitehall when the fighters were captured.", "Whitehall"),
        ("The summit will discuss what Moscow calls a phased offensive.", "Moscow"),
        ("Both powers are likely to side with Ankara over the militia.", "Ankara"),
    ],
)
def test_voice_of_a_government_is_not_a_place(sentence: str, name: str) -> None:
    assert _role(sentence, name) == ("excluded", "voice")


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Rebels shelled a school in Damascus on Monday, killing four pupils.", "Damascus"),
        ("A car bomb exploded in Moscow's southern suburbs, killing two.", "Moscow"),
        ("Damascus's eastern suburbs were shelled again overnight.", "Damascus"),
        ("A bomb exploded at a meeting hall in Kabul, killing six.", "Kabul"),
    ],
)
def test_places_where_things_happen_stay_events(sentence: str, name: str) -> None:
    assert _role(sentence, name)[0] == "event"
    assert not is_voice(sentence, sentence.index(name), sentence.index(name) + len(name))


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("MOSCOW (Sputnik) - Russian jets struck positions near the town, the ministry said.", "MOSCOW"),
        ("BEIRUT (Reuters) - Air strikes killed nine people in a village on Sunday.", "BEIRUT"),
        ("Tue 05 Jul 2016 BEIRUT At least 15 people were killed in shelling on Monday.", "BEIRUT"),
    ],
)
def test_datelines_are_not_places(sentence: str, name: str) -> None:
    assert _role(sentence, name) == ("excluded", "dateline")


@pytest.mark.parametrize("name", ["IS", "US", "UN", "SDF", "YPG", "May", "Of", "Is"])
def test_abbreviations_and_common_words_are_not_toponyms(name: str) -> None:
    assert not_toponym(name)
    sentence = f"Fighters clashed with {name} units near the town, killing three."
    assert _role(sentence, name) == ("excluded", "not_toponym")


def test_short_names_stay_places_when_named_as_places() -> None:
    assert not not_toponym("Hit", "fighting in the town of ")
    assert not not_toponym("Raqqa")
    assert not not_toponym("TAWILAH", shouting=True)


@pytest.mark.parametrize(
    "sentence",
    [
        "More than 370,000 people have been killed since 2011.",
        "The war has killed more than 500 people so far this year.",
        "In total 1,200 people have died in the offensive.",
        "The offensive has killed 1,200 people since February.",
        "The conflict, which has killed 230,000 people, shows no sign of ending.",
        "More than 200,000 people have been killed and half the population has fled.",
        "More than 500 people have been killed in eight days of bombing.",
        "At least 250 civilians have been killed in the bombardment of the enclave.",
        "The monitor says more than 120 civilians have been killed in that campaign.",
    ],
)
def test_cumulative_tolls_are_flagged(sentence: str) -> None:
    counts = [c for c in find_counts(sentence) if c.kind == "killed"]
    assert counts and all(c.cumulative for c in counts), counts


def test_an_event_toll_is_not_cumulative() -> None:
    counts = find_counts("Air strikes killed nine civilians in the village on Sunday.")
    assert counts and not any(c.cumulative for c in counts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Since the regime took over Aleppo in late 2016, few have questioned his recovery.",
        "The 1982 Hama massacre killed thousands.",
        "Five months after the regime took Deraa, the talks resumed.",
        "The group seized the town two years ago.",
    ],
)
def test_history_cues(sentence: str) -> None:
    assert history_cue(sentence, dt.date(2018, 12, 30))


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels who have held the town since 2013 were shelled on Tuesday.",
        "Warplanes struck the market, killing 11 people.",
    ],
)
def test_no_history_cue(sentence: str) -> None:
    assert not history_cue(sentence, dt.date(2018, 12, 30))


def test_history_cue_is_read_in_the_trigger_clause() -> None:
    s = "Residents fled years ago, but thousands remain under a brutal siege."
    assert trigger_clause(s, s.index("siege")) == "thousands remain under a brutal siege."
    assert not history_cue(s, dt.date(2018, 5, 20), s.index("siege"))
    assert history_cue(s, dt.date(2018, 5, 20), s.index("fled"))


def _run(text: str, published: dt.date | None = dt.date(2019, 3, 4)) -> Doc:
    from warlog.pipeline.default import default_pipeline

    pipe = default_pipeline()
    (doc,) = pipe.run_batch([Doc(Article("t", "t.txt", text, published=published))])
    return doc


def test_pipeline_keeps_toll_as_claim_and_voice_out_of_places() -> None:
    doc = _run(
        "Air strikes killed nine civilians in the town of Saraqib in Idlib province on Sunday, a monitor said.\n\n"
        "Moscow said on Monday that Russian aircraft had not flown in the area.\n\n"
        "More than 370,000 people have been killed in Syria since 2011.\n"
    )
    assert doc.events, doc.mentions
    assert all(ev.place is None or ev.place.name not in ("Moscow", "Russia") for ev in doc.events)
    assert max(ev.fatalities.best or 0 for ev in doc.events) == 9
    claims = [c for ev in doc.events for c in ev.claims if c.kind == "cumulative_fatalities"]
    assert claims and "since 2011" in claims[0].text


def test_country_only_event_is_kept_coarse_and_flagged() -> None:
    doc = _run(
        "Gunmen killed five soldiers at a checkpoint in Saraqib in Idlib province on Saturday, a monitor said.\n\n"
        "On Sunday a roadside bomb killed three soldiers in northern Syria, the monitor said.\n"
    )
    coarse = [ev for ev in doc.events if EventFlag.COARSE_LOCATION in ev.flags]
    assert coarse, [(ev.place.name if ev.place else None, ev.geo_method) for ev in doc.events]
    ev = coarse[0]
    assert ev.geo_method in (GeoMethod.ARTICLE_ADMIN1, GeoMethod.COUNTRY)
    assert ev.place is not None and int(ev.place.precision) == 3
    assert ev.date_source != DateSource.UNKNOWN


@pytest.mark.parametrize(
    ("sentence", "name", "why"),
    [
        ("Jane Doe, 26, from Lewes, died when the convoy was hit by an air strike on 16 March.", "Lewes", "origin"),
        ("A volunteer from Portsmouth was killed clearing mines in the city.", "Portsmouth", "origin"),
        ("Up to 24 civilians have been killed in the first days of Turkey's offensive.", "Turkey", "country_actor"),
        ("On Friday France appeared to soften its position on the children.", "France", "country_actor"),
    ],
)
def test_origins_and_acting_countries_are_not_event_places(sentence: str, name: str, why: str) -> None:
    assert _role(sentence, name) == ("excluded", why)


def test_country_after_a_locative_word_is_a_place() -> None:
    assert _role("A roadside bomb killed three soldiers in northern Syria on Sunday.", "Syria")[0] == "event"


def test_non_violent_deaths_make_no_event() -> None:
    doc = _run("At least 15 children have died in the camp near Hasakah because of the cold and a lack of medical care.\n")
    assert not doc.events


def test_fell_to_puts_the_taker_first() -> None:
    from warlog.pipeline.default import default_pipeline

    text = ("On Monday 12 March 2018 Islamic State fighters lost the town of Hajin in Deir ez-Zor province, "
            "which fell to the Syrian Democratic Forces.")
    doc = default_pipeline().run_batch([Doc(Article("t", "t", text))])[0]
    ev = next(e for e in doc.events if e.sub_event_type == "Non-state actor overtakes territory")
    assert ev.actor1 is not None and "Syrian Democratic Forces" in ev.actor1.name
    assert ev.actor2 is not None and ev.actor2.name.startswith("Islamic State")
