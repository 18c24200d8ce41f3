"""The headline figures of a portfolio: one definition for the dashboard, the report, the workbook and the deck.

Every figure is counted here, once, from the coverage statuses; each share says its denominator in
words ("62 of 138 that need a report, 45%"), so two places can never show the same word over two
different fractions.

>>> from socanalysis.portfolio import coverage
>>> frame = pd.DataFrame({"soc_report": ["SOC 1", "SOC 2", "Neither", "SOC 2"],
...                       "Reports": ["SOC 1 Type 2", "", "", "SOC 2"],
...                       "Period End": ["2025-03-31", "", "", ""]})
>>> frame.attrs["socanalysis"] = {"fields": {"reports": "Reports", "period_end": "Period End"}}
>>> figures = headline(coverage(frame, as_of="2025-06-30"))
>>> figures.loc["covered", "text"]
'1 of 3 that need a report, 33%'
>>> figures.loc[["organisations", "needs_report", "gaps", "unverified"], "value"].tolist()
[4, 3, 1, 1]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SocAnalysisError
from ..vocabulary import CURRENT_STATUSES, GAP_STATUSES, NEEDS_REPORT_STATUSES, STATUSES
from ._columns import require_coverage, text
from .fees import FeeSchedule
from .pricing import opportunities as _opportunities

__all__ = ["HEADLINE_COLUMNS", "PARTITION", "headline", "share_text"]

HEADLINE_COLUMNS: tuple[str, ...] = ("label", "value", "denominator", "of", "share", "kind", "text")
"""The columns of :func:`headline`, indexed by the figure's key."""

PARTITION: tuple[str, ...] = ("covered", "unverified", "stale", "gaps", "review", "not_needed")
"""Figures that share the organisations out: each organisation is counted in exactly one of them."""

_NEED = "that need a report"
_ALL = "organisations"


def share_text(value: int, denominator: int, of: str) -> str:
    """ "62 of 138 that need a report, 45%": a count, its denominator in words, and the share.

    >>> share_text(62, 138, "that need a report"), share_text(1, 400, "organisations")
    ('62 of 138 that need a report, 45%', '1 of 400 organisations, <1%')
    >>> share_text(0, 0, "that need a report")
    '0 of 0 that need a report'
    """
    if not denominator:
        return f"{value:,} of 0 {of}"
    share = value / denominator
    shown = "<1%" if 0 < share < 0.005 else ">99%" if 0.995 <= share < 1 else f"{share:.0%}"
    return f"{value:,} of {denominator:,} {of}, {shown}"


def headline(
    data: Any,
    *,
    opportunities: pd.DataFrame | pd.Series | np.ndarray | None = None,
    fees: str | os.PathLike | Mapping | FeeSchedule | None = None,
    validity_months: int | None = None,
    renewal_window_months: int | None = None,
) -> pd.DataFrame:
    """The headline figures of a portfolio, each with its denominator said in words.

    Parameters
    ----------
    data : Assessment or pandas.DataFrame
        An :class:`~socanalysis.pipeline.Assessment` (its frame, opportunities and settings are
        used), or the output of :func:`socanalysis.coverage`.
    opportunities : DataFrame, Series or array, optional
        With a frame: :func:`socanalysis.opportunities` already computed, or its ``opportunity_usd``
        per row (the dashboard passes the rows it shows); computed with ``fees`` otherwise.
    fees : path, dict, FeeSchedule or None
        With a frame and no ``opportunities``: the fee schedule.
    validity_months, renewal_window_months : int, optional
        The settings coverage was judged with, named in two labels; the Assessment's, else 12 and 3.

    Returns
    -------
    pandas.DataFrame
        Indexed by key, in this order; columns :data:`HEADLINE_COLUMNS` (``value`` the count or the
        dollars, ``denominator`` the count it is a share of, ``of`` the denominator in words,
        ``share`` = value / denominator (NaN without one), ``kind`` "count" or "money", ``text``
        the figure as a sentence fragment):

        ================  ==========================================  =================================
        key               counts                                      share of
        ================  ==========================================  =================================
        organisations     every row                                   -
        needs_report      statuses that need a report                 organisations
        covered           Covered and Renewal due: held and current   those that need a report
        renewal_due       Renewal due (part of covered)               those that need a report
        stale             Stale                                       those that need a report
        renewals          Stale or Renewal due                        those that need a report
        gaps              the three Gap statuses                      those that need a report
        unverified        Unverified: held, no period end             those that need a report
        review            Review: Neither, yet holds a SOC report     organisations
        not_needed        Not needed                                  organisations
        type_upgrade      a Type 1 held where a Type 2 is due         those that need a report
        tsc_gap           a SOC 2 held without a needed category      those that need a report
        opportunity_usd   the estimated opportunity, in dollars       -
        ================  ==========================================  =================================

        :data:`PARTITION` (covered, unverified, stale, gaps, review, not_needed) adds up to
        ``organisations``.

    Examples
    --------
    >>> import socanalysis as sa
    >>> figures = headline(sa.assess(sa.load_sample_portfolio(), as_of="2026-11-26"))
    >>> int(figures.loc[list(PARTITION), "value"].sum()) == figures.loc["organisations", "value"] == 200
    True
    >>> figures.loc["covered", "of"]
    'that need a report'
    """
    frame, opp_usd, validity, window = _inputs(data, opportunities, fees, validity_months, renewal_window_months)
    status = frame["coverage_status"].astype(object).where(frame["coverage_status"].notna(), "").astype(str)
    counts = status.value_counts()
    unknown = sorted(set(counts.index) - set(STATUSES))
    if unknown:
        raise SocAnalysisError(
            f"headline(): column 'coverage_status' holds {unknown[0]!r}, which coverage() does not produce"
        )

    def count(statuses) -> int:
        return int(sum(counts.get(s, 0) for s in statuses))

    n = len(frame)
    need = count(NEEDS_REPORT_STATUSES)
    needing = status.isin(NEEDS_REPORT_STATUSES).to_numpy()
    upgrades = int((frame["type_upgrade"].to_numpy(dtype=bool) & needing).sum()) if "type_upgrade" in frame else 0
    tsc_gap = int(((text(frame, "tsc_gap") != "").to_numpy() & needing).sum())
    rows = [
        ("organisations", "Organisations", n, None, ""),
        ("needs_report", "Need a SOC report", need, n, _ALL),
        ("covered", "Covered and current", count(CURRENT_STATUSES), need, _NEED),
        ("renewal_due", f"Renewal due within {window} months", count(["Renewal due"]), need, _NEED),
        ("stale", f"Stale: period ended over {validity} months ago", count(["Stale"]), need, _NEED),
        ("renewals", "Stale or due for renewal", count(["Stale", "Renewal due"]), need, _NEED),
        ("gaps", "Missing a report they need", count(GAP_STATUSES), need, _NEED),
        ("unverified", "Unverified: held, no period end given", count(["Unverified"]), need, _NEED),
        ("review", "To review: needs none as classified, holds one", count(["Review"]), n, _ALL),
        ("not_needed", "Not needed", count(["Not needed"]), n, _ALL),
        ("type_upgrade", "Type 2 due after a Type 1", upgrades, need, _NEED),
        ("tsc_gap", "Trust Services Categories not covered", tsc_gap, need, _NEED),
    ]
    records = []
    for key, label, value, denominator, of in rows:
        share = value / denominator if denominator else np.nan
        shown = f"{value:,} organisations" if denominator is None else share_text(value, denominator, of)
        records.append((key, label, value, denominator, of, share, "count", shown))
    money = float(np.round(np.nansum(opp_usd), 2))
    records.append(("opportunity_usd", "Estimated opportunity", money, None, "", np.nan, "money", f"${money:,.0f}"))
    out = pd.DataFrame.from_records(records, columns=["key", *HEADLINE_COLUMNS]).set_index("key")
    out["value"] = pd.Series([r[2] for r in records], index=out.index, dtype=object)  # counts stay ints
    out["denominator"] = out["denominator"].astype("Int64")
    out.index.name = None
    return out


def _inputs(data, opportunities, fees, validity_months, renewal_window_months):
    """The covered frame, the opportunity per row and the two settings, from an Assessment or a frame."""
    if isinstance(data, pd.DataFrame):
        require_coverage(data, "headline")
        frame = data
        if opportunities is None:
            opp = _opportunities(frame, fees)["opportunity_usd"]
        elif isinstance(opportunities, pd.DataFrame):
            opp = opportunities["opportunity_usd"]
        else:
            opp = opportunities
        validity = 12 if validity_months is None else validity_months
        window = 3 if renewal_window_months is None else renewal_window_months
    elif hasattr(data, "frame") and hasattr(data, "opportunities"):  # an Assessment (a higher stage's class)
        if opportunities is not None or fees is not None:
            raise SocAnalysisError(
                "headline(): opportunities= and fees= come with the Assessment; give them to socanalysis.assess()"
            )
        frame, opp = data.frame, data.opportunities["opportunity_usd"]
        validity = data.validity_months if validity_months is None else validity_months
        window = data.renewal_window_months if renewal_window_months is None else renewal_window_months
    else:
        raise SocAnalysisError(
            f"headline() takes an Assessment or the DataFrame returned by coverage(), not {type(data).__name__}"
        )
    opp_usd = np.asarray(opp, dtype=float)
    if opp_usd.shape != (len(frame),):
        raise SocAnalysisError(
            f"headline(): opportunities has {opp_usd.size:,} values for {len(frame):,} organisations; give one per row"
        )
    return frame, opp_usd, int(validity), int(window)
