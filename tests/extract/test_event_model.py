"""The learned sub-event model: the shipped artefact, stable predictions, clear errors, and how it combines with
the codebook rules (sentences written for these tests)."""

import json
from pathlib import Path

import numpy as np
import pytest

from warlog.assets import asset_path
from warlog.extract import event_model as em
from warlog.extract.event_type import classify, classify_text

SHIPPED = asset_path(em.MODEL_NAME)
pytestmark = pytest.mark.skipif(not SHIPPED.exists(), reason="no shipped event model (build: tools/train_event_model.py)")

SENTENCES = {
    "Hundreds of teachers marched peacefully to the governor's office demanding unpaid salaries.": "Peaceful protest",
    "Police fired tear gas to disperse students who were protesting fee increases.": "Protest with intervention",
    "Militants clashed with soldiers near the border post for several hours.": "Armed clash",
    "A roadside bomb exploded under a military truck, wounding four soldiers.": "Remote explosive/landmine/IED",
    "Gunmen abducted two aid workers on the road to the market town.": "Abduction/forced disappearance",
    "Police arrested eleven suspected members of the militia in a dawn raid.": "Arrests",
}


def test_shipped_model_matches_meta() -> None:
    meta = json.loads(SHIPPED.with_name("event_model.meta.json").read_text())
    assert meta["sha256"] == em.file_sha256(SHIPPED)
    assert SHIPPED.stat().st_size <= 15 * 1024 * 1024
    model = em.load_model(SHIPPED)
    assert list(model.labels) == meta["labels"]
    assert meta["seed"] == 13 and meta["sources"]


def test_stable_predictions() -> None:
    model = em.load_model(SHIPPED)
    for text, sub in SENTENCES.items():
        label, p, probs = model.predict(text)
        assert label == sub, (text, label, p)
        assert abs(sum(probs.values()) - 1.0) < 1e-4
        assert p == pytest.approx(em.load_model(SHIPPED).predict(text)[1])  # deterministic


def test_note_conventions_stripped() -> None:
    t = em.strip_note_conventions("On 3 March 2019, protesters gathered in the square. [size=no report] Fatalities coded as 0.")
    assert t == "protesters gathered in the square."


def test_corrupt_and_missing_model_files(tmp_path: Path) -> None:
    bad = tmp_path / "event_model.npz"
    bad.write_bytes(SHIPPED.read_bytes()[:5000])
    with pytest.raises(em.ModelFileError, match="event_model.npz") as exc:
        em.load_model(bad)
    assert "corrupt" in str(exc.value)
    with pytest.raises(em.ModelFileError, match="not found"):
        em.load_model(tmp_path / "missing.npz")
    other = tmp_path / "other.npz"
    np.savez(other, header=np.frombuffer(json.dumps({"format": "x"}).encode(), dtype=np.uint8),
             weights=np.zeros((2, 2), np.int8), scale=np.ones(2, np.float32), bias=np.zeros(2, np.float32))
    with pytest.raises(em.ModelFileError, match="not a warlog event model"):
        em.load_model(other)
    with pytest.raises(em.ModelFileError):
        em.use_model(bad)  # fails at once, naming the file


def test_save_load_roundtrip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(16, 3)).astype(np.float32)
    p = tmp_path / "m.npz"
    em.save_model(p, ["Armed clash", "Attack", "Arrests"], w, np.zeros(3), {"k": 1}, {"clash": (0.9, 10)})
    m = em.load_model(p)
    assert m.labels == ("Armed clash", "Attack", "Arrests") and m.rule_precision["clash"] == (0.9, 10)
    assert np.abs(m.weights - w).max() <= np.abs(w).max() / 127 + 1e-6


def test_combine_news_keeps_strong_rules_model_decides_weak() -> None:
    model = em.load_model(SHIPPED)
    text = "Militants clashed with soldiers near the border post for several hours."
    # a strong rule stays decisive on news text even where the model disagrees
    c = em.combine("Air/drone strike", "air", model, text, domain="news")
    assert c.sub_event_type == "Air/drone strike" and c.method == "rule" and c.model_probability is None
    # the model decides where the rules have no cue
    c = em.combine("Other", "no-cue", model, text, domain="news")
    assert c.sub_event_type == "Armed clash" and c.method == "model" and c.model_probability > 0.3
    # on ACLED notes a rule less reliable than the model is overruled
    c = em.combine("Air/drone strike", "aircraft", model, text, domain="notes")
    assert c.method == "model" and c.rule_sub_event_type == "Air/drone strike"


def test_classify_records_method(monkeypatch: pytest.MonkeyPatch) -> None:
    d = classify("Hundreds of teachers marched peacefully to the governor's office demanding unpaid salaries.")
    assert d.sub_event_type == "Peaceful protest" and d.method == "rule"  # a codebook rule fired: it decides
    d = classify("Hundreds of teachers marched peacefully to the governor's office demanding unpaid salaries.", domain="notes")
    assert d.method in ("rule+model", "model") and d.model_probability is not None
    d = classify("The weather in the capital was mild and the market was busy.")
    assert d.method in ("model", "rule") and (d.method == "rule" or d.model_probability is not None)
    monkeypatch.setenv("WARLOG_EVENT_MODEL", "off")
    em.shipped_or_override.cache_clear()
    try:
        d = classify("Militants clashed with soldiers near the border post.")
        assert d.method == "rule" and d.model_probability is None
        assert d.sub_event_type == classify_text("Militants clashed with soldiers near the border post.").sub_event_type
    finally:
        monkeypatch.delenv("WARLOG_EVENT_MODEL")
        em.shipped_or_override.cache_clear()
