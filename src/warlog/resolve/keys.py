"""Name keys shared by the gazetteer builder (tools/build_gazetteer.py) and the loader."""

from __future__ import annotations

import re
import unicodedata

_DEIR = re.compile(r"\b(?:dayr|deyr|der)\b")
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|the)[\s-]+")
_TRANSLIT = [(re.compile(p), r) for p, r in (
    (r"\bdayr\b", "deir"), (r"\bdeyr\b", "deir"), (r"\bder\b", "deir"), (r"ou", "u"), (r"ee", "i"), (r"oo", "u"),
    (r"kh", "k"), (r"q", "k"), (r"dh", "d"), (r"th", "t"), (r"y$", "i"), (r"ah$", "a"), (r"eh$", "e"),
    (r"(.)\1", r"\1"),
)]


_WORDS = [(re.compile(rf"\b(?:{p})\b"), r) for p, r in (
    ("ein|ayn|ain|ayin|aain", "ain"), ("tall|tell|tal|tel", "tal"), ("kfar|kafar|kefr|kafr|kfr", "kafr"),
    ("sheikh|shaykh|shaikh|sheik|shekh", "shaikh"), ("abou|abu", "abu"), ("jebel|jabal|jabel|jbel", "jabal"),
    ("beit|bayt|bait|beyt", "bait"), ("wadi|wady|ouadi", "wadi"), ("ras|rass", "ras"),
)]


def fold(s: str) -> str:
    """Lower-case, strip diacritics, apostrophes and punctuation; single spaces."""
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = s.replace("’", "").replace("ʿ", "").replace("ʾ", "")
    s = s.lower().replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", s).strip()


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(s: str) -> str:
    """Transliteration-insensitive key: folded, Arabic article removed, common variant spellings merged."""
    s = fold(s)
    s = _ARTICLE.sub("", s)
    s = _DEIR.sub("deir", s)
    for pat, rep in _WORDS:  # common transliteration variants of Arabic place-name words
        s = pat.sub(rep, s)
    s = s.replace(" ", "")  # fold leaves single spaces only
    for pat, rep in _TRANSLIT:
        s = pat.sub(rep, s)
    return s
