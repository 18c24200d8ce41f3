"""Cell values as the text a person reads in them, for the formats that hold typed values (Excel,
Parquet, JSON): whole numbers without ".0", dates without a midnight time, true/false as words.

>>> import datetime as dt
>>> frame = pd.DataFrame({"Employees": [250.0, None], "Listed": [True, False], "Since": [dt.date(2019, 4, 1), None]})
>>> as_text(frame, "true", "false").to_dict("list")
{'Employees': ['250', nan], 'Listed': ['true', 'false'], 'Since': ['2019-04-01', nan]}
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["ARROW_TEXT", "TEXT_DTYPE", "as_text", "plain_text"]

TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
"""The dtype text columns are read as: Arrow strings, missing values as NaN."""
ARROW_TEXT = {pa.string(): TEXT_DTYPE, pa.large_string(): TEXT_DTYPE}
"""A ``types_mapper`` for :meth:`pyarrow.Table.to_pandas`: Arrow text as :data:`TEXT_DTYPE`."""


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
    """Every column of a frame as text (see :data:`TEXT_DTYPE`'s missing values), in order.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns of any dtype; several columns may share a name.
    true, false : str
        How booleans are written ("TRUE"/"FALSE" as Excel shows them, "true"/"false" as JSON and
        Parquet spell them).

    Returns
    -------
    pandas.DataFrame
        Same index and column names; empty texts are missing.
    """
    return pd.DataFrame(
        {i: _series_text(df.iloc[:, i], true, false) for i in range(df.shape[1])}, index=df.index
    ).set_axis(list(df.columns), axis=1)


_SPACE = re.compile(r"[ \u00a0]+")
_TRANSLATE = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ae": "",
        "\u2122": "",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)


def plain_text(value: object) -> str:
    """A cell's text with typographic dashes, quotes and spaces as plain ones, "®" and "™" dropped,
    runs of spaces as one, trimmed.

    >>> plain_text("  SOC\u00a02\u00ae \u2013 \u201cType II\u201d ")
    'SOC 2 - "Type II"'
    """
    return _SPACE.sub(" ", str(value).translate(_TRANSLATE)).strip()
