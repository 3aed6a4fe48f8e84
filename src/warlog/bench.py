"""``warlog bench``: throughput, memory and the fast path against a naive pass, measured on one core.

Each measurement runs in a fresh worker process (so peak memory is that run's own): the corpus replicated
``scale`` times (each copy a distinct article) streams in bounded batches through the default pipeline and into
a DuckDB file, exactly as ``warlog run`` does. Start-up (imports, model, gazetteer, one warm-up report) is timed apart from the
steady-state throughput. The naive pass runs the full spaCy pipeline on every sentence and tries every trigger
rule without the prefilter; recall compares the events of the fast path with the naive pass's, on the same
articles, by (article, date, type, place).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warlog.data import Article, Doc, content_hash

DEFAULT_SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "unlabeled_syria_news" / "Guardian_SDF_sample.csv"


def corpus_articles(source: Path, scale: int = 1, limit: int | None = None) -> Iterator[Article]:
    """Articles of a CSV with a ``text`` column (and ``date``), or of any input ``warlog run`` reads; ``scale``
    copies, each with its own id."""
    base: list[Article] = []
    if source.suffix.lower() == ".csv":
        csv.field_size_limit(sys.maxsize)
        with source.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                text = row.get("text") or ""
                if text.strip():
                    pub = None
                    try:
                        pub = dt.date.fromisoformat((row.get("date") or "")[:10])
                    except ValueError:
                        pub = None
                    base.append(Article(content_hash(text), f"{source}#{i}", text, published=pub, record_index=i))
    else:
        from warlog.ingest.readers import iter_files, iter_inputs

        base = [a for a in iter_inputs(list(iter_files([source]))) if isinstance(a, Article)]
    if limit is not None:
        base = base[:limit]
    for k in range(scale):
        for a in base:
            yield Article(content_hash(f"{a.article_id}#{k}"), a.source_path, a.raw_text, a.is_html, a.url, a.title,
                          a.published, a.record_index)


# one short report through every stage and into a throwaway database before timing, so that one-time work
# (lazily compiled patterns, rule tables, the geocoder's indexes for the country, DuckDB loading its JSON
# extension on the first write) is start-up, as model loading is, not throughput
WARM_UP = (
    "BEIRUT, March 3 - Government warplanes struck the town of Saraqib in Idlib province on Tuesday, killing at "
    "least 12 civilians including four children, the Syrian Observatory for Human Rights said. Rebels said they "
    "had recaptured two villages near Kafr Nabl after clashes with pro-government militias."
)


def _reference_loop() -> float:
    """CPU seconds of a fixed pure-Python loop, timed in the worker before and after its run: shared machines
    have slow spells, and this says how fast the machine was while the figures were taken."""
    t = time.process_time()
    x = 0
    for i in range(3_000_000):
        x += i
    return time.process_time() - t


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker(source: Path, scale: int, naive: bool, batch_size: int, limit: int | None, events_out: str | None) -> dict[str, Any]:
    t_start = time.perf_counter()
    import pandas  # noqa: F401  (DuckDB imports it on the first Arrow insert: a start-up cost, timed as such)
    import pyarrow  # noqa: F401

    from warlog.extract.nlp import load_nlp
    from warlog.pipeline.default import default_pipeline
    from warlog.resolve.geocode import gazetteer
    from warlog.store.duckdb_store import Store

    gazetteer()
    load_nlp(full=naive)
    pipeline = default_pipeline(naive=naive)
    warm = pipeline.run_batch([Doc(Article(content_hash(WARM_UP), "warm-up", WARM_UP))])  # lazy regexes, caches
    with tempfile.TemporaryDirectory() as wtmp, Store(Path(wtmp) / "warm.duckdb") as wstore:
        wstore.write_batch(warm, pipeline.drain_rejects(), wstore.start_run(["warm-up"]))  # DuckDB's JSON extension
    startup = time.perf_counter() - t_start
    ref = _reference_loop()
    n_art = n_words = n_events = 0
    keys: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        store.con.execute("SET threads TO 1")  # one core: DuckDB's own worker threads too, like OMP_NUM_THREADS=1
        run_id = store.start_run([str(source)])
        t0, c0 = time.perf_counter(), time.process_time()
        batch: list[Article] = []

        def flush(items: list[Article]) -> None:
            nonlocal n_art, n_words, n_events
            out = pipeline.run_batch([Doc(a) for a in items])
            n_events += store.write_batch(out, pipeline.drain_rejects(), run_id)
            n_art += len(items)
            n_words += sum(len(a.raw_text.split()) for a in items)
            if events_out is not None:
                for d in out:
                    for e in d.events:
                        keys.append([d.article.article_id, str(e.event_date), e.sub_event_type,
                                     e.place.gazetteer_id if e.place else None])

        for a in corpus_articles(source, scale, limit):
            batch.append(a)
            if len(batch) >= batch_size:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        cluster_s, n_clusters = None, None
        if not naive:  # the clustering step of a run (complete-link over every stored event), timed apart
            from warlog.dedupe.cluster import recluster

            tc = time.perf_counter()
            n_clusters = len(recluster(store).clusters)
            cluster_s = round(time.perf_counter() - tc, 3)
    if events_out is not None:
        Path(events_out).write_text(json.dumps(keys), encoding="utf-8")
    return {
        "scale": scale, "naive": naive, "articles": n_art, "words": n_words, "events": n_events,
        "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "startup_seconds": round(startup, 3),
        "articles_per_s": round(n_art / wall, 2) if wall else 0.0, "words_per_s": round(n_words / wall, 1) if wall else 0.0,
        "articles_per_cpu_s": round(n_art / cpu, 2) if cpu else 0.0, "peak_mib": round(_peak_mib(), 1),
        "reference_loop_s": round(min(ref, _reference_loop()), 3),
        "cluster_seconds": cluster_s, "clusters": n_clusters,
    }


def _spawn(source: Path, scale: int, naive: bool, batch_size: int, limit: int | None, events_out: str | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "warlog.bench", str(source), str(scale), "1" if naive else "0", str(batch_size),
           str(limit or 0), events_out or ""]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@dataclass
class BenchReport:
    source: Path
    runs: list[dict[str, Any]]
    naive: dict[str, Any] | None
    recall: float | None
    fast_on_naive_sample: dict[str, Any] | None

    def render(self) -> str:
        lo, hi = self.runs[0]["spread"]
        lines = [f"warlog bench on {self.source} (one worker process, one core, batches into DuckDB; best of "
                 f"{self.runs[0]['repeats']} runs, art/cpu-s spread {lo}-{hi})",
                 f"{'run':14} {'articles':>8} {'words':>9} {'art/s':>7} {'words/s':>9} {'art/cpu-s':>9} {'peak MiB':>8} {'startup s':>9} "
                 f"{'ref loop s':>10}"]
        for r in self.runs + ([self.naive] if self.naive else []):
            name = ("naive " if r["naive"] else "fast ") + f"{r['scale']}x"
            lines.append(f"{name:14} {r['articles']:8d} {r['words']:9d} {r['articles_per_s']:7.1f} {r['words_per_s']:9.0f} "
                         f"{r['articles_per_cpu_s']:9.1f} {r['peak_mib']:8.0f} {r['startup_seconds']:9.1f} "
                         f"{r['reference_loop_s']:10.3f}")
        if self.naive and self.fast_on_naive_sample:
            ratio = self.fast_on_naive_sample["articles_per_cpu_s"] / max(self.naive["articles_per_cpu_s"], 1e-9)
            lines.append(f"fast/naive speed ratio (same {self.naive['articles']} articles, per CPU second): {ratio:.1f}x")
            lines.append(f"recall of fast path against naive events: {self.recall:.3f}")
        if len(self.runs) >= 2:
            a, b = self.runs[0], self.runs[-1]
            lines.append(f"memory {a['scale']}x -> {b['scale']}x: {a['peak_mib']:.0f} -> {b['peak_mib']:.0f} MiB")
        clus = [r for r in self.runs if r.get("cluster_seconds") is not None]
        if clus:
            lines.append("clustering (recluster: complete-link over every stored event, after the batches): " + ", ".join(
                f"{r['scale']}x {r['events']} events -> {r['clusters']} clusters in {r['cluster_seconds']:.2f} s"
                for r in clus))
        lines.append("ref loop s: CPU seconds of a fixed pure-Python loop in the same worker (how fast the machine was then)")
        lines.append(f"articles_per_s_per_core={self.runs[0]['articles_per_cpu_s']:.1f}")
        return "\n".join(lines)


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated runs (per CPU second), with the spread of all of them: on shared or virtual
    machines a run can be a quarter slower for reasons outside the program, so the best of a few is the figure
    that reproduces (as ``timeit`` does)."""
    best = dict(max(runs, key=lambda r: r["articles_per_cpu_s"]))
    rates = [r["articles_per_cpu_s"] for r in runs]
    best["repeats"] = len(runs)
    best["spread"] = (min(rates), max(rates))
    best["peak_mib"] = max(r["peak_mib"] for r in runs)
    return best


def run_bench(source: Path, scales: list[int], naive_limit: int | None = 60, batch_size: int = 32, repeat: int = 3) -> BenchReport:
    """``repeat``: how many times the first scale and the naive comparison run (the best counts); larger scales,
    which show that memory stays flat, run once. Repeats are interleaved round by round, so that a slow spell
    of the machine does not fall on every repeat of one measurement."""
    first: list[dict[str, Any]] = []
    larger: list[dict[str, Any]] = []
    samples: list[dict[str, Any]] = []
    naives: list[dict[str, Any]] = []
    recall = None
    with tempfile.TemporaryDirectory() as tmp:
        fe, ne = str(Path(tmp) / "fast.json"), str(Path(tmp) / "naive.json")
        for k in range(repeat):
            first.append(_spawn(source, scales[0], False, batch_size, None, None))
            if naive_limit != 0:
                samples.append(_spawn(source, 1, False, batch_size, naive_limit, fe))
                naives.append(_spawn(source, 1, True, batch_size, naive_limit, ne))
            if k == 0:
                larger = [_spawn(source, s, False, batch_size, None, None) for s in scales[1:]]
        if naive_limit != 0:
            fast_keys = {tuple(x) for x in json.loads(Path(fe).read_text())}
            naive_keys = {tuple(x) for x in json.loads(Path(ne).read_text())}
            recall = len(fast_keys & naive_keys) / len(naive_keys) if naive_keys else 1.0
    runs = [_best(first)] + [_best([r]) for r in larger]
    naive = _best(naives) if naives else None
    sample = _best(samples) if samples else None
    return BenchReport(source, runs, naive, recall, sample)


# ---- workers: the same corpus through `warlog run` with 1, 2, ... worker processes (or Ray CPUs) -----------------

def write_corpus_files(source: Path, folder: Path, scale: int = 1, n_files: int = 8) -> int:
    """The corpus as ``n_files`` JSONL files that ``warlog run`` reads (several files, so Ray has shards to spread);
    copies beyond the first get a line of their own, so that each is a distinct article. Returns the articles."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = [(folder / f"part-{i:02d}.jsonl").open("w", encoding="utf-8") for i in range(n_files)]
    n = 0
    try:
        for k in range(scale):
            for a in corpus_articles(source, 1):
                text = a.raw_text if k == 0 else f"{a.raw_text}\n\nCopy {k}."
                rec = {"text": text, "published": a.published.isoformat() if a.published else None, "url": a.url,
                       "title": a.title}
                handles[n % n_files].write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    finally:
        for h in handles:
            h.close()
    return n


def workers_worker(folder: Path, workers: int, batch_size: int, executor: str, db: Path) -> dict[str, Any]:
    """One timed run of ``folder`` into ``db`` with ``workers`` processes (local) or CPUs (ray). Start-up (imports,
    spawning the workers, each loading the model and running one warm-up report; Ray's start) is timed apart; the
    figure is wall-clock articles/s from the first batch read to the last batch committed (local) or of the
    whole shard-and-load step (ray), clustering excluded."""
    import duckdb

    from warlog.store.duckdb_store import Store

    t_start = time.perf_counter()
    load0 = os.getloadavg()[0]
    cpu_per_article = parent_per_article = None
    with tempfile.TemporaryDirectory() as wtmp, Store(Path(wtmp) / "warm.duckdb") as wstore:
        wstore.start_run(["warm-up"])  # DuckDB's one-time loading, as in `worker`
    if executor == "ray":
        import ray

        from warlog.execute.ray_executor import run_ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False,
                 runtime_env={"env_vars": {"TOKENIZERS_PARALLELISM": "false"}})

        @ray.remote(num_cpus=1)
        def _warm() -> int:
            from warlog.execute.workers import BatchProcessor

            BatchProcessor(warm_up=True)  # the model and gazetteer stay loaded in the Ray worker process
            time.sleep(1.0)  # hold the CPU so that each warm-up lands in its own worker process
            return os.getpid()

        pids = set(ray.get([_warm.remote() for _ in range(workers)]))
        startup = time.perf_counter() - t_start
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as shards:
            summary, _results = run_ray([folder], db, shards, n_shards=workers, cpus_per_task=1.0, batch_size=batch_size)
        process_s = time.perf_counter() - t0
        peaks: dict[int, float] = {}
        for pid in pids:  # Ray's worker processes: their peak resident memory, read from the kernel
            try:
                with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                    hwm = next((ln for ln in fh if ln.startswith("VmHWM:")), "VmHWM: 0 kB")
                peaks[pid] = int(hwm.split()[1]) / 1024.0
            except OSError:
                pass
        ray.shutdown()
        articles = summary.articles
    else:
        from warlog.execute.local import run_paths

        summary = run_paths([folder], db, batch_size=batch_size, workers=workers, warm_up=True)
        startup = time.perf_counter() - t_start - summary.process_seconds - summary.cluster_seconds
        process_s, articles, peaks = summary.process_seconds, summary.articles, summary.worker_peak_mib
        if articles:
            cpu_per_article = (summary.worker_cpu_seconds + summary.parent_cpu_seconds) / articles
            parent_per_article = summary.parent_cpu_seconds / articles
    con = duckdb.connect(str(db), read_only=True)
    keys = sorted(str(r) for r in con.execute(
        "SELECT event_id, sub_event_type, location, fatalities_best FROM events").fetchall())
    n_docs = con.execute("SELECT count(*) FROM docs").fetchone()[0]  # type: ignore[index]
    con.close()
    return {
        "executor": executor, "workers": workers, "articles": articles, "docs": int(n_docs), "events": len(keys),
        "rows_digest": content_hash("\n".join(keys)), "seconds": round(process_s, 3),
        "articles_per_s": round(articles / process_s, 2) if process_s else 0.0, "startup_seconds": round(startup, 2),
        "worker_peak_mib": round(max(peaks.values()), 1) if peaks else None, "parent_peak_mib": round(_peak_mib(), 1),
        "reference_loop_s": round(_reference_loop(), 3), "load_average": (round(load0, 1), round(os.getloadavg()[0], 1)),
        "cpu_s_per_article": round(cpu_per_article, 5) if cpu_per_article else None,
        "parent_cpu_s_per_article": round(parent_per_article, 5) if parent_per_article else None,
    }


@dataclass
class WorkersReport:
    source: Path
    executor: str
    articles: int
    runs: dict[int, dict[str, Any]]  # the best run of each worker count
    all_runs: list[dict[str, Any]]

    def render(self) -> str:
        counts = sorted(self.runs)
        lines = [f"warlog bench --workers {','.join(map(str, counts))} --executor {self.executor} on {self.source} "
                 f"({self.articles} articles; wall-clock articles/s from the first batch to the last commit, start-up "
                 f"apart; best of {len(self.all_runs) // max(len(counts), 1)} interleaved runs)",
                 f"{'workers':>7} {'art/s':>7} {'seconds':>8} {'startup s':>9} {'MiB/worker':>10} {'parent MiB':>10} "
                 f"{'ref loop s':>10} {'spread art/s':>14} {'cpu ms/art':>10} {'parent':>6} {'load avg':>10}"]
        for w in counts:
            r = self.runs[w]
            rates = [x["articles_per_s"] for x in self.all_runs if x["workers"] == w]
            peak = f"{r['worker_peak_mib']:.0f}" if r["worker_peak_mib"] is not None else "-"
            cpu = f"{r['cpu_s_per_article'] * 1000:.1f}" if r.get("cpu_s_per_article") else "-"
            par = f"{r['parent_cpu_s_per_article'] * 1000:.1f}" if r.get("parent_cpu_s_per_article") else "-"
            lines.append(f"{w:7d} {r['articles_per_s']:7.1f} {r['seconds']:8.1f} {r['startup_seconds']:9.1f} "
                         f"{peak:>10} {r['parent_peak_mib']:10.0f} {r['reference_loop_s']:10.3f} "
                         f"{min(rates):6.1f}-{max(rates):<6.1f} "
                         f"{cpu:>10} {par:>6} {r['load_average'][0]:>4}-{r['load_average'][1]:<5}")
        digests = {x["rows_digest"] for x in self.all_runs}
        docs = {x["docs"] for x in self.all_runs}
        lines.append(f"same rows in every run: {'yes' if len(digests) == 1 and len(docs) == 1 else 'NO'} "
                     f"({self.runs[counts[0]]['docs']} docs, {self.runs[counts[0]]['events']} events, digest "
                     f"{self.runs[counts[0]]['rows_digest']})")
        base = self.runs[counts[0]]["articles_per_s"]
        lines.append("cpu ms/art: CPU time per article of all processes (pipeline in the workers, reading and writing "
                     "in the parent); parent: the parent's part besides the pipeline")
        lines.append("load avg: the machine's 1-minute load average at the start and end of each run (more than the "
                     "cores: other processes took CPU from the run, and wall-clock speedups shrink)")
        for w in counts[1:]:
            lines.append(f"workers={w} speedup={self.runs[w]['articles_per_s'] / max(base, 1e-9):.2f}")
        return "\n".join(lines)


def run_workers_bench(source: Path, workers: list[int], batch_size: int = 32, repeat: int = 1, executor: str = "local",
                      scale: int = 1) -> WorkersReport:
    """Time ``warlog run`` on the same corpus with each worker count, each run in a fresh process on a fresh
    database, the counts interleaved round by round (a slow spell of a shared machine then falls on all of them)."""
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        n = write_corpus_files(source, folder, scale)
        for k in range(repeat):
            for w in workers:
                db = Path(tmp) / f"w{w}-{k}.duckdb"
                cmd = [sys.executable, "-m", "warlog.bench", "--workers-run", str(folder), str(w), str(batch_size),
                       executor, str(db)]
                proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if proc.returncode != 0:
                    raise RuntimeError(f"benchmark run with {w} workers failed: {proc.stderr[-2000:]}")
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    best = {w: max((r for r in runs if r["workers"] == w), key=lambda r: r["articles_per_s"]) for w in workers}
    return WorkersReport(source, executor, n, best, runs)


if __name__ == "__main__" and sys.argv[1:2] == ["--workers-run"]:  # the entry point used by run_workers_bench
    folder_arg, w_arg, bs_arg, ex_arg, db_arg = sys.argv[2:7]
    print(json.dumps(workers_worker(Path(folder_arg), int(w_arg), int(bs_arg), ex_arg, Path(db_arg))))
elif __name__ == "__main__":  # the worker entry point used by _spawn
    src, scale, naive_flag, bs, lim, ev_out = sys.argv[1:7]
    res = worker(Path(src), int(scale), naive_flag == "1", int(bs), int(lim) or None, ev_out or None)
    print(json.dumps(res))
