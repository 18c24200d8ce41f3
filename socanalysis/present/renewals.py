"""Renewals for a projector: how many reports reach their 12-month mark in each of the next months.

One bar per month (the organisations listed on hover), the overdue ones apart on the left, coloured
by coverage status; readable at 1280×720 whatever the size of the portfolio.
:func:`socanalysis.present.charts.renewal_timeline` keeps the one-bar-per-report view for a few
organisations.

>>> covered = pd.DataFrame({"Client": ["A", "B", "C"], "coverage_status": ["Stale", "Renewal due", "Covered"],
...     "renewal_date": pd.to_datetime(["2025-01-31", "2025-07-31", "2026-03-31"])})
>>> covered.attrs["socanalysis"] = {"fields": {"name": "Client"}}
>>> fig = renewals_by_month(covered, "2025-06-30")
>>> list(fig.data[0].x[:3]), {t.name: int(sum(t.y)) for t in fig.data}
(['Overdue', 'Jun 2025', 'Jul 2025'], {'Covered': 1, 'Renewal due': 1, 'Stale': 1})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..load import resolve_as_of
from ..vocabulary import STATUSES
from .chart_parts import BrandingLike, check_top, check_values, count_axis, esc, finish, organisation_names, unpack

if TYPE_CHECKING:
    from .assessment import Assessment

__all__ = ["OVERDUE", "renewals_by_month"]

OVERDUE = "Overdue"
"""The bar of the reports whose 12-month mark has passed."""


def renewals_by_month(
    covered: Assessment | pd.DataFrame,
    as_of: object = None,
    *,
    months: int = 12,
    names_shown: int = 12,
    branding: BrandingLike = None,
    title: str | None = None,
) -> go.Figure:
    """Bars: the reports reaching the end of their currency window in each of the next ``months`` months.

    Each report held is treated as current until its ``renewal_date`` (the period end plus the
    validity window, from :func:`socanalysis.coverage`). The first bar, set apart, counts the
    reports already past it ("Overdue"); then one bar per calendar month from the month of
    ``as_of``. Each bar is stacked by coverage status; hovering lists the organisations.

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`.
    as_of : date-like, optional
        The date the months count from; the Assessment's by default, else today.
    months : int
        How many months to show (12 by default).
    names_shown : int
        Organisations named per bar on hover; the rest are counted ("and 7 more").
    branding : Branding, dict, path or None
        The Assessment's by default.
    title : str or None
        Defaults to "Renewals over the next 12 months".

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per status present, named after it: ``x`` the bars ("Overdue", then "Jun
        2025" ...), ``y`` the reports, ``customdata`` the names. ``layout.meta`` holds what is not
        shown: ``undated`` (the Unverified organisations: a report held, no period end) and
        ``later`` (marks after the last month), also said under the chart.
    """
    drawn = unpack(
        covered, branding, ["coverage_status", "renewal_date"], "renewals_by_month", "socanalysis.coverage()"
    )
    check_top(months, "months")
    check_top(names_shown, "names_shown")
    day = drawn.assessment.as_of if as_of is None and drawn.assessment is not None else resolve_as_of(as_of)
    status = check_values(drawn.frame, "coverage_status", STATUSES).to_numpy()
    end = pd.to_datetime(drawn.frame["renewal_date"]).reset_index(drop=True)
    names = organisation_names(drawn).to_numpy()
    first = day.to_period("M")
    labels = [OVERDUE] + [(first + i).strftime("%b %Y") for i in range(months)]
    dated = end.notna().to_numpy()
    overdue = dated & end.lt(day).to_numpy()
    offset = ((end.dt.year - day.year) * 12 + (end.dt.month - day.month)).to_numpy(dtype=float, na_value=-1)
    upcoming = dated & ~overdue & (offset < months)
    position = np.where(overdue, 0, np.where(upcoming, offset + 1, -1)).astype(np.int64)
    kept = position >= 0
    frame = pd.DataFrame({"bar": position[kept], "status": status[kept], "name": names[kept], "end": end[kept]})
    frame = frame.sort_values(["bar", "end", "name"], kind="stable")
    brand = drawn.branding
    fig = go.Figure()
    for name in STATUSES:
        part = frame[frame["status"] == name]
        if part.empty:
            continue
        counts = np.bincount(part["bar"], minlength=len(labels))
        hover = part.groupby("bar")["name"].agg(lambda s: _names(s, names_shown)).reindex(range(len(labels)))
        fig.add_trace(
            go.Bar(
                x=labels,
                y=counts,
                name=name,
                marker_color=brand.colour(name),
                customdata=hover.fillna("").to_numpy(dtype=object),
                hovertemplate=f"%{{x}}: %{{y}} {esc(name)}<br>%{{customdata}}<extra></extra>",
            )
        )
    totals = np.bincount(frame["bar"], minlength=len(labels))
    undated = int((status == "Unverified").sum())
    later = int((dated & ~overdue & (offset >= months)).sum())
    _layout(fig, labels, totals, undated, later, months)
    title = f"Renewals over the next {months} months" if title is None else title
    return finish(fig, brand, title, height=480, legend_title="Status")


def _names(names: pd.Series, shown: int) -> str:
    """The escaped names of one bar, one per line; past ``shown``, how many more."""
    listed = [esc(n) for n in names.iloc[:shown]]
    more = len(names) - len(listed)
    return "<br>".join(listed + ([f"and {more:,} more"] if more else []))


def _layout(fig: go.Figure, labels: list[str], totals: np.ndarray, undated: int, later: int, months: int) -> None:
    """Stacked bars, the overdue bar set apart by a line, totals above the bars, what is left out below."""
    fig.update_layout(
        barmode="stack",
        bargap=0.25,
        legend_traceorder="normal",
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": labels, "title": {"text": None}},
        yaxis={"title": {"text": "Reports reaching their mark"}, **count_axis(float(totals.max(initial=0)) * 1.15)},
        meta={"undated": undated, "later": later},
    )
    fig.add_shape(type="line", x0=0.5, x1=0.5, yref="paper", y0=0, y1=1, line={"dash": "dot", "width": 1.5})
    fig.add_annotation(x=0.5, y=1, yref="paper", yanchor="bottom", xanchor="left", showarrow=False, text="Next months")
    for x, total in zip(labels, totals, strict=True):
        if total:
            fig.add_annotation(x=x, y=int(total), text=f"{int(total):,}", showarrow=False, yanchor="bottom")
    notes = []
    if undated:
        notes.append(f"{undated:,} Unverified organisation(s) (no report period end) are not shown")
    if later:
        notes.append(f"{later:,} report(s) reach their mark after the last month shown")
    if notes:
        fig.add_annotation(
            x=0,
            xref="paper",
            y=-0.1,
            yref="paper",
            yanchor="top",
            xanchor="left",
            showarrow=False,
            text="; ".join(notes) + ".",
        )
    fig.update_layout(margin={"b": 90})
