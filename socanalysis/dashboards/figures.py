"""The charts of the dashboards: which chart each tab draws, and whole-number ticks on the axes that count.

The charts themselves come from :mod:`socanalysis.present.charts`; this module picks them for a
tab and a grouping, and sets what a dashboard needs on top. A count axis whose largest bar is 3
would get ticks at 0.5, 1.5 ... from plotly's automatic choice (half an organisation):
:func:`whole_number_ticks` sets the step to a whole number instead.

>>> import plotly.graph_objects as go
>>> fig = whole_number_ticks(go.Figure(go.Bar(x=[1, 3], y=["a", "b"], orientation="h")), "x")
>>> fig.layout.xaxis.dtick, fig.layout.xaxis.tickformat
(1, ',d')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import SocAnalysisError
from ..present import Branding, charts

__all__ = ["CHARTS", "GROUPINGS", "SEGMENTS_SHOWN", "placeholder", "portfolio_figure", "whole_number_ticks"]

CHARTS: tuple[tuple[str, str], ...] = (
    ("coverage", "Coverage"),
    ("needs", "Needs and holdings"),
    ("tsc", "Trust Services Categories"),
    ("renewals", "Renewals"),
    ("opportunity", "Opportunity"),
)
"""The chart tabs of the portfolio dashboard, in order: key and title."""

GROUPINGS: tuple[tuple[str, str], ...] = (
    ("industry", "Industry"),
    ("partner", "Engagement partner"),
    ("region", "Region"),
)
"""What the portfolio's charts can be grouped by: a canonical field and its label."""

SEGMENTS_SHOWN = 12
"""Segments drawn in a chart by segment; the rest are folded into "Other"."""

"""Reports drawn in the renewals chart: those nearest their 12-month mark."""

_STEPS = (1, 2, 5)
_MOST_TICKS = 8


def _whole_step(top: float) -> int:
    """The smallest step of 1, 2, 5, 10, 20, 50 ... that puts at most eight ticks up to ``top``.

    >>> [_whole_step(t) for t in (0, 3, 8, 9, 30, 1200)]
    [1, 1, 1, 2, 5, 200]
    """
    scale = 1
    while True:
        for step in _STEPS:
            if top / (step * scale) <= _MOST_TICKS:
                return step * scale
        scale *= 10


def _largest_bar(fig, axis: str) -> float:
    """The longest bar along ``axis`` ("x": horizontal bars, "y": vertical), stacked bars summed."""
    stacked = fig.layout.barmode in ("stack", "relative")
    totals: list[pd.Series] = []
    for trace in fig.data:
        if trace.type != "bar" or (trace.orientation == "h") != (axis == "x"):
            continue
        along, across = (trace.x, trace.y) if axis == "x" else (trace.y, trace.x)
        if along is None:
            continue
        values = pd.Series(np.asarray(along, dtype=float))
        if across is not None and len(across) == len(values):
            values.index = pd.Index(list(across)).astype(str)
        totals.append(values)
    if not totals:
        return 0.0
    if stacked:
        combined = pd.concat(totals).clip(lower=0).groupby(level=0).sum()
    else:
        combined = pd.concat(totals)
    return float(np.nanmax(combined.to_numpy())) if len(combined) else 0.0


def whole_number_ticks(fig, axis: str):
    """Put the ticks of a count axis on whole numbers (``axis``: "x", "y" or "colorbar"); returns ``fig``.

    The step is the smallest of 1, 2, 5, 10, 20, 50 ... giving at most eight ticks, from 0. For
    "colorbar", the heatmaps' colour scale gets the same treatment.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure([go.Bar(x=["a"], y=[2]), go.Bar(x=["a"], y=[1])], layout={"barmode": "stack"})
    >>> whole_number_ticks(fig, "y").layout.yaxis.dtick
    1
    """
    if axis == "colorbar":
        tops = [np.nanmax(np.asarray(t.z, dtype=float)) for t in fig.data if t.type == "heatmap" and t.z is not None]
        step = _whole_step(max(tops, default=0.0))
        fig.update_traces(colorbar={"dtick": step, "tick0": 0, "tickformat": ",d"}, selector={"type": "heatmap"})
        return fig
    if axis not in ("x", "y"):
        raise SocAnalysisError(f"axis={axis!r}: accepted 'x', 'y', 'colorbar'")
    step = _whole_step(_largest_bar(fig, axis))
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(dtick=step, tick0=0, tickformat=",d", tickmode="linear")
    return fig


def portfolio_figure(key: str, view: pd.DataFrame, assessment: Any, *, by: str, branding: Branding):
    """The plotly Figure of the portfolio dashboard's chart ``key`` (see :data:`CHARTS`) for ``view``.

    Parameters
    ----------
    key : str
        A key of :data:`CHARTS`.
    view : pandas.DataFrame
        The covered rows the filters keep.
    assessment : Assessment
        The whole portfolio's assessment (its date, fee schedule and validity).
    by : str
        A key of :data:`GROUPINGS`.
    branding : Branding
    """
    by_label = dict(GROUPINGS).get(by, by).lower()
    if key == "coverage":
        fig = charts.coverage_by_industry(
            view, by=by, top=SEGMENTS_SHOWN, branding=branding, title=f"Coverage by {by_label}"
        )
        return whole_number_ticks(fig, "x")
    if key == "needs":
        return charts.needs_and_holdings(view, branding=branding)
    if key == "tsc":
        fig = charts.tsc_heatmap(
            view,
            by=by,
            top=SEGMENTS_SHOWN,
            branding=branding,
            title=f"Trust Services Categories needed, by {by_label}",
        )
        return whole_number_ticks(fig, "colorbar")
    if key == "renewals":
        return charts.renewals_by_month(view, assessment.as_of, branding=branding)
    if key == "opportunity":
        from ..portfolio import summarize

        tables = summarize(view, by=[by], fees=assessment.fees)
        return charts.opportunity_by_segment(
            tables, segment=by, top=SEGMENTS_SHOWN, branding=branding, title=f"Estimated opportunity by {by_label}"
        )
    raise SocAnalysisError(f"no chart {key!r}; accepted: {', '.join(k for k, _ in CHARTS)}")


def placeholder(branding: Branding):
    """An empty chart shown while the portfolio loads."""
    import plotly.graph_objects as go

    from ..present import plotly_template

    return go.Figure(
        layout={
            "template": plotly_template(branding),
            "height": 420,
            "title": {"text": "Coverage by industry"},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": "Loading the portfolio…", "showarrow": False, "font": {"size": 16}}],
        }
    )
