"""``warlog eval fatalities`` and ``warlog eval acled``: score warlog on ACLED-style records.

Input: a CSV with ACLED's export columns (at least ``notes``; scored fields when present: ``event_type``,
``sub_event_type``, ``actor1``, ``fatalities``, ``location``, ``latitude``, ``longitude``, ``event_date``, ``country``).
Each note goes through the same pipeline as an article (published on the ACLED event date, so "on Saturday" and
"yesterday" resolve as they would for the original report); the note's type comes from the note-level classifier
and its fatalities from the note-level estimate (``extract/fatalities.py``), the actor and the place from the
pipeline's best event.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warlog.data import Actor, Article, Doc, Event, content_hash
from warlog.errors import EvalFormatError
from warlog.evaluate.metrics import ClassificationReport, classification_report
from warlog.extract.event_type import TAXONOMY, classify
from warlog.extract.fatalities import acled_fatalities
from warlog.resolve.geocode import distance_km
from warlog.resolve.keys import fold


@dataclass(slots=True)
class AcledRow:
    notes: str
    fields: dict[str, str]

    def get(self, key: str) -> str:
        return (self.fields.get(key) or "").strip()


def read_acled_csv(path: Path) -> Iterator[AcledRow]:
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "notes" not in reader.fieldnames:
                raise EvalFormatError(f"{path}: expected an ACLED export with a 'notes' column, found {reader.fieldnames}")
            for row in reader:
                yield AcledRow((row.get("notes") or "").strip(), {k: v or "" for k, v in row.items() if k})
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvalFormatError(f"{path}: {exc}") from exc


def parse_acled_date(s: str) -> dt.date | None:
    for fmt in ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(s.strip(), fmt).date()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- fatalities


@dataclass(slots=True)
class FatalityEval:
    path: Path
    n: int = 0
    exact: int = 0
    abs_errors: list[int] = field(default_factory=list)
    zero_gold: int = 0
    zero_correct: int = 0
    misses: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def exact_match(self) -> float:
        return self.exact / self.n if self.n else 0.0

    @property
    def mae(self) -> float:
        return sum(self.abs_errors) / len(self.abs_errors) if self.abs_errors else 0.0

    @property
    def within_one(self) -> float:
        return sum(1 for e in self.abs_errors if e <= 1) / self.n if self.n else 0.0

    def render(self, show: int = 10) -> str:
        lines = [f"fatalities evaluation on {self.path}: {self.n} notes"]
        for gold, pred, note in self.misses[:show]:
            lines.append(f"  gold {gold:>4} pred {pred:>4}  {note[:140]}")
        median = statistics.median(self.abs_errors) if self.abs_errors else 0
        lines += [
            f"zero-fatality notes: {self.zero_gold}, predicted 0: {self.zero_correct}",
            f"within_one={self.within_one:.3f} median_abs_error={median}",
            f"mae={self.mae:.3f}",
            f"exact_match={self.exact_match:.3f}",
        ]
        return "\n".join(lines)


def evaluate_fatalities(path: Path) -> FatalityEval:
    ev = FatalityEval(path)
    for row in read_acled_csv(path):
        gold_s = row.get("fatalities")
        if not row.notes or not gold_s.lstrip("-").isdigit():
            continue
        gold = int(gold_s)
        pred = acled_fatalities(row.notes).value
        ev.n += 1
        ev.exact += pred == gold
        ev.abs_errors.append(abs(pred - gold))
        if gold == 0:
            ev.zero_gold += 1
            ev.zero_correct += pred == 0
        if pred != gold:
            ev.misses.append((gold, pred, row.notes))
    return ev


# ---------------------------------------------------------------- full records


@dataclass(slots=True)
class AcledEval:
    path: Path
    n: int = 0
    event_type_correct: int = 0
    sub_report: ClassificationReport | None = None
    actor1_scored: int = 0
    actor1_correct: int = 0
    actor2_scored: int = 0
    actor2_correct: int = 0
    actor1_open: int = 0  # right up to the closing year of a period suffix
    actor2_open: int = 0
    type_methods: Counter[str] = field(default_factory=Counter)
    fatalities_exact: int = 0
    fatalities_abs: list[int] = field(default_factory=list)
    location_scored: int = 0
    location_named: int = 0
    location_name_correct: int = 0
    distances: list[float] = field(default_factory=list)
    syria_distances: list[float] = field(default_factory=list)
    syria_rows: int = 0  # Syria rows with gold coordinates, placed or not
    no_event: int = 0

    def render(self) -> str:
        def share(xs: list[float], km: float) -> float:
            return sum(1 for d in xs if d <= km) / len(xs) if xs else 0.0

        sub = self.sub_report
        lines = [
            f"ACLED record evaluation on {self.path}: {self.n} notes ({self.no_event} gave no pipeline event, "
            f"share {self.no_event / self.n if self.n else 0:.3f})",
            f"event_type accuracy={self.event_type_correct / self.n if self.n else 0:.3f}",
            f"sub_event_type accuracy={sub.accuracy if sub else 0:.3f} weighted_f1={sub.weighted_f1 if sub else 0:.3f}",
            f"actor1 accuracy={self.actor1_correct / self.actor1_scored if self.actor1_scored else 0:.3f} "
            f"(of {self.actor1_scored} rows with an actor1)",
            f"actor2 accuracy={self.actor2_correct / self.actor2_scored if self.actor2_scored else 0:.3f} "
            f"(of {self.actor2_scored} rows with an actor2)",
            f"actor1/actor2 accuracy counting an open suffix as its closed form (export date): "
            f"{self.actor1_open / self.actor1_scored if self.actor1_scored else 0:.3f} / "
            f"{self.actor2_open / self.actor2_scored if self.actor2_scored else 0:.3f}",
            "sub-type decided by: " + ", ".join(f"{k} {v}" for k, v in sorted(self.type_methods.items())),
            f"fatalities exact={self.fatalities_exact / self.n if self.n else 0:.3f} "
            f"mae={sum(self.fatalities_abs) / len(self.fatalities_abs) if self.fatalities_abs else 0:.3f}",
            f"location named={self.location_named / self.location_scored if self.location_scored else 0:.3f} "
            f"name_match={self.location_name_correct / self.location_scored if self.location_scored else 0:.3f}",
            f"geocoded rows={len(self.distances)} median_km={statistics.median(self.distances) if self.distances else 0:.1f} "
            f"within_25km={share(self.distances, 25):.3f} within_161km={share(self.distances, 161):.3f}",
            f"syria rows geocoded={len(self.syria_distances)} within_25km={share(self.syria_distances, 25):.3f} "
            f"median_km={statistics.median(self.syria_distances) if self.syria_distances else 0:.1f}",
            f"syria rows={self.syria_rows} within_25km counting unplaced rows as misses="
            f"{sum(1 for d in self.syria_distances if d <= 25) / self.syria_rows if self.syria_rows else 0:.3f}",
        ]
        return "\n".join(lines)


def _actor_key(name: str) -> str:
    return fold(name).replace("  ", " ").strip()


_CLOSED_SUFFIX = re.compile(r"\((\d{4})-\d{4}\)")


def _actor_key_open(name: str) -> str:
    """The key with a closed period suffix opened: ACLED closes 'Military Forces of X (2014-)' into '(2014-2021)'
    once the leader has gone, so exports made at different times spell the same period two ways."""
    return _actor_key(_CLOSED_SUFFIX.sub(r"(\1-)", name))


def _best_event(doc: Doc) -> Event | None:
    return max(doc.events, key=lambda e: e.confidence, default=None)


def _actor_hits(got: Actor | None, gold: str) -> tuple[bool, bool]:
    """Whether a predicted actor names the gold one exactly, and counting an open period suffix as its closed form."""
    if got is None:
        return False, False
    return _actor_key(got.name) == _actor_key(gold), _actor_key_open(got.name) == _actor_key_open(gold)


def evaluate_acled(path: Path, batch_size: int = 64, limit: int | None = None) -> AcledEval:
    from warlog.pipeline.default import default_pipeline

    pipeline = default_pipeline()
    ev = AcledEval(path)
    gold_sub: list[str] = []
    pred_sub: list[str] = []
    rows = [r for r in read_acled_csv(path) if r.notes]
    if limit is not None:
        rows = rows[:limit]
    for i in range(0, len(rows), batch_size):
        chunk = rows[i : i + batch_size]
        docs = []
        for j, row in enumerate(chunk):
            art = Article(content_hash(row.notes + str(i + j)), f"{path}#{i + j}", row.notes, record_index=i + j,
                          published=parse_acled_date(row.get("event_date")))
            docs.append(Doc(art))
        out = {d.doc_id: d for d in pipeline.run_batch(docs)}
        pipeline.drain_rejects()
        for row, doc in zip(chunk, docs, strict=True):
            ev.n += 1
            decision = classify(row.notes, domain="notes")
            ev.type_methods[decision.method] += 1
            gold_et, gold_sub_t = row.get("event_type"), row.get("sub_event_type")
            ev.event_type_correct += decision.event_type == gold_et
            if gold_sub_t in TAXONOMY:
                gold_sub.append(gold_sub_t)
                pred_sub.append(decision.sub_event_type)
            best = _best_event(out.get(doc.doc_id, doc))
            fat = row.get("fatalities")
            if fat.isdigit():
                # the country the pipeline placed the note in (never the gold column) selects the conventions
                cc = (best.place.country if best is not None and best.place is not None else None) or out.get(
                    doc.doc_id, doc).meta.get("focus_country")
                pred = acled_fatalities(row.notes, cc).value
                ev.fatalities_exact += pred == int(fat)
                ev.fatalities_abs.append(abs(pred - int(fat)))
            if best is None:
                ev.no_event += 1
            if row.get("actor1"):
                ev.actor1_scored += 1
                exact, open_ = _actor_hits(best.actor1 if best is not None else None, row.get("actor1") or "")
                ev.actor1_correct += exact
                ev.actor1_open += open_
            if row.get("actor2"):
                ev.actor2_scored += 1
                exact, open_ = _actor_hits(best.actor2 if best is not None else None, row.get("actor2") or "")
                ev.actor2_correct += exact
                ev.actor2_open += open_
            if row.get("country") == "Syria" and row.get("latitude") and row.get("longitude"):
                ev.syria_rows += 1
            if row.get("location"):
                ev.location_scored += 1
                place = best.place if best is not None else None
                if place is not None:
                    ev.location_named += 1
                    ev.location_name_correct += fold(place.name) == fold(row.get("location"))
                    try:
                        glat, glon = float(row.get("latitude")), float(row.get("longitude"))
                    except ValueError:
                        continue
                    if place.latitude is not None and place.longitude is not None:
                        d = distance_km(glat, glon, place.latitude, place.longitude)
                        ev.distances.append(d)
                        if row.get("country") == "Syria":
                            ev.syria_distances.append(d)
    ev.sub_report = classification_report(gold_sub, pred_sub, labels=TAXONOMY.keys())
    return ev
