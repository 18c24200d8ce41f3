"""The ``coverage_note`` column: one plain sentence per row explaining its coverage status.

The sentences are built once per distinct combination of what they say (status, months, dates),
then taken per row: a million rows cost a few hundred sentences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import STATUSES
from ._columns import take_str, unique_rows
from ._lifecycle import Lifecycle

_UNDETERMINED_NOT_NEEDED = (
    "What it needs is undetermined and it holds no SOC 1 or SOC 2: review it before treating it as not needed."
)
_UNDETERMINED_REVIEW = (
    "What it needs is undetermined and it holds only a SOC 3: someone thought it needed a SOC report, "
    "so review what it needs."
)
_NEITHER_REVIEW = (
    "Classified as needing no SOC report, yet it holds one: someone thought it needed one, so review what it "
    "needs before treating it as not needed."
)
_UNVERIFIED = (
    "Holds what it needs, but no period end is given (or it could not be read), so whether the report is "
    "current is not verified: ask for its period end."
)
_UNDETERMINED_JUDGED = "What it needs is undetermined, so it is judged on the reports it holds. "


def notes(
    status_code: np.ndarray,
    undetermined: np.ndarray,
    holds3: np.ndarray,
    life: Lifecycle,
    *,
    as_of: pd.Timestamp,
    validity: int,
    window: int,
) -> pd.Series:
    """The sentence per row (on positions 0..n-1) for the status at ``status_code`` in :data:`STATUSES`.

    Examples
    --------
    >>> from socanalysis.portfolio._lifecycle import lifecycle
    >>> as_of = pd.Timestamp("2025-06-30")
    >>> life = lifecycle(pd.Series(pd.to_datetime(["2024-03-31", None])), as_of, validity=12, window=3)
    >>> codes = np.array([STATUSES.index("Stale"), STATUSES.index("Unverified")])
    >>> notes(codes, np.array([False, False]), np.array([False, False]), life,
    ...       as_of=as_of, validity=12, window=3).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['The period ended 15.0 months before 2025-06-30; a report is treated as current for 12 months.',
     'Holds what it needs, but no period end is given (or it could not be read), so whether the report is
      current is not verified: ask for its period end.']
    """
    keys = pd.DataFrame(
        {
            "status": status_code,
            "undetermined": undetermined,
            "holds3": holds3,
            "m": np.round(life.months, 1),
            "renewal": life.renewal.to_numpy(),
            "no_pe": life.period_end.isna().to_numpy(),
            "future": (life.period_end > as_of).to_numpy(),
        }
    )
    codes, uniq = unique_rows(keys)
    return take_str(_sentences(uniq, as_of, validity, window), codes)


def _sentences(uniq: pd.DataFrame, as_of: pd.Timestamp, validity: int, window: int) -> list[str]:
    """The sentence for each distinct combination in ``uniq`` (columns as built by :func:`notes`)."""
    status = np.asarray(STATUSES, dtype=object)[uniq["status"].to_numpy(dtype=np.int64)]
    undetermined = uniq["undetermined"].to_numpy(dtype=bool)
    holds3 = uniq["holds3"].to_numpy(dtype=bool)
    day = as_of.strftime("%Y-%m-%d")
    m = uniq["m"].map("{:.1f}".format).to_numpy(dtype=object)
    ren = pd.to_datetime(uniq["renewal"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    prefix = np.where(undetermined & ~np.isin(status, ["Not needed", "Review"]), _UNDETERMINED_JUDGED, "")
    text = np.select(
        [
            (status == "Review") & undetermined,
            status == "Review",
            (status == "Not needed") & undetermined,
            status == "Not needed",
            status == "Gap: SOC 1 + SOC 2",
            status == "Gap: SOC 1",
            (status == "Gap: SOC 2") & holds3,
            status == "Gap: SOC 2",
            status == "Stale",
            status == "Renewal due",
            status == "Unverified",
        ],
        [
            _UNDETERMINED_REVIEW,
            _NEITHER_REVIEW,
            _UNDETERMINED_NOT_NEEDED,
            "Needs no SOC report.",
            "Needs a SOC 1 and a SOC 2 and holds neither.",
            "Needs a SOC 1 and holds none.",
            "Needs a SOC 2 and holds only a SOC 3, which does not replace it.",
            "Needs a SOC 2 and holds none.",
            "The period ended " + m + f" months before {day}; a report is treated as current for {validity} months.",
            "Current until " + ren + f", within {window} months of {day}: the next period is due.",
            _UNVERIFIED,
        ],
        _covered_sentences(uniq, day, m),
    )
    return [str(t) for t in prefix + text]


def _covered_sentences(uniq: pd.DataFrame, day: str, months: np.ndarray) -> np.ndarray:
    """The sentence of a Covered row: how current its report is."""
    return np.select(
        [uniq["future"].to_numpy(dtype=bool)],
        ["Holds what it needs; its report period ends after " + day + "."],
        "Holds what it needs; the period ended " + months + " months before " + day + ".",
    )
