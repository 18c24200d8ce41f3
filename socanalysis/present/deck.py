"""Slide decks (PowerPoint, 16:9) to hand over after a meeting, in the firm's branding.

:func:`export_deck` draws an Assessment: a title slide, the headline figures (the same
:func:`socanalysis.portfolio.headline` the dashboard, the HTML report and the workbook show, every
share with its denominator), the report's charts as pictures, the gaps and the renewals, and SOC 1,
SOC 2 and SOC 3 side by side. :func:`export_recommendation_deck` draws one organisation's
recommendation, as the meeting page gives it, with the same comparison.

Both need the ``images`` extra: python-pptx writes the slides, and kaleido draws the charts with
the headless browser (:func:`socanalysis.present.images.figure_png`).
"""

from __future__ import annotations

import datetime as _dt
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..portfolio import compare_reports
from .assessment import Assessment
from .charts import report_charts
from .images import figure_png
from .slides import BODY_HEIGHT, MARGIN, WIDTH, Card, Slides
from .theme import Branding, load_branding
from .views import assessment_of, figures, gaps, organisations_table, pick, renewals

__all__ = ["COMPARISON_SLIDES", "export_deck", "export_recommendation_deck"]

BrandingLike = Branding | Mapping | str | os.PathLike | None

COMPARISON_SLIDES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SOC 1, SOC 2 and SOC 3: what each is for", ("Focus", "Audience", "When to choose", "Use")),
    ("SOC 1, SOC 2 and SOC 3: standards and types", ("Standard", "Main criteria", "Typical users", "Type 1", "Type 2")),
)
"""The two comparison slides: their titles and the rows of :func:`socanalysis.compare_reports` each shows."""

_CHART_WIDTH = 1150  # pixels of a chart across the slide's body: its fonts then read at about 12 pt
_CHART_FONT = 15
_MAX_ROWS = 10  # rows of a table slide: more would not read from the back of the room


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Readable text for a slide's table: money, dates, Yes/No; empty for missing values."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if str(column).endswith("(USD)"):
            out[column] = values.map(lambda v: "" if pd.isna(v) else _money(float(v)))
        elif pd.api.types.is_datetime64_any_dtype(values.dtype):
            out[column] = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")
        elif pd.api.types.is_bool_dtype(values.dtype):
            out[column] = values.map({True: "Yes", False: ""})
        else:
            out[column] = values.astype(object).where(values.notna(), "")
    return out


def _cards(assessment: Assessment) -> list[Card]:
    cards = []
    for row in figures(assessment).itertuples():
        value = _money(row.value) if row.kind == "money" else f"{int(row.value):,}"
        note = row.text if pd.notna(row.denominator) else ""
        if row.kind == "money":
            note = "from the firm's fee schedule"
        cards.append(Card(value, row.label, note))
    return cards


def _chart_png(fig: go.Figure, background: str) -> tuple[str, bytes]:
    """The chart's title (for the slide) and the chart without it, as a PNG sized for the slide's body."""
    title = html.unescape(str(fig.layout.title.text or "")).replace("<br>", " ")
    drawn = go.Figure(fig)
    drawn.update_layout(title=None, font_size=_CHART_FONT, margin={"t": 30}, autosize=False)
    drawn.update_layout(paper_bgcolor=background, plot_bgcolor=background)
    height = round(_CHART_WIDTH * (BODY_HEIGHT - 0.1) / (WIDTH - 2 * MARGIN))
    return title, figure_png(drawn, width=_CHART_WIDTH, height=height, scale=2)


def _rest(shown: int, total: int, what: str) -> str:
    if shown >= total:
        return ""
    return f"The first {shown:,} of {total:,} {what}; the workbook holds them all."


def export_deck(
    data: Assessment | pd.DataFrame,
    path: str | os.PathLike,
    *,
    branding: BrandingLike = None,
    as_of: Any = None,
    title: str | None = None,
    charts: bool = True,
) -> Path:
    """A slide deck (PowerPoint, 16:9) of a portfolio's coverage, in the firm's branding.

    Slides: the title; the headline figures (:func:`socanalysis.portfolio.headline`, each share
    with its denominator); each chart of the HTML report as a picture; the gaps, largest
    opportunity first; the stale reports and renewals due, soonest first; SOC 1, SOC 2 and SOC 3
    side by side (two slides). Long tables show the rows that fit and say how many there are.

    Parameters
    ----------
    data : Assessment or pandas.DataFrame
        An Assessment (:func:`socanalysis.assess`), or the output of :func:`socanalysis.coverage`.
    path : str or os.PathLike
        The ``.pptx`` file, written complete or not at all.
    branding : Branding, dict, path or None
        The Assessment's by default.
    as_of : date-like, optional
        The date shown; the Assessment's by default.
    title : str, optional
        Defaults to "SOC coverage of the portfolio".
    charts : bool
        False leaves out the chart slides (no browser needed).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    MissingExtraError
        Without python-pptx and kaleido (``pip install 'socanalysis[images]'``).
    ExportError
        When the charts need a browser that is missing, or the file cannot be written.
    """
    assessment = assessment_of(data, "export_deck", as_of=as_of, branding=branding)
    brand = assessment.branding
    day = f"{assessment.as_of:%Y-%m-%d}"
    count = len(assessment.frame)
    deck = Slides(brand, footer=f"{brand.firm_name} · SOC coverage as of {day}")
    deck.title_slide(
        title or "SOC coverage of the portfolio",
        f"{brand.firm_name} · as of {day} · {count:,} organisations",
        "Which SOC report each organisation needs, what it holds, and where the gaps and renewals are.",
    )
    deck.cards(
        "The portfolio in figures",
        _cards(assessment),
        note=f"Reports count as current for {assessment.validity_months} months after their period ends; "
        f"a renewal is due in the last {assessment.renewal_window_months}.",
    )
    if charts:
        for key, fig in report_charts(assessment):
            if key == "renewals":  # month names across, not slanted into the note below them
                fig = go.Figure(fig).update_xaxes(tickangle=0, tickfont_size=14)
                fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1.16, "xanchor": "left"})
            chart_title, png = _chart_png(fig, brand.background)
            deck.picture(chart_title, png)
    _gap_slide(deck, assessment)
    _renewal_slide(deck, assessment)
    comparison_slides(deck)
    return deck.save(path)


_GAP_WIDTHS = {"name": 3.0, "industry": 2.2, "partner": 1.9, "Report needed": 1.3, "Holds": 1.9}


def _field(assessment: Assessment, column: str) -> str:
    """The field a column of the user's serves (name, industry ...), or the column itself."""
    return next((field for field, c in assessment.fields.items() if c == column), column)


def _gap_slide(deck: Slides, assessment: Assessment) -> None:
    table = organisations_table(assessment)
    missing = gaps(table)
    rows = pick(missing, assessment.fields, ["soc_report", "reports_normalised", "coverage_status", "opportunity_usd"])
    if rows.empty:
        deck.table("Gaps", pd.DataFrame({"Gaps": ["No organisation is missing a report it needs."]}))
        return
    widths = [_GAP_WIDTHS.get(_field(assessment, c), 1.6) for c in rows.columns]
    deck.table(
        "Gaps: missing a report they need",
        _shown(rows).head(_MAX_ROWS),
        widths=widths,
        points=(14, 13),
        lines=2,
        note=lambda shown: "Largest opportunity first. " + _rest(shown, len(rows), "organisations with a gap"),
    )


def _renewal_slide(deck: Slides, assessment: Assessment) -> None:
    table = organisations_table(assessment)
    due = renewals(table)
    due = due[due["Coverage status"].isin(["Stale", "Renewal due"]).to_numpy()] if not due.empty else due
    if due.empty:
        deck.table("Renewals", pd.DataFrame({"Renewals": ["No report is stale or due for renewal."]}))
        return
    rows = pick(due, assessment.fields, ["reports_normalised", "period_end_date", "renewal_date", "coverage_status"])
    widths = [_GAP_WIDTHS.get(_field(assessment, c), 1.6) for c in rows.columns]
    deck.table(
        "Stale reports and renewals due",
        _shown(rows).head(_MAX_ROWS),
        widths=widths,
        points=(14, 13),
        lines=2,
        note=lambda shown: "Soonest first. " + _rest(shown, len(rows), "stale or due"),
    )


def comparison_slides(deck: Slides) -> None:
    """SOC 1, SOC 2 and SOC 3 side by side (:func:`socanalysis.compare_reports`), on two slides."""
    table = compare_reports()
    for slide_title, aspects in COMPARISON_SLIDES:
        part = table.loc[list(aspects)].reset_index()
        deck.table(
            slide_title, part, widths=[1.9, 3.6, 3.6, 3.0], points=(18, 16, 15, 14, 13, 12), lines=8, header_column=True
        )


def export_recommendation_deck(
    path: str | os.PathLike,
    *,
    details: Sequence[tuple[str, str]],
    organisation: str = "",
    description: str = "",
    answers: Sequence[tuple[str, str]] = (),
    branding: BrandingLike = None,
    day: Any = None,
) -> Path:
    """One organisation's recommendation as a short deck: what to get and why, the answers, SOC 1/2/3.

    Parameters
    ----------
    path : str or os.PathLike
        The ``.pptx`` file, written complete or not at all.
    details : sequence of (label, text)
        The recommendation as the meeting page shows it ("Recommendation", "Report type", "Why" ...);
        empty texts are left out.
    organisation, description : str
        Who it is for and what it does, as typed (shown as text).
    answers : sequence of (question, answer)
        The questions answered in the meeting.
    branding : Branding, dict, path or None
    day : date-like, optional
        The date shown; today by default.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    MissingExtraError
        Without python-pptx (``pip install 'socanalysis[images]'``).

    Examples
    --------
    >>> import tempfile
    >>> from pptx import Presentation
    >>> out = export_recommendation_deck(Path(tempfile.mkdtemp()) / "advice.pptx",
    ...     details=[("Recommendation", "SOC 2"), ("Why", "It hosts customer data.")],
    ...     organisation="<b>Acme</b>", branding={"firm_name": "Smith & Co"})
    >>> deck = Presentation(out)
    >>> [s.shapes.title.text for s in deck.slides if s.shapes.title is not None][:2]
    ['Our recommendation', 'SOC 1, SOC 2 and SOC 3: what each is for']
    >>> any("<b>Acme</b>" in shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    True
    """
    brand = load_branding(branding)
    when = pd.Timestamp(day) if day is not None else pd.Timestamp(_dt.date.today())
    who = " ".join(str(organisation).split())
    deck = Slides(brand, footer=f"{brand.firm_name} · {when:%Y-%m-%d}" + (f" · {who}" if who else ""))
    deck.title_slide(
        f"Which SOC report for {who}?" if who else "Which SOC report?",
        f"{brand.firm_name} · {when:%Y-%m-%d}",
        description,
    )
    shown = [(label, text) for label, text in details if str(text).strip()]
    deck.table(
        "Our recommendation",
        pd.DataFrame(shown, columns=["", "Our advice"]),
        widths=[2.6, 9.5],
        points=16,
        lines=4,
        header_column=True,
    )
    if answers:
        deck.table(
            "What you told us",
            pd.DataFrame(list(answers), columns=["Question", "Answer"]),
            widths=[9.6, 2.5],
            points=14,
            lines=2,
        )
    comparison_slides(deck)
    return deck.save(path)
