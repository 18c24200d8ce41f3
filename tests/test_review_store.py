"""The decisions store: where it lives, its schema and migrations, and the files it refuses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from review_support import digest, pg_url  # noqa: F401 - a fixture
from sqlalchemy import create_engine, inspect, text

from socanalysis import review
from socanalysis.errors import SocAnalysisError
from socanalysis.review import ReviewStoreError, open_store
from socanalysis.review._schema import metadata
from socanalysis.review._store import MIGRATIONS, head, known_revisions

ROW_AT_REVISION_1 = """
INSERT INTO decision_events (uid, action, key_kind, org_key, name_key, organisation, website, report, categories,
    report_type, reason, decided_by, decided_at, previous_report, previous_categories, previous_report_type)
VALUES ('u1', 'set', 'domain', 'acme.com', 'acme payroll', 'Acme Payroll', 'acme.com', 'Both', 'Privacy', 'Type 2',
    'Runs payroll and hosts HR data', 'A. Lee', '2025-11-03 09:30:00.000000', NULL, '', '')
"""


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


# --------------------------------------------------------------------------- where the store lives
def test_a_workspace_holds_one_sqlite_file_in_wal_mode(tmp_path):
    with open_store(tmp_path / "firm") as store:
        assert store.path == tmp_path / "firm" / "decisions.sqlite"
        assert store.backend == "sqlite" and store.revision == head()
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_workspace_comes_from_the_argument_then_the_environment_then_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SOCANALYSIS_DATABASE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SOCANALYSIS_WORKSPACE", raising=False)
    assert review.default_workspace() == tmp_path / "xdg" / "socanalysis"
    monkeypatch.setenv("SOCANALYSIS_WORKSPACE", str(tmp_path / "env"))
    with open_store() as store:
        assert store.path == tmp_path / "env" / "decisions.sqlite"
    with open_store(tmp_path / "arg") as store:
        assert store.path == tmp_path / "arg" / "decisions.sqlite"


def test_a_database_url_in_the_environment_wins_over_the_default_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCANALYSIS_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("SOCANALYSIS_DATABASE", f"sqlite:///{tmp_path / 'other.sqlite'}")
    with open_store() as store:
        assert store.path == tmp_path / "other.sqlite"
    review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee")
    assert (tmp_path / "other.sqlite").exists() and not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"database": "mysql://u:p@host/db"}, "accepted: sqlite:///PATH"),
        ({"database": "not a url"}, "is not a database URL"),
        ({"database": "sqlite://", "workspace": "x"}, "not both"),
    ],
)
def test_bad_locations_are_refused_with_what_is_accepted(kwargs, message):
    with pytest.raises(ReviewStoreError, match=message):
        open_store(**kwargs)


def test_a_workspace_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReviewStoreError, match="is a file; give a folder"):
        open_store(tmp_path / "file")


def test_the_error_belongs_to_the_package_family():
    assert issubclass(ReviewStoreError, SocAnalysisError)


# --------------------------------------------------------------------------- schema and migrations
def test_the_migrations_at_head_build_exactly_the_tables_the_code_uses(tmp_path):
    with open_store(tmp_path) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert known_revisions() == ("0001", "0002")


def test_a_workspace_at_revision_1_upgrades_itself_and_keeps_its_decisions(tmp_path):
    path = tmp_path / "decisions.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text(ROW_AT_REVISION_1))
    with engine.connect() as conn:
        assert "snapshots" not in inspect(conn).get_table_names()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    engine.dispose()

    with open_store(tmp_path) as store:
        assert store.revision == head() == "0002"
        current = review.list(store=store)
        assert current[["organisation", "report", "categories", "decided_by"]].values.tolist() == [
            ["Acme Payroll", "Both", "Privacy", "A. Lee"]
        ]
        assert str(current.loc[0, "decided_at"]) == "2025-11-03 09:30:00+00:00"
        review.save_snapshot(
            __import__("pandas").DataFrame(
                {"Client": ["Acme"], "soc_report": ["Both"], "coverage_status": ["Covered"]}
            ),
            as_of="2026-01-31",
            store=store,
        )
        assert len(review.snapshots(store=store)) == 1


def test_a_store_at_a_newer_revision_is_refused_and_left_untouched(tmp_path):
    with open_store(tmp_path) as store:
        review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=store)
    with sqlite3.connect(tmp_path / "decisions.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = digest(tmp_path / "decisions.sqlite")
    with pytest.raises(ReviewStoreError, match=r"revision '0099', newer than .* upgrade socanalysis") as err:
        open_store(tmp_path)
    assert "left unchanged" in str(err.value)
    assert digest(tmp_path / "decisions.sqlite") == before


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "decisions.sqlite"
    path.write_bytes(b"Client,Report\nAcme,SOC 2\n")
    before = digest(path)
    with pytest.raises(ReviewStoreError, match="is not a SQLite database .* left unchanged: move it away"):
        open_store(tmp_path)
    assert digest(path) == before


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_database_is_refused_and_left_untouched(tmp_path, damage):
    rows = "".join(f"Organisation {i},SOC 2,{'x' * 200},A. Lee\n" for i in range(300))  # a few pages of events
    (tmp_path / "events.csv").write_text("organisation,report,reason,decided_by\n" + rows)
    with open_store(tmp_path) as store:
        assert len(review.import_decisions(tmp_path / "events.csv", store=store)) == 300
    path = tmp_path / "decisions.sqlite"
    data = path.read_bytes()
    assert len(data) > 8 * 4096
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2 + 100])
    else:
        path.write_bytes(data[:4096] + b"\xff" * 8192 + data[4096 + 8192 :])
    before = digest(path)
    with pytest.raises(ReviewStoreError, match="damaged|cannot be read") as err:
        open_store(tmp_path)
    assert "left unchanged" in str(err.value)
    assert digest(path) == before


def test_a_database_of_other_tables_is_refused(tmp_path):
    path = tmp_path / "decisions.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE clients (name TEXT)")
    before = digest(path)
    with pytest.raises(ReviewStoreError, match=r"tables that are not a decisions store \(clients\)"):
        open_store(tmp_path)
    assert digest(path) == before


def test_an_empty_file_becomes_a_store(tmp_path):
    (tmp_path / "decisions.sqlite").write_bytes(b"")
    with open_store(tmp_path) as store:
        assert store.revision == head()


def test_many_opens_of_one_workspace_reuse_the_default_store(tmp_path):
    review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", workspace=tmp_path)
    review.set("Initech", report="SOC 2", reason="Hosts data", by="A. Lee", workspace=tmp_path)
    assert review.list(workspace=tmp_path)["organisation"].tolist() == ["Globex", "Initech"]
    with pytest.raises(ReviewStoreError, match="not both"):
        review.list(store=open_store(database="sqlite://"), workspace=tmp_path)


# --------------------------------------------------------------------------- PostgreSQL
def test_postgresql_urls_use_psycopg_and_the_schema_is_current(pg_url):  # noqa: F811
    assert pg_url.startswith("postgresql://")
    with open_store(database=pg_url) as store:
        assert store.engine.url.drivername == "postgresql+psycopg"
        assert store.backend == "postgresql" and store.path is None and "***" in store.url
        assert store.revision == head()
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_postgresql_schema_at_revision_1_upgrades_itself(pg_url):  # noqa: F811
    from socanalysis.review._store import _database_url

    engine = create_engine(_database_url(pg_url))
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(text(ROW_AT_REVISION_1.replace("'2025-11-03 09:30:00.000000'", "'2025-11-03 09:30:00+00'")))
    engine.dispose()
    with open_store(database=pg_url) as store:
        assert store.revision == head()
        assert review.list(store=store)["report"].tolist() == ["Both"]


def test_a_postgresql_schema_at_a_newer_revision_is_refused(pg_url):  # noqa: F811
    with open_store(database=pg_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(ReviewStoreError, match="revision '0099', newer"):
        open_store(database=pg_url)


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(ReviewStoreError, match="cannot open the decisions database .* server is running"):
        open_store(database="postgresql://nobody:secret@127.0.0.1:9/none?connect_timeout=2")


def test_migration_scripts_are_shipped_inside_the_package():
    names = {p.relative_to(MIGRATIONS).as_posix() for p in Path(MIGRATIONS).rglob("*") if p.suffix in (".py", ".mako")}
    assert {"env.py", "script.py.mako", "versions/0001_decision_events.py", "versions/0002_snapshots.py"} <= names


def test_the_package_data_globs_cover_every_migration_file():
    import fnmatch
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["packages"]["find"]["include"] == ["socanalysis*"]  # review/ included
    globs = project["tool"]["setuptools"]["package-data"]["socanalysis.review"]
    files = [p.relative_to(MIGRATIONS.parent).as_posix() for p in MIGRATIONS.rglob("*") if p.is_file()]
    files = [f for f in files if "__pycache__" not in f]
    assert files and all(any(fnmatch.fnmatch(f, g) for g in globs) for f in files), files
    assert any(d.startswith("psycopg") for d in project["project"]["optional-dependencies"]["postgres"])


def test_the_public_face_lists_what_others_may_use():
    for name in review.__all__:
        assert getattr(review, name) is not None
    assert review.set is review.set_decision and review.list is review.list_decisions
    assert review.import_ is review.import_decisions


def test_the_head_revision_constant_is_alembics_head():
    from socanalysis.review import _store

    assert _store.HEAD_REVISION == _store.head() == _store.known_revisions()[-1]
