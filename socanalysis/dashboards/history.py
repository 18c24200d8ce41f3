"""The History view of the portfolio dashboard: saved snapshots, what changed between two, and the trend.

It is the page's second tab (:class:`PageTabs`: "Portfolio" and "History"), built when first
opened, so that reading the snapshots and drawing the trend never delay the page's first content.
"Save this assessment" keeps the whole assessment shown, whatever the filters
(:func:`socanalysis.review.save_snapshot`, dated its ``as_of``); two drop-downs pick the snapshots
to compare (the latest and the one before it by default); the changes (new and closed gaps,
renewed, lapsed, new and departed clients) are counted and listed
(:func:`socanalysis.review.compare_snapshots`), and a chart shows the share covered and current
across every snapshot (:func:`socanalysis.review.trend`). Every value reaches the page escaped.
Everything but the widgets is plain functions, tested without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from .. import review
from .common import Banner, ChartPane, row

__all__ = ["HistoryView", "PageTabs", "changes_html", "snapshot_options", "trend_figure"]

SHOWN_CHANGES = 200
"""At most this many changed organisations are listed (the counts cover them all)."""


def snapshot_options(shots: pd.DataFrame) -> list[tuple[str, int]]:
    """Drop-down options ``(label, id)`` for the snapshots, newest first.

    Examples
    --------
    >>> shots = pd.DataFrame({"id": [1, 2], "as_of": ["2026-03-31", "2026-06-30"], "label": ["Q1", None],
    ...                       "organisations": [10, 12]})
    >>> snapshot_options(shots)
    [('2026-06-30 (12 organisations) #2', 2), ('2026-03-31 Q1 (10 organisations) #1', 1)]
    """
    out = []
    for shot in shots.iloc[::-1].itertuples(index=False):
        label = f" {shot.label}" if isinstance(shot.label, str) and shot.label else ""
        out.append((f"{shot.as_of}{label} ({shot.organisations:,} organisations) #{shot.id}", int(shot.id)))
    return out


def changes_html(changes: pd.DataFrame, *, limit: int = SHOWN_CHANGES) -> str:
    """The counts per kind of change and the organisations that changed, as escaped HTML.

    Examples
    --------
    >>> changes = pd.DataFrame({"organisation": ["<b>Acme</b>"], "change": ["new gap"], "old_status": ["Covered"],
    ...                         "new_status": ["Gap: SOC 1"]})
    >>> page = changes_html(changes)
    >>> "1 new gap" in page, "&lt;b&gt;Acme" in page, "<b>Acme" in page
    (True, True, False)
    """
    esc = html.escape
    counts = changes["change"].value_counts()
    badges = "".join(
        f'<span class="soc-change soc-change-{esc(c.replace(" ", "-"))}">{int(counts.get(c, 0)):,} {esc(c)}</span> '
        for c in review.CHANGES
    )
    if changes.empty:
        return f'<div class="soc-changes">{badges}<p class="soc-note">Nothing changed.</p></div>'
    rows = []
    for item in changes.head(limit).itertuples(index=False):
        cells = (item.change, item.organisation, item.old_status, item.new_status)
        rows.append("<tr>" + "".join(f"<td>{esc('' if pd.isna(v) else str(v))}</td>" for v in cells) + "</tr>")
    more = (
        f'<p class="soc-note">The first {limit:,} of {len(changes):,} are listed.</p>' if len(changes) > limit else ""
    )
    return (
        f'<div class="soc-changes">{badges}<table class="soc-table"><thead><tr><th>Change</th><th>Organisation</th>'
        f"<th>Was</th><th>Now</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{more}</div>"
    )


def trend_figure(trend: pd.DataFrame) -> go.Figure:
    """The share of organisations covered and current (of those that need a report), snapshot by snapshot.

    Examples
    --------
    >>> trend = pd.DataFrame({"as_of": ["2026-03-31", "2026-06-30"], "covered_share": [0.5, 0.75],
    ...                       "covered": [5, 9], "needs_report": [10, 12], "label": ["Q1", "Q2"]})
    >>> list(trend_figure(trend).data[0].y)
    [50.0, 75.0]

    Snapshots close together (or of one day) get a month either side, so the axis reads in days:

    >>> trend_figure(trend.assign(as_of="2026-06-30")).layout.xaxis.range
    ('2026-05-31', '2026-07-30')
    """
    share = (pd.to_numeric(trend["covered_share"], errors="coerce") * 100).round(1)
    dates = pd.to_datetime(trend["as_of"])
    xaxis = {"title": "As of", "type": "date", "tickformat": "%Y-%m-%d"}
    if len(dates) and dates.max() - dates.min() < pd.Timedelta(days=60):
        pad = pd.Timedelta(days=30)
        xaxis["range"] = [f"{dates.min() - pad:%Y-%m-%d}", f"{dates.max() + pad:%Y-%m-%d}"]
    text = [f"{c:,} of {n:,}" for c, n in zip(trend["covered"], trend["needs_report"], strict=True)]
    fig = go.Figure(
        go.Scatter(
            x=dates,
            y=share.tolist(),
            mode="lines+markers",
            text=text,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}% covered and current (%{text})<extra></extra>",
            name="Covered and current",
        )
    )
    fig.update_layout(
        title="Covered and current, snapshot by snapshot",
        yaxis={"title": "% of organisations that need a report", "range": [0, 100]},
        xaxis=xaxis,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        height=320,
    )
    return fig


class HistoryView:
    """Snapshots of the portfolio: save the one shown, compare two, the trend of coverage.

    Parameters
    ----------
    banner : Banner
        Where a failure is shown.
    current : callable
        Returns the :class:`~socanalysis.Assessment` shown (None before one is loaded).
    workspace, database : optional
        Which store (the default one otherwise).
    """

    def __init__(self, banner: Banner, current: Callable[[], object], *, workspace=None, database=None):
        self.banner, self.current = banner, current
        self.where = {"workspace": workspace, "database": database}
        self.label = widgets.Text(placeholder="A name, e.g. Q2 review", description="Label")
        self.save_button = widgets.Button(
            description="Save this assessment",
            icon="camera",
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.save_button.add_class("soc-save-snapshot")
        self.save_button.on_click(lambda _: self.save())
        self.old = widgets.Dropdown(options=[], description="Compare", layout=widgets.Layout(width="auto"))
        self.new = widgets.Dropdown(options=[], description="with", layout=widgets.Layout(width="auto"))
        self._quiet = False
        for w in (self.old, self.new):
            w.observe(self._on_pick, "value")
        self.message, self.changes = widgets.HTML(), widgets.HTML()
        self.chart = ChartPane()
        note = widgets.HTML(
            '<span class="soc-note">Save this assessment keeps every organisation of the portfolio shown, '
            "whatever the filters, dated as of its coverage date. Compare two saved assessments: new and "
            "closed gaps, renewed, lapsed, new and departed clients.</span>"
        )
        for w, cls in ((self.old, "soc-history-old"), (self.new, "soc-history-new")):
            w.add_class(cls)
        self.changes.add_class("soc-history-changes")
        self.label.add_class("soc-history-label")
        self.message.add_class("soc-history-message")
        self.widget = widgets.VBox(
            [note, row([self.label, self.save_button]), self.message, row([self.old, self.new]), self.chart.output,
             self.changes]
        )  # fmt: skip
        self.widget.add_class("soc-history")
        self.refresh()

    def save(self) -> int | None:
        """Keep a snapshot of the assessment shown; its id (None when there is none to keep)."""
        with self.banner.guard("saving the snapshot"):
            assessment = self.current()
            if assessment is None:
                raise review.ReviewStoreError("load a portfolio first")
            label = self.label.value.strip() or None
            kept = review.save_snapshot(assessment.frame, as_of=assessment.as_of, label=label, **self.where)
            self.message.value = (
                f'<span class="soc-note">Snapshot #{kept} saved, as of {assessment.as_of:%Y-%m-%d}.</span>'
            )
            self.label.value = ""
            self.refresh()
            return kept
        return None

    def refresh(self) -> None:
        """Read the snapshots again; compare the latest with the one before it; draw the trend."""
        with self.banner.guard("reading the snapshots"):
            trend = review.trend(**self.where)
            options = snapshot_options(trend)
            self._quiet = True
            try:
                self.old.options, self.new.options = options, options
                self.new.value = options[0][1] if options else None
                self.old.value = options[1][1] if len(options) > 1 else None
            finally:
                self._quiet = False
            self.compare()
            if len(trend):
                self.chart.draw(trend_figure(trend))
            elif self.chart.figure is not None:  # (clearing an Output never drawn in writes to the terminal)
                self.chart.output.clear_output()
                self.chart.figure = None

    def compare(self) -> pd.DataFrame | None:
        """Compare the two snapshots picked; the changes (None when fewer than two are saved)."""
        if self.old.value is None or self.new.value is None:
            count = len(self.new.options)
            self.changes.value = (
                '<p class="soc-note">'
                + ("No snapshot saved yet." if not count else "One snapshot saved: save another to compare.")
                + "</p>"
            )
            return None
        changes = review.compare_snapshots(self.old.value, self.new.value, **self.where)
        self.changes.value = changes_html(changes)
        return changes

    def _on_pick(self, _change) -> None:
        if not self._quiet:
            with self.banner.guard("comparing the snapshots"):
                self.compare()


class PageTabs:
    """The portfolio page's tabs: "Portfolio" (everything the filters act on) and "History".

    The :class:`HistoryView` is built by ``make_history()`` when the History tab is first opened
    (or :attr:`history` first asked for): until then the page pays nothing for it.

    Examples
    --------
    >>> built = []
    >>> tabs = PageTabs(widgets.VBox(), lambda: built.append(1) or widgets.HTML("history"))
    >>> built, tabs.built
    ([], False)
    >>> tabs.tabs.selected_index = 1  # what opening the tab does
    >>> built, tabs.built, tabs.history.value
    ([1], True, 'history')
    """

    TITLES = ("Portfolio", "History")

    def __init__(self, portfolio: widgets.Widget, make_history: Callable[[], object]) -> None:
        self._make = make_history
        self._history = None
        self.history_box = widgets.VBox(
            [widgets.HTML('<span class="soc-note soc-history-waiting">Opening the history…</span>')]
        )
        self.history_box.add_class("soc-history-tab")
        self.tabs = widgets.Tab(children=[portfolio, self.history_box], titles=list(self.TITLES))
        self.tabs.add_class("soc-page-tabs")
        self.tabs.observe(self._on_tab, "selected_index")

    @property
    def built(self) -> bool:
        """Whether the History view exists yet."""
        return self._history is not None

    @property
    def history(self):
        """The History view (built now if it was not)."""
        if self._history is None:
            self._history = self._make()
            self.history_box.children = [getattr(self._history, "widget", self._history)]
        return self._history

    def _on_tab(self, change) -> None:
        if change["new"] != 1:
            return
        if self._history is None:
            self.history  # noqa: B018 (built on first opening)
        elif hasattr(self._history, "refresh"):  # snapshots saved elsewhere meanwhile (another page, the CLI)
            self._history.refresh()
