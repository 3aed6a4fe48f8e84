"""Typed records flowing through warlog.

One ``Doc`` flows through the stages (datatrove-style): ingest creates the ``Article`` inside it, cleaning
fills ``clean_text`` and ``pub_date``, extraction adds ``mentions``, resolution fills resolved values and
aggregation turns mentions into ``events``. Every extracted value keeps the ``Span`` (character offsets into
the stored cleaned text) it came from, and every resolved value records *how* it was resolved as a typed
enum, never a sentinel string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any


def content_hash(text: str) -> str:
    """Stable identifier of a text (sha256 of its UTF-8 bytes, 16 hex digits)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` into ``Doc.clean_text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}:{self.end}")

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


class DateSource(StrEnum):
    """How an event date was resolved."""

    EXPLICIT = "explicit"  # a full date written in the sentence ("on 20 May 2018")
    RELATIVE = "relative"  # relative expression resolved against the publication date ("on Saturday")
    PUBLICATION = "publication"  # no date in the sentence: the publication date
    INFERRED = "inferred"  # publication date unknown, window inferred from text cues and episode knowledge
    UNKNOWN = "unknown"


class PubDateSource(StrEnum):
    HEADER = "header"  # bare "date YYYY-MM-DD" header in a scraped text
    METADATA = "metadata"  # JSONL/WARC/HTML metadata
    TEXT = "text"  # a dateline or date written in the first lines
    DATE_LINE = "date_line"  # a date line at the top: "Published on ...", "Tue 05 Jul 2016 ...", "24.08.2013"
    TRAILING_LINE = "trailing_line"  # a date line at the bottom: "Date of publication ...", "Last updated ..."
    INFERRED = "inferred"  # inferred window (see resolve.dates)
    NONE = "none"


class DatePrecision(IntEnum):
    """ACLED ``time_precision``: 1 exact day, 2 within a week or a few days, 3 month or vaguer."""

    DAY = 1
    WEEK = 2
    MONTH = 3


class GeoPrecision(IntEnum):
    """ACLED ``geo_precision``: 1 town/point, 2 near/part of a region or district, 3 province (admin1)."""

    TOWN = 1
    REGION = 2
    PROVINCE = 3


class GeoMethod(StrEnum):
    """How an event location was chosen."""

    SENTENCE = "sentence"  # a toponym in the event sentence
    CONTEXT = "context"  # a toponym in a neighbouring sentence of the same event
    ARTICLE_FOCUS = "article_focus"  # no toponym in the sentence: the article's main event place
    ARTICLE_ADMIN1 = "article_admin1"  # only the country named ("in eastern Syria"): the governorate of the article's place
    COUNTRY = "country"  # only the country is known: its centre, geo_precision 3 (flagged for review)
    UNRESOLVED = "unresolved"  # no place at all: kept without coordinates (flagged for review)


class EventFlag(StrEnum):
    """What an analyst should check about an event that was kept at a coarser precision instead of dropped."""

    COARSE_LOCATION = "coarse_location"  # coded to the governorate or the country, not to a town
    UNLOCATED = "unlocated"  # no place could be resolved
    UNDATED = "undated"  # no date could be resolved (no publication date, no date in the text)
    UNREPORTABLE = "unreportable"  # judged not an event of the article (history, toll, statement...): kept, not exported


class ReportableMethod(StrEnum):
    """How an event's reportability was decided (``dedupe.reportable``)."""

    MODEL = "model"  # the learned probability against the threshold
    LEAD = "lead"  # told in the headline or first two sentences: kept as the article's news whatever the probability
    NONE = "none"  # not judged (the stage did not run)


class MatchTier(StrEnum):
    """Which gazetteer tier matched a toponym."""

    EXACT = "exact"
    ALTERNATE = "alternate"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"
    SKELETON = "skeleton"  # same consonant skeleton, only among the focus country's places
    FALLBACK = "fallback"  # not in the gazetteer: coded at a larger unit named in the text, or the country


class ActorMethod(StrEnum):
    LEXICON = "lexicon"  # alias in the actor lexicon
    NER = "ner"  # spaCy entity not in the lexicon (kept verbatim, not normalised)
    DEFAULT = "default"  # ACLED default (e.g. unidentified armed group)
    COREFERENCE = "coreference"  # a pronoun subject ("It signed ...") resolved to the previous sentence's actor


class TypeMethod(StrEnum):
    """Who decided an event's sub-type (``extract.event_type.classify``)."""

    RULE = "rule"  # a codebook rule, the learned model disagreeing less confidently than the rule's precision
    MODEL = "model"  # the learned sub-event model (no rule, a weak rule, or a rule less reliable than the model)
    RULE_AND_MODEL = "rule+model"  # both agree
    LEXICON = "lexicon"  # the trigger lexicon alone (no classifier decision applied)


@dataclass(frozen=True, slots=True)
class TypeResolution:
    """How a sub-event type was resolved: method, the deciding rule, its precision measured on the training notes
    and the model's probability of the chosen sub-type."""

    method: TypeMethod
    rule: str
    rule_precision: float | None = None
    model_probability: float | None = None


@dataclass(slots=True)
class Article:
    """One input article as read from disk, before cleaning."""

    article_id: str  # content hash of the raw text
    source_path: str
    raw_text: str
    is_html: bool = False
    url: str | None = None
    title: str | None = None
    published: dt.date | None = None  # from metadata (JSONL/WARC/HTML) when present
    record_index: int = 0  # position inside a multi-record file (JSONL line, WARC record)
    outlet: str | None = None  # the publisher, from metadata ("source", "outlet", "publisher", "site_name")


@dataclass(slots=True)
class Quantity:
    """A count read from text. ``low``/``best``/``high`` follow UCDP; ``None`` means not stated."""

    low: int | None
    best: int | None
    high: int | None
    increment: bool = False  # "another 400": adds to an earlier count of the same event
    approximate: bool = False


@dataclass(slots=True)
class Place:
    name: str
    latitude: float | None
    longitude: float | None
    country: str | None  # ISO-3166 alpha-2
    admin1: str | None
    precision: GeoPrecision
    gazetteer_id: str | None
    tier: MatchTier | None
    confidence: float
    kind: str = "town"
    admin2: str | None = None
    # set when the toponym itself was not found and a coarser unit stands in for it ("admin1", "admin2",
    # "country"): the event keeps the toponym text (``unresolved_name``) and is flagged, never dropped
    fallback: str | None = None
    unresolved_name: str | None = None


@dataclass(slots=True)
class Actor:
    name: str  # ACLED-style normalised name, or the raw text when unresolved
    raw: str
    inter: int  # ACLED inter code (1 state forces ... 8 external forces, 0 none)
    method: ActorMethod
    span: Span | None = None
    country: str | None = None


@dataclass(slots=True)
class Claim:
    """A figure or allegation attached to the source that made it."""

    kind: str  # "fatalities" | "injuries" | "cumulative_fatalities" | "cumulative_injuries" | "allegation" | "statement"
    source: str | None  # who said it ("White Helmets"); None when the article asserts it itself
    via: str | None  # the outlet relaying it ("The Washington Post")
    text: str
    span: Span
    value: Quantity | None = None
    civilian: bool = False


@dataclass(slots=True)
class Mention:
    """One event mention: a trigger in a sentence and everything read around it."""

    sentence: Span
    trigger: Span
    trigger_text: str
    event_type: str
    sub_event_type: str
    places: list[tuple[Span, Place]] = field(default_factory=list)
    actor1: Actor | None = None
    actor2: Actor | None = None
    fatalities: Quantity | None = None
    fatality_span: Span | None = None
    civilian_fatalities: bool = False
    injuries: Quantity | None = None
    date: dt.date | None = None
    date_precision: DatePrecision = DatePrecision.MONTH
    date_source: DateSource = DateSource.UNKNOWN
    date_span: Span | None = None
    claims: list[Claim] = field(default_factory=list)
    background: bool = False  # refers to an earlier, separately dated episode
    confidence: float = 0.5
    plover: str | None = None
    place_candidates: list[tuple[Span, str, str]] = field(default_factory=list)  # (span, text, role)
    date_expr: tuple[Span, str] | None = None  # the date expression nearest the trigger, unresolved
    other_actors: list[Actor] = field(default_factory=list)  # armed actors in the sentence not in a role
    typing: TypeResolution | None = None  # how the sub-type was decided


@dataclass(slots=True)
class Evidence:
    article_id: str
    start: int
    end: int
    text: str
    role: str = "sentence"  # sentence | trigger | fatalities | place | actor1 | actor2 | date


@dataclass(slots=True)
class Event:
    event_id: str
    article_id: str
    event_date: dt.date | None
    date_precision: DatePrecision
    date_source: DateSource
    event_type: str
    sub_event_type: str
    actor1: Actor | None
    actor2: Actor | None
    place: Place | None
    geo_method: GeoMethod
    fatalities: Quantity
    civilian_fatalities: int | None
    evidence: list[Evidence]
    claims: list[Claim]
    confidence: float
    interaction: int = 0
    source_name: str | None = None
    flags: list[EventFlag] = field(default_factory=list)
    reportability: float | None = None  # probability that it is an event of the article (dedupe.reportable)
    reportable: bool = True  # False: under the reportability threshold, kept for review, left out of exports
    reportable_method: ReportableMethod = ReportableMethod.NONE
    typing: TypeResolution | None = None  # how the sub-type was decided (the lead mention's)


@dataclass(slots=True)
class EventCluster:
    """Events from several articles judged to be the same real-world event."""

    cluster_id: str
    event_ids: list[str]
    date_start: dt.date | None
    date_end: dt.date | None
    place: Place | None
    fatalities: Quantity
    source_count: int


@dataclass(slots=True)
class Reject:
    """An input (or record inside one) that could not be processed, and why."""

    source_path: str
    record_index: int
    stage: str
    code: str
    reason: str
    content_hash: str | None = None


@dataclass(slots=True)
class Doc:
    """The unit that flows through every stage."""

    article: Article
    clean_text: str = ""
    offset_map: list[tuple[int, int, int]] = field(default_factory=list)  # (clean_start, raw_start, length)
    pub_date: dt.date | None = None
    pub_date_source: PubDateSource = PubDateSource.NONE
    pub_window: tuple[dt.date, dt.date] | None = None  # feasible publication window when inferred
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.article.article_id

    def raw_offset(self, clean_offset: int) -> int | None:
        """Map an offset in ``clean_text`` back to the raw article text (None if inside inserted text)."""
        for c_start, r_start, length in self.offset_map:
            if c_start <= clean_offset < c_start + length:
                return r_start + (clean_offset - c_start)
        return None
