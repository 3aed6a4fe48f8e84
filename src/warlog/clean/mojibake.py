"""Mojibake repair (ftfy) that keeps an exact character map to the source.

Scraped archives often carry text that was encoded as UTF-8 and decoded as Windows-1252 or Latin-1 once or
twice ("â€˜bhoomi pujanâ€™", "Syriaâ€™s", "cafÃ©"), or the UTF-8 bytes of the replacement character read
the same way ("Shishaniï¿½_s"). ftfy (https://ftfy.readthedocs.io) decides what the text was meant to be;
it is run on each non-ASCII word that looks damaged, and the repaired word is aligned with the damaged one
(difflib), so the characters ftfy kept map to their source offsets and only the characters it rewrote are
new (they map to nothing, like the cleaner's inserted separators). A replacement character left between
letters after repair ("Shishani\ufffd_s", "don\ufffdt") was an apostrophe and becomes one.

Only ftfy's encoding repairs are enabled: quotes stay curly, ligatures, widths, line breaks, HTML entities
and Unicode normalisation are left alone, so undamaged text is never touched.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
from ftfy.badness import is_bad

TOKEN = re.compile(r"[^ \n]+")
LOST_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\ufffd(?:_(?=s\b))?(?=[^\W\d_])")
_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@lru_cache(maxsize=8192)
def fix_token(token: str) -> str:
    """The repaired form of one whitespace-free token (the token itself when it is not damaged)."""
    if token.isascii():
        return token
    fixed = ftfy.fix_text(token, _CONFIG) if (is_bad(token) or "\ufffd" in token) else token
    if "\ufffd" in fixed:
        fixed = LOST_APOSTROPHE.sub("'", fixed)
    return fixed


def repair_line(line: str) -> tuple[str, list[int | tuple[int, int]], int] | None:
    """``(repaired line, map, words repaired)`` or None when the line has nothing to repair. ``map`` gives for
    each character of the repaired line its index in ``line``, or for a character ftfy wrote the ``(start,
    end)`` range of the damaged characters it replaces."""
    if line.isascii():
        return None
    parts: list[str] = []
    cmap: list[int | tuple[int, int]] = []
    pos = 0
    n_fixed = 0
    for m in TOKEN.finditer(line):
        tok = m.group()
        fixed = fix_token(tok)
        if fixed == tok:
            continue
        n_fixed += 1
        parts.append(line[pos : m.start()])
        cmap.extend(range(pos, m.start()))
        for op, a0, a1, b0, b1 in SequenceMatcher(None, tok, fixed, autojunk=False).get_opcodes():
            parts.append(fixed[b0:b1])
            if op == "equal":
                cmap.extend(range(m.start() + a0, m.start() + a1))
            else:
                cmap.extend([(m.start() + a0, m.start() + a1)] * (b1 - b0))
        pos = m.end()
    if not n_fixed:
        return None
    parts.append(line[pos:])
    cmap.extend(range(pos, len(line)))
    return "".join(parts), cmap, n_fixed
