"""The HTML report: one self-contained page that opens offline, drawn from an Assessment.

plotly.js is embedded once (inline); every chart is a plotly figure; nothing is loaded from the
network (no CDN, web font or stylesheet link, and a Content-Security-Policy that forbids any
request). Every value from the spreadsheet is escaped: in the tables by
:func:`socanalysis.present.tables.to_html`, in the charts by :mod:`socanalysis.present.charts`, and
plotly's JSON escapes ``<``, ``>`` and ``/`` so no value can close the ``<script>`` it sits in.

The page is built in steps: the charts (:func:`~socanalysis.present.charts.report_charts`, which
the deck draws too), the sections (:func:`_sections`), then the page around them (:func:`_page`).
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..portfolio import compare_reports
from . import charts
from .assessment import Assessment
from .files import write_text
from .tables import to_html
from .theme import Branding, branding_css
from .views import assessment_of, figures, gaps, organisations_table, pick, problems, renewals, segment_view

__all__ = ["export_html_report"]

BrandingLike = Branding | Mapping | str | os.PathLike | None

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)

_PAGE_CSS = """
* { box-sizing: border-box; }
body { margin: 0; background: var(--soc-background); color: var(--soc-text); font-family: var(--soc-font);
       line-height: 1.45; }
header { display: flex; align-items: center; gap: 1rem; padding: 1.2rem 2rem;
         border-bottom: 4px solid var(--soc-primary); }
header img { max-height: 56px; max-width: 220px; }
header h1 { margin: 0; font-size: 1.6rem; color: var(--soc-heading); }
header p { margin: 0.2rem 0 0; color: var(--soc-muted); }
main { padding: 1rem 2rem 3rem; max-width: 1400px; margin: 0 auto; }
section { margin: 2rem 0; break-inside: avoid-page; }
h2 { font-size: 1.25rem; color: var(--soc-heading); border-bottom: 1px solid var(--soc-panel);
     padding-bottom: 0.3rem; }
.headline { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 0.8rem; }
.figure-card { background: var(--soc-panel); border-radius: 8px; padding: 0.8rem 1rem; }
.figure-card .value { font-size: 1.6rem; font-weight: 700; color: var(--soc-heading); }
.figure-card .label { font-size: 0.85rem; color: var(--soc-muted); }
.figure-card .of { font-size: 0.8rem; color: var(--soc-muted); margin-top: 0.2rem; }
.chart { margin: 1.5rem 0; break-inside: avoid-page; }
.table-wrap { overflow-x: auto; margin: 1rem 0; background: #FFFFFF; color: #1F2933; border-radius: 6px; }
.note { color: var(--soc-muted); font-size: 0.85rem; }
footer { color: var(--soc-muted); font-size: 0.8rem; padding: 1rem 2rem;
         border-top: 1px solid var(--soc-panel); }
@media print { header { border-bottom-width: 2px; } main { padding: 0 1rem; }
               .chart { page-break-inside: avoid; } }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _figure_html(fig: go.Figure, div_id: str) -> str:
    return pio.to_html(
        fig, full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False, "responsive": True}
    )


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Readable text for an HTML table: money, shares, dates and Yes/No (escaped later by to_html)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        name = str(column)
        if name.endswith("(USD)") or name == "opportunity_usd":
            out[column] = values.map(lambda v: "" if pd.isna(v) else _money(float(v))).astype(object)
        elif "share" in name.lower() and pd.api.types.is_float_dtype(values.dtype):
            out[column] = values.map(lambda v: "" if pd.isna(v) else f"{float(v):.0%}").astype(object)
        elif pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[column] = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")
    return out


def _table_section(title: str, frame: pd.DataFrame, max_rows: int, *, note: str = "", hide_index: bool = True) -> str:
    shown = frame.head(max_rows)
    more = len(frame) - len(shown)
    extra = f" Showing the first {len(shown):,} of {len(frame):,}; the workbook holds all." if more else ""
    text = f'<p class="note">{_e(note + extra)}</p>' if note or extra else ""
    if frame.empty:
        body = '<p class="note">None.</p>'
    else:
        body = f'<div class="table-wrap">{to_html(_display_table(shown), hide_index=hide_index)}</div>'
    return f"<section><h2>{_e(title)}</h2>{text}{body}</section>"


def export_html_report(
    covered: Assessment | pd.DataFrame,
    path: str | os.PathLike | None = None,
    *,
    as_of: Any = None,
    branding: BrandingLike = None,
    title: str | None = None,
    summaries: Mapping[str, pd.DataFrame] | None = None,
    fees: Any = None,
    max_rows: int = 200,
) -> str:
    """One self-contained HTML report that opens offline: headline numbers, charts and tables.

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment (:func:`socanalysis.assess`), or the output of
        :func:`socanalysis.coverage`, from which one is built
        (:meth:`~socanalysis.present.Assessment.from_covered`).
    path : str or os.PathLike, optional
        Where to write the page (UTF-8; complete or not at all); when None it is only returned.
    as_of : date-like, optional
        The date shown and the "Today" line; the Assessment's date by default (today for a frame).
    branding : Branding, dict, path or None
        Firm name, colours and logo (embedded as a data URI); the Assessment's by default.
    title : str, optional
        Defaults to "SOC coverage of the portfolio".
    summaries : dict of DataFrame, optional
        With a frame: :func:`socanalysis.summarize` already computed.
    fees : path, dict, FeeSchedule or None
        With a frame: the fee schedule for the opportunities.
    max_rows : int
        The longest table shown (gaps, renewals); the workbook holds every row.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> import socanalysis as sa
    >>> frame = pd.DataFrame({"Client": ["<img src=x onerror=alert(1)>"], "Industry": ["SaaS"],
    ...                       "soc_report": ["SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client", "industry": "Industry"}}
    >>> page = export_html_report(sa.assess(frame, as_of="2025-06-30"))
    >>> "<img src=x" in page, "&lt;img src=x onerror=alert(1)&gt;" in page, "as of 2025-06-30" in page
    (False, True, True)
    >>> from plotly.offline import get_plotlyjs
    >>> ours = page.replace(get_plotlyjs(), "")  # plotly.js itself holds map-tile URLs it never uses here
    >>> any(f"{attr}={quote}{scheme}" in ours for attr in ("src", "href")
    ...     for quote in ("", "'", '"') for scheme in ("http", "//"))
    False
    """
    assessment = assessment_of(
        covered, "export_html_report", as_of=as_of, fees=fees, branding=branding, summaries=summaries
    )
    figures = charts.report_charts(assessment)
    page = _page(assessment, title or "SOC coverage of the portfolio", _sections(assessment, figures, max_rows))
    if path is not None:
        write_text(path, page)
    return page


def _summary_section(assessment: Assessment) -> str:
    """The headline figures as cards: the value, what it counts, and its share with the denominator said."""
    cards = []
    for row in figures(assessment).itertuples():
        shown = _money(row.value) if row.kind == "money" else f"{int(row.value):,}"
        of = f'<div class="of">{_e(row.text)}</div>' if pd.notna(row.denominator) else ""
        cards.append(
            f'<div class="figure-card"><div class="value">{_e(shown)}</div>'
            f'<div class="label">{_e(row.label)}</div>{of}</div>'
        )
    return f'<section><h2>Summary</h2><div class="headline">{"".join(cards)}</div></section>'


def _sections(assessment: Assessment, figures: list[tuple[str, go.Figure]], max_rows: int) -> list[str]:
    """Summary, charts, a table per segment, gaps, renewals, the comparison and the unread values."""
    fields = assessment.fields
    table = organisations_table(assessment)
    sections = [_summary_section(assessment)]
    chart_html = "".join(f'<div class="chart">{_figure_html(fig, f"chart-{key}")}</div>' for key, fig in figures)
    sections.append(f"<section><h2>Charts</h2>{chart_html}</section>")
    for key, segment_table in assessment.summaries.items():
        if key != "All":
            sections.append(_table_section(f"By {key}", segment_view(segment_table), max_rows))
    gap_rows = pick(
        gaps(table),
        fields,
        [
            "soc_report",
            "decided_by",
            "reports_normalised",
            "coverage_status",
            "tsc_gap",
            "opportunity",
            "opportunity_usd",
        ],
    )
    sections.append(
        _table_section(
            "Gaps", gap_rows, max_rows, note="Organisations missing a needed report, largest opportunity first."
        )
    )
    due = renewals(table)
    due = due[due["Coverage status"].isin(["Stale", "Renewal due"]).to_numpy()]
    due = pick(
        due,
        fields,
        [
            "reports_normalised",
            "period_end_date",
            "renewal_date",
            "coverage_status",
            "bridge_letter",
            "opportunity_usd",
        ],
    )
    sections.append(_table_section("Stale reports and renewals due", due, max_rows))
    sections.append(_table_section("SOC 1, SOC 2 and SOC 3", compare_reports(), max_rows, hide_index=False))
    unread = problems(assessment)
    if not unread.empty:
        sections.append(_table_section("Values that could not be read", unread, max_rows))
    return sections


def _page(assessment: Assessment, title: str, sections: list[str]) -> str:
    """The whole document: head (policy, styles, plotly.js), header, the sections and the footer."""
    brand = assessment.branding
    day = f"{assessment.as_of:%Y-%m-%d}"
    logo = brand.logo_data_uri()
    logo_html = f'<img src="{_e(logo)}" alt="{_e(brand.firm_name)} logo">' if logo else ""
    generated = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="en" data-theme="{_e(brand.mode)}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{_e(brand.firm_name)}: {_e(title)}</title>",
            f"<style>\n{branding_css(brand)}{_PAGE_CSS}</style>",
            f"<script>{_plotly_js()}</script>",
            "</head>",
            "<body>",
            f"<header>{logo_html}<div><h1>{_e(title)}</h1>"
            f"<p>{_e(brand.firm_name)} · as of {_e(day)} · {len(assessment.frame):,} organisations</p></div></header>",
            f"<main>{''.join(sections)}</main>",
            f"<footer>Generated {_e(generated)} by socanalysis. Reports are treated as current for "
            f"{assessment.validity_months} months after their period ends; fees are estimates from the firm's "
            "fee schedule.</footer>",
            "</body>",
            "</html>",
        ]
    )


_PLOTLY_JS: str | None = None


def _plotly_js() -> str:
    """plotly.js as shipped in the plotly wheel, checked safe to inline in a <script>."""
    global _PLOTLY_JS
    if _PLOTLY_JS is None:
        from plotly.offline import get_plotlyjs

        script = get_plotlyjs()
        lowered = script.lower()
        if "</script" in lowered or "<!--" in script:  # pragma: no cover - guards a future plotly.js
            script = script.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
            script = script.replace("<!--", "<\\!--")
        _PLOTLY_JS = script
    return _PLOTLY_JS
