import csv
import io
import json

from typer.testing import CliRunner

from warlog.cli.main import app

runner = CliRunner()
REQUIRED = {
    "event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2", "location",
    "country", "latitude", "longitude", "geo_precision", "fatalities_low", "fatalities_best", "fatalities_high",
    "civilian_fatalities", "sources", "evidence",
}


def test_run_and_export(tmp_path, sample_dir):
    db = tmp_path / "c.duckdb"
    r = runner.invoke(app, ["run", str(sample_dir), "--db", str(db), "-q"])
    assert r.exit_code == 0, r.output
    assert "events" in r.output and "rejected" in r.output
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"])
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert rows and set(rows[0]) >= REQUIRED
    assert {"article_id", "start", "end", "text"} <= set(rows[0]["evidence"][0])
    out = tmp_path / "e.csv"
    r = runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0
    recs = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(recs) == len(rows)


def test_export_missing_db_is_clear(tmp_path):
    r = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no such database" in " ".join(r.output.split())


def test_bad_format(tmp_path):
    r = runner.invoke(app, ["export", "--db", str(tmp_path / "x.duckdb"), "--format", "xml"])
    assert r.exit_code == 2
