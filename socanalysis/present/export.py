"""Exports people open: formula-safe CSV and XLSX, the meeting workbook, the HTML report, PNG and PDF.

Spreadsheet safety
    Any text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (:func:`neutralise`, :func:`neutralise_arrow`), as OWASP advises against CSV
    injection, so a spreadsheet never runs it as a formula. Workbooks also write every text cell as
    a string (never as a formula), with xlsxwriter's formula, URL and number conversions off.

HTML safety
    The report (:func:`export_html_report`) is one self-contained file: plotly.js is inlined once,
    nothing is fetched (a Content-Security-Policy forbids any network request), and every value
    from the spreadsheet is escaped.

Images and PDF
    :func:`export_image` and :func:`export_pdf` drive a headless Chrome or Chromium through kaleido,
    always with MathJax off (its default is a CDN). The browser is found as kaleido finds it
    (``BROWSER_PATH`` first, then the usual places); without one they raise
    :class:`~socanalysis.errors.ExportError` saying what to install.

>>> neutralise(pd.Series(["=1+1", "Acme", "-5", "@SUM(A1)"])).tolist()
["'=1+1", 'Acme', "'-5", "'@SUM(A1)"]
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import datetime as _dt
import html
import io
import math
import numbers
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..errors import ColumnError, ExportError, SocAnalysisError
from ..load import fields_of
from ..portfolio import compare_reports, control_overview
from ..vocabulary import ATTRS_KEY, CONFIDENCE_VALUES, GAP_STATUSES, REPORT_VALUES, STATUSES
from . import charts
from .cells import neutral_text, neutralise, neutralise_arrow, neutralise_series
from .tables import to_html
from .theme import Branding, branding_css, load_branding, tint

__all__ = [
    "EXCEL_MAX_ROWS",
    "LeadsXlsxWriter",
    "export_excel",
    "export_html_report",
    "export_image",
    "export_pdf",
    "find_browser",
    "neutralise",
    "neutralise_arrow",
    "organisations_table",
    "report",
    "write_csv",
    "write_leads_xlsx",
]


EXCEL_MAX_ROWS = 1_048_575
"""Data rows an Excel sheet holds below its header row (1,048,576 rows in all)."""

EXCEL_MAX_COLUMNS = 16_384

_WRAP = ("rationale", "evidence", "description", "coverage_note", "problem", "Rationale", "Coverage note")
_WIDTH_CAP = 50
_WRAP_WIDTH = 60
_XLSX_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "remove_timezone": True,
}

BrandingLike = Branding | Mapping | str | os.PathLike | None


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, index: bool = False) -> Path:
    """Write a formula-safe CSV that Excel opens with accents intact (UTF-8 with a BOM).

    Parameters
    ----------
    df : pandas.DataFrame
        Not modified.
    path : str or os.PathLike
    index : bool
        Write the index as the first column.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "leads.csv"
    >>> _ = write_csv(pd.DataFrame({"Company": ["Société =Générale", "=1+1"]}), out)
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf", out.read_text(encoding="utf-8-sig").splitlines()
    (True, ['Company', 'Société =Générale', "'=1+1"])
    """
    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"write_csv() takes a DataFrame, not {type(df).__name__}")
    path = Path(path)
    safe = neutralise(df)
    safe.columns = [neutral_text(str(c)) for c in df.columns]
    if index and safe.index.dtype == object:
        safe.index = neutralise(pd.Series(safe.index.astype(str))).to_numpy()
    try:
        safe.to_csv(path, index=index, encoding="utf-8-sig")
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc
    return path


# --------------------------------------------------------------------------------------------
# XLSX building blocks
# --------------------------------------------------------------------------------------------


class _Styles:
    """The cell formats of one workbook, in the firm's colours."""

    def __init__(self, workbook: xlsxwriter.Workbook, branding: Branding):
        add = workbook.add_format
        self.header = add(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": branding.primary,
                "border": 1,
                "border_color": "#D9E0E8",
                "valign": "top",
                "text_wrap": True,
            }
        )
        self.text = add({"valign": "top"})
        self.wrap = add({"valign": "top", "text_wrap": True})
        self.date = add({"valign": "top", "num_format": "yyyy-mm-dd"})
        self.number = add({"valign": "top", "num_format": "#,##0.##"})
        self.integer = add({"valign": "top", "num_format": "#,##0"})
        self.money = add({"valign": "top", "num_format": "$#,##0"})
        self.share = add({"valign": "top", "num_format": "0.0%"})
        self.title = add({"bold": True, "font_size": 16, "font_color": branding.primary})
        self.subtitle = add({"italic": True, "font_color": "#52606D"})
        self.label = add({"bold": True, "valign": "top"})
        self.section = add({"bold": True, "font_size": 12, "font_color": branding.primary})
        self.fills = {
            value: add({"bg_color": tint(branding.colour(value), 0.55), "font_color": "#000000"})
            for value in (*REPORT_VALUES, *STATUSES)
        }


def _cell_values(series: pd.Series) -> list:
    """A column as Python values for the writer: missing values as None, text neutralised."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return [None if v is pd.NaT else v for v in series.astype(object).tolist()]
    safe = neutralise_series(series)
    return safe.astype(object).where(safe.notna(), None).tolist()


def _column_format(series: pd.Series, name: str, styles: _Styles, wrap: Iterable[str]):
    dtype = series.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return styles.date
    if pd.api.types.is_bool_dtype(dtype):
        return styles.text
    if pd.api.types.is_integer_dtype(dtype):
        return styles.integer
    if pd.api.types.is_float_dtype(dtype):
        return styles.money if name.endswith("_usd") or "(USD)" in name else styles.number
    return styles.wrap if name in wrap else styles.text


def _write_rows(worksheet, first_row: int, columns: list[list], formats: list, date_format) -> None:
    """Write rows cell by cell with typed writers: text is always ``write_string``."""
    string, number, boolean, when = (
        worksheet.write_string,
        worksheet.write_number,
        worksheet.write_boolean,
        worksheet.write_datetime,
    )
    for offset, row in enumerate(zip(*columns, strict=True)):
        r = first_row + offset
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if value:  # an empty text stays a blank cell
                    string(r, c, value, formats[c])
            elif isinstance(value, (bool, np.bool_)):
                boolean(r, c, bool(value), formats[c])
            elif isinstance(value, numbers.Real):
                if not (isinstance(value, float) and math.isnan(value)):
                    number(r, c, value, formats[c])
            elif isinstance(value, (_dt.datetime, _dt.date)):
                when(r, c, value, date_format)
            else:
                string(r, c, neutral_text(str(value)), formats[c])


def _text_width(series: pd.Series) -> int:
    if series.empty:
        return 0
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return 10
    if pd.api.types.is_bool_dtype(series.dtype):
        return 5
    if pd.api.types.is_numeric_dtype(series.dtype):
        longest = series.abs().max()
        return len(f"{longest:,.2f}") if pd.notna(longest) else 0
    longest = series.astype(str).str.len().max()
    return 0 if pd.isna(longest) else int(longest)


def _width(header: str, longest: int, wrap: bool) -> float:
    if wrap:
        return _WRAP_WIDTH
    return float(min(max(len(header) + 3, longest + 2, 8), _WIDTH_CAP))


def _check_size(rows: int, columns: int, what: str) -> None:
    if rows > EXCEL_MAX_ROWS:
        raise ExportError(
            f"{what} has {rows:,} rows; an Excel sheet holds at most {EXCEL_MAX_ROWS:,} data rows. "
            "Write CSV or Parquet instead, or split the list"
        )
    if columns > EXCEL_MAX_COLUMNS:
        raise ExportError(f"{what} has {columns:,} columns; an Excel sheet holds at most {EXCEL_MAX_COLUMNS:,}")


def _colour_column(worksheet, styles: _Styles, col: int, first_row: int, last_row: int, values: Sequence[str]) -> None:
    """A fill per value (soc_report or coverage_status) through conditional formats."""
    if last_row < first_row:
        return
    for value in values:
        worksheet.conditional_format(
            first_row,
            col,
            last_row,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": styles.fills[value]},
        )


def _write_table(
    worksheet,
    styles: _Styles,
    frame: pd.DataFrame,
    *,
    first_row: int = 0,
    wrap: Iterable[str] = _WRAP,
    colour: Mapping[str, Sequence[str]] | None = None,
    filters: bool = True,
    freeze: bool = True,
    widths: bool = True,
) -> int:
    """Write a header and the rows of ``frame``; returns the next free row."""
    names = [str(c) for c in frame.columns]
    wrap = set(wrap)
    for c, name in enumerate(names):
        worksheet.write_string(first_row, c, neutral_text(name), styles.header)
    formats = [_column_format(frame.iloc[:, c], names[c], styles, wrap) for c in range(len(names))]
    columns = [_cell_values(frame.iloc[:, c]) for c in range(len(names))]
    _write_rows(worksheet, first_row + 1, columns, formats, styles.date)
    last = first_row + len(frame)
    if widths:
        for c, name in enumerate(names):
            worksheet.set_column(c, c, _width(name, _text_width(frame.iloc[:, c]), name in wrap))
    for name, values in (colour or {}).items():
        if name in names:
            _colour_column(worksheet, styles, names.index(name), first_row + 1, last, values)
    if filters and names:
        worksheet.autofilter(first_row, 0, max(last, first_row + 1), len(names) - 1)
    if freeze:
        worksheet.freeze_panes(first_row + 1, 1 if len(names) > 1 else 0)
    return last + 1


def _insert_logo(worksheet, branding: Branding, row: int, col: int, height: int = 48) -> None:
    logo = branding.logo_bytes()
    if logo is None or logo[1] == ".svg" or logo[1] == ".webp":
        return  # xlsx holds PNG, JPEG and GIF
    data = io.BytesIO(logo[0])
    try:
        image = xlsxwriter.image.Image(data)
        scale = height / image.height if image.height else 1.0
    except Exception:  # noqa: BLE001 - an unreadable logo must not stop the export
        return
    data.seek(0)
    worksheet.insert_image(
        row, col, "logo" + logo[1], {"image_data": data, "x_scale": scale, "y_scale": scale, "object_position": 3}
    )


def _open_workbook(path: str | os.PathLike, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    options = dict(_XLSX_OPTIONS)
    if constant_memory:
        options["constant_memory"] = True
    return xlsxwriter.Workbook(str(path), options)


def _close_workbook(workbook: xlsxwriter.Workbook, path: Path) -> None:
    try:
        workbook.close()
    except (OSError, XlsxWriterException) as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc}") from exc


# --------------------------------------------------------------------------------------------
# lead lists
# --------------------------------------------------------------------------------------------


class LeadsXlsxWriter:
    """Write a classified lead list to a formatted workbook chunk by chunk, in constant memory.

    Rows go to a "Leads" sheet (bold frozen header, filters, capped column widths, a fill per
    ``soc_report``, wrapped rationale) as they arrive; :meth:`close` adds a "Summary" sheet with the
    counts per ``soc_report`` and ``confidence`` gathered on the way. xlsxwriter's
    ``constant_memory`` mode flushes each row, so memory stays flat however many rows are written.

    Parameters
    ----------
    path : str or os.PathLike
    columns : sequence of str, optional
        The columns to write, in order; every chunk must hold them. Defaults to the first chunk's.
    sheet_name : str
    branding : Branding, dict, path or None
    title : str
        The Summary sheet's title.
    wrap : iterable of str
        Columns shown wrapped in a wide column.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "leads.xlsx"
    >>> chunk = pd.DataFrame({"Company": ["Acme", "=cmd"], "soc_report": ["SOC 1", "Neither"]})
    >>> with LeadsXlsxWriter(path, ["Company", "soc_report"]) as writer:
    ...     writer.append(chunk)
    ...     writer.append(chunk)
    >>> writer.rows
    4
    >>> import openpyxl
    >>> openpyxl.load_workbook(path)["Leads"]["A3"].value
    "'=cmd"
    """

    def __init__(
        self,
        path: str | os.PathLike,
        columns: Sequence[str] | None = None,
        *,
        sheet_name: str = "Leads",
        branding: BrandingLike = None,
        title: str = "Lead list",
        wrap: Iterable[str] = _WRAP,
    ):
        self.path = Path(path)
        self.branding = load_branding(branding)
        self.title = title
        self.rows = 0
        self._columns = None if columns is None else [str(c) for c in columns]
        if self._columns is not None:
            _check_size(0, len(self._columns), "the lead list")
        self._wrap = set(wrap)
        self._workbook = _open_workbook(self.path, constant_memory=True)
        self._styles = _Styles(self._workbook, self.branding)
        self._sheet = self._workbook.add_worksheet(sheet_name)
        self._summary_sheet = self._workbook.add_worksheet("Summary")
        self._formats: list | None = None
        self._longest: list[int] = []
        self._counts: pd.DataFrame | None = None
        self._closed = False

    def __enter__(self) -> LeadsXlsxWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def _start(self, chunk: pd.DataFrame) -> None:
        if self._columns is None:
            self._columns = [str(c) for c in chunk.columns]
            _check_size(0, len(self._columns), "the lead list")
        for c, name in enumerate(self._columns):
            self._sheet.write_string(0, c, neutral_text(name), self._styles.header)
        self._formats = [_column_format(chunk[name], name, self._styles, self._wrap) for name in self._columns]
        self._longest = [0] * len(self._columns)

    def append(self, chunk: pd.DataFrame) -> None:
        """Write the rows of ``chunk`` below the rows already written.

        Raises
        ------
        ColumnError
            When the chunk lacks one of the columns.
        ExportError
            When the sheet would pass Excel's 1,048,575 data rows (nothing of the chunk is written),
            or after :meth:`close`.
        """
        if self._closed:
            raise ExportError(f"{str(self.path)!r} is already closed; create a new LeadsXlsxWriter")
        if not isinstance(chunk, pd.DataFrame):
            raise SocAnalysisError(f"append() takes a DataFrame, not {type(chunk).__name__}")
        chunk = chunk.set_axis([str(c) for c in chunk.columns], axis=1)
        missing = [c for c in self._columns or [] if c not in chunk.columns]
        if missing:
            raise ColumnError(
                f"the chunk has no column {missing[0]!r}; every chunk needs: " + ", ".join(map(repr, self._columns))
            )
        if self._formats is None:
            self._start(chunk)
        _check_size(self.rows + len(chunk), len(self._columns), "the lead list")
        frame = chunk[self._columns]
        columns = [_cell_values(frame.iloc[:, c]) for c in range(len(self._columns))]
        _write_rows(self._sheet, self.rows + 1, columns, self._formats, self._styles.date)
        for c, name in enumerate(self._columns):
            if self._longest[c] < _WIDTH_CAP and name not in self._wrap:  # widths are capped: stop measuring
                self._longest[c] = max(self._longest[c], _text_width(frame.iloc[:, c]))
        self._count(frame if "soc_report" in frame else chunk)
        self.rows += len(chunk)

    def _count(self, frame: pd.DataFrame) -> None:
        if "soc_report" not in frame.columns:
            return
        need = frame["soc_report"].astype(object).where(frame["soc_report"].notna(), "").astype(str)
        if "confidence" in frame.columns:
            conf = frame["confidence"].astype(object).where(frame["confidence"].notna(), "").astype(str)
        else:
            conf = pd.Series("", index=frame.index)
        counts = pd.crosstab(need.to_numpy(), conf.to_numpy())
        self._counts = counts if self._counts is None else self._counts.add(counts, fill_value=0)

    def close(self, summary: pd.DataFrame | Mapping[str, Any] | None = None) -> Path:
        """Finish the Leads sheet, write the Summary sheet and close the file.

        Parameters
        ----------
        summary : dict or pandas.DataFrame, optional
            Extra lines for the Summary sheet: a dict (e.g. ``{"Rows with problems": 12}``) is
            written as label/value pairs, a DataFrame as a table below the counts.

        Returns
        -------
        pathlib.Path
        """
        if self._closed:
            return self.path
        if self._formats is None:
            self._start(pd.DataFrame(columns=self._columns or []))
        sheet, names = self._sheet, self._columns
        for c, name in enumerate(names):
            sheet.set_column(c, c, _width(name, self._longest[c], name in self._wrap), self._formats[c])
        if names:
            sheet.autofilter(0, 0, max(self.rows, 1), len(names) - 1)
            sheet.freeze_panes(1, 1 if len(names) > 1 else 0)
        if "soc_report" in names:
            _colour_column(sheet, self._styles, names.index("soc_report"), 1, self.rows, REPORT_VALUES)
        self._write_summary(summary)
        self._closed = True
        _close_workbook(self._workbook, self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the partly written file."""
        if not self._closed:
            self._closed = True
            try:
                self._workbook.close()
            except Exception:  # noqa: BLE001 - the file is removed anyway
                pass
        self.path.unlink(missing_ok=True)

    def _write_summary(self, summary: pd.DataFrame | Mapping[str, Any] | None) -> None:
        ws, st = self._summary_sheet, self._styles
        ws.set_column(0, 0, 34)
        ws.set_column(1, 8, 14)
        ws.write_string(0, 0, neutral_text(f"{self.branding.firm_name}: {self.title}"), st.title)
        _insert_logo(ws, self.branding, 0, 6)
        ws.write_string(2, 0, "Rows", st.label)
        ws.write_number(2, 1, self.rows, st.integer)
        row = 4
        table = _needs_table(self._counts, self.rows)
        if table is not None:
            ws.write_string(row - 1, 0, "Which report each organisation needs", st.section)
            row = (
                _write_table(
                    ws,
                    st,
                    table,
                    first_row=row,
                    colour={"Report needed": REPORT_VALUES},
                    filters=False,
                    freeze=False,
                    widths=False,
                )
                + 1
            )
        if isinstance(summary, Mapping):
            ws.write_string(row, 0, "Details", st.section)
            for offset, (label, value) in enumerate(summary.items(), start=1):
                ws.write_string(row + offset, 0, neutral_text(str(label)), st.label)
                _write_rows(ws, row + offset, [[None], [_plain(value)]], [None, st.text], st.date)
            row += len(summary) + 2
        elif isinstance(summary, pd.DataFrame):
            frame = summary.reset_index() if summary.index.name is not None else summary
            _write_table(ws, st, frame, first_row=row, filters=False, freeze=False, widths=False)
        elif summary is not None:
            raise SocAnalysisError(f"close(summary=...) takes a dict or a DataFrame, not {type(summary).__name__}")


def _plain(value: Any) -> Any:
    if isinstance(value, (str, bool, numbers.Real, _dt.date)) or value is None:
        return neutral_text(value) if isinstance(value, str) else value
    return neutral_text(str(value))


def _needs_table(counts: pd.DataFrame | None, rows: int) -> pd.DataFrame | None:
    """Counts per soc_report (rows) and confidence (columns), with shares and a total row."""
    if counts is None:
        return None
    index = [*REPORT_VALUES, *sorted(set(counts.index) - set(REPORT_VALUES))]
    levels = [c for c in CONFIDENCE_VALUES if c in counts.columns]
    levels += sorted(c for c in counts.columns if c not in levels and c != "")
    counts = counts.reindex(index=index, fill_value=0)
    table = pd.DataFrame({"Report needed": index})
    total = counts.sum(axis=1).astype(int).to_numpy()
    table["Organisations"] = total
    table["Share"] = np.round(total / rows, 4) if rows else 0.0
    for level in levels:
        table[f"{level} confidence"] = counts[level].astype(int).to_numpy()
    table.loc[len(table)] = [
        "Total",
        int(total.sum()),
        1.0 if rows else 0.0,
        *[int(counts[level].sum()) for level in levels],
    ]
    return table


def write_leads_xlsx(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    summary: pd.DataFrame | Mapping[str, Any] | None = None,
    branding: BrandingLike = None,
    columns: Sequence[str] | None = None,
    chunk_rows: int = 50_000,
) -> Path:
    """Write a classified lead list as a formatted, formula-safe workbook for sales teams.

    Sheets: "Leads" (every row; bold frozen header, filters, column widths capped at 50, a fill per
    ``soc_report``, wrapped rationale) and "Summary" (counts per ``soc_report`` and
    ``confidence``, plus ``summary``). Built on :class:`LeadsXlsxWriter`.

    Parameters
    ----------
    df : pandas.DataFrame
        The output of ``classify`` (any frame works; the fills and counts need ``soc_report``).
    path : str or os.PathLike
    summary : dict or pandas.DataFrame, optional
        Extra lines for the Summary sheet (see :meth:`LeadsXlsxWriter.close`).
    branding : Branding, dict, path or None
    columns : sequence of str, optional
        The columns to write, in order; all by default.
    chunk_rows : int
        Rows converted at a time (bounds the memory used).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        When ``df`` has more rows than an Excel sheet holds (1,048,575 below the header).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> path = Path(tempfile.mkdtemp()) / "leads.xlsx"
    >>> leads = pd.DataFrame({"Company": ["+44 Ltd", "Acme"], "soc_report": ["SOC 2", "SOC 2"],
    ...                       "confidence": ["high", "low"]})
    >>> book = openpyxl.load_workbook(write_leads_xlsx(leads, path))
    >>> book.sheetnames, book["Leads"]["A2"].value, book["Leads"].freeze_panes
    (['Leads', 'Summary'], "'+44 Ltd", 'B2')
    """
    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"write_leads_xlsx() takes a DataFrame, not {type(df).__name__}")
    _check_size(len(df), df.shape[1] if columns is None else len(columns), "the lead list")
    writer = LeadsXlsxWriter(path, list(df.columns) if columns is None else columns, branding=branding)
    try:
        step = max(int(chunk_rows), 1)
        for start in range(0, len(df), step):
            writer.append(df.iloc[start : start + step])
    except BaseException:
        writer.abort()
        raise
    return writer.close(summary)


# --------------------------------------------------------------------------------------------
# the meeting workbook
# --------------------------------------------------------------------------------------------

_LABELS = {
    "soc_report": "Report needed",
    "confidence": "Confidence",
    "report_type": "Report type",
    "tsc_categories": "Trust Services Categories",
    "soc1_objectives": "SOC 1 control objectives",
    "reports_normalised": "Holds",
    "coverage_status": "Coverage status",
    "coverage_note": "Coverage note",
    "tsc_gap": "Categories not covered",
    "type_upgrade": "Type 2 due",
    "bridge_letter": "Bridge letter",
    "months_since_period_end": "Months since period end",
    "period_end_date": "Period end",
    "renewal_date": "Current until",
    "next_fiscal_year_end": "Next fiscal year end",
    "also_consider": "Also consider",
    "opportunity": "Opportunity",
    "opportunity_usd": "Opportunity (USD)",
    "rationale": "Rationale",
    "reports_problem": "Reports could not be read",
    "dates_problem": "Dates could not be read",
}
_RESULT_COLUMNS = (
    "soc_report",
    "confidence",
    "report_type",
    "tsc_categories",
    "soc1_objectives",
    "reports_normalised",
    "coverage_status",
    "coverage_note",
    "tsc_gap",
    "type_upgrade",
    "bridge_letter",
    "period_end_date",
    "renewal_date",
    "months_since_period_end",
    "next_fiscal_year_end",
    "also_consider",
    "opportunity",
    "opportunity_usd",
    "rationale",
)
_COLOURED = {"Report needed": REPORT_VALUES, "Coverage status": STATUSES}


def _require_covered(covered: object, caller: str) -> None:
    if not isinstance(covered, pd.DataFrame):
        raise SocAnalysisError(f"{caller}() takes the DataFrame returned by coverage(), not {type(covered).__name__}")
    for column in ("soc_report", "coverage_status"):
        if column not in covered.columns:
            raise ColumnError(
                f"{caller}() needs the output of socanalysis.coverage(): column {column!r} "
                "is missing; run coverage(classify(df)) first"
            )


def _input_columns(covered: pd.DataFrame) -> list[str]:
    """The user's own columns: everything before classify's first output column."""
    columns = list(covered.columns)
    end = columns.index("soc_report") if "soc_report" in columns else len(columns)
    return [c for c in columns[:end] if c not in ("duplicate_of", "socanalysis_duplicate_of")]


def _labelled(frame: pd.DataFrame, keep: Iterable[str]) -> pd.DataFrame:
    """Pick columns and give result columns readable names (unless the name is taken)."""
    keep = [c for c in dict.fromkeys(keep) if c in frame.columns]
    out = frame[keep]
    taken = set(map(str, keep))
    names = {c: _LABELS[c] for c in keep if c in _LABELS and _LABELS[c] not in taken}
    return out.rename(columns=names)


def organisations_table(
    covered: pd.DataFrame, fees: Any = None, *, opportunities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per organisation: the user's columns, then the results under readable names.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`.
    fees : path, dict, FeeSchedule or None
        The fee schedule for ``Opportunity (USD)`` (see :func:`socanalysis.portfolio.coverage.load_fees`).
    opportunities : pandas.DataFrame, optional
        :func:`socanalysis.portfolio.coverage.opportunities` already computed.

    Returns
    -------
    pandas.DataFrame
        The user's columns unchanged, then "Report needed", "Confidence", ..., "Coverage status",
        "Opportunity (USD)", "Rationale".
    """
    from ..portfolio import opportunities as _opportunities

    _require_covered(covered, "organisations_table")
    opp = _opportunities(covered, fees) if opportunities is None else opportunities
    frame = covered.copy(deep=False)
    frame["opportunity"] = opp["opportunity"].to_numpy()
    frame["opportunity_usd"] = opp["opportunity_usd"].to_numpy()
    table = _labelled(frame, [*_input_columns(covered), *_RESULT_COLUMNS])
    return table.reset_index(drop=True)


def _segment_view(table: pd.DataFrame) -> pd.DataFrame:
    keep = ["organisations", *STATUSES, "Covered share", "Type upgrade", "TSC gap", "Bridge letter", "opportunity_usd"]
    out = table[[c for c in keep if c in table.columns]].copy()
    out = out.rename(
        columns={
            "organisations": "Organisations",
            "opportunity_usd": "Opportunity (USD)",
            "Type upgrade": "Type 2 due",
            "TSC gap": "Categories not covered",
        }
    )
    out.index = out.index.astype(str)
    return out.reset_index(names=str(table.index.name or "Segment"))


def _headline(covered: pd.DataFrame, summaries: Mapping[str, pd.DataFrame]) -> list[tuple[str, Any, str]]:
    """(label, value, kind) for the headline numbers."""
    status = covered["coverage_status"].astype(str)
    everything = summaries.get("All")
    opportunity = (
        float(everything["opportunity_usd"].sum())
        if everything is not None and "opportunity_usd" in everything
        else None
    )
    n = len(covered)
    covered_n = int((status == "Covered").sum())
    lines = [
        ("Organisations", n, "integer"),
        ("Covered", covered_n, "integer"),
        ("Covered share", covered_n / n if n else 0.0, "share"),
        ("Gaps (a needed report not held)", int(status.isin(GAP_STATUSES).sum()), "integer"),
        ("Stale (period ended over 12 months ago)", int((status == "Stale").sum()), "integer"),
        ("Renewal due", int((status == "Renewal due").sum()), "integer"),
        ("Not needed", int((status == "Not needed").sum()), "integer"),
    ]
    if "type_upgrade" in covered:
        upgrades = int(covered["type_upgrade"].astype(bool).sum())
        lines.append(("Type 2 due after a Type 1", upgrades, "integer"))
    if "tsc_gap" in covered:
        gap = covered["tsc_gap"].astype(object).where(covered["tsc_gap"].notna(), "").astype(str)
        lines.append(("Trust Services Categories not covered", int((gap != "").sum()), "integer"))
    if opportunity is not None:
        lines.append(("Estimated opportunity (USD)", opportunity, "money"))
    return lines


def _as_of_text(covered: pd.DataFrame, as_of: Any) -> str:
    if as_of is None:
        as_of = covered.attrs.get(ATTRS_KEY, {}).get("coverage", {}).get("as_of")
    if as_of is None:
        return _dt.date.today().isoformat()
    try:
        return pd.Timestamp(as_of).strftime("%Y-%m-%d")
    except (TypeError, ValueError) as exc:
        raise SocAnalysisError(f"as_of={as_of!r} is not a date; give e.g. '2025-06-30'") from exc


def _problems(covered: pd.DataFrame) -> pd.DataFrame:
    name = fields_of(covered, headers=False).get("name")
    parts = [c for c in ("reports_problem", "dates_problem") if c in covered.columns]
    if not parts:
        return pd.DataFrame()
    texts = {c: covered[c].astype(object).where(covered[c].notna(), "").astype(str) for c in parts}
    mask = np.zeros(len(covered), dtype=bool)
    for text in texts.values():
        mask |= (text != "").to_numpy()
    out = pd.DataFrame({"Row": np.flatnonzero(mask) + 1})
    if name:
        out["Organisation"] = covered[name].to_numpy()[mask]
    for c, text in texts.items():
        out[_LABELS[c]] = text.to_numpy()[mask]
    return out


def _gaps(table: pd.DataFrame) -> pd.DataFrame:
    gap = table["Coverage status"].isin(GAP_STATUSES).to_numpy()
    return table[gap].sort_values("Opportunity (USD)", ascending=False, kind="stable")


def _renewals(table: pd.DataFrame) -> pd.DataFrame:
    if "Current until" not in table:
        return table.iloc[0:0]
    dated = table[table["Current until"].notna().to_numpy()]
    return dated.sort_values("Current until", kind="stable")


def _pick(table: pd.DataFrame, covered: pd.DataFrame, result: Sequence[str]) -> pd.DataFrame:
    fields = fields_of(covered, headers=False)
    user = [fields[f] for f in ("name", "industry", "partner") if f in fields]
    labels = [_LABELS.get(c, c) for c in result]
    return table[[c for c in dict.fromkeys([*user, *labels]) if c in table.columns]]


def export_excel(
    covered: pd.DataFrame,
    path: str | os.PathLike,
    *,
    summaries: Mapping[str, pd.DataFrame] | None = None,
    fees: Any = None,
    branding: BrandingLike = None,
    as_of: Any = None,
) -> Path:
    """The meeting workbook: Summary, Organisations, Gaps, Renewals and Comparison sheets.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`.
    path : str or os.PathLike
    summaries : dict of DataFrame, optional
        :func:`socanalysis.portfolio.coverage.summarize` already computed; computed with ``fees`` otherwise.
    fees : path, dict, FeeSchedule or None
        The fee schedule for the opportunity columns.
    branding : Branding, dict, path or None
    as_of : date-like, optional
        Shown in the title; defaults to the date coverage was judged at.

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

    Every sheet has a bold frozen header and filters; report needs and statuses have their fill
    colour; text cells are written as strings and neutralised (:func:`neutralise`).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from socanalysis.portfolio.coverage import coverage
    >>> frame = pd.DataFrame({"Client": ["=Payroll Co"], "soc_report": ["SOC 1"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client"}}
    >>> path = export_excel(coverage(frame, as_of="2025-06-30"), Path(tempfile.mkdtemp()) / "m.xlsx")
    >>> book = openpyxl.load_workbook(path)
    >>> book.sheetnames
    ['Summary', 'Organisations', 'Gaps', 'Renewals', 'Comparison']
    >>> book["Organisations"]["A2"].value, book["Gaps"]["A2"].value
    ("'=Payroll Co", "'=Payroll Co")
    """
    from ..portfolio import opportunities, summarize

    _require_covered(covered, "export_excel")
    _check_size(len(covered), covered.shape[1], "the portfolio")
    brand = load_branding(branding)
    path = Path(path)
    summaries = summarize(covered, fees=fees) if summaries is None else summaries
    table = organisations_table(covered, opportunities=opportunities(covered, fees))
    workbook = _open_workbook(path)
    st = _Styles(workbook, brand)
    try:
        _summary_sheet(workbook.add_worksheet("Summary"), st, brand, covered, summaries, as_of)
        _write_table(workbook.add_worksheet("Organisations"), st, table, colour=_COLOURED)
        gaps = _pick(
            _gaps(table),
            covered,
            [
                "soc_report",
                "tsc_categories",
                "reports_normalised",
                "coverage_status",
                "tsc_gap",
                "opportunity",
                "opportunity_usd",
                "rationale",
            ],
        )
        _write_table(workbook.add_worksheet("Gaps"), st, gaps, colour=_COLOURED)
        renewals = _pick(
            _renewals(table),
            covered,
            [
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
            ],
        )
        _write_table(workbook.add_worksheet("Renewals"), st, renewals, colour=_COLOURED)
        _comparison_sheet(workbook.add_worksheet("Comparison"), st)
        problems = _problems(covered)
        if not problems.empty:
            _write_table(workbook.add_worksheet("Problems"), st, problems)
    except BaseException:
        workbook.close()
        path.unlink(missing_ok=True)
        raise
    _close_workbook(workbook, path)
    return path


def _summary_sheet(
    ws, st: _Styles, brand: Branding, covered: pd.DataFrame, summaries: Mapping[str, pd.DataFrame], as_of: Any
) -> None:
    ws.set_column(0, 0, 42)
    ws.set_column(1, 20, 13)
    ws.write_string(0, 0, neutral_text(f"{brand.firm_name}: SOC coverage of the portfolio"), st.title)
    ws.write_string(1, 0, f"As of {_as_of_text(covered, as_of)}", st.subtitle)
    _insert_logo(ws, brand, 0, 8)
    formats = {"integer": st.integer, "share": st.share, "money": st.money}
    row = 3
    for label, value, kind in _headline(covered, summaries):
        ws.write_string(row, 0, label, st.label)
        ws.write_number(row, 1, value, formats[kind])
        row += 1
    for key, table in summaries.items():
        if key == "All":
            continue
        row += 1
        ws.write_string(row, 0, neutral_text(f"By {key}"), st.section)
        view = _segment_view(table)
        row = _write_table(ws, st, view, first_row=row + 1, filters=False, freeze=False, widths=False)
        share = list(view.columns).index("Covered share") if "Covered share" in view else None
        if share is not None:
            ws.set_column(share, share, 13, st.share)


def _comparison_sheet(ws, st: _Styles) -> None:
    reports = compare_reports().reset_index()
    row = _write_table(ws, st, reports, wrap=reports.columns, filters=False, widths=False)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 4, 48)
    ws.write_string(row + 1, 0, "Control areas", st.section)
    _write_table(
        ws,
        st,
        control_overview(),
        first_row=row + 2,
        wrap=("Covers", "Include when", "Criteria"),
        filters=False,
        freeze=False,
        widths=False,
    )


# --------------------------------------------------------------------------------------------
# the HTML report
# --------------------------------------------------------------------------------------------

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


def _segment_key(summaries: Mapping[str, pd.DataFrame]) -> str | None:
    return next((k for k in summaries if k != "All"), None)


def _report_charts(
    covered: pd.DataFrame, summaries: Mapping[str, pd.DataFrame], as_of: str, brand: Branding
) -> list[tuple[str, go.Figure]]:
    by = _segment_key(summaries)
    figures: list[tuple[str, go.Figure]] = [
        ("needs", charts.lead_distribution(covered, branding=brand, title="Which report each client needs"))
    ]
    if by is not None:
        figures.append(
            ("coverage", charts.coverage_by_industry(covered, by=by, branding=brand, title=f"Coverage by {by}"))
        )
        figures.append(("sunburst", charts.portfolio_sunburst(covered, by=by, branding=brand)))
        if "tsc_categories" in covered:
            figures.append(
                (
                    "tsc",
                    charts.tsc_heatmap(
                        covered, by=by, branding=brand, title=f"Trust Services Categories needed, by {by}"
                    ),
                )
            )
    if {"period_end_date", "renewal_date"} <= set(covered.columns) and covered["renewal_date"].notna().any():
        figures.append(("renewals", charts.renewal_timeline(covered, as_of, limit=80, branding=brand)))
    if by is not None and "opportunity_usd" in summaries[by]:
        figures.append(("opportunity", charts.opportunity_by_segment(summaries[by], branding=brand)))
    return figures


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
        elif name.endswith("share"):
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
    covered: pd.DataFrame,
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

    plotly.js is embedded once (inline); every chart is a plotly figure; nothing is loaded from
    the network (no CDN, web font or stylesheet link, and a Content-Security-Policy that forbids
    any request). Every value from the spreadsheet is escaped: in the tables by
    :func:`socanalysis.portfolio.compare.to_html`, in the charts by :mod:`socanalysis.present.charts`, and plotly's
    JSON escapes ``<``, ``>`` and ``/`` so no value can close the ``<script>`` it sits in.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage.coverage`.
    path : str or os.PathLike, optional
        Where to write the page (UTF-8); when None it is only returned.
    as_of : date-like, optional
        The date shown and the "Today" line; defaults to the date coverage was judged at.
    branding : Branding, dict, path or None
        Firm name, colours and logo (embedded as a data URI).
    title : str, optional
        Defaults to "SOC coverage of the portfolio".
    summaries : dict of DataFrame, optional
        :func:`socanalysis.portfolio.coverage.summarize` already computed; computed with ``fees`` otherwise.
    fees : path, dict, FeeSchedule or None
    max_rows : int
        The longest table shown (gaps, renewals); the workbook holds every row.

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> from socanalysis.portfolio.coverage import coverage
    >>> frame = pd.DataFrame({"Client": ["<img src=x onerror=alert(1)>"], "Industry": ["SaaS"],
    ...                       "soc_report": ["SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client", "industry": "Industry"}}
    >>> page = export_html_report(coverage(frame, as_of="2025-06-30"))
    >>> "<img src=x" in page, "&lt;img src=x onerror=alert(1)&gt;" in page
    (False, True)
    >>> from plotly.offline import get_plotlyjs
    >>> ours = page.replace(get_plotlyjs(), "")  # plotly.js itself holds map-tile URLs it never uses here
    >>> any(f"{attr}={quote}{scheme}" in ours for attr in ("src", "href")
    ...     for quote in ("", "'", '"') for scheme in ("http", "//"))
    False
    """
    from ..portfolio import opportunities, summarize

    _require_covered(covered, "export_html_report")
    brand = load_branding(branding)
    day = _as_of_text(covered, as_of)
    summaries = summarize(covered, fees=fees) if summaries is None else summaries
    title = title or "SOC coverage of the portfolio"
    table = organisations_table(covered, opportunities=opportunities(covered, fees))
    figures = _report_charts(covered, summaries, day, brand)

    cards = []
    for label, value, kind in _headline(covered, summaries):
        shown = f"{value:,}" if kind == "integer" else f"{value:.0%}" if kind == "share" else _money(value)
        cards.append(
            f'<div class="figure-card"><div class="value">{_e(shown)}</div><div class="label">{_e(label)}</div></div>'
        )
    sections = [f'<section><h2>Summary</h2><div class="headline">{"".join(cards)}</div></section>']
    chart_html = "".join(f'<div class="chart">{_figure_html(fig, f"chart-{key}")}</div>' for key, fig in figures)
    sections.append(f"<section><h2>Charts</h2>{chart_html}</section>")
    for key, segment_table in summaries.items():
        if key != "All":
            sections.append(_table_section(f"By {key}", _segment_view(segment_table), max_rows))
    gaps = _pick(
        _gaps(table),
        covered,
        ["soc_report", "reports_normalised", "coverage_status", "tsc_gap", "opportunity", "opportunity_usd"],
    )
    sections.append(
        _table_section("Gaps", gaps, max_rows, note="Organisations missing a needed report, largest opportunity first.")
    )
    renewals = _renewals(table)
    renewals = renewals[renewals["Coverage status"].isin(["Stale", "Renewal due"]).to_numpy()]
    renewals = _pick(
        renewals,
        covered,
        [
            "reports_normalised",
            "period_end_date",
            "renewal_date",
            "coverage_status",
            "bridge_letter",
            "opportunity_usd",
        ],
    )
    sections.append(_table_section("Stale reports and renewals due", renewals, max_rows))
    sections.append(_table_section("SOC 1, SOC 2 and SOC 3", compare_reports(), max_rows, hide_index=False))
    problems = _problems(covered)
    if not problems.empty:
        sections.append(_table_section("Values that could not be read", problems, max_rows))

    logo = brand.logo_data_uri()
    logo_html = f'<img src="{_e(logo)}" alt="{_e(brand.firm_name)} logo">' if logo else ""
    generated = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = "\n".join(
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
            f"<p>{_e(brand.firm_name)} · as of {_e(day)} · {len(covered):,} organisations</p></div></header>",
            f"<main>{''.join(sections)}</main>",
            f"<footer>Generated {_e(generated)} by socanalysis. Reports are treated as current for 12 months "
            "after their period ends; fees are estimates from the firm's fee schedule.</footer>",
            "</body>",
            "</html>",
        ]
    )
    if path is not None:
        try:
            Path(path).write_text(page, encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc
    return page


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


# --------------------------------------------------------------------------------------------
# PNG and PDF through a headless browser
# --------------------------------------------------------------------------------------------

_INSTALL = (
    "install Chrome or Chromium (Debian/Ubuntu: apt-get install chromium; elsewhere: "
    "kaleido_get_chrome), or set BROWSER_PATH to the browser's executable"
)
_IMAGE_FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".webp": "webp", ".svg": "svg", ".pdf": "pdf"}
_TIMEOUT = 120.0


def find_browser() -> str:
    """The Chrome or Chromium that images and PDFs are made with.

    ``BROWSER_PATH`` wins when set; otherwise the browser kaleido would find (its own download,
    then ``chromium``, ``google-chrome`` ... on the PATH and in the usual places).

    Raises
    ------
    ExportError
        When ``BROWSER_PATH`` is not an executable file, or no browser is found, saying what to
        install.
    """
    env = os.environ.get("BROWSER_PATH", "").strip()
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise ExportError(
            f"BROWSER_PATH={env!r} is not an executable file: point it at Chrome or "
            f"Chromium, or unset it. To get a browser, {_INSTALL}"
        )
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - any failure to look means "not found"
        found = None
    if not found:
        raise ExportError("PNG and PDF export need a Chrome or Chromium browser and none was found: " + _INSTALL)
    return str(found)


class _Chrome:
    """One headless browser per path, driven from a background event loop, started on first use."""

    _instances: dict[str, _Chrome] = {}
    _lock = threading.Lock()

    def __init__(self, path: str):
        self.path = path
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="socanalysis-browser", daemon=True)
        self._thread.start()
        self._kaleido = None

    @classmethod
    def get(cls, path: str) -> _Chrome:
        with cls._lock:
            if path not in cls._instances:
                cls._instances[path] = cls(path)
            return cls._instances[path]

    def run(self, coroutine, timeout: float = _TIMEOUT):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise ExportError(f"the browser at {self.path!r} did not finish within {timeout:.0f} s") from exc
        except ExportError:
            raise
        except Exception as exc:  # noqa: BLE001 - kaleido and choreographer raise many kinds
            self.reset()
            raise ExportError(f"the browser at {self.path!r} failed: {exc}. If it does not start, {_INSTALL}") from exc

    async def _figure(self, figure: dict, opts: dict) -> bytes:
        import kaleido

        if self._kaleido is None:
            browser = kaleido.Kaleido(n=1, mathjax=False, path=self.path, timeout=_TIMEOUT)
            await browser.open()
            self._kaleido = browser
        return await self._kaleido.calc_fig(figure, opts=opts)

    def figure(self, fig: go.Figure, opts: dict) -> bytes:
        return self.run(self._figure(fig.to_plotly_json(), opts))

    async def _page(self, uri: str, fmt: str, charts_expected: int, width: int) -> bytes:
        import choreographer as choreo

        browser = choreo.Browser(path=self.path, headless=True)
        await browser.open()
        try:
            tab = browser.get_tab() or await browser.create_tab("about:blank")
            await tab.send_command(
                "Emulation.setDeviceMetricsOverride",
                params={"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            await tab.send_command("Page.navigate", params={"url": uri})
            check = (
                "document.readyState === 'complete' && "
                f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts_expected}"
            )
            deadline = time.monotonic() + 60
            while True:
                reply = await tab.send_command("Runtime.evaluate", params={"expression": check, "returnByValue": True})
                if reply.get("result", {}).get("result", {}).get("value") is True:
                    break
                if time.monotonic() > deadline:
                    raise ExportError("the report did not finish drawing its charts within 60 s")
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.3)  # let plotly settle its layout
            if fmt == "pdf":
                reply = await tab.send_command(
                    "Page.printToPDF",
                    params={
                        "printBackground": True,
                        "preferCSSPageSize": False,
                        "paperWidth": 8.27,
                        "paperHeight": 11.69,
                        "marginTop": 0.4,
                        "marginBottom": 0.4,
                        "marginLeft": 0.4,
                        "marginRight": 0.4,
                        "scale": 0.75,
                    },
                )
            else:
                size = await tab.send_command(
                    "Runtime.evaluate",
                    params={"expression": "document.documentElement.scrollHeight", "returnByValue": True},
                )
                height = int(size["result"]["result"]["value"])
                reply = await tab.send_command(
                    "Page.captureScreenshot",
                    params={
                        "format": "png",
                        "captureBeyondViewport": True,
                        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                    },
                )
            if "error" in reply:
                raise ExportError(f"the browser could not render the report: {reply['error']}")
            return base64.b64decode(reply["result"]["data"])
        finally:
            await browser.close()

    def page(self, page_html: str, fmt: str, charts_expected: int, width: int = 1200) -> bytes:
        with tempfile.TemporaryDirectory(prefix="socanalysis-") as folder:
            source = Path(folder) / "report.html"
            source.write_text(page_html, encoding="utf-8")
            return self.run(self._page(source.as_uri(), fmt, charts_expected, width))

    def reset(self) -> None:
        """Forget the kaleido browser (it is reopened on the next figure)."""
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            asyncio.run_coroutine_threadsafe(browser.close(), self._loop)

    def close(self) -> None:
        browser, self._kaleido = self._kaleido, None
        if browser is not None:
            try:
                asyncio.run_coroutine_threadsafe(browser.close(), self._loop).result(10)
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        self._loop.call_soon_threadsafe(self._loop.stop)


@atexit.register
def _close_browsers() -> None:  # pragma: no cover - runs at interpreter exit
    for chrome in list(_Chrome._instances.values()):
        chrome.close()
    _Chrome._instances.clear()


def _image_format(path: Path, format: str | None) -> str:
    if format is not None:
        key = "." + str(format).lower().lstrip(".")
        if key not in _IMAGE_FORMATS:
            raise ExportError(f"format={format!r}: accepted formats are png, jpg, jpeg, webp, svg and pdf")
        return _IMAGE_FORMATS[key]
    suffix = path.suffix.lower()
    if suffix not in _IMAGE_FORMATS:
        raise ExportError(
            f"cannot tell the image format of {str(path)!r}: give a file ending in "
            ".png, .jpg, .jpeg, .webp, .svg or .pdf, or pass format="
        )
    return _IMAGE_FORMATS[suffix]


def export_image(
    fig: go.Figure,
    path: str | os.PathLike,
    *,
    format: str | None = None,
    width: int | None = None,
    height: int | None = None,
    scale: float | None = None,
) -> Path:
    """Write a chart as PNG, JPEG, WebP, SVG or PDF through kaleido, with MathJax off.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    path : str or os.PathLike
    format : {"png", "jpg", "jpeg", "webp", "svg", "pdf"}, optional
        Taken from the file extension by default.
    width, height : int, optional
        Pixels; the figure's own size (or 700 × 500) by default.
    scale : float, optional
        Multiplies the resolution (2 for a sharp slide).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        For an unknown format, or when no browser is found (saying what to install).
    """
    if not isinstance(fig, go.Figure):
        raise SocAnalysisError(f"export_image() takes a plotly Figure, not {type(fig).__name__}")
    path = Path(path)
    fmt = _image_format(path, format)
    browser = find_browser()
    opts: dict[str, Any] = {"format": fmt}
    for key, value in (("width", width), ("height", height), ("scale", scale)):
        if value is not None:
            opts[key] = value
    data = _Chrome.get(browser).figure(fig, opts)
    _write_bytes(path, data)
    return path


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from exc


def _charts_in(page: str) -> int:
    return page.count('class="plotly-graph-div"')


def export_pdf(source: go.Figure | str | os.PathLike, path: str | os.PathLike, *, width: int = 1200) -> Path:
    """Write a chart or an HTML report as PDF through the headless browser.

    Parameters
    ----------
    source : plotly Figure, HTML text, or path to an ``.html`` file
        A figure goes through kaleido (one page, the figure's size); a report (the text returned by
        :func:`export_html_report`, or its file) is opened in the browser, its charts drawn, and
        printed on A4.
    path : str or os.PathLike
    width : int
        The page width in CSS pixels the report is laid out at before printing.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        When no browser is found (saying what to install) or the page cannot be rendered.
    """
    path = Path(path)
    if isinstance(source, go.Figure):
        return export_image(source, path, format="pdf")
    return _page_image(_page_text(source), path, width, kind="pdf")


def _page_text(source: str | os.PathLike) -> str:
    if isinstance(source, str) and source.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return source
    if isinstance(source, (str, os.PathLike)) and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8")
    raise SocAnalysisError(
        "export_pdf() takes a plotly Figure, the HTML text of a report, or the path of an "
        f"existing .html file; got {str(source)[:80]!r}"
    )


def _page_image(page: str, path: Path, width: int = 1200, kind: str = "png") -> Path:
    """The page rendered by the browser as a PNG or a PDF (``kind``) at ``path``."""
    browser = find_browser()
    _write_bytes(path, _Chrome.get(browser).page(page, kind, _charts_in(page), width))
    return path


# --------------------------------------------------------------------------------------------
# the whole flow
# --------------------------------------------------------------------------------------------

REPORT_FORMATS = (".html", ".htm", ".xlsx", ".pdf", ".png", ".csv")


def report(
    portfolio_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    as_of: Any = None,
    fees: Any = None,
    branding: BrandingLike = None,
    rules: Any = None,
    title: str | None = None,
) -> Path:
    """Load a portfolio, classify it, judge its coverage and write the meeting report.

    load → classify → coverage → summarize → export, by the output's extension:
    ``.html`` (:func:`export_html_report`), ``.xlsx`` (:func:`export_excel`), ``.pdf`` or ``.png``
    (the HTML report printed by the headless browser), ``.csv`` (:func:`organisations_table`).

    Parameters
    ----------
    portfolio_path : str or os.PathLike
        Any file :func:`socanalysis.load.reading.load_portfolio` reads.
    output_path : str or os.PathLike
    as_of : date-like, optional
        The date coverage is judged at; today by default.
    fees : path, dict, FeeSchedule or None
        The fee schedule (:func:`socanalysis.portfolio.coverage.load_fees`).
    branding : Branding, dict, path or None
    rules : path, list of paths, dict or RuleSet, optional
        Firm rules merged over the defaults (see ``socanalysis.classify``).
    title : str, optional

    Returns
    -------
    pathlib.Path
        ``output_path``.

    Raises
    ------
    ExportError
        For an extension not in :data:`REPORT_FORMATS` (checked before any work), or when a PDF/PNG
        needs a browser that is missing.

    Examples
    --------
    >>> import tempfile
    >>> from socanalysis.load.samples import sample_path
    >>> out = report(sample_path("portfolio"), Path(tempfile.mkdtemp()) / "report.html", as_of="2026-11-26")
    >>> out.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    6
    """
    from ..classifier import classify
    from ..load import load_portfolio
    from ..portfolio import coverage, summarize

    output = Path(output_path)
    suffix = output.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise ExportError(
            f"cannot write a report as {output.name!r}: give a file ending in " + ", ".join(REPORT_FORMATS)
        )
    brand = load_branding(branding)
    if suffix in (".pdf", ".png"):
        find_browser()  # fail before the work when no browser is present
    covered = coverage(classify(load_portfolio(portfolio_path), rules=rules), as_of=as_of)
    if suffix == ".csv":
        return write_csv(organisations_table(covered, fees), output)
    summaries = summarize(covered, fees=fees)
    if suffix == ".xlsx":
        return export_excel(covered, output, summaries=summaries, fees=fees, branding=brand)
    page = export_html_report(
        covered,
        output if suffix in (".html", ".htm") else None,
        summaries=summaries,
        fees=fees,
        branding=brand,
        title=title,
    )
    if suffix == ".pdf":
        return export_pdf(page, output)
    if suffix == ".png":
        return _page_image(page, output)
    return output
