"""Learned sub-event classifier: a linear model over hashed word and character n-grams (numpy only).

Trained by ``tools/train_event_model.py`` on ACLED coder notes (``../shared/train/acled_notes``) with ACLED's note
conventions stripped ("On 3 March 2019,", "[size=no report]", "Fatalities coded as ...") and on sentence-level
segments of the notes, so that it also reads news sentences. The weights ship in the package
(``assets/event_model.npz``, int8 with a scale per class) with ``assets/event_model.meta.json`` (sources, seed,
checksum, measured figures); nothing is downloaded. A missing or corrupt model file raises ``ModelFileError``
naming the file and the reason.

``combine`` merges the codebook rules' decision with the model's probabilities: each rule carries its precision
measured on the training notes. On news text the rules stay decisive where they fire and the model decides where
they are silent or weak; on ACLED notes (``domain="notes"``) the model also overrules a rule whose measured
precision is below the model's probability.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from warlog.errors import WarlogError

MODEL_NAME = "event_model.npz"
FORMAT = "warlog-event-model/1"


class ModelFileError(WarlogError):
    """A model file is missing, corrupt or of the wrong format."""

    code = "W211"


# ---------------------------------------------------------------- note conventions and features

_LEAD_DATE = re.compile(
    r"^\s*(?:on|around|between|from|in|during|by|since|overnight|late|early)?\s*"
    r"(?:(?:the )?(?:night|morning|evening|afternoon) of\s+)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?[\s-]+(?:of\s+)?[a-z]{3,9}\.?(?:[\s-]+\d{2,4})?|"
    r"[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:early|mid|late)[\s-]+[a-z]{3,9}(?:\s+\d{4})?|[a-z]{3,9}\s+\d{4})"
    r"(?:\s*(?:-|to|and|until|&)\s*\d{1,2}(?:st|nd|rd|th)?(?:\s+[a-z]{3,9})?(?:,?\s+\d{4})?)?"
    r"(?:\s*\(?(?:between|around|as of|as reported)[^),]{0,30}\)?)?\s*[,:]\s*",
    re.I,
)
_SIZE_TAG = re.compile(r"\[\s*(?:size|women|men|youth|ethnic|religious|students?)[^\]]{0,80}\]", re.I)
_CODED = re.compile(r"[^.]{0,60}\b(?:fatalit\w+|deaths?|casualties)\b[^.]{0,40}\bcoded\b[^.]*\.?", re.I)
_SPACES = re.compile(r"\s+")


def strip_note_conventions(text: str) -> str:
    """Text without ACLED's note conventions: the leading date, size tags, "Fatalities coded as" remarks."""
    t = _SIZE_TAG.sub(" ", text)
    t = _CODED.sub(" ", t)
    t = _LEAD_DATE.sub("", t, count=1)
    return _SPACES.sub(" ", t).strip()


_TOKEN = re.compile(r"[a-z]+|\d+")
_DIGITS = re.compile(r"\d")


def tokens(text: str) -> list[str]:
    return [_DIGITS.sub("0", t) for t in _TOKEN.findall(text.lower())]


def feature_ids(text: str, dim: int) -> np.ndarray:
    """Hashed feature ids of ``text`` (word unigrams and bigrams, character 4-grams of words of 4+ letters);
    crc32, stable across processes and platforms."""
    toks = tokens(text)
    feats: list[str] = [f"w{t}" for t in toks]
    feats += [f"b{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    for t in toks:
        if len(t) >= 4 and not t[0].isdigit():
            p = f"<{t}>"
            feats += [f"c{p[i : i + 4]}" for i in range(len(p) - 3)]
    mask = dim - 1
    ids = np.fromiter((zlib.crc32(f.encode()) & mask for f in feats), dtype=np.int64, count=len(feats))
    return np.unique(ids)


# ---------------------------------------------------------------- model


@dataclass(slots=True)
class EventModel:
    labels: tuple[str, ...]
    weights: np.ndarray  # (dim, n_labels) float32
    bias: np.ndarray  # (n_labels,)
    dim: int
    path: str
    rule_precision: dict[str, tuple[float, int]]  # rule name -> (precision on training notes, rows fired)
    config: dict[str, Any]

    def proba(self, text: str) -> np.ndarray:
        ids = feature_ids(strip_note_conventions(text), self.dim)
        z = self.bias.copy()
        if ids.size:
            z += self.weights[ids].sum(axis=0) / np.sqrt(ids.size)
        z -= z.max()
        e = np.exp(z)
        p: np.ndarray = e / e.sum()
        return p

    def predict(self, text: str) -> tuple[str, float, dict[str, float]]:
        p = self.proba(text)
        k = int(p.argmax())
        return self.labels[k], float(p[k]), {lab: float(v) for lab, v in zip(self.labels, p, strict=True)}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_model(path: Path, labels: list[str], weights: np.ndarray, bias: np.ndarray, config: dict[str, Any],
               rule_precision: dict[str, tuple[float, int]]) -> None:
    """Write the model: int8 weights with one scale per class (about 4x smaller than float32)."""
    w = np.asarray(weights, dtype=np.float32)
    scale = np.maximum(np.abs(w).max(axis=0), 1e-8) / 127.0
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    header = {"format": FORMAT, "labels": list(labels), "dim": int(w.shape[0]), "config": config,
              "rule_precision": {k: [float(v[0]), int(v[1])] for k, v in sorted(rule_precision.items())}}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        np.savez_compressed(fh, weights=q, scale=scale.astype(np.float32), bias=np.asarray(bias, dtype=np.float32),
                            header=np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8))


def load_model(path: Path) -> EventModel:
    """Read a model file; any problem is a ``ModelFileError`` naming the file."""
    if not path.is_file():
        raise ModelFileError("model file not found", str(path))
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(bytes(z["header"]).decode("utf-8"))
            q, scale, bias = z["weights"], z["scale"], z["bias"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error, UnicodeDecodeError) as exc:
        raise ModelFileError(f"corrupt or unreadable model file ({type(exc).__name__}: {exc})", str(path)) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"not a warlog event model (format {header.get('format') if isinstance(header, dict) else '?'!r}, "
                             f"expected {FORMAT!r})", str(path))
    labels = tuple(header["labels"])
    dim = int(header["dim"])
    if q.shape != (dim, len(labels)) or scale.shape != (len(labels),) or bias.shape != (len(labels),) or dim & (dim - 1):
        raise ModelFileError(f"inconsistent shapes: weights {q.shape}, {len(labels)} labels, dim {dim}", str(path))
    weights = q.astype(np.float32) * scale[None, :]
    rp = {k: (float(v[0]), int(v[1])) for k, v in header.get("rule_precision", {}).items()}
    return EventModel(labels, weights, bias.astype(np.float32), dim, str(path), rp, header.get("config", {}))


_OVERRIDE: list[Path | None] = [None]


def use_model(path: Path | None) -> None:
    """Use the model at ``path`` (e.g. one retrained by ``warlog learn`` next to a database) for the rest of the
    process; ``None`` goes back to the shipped model."""
    if path is not None:
        load_model(path)  # fail now, naming the file, not at the first sentence
    _OVERRIDE[0] = path
    shipped_or_override.cache_clear()


@lru_cache(maxsize=1)
def shipped_or_override() -> EventModel | None:
    """The model in use: the override, else the shipped one; None when the package ships none or when the
    environment says ``WARLOG_EVENT_MODEL=off`` (the rules alone, for before/after comparisons)."""
    if os.environ.get("WARLOG_EVENT_MODEL", "").lower() in ("off", "0", "none", "rules"):
        return None
    if _OVERRIDE[0] is not None:
        return load_model(_OVERRIDE[0])
    from warlog.assets import asset_path

    path = asset_path(MODEL_NAME)
    if not path.exists():
        return None
    return load_model(path)


def train_csr(indices: np.ndarray, indptr: np.ndarray, y: np.ndarray, w: np.ndarray, n_labels: int, dim: int,
              seed: int = 13, epochs: int = 4, lr: float = 0.5, l2: float = 1e-6, batch: int = 256,
              init: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression over hashed sparse rows (CSR: ``indices``/``indptr``), Adagrad with L2, balanced class
    weights (square root of inverse frequency), 1/sqrt(n) row scaling; ``init``: start from these weights (an
    update of a trained model). Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n = y.size
    counts = np.bincount(y, minlength=n_labels).astype(np.float64)
    cw = np.where(counts > 0, np.sqrt(n / (n_labels * np.maximum(counts, 1))), 0.0)
    cw = np.clip(cw / cw[counts > 0].mean(), 0.2, 8.0).astype(np.float32)
    sw = w * cw[y]
    if init is not None:
        W, b = init[0].astype(np.float32).copy(), init[1].astype(np.float32).copy()
    else:
        W = np.zeros((dim, n_labels), dtype=np.float32)
        b = np.log(np.maximum(counts, 1) / n).astype(np.float32)
        b[counts == 0] = -30.0
    HW = np.full((dim, n_labels), 1e-6, dtype=np.float32)
    Hb = np.full(n_labels, 1e-6, dtype=np.float32)
    lens = np.diff(indptr)
    for _ep in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            rows = order[s : s + batch]
            starts = indptr[rows]
            rl = lens[rows]
            take = np.repeat(starts - np.cumsum(np.concatenate([[0], rl[:-1]])), rl) + np.arange(rl.sum())
            idx = indices[take]
            row_of = np.repeat(np.arange(rows.size), rl)
            vals = (1.0 / np.sqrt(rl)).astype(np.float32)[row_of]
            seg = np.concatenate([[0], np.cumsum(rl)[:-1]])
            Z = np.add.reduceat(W[idx] * vals[:, None], seg, axis=0) + b
            Z -= Z.max(axis=1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(axis=1, keepdims=True)
            P[np.arange(rows.size), y[rows]] -= 1.0
            G = P * sw[rows][:, None] / rows.size
            uniq, inv = np.unique(idx, return_inverse=True)
            agg = np.zeros((uniq.size, n_labels), dtype=np.float32)
            np.add.at(agg, inv, G[row_of] * vals[:, None])
            agg += l2 * W[uniq]
            HW[uniq] += agg * agg
            W[uniq] -= lr * agg / np.sqrt(HW[uniq])
            gb = G.sum(axis=0)
            Hb += gb * gb
            b -= lr * gb / np.sqrt(Hb)
    return W, b



# ---------------------------------------------------------------- combining rules and model

WEAK_RULES = frozenset({"lexicon", "no-cue", "kill-armed", "kill-civilian", "operation"})
DEFAULT_MARGIN = 0.0
DEFAULT_PRIOR = 0.5  # precision assumed for a rule never seen on the training notes


@dataclass(frozen=True, slots=True)
class Combined:
    sub_event_type: str
    method: str  # "rule" | "model" | "rule+model"
    rule: str
    rule_sub_event_type: str
    rule_precision: float
    model_sub_event_type: str | None
    model_probability: float | None  # the model's probability of the chosen sub-type (None without a model)


def combine(rule_sub: str, rule: str, model: EventModel | None, text: str, margin: float | None = None,
            domain: str = "news") -> Combined:
    """The decision for ``text`` given the rules' ``rule_sub`` (decided by ``rule``) and the model.

    ``domain="notes"`` (ACLED coder notes, the model's own domain): the model overrules a rule when its probability
    is higher than the rule's precision measured on the training notes (plus ``margin``). ``domain="news"``
    (articles, news snippets: the default): the codebook rules stay decisive where they fire; the model decides
    only where the rules are silent or fall back to a weak cue (``WEAK_RULES``), and then only when its probability
    is higher than that weak rule's precision. Notes and news differ in convention (a note describing a battle
    with shelling is coded *Armed clash*; a news sentence about shelling is *Shelling*), so the per-rule
    precisions measured on notes do not carry over to news."""
    if model is None:
        return Combined(rule_sub, "rule", rule, rule_sub, 1.0, None, None)
    m = DEFAULT_MARGIN if margin is None else margin
    prec = model.rule_precision.get(rule, (DEFAULT_PRIOR, 0))[0] if rule not in ("no-cue",) else 0.0
    if domain != "notes" and rule not in WEAK_RULES:
        # news text and a rule that fired: the rule decides, the model is not consulted (keeps the fast path fast)
        return Combined(rule_sub, "rule", rule, rule_sub, prec, None, None)
    msub, mp, probs = model.predict(text)
    if msub == rule_sub:
        return Combined(rule_sub, "rule+model", rule, rule_sub, prec, msub, mp)
    overrulable = domain == "notes" or rule in WEAK_RULES
    if overrulable and (rule == "no-cue" or mp > prec + m):
        return Combined(msub, "model", rule, rule_sub, prec, msub, mp)
    return Combined(rule_sub, "rule", rule, rule_sub, prec, msub, probs.get(rule_sub, 0.0))
