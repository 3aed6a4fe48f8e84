"""``warlog eval event-types``: sub-event typing scored on the CASE 2021 Task 2 format (TSV: id, EventSnippet,
SubType). Subtask 1 is scored over the rows whose gold label is one of ACLED's 25 sub-event types, with the
weighted F1 the shared task used; rows of the extra classes (disasters, crime, diplomacy) are reported apart."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warlog.errors import EvalFormatError
from warlog.evaluate.metrics import ClassificationReport, classification_report
from warlog.extract.event_type import CASE_CODES, classify


@dataclass(slots=True)
class EventTypeEval:
    path: Path
    report: ClassificationReport
    extra_rows: int
    extra_abstained: int

    @property
    def weighted_f1(self) -> float:
        return self.report.weighted_f1

    def render(self) -> str:
        r = self.report
        return "\n".join(
            [
                f"event-type evaluation on {self.path} (subtask 1: {r.n} rows with an ACLED gold sub-type)",
                r.table(),
                "",
                r.top_confusions(),
                "",
                f"rows outside ACLED's 25 classes: {self.extra_rows}, of which typed as no ACLED event (OTHER or none): "
                f"{self.extra_abstained}",
                f"accuracy={r.accuracy:.3f} macro_f1={r.macro_f1:.3f}",
                f"weighted_f1={r.weighted_f1:.3f}",
            ]
        )


def read_case_tsv(path: Path) -> Iterator[tuple[str, str, str]]:
    csv.field_size_limit(sys.maxsize)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            need = {"id", "EventSnippet", "SubType"}
            if not reader.fieldnames or not need <= set(reader.fieldnames):
                raise EvalFormatError(f"{path}: expected TSV columns {sorted(need)}, found {reader.fieldnames}")
            for row in reader:
                yield row["id"], row["EventSnippet"] or "", (row["SubType"] or "").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalFormatError(f"{path}: {exc}") from exc


def evaluate_event_types(path: Path) -> EventTypeEval:
    gold: list[str] = []
    pred: list[str] = []
    extra = extra_abst = 0
    for _id, text, label in read_case_tsv(path):
        code = classify(text).case_code
        if label in CASE_CODES.values():
            gold.append(label)
            pred.append(code)
        else:
            extra += 1
            extra_abst += code in ("OTHER", "NONE")
    return EventTypeEval(path, classification_report(gold, pred, labels=CASE_CODES.values()), extra, extra_abst)
