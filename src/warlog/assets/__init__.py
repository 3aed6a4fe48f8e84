"""Shipped data: gazetteer, actor/event lexicons, episodes, the sample corpus. Loaded once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def asset_path(name: str) -> Path:
    return Path(str(resources.files("warlog.assets").joinpath(name)))


@cache
def load_json(name: str) -> Any:
    return json.loads(asset_path(name).read_text(encoding="utf-8"))


def sample_corpus_dir() -> Path:
    return asset_path("sample")
