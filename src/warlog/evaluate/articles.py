"""``warlog eval articles``: event-level scores on full-length articles against the article gold.

Gold (``gold/*.jsonl``, format in ``docs/annotation.md``) holds article ids and character offsets only; the texts
come from ``../shared`` (the Guardian CSV, whose date column is given to warlog as publication metadata; FA-KES)
or from ``gold/fixtures/`` (our own articles, read by warlog's own readers as a user would feed them). Each
article goes through the same stages as ``warlog run`` (no database), and its predicted events are matched
one-to-one to the gold events of the same article, greedily by score, among compatible pairs:

* date within a window set by both precisions (day +-1 day, week +-7 days, month: same month or +-31 days);
* place within 25 km, or the same admin-2, or the same admin-1 where either side is coded at geo_precision 3
  (the same country where either side is coded to the country only);
* type: the same event type, or both political violence (battles, explosions/remote violence, violence
  against civilians).

Reported: precision, recall and F1 of events; for matched events the share right of each field; the share of
predicted events dated; and counts of the error classes the gold's non-event spans and countries reveal
(history, cumulative tolls, foreign statements, datelines, ... ; fatalities from a cumulative count; events
outside the article's countries; events at a capital or dateline; duplicates of a matched gold event).

``--against`` scores one gold file against another (annotator agreement) with the same matching. ``--fakes``
scores the main event of each FA-KES article (date, governorate) and the share of articles whose publication
date warlog found in the text.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from warlog.data import Article, Doc, Event, PubDateSource
from warlog.errors import EvalFormatError
from warlog.resolve.geocode import distance_km
from warlog.resolve.keys import fold

REPO_ROOT = Path(__file__).resolve().parents[3]
GUARDIAN_REL = Path("eval/unlabeled_syria_news/Guardian_SDF_sample.csv")
FAKES_REL = Path("eval/fakes_dev/fakes_dev_2011_2015.jsonl.gz")
SECOND_PASS = "guardian_second.jsonl"
PV_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
NON_EVENT_KINDS = ("history", "cumulative_toll", "foreign_statement", "dateline", "hypothetical", "comparison",
                   "not_toponym", "other")
PLACE_KINDS = frozenset({"dateline", "not_toponym", "comparison"})  # judged on the event's place evidence
PLACE_KM = 25.0
DEFAULT_COUNTRY = {"guardian": "SY", "fakes": "SY"}

# national capitals that speak for their governments or head datelines in conflict news; an event placed in one
# that the gold does not have there is counted (Damascus, Baghdad, Kabul ... are also real event places: only
# unmatched predictions count)
CAPITALS = frozenset(fold(c) for c in (
    "Moscow", "Washington", "Ankara", "Tehran", "Beirut", "Damascus", "London", "Paris", "Berlin", "Riyadh", "Amman",
    "Baghdad", "Jerusalem", "Tel Aviv", "Cairo", "Doha", "Brussels", "Geneva", "Beijing", "Kabul", "Islamabad",
    "Abu Dhabi", "Kuwait City", "Manama", "Muscat", "Sanaa", "Rome", "Madrid", "Vienna", "Canberra", "Ottawa",
    "The Hague", "New York", "Astana", "Nur-Sultan", "Sochi", "Tripoli", "Tunis", "Algiers", "Rabat", "Nicosia",
))
# an evaluator's own reading of cumulative and period tolls, kept apart from the extractor's rules
CUMULATIVE_CUE = re.compile(
    r"\b(?:since\s+(?:the\s+(?:start|beginning|outbreak)|(?:early\s+|late\s+|mid-)?(?:19|20)\d\d|then|it\s+began|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)|the\s+(?:war|conflict|"
    r"uprising|revolution|civil\s+war))|so\s+far|to\s+date|in\s+total|in\s+all\b(?!\s+of)|overall\s+death\s+toll|"
    r"(?:war|conflict|uprising|fighting|offensive|campaign|violence|rebellion|revolt)\s+(?:that\s+|which\s+)?(?:has|have|had)"
    r"\s+(?:so\s+far\s+)?(?:killed|claimed|left)|over\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:years?|months?|weeks?)|"
    r"death\s+toll\s+(?:in|of)\s+the\s+(?:war|conflict)|in\s+(?:the\s+)?(?:syria['’]?s\s+)?(?:\w+[- ]year(?:[- ]old)?\s+)"
    r"(?:civil\s+)?(?:war|conflict|rebellion|uprising))",
    re.I,
)
WAR_SCALE = 10_000  # no single event of these wars killed so many: a count this large is a war's toll


def shared_dir() -> Path | None:
    """``../shared`` of the repository, or of the nearest folder above it that has one (a worktree)."""
    for base in (REPO_ROOT, *REPO_ROOT.parents):
        cand = base / "shared"
        if (cand / "eval").is_dir():
            return cand
    return None


def default_gold_dir() -> Path:
    return REPO_ROOT / "gold"


# ---------------------------------------------------------------- gold records


@dataclass(slots=True)
class GoldEvent:
    id: str
    event_date: dt.date | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    location: str
    admin1: str
    admin2: str
    country: str
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities_low: int
    fatalities_best: int
    fatalities_high: int
    civilian_fatalities: int
    source: str
    spans: list[tuple[int, int]]


@dataclass(slots=True)
class NonEvent:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class GoldArticle:
    article_id: str
    pub_date: dt.date | None
    annotator: str
    events: list[GoldEvent]
    non_events: list[NonEvent]
    split: str
    path: Path
    countries: frozenset[str] = frozenset()

    @property
    def corpus(self) -> str:
        return self.article_id.partition(":")[0]


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise EvalFormatError(f"{where}: bad date {value!r} (expected YYYY-MM-DD)") from exc


def _int(value: Any, default: int = 0) -> int:
    if value in (None, ""):
        return default
    return int(value)


def _float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _gold_event(obj: dict[str, Any], where: str) -> GoldEvent:
    try:
        best = _int(obj.get("fatalities_best"))
        return GoldEvent(
            id=str(obj.get("id", "")),
            event_date=_date(obj.get("event_date"), where),
            time_precision=_int(obj.get("time_precision"), 1),
            event_type=str(obj.get("event_type") or ""),
            sub_event_type=str(obj.get("sub_event_type") or ""),
            actor1=str(obj.get("actor1") or ""),
            actor2=str(obj.get("actor2") or ""),
            location=str(obj.get("location") or ""),
            admin1=str(obj.get("admin1") or ""),
            admin2=str(obj.get("admin2") or ""),
            country=str(obj.get("country") or ""),
            latitude=_float(obj.get("latitude")),
            longitude=_float(obj.get("longitude")),
            geo_precision=_int(obj.get("geo_precision"), 1),
            fatalities_low=_int(obj.get("fatalities_low"), best),
            fatalities_best=best,
            fatalities_high=_int(obj.get("fatalities_high"), best),
            civilian_fatalities=_int(obj.get("civilian_fatalities")),
            source=str(obj.get("source") or ""),
            spans=[(int(s), int(e)) for s, e in obj.get("spans") or []],
        )
    except (TypeError, ValueError) as exc:
        raise EvalFormatError(f"{where}: bad event field ({exc})") from exc


@lru_cache(maxsize=8)
def _selection(gold_dir: Path) -> dict[str, str]:
    sel = gold_dir / "selection.json"
    if not sel.is_file():
        return {}
    try:
        data = json.loads(sel.read_text(encoding="utf-8"))
        return {a["article_id"]: a["split"] for a in data.get("articles", [])}
    except (ValueError, KeyError, TypeError) as exc:
        raise EvalFormatError(f"{sel}: not a gold selection file ({exc})") from exc


def _split_of(article_id: str, record: dict[str, Any], gold_dir: Path) -> str:
    """The fixed split: the record's own, else gold/selection.json's, else a hash of the id (stable as fixtures
    are added)."""
    if record.get("split") in ("dev", "test"):
        return str(record["split"])
    sel = _selection(gold_dir)
    if article_id in sel:
        return sel[article_id]
    return "dev" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def read_gold(path: Path) -> list[GoldArticle]:
    """Records of one gold file; a malformed line is an error naming the file, the line and the reason."""
    if not path.is_file():
        raise EvalFormatError(f"{path}: no such gold file")
    out: list[GoldArticle] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFormatError(f"{path}: cannot read gold file ({exc})") from exc
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFormatError(f"{where}: malformed JSON ({exc.msg})") from exc
        if not isinstance(obj, dict) or not isinstance(obj.get("article_id"), str) or ":" not in obj["article_id"]:
            raise EvalFormatError(f"{where}: a gold record needs an 'article_id' such as 'guardian:3'")
        aid = obj["article_id"]
        events = [_gold_event(e, f"{where} ({aid})") for e in obj.get("events") or []]
        non_events = []
        for n in obj.get("non_events") or []:
            try:
                non_events.append(NonEvent(str(n["kind"]), int(n["start"]), int(n["end"])))
            except (KeyError, TypeError, ValueError) as exc:
                raise EvalFormatError(f"{where} ({aid}): bad non-event span {n!r}") from exc
        countries = frozenset(str(c) for c in obj.get("countries") or []) | {e.country for e in events if e.country}
        out.append(GoldArticle(aid, _date(obj.get("pub_date"), where), str(obj.get("annotator") or ""), events,
                               non_events, _split_of(aid, obj, path.parent), path, countries))
    return out


def default_gold_files(gold_dir: Path | None = None) -> list[Path]:
    d = gold_dir or default_gold_dir()
    return sorted(p for p in d.glob("*.jsonl") if p.name != SECOND_PASS)


def load_gold(paths: Sequence[Path]) -> list[GoldArticle]:
    """Records of several files, one per article: an adjudicated file's record replaces a first pass's."""
    files: list[Path] = []
    for p in paths:
        files.extend(default_gold_files(p) if p.is_dir() else [p])
    by_id: dict[str, GoldArticle] = {}
    for f in files:
        for rec in read_gold(f):
            if rec.article_id not in by_id or "adjudicated" in f.name:
                by_id[rec.article_id] = rec
    return list(by_id.values())


# ---------------------------------------------------------------- article texts


@dataclass(slots=True)
class Source:
    """An article's gold text (what the offsets index) and the Article warlog reads."""

    gold_text: str
    article: Article


@lru_cache(maxsize=2)
def _guardian_rows(path: Path) -> dict[str, tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return {f"guardian:{row['']}": (row.get("date") or "", row["text"]) for row in csv.DictReader(fh)}
    except (OSError, KeyError, csv.Error) as exc:
        raise EvalFormatError(f"{path}: not the Guardian sample CSV ({exc})") from exc


def read_fakes(path: Path) -> list[dict[str, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, EOFError, ValueError) as exc:
        raise EvalFormatError(f"{path}: not the FA-KES jsonl.gz ({exc})") from exc


@lru_cache(maxsize=2)
def _fakes_rows(path: Path) -> dict[str, dict[str, Any]]:
    return {f"fakes:{r['unit_id']}": r for r in read_fakes(path)}


def _fakes_article(rec: dict[str, Any], path: Path) -> Article:
    text = str(rec.get("article_content") or "")
    return Article(f"fakes:{rec['unit_id']}", f"{path}#{rec['unit_id']}", text, title=rec.get("article_title"))


def load_source(rec: GoldArticle, shared: Path | None) -> Source | None:
    """The text of a gold article, or None when it is not available here (../shared absent)."""
    corpus, _, key = rec.article_id.partition(":")
    if corpus == "guardian":
        if shared is None or not (shared / GUARDIAN_REL).is_file():
            return None
        rows = _guardian_rows(shared / GUARDIAN_REL)
        if rec.article_id not in rows:
            raise EvalFormatError(f"{rec.path}: {rec.article_id} is not in {shared / GUARDIAN_REL}")
        date_s, text = rows[rec.article_id]
        published = _date(date_s, rec.article_id)
        return Source(text, Article(rec.article_id, f"{GUARDIAN_REL}#{key}", text, published=published))
    if corpus == "fakes":
        if shared is None or not (shared / FAKES_REL).is_file():
            return None
        frows = _fakes_rows(shared / FAKES_REL)
        if rec.article_id not in frows:
            raise EvalFormatError(f"{rec.path}: {rec.article_id} is not in {shared / FAKES_REL}")
        art = _fakes_article(frows[rec.article_id], shared / FAKES_REL)
        return Source(art.raw_text, art)
    if corpus == "fixture":
        from warlog.ingest.readers import read_path

        hits = sorted((rec.path.parent / "fixtures").glob(f"{key}.*"))
        if not hits:
            return None  # not written yet: listed as skipped
        try:
            gold_text = hits[0].read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalFormatError(f"{hits[0]}: cannot read fixture ({exc})") from exc
        for item in read_path(hits[0]):
            if isinstance(item, Article):
                item.article_id = rec.article_id
                return Source(gold_text, item)
            raise EvalFormatError(f"{hits[0]}: warlog rejected the fixture ({item.reason})")
        raise EvalFormatError(f"{hits[0]}: no article in the fixture file")
    raise EvalFormatError(f"{rec.path}: unknown corpus in article id {rec.article_id!r} (guardian:, fakes:, fixture:)")


# ---------------------------------------------------------------- predicted events


@dataclass(slots=True)
class PredEvent:
    event: Event
    trigger_spans: list[tuple[int, int]]  # in gold-text offsets
    sentence_spans: list[tuple[int, int]]
    place_spans: list[tuple[int, int]]
    fatality_spans: list[tuple[int, int]]
    fatality_text: str  # the sentences the fatalities came from

    @property
    def date(self) -> dt.date | None:
        return self.event.event_date


class _Mapper:
    """Maps offsets of a doc's clean text to offsets of the gold text."""

    def __init__(self, doc: Doc, gold_text: str) -> None:
        self.doc, self.gold = doc, gold_text
        raw = doc.article.raw_text
        self.base: int | None = None
        if doc.meta.get("text_base") == "raw":
            self.base = 0 if gold_text.startswith(raw) else (gold_text.find(raw) if raw and raw in gold_text else None)
            if self.base is not None and self.base < 0:
                self.base = None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        if self.base is not None:
            s = self.doc.raw_offset(start)
            e = self.doc.raw_offset(max(start, end - 1))
            if s is not None and e is not None:
                return self.base + s, self.base + e + 1
        text = self.doc.clean_text[start:end].strip()
        if not text:
            return None
        pos = self.gold.find(text)
        return (pos, pos + len(text)) if pos >= 0 else None


def predicted_events(doc: Doc, gold_text: str, include_unreportable: bool = False) -> list[PredEvent]:
    """The events warlog would export (those judged unreportable are left out unless asked for)."""
    mapper = _Mapper(doc, gold_text)
    out: list[PredEvent] = []
    for ev in doc.events:
        if not include_unreportable and not getattr(ev, "reportable", True):
            continue
        spans: dict[str, list[tuple[int, int]]] = {"trigger": [], "sentence": [], "place": [], "fatalities": []}
        fat_text: list[str] = []
        sentences = [(e.start, e.end) for e in ev.evidence if e.role == "sentence"]
        for e in ev.evidence:
            if e.role not in spans:
                continue
            mapped = mapper.span(e.start, e.end)
            if mapped is not None:
                spans[e.role].append(mapped)
            if e.role == "fatalities":
                sent = next(((s, t) for s, t in sentences if s <= e.start and e.end <= t), None)
                fat_text.append(doc.clean_text[sent[0] : sent[1]] if sent else e.text)
        out.append(PredEvent(ev, spans["trigger"], spans["sentence"], spans["place"], spans["fatalities"], " ".join(fat_text)))
    return out


# ---------------------------------------------------------------- matching


_GOV_ALIASES = {
    "idleb": "idlib", "dayr az zawr": "deir ez zor", "deir ezzor": "deir ez zor", "deir ez zor": "deir ez zor",
    "deir al zor": "deir ez zor", "deir el zor": "deir ez zor", "deir ezzor governorate": "deir ez zor",
    "al hasakah": "hasakah", "hasakeh": "hasakah", "al hasakeh": "hasakah", "hassakeh": "hasakah", "al hasaka": "hasakah",
    "hasaka": "hasakah", "ar raqqah": "raqqa", "raqqah": "raqqa", "al raqqa": "raqqa", "ar raqqa": "raqqa",
    "lattakia": "latakia", "al ladhiqiyah": "latakia", "latakia": "latakia", "tartous": "tartus", "tartus": "tartus",
    "dara": "daraa", "deraa": "daraa", "dar a": "daraa", "al qunaytirah": "quneitra", "hims": "homs", "hamah": "hama",
    "halab": "aleppo", "dimashq": "damascus", "rif dimashq": "rif dimashq", "rural damascus": "rif dimashq",
    "damascus countryside": "rif dimashq", "reef dimashq": "rif dimashq", "as suwayda": "suwayda", "sweida": "suwayda",
    "as sweida": "suwayda", "suwaida": "suwayda", "al suwayda": "suwayda",
}


def admin_key(name: str | None) -> str:
    """A comparable key of an admin-1 or admin-2 name ("Idleb" and "Idlib Governorate" agree)."""
    if not name:
        return ""
    k = fold(name).replace("-", " ").replace("'", " ").replace("’", " ")
    k = re.sub(r"\b(?:governorate|province|muhafazat|mohafazat|district|region)\b", "", k)
    k = re.sub(r"\s+", " ", k).strip()
    return _GOV_ALIASES.get(k, k)


@dataclass(slots=True)
class Side:
    """What matching needs of an event, gold or predicted."""

    date: dt.date | None
    precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    location: str
    lat: float | None
    lon: float | None
    admin1: str
    admin2: str
    country: str
    geo_precision: int
    fatalities: int
    civilians: int
    spans: list[tuple[int, int]]


def gold_side(g: GoldEvent) -> Side:
    return Side(g.event_date, g.time_precision, g.event_type, g.sub_event_type, g.actor1, g.actor2, g.location,
                g.latitude, g.longitude, admin_key(g.admin1), admin_key(g.admin2), g.country, g.geo_precision,
                g.fatalities_best, g.civilian_fatalities, g.spans)


def pred_side(p: PredEvent) -> Side:
    ev = p.event
    pl = ev.place
    return Side(
        ev.event_date, int(ev.date_precision), ev.event_type, ev.sub_event_type,
        ev.actor1.name if ev.actor1 else "", ev.actor2.name if ev.actor2 else "",
        pl.name if pl else "", pl.latitude if pl else None, pl.longitude if pl else None,
        admin_key(pl.admin1) if pl else "", admin_key(pl.admin2) if pl else "", (pl.country or "") if pl else "",
        int(pl.precision) if pl else 3, ev.fatalities.best or 0, ev.civilian_fatalities or 0,
        p.sentence_spans,
    )


_WINDOW = {1: 1, 2: 7, 3: 31}


def date_compatible(a: Side, b: Side) -> bool:
    if a.date is None or b.date is None:
        return False
    if max(a.precision, b.precision) >= 3 and (a.date.year, a.date.month) == (b.date.year, b.date.month):
        return True
    return abs((a.date - b.date).days) <= max(_WINDOW.get(a.precision, 31), _WINDOW.get(b.precision, 31))


def distance(a: Side, b: Side) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _country_only(s: Side) -> bool:
    return s.geo_precision >= 3 and not s.admin1


def place_compatible(a: Side, b: Side) -> bool:
    d = distance(a, b)
    if d is not None and d <= PLACE_KM:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if _country_only(a) or _country_only(b):
        return bool(a.country) and a.country == b.country
    if a.admin2 and a.admin2 == b.admin2 and a.admin1 == b.admin1:
        return True
    return max(a.geo_precision, b.geo_precision) >= 3 and bool(a.admin1) and a.admin1 == b.admin1


def type_compatible(a: Side, b: Side) -> bool:
    return a.event_type == b.event_type or (a.event_type in PV_TYPES and b.event_type in PV_TYPES)


def compatible(a: Side, b: Side) -> bool:
    return type_compatible(a, b) and date_compatible(a, b) and place_compatible(a, b)


def _overlap(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]]) -> bool:
    bl = list(b)
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in bl)


def pair_score(g: Side, p: Side) -> float:
    s = 1.0
    if g.date and p.date:
        s += 1.0 / (1 + abs((g.date - p.date).days))
    d = distance(g, p)
    s += 1.0 / (1 + d / 10) if d is not None else 0.0
    s += 0.5 * (g.sub_event_type == p.sub_event_type) + 0.25 * (g.event_type == p.event_type)
    s += 1.0 * _overlap(g.spans, p.spans)
    s += 0.25 * (bool(g.actor1) and _actor_key(g.actor1) == _actor_key(p.actor1))
    return s


def match(gold: Sequence[Side], pred: Sequence[Side]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedy by score among compatible pairs."""
    cands = sorted(
        ((pair_score(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if compatible(g, p)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _s, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _actor_key(name: str) -> str:
    return re.sub(r"\s+", " ", fold(name)).strip()


# ---------------------------------------------------------------- scores


FIELDS = ("date_exact", "date_within_1d", "place_25km", "event_type", "sub_event_type", "actor1", "actor2",
          "fatalities_exact", "civilians_exact")


def field_hits(g: Side, p: Side) -> dict[str, bool]:
    d = distance(g, p)
    return {
        "date_exact": g.date is not None and g.date == p.date,
        "date_within_1d": g.date is not None and p.date is not None and abs((g.date - p.date).days) <= 1,
        "place_25km": d is not None and d <= PLACE_KM,
        "event_type": g.event_type == p.event_type,
        "sub_event_type": g.sub_event_type == p.sub_event_type,
        "actor1": _actor_key(g.actor1) == _actor_key(p.actor1),
        "actor2": _actor_key(g.actor2) == _actor_key(p.actor2),
        "fatalities_exact": g.fatalities == p.fatalities,
        "civilians_exact": g.civilians == p.civilians,
    }


ERROR_CLASSES = (
    *(f"nonevent_{k}" for k in NON_EVENT_KINDS),
    "fatalities_from_cumulative", "fatalities_in_cumulative_span", "outside_gold_countries", "at_capital_or_dateline",
    "duplicate_of_matched",
)


@dataclass(slots=True)
class ArticleResult:
    article_id: str
    split: str
    n_gold: int
    n_pred: int
    pairs: list[tuple[int, int]]
    field_hits: list[dict[str, bool]]
    errors: Counter[str]
    dated: int
    pub_date_source: str
    flags: Counter[str]
    missed: list[str] = field(default_factory=list)  # gold event ids not matched
    spurious: list[str] = field(default_factory=list)  # predicted events not matched (short description)


@dataclass(slots=True)
class ArticleEval:
    title: str
    results: list[ArticleResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)

    @property
    def tp(self) -> int:
        return sum(len(r.pairs) for r in self.results)

    @property
    def n_gold(self) -> int:
        return sum(r.n_gold for r in self.results)

    @property
    def n_pred(self) -> int:
        return sum(r.n_pred for r in self.results)

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_share(self, name: str) -> float:
        hits = [h[name] for r in self.results for h in r.field_hits]
        return sum(hits) / len(hits) if hits else 0.0

    @property
    def dated_share(self) -> float:
        return sum(r.dated for r in self.results) / self.n_pred if self.n_pred else 0.0

    def errors(self) -> Counter[str]:
        c: Counter[str] = Counter({k: 0 for k in ERROR_CLASSES})
        for r in self.results:
            c.update(r.errors)
        return c

    def flags(self) -> Counter[str]:
        c: Counter[str] = Counter()
        for r in self.results:
            c.update(r.flags)
        return c

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "articles": len(self.results),
            "articles_skipped": len(self.skipped),
            "articles_with_gold_events": sum(1 for r in self.results if r.n_gold),
            "articles_without_predicted_events": sum(1 for r in self.results if r.n_gold and not r.n_pred),
            "gold_events": self.n_gold,
            "predicted_events": self.n_pred,
            "matched": self.tp,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "fields": {f: round(self.field_share(f), 4) for f in FIELDS},
            "dated_share": round(self.dated_share, 4),
            "errors": dict(self.errors()),
            "flags": dict(self.flags()),
            "pub_date_sources": dict(Counter(r.pub_date_source for r in self.results)),
            "per_article": [
                {"article_id": r.article_id, "split": r.split, "gold": r.n_gold, "pred": r.n_pred, "matched": len(r.pairs),
                 "missed": r.missed, "spurious": r.spurious, "errors": {k: v for k, v in r.errors.items() if v}}
                for r in self.results
            ],
        }

    def render(self, per_article: bool = False) -> str:
        d = self.as_dict()
        lines = [
            f"{self.title}: {d['articles']} articles ({d['articles_with_gold_events']} with gold events; "
            f"{d['articles_skipped']} skipped: text not available here{': ' + ', '.join(self.skipped[:8]) if self.skipped else ''})",
            f"{'':28} {'value':>8}",
            f"{'gold events':28} {d['gold_events']:8d}",
            f"{'predicted events':28} {d['predicted_events']:8d}",
            f"{'matched':28} {d['matched']:8d}",
            f"{'event precision':28} {d['precision']:8.3f}",
            f"{'event recall':28} {d['recall']:8.3f}",
            f"{'predicted events dated':28} {d['dated_share']:8.3f}",
            f"{'articles with gold, no pred':28} {d['articles_without_predicted_events']:8d}",
            "of matched events:",
        ]
        lines += [f"  {f:26} {v:8.3f}" for f, v in d["fields"].items()]
        lines.append("error classes (predicted events):")
        lines += [f"  {k:34} {v:5d}" for k, v in d["errors"].items()]
        if d["flags"]:
            lines.append("flags on predicted events:")
            lines += [f"  {k:34} {v:5d}" for k, v in sorted(d["flags"].items())]
        if per_article:
            lines.append("per article (gold / predicted / matched):")
            for r in self.results:
                lines.append(f"  {r.article_id:22} {r.split:4} {r.n_gold:3d} {r.n_pred:3d} {len(r.pairs):3d}  "
                             + " ".join(f"{k}={v}" for k, v in r.errors.items() if v)
                             + (f"  spurious: {'; '.join(r.spurious)}" if r.spurious else ""))
        lines.append(f"event_f1={d['f1']:.3f}")
        return "\n".join(lines)


def _describe(p: PredEvent) -> str:
    ev = p.event
    place = ev.place.name if ev.place else "?"
    return f"{ev.event_date or '?'} {ev.sub_event_type} @ {place} ({ev.fatalities.best or 0} killed)"


def _event_flags(ev: Event) -> list[str]:
    """Analyst-facing flags of an event, whatever attribute the pipeline version names them by."""
    flags = getattr(ev, "flags", None)
    return [str(getattr(f, "value", f)) for f in (flags or [])]


def _numbers(text: str) -> set[int]:
    return {int(x.replace(",", "")) for x in re.findall(r"\d[\d,]*", text) if x.replace(",", "").isdigit()}


def from_cumulative(ev: Event, clean_text: str) -> bool:
    """The event's deaths are a cumulative or period toll: its best figure (or that less one, for "more than N")
    is a count read next to a period cue ("since 2011", "the war has killed", "so far"), or is war-sized."""
    best = ev.fatalities.best or 0
    if best >= WAR_SCALE:
        return True
    if not best:
        return False
    for e in ev.evidence:
        if e.role != "fatalities" or not ({best, best - 1} & _numbers(e.text)):
            continue
        window = clean_text[max(0, e.start - 60) : e.end + 90]
        if CUMULATIVE_CUE.search(window):
            return True
    return False


def score_article(rec: GoldArticle, doc: Doc, gold_text: str, include_unreportable: bool = False) -> ArticleResult:
    preds = predicted_events(doc, gold_text, include_unreportable)
    gs = [gold_side(g) for g in rec.events]
    ps = [pred_side(p) for p in preds]
    pairs = match(gs, ps)
    errors: Counter[str] = Counter()
    matched_p = {pi for _gi, pi in pairs}
    matched_g = {gi for gi, _pi in pairs}
    countries = rec.countries or frozenset({DEFAULT_COUNTRY[rec.corpus]} if rec.corpus in DEFAULT_COUNTRY else ())
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for n in rec.non_events:
        by_kind.setdefault(n.kind, []).append((n.start, n.end))
    flags: Counter[str] = Counter()
    for pi, p in enumerate(preds):
        for f in _event_flags(p.event):
            flags[f] += 1
        for kind, spans in by_kind.items():
            ev_spans = p.place_spans if kind in PLACE_KINDS else (p.trigger_spans or p.sentence_spans)
            if pi not in matched_p and _overlap(ev_spans, spans):
                errors[f"nonevent_{kind}"] += 1
        if p.event.fatalities.best:
            if from_cumulative(p.event, doc.clean_text):
                errors["fatalities_from_cumulative"] += 1
            if _overlap(p.fatality_spans, by_kind.get("cumulative_toll", [])):
                errors["fatalities_in_cumulative_span"] += 1
        pl = p.event.place
        if countries and pl is not None and pl.country and pl.country not in countries:
            errors["outside_gold_countries"] += 1
        if pi not in matched_p and (
            (pl is not None and fold(pl.name) in CAPITALS)
            or _overlap(p.place_spans, by_kind.get("dateline", []) + by_kind.get("foreign_statement", []))
        ):
            errors["at_capital_or_dateline"] += 1
        if pi not in matched_p and any(compatible(gs[gi], ps[pi]) for gi in matched_g):
            errors["duplicate_of_matched"] += 1
    return ArticleResult(
        article_id=rec.article_id, split=rec.split, n_gold=len(gs), n_pred=len(ps), pairs=pairs,
        field_hits=[field_hits(gs[gi], ps[pi]) for gi, pi in pairs], errors=errors,
        dated=sum(1 for p in preds if p.date is not None), pub_date_source=doc.pub_date_source.value, flags=flags,
        missed=[rec.events[gi].id or str(gi) for gi in range(len(gs)) if gi not in matched_g],
        spurious=[_describe(p) for pi, p in enumerate(preds) if pi not in matched_p],
    )


def run_docs(articles: Sequence[Article], batch_size: int = 32) -> tuple[dict[str, Doc], Counter[str]]:
    """The stages of ``warlog run`` on these articles, without a database; documents by article id and the
    stages' counters (the run summary)."""
    from warlog.pipeline.default import default_pipeline

    pipeline = default_pipeline()
    out: dict[str, Doc] = {}
    rejected: list[str] = []
    for i in range(0, len(articles), batch_size):
        docs = [Doc(a) for a in articles[i : i + batch_size]]
        for d in pipeline.run_batch(docs):
            out[d.doc_id] = d
        rejected += [f"{r.source_path}: {r.reason}" for r in pipeline.drain_rejects()]
    counters: Counter[str] = Counter()
    for st in pipeline.stages:
        counters.update({f"{st.name}.{k}": v for k, v in st.stats.counters.items()})
    counters["rejected_articles"] = len(rejected)
    return out, counters


def evaluate_articles(
    gold_paths: Sequence[Path] | None = None, split: str = "all", shared: Path | None = None,
    include_unreportable: bool = False,
) -> ArticleEval:
    paths = list(gold_paths) if gold_paths else default_gold_files()
    records = [r for r in load_gold(paths) if split == "all" or r.split == split]
    shared = shared or shared_dir()
    ev = ArticleEval(f"article evaluation ({split} split, {', '.join(p.name for p in paths)})")
    sources: list[tuple[GoldArticle, Source]] = []
    for rec in records:
        src = load_source(rec, shared)
        if src is None:
            ev.skipped.append(rec.article_id)
            continue
        src.article.article_id = rec.article_id
        sources.append((rec, src))
    docs, counters = run_docs([s.article for _r, s in sources])
    ev.counters = counters
    for rec, src in sources:
        doc = docs.get(rec.article_id)
        if doc is None:  # rejected by a stage: every gold event is missed
            doc = Doc(src.article)
        ev.results.append(score_article(rec, doc, src.gold_text, include_unreportable))
    return ev


# ---------------------------------------------------------------- agreement between two gold files


@dataclass(slots=True)
class Agreement:
    a: str
    b: str
    articles: int = 0
    n_a: int = 0
    n_b: int = 0
    matched: int = 0
    hits: list[dict[str, bool]] = field(default_factory=list)
    nonevent_b: int = 0
    nonevent_agreed: int = 0

    @property
    def f1(self) -> float:
        return 2 * self.matched / (self.n_a + self.n_b) if self.n_a + self.n_b else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "articles": self.articles, "events_a": self.n_a, "events_b": self.n_b,
            "matched": self.matched, "event_f1": round(self.f1, 4),
            "fields": {f: round(sum(h[f] for h in self.hits) / len(self.hits), 4) if self.hits else 0.0 for f in FIELDS},
            "non_events_b": self.nonevent_b,
            "non_events_b_overlapped_by_a_same_kind": self.nonevent_agreed,
        }

    def render(self) -> str:
        d = self.as_dict()
        lines = [
            f"agreement of {self.b} with {self.a}: {self.articles} articles in both",
            f"  events {d['events_a']} / {d['events_b']}, matched {d['matched']}",
            "  field agreement on matched events:",
            *[f"    {k:26} {v:6.3f}" for k, v in d["fields"].items()],
            f"  non-event spans of {self.b} overlapped by one of the same kind in {self.a}: "
            f"{self.nonevent_agreed} / {self.nonevent_b}",
            f"event_f1={d['event_f1']:.3f}",
        ]
        return "\n".join(lines)


def agreement(a_paths: Sequence[Path], b_paths: Sequence[Path]) -> Agreement:
    a = {r.article_id: r for r in load_gold(a_paths)}
    b = {r.article_id: r for r in load_gold(b_paths)}
    ag = Agreement(", ".join(p.name for p in a_paths), ", ".join(p.name for p in b_paths))
    for aid in sorted(set(a) & set(b)):
        ra, rb = a[aid], b[aid]
        ga = [gold_side(g) for g in ra.events]
        gb = [gold_side(g) for g in rb.events]
        pairs = match(ga, gb)
        ag.articles += 1
        ag.n_a += len(ga)
        ag.n_b += len(gb)
        ag.matched += len(pairs)
        ag.hits += [field_hits(ga[i], gb[j]) for i, j in pairs]
        for n in rb.non_events:
            ag.nonevent_b += 1
            ag.nonevent_agreed += any(m.kind == n.kind and m.start < n.end and n.start < m.end for m in ra.non_events)
    return ag


# ---------------------------------------------------------------- FA-KES main events


FAKES_GOVERNORATE = {  # FA-KES location -> admin keys it covers
    "aleppo": {"aleppo"}, "damascus": {"damascus", "rif dimashq"}, "idlib": {"idlib"}, "deir ezzor": {"deir ez zor"},
    "raqqa": {"raqqa"}, "homs": {"homs"}, "hasakeh": {"hasakah"}, "hama": {"hama"}, "daraa": {"daraa"},
    "lattakia": {"latakia"}, "quneitra": {"quneitra"}, "tartous": {"tartus"}, "suwayda": {"suwayda"},
}


@dataclass(slots=True)
class FakesEval:
    path: Path
    n: int = 0
    with_event: int = 0
    pub_found: int = 0
    date_exact: int = 0
    date_1d: int = 0
    gov: int = 0
    events: int = 0
    dated: int = 0
    outside_sy: int = 0
    cumulative: int = 0
    pub_sources: Counter[str] = field(default_factory=Counter)
    counters: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        def sh(x: int, n: int | None = None) -> float:
            n = self.n if n is None else n
            return round(x / n, 4) if n else 0.0

        return {
            "file": str(self.path), "articles": self.n, "articles_with_event": sh(self.with_event),
            "pub_date_found": sh(self.pub_found), "pub_date_sources": dict(self.pub_sources),
            "main_event_date_exact": sh(self.date_exact), "main_event_date_within_1d": sh(self.date_1d),
            "main_event_governorate": sh(self.gov), "events": self.events, "events_dated": sh(self.dated, self.events),
            "events_outside_syria": sh(self.outside_sy, self.events),
            "events_fatalities_from_cumulative": self.cumulative,
        }

    def render(self) -> str:
        d = self.as_dict()
        lines = [f"FA-KES main events on {self.path}: {self.n} articles"]
        for k in ("articles_with_event", "pub_date_found", "main_event_date_exact", "main_event_date_within_1d",
                  "main_event_governorate", "events", "events_dated", "events_outside_syria",
                  "events_fatalities_from_cumulative"):
            v = d[k]
            lines.append(f"  {k:36} {v:8.3f}" if isinstance(v, float) else f"  {k:36} {v:8d}")
        lines.append(f"  publication date sources: {dict(self.pub_sources)}")
        lines.append(f"main_event_governorate={d['main_event_governorate']:.3f}")
        return "\n".join(lines)


def main_event(doc: Doc) -> Event | None:
    """The article's main event: the highest-confidence one, the first on a tie."""
    best: Event | None = None
    for ev in doc.events:
        if best is None or ev.confidence > best.confidence:
            best = ev
    return best


def _iter_fakes(path: Path) -> Iterator[tuple[dict[str, Any], Article]]:
    for rec in read_fakes(path):
        yield rec, _fakes_article(rec, path)


def evaluate_fakes(path: Path | None = None, limit: int | None = None) -> FakesEval:
    if path is None:
        shared = shared_dir()
        if shared is None:
            raise EvalFormatError("no ../shared folder found: give the FA-KES file with --fakes-file")
        path = shared / FAKES_REL
    if not path.is_file():
        raise EvalFormatError(f"{path}: no such FA-KES file")
    pairs = list(_iter_fakes(path))[:limit]
    docs, counters = run_docs([a for _r, a in pairs])
    fe = FakesEval(path, counters=counters)
    for rec, art in pairs:
        fe.n += 1
        doc = docs.get(art.article_id) or Doc(art)
        fe.pub_sources[doc.pub_date_source.value] += 1
        fe.pub_found += doc.pub_date is not None and doc.pub_date_source not in (PubDateSource.NONE, PubDateSource.INFERRED)
        for ev in doc.events:
            fe.events += 1
            fe.dated += ev.event_date is not None
            fe.outside_sy += bool(ev.place and ev.place.country and ev.place.country != "SY")
            fe.cumulative += from_cumulative(ev, doc.clean_text)
        mev = main_event(doc)
        if mev is None:
            continue
        fe.with_event += 1
        gold_date = _date(rec.get("event_date"), f"{path} unit {rec.get('unit_id')}")
        if gold_date is not None and mev.event_date is not None:
            fe.date_exact += mev.event_date == gold_date
            fe.date_1d += abs((mev.event_date - gold_date).days) <= 1
        want = FAKES_GOVERNORATE.get(str(rec.get("location") or "").lower(), {admin_key(str(rec.get("location") or ""))})
        got = admin_key(mev.place.admin1) if mev.place else ""
        fe.gov += bool(got) and got in want
    return fe
