"""Literal beginnings of regular expressions: a cheap, exact test of whether a pattern can match a text at all.

Every match of ``(?:fired|opened fire) on`` begins with "fired" or "opened"; a text containing neither can be
skipped without running the regex. The beginnings are read from the stdlib's own parse of the pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

HEAD_LEN = 6
# letters that match ASCII letters case-insensitively without lower-casing to them (long s, Kelvin sign, dotted
# and dotless i): text holding one is matched rule by rule, without the literal test
CASE_FOLD_EXTRA = re.compile("[\u017f\u212a\u0130\u0131]")


def may_match(rx: re.Pattern[str], lowered: str) -> bool:
    r"""False only when ``rx`` cannot match text whose lower-case form is ``lowered``.

    A pattern anchored at a word start (``\b`` or ``(?<![\w-])`` before a letter) starts every match at the
    start of a word, so it is enough that some word of the text begins like one of its literal beginnings (set
    lookups on the text's words, computed once per text). Otherwise one of the beginnings must occur anywhere in
    the text (a substring test)."""
    if CASE_FOLD_EXTRA.search(lowered):
        return True
    gate = word_gate(rx)
    if gate is None:
        return True
    if not gate.anchored:
        return any(h in lowered for h in gate.heads)
    words, beginnings = _text_words(lowered)
    return not (gate.whole.isdisjoint(words) and gate.begins.isdisjoint(beginnings))


_RUN = re.compile(r"\w+")


class WordGate(NamedTuple):
    anchored: bool  # every match starts at the start of a word
    heads: frozenset[str]  # literal beginnings (lower case, up to HEAD_LEN characters)
    whole: frozenset[str]  # words a match can start with exactly (a non-word character follows in the pattern)
    begins: frozenset[str]  # beginnings of the word a match starts with


def word_gate(rx: re.Pattern[str]) -> WordGate | None:
    """What any match of ``rx`` must start with, or ``None`` where that can't be bounded."""
    return _gate(rx.pattern, rx.flags)


@lru_cache(maxsize=1024)
def _gate(pattern: str, flags: int) -> WordGate | None:
    import re._parser as sre
    from re._constants import ASSERT_NOT, AT, AT_BOUNDARY, CATEGORY, CATEGORY_WORD, IN

    heads = literal_heads(pattern, flags, HEAD_LEN)
    if heads is None:
        return None
    parsed = list(sre.parse(pattern, flags))
    first = parsed[0] if parsed else None
    word_start = first == (AT, AT_BOUNDARY) or (  # \b, or a lookbehind refusing a word character before
        first is not None and first[0] is ASSERT_NOT and first[1][0] == -1
        and any(op is IN and (CATEGORY, CATEGORY_WORD) in av for op, av in first[1][1])
    )
    runs = [(m.group(), len(h) > m.end()) if (m := _RUN.match(h)) else None for h in heads]
    anchored = word_start and all(r is not None for r in runs)
    whole = frozenset(r[0] for r in runs if r is not None and r[1])
    begins = frozenset(r[0] for r in runs if r is not None and not r[1])
    return WordGate(anchored, heads, whole, begins)


@lru_cache(maxsize=64)
def _text_words(lowered: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a lower-cased text and every beginning (up to six letters) of each (cached: a classifier asks
    about one text many times in a row)."""
    words = _RUN.findall(lowered)
    beginnings = frozenset(w[:k] for w in words for k in range(1, min(len(w), HEAD_LEN) + 1))
    return frozenset(words), beginnings


@lru_cache(maxsize=512)
def literal_heads(pattern: str, flags: int = re.I, n: int = HEAD_LEN) -> frozenset[str] | None:
    import re._parser as sre  # the stdlib's own parse of the pattern

    heads = _heads(list(sre.parse(pattern, flags)), n)
    if heads is None:
        return None
    out = {p for p, _ in heads}
    if "" in out:
        return None
    # a head with a shorter head as its prefix adds nothing to a substring test
    return frozenset(h for h in out if not any(o != h and h.startswith(o) for o in out))


_Heads = set[tuple[str, bool]]


def _heads(seq: list, n: int) -> _Heads | None:
    """The possible first ``n`` characters (lower case) of a match of a parsed sequence, as (prefix, finished) pairs;
    a prefix is finished at ``n`` characters. Cutting a prefix short is always safe
    (a shorter prefix is a weaker condition), so anything unusual finishes it; ``None``: no bound."""
    from re._constants import ASSERT, ASSERT_NOT, AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN

    states: _Heads = {("", False)}
    for op, av in seq:
        if all(done for _, done in states):
            break
        if op in (AT, ASSERT, ASSERT_NOT):
            continue  # zero width
        opts: _Heads | None
        if op is LITERAL:
            opts = {(chr(av).lower(), False)}
        elif op is SUBPATTERN:
            opts = _heads(list(av[-1]), n)
        elif op is BRANCH:
            alts = [_heads(list(alt), n) for alt in av[1]]
            opts = None if any(h is None for h in alts) else set().union(*alts)  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, _hi, sub = av
            h = _heads(list(sub), n)
            if h is None:
                opts = None
            else:
                opts = {(p, True) for p, _ in h}  # one repetition, then stop extending (safe)
                if lo == 0:
                    opts.add(("", False))
        elif op is IN and all(o is LITERAL for o, _ in av):
            opts = set()
            for _, code in av:
                opts.add((chr(code).lower(), False))
        else:  # any character, a class, a back-reference: no bound from here on
            opts = None
        if opts is None:
            if all(p == "" for p, done in states if not done):
                return None
            states = {(p, True) for p, _ in states}
            break
        new: _Heads = set()
        for p, done in states:
            if done:
                new.add((p, True))
                continue
            for q, d in opts:
                pq = p + q
                new.add((pq[:n], d or len(pq) >= n))
        states = new
    return states
