"""``warlog fuzz``: a long, time-boxed mutation fuzz of every reader and the cleaner (the unit tests run a short
hypothesis pass; this is the long run, like the benchmark a command that prints figures).

Seeds are well-formed inputs of every kind (text, HTML, JSONL, WARC, WARC.gz); each round mutates one
(bit flips, byte insertions and deletions, truncation, splicing two seeds, re-encoding as UTF-16/cp1252/latin-1,
invisible and right-to-left characters, NUL bytes) and reads it. A crash is any exception escaping a reader or the
cleaner; a well-handled input yields articles and/or rejects that name the file and a reason.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from warlog.clean.junk import clean_text
from warlog.data import Article, Reject
from warlog.ingest.readers import iter_inputs

NEWS = ("date 2021-03-02\nGunmen killed 4 villagers in Zurmi on Monday, residents said.\n\n\nSubscribe now!\n"
        "Militants attacked a checkpoint near Konduga, killing 3 soldiers. Région touchée — “quoted”.\n")
ODD = ["\u200b", "\u200e", "\u202b", "\u2066", "\ufeff", "\x00", "\u00a0", "مدنيين", "\r\n", "\t", "\ud7ff", "😀"]


def sample_warc(gz: bool) -> bytes:
    """Three well-formed WARC response records (gzipped per record when ``gz``): a seed for fuzzing and tests."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for i in range(3):
        html = f"<html><body><article><p>{NEWS} {i}</p></article></body></html>".encode()
        hdr = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://example.org/{i}", "response", payload=io.BytesIO(html), http_headers=hdr))
    return buf.getvalue()


def seeds() -> list[tuple[str, bytes]]:
    html = f"<html><head><meta property='article:published_time' content='2021-03-02'></head><body><p>{NEWS}</p></body></html>"
    jsonl = "\n".join([json.dumps({"text": NEWS, "url": "https://example.org/a"}), '{"html": "<p>x</p>"}'])
    return [(".txt", NEWS.encode()), (".html", html.encode()), (".jsonl", jsonl.encode()), (".warc", sample_warc(False)),
            (".warc.gz", sample_warc(True))]


def mutate(data: bytes, rnd: random.Random, pool: list[bytes]) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(8)
        if op == 0 and b:
            i = rnd.randrange(len(b))
            b[i] ^= 1 << rnd.randrange(8)
        elif op == 1:
            b[rnd.randint(0, len(b)) : rnd.randint(0, len(b))] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
        elif op == 2 and b:
            i = rnd.randrange(len(b))
            del b[i : i + rnd.randint(1, 64)]
        elif op == 3:
            b = b[: rnd.randint(0, len(b))]
        elif op == 4:
            other = rnd.choice(pool)
            b = b[: rnd.randint(0, len(b))] + bytearray(other[rnd.randint(0, len(other)) :])
        elif op == 5:
            enc = rnd.choice(["utf-16", "cp1252", "latin-1", "utf-8-sig"])
            b = bytearray(b.decode("utf-8", "replace").encode(enc, "replace"))
        elif op == 6:
            s = b.decode("utf-8", "replace")
            i = rnd.randint(0, len(s))
            b = bytearray((s[:i] + rnd.choice(ODD) * rnd.randint(1, 50) + s[i:]).encode("utf-8", "surrogatepass"))
        elif op == 7 and rnd.random() < 0.2:
            b = bytearray(gzip.compress(bytes(b)))
    return bytes(b)


@dataclass
class FuzzReport:
    seconds: float
    inputs: int = 0
    articles: int = 0
    rejects: int = 0
    crashes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    crash_examples: list[str] = field(default_factory=list)

    def render(self) -> str:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        lines = [f"warlog fuzz: {self.inputs} inputs in {self.seconds:.0f} s ({kinds})",
                 f"articles read: {self.articles}, rejected with a reason: {self.rejects}"]
        lines += [f"  crash: {c}" for c in self.crash_examples[:5]]
        lines.append(f"crashes={self.crashes}")
        return "\n".join(lines)


def run_fuzz(seconds: float = 60.0, seed: int = 0) -> FuzzReport:
    rnd = random.Random(seed)
    base = seeds()
    pool = [d for _s, d in base]
    rep = FuzzReport(seconds)
    t_end = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < t_end:
            suffix, data = rnd.choice(base)
            blob = mutate(data, rnd, pool)
            p = Path(tmp) / f"case-{rep.inputs}{suffix}"
            p.write_bytes(blob)
            rep.inputs += 1
            rep.by_kind[suffix] = rep.by_kind.get(suffix, 0) + 1
            try:
                for item in iter_inputs([p]):
                    if isinstance(item, Reject):
                        if not item.reason or str(p) not in item.source_path:
                            raise AssertionError(f"reject without file or reason: {item}")
                        rep.rejects += 1
                    elif isinstance(item, Article):
                        rep.articles += 1
                        res = clean_text(item.raw_text)
                        for c, s, n in res.offset_map:
                            if len(res.text[c : c + n]) != len(item.raw_text[s : s + n]):
                                raise AssertionError("offset map out of step")
            except Exception as exc:
                rep.crashes += 1
                keep = Path(tmp).parent / f"warlog-fuzz-crash-{rep.crashes}{suffix}"
                keep.write_bytes(blob)
                rep.crash_examples.append(f"{type(exc).__name__}: {exc} (input kept at {keep}) "
                                          + traceback.format_exc(limit=2).splitlines()[-1])
            p.unlink(missing_ok=True)
    return rep
