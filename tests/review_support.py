"""Helpers for the tests of socanalysis.review: PostgreSQL schemas, file hashes, concurrent writers."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest

ENV = "SOCANALYSIS_TEST_DATABASE"
START = 'eval "$(bash .ci/postgres)"'


def postgres_url() -> str:
    """The test server's URL, or skip (fail under CI=true) when none is given."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{ENV} is not set: CI runs the PostgreSQL tests; start a server with {START}")
        pytest.skip(f"{ENV} is not set: no PostgreSQL server to test against ({START} starts one)")
    return url


def _admin_url(url: str):
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg") if parsed.drivername in ("postgresql", "postgres") else parsed


@pytest.fixture
def pg_url():
    """A URL whose connections use a fresh schema of their own, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = postgres_url()
    schema = "review_test_" + uuid.uuid4().hex[:12]
    engine = create_engine(_admin_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        from socanalysis.review import _store

        for key in [k for k in _store._OPEN if schema in k[0]]:
            _store._OPEN.pop(key).close()
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_at_once(barrier, results, index: int, organisation: str, location: dict) -> None:
    """One writer process: open the store, wait for the others, then set a decision; report the event id."""
    try:
        from socanalysis import review

        store = review.open_store(**location)
        reports = review.REPORTS
        barrier.wait(timeout=120)
        event = review.set(
            organisation,
            report=reports[index % len(reports)],
            reason=f"writer {index}",
            by=f"reviewer {index}",
            store=store,
        )
        store.close()
        results.put((index, int(event["id"])))
    except BaseException as e:  # reported to the test, which fails with it
        results.put((index, f"{type(e).__name__}: {e}"))
