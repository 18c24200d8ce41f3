"""Decisions shared as files: the whole audit trail exported to CSV, and such a file imported.

An exported file is safe to open in a spreadsheet and reads back exactly; importing appends
``import`` events and is idempotent (an event already in the store is skipped).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, func, insert, or_, select

from ..load import TEXT_DTYPE
from ._decisions import (
    _REPORT_SPELLINGS,
    _TIME_COLUMNS,
    EVENT_COLUMNS,
    _canonical,
    _event,
    _frame,
    _text_argument,
    all_events,
    check_categories,
    check_report_type,
)
from ._errors import ReviewStoreError
from ._keys import OrgKey, organisation_keys
from ._schema import decision_events as E
from ._store import Store, get_store, read_store
from ._vocab import ACTIONS, REPORTS

__all__ = ["export", "import_decisions"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def _escape(series: pd.Series) -> pd.Series:
    """A leading apostrophe before text starting with a formula trigger or an apostrophe."""
    text = series.astype(TEXT_DTYPE)
    starts = text.str[:1].isin(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
    return text.mask(starts, "'" + text)


def _unescape(series: pd.Series) -> pd.Series:
    return series.mask(series.str.startswith("'"), series.str[1:])


def export(path, *, store: Store | None = None, workspace=None, database=None) -> Path:
    """Write the full history (every event of every organisation) to a CSV file.

    The file is safe to open in a spreadsheet: a cell starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading apostrophe (and so does one starting with an
    apostrophe, so that :func:`import_decisions` reads every value back exactly). Times are ISO
    8601 in UTC. The file appears complete or not at all.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Globex", report="SOC 1", reason="=HYPERLINK(\\"x\\")", by="A. Lee", store=store)
    >>> path = review.export(pathlib.Path(tempfile.mkdtemp()) / "decisions.csv", store=store)
    >>> pd.read_csv(path, dtype=str)["reason"].tolist()
    ['\\'=HYPERLINK("x")']
    """
    path = Path(path)
    store = read_store(store, workspace, database)
    events = all_events(store)
    out = {}
    for column in EVENT_COLUMNS:
        values = events[column]
        if column in _TIME_COLUMNS:
            values = pd.Series(
                [v.isoformat() if not pd.isna(v) else "" for v in values], dtype=TEXT_DTYPE, index=events.index
            )
        elif column == "id":
            values = values.astype(TEXT_DTYPE)
        out[column] = _escape(values)
    frame = pd.DataFrame(out, columns=list(EVENT_COLUMNS))
    if not path.parent.is_dir():
        raise ReviewStoreError(f"cannot write {str(path)!r}: the folder {str(path.parent)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            frame.to_csv(f, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_REQUIRED = ("organisation", "report", "reason")


def _read_import(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ReviewStoreError(f"cannot import {str(path)!r}: no such file; give a CSV written by export()")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ReviewStoreError(
            f"cannot import {str(path)!r}: it is not a readable UTF-8 CSV file ({e}); give a CSV written by export()"
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _parse_time(value: str):
    if not value:
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime()


def import_decisions(
    path,
    *,
    by: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.DataFrame:
    """Append the events of a CSV file (as :func:`export` writes) to the store as ``import`` events.

    Each row becomes a new event after this store's own, in the file's order: the organisation's
    decision becomes the row's report, categories and type, its previous values are this store's,
    and the row's own id, reviewer and time are kept as ``origin_uid``, ``origin_by`` and
    ``origin_at``. Importing is idempotent: a row whose event is already in the store (exported
    from it, or imported before) is skipped, so importing the same file twice adds nothing the
    second time. Leading apostrophes that :func:`export` added are removed.

    Parameters
    ----------
    path : path
        A CSV file with at least the columns ``organisation``, ``report`` and ``reason``, and
        ``decided_by`` unless ``by`` is given; ``website``, ``categories``, ``report_type``,
        ``action``, ``uid``, ``origin_uid`` and ``decided_at`` are read when present. Rows without
        a ``uid`` are recognised by their content.
    by : str, optional
        Who imports: recorded as ``decided_by`` of every new event (the file's reviewer stays in
        ``origin_by``). By default the file's ``decided_by``.

    Returns
    -------
    pandas.DataFrame
        The events added (:data:`EVENT_COLUMNS`), empty when there were none.

    Raises
    ------
    ReviewStoreError
        The file cannot be read, lacks a required column, or has invalid rows: every bad cell is
        listed (row as a spreadsheet numbers it, the header being row 1; column; value; what is
        accepted) and nothing is imported.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from socanalysis import review
    >>> old, new = review.open_store(database="sqlite://"), review.open_store(database="sqlite://")
    >>> _ = review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=old)
    >>> path = review.export(pathlib.Path(tempfile.mkdtemp()) / "decisions.csv", store=old)
    >>> len(review.import_decisions(path, store=new)), len(review.import_decisions(path, store=new))
    (1, 0)
    >>> review.list(store=new)[["organisation", "report", "action"]].values.tolist()
    [['Globex', 'SOC 1', 'import']]
    """
    path = Path(path)
    if by is not None:
        by = _text_argument(by, "by", "J. Smith")
    df = _read_import(path)
    required = [c for c in _REQUIRED if c not in df.columns]
    if by is None and "decided_by" not in df.columns:
        required.append("decided_by")
    if required:
        raise ReviewStoreError(
            f"cannot import {str(path)!r}: missing column(s) {', '.join(map(repr, required))}; the columns are "
            f"{', '.join(map(repr, df.columns)) or 'none'}. Expected the columns export() writes: "
            f"{', '.join(EVENT_COLUMNS)}"
        )
    rows, cases = _validate(df, by)
    if cases:
        raise ReviewStoreError(
            f"cannot import {str(path)!r}: {len({c['row'] for c in cases})} row(s) are invalid; nothing was imported",
            cases=cases,
        )
    store = get_store(store, workspace, database)

    def work(conn: Connection) -> list[dict]:
        known = _known_uids(conn, {u for r in rows for u in r["identities"]})
        todo = []
        for row in rows:
            if not known & row["identities"]:  # new to the store, and not repeated in the file
                known |= row["identities"]
                todo.append(row)
        if not todo:
            return []
        keys = _resolve_many(conn, [row["key"] for row in todo])
        state = _latest_many(conn, {(k.kind, k.key) for k in keys})
        events = []
        for row, key in zip(todo, keys, strict=True):
            event = _event(
                key,
                "import",
                by or row["decided_by"],
                row["reason"],
                row["values"],
                state.get((key.kind, key.key)),
                origin_uid=row["origin"],
                origin_by=row["decided_by"] or None,
                origin_at=row["decided_at"],
            )
            events.append(event)
            state[(key.kind, key.key)] = _Previous(*row["values"])
        ids = conn.execute(insert(E).returning(E.c.id, sort_by_parameter_order=True), events).scalars().all()
        return [{**event, "id": i} for event, i in zip(events, ids, strict=True)]

    return _frame(store.write(work))


def _chunks(values, size: int = 500):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _resolve_many(conn: Connection, keys: list[OrgKey]) -> list[OrgKey]:
    """:func:`_resolve` (not strict) for many keys in a few queries."""
    names = {k.key for k in keys if k.kind == "name"}
    own, under = set(), {}
    for part in _chunks(names):
        own.update(
            conn.execute(select(E.c.org_key).where(E.c.key_kind == "name", E.c.org_key.in_(part)).distinct()).scalars()
        )
    for part in _chunks(names - own):
        query = select(E.c.name_key, E.c.org_key).where(E.c.key_kind == "domain", E.c.name_key.in_(part)).distinct()
        for name, domain in conn.execute(query):
            under.setdefault(name, set()).add(domain)
    single = {name: next(iter(domains)) for name, domains in under.items() if len(domains) == 1}
    websites = {}
    if single:
        latest = _latest_many(conn, {("domain", d) for d in single.values()})
        websites = {d: getattr(latest[("domain", d)], "website", None) or d for d in single.values()}
    out = []
    for k in keys:
        if k.kind == "name" and k.key not in own and k.key in single:
            domain = single[k.key]
            k = OrgKey("domain", domain, k.name_key, k.organisation, websites.get(domain, domain))
        out.append(k)
    return out


def _latest_many(conn: Connection, keys: set[tuple[str, str]]) -> dict:
    """The latest event of each (kind, key), for those that have one."""
    found = {}
    for kind in ("domain", "name"):
        wanted = {key for k, key in keys if k == kind}
        for part in _chunks(wanted):
            latest = select(func.max(E.c.id)).where(E.c.key_kind == kind, E.c.org_key.in_(part)).group_by(E.c.org_key)
            for row in conn.execute(select(E).where(E.c.id.in_(latest.scalar_subquery()))):
                found[(row.key_kind, row.org_key)] = row
    return found


class _Previous:
    __slots__ = ("report", "categories", "report_type")

    def __init__(self, report, categories, report_type):
        self.report, self.categories, self.report_type = report, categories, report_type


def _known_uids(conn: Connection, uids: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(uids)
    for start in range(0, len(ordered), 500):
        part = ordered[start : start + 500]
        for uid, origin in conn.execute(
            select(E.c.uid, E.c.origin_uid).where(or_(E.c.uid.in_(part), E.c.origin_uid.in_(part)))
        ):
            found.update(u for u in (uid, origin) if u)
    return found


def _validate(df: pd.DataFrame, by: str | None) -> tuple[list[dict], list[dict]]:
    """The rows of an import file, checked; and a case per bad cell (row as a spreadsheet numbers it)."""
    names = ("organisation", "website", "action", "report", "categories", "report_type", "reason", "decided_by")
    names += ("decided_at", "uid", "origin_uid")
    cells = {
        name: _unescape(df[name].astype(TEXT_DTYPE).fillna("").str.strip()).tolist() if name in df else [""] * len(df)
        for name in names
    }
    keys, key_problems = organisation_keys(pd.Series(cells["organisation"]), pd.Series(cells["website"]))
    by_row: dict[int, list] = {}
    for i, column, value, problem in key_problems:
        by_row.setdefault(i, []).append((column, value, problem))
    rows, cases = [], []
    for i in range(len(df)):  # a file of decisions, hundreds of rows: each checked for a clear message
        row = {name: cells[name][i] for name in names}
        problems = by_row.get(i, []) + _row_problems(row, by)
        cases.extend({"row": i + 2, "column": c, "value": v, "problem": p} for c, v, p in problems)
        if problems:
            continue
        key = keys[i]
        report = _REPORT_SPELLINGS.get(_canonical(row["report"])) if row["report"] else None
        values = (report, check_categories(row["categories"], report), check_report_type(row["report_type"], report))
        content = "\x1f".join([key.kind, key.key, *(v or "" for v in values), row["reason"], row["decided_by"]])
        identity = row["origin_uid"] or row["uid"]
        if not identity:  # a row written by hand: recognised by its content
            content += "\x1f" + row["decided_at"]
            identity = uuid.uuid5(uuid.NAMESPACE_URL, "socanalysis-decision:" + content).hex
        rows.append(
            {
                "key": key,
                "values": values,
                "reason": row["reason"],
                "decided_by": row["decided_by"],
                "decided_at": _parse_time(row["decided_at"]),
                "origin": identity,
                "identities": {u for u in (row["uid"], row["origin_uid"], identity) if u},
            }
        )
    return rows, cases


def _row_problems(row: dict[str, str], by: str | None) -> list[tuple[str, str, str]]:
    """(column, value, problem) for every bad cell of one row of an import file."""
    problems = []
    action = row["action"]
    if action and action not in ACTIONS:
        problems.append(("action", action, f"accepted: {', '.join(ACTIONS)}, or empty"))
    report = None
    if row["report"]:
        report = _REPORT_SPELLINGS.get(_canonical(row["report"]))
        if report is None:
            problems.append(("report", row["report"], f"accepted: {', '.join(REPORTS)}"))
    elif action not in ("clear", "undo", "import"):
        problems.append(("report", "", f"required: {', '.join(REPORTS)} (empty only where action is clear or undo)"))
    for column, check in (("categories", check_categories), ("report_type", check_report_type)):
        try:
            check(row[column], report)
        except ReviewStoreError as e:
            problems.append((column, row[column], e.message))
    if not row["reason"]:
        problems.append(("reason", "", "required: why the decision was taken"))
    if not row["decided_by"] and by is None:
        problems.append(("decided_by", "", "required: who decided (or give by= to import in your own name)"))
    try:
        _parse_time(row["decided_at"])
    except (ValueError, TypeError):
        problems.append(
            ("decided_at", row["decided_at"], "accepted: an ISO 8601 time such as 2026-01-12T10:30:00+00:00")
        )
    for column in ("uid", "origin_uid"):
        if len(row[column]) > 64:
            problems.append((column, row[column], "accepted: an id of at most 64 characters, as export() writes"))
    return problems
