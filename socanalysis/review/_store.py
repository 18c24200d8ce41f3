"""Where decisions are kept: a SQLite file in a workspace folder, or a PostgreSQL database.

:func:`open_store` finds the store, checks what it holds and brings its schema up to date with the
Alembic migrations shipped in ``migrations/``; :class:`Store` runs reads and writes on it.

A store is refused, and its file left exactly as it was, when the file is not a SQLite database,
is damaged, holds tables that are not a decisions store, or is at a schema revision newer than
this version of socanalysis knows.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool, StaticPool

from ._errors import ReviewStoreError

__all__ = ["ENV_DATABASE", "ENV_WORKSPACE", "FILE_NAME", "Store", "default_workspace", "open_store"]

ENV_WORKSPACE = "SOCANALYSIS_WORKSPACE"
"""Environment variable naming the workspace folder (default: the user's data folder)."""
ENV_DATABASE = "SOCANALYSIS_DATABASE"
"""Environment variable holding a database URL; it wins over the workspace."""
FILE_NAME = "decisions.sqlite"
"""The SQLite file of a workspace."""

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0002"
"""The newest revision in ``migrations/`` (a test checks it is Alembic's head): a store already at it
opens without loading Alembic, which the command line would otherwise load on every run."""
_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 30_000
_RETRIES = 8
_PG_LOCK = 0x50CA_1A15  # pg_advisory_xact_lock key: one writer at a time, migrations included
_ACCEPTED_URLS = "sqlite:///PATH, sqlite:// (in memory) or postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE"

T = TypeVar("T")


def default_workspace() -> Path:
    """The workspace used when none is given: ``$SOCANALYSIS_WORKSPACE``, else the user's data folder.

    The data folder comes from :mod:`platformdirs`: ``$XDG_DATA_HOME/socanalysis`` or
    ``~/.local/share/socanalysis`` on Linux, the platform's own place on macOS and Windows.

    Examples
    --------
    >>> import os
    >>> saved = os.environ.get("SOCANALYSIS_WORKSPACE")
    >>> os.environ["SOCANALYSIS_WORKSPACE"] = "/tmp/firm"
    >>> str(default_workspace())
    '/tmp/firm'
    >>> if saved is None: del os.environ["SOCANALYSIS_WORKSPACE"]
    ... else: os.environ["SOCANALYSIS_WORKSPACE"] = saved
    """
    given = os.environ.get(ENV_WORKSPACE, "").strip()
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("socanalysis", appauthor=False))


def _database_url(database: str | URL) -> URL:
    try:
        url = make_url(database) if isinstance(database, str) else database
    except ArgumentError:
        raise ReviewStoreError(
            f"database={str(database)!r} is not a database URL; accepted: {_ACCEPTED_URLS}"
        ) from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        try:
            url.get_dialect()
        except NoSuchModuleError:
            raise ReviewStoreError(
                f"database URL driver {url.drivername!r} is not installed or unknown; accepted: {_ACCEPTED_URLS} "
                "(PostgreSQL needs the postgres extra: pip install 'socanalysis[postgres]')"
            ) from None
        return url
    if backend == "sqlite":
        return url
    raise ReviewStoreError(
        f"database URL {url.render_as_string(hide_password=True)!r} names the backend {backend!r}; "
        f"accepted: {_ACCEPTED_URLS}"
    )


def _location(workspace, database) -> tuple[URL, Path | None]:
    """The database URL and, for a SQLite file, its path."""
    if workspace is not None and database is not None:
        raise ReviewStoreError("give workspace= or database=, not both: a database URL names the store by itself")
    if database is None and workspace is None:
        database = os.environ.get(ENV_DATABASE, "").strip() or None
    if database is not None:
        url = _database_url(database)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return url, Path(url.database)
        return url, None
    folder = Path(workspace).expanduser() if workspace is not None else default_workspace()
    if folder.exists() and not folder.is_dir():
        raise ReviewStoreError(f"the workspace {str(folder)!r} is a file; give a folder (it will hold {FILE_NAME})")
    path = folder / FILE_NAME
    return URL.create("sqlite", database=str(path)), path


class Store:
    """An open decisions store: a SQLAlchemy engine on SQLite or PostgreSQL, at the current schema.

    Open one with :func:`open_store`. Every function of :mod:`socanalysis.review` takes it as
    ``store=``. A store may be used from several threads; each process opens its own.

    Attributes
    ----------
    engine : sqlalchemy.Engine
    url : str
        The database URL, password hidden.
    path : pathlib.Path or None
        The SQLite file, or None for PostgreSQL and in-memory stores.
    backend : str
        ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(self, engine: Engine, path: Path | None):
        self.engine = engine
        self.path = path
        self.backend = engine.dialect.name
        self.url = engine.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the store's connections (the store can no longer be used after this)."""
        self.engine.dispose()

    @property
    def revision(self) -> str | None:
        """The schema revision the store is at."""
        with self.read() as conn:
            return _revision(conn)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (a consistent view of the store)."""
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as e:
            _reraise(self, e)

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(connection)`` in a write transaction, one writer at a time, and return its result.

        On SQLite the transaction starts with ``BEGIN IMMEDIATE`` (so two writers never both read
        and then both write) and waits up to 30 s for the lock; a write that still finds the
        database locked is tried again, up to 8 times with growing pauses. On PostgreSQL writers
        take a transaction-level advisory lock. ``work`` may run more than once, so it must do
        nothing but database work.
        """
        for attempt in range(_RETRIES):
            try:
                with self.engine.connect() as conn:
                    conn = conn.execution_options(socanalysis_write=True)
                    with conn.begin():
                        if self.backend == "postgresql":
                            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
                        return work(conn)
            except OperationalError as e:
                if not _locked(e) or attempt == _RETRIES - 1:
                    _reraise(self, e)
                time.sleep(min(2.0, 0.05 * 2**attempt))
            except DBAPIError as e:
                _reraise(self, e)
        raise AssertionError("unreachable")  # pragma: no cover


def _locked(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return isinstance(error.orig, sqlite3.OperationalError) and ("locked" in message or "busy" in message)


def _reraise(store: Store, error: DBAPIError):
    """A damaged SQLite file as a :class:`ReviewStoreError`; any other database error as it is."""
    message = str(error.orig)
    if isinstance(error.orig, sqlite3.DatabaseError) and ("malformed" in message or "not a database" in message):
        raise ReviewStoreError(
            f"the decisions store {store.url!r} is damaged ({message}); restore it from a backup, or move "
            "it away and import the last export into a new workspace"
        ) from error
    raise error


# --------------------------------------------------------------------------- engines
def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        try:
            return create_engine(url, pool_pre_ping=True)
        except ImportError as e:
            raise ReviewStoreError(
                f"cannot open {url.render_as_string(hide_password=True)!r}: its driver is not installed ({e}); "
                "install it with pip install 'socanalysis[postgres]'"
            ) from None
    memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        # one connection per use for a file (nothing held open between calls); one shared for memory
        poolclass=StaticPool if memory else NullPool,
        connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # SQLAlchemy's recipe for transactional DDL on pysqlite: the driver's own BEGIN handling is
        # switched off, and every transaction begins with the statement below
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        writing = conn.get_execution_options().get("socanalysis_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


# --------------------------------------------------------------------------- schema revisions
@functools.lru_cache(maxsize=1)
def _script():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def head() -> str:
    """The schema revision this version of socanalysis writes.

    Examples
    --------
    >>> head()
    '0002'
    """
    return _script().get_current_head()


def known_revisions() -> tuple[str, ...]:
    """Every schema revision this version of socanalysis knows, oldest first.

    Examples
    --------
    >>> known_revisions()
    ('0001', '0002')
    """
    return tuple(reversed([s.revision for s in _script().walk_revisions()]))


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else ",".join(sorted(rows)) or None


def _upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


# --------------------------------------------------------------------------- opening
def _check_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before anything opens it."""
    if not path.exists():
        return
    if not path.is_file():
        raise ReviewStoreError(f"{str(path)!r} is not a file; the workspace must hold the decisions store {FILE_NAME}")
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb") as f:
        start = f.read(len(_SQLITE_MAGIC))
    if start != _SQLITE_MAGIC:
        raise ReviewStoreError(
            f"{str(path)!r} is not a SQLite database (it starts with {start!r}, {size:,} bytes); a decisions "
            f"store is a SQLite file. The file was left unchanged: move it away or use another workspace "
            f"(workspace=... or ${ENV_WORKSPACE})"
        )


def _inspect_store(store: Store) -> tuple[str | None, set[str]]:
    """The revision and the tables of a store, reading only; damaged SQLite files are refused."""
    try:
        with store.engine.connect() as conn, conn.begin():
            tables = set(inspect(conn).get_table_names())
            if store.backend == "sqlite" and store.path is not None and tables:
                problems = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    raise ReviewStoreError(
                        f"the decisions store {str(store.path)!r} is damaged (SQLite's check says: "
                        f"{'; '.join(problems[:3])}). The file was left unchanged: restore it from a backup, or "
                        "move it away and import the last export into a new workspace"
                    )
            return _revision(conn), tables
    except DBAPIError as e:
        if store.backend == "sqlite":
            where = repr(str(store.path)) if store.path else "the in-memory store"
            raise ReviewStoreError(
                f"{where} cannot be read as a SQLite database ({e.orig}). The file was left unchanged: restore "
                "it from a backup, or move it away and import the last export into a new workspace"
            ) from None
        raise ReviewStoreError(
            f"cannot open the decisions database {store.url!r}: {str(e.orig).strip().splitlines()[0]}. Check "
            f"the URL (database= or ${ENV_DATABASE}) and that the server is running"
        ) from None


def _refuse(store: Store, revision: str | None, tables: set[str]) -> None:
    where = repr(str(store.path)) if store.path else repr(store.url)
    if revision is None and tables - {"alembic_version"}:
        shown = ", ".join(sorted(tables)[:8])
        raise ReviewStoreError(
            f"{where} holds tables that are not a decisions store ({shown}) and no schema revision. It was left "
            "unchanged: give a workspace or database of its own to the decisions store"
        )
    if revision is not None and revision != HEAD_REVISION and revision not in known_revisions():
        from importlib.metadata import version

        __version__ = version("socanalysis")
        raise ReviewStoreError(
            f"the decisions store {where} is at schema revision {revision!r}, newer than this version of "
            f"socanalysis ({__version__}) knows (revisions {', '.join(known_revisions())}): it was written by a "
            "newer socanalysis. It was left unchanged: upgrade socanalysis (pip install --upgrade socanalysis) "
            "to open it"
        )


def open_store(workspace: str | os.PathLike | None = None, database: str | URL | None = None) -> Store:
    """Open the decisions store, creating it or upgrading its schema as needed.

    Parameters
    ----------
    workspace : path, optional
        A folder; the store is the SQLite file ``decisions.sqlite`` in it (created with the folder
        when missing). Default: ``$SOCANALYSIS_WORKSPACE``, else the user's data folder
        (:func:`default_workspace`).
    database : str, optional
        A database URL instead of a workspace: ``postgresql://user:password@host/db`` (the psycopg
        driver is used; install ``socanalysis[postgres]``), ``sqlite:///path/to/file.sqlite`` or
        ``sqlite://`` for a store in memory. Default: ``$SOCANALYSIS_DATABASE`` when no workspace is
        given.

    Returns
    -------
    Store
        At the newest schema revision. SQLite files are put in WAL mode (readers never wait for
        the writer) with a 30 s busy timeout.

    Raises
    ------
    ReviewStoreError
        The file is not a SQLite database or is damaged; the database holds other tables and no
        decisions store; its schema revision is newer than this socanalysis knows; the server
        cannot be reached. Nothing is changed in any of these cases.

    Examples
    --------
    >>> import tempfile
    >>> store = open_store(tempfile.mkdtemp())
    >>> store.path.name, store.revision
    ('decisions.sqlite', '0002')
    >>> open_store(database="sqlite://").revision
    '0002'
    """
    url, path = _location(workspace, database)
    if path is not None:
        _check_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(_engine(url), path)
    try:
        revision, tables = _inspect_store(store)
        _refuse(store, revision, tables)
        if revision != HEAD_REVISION:

            def migrate(conn: Connection) -> None:
                # again under the write lock: another process may have migrated meanwhile
                now = _revision(conn)
                _refuse(store, now, set(inspect(conn).get_table_names()))
                if now != head():
                    _upgrade(conn)

            store.write(migrate)
        if store.backend == "sqlite" and path is not None:
            _wal(store)
    except BaseException:
        store.close()
        raise
    return store


def _wal(store: Store) -> None:
    for attempt in range(_RETRIES):
        try:
            raw = store.engine.raw_connection()  # outside any transaction: the mode cannot change inside one
            try:
                mode = raw.driver_connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            finally:
                raw.close()
            if str(mode).lower() == "wal":
                return
        except sqlite3.OperationalError as e:
            locked = "locked" in str(e).lower() or "busy" in str(e).lower()
            if not locked or attempt == _RETRIES - 1:
                raise
        time.sleep(min(2.0, 0.05 * 2**attempt))


# --------------------------------------------------------------------------- the default store
_OPEN: dict[tuple[str, int], Store] = {}
_OPEN_LOCK = threading.Lock()


def store_missing(workspace=None, database=None) -> bool:
    """Whether the store named is a SQLite file that does not exist yet (it holds nothing)."""
    _, path = _location(workspace, database)
    return path is not None and not path.exists()


def read_store(store: Store | None = None, workspace=None, database=None) -> Store:
    """:func:`get_store` for reading: when the store named is a SQLite file that does not exist yet
    (a fresh machine, a new workspace), an empty store in memory stands for it and nothing is
    created on disk. Only reads may use what it returns."""
    if store is None and store_missing(workspace, database):
        return _empty_store()
    return get_store(store, workspace, database)


@functools.lru_cache(maxsize=1)
def _empty_store() -> Store:
    """An empty store in memory, for reads only: its tables made from the schema, without loading
    Alembic (a page that only looks, on a fresh machine, need not wait for it)."""
    from ._schema import metadata

    store = Store(_engine(make_url("sqlite://")), None)
    metadata.create_all(store.engine)
    return store


def get_store(store: Store | None = None, workspace=None, database=None) -> Store:
    """``store`` itself, else the store that ``workspace``/``database`` (or the environment) name,
    opened once per process and kept open."""
    if store is not None:
        if workspace is not None or database is not None:
            raise ReviewStoreError("give store= or workspace=/database=, not both")
        if not isinstance(store, Store):
            raise ReviewStoreError(f"store= takes a Store from open_store(), not {type(store).__name__}")
        return store
    url, path = _location(workspace, database)
    key = (url.render_as_string(hide_password=False), os.getpid())
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is not None and (path is None or path.exists()):
            return found
        opened = open_store(workspace, database)
        _OPEN[key] = opened
        return opened
