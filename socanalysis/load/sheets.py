"""Reading a worksheet's cells within bounds: only the cells that hold something, however far
apart, after checks made before anything is unpacked.

An .xlsx file is a zip archive of XML. Before reading, the sizes its members declare (unpacked)
must stay under the limit (:mod:`socanalysis.limits`; Python's zip reader never unpacks more
than a member declares), and the rows its sheet claims (``<dimension>``) too. Then the cells
are read one by one, as the XML streams, and only those holding a value are kept: a stray cell
at XFD1048576 costs one cell, not a million rows of 16,384 columns. Used columns, cells and
rows are counted as they come, so reading stops as soon as one passes its limit.

>>> import io, openpyxl
>>> book = openpyxl.Workbook()
>>> sheet = book.active
>>> sheet.append(["Company", "Description"])
>>> sheet.append(["Acme", "Payroll"])
>>> sheet["XFD3"] = "stray"
>>> sheet["B4"] = "=A2"  # a formula Excel never calculated: no value saved
>>> data = io.BytesIO(); book.save(data)
>>> chosen, raw, notes = read_cells(data, None, "'leads.xlsx'")
>>> raw
         0            1      16383
0  Company  Description        NaN
1     Acme      Payroll        NaN
2      NaN          NaN      stray
>>> print(notes[4][:70])
cell B4 holds a formula without a saved value (the workbook was never
"""

from __future__ import annotations

import re
import zipfile
from typing import IO

import numpy as np
import pandas as pd

from ..errors import EmptyFileError, PortfolioError
from ..limits import limit_error, limits
from .cells import _cell_text

__all__ = ["check_archive", "read_cells"]

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\$?(\d*)(?::\$?[A-Z]+\$?(\d+))?\"")


def check_archive(handle: IO[bytes], label: str) -> None:
    """Refuse a workbook whose members declare more unpacked bytes than the limit, before reading."""
    try:
        with zipfile.ZipFile(handle) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # reported by the workbook's reader
    if declared > limits().unzipped_bytes:
        raise limit_error(PortfolioError, label, "unzipped_mb", f"{declared / (1 << 20):,.0f}")


def _claimed_rows(archive: zipfile.ZipFile, member: str) -> int:
    """The last row a sheet's ``<dimension>`` claims (0 when it has none), from its first bytes."""
    with archive.open(member) as part:
        head = part.read(1 << 14)
    found = _DIMENSION.search(head)
    if not found:
        return 0
    return int(found.group(2) or found.group(1) or 0)


def read_cells(handle, sheet, label: str) -> tuple[str, pd.DataFrame, dict[int, str]]:
    """The chosen sheet's name; its cells as text in a frame indexed by row (0-based, the rows
    holding a value) with a column per column position (0 = A), every column up to the last one
    used when that is within the limit, else only the columns used; and notes per 1-based row
    (formulas without a saved value).

    Raises
    ------
    PortfolioError
        A workbook that cannot be read, a missing sheet, or one past a limit.
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    bounds = limits()
    uncached: list[tuple[int, int]] = []

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                uncached.append((cell["row"], cell["column"]))
            return cell

    if not hasattr(handle, "read"):  # a path: opened here, whatever its name ends with
        with open(handle, "rb") as file:
            return read_cells(file, sheet, label)
    book = load_workbook(handle, read_only=True, data_only=True)
    try:
        chosen = choose_sheet(list(book.sheetnames), sheet, label)
        ws = book[chosen]
        where = f"{label} (sheet {chosen!r})"
        claimed = _claimed_rows(book._archive, ws._worksheet_path)
        if claimed > bounds.sheet_rows:
            raise limit_error(PortfolioError, where, "sheet_rows", f"{claimed:,} (its dimension says)")
        columns: dict[int, dict[int, str]] = {}
        cells = 0
        with ws._get_source() as source:
            parser = Parser(
                source,
                ws._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            for number, row in parser.parse():
                if number > bounds.sheet_rows:
                    raise limit_error(PortfolioError, where, "sheet_rows", f"{number:,} or more")
                for cell in row:
                    text = None if cell["data_type"] == "e" else _cell_text(cell["value"])
                    if text is None:
                        continue
                    column = columns.get(cell["column"])
                    if column is None:
                        if len(columns) >= bounds.columns:
                            raise limit_error(PortfolioError, where, "columns", f"{len(columns) + 1:,} or more")
                        column = columns[cell["column"]] = {}
                    column[number] = text
                    cells += 1
                    if cells > bounds.cells:
                        raise limit_error(PortfolioError, where, "cells", f"{cells:,} or more")
    finally:
        book.close()
    raw = _frame(columns, bounds.columns)
    notes = {}
    for number, column in uncached:
        notes.setdefault(
            number,
            f"cell {_letters(column)}{number} holds a formula without a saved value (the workbook was never "
            "calculated): read as empty; open it in Excel, save it and classify again",
        )
    return chosen, raw, notes


def _frame(columns: dict[int, dict[int, str]], most: int) -> pd.DataFrame:
    """The cells as a frame: a row per row number that holds a value (0-based), a column per
    column position (0-based), all positions up to the last used when they are within ``most``."""
    last = max(columns, default=0)
    positions = range(1, last + 1) if last <= most else sorted(columns)
    frame = pd.DataFrame({p - 1: pd.Series(columns.get(p, {}), dtype=object) for p in positions}, dtype=object)
    frame = frame.sort_index()
    frame.index = frame.index.astype("int64") - 1
    return frame


def _letters(position: int) -> str:
    letters = ""
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def choose_sheet(names: list[str], sheet: str | int | None, label: str) -> str:
    """The sheet of ``names`` that ``sheet`` asks for (a name, any case, or a 0-based number); the first by default."""
    listed = ", ".join(map(repr, names))
    if sheet is None:
        if not names:
            raise EmptyFileError(f"{label} has no sheets")
        return names[0]
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if -len(names) <= sheet < len(names):
            return names[sheet]
        raise PortfolioError(
            f"{label} has no sheet number {sheet} (sheets are numbered from 0); it has {len(names)} sheet(s): {listed}"
        )
    if sheet in names:
        return sheet
    folded = [n for n in names if n.casefold() == str(sheet).strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise PortfolioError(f"{label} has no sheet named {sheet!r}; its sheets are: {listed}")
