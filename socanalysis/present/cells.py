"""Spreadsheet cells that a spreadsheet would run as formulas, made safe.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, as OWASP advises against CSV injection. Kept apart from the writers
(:mod:`socanalysis.present.files`, :mod:`socanalysis.present.xlsx`) so that the batch engine can use it
without loading the charting and Excel libraries.

>>> neutralise(pd.Series(["=1+1", "Acme", "-5", "@SUM(A1)"])).tolist()
["'=1+1", 'Acme', "'-5", "'@SUM(A1)"]
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SocAnalysisError
from ..vocabulary import FORMULA_TRIGGERS

__all__ = ["neutral_text", "neutralise", "neutralise_arrow", "neutralise_series"]

_TRIGGERS = pa.array(FORMULA_TRIGGERS, pa.large_string())
_QUOTE = pa.scalar("'", pa.large_string())
_NOTHING = pa.scalar("", pa.large_string())
_TRIGGER_START = "[" + "".join(FORMULA_TRIGGERS).replace("-", r"\-") + "]"  # a cell starting with one of them


def neutralise_series(series: pd.Series) -> pd.Series:
    """:func:`neutralise` of one column; the column itself when nothing needed quoting."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
    elif not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
        return series  # numbers, booleans, dates: never formulas
    try:
        mask = series.str.match(_TRIGGER_START, na=False)
    except AttributeError:  # an object column without any text
        return series
    mask = mask.astype(bool)
    if not mask.any():
        return series
    quoted = "'" + series[mask].astype(str)
    out = series.copy()
    out[mask] = quoted
    return out


def neutralise(data: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Prefix formula-like text cells with an apostrophe so a spreadsheet shows them as text.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return becomes
    ``'`` + the cell (OWASP's advice against CSV injection). Numbers, booleans, dates and missing
    values are left alone; column labels are not touched. Vectorised; the input is not modified.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A new object of the same shape, index and dtypes.

    Examples
    --------
    >>> frame = pd.DataFrame({"Company": ["=HYPERLINK(\\"http://x\\")", "Acme"], "Employees": [-5, 10]})
    >>> out = neutralise(frame)
    >>> out["Company"].tolist(), out["Employees"].tolist()
    (['\\'=HYPERLINK("http://x")', 'Acme'], [-5, 10])
    """
    if isinstance(data, pd.Series):
        out = neutralise_series(data)
        return out.copy() if out is data else out
    if isinstance(data, pd.DataFrame):
        out = data.copy()
        for position in range(data.shape[1]):
            column = data.iloc[:, position]
            new = neutralise_series(column)
            if new is not column:
                out.isetitem(position, new)
        return out
    raise SocAnalysisError(f"neutralise() takes a pandas Series or DataFrame, not {type(data).__name__}")


def _neutralise_arrow_array(array: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    kind = array.type
    if pa.types.is_dictionary(kind) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        array = array.cast(kind.value_type)
        kind = array.type
    elif pa.types.is_string_view(kind):
        array = array.cast(pa.large_string())
        kind = array.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return array
    # Arrow's kernels: 0.1 s for a million cells, no Python per cell
    flags = pc.is_in(pc.utf8_slice_codeunits(array, 0, 1), value_set=_TRIGGERS.cast(kind))
    if not pc.any(flags).as_py():
        return array
    return pc.if_else(flags, pc.binary_join_element_wise(_QUOTE.cast(kind), array, _NOTHING.cast(kind)), array)


def neutralise_arrow(table: pa.Table) -> pa.Table:
    """:func:`neutralise` for a :class:`pyarrow.Table`, without Python per cell.

    Every string column (string, large_string, string_view, dictionary of strings) is checked
    by Arrow's kernels over its first characters; a column without a formula-like cell is passed
    through untouched, and the cells that need it are quoted. Other columns are
    never changed. Nulls stay null.

    Parameters
    ----------
    table : pyarrow.Table

    Returns
    -------
    pyarrow.Table
        Same column names; string-view and dictionary columns that needed quoting come back as
        plain strings.

    Examples
    --------
    >>> t = pa.table({"name": ["=cmd|' /C calc'!A0", "Acme", None], "n": [1, -2, 3]})
    >>> out = neutralise_arrow(t)
    >>> out.column("name").to_pylist(), out.column("n").to_pylist()
    (["'=cmd|' /C calc'!A0", 'Acme', None], [1, -2, 3])
    """
    if not isinstance(table, pa.Table):
        raise SocAnalysisError(f"neutralise_arrow() takes a pyarrow.Table, not {type(table).__name__}")
    columns = []
    changed = False
    for column in table.columns:
        new = _neutralise_arrow_array(column)
        changed |= new is not column
        columns.append(new)
    if not changed:
        return table
    return pa.Table.from_arrays(columns, names=table.column_names)


def neutral_text(text: str) -> str:
    """One text made safe: ``'`` before a formula-like text.

    >>> neutral_text("=1+1"), neutral_text("Acme"), neutral_text("")
    ("'=1+1", 'Acme', '')
    """
    return "'" + text if text[:1] in FORMULA_TRIGGERS and text else text
