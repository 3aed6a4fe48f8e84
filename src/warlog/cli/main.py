"""``warlog`` command line. Every command is a thin wrapper over a library function."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

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
    executor: str = typer.Option("local", "--executor", help="local (one process) or ray (shards on a Ray cluster)."),
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

    n_files = len(list(iter_files(paths)))
    try:
        with Progress(
            TextColumn("[bold]warlog run"), BarColumn(), MofNCompleteColumn(), TextColumn("files"), TimeElapsedColumn(),
            console=err, disable=quiet or not err.is_terminal and False,
        ) as progress:
            task = progress.add_task("files", total=n_files)
            summary = run_paths(paths, db, batch_size=batch_size, on_file=lambda k: progress.advance(task, k))
    except WarlogError as exc:
        _fail(exc)
        return
    for reason in summary.reject_reasons[:50]:
        err.print(f"[yellow]rejected[/] {reason}")
    if len(summary.reject_reasons) > 50:
        err.print(f"[yellow]... and {len(summary.reject_reasons) - 50} more (see the rejects table)[/]")
    typer.echo(
        f"run {summary.run_id}: {summary.articles} articles processed, {summary.skipped} already stored, "
        f"{summary.events} events, {summary.rejects} rejected -> {db}"
    )


@app.command()
def export(
    db: Path = typer.Option(Path(DEFAULT_DB), "--db", help="DuckDB database file."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv (with evidence), acled (ACLED columns), ucdp "
                                                      "(one row per cluster), geojson or parquet."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
) -> None:
    """Write stored events with their evidence spans, claims and sources."""
    from warlog.store.duckdb_store import Store
    from warlog.store.export import export_events

    if fmt not in ("jsonl", "csv", "acled", "ucdp", "geojson", "parquet"):
        err.print(f"[bold red]error[/] unknown format {fmt!r}: use jsonl, csv, acled, ucdp, geojson or parquet")
        raise typer.Exit(2)
    if fmt in ("acled", "ucdp", "geojson", "parquet"):
        _export_standard(db, fmt, out)
        return
    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database (run `warlog run PATH --db {db}` first)")
        raise typer.Exit(2)
    try:
        with Store(db, read_only=True) as store:
            if out is None:
                n = export_events(store, sys.stdout, fmt)
            else:
                with out.open("w", encoding="utf-8", newline="") as fh:
                    n = export_events(store, fh, fmt)
    except WarlogError as exc:
        _fail(exc)
        return
    err.print(f"exported {n} events")


def _export_standard(db: Path, fmt: str, out: Path | None) -> None:
    import json

    from warlog.store import formats
    from warlog.store.duckdb_store import Store

    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database")
        raise typer.Exit(2)
    if fmt == "parquet" and out is None:
        err.print("[bold red]error[/] parquet needs --out FILE")
        raise typer.Exit(2)
    with Store(db, read_only=True) as store:
        if fmt == "parquet":
            assert out is not None
            n = formats.write_parquet(store, out)
        else:
            fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
            try:
                if fmt == "acled":
                    n = formats.write_csv(formats.acled_rows(store), formats.ACLED_COLUMNS, fh)
                elif fmt == "ucdp":
                    n = formats.write_csv(formats.ucdp_rows(store), formats.UCDP_COLUMNS, fh)
                else:
                    gj = formats.geojson(store)
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
) -> None:
    """Pairwise and B-cubed P/R/F1 of cross-article clustering on a labelled set of articles."""
    from warlog.assets import asset_path
    from warlog.evaluate.dedupe import evaluate_dedupe

    folder = folder or asset_path("eval/dedupe")
    if not (folder / "gold.json").is_file():
        err.print(f"[bold red]error[/] [W401] {folder}: no gold.json")
        raise typer.Exit(2)
    try:
        typer.echo(evaluate_dedupe(folder).render())
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
    token: str | None = typer.Option(None, envvar="WARLOG_TOKEN", help="Allow review actions with this bearer token "
                                     "(read-only without one)."),
) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web map, timeline and event pages."""
    import uvicorn

    from warlog.serve.app import create_app

    if not db.exists():
        err.print(f"[bold red]error[/] [W301] {db}: no such database (run `warlog run PATH --db {db}` first)")
        raise typer.Exit(2)
    err.print(f"warlog serving {db} on http://{host}:{port} ({'reviews allowed with token' if token else 'read-only'})")
    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
