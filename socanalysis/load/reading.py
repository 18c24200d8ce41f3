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
>>> from socanalysis.load import field_mapping
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

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, EmptyFileError, PortfolioError
from ..vocabulary import ATTRS_KEY
from .fields import resolve
from .formats import _read_csv, _read_json, _read_parquet, _read_xlsx
from .mapping import require_name, require_signal
from .names import find_duplicates
from .sources import _detect_format, _open_source

__all__ = ["DUPLICATE_COLUMN", "FALLBACK_DUPLICATE_COLUMN", "load_portfolio", "read_table"]

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
        ``delimiter``, ``sheet`` and ``header_row`` (1-based, CSV and Excel); and ``notes``, when
        some rows were read with a repair (0-based row -> what was repaired and why).

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
    notes = info.pop("notes", None)
    if notes:  # renumbered for the rows that _tidy keeps
        kept = df.notna().any(axis=1).to_numpy() if len(df.columns) else np.zeros(len(df), dtype=bool)
        position = np.cumsum(kept) - 1
        info["notes"] = {int(position[i]): note for i, note in sorted(notes.items()) if kept[i]}
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
