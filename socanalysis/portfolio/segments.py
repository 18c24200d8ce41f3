"""Segments as people read them: one label per industry however it is spelled, sectors when there are too many.

An industry or sector cell that is a label of the industry tables (LinkedIn Industries V2 and V1,
GICS: :func:`socanalysis.industry_label`) takes the table's spelling, so "Computer & Network
Security" and "computer and network security" make one segment; other text keeps its own spelling,
trimmed; a blank cell is "(not given)". Other fields (partner, region ...) are their trimmed text.

:func:`segment_labels` gives every row its segment; :func:`segments` decides what a chart shows:
the leading segments, the rest folded into one "Other (N segments)", and, when that "Other" would
outweigh the largest segment shown, the sectors of the industries instead. The summaries, the charts
and the dashboards all count by these two functions.

>>> frame = pd.DataFrame({"Industry": ["Computer & Network Security", "computer and network security",
...                                    " SaaS ", None]})
>>> segment_labels(frame, "industry", fields={"industry": "Industry"}).tolist()
['Computer and Network Security', 'Computer and Network Security', 'SaaS', '(not given)']
>>> segment_labels(frame, "industry", fields={"industry": "Industry"}, level="sector").tolist()
['Professional Services', 'Professional Services', 'SaaS', '(not given)']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..classifier import industry_label
from ..errors import ColumnError, SocAnalysisError
from ..load import FIELD_BY_NAME, fields_of
from ..vocabulary import NOT_GIVEN

__all__ = [
    "GICS_SECTORS",
    "INDUSTRY_FIELDS",
    "Segments",
    "order_segments",
    "segment_column",
    "segment_labels",
    "segments",
]

INDUSTRY_FIELDS: tuple[str, ...] = ("industry", "sector")
"""The fields whose cells are read as labels of the industry tables."""

GICS_SECTORS: Mapping[str, str] = MappingProxyType(
    {
        "Financials": "Financial Services",
        "Information Technology": "Technology, Information and Media",
        "Communication Services": "Technology, Information and Media",
        "Health Care": "Hospitals and Health Care",
        "Real Estate": "Real Estate and Equipment Rental Services",
        "Energy": "Oil, Gas, and Mining",
        "Materials": "Manufacturing",
        "Utilities": "Utilities",
    }
)
"""GICS sectors shown under LinkedIn's name for the same sector, so that a portfolio mixing the two
lists counts each sector once. Industrials, Consumer Discretionary and Consumer Staples span several
of LinkedIn's sectors and keep their GICS names."""

DEFAULT_TOP = 12
"""Segments a chart names at most: readable on a 1280×720 screen."""


def segment_column(data: Any, by: str, *, fields: Mapping[str, str] | None = None, caller: str = "segments") -> str:
    """The column of a segment: a canonical field through the field mapping, else a column of that name.

    Raises
    ------
    ColumnError
        When neither is found, listing the columns there are.
    """
    frame, fields = _frame_fields(data, fields)
    column = fields.get(by) if by in FIELD_BY_NAME else None
    if column is None and by in frame.columns:
        column = by
    if column is None:
        raise ColumnError(
            f"{caller}(by={by!r}): no column for it; name the column that holds the {by} "
            "(--column FIELD=HEADER, or the column choices of a dashboard), or pick one of the columns: "
            + ", ".join(map(repr, map(str, frame.columns[:20])))
        )
    return column


def segment_labels(
    data: Any, by: str = "industry", *, fields: Mapping[str, str] | None = None, level: str = "label"
) -> pd.Series:
    """The segment of every row: canonical industry labels (or their sectors), else the trimmed text.

    Parameters
    ----------
    data : Assessment or pandas.DataFrame
        A portfolio or lead list (any stage), or an Assessment.
    by : str
        A canonical field ("industry", "sector", "partner", "region" ...) found through the field
        mapping, or a column name. The industry and sector fields (and a column mapped to one) are
        read as labels of the industry tables.
    fields : mapping, optional
        Field -> column; the frame's own mapping (or the Assessment's) by default.
    level : {"label", "sector"}
        "sector": the sector of each known label (GICS sectors under LinkedIn's names, see
        :data:`GICS_SECTORS`); unknown text keeps its own spelling.

    Returns
    -------
    pandas.Series
        Text, on the frame's index, named after the column; blanks are "(not given)".
    """
    if level not in ("label", "sector"):
        raise SocAnalysisError(f"level={level!r}: accepted values are 'label' and 'sector'")
    frame, fields = _frame_fields(data, fields)
    column = segment_column(frame, by, fields=fields)
    values = frame[column]
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    texts = [str(v).strip() for v in uniques]
    if _is_industry(by, column, fields):
        texts = [_industry_text(t, level) for t in texts]
    labels = np.asarray([t or NOT_GIVEN for t in texts] + [NOT_GIVEN], dtype=object)
    return pd.Series(labels[np.where(codes < 0, len(texts), codes)], index=frame.index, name=column, dtype=object)


@dataclass(frozen=True)
class Segments:
    """What a chart shows by segment.

    Attributes
    ----------
    labels : pandas.Series
        The segment of every row, the folded ones as :attr:`other`.
    level : str
        "label" or "sector".
    column : str
        The column the segments come from.
    title : str
        The axis title: the column's name, or "Sector".
    other : str or None
        The label of the folded rest ("Other (N segments)"), None when nothing is folded.
    order : list of str
        The segments, largest first, :attr:`other` last.
    """

    labels: pd.Series
    level: str
    column: str
    title: str
    other: str | None
    order: list[str]


def segments(
    data: Any,
    by: str = "industry",
    *,
    fields: Mapping[str, str] | None = None,
    top: int | None = DEFAULT_TOP,
    level: str = "auto",
    weight: pd.Series | np.ndarray | None = None,
) -> Segments:
    """The segments a chart shows: the ``top`` largest named, the rest folded, sectors when labels are too many.

    Parameters
    ----------
    data : Assessment or pandas.DataFrame
    by : str
        A canonical field or a column name (see :func:`segment_labels`).
    fields : mapping, optional
        Field -> column; the frame's or the Assessment's by default.
    top : int or None
        The most segments named; the rest become one "Other (N segments)". None names all.
    level : {"auto", "label", "sector"}
        "auto" (the default) shows the industry labels when the folded rest holds no more than the
        largest segment shown, else the sectors when they do better; other fields are always shown
        as written.
    weight : array-like, optional
        What a segment's size is (one number per row; e.g. category mentions); rows by default.

    Returns
    -------
    Segments

    Examples
    --------
    >>> frame = pd.DataFrame({"Industry": ["Banking", "Insurance", "Consumer Finance", "Accounting", "Payroll"]})
    >>> segments(frame, "industry", fields={"industry": "Industry"}, top=2, level="label").order
    ['Accounting', 'Banking', 'Other (3 segments)']
    >>> shown = segments(frame, "industry", fields={"industry": "Industry"}, top=2)
    >>> shown.level, shown.order, shown.title
    ('sector', ['Financial Services', 'Payroll', 'Other (1 segment)'], 'Sector')
    """
    if level not in ("auto", "label", "sector"):
        raise SocAnalysisError(f"level={level!r}: accepted values are 'auto', 'label' and 'sector'")
    _check_top(top)
    frame, fields = _frame_fields(data, fields)
    column = segment_column(frame, by, fields=fields)
    industry = _is_industry(by, column, fields)
    sizes_of = (lambda labels: labels.value_counts()) if weight is None else _weighted(weight)
    chosen = "label" if level == "auto" else level
    labels = segment_labels(frame, by, fields=fields, level=chosen if industry else "label")
    folded = _fold(labels, sizes_of(labels), top)
    if level == "auto" and industry and not _fits(folded):
        sector_labels = segment_labels(frame, by, fields=fields, level="sector")
        by_sector = _fold(sector_labels, sizes_of(sector_labels), top)
        if _rest(by_sector) < _rest(folded):
            chosen, labels, folded = "sector", sector_labels, by_sector
    kept, other, order = folded
    title = "Sector" if chosen == "sector" and industry else str(column)
    return Segments(kept, chosen, str(column), title, other, order)


def order_segments(counts: pd.Series, last: str | None = None) -> list[str]:
    """Largest first, then by name; "(not given)" last among equals; ``last`` at the end.

    >>> order_segments(pd.Series({"(not given)": 2, "Cloud": 2, "Payroll": 5}))
    ['Payroll', 'Cloud', '(not given)']
    """
    frame = pd.DataFrame(
        {
            "last": counts.index == last,
            "n": counts.to_numpy(),
            "blank": counts.index == NOT_GIVEN,
            "name": counts.index.astype(str).str.lower(),
        },
        index=counts.index,
    )
    frame = frame.sort_values(["last", "n", "blank", "name"], ascending=[True, False, True, True], kind="stable")
    return frame.index.tolist()


# --------------------------------------------------------------------------------------------


def _frame_fields(data: Any, fields: Mapping[str, str] | None) -> tuple[pd.DataFrame, Mapping[str, str]]:
    """The frame and its field mapping, from a frame or an Assessment (a higher stage's class)."""
    if isinstance(data, pd.DataFrame):
        return data, fields_of(data, headers=False) if fields is None else fields
    if hasattr(data, "frame") and hasattr(data, "fields"):
        return data.frame, data.fields if fields is None else fields
    raise SocAnalysisError(f"segments take an Assessment or a DataFrame, not {type(data).__name__}")


def _is_industry(by: str, column: str, fields: Mapping[str, str]) -> bool:
    return by in INDUSTRY_FIELDS or any(fields.get(f) == column for f in INDUSTRY_FIELDS)


def _industry_text(text: str, level: str) -> str:
    """The canonical spelling of a label of the industry tables (or its sector); other text as it is."""
    if not text:
        return text
    found = industry_label(text)
    if found is None:
        return text
    label, sector = found
    return label if level == "label" else GICS_SECTORS.get(sector, sector)


def _weighted(weight):
    values = np.asarray(weight, dtype=float)

    def sizes(labels: pd.Series) -> pd.Series:
        return pd.Series(values, index=labels.index).groupby(labels.to_numpy()).sum()

    return sizes


def _check_top(top: object) -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise SocAnalysisError(f"top={top!r}: give a whole number, at least 1, or None")


def _fold(labels: pd.Series, sizes: pd.Series, top: int | None) -> tuple[pd.Series, str | None, list[str]]:
    """Keep the ``top`` largest segments; the rest become "Other (N segments)"."""
    order = order_segments(sizes)
    if top is None or len(order) <= top:
        return labels, None, order
    keep = order[:top]
    rest = len(order) - top
    other = f"Other ({rest} segment{'s' if rest != 1 else ''})"
    while other in keep:  # a real segment already has that name
        other += " "
    folded = labels.where(labels.isin(keep), other)
    return folded, other, [*keep, other]


def _rest(folded: tuple[pd.Series, str | None, list[str]]) -> int:
    """The rows folded into "Other"."""
    labels, other, _ = folded
    return 0 if other is None else int((labels == other).sum())


def _fits(folded: tuple[pd.Series, str | None, list[str]]) -> bool:
    """Whether the folded rest holds no more rows than the largest segment shown."""
    labels, other, order = folded
    if other is None:
        return True
    return _rest(folded) <= int((labels == order[0]).sum())
