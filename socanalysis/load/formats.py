"""The reader of each format: delimited text (pyarrow's reader, or pandas' when pyarrow cannot read
the file exactly), Excel workbooks, Parquet and JSON. Each returns the table as text, with the
header row found, and a dict saying how the file was read.

>>> import io
>>> from .sources import _open_source
>>> df, info = _read_csv(_open_source(io.BytesIO(b"Report\\n\\nName;Sector\\nAcme;Payroll\\n"), None), None)
>>> df.to_dict("list"), info["delimiter"], info["header_row"]
({'Name': ['Acme'], 'Sector': ['Payroll']}, ';', 3)
"""

from __future__ import annotations

import codecs
import json
import os
import re
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import ColumnError, EmptyFileError, PortfolioError
from .cells import TEXT_DTYPE, as_text
from .sources import (
    _ACCEPTED_TEXT,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    HEADER_SEARCH_ROWS,
    NUL_MARK,
    NUL_NOTE,
    REPAIR_MARK,
    REPAIRED_NOTE,
    _check_duplicate_headers,
    _column_names,
    _csv_layout,
    _CsvLayout,
    _detect_encoding,
    _find_header,
    _first_invalid,
    _open_source,
    _Source,
    _unsupported,
    _zip_kind,
    remove_nul,
    repair_utf8,
)

__all__ = ["csv_options"]


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def _read_csv_arrow(src: _Source, layout: _CsvLayout) -> pd.DataFrame | None:
    """Fast path: pyarrow's reader. None when it cannot read the file exactly as pandas would."""
    import pyarrow.csv as pacsv

    n = len(layout.header)
    try:
        with src.open() as f:
            f.seek(layout.offset)
            table = pacsv.read_csv(
                f,
                read_options=pacsv.ReadOptions(
                    autogenerate_column_names=True, encoding=layout.encoding, block_size=1 << 24
                ),
                parse_options=pacsv.ParseOptions(delimiter=layout.delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"f{i}": pa.string() for i in range(n)},
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if table.num_columns != n or any(t != pa.string() for t in table.schema.types):
        return None
    df = table.slice(1).to_pandas(types_mapper={pa.string(): TEXT_DTYPE}.get)
    df.columns = layout.header
    return df


_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _read_csv_pandas(src: _Source, layout: _CsvLayout) -> pd.DataFrame:
    """The general path: pandas' C parser (rows with fewer fields than the header are padded)."""
    label = src.label
    try:
        with src.open() as f, warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            f.seek(layout.offset)
            df = pd.read_csv(
                f,
                sep=layout.delimiter,
                encoding=layout.encoding,
                dtype="str",
                keep_default_na=False,
                na_values=[""],
                index_col=False,
                header=0,
                names=None,
            )
    except pd.errors.ParserWarning:
        raise PortfolioError(
            f"{label}: the first data row has more values than the header has columns "
            f"({len(layout.header)}, delimiter {layout.delimiter!r}); check the header row "
            f"(row {layout.header_row}) and the delimiter"
        ) from None
    except pd.errors.ParserError as e:
        m = _BAD_LINE.search(str(e))
        if m is None:
            raise PortfolioError(f"{label} could not be read as delimited text: {e}") from None
        expected, line, saw = (int(g) for g in m.groups())
        raise PortfolioError(
            f"{label}: row {layout.header_row + line - 1} has {saw} values but the header (row "
            f"{layout.header_row}) has {expected} columns, with delimiter {layout.delimiter!r}; quote values "
            "that contain the delimiter",
            cases=[
                {
                    "row": layout.header_row + line - 1,
                    "column": None,
                    "value": saw,
                    "problem": f"{saw} values, expected {expected}",
                }
            ],
        ) from None
    if len(df.columns) == len(layout.header):
        df.columns = layout.header
    return df


def _read_csv(src: _Source, overrides, *, engine: str = "auto") -> tuple[pd.DataFrame, dict]:
    if src.text is not None:
        src = _Source(name=src.name, data=src.text.encode("utf-8"))
    src, layout = _csv_layout(src, overrides)
    _check_duplicate_headers(layout.header, src.label)
    repaired = layout.encoding == "utf-8" and _first_invalid(src, "utf-8", layout.bom) is not None
    if repaired:  # UTF-8 text with rows in cp1252: those rows repaired, and named below
        with src.open() as f:
            src = _Source(name=src.name, data=repair_utf8(f.read()))
    nul = layout.encoding == "utf-8" and _holds_nul(src)
    if nul:  # a stray NUL byte: removed, its row named below
        with src.open() as f:
            src = _Source(name=src.name, data=remove_nul(f.read()))
    df = _read_csv_arrow(src, layout) if engine in ("auto", "pyarrow") else None
    if df is None:
        df = _read_csv_pandas(src, layout)
    notes: dict[int, str] = {}
    for done, mark, note in ((repaired, REPAIR_MARK, REPAIRED_NOTE), (nul, NUL_MARK, NUL_NOTE)):
        if done:
            hit = np.zeros(len(df), dtype=bool)
            for name in df.columns:
                marked = df[name].str.contains(mark, regex=False).fillna(False).to_numpy(dtype=bool)
                if marked.any():
                    hit |= marked
                    df[name] = df[name].str.replace(mark, "", regex=False)
            for i in np.flatnonzero(hit).tolist():
                notes[i] = f"{notes[i]}; {note}" if i in notes else note
    info = {
        "format": "csv",
        "encoding": layout.encoding + ("-sig" if layout.bom else ""),
        "delimiter": layout.delimiter,
        "sheet": None,
        "header_row": layout.header_row,
    }
    if notes:
        info["notes"] = notes
    return df, info


def _holds_nul(src: _Source) -> bool:
    """Whether the bytes hold a NUL byte (read block by block)."""
    with src.open() as f:
        while block := f.read(1 << 23):
            if b"\x00" in block:
                return True
    return False


def csv_options(source: str | os.PathLike, *, columns: Mapping[str, str | None] | None = None) -> dict:
    """Keyword arguments for :func:`pandas.read_csv` that read a CSV file as :func:`read_table` does.

    For reading large files in chunks (``pd.read_csv(path, chunksize=n, **csv_options(path))``):
    the sniffed delimiter and encoding, the title rows to skip, every column as text, and empty
    cells as missing. UTF-16 files are read from a UTF-8 copy by :func:`read_table`; here they
    get ``encoding="utf-16"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "leads.csv"
    >>> _ = path.write_text("Leads export\\n\\nCompany;Industry\\nAcme;Payroll\\n", encoding="cp1252")
    >>> opts = csv_options(path)
    >>> opts["sep"], opts["encoding"], opts["skiprows"]
    (';', 'utf-8', 2)
    >>> pd.read_csv(path, **opts).to_dict("list")
    {'Company': ['Acme'], 'Industry': ['Payroll']}
    """
    src = _open_source(source, None)
    _, layout = _csv_layout(src, columns)
    head = src.head(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    else:
        encoding = layout.encoding + ("-sig" if layout.bom else "")
    return {
        "sep": layout.delimiter,
        "encoding": encoding,
        "skiprows": layout.header_row - 1,
        "header": 0,
        "dtype": "str",
        "keep_default_na": False,
        "na_values": [""],
        "index_col": False,
    }


# --------------------------------------------------------------------------------------------
# Excel, Parquet, JSON
# --------------------------------------------------------------------------------------------


def _check_workbook(src: _Source) -> None:
    """Refuse, with what it is instead, a file named .xlsx that is no workbook."""
    src.require_binary()
    head = src.head(8)
    if head.startswith(_OLE_MAGIC):
        raise _unsupported(
            src,
            "an old binary Excel workbook (.xls format, whatever its name says); "
            "open it in Excel and save it as .xlsx or CSV",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise PortfolioError(
            f"{src.label} is not a valid .xlsx workbook (an .xlsx file is a zip archive, this one is not); "
            f"if it is a CSV file, rename it to .csv; {_ACCEPTED_TEXT}"
        )
    kind = _zip_kind(src)
    if kind != "xlsx":
        what = {
            "broken": "it is a damaged or incomplete zip archive",
            "docx": "it is a Word document",
            "pptx": "it is a PowerPoint presentation",
        }.get(kind, "it is a zip archive without a workbook in it (no xl/workbook.xml)")
        raise PortfolioError(
            f"{src.label} is not a readable .xlsx workbook: {what}; open it in Excel and save it again "
            "as .xlsx, or export it as CSV"
        )


def _read_sheet(src: _Source, sheet: str | int | None) -> tuple[str, pd.DataFrame, dict[int, str]]:
    """The chosen sheet's name, its cells as text (every row holding a value, title rows and header
    included, indexed by 0-based row), and notes per 1-based row (see :func:`.sheets.read_cells`)."""
    from .sheets import check_archive, read_cells

    check_archive(src.handle(), src.label)
    try:
        return read_cells(src.handle(), sheet, src.label)
    except PortfolioError:
        raise
    except Exception as e:  # openpyxl raises many types for a damaged workbook
        raise PortfolioError(f"{src.label} is not a readable .xlsx workbook: {type(e).__name__}: {e}") from None


def _read_xlsx(src: _Source, sheet, overrides) -> tuple[pd.DataFrame, dict]:
    _check_workbook(src)
    chosen, raw, notes = _read_sheet(src, sheet)
    where = f"{src.label} (sheet {chosen!r})"
    rows = raw.head(4 * HEADER_SEARCH_ROWS).to_numpy(dtype=object).tolist()
    index = _find_header(rows, overrides)
    if index is None:
        raise EmptyFileError(f"{where} is empty; expected a header row and at least one data row")
    header = _column_names(rows[index])
    _check_duplicate_headers(header, where, letters=True)
    body = raw.iloc[index + 1 :]
    numbers = body.index.to_numpy() + 1  # the rows' numbers in the sheet
    body = body.set_axis(header, axis=1).astype("str").reset_index(drop=True)
    info = {
        "format": "xlsx",
        "encoding": None,
        "delimiter": None,
        "sheet": chosen,
        "header_row": int(raw.index[index]) + 1,
    }
    if notes:  # per row of the table read (0-based), as the other readers' notes
        at = {int(n): i for i, n in enumerate(numbers)}
        info["notes"] = {at[n]: note for n, note in notes.items() if n in at}
    return body, info


def _read_parquet(src: _Source) -> tuple[pd.DataFrame, dict]:
    try:
        df = pd.read_parquet(src.handle())
    except PortfolioError:
        raise
    except Exception as e:
        raise PortfolioError(f"{src.label} is not a readable Parquet file: {type(e).__name__}: {e}") from None
    if not isinstance(df.index, pd.RangeIndex) or df.index.name is not None:
        df = df.reset_index()
    columns = [str(c) for c in df.columns]
    _check_duplicate_headers(columns, src.label)
    df = as_text(df.set_axis(columns, axis=1), "true", "false").reset_index(drop=True)
    return df, {"format": "parquet", "encoding": None, "delimiter": None, "sheet": None, "header_row": None}


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, int] = {}
    for i, (key, _) in enumerate(pairs):
        if key in seen:
            raise ColumnError(
                f"the key {key!r} appears more than once in one JSON object, in positions {seen[key] + 1} "
                f"and {i + 1}; every column needs its own name"
            )
        seen[key] = i
    return dict(pairs)


_NOT_RECORDS = (
    'expected a list of objects ([{"name": "Acme", "description": "..."}, ...]) or JSON '
    "lines (one object per line, .jsonl)"
)


def _json_text(src: _Source) -> str:
    """The text of a JSON file, decoded as text files are, without a byte-order mark."""
    if src.size() == 0:
        raise EmptyFileError(f"{src.label} is empty (0 bytes); {_NOT_RECORDS}")
    if src.text is not None:
        text = src.text.lstrip("\ufeff")
    else:
        src, encoding, bom = _detect_encoding(src)
        with src.open() as f:
            text = f.read().decode(encoding)
        text = text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyFileError(f"{src.label} holds only blank lines; {_NOT_RECORDS}")
    return text


def _parse_json(text: str, label: str) -> tuple[Any, bool]:
    """The document, and whether it was read as JSON lines (one document per line)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys), False
    except RecursionError:
        raise PortfolioError(
            f"{label} nests its values too deeply to be a table (lists in lists, hundreds deep); {_NOT_RECORDS}"
        ) from None
    except ColumnError as e:
        raise ColumnError(f"{label}: {e.message}") from None
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise PortfolioError(
                f"{label} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}; {_NOT_RECORDS}"
            ) from None
        return _json_lines(text, label), True


def _records(data: Any, label: str) -> list[dict]:
    """Check that a document is a non-empty list of objects."""
    if not isinstance(data, list):
        found = (
            f"an object with keys {', '.join(map(repr, list(data)[:8]))}"
            if isinstance(data, dict)
            else f"a single {type(data).__name__} value {data!r:.40}"
        )
        raise PortfolioError(f"{label} is not a table of records: it holds {found}; {_NOT_RECORDS}")
    if not data:
        raise EmptyFileError(f"{label} holds an empty list: no rows; {_NOT_RECORDS}")
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise PortfolioError(
                f"{label} is not a table of records: item {i + 1} is a {type(item).__name__} "
                f"({json.dumps(item)[:40]}), not an object; {_NOT_RECORDS}"
            )
    return data


def _read_json(src: _Source) -> tuple[pd.DataFrame, dict]:
    data, lines = _parse_json(_json_text(src), src.label)
    if isinstance(data, dict) and (lines or src.ext == ".jsonl"):
        data = [data]
    records = _records(data, src.label)
    columns = list(dict.fromkeys(key for record in records for key in record))
    raw = pd.DataFrame.from_records(records, columns=columns)
    df = as_text(raw.astype(object), "true", "false")
    info = {
        "format": "jsonl" if lines else "json",
        "encoding": None,
        "delimiter": None,
        "sheet": None,
        "header_row": None,
    }
    return df, info


def _json_lines(text: str, label: str) -> list:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line, object_pairs_hook=_unique_keys))
        except RecursionError:
            raise PortfolioError(f"{label}, line {number}: its values nest too deeply to be a record") from None
        except ColumnError as e:
            raise ColumnError(f"{label}, line {number}: {e.message}") from None
        except json.JSONDecodeError as e:
            raise PortfolioError(
                f"{label} is neither one JSON document nor JSON lines: line {number} is not valid JSON "
                f"({e.msg} at column {e.colno}); {_NOT_RECORDS}"
            ) from None
    return out
