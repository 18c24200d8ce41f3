"""Decisions and their audit trail: set, clear, undo, list and history (export and import: ``_exchange``).

Every change is a new row of ``decision_events``; nothing is ever updated or deleted. The current
decision of an organisation is its latest event; a withdrawn one (``clear``, or an ``undo`` back
to no decision) has no report.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from ..load import TEXT_DTYPE
from ._errors import ReviewStoreError
from ._keys import OrgKey, organisation_key
from ._schema import decision_events as E
from ._store import Store, get_store, read_store
from ._vocab import CATEGORIES, REPORT_TYPES, REPORTS

__all__ = [
    "EVENT_COLUMNS",
    "clear",
    "history",
    "history_html",
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
    store = read_store(store, workspace, database)
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


def current_events(conn: Connection, *, withdrawn: bool = False, columns: tuple[str, ...] | None = None):
    """The latest event of every organisation (rows of ``decision_events``, or of ``columns``), by id."""
    latest = select(func.max(E.c.id)).group_by(E.c.key_kind, E.c.org_key).scalar_subquery()
    query = (select(E) if columns is None else select(*[E.c[c] for c in columns])).where(E.c.id.in_(latest))
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
    store = read_store(store, workspace, database)
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
