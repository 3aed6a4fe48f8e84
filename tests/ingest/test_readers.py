import gzip
import io
import json

from warlog.data import Article, Reject
from warlog.ingest import IngestLimits, iter_inputs


def _items(path, **kw):
    return list(iter_inputs([path], IngestLimits(**kw) if kw else None))


def test_text_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("date 2020-01-01\nGunmen killed three villagers in Tafas on Monday.\n", encoding="utf-8")
    (item,) = _items(f)
    assert isinstance(item, Article) and not item.is_html


def test_folder_walk_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b.txt").write_text("second article text here", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first article text here", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    items = _items(tmp_path)
    assert [i.source_path.rsplit("/", 1)[1] for i in items] == ["a.txt", "b.txt"]


def test_binary_empty_and_huge_are_rejected_with_reason(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x89PNG" * 100)
    (tmp_path / "empty.txt").write_bytes(b"   \n\n")
    (tmp_path / "huge.txt").write_text("x" * 5000, encoding="utf-8")
    items = _items(tmp_path, max_file_bytes=1000)
    reasons = {i.source_path.rsplit("/", 1)[1]: i.reason for i in items if isinstance(i, Reject)}
    assert "binary" in reasons["bin.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "too large" in reasons["huge.txt"]


def test_non_utf8_is_decoded(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("Les combats à Alep ont tué dix civils, selon l'Observatoire.".encode("cp1252"))
    (item,) = _items(f)
    assert isinstance(item, Article) and "à Alep" in item.raw_text


def test_utf16_bom(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("Shelling hit Idlib on Friday.".encode("utf-16"))
    (item,) = _items(f)
    assert isinstance(item, Article) and item.raw_text.startswith("Shelling")


def test_jsonl_good_bad_and_truncated(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "Clashes in Marib killed 4.", "url": "u1", "published": "2021-03-01"}),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"title": "no body"}),
        json.dumps({"html": "<html><body><p>" + "Airstrikes hit Saraqib. " * 20 + "</p></body></html>"}),
    ]
    f.write_text("\n".join(lines) + "\n" + '{"text": "cut', encoding="utf-8")
    items = _items(f)
    arts = [i for i in items if isinstance(i, Article)]
    rej = {i.record_index: i.reason for i in items if isinstance(i, Reject)}
    assert len(arts) == 2 and arts[0].published.isoformat() == "2021-03-01" and arts[1].is_html
    assert "malformed JSON" in rej[2] and "expected an object" in rej[3] and "no non-empty" in rej[4]
    assert "truncated" in rej[6]
    assert all(i.source_path == str(f) for i in items)


def _warc_bytes(n: int = 2) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for k in range(n):
        html = f"<html><head><title>t{k}</title></head><body><article><p>{'Shelling killed civilians in Ariha. ' * 10}</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = w.create_warc_record(f"https://example.org/{k}", "response", payload=io.BytesIO(html.encode()), http_headers=headers)
        w.write_record(rec)
    return buf.getvalue()


def test_warc_records(tmp_path):
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(_warc_bytes(2))
    items = _items(f)
    assert [type(i) for i in items] == [Article, Article]
    assert items[0].url == "https://example.org/0" and items[0].is_html


def test_truncated_warc_keeps_earlier_records_and_names_the_file(tmp_path):
    data = _warc_bytes(3)
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: int(len(data) * 0.8)])
    items = _items(f)
    arts = [i for i in items if isinstance(i, Article)]
    rej = [i for i in items if isinstance(i, Reject)]
    assert len(arts) >= 1 and len(rej) == 1 and rej[0].source_path == str(f)


def test_garbage_warc(tmp_path):
    f = tmp_path / "junk.warc.gz"
    f.write_bytes(gzip.compress(b"this is not a warc file at all\r\n\r\n"))
    items = _items(f)
    assert len(items) == 1 and isinstance(items[0], Reject) and "WARC" in items[0].reason


def test_missing_path_is_rejected(tmp_path):
    items = _items(tmp_path / "nope.txt")
    assert isinstance(items[0], Reject) and "no such file" in items[0].reason
