"""``warlog`` command line. Every command is a thin wrapper over a library function."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Column, Table

from warlog.errors import WarlogError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Evidence-backed political-violence events from messy news.")
err = Console(stderr=True)
DEFAULT_DB = "warlog.duckdb"


def _fail(exc: WarlogError) -> None:
    err.print(f"[bold red]error[/] {exc}")
    raise typer.Exit(2)


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.txt, .html, .jsonl, .warc[.gz])."),
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB database file (created if missing)."),
    batch_size: int = typer.Option(32, min=1, max=4096, help="Articles per batch (bounds memory; one transaction each)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    executor: str = typer.Option("local", "--executor", help="local (worker processes on this machine) or ray (shards "
                                 "on a Ray cluster)."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Local: worker processes running the "
                                       "pipeline (default: the cores available to this process; 1: in this process)."),
    shards: int = typer.Option(4, "--shards", min=1, help="Ray: number of shards."),
    work_dir: Path = typer.Option(Path("warlog-shards"), "--work-dir", help="Ray: per-shard Parquet and completion markers."),
    cpus_per_task: float = typer.Option(0.5, "--cpus-per-task", min=0.05, help="Ray: CPUs per shard task."),
) -> None:
    """Process articles and store events, claims and rejects. Re-running on the same input adds nothing."""
    from warlog.execute.local import run_paths
    from warlog.ingest.readers import iter_files

    if executor == "ray":
        from warlog.execute.ray_executor import run_ray

        try:
            s, results = run_ray(paths, db, work_dir, n_shards=shards, cpus_per_task=cpus_per_task, batch_size=batch_size)
        except WarlogError as exc:
            _fail(exc)
            return
        skipped = sum(1 for r in results if r.skipped)
        typer.echo(
            f"run {s.run_id} (ray, {len(results)} shards, {skipped} already finished): {s.articles} articles processed, "
            f"{s.events} events, {s.rejects} rejected -> {db}"
        )
        return
    if executor != "local":
        err.print(f"[bold red]error[/] unknown executor {executor!r}: use local or ray")
        raise typer.Exit(2)

    import os
    import time

    from warlog.execute.workers import THREAD_ENV, available_cores

    for k, v in THREAD_ENV.items():  # one thread per process for numpy's BLAS and OpenMP, unless told otherwise
        os.environ.setdefault(k, v)
    n_workers = workers or available_cores()
    total = sum(f.stat().st_size for f in iter_files(paths) if f.is_file())
    try:
        with Progress(
            TextColumn("[bold]warlog run"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
            TextColumn("{task.fields[articles]:,} articles ({task.fields[rate]:.1f}/s)"), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(), console=err, disable=quiet,
        ) as progress:
            task = progress.add_task("input", total=total or None, articles=0, rate=0.0)
            first: list[float] = []  # (time, articles) of the first commit: the rate leaves start-up out

            def on_progress(n_articles: int, n_bytes: int) -> None:
                now = time.monotonic()
                if not first:
                    first.extend((now, n_articles))
                rate = (n_articles - first[1]) / (now - first[0]) if now > first[0] else 0.0
                progress.update(task, completed=n_bytes, articles=n_articles, rate=rate)

            summary = run_paths(paths, db, batch_size=batch_size, workers=n_workers, on_progress=on_progress)
    except WarlogError as exc:
        _fail(exc)
        return
    for reason in summary.reject_reasons[:50]:
        err.print(f"[yellow]rejected[/] {reason}")
    if len(summary.reject_reasons) > 50:
        err.print(f"[yellow]... and {len(summary.reject_reasons) - 50} more (see the rejects table)[/]")
    aside = sum(int(str(st.get("n_unreportable", 0))) for st in summary.stats if st.get("stage") == "reportable")
    typer.echo(
        f"run {summary.run_id} ({summary.workers} worker{'s' if summary.workers > 1 else ''}): {summary.articles} "
        f"articles processed, {summary.skipped} already stored, {summary.events} events"
        + (f" ({aside} judged not events of their article, kept: `warlog unreportable`)" if aside else "")
        + f", {summary.rejects} rejected -> {db}"
    )


@app.command()
def export(
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB database file."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv (with evidence), acled (ACLED columns), ucdp "
                                                      "(one row per cluster), geojson or parquet."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
    include_unreportable: bool = typer.Option(
        False, "--include-unreportable",
        help="Also the events judged not events of their article (reportable=false; history, tolls, statements)."),
) -> None:
    """Write stored events with their evidence spans, claims and sources."""
    from warlog.store.duckdb_store import Store
    from warlog.store.export import export_events

    if fmt not in ("jsonl", "csv", "acled", "ucdp", "geojson", "parquet"):
        err.print(f"[bold red]error[/] unknown format {fmt!r}: use jsonl, csv, acled, ucdp, geojson or parquet")
        raise typer.Exit(2)
    if fmt in ("acled", "ucdp", "geojson", "parquet"):
        _export_standard(db, fmt, out, include_unreportable)
        return
    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database (run `warlog run PATH --db {db}` first)")
        raise typer.Exit(2)
    try:
        with Store(db, read_only=True) as store:
            if out is None:
                n = export_events(store, sys.stdout, fmt, include_unreportable)
            else:
                with out.open("w", encoding="utf-8", newline="") as fh:
                    n = export_events(store, fh, fmt, include_unreportable)
    except WarlogError as exc:
        _fail(exc)
        return
    err.print(f"exported {n} events")


def _export_standard(db: Path, fmt: str, out: Path | None, include_unreportable: bool = False) -> None:
    import json

    from warlog.store import formats
    from warlog.store.duckdb_store import Store
    from warlog.store.query import EventFilter

    ef = EventFilter(include_unreportable=include_unreportable)

    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database")
        raise typer.Exit(2)
    if fmt == "parquet" and out is None:
        err.print("[bold red]error[/] parquet needs --out FILE")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        if fmt == "parquet":
            assert out is not None
            n = formats.write_parquet(store, out, ef)
        else:
            fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
            try:
                if fmt == "acled":
                    n = formats.write_csv(formats.acled_rows(store, ef), formats.ACLED_COLUMNS, fh)
                elif fmt == "ucdp":
                    n = formats.write_csv(formats.ucdp_rows(store), formats.UCDP_COLUMNS, fh)
                else:
                    gj = formats.geojson(store, ef)
                    json.dump(gj, fh, ensure_ascii=False)
                    n = len(gj["features"])
            finally:
                if out:
                    fh.close()
    err.print(f"exported {n} rows ({fmt})")


@app.command()
def rejects(db: Path = typer.Option(Path(DEFAULT_DB), "--db")) -> None:
    """List rejected inputs with the reason."""
    from warlog.store.duckdb_store import Store

    with Store(db, read_only=True) as store:
        rows = store.query("SELECT source_path, record_index, stage, code, reason FROM rejects ORDER BY source_path, record_index")
    t = Table("file", "record", "stage", "code", "reason")
    for r in rows:
        t.add_row(r["source_path"], str(r["record_index"]), r["stage"], r["code"], r["reason"])
    Console().print(t)


@app.command()
def unreportable(
    db: Path = typer.Option(Path(DEFAULT_DB), "--db"),
    limit: int = typer.Option(200, "--limit", help="At most this many, lowest probability first."),
) -> None:
    """List the events judged not events of their article (history, tolls, statements, abroad): kept in the
    database, left out of exports, clusters and the map; `warlog review confirm EVENT` brings one back."""
    import json

    from warlog.store.duckdb_store import Store

    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT e.event_id, e.reportability, e.event_date, e.sub_event_type, e.location, e.evidence, "
            "e.event_id IN (SELECT event_id FROM reviews WHERE action = 'confirm') AS confirmed FROM events e "
            "WHERE e.reportable = false ORDER BY e.reportability, e.event_id LIMIT ?", [limit])
    t = Table(Column("event", no_wrap=True, min_width=16), Column("p", no_wrap=True), Column("date", no_wrap=True),
              "sub-event", "place", "confirmed", "first sentence")
    for r in rows:
        sent = next((x["text"] for x in json.loads(r["evidence"] or "[]") if x.get("role") == "sentence"), "")
        t.add_row(r["event_id"], f"{r['reportability']:.2f}" if r["reportability"] is not None else "",
                  str(r["event_date"] or ""), r["sub_event_type"] or "", r["location"] or "",
                  "yes" if r["confirmed"] else "", sent[:120])
    Console().print(t)
    err.print(f"{len(rows)} event(s) judged unreportable (`warlog export --include-unreportable` writes them too)")


@app.command()
def learn(db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB database whose reviews to learn from.")) -> None:
    """Update the sub-event model from the reviewed events (confirmed, corrected) of a database; writes
    <db>.event_model.npz (never the shipped model), which later runs on that database use."""
    from warlog.learn import learn as learn_reviews

    try:
        typer.echo(learn_reviews(db).render())
    except WarlogError as exc:
        _fail(exc)


@app.command()
def demo(
    db: Path = typer.Option(Path("warlog-demo.duckdb"), "--db", help="Database for the demo."),
) -> None:
    """Run the bundled sample corpus into a DuckDB file and print the events found."""
    from warlog.assets import sample_corpus_dir
    from warlog.execute.local import run_paths
    from warlog.store.duckdb_store import Store
    from warlog.store.export import iter_events

    summary = run_paths([sample_corpus_dir()], db)
    t = Table("date", "p", "type / sub-type", "actor1", "actor2", "location", "country", "killed (low/best/high)", "civ")
    with Store(db, read_only=True) as store:
        for ev in iter_events(store):
            t.add_row(
                ev["event_date"] or "?", str(ev["date_precision"]), f"{ev['event_type']} / {ev['sub_event_type']}",
                ev["actor1"] or "", ev["actor2"] or "", ev["location"] or "", ev["country"] or "",
                f"{ev['fatalities_low']}/{ev['fatalities_best']}/{ev['fatalities_high']}", str(ev["civilian_fatalities"] or ""),
            )
    Console().print(t)
    typer.echo(
        f"demo: {summary.articles} articles processed ({summary.skipped} already stored), {summary.events} new events, "
        f"{summary.rejects} rejected -> {db}. Export with: warlog export --db {db} --format jsonl"
    )


@app.command()
def bench(
    corpus: Path | None = typer.Argument(None, help="CSV with a 'text' column, or files/folders warlog reads "
                                         "(default: ../shared/eval/unlabeled_syria_news, else the bundled sample)."),
    scales: str = typer.Option("1,10", help="Corpus replications to time, comma-separated (memory should stay flat)."),
    naive_limit: int = typer.Option(60, help="Articles for the naive-pass comparison (0: skip it)."),
    batch_size: int = typer.Option(32, min=1, help="Articles per batch."),
    repeat: int = typer.Option(3, min=1, help="Runs of the first scale and of the naive comparison; the best counts."),
    workers: str | None = typer.Option(None, "--workers", help="Instead: time `warlog run` on the corpus with these "
                                       "worker counts, e.g. 1,2 (prints workers=N speedup=X)."),
    executor: str = typer.Option("local", "--executor", help="With --workers: local (worker processes) or ray (CPUs "
                                 "of a local Ray cluster, one shard per CPU)."),
) -> None:
    """Throughput (articles/s and words/s per core), peak memory at 1x and 10x, and the fast path against a naive
    full-spaCy pass (speed ratio and recall)."""
    from warlog.assets import sample_corpus_dir
    from warlog.bench import DEFAULT_SHARED, run_bench

    source = corpus or (DEFAULT_SHARED if DEFAULT_SHARED.is_file() else sample_corpus_dir())
    if not source.exists():
        err.print(f"[bold red]error[/] {source}: no such corpus")
        raise typer.Exit(2)
    try:
        sc = [int(x) for x in scales.split(",") if x.strip()]
    except ValueError:
        err.print(f"[bold red]error[/] --scales {scales!r}: give integers such as 1,10")
        raise typer.Exit(2) from None
    if workers is not None:
        from warlog.bench import run_workers_bench

        try:
            counts = [int(x) for x in workers.split(",") if x.strip()]
        except ValueError:
            err.print(f"[bold red]error[/] --workers {workers!r}: give integers such as 1,2")
            raise typer.Exit(2) from None
        if not counts or min(counts) < 1 or executor not in ("local", "ray"):
            err.print("[bold red]error[/] --workers needs counts of 1 or more and --executor local or ray")
            raise typer.Exit(2)
        typer.echo(run_workers_bench(source, counts, batch_size=batch_size, repeat=repeat, executor=executor,
                                     scale=sc[0] if sc else 1).render())
        return
    typer.echo(run_bench(source, sc, naive_limit=naive_limit, batch_size=batch_size, repeat=repeat).render())


@app.command()
def fuzz(
    seconds: float = typer.Option(60.0, min=1, help="How long to fuzz."),
    seed: int = typer.Option(0, help="Random seed (the same seed replays the same inputs)."),
) -> None:
    """Mutation-fuzz every reader and the cleaner for a while; prints inputs tried, rejects and crashes (0 expected)."""
    from warlog.fuzz import run_fuzz

    rep = run_fuzz(seconds, seed)
    typer.echo(rep.render())
    if rep.crashes:
        raise typer.Exit(1)


eval_app = typer.Typer(no_args_is_help=True, help="Score warlog against gold data; the last line of each report is the headline figure.")
app.add_typer(eval_app, name="eval")


def _check_file(path: Path) -> None:
    if not path.is_file():
        err.print(f"[bold red]error[/] [W401] {path}: no such file")
        raise typer.Exit(2)


@eval_app.command("event-types")
def eval_event_types(path: Path = typer.Argument(..., help="CASE 2021 Task 2 TSV (id, EventSnippet, SubType).")) -> None:
    """Per-class P/R/F1 of ACLED sub-event typing (subtask 1) and the weighted F1."""
    from warlog.evaluate.event_types import evaluate_event_types

    _check_file(path)
    try:
        typer.echo(evaluate_event_types(path).render())
    except WarlogError as exc:
        _fail(exc)


@eval_app.command("fatalities")
def eval_fatalities(
    path: Path = typer.Argument(..., help="ACLED-style CSV with 'notes' and 'fatalities' columns."),
    show: int = typer.Option(10, help="How many disagreements to print."),
) -> None:
    """Exact match and mean absolute error of ACLED-coded fatalities read from notes."""
    from warlog.evaluate.acled import evaluate_fatalities

    _check_file(path)
    try:
        typer.echo(evaluate_fatalities(path).render(show))
    except WarlogError as exc:
        _fail(exc)


@eval_app.command("acled")
def eval_acled(
    path: Path = typer.Argument(..., help="ACLED export CSV with a 'notes' column."),
    limit: int | None = typer.Option(None, help="Score only the first N rows."),
) -> None:
    """Score full records (event type, sub-type, actor1, fatalities, location) against an ACLED export."""
    from warlog.evaluate.acled import evaluate_acled

    _check_file(path)
    try:
        typer.echo(evaluate_acled(path, limit=limit).render())
    except WarlogError as exc:
        _fail(exc)


@eval_app.command("geocode")
def eval_geocode(
    paths: list[Path] = typer.Argument(None, help="Gold XML files (TR-News, GeoWebNews, LGL, GeoVirus) or folders of them."),
    acled: Path | None = typer.Option(None, "--acled", help="Also score an ACLED export: distance to ACLED coordinates."),
) -> None:
    """Toponym resolution against geoparsing gold (acc@161km, acc@25km, exact GeoNames match) and ACLED rows."""
    from warlog.evaluate.geocode import evaluate_geocode, render

    files: list[Path] = []
    for p in paths or []:
        files.extend(sorted(p.glob("*.xml")) if p.is_dir() else [p])
    if not files and acled is None:
        err.print("[bold red]error[/] give gold XML files or folders, and/or --acled FILE.csv")
        raise typer.Exit(2)
    try:
        if files:
            for f in files:
                _check_file(f)
            typer.echo(render([evaluate_geocode(f) for f in files]))
        if acled is not None:
            from warlog.evaluate.acled import evaluate_acled

            _check_file(acled)
            res = evaluate_acled(acled)
            lines = [x for x in res.render().splitlines() if "geocoded" in x or "location" in x]
            typer.echo("\n".join([f"ACLED rows of {acled}:", *lines]))
    except WarlogError as exc:
        _fail(exc)


@eval_app.command("dedupe")
def eval_dedupe(
    folder: Path | None = typer.Argument(None, help="Folder of articles with gold.json (default: the bundled labelled set)."),
    fakes: Path | None = typer.Option(None, "--fakes", help="Also score FA-KES (fakes_dev JSONL.gz) cross-outlet pairs."),
    gold_dates: bool = typer.Option(False, "--gold-dates", help="FA-KES: supply the gold incident date as publication date."),
    audit: Path | None = typer.Option(None, "--audit", help="FA-KES: pair labels checked by hand (gold/fakes_pairs_audit.json)."),
    gold_pairs: Path | None = typer.Option(None, "--gold-pairs", help="Labelled incident pairs of the article gold (gold/dedupe_pairs.json)."),
) -> None:
    """Pairwise and B-cubed P/R/F1 of cross-article clustering, largest cluster against largest gold group."""
    from warlog.assets import asset_path
    from warlog.evaluate.dedupe import evaluate_dedupe, evaluate_fakes

    folder = folder or asset_path("eval/dedupe")
    if not (folder / "gold.json").is_file():
        err.print(f"[bold red]error[/] [W401] {folder}: no gold.json")
        raise typer.Exit(2)
    try:
        typer.echo(evaluate_dedupe(folder).render())
        if fakes is not None:
            _check_file(fakes)
            if audit is not None:
                _check_file(audit)
            for res in evaluate_fakes(fakes, gold_dates=gold_dates, audit=audit):
                typer.echo(res.render())
        if gold_pairs is not None:
            from warlog.evaluate.dedupe import evaluate_gold_pairs

            _check_file(gold_pairs)
            typer.echo(evaluate_gold_pairs(gold_pairs).render())
    except WarlogError as exc:
        _fail(exc)


@eval_app.command("articles")
def eval_articles(
    gold: list[Path] = typer.Argument(None, help="Gold files or folders (default: gold/*.jsonl but the second pass)."),
    split: str = typer.Option("all", "--split", help="dev, test or all (the fixed split of gold/selection.json)."),
    against: list[Path] = typer.Option(None, "--against", help="Score GOLD against this gold (annotator agreement)."),
    fakes: bool = typer.Option(False, "--fakes", help="Main event of each FA-KES article: date, governorate, pub dates."),
    fakes_file: Path | None = typer.Option(None, "--fakes-file", help="FA-KES jsonl.gz (default: ../shared/eval/fakes_dev)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    per_article: bool = typer.Option(False, "--per-article", help="One line per article with its errors."),
    include_unreportable: bool = typer.Option(
        False, "--include-unreportable", help="Score the events judged unreportable too (as before that stage)."),
) -> None:
    """Event-level P/R/F1 on full-length articles, field accuracy of matched events and error classes."""
    import json

    from warlog.evaluate import articles as arts

    if split not in ("dev", "test", "all"):
        err.print(f"[bold red]error[/] --split {split!r}: use dev, test or all")
        raise typer.Exit(2)
    out: dict[str, object] = {}
    text: list[str] = []
    try:
        if against:
            if not gold:
                err.print("[bold red]error[/] --against compares GOLD with another gold file: give GOLD too")
                raise typer.Exit(2)
            ag = arts.agreement(against, gold)
            out["agreement"] = ag.as_dict()
            text.append(ag.render())
        else:
            if fakes or fakes_file:
                fe = arts.evaluate_fakes(fakes_file)
                out["fakes"] = fe.as_dict()
                text.append(fe.render())
            if gold or not (fakes or fakes_file):
                files = list(gold) if gold else arts.default_gold_files()
                if not files:
                    err.print(f"[bold red]error[/] [W401] no gold files in {arts.default_gold_dir()}")
                    raise typer.Exit(2)
                res = arts.evaluate_articles(files, split=split, include_unreportable=include_unreportable)
                out["articles"] = res.as_dict()
                text.append(res.render(per_article=per_article))
    except WarlogError as exc:
        _fail(exc)
        return
    if as_json:
        typer.echo(json.dumps(out, indent=1, default=str))
    else:
        typer.echo("\n\n".join(text))


@eval_app.command("metamorphic")
def eval_metamorphic(
    paths: list[Path] = typer.Argument(None, help="Corpora: folders/files warlog reads, or a CSV with a 'text' column "
                                       "(default: the bundled sample, ../shared/seeds and the Guardian sample)."),
    limit: int = typer.Option(60, help="Articles read from a CSV corpus (the first N after --offset)."),
    offset: int = typer.Option(0, min=0, help="Articles of a CSV corpus skipped first (a held-out slice)."),
    transforms: str = typer.Option("lower,upper,mojibake,punct", help="Comma-separated transformations."),
    show: int = typer.Option(3, help="Lost events printed per corpus and transformation."),
) -> None:
    """Share of events that stay identical when articles are lower-cased, upper-cased, given mojibake or
    stripped of punctuation."""
    from warlog.bench import DEFAULT_SHARED
    from warlog.evaluate.metamorphic import evaluate_metamorphic

    if not paths:
        from warlog.assets import sample_corpus_dir

        paths = [sample_corpus_dir()] + [p for p in (DEFAULT_SHARED.parents[2] / "seeds", DEFAULT_SHARED) if p.exists()]
    try:
        typer.echo(evaluate_metamorphic(list(paths), limit=limit, transforms=[t for t in transforms.split(",") if t],
                                        offset=offset).render(show))
    except WarlogError as exc:
        _fail(exc)


review_app = typer.Typer(no_args_is_help=True, help="The analyst review loop: confirm, correct, reject, merge, split.")
app.add_typer(review_app, name="review")


def _review(db: Path, **kw: object) -> None:
    from warlog.dedupe.cluster import recluster
    from warlog.store.duckdb_store import Store
    from warlog.store.review import Review, add_review

    try:
        with Store(db) as store:
            r = add_review(store, Review(review_id="", **kw))  # type: ignore[arg-type]
            recluster(store)
    except WarlogError as exc:
        _fail(exc)
        return
    typer.echo(f"review {r.review_id}: {r.action} {r.event_id}" + (f" {r.field}={r.value}" if r.field else "")
               + (f" with {r.other_event_id}" if r.other_event_id else "") + f" by {r.author}")


AUTHOR = typer.Option(..., "--author", help="Who made the decision (stored with the time).")
DB_OPT = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB database file.")


@review_app.command("confirm")
def review_confirm(event_id: str, author: str = AUTHOR, note: str | None = typer.Option(None), db: Path = DB_OPT) -> None:
    """Mark an event as checked and right."""
    _review(db, event_id=event_id, action="confirm", author=author, note=note)


@review_app.command("reject")
def review_reject(event_id: str, author: str = AUTHOR, note: str | None = typer.Option(None), db: Path = DB_OPT) -> None:
    """Mark an event as wrong: it leaves exports, clusters and the map (its rows stay, with the review)."""
    _review(db, event_id=event_id, action="reject", author=author, note=note)


@review_app.command("correct")
def review_correct(
    event_id: str,
    field: str = typer.Argument(..., help="event_type, sub_event_type, actor1, actor2, location, latitude, longitude, "
                                "geo_precision, fatalities_low/best/high, civilian_fatalities, event_date, admin1, country"),
    value: str = typer.Argument(..., help="The right value."),
    author: str = AUTHOR, note: str | None = typer.Option(None), db: Path = DB_OPT,
) -> None:
    """Correct one field. Actor and location corrections also teach the next runs (learned aliases)."""
    _review(db, event_id=event_id, action="correct", field=field, value=value, author=author, note=note)


@review_app.command("merge")
def review_merge(event_id: str, other_event_id: str, author: str = AUTHOR, note: str | None = typer.Option(None),
                 db: Path = DB_OPT) -> None:
    """Two events are one: always cluster them together."""
    _review(db, event_id=event_id, other_event_id=other_event_id, action="merge", author=author, note=note)


@review_app.command("split")
def review_split(event_id: str, other_event_id: str, author: str = AUTHOR, note: str | None = typer.Option(None),
                 db: Path = DB_OPT) -> None:
    """Two events are distinct: never cluster them together."""
    _review(db, event_id=event_id, other_event_id=other_event_id, action="split", author=author, note=note)


users_app = typer.Typer(no_args_is_help=True, help="Reviewers: per-user tokens for reviewing in the browser.")
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(name: str, db: Path = DB_OPT) -> None:
    """Create a reviewer (or give one a new token) and print the token once: only its hash is stored."""
    from warlog.store.duckdb_store import Store
    from warlog.store.review import add_user

    try:
        with Store(db) as store:
            tok = add_user(store, name)
    except WarlogError as exc:
        _fail(exc)
        return
    err.print(f"reviewer {name!r} added; the token is shown once (serve with --reviews to accept it):")
    typer.echo(tok)


@users_app.command("list")
def users_list(db: Path = DB_OPT) -> None:
    """The reviewers (names and dates; tokens are never shown again)."""
    from warlog.store.duckdb_store import Store
    from warlog.store.review import list_users

    with Store(db, read_only=True) as store:
        for u in list_users(store):
            typer.echo(f"{u['name']}\t{u['created_at']:%Y-%m-%d %H:%M}\t{'disabled' if u['disabled'] else 'active'}")


@users_app.command("remove")
def users_remove(name: str, db: Path = DB_OPT) -> None:
    """Disable a reviewer's token (their reviews stay, under their name)."""
    from warlog.store.duckdb_store import Store
    from warlog.store.review import remove_user

    with Store(db) as store:
        if not remove_user(store, name):
            err.print(f"[bold red]error[/] no reviewer {name!r}")
            raise typer.Exit(2)
    typer.echo(f"reviewer {name!r} disabled")


reviews_app = typer.Typer(no_args_is_help=True, help="The reviews' audit log.")
app.add_typer(reviews_app, name="reviews")


@reviews_app.command("export")
def reviews_export(
    db: Path = DB_OPT,
    fmt: str = typer.Option("csv", "--format", help="csv or jsonl"),
    out: Path | None = typer.Option(None, "--out", help="File to write (default: standard output)."),
) -> None:
    """Every review ever made (author, time, action, field, value, note; undone ones with the undo's id)."""
    import csv
    import json as _json

    from warlog.store.duckdb_store import Store
    from warlog.store.review import AUDIT_COLUMNS, audit_log

    if fmt not in ("csv", "jsonl"):
        err.print(f"[bold red]error[/] --format {fmt!r}: csv or jsonl")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        rows = audit_log(store)
    fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if fmt == "csv":
            w = csv.DictWriter(fh, fieldnames=AUDIT_COLUMNS)
            w.writeheader()
            w.writerows(rows)
        else:
            for r in rows:
                fh.write(_json.dumps(r, ensure_ascii=False) + "\n")
    finally:
        if out:
            fh.close()
    if out:
        err.print(f"{len(rows)} reviews written to {out}")


@app.command()
def geocode(
    name: str = typer.Argument(..., help="A place name, in any common transliteration or in Arabic script."),
    country: str | None = typer.Option(None, "--country", help="Focus country (ISO-2), as the article's would be."),
    context: str = typer.Option("", "--context", help="Text around the name: it votes the country, names parents, anchors."),
    limit: int = typer.Option(10, "--limit", min=1),
) -> None:
    """Ranked gazetteer candidates for a place name, with scores, match tier and what each feature contributed."""
    from warlog.resolve.lookup import lookup, render

    try:
        typer.echo(render(lookup(name, country, context), limit))
    except WarlogError as exc:
        _fail(exc)


@app.command()
def clusters(db: Path = DB_OPT, limit: int = typer.Option(50, min=1)) -> None:
    """List event clusters (one row per real-world event, with its source count)."""
    from warlog.store.duckdb_store import Store

    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT cluster_id, date_start, date_end, sub_event_type, location, country, fatalities_low, "
            "fatalities_best, fatalities_high, n_events, source_count FROM clusters "
            "ORDER BY date_start NULLS LAST, cluster_id LIMIT ?", [limit])
    t = Table("cluster", "dates", "sub-type", "location", "killed low/best/high", "events", "sources")
    for r in rows:
        t.add_row(r["cluster_id"][:10], f"{r['date_start']}..{r['date_end']}", r["sub_event_type"] or "",
                  f"{r['location']} ({r['country']})", f"{r['fatalities_low']}/{r['fatalities_best']}/{r['fatalities_high']}",
                  str(r["n_events"]), str(r["source_count"]))
    Console().print(t)


@app.command()
def serve(
    db: Path = DB_OPT,
    port: int = typer.Option(8765, min=1, max=65535),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (127.0.0.1: this machine only)."),
    token: str | None = typer.Option(None, envvar="WARLOG_TOKEN", help="Allow review actions with this shared token "
                                     "(read-only without one or --reviews)."),
    reviews: bool = typer.Option(False, "--reviews", help="Allow review actions with reviewers' tokens "
                                 "(`warlog users add NAME`)."),
) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web map, timeline and event pages."""
    import uvicorn

    from warlog.serve.app import create_app

    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database (run `warlog run PATH --db {db}` first)")
        raise typer.Exit(2)
    import threading

    from warlog.serve.places import populated_places

    # the gazetteer (map labels, place search) loads in the background instead of on the first request
    threading.Thread(target=populated_places, args=((0.0, 0.0, 0.0, 0.0), 1), daemon=True).start()
    mode = "reviews with reviewers' tokens" if reviews else "reviews with the shared token" if token else "read-only"
    err.print(f"warlog serving {db} on http://{host}:{port} ({mode}); review queue at /review")
    uvicorn.run(create_app(db, token=token, reviews=reviews), host=host, port=port, log_level="warning")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
