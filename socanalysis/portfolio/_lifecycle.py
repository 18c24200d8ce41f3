"""Where each report stands in its life: the end of its currency window, months elapsed, bridge letters.

A report is treated as current for a number of months after its period ends; month ends stay month
ends (a period ending Sep 30 is current until Sep 30 of the next year, and Sep 30 + 3 months is
Dec 31).

>>> life = lifecycle(pd.Series(pd.to_datetime(["2024-03-31", "2024-09-30", None])),
...                  pd.Timestamp("2025-06-30"), validity=12, window=3)
>>> life.stale.tolist(), life.due.tolist(), [str(d.date()) for d in life.renewal.dropna()]
([True, False, False], [False, True, False], ['2025-03-31', '2025-09-30'])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..load import resolve_month_day
from ._columns import take_str


class Lifecycle(NamedTuple):
    """Per row, on positions 0..n-1: the period end, the end of its currency window, and where ``as_of`` falls."""

    period_end: pd.Series
    renewal: pd.Series
    stale: np.ndarray  # the currency window ended before as_of
    due: np.ndarray  # the window ends within the renewal window after as_of
    months: np.ndarray  # months from the period end to as_of


def lifecycle(period_end: pd.Series, as_of: pd.Timestamp, *, validity: int, window: int) -> Lifecycle:
    """Where each report stands at ``as_of``: current for ``validity`` months, due ``window`` months before."""
    pe = period_end.reset_index(drop=True)
    renewal = add_months(pe, validity)
    has_pe = pe.notna().to_numpy()
    stale = has_pe & (renewal < as_of).to_numpy()
    due = has_pe & ~stale & (renewal <= as_of + pd.DateOffset(months=window)).to_numpy()
    return Lifecycle(pe, renewal, stale, due, months_between(pe, as_of))


def add_months(dates: pd.Series, months: int) -> pd.Series:
    """Add whole months; a month-end date stays a month end (Sep 30 + 3 = Dec 31).

    >>> add_months(pd.Series(pd.to_datetime(["2024-09-30", "2024-09-15"])), 3).dt.strftime("%m-%d").tolist()
    ['12-31', '12-15']
    """
    shifted = dates + pd.DateOffset(months=months)
    month_end = dates.dt.is_month_end.fillna(False).astype(bool)
    return shifted.where(~month_end, shifted + pd.offsets.MonthEnd(0))


def months_between(start: pd.Series, end: pd.Series | pd.Timestamp) -> np.ndarray:
    """Months from ``start`` to ``end`` as a float; month ends count as day 31 (Jun 30 -> Sep 30 = 3.0).

    >>> months_between(pd.Series(pd.to_datetime(["2025-06-30", "2025-06-15"])), pd.Timestamp("2025-09-30")).tolist()
    [3.0, 3.5161290322580645]
    """
    start = pd.Series(start).reset_index(drop=True)
    if isinstance(end, pd.Timestamp):
        end = pd.Series(end, index=start.index)
    end = pd.Series(end).reset_index(drop=True)

    def parts(s: pd.Series):
        day = s.dt.day.to_numpy(dtype=float, na_value=np.nan)
        day = np.where(s.dt.is_month_end.fillna(False).to_numpy(dtype=bool), 31.0, day)
        year = s.dt.year.to_numpy(dtype=float, na_value=np.nan)
        return year, s.dt.month.to_numpy(dtype=float, na_value=np.nan), day

    y1, m1, d1 = parts(start)
    y2, m2, d2 = parts(end)
    return (y2 - y1) * 12 + (m2 - m1) + (d2 - d1) / 31.0


def bridge_letters(
    fiscal_year_end: pd.Series, period_end: pd.Series, applies: np.ndarray, bridge_months: int
) -> tuple[pd.Series, pd.Series]:
    """The fiscal year end on or after each period end, and how the report period fits it.

    "" when it coincides, a date is missing or ``applies`` is False (nothing needed is held);
    "Bridge letter" when it falls within ``bridge_months`` after the period end; "New report" when later.
    """
    next_fye = resolve_month_day(fiscal_year_end, period_end)
    gap_months = months_between(period_end, next_fye)
    fits = applies & ~np.isnan(gap_months)
    code = np.select([~fits, gap_months <= 0, gap_months <= bridge_months], [0, 0, 1], 2)
    return next_fye, take_str(["", "Bridge letter", "New report"], code)
