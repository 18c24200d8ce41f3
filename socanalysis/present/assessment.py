"""An Assessment: a portfolio judged at one date, the one thing the charts, workbook and reports draw from.

:func:`socanalysis.assess` makes it (load → classify → coverage → summaries); :meth:`Assessment.from_covered`
makes it from a frame that :func:`socanalysis.coverage` already judged. Every setting is a field,
resolved once, never hidden in ``df.attrs`` (which carries only the field mapping of a user's frame).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, SocAnalysisError
from ..load import fields_of, resolve_as_of
from ..portfolio import FeeSchedule, load_fees, summarize
from ..portfolio import opportunities as _opportunities
from .theme import Branding, load_branding

if TYPE_CHECKING:
    from ..classifier import RuleSet

__all__ = ["SEGMENTS", "Assessment"]

SEGMENTS: tuple[str, ...] = ("industry", "partner", "region")
"""The fields the summaries are counted by (those the frame has a column for)."""


def _months(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise SocAnalysisError(f"{name}={value!r}: give a whole number of months from {low} to {high}")
    return int(value)


@dataclass(frozen=True, eq=False, kw_only=True)
class Assessment:
    """A portfolio judged at one date: what the charts, the workbook and the report are drawn from.

    Made by :func:`assess` (from a file or a frame) or :meth:`from_covered` (from the output of
    :func:`socanalysis.coverage`). Every field is resolved: nothing is read again from the frame's
    ``attrs``.

    Attributes
    ----------
    frame : pandas.DataFrame
        The covered portfolio: the user's columns, then those of ``classify`` and ``coverage``.
    fields : Mapping[str, str]
        Field -> column (``name``, ``industry``, ``partner`` ...): the mapping the frame carries from
        :func:`socanalysis.load_portfolio` and :func:`socanalysis.classify`, for the columns it has.
    as_of : pandas.Timestamp
        The date coverage was judged at (midnight, no timezone).
    rules : RuleSet or None
        The rules the portfolio was classified with; None when it came classified.
    fees : FeeSchedule
        The fee schedule the opportunities are priced with.
    branding : Branding
        The firm's name, colours and logo for every chart and export.
    summaries : Mapping[str, pandas.DataFrame]
        :func:`socanalysis.summarize`: ``"All"`` and one table per segment of :data:`SEGMENTS` found.
    opportunities : pandas.DataFrame
        :func:`socanalysis.opportunities`: what could be sold to each organisation, and its fee.
    validity_months, renewal_window_months, bridge_months : int
        The coverage settings (how long a report stays current, when a renewal is due, how far a
        bridge letter reaches), shown by the renewal timeline and the report.
    snapshot : int or None
        The id of the snapshot kept of it in the decisions store (``assess(..., save=True)``).
    """

    frame: pd.DataFrame
    fields: Mapping[str, str]
    as_of: pd.Timestamp
    rules: RuleSet | None
    fees: FeeSchedule
    branding: Branding
    summaries: Mapping[str, pd.DataFrame]
    opportunities: pd.DataFrame
    validity_months: int = 12
    renewal_window_months: int = 3
    bridge_months: int = 3
    snapshot: int | None = None

    def __repr__(self) -> str:
        segments = ", ".join(k for k in self.summaries if k != "All") or "none"
        return f"Assessment({len(self.frame):,} organisations as of {self.as_of:%Y-%m-%d}; summaries by {segments})"

    @classmethod
    def from_covered(
        cls,
        covered: pd.DataFrame,
        *,
        as_of: object = None,
        fees: Any = None,
        branding: Any = None,
        rules: RuleSet | None = None,
        summaries: Mapping[str, pd.DataFrame] | None = None,
        opportunities: pd.DataFrame | None = None,
        validity_months: int = 12,
        renewal_window_months: int = 3,
        bridge_months: int = 3,
    ) -> Assessment:
        """The Assessment of a frame that :func:`socanalysis.coverage` already judged.

        The exports use it when given a covered frame instead of an Assessment. Nothing is read
        from the frame's ``attrs`` but its field mapping: give the date and the settings coverage
        was judged with, or the defaults apply.

        Parameters
        ----------
        covered : pandas.DataFrame
            The output of :func:`socanalysis.coverage`.
        as_of : date-like, optional
            The date coverage was judged at; today by default.
        fees : path, dict, FeeSchedule or None
            The fee schedule (:func:`socanalysis.load_fees`); the packaged one by default.
        branding : Branding, dict, path or None
            See :func:`socanalysis.load_branding`.
        rules : RuleSet, optional
            The rules ``covered`` was classified with, when known.
        summaries, opportunities : optional
            :func:`socanalysis.summarize` and :func:`socanalysis.opportunities` of ``covered`` with
            these fees, when already computed; computed here otherwise.
        validity_months, renewal_window_months, bridge_months : int
            The settings ``covered`` was judged with (the defaults of :func:`socanalysis.coverage`).

        Returns
        -------
        Assessment

        Examples
        --------
        >>> import socanalysis as sa
        >>> frame = pd.DataFrame({"Client": ["Payroll Co"], "soc_report": ["SOC 1"]})
        >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client"}}
        >>> covered = sa.coverage(frame, as_of="2025-06-30")
        >>> Assessment.from_covered(covered, as_of="2025-06-30").opportunities["opportunity"].tolist()
        ['SOC 1 Type 1']
        """

        if not isinstance(covered, pd.DataFrame):
            raise SocAnalysisError(
                f"Assessment.from_covered() takes the DataFrame returned by coverage(), not {type(covered).__name__}"
            )
        for column in ("soc_report", "coverage_status"):
            if column not in covered.columns:
                raise ColumnError(
                    f"Assessment.from_covered() needs the output of socanalysis.coverage(): column {column!r} "
                    "is missing; run coverage(classify(df)) first"
                )
        validity = _months(validity_months, "validity_months", 1, 60)
        schedule = load_fees(fees)
        return cls(
            frame=covered,
            fields=MappingProxyType(fields_of(covered, headers=False)),
            as_of=resolve_as_of(as_of),
            rules=rules,
            fees=schedule,
            branding=load_branding(branding),
            summaries=MappingProxyType(
                dict(summarize(covered, by=SEGMENTS, fees=schedule) if summaries is None else summaries)
            ),
            opportunities=_opportunities(covered, schedule) if opportunities is None else opportunities,
            validity_months=validity,
            renewal_window_months=_months(renewal_window_months, "renewal_window_months", 0, validity),
            bridge_months=_months(bridge_months, "bridge_months", 0, 12),
        )

    def subset(self, rows: Sequence[bool] | np.ndarray | pd.Series) -> Assessment:
        """The Assessment of some of the organisations: the same date, settings and fees.

        Parameters
        ----------
        rows : boolean array-like
            One value per row of :attr:`frame`: True keeps it.

        Returns
        -------
        Assessment
            The rows kept, their opportunities, and summaries counted again over them.

        Examples
        --------
        >>> import socanalysis as sa
        >>> whole = sa.assess(sa.load_sample_portfolio(), as_of="2026-11-26")
        >>> part = whole.subset(whole.frame["soc_report"] == "SOC 1")
        >>> len(part.frame) == int(part.summaries["All"]["organisations"].iloc[0]) < len(whole.frame)
        True
        """
        mask = np.asarray(rows, dtype=bool)
        if mask.shape != (len(self.frame),):
            raise SocAnalysisError(
                f"subset() takes one True/False per organisation ({len(self.frame):,}), got {mask.size:,} values"
            )
        frame = self.frame[mask]
        return replace(
            self,
            frame=frame,
            summaries=MappingProxyType(summarize(frame, by=SEGMENTS, fees=self.fees)),
            opportunities=self.opportunities[mask],
        )
