"""HTML main-text extraction.

Fallback cascade (documented, in order):
1. trafilatura ``bare_extraction`` (main text, title, date metadata) with comments and tables off;
2. trafilatura in recall mode (``favor_recall``) when the first pass finds under 200 characters;
3. the plain text of ``<p>`` elements parsed by lxml (broken HTML is repaired by lxml's recovering parser).
The first non-empty result wins; ``method`` says which one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warlog.errors import IngestError


@dataclass
class HtmlText:
    text: str
    title: str | None
    date: dt.date | None
    method: str


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _trafilatura(html: str, recall: bool) -> HtmlText | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_recall=recall,
        with_metadata=True,
        # no cross-document deduplication: its cache is process-wide, so a page read twice in one process
        # (a rerun, a shard, a test) would lose paragraphs the second time and give different rows
        deduplicate=False,
    )
    if doc is None:
        return None
    text = getattr(doc, "text", None) if not isinstance(doc, dict) else doc.get("text")
    if not text:
        return None
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return HtmlText(text=text, title=get("title"), date=_date(get("date")), method="trafilatura_recall" if recall else "trafilatura")


def _paragraphs(html: str) -> HtmlText | None:
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    paras = [" ".join(p.text_content().split()) for p in root.xpath("//p")]
    text = "\n".join(p for p in paras if len(p) > 30)
    if not text:
        text = " ".join(root.text_content().split())
    title = root.findtext(".//title")
    return HtmlText(text=text, title=title, date=None, method="lxml_paragraphs") if text else None


def extract_html(html: str, path: str) -> HtmlText:
    result = None
    try:
        result = _trafilatura(html, recall=False)
        if result is None or len(result.text) < 200:
            result = _trafilatura(html, recall=True) or result
    except Exception:  # trafilatura can raise on pathological markup; fall through to lxml
        result = None
    if result is None or not result.text.strip():
        result = _paragraphs(html)
    if result is None or not result.text.strip():
        raise IngestError("HTML contains no extractable main text", path)
    if result.date is None:
        result.date = meta_date(html)
    return result


META_DATE = re.compile(
    r"<meta\s[^>]*(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|og:published_time|datePublished|"
    r"pubdate|publishdate|date|dc\.date|DC\.date\.issued|sailthru\.date|parsely-pub-date)[\"'][^>]*content\s*=\s*"
    r"[\"'](\d{4}-\d{2}-\d{2})|<time\s[^>]*datetime\s*=\s*[\"'](\d{4}-\d{2}-\d{2})",
    re.I,
)


def meta_date(html: str) -> dt.date | None:
    """The publication date of the page's own metadata (``article:published_time``, ``datePublished``,
    ``<time datetime>``): the fallback when the extractor gave none."""
    m = META_DATE.search(html[:200_000])
    if not m:
        return None
    return _date(m.group(1) or m.group(2))
