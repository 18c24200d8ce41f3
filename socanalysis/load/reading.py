"""Read portfolios and lead lists from CSV, Excel, Parquet and JSON into a frame of strings.

:func:`load_portfolio` is the front door: it reads the file (or an uploaded file object), finds the
header row even below title rows, maps the user's headers to socanalysis fields, checks that the
table has a name column and at least one column the classifier can use, and flags duplicate
organisations in a ``duplicate_of`` column. The user's own columns come back unchanged, as text,
in their order.

>>> import io
>>> data = (b"Client portfolio FY2026\\n\\n"
...         b"Client;Services;Website\\n"
...         b"Acme Payroll Inc.;Payroll processing;acme.com\\n"
...         b"ACME Payroll;Payroll and HR;https://www.acme.com/about\\n")
>>> df = load_portfolio(io.BytesIO(data), name="clients.csv")
>>> df[["Client", "Website", "duplicate_of"]]
              Client                     Website  duplicate_of
0  Acme Payroll Inc.                    acme.com          <NA>
1       ACME Payroll  https://www.acme.com/about             1
>>> field_mapping(df)
         field                      meaning    column
0         name            organisation name    Client
1  description  description of the services  Services
2      website            website or domain   Website

Supported formats: ``.csv .tsv .txt`` (comma, semicolon, tab or pipe; UTF-8 with or without a
BOM, UTF-16 with a BOM, cp1252 or latin-1), ``.xlsx``, ``.parquet``, ``.json`` (a list of objects)
and ``.jsonl`` (one object per line). Every other type raises
:class:`~socanalysis.errors.UnsupportedFormatError`.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import (
    ColumnError,
    EmptyFileError,
    PortfolioError,
)
from ..vocabulary import ATTRS_KEY, SIGNAL_FIELDS
from .fields import mapping_table, resolve
from .sources import (
    _ACCEPTED_TEXT,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    ACCEPTED_EXTENSIONS,
    HEADER_SEARCH_ROWS,
    _check_duplicate_headers,
    _column_names,
    _csv_layout,
    _CsvLayout,
    _detect_encoding,
    _detect_format,
    _find_header,
    _open_source,
    _Source,
    _unsupported,
    _zip_kind,
)

TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
"""The dtype text columns are read as: Arrow strings, missing values as NaN."""
ARROW_TEXT = {pa.string(): TEXT_DTYPE, pa.large_string(): TEXT_DTYPE}
"""A ``types_mapper`` for :meth:`pyarrow.Table.to_pandas`: Arrow text as :data:`TEXT_DTYPE`."""

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "DUPLICATE_COLUMN",
    "FALLBACK_DUPLICATE_COLUMN",
    "csv_options",
    "field_mapping",
    "find_duplicates",
    "load_portfolio",
    "normalise_domain",
    "normalise_name",
    "read_table",
    "require_name",
    "require_signal",
    "validate_columns",
]

DUPLICATE_COLUMN = "duplicate_of"
#: used instead of ``duplicate_of`` when the user's table already has a column of that name
FALLBACK_DUPLICATE_COLUMN = "socanalysis_duplicate_of"


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Drop rows where every cell is empty, and unnamed columns where every cell is empty."""
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed: ")]
    if unnamed:
        empty = [c for c in unnamed if not df[c].notna().any()]
        if empty:
            df = df.drop(columns=empty)
    if len(df.columns):
        keep = df.notna().any(axis=1)
        if not keep.all():
            df = df[keep]
    return df.reset_index(drop=True)


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
    df = _read_csv_arrow(src, layout) if engine in ("auto", "pyarrow") else None
    if df is None:
        df = _read_csv_pandas(src, layout)
    info = {
        "format": "csv",
        "encoding": layout.encoding + ("-sig" if layout.bom else ""),
        "delimiter": layout.delimiter,
        "sheet": None,
        "header_row": layout.header_row,
    }
    return df, info


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
# cell values as text (Excel, Parquet, JSON)
# --------------------------------------------------------------------------------------------


def _cell_text(value: Any, true: str = "TRUE", false: str = "FALSE") -> str | None:
    """One cell as the text a person would read in it; None when empty."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (bool, np.bool_)):
        return true if value else false
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if np.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**63:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None and value == _dt.datetime.combine(value.date(), _dt.time()):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, np.ndarray):
        return json.dumps(value.tolist(), ensure_ascii=False, default=str)
    return str(value)


def _series_text(s: pd.Series, true: str, false: str) -> pd.Series:
    """A column of any dtype as text, vectorised for numeric and date dtypes."""
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        out = s.astype("str")
        return out.mask(out == "")
    if pd.api.types.is_bool_dtype(dtype):
        return s.map({True: true, False: false}).astype("str")
    if pd.api.types.is_integer_dtype(dtype):
        return s.astype("str")
    if pd.api.types.is_float_dtype(dtype):
        f = s.astype("float64")
        integral = f.notna() & (f % 1 == 0) & (f.abs() < 2**53)
        out = f.astype("str")
        return out.mask(integral, f.where(integral).astype("Int64").astype("str"))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        midnight = s.dt.normalize() == s
        full = s.dt.strftime("%Y-%m-%d %H:%M:%S%z" if getattr(dtype, "tz", None) else "%Y-%m-%d %H:%M:%S")
        return full.mask(midnight & (getattr(dtype, "tz", None) is None), s.dt.strftime("%Y-%m-%d"))
    return s.map(lambda v: _cell_text(v, true, false)).astype("str")


def as_text(df: pd.DataFrame, true: str, false: str) -> pd.DataFrame:
    return pd.DataFrame(
        {i: _series_text(df.iloc[:, i], true, false) for i in range(df.shape[1])}, index=df.index
    ).set_axis(list(df.columns), axis=1)


# --------------------------------------------------------------------------------------------
# Excel, Parquet, JSON
# --------------------------------------------------------------------------------------------


def _choose_sheet(names: list[str], sheet: str | int | None, label: str) -> str:
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


def _read_xlsx(src: _Source, sheet, overrides) -> tuple[pd.DataFrame, dict]:
    label = src.label
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
            f"{label} is not a valid .xlsx workbook (an .xlsx file is a zip archive, this one is not); "
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
            f"{label} is not a readable .xlsx workbook: {what}; open it in Excel and save it again "
            "as .xlsx, or export it as CSV"
        )
    try:
        with pd.ExcelFile(src.handle(), engine="openpyxl") as book:
            chosen = _choose_sheet(list(book.sheet_names), sheet, label)
            raw = pd.read_excel(
                book, sheet_name=chosen, header=None, dtype=object, keep_default_na=False, na_values=[""]
            )
    except PortfolioError:
        raise
    except Exception as e:  # openpyxl raises many types for a damaged workbook
        raise PortfolioError(f"{label} is not a readable .xlsx workbook: {type(e).__name__}: {e}") from None
    where = f"{label} (sheet {chosen!r})"
    raw = raw.map(_cell_text)
    rows = raw.head(4 * HEADER_SEARCH_ROWS).to_numpy(dtype=object).tolist()
    index = _find_header(rows, overrides)
    if index is None:
        raise EmptyFileError(f"{where} is empty; expected a header row and at least one data row")
    header = _column_names(rows[index])
    _check_duplicate_headers(header, where, letters=True)
    body = raw.iloc[index + 1 :].set_axis(header, axis=1).astype("str").reset_index(drop=True)
    info = {
        "format": "xlsx",
        "encoding": None,
        "delimiter": None,
        "sheet": chosen,
        "header_row": int(raw.index[index]) + 1,
    }
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


def _read_json(src: _Source) -> tuple[pd.DataFrame, dict]:
    label = src.label
    if src.size() == 0:
        raise EmptyFileError(f"{label} is empty (0 bytes); {_NOT_RECORDS}")
    if src.text is not None:
        text = src.text.lstrip("\ufeff")
    else:
        src, encoding, bom = _detect_encoding(src)
        with src.open() as f:
            text = f.read().decode(encoding)
        text = text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyFileError(f"{label} holds only blank lines; {_NOT_RECORDS}")
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
        lines = False
    except ColumnError as e:
        raise ColumnError(f"{label}: {e.message}") from None
    except json.JSONDecodeError as e:
        if e.msg != "Extra data":
            raise PortfolioError(
                f"{label} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}; {_NOT_RECORDS}"
            ) from None
        data, lines = _json_lines(text, label), True
    if isinstance(data, dict) and (lines or src.ext == ".jsonl"):
        data = [data]
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
    columns = list(dict.fromkeys(key for record in data for key in record))
    raw = pd.DataFrame.from_records(data, columns=columns)
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
        except ColumnError as e:
            raise ColumnError(f"{label}, line {number}: {e.message}") from None
        except json.JSONDecodeError as e:
            raise PortfolioError(
                f"{label} is neither one JSON document nor JSON lines: line {number} is not valid JSON "
                f"({e.msg} at column {e.colno}); {_NOT_RECORDS}"
            ) from None
    return out


# --------------------------------------------------------------------------------------------
# public: reading
# --------------------------------------------------------------------------------------------


def read_table(
    source: Any,
    *,
    sheet: str | int | None = None,
    name: str | None = None,
    columns: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Read a CSV, Excel, Parquet or JSON table as text, without mapping or checking its columns.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file-like
        A path, the raw bytes, or an open file (binary or text) such as an upload's ``io.BytesIO``.
    sheet : str or int, optional
        The Excel sheet, by name or 0-based position; the first sheet by default.
    name : str, optional
        The file name, used to pick the format when ``source`` is not a path (uploads); without it
        the content decides (xlsx, Parquet, JSON or else CSV).
    columns : dict, optional
        A field-to-column override (as in :func:`load_portfolio`); only used here to recognise the
        header row.

    Returns
    -------
    pandas.DataFrame
        Every column as text (dtype ``str``), empty cells missing, in the file's order. Title rows
        above the header, rows where every cell is empty and unnamed empty columns are left out.
        ``df.attrs["socanalysis"]`` holds ``source`` (the file name), ``format``, ``encoding``,
        ``delimiter``, ``sheet`` and ``header_row`` (1-based, CSV and Excel).

    Raises
    ------
    PortfolioError
        A missing file, or a file that cannot be read (corrupt workbook, JSON that is not records).
    EmptyFileError, DecodingError, UnsupportedFormatError, ColumnError
        An empty file, undecodable text, an unsupported type, duplicated headers.

    Examples
    --------
    >>> import io
    >>> df = read_table(io.BytesIO(b"Name|NAICS\\nNA|00123\\n"))
    >>> df.to_dict("list")
    {'Name': ['NA'], 'NAICS': ['00123']}
    >>> df.attrs["socanalysis"]["delimiter"]
    '|'
    """
    src = _open_source(source, name)
    fmt = _detect_format(src)
    if sheet is not None and fmt != "xlsx":
        raise PortfolioError(f"sheet={sheet!r} applies to .xlsx workbooks only; {src.label} is read as {fmt}")
    if fmt == "csv":
        df, info = _read_csv(src, columns)
    elif fmt == "xlsx":
        df, info = _read_xlsx(src, sheet, columns)
    elif fmt == "parquet":
        df, info = _read_parquet(src)
    else:
        df, info = _read_json(src)
    df = _tidy(df)
    df.attrs = {ATTRS_KEY: {"source": src.name, **info}}
    return df


def load_portfolio(
    source: Any,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str | None] | None = None,
    name: str | None = None,
) -> pd.DataFrame:
    """Load a client portfolio or lead list, map its columns and flag duplicate organisations.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file-like
        A path to a ``.csv .tsv .txt .xlsx .parquet .json .jsonl`` file, its bytes, or an open file
        (an upload's ``io.BytesIO``).
    sheet : str or int, optional
        The Excel sheet, by name or 0-based position; the first sheet by default.
    columns : dict, optional
        Overrides of the field mapping, e.g. ``{"name": "Legal Entity"}``; ``None`` as a column
        leaves a field unmapped.
    name : str, optional
        The file name when ``source`` is not a path (it picks the format and appears in messages).

    Returns
    -------
    pandas.DataFrame
        The user's columns as text, unchanged and in order, plus ``duplicate_of`` (``Int64``): for
        a row whose organisation appeared earlier (same normalised name, or same website domain),
        the 1-based number of the first such row in the returned table; missing otherwise. When
        the table already has a column named ``duplicate_of``, ours is named
        ``socanalysis_duplicate_of`` and the user's is left as it is.
        ``df.attrs["socanalysis"]`` holds ``fields`` (field -> column, see :func:`field_mapping`),
        ``source`` (the file name or None), ``duplicate_column`` and how the file was read
        (``format``, ``encoding``, ``delimiter``, ``sheet``, ``header_row``).

    Raises
    ------
    EmptyFileError
        The file is empty, blank, or has a header but no data rows.
    ColumnError
        No name column, no column the classifier can use, duplicated headers, or an override
        naming a column that is not there.
    DecodingError, UnsupportedFormatError, PortfolioError
        Undecodable text, an unsupported file type, a missing or unreadable file.

    Examples
    --------
    >>> import io
    >>> csv_bytes = b"Legal Entity,Sector\\nNorthwind Ltd,Payments\\nNorthwind Limited,Payments\\n"
    >>> df = load_portfolio(io.BytesIO(csv_bytes), columns={"name": "Legal Entity"})
    >>> df["duplicate_of"].tolist()
    [<NA>, 1]
    >>> df.attrs["socanalysis"]["fields"]
    {'name': 'Legal Entity', 'sector': 'Sector'}
    """
    df = read_table(source, sheet=sheet, name=name, columns=columns)
    info = df.attrs[ATTRS_KEY]
    label = repr(info["source"]) if info["source"] else "the input"
    if len(df) == 0:
        found = ", ".join(map(repr, df.columns)) or "none"
        raise EmptyFileError(
            f"{label} has no data rows (columns found: {found}); expected at least one row, one per organisation"
        )
    try:
        mapping = resolve(df.columns, overrides=columns)
    except ColumnError as e:
        raise ColumnError(f"{label}: {e.message}") from None
    require_name(mapping, df.columns, label=label)
    require_signal(mapping, df.columns, label=label)
    dup_column = DUPLICATE_COLUMN
    while dup_column in df.columns:
        dup_column = FALLBACK_DUPLICATE_COLUMN if dup_column == DUPLICATE_COLUMN else f"{dup_column}_"
    website = mapping.get("website")
    out = df.assign(**{dup_column: find_duplicates(df[mapping["name"]], df[website] if website else None)})
    out.attrs = {
        ATTRS_KEY: {
            "fields": mapping,
            "source": info["source"],
            "duplicate_column": dup_column,
            **{k: v for k, v in info.items() if k != "source"},
        }
    }
    return out


# --------------------------------------------------------------------------------------------
# public: the field mapping and column checks
# --------------------------------------------------------------------------------------------


def field_mapping(df: pd.DataFrame) -> pd.DataFrame:
    """Which column serves which field: a table of ``field``, ``meaning`` and ``column``.

    Uses the mapping stored by :func:`load_portfolio` in ``df.attrs``; for any other frame, the
    mapping its headers resolve to.

    Examples
    --------
    >>> field_mapping(pd.DataFrame(columns=["Vendor", "NAICS Code"]))
       field            meaning      column
    0   name  organisation name      Vendor
    1  naics         NAICS code  NAICS Code
    """
    mapping = df.attrs.get(ATTRS_KEY, {}).get("fields")
    if mapping is None:
        mapping = resolve(df.columns)
    return pd.DataFrame(mapping_table(mapping), columns=["field", "meaning", "column"], dtype="str")


def _listed(columns: Iterable[object], limit: int = 20) -> str:
    columns = [str(c) for c in columns]
    shown = ", ".join(map(repr, columns[:limit])) or "none"
    return shown + (f" ... and {len(columns) - limit} more" if len(columns) > limit else "")


# headers shown in error messages; a test checks that each resolves to its field
HEADER_EXAMPLES: dict[str, tuple[str, ...]] = {
    "name": (
        "Name",
        "Company",
        "Client",
        "Client Name",
        "Account Name",
        "Legal Entity",
        "Organisation",
        "Organization",
        "Business Name",
        "Vendor",
    ),
    "description": ("Description", "Services", "Business Description", "About", "Summary", "Products"),
    "industry": ("Industry", "Sub-Industry", "Vertical", "Category", "Segment", "GICS Sub-Industry"),
    "sector": ("Sector", "GICS Sector"),
    "naics": ("NAICS", "NAICS Code"),
    "sic": ("SIC", "SIC Code"),
    "questions": ("Processes Payroll", "Processes Payments", "Stores Customer Data", "Personal Data", "HIPAA"),
}


def _examples(field: str) -> str:
    return ", ".join(map(repr, HEADER_EXAMPLES[field]))


def require_name(mapping: Mapping[str, str], columns: Iterable[object], *, label: str | None = None) -> None:
    """Raise :class:`ColumnError` unless ``mapping`` has a column for the organisation name.

    Examples
    --------
    >>> require_name({"description": "About"}, ["About", "Revenue"])
    Traceback (most recent call last):
    ...
    socanalysis.errors.ColumnError: no column usable as the organisation name; the columns found are: ...
    """
    if mapping.get("name"):
        return
    where = f"{label}: " if label else ""
    raise ColumnError(
        f"{where}no column usable as the organisation name; the columns found are: {_listed(columns)}. "
        f"Accepted name headers include {_examples('name')} ... (case, spaces and punctuation are "
        "ignored); or name the column with columns={'name': 'Your Column'}"
    )


def require_signal(mapping: Mapping[str, str], columns: Iterable[object], *, label: str | None = None) -> None:
    """Raise :class:`ColumnError` unless ``mapping`` has at least one column the classifier can use.

    Signal fields are the description, industry, sector, NAICS and SIC codes, and yes/no
    questionnaire columns.

    Examples
    --------
    >>> require_signal({"name": "Client", "sic": "SIC"}, ["Client", "SIC"])
    >>> require_signal({"name": "Client"}, ["Client", "Website"])
    Traceback (most recent call last):
    ...
    socanalysis.errors.ColumnError: no column carrying a signal the classifier can use; ...
    """
    if any(mapping.get(f) for f in SIGNAL_FIELDS):
        return
    where = f"{label}: " if label else ""
    raise ColumnError(
        f"{where}no column carrying a signal the classifier can use; the columns found are: "
        f"{_listed(columns)}. Accepted: a description ({_examples('description')} ...), an industry "
        f"({_examples('industry')} ...), a sector ({_examples('sector')}), a NAICS code "
        f"({_examples('naics')}), a SIC code ({_examples('sic')}), or a yes/no questionnaire column "
        f"({_examples('questions')} ...); or name the column with columns={{'description': 'Your Column'}}"
    )


def validate_columns(
    df: pd.DataFrame, mapping: Mapping[str, str] | None = None, *, name: bool = True
) -> dict[str, str]:
    """Check a frame's columns as :func:`load_portfolio` does and return its field mapping.

    Parameters
    ----------
    df : pandas.DataFrame
    mapping : dict, optional
        The field mapping; by default the one in ``df.attrs``, else the one its headers resolve to.
    name : bool
        Require a name column (the classifier itself needs only a signal column).

    Raises
    ------
    ColumnError
        Duplicated headers, no name column (when ``name``), no signal column.

    Examples
    --------
    >>> validate_columns(pd.DataFrame(columns=["Description"]), name=False)
    {'description': 'Description'}
    """
    columns = [str(c) for c in df.columns]
    _check_duplicate_headers(columns, "the table")
    if mapping is None:
        mapping = df.attrs.get(ATTRS_KEY, {}).get("fields") or resolve(columns)
    missing = [
        f"{field!r} -> {column!r}" for field, column in mapping.items() if column is not None and column not in columns
    ]
    if missing:
        raise ColumnError(
            f"the field mapping names columns that are not in the table: {', '.join(missing)}; "
            f"the columns are: {_listed(columns)}"
        )
    if name:
        require_name(mapping, columns)
    require_signal(mapping, columns)
    return dict(mapping)


# --------------------------------------------------------------------------------------------
# public: duplicates
# --------------------------------------------------------------------------------------------

LEGAL_SUFFIXES: tuple[str, ...] = (
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lllp",
    "pllc",
    "lp",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "plc",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "pty",
    "pte",
    "pvt",
    "ab",
    "as",
    "oy",
    "oyj",
    "kk",
    "se",
    "pc",
)
# The patterns avoid \s, \w, look-arounds and back-references so that pandas runs them in pyarrow
# (RE2) over the whole column instead of calling Python's re row by row.
_WHITESPACE = " \t\n\r\x0b\x0c"
_PUNCT = (
    "["
    + re.escape('!"#$%&()*+,-/:;<=>?@[\\]^_`{|}~')
    + _WHITESPACE[1:]
    + "\u00a0-\u00bf\u00d7\u00f7\u2000-\u205e\u3000]"
)
_MARKS = "[\u0300-\u036f]"
# one or more legal suffixes at the end, each after a space (so a name is never removed whole)
_SUFFIX_TAIL = "(?: (?:and )?(?:" + "|".join(LEGAL_SUFFIXES) + "))+$"
_URL_HEAD = r"^(?:[a-z][a-z0-9+.\-]*://|//|mailto:)?(?:[^@/?#]*@)?(?:www[0-9]*\.)?"
_URL_TAIL = r"\.*(?:[:/?#,;|" + _WHITESPACE + "].*)?$"


def fold_text(text: str) -> str:
    """What :func:`normalise_name` makes of each character of a text: accents folded, lower case,
    "&" as " and ", dots and apostrophes dropped, other punctuation as spaces.

    >>> fold_text("Müller & Söhne, S.A.")
    'muller  and  sohne  sa'
    """
    folded = re.sub(_MARKS, "", unicodedata.normalize("NFKD", text)).lower()
    return re.sub(_PUNCT, " ", re.sub("[.'\u2019`]", "", folded.replace("&", " and ")))


def _text(series: pd.Series) -> pd.Series:
    return pd.Series(series, copy=False).astype(TEXT_DTYPE)


def normalise_name(series: pd.Series) -> pd.Series:
    """Organisation names reduced for matching: lowercase, accents and punctuation removed,
    legal suffixes (Inc, LLC, Ltd, Corp, GmbH, PLC, Co, Company ...) and a leading "The" dropped.

    Empty results are missing, so blank names never match each other.

    Examples
    --------
    >>> normalise_name(pd.Series(["The Acme Co., Ltd.", "ACME", "Müller & Söhne GmbH & Co. KG",
    ...                           "A.B.C. Payroll, L.L.C.", "Company", None, " - "])).tolist()
    ['acme', 'acme', 'muller and sohne', 'abc payroll', 'company', nan, nan]
    """
    s = _text(series)
    accented = ~s.str.isascii().fillna(True).astype(bool)
    if accented.any():
        folded = s[accented].str.normalize("NFKD").str.replace(_MARKS, "", regex=True)
        s = s.mask(accented, folded)
    s = s.str.lower().str.replace("&", " and ", regex=False)
    s = s.str.replace("[.'\u2019`]", "", regex=True)
    s = s.str.replace(_PUNCT, " ", regex=True)
    s = s.str.replace(" {2,}", " ", regex=True).str.strip()
    s = s.str.replace(r"^the ([^ ])", r"\1", regex=True)
    s = s.str.replace(_SUFFIX_TAIL, "", regex=True)
    return s.mask(s == "")


def normalise_domain(series: pd.Series) -> pd.Series:
    """Website values reduced to their host: scheme, ``www.``, user, port, path and query removed,
    lowercase. Values that are not a host name (``n/a``, ``-``, a company name) become missing.

    Offline and vectorised: no public-suffix lookup, so ``app.acme.com`` and ``acme.com`` differ.

    Examples
    --------
    >>> normalise_domain(pd.Series(["https://WWW.Acme.com/about?x=1", "acme.com.", "info@acme.com",
    ...                             "http://shop.acme.co.uk:8080", "n/a", "Acme Inc", None])).tolist()
    ['acme.com', 'acme.com', 'acme.com', 'shop.acme.co.uk', nan, nan, nan]
    """
    s = _text(series).str.strip().str.lower()
    s = s.str.replace(_URL_HEAD, "", regex=True).str.replace(_URL_TAIL, "", regex=True)
    valid = s.str.fullmatch(r"[^ .@]+(\.[^ .@]+)+").fillna(False).astype(bool)
    return s.where(valid)


def find_duplicates(names: pd.Series | None, websites: pd.Series | None = None) -> pd.Series:
    """For each row, the 1-based number of the first earlier row with the same organisation.

    Two rows are the same organisation when their normalised names (:func:`normalise_name`) or
    their website domains (:func:`normalise_domain`) are equal. Rows are never dropped.

    Returns
    -------
    pandas.Series
        ``Int64``, aligned with the input; missing for the first occurrence and for unique rows.

    Examples
    --------
    >>> find_duplicates(pd.Series(["Acme Inc", "Globex", "ACME", "Initech"]),
    ...                 pd.Series(["acme.com", "globex.com", None, "www.globex.com"])).tolist()
    [<NA>, <NA>, 1, 2]
    """
    keys = [normalise_name(names)] if names is not None else []
    if websites is not None:
        keys.append(normalise_domain(websites))
    if not keys:
        raise ValueError("find_duplicates needs names, websites or both")
    index = keys[0].index
    n = len(index)
    position = pd.Series(np.arange(n, dtype="int64"))
    firsts = [position.groupby(key.reset_index(drop=True), sort=False, dropna=True).transform("min") for key in keys]
    first = pd.concat(firsts, axis=1).min(axis=1)
    duplicate = first < position
    out = (first + 1).where(duplicate).astype("Int64")
    out.index = index
    return out.rename(None)
