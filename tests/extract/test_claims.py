from warlog.extract.claims import find_attributions, is_allegation


def test_known_as_and_outlet():
    s = ("As a rescue worker from the Syria Civil Defense, known widely as the White Helmets, told The Washington "
         "Post on Saturday, the regime is preparing.")
    (a,) = find_attributions(s)
    assert a.source == "White Helmets" and a.via == "The Washington Post"


def test_according_to_and_said():
    (a,) = find_attributions("Strikes killed 14 civilians, according to the Syrian Observatory for Human Rights.")
    assert a.source == "Syrian Observatory for Human Rights"
    (b,) = find_attributions("Amnesty International has condemned the strikes as war crimes.")
    assert b.source == "Amnesty International"
    assert is_allegation("Amnesty International has condemned the strikes as “flagrant war crimes”.")
