from __future__ import annotations

from pathlib import Path

import pytest

from warlog.assets import sample_corpus_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not present at {SHARED}: real-data checks skipped")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    d = shared_dir / "seeds"
    if not d.is_dir():
        pytest.skip("../shared/seeds not present")
    return d


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return sample_corpus_dir()


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path):
    """The sample corpus run once into a database shared by read-only tests."""
    from warlog.execute.local import run_paths

    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    summary = run_paths([sample_dir], db)
    return db, summary


@pytest.fixture(scope="session")
def seeds_events(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> list[dict]:
    from warlog.execute.local import run_paths
    from warlog.store.duckdb_store import Store
    from warlog.store.export import iter_events

    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    run_paths([seeds_dir], db)
    with Store(db, read_only=True) as store:
        return list(iter_events(store))
