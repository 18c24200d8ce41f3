"""The renewal timeline: each held report from its period end to the end of its currency window.

Drawn in steps: the rows to show (:func:`_timeline_rows`), a bar per status
(:func:`_status_bars`), the mark at the end of each window (:func:`_mark_trace`), the "Today" line
(:func:`_today_line`), then the axes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import SocAnalysisError
from ..load import resolve_as_of
from ..vocabulary import STATUSES
from .chart_parts import BrandingLike, Drawn, check_top, check_values, esc_all, finish, organisation_names, unpack
from .theme import Branding

if TYPE_CHECKING:
    from .assessment import Assessment

__all__ = ["renewal_timeline"]


def renewal_timeline(
    covered: Assessment | pd.DataFrame,
    as_of: object = None,
    *,
    statuses: Iterable[str] | None = None,
    limit: int | None = None,
    branding: BrandingLike = None,
    title: str | None = "Report currency and renewals",
    validity_months: int | None = None,
) -> go.Figure:
    """A timeline of each held report: period end → the 12-month mark, with a line at ``as_of``.

    The market treats a report as current for about 12 months after its period ends
    (``renewal_date`` from :func:`socanalysis.coverage`). Each bar runs from
    ``period_end_date`` to ``renewal_date``, coloured by ``coverage_status``; a tick marks the end
    of the window and a dashed vertical line marks ``as_of`` ("Today").

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`. Rows
        without a period end are left out.
    as_of : date-like, optional
        Where the "Today" line goes; the Assessment's date by default, else today.
    statuses : iterable of str, optional
        Keep only these statuses (e.g. ``["Stale", "Renewal due"]``).
    limit : int, optional
        Keep only the ``limit`` reports whose mark is nearest to ``as_of`` (just past or coming
        up), the ones a meeting talks about.
    branding : Branding, dict, path or None
        The Assessment's by default.
    title : str or None
    validity_months : int, optional
        The window coverage used, named in the legend ("12-month mark"); the Assessment's by
        default, else 12.

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal bar trace per status present (``base`` = period end, ``x`` = the window in
        milliseconds, ``y`` = organisation), a "12-month mark" scatter trace (``x`` = renewal date),
        and ``layout.shapes[0]`` the as_of line (``x0`` = as_of).

    Examples
    --------
    >>> covered = pd.DataFrame({"Client": ["A", "B"], "coverage_status": ["Covered", "Stale"],
    ...     "period_end_date": pd.to_datetime(["2025-03-31", "2024-01-31"]),
    ...     "renewal_date": pd.to_datetime(["2026-03-31", "2025-01-31"])})
    >>> covered.attrs["socanalysis"] = {"fields": {"name": "Client"}}
    >>> fig = renewal_timeline(covered, as_of="2025-06-30")
    >>> [t.name for t in fig.data], list(fig.data[-1].y)
    (['Covered', 'Stale', '12-month mark'], ['B', 'A'])
    >>> fig.layout.shapes[0].x0
    '2025-06-30'
    """
    drawn = unpack(
        covered,
        branding,
        ["coverage_status", "period_end_date", "renewal_date"],
        "renewal_timeline",
        "socanalysis.coverage()",
    )
    assessment = drawn.assessment
    if as_of is not None or assessment is None:
        as_of = resolve_as_of(as_of)
    else:
        as_of = assessment.as_of
    if validity_months is None:
        validity_months = assessment.validity_months if assessment is not None else 12
    rows = _timeline_rows(drawn, as_of, statuses, limit)
    mark = f"{validity_months}-month mark"
    brand = drawn.branding
    fig = go.Figure()
    for trace in _status_bars(rows, brand, mark):
        fig.add_trace(trace)
    fig.add_trace(_mark_trace(rows, brand, mark))
    _today_line(fig, as_of, brand)
    fig.update_layout(
        barmode="overlay",
        legend_traceorder="normal",
        xaxis={"type": "date", "title": {"text": "Date"}},
        yaxis={
            "autorange": "reversed",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": rows["label"].tolist(),
        },
    )
    return finish(fig, brand, title, height=max(360, 22 * len(rows) + 170), legend_title="Status")


def _timeline_rows(
    drawn: Drawn, as_of: pd.Timestamp, statuses: Iterable[str] | None, limit: int | None
) -> pd.DataFrame:
    """One row per dated report kept (name, status, start, end, escaped label), latest window last."""
    covered = drawn.frame
    status = check_values(covered, "coverage_status", STATUSES)
    start = pd.to_datetime(covered["period_end_date"])
    end = pd.to_datetime(covered["renewal_date"])
    names = organisation_names(drawn)
    keep = (start.notna() & end.notna()).to_numpy()
    if statuses is not None:
        statuses = [statuses] if isinstance(statuses, str) else list(statuses)
        unknown = [s for s in statuses if s not in STATUSES]
        if unknown:
            raise SocAnalysisError(f"statuses: {unknown[0]!r} is not a status; accepted: {', '.join(STATUSES)}")
        keep = keep & status.isin(statuses).to_numpy()
    rows = pd.DataFrame(
        {"name": names.to_numpy(), "status": status.to_numpy(), "start": start.to_numpy(), "end": end.to_numpy()}
    )[keep]
    check_top(limit, "limit")
    if limit is not None and len(rows) > limit:
        distance = (rows["end"] - as_of).abs()
        rows = rows.loc[distance.sort_values(kind="stable").index[:limit]]
    rows = rows.sort_values(["end", "name"], kind="stable")
    rows["label"] = esc_all(rows["name"])
    return rows


def _status_bars(rows: pd.DataFrame, brand: Branding, mark: str) -> list[go.Bar]:
    """A bar trace per status present: from the period end (``base``) for the window's length (``x``)."""
    bars = []
    for name in STATUSES:
        part = rows[rows["status"] == name]
        if part.empty:
            continue
        width = (part["end"] - part["start"]).dt.total_seconds().to_numpy() * 1000.0
        bars.append(
            go.Bar(
                y=part["label"].tolist(),
                base=part["start"].dt.strftime("%Y-%m-%d").tolist(),
                x=width,
                orientation="h",
                name=name,
                marker_color=brand.colour(name),
                customdata=np.stack(
                    [part["start"].dt.strftime("%Y-%m-%d"), part["end"].dt.strftime("%Y-%m-%d")], axis=-1
                ),
                hovertemplate="%{y}<br>period end %{customdata[0]}<br>"
                f"{mark} %{{customdata[1]}}<br>{name}<extra></extra>",
            )
        )
    return bars


def _mark_trace(rows: pd.DataFrame, brand: Branding, mark: str) -> go.Scatter:
    """A tick at the end of each report's window."""
    return go.Scatter(
        y=rows["label"].tolist(),
        x=rows["end"].dt.strftime("%Y-%m-%d").tolist(),
        mode="markers",
        name=mark,
        marker={"symbol": "line-ns-open", "size": 14, "color": brand.text, "line": {"width": 2}},
        hovertemplate=f"%{{y}}<br>{mark} %{{x}}<extra></extra>",
    )


def _today_line(fig: go.Figure, as_of: pd.Timestamp, brand: Branding) -> None:
    """A dashed vertical line at ``as_of``, labelled "Today (date)"."""
    day = as_of.strftime("%Y-%m-%d")
    fig.add_shape(
        type="line", x0=day, x1=day, yref="paper", y0=0, y1=1, line={"color": brand.text, "dash": "dash", "width": 2}
    )
    fig.add_annotation(x=day, y=1, yref="paper", yanchor="bottom", showarrow=False, text=f"Today ({day})")
