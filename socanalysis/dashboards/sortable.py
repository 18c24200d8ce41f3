"""The widget behind sortable tables: escaped table HTML whose header buttons say how to sort.

The few lines of JavaScript ride in the widget's state (anywidget): nothing is fetched, and
ipywidgets has no widget that turns a click inside HTML into an event. See
:mod:`socanalysis.dashboards.table` for the HTML and the sorting.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["SortableTable"]

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
