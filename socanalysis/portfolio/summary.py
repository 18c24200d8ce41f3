"""Summaries: coverage counts, shares and the opportunity estimate, for the whole portfolio and by segment.

>>> from socanalysis.portfolio import coverage
>>> frame = pd.DataFrame({"soc_report": ["SOC 1", "SOC 2", "Neither"]})
>>> tables = summarize(coverage(frame, as_of="2025-06-30"))
>>> tables["All"][["organisations", "Gap: SOC 1", "Not needed"]].to_dict("records")
[{'organisations': 3, 'Gap: SOC 1': 1, 'Not needed': 1}]
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ValueParseError
from ..load import FIELD_BY_NAME, fields_of
from ..vocabulary import CURRENT_STATUSES, NEEDS_REPORT_STATUSES, NOT_GIVEN, STATUSES
from ._columns import require_coverage, text
from .fees import FeeSchedule
from .pricing import opportunities
from .segments import segment_labels

__all__ = ["summarize"]


def summarize(
    covered: pd.DataFrame,
    *,
    by: Sequence[str] = ("industry", "partner", "region"),
    fees: str | os.PathLike | Mapping | FeeSchedule | None = None,
) -> dict[str, pd.DataFrame]:
    """Coverage counts, shares and the opportunity estimate by segment.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage`.
    by : sequence of str
        Segments: canonical fields ("industry", "partner", "region", "sector", "country",
        "size_band" ...) found through the field mapping, or column names. A segment with no column
        is skipped.
    fees : path, dict, FeeSchedule or None
        The fee schedule for the opportunity estimate (:func:`socanalysis.portfolio.load_fees`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"All"`` (one row) and one table per segment found, keyed by the name given in ``by``,
        indexed by the segment's values (blanks as "(not given)"; industries and sectors under the
        canonical spelling of the industry tables, as :func:`~socanalysis.portfolio.segment_labels`
        gives them), sorted by organisations then name.
        Columns: ``organisations``; a count per status (:data:`STATUSES`); ``<status> share`` for each
        (0-1, of the segment's organisations); ``needs_report`` (the statuses of
        :data:`~socanalysis.vocabulary.NEEDS_REPORT_STATUSES`), ``covered_current`` (Covered and
        Renewal due) and ``covered_current_share`` (``covered_current / needs_report``, the share the
        headline figures give: NaN when none needs a report); ``Type upgrade``, ``TSC gap`` and
        ``Bridge letter`` counts; ``opportunity_usd``.
        In every table the status counts add up to ``organisations``, and ``organisations`` adds up
        to the number of rows.

    Examples
    --------
    >>> from socanalysis.portfolio import coverage
    >>> frame = pd.DataFrame({"Industry": ["Payroll", "Payroll", None],
    ...                       "soc_report": ["SOC 1", "Neither", "SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
    >>> tables = summarize(coverage(frame, as_of="2025-06-30"))
    >>> list(tables)
    ['All', 'industry']
    >>> columns = ["organisations", "Gap: SOC 1", "Gap: SOC 2", "Not needed"]
    >>> tables["industry"][columns]  # doctest: +NORMALIZE_WHITESPACE
                 organisations  Gap: SOC 1  Gap: SOC 2  Not needed
    Industry
    Payroll                  2           1           0           1
    (not given)              1           0           1           0
    """
    require_coverage(covered, "summarize")
    if isinstance(by, str):
        by = (by,)
    fields = fields_of(covered, headers=False)
    n = len(covered)
    opp = opportunities(covered, fees)["opportunity_usd"].to_numpy(dtype=float)
    status = _status_codes(covered)
    flags = _flags(covered)
    tables = {"All": _segment_table(np.zeros(n, dtype=np.int64), ["All"], status, flags, opp, "All")}
    for segment in by:
        column = _segment_column(covered, fields, segment)
        if column is not None:
            codes, labels = _segment_codes(segment_labels(covered, segment, fields=fields))
            tables[segment] = _segment_table(codes, labels, status, flags, opp, str(column))
    return tables


def _status_codes(covered: pd.DataFrame) -> np.ndarray:
    """The position of each row's ``coverage_status`` in :data:`STATUSES`; raise on a status coverage() never gives."""
    status = pd.Categorical(covered["coverage_status"], categories=list(STATUSES)).codes.astype(np.int64)
    if (status < 0).any():
        bad = covered["coverage_status"].iloc[int(np.flatnonzero(status < 0)[0])]
        raise ValueParseError(f"column 'coverage_status' holds {bad!r}, which coverage() does not produce")
    return status


def _flags(covered: pd.DataFrame) -> dict[str, np.ndarray]:
    """The conditions counted beside the statuses: a Type 1 to upgrade, a category gap, a bridge letter."""
    n = len(covered)
    return {
        "Type upgrade": (
            covered["type_upgrade"].to_numpy(dtype=bool) if "type_upgrade" in covered else np.zeros(n, dtype=bool)
        ),
        "TSC gap": (text(covered, "tsc_gap") != "").to_numpy(dtype=bool),
        "Bridge letter": (text(covered, "bridge_letter") == "Bridge letter").to_numpy(dtype=bool),
    }


def _segment_column(covered: pd.DataFrame, fields: Mapping[str, str], segment: str) -> str | None:
    """The column of a segment: a canonical field through the mapping, else a column of that name."""
    column = fields.get(segment) if segment in FIELD_BY_NAME else None
    if column is None and segment in covered.columns:
        column = segment
    return column


def _segment_codes(labels: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A code per row and the segment labels (:func:`~socanalysis.portfolio.segments.segment_labels`)."""
    codes, uniques = pd.factorize(labels.to_numpy(dtype=object))
    return codes.astype(np.int64), [str(u) for u in uniques]


def _segment_table(
    codes: np.ndarray,
    labels: list[str],
    status: np.ndarray,
    flags: dict[str, np.ndarray],
    opp: np.ndarray,
    index_name: str,
) -> pd.DataFrame:
    """Counts, shares, flags and opportunity per segment label; segments without rows are left out."""
    k = len(labels)
    width = len(STATUSES)
    counts = np.bincount(codes * width + status, minlength=k * width).reshape(k, width)
    table = pd.DataFrame(counts, index=pd.Index(labels, dtype=object), columns=list(STATUSES))
    table.insert(0, "organisations", counts.sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        for status_name in STATUSES:
            table[f"{status_name} share"] = (table[status_name] / table["organisations"]).round(4)
        table["needs_report"] = table[list(NEEDS_REPORT_STATUSES)].sum(axis=1)
        table["covered_current"] = table[list(CURRENT_STATUSES)].sum(axis=1)
        table["covered_current_share"] = (table["covered_current"] / table["needs_report"]).round(4)
    for name, values in flags.items():
        table[name] = np.bincount(codes, weights=values.astype(float), minlength=k).astype(np.int64)
    table["opportunity_usd"] = np.round(np.bincount(codes, weights=opp, minlength=k), 2)
    if index_name != "All":
        table = table[table["organisations"] > 0]
    return _sorted(table, index_name)


def _sorted(table: pd.DataFrame, index_name: str) -> pd.DataFrame:
    """Largest segments first; among equals by name, "(not given)" last."""
    table["_blank"] = table.index == NOT_GIVEN
    table["_name"] = [str(v).lower() for v in table.index]
    order = ["organisations", "_blank", "_name"]
    table = table.sort_values(order, ascending=[False, True, True], kind="stable")
    table = table.drop(columns=["_blank", "_name"])
    table.index.name = index_name
    return table
