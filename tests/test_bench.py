"""The benchmark command runs end to end on the bundled sample (figures themselves are printed, not asserted)."""

from warlog.assets import sample_corpus_dir
from warlog.bench import _best, run_bench


def test_bench_on_the_sample_corpus() -> None:
    rep = run_bench(sample_corpus_dir(), [1, 2], naive_limit=4, repeat=1)
    out = rep.render()
    assert rep.runs[0]["articles"] * 2 == rep.runs[1]["articles"] > 0
    assert rep.naive is not None and rep.naive["naive"] and rep.recall is not None
    assert "fast/naive speed ratio" in out and out.splitlines()[-1].startswith("articles_per_s_per_core=")


def test_best_of_repeats_keeps_the_fastest_and_the_spread() -> None:
    runs = [{"articles_per_cpu_s": r, "peak_mib": m} for r, m in ((20.0, 500.0), (25.0, 490.0), (22.0, 510.0))]
    best = _best(runs)
    assert best["articles_per_cpu_s"] == 25.0 and best["spread"] == (20.0, 25.0) and best["peak_mib"] == 510.0


def test_workers_bench_prints_the_speedup_and_checks_the_rows() -> None:
    from warlog.bench import run_workers_bench

    rep = run_workers_bench(sample_corpus_dir(), [1, 2], batch_size=4)
    out = rep.render()
    assert rep.runs[1]["articles"] == rep.runs[2]["articles"] > 0 and rep.runs[2]["worker_peak_mib"] > 0
    assert "same rows in every run: yes" in out and out.splitlines()[-1].startswith("workers=2 speedup=")
