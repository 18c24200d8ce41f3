"""Portfolio snapshots: the coverage of every organisation at a date, kept to see what changed.

:func:`save_snapshot` keeps a compact copy of an assessed portfolio (the output of
:func:`socanalysis.coverage`); :func:`compare_snapshots` says what changed between two of them,
organisation by organisation; :func:`trend` counts the statuses of every snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, insert, select

from ..load import TEXT_DTYPE
from ._errors import ReviewStoreError
from ._keys import frame_keys, frame_mapping
from ._schema import snapshot_rows as R
from ._schema import snapshots as S
from ._store import Store, get_store, read_store
from ._vocab import CHANGES, CLASSIFIER_REPORTS, COVERED, GAPS, NEEDS_REPORT, STATUSES

__all__ = ["COMPARE_COLUMNS", "compare_snapshots", "save_snapshot", "snapshots", "trend"]

#: the columns of :func:`compare_snapshots`, in order
COMPARE_COLUMNS: tuple[str, ...] = (
    "key_kind",
    "org_key",
    "organisation",
    "change",
    "old_status",
    "new_status",
    "old_report",
    "new_report",
    "old_reports",
    "new_reports",
    "old_months",
    "new_months",
)
_INSERT_BATCH = 5_000


def _as_of(value) -> dt.date:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ReviewStoreError(
            f"as_of={value!r} is not a date; give the date the portfolio was assessed at, e.g. '2026-06-30'"
        )
    return stamp.date()


def save_snapshot(
    frame: pd.DataFrame,
    *,
    as_of,
    label: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> int:
    """Keep a compact snapshot of an assessed portfolio; return its id.

    Per row: the organisation's key (registered website domain, else normalised name, as
    decisions are keyed), its name as written, ``soc_report``, ``coverage_status`` and, when
    present, what it holds (the ``reports`` field's column as written, or a ``current_reports``
    column) and ``months_since_period_end``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`socanalysis.coverage` (``coverage_status`` and ``soc_report`` are
        required), with a name or a website column.
    as_of : date-like
        The date the portfolio was assessed at.
    label : str, optional
        A name for the snapshot ("Q2 review").
    mapping : dict, optional
        Field -> column; by default :func:`socanalysis.field_mapping`'s.

    Raises
    ------
    ReviewStoreError
        A required column is missing, or statuses or reports are not ones coverage gives (every
        bad value listed as a case).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> covered = pd.DataFrame({"Client": ["Acme", "Globex"], "soc_report": ["SOC 1", "Neither"],
    ...                         "coverage_status": ["Gap: SOC 1", "Not needed"]})
    >>> review.save_snapshot(covered, as_of="2026-03-31", label="Q1", store=store)
    1
    >>> review.snapshots(store=store)[["id", "label", "as_of", "organisations"]]
       id label       as_of  organisations
    0   1    Q1  2026-03-31              2
    """
    if not isinstance(frame, pd.DataFrame):
        raise ReviewStoreError(f"save_snapshot() takes the DataFrame returned by coverage, not {type(frame).__name__}")
    missing = [c for c in ("soc_report", "coverage_status") if c not in frame.columns]
    if missing:
        raise ReviewStoreError(
            f"save_snapshot() needs the output of coverage: no column {' or '.join(map(repr, missing))}; "
            "run socanalysis.coverage(classified, as_of=...) first"
        )
    day = _as_of(as_of)
    if label is not None and not isinstance(label, str):
        raise ReviewStoreError(f"label={label!r}: give a text such as 'Q2 review', or leave it out")
    mapping = frame_mapping(frame, mapping)
    status = frame["coverage_status"].astype(TEXT_DTYPE)
    report = frame["soc_report"].astype(TEXT_DTYPE)
    cases = [
        {"row": int(i) + 1, "column": "coverage_status", "value": v, "problem": f"accepted: {', '.join(STATUSES)}"}
        for i, v in zip(np.flatnonzero(~status.isin(STATUSES)), status[~status.isin(STATUSES)], strict=True)
    ]
    bad = ~report.isin(CLASSIFIER_REPORTS)
    cases += [
        {"row": int(i) + 1, "column": "soc_report", "value": v, "problem": f"accepted: {', '.join(CLASSIFIER_REPORTS)}"}
        for i, v in zip(np.flatnonzero(bad), report[bad], strict=True)
    ]
    if cases:
        raise ReviewStoreError(
            f"cannot save the snapshot: {len(cases)} value(s) are not what coverage gives", cases=cases
        )
    kinds, keys = frame_keys(frame, mapping)
    name_col, web_col = mapping.get("name"), mapping.get("website")
    shown = frame[name_col] if name_col else frame[web_col]
    holdings = mapping.get("reports") or ("current_reports" if "current_reports" in frame.columns else None)
    months = (
        pd.to_numeric(frame["months_since_period_end"], errors="coerce").to_numpy(dtype=float)
        if "months_since_period_end" in frame.columns
        else np.full(len(frame), np.nan)
    )
    columns = {
        "key_kind": kinds,
        "org_key": keys,
        "organisation": _objects(shown),
        "soc_report": _objects(report),
        "coverage_status": _objects(status),
        "current_reports": _objects(frame[holdings]) if holdings else np.full(len(frame), None, dtype=object),
        "months_since_period_end": [None if np.isnan(m) else float(m) for m in months],
    }
    records = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
    store = get_store(store, workspace, database)

    def work(conn: Connection) -> int:
        new_id = conn.execute(
            insert(S)
            .values(label=label, as_of=day, saved_at=dt.datetime.now(dt.UTC), organisations=len(frame))
            .returning(S.c.id)
        ).scalar_one()
        for start in range(0, len(records), _INSERT_BATCH):
            part = records[start : start + _INSERT_BATCH]
            conn.execute(insert(R), [{"snapshot_id": new_id, "position": start + i, **r} for i, r in enumerate(part)])
        return int(new_id)

    return store.write(work)


def _objects(series: pd.Series) -> np.ndarray:
    """Text values as Python strings, missing ones as None."""
    return series.astype(TEXT_DTYPE).to_numpy(dtype=object, na_value=None)


def snapshots(*, store: Store | None = None, workspace=None, database=None) -> pd.DataFrame:
    """Every snapshot in the store, oldest first: ``id``, ``label``, ``as_of``, ``saved_at``, ``organisations``."""
    store = read_store(store, workspace, database)
    with store.read() as conn:
        rows = conn.execute(select(S).order_by(S.c.id)).all()
    return _snapshot_frame(rows)


def _snapshot_frame(rows) -> pd.DataFrame:
    df = pd.DataFrame.from_records(
        [dict(r._mapping) for r in rows], columns=["id", "label", "as_of", "saved_at", "organisations"]
    )
    return pd.DataFrame(
        {
            "id": df["id"].astype("int64"),
            "label": df["label"].astype(TEXT_DTYPE),
            "as_of": df["as_of"].astype(object),
            "saved_at": pd.to_datetime(df["saved_at"], utc=True).astype("datetime64[us, UTC]"),
            "organisations": df["organisations"].astype("int64"),
        }
    )


def _rows(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    rows = conn.execute(select(R).where(R.c.snapshot_id == snapshot_id).order_by(R.c.position)).all()
    df = pd.DataFrame.from_records([dict(r._mapping) for r in rows], columns=[c.name for c in R.columns])
    df = df[df["org_key"].notna()]
    return df.drop_duplicates(["key_kind", "org_key"], keep="first")


def _pick(conn: Connection, old, new) -> tuple[int, int, dt.date, dt.date]:
    ids = conn.execute(select(S.c.id, S.c.as_of).order_by(S.c.id)).all()
    known = dict(ids)
    for name, value in (("old", old), ("new", new)):
        if value is not None and value not in known:
            listed = ", ".join(map(str, known)) or "none"
            raise ReviewStoreError(f"{name}={value!r} is not a snapshot id; the store's snapshots are: {listed}")
    order = [i for i, _ in ids]
    if new is None:
        new = order[-1] if order else None
    if old is None and new is not None:
        before = [i for i in order if i < new]
        old = before[-1] if before else None
    if old is None or new is None:
        raise ReviewStoreError(f"compare_snapshots needs two snapshots; the store has {len(order)}: save another first")
    return old, new, known[old], known[new]


def compare_snapshots(
    old: int | None = None,
    new: int | None = None,
    *,
    include_unchanged: bool = False,
    store: Store | None = None,
    workspace=None,
    database=None,
) -> pd.DataFrame:
    """What changed, organisation by organisation, between two snapshots.

    Organisations are matched by key (registered website domain, else normalised name); rows
    without a name or website cannot be followed and are left out, and an organisation listed
    twice in a snapshot counts once (its first row). Each organisation gets at most one change,
    the first of these that applies, from the old status ``o`` to the new status ``n``:

    ``new client``
        In the new snapshot only.
    ``departed client``
        In the old snapshot only.
    ``new gap``
        ``n`` is a gap (``Gap: SOC 1``, ``Gap: SOC 2``, ``Gap: SOC 1 + SOC 2``) naming a report
        that ``o`` did not name as a gap: from any other status into a gap, or a gap that grew
        (``Gap: SOC 1`` to ``Gap: SOC 1 + SOC 2``) or moved (``Gap: SOC 1`` to ``Gap: SOC 2``).
    ``closed gap``
        ``o`` was a gap, and ``n`` is ``Covered``, ``Renewal due``, ``Stale``, ``Not needed`` or a
        gap naming fewer reports. Not when ``n`` is ``Unverified`` (a report is claimed but not
        yet verified) or ``Review`` (the need is being reviewed): the gap is not known to be
        closed.
    ``renewed``
        ``o`` is ``Stale`` and ``n`` is ``Covered`` or ``Renewal due``; or ``o`` is ``Renewal
        due`` and ``n`` is ``Covered``; or both are ``Covered`` or ``Renewal due`` and the report
        period now ends at least a month later (from ``months_since_period_end`` and the two
        ``as_of`` dates).
    ``lapsed``
        ``o`` is ``Covered`` or ``Renewal due`` and ``n`` is ``Stale``.

    Parameters
    ----------
    old, new : int, optional
        Snapshot ids; by default the last two (``new`` the latest, ``old`` the one before it).
    include_unchanged : bool
        Also list the organisations in both with none of these changes (``change`` empty).

    Returns
    -------
    pandas.DataFrame
        :data:`COMPARE_COLUMNS`, sorted by change in the order of :data:`CHANGES` (new gap, closed
        gap, renewed, lapsed, new client, departed client), then by organisation.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> q1 = pd.DataFrame({"Client": ["Acme", "Globex", "Initech"], "soc_report": ["SOC 1", "SOC 2", "SOC 2"],
    ...                    "coverage_status": ["Gap: SOC 1", "Covered", "Covered"]})
    >>> q2 = pd.DataFrame({"Client": ["Acme", "Globex", "Umbrella"], "soc_report": ["SOC 1", "SOC 2", "Both"],
    ...                    "coverage_status": ["Covered", "Stale", "Gap: SOC 1 + SOC 2"]})
    >>> _ = review.save_snapshot(q1, as_of="2026-03-31", store=store)
    >>> _ = review.save_snapshot(q2, as_of="2026-06-30", store=store)
    >>> review.compare_snapshots(store=store)[["organisation", "change", "old_status", "new_status"]]
      organisation           change  old_status          new_status
    0         Acme       closed gap  Gap: SOC 1             Covered
    1       Globex           lapsed     Covered               Stale
    2     Umbrella       new client         NaN  Gap: SOC 1 + SOC 2
    3      Initech  departed client     Covered                 NaN
    """
    store = read_store(store, workspace, database)
    with store.read() as conn:
        old, new, old_day, new_day = _pick(conn, old, new)
        before, after = _rows(conn, old), _rows(conn, new)
    merged = after.merge(before, on=["key_kind", "org_key"], how="outer", suffixes=("_n", "_o"), indicator=True)
    o = merged["coverage_status_o"].to_numpy(dtype=object)
    n = merged["coverage_status_n"].to_numpy(dtype=object)
    gap_o, gap_n = _gap_bits(o), _gap_bits(n)
    m_o = pd.to_numeric(merged["months_since_period_end_o"], errors="coerce").to_numpy(dtype=float)
    m_n = pd.to_numeric(merged["months_since_period_end_n"], errors="coerce").to_numpy(dtype=float)
    elapsed = (new_day - old_day).days / (365.25 / 12)
    with np.errstate(invalid="ignore"):
        later_period = (m_o + elapsed) - m_n >= 1.0  # NaN compares False
    covered_o, covered_n = np.isin(o, COVERED), np.isin(n, COVERED)
    closing = np.isin(n, ("Covered", "Renewal due", "Stale", "Not needed", *GAPS))
    change = np.select(
        [
            (merged["_merge"] == "left_only").to_numpy(),
            (merged["_merge"] == "right_only").to_numpy(),
            (gap_n & ~gap_o) != 0,
            ((gap_o & ~gap_n) != 0) & closing,
            ((o == "Stale") & covered_n)
            | ((o == "Renewal due") & (n == "Covered"))
            | (covered_o & covered_n & later_period),
            covered_o & (n == "Stale"),
        ],
        ["new client", "departed client", "new gap", "closed gap", "renewed", "lapsed"],
        default="",
    )
    order = {c: i for i, c in enumerate(CHANGES)}
    out = pd.DataFrame(
        {
            "key_kind": merged["key_kind"],
            "org_key": merged["org_key"],
            "organisation": merged["organisation_n"].fillna(merged["organisation_o"]),
            "change": change,
            "old_status": merged["coverage_status_o"],
            "new_status": merged["coverage_status_n"],
            "old_report": merged["soc_report_o"],
            "new_report": merged["soc_report_n"],
            "old_reports": merged["current_reports_o"],
            "new_reports": merged["current_reports_n"],
            "old_months": m_o,
            "new_months": m_n,
        }
    )
    if not include_unchanged:
        out = out[out["change"] != ""]
    rank = out["change"].map(order).fillna(len(order))
    out = out.assign(_rank=rank).sort_values(["_rank", "organisation"], kind="stable").drop(columns="_rank")
    for column in COMPARE_COLUMNS:
        if column not in ("old_months", "new_months"):
            out[column] = out[column].astype(TEXT_DTYPE)
    return out.reset_index(drop=True)[list(COMPARE_COLUMNS)]


def _gap_bits(status: np.ndarray) -> np.ndarray:
    bits = np.zeros(len(status), dtype=np.int64)
    for name, reports in GAPS.items():
        value = ("SOC 1" in reports) * 1 + ("SOC 2" in reports) * 2
        bits[status == name] = value
    return bits


def trend(*, store: Store | None = None, workspace=None, database=None) -> pd.DataFrame:
    """Counts per status for every snapshot, oldest first, and the share covered.

    Returns
    -------
    pandas.DataFrame
        One row per snapshot: ``id``, ``label``, ``as_of``, ``organisations`` (rows saved), a
        count per status (every status of :data:`STATUSES`, 0 when absent), ``needs_report``
        (organisations that need a report: every status but ``Not needed`` and ``Review``),
        ``covered`` (``Covered`` + ``Renewal due``: everything needed is held and current) and
        ``covered_share`` = ``covered / needs_report`` (NaN when no organisation needs a report).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> frame = pd.DataFrame({"Client": ["A", "B", "C", "D"], "soc_report": ["SOC 1", "SOC 2", "Neither", "Both"],
    ...                       "coverage_status": ["Covered", "Gap: SOC 2", "Not needed", "Renewal due"]})
    >>> _ = review.save_snapshot(frame, as_of="2026-03-31", store=store)
    >>> review.trend(store=store)[["organisations", "Covered", "needs_report", "covered", "covered_share"]]
       organisations  Covered  needs_report  covered  covered_share
    0              4        1             3        2       0.666667
    """
    store = read_store(store, workspace, database)
    with store.read() as conn:
        shots = _snapshot_frame(conn.execute(select(S).order_by(S.c.id)).all())
        counts = conn.execute(
            select(R.c.snapshot_id, R.c.coverage_status, func.count()).group_by(R.c.snapshot_id, R.c.coverage_status)
        ).all()
    table = pd.DataFrame(0, index=pd.Index(shots["id"].tolist(), dtype="int64"), columns=list(STATUSES), dtype="int64")
    for snapshot_id, status, count in counts:
        if status in table.columns:
            table.loc[snapshot_id, status] = count
    out = shots[["id", "label", "as_of", "organisations"]].reset_index(drop=True)
    for status in STATUSES:
        out[status] = table[status].to_numpy()
    out["needs_report"] = table[list(NEEDS_REPORT)].sum(axis=1).to_numpy()
    out["covered"] = table[list(COVERED)].sum(axis=1).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["covered_share"] = np.where(
            out["needs_report"] > 0, out["covered"] / out["needs_report"].replace(0, 1), np.nan
        )
    return out
