"""A table whose column headers sort it: click a header, or Tab to it and press Enter or Space.

The table is built in Python as escaped HTML (:func:`socanalysis.dashboards.common.html_table`
with ``sort=``): each header holds a ``<button>`` and says how the table is sorted
(``aria-sort``), so a keyboard or a screen reader finds the same controls as a mouse.
:class:`SortableTable` shows that HTML and hands a click on a header back to Python
(``sort``: the column and whether descending), which sorts the rows (:func:`sort_positions`) and sends the
page again. The few lines of JavaScript ride in the widget's state (anywidget): nothing is
fetched, and ipywidgets has no widget that turns a click inside HTML into an event.

>>> table = pd.DataFrame({"Client": ["b", "", "A"], "Fee": [2.0, 1.0, None]})
>>> sort_positions(table, np.arange(3), "Client").tolist()  # any case, blanks last
[2, 0, 1]
>>> sort_positions(table, np.arange(3), "Fee", descending=True).tolist()
[0, 1, 2]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import anywidget
import numpy as np
import pandas as pd
import traitlets

__all__ = ["SortableTable", "sort_positions"]

_ESM = """
function render({ model, el }) {
  el.classList.add("soc-sortable");
  const draw = () => {
    const active = document.activeElement;
    const focused = active && el.contains(active) && active.dataset ? active.dataset.sort : null;
    el.innerHTML = model.get("value");
    if (focused !== null && focused !== undefined) {
      const again = [...el.querySelectorAll("button[data-sort]")].find((b) => b.dataset.sort === focused);
      if (again) again.focus();
    }
  };
  el.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-sort]");
    if (!button || !el.contains(button)) return;
    const column = button.dataset.sort;
    const [current, descending] = model.get("sort");
    model.set("sort", [column, current === column ? !descending : false]);
    model.save_changes();
  });
  model.on("change:value", draw);
  draw();
}
export default { render };
"""


class SortableTable(anywidget.AnyWidget):
    """Escaped table HTML (``value``) whose header buttons set ``sort``: ``(column, descending)``.

    A click on the sorted column's header reverses the order; a click on another sorts by it,
    ascending; ``("", False)`` is the file's order. Python observes ``sort`` and sets ``value``
    to the sorted page.
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    sort = traitlets.Tuple(traitlets.Unicode(), traitlets.Bool(), default_value=("", False)).tag(sync=True)


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
