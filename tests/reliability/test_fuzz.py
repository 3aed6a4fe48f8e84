"""Hostile input: every reader and the cleaner take arbitrary bytes without crashing; each bad file gets a clear
reason naming it, lands in rejects, and the run goes on."""

import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warlog.clean.junk import clean_text
from warlog.data import Article, Reject
from warlog.execute.local import run_paths
from warlog.ingest.readers import iter_inputs
from warlog.store.duckdb_store import Store

SUFFIXES = [".txt", ".html", ".jsonl", ".warc", ".warc.gz"]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NEWS = ("date 2021-03-02\nGunmen killed 4 villagers in Zurmi on Monday, residents said.\n"
        "Militants attacked a checkpoint near Konduga, killing 3 soldiers.\n")


def _all(path: Path) -> list:
    return list(iter_inputs([path]))


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_readers_never_crash_on_bytes(tmp_path_factory, data: bytes, suffix: str) -> None:
    p = tmp_path_factory.mktemp("fz") / f"input{suffix}"
    p.write_bytes(data)
    for item in _all(p):
        assert isinstance(item, Article | Reject)
        if isinstance(item, Reject):
            assert item.source_path == str(p) and item.reason and item.code.startswith("W")


@FUZZ
@given(text=st.text(max_size=2000), cut=st.integers(0, 2000))
def test_jsonl_truncated_anywhere(tmp_path_factory, text: str, cut: int) -> None:
    lines = [json.dumps({"text": NEWS + text, "url": "https://example.org/a"}), json.dumps({"text": NEWS})]
    blob = ("\n".join(lines) + "\n").encode("utf-8")
    p = tmp_path_factory.mktemp("jl") / "feed.jsonl"
    p.write_bytes(blob[: min(cut * 3, len(blob))])
    items = _all(p)
    for item in items:
        if isinstance(item, Reject):
            assert str(p) in item.source_path and ("line" in item.reason or item.reason)


@FUZZ
@given(cut=st.integers(1, 100))
def test_warc_gz_truncated(tmp_path_factory, cut: int) -> None:
    from warlog.fuzz import sample_warc

    blob = sample_warc(gz=True)
    p = tmp_path_factory.mktemp("wa") / "crawl.warc.gz"
    p.write_bytes(blob[: max(1, len(blob) * cut // 100)])
    items = _all(p)
    arts = [i for i in items if isinstance(i, Article)]
    rejs = [i for i in items if isinstance(i, Reject)]
    assert len(arts) <= 3
    for r in rejs:
        assert r.source_path.startswith(str(p))


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_cleaner_offsets_point_back_to_source(source: str) -> None:
    from warlog.clean.junk import SPACE_LIKE

    res = clean_text(source)
    for c_start, s_start, length in res.offset_map:
        # mapped slices are the source's characters (space-like ones written as a plain space, same length)
        assert res.text[c_start : c_start + length] == source[s_start : s_start + length].translate(SPACE_LIKE)


def test_invisible_rtl_and_mixed_encodings(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "rtl.txt").write_text("date 2021-03-02\n\u202bقتل 4 مدنيين\u202c " + NEWS.replace("Gunmen", "Gun\u200bmen\u2066"), encoding="utf-8")
    (d / "latin1.txt").write_bytes(("date 2021-03-02\nMilitants attacked a café near Konduga, killing 3 soldiers. "
                                    "Les habitants ont fui. Région touchée.\n").encode("cp1252"))
    (d / "mixed.txt").write_bytes(NEWS.encode("utf-8") + "Région".encode("cp1252") + b"\n")
    (d / "utf16.txt").write_bytes(NEWS.encode("utf-16"))
    (d / "broken.html").write_text("<html><body><p>" + NEWS + "<div><table><tr><td>unclosed", encoding="utf-8")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "empty.txt").write_bytes(b"")
    (d / "only-space.txt").write_text("\n\n   \n\u200b\n", encoding="utf-8")
    db = tmp_path / "f.duckdb"
    s = run_paths([d], db)
    with Store(db, read_only=True) as st_:
        rejects = {Path(r["source_path"]).name: r["reason"] for r in st_.query("SELECT source_path, reason FROM rejects")}
        docs = st_.query("SELECT clean_text FROM docs")
    assert set(rejects) == {"binary.txt", "empty.txt", "only-space.txt"}, rejects
    assert all(reason for reason in rejects.values())
    assert s.articles == 5
    assert not any("\u200b" in d["clean_text"] or "\u202b" in d["clean_text"] for d in docs)


def test_huge_file_rejected_by_size(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB (sparse): never read whole
    items = _all(p)
    assert len(items) == 1 and isinstance(items[0], Reject) and "MB" in items[0].reason or "large" in items[0].reason


def test_huge_jsonl_record_rejected_not_fatal(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "x " * 3_000_000}) + "\n")
        fh.write(json.dumps({"text": NEWS}) + "\n")
    items = _all(p)
    assert any(isinstance(i, Reject) and "line 1" in i.reason for i in items)
    assert any(isinstance(i, Article) for i in items)


def test_gzip_garbage(tmp_path: Path) -> None:
    p = tmp_path / "x.warc.gz"
    p.write_bytes(gzip.compress(b"this is not a warc file at all\r\n\r\n" * 10))
    items = _all(p)
    assert items and all(isinstance(i, Reject) for i in items)
