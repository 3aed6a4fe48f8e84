"""The API against its own OpenAPI spec (schemathesis): no input makes it answer 5xx."""

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from warlog.execute.local import run_paths  # noqa: E402
from warlog.serve.app import create_app  # noqa: E402


def _app():
    import tempfile

    from warlog.assets import sample_corpus_dir

    db = Path(tempfile.mkdtemp(prefix="warlog-st-")) / "st.duckdb"
    run_paths([sample_corpus_dir()], db)
    return create_app(db, token="tok")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case) -> None:
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
