from warlog.data import Actor, ActorMethod
from warlog.extract.actors import find_actors
from warlog.resolve.actors import finalise_actor, interaction_code


def names(s):
    return [h.entry.name for h in find_actors(s)]


def test_aliases():
    assert set(names("The Syrian regime of Bashar al-Assad killed civilians")) == {
        "Military Forces of Syria (2000-)", "Civilians"}
    assert "Islamic State (Syria)" in names("ISIS fighters left the camp")
    assert "Military Forces of Syria (2000-)" in names("Assad's forces shelled the town")


def test_capital_as_government_only_when_acting():
    assert names("Damascus said the strikes hit terrorists") == ["Military Forces of Syria (2000-)"]
    assert names("a neighborhood in south Damascus") == []


def test_generic_actors_take_country_and_interaction():
    civ = finalise_actor(Actor("Civilians", "civilians", 7, ActorMethod.LEXICON), "SY")
    assert civ.name == "Civilians (Syria)"
    gov = finalise_actor(Actor("Government Forces", "troops", 1, ActorMethod.LEXICON), "YE")
    assert gov.name == "Military Forces of Yemen (2012-)"
    isis = finalise_actor(Actor("Islamic State (Syria)", "ISIS", 2, ActorMethod.LEXICON), "IQ")
    assert isis.name == "Islamic State (Iraq)"
    assert interaction_code(1, 7) == 17 and interaction_code(7, 1) == 17 and interaction_code(2, 0) == 20
