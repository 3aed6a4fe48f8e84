"""Bytes to text: binary detection and encoding fallback (UTF-8, UTF-16 BOM, charset detection)."""

from __future__ import annotations

import re

from warlog.errors import IngestError

_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True when the first ``sample`` bytes look like a binary file (NULs or many control bytes)."""
    head = data[:sample]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs but a BOM
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b in _CONTROL)
    return ctrl / len(head) > 0.10


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, encoding)`` or raises ``IngestError`` naming ``path``."""
    if not data.strip():
        raise IngestError("empty file (no text content)", path)
    if looks_binary(data):
        raise IngestError("binary content (NUL or control bytes), not a text/HTML article", path)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IngestError(f"invalid UTF-16 ({exc.reason} at byte {exc.start})", path) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        raise IngestError("undecodable bytes: not UTF-8 and no other encoding detected", path)
    encoding = best.encoding
    if re.fullmatch(r"cp125\d|iso8859_\d+|latin_1|mac_\w+", encoding) and _decodes(data, "cp1252"):
        encoding = "cp1252"  # ambiguous single-byte text: the Western default, as browsers do
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(10, len(text) // 100):
        raise IngestError(f"undecodable bytes: {bad} invalid sequences under {best.encoding}", path)
    return text, encoding


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
