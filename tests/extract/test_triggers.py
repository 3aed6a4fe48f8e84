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
