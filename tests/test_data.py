import pytest
from hypothesis import given
from hypothesis import strategies as st

from warlog.data import Doc, Span, content_hash


def test_span_rejects_inverted_and_negative():
    with pytest.raises(ValueError):
        Span(5, 2)
    with pytest.raises(ValueError):
        Span(-1, 2)


@given(st.text(max_size=200), st.integers(0, 50), st.integers(0, 50))
def test_span_text_is_slice(text, a, b):
    s, e = sorted((a, b))
    assert Span(s, e).text(text) == text[s:e]


def test_content_hash_stable():
    assert content_hash("abc") == content_hash("abc") != content_hash("abd")
    assert len(content_hash("x")) == 16


def test_raw_offset_maps_back():
    from warlog.data import Article

    d = Doc(Article("a", "p", "xxHELLO"), clean_text="HELLO", offset_map=[(0, 2, 5)])
    assert d.raw_offset(0) == 2 and d.raw_offset(4) == 6 and d.raw_offset(5) is None
