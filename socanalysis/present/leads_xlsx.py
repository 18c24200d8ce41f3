"""Lead lists as workbooks for sales teams, written chunk by chunk in constant memory.

:class:`LeadsXlsxWriter` takes a classified lead list a chunk at a time (the batch engine feeds it
as it classifies); :func:`write_leads_xlsx` writes a whole frame through it. The file appears
complete when the writer closes, or not at all.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, ExportError, SocAnalysisError
from ..vocabulary import CONFIDENCE_VALUES, REPORT_VALUES
from .cells import neutral_text
from .files import AtomicFile
from .headers import legend, people_order, readable
from .theme import Branding, load_branding
from .xlsx import (
    WIDTH_CAP,
    WRAP,
    Styles,
    cell_values,
    check_size,
    close_workbook,
    colour_column,
    column_format,
    column_width,
    insert_logo,
    open_workbook,
    text_width,
    write_rows,
    write_table,
)

__all__ = ["LeadsXlsxWriter", "write_leads_xlsx"]

EXCEL_CELL_CHARS = 32_767  # the most characters an Excel cell holds; xlsxwriter cuts longer texts


def _note_cut_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a note in ``problem`` on every row where a text is longer than an Excel cell
    holds (the workbook keeps its first 32,767 characters; the CSV and Parquet outputs keep all).

    >>> out = _note_cut_cells(pd.DataFrame({"Notes": ["x" * 40_000, "ok"], "problem": ["", ""]}))
    >>> out["problem"].tolist()
    ["'Notes' cut to Excel's 32,767 characters (it holds 40,000)", '']
    """
    if "problem" not in frame.columns:
        return frame
    notes = pd.Series("", index=frame.index, dtype=object)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
            continue
        lengths = column.astype(object).where(column.notna(), "").astype(str).str.len()
        long = lengths > EXCEL_CELL_CHARS
        if long.any():
            said = [f"{name!r} cut to Excel's {EXCEL_CELL_CHARS:,} characters (it holds {n:,})" for n in lengths[long]]
            notes[long] = [f"{a}; {b}" if a else b for a, b in zip(notes[long], said, strict=True)]
    if not (notes != "").any():
        return frame
    problem = frame["problem"].astype(object).where(frame["problem"].notna(), "").astype(str)
    joined = [f"{p}; {n}" if p and n else p or n for p, n in zip(problem, notes, strict=True)]
    return frame.assign(problem=pd.Series(joined, index=frame.index, dtype=frame["problem"].dtype))


BrandingLike = Branding | Mapping | str | os.PathLike | None


class LeadsXlsxWriter:
    """Write a classified lead list to a formatted workbook chunk by chunk, in constant memory.

    Rows go to a "Leads" sheet (bold frozen header, filters, capped column widths, a fill per
    ``soc_report``, wrapped rationale) as they arrive; :meth:`close` adds a "Summary" sheet with the
    counts per ``soc_report`` and ``confidence`` gathered on the way, and a "Columns" sheet. The
    user's columns come first, then socanalysis's under the headers people read ("Report needed",
    "SOC 1 score" ...) in one order (:mod:`socanalysis.present.headers`), whoever wrote the
    workbook; the "Columns" sheet gives each header's code name, as CSV and Parquet keep it. xlsxwriter's
    ``constant_memory`` mode flushes each row, so memory stays flat however many rows are written.
    The rows go to a temporary file beside ``path`` that becomes ``path`` when the writer closes
    (:class:`~socanalysis.present.files.AtomicFile`).

    Parameters
    ----------
    path : str or os.PathLike
    columns : sequence of str, optional
        The columns to write; every chunk must hold them. Defaults to the first chunk's. They are
        written in people's order: the user's as given, then socanalysis's.
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
        wrap: Iterable[str] = WRAP,
    ):
        self.path = Path(path)
        self.branding = load_branding(branding)
        self.title = title
        self.rows = 0
        self._columns = None if columns is None else people_order(columns)
        if self._columns is not None:
            check_size(0, len(self._columns), "the lead list")
        self._wrap = set(wrap)
        self._file = AtomicFile(self.path)
        self._workbook = open_workbook(self._file.temp, constant_memory=True)
        self._styles = Styles(self._workbook, self.branding)
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
            self._columns = people_order(chunk.columns)
            check_size(0, len(self._columns), "the lead list")
        self._headers = readable(self._columns)
        for c, header in enumerate(self._headers):
            self._sheet.write_string(0, c, neutral_text(header), self._styles.header)
        self._formats = [column_format(chunk[name], name, self._styles, self._wrap) for name in self._columns]
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
        check_size(self.rows + len(chunk), len(self._columns), "the lead list")
        frame = _note_cut_cells(chunk[self._columns])
        columns = [cell_values(frame.iloc[:, c]) for c in range(len(self._columns))]
        write_rows(self._sheet, self.rows + 1, columns, self._formats, self._styles.date)
        for c, name in enumerate(self._columns):
            if self._longest[c] < WIDTH_CAP and name not in self._wrap:  # widths are capped: stop measuring
                self._longest[c] = max(self._longest[c], text_width(frame.iloc[:, c]))
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
        self._counts = counts if self._counts is None else self._counts.add(counts, fill_value=0).fillna(0)

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
            width = column_width(self._headers[c], self._longest[c], name in self._wrap)
            sheet.set_column(c, c, width, self._formats[c])
        if names:
            sheet.autofilter(0, 0, max(self.rows, 1), len(names) - 1)
            sheet.freeze_panes(1, 1 if len(names) > 1 else 0)
        if "soc_report" in names:
            colour_column(sheet, self._styles, names.index("soc_report"), 1, self.rows, REPORT_VALUES)
        self._write_summary(summary)
        self._write_legend()
        self._closed = True
        try:
            close_workbook(self._workbook, self.path)
        except BaseException:
            self._file.discard()
            raise
        return self._file.commit()

    def abort(self) -> None:
        """Stop writing: the partly written file is removed (and the file, when already closed)."""
        if not self._closed:
            self._closed = True
            try:
                self._workbook.close()
            except Exception:  # noqa: BLE001 - the file is removed anyway
                pass
            self._file.discard()
        else:
            self.path.unlink(missing_ok=True)

    def _write_legend(self) -> None:
        """The "Columns" sheet: each header, its code name (as in CSV and Parquet), and what it holds."""
        sheet = self._workbook.add_worksheet("Columns")
        write_table(sheet, self._styles, legend(self._columns or []), wrap=("What it holds",))

    def _write_summary(self, summary: pd.DataFrame | Mapping[str, Any] | None) -> None:
        ws, st = self._summary_sheet, self._styles
        ws.set_column(0, 0, 34)
        ws.set_column(1, 8, 14)
        ws.write_string(0, 0, neutral_text(f"{self.branding.firm_name}: {self.title}"), st.title)
        insert_logo(ws, self.branding, 0, 6)
        ws.write_string(2, 0, "Rows", st.label)
        ws.write_number(2, 1, self.rows, st.integer)
        row = 4
        table = _needs_table(self._counts, self.rows)
        if table is not None:
            ws.write_string(row - 1, 0, "Which report each organisation needs", st.section)
            row = (
                write_table(
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
                write_rows(ws, row + offset, [[None], [_plain(value)]], [None, st.text], st.date)
            row += len(summary) + 2
        elif isinstance(summary, pd.DataFrame):
            frame = summary.reset_index() if summary.index.name is not None else summary
            write_table(ws, st, frame, first_row=row, filters=False, freeze=False, widths=False)
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
    ``soc_report``, wrapped rationale; readable headers), "Summary" (counts per ``soc_report`` and
    ``confidence``, plus ``summary``) and "Columns" (each header's code name). Built on
    :class:`LeadsXlsxWriter`.

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
    (['Leads', 'Summary', 'Columns'], "'+44 Ltd", 'B2')
    >>> [c.value for c in book["Leads"][1]]
    ['Company', 'Report needed', 'Confidence']
    """
    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"write_leads_xlsx() takes a DataFrame, not {type(df).__name__}")
    check_size(len(df), df.shape[1] if columns is None else len(columns), "the lead list")
    writer = LeadsXlsxWriter(path, list(df.columns) if columns is None else columns, branding=branding)
    try:
        step = max(int(chunk_rows), 1)
        for start in range(0, len(df), step):
            writer.append(df.iloc[start : start + step])
    except BaseException:
        writer.abort()
        raise
    return writer.close(summary)
