import pytest

from warlog.extract.casualties import find_counts


def killed(s):
    return [h for h in find_counts(s) if h.kind == "killed"]


def test_over_400_civilians_is_low_401_civilian():
    (h,) = killed("The regime and its allies have killed over 400 civilians in Eastern Ghouta this week.")
    assert (h.quantity.low, h.quantity.best, h.quantity.high) == (401, 401, None) and h.civilian


@pytest.mark.parametrize(
    "sentence",
    [
        "The siege has deprived the city's 400,000 residents of food.",
        "It was home to more than 200,000 people in 2011 when the war broke out.",
        "The seven-year war has displaced millions.",
        "Only a few thousand remain in the camp.",
        "The fighting lasted several hours before they were killed.",
    ],
)
def test_population_and_other_numbers_are_not_deaths(sentence):
    assert killed(sentence) == [] or all(h.quantity.best is None for h in killed(sentence))


def test_another_400_is_an_increment_inheriting_civilians():
    hits = killed(
        "Forces killed over 400 civilians between the end of last December and the start of this week's assault, "
        "which has claimed the lives of another 400."
    )
    assert hits[0].cumulative and not hits[1].cumulative
    assert hits[1].quantity.increment and hits[1].quantity.best == 400 and hits[1].civilian


@pytest.mark.parametrize(
    ("sentence", "low", "best", "high"),
    [
        ("This operation has already claimed hundreds of lives.", 200, 200, 999),
        ("At least 12 soldiers were killed.", 12, 12, None),
        ("Up to 30 people were killed.", 1, 30, 30),
        ("Between 10 and 15 people were killed.", None, None, None),
        ("The death toll rose to 25.", 25, 25, 25),
        ("Dozens of fighters were killed.", 24, 24, 99),
        ("A dozen villagers were killed.", 12, 12, 12),
        ("Twenty-five civilians died.", 25, 25, 25),
        ("Clashes killed 10 to 15 fighters.", 10, 10, 15),
    ],
)
def test_quantities(sentence, low, best, high):
    hits = killed(sentence)
    if low is None and best is None:
        return  # a form we do not claim to parse; must not crash
    (h,) = hits
    assert (h.quantity.low, h.quantity.best, h.quantity.high) == (low, best, high)


def test_injured_are_not_killed():
    hits = find_counts("At least 12 soldiers were killed and 30 others wounded.")
    kinds = {h.kind: h.quantity.best for h in hits}
    assert kinds == {"killed": 12, "injured": 30}
