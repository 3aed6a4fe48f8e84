"""``warlog learn --db FILE``: update the sub-event model from the analysts' reviews, next to the database.

Examples are the reviewed events of the database: a confirmed event keeps its sub-type, a corrected one takes the
corrected ``sub_event_type`` (the latest correction wins), a rejected one is left out. The text of an example is
the event's evidence sentences. Training starts from the shipped model's weights and runs a few epochs over the
reviewed examples with a fixed seed (``extract.event_model.train_csr``), so the same reviews give the same file.
The result is written to ``<db>.event_model.npz`` with ``<db>.event_model.meta.json`` (what it used: base model
checksum, review count and checksum, labels, seed) and never over the shipped model; ``warlog run`` on that
database picks it up (``execute.local.apply_learned``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from warlog.extract.event_model import (
    MODEL_NAME,
    EventModel,
    feature_ids,
    file_sha256,
    load_model,
    save_model,
    strip_note_conventions,
    train_csr,
)

SEED = 13
EPOCHS = 5
LR = 0.2


def local_model_path(db: str | Path) -> Path:
    """Where ``warlog learn`` writes the model of a database: ``<db>.event_model.npz``."""
    p = Path(db)
    return p.with_name(p.name + ".event_model.npz")


@dataclass(slots=True)
class LearnReport:
    path: Path | None
    examples: int
    labels: Counter[str] = field(default_factory=Counter)
    changed: int = 0  # reviewed examples the base model got wrong and the updated model gets right
    still_wrong: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reviewed sub-types the model has no class for

    def render(self) -> str:
        if self.path is None:
            return "no confirmed or corrected events with a sub-type in the reviews: nothing learned"
        lines = [f"updated sub-event model -> {self.path} ({self.examples} reviewed events)"]
        lines += [f"  {k}: {v}" for k, v in self.labels.most_common()]
        lines.append(f"base model wrong, updated right: {self.changed}; still wrong: {self.still_wrong}")
        if self.skipped:
            lines.append("left out (sub-types the model has no class for; the codebook rules code them): "
                         + ", ".join(f"{k} {v}" for k, v in self.skipped.most_common()))
        return "\n".join(lines)


def reviewed_examples(store: object) -> list[tuple[str, str, str]]:
    """(event_id, text, sub_event_type) of each confirmed or corrected event, in event-id order."""
    from warlog.extract.event_type import TAXONOMY
    from warlog.store.review import review_overlay

    overlay = review_overlay(store)
    keep = {eid: fields for eid, (fields, status) in overlay.items() if status in ("confirmed", "corrected")}
    if not keep:
        return []
    rows = store.query(  # type: ignore[attr-defined]
        "SELECT event_id, sub_event_type, evidence FROM events WHERE event_id IN (SELECT unnest(?)) ORDER BY event_id",
        [sorted(keep)])
    out = []
    for r in rows:
        sub = keep[r["event_id"]].get("sub_event_type") or r["sub_event_type"]
        if sub not in TAXONOMY:
            continue
        ev = r["evidence"]
        ev = json.loads(ev) if isinstance(ev, str) else (ev or [])
        text = " ".join(dict.fromkeys(e["text"] for e in ev if e.get("role") == "sentence"))
        if text.strip():
            out.append((r["event_id"], text, sub))
    return out


def learn(db: str | Path, base: EventModel | None = None, epochs: int = EPOCHS, seed: int = SEED) -> LearnReport:
    from warlog.assets import asset_path
    from warlog.store.duckdb_store import Store

    with Store(db, read_only=True) as store:
        examples = reviewed_examples(store)
    if not examples:
        return LearnReport(None, 0)
    base_path = Path(asset_path(MODEL_NAME))
    if base is None:
        base = load_model(base_path)
    labels = list(base.labels)
    skipped = Counter(sub for _e, _t, sub in examples if sub not in labels)
    examples = [x for x in examples if x[2] in labels]  # e.g. Chemical weapon: the rules code it, the model has no class
    if not examples:
        return LearnReport(None, 0, skipped=skipped)
    lab = {k: i for i, k in enumerate(labels)}
    ids = [feature_ids(strip_note_conventions(t), base.dim) for _e, t, _s in examples]
    keep = [i for i, x in enumerate(ids) if x.size]
    indices = np.concatenate([ids[i] for i in keep]).astype(np.int32)
    indptr = np.concatenate([[0], np.cumsum([ids[i].size for i in keep])]).astype(np.int64)
    y = np.asarray([lab[examples[i][2]] for i in keep], dtype=np.int64)
    w = np.ones(y.size, dtype=np.float32)
    W, b = train_csr(indices, indptr, y, w, len(labels), base.dim, seed=seed, epochs=epochs, lr=LR,
                     init=(base.weights, base.bias))
    out = local_model_path(db)
    config = dict(base.config, update={"epochs": epochs, "lr": LR, "seed": seed, "examples": int(y.size)})
    save_model(out, labels, W, b, config, base.rule_precision)
    updated = load_model(out)
    changed = still = 0
    for _e, text, sub in examples:
        before, after = base.predict(text)[0], updated.predict(text)[0]
        changed += before != sub and after == sub
        still += after != sub
    digest = hashlib.sha256("\n".join(f"{e}\t{s}" for e, _t, s in examples).encode()).hexdigest()
    meta = {"model": out.name, "sha256": file_sha256(out), "base_model": str(base_path),
            "base_sha256": file_sha256(base_path) if base_path.exists() else None, "database": str(db),
            "reviewed_events": len(examples), "reviews_sha256": digest, "seed": seed, "epochs": epochs, "lr": LR,
            "labels": dict(Counter(s for _e, _t, s in examples))}
    out.with_name(out.name.replace(".npz", ".meta.json")).write_text(json.dumps(meta, indent=1) + "\n")
    return LearnReport(out, len(examples), Counter(s for _e, _t, s in examples), changed, still, skipped)
