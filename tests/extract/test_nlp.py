from warlog.extract.nlp import MODEL, load_nlp

SENTENCES = [
    "Syrian government warplanes struck Douma in Eastern Ghouta on Tuesday, the White Helmets said.",
    "Islamic State fighters attacked an army checkpoint near Deir ez-Zor, killing four soldiers.",
    "Police in Nairobi fired tear gas at protesters marching to Parliament.",
]


def test_numpy_blas_gives_the_same_entities_as_blis():
    import spacy

    fast = load_nlp()
    assert {(type(n.ops).__name__, n.ops.use_blis) for n in fast.get_pipe("ner").model.walk()} == {("NumpyOps", False)}
    ref = spacy.load(MODEL, exclude=["tok2vec", "parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])
    with fast.select_pipes(disable=["entity_ruler"]):
        got = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in fast.pipe(SENTENCES)]
    want = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in ref.pipe(SENTENCES)]
    assert got == want and any(want)
