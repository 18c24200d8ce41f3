"""Plotly charts of a classified portfolio or lead list.

Compute first, render after: every function takes frames that ``classify``, ``coverage`` or
``summarize`` already returned and only counts and draws; nothing here decides a status. Each
returns a :class:`plotly.graph_objects.Figure` in the template of :func:`socanalysis.present.theme.plotly_template`,
with one colour per report need and per coverage status (:mod:`socanalysis.present.theme`).

Text that comes from the spreadsheet (organisation, industry and partner names) is escaped
(``&``, ``<``, ``>``) before it goes into labels or hover text, which plotly renders with a small
HTML subset: a name such as ``<b>Acme</b>`` shows as typed, never as markup.

>>> import pandas as pd
>>> covered = pd.DataFrame({"Industry": ["Payroll", "Payroll", "Cloud"],
...                         "coverage_status": ["Covered", "Gap: SOC 1", "Gap: SOC 2"]})
>>> covered.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
>>> fig = coverage_by_industry(covered)
>>> list(fig.data[0].y)
['Payroll', 'Cloud']
>>> {t.name: t.x.tolist() for t in fig.data if t.x.sum()}
{'Covered': [1, 0], 'Gap: SOC 1': [1, 0], 'Gap: SOC 2': [0, 1]}
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import ColumnError, SocAnalysisError, ValueParseError
from ..load import FIELD_BY_NAME, fields_of
from ..vocabulary import ATTRS_KEY, CATEGORIES, CONFIDENCE_VALUES, NOT_GIVEN, REPORT_VALUES, STATUSES
from .theme import (
    CONFIDENCE_PATTERNS,
    Branding,
    load_branding,
    plotly_template,
    tint,
)

__all__ = [
    "coverage_by_industry",
    "lead_distribution",
    "opportunity_by_segment",
    "portfolio_sunburst",
    "renewal_timeline",
    "tsc_heatmap",
]


BrandingLike = Branding | Mapping | str | None


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _esc(value: object) -> str:
    """Escape ``&``, ``<`` and ``>`` so plotly shows the text as typed."""
    return html.escape(str(value), quote=False)


def _esc_all(values: Iterable[object]) -> list[str]:
    return [_esc(v) for v in values]


def _require(frame: object, columns: Iterable[str], caller: str, producer: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise SocAnalysisError(f"{caller}() takes a DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(f"{caller}() needs column {missing[0]!r}, which {producer} adds; run {producer} first")


def _check_values(frame: pd.DataFrame, column: str, allowed: Iterable[str]) -> pd.Series:
    values = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    allowed = tuple(allowed)
    bad = ~values.isin(allowed)
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        raise ValueParseError(
            f"column {column!r} holds {len(positions)} value(s) that are not one of: {', '.join(allowed)}",
            cases=[
                {
                    "row": int(p) + 1,
                    "column": column,
                    "value": values.iloc[p],
                    "problem": "not one of " + ", ".join(allowed),
                }
                for p in positions[:1000]
            ],
        )
    return values


def _segment(frame: pd.DataFrame, by: str, caller: str) -> tuple[pd.Series, str]:
    """Segment labels (blank -> "(not given)") and the column's name, from a field or a column."""
    fields = fields_of(frame, headers=False)
    column = fields.get(by) if by in FIELD_BY_NAME else None
    if column is None and by in frame.columns:
        column = by
    if column is None:
        raise ColumnError(
            f"{caller}(by={by!r}): no column for it; map the field {by!r} "
            f"(df.attrs['socanalysis']['fields']) or pass by= one of the columns: "
            + ", ".join(map(repr, map(str, frame.columns[:20])))
        )
    values = frame[column].astype(object)
    labels = values.where(values.notna(), "").astype(str).str.strip()
    return labels.where(labels != "", NOT_GIVEN), str(column)


def _order_segments(counts: pd.Series, last: str | None = None) -> list[str]:
    """Largest first, then by name; "(not given)" last among equals; ``last`` at the end."""
    frame = pd.DataFrame(
        {
            "last": counts.index == last,
            "n": counts.to_numpy(),
            "blank": counts.index == NOT_GIVEN,
            "name": counts.index.astype(str).str.lower(),
        },
        index=counts.index,
    )
    frame = frame.sort_values(["last", "n", "blank", "name"], ascending=[True, False, True, True], kind="stable")
    return frame.index.tolist()


def _check_top(top: object, what: str = "top") -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise SocAnalysisError(f"{what}={top!r}: give a whole number, at least 1, or None")


def _fold(labels: pd.Series, top: int | None, weight: pd.Series | None = None) -> tuple[pd.Series, str | None]:
    """Keep the ``top`` largest segments; the rest become "Other (N segments)" (returned second)."""
    _check_top(top)
    if top is None:
        return labels, None
    sizes = labels.value_counts() if weight is None else weight.groupby(labels).sum()
    if len(sizes) <= top:
        return labels, None
    keep = _order_segments(sizes)[:top]
    rest = len(sizes) - top
    other = f"Other ({rest} segment{'s' if rest != 1 else ''})"
    while other in keep:  # a real segment already has that name
        other += " "
    return labels.where(labels.isin(keep), other), other


def _finish(
    fig: go.Figure, branding: Branding, title: str | None, *, height: int | None = None, legend_title: str | None = None
) -> go.Figure:
    fig.update_layout(template=plotly_template(branding), height=height)
    if title:
        fig.update_layout(title_text=_esc(title))
    if legend_title:
        fig.update_layout(legend_title_text=_esc(legend_title))
    return fig


def _names(frame: pd.DataFrame) -> pd.Series:
    """Organisation labels: the name field, "(row N)" when blank, "Name (row N)" when repeated."""
    rows = pd.Series(np.arange(1, len(frame) + 1), index=frame.index).astype(str)
    column = fields_of(frame, headers=False).get("name")
    if column is None:
        return "Row " + rows
    values = frame[column].astype(object)
    names = values.where(values.notna(), "").astype(str).str.strip()
    repeated = names.duplicated(keep=False) & (names != "")
    names = names.where(~repeated, names + " (row " + rows + ")")
    return names.where(names != "", "(row " + rows + ")")


def _as_of(covered: pd.DataFrame, as_of: object) -> pd.Timestamp:
    if as_of is None:
        as_of = covered.attrs.get(ATTRS_KEY, {}).get("coverage", {}).get("as_of")
    if as_of is None:
        return pd.Timestamp(_dt.date.today())
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise SocAnalysisError(f"as_of={as_of!r} is not a date; give e.g. '2025-06-30' or a datetime.date")
    return stamp.tz_localize(None).normalize() if stamp.tz is not None else stamp.normalize()


# --------------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------------


def coverage_by_industry(
    covered: pd.DataFrame,
    *,
    by: str = "industry",
    top: int | None = 20,
    share: bool = False,
    branding: BrandingLike = None,
    title: str | None = "Coverage by industry",
) -> go.Figure:
    """Stacked horizontal bars: the coverage statuses of each industry (or other segment).

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`.
    by : str
        A canonical field ("industry", "partner", "region" ...) found through the field mapping, or
        a column name.
    top : int or None
        Show the ``top`` largest segments and fold the rest into one "Other (N segments)" bar;
        None shows all.
    share : bool
        Plot shares of each segment (0-1) instead of counts.
    branding : Branding, dict, path or None
        See :func:`socanalysis.present.theme.load_branding`.
    title : str or None

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per status (in :data:`socanalysis.vocabulary.STATUSES` order, named after it and in
        its colour); ``y`` holds the segments (largest first), ``x`` the counts or shares.

    Examples
    --------
    >>> covered = pd.DataFrame({"Region": ["West", "West", ""],
    ...                         "coverage_status": ["Stale", "Stale", "Covered"]})
    >>> fig = coverage_by_industry(covered, by="Region", share=True)
    >>> stale = next(t for t in fig.data if t.name == "Stale")
    >>> list(stale.y), stale.x.tolist()
    (['West', '(not given)'], [1.0, 0.0])
    """
    _require(covered, ["coverage_status"], "coverage_by_industry", "socanalysis.coverage()")
    brand = load_branding(branding)
    status = _check_values(covered, "coverage_status", STATUSES)
    labels, column = _segment(covered, by, "coverage_by_industry")
    labels, other = _fold(labels, top)
    counts = pd.crosstab(labels.to_numpy(), status.to_numpy()).reindex(columns=list(STATUSES), fill_value=0)
    counts = counts.loc[_order_segments(counts.sum(axis=1), last=other)]
    totals = counts.sum(axis=1)
    values = counts.div(totals, axis=0) if share else counts
    y = _esc_all(counts.index)
    fig = go.Figure()
    for name in STATUSES:
        number = "%{x:.0%}" if share else "%{x}"
        fig.add_trace(
            go.Bar(
                y=y,
                x=values[name].to_numpy(),
                name=name,
                orientation="h",
                marker_color=brand.colour(name),
                customdata=totals.to_numpy(),
                hovertemplate=f"%{{y}}<br>{name}: {number} of %{{customdata}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend_traceorder="normal",
        yaxis={"autorange": "reversed", "title": {"text": _esc(column)}},
        xaxis={
            "title": {"text": "Share of organisations" if share else "Organisations"},
            "tickformat": ".0%" if share else None,
        },
    )
    return _finish(fig, brand, title, height=max(360, 28 * len(y) + 160), legend_title="Status")


def portfolio_sunburst(
    covered: pd.DataFrame,
    *,
    by: str = "industry",
    top: int | None = 12,
    branding: BrandingLike = None,
    title: str | None = "What the portfolio needs and holds",
) -> go.Figure:
    """A sunburst: report needed → coverage status → industry (or other segment).

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`.
    by : str
        The outer ring: a canonical field or a column name.
    top : int or None
        Name the ``top`` largest segments in the outer ring; the rest are grouped as
        "Other (N segments)". None names all.
    branding : Branding, dict, path or None
    title : str or None

    Returns
    -------
    plotly.graph_objects.Figure
        One sunburst trace with ``branchvalues="total"``: ``ids`` are the need, need/status and
        need/status/segment joined by " / ", ``values`` the counts (each parent equals the sum of
        its children; the needs add up to the number of rows), ``marker.colors`` the need colour,
        the status colour and a tint of it.

    Examples
    --------
    >>> covered = pd.DataFrame({"Industry": ["Payroll", "Payroll", "Cloud"],
    ...                         "soc_report": ["SOC 1", "SOC 1", "SOC 2"],
    ...                         "coverage_status": ["Covered", "Gap: SOC 1", "Gap: SOC 2"]})
    >>> covered.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
    >>> trace = portfolio_sunburst(covered).data[0]
    >>> dict(zip(trace.ids, trace.values))["SOC 1"]
    2
    """
    _require(covered, ["soc_report", "coverage_status"], "portfolio_sunburst", "socanalysis.coverage()")
    brand = load_branding(branding)
    need = _check_values(covered, "soc_report", REPORT_VALUES)
    status = _check_values(covered, "coverage_status", STATUSES)
    labels, _ = _segment(covered, by, "portfolio_sunburst")
    labels, other = _fold(labels, top)
    counts = (
        pd.DataFrame({"need": need.to_numpy(), "status": status.to_numpy(), "segment": labels.to_numpy()})
        .value_counts()
        .sort_index()
    )
    ids: list[str] = []
    parents: list[str] = []
    names: list[str] = []
    values: list[int] = []
    colours: list[str] = []

    def add(id_: str, parent: str, label: str, value: int, colour: str) -> None:
        ids.append(id_)
        parents.append(parent)
        names.append(label)
        values.append(int(value))
        colours.append(colour)

    by_need = counts.groupby(level="need").sum()
    by_status = counts.groupby(level=["need", "status"]).sum()
    for n in REPORT_VALUES:
        if n not in by_need.index:
            continue
        add(n, "", n, by_need[n], brand.colour(n))
        for s in STATUSES:
            if (n, s) not in by_status.index:
                continue
            sid = f"{n} / {s}"
            add(sid, n, s, by_status[(n, s)], brand.colour(s))
            leaves = counts.loc[(n, s)]
            for seg in _order_segments(leaves, last=other):
                add(f"{sid} / {_esc(seg)}", sid, _esc(seg), leaves[seg], tint(brand.colour(s), 0.45))
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=names,
            values=values,
            branchvalues="total",
            marker={"colors": colours, "line": {"color": brand.background, "width": 1}},
            insidetextorientation="radial",
            hovertemplate="%{label}<br>%{value} organisation(s)<br>%{percentRoot:.0%} of the portfolio<extra></extra>",
        )
    )
    return _finish(fig, brand, title, height=560)


def tsc_heatmap(
    frame: pd.DataFrame,
    *,
    by: str = "industry",
    column: str = "tsc_categories",
    top: int | None = 15,
    branding: BrandingLike = None,
    title: str | None = "Trust Services Categories needed, by industry",
) -> go.Figure:
    """A heatmap: how many organisations of each industry need each Trust Services Category.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of ``classify`` or of :func:`socanalysis.portfolio.coverage.coverage`.
    by : str
        The columns of the heatmap: a canonical field or a column name.
    column : str
        "; "-joined categories to count: ``tsc_categories`` (needed, the default), ``tsc_gap``
        (needed but not held) or ``soc2_categories`` (held).
    top : int or None
        The ``top`` segments with the most category mentions; the rest fold into "Other".
    branding : Branding, dict, path or None
    title : str or None

    Returns
    -------
    plotly.graph_objects.Figure
        One heatmap trace: ``y`` the five categories, ``x`` the segments, ``z`` the counts
        (``z[i][j]`` = organisations of segment j whose ``column`` names category i);
        ``customdata`` the number of organisations per segment.

    Examples
    --------
    >>> df = pd.DataFrame({"Industry": ["SaaS", "SaaS", "Payroll"],
    ...                    "tsc_categories": ["Security; Privacy", "Security", ""]})
    >>> trace = tsc_heatmap(df, by="Industry").data[0]
    >>> list(trace.x), trace.z[:2].tolist()
    (['SaaS', 'Payroll'], [[2, 0], [0, 0]])
    """
    _require(frame, [column], "tsc_heatmap", "socanalysis.classify()")
    brand = load_branding(branding)
    labels, seg_column = _segment(frame, by, "tsc_heatmap")
    text = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    has = pd.DataFrame({cat: text.str.contains(cat, regex=False).to_numpy(dtype=bool) for cat in CATEGORIES})
    labels, other = _fold(labels.reset_index(drop=True), top, weight=has.sum(axis=1))
    matrix = has.groupby(labels.to_numpy()).sum()
    sizes = labels.value_counts()
    order = _order_segments(matrix.sum(axis=1) * (len(frame) + 1) + sizes.reindex(matrix.index), last=other)
    matrix = matrix.loc[order]
    z = matrix.T.to_numpy(dtype=int)
    low = "#1F2937" if brand.dark else tint(brand.primary, 0.94)
    high = brand.accent if brand.dark else brand.primary
    fig = go.Figure(
        go.Heatmap(
            x=_esc_all(matrix.index),
            y=list(CATEGORIES),
            z=z,
            customdata=np.tile(sizes.reindex(matrix.index).to_numpy(), (len(CATEGORIES), 1)),
            colorscale=[[0.0, low], [1.0, high]],
            zmin=0,
            texttemplate="%{z}",
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "Organisations"}},
            hovertemplate="%{x}<br>%{y}: %{z} of %{customdata} organisation(s)<extra></extra>",
        )
    )
    fig.update_layout(xaxis={"title": {"text": _esc(seg_column)}, "tickangle": -30}, yaxis={"autorange": "reversed"})
    return _finish(fig, brand, title, height=420)


def renewal_timeline(
    covered: pd.DataFrame,
    as_of: object = None,
    *,
    statuses: Iterable[str] | None = None,
    limit: int | None = None,
    branding: BrandingLike = None,
    title: str | None = "Report currency and renewals",
) -> go.Figure:
    """A timeline of each held report: period end → the 12-month mark, with a line at ``as_of``.

    The market treats a report as current for about 12 months after its period ends
    (``renewal_date`` from :func:`socanalysis.portfolio.coverage.coverage`, which holds the window used). Each
    bar runs from ``period_end_date`` to ``renewal_date``, coloured by ``coverage_status``; a
    tick marks the 12-month mark and a dashed vertical line marks ``as_of`` ("Today").

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`. Rows without a period end are left out.
    as_of : date-like, optional
        Where the "Today" line goes; defaults to the ``as_of`` coverage was computed at
        (``attrs["socanalysis"]["coverage"]["as_of"]``), else today.
    statuses : iterable of str, optional
        Keep only these statuses (e.g. ``["Stale", "Renewal due"]``).
    limit : int, optional
        Keep only the ``limit`` reports whose mark is nearest to ``as_of`` (just past or coming
        up), the ones a meeting talks about.
    branding : Branding, dict, path or None
    title : str or None

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
    _require(
        covered, ["coverage_status", "period_end_date", "renewal_date"], "renewal_timeline", "socanalysis.coverage()"
    )
    brand = load_branding(branding)
    as_of = _as_of(covered, as_of)
    status = _check_values(covered, "coverage_status", STATUSES)
    start = pd.to_datetime(covered["period_end_date"])
    end = pd.to_datetime(covered["renewal_date"])
    names = _names(covered)
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
    _check_top(limit, "limit")
    if limit is not None and len(rows) > limit:
        distance = (rows["end"] - as_of).abs()
        rows = rows.loc[distance.sort_values(kind="stable").index[:limit]]
    rows = rows.sort_values(["end", "name"], kind="stable")
    rows["label"] = _esc_all(rows["name"])
    validity = covered.attrs.get(ATTRS_KEY, {}).get("coverage", {}).get("validity_months", 12)
    mark = f"{validity}-month mark"
    fig = go.Figure()
    for name in STATUSES:
        part = rows[rows["status"] == name]
        if part.empty:
            continue
        width = (part["end"] - part["start"]).dt.total_seconds().to_numpy() * 1000.0
        fig.add_trace(
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
    fig.add_trace(
        go.Scatter(
            y=rows["label"].tolist(),
            x=rows["end"].dt.strftime("%Y-%m-%d").tolist(),
            mode="markers",
            name=mark,
            marker={"symbol": "line-ns-open", "size": 14, "color": brand.text, "line": {"width": 2}},
            hovertemplate=f"%{{y}}<br>{mark} %{{x}}<extra></extra>",
        )
    )
    day = as_of.strftime("%Y-%m-%d")
    fig.add_shape(
        type="line", x0=day, x1=day, yref="paper", y0=0, y1=1, line={"color": brand.text, "dash": "dash", "width": 2}
    )
    fig.add_annotation(x=day, y=1, yref="paper", yanchor="bottom", showarrow=False, text=f"Today ({day})")
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
    return _finish(fig, brand, title, height=max(360, 22 * len(rows) + 170), legend_title="Status")


def opportunity_by_segment(
    summary_table: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    segment: str = "industry",
    value: str = "opportunity_usd",
    top: int | None = 15,
    branding: BrandingLike = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars: the estimated opportunity of each segment, largest first.

    Parameters
    ----------
    summary_table : pandas.DataFrame or dict of DataFrame
        One table of :func:`socanalysis.portfolio.coverage.summarize` (e.g. ``summarize(covered)["industry"]``),
        or the whole dict, then ``segment`` picks the table.
    segment : str
        The key of the table when ``summary_table`` is the dict.
    value : str
        The column to plot (``opportunity_usd`` by default; any count column works).
    top : int or None
        Show only the ``top`` largest segments.
    branding : Branding, dict, path or None
    title : str or None
        Defaults to "Opportunity by <segment>".

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace: ``y`` the segments, ``x`` the values; ``customdata`` the organisations per
        segment.

    Examples
    --------
    >>> table = pd.DataFrame({"organisations": [3, 2], "opportunity_usd": [10000.0, 45000.0]},
    ...                      index=pd.Index(["Payroll", "SaaS"], name="Industry"))
    >>> trace = opportunity_by_segment(table).data[0]
    >>> list(trace.y), trace.x.tolist()
    (['SaaS', 'Payroll'], [45000.0, 10000.0])
    """
    if isinstance(summary_table, Mapping):
        if segment not in summary_table:
            raise SocAnalysisError(
                f"opportunity_by_segment(segment={segment!r}): the summary has no such "
                f"table; it has {', '.join(map(repr, summary_table))}"
            )
        summary_table = summary_table[segment]
    _require(summary_table, [value], "opportunity_by_segment", "socanalysis.summarize()")
    brand = load_branding(branding)
    values = pd.to_numeric(summary_table[value], errors="coerce").fillna(0.0)
    values.index = pd.Index(summary_table.index.astype(str))
    ordered = values.loc[_order_segments(values)]
    _check_top(top)
    if top is not None:
        ordered = ordered.head(top)
    orgs = summary_table["organisations"] if "organisations" in summary_table else None
    custom = (
        pd.Series(orgs.to_numpy(), index=values.index).reindex(ordered.index).to_numpy()
        if orgs is not None
        else np.zeros(len(ordered), dtype=int)
    )
    money = value.endswith("_usd")
    number = "$%{x:,.0f}" if money else "%{x:,}"
    name = summary_table.index.name or segment
    fig = go.Figure(
        go.Bar(
            y=_esc_all(ordered.index),
            x=ordered.to_numpy(),
            orientation="h",
            marker_color=brand.accent,
            name=_esc(value),
            customdata=custom,
            hovertemplate=f"%{{y}}<br>{number} (%{{customdata}} organisation(s))<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "title": {"text": _esc(name)}},
        xaxis={
            "title": {"text": "Estimated fees (USD)" if money else _esc(value)},
            "tickprefix": "$" if money else None,
            "tickformat": ",.0f" if money else None,
        },
        showlegend=False,
    )
    title = f"Opportunity by {name}" if title is None else title
    return _finish(fig, brand, title, height=max(320, 28 * len(ordered) + 150))


def lead_distribution(
    classified: pd.DataFrame,
    *,
    by_confidence: bool = True,
    branding: BrandingLike = None,
    title: str | None = "Which report each organisation needs",
) -> go.Figure:
    """Bars: how many organisations need SOC 1, SOC 2, Both, Neither, or are Undetermined.

    Parameters
    ----------
    classified : pandas.DataFrame
        The output of ``classify`` (a lead list or a portfolio).
    by_confidence : bool
        Stack each bar by ``confidence`` (high, medium, low), told apart by fill pattern as well as
        shade, when the column is present.
    branding : Branding, dict, path or None
    title : str or None

    Returns
    -------
    plotly.graph_objects.Figure
        ``x`` always holds the five needs in order; one trace per confidence level (named
        "high confidence" ...) or a single trace "Organisations"; every bar in its need's colour.

    Examples
    --------
    >>> leads = pd.DataFrame({"soc_report": ["SOC 2", "SOC 2", "Neither"],
    ...                       "confidence": ["high", "low", "high"]})
    >>> fig = lead_distribution(leads)
    >>> {t.name: t.y.tolist() for t in fig.data}  # doctest: +NORMALIZE_WHITESPACE
    {'high confidence': [0, 1, 0, 1, 0], 'medium confidence': [0, 0, 0, 0, 0],
     'low confidence': [0, 1, 0, 0, 0]}
    """
    _require(classified, ["soc_report"], "lead_distribution", "socanalysis.classify()")
    brand = load_branding(branding)
    need = _check_values(classified, "soc_report", REPORT_VALUES)
    x = list(REPORT_VALUES)
    colours = [brand.colour(n) for n in x]
    fig = go.Figure()
    if by_confidence and "confidence" in classified.columns:
        conf = classified["confidence"].astype(object).where(classified["confidence"].notna(), "")
        conf = conf.astype(str).str.strip().str.lower().replace("", "not given")
        levels = [*CONFIDENCE_VALUES, *sorted(set(conf.unique()) - set(CONFIDENCE_VALUES))]
        table = pd.crosstab(need.to_numpy(), conf.to_numpy()).reindex(index=x, columns=levels, fill_value=0)
        for level in levels:
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=table[level].to_numpy(),
                    name=f"{_esc(level)} confidence",
                    marker={
                        "color": colours,
                        "pattern": {
                            "shape": CONFIDENCE_PATTERNS.get(level, "x"),
                            "fillmode": "overlay",
                            "solidity": 0.35,
                        },
                    },
                    hovertemplate=f"%{{x}}: %{{y}} ({_esc(level)} confidence)<extra></extra>",
                )
            )
        fig.update_layout(barmode="stack", legend_title_text="Confidence", legend_traceorder="normal")
    else:
        counts = need.value_counts().reindex(x, fill_value=0)
        fig.add_trace(
            go.Bar(
                x=x,
                y=counts.to_numpy(),
                name="Organisations",
                marker_color=colours,
                hovertemplate="%{x}: %{y}<extra></extra>",
                showlegend=False,
            )
        )
    fig.update_layout(xaxis={"title": {"text": "Report needed"}}, yaxis={"title": {"text": "Organisations"}})
    return _finish(fig, brand, title, height=420)
