"""Tables on a page: escaped HTML, a page at a time, sorted by a click on a column header.

:func:`html_table` builds a frame as escaped HTML; with ``sort=``, each header holds a
``<button>`` and says how the table is sorted (``aria-sort``), so a keyboard (Tab, then Enter or
Space) or a screen reader finds the same controls as a mouse.
:class:`~socanalysis.dashboards.sortable.SortableTable` shows that HTML and hands a click on a
header back to Python (``sort``: the column and whether descending); :func:`sort_positions`
orders the rows and :class:`Pager` sends the page again, a page at a time.

>>> table = pd.DataFrame({"Client": ["b", "", "A"], "Fee": [2.0, 1.0, None]})
>>> sort_positions(table, np.arange(3), "Client").tolist()  # any case, blanks last
[2, 0, 1]
>>> sort_positions(table, np.arange(3), "Fee", descending=True).tolist()
[0, 1, 2]
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

__all__ = ["Pager", "html_table", "sort_positions"]


def sort_positions(
    table: pd.DataFrame,
    positions: np.ndarray,
    column: str,
    *,
    descending: bool = False,
    orders: Mapping[str, Sequence[str]] | None = None,
) -> np.ndarray:
    """``positions`` (rows of ``table``) ordered by ``column``; blanks last either way, ties in table order.

    Text sorts in any case; numbers as numbers; a column named in ``orders`` follows the order
    given there (report needed: SOC 1, SOC 2, Both ...), other values after it.

    Examples
    --------
    >>> table = pd.DataFrame({"Report needed": ["Neither", "SOC 2", "SOC 1"]})
    >>> order = {"Report needed": ("SOC 1", "SOC 2", "Both", "Neither")}
    >>> sort_positions(table, np.array([0, 1, 2]), "Report needed", orders=order).tolist()
    [2, 1, 0]
    """
    positions = np.asarray(positions, dtype=np.int64)
    if column not in table.columns or len(positions) == 0:
        return positions
    values = table[column].iloc[positions]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        key = values.to_numpy(dtype=float)
        blank = np.isnan(key)
        key = np.where(blank, 0.0, key)
    else:
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        blank = (text == "").to_numpy()
        wanted = list((orders or {}).get(column, ()))
        if wanted:
            rank = {value: i for i, value in enumerate(wanted)}
            known = text.map(rank)
            others = text.where(known.isna(), "").str.casefold().rank(method="dense").to_numpy()
            key = np.where(known.notna(), known.to_numpy(dtype=float, na_value=0.0), len(wanted) + others)
        else:
            key = text.str.casefold().rank(method="dense").to_numpy(dtype=float)
    if descending:
        key = -key
    order = np.lexsort((np.arange(len(positions)), key, blank))
    return positions[order]


class Pager:
    """Pages of a table as escaped HTML, with Previous / Next buttons.

    Give it a frame (:meth:`set_frame`) or a row count and a function that builds the rows of one
    page (:meth:`set_source`), so a large table costs only the rows shown.

    Examples
    --------
    >>> pager = Pager(page_size=2)
    >>> pager.set_frame(pd.DataFrame({"Client": ["<b>a</b>", "b", "c"]}))
    >>> pager.label.value, "&lt;b&gt;a&lt;/b&gt;" in pager.table.value
    ('Rows 1–2 of 3', True)
    >>> pager.next.click(); pager.label.value
    'Rows 3–3 of 3'
    """

    def __init__(self, page_size: int = 25, empty: str = "No rows to show.", *, sortable: bool = False) -> None:
        from .sortable import SortableTable

        self.page_size = int(page_size)
        self.empty = empty
        self.sortable = sortable
        self.rows = 0
        self._fetch: Callable[[int, int], pd.DataFrame] = lambda start, stop: pd.DataFrame()
        self.page = 0
        self.table = SortableTable() if sortable else widgets.HTML()
        self.table.add_class("soc-table")
        self._sorting = True
        if sortable:
            self.table.observe(self._on_sort, "sort")
        self.label = widgets.HTML()
        self.label.add_class("soc-pager-label")
        self.previous = widgets.Button(description="Previous", icon="chevron-left", layout=widgets.Layout(width="auto"))
        self.next = widgets.Button(description="Next", icon="chevron-right", layout=widgets.Layout(width="auto"))
        self.previous.add_class("soc-pager-previous")
        self.next.add_class("soc-pager-next")
        self.previous.on_click(lambda _: self.show(self.page - 1))
        self.next.on_click(lambda _: self.show(self.page + 1))
        controls = widgets.HBox([self.previous, self.label, self.next])
        controls.add_class("soc-pager")
        self.widget = widgets.VBox([self.table, controls])
        self.on_page: list[Callable[[pd.DataFrame], None]] = []
        self.on_sort: list[Callable[[], None]] = []

    @property
    def sort(self) -> tuple[str, bool]:
        """The column the table is sorted by and whether descending; ``("", False)``: the rows' own order."""
        return tuple(self.table.sort) if self.sortable else ("", False)

    def sort_by(self, column: str, descending: bool = False) -> None:
        """Sort by ``column`` (a header shown; "" for the rows' own order), as a click on its header does."""
        self.table.sort = (str(column), bool(descending))

    def reset_sort(self) -> None:
        """Back to the rows' own order, without redrawing (a new table is about to be set)."""
        if self.sortable:
            self._sorting = False
            try:
                self.table.sort = ("", False)
            finally:
                self._sorting = True

    def order(self, table: pd.DataFrame, positions: np.ndarray, orders: Mapping[str, Any] | None = None) -> np.ndarray:
        """``positions`` (rows of ``table``) in the order the headers ask for."""
        column, descending = self.sort
        if not column:
            return positions
        return sort_positions(table, positions, column, descending=descending, orders=orders)

    def _on_sort(self, _change: Any) -> None:
        if not self._sorting:
            return
        for callback in self.on_sort:
            callback()
        self.show(0)

    @property
    def pages(self) -> int:
        return max(1, -(-self.rows // self.page_size))

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Show ``frame`` from its first page."""
        self.set_source(len(frame), lambda start, stop: frame.iloc[start:stop])

    def set_source(self, rows: int, fetch: Callable[[int, int], pd.DataFrame]) -> None:
        """Show ``rows`` rows from the first page; ``fetch(start, stop)`` builds the rows of a page."""
        self.rows = int(rows)
        self._fetch = fetch
        self.show(0)

    def show(self, page: int) -> None:
        """Show page ``page`` (0-based; clipped to the pages there are)."""
        self.page = int(np.clip(page, 0, self.pages - 1))
        start = self.page * self.page_size
        rows = self._fetch(start, min(start + self.page_size, self.rows)) if self.rows else pd.DataFrame()
        if self.rows == 0:
            self.table.value = f'<div class="soc-empty">{html.escape(self.empty)}</div>'
            self.label.value = "No rows"
        else:
            sort = self.sort if self.sortable else None
            self.table.value = f'<div class="soc-table-wrap">{html_table(rows, sort=sort)}</div>'
            self.label.value = f"Rows {start + 1:,}–{start + len(rows):,} of {self.rows:,}"
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= self.pages - 1
        for callback in self.on_page:
            callback(rows)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def html_table(
    frame: pd.DataFrame, *, index: bool = False, caption: str | None = None, sort: tuple[str, bool] | None = None
) -> str:
    """A frame as a plain ``<table class="soc-grid">``: every label and cell escaped, no inline styles.

    The dashboards' stylesheet colours it from the branding, so it reads in light and dark mode
    alike. Missing values show as empty cells; numbers get thousands separators.

    With ``sort`` (the column sorted by, "" for none, and whether descending), each column header
    is a button that sorts by it (:class:`~socanalysis.dashboards.sortable.SortableTable`), and says
    how the table is sorted (``aria-sort``, an arrow).

    Examples
    --------
    >>> frame = pd.DataFrame({"Client": ["<img src=x>", None], "Fee": [1234.0, 5.5]})
    >>> html_table(frame)  # doctest: +ELLIPSIS
    '<table class="soc-grid"><thead><tr><th>Client</th><th>Fee</th></tr></thead><tbody><tr><td>&lt;img...'
    >>> "<td></td><td>5.5</td>" in html_table(frame)
    True
    """

    def cell(value: Any) -> str:
        if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
            return ""
        if isinstance(value, (bool, np.bool_)):
            return "Yes" if value else "No"
        if isinstance(value, (int, np.integer)):
            return f"{int(value):,}"
        if isinstance(value, (float, np.floating)):
            return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
        if _ISO_DATE.fullmatch(str(value)):  # a date never breaks at its hyphens
            return f'<span class="soc-nowrap">{value}</span>'
        return html.escape(str(value))

    def header(label: Any) -> str:
        text = html.escape(str(label))
        if sort is None:
            return f"<th>{text}</th>"
        column, descending = sort
        state = ("descending" if descending else "ascending") if str(label) == column else "none"
        mark = {"ascending": "▲", "descending": "▼", "none": "↕"}[state]
        quoted = html.escape(str(label), quote=True)
        return (
            f'<th aria-sort="{state}"><button type="button" class="soc-sort" data-sort="{quoted}"'
            f' title="Sort by {quoted}">{text}<span class="soc-sort-mark" aria-hidden="true">{mark}</span>'
            "</button></th>"
        )

    head = "".join([f"<th>{html.escape(str(frame.index.name or ''))}</th>"] if index else []) + "".join(
        header(c) for c in frame.columns
    )
    columns = [frame.iloc[:, i].tolist() for i in range(frame.shape[1])]
    labels = frame.index.tolist()
    body = []
    for r in range(len(frame)):
        lead = f"<th>{html.escape(str(labels[r]))}</th>" if index else ""
        body.append("<tr>" + lead + "".join(f"<td>{cell(col[r])}</td>" for col in columns) + "</tr>")
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="soc-grid">{title}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
