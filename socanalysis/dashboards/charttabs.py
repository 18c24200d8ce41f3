"""The portfolio's chart tabs: which chart is drawn when, and charts kept by filter state.

The chart on the open tab is drawn at once on every change; the other tabs' charts are drawn one
at a time once the page has been still for :data:`IDLE_SECONDS` (so that printing the page shows
every chart, while a change of filter redraws only the chart in view). In a Voilà page's kernel
the first chart waits until the browser holds the page's widgets (:func:`when_page_drawn`), so
that plotly, loading, does not keep the headline figures off the screen.

>>> from socanalysis.dashboards.common import Banner
>>> drawn = []
>>> tabs = ChartTabs(Banner(), figure=lambda key: drawn.append(key), state=lambda: (), rows=lambda: 0)
>>> tabs.redraw()  # no row to draw: a note instead of a chart
>>> tabs.panes["coverage"].note, drawn
('No organisation matches these filters.', [])
"""

from __future__ import annotations

import asyncio
import os
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from .common import Banner, ChartPane
from .figures import CHARTS

__all__ = ["CHARTS_KEPT", "IDLE_SECONDS", "ChartTabs", "in_a_page", "when_page_drawn"]

IDLE_SECONDS = 2.0
"""A page still this long gets its other tabs' charts drawn (for printing)."""

CHARTS_KEPT = 24
"""Charts drawn recently, by filter state: going back to one costs nothing."""


def in_a_page() -> bool:
    """Whether this kernel serves a Voilà page (Voilà names the kernel in ``VOILA_KERNEL_ID``).

    >>> in_a_page()
    False
    """
    return bool(os.environ.get("VOILA_KERNEL_ID"))


def when_page_drawn(callback: Callable[[], Any]) -> widgets.HTML:
    """A hidden widget that calls ``callback()`` once a browser has put it on the page.

    A page draws its widgets in one go: a plotly chart among them keeps the rest (the headline
    figures) off the screen until plotly has loaded and drawn, a second or more on two busy cores.
    A dashboard can show a short note in its chart instead, and draw the chart when this says the
    page holds its widgets: the chart then comes in a message of its own, after the page has
    painted. The browser counts the views it displays of a widget whose ``_view_count`` is a
    number (ipywidgets), and tells the kernel.

    Examples
    --------
    >>> seen = []
    >>> signal = when_page_drawn(lambda: seen.append("drawn"))
    >>> signal._view_count = 1  # what the browser does
    >>> seen
    ['drawn']
    """
    signal = widgets.HTML(layout=widgets.Layout(display="none"))
    signal.add_class("soc-page-drawn")
    signal._view_count = 0

    def changed(change: dict) -> None:
        if change["new"]:
            signal.unobserve(changed, "_view_count")
            callback()

    signal.observe(changed, "_view_count")
    return signal


class ChartTabs:
    """One :class:`ChartPane` per entry of :data:`~socanalysis.dashboards.figures.CHARTS`, in tabs.

    Parameters
    ----------
    banner : Banner
        Where a chart that fails says so.
    figure : callable
        ``figure(key)``: the plotly Figure of chart ``key`` for the rows shown.
    state : callable
        ``state()``: a hashable key of what the charts show (filters, grouping); a chart drawn
        for the same key and chart is shown again from :attr:`cache`.
    rows : callable
        ``rows()``: how many rows the charts would show (none: a note instead of a chart).

    Attributes
    ----------
    panes : dict of str to ChartPane
    tabs : ipywidgets.Tab
    stale : set of str
        The charts that do not show the current state yet.
    waiting : bool
        True in a page's kernel until the page holds its widgets; charts are not drawn meanwhile.
    signal : ipywidgets.HTML or None
        The hidden widget that ends the wait (:func:`when_page_drawn`), to put last on the page.
    """

    def __init__(
        self,
        banner: Banner,
        *,
        figure: Callable[[str], Any],
        state: Callable[[], tuple],
        rows: Callable[[], int],
    ) -> None:
        self.banner = banner
        self._figure, self._state, self._rows = figure, state, rows
        self.panes = {key: ChartPane() for key, _ in CHARTS}
        self.tabs = widgets.Tab(
            children=[self.panes[key].output for key, _ in CHARTS], titles=[title for _, title in CHARTS]
        )
        self.tabs.add_class("soc-chart-tabs")
        self.tabs.observe(self._on_tab, "selected_index")
        self.stale: set[str] = set()
        self.cache: OrderedDict[tuple, tuple] = OrderedDict()  # (chart, state) -> (figure, bundle)
        self._later: asyncio.TimerHandle | None = None
        self.waiting = in_a_page()
        self.signal = when_page_drawn(self._on_page_drawn) if self.waiting else None

    @property
    def visible(self) -> str:
        """The key of the chart on the open tab."""
        return CHARTS[self.tabs.selected_index or 0][0]

    def forget(self) -> None:
        """Drop the charts kept (new data)."""
        self.cache.clear()

    def redraw(self) -> None:
        """Every chart stale; the one in view drawn now, the others when the page is still."""
        self.stale = {key for key, _ in CHARTS}
        self.draw_visible()

    def draw(self, key: str) -> None:
        """Redraw chart ``key`` now (in a page's kernel, once the page is on screen)."""
        pane = self.panes[key]
        if self.waiting:
            pane.message("Drawing the chart…")
            return
        self.stale.discard(key)
        if self._rows() == 0:
            pane.message("No organisation matches these filters.")
            return
        with self.banner.guard("drawing the chart"):
            state = (key, *self._state())
            cached = self.cache.get(state)
            if cached is not None:
                self.cache.move_to_end(state)
                pane.draw(*cached)
                return
            fig = self._figure(key)
            self.cache[state] = (fig, pane.draw(fig))
            while len(self.cache) > CHARTS_KEPT:
                self.cache.popitem(last=False)

    def draw_visible(self) -> None:
        """Redraw the chart on the open tab now, and the other tabs' once the page has been still a while.

        The other tabs' charts are drawn one at a time after :data:`IDLE_SECONDS` without a change
        (only in a running kernel, and once the page holds its widgets).
        """
        self.draw(self.visible)
        self._draw_others_later(IDLE_SECONDS)

    def _draw_others_later(self, delay: float) -> None:
        if self._later is not None:
            self._later.cancel()
            self._later = None
        if not self.stale or self.waiting:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not in a kernel: each tab draws when it is opened
            return
        self._later = loop.call_later(delay, self._draw_one_stale)

    def _draw_one_stale(self) -> None:
        self._later = None
        stale = [key for key, _ in CHARTS if key in self.stale]
        if stale:
            self.draw(stale[0])
            self._draw_others_later(0.05)

    def _on_page_drawn(self) -> None:
        self.waiting = False
        if self.visible in self.stale:
            self.draw_visible()

    def _on_tab(self, change) -> None:
        if self.visible in self.stale:
            self.draw_visible()
