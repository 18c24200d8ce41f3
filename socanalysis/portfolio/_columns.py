"""Column helpers shared by coverage, pricing and summaries: text columns, category masks, needs.

Every helper works on whole columns (no loop over rows); text columns with few distinct values
are built from the values and a code per row, which stays fast for millions of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import ColumnError
from ..vocabulary import CATEGORIES

MASK_NAMES: dict[int, str] = {
    mask: "; ".join(c for i, c in enumerate(CATEGORIES) if mask >> i & 1) for mask in range(32)
}
"""The "; "-joined categories of each bit mask (bit i is ``CATEGORIES[i]``; Security is bit 0)."""

POPCOUNT = np.array([bin(i).count("1") for i in range(32)])
"""How many categories each bit mask holds."""


def mapped_column(frame: pd.DataFrame, fields: Mapping[str, str], field: str) -> pd.Series:
    """The column mapped to ``field``, or a column of missing values when the field is not mapped."""
    col = fields.get(field)
    if col is None:
        return pd.Series(pd.NA, index=frame.index, dtype=object, name=field)
    return frame[col]


def text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text with blanks for missing values ("" when the column is absent).

    >>> text(pd.DataFrame({"a": ["x", None]}), "a").tolist(), text(pd.DataFrame({"a": [1]}), "b").tolist()
    (['x', ''], [''])
    """
    if column not in frame.columns:
        return take_str([""], np.zeros(len(frame), dtype=np.int64), frame.index)
    series = frame[column]
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
        return series.fillna("")
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    values = [str(v) for v in uniques] + [""]
    return take_str(values, np.where(codes < 0, len(values) - 1, codes), frame.index)


def take_str(values: Sequence[str], codes: np.ndarray, index=None) -> pd.Series:
    """A text Series built from a few distinct values and a code per row (fast for millions of rows).

    >>> take_str(["no", "yes"], np.array([1, 0, 1])).tolist()
    ['yes', 'no', 'yes']
    """
    small = pd.array(list(values), dtype="str")
    return pd.Series(small.take(np.asarray(codes, dtype=np.int64)), index=index)


def has(series: pd.Series, word: str) -> np.ndarray:
    """Whether each text holds ``word`` (a plain substring, not a pattern)."""
    return series.str.contains(word, regex=False).to_numpy(dtype=bool)


def category_mask(series: pd.Series) -> np.ndarray:
    """The Trust Services Categories each text names, as a bit mask (see :data:`MASK_NAMES`).

    >>> category_mask(pd.Series(["Security; Privacy", "", "Availability"])).tolist()
    [17, 0, 2]
    """
    mask = np.zeros(len(series), dtype=np.int64)
    for i, cat in enumerate(CATEGORIES):
        mask |= has(series, cat).astype(np.int64) << i
    return mask


def needs(frame: pd.DataFrame, holds1: np.ndarray, holds2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which reports each row needs (SOC 1, SOC 2); an Undetermined row is judged on what it already holds.

    >>> frame = pd.DataFrame({"soc_report": ["Both", "Undetermined", "Neither"]})
    >>> [a.tolist() for a in needs(frame, np.array([False, True, True]), np.array([False, False, True]))]
    [[True, True, False], [True, False, False]]
    """
    need = frame["soc_report"].astype(str).to_numpy()
    undetermined = need == "Undetermined"
    needs1 = np.isin(need, ["SOC 1", "Both"]) | (undetermined & holds1)
    needs2 = np.isin(need, ["SOC 2", "Both"]) | (undetermined & holds2)
    return needs1, needs2


def unique_rows(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Codes of each row's combination of key values, and one row per combination (in code order).

    >>> codes, uniq = unique_rows(pd.DataFrame({"a": [1, 2, 1], "b": ["x", "y", "x"]}))
    >>> codes.tolist(), uniq.to_dict("list")
    ([0, 1, 0], {'a': [1, 2], 'b': ['x', 'y']})
    """
    keys = keys.reset_index(drop=True)
    if keys.empty:
        return np.zeros(0, dtype=np.int64), keys
    factors = [pd.factorize(keys[c], use_na_sentinel=False)[0] for c in keys.columns]
    codes = pd.DataFrame(dict(enumerate(factors))).groupby(list(range(len(factors))), sort=False).ngroup()
    codes = codes.to_numpy(dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    return codes, keys.iloc[first].reset_index(drop=True)


def require_coverage(covered: pd.DataFrame, caller: str) -> None:
    """Raise :class:`ColumnError` unless ``covered`` is the output of ``coverage()``."""
    needed = ("coverage_status", "soc_report", "holds_soc1", "holds_soc2")
    missing = [c for c in needed if c not in covered.columns]
    if missing:
        raise ColumnError(
            f"{caller}() needs the output of coverage(): column {missing[0]!r} is missing; "
            "run socanalysis.coverage(classified) first"
        )
