"""``warlog eval metamorphic``: the same article damaged as scrapes damage it gives the same events.

Each article is run through the pipeline as it is and after each transformation:
- ``lower``: every character lower-cased (an archive that lower-cased its articles),
- ``upper``: every character upper-cased (wire feeds, headlines),
- ``mojibake``: every non-ASCII character written as its UTF-8 bytes read as Windows-1252 ("’" -> "â€™"),
- ``punct``: punctuation deleted (full stops, commas, quotes, apostrophes, brackets, colons; a hyphen inside
  a word is kept, as "Deir ez-Zor" would be by a scraper that strips only sentence punctuation and quotes),
and an original event counts as *identical* when the transformed article has an event with the same event
type, sub-event type, place (gazetteer id, else name), date and precision, actor1, actor2 and fatalities
(low/best/high). Each event of the transformed run matches at most one original event. In HTML inputs only
the text between tags is transformed.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warlog.clean.mojibake import simulate_mojibake
from warlog.data import Article, Doc, Event, content_hash
from warlog.errors import EvalFormatError

EventKey = tuple[object, ...]
TAG = re.compile(r"(<[^>]*>)")


def _strip_punct(text: str) -> str:
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch.isascii() and (ch.isalnum() or ch.isspace()):
            out.append(ch)
            continue
        if unicodedata.category(ch).startswith("P"):
            if ch in "-\u2010\u2011" and 0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                out.append(ch)
            continue
        out.append(ch)
    return "".join(out)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "mojibake": simulate_mojibake,
    "punct": _strip_punct,
}


def transform(article: Article, name: str) -> Article:
    fn = TRANSFORMS[name]
    if article.is_html:
        text = "".join(part if TAG.fullmatch(part) else fn(part) for part in TAG.split(article.raw_text))
    else:
        text = fn(article.raw_text)
    return dataclasses.replace(
        article, article_id=content_hash(f"{name}:{text}"), raw_text=text,
        title=fn(article.title) if article.title else article.title,
    )


def event_key(e: Event) -> EventKey:
    place = e.place
    where = (place.gazetteer_id or place.name) if place is not None else None
    return (
        e.event_type, e.sub_event_type, where, e.event_date, int(e.date_precision),
        e.actor1.name if e.actor1 else None, e.actor2.name if e.actor2 else None,
        e.fatalities.low, e.fatalities.best, e.fatalities.high,
    )


@dataclass(slots=True)
class CorpusResult:
    name: str
    articles: int = 0
    events: int = 0
    identical: Counter[str] = field(default_factory=Counter)
    extra: Counter[str] = field(default_factory=Counter)  # transformed-run events matching no original event
    differences: dict[str, list[tuple[str, EventKey, list[EventKey]]]] = field(default_factory=dict)

    def share(self, name: str) -> float:
        return self.identical[name] / self.events if self.events else 1.0


@dataclass(slots=True)
class MetamorphicReport:
    corpora: list[CorpusResult]
    transforms: list[str]

    def render(self, show: int = 3) -> str:
        head = f"{'corpus':<34} {'articles':>8} {'events':>7} " + " ".join(f"{t:>9}" for t in self.transforms)
        lines = ["share of events identical (type, sub-type, place, date, actors, fatalities) after each transformation",
                 head]
        for c in self.corpora:
            lines.append(f"{c.name[:34]:<34} {c.articles:>8} {c.events:>7} "
                         + " ".join(f"{c.share(t):>9.3f}" for t in self.transforms))
            lines.append(f"{'  extra events (not in original)':<51} " + " ".join(f"{c.extra[t]:>9}" for t in self.transforms))
        for c in self.corpora:
            for t in self.transforms:
                for art, key, got in c.differences.get(t, [])[:show]:
                    lines.append(f"[{c.name} / {t}] {art}: lost {key}; nearest in transformed: {got[:2]}")
        tot_ev = sum(c.events for c in self.corpora)
        lines.append("overall " + " ".join(
            f"{t}={sum(c.identical[t] for c in self.corpora) / tot_ev if tot_ev else 1.0:.3f}" for t in self.transforms))
        return "\n".join(lines)


def _events(articles: list[Article], batch_size: int = 16) -> dict[str, list[EventKey]]:
    from warlog.pipeline.default import default_pipeline

    pipe = default_pipeline()
    out: dict[str, list[EventKey]] = {a.article_id: [] for a in articles}
    docs = (Doc(article=a) for a in articles)
    for batch in pipe.run(docs, batch_size=batch_size):
        for d in batch:
            out[d.doc_id] = [event_key(e) for e in d.events]
    pipe.drain_rejects()
    return out


def _match(orig: list[EventKey], got: list[EventKey]) -> tuple[int, list[EventKey], int]:
    left = Counter(got)
    same = 0
    lost: list[EventKey] = []
    for k in orig:
        if left[k] > 0:
            left[k] -= 1
            same += 1
        else:
            lost.append(k)
    return same, lost, sum(left.values())


def _score(key: EventKey, other: EventKey) -> int:
    return sum(a == b for a, b in zip(key, other, strict=True))


def evaluate_corpus(name: str, articles: Iterable[Article], transforms: list[str]) -> CorpusResult:
    arts = list(articles)
    res = CorpusResult(name, articles=len(arts))
    base = _events(arts)
    res.events = sum(len(v) for v in base.values())
    for t in transforms:
        moved = [transform(a, t) for a in arts]
        got = _events(moved)
        for a, m in zip(arts, moved, strict=True):
            same, lost, extra = _match(base[a.article_id], got[m.article_id])
            res.identical[t] += same
            res.extra[t] += extra
            for k in lost:
                nearest = sorted(got[m.article_id], key=lambda o, k=k: -_score(k, o))  # type: ignore[misc]
                res.differences.setdefault(t, []).append((a.source_path, k, nearest))
    return res


def load_corpus(path: Path, limit: int | None, offset: int = 0) -> list[Article]:
    from warlog.bench import corpus_articles

    if not path.exists():
        raise EvalFormatError("no such file or folder", str(path))
    arts = list(corpus_articles(path, limit=None if limit is None else offset + limit))[offset:]
    if not arts:
        raise EvalFormatError("no article could be read (a CSV needs a 'text' column)", str(path))
    return arts


def evaluate_metamorphic(paths: list[Path], limit: int | None = None, transforms: list[str] | None = None,
                         offset: int = 0) -> MetamorphicReport:
    names = transforms or list(TRANSFORMS)
    bad = [t for t in names if t not in TRANSFORMS]
    if bad:
        raise EvalFormatError(f"unknown transformation(s) {bad}; known: {sorted(TRANSFORMS)}")
    results = []
    for p in paths:
        csv = p.suffix.lower() == ".csv"
        lim, off = (limit, offset) if csv else (None, 0)
        label = p.name if lim is None else f"{p.name}[{off or ''}:{off + lim}]"
        results.append(evaluate_corpus(label, load_corpus(p, lim, off), names))
    return MetamorphicReport(results, names)
