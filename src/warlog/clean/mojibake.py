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

NON_ASCII = re.compile(r"[^\x00-\x7f]")
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
    fixed = ftfy.fix_text(token, _CONFIG) if (is_bad(token) or "\ufffd" in token) else token
    if "\ufffd" in fixed:
        fixed = LOST_APOSTROPHE.sub("'", fixed)
    return fixed


def _non_ascii_tokens(line: str) -> list[tuple[int, int]]:
    """(start, end) of the space-separated tokens of ``line`` holding a non-ASCII character, in order."""
    out: list[tuple[int, int]] = []
    end = -1
    for m in NON_ASCII.finditer(line):
        i = m.start()
        if i < end:
            continue
        start = max(line.rfind(" ", 0, i), line.rfind("\n", 0, i)) + 1
        stops = [k for k in (line.find(" ", i), line.find("\n", i)) if k >= 0]
        end = min(stops) if stops else len(line)
        out.append((start, end))
    return out


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
    for t0, t1 in _non_ascii_tokens(line):
        tok = line[t0:t1]
        fixed = fix_token(tok)
        if fixed == tok:
            continue
        n_fixed += 1
        parts.append(line[pos:t0])
        cmap.extend(range(pos, t0))
        for op, a0, a1, b0, b1 in SequenceMatcher(None, tok, fixed, autojunk=False).get_opcodes():
            parts.append(fixed[b0:b1])
            if op == "equal":
                cmap.extend(range(t0 + a0, t0 + a1))
            else:
                cmap.extend([(t0 + a0, t0 + a1)] * (b1 - b0))
        pos = t1
    if not n_fixed:
        return None
    parts.append(line[pos:])
    cmap.extend(range(pos, len(line)))
    return "".join(parts), cmap, n_fixed


def simulate_mojibake(text: str) -> str:
    """The damage ``repair_line`` undoes: UTF-8 read as Windows-1252, as a scraper that guessed the encoding wrong
    writes it (used by the metamorphic evaluation and the tests)."""
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        for b in ch.encode("utf-8"):
            try:
                out.append(bytes([b]).decode("cp1252"))
            except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d): Latin-1
                out.append(chr(b))
    return "".join(out)
