import pytest

from warlog.extract.triggers import find_triggers


def best(s):
    hits = find_triggers(s)
    return hits[0].sub_event_type if hits else None


@pytest.mark.parametrize(
    ("sentence", "sub"),
    [
        ("Russian warplanes struck a market in Saraqib.", "Air/drone strike"),
        ("Government forces shelled the town overnight.", "Shelling/artillery/missile attack"),
        ("A roadside bomb killed five soldiers near Konduga.", "Remote explosive/landmine/IED"),
        ("A suicide car bomb exploded outside a hotel.", "Suicide bomb"),
        ("Heavy clashes erupted between the army and rebels.", "Armed clash"),
        ("Gunmen abducted seven aid workers.", "Abduction/forced disappearance"),
        ("Hundreds of people protested in the city centre.", "Peaceful protest"),
        ("Police arrested six suspects.", "Arrests"),
    ],
)
def test_types(sentence, sub):
    assert best(sentence) == sub


@pytest.mark.parametrize(
    "sentence",
    [
        "The regime seems poised to launch a full-fledged ground assault on the city.",
        "It is well known that the regime is gearing up for a fresh assault on Eastern Ghouta.",
        "Observers believe this bombardment is a prelude to a full ground assault on the enclave.",
    ],
)
def test_hypothetical_ground_assault_is_not_an_event(sentence):
    assert "assault" not in [h.text for h in find_triggers(sentence)]


def test_scare_quotes_and_verbal_attacks():
    assert find_triggers("Lessons learned from “liberating” the city of Aleppo could be applied.") == []
    assert best("Activists who support the regime attacked Israel, accusing it of hypocrisy.") is None


def test_purposive_territory_trigger_is_not_realised():
    subs = [h.sub_event_type for h in find_triggers("The regime continued its offensive to re-take the camp.")]
    assert "Government regains territory" not in subs and "Armed clash" in subs


# ---- the word-beginning prefilter must never change what is found ---------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from warlog.extract import event_type as et  # noqa: E402
from warlog.extract.triggers import rules  # noqa: E402
from warlog.literals import literal_heads, may_match, word_gate  # noqa: E402

_WORDS = [
    "air", "strikes", "airstrike", "shelled", "re-take", "retook", "the", "rebels", "killed", "Kill", "IEDs", "IED",
    "suicide", "bomber", "protesters", "tear", "gas", "a", "mob", "clashes", "fighting", "seized", "control", "of",
    "town", "near", "Aleppo", "on", "Saturday", "gunmen", "abducted", "were", "not", "“liberating”", "set", "up",
    "base", "ceasefire", "handed", "over", "arrested", "riot", "dead", "bodies", "attack", "attacked", "-", ",", ".",
    "mob", "re", "take", "de-escalation", "deal", "\u017fhelled", "KILLED", "“", "”",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
def test_prefilter_finds_exactly_what_every_rule_finds(words):
    sentence = " ".join(words)
    assert find_triggers(sentence) == find_triggers(sentence, use_prefilter=False)


def test_every_rule_has_a_bound_and_it_is_a_necessary_condition():
    for rule in rules():
        gate = word_gate(rule.regex)
        # every lexicon rule starts with letters we can bound, at a word start
        assert gate is not None and gate.heads and gate.anchored, rule.regex.pattern
    assert rules()


@pytest.mark.parametrize(
    "pattern,text,expected",
    [
        (r"\bair ?strikes?\b", "an airstrike hit", True),
        (r"(?:fired|opened fire) on", "they OPENED FIRE on", True),
        (r"(?:fired|opened fire) on", "nothing here", False),
        (r"\w+ killed", "anything", True),  # unbounded start: never filtered
        (r"bomb", "a carbomb", True),  # not anchored: a substring test
        (r"strikes", "air \u017ftrikes", True),  # long s matches s case-insensitively
    ],
)
def test_may_match(pattern, text, expected):
    import re

    assert may_match(re.compile(pattern, re.I), text.lower()) is expected


def test_classifier_gate_changes_nothing(monkeypatch):
    texts = [
        "Government forces recaptured the town of Kafr Nabl from rebels on Monday, a monitor said.",
        "Police fired tear gas at hundreds of protesters in the capital.",
        "A roadside bomb killed three soldiers near Kandahar.",
        "Unidentified gunmen abducted a local journalist.",
        "Rebels handed over their heavy weapons under a surrender deal.",
    ]
    gated = [et.classify_text(t) for t in texts]
    monkeypatch.setattr(et, "may_match", lambda rx, low: True)
    assert [(d.sub_event_type, d.rule, d.score) for d in gated] == [
        (d.sub_event_type, d.rule, d.score) for d in (et.classify_text(t) for t in texts)
    ]
    assert literal_heads(r"(?:fired|opened fire) on", 2, 3) == frozenset({"fir", "ope"})
    assert literal_heads(r"a mob|re-take", 2, 6) == frozenset({"a mob", "re-tak"})


_CLASSIFIER_RXS = [getattr(et, n) for n in sorted(dir(et)) if isinstance(getattr(et, n), type(et.CLASH))]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + ["warplanes", "pounded", "tear-gas", "protest", "against", "violence",
                                          "arms", "depot", "destroyed", "airstrikes", "detained", "ahead"]),
                min_size=1, max_size=16))
def test_may_match_never_hides_a_match(words):
    text = " ".join(words)
    for rx in _CLASSIFIER_RXS:
        if rx.search(text):
            assert may_match(rx, text.lower()), rx.pattern[:60]


def test_generic_references_are_not_triggers() -> None:
    from warlog.extract.triggers import find_triggers

    assert find_triggers("He condemned the use of chemical weapons in the country.") == []
    assert find_triggers("The envoy urged an end to the fighting in the north.") == []
    texts = [h.text for h in find_triggers("Rebels said a chemical weapons attack killed 12 people in the town.")]
    assert "chemical weapons attack" in texts


def test_trigger_inside_a_proper_name_is_not_a_trigger() -> None:
    from warlog.extract.triggers import find_triggers

    assert find_triggers("Inspectors from the Organisation for the Prohibition of Chemical Weapons arrived.") == []
    # a headline in title case keeps its triggers
    assert [h.text for h in find_triggers("Suicide Bombing Kills 5 in Market Town")][:1] == ["Suicide Bombing"]
