"""The meeting workbook of an Assessment: Summary, Organisations, Gaps, Renewals, Comparison and Columns sheets."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..portfolio import compare_reports, control_overview
from .assessment import Assessment
from .cells import neutral_text
from .files import AtomicFile
from .headers import legend
from .theme import Branding
from .views import (
    COLOURED,
    LABELS,
    SEGMENT_HEADERS,
    assessment_of,
    figures,
    gaps,
    organisations_table,
    pick,
    problems,
    renewals,
    segment_view,
)
from .xlsx import Styles, check_size, close_workbook, insert_logo, open_workbook, write_table

__all__ = ["export_excel"]

BrandingLike = Branding | Mapping | str | os.PathLike | None

_GAP_COLUMNS = (
    "soc_report",
    "decided_by",
    "tsc_categories",
    "reports_normalised",
    "coverage_status",
    "tsc_gap",
    "opportunity",
    "opportunity_usd",
    "rationale",
)
_RENEWAL_COLUMNS = (
    "reports_normalised",
    "period_end_date",
    "renewal_date",
    "months_since_period_end",
    "coverage_status",
    "type_upgrade",
    "bridge_letter",
    "next_fiscal_year_end",
    "opportunity",
    "opportunity_usd",
)


def export_excel(
    covered: Assessment | pd.DataFrame,
    path: str | os.PathLike,
    *,
    summaries: Mapping[str, pd.DataFrame] | None = None,
    fees: Any = None,
    branding: BrandingLike = None,
    as_of: Any = None,
) -> Path:
    """The meeting workbook: Summary, Organisations, Gaps, Renewals, Comparison and Columns sheets.

    Parameters
    ----------
    covered : Assessment or pandas.DataFrame
        An Assessment (:func:`socanalysis.assess`), or the output of
        :func:`socanalysis.coverage`, from which one is built
        (:meth:`~socanalysis.present.Assessment.from_covered`).
    path : str or os.PathLike
    summaries : dict of DataFrame, optional
        With a frame: :func:`socanalysis.summarize` already computed.
    fees : path, dict, FeeSchedule or None
        With a frame: the fee schedule for the opportunity columns.
    branding : Branding, dict, path or None
        The Assessment's by default.
    as_of : date-like, optional
        Shown in the title; the Assessment's date by default (today for a frame).

    Returns
    -------
    pathlib.Path

    Notes
    -----
    * Summary: the headline numbers, then one table per segment (industry, partner, region).
    * Organisations: every row, the user's columns then the results ("Report needed", "Coverage
      status", "Opportunity (USD)", "Rationale" ...).
    * Gaps: organisations missing a needed report (the three "Gap" statuses), largest opportunity
      first; categories missing from a SOC 2 held are in the Organisations sheet.
    * Renewals: every dated report, the soonest "Current until" first.
    * Comparison: SOC 1, SOC 2 and SOC 3 side by side, and the control areas.
    * Problems (only when some value could not be read): row, organisation and why.
    * Columns: each header of the Organisations sheet, its code name (as CSV and Parquet keep it)
      and what it holds.

    Every sheet has a bold frozen header and filters; report needs and statuses have their fill
    colour; text cells are written as strings and neutralised (:func:`socanalysis.present.cells.neutralise`).
    The file appears complete or not at all.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> import socanalysis as sa
    >>> frame = pd.DataFrame({"Client": ["=Payroll Co"], "soc_report": ["SOC 1"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client"}}
    >>> assessment = sa.assess(frame, as_of="2025-06-30")
    >>> path = export_excel(assessment, Path(tempfile.mkdtemp()) / "m.xlsx")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['Summary', 'Organisations', 'Gaps', 'Renewals', 'Comparison', 'Columns']
    >>> book["Summary"]["A2"].value, book["Organisations"]["A2"].value, book["Gaps"]["A2"].value
    ('As of 2025-06-30', "'=Payroll Co", "'=Payroll Co")
    """
    assessment = assessment_of(covered, "export_excel", as_of=as_of, fees=fees, branding=branding, summaries=summaries)
    frame = assessment.frame
    check_size(len(frame), frame.shape[1], "the portfolio")
    table = organisations_table(assessment)
    with AtomicFile(path) as file:
        workbook = open_workbook(file.temp)
        styles = Styles(workbook, assessment.branding)
        try:
            _summary_sheet(workbook.add_worksheet("Summary"), styles, assessment)
            write_table(workbook.add_worksheet("Organisations"), styles, table, colour=COLOURED)
            gap_rows = pick(gaps(table), assessment.fields, _GAP_COLUMNS)
            write_table(workbook.add_worksheet("Gaps"), styles, gap_rows, colour=COLOURED)
            renewal_rows = pick(renewals(table), assessment.fields, _RENEWAL_COLUMNS)
            write_table(workbook.add_worksheet("Renewals"), styles, renewal_rows, colour=COLOURED)
            _comparison_sheet(workbook.add_worksheet("Comparison"), styles)
            unread = problems(assessment)
            if not unread.empty:
                write_table(workbook.add_worksheet("Problems"), styles, unread)
            write_table(workbook.add_worksheet("Columns"), styles, _legend(table), wrap=("What it holds",))
        except BaseException:
            workbook.close()
            raise
        close_workbook(workbook, file.path)
    return file.path


def _legend(table: pd.DataFrame) -> pd.DataFrame:
    """The "Columns" sheet: each header of the Organisations sheet, its code name and what it holds."""
    codes = {header: code for code, header in LABELS.items()}
    return legend([codes.get(str(c), str(c)) for c in table.columns])


def _summary_sheet(ws, st: Styles, assessment: Assessment) -> None:
    """The title, the headline numbers, then one table per segment."""
    brand = assessment.branding
    ws.set_column(0, 0, 42)
    ws.set_column(1, 20, 13)
    ws.write_string(0, 0, neutral_text(f"{brand.firm_name}: SOC coverage of the portfolio"), st.title)
    ws.write_string(1, 0, f"As of {assessment.as_of:%Y-%m-%d}", st.subtitle)
    insert_logo(ws, brand, 0, 8)
    row = 3
    for header, c in (("Figure", 0), ("Value", 1), ("Share", 2), ("Of", 3)):
        ws.write_string(row, c, header, st.header)
    for figure in figures(assessment).itertuples():
        row += 1
        ws.write_string(row, 0, figure.label, st.label)
        ws.write_number(row, 1, figure.value, st.money if figure.kind == "money" else st.integer)
        if pd.notna(figure.denominator):
            if pd.notna(figure.share):
                ws.write_number(row, 2, figure.share, st.share)
            ws.write_string(row, 3, f"of {int(figure.denominator):,} {figure.of}", st.text)
    row += 1
    for key, table in assessment.summaries.items():
        if key == "All":
            continue
        row += 1
        ws.write_string(row, 0, neutral_text(f"By {key}"), st.section)
        view = segment_view(table)
        row = write_table(ws, st, view, first_row=row + 1, filters=False, freeze=False, widths=False)
        share = SEGMENT_HEADERS["covered_current_share"]
        if share in view:
            position = list(view.columns).index(share)
            ws.set_column(position, position, 13, st.share)


def _comparison_sheet(ws, st: Styles) -> None:
    """SOC 1, SOC 2 and SOC 3 side by side, then the control areas."""
    reports = compare_reports().reset_index()
    row = write_table(ws, st, reports, wrap=reports.columns, filters=False, widths=False)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 4, 48)
    ws.write_string(row + 1, 0, "Control areas", st.section)
    write_table(
        ws,
        st,
        control_overview(),
        first_row=row + 2,
        wrap=("Covers", "Include when", "Criteria"),
        filters=False,
        freeze=False,
        widths=False,
    )
