"""Reportability: is an event warlog found in an article a real event *of that article*?

A full-length article tells of far more than its news: history ("in 2013 the regime gassed Ghouta"), the
war's cumulative toll, what a foreign capital said, what may happen. The extractor's rules catch many of these;
this stage is a second, learned opinion on every event aggregation emits. A logistic regression over a few
readable features of the event and its article (how its date was found and how far before publication it lies, a
past year or a perfect tense in its sentences, modal or future wording, its type, whether its place is in the
article's focus country, how precise the place is, whether a named actor did it, how much of the article is about
it, where in the article it is told, cumulative and statement cue words) gives ``Event.reportability``, the
probability that the event is reported as happening in the article's reporting window.

Where cross-validation on dev chose it (``keep_lead`` in the weights file), an event told in the headline or
the first two sentences is the article's news and stays reportable whatever its probability
(``reportable_method = lead``); the others are judged by the probability (``model``).

An event under the threshold is not dropped: it keeps every field, is marked ``reportable = False`` and flagged
``EventFlag.UNREPORTABLE``, is stored with the other events (so an analyst can list it, read its evidence and
confirm it back), and is left out of exports, clusters and the map by default. The stage counts them
(``reportable.unreportable`` in the run summary).

The weights (``assets/reportable.json``) are trained by ``tools/train_reportable.py`` on the dev split of the
article gold only, labels from the article matcher (a predicted event matched to a gold event is positive, one
left unmatched is negative); the penalty, the threshold and ``keep_lead`` are chosen there by repeated
cross-validation with the one-standard-error rule, every weight kept on the side of zero ``SIGNS`` expects. A missing or corrupt weights file
is an error naming the file and what is wrong with it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from warlog.data import ActorMethod, DateSource, Doc, Event, EventFlag, GeoMethod, MatchTier, ReportableMethod
from warlog.errors import WarlogError
from warlog.pipeline.base import Stage
from warlog.resolve.keys import fold

MODEL_FILE = "reportable.json"
FORMAT_VERSION = 1

# national capitals that speak for their governments and head datelines
CAPITALS = frozenset(fold(c) for c in (
    "Moscow", "Washington", "Ankara", "Tehran", "Beirut", "Damascus", "London", "Paris", "Berlin", "Riyadh", "Amman",
    "Baghdad", "Jerusalem", "Tel Aviv", "Cairo", "Doha", "Brussels", "Geneva", "Beijing", "Kabul", "Islamabad",
    "Abu Dhabi", "Kuwait City", "Sanaa", "Rome", "Vienna", "New York", "Astana", "Sochi", "Tripoli", "Tunis",
))
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:(?:so\s+far|now|already|also|reportedly)\s+)?(?:been\s+)?"
                      r"(?:killed|died|claimed|left|wounded|injured|displaced|fled|lost|taken|seized|captured|fought|"
                      r"bombed|shelled|attacked|targeted|destroyed|besieged|forced)\b", re.I)
_PLUPERFECT = re.compile(r"\bhad\s+(?:\w+\s+)?(?:been\s+)?\w+(?:ed|en)\b", re.I)
_MODAL = re.compile(r"\b(?:will|would|could|might|may|should|shall|threaten(?:s|ed)?\s+to|plan(?:s|ned)?\s+to|"
                    r"vow(?:s|ed)?\s+to|warn(?:s|ed)?|if|unless|risk(?:s)?|fear(?:s|ed)?)\b", re.I)
_STATEMENT = re.compile(r"\b(?:said|says|told|according\s+to|accused|accuses|denied|denies|announced|statement|"
                        r"condemned|called\s+(?:for|on)|urged|insisted|claimed\s+that)\b", re.I)
_CUMULATIVE = re.compile(r"\b(?:since\s+(?:the\s+)?(?:start|beginning|outbreak|war|conflict|uprising|(?:19|20)\d\d)|"
                         r"so\s+far|to\s+date|in\s+total|overall|death\s+toll|(?:war|conflict|uprising)\s+"
                         r"(?:that\s+|which\s+)?(?:has|have|had)|over\s+the\s+(?:past|last)|(?:\w+[- ])year(?:[- ]old)?\s+"
                         r"(?:civil\s+)?(?:war|conflict))\b", re.I)
_HISTORY = re.compile(r"\b(?:last\s+year|years?\s+ago|months\s+ago|in\s+the\s+past|anniversary|previously|"
                      r"earlier\s+this\s+year|back\s+in|at\s+the\s+(?:start|beginning)\s+of|in\s+the\s+early\s+days|"
                      r"was\s+once|history)\b", re.I)

EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments")

FEATURES: tuple[str, ...] = (
    "date_explicit",            # a full date written in the sentence
    "date_relative",            # "on Tuesday", resolved against publication
    "date_publication",         # no date in the sentence: the publication date
    "date_inferred_or_none",    # no publication date (inferred window) or no date at all
    "date_8_45_days_before",    # dated 8-45 days before publication
    "date_over_45_days_before",  # dated more than 45 days before publication
    "date_after_publication",   # dated more than a day after publication
    # cues: the share (0..1) of the event's sentences that have them
    "past_year_in_sentence",    # an explicit year before the publication year
    "perfect_tense",            # "have been killed", "has displaced"
    "pluperfect",               # "had been seized"
    "modal_or_future",          # will, would, could, threatens to, if
    "statement_cue",            # said, told, according to, accused
    "cumulative_cue",           # since 2011, so far, the death toll, the seven-year war
    "history_cue",              # last year, years ago, anniversary
    "type_battles",
    "type_explosions",
    "type_violence_civilians",
    "type_protest_riot",
    "type_strategic",
    "place_in_focus_country",   # the place's country is the article's focus country
    "place_outside_focus_country",
    "place_town",               # geo_precision 1
    "place_coarse",             # geo_precision 3 or coded to the governorate/country/unresolved
    "place_from_article_focus",  # no toponym in the sentence: the article's main place
    "place_fuzzy",              # the toponym matched the gazetteer only fuzzily
    "place_capital",            # a national capital (government voice, dateline)
    "named_actor1",             # a perpetrator from the lexicon, NER or coreference
    "actor2",                   # a target or opponent was found
    "has_fatalities",
    "war_scale_toll",           # 1,000 or more killed: a war's or a campaign's toll more than one event's
    "mention_share",            # share of the article's sentences about the event (x10, capped at 1)
    "in_lead",                  # told in the headline or the first two sentences
    "position",                 # where the event is first told (0 top .. 1 bottom)
    "events_in_article_log",    # log(1 + events warlog found in the article)
)

# the sign an analyst expects of each feature's weight (+1 makes an event more likely a real event of the
# article, -1 less, 0 either): training keeps every weight on its expected side, so that no weight says, say,
# that a place in the focus country makes an event less likely because of a few odd articles; the data sets
# only the size
SIGNS: dict[str, int] = {
    "date_explicit": 0, "date_relative": 0, "date_publication": 0, "date_inferred_or_none": 0,
    "date_8_45_days_before": -1, "date_over_45_days_before": -1, "date_after_publication": -1,
    "past_year_in_sentence": -1, "perfect_tense": -1, "pluperfect": -1, "modal_or_future": -1, "statement_cue": 0,
    "cumulative_cue": -1, "history_cue": -1,
    "type_battles": 0, "type_explosions": 0, "type_violence_civilians": 0, "type_protest_riot": 0, "type_strategic": 0,
    "place_in_focus_country": 1, "place_outside_focus_country": -1, "place_town": 1, "place_coarse": -1,
    "place_from_article_focus": -1, "place_fuzzy": -1, "place_capital": -1,
    "named_actor1": 1, "actor2": 1, "has_fatalities": 1, "war_scale_toll": -1, "mention_share": 1, "in_lead": 1,
    "position": -1, "events_in_article_log": -1,
}


@dataclass(frozen=True, slots=True)
class Model:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    keep_lead: bool  # an event told in the lead is kept whatever its probability (chosen by CV on dev)
    path: str
    meta: dict[str, Any]

    def probability(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def explain(self, x: Sequence[float], top: int = 4) -> list[tuple[str, float]]:
        """The features that moved this event's probability most (name, contribution to the log-odds)."""
        contrib = [(f, w * v) for f, w, v in zip(self.features, self.weights, x, strict=True) if w * v]
        return sorted(contrib, key=lambda t: -abs(t[1]))[:top]


class ReportableModelError(WarlogError):
    """The reportability weights file is missing, unreadable or not a model of this warlog's features."""

    code = "W211"


def _err(path: Path | str, reason: str) -> ReportableModelError:
    return ReportableModelError(f"reportability model {reason}", path=str(path))


def parse_model(data: Any, path: Path | str) -> Model:
    if not isinstance(data, dict):
        raise _err(path, "is not a JSON object")
    if data.get("format") != FORMAT_VERSION:
        raise _err(path, f"has format {data.get('format')!r}, expected {FORMAT_VERSION}")
    feats, weights = data.get("features"), data.get("weights")
    if not isinstance(feats, list) or not isinstance(weights, list) or len(feats) != len(weights):
        raise _err(path, "needs 'features' and 'weights' lists of the same length")
    if tuple(feats) != FEATURES:
        unknown = sorted(set(feats) ^ set(FEATURES))
        raise _err(path, f"was trained on other features than this warlog computes ({', '.join(unknown) or 'order'}): "
                         "retrain with tools/train_reportable.py")
    try:
        w = tuple(float(v) for v in weights)
        bias = float(data["bias"])
        thr = float(data["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _err(path, f"has a bad number ({exc})") from exc
    if not all(math.isfinite(v) for v in (*w, bias, thr)) or not 0.0 <= thr <= 1.0:
        raise _err(path, "has a weight that is not finite or a threshold outside [0, 1]")
    keep_lead = data.get("keep_lead", False)
    if not isinstance(keep_lead, bool):
        raise _err(path, f"has 'keep_lead' {keep_lead!r}, expected true or false")
    return Model(tuple(feats), w, bias, thr, keep_lead, str(path), {k: v for k, v in data.items() if k != "weights"})


def load_model(path: Path | str | None = None) -> Model:
    """The shipped model (``assets/reportable.json``) or the one at ``path``."""
    if path is None:
        return _shipped_model()
    return _read_model(Path(path))


def _read_model(p: Path) -> Model:
    if not p.is_file():
        raise _err(p, "file is missing (retrain with tools/train_reportable.py)")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _err(p, f"cannot be read ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise _err(p, f"is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    return parse_model(data, p)


@lru_cache(maxsize=1)
def _shipped_model() -> Model:
    from warlog.assets import asset_path

    return _read_model(asset_path(MODEL_FILE))


def _sentence_index(doc: Doc, start: int) -> int:
    lo, hi = 0, len(doc.sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc.sentences[mid].end <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def features(ev: Event, doc: Doc) -> list[float]:
    """The feature vector of an event in its article, in ``FEATURES`` order."""
    sents = sorted({(e.start, e.end) for e in ev.evidence if e.role == "sentence"})
    texts = [doc.clean_text[s:e] for s, e in sents] or [""]

    def share(rx: re.Pattern[str]) -> float:
        """The share of the event's sentences with the cue (one stray "would" in six sentences is not five)."""
        return sum(1 for t in texts if rx.search(t)) / len(texts)

    pub = doc.pub_date
    ds = ev.date_source
    days = (pub - ev.event_date).days if pub is not None and ev.event_date is not None else None
    ref_year = pub.year if pub is not None else (ev.event_date.year if ev.event_date is not None else None)
    past_year = (sum(1 for t in texts if any(int(y) < ref_year for y in _YEAR.findall(t))) / len(texts)
                 if ref_year is not None else 0.0)
    et = ev.event_type
    pl = ev.place
    focus = doc.meta.get("focus_country")
    in_focus = pl is not None and bool(pl.country) and pl.country == focus
    outside = pl is not None and bool(pl.country) and bool(focus) and pl.country != focus
    coarse = (pl is None or int(pl.precision) >= 3
              or ev.geo_method in (GeoMethod.ARTICLE_ADMIN1, GeoMethod.COUNTRY, GeoMethod.UNRESOLVED))
    a1 = ev.actor1
    named = a1 is not None and a1.method in (ActorMethod.LEXICON, ActorMethod.NER, ActorMethod.COREFERENCE)
    best = ev.fatalities.best or 0
    n_sent = max(1, len(doc.sentences))
    first = sents[0][0] if sents else 0
    idx = _sentence_index(doc, first)
    f = {
        "date_explicit": ds == DateSource.EXPLICIT,
        "date_relative": ds == DateSource.RELATIVE,
        "date_publication": ds == DateSource.PUBLICATION,
        "date_inferred_or_none": ds in (DateSource.INFERRED, DateSource.UNKNOWN) or ev.event_date is None,
        "date_8_45_days_before": days is not None and 8 <= days <= 45,
        "date_over_45_days_before": days is not None and days > 45,
        "date_after_publication": days is not None and days < -1,
        "past_year_in_sentence": past_year,
        "perfect_tense": share(_PERFECT),
        "pluperfect": share(_PLUPERFECT),
        "modal_or_future": share(_MODAL),
        "statement_cue": share(_STATEMENT),
        "cumulative_cue": share(_CUMULATIVE),
        "history_cue": share(_HISTORY),
        "type_battles": et == "Battles",
        "type_explosions": et == "Explosions/Remote violence",
        "type_violence_civilians": et == "Violence against civilians",
        "type_protest_riot": et in ("Protests", "Riots"),
        "type_strategic": et == "Strategic developments",
        "place_in_focus_country": in_focus,
        "place_outside_focus_country": outside,
        "place_town": pl is not None and int(pl.precision) == 1 and not coarse,
        "place_coarse": coarse,
        "place_from_article_focus": ev.geo_method == GeoMethod.ARTICLE_FOCUS,
        "place_fuzzy": pl is not None and pl.tier == MatchTier.FUZZY,
        "place_capital": pl is not None and fold(pl.name) in CAPITALS,
        "named_actor1": named,
        "actor2": ev.actor2 is not None,
        "has_fatalities": best > 0,
        "war_scale_toll": best >= 1000,
        "mention_share": min(1.0, 10.0 * len(sents) / n_sent),
        "in_lead": idx < 2,
        "position": idx / n_sent,
        "events_in_article_log": math.log1p(len(doc.events)),
    }
    return [float(f[name]) for name in FEATURES]


def score_doc(doc: Doc, model: Model, threshold: float | None = None) -> int:
    """Set ``reportability`` and ``reportable`` on every event of the document; the number judged unreportable."""
    thr = model.threshold if threshold is None else threshold
    n = 0
    lead = FEATURES.index("in_lead")
    for ev in doc.events:
        x = features(ev, doc)
        p = model.probability(x)
        ev.reportability = round(p, 4)
        ev.reportable = p >= thr
        ev.reportable_method = ReportableMethod.MODEL
        if not ev.reportable and model.keep_lead and x[lead]:
            ev.reportable, ev.reportable_method = True, ReportableMethod.LEAD
        if not ev.reportable:
            n += 1
            if EventFlag.UNREPORTABLE not in ev.flags:
                ev.flags.append(EventFlag.UNREPORTABLE)
        elif EventFlag.UNREPORTABLE in ev.flags:
            ev.flags.remove(EventFlag.UNREPORTABLE)
    return n


class ReportableStage(Stage):
    """After aggregation: every event gets its reportability; those under the threshold are marked, not dropped."""

    name = "reportable"
    requires = frozenset({"events"})
    assigns = frozenset({"reportability"})

    def __init__(self, model: Model | None = None, threshold: float | None = None) -> None:
        super().__init__()
        self.model = model or load_model()
        self.threshold = threshold

    def process(self, doc: Doc) -> Doc | None:
        n = score_doc(doc, self.model, self.threshold)
        self.stats.counters["scored"] += len(doc.events)
        self.stats.counters["unreportable"] += n
        return doc
