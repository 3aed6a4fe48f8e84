"""The cleaning stage: HTML extraction, junk removal (with mojibake repair), case restoration of lower-cased
and ALL-CAPS text, and publication-date discovery."""

from __future__ import annotations

from warlog.clean.case import restore_case
from warlog.clean.html import extract_html
from warlog.clean.junk import clean_text
from warlog.clean.pubdate import find_date_line, find_dateline
from warlog.data import Doc, PubDateSource
from warlog.errors import IngestError
from warlog.pipeline.base import Stage

MIN_CHARS = 40


class CleanStage(Stage):
    name = "clean"
    requires = frozenset({"article"})
    assigns = frozenset({"clean_text", "offset_map", "pub_date"})

    def process(self, doc: Doc) -> Doc | None:
        art = doc.article
        base = art.raw_text
        meta_date = art.published
        if art.is_html:
            extracted = extract_html(art.raw_text, art.source_path)
            base = extracted.text
            doc.meta["html_method"] = extracted.method
            self.stats.counters[f"html_{extracted.method}"] += 1
            if not art.title and extracted.title:
                art.title = extracted.title
            meta_date = meta_date or extracted.date
        res = clean_text(base)
        if len(res.text.strip()) < MIN_CHARS:
            raise IngestError(f"no article text left after cleaning ({len(res.text.strip())} chars)", art.source_path)
        text, case = restore_case(res.text)
        if case.segments:  # lower-cased or ALL-CAPS text: same length and offsets, case restored before the NER
            doc.meta["case"] = {"style": case.style, "lines_lower": case.lines_lower, "lines_upper": case.lines_upper,
                                "words_changed": case.words_changed}
            self.stats.counters[f"case_restored_{case.style}"] += 1
            self.stats.counters["case_lines_restored"] += case.lines_lower + case.lines_upper
        doc.clean_text = text
        doc.offset_map = res.offset_map
        if res.repairs:  # mojibake repaired: (clean_start, length, source_start, source_length) of each repair
            doc.meta["repairs"] = res.repairs
        doc.meta["text_base"] = "html_extracted" if art.is_html else "raw"
        for k, v in res.removed.items():
            self.stats.counters[k] += v
        if meta_date is not None:
            doc.pub_date, doc.pub_date_source = meta_date, PubDateSource.METADATA
        elif res.header_date is not None:
            doc.pub_date, doc.pub_date_source = res.header_date, PubDateSource.HEADER
        else:
            self._text_pub_date(doc, res.text)
        self.stats.counters[f"pubdate_{doc.pub_date_source.value}"] += 1
        return doc

    def _text_pub_date(self, doc: Doc, text: str) -> None:
        """A date line that opens the text or carries a cue ("Published on ...") beats a dateline, which beats a
        weekday date among the first lines or a cue in the last lines."""
        line = find_date_line(text)
        if line is not None and line[3] in ("cue", "leading"):
            doc.pub_date, doc.pub_date_source = line[0], PubDateSource.DATE_LINE
            doc.meta["dateline_end"] = line[2]
            doc.meta["pub_date_how"] = line[3]
            return
        found = find_dateline(text)
        if found is not None:
            doc.pub_date, doc.pub_date_source = found[0], PubDateSource.TEXT
            doc.meta["dateline_end"] = found[1]
            doc.meta["pub_date_how"] = "dateline"
            return
        if line is not None:
            trailing = line[3] == "trailing"
            doc.pub_date = line[0]
            doc.pub_date_source = PubDateSource.TRAILING_LINE if trailing else PubDateSource.DATE_LINE
            if not trailing:
                doc.meta["dateline_end"] = line[2]
            doc.meta["pub_date_how"] = line[3]
