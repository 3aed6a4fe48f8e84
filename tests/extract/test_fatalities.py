"""A report's total fatalities (low/best/high, civilians, ACLED's coded figure)."""

import pytest

from warlog.extract.fatalities import estimate


@pytest.mark.parametrize(
    ("text", "best", "acled"),
    [
        ("Militants attacked a checkpoint, killing 4 soldiers and 2 police officers. 3 militants were also killed.", 9, 9),
        ("12 people were killed, including 3 children.", 12, 12),
        ("At least 20 were killed on Monday; the death toll later rose to 25 people.", 25, 25),
        ("A soldier was killed by a roadside bomb.", 1, 1),
        ("The strike killed 3 children, 2 women and 4 men.", 9, 9),
        ("A suicide bomber killed 13 civilians at a wedding. The attacker was also killed.", 14, 14),
        ("Shelling killed an elderly woman and 2 men.", 3, 3),
        ("Several civilians were killed in an airstrike.", 3, 10),
        ("Dozens of fighters were killed in clashes.", 24, 12),
        ("Hundreds of civilians have been killed.", 200, 100),
        ("Rebels shelled the town, injuring 2 civilians.", 0, 0),
        ("No casualties were reported.", 0, 0),
        ("More than 300 people have been killed since the start of the year.", 0, 0),
        ("A mob beat a man to death over suspected theft.", 1, 1),
        ("Gunmen killed 17 villagers. Another 5 people were killed in a second attack.", 22, 22),
    ],
)
def test_totals(text: str, best: int, acled: int) -> None:
    est = estimate(text)
    assert est.best == best, est
    assert est.acled == acled, est


def test_unknown_number_is_acled_ten() -> None:
    est = estimate("Bandits killed an unknown number of villagers.")
    assert est.unknown and est.best is None and est.acled == 10


def test_civilian_share() -> None:
    est = estimate("The airstrike killed 6 civilians and 2 fighters.")
    assert est.best == 8 and est.civilian == 6


def test_over_keeps_low_above() -> None:
    est = estimate("Warplanes killed over 400 civilians this week.")
    assert est.low == 401 and est.high is None and est.civilian == est.best


def test_acled_note_conventions() -> None:
    from warlog.extract.fatalities import acled_fatalities

    assert acled_fatalities("Militants ambushed a convoy, killing and wounding all inside. Unknown fatalities coded as 10.").value == 10
    r = acled_fatalities("A mine hit a truck; 6 soldiers were killed and wounded. Fatalities are coded as half due to unclear casualties.")
    assert r.value == 3 and r.method == "note: coded as half"
    assert acled_fatalities("An airstrike killed 13 militants, and injured 12. 13 fatalities split over 2 events, coded here as 7.").value == 7
    assert acled_fatalities("Forces killed 16 militants (split across 2 events) in two villages.").value == 8


def test_country_convention_learned_from_training_notes() -> None:
    from warlog.extract.fatalities import acled_fatalities, conventions

    text = "Taliban militants attacked a checkpoint, killing 3 soldiers."
    if conventions().get("AF", {}).get("state_victims_zero", 0) < 0.6:
        pytest.skip("no Afghanistan convention in fatality_conventions.json")
    r = acled_fatalities(text, "AF")
    assert r.value == 0 and r.method.startswith("convention")
    assert acled_fatalities(text, "NG").value == 3
    assert acled_fatalities("Soldiers killed 3 Taliban militants in a raid.", "AF").value == 3
