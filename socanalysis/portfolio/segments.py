"""Segments as people read them: one label per industry however it is spelled, sectors when there are too many.

An industry or sector cell that is a label of the industry tables (LinkedIn Industries V2 and V1,
GICS: :func:`socanalysis.industry_label`) takes the table's spelling, so "Computer & Network
Security" and "computer and network security" make one segment; other text keeps its own spelling,
trimmed; a blank cell is "(not given)". Other fields (partner, region ...) are their trimmed text.

:func:`segment_labels` gives every row its segment; :func:`segments` decides what a chart shows:
the leading segments, the rest folded into one "Other (N segments)", and, when that "Other" would
outweigh the largest segment shown, the sectors of the industries instead. The summaries, the charts
and the dashboards all count by these two functions. :func:`segment_totals` applies the same rule to
a column of a summary table (the opportunity by industry, summed by sector when the industries are
too many).

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
    "SegmentTotals",
    "Segments",
    "order_segments",
    "segment_column",
    "segment_labels",
    "segment_totals",
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


@dataclass(frozen=True)
class SegmentTotals:
    """A column of a summary table as a chart shows it (:func:`segment_totals`).

    Attributes
    ----------
    values : pandas.Series
        One value per bar, largest first, :attr:`other` last; they add up to the table's column.
    organisations : pandas.Series
        The organisations of each bar (0 when the table has no ``organisations`` column).
    members : mapping of str to pandas.Series
        What each bar holds: the table's segments (or, for "Other" shown by sector, the sectors)
        with their values, largest first. A bar of one segment holds that segment alone.
    level : str
        "label" or "sector".
    title : str
        The axis title: the table's index name, or "Sector".
    other : str or None
        The label of the folded rest, None when nothing is folded.
    """

    values: pd.Series
    organisations: pd.Series
    members: Mapping[str, pd.Series]
    level: str
    title: str
    other: str | None


def segment_totals(
    table: pd.DataFrame,
    value: str = "opportunity_usd",
    *,
    segment: str = "industry",
    top: int | None = DEFAULT_TOP,
    level: str = "auto",
) -> SegmentTotals:
    """A column of a summary table by its leading segments, summed by sector when the industries are too many.

    The rule of :func:`segments`, for a table of :func:`socanalysis.portfolio.summarize` rather than
    rows: the ``top`` segments with the largest ``value`` are named, the rest summed into one
    "Other (N segments)"; when that "Other" would outweigh the largest segment named and the table
    is by industry, the industries are summed by their sectors (the industry tables') instead, if
    that leaves less in "Other". Segments whose value is zero are left out (unless all are).

    Parameters
    ----------
    table : pandas.DataFrame
        One table of :func:`socanalysis.portfolio.summarize`, indexed by segment.
    value : str
        The column to total (``opportunity_usd`` by default; any count column works).
    segment : str
        What the table's rows are (its key in summarize's dict): "industry" and "sector" tables
        may be summed by sector, other tables never are.
    top : int or None
        The most bars named; None names all.
    level : {"auto", "label", "sector"}
        "auto" (the default) as above; "label" never sums by sector; "sector" always does (for an
        industry or sector table).

    Returns
    -------
    SegmentTotals

    Examples
    --------
    >>> table = pd.DataFrame({"organisations": [2, 1, 1, 3],
    ...                       "opportunity_usd": [30000.0, 25000.0, 20000.0, 0.0]},
    ...                      index=pd.Index(["Banking", "Insurance", "Payroll", "Food"], name="Industry"))
    >>> segment_totals(table, top=2, level="label").values.to_dict()
    {'Banking': 30000.0, 'Insurance': 25000.0, 'Other (1 segment)': 20000.0}
    >>> shown = segment_totals(table, top=1)
    >>> shown.level, shown.values.to_dict()
    ('sector', {'Financial Services': 55000.0, 'Other (1 segment)': 20000.0})
    >>> shown.members["Financial Services"].to_dict()
    {'Banking': 30000.0, 'Insurance': 25000.0}
    """
    if level not in ("auto", "label", "sector"):
        raise SocAnalysisError(f"level={level!r}: accepted values are 'auto', 'label' and 'sector'")
    _check_top(top)
    if not isinstance(table, pd.DataFrame):
        raise SocAnalysisError(f"segment_totals() takes a summary table (a DataFrame), not {type(table).__name__}")
    if value not in table.columns:
        raise ColumnError(
            f"segment_totals(value={value!r}): the table has no such column; it has "
            + ", ".join(map(repr, map(str, table.columns[:20])))
        )
    names = pd.Index([str(v) for v in table.index], dtype=object)
    values = pd.Series(pd.to_numeric(table[value], errors="coerce").fillna(0.0).to_numpy(dtype=float), index=names)
    orgs = (
        pd.to_numeric(table["organisations"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
        if "organisations" in table.columns
        else np.zeros(len(table), dtype=np.int64)
    )
    orgs = pd.Series(orgs, index=names)
    kept = (values != 0).to_numpy()
    if kept.any():
        values, orgs = values[kept], orgs[kept]
    industry = segment in INDUSTRY_FIELDS
    chosen = "label" if level == "auto" or not industry else level
    bars = _bars(values, orgs, _groups(values.index, chosen), top)
    if level == "auto" and industry and not bars.fits:
        by_sector = _bars(values, orgs, _groups(values.index, "sector"), top)
        if by_sector.rest < bars.rest:
            chosen, bars = "sector", by_sector
    name = table.index.name if table.index.name is not None else segment
    title = "Sector" if chosen == "sector" else str(name)
    return SegmentTotals(bars.values.rename(value), bars.organisations, bars.members, chosen, title, bars.other)


@dataclass(frozen=True)
class _Bars:
    values: pd.Series
    organisations: pd.Series
    members: Mapping[str, pd.Series]
    other: str | None
    rest: float
    fits: bool


def _groups(names: pd.Index, level: str) -> pd.Series:
    """The group of each segment: itself, or its sector (a label the industry tables do not know stays as it is)."""
    if level == "label":
        return pd.Series(list(names), index=names, dtype=object)
    return pd.Series([_industry_text(n, "sector") if n != NOT_GIVEN else n for n in names], index=names, dtype=object)


def _bars(values: pd.Series, orgs: pd.Series, group: pd.Series, top: int | None) -> _Bars:
    """Values summed by group, the ``top`` largest groups named and the rest summed into "Other"."""
    keys = group.to_numpy()
    sums = values.groupby(keys, sort=False).sum()
    counts = orgs.groupby(keys, sort=False).sum()
    order = order_segments(sums)
    keep, folded = (order, []) if top is None or len(order) <= top else (order[:top], order[top:])
    other = None
    if folded:
        other = f"Other ({len(folded)} segment{'s' if len(folded) != 1 else ''})"
        while other in keep:  # a real segment already has that name
            other += " "
    members: dict[str, pd.Series] = {}
    for bar in keep:
        inside = values[(group == bar).to_numpy()]
        members[bar] = inside.loc[order_segments(inside)]
    bar_values = sums.reindex(keep)
    bar_orgs = counts.reindex(keep)
    if other is not None:
        rest = sums.reindex(folded)
        members[other] = rest
        bar_values = pd.concat([bar_values, pd.Series({other: rest.sum()})])
        bar_orgs = pd.concat([bar_orgs, pd.Series({other: counts.reindex(folded).sum()})])
    rest_total = float(sums.reindex(folded).sum()) if folded else 0.0
    largest = float(sums[order[0]]) if order else 0.0
    return _Bars(bar_values, bar_orgs.astype(np.int64), members, other, rest_total, rest_total <= largest)


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
