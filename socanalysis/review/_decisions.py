"""Decisions and their audit trail: set, clear, undo, list, history, export and import.

Every change is a new row of ``decision_events``; nothing is ever updated or deleted. The current
decision of an organisation is its latest event; a withdrawn one (``clear``, or an ``undo`` back
to no decision) has no report.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, func, insert, or_, select

from ..load import TEXT_DTYPE
from ._errors import ReviewStoreError
from ._keys import OrgKey, organisation_key, organisation_keys
from ._schema import decision_events as E
from ._store import Store, get_store
from ._vocab import ACTIONS, CATEGORIES, REPORT_TYPES, REPORTS

__all__ = [
    "EVENT_COLUMNS",
    "clear",
    "export",
    "history",
    "history_html",
    "import_decisions",
    "list_decisions",
    "set_decision",
    "undo",
]

#: the columns of :func:`history` and of an exported file, in order
EVENT_COLUMNS: tuple[str, ...] = (
    "id",
    "uid",
    "action",
    "key_kind",
    "org_key",
    "name_key",
    "organisation",
    "website",
    "report",
    "categories",
    "report_type",
    "reason",
    "decided_by",
    "decided_at",
    "previous_report",
    "previous_categories",
    "previous_report_type",
    "origin_uid",
    "origin_by",
    "origin_at",
)
_TIME_COLUMNS = ("decided_at", "origin_at")
#: the columns of :func:`list_decisions`
CURRENT_COLUMNS: tuple[str, ...] = (
    "key_kind",
    "org_key",
    "name_key",
    "organisation",
    "website",
    "report",
    "categories",
    "report_type",
    "reason",
    "decided_by",
    "decided_at",
    "action",
    "id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_SOC2 = ("SOC 2", "Both")


# --------------------------------------------------------------------------- validation
def _canonical(value: str) -> str:
    return " ".join(value.replace("_", " ").split()).casefold()


_REPORT_SPELLINGS = {
    **{_canonical(r): r for r in REPORTS},
    "soc1": "SOC 1",
    "soc2": "SOC 2",
    "soc i": "SOC 1",
    "soc ii": "SOC 2",
    "soc 1 + soc 2": "Both",
    "soc 1 and soc 2": "Both",
}
_TYPE_SPELLINGS = {"type 1": "Type 1", "type i": "Type 1", "type 2": "Type 2", "type ii": "Type 2"}
_CATEGORY_SPELLINGS = {_canonical(c): c for c in CATEGORIES}


def check_report(report) -> str:
    """A report name in its canonical spelling, or an error listing the accepted ones.

    Examples
    --------
    >>> check_report("soc2"), check_report("both")
    ('SOC 2', 'Both')
    """
    found = _REPORT_SPELLINGS.get(_canonical(report)) if isinstance(report, str) else None
    if found is None:
        raise ReviewStoreError(f"report={report!r}; accepted: {', '.join(REPORTS)}")
    return found


def check_categories(categories, report: str | None) -> str:
    """Trust Services Categories beyond Security, ``; ``-joined in their order; "" for none.

    Accepts a string (``;`` or ``,`` between names) or a list; ``Security`` may be given and is
    left out (it is always in scope with a SOC 2).

    Examples
    --------
    >>> check_categories("privacy, Availability", "SOC 2")
    'Availability; Privacy'
    >>> check_categories(["Security"], "Both")
    ''
    """
    if categories is None:
        return ""
    if isinstance(categories, str):
        items = categories.replace(",", ";").split(";")
    elif isinstance(categories, Iterable):
        items = list(categories)
    else:
        raise ReviewStoreError(f"categories={categories!r}; give a list or a '; '-joined string of {_cats()}")
    chosen = set()
    for item in items:
        if not isinstance(item, str):
            raise ReviewStoreError(f"categories: {item!r} is not a category name; accepted: {_cats()}")
        if not item.strip() or _canonical(item) == "security":
            continue
        name = _CATEGORY_SPELLINGS.get(_canonical(item))
        if name is None:
            raise ReviewStoreError(
                f"categories: {item.strip()!r} is not a Trust Services Category; accepted: {_cats()}"
            )
        chosen.add(name)
    if chosen and report not in _SOC2:
        raise ReviewStoreError(
            f"categories={categories!r} with report={report!r}: Trust Services Categories belong to a SOC 2; "
            "give them with report 'SOC 2' or 'Both', or leave them out"
        )
    return "; ".join(c for c in CATEGORIES if c in chosen)


def _cats() -> str:
    return ", ".join(("Security (always included)", *CATEGORIES))


def check_report_type(report_type, report: str | None) -> str:
    """``Type 1``, ``Type 2`` or "" (not stated).

    Examples
    --------
    >>> check_report_type("type ii", "SOC 1")
    'Type 2'
    """
    if report_type is None or (isinstance(report_type, str) and not report_type.strip()):
        return ""
    found = _TYPE_SPELLINGS.get(_canonical(report_type)) if isinstance(report_type, str) else None
    if found is None:
        raise ReviewStoreError(f"report_type={report_type!r}; accepted: {', '.join(REPORT_TYPES)}, or none")
    if report in (None, "Neither"):
        raise ReviewStoreError(
            f"report_type={report_type!r} with report={report!r}: a type belongs to a SOC 1 or SOC 2; leave it out"
        )
    return found


def _text_argument(value, name: str, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ReviewStoreError(f"{name}={value!r}: required, a non-empty text such as {example!r}")
    return value.strip()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --------------------------------------------------------------------------- the trail
def _latest(conn: Connection, key: OrgKey):
    return conn.execute(
        select(E).where(E.c.key_kind == key.kind, E.c.org_key == key.key).order_by(E.c.id.desc()).limit(1)
    ).first()


def _resolve(conn: Connection, key: OrgKey, *, strict: bool = True) -> OrgKey:
    """A name that the store knows only under one website stands for that organisation.

    A name known under several websites is an error (``strict``) or stays a name of its own.
    """
    if key.kind != "name":
        return key
    known = conn.execute(select(E.c.id).where(E.c.key_kind == "name", E.c.org_key == key.key).limit(1)).first()
    if known is not None:
        return key
    domains = (
        conn.execute(
            select(E.c.org_key)
            .where(E.c.key_kind == "domain", E.c.name_key == key.key)
            .distinct()
            .order_by(E.c.org_key)
        )
        .scalars()
        .all()
    )
    if len(domains) > 1 and not strict:
        return key
    if len(domains) > 1:
        raise ReviewStoreError(
            f"{key.organisation!r} names several organisations in the store, with the websites "
            f"{', '.join(domains)}; say which with website=..."
        )
    if domains:
        latest = _latest(conn, OrgKey("domain", domains[0], key.name_key, key.organisation, None))
        return OrgKey("domain", domains[0], key.name_key, key.organisation, latest.website or domains[0])
    return key


def _event(key: OrgKey, action: str, by: str, reason: str, values: tuple, previous, **extra) -> dict:
    report, categories, report_type = values
    return {
        "uid": uuid.uuid4().hex,
        "action": action,
        "key_kind": key.kind,
        "org_key": key.key,
        "name_key": key.name_key,
        "organisation": key.organisation,
        "website": key.website,
        "report": report,
        "categories": categories,
        "report_type": report_type,
        "reason": reason,
        "decided_by": by,
        "decided_at": _now(),
        "previous_report": previous.report if previous is not None else None,
        "previous_categories": previous.categories if previous is not None else "",
        "previous_report_type": previous.report_type if previous is not None else "",
        **extra,
    }


def _append(conn: Connection, event: dict) -> dict:
    """Insert one event; the event with its id (turned into a frame after the transaction, not in it)."""
    new_id = conn.execute(insert(E).values(**event).returning(E.c.id)).scalar_one()
    return {**event, "id": new_id}


def set_decision(
    organisation: str,
    *,
    report: str,
    reason: str,
    by: str,
    categories=None,
    report_type: str | None = None,
    website: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.Series:
    """Record a reviewer's decision on which report an organisation needs.

    Parameters
    ----------
    organisation : str
        The organisation's name (``"Acme Payroll Inc."``) or website (``"acme.com"``). A website
        keys it by registered domain, a name by normalised name (see
        :func:`socanalysis.normalise_name`); a name the store knows only under a website stands
        for that organisation.
    report : {"SOC 1", "SOC 2", "Both", "Neither"}
    reason : str
        Why: required, kept in the audit trail.
    by : str
        Who decides: required.
    categories : str or list of str, optional
        Trust Services Categories beyond Security (Availability, Processing Integrity,
        Confidentiality, Privacy), only with ``SOC 2`` or ``Both``.
    report_type : {"Type 1", "Type 2"}, optional
    website : str, optional
        The organisation's website when ``organisation`` is a name: the decision is then keyed by
        its registered domain.
    store, workspace, database
        Which store (see :func:`open_store`); default: the default store.

    Returns
    -------
    pandas.Series
        The new event (:data:`EVENT_COLUMNS`).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> event = review.set("Acme Payroll", website="acme.com", report="Both", categories="Privacy",
    ...                      reason="Runs payroll and hosts HR data", by="J. Smith", store=store)
    >>> event[["action", "key_kind", "org_key", "report", "categories"]].tolist()
    ['set', 'domain', 'acme.com', 'Both', 'Privacy']
    """
    report = check_report(report)
    values = (report, check_categories(categories, report), check_report_type(report_type, report))
    reason = _text_argument(reason, "reason", "Confirmed with the client: no financial reporting impact")
    by = _text_argument(by, "by", "J. Smith")
    key = organisation_key(organisation, website)
    store = get_store(store, workspace, database)

    def work(conn: Connection) -> dict:
        resolved = _resolve(conn, key)
        return _append(conn, _event(resolved, "set", by, reason, values, _latest(conn, resolved)))

    return _frame([store.write(work)]).iloc[0]


def clear(
    organisation: str,
    *,
    reason: str,
    by: str,
    website: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.Series:
    """Withdraw an organisation's decision: the classifier's answer stands again.

    Written as a new ``clear`` event (no report); the earlier events stay.

    Raises
    ------
    ReviewStoreError
        When the organisation has no current decision.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=store)
    >>> review.clear("Globex", reason="Client sold the billing business", by="A. Lee", store=store)["report"]
    nan
    """
    reason = _text_argument(reason, "reason", "Client sold the business line")
    by = _text_argument(by, "by", "J. Smith")
    key = organisation_key(organisation, website)
    store = get_store(store, workspace, database)

    def work(conn: Connection) -> dict:
        resolved = _resolve(conn, key)
        latest = _latest(conn, resolved)
        if latest is None or latest.report is None:
            raise ReviewStoreError(f"{organisation!r} has no current decision to clear")
        return _append(conn, _event(_shown(resolved, latest), "clear", by, reason, (None, "", ""), latest))

    return _frame([store.write(work)]).iloc[0]


def _shown(key: OrgKey, latest) -> OrgKey:
    """The key with the name and website of the latest event, when the caller gave only one of them."""
    if latest is None:
        return key
    website = key.website or latest.website
    name_key = key.name_key or latest.name_key
    return OrgKey(key.kind, key.key, name_key, key.organisation, website)


def undo(
    organisation: str,
    *,
    reason: str,
    by: str,
    website: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.Series:
    """Undo an organisation's latest event by a new ``undo`` event that restores the value before it.

    The latest event is left as it was; undoing an ``undo`` restores what it had undone.

    Raises
    ------
    ReviewStoreError
        When the organisation has no events.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Initech", report="SOC 2", reason="Hosts data", by="A. Lee", store=store)
    >>> _ = review.set("Initech", report="Both", reason="Also payroll", by="A. Lee", store=store)
    >>> review.undo("Initech", reason="Payroll was a prospect's", by="B. Kim", store=store)["report"]
    'SOC 2'
    >>> review.history("Initech", store=store)["action"].tolist()
    ['set', 'set', 'undo']
    """
    reason = _text_argument(reason, "reason", "Entered against the wrong client")
    by = _text_argument(by, "by", "J. Smith")
    key = organisation_key(organisation, website)
    store = get_store(store, workspace, database)

    def work(conn: Connection) -> dict:
        resolved = _resolve(conn, key)
        latest = _latest(conn, resolved)
        if latest is None:
            raise ReviewStoreError(f"{organisation!r} has no decisions to undo")
        values = (latest.previous_report, latest.previous_categories, latest.previous_report_type)
        return _append(conn, _event(_shown(resolved, latest), "undo", by, reason, values, latest))

    return _frame([store.write(work)]).iloc[0]


# --------------------------------------------------------------------------- reading
def _frame(rows) -> pd.DataFrame:
    records = [dict(r._mapping) if hasattr(r, "_mapping") else dict(r) for r in rows]
    df = pd.DataFrame.from_records(records, columns=list(EVENT_COLUMNS))
    return _typed(df)


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in df.columns:
        if column == "id":
            out[column] = df[column].astype("int64")
        elif column in _TIME_COLUMNS:
            out[column] = pd.to_datetime(df[column], utc=True).astype("datetime64[us, UTC]")
        else:
            out[column] = df[column].astype(TEXT_DTYPE)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))


def history(
    organisation: str,
    *,
    website: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.DataFrame:
    """Every event of an organisation, oldest first (:data:`EVENT_COLUMNS`); empty when it has none.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("acme.com", report="SOC 1", reason="Payroll", by="A. Lee", store=store)
    >>> _ = review.set("Acme", website="https://www.acme.com", report="Both", reason="And HR data",
    ...                  by="B. Kim", store=store)
    >>> review.history("acme.com", store=store)[["report", "previous_report", "decided_by"]]
      report previous_report decided_by
    0  SOC 1             NaN     A. Lee
    1   Both           SOC 1     B. Kim
    """
    key = organisation_key(organisation, website)
    store = get_store(store, workspace, database)
    with store.read() as conn:
        key = _resolve(conn, key)
        rows = conn.execute(
            select(*[E.c[c] for c in EVENT_COLUMNS])
            .where(E.c.key_kind == key.kind, E.c.org_key == key.key)
            .order_by(E.c.id)
        ).all()
    return _frame(rows)


def all_events(store: Store) -> pd.DataFrame:
    """Every event in the store, oldest first (:data:`EVENT_COLUMNS`)."""
    with store.read() as conn:
        rows = conn.execute(select(*[E.c[c] for c in EVENT_COLUMNS]).order_by(E.c.id)).all()
    return _frame(rows)


def current_events(conn: Connection, *, withdrawn: bool = False):
    """The latest event of every organisation (rows of ``decision_events``), by id."""
    latest = select(func.max(E.c.id)).group_by(E.c.key_kind, E.c.org_key).scalar_subquery()
    query = select(E).where(E.c.id.in_(latest))
    if not withdrawn:
        query = query.where(E.c.report.is_not(None))
    return conn.execute(query.order_by(E.c.id)).all()


def list_decisions(
    *,
    withdrawn: bool = False,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.DataFrame:
    """The current decision of every organisation, one row each, oldest first.

    Parameters
    ----------
    withdrawn : bool
        Also list organisations whose latest event withdrew the decision (no report).

    Returns
    -------
    pandas.DataFrame
        :data:`CURRENT_COLUMNS`: the key, the name and website as last given, the decision, who,
        when, which action and the id of the event.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Globex", report="Neither", reason="Sells hardware only", by="A. Lee", store=store)
    >>> review.list(store=store)[["organisation", "report", "decided_by"]]
      organisation   report decided_by
    0       Globex  Neither     A. Lee
    """
    store = get_store(store, workspace, database)
    with store.read() as conn:
        rows = current_events(conn, withdrawn=withdrawn)
    return _frame(rows)[list(CURRENT_COLUMNS)]


# --------------------------------------------------------------------------- HTML
def _esc(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


_HTML_COLUMNS = {
    "decided_at": "When (UTC)",
    "action": "Action",
    "report": "Report",
    "categories": "Categories",
    "report_type": "Type",
    "reason": "Reason",
    "decided_by": "By",
    "previous_report": "Before",
}


def history_html(
    organisation: str,
    *,
    website: str | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> str:
    """The history of an organisation as a small HTML table, every value escaped.

    Values in the store are data typed by people: show them only through this function, or escape
    them as it does (:func:`html.escape`).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("<b>Acme</b>", report="SOC 2", reason="Hosts <data>", by="A. Lee", store=store)
    >>> table = review.history_html("<b>Acme</b>", store=store)
    >>> "<b>" in table, "&lt;b&gt;Acme&lt;/b&gt;" in table, "Hosts &lt;data&gt;" in table
    (False, True, True)
    """
    events = history(organisation, website=website, store=store, workspace=workspace, database=database)
    esc = _esc
    head = "".join(f"<th>{esc(label)}</th>" for label in _HTML_COLUMNS.values())
    body = []
    for event in events.itertuples(index=False):  # a few events of one organisation
        cells = []
        for column in _HTML_COLUMNS:
            value = getattr(event, column)
            if column == "decided_at":
                value = value.strftime("%Y-%m-%d %H:%M")
            elif column == "categories" and event.report in _SOC2:
                value = "; ".join(["Security", *([value] if value else [])])
            cells.append(f"<td>{esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(_HTML_COLUMNS)}">No decisions recorded.</td></tr>')
    return (
        f'<table class="socanalysis-history"><caption>Decisions on {esc(organisation.strip())}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


# --------------------------------------------------------------------------- export and import
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
    store = get_store(store, workspace, database)
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
