"""Readers for .txt, .html, .jsonl and WARC inputs.

``iter_inputs(paths)`` walks files and folders in sorted order and yields ``Article`` or ``Reject``
records; a bad file or record never stops the walk. Multi-record files (JSONL lines, WARC records) yield one
item per record with its ``record_index`` so a rejected line is named precisely.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warlog.data import Article, Reject, content_hash
from warlog.errors import IngestError
from warlog.ingest.decode import decode_bytes

SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".warc", ".warc.gz", ".arc.gz")
_HTML_START = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_TAG = re.compile(r"</?(p|div|span|a|br|article|section|h[1-6]|script|meta|li|ul)\b", re.I)


@dataclass(frozen=True)
class IngestLimits:
    max_file_bytes: int = 64 * 1024 * 1024  # a single .txt/.html article
    max_record_chars: int = 5_000_000  # one JSONL/WARC record


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suf in (".warc.gz", ".arc.gz"):
        if name.endswith(suf):
            return suf
    return path.suffix.lower()


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


def _parse_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(float(value), tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None


def _reject(path: str, reason: str, index: int = 0, code: str = IngestError.code, digest: str | None = None) -> Reject:
    return Reject(source_path=path, record_index=index, stage="ingest", code=code, reason=reason, content_hash=digest)


def _article(path: str, text: str, index: int = 0, **meta: object) -> Article:
    is_html = bool(meta.pop("is_html", False)) or looks_like_html(text)
    return Article(
        article_id=content_hash(text),
        source_path=path,
        raw_text=text,
        is_html=is_html,
        url=meta.get("url") if isinstance(meta.get("url"), str) else None,  # type: ignore[arg-type]
        title=meta.get("title") if isinstance(meta.get("title"), str) else None,  # type: ignore[arg-type]
        outlet=meta.get("outlet") if isinstance(meta.get("outlet"), str) else None,  # type: ignore[arg-type]
        published=_parse_date(meta.get("published")),
        record_index=index,
    )


def read_text_file(path: Path, limits: IngestLimits) -> Iterator[Article | Reject]:
    p = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            yield _reject(p, f"file too large ({size} bytes > limit {limits.max_file_bytes})")
            return
        text, _enc = decode_bytes(path.read_bytes(), p)
    except IngestError as exc:
        yield _reject(p, exc.reason)
        return
    except OSError as exc:
        yield _reject(p, f"cannot read file: {exc.strerror or exc}")
        return
    yield _article(p, text, is_html=_suffix(path) in (".html", ".htm"))


_TEXT_KEYS = ("text", "content", "body", "article", "maintext")
_HTML_KEYS = ("html", "raw_html")
_DATE_KEYS = ("published", "date", "date_publish", "publish_date", "published_at", "pub_date")
_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "source_name")


def read_jsonl(path: Path, limits: IngestLimits) -> Iterator[Article | Reject]:
    p = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield _reject(p, f"cannot read file: {exc.strerror or exc}")
        return
    n_ok = 0
    with fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line, _ = decode_bytes(raw, p)
                obj = json.loads(line)
            except IngestError as exc:
                yield _reject(p, f"line {lineno}: {exc.reason}", lineno)
                continue
            except json.JSONDecodeError as exc:
                truncated = not raw.endswith(b"\n")
                why = "truncated JSON record (file ends mid-line)" if truncated else f"malformed JSON ({exc.msg})"
                yield _reject(p, f"line {lineno}: {why}", lineno)
                continue
            if not isinstance(obj, dict):
                yield _reject(p, f"line {lineno}: JSON value is {type(obj).__name__}, expected an object", lineno)
                continue
            text = next((obj[k] for k in _TEXT_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
            html = next((obj[k] for k in _HTML_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
            body = text if text is not None else html
            if body is None:
                yield _reject(p, f"line {lineno}: no non-empty 'text' or 'html' field", lineno)
                continue
            if len(body) > limits.max_record_chars:
                yield _reject(p, f"line {lineno}: record too large ({len(body)} chars)", lineno)
                continue
            published = next((obj[k] for k in _DATE_KEYS if obj.get(k)), None)
            outlet = next((obj[k].strip() for k in _OUTLET_KEYS if isinstance(obj.get(k), str) and obj[k].strip()), None)
            n_ok += 1
            yield _article(
                p, body, lineno, is_html=text is None, url=obj.get("url"), title=obj.get("title"), published=published,
                outlet=outlet,
            )
    if n_ok == 0 and path.stat().st_size == 0:
        yield _reject(p, "empty file (no JSONL records)")


class _FramingErrors:
    """Stands in for the WARC library's stderr warning template: counts framing errors instead of printing."""

    def __init__(self) -> None:
        self.n = 0
        self.first: str | None = None

    def format(self, offset: object, remainder: object) -> str:
        self.n += 1
        if self.first is None:
            self.first = f"offset {offset}"
        return ""


def read_warc(path: Path, limits: IngestLimits) -> Iterator[Article | Reject]:
    import logging

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    logging.getLogger("warcio").setLevel(logging.ERROR)  # its repairs of bad URIs are not our errors to print

    class _Quiet(ArchiveIterator):
        INC_RECORD = framing = _FramingErrors()

    p = str(path)
    index = 0
    if path.stat().st_size == 0:
        yield _reject(p, "empty file (no WARC records)")
        return
    truncated = _gzip_truncated(path) if path.name.lower().endswith(".gz") else None
    try:
        with path.open("rb") as fh:
            for record in _Quiet(fh):
                index += 1
                proto = (record.rec_headers.protocol or "") if record.rec_headers else ""
                is_arc_file = path.name.lower().endswith((".arc", ".arc.gz"))
                if (record.format == "warc" and not proto.upper().startswith("WARC/")) or (
                    record.format != "warc" and not is_arc_file
                ):
                    yield _reject(p, f"record {index}: not a valid WARC record header ({proto[:40]!r})", index)
                    continue
                if record.rec_type not in ("response", "resource", "conversion"):
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
                    record.rec_headers.get_header("Content-Type") or ""
                )
                if not any(t in ctype.lower() for t in ("html", "text/plain", "xhtml")):
                    continue
                data = record.content_stream().read(limits.max_record_chars * 4 + 1)
                url = record.rec_headers.get_header("WARC-Target-URI")
                if len(data) > limits.max_record_chars * 4:
                    yield _reject(p, f"record {index} ({url}): too large", index)
                    continue
                try:
                    text, _ = decode_bytes(data, p)
                except IngestError as exc:
                    yield _reject(p, f"record {index} ({url}): {exc.reason}", index)
                    continue
                yield _article(p, text, index, is_html="html" in ctype.lower(), url=url)
        if _Quiet.framing.n:
            yield _reject(p, f"{_Quiet.framing.n} WARC record(s) whose Content-Length does not match the data "
                          f"(first at {_Quiet.framing.first}); records read as far as they parse", index + 1)
        if index == 0:
            yield _reject(p, "no WARC records found (not a WARC file, or corrupt from the start)", 1)
        elif truncated:
            yield _reject(p, f"truncated WARC after record {index}: {truncated}", index + 1)
    except ArchiveLoadFailed as exc:
        yield _reject(p, f"malformed WARC at record {index + 1}: {str(exc).splitlines()[0][:200]}", index + 1)
    except (EOFError, OSError, ValueError) as exc:  # truncated gzip member, broken headers
        yield _reject(p, f"truncated or corrupt WARC after record {index}: {type(exc).__name__}: {exc}", index + 1)
    except Exception as exc:  # the WARC library fails in other ways on some cut-off records (found by fuzzing)
        yield _reject(p, f"corrupt WARC after record {index}: {type(exc).__name__}: {str(exc)[:200]}", index + 1)


def read_path(path: Path, limits: IngestLimits | None = None) -> Iterator[Article | Reject]:
    """Read one file of any supported kind."""
    limits = limits or IngestLimits()
    suf = _suffix(path)
    if suf in (".jsonl", ".ndjson"):
        yield from read_jsonl(path, limits)
    elif suf in (".warc", ".warc.gz", ".arc.gz"):
        yield from read_warc(path, limits)
    elif suf in (".txt", ".text", ".html", ".htm", ""):
        yield from read_text_file(path, limits)
    else:
        yield _reject(str(path), f"unsupported file type '{suf}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders (recursively, sorted, skipping hidden files); explicit files are kept as given."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts):
                    if _suffix(f) in SUPPORTED_SUFFIXES:
                        yield f
        else:
            yield path


def iter_inputs(paths: Iterable[str | Path], limits: IngestLimits | None = None) -> Iterator[Article | Reject]:
    for f in iter_files(paths):
        if not f.exists():
            yield _reject(str(f), "no such file or directory")
            continue
        n = 0
        try:
            for item in read_path(f, limits):
                n += 1
                yield item
        except Exception as exc:  # a reader must never end the run: the file becomes a reject
            yield _reject(str(f), f"unreadable after {n} records: {type(exc).__name__}: {str(exc)[:200]}", n + 1)


def _gzip_truncated(path: Path) -> str | None:
    """Why a gzip file is truncated or corrupt, or None when it decompresses to the end."""
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except EOFError as exc:
        return f"gzip stream ends early ({exc})"
    except (OSError, zlib.error) as exc:
        return f"corrupt gzip data ({exc})"
    return None
