"""The organisations of the portfolio dashboard: the table of every row, and one organisation's details.

The table is built once per portfolio (:func:`display_table`); the filters pick rows from it and
the column headers sort them (:func:`socanalysis.dashboards.common.sort_positions`). The details
panel finds any organisation by name (:func:`find_names`), whatever page of the table is shown.
Everything is computed here without widgets, and every value reaches the page escaped.

>>> names = pd.Series(["Acme Payroll", "Beta <Cloud>", "acme labs"])
>>> find_names(names.str.casefold(), "ACME").tolist()
[0, 2]
>>> "&lt;Cloud&gt;" in details_html({"Organisation": "Beta <Cloud>", "Report needed": "SOC 2"}, 1)
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..vocabulary import REPORT_VALUES, STATUSES
from .common import Banner, date_text, fmt_money, row, text_values

__all__ = [
    "FOUND_SHOWN",
    "TABLE_RESULTS",
    "DetailsPanel",
    "details_html",
    "display_table",
    "find_names",
    "organisation_details",
]

TABLE_RESULTS: tuple[tuple[str, str], ...] = (
    ("soc_report", "Report needed"),
    ("reports_normalised", "Holds"),
    ("coverage_status", "Coverage status"),
    ("renewal_date", "Current until"),
    ("opportunity_usd", "Opportunity (USD)"),
)
"""The result columns of the table after the organisation's own: column and header."""

SORT_ORDERS: dict[str, tuple[str, ...]] = {"Report needed": REPORT_VALUES, "Coverage status": STATUSES}
"""Headers sorted in the vocabulary's order rather than alphabetically."""

FOUND_SHOWN = 50
"""At most this many organisations are offered for a name typed in the details' search."""

_SHOWN_FIELDS = ("name", "industry", "partner", "region")


def display_table(covered: pd.DataFrame, fields: Mapping[str, str], opportunity_usd: np.ndarray) -> pd.DataFrame:
    """The table of every row: the organisation's name, industry, partner and region, then the results.

    Parameters
    ----------
    covered : pandas.DataFrame
        The covered portfolio (``Assessment.frame``).
    fields : dict
        The field mapping (field -> the user's column).
    opportunity_usd : numpy.ndarray
        The estimated opportunity of each row.

    Returns
    -------
    pandas.DataFrame
        One row per organisation, indexed 0 .. n-1 (positions in ``covered``); text as shown,
        the opportunity as a number.
    """
    frame = pd.DataFrame(index=pd.RangeIndex(len(covered)))
    for field in _SHOWN_FIELDS:
        if field in fields:
            column = fields[field]
            frame[column] = text_values(covered[column], "").to_numpy()
    for column, label in TABLE_RESULTS:
        if column == "opportunity_usd":
            frame[label] = np.asarray(opportunity_usd, dtype=float).round(0)
        elif column not in covered.columns:
            frame[label] = ""
        elif column == "renewal_date":
            frame[label] = covered[column].dt.strftime("%Y-%m-%d").fillna("").to_numpy()
        else:
            frame[label] = covered[column].astype(str).to_numpy()
    return frame


def find_names(folded: pd.Series, text: str) -> np.ndarray:
    """The positions of the names (``folded``: casefolded) containing ``text`` in any case, in order.

    Examples
    --------
    >>> find_names(pd.Series(["acme", "beta"]), "  ").tolist()
    []
    """
    text = text.strip().casefold()
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(folded.str.contains(text, regex=False).to_numpy(dtype=bool))


def _cell_text(row: pd.Series, column: str) -> str:
    if column not in row.index:
        return ""
    value = row[column]
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else ""
    if isinstance(value, pd.Timestamp) or (not isinstance(value, str) and pd.isna(value)):
        return date_text(value)
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value).strip()


def organisation_details(
    row: pd.Series, fields: Mapping[str, str], *, name: str, opportunity: Any, opportunity_usd: float
) -> dict[str, str]:
    """What the dashboard says about one organisation (a row of the covered portfolio), as text.

    Only the entries that have something to say are returned, in the order shown.
    """

    def text(column: str) -> str:
        return _cell_text(row, column)

    def field(key: str) -> str:
        return text(fields[key]) if key in fields else ""

    report = text("soc_report")
    confidence = text("confidence")
    out = {
        "Organisation": name,
        "Industry": field("industry"),
        "Engagement partner": field("partner"),
        "Region": field("region"),
        "Report needed": f"{report} ({confidence} confidence)" if confidence else report,
        "Report type": text("report_type"),
        "Trust Services Categories": text("tsc_categories"),
        "SOC 1 control objectives": text("soc1_objectives"),
        "Also consider": text("also_consider"),
        "Why": text("rationale"),
        "Evidence": text("evidence"),
        "Holds": text("reports_normalised") or "No SOC report on record",
        "Coverage": " — ".join(p for p in (text("coverage_status"), text("coverage_note")) if p),
        "Categories not covered": text("tsc_gap"),
        "Period end": text("period_end_date"),
        "Current until": text("renewal_date"),
        "Months since period end": text("months_since_period_end"),
        "Next fiscal year end": text("next_fiscal_year_end"),
        "Bridge letter": text("bridge_letter"),
        "Type 2 due": text("type_upgrade"),
        "What to offer": str(opportunity or ""),
        "Opportunity (USD)": fmt_money(opportunity_usd) if opportunity_usd else "",
        "Could not read": "; ".join(p for p in (text("reports_problem"), text("dates_problem")) if p),
    }
    return {k: v for k, v in out.items() if v}


def details_html(details: Mapping[str, str], position: int) -> str:
    """One organisation's details (:func:`organisation_details`) as escaped HTML; ``position`` is 0-based."""
    details = dict(details)
    name = details.pop("Organisation")
    report = details.get("Report needed", "").split(" (")[0]
    slug = report.lower().replace(" ", "-")
    badge = f'<span class="soc-badge soc-badge-{html.escape(slug, quote=True)}">{html.escape(report)}</span>'
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in details.items())
    return (
        f'<div class="soc-panel" data-row="{int(position) + 1}"><h3>{html.escape(name)} {badge}</h3>'
        f"<dl>{rows}</dl></div>"
    )


class DetailsPanel:
    """ "Find an organisation" and "Details for": one organisation's details, any of the portfolio by name.

    With the search empty, "Details for" offers the rows of the table's page shown
    (:meth:`show_page`); a name typed offers every organisation whose name contains it, whatever
    the filters and the page (at most :data:`FOUND_SHOWN`).

    Parameters
    ----------
    banner : Banner
        Where a failure is shown.

    Attributes
    ----------
    find : ipywidgets.Text
    pick : ipywidgets.Dropdown
        Options ``(label, 0-based row)``.
    found : ipywidgets.HTML
        How many names match.
    detail : ipywidgets.HTML
        The details of the organisation picked.
    widget : ipywidgets.VBox
    """

    def __init__(self, banner: Banner) -> None:
        self.banner = banner
        self.names = pd.Series([], dtype=object)
        self._folded = self.names
        self.render: Callable[[int], str] = lambda position: ""
        self._page: list[int] = []
        self._quiet = False
        self.find = widgets.Text(
            placeholder="Type part of a name…",
            description="Find an organisation",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="300px"),
        )
        self.find.add_class("soc-find")
        self.find.observe(self._on_find, "value")
        self.pick = widgets.Dropdown(
            options=[],
            description="Details for",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="320px"),
        )
        self.pick.add_class("soc-pick")
        self.pick.observe(self._on_pick, "value")
        self.found = widgets.HTML()
        self.found.add_class("soc-found")
        self.detail = widgets.HTML()
        self.detail.add_class("soc-detail")
        self.widget = widgets.VBox([row([self.find, self.pick]), self.found, self.detail])

    def set_portfolio(self, names: pd.Series, render: Callable[[int], str], folded: pd.Series | None = None) -> None:
        """A new portfolio: its names (by 0-based row) and the function drawing one's details.

        ``folded``: the names casefolded, when the caller holds them already (a long list is
        then not folded twice).
        """
        self.names = names.reset_index(drop=True)
        self._folded = self.names.str.casefold() if folded is None else folded.reset_index(drop=True)
        self.render = render
        self._page = []
        self._quiet = True
        try:
            self.find.value = ""
        finally:
            self._quiet = False
        self.found.value = ""

    def search(self, text: str) -> np.ndarray:
        """The rows (0-based) of every organisation whose name contains ``text``, any case."""
        return find_names(self._folded, text)

    def show_page(self, positions: list[int]) -> None:
        """The rows of the table's page shown, offered while nothing is typed."""
        self._page = [int(p) for p in positions]
        if not self.find.value.strip():
            self.offer(self._page)

    def offer(self, positions: list[int], picked: int | None = None) -> None:
        """Offer these organisations (0-based rows) and show the details of ``picked`` (one of
        them), else of the first one."""
        options = [(f"{self.names.iloc[i]}  (row {i + 1})", int(i)) for i in positions]
        self._quiet = True
        try:
            self.pick.options = options
            chosen = [v for _, v in options if v == picked]
            self.pick.value = chosen[0] if chosen else (options[0][1] if options else None)
        finally:
            self._quiet = False
        self.detail.value = self.render(self.pick.value) if options else ""

    def _on_find(self, change) -> None:
        if self._quiet:
            return
        text = str(change["new"]).strip()
        with self.banner.guard("finding the organisation"):
            if not text:
                self.found.value = ""
                self.offer(self._page)
                return
            found = self.search(text)
            self.offer(found[:FOUND_SHOWN].tolist())
            shown = html.escape(text)
            if len(found) == 0:
                note = f"No organisation's name contains “{shown}”."
            elif len(found) > FOUND_SHOWN:
                note = f"{len(found):,} names contain “{shown}”; the first {FOUND_SHOWN} are listed: type more."
            else:
                note = "One name contains" if len(found) == 1 else f"{len(found):,} names contain"
                note = f"{note} “{shown}”."
            self.found.value = f'<span class="soc-note">{note} Filters do not apply here.</span>'

    def _on_pick(self, change) -> None:
        if self._quiet:
            return
        with self.banner.guard("showing the organisation"):
            self.detail.value = self.render(change["new"])
