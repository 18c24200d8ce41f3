"""What every chart does before it draws: take its input, check the columns, label and order segments.

A chart takes an :class:`~socanalysis.present.Assessment` (its frame, field mapping and branding
are used) or a frame (its field mapping is read with :func:`socanalysis.load.fields_of`). Text
from the spreadsheet is escaped here before it goes into labels or hover text.

>>> order_segments(pd.Series({"(not given)": 2, "Cloud": 2, "Payroll": 5}))
['Payroll', 'Cloud', '(not given)']
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import ColumnError, SocAnalysisError, ValueParseError
from ..load import fields_of
from ..portfolio import Segments, order_segments, segment_column, segments
from .theme import Branding, load_branding, plotly_template

if TYPE_CHECKING:
    from .assessment import Assessment

__all__ = [
    "BrandingLike",
    "Drawn",
    "check_top",
    "check_values",
    "esc",
    "esc_all",
    "finish",
    "chart_segments",
    "count_axis",
    "order_segments",
    "organisation_names",
    "require",
    "sector_title",
    "unpack",
]

BrandingLike = Branding | Mapping | str | None


class Drawn:
    """What a chart draws from: the frame, its field mapping, the branding, and the Assessment if given."""

    __slots__ = ("assessment", "branding", "fields", "frame")

    def __init__(self, frame: pd.DataFrame, fields: Mapping[str, str], branding: Branding, assessment):
        self.frame, self.fields, self.branding, self.assessment = frame, fields, branding, assessment


def unpack(
    data: Assessment | pd.DataFrame, branding: BrandingLike, columns: Iterable[str], caller: str, producer: str
) -> Drawn:
    """The frame, mapping and branding a chart draws from, after checking the frame has ``columns``.

    ``branding`` wins over the Assessment's when given. A frame is drawn as it is; anything else
    is taken for an Assessment and drawn from its frame, so anything that holds no frame is refused
    as :func:`require` refuses it.
    """
    if isinstance(data, pd.DataFrame):
        require(data, columns, caller, producer)
        return Drawn(data, fields_of(data, headers=False), load_branding(branding), None)
    frame = getattr(data, "frame", None)
    require(data if frame is None else frame, columns, caller, producer)
    brand = data.branding if branding is None else load_branding(branding)
    return Drawn(frame, data.fields, brand, data)


def esc(value: object) -> str:
    """Escape ``&``, ``<`` and ``>`` so plotly shows the text as typed."""
    return html.escape(str(value), quote=False)


def esc_all(values: Iterable[object]) -> list[str]:
    """:func:`esc` of each value."""
    return [esc(v) for v in values]


def require(frame: object, columns: Iterable[str], caller: str, producer: str) -> None:
    """Refuse anything but a frame holding ``columns``, naming the step (``producer``) that adds them."""
    if not isinstance(frame, pd.DataFrame):
        raise SocAnalysisError(f"{caller}() takes a DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(f"{caller}() needs column {missing[0]!r}, which {producer} adds; run {producer} first")


def check_values(frame: pd.DataFrame, column: str, allowed: Iterable[str]) -> pd.Series:
    """The column as text, after checking every value is one of ``allowed`` (every other listed as a case)."""
    values = frame[column].astype(object).where(frame[column].notna(), "").astype(str)
    allowed = tuple(allowed)
    bad = ~values.isin(allowed)
    if bad.any():
        positions = np.flatnonzero(bad.to_numpy())
        raise ValueParseError(
            f"column {column!r} holds {len(positions)} value(s) that are not one of: {', '.join(allowed)}",
            cases=[
                {
                    "row": int(p) + 1,
                    "column": column,
                    "value": values.iloc[p],
                    "problem": "not one of " + ", ".join(allowed),
                }
                for p in positions[:1000]
            ],
        )
    return values


def chart_segments(drawn: Drawn, by: str, top: int | None, caller: str, weight=None) -> Segments:
    """The segments a chart shows (:func:`socanalysis.portfolio.segments`): canonical industry
    labels, the leading ones named, sectors when the labels are too many."""
    check_top(top)
    segment_column(drawn.frame, by, fields=drawn.fields, caller=caller)  # the error names the chart
    return segments(drawn.frame, by, fields=drawn.fields, top=top, weight=weight)


def sector_title(title: str | None, level: str) -> str | None:
    """A title ending "by industry" as it reads when the chart shows sectors ("by sector"), else as it is.

    >>> sector_title("Coverage by Industry", "sector"), sector_title("Coverage by industry", "label")
    ('Coverage by Sector', 'Coverage by industry')
    """
    if level != "sector" or not title or not title.lower().endswith("by industry"):
        return title
    word = title[-len("industry") :]
    return title[: -len(word)] + ("Sector" if word[0].isupper() else "sector")


def check_top(top: object, what: str = "top") -> None:
    """Refuse a ``top`` (or ``limit``) that is not a whole number of at least 1, or None."""
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise SocAnalysisError(f"{what}={top!r}: give a whole number, at least 1, or None")


def count_axis(largest: float) -> dict:
    """Axis settings for counts of organisations: from zero, whole-number ticks (never half an organisation)."""
    axis = {"rangemode": "tozero", "tickformat": ",d"}
    if largest < 10:
        axis.update(tick0=0, dtick=1)
    return axis


def finish(
    fig: go.Figure, branding: Branding, title: str | None, *, height: int | None = None, legend_title: str | None = None
) -> go.Figure:
    """Apply the firm's template, the height, the (escaped) title and legend title."""
    fig.update_layout(template=plotly_template(branding), height=height)
    if title:
        fig.update_layout(title_text=esc(title))
    if legend_title:
        fig.update_layout(legend_title_text=esc(legend_title))
    return fig


def organisation_names(drawn: Drawn) -> pd.Series:
    """Organisation labels: the name field, "(row N)" when blank, "Name (row N)" when repeated."""
    frame = drawn.frame
    rows = pd.Series(np.arange(1, len(frame) + 1), index=frame.index).astype(str)
    column = drawn.fields.get("name")
    if column is None:
        return "Row " + rows
    values = frame[column].astype(object)
    names = values.where(values.notna(), "").astype(str).str.strip()
    repeated = names.duplicated(keep=False) & (names != "")
    names = names.where(~repeated, names + " (row " + rows + ")")
    return names.where(names != "", "(row " + rows + ")")
