"""The building blocks of every workbook: cell formats in the firm's colours, typed cells, tables.

Text cells are always written as strings (never as formulas) and neutralised first
(:func:`socanalysis.present.cells.neutralise`); xlsxwriter's formula, URL and number conversions are
off. Numbers, booleans and dates keep their type.

>>> import tempfile, openpyxl
>>> from pathlib import Path
>>> from socanalysis.present.theme import DEFAULT_BRANDING
>>> path = Path(tempfile.mkdtemp()) / "t.xlsx"
>>> workbook = open_workbook(path)
>>> styles = Styles(workbook, DEFAULT_BRANDING)
>>> write_table(workbook.add_worksheet("T"), styles, pd.DataFrame({"Client": ["=1+1"], "n": [3]}))
2
>>> close_workbook(workbook, path)
>>> [c.value for c in openpyxl.load_workbook(path)["T"][2]]
["'=1+1", 3]
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..errors import ExportError
from ..vocabulary import REPORT_VALUES, STATUSES
from .cells import neutral_text, neutralise_series
from .theme import Branding, tint

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "WIDTH_CAP",
    "WRAP",
    "Styles",
    "cell_values",
    "check_size",
    "close_workbook",
    "colour_column",
    "column_format",
    "column_width",
    "insert_logo",
    "open_workbook",
    "text_width",
    "write_rows",
    "write_table",
]

EXCEL_MAX_ROWS = 1_048_575
"""Data rows an Excel sheet holds below its header row (1,048,576 rows in all)."""

EXCEL_MAX_COLUMNS = 16_384

WRAP = ("rationale", "evidence", "description", "coverage_note", "problem", "Rationale", "Coverage note")
"""Columns shown wrapped in a wide column."""
WIDTH_CAP = 50
WRAP_WIDTH = 60
XLSX_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "remove_timezone": True,
}


class Styles:
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


def cell_values(series: pd.Series) -> list:
    """A column as Python values for the writer: missing values as None, text neutralised."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        return [None if v is pd.NaT else v for v in series.astype(object).tolist()]
    safe = neutralise_series(series)
    return safe.astype(object).where(safe.notna(), None).tolist()


def column_format(series: pd.Series, name: str, styles: Styles, wrap: Iterable[str]):
    """The format of a column by its type: dates, integers, money (``_usd`` / "(USD)"), wrapped or plain text."""
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


def write_rows(worksheet, first_row: int, columns: list[list], formats: list, date_format) -> None:
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


def text_width(series: pd.Series) -> int:
    """The characters of the longest value of a column, as a spreadsheet shows it."""
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


def column_width(header: str, longest: int, wrap: bool) -> float:
    """A column's width: its header or longest value, at most :data:`WIDTH_CAP`; wrapped columns are wide."""
    if wrap:
        return WRAP_WIDTH
    return float(min(max(len(header) + 3, longest + 2, 8), WIDTH_CAP))


def check_size(rows: int, columns: int, what: str) -> None:
    """Refuse a table larger than an Excel sheet, saying what to write instead."""
    if rows > EXCEL_MAX_ROWS:
        raise ExportError(
            f"{what} has {rows:,} rows; an Excel sheet holds at most {EXCEL_MAX_ROWS:,} data rows. "
            "Write CSV or Parquet instead, or split the list"
        )
    if columns > EXCEL_MAX_COLUMNS:
        raise ExportError(f"{what} has {columns:,} columns; an Excel sheet holds at most {EXCEL_MAX_COLUMNS:,}")


def colour_column(worksheet, styles: Styles, col: int, first_row: int, last_row: int, values: Sequence[str]) -> None:
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


def write_table(
    worksheet,
    styles: Styles,
    frame: pd.DataFrame,
    *,
    first_row: int = 0,
    wrap: Iterable[str] = WRAP,
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
    formats = [column_format(frame.iloc[:, c], names[c], styles, wrap) for c in range(len(names))]
    columns = [cell_values(frame.iloc[:, c]) for c in range(len(names))]
    write_rows(worksheet, first_row + 1, columns, formats, styles.date)
    last = first_row + len(frame)
    if widths:
        for c, name in enumerate(names):
            worksheet.set_column(c, c, column_width(name, text_width(frame.iloc[:, c]), name in wrap))
    for name, values in (colour or {}).items():
        if name in names:
            colour_column(worksheet, styles, names.index(name), first_row + 1, last, values)
    if filters and names:
        worksheet.autofilter(first_row, 0, max(last, first_row + 1), len(names) - 1)
    if freeze:
        worksheet.freeze_panes(first_row + 1, 1 if len(names) > 1 else 0)
    return last + 1


def insert_logo(worksheet, branding: Branding, row: int, col: int, height: int = 48) -> None:
    """The firm's logo at a cell, ``height`` pixels tall (PNG, JPEG and GIF; others are left out)."""
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


def open_workbook(path: str | os.PathLike, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    """A workbook that writes text as text (no formulas, URLs or numbers read from it)."""
    options = dict(XLSX_OPTIONS)
    if constant_memory:
        options["constant_memory"] = True
    return xlsxwriter.Workbook(str(path), options)


def close_workbook(workbook: xlsxwriter.Workbook, path: str | os.PathLike) -> None:
    """Write the workbook out; a failure is an :class:`~socanalysis.errors.ExportError` naming ``path``."""
    try:
        workbook.close()
    except (OSError, XlsxWriterException) as exc:
        raise ExportError(f"cannot write {str(path)!r}: {exc}") from exc
