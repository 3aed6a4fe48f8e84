"""Name keys shared by the gazetteer builder (tools/build_gazetteer.py) and the loader."""

from __future__ import annotations

import re
import unicodedata

_DEIR = re.compile(r"\b(?:dayr|deyr|der|dair|deir)\b")
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|the)[\s-]+")
# the article inside a name, assimilated or not ("Deir ez-Zor", "Ma'arrat an-Nu'man", "Ras al Ain"); "al" is also
# glued to a following word in some spellings ("Ras al-Ain" folds to "ras al ain")
_INNER_ARTICLE = re.compile(r"(?<=\s)(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez|ul|il|d|l)\s(?=\S)")
_TRANSLIT = [(re.compile(p), r) for p, r in (
    (r"\bdayr\b", "deir"), (r"\bdeyr\b", "deir"), (r"\bder\b", "deir"), (r"ou", "u"), (r"ee", "i"), (r"oo", "u"),
    (r"kh", "k"), (r"q", "k"), (r"dh", "d"), (r"th", "t"), (r"gh", "g"), (r"sh", "s"), (r"ph", "f"),
    (r"(.)\1", r"\1"), (r"(?:iyeh|iyah|iyya|iyye|iya|ieh|iah|ia)$", "ia"), (r"(?:ah|eh|a|e|h)$", "a"),
    (r"y$", "i"), (r"ey", "ai"), (r"ay", "ai"),
)]
_SKELETON = re.compile(r"(?<=.)[aeiouyw]|h$")


_WORDS = [(re.compile(rf"\b(?:{p})\b"), r) for p, r in (
    ("ein|ayn|ain|ayin|aain", "ain"), ("tall|tell|tal|tel", "tal"), ("kfar|kafar|kefr|kafr|kfr", "kafr"),
    ("sheikh|shaykh|shaikh|sheik|shekh", "shaikh"), ("abou|abu", "abu"), ("jebel|jabal|jabel|jbel", "jabal"),
    ("beit|bayt|bait|beyt", "bait"), ("wadi|wady|ouadi", "wadi"), ("ras|rass", "ras"),
)]


def fold(s: str) -> str:
    """Lower-case, strip diacritics, apostrophes and punctuation; single spaces. Arabic script is kept, with
    hamza carriers, alef maqsura, ta marbuta, Persian kaf/yeh and tatweel folded (أ إ آ -> ا, ى -> ي, ة -> ه)."""
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = s.replace("’", "").replace("ʿ", "").replace("ʾ", "").replace("‘", "").replace("ʻ", "")
        s = s.translate(_ARABIC_FOLD)
        s = s.lower().replace("'", "").replace("`", "")
        return _NON_ALNUM_AR.sub(" ", s).strip()
    s = s.lower().replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", s).strip()


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ALNUM_AR = re.compile(r"[^a-z0-9\u0621-\u063a\u0641-\u064a]+")
_ARABIC_FOLD = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627", "\u0649": "\u064a",
    "\u0629": "\u0647", "\u06a9": "\u0643", "\u06cc": "\u064a", "\u06c1": "\u0647", "\u0640": None,
    "\u0624": "\u0621", "\u0626": "\u0621",
})
_AR_ARTICLE = re.compile(r"(?:^|(?<=\s))(?:وال|بال|ال)(?=\S\S)")


def normalise(s: str) -> str:
    """Transliteration-insensitive key: folded, Arabic article removed (leading and inside the name), common
    variant spellings merged (Ain/Ayn/Ein, Deir/Dayr/Dair, Tal/Tall/Tell, Kafr/Kfar/Kafar, -eh/-ah/-a, doubled
    letters, kh/q, sh/gh/th/dh digraphs). Arabic script: the article ال removed, spaces dropped."""
    s = fold(s)
    if not s.isascii():
        return _AR_ARTICLE.sub("", s).replace(" ", "")
    s = _ARTICLE.sub("", s)
    s = _INNER_ARTICLE.sub("", s)
    s = _DEIR.sub("deir", s)
    for pat, rep in _WORDS:  # common transliteration variants of Arabic place-name words
        s = pat.sub(rep, s)
    s = s.replace(" ", "")  # fold leaves single spaces only
    for pat, rep in _TRANSLIT:
        s = pat.sub(rep, s)
    return s


def skeleton(nkey: str) -> str:
    """The consonant skeleton of a normalised key: its first letter, then the consonants, vowels and y/w dropped
    ("jindayris" and "jinderes" -> "jndrs", "lataminah" and "latamneh" -> "ltmn"). Matched only among the
    places of the document's focus country, as the weakest tier."""
    if not nkey.isascii():
        return nkey
    return _SKELETON.sub("", nkey)
