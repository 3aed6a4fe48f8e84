"""Mojibake repair keeps the offset map exact: repaired text equals the clean text of the undamaged article
and every word of it still points at its (damaged) characters in the source."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from warlog.clean import clean_text
from warlog.clean.junk import SPACE_LIKE, source_span
from warlog.clean.mojibake import repair_line
from warlog.clean.mojibake import simulate_mojibake as damage

WORDS = ["Syria’s", "café", "“shelling”", "Deir", "ez-Zor", "Aleppo", "régime", "naïve", "killed", "—", "Ayn",
         "al-‘Arab", "Şirwāḩ", "Ḩudaydah", "said", "the", "12", "civilians", "Idlib’s", "résumé", "Kurdish-led"]


def test_named_damage() -> None:
    assert repair_line("the â€˜bhoomi pujanâ€™ was held")[0] == "the ‘bhoomi pujan’ was held"
    assert repair_line("Shishaniï¿½_s men")[0] == "Shishani's men"
    assert repair_line("donï¿½t go")[0] == "don't go"
    assert repair_line("Syriaâ€™s army")[0] == "Syria’s army"
    assert repair_line("clean ’ text — fine é") is None  # undamaged text is never touched


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.booleans()), min_size=1, max_size=40), st.integers(0, 3))
def test_random_damage_maps_back(words: list[tuple[str, bool]], newlines: int) -> None:
    original = " ".join(w for w, _ in words)
    source = " ".join(damage(w) if hurt else w for w, hurt in words)
    if newlines:  # a few line breaks, at the same word positions in both
        ow, sw = original.split(" "), source.split(" ")
        for k in range(1, len(ow), max(1, len(ow) // (newlines + 1))):
            ow[k] = "\n" + ow[k]
            sw[k] = "\n" + sw[k]
        original, source = " ".join(ow), " ".join(sw)
    want = clean_text(original)
    got = clean_text(source)
    assert got.text == want.text
    for c, s, n in got.offset_map:  # mapped characters are the source's
        assert got.text[c : c + n] == source[s : s + n].translate(SPACE_LIKE)
    # every word of the repaired text points at its damaged form in the source
    damaged = {w: damage(w) for w in WORDS}
    for m in re.finditer(r"\S+", got.text):
        a, b = source_span(got.offset_map, m.start(), m.end(), got.repairs)
        assert source[a:b] in (m.group(), damaged.get(m.group(), m.group()))
