import random
from pathlib import Path

import pytest

TOWNS = ["Saraqib", "Ariha", "Konduga", "Zurmi", "Kunduz", "Mogadishu", "Kharkiv", "Nasiriyah", "Marib", "Gao", "Idlib",
         "Afgooye", "Herat", "Maiduguri", "Kirkuk", "Daraa"]
TEMPLATES = [
    "date 2021-0{m}-1{d}\nWarplanes struck a market in {town} on Monday, killing {n} civilians, rescuers said. "
    "Residents said the strikes continued for an hour.\nSubscribe to our newsletter\n",
    "date 2021-0{m}-1{d}\nGunmen attacked a village near {town} on Sunday and killed {n} farmers, officials said.\n\n\n"
    "Local leaders called for more security.\n",
    "date 2021-0{m}-1{d}\nSoldiers clashed with insurgents on the outskirts of {town} on Tuesday. The army said {n} "
    "militants were killed in the fighting.\n",
    "date 2021-0{m}-1{d}\nA roadside bomb exploded near a police vehicle in {town} on Wednesday, killing {n} policemen.\n",
]


def write_corpus(folder: Path, n: int, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        t = TEMPLATES[i % len(TEMPLATES)].format(m=rnd.randint(1, 9), d=rnd.randint(0, 9), town=rnd.choice(TOWNS),
                                                  n=rnd.randint(2, 40))
        (folder / f"report-{i:04d}.txt").write_text(t + f"Report number {i}.\n", encoding="utf-8")
    (folder / "bad.jsonl").write_text('{"text": "ok text about nothing"}\n{"text": broken\n', encoding="utf-8")
    (folder / "bin.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="session")
def slow_corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "in", 400)
