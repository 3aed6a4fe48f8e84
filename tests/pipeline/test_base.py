import pytest

from warlog.data import Article, Doc
from warlog.errors import PipelineConfigError
from warlog.pipeline import Pipeline, Stage


class Needs(Stage):
    name = "needs"
    requires = frozenset({"mentions"})
    assigns = frozenset({"events"})

    def process(self, doc):
        return doc


class Gives(Stage):
    name = "gives"
    requires = frozenset({"article"})
    assigns = frozenset({"mentions"})

    def process(self, doc):
        if doc.article.raw_text == "boom":
            raise RuntimeError("bad doc")
        return doc


def test_requires_checked_at_build():
    with pytest.raises(PipelineConfigError, match="requires \\['mentions'\\]"):
        Pipeline([Needs()])
    Pipeline([Gives(), Needs()])


def test_failing_doc_becomes_reject_and_run_goes_on():
    p = Pipeline([Gives(), Needs()])
    docs = [Doc(Article("1", "a.txt", "fine")), Doc(Article("2", "b.txt", "boom"))]
    out = p.run_batch(docs)
    assert [d.doc_id for d in out] == ["1"]
    rejects = p.drain_rejects()
    assert len(rejects) == 1 and rejects[0].source_path == "b.txt" and "bad doc" in rejects[0].reason
    assert p.stats()[0]["n_rejected"] == 1


def test_default_pipeline_builds():
    from warlog.pipeline.default import default_pipeline

    names = [s.name for s in default_pipeline().stages]
    assert names == ["clean", "extract", "resolve", "aggregate", "reportable"]
    assert [s.name for s in default_pipeline(reportable=False).stages] == ["clean", "extract", "resolve", "aggregate"]
