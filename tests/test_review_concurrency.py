"""Eight writer processes setting decisions at the same moment lose nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing

import pytest
from review_support import pg_url, write_at_once  # noqa: F401 - a fixture

from socanalysis import review

WRITERS = 8


def run_writers(location: dict, organisation) -> list[int]:
    """Start the writers, release them together, return the event ids.

    The writers are forked from a server process that has imported the package once and runs
    nothing else (no threads to fork), so each starts at once.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["socanalysis.review", "review_support"])
    barrier, results = context.Barrier(WRITERS), context.Queue()
    writers = [
        context.Process(target=write_at_once, args=(barrier, results, i, organisation(i), location))
        for i in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    try:
        got = dict(results.get(timeout=300) for _ in writers)
    finally:
        for writer in writers:
            writer.join(timeout=60)
    failed = {i: v for i, v in got.items() if not isinstance(v, int)}
    assert not failed, failed
    return list(got.values())


def check_trail(store, organisation) -> None:
    ids = set()
    for i in range(WRITERS):
        events = review.history(organisation(i), store=store)
        ids |= set(events["id"])
    assert len(ids) == WRITERS


def check_one_organisation(store) -> None:
    trail = review.history("Acme", store=store)
    assert len(trail) == WRITERS and sorted(trail["reason"]) == sorted(f"writer {i}" for i in range(WRITERS))
    # the writers took turns: each event's previous value is the one written just before it
    assert trail["previous_report"].iloc[1:].tolist() == trail["report"].iloc[:-1].tolist()
    assert review.list(store=store)["report"].tolist() == [trail["report"].iloc[-1]]


def test_eight_writers_at_once_on_sqlite(tmp_path):
    review.open_store(tmp_path).close()
    ids = run_writers({"workspace": str(tmp_path)}, lambda i: f"Organisation {i}")
    assert len(set(ids)) == WRITERS
    with review.open_store(tmp_path) as store:
        check_trail(store, lambda i: f"Organisation {i}")
        assert len(review.list(store=store)) == WRITERS


def test_eight_writers_on_one_organisation_on_sqlite_keep_the_trail_in_order(tmp_path):
    run_writers({"workspace": str(tmp_path / "fresh")}, lambda i: "Acme")  # the store is created by the writers
    with review.open_store(tmp_path / "fresh") as store:
        check_one_organisation(store)


@pytest.mark.parametrize("same", [False, True], ids=["eight organisations", "one organisation"])
def test_eight_writers_at_once_on_postgresql(pg_url, same):  # noqa: F811
    organisation = (lambda i: "Acme") if same else (lambda i: f"Organisation {i}")
    ids = run_writers({"database": pg_url}, organisation)
    assert len(set(ids)) == WRITERS
    with review.open_store(database=pg_url) as store:
        if same:
            check_one_organisation(store)
        else:
            check_trail(store, organisation)
