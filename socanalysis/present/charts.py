"""Plotly charts of a classified portfolio or lead list.

Compute first, render after: every function takes an :class:`~socanalysis.present.Assessment`
(:func:`socanalysis.assess`) or the frames that ``classify``, ``coverage`` or ``summarize`` already
returned, and only counts and draws; nothing here decides a status. Given an Assessment, a chart
uses its frame, field mapping, branding (unless ``branding`` is given) and, for the renewal
timeline, its date and validity window. Each
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

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import SocAnalysisError
from ..portfolio import DEFAULT_TOP, segment_totals
from ..vocabulary import CATEGORIES, CONFIDENCE_VALUES, REPORT_VALUES, STATUSES
from .assessment import Assessment
from .chart_parts import (
    BrandingLike,
    chart_segments,
    check_top,
    check_values,
    count_axis,
    esc,
    esc_all,
    finish,
    order_segments,
    require,
    sector_title,
    unpack,
)
from .renewals import renewals_by_month
from .theme import CONFIDENCE_PATTERNS, load_branding, tint
from .timeline import renewal_timeline

__all__ = [
    "coverage_by_industry",
    "lead_distribution",
    "needs_and_holdings",
    "opportunity_by_segment",
    "portfolio_sunburst",
    "renewal_timeline",
    "renewals_by_month",
    "tsc_heatmap",
]


# --------------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------------


def coverage_by_industry(
    covered: Assessment | pd.DataFrame,
    *,
    by: str = "industry",
    top: int | None = DEFAULT_TOP,
    share: bool = False,
    branding: BrandingLike = None,
    title: str | None = "Coverage by industry",
) -> go.Figure:
    """Stacked horizontal bars: the coverage statuses of each industry (or other segment).

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`.
    by : str
        A canonical field ("industry", "partner", "region" ...) found through the field mapping, or
        a column name.
    top : int or None
        Show the ``top`` largest segments and fold the rest into one "Other (N segments)" bar;
        None shows all. Industries are counted under the canonical labels of the industry tables,
        and shown by sector when the "Other" bar would outweigh the largest industry
        (:func:`socanalysis.portfolio.segments`).
    share : bool
        Plot shares of each segment (0-1) instead of counts.
    branding : Branding, dict, path or None
        See :func:`socanalysis.present.theme.load_branding`.
    title : str or None
        "Coverage by industry" reads "Coverage by sector" when sectors are shown.

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
    drawn = unpack(covered, branding, ["coverage_status"], "coverage_by_industry", "socanalysis.coverage()")
    brand = drawn.branding
    status = check_values(drawn.frame, "coverage_status", STATUSES)
    shown = chart_segments(drawn, by, top, "coverage_by_industry")
    counts = pd.crosstab(shown.labels.to_numpy(), status.to_numpy()).reindex(columns=list(STATUSES), fill_value=0)
    counts = counts.loc[order_segments(counts.sum(axis=1), last=shown.other)]
    totals = counts.sum(axis=1)
    values = counts.div(totals, axis=0) if share else counts
    y = esc_all(counts.index)
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
        yaxis={"autorange": "reversed", "title": {"text": esc(shown.title)}},
        xaxis={"title": {"text": "Share of organisations"}, "tickformat": ".0%"}
        if share
        else {"title": {"text": "Organisations"}, **count_axis(float(totals.max()) if len(totals) else 0.0)},
    )
    return finish(
        fig, brand, sector_title(title, shown.level), height=max(360, 28 * len(y) + 160), legend_title="Status"
    )


def portfolio_sunburst(
    covered: Assessment | pd.DataFrame,
    *,
    by: str = "industry",
    top: int | None = 8,
    branding: BrandingLike = None,
    title: str | None = "What the portfolio needs and holds",
) -> go.Figure:
    """A sunburst: report needed → coverage status → industry (or other segment).

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`.
    by : str
        The outer ring: a canonical field or a column name.
    top : int or None
        Name the ``top`` largest segments in the outer ring; the rest are grouped as
        "Other (N segments)". None names all. A label too small to read at its size is left out
        (it shows on hover): the chart stays readable on a 1280×720 screen. For a projector,
        :func:`needs_and_holdings` says the same in bars.
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
    drawn = unpack(covered, branding, ["soc_report", "coverage_status"], "portfolio_sunburst", "socanalysis.coverage()")
    brand = drawn.branding
    need = check_values(drawn.frame, "soc_report", REPORT_VALUES)
    status = check_values(drawn.frame, "coverage_status", STATUSES)
    shown = chart_segments(drawn, by, top, "portfolio_sunburst")
    other = shown.other
    counts = (
        pd.DataFrame({"need": need.to_numpy(), "status": status.to_numpy(), "segment": shown.labels.to_numpy()})
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
            for seg in order_segments(leaves, last=other):
                add(f"{sid} / {esc(seg)}", sid, esc(seg), leaves[seg], tint(brand.colour(s), 0.45))
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=names,
            values=values,
            branchvalues="total",
            marker={"colors": colours, "line": {"color": brand.background, "width": 1}},
            insidetextorientation="horizontal",
            hovertemplate="%{label}<br>%{value} organisation(s)<br>%{percentRoot:.0%} of the portfolio<extra></extra>",
        )
    )
    fig.update_layout(uniformtext={"minsize": 12, "mode": "hide"}, margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return finish(fig, brand, title, height=600)


def needs_and_holdings(
    covered: Assessment | pd.DataFrame,
    *,
    branding: BrandingLike = None,
    title: str | None = "What the portfolio needs and holds",
) -> go.Figure:
    """Stacked bars: for each report needed, the coverage statuses of the organisations that need it.

    The sunburst's two inner rings as bars, readable on a projector: one bar per ``soc_report``
    value present (SOC 1, SOC 2, Both, Neither, Undetermined), stacked by status in the order and
    colours of :data:`socanalysis.vocabulary.STATUSES`, with the count in each part that has room.

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`.
    branding : Branding, dict, path or None
    title : str or None

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per status present: ``y`` the needs, ``x`` the organisations.

    Examples
    --------
    >>> covered = pd.DataFrame({"soc_report": ["SOC 1", "SOC 1", "Neither"],
    ...                         "coverage_status": ["Covered", "Gap: SOC 1", "Not needed"]})
    >>> {t.name: (list(t.y), t.x.tolist()) for t in needs_and_holdings(covered).data}
    {'Covered': (['SOC 1', 'Neither'], [1, 0]), 'Gap: SOC 1': (['SOC 1', 'Neither'], [1, 0]), \
'Not needed': (['SOC 1', 'Neither'], [0, 1])}
    """
    drawn = unpack(covered, branding, ["soc_report", "coverage_status"], "needs_and_holdings", "socanalysis.coverage()")
    brand = drawn.branding
    need = check_values(drawn.frame, "soc_report", REPORT_VALUES)
    status = check_values(drawn.frame, "coverage_status", STATUSES)
    counts = pd.crosstab(need.to_numpy(), status.to_numpy())
    counts = counts.reindex(index=[n for n in REPORT_VALUES if n in counts.index])
    counts = counts.reindex(columns=[s for s in STATUSES if s in counts.columns], fill_value=0)
    fig = go.Figure()
    for name in counts.columns:
        fig.add_trace(
            go.Bar(
                y=list(counts.index),
                x=counts[name].to_numpy(),
                name=name,
                orientation="h",
                marker_color=brand.colour(name),
                text=[str(v) if v else "" for v in counts[name]],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"%{{y}}: %{{x}} {esc(name)}<extra></extra>",
            )
        )
    largest = float(counts.sum(axis=1).max()) if len(counts) else 0.0
    fig.update_layout(
        barmode="stack",
        legend_traceorder="normal",
        uniformtext={"minsize": 11, "mode": "hide"},
        yaxis={"autorange": "reversed", "title": {"text": "Report needed"}},
        xaxis={"title": {"text": "Organisations"}, **count_axis(largest)},
    )
    return finish(fig, brand, title, height=max(320, 70 * len(counts) + 170), legend_title="Status")


def tsc_heatmap(
    frame: Assessment | pd.DataFrame,
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
    frame : Assessment or pandas.DataFrame
        An Assessment, or the output of ``classify`` or of :func:`socanalysis.coverage`.
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
    drawn = unpack(frame, branding, [column], "tsc_heatmap", "socanalysis.classify()")
    brand, frame = drawn.branding, drawn.frame
    text = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    has = pd.DataFrame({cat: text.str.contains(cat, regex=False).to_numpy(dtype=bool) for cat in CATEGORIES})
    shown = chart_segments(drawn, by, top, "tsc_heatmap", weight=has.sum(axis=1).to_numpy())
    labels, other, seg_column = shown.labels.reset_index(drop=True), shown.other, shown.title
    matrix = has.groupby(labels.to_numpy()).sum()
    sizes = labels.value_counts()
    order = order_segments(matrix.sum(axis=1) * (len(frame) + 1) + sizes.reindex(matrix.index), last=other)
    matrix = matrix.loc[order]
    z = matrix.T.to_numpy(dtype=int)
    low = "#1F2937" if brand.dark else tint(brand.primary, 0.94)
    high = brand.accent if brand.dark else brand.primary
    fig = go.Figure(
        go.Heatmap(
            x=esc_all(matrix.index),
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
    fig.update_layout(xaxis={"title": {"text": esc(seg_column)}, "tickangle": -30}, yaxis={"autorange": "reversed"})
    return finish(fig, brand, sector_title(title, shown.level), height=420)


def opportunity_by_segment(
    summary_table: pd.DataFrame | Mapping[str, pd.DataFrame] | Assessment,
    *,
    segment: str = "industry",
    value: str = "opportunity_usd",
    top: int | None = DEFAULT_TOP,
    branding: BrandingLike = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars: the estimated opportunity of each segment, largest first.

    The leading segments are named and the rest summed into one "Other (N segments)" bar, so the
    bars add up to the table's total; an industry table whose "Other" would outweigh the largest
    industry is shown by sector instead, as :func:`coverage_by_industry` is
    (:func:`socanalysis.portfolio.segment_totals`). The hover of a bar lists what it holds.

    Parameters
    ----------
    summary_table : pandas.DataFrame, dict of DataFrame or Assessment
        One table of :func:`socanalysis.summarize` (e.g. ``summarize(covered)["industry"]``),
        or the whole dict (or an Assessment, whose summaries are used), then ``segment`` picks the table.
    segment : str
        The key of the table when ``summary_table`` is the dict; for a table, what its rows are
        ("industry" and "sector" tables may be summed by sector).
    value : str
        The column to plot (``opportunity_usd`` by default; any count column works).
    top : int or None
        The most bars named; the rest are summed into "Other". None names all. Segments whose value
        is zero are left out.
    branding : Branding, dict, path or None
    title : str or None
        Defaults to "Opportunity by <segment>"; a title ending "by industry" reads "by sector" when
        sectors are shown.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace: ``y`` the segments (or sectors), ``x`` the values (they add up to the
        table's column); ``customdata`` the organisations per bar and the hover's list of what the
        bar holds.

    Examples
    --------
    >>> table = pd.DataFrame({"organisations": [3, 2], "opportunity_usd": [10000.0, 45000.0]},
    ...                      index=pd.Index(["Payroll", "SaaS"], name="Industry"))
    >>> trace = opportunity_by_segment(table).data[0]
    >>> list(trace.y), trace.x.tolist()
    (['SaaS', 'Payroll'], [45000.0, 10000.0])
    """
    if isinstance(summary_table, Assessment):
        branding = summary_table.branding if branding is None else branding
        summary_table = summary_table.summaries
    if isinstance(summary_table, Mapping):
        if segment not in summary_table:
            raise SocAnalysisError(
                f"opportunity_by_segment(segment={segment!r}): the summary has no such "
                f"table; it has {', '.join(map(repr, summary_table))}"
            )
        summary_table = summary_table[segment]
    require(summary_table, [value], "opportunity_by_segment", "socanalysis.summarize()")
    check_top(top)
    brand = load_branding(branding)
    shown = segment_totals(summary_table, value, segment=segment, top=top)
    money = value.endswith("_usd")
    amount = (lambda v: f"${v:,.0f}") if money else (lambda v: f"{v:,.0f}")
    holds = [_holds(shown.members[bar], bar, amount) for bar in shown.values.index]
    colours = [tint(brand.accent, 0.45) if bar == shown.other else brand.accent for bar in shown.values.index]
    number = "$%{x:,.0f}" if money else "%{x:,}"
    fig = go.Figure(
        go.Bar(
            y=esc_all(shown.values.index),
            x=shown.values.to_numpy(),
            orientation="h",
            marker_color=colours,
            name=esc(value),
            customdata=np.column_stack([shown.organisations.to_numpy(), np.asarray(holds, dtype=object)])
            if len(holds)
            else None,
            hovertemplate=f"%{{y}}<br>{number} (%{{customdata[0]}} organisation(s))%{{customdata[1]}}<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "title": {"text": esc(shown.title)}},
        xaxis={
            "title": {"text": "Estimated fees (USD)" if money else esc(value)},
            "tickprefix": "$" if money else None,
            "tickformat": "~s" if money else None,  # $200k, $1.6M: short enough not to slant
            "rangemode": "tozero",
        },
        showlegend=False,
    )
    if not shown.values.abs().gt(0).any():  # plotly would tick $0, $0, $0, $1 ... under bars of nothing
        fig.update_xaxes(range=[0, 1], showticklabels=False)
        fig.add_annotation(
            text="No estimated opportunity for these organisations" if money else f"Every {esc(value)} is zero",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
    title = f"Opportunity by {shown.title}" if title is None else sector_title(title, shown.level)
    return finish(fig, brand, title, height=max(320, 28 * len(shown.values) + 150))


def _holds(members: pd.Series, bar: str, amount, shown: int = 8) -> str:
    """The hover's list of what a bar holds (nothing for a bar of one segment): names and amounts, then a count."""
    if len(members) == 1 and members.index[0] == bar:
        return ""
    lines = [f"{esc(name)}: {amount(value)}" for name, value in members.head(shown).items()]
    if len(members) > shown:
        lines.append(f"and {len(members) - shown} more")
    return "<br>Holds:<br>" + "<br>".join(lines)


def lead_distribution(
    classified: Assessment | pd.DataFrame,
    *,
    by_confidence: bool = True,
    branding: BrandingLike = None,
    title: str | None = "Which report each organisation needs",
) -> go.Figure:
    """Bars: how many organisations need SOC 1, SOC 2, Both, Neither, or are Undetermined.

    Parameters
    ----------
    classified : Assessment or pandas.DataFrame
        An Assessment, or the output of ``classify`` (a lead list or a portfolio).
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
    drawn = unpack(classified, branding, ["soc_report"], "lead_distribution", "socanalysis.classify()")
    brand, classified = drawn.branding, drawn.frame
    need = check_values(classified, "soc_report", REPORT_VALUES)
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
                    name=f"{esc(level)} confidence",
                    marker={
                        "color": colours,
                        "pattern": {
                            "shape": CONFIDENCE_PATTERNS.get(level, "x"),
                            "fillmode": "overlay",
                            "solidity": 0.35,
                        },
                    },
                    hovertemplate=f"%{{x}}: %{{y}} ({esc(level)} confidence)<extra></extra>",
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
    return finish(fig, brand, title, height=420)


def _segment_key(summaries: Mapping[str, pd.DataFrame]) -> str | None:
    """The first segment summarised (industry when mapped): the one the charts are drawn by."""
    return next((k for k in summaries if k != "All"), None)


def report_charts(assessment: Assessment) -> list[tuple[str, go.Figure]]:
    """(key, figure) for each chart the page shows, in order."""
    covered, summaries, brand = assessment.frame, assessment.summaries, assessment.branding
    by = _segment_key(summaries)
    figures: list[tuple[str, go.Figure]] = [
        ("needs", lead_distribution(covered, branding=brand, title="Which report each client needs"))
    ]
    if by is not None:
        figures.append(("coverage", coverage_by_industry(covered, by=by, branding=brand, title=f"Coverage by {by}")))
        figures.append(("holdings", needs_and_holdings(covered, branding=brand)))
        if "tsc_categories" in covered:
            figures.append(
                (
                    "tsc",
                    tsc_heatmap(covered, by=by, branding=brand, title=f"Trust Services Categories needed, by {by}"),
                )
            )
    if "renewal_date" in covered.columns and covered["renewal_date"].notna().any():
        figures.append(("renewals", renewals_by_month(assessment)))
    if by is not None and "opportunity_usd" in summaries[by]:
        figures.append(
            ("opportunity", opportunity_by_segment(summaries, segment=by, branding=brand, title=f"Opportunity by {by}"))
        )
    return figures
