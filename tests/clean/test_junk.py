from hypothesis import given, settings
from hypothesis import strategies as st

from warlog.clean import clean_text
from warlog.clean.pubdate import find_pub_date

MESSY = (
    "is_member bool(false) cond: ($a < $b)bool(true) flag_public bool(false)\n\n"
    "Advertisement Promote with us. date 2019-11-03 Government shelling killed six civilians in Ariha.The town"
    " was hit again at night.\n\n\n\n"
    "Residents fled north.\u200b\n"
    "Share on Facebook | Twitter | Email\n"
    "Read more like this in our Sunday newsletter.\n"
)


def test_removes_debug_ads_newsletter_and_header():
    r = clean_text(MESSY)
    assert r.header_date.isoformat() == "2019-11-03"
    assert "bool(" not in r.text and "Advertisement" not in r.text and "newsletter" not in r.text
    assert "Share on" not in r.text and "\u200b" not in r.text
    assert r.text.startswith("Government shelling killed six civilians in Ariha. The town")
    assert "\n\n\n" not in r.text


def _check_map(src: str) -> None:
    r = clean_text(src)
    for c_start, s_start, length in r.offset_map:
        seg = r.text[c_start : c_start + length]
        raw = src[s_start : s_start + length]
        assert seg == raw.translate(str.maketrans({"\u00a0": " ", "\t": " ", "\r": " ", "\u2009": " ", "\u202f": " ", "\u3000": " "}))


def test_offset_map_points_into_source():
    _check_map(MESSY)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_offset_map_property(src):
    _check_map(src)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "Rebels shelled the town.", "bool(false) $x = 1", "Advertisement", "", "   ", "Subscribe to our newsletter",
    "مقتل خمسة مدنيين", "\u202eright-to-left override", "Clashes.Fighting continued",
]), max_size=12))
def test_clean_never_crashes_and_is_idempotent_on_text(lines):
    src = "\n".join(lines)
    r1 = clean_text(src)
    r2 = clean_text(r1.text)
    assert r2.text == r1.text


def test_dateline_pub_date_only_at_start():
    assert find_pub_date("BEIRUT, May 20, 2018 (Reuters) - Shelling hit the camp.").isoformat() == "2018-05-20"
    assert find_pub_date("Rebels said on 20 May 2018 that shelling had hit the camp for a week.") is None


def test_html_extraction_is_the_same_every_time(sample_dir):
    """The same page read twice in one process gives the same text and date (no process-wide dedup cache)."""
    from warlog.clean.html import extract_html

    html = (sample_dir / "10_hodeidah.html").read_text(encoding="utf-8")
    first = extract_html(html, "a.html")
    for _ in range(3):
        again = extract_html(html, "a.html")
        assert (again.text, again.date, again.method) == (first.text, first.date, first.method)
    assert first.date is not None and "Hodeidah" in first.text
