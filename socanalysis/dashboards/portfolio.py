"""The portfolio dashboard: coverage of a client portfolio, filtered, charted, tabled and exported.

It opens on the bundled sample portfolio (or the file named by ``SOCANALYSIS_PORTFOLIO``); an
upload replaces it. Filters (industry, engagement partner, region, report needed, coverage status
and a name search) update the headline figures, the chart shown and the table together. All the
logic is reachable without a browser:

>>> app = PortfolioApp()
>>> app.headline["organisations"]
200
>>> app.set_filter("soc_report", "SOC 1")
>>> app.headline["organisations"] < 200
True
>>> app.load_upload(b"not,a,portfolio\\n", "bad.csv")
False
>>> app.banner.kind
'error'
"""

from __future__ import annotations

import html
import os
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from .. import charts
from ..classify import classify, field_mapping
from ..coverage import coverage, opportunities, summarize
from ..datasets import load_sample_portfolio
from ..errors import SocAnalysisError
from ..export import export_excel, export_html_report
from ..fields import ATTRS_KEY
from ..loading import load_portfolio
from ..theme import REPORT_NEEDS, STATUSES, Branding
from .common import (
    ALL,
    ENV_PORTFOLIO,
    UPLOAD_ACCEPT,
    XLSX_MIME,
    Banner,
    ChartPane,
    Pager,
    dashboard_branding,
    date_text,
    download_link,
    fmt_count,
    fmt_money,
    follow_page,
    header_html,
    in_a_page,
    kpis_html,
    load_first_upload,
    row,
    safe_filename,
    section_title,
    style_html,
    temp_bytes,
    text_values,
    upload_limit_mb,
    when_page_drawn,
)

__all__ = ["ALL", "CHARTS", "FILTERS", "PortfolioApp", "portfolio_dashboard"]

"""The filter value that keeps every row."""

FILTERS: tuple[tuple[str, str], ...] = (
    ("industry", "Industry"),
    ("partner", "Engagement partner"),
    ("region", "Region"),
    ("soc_report", "Report needed"),
    ("coverage_status", "Coverage status"),
)
"""The filters: a canonical field (through the field mapping) or a result column, and its label."""

CHARTS: tuple[tuple[str, str], ...] = (
    ("coverage", "Coverage"),
    ("needs", "Needs and holdings"),
    ("tsc", "Trust Services Categories"),
    ("renewals", "Renewals"),
    ("opportunity", "Opportunity"),
)
"""The chart tabs, in order: key and title."""

GROUPINGS: tuple[tuple[str, str], ...] = (
    ("industry", "Industry"),
    ("partner", "Engagement partner"),
    ("region", "Region"),
)

_GAPS = ("Gap: SOC 1", "Gap: SOC 2", "Gap: SOC 1 + SOC 2")
_DUE = ("Stale", "Renewal due")
_TABLE_RESULTS = (
    ("soc_report", "Report needed"),
    ("reports_normalised", "Holds"),
    ("coverage_status", "Coverage status"),
    ("renewal_date", "Current until"),
    ("opportunity_usd", "Opportunity (USD)"),
)
_RENEWALS_SHOWN = 150
_CHARTS_KEPT = 24  # charts drawn recently, by filter state: going back to one costs nothing
_SEGMENTS_SHOWN = 12


class PortfolioApp:
    """The portfolio dashboard as an object: widgets plus the state behind them.

    Parameters
    ----------
    portfolio : pandas.DataFrame, str or os.PathLike, optional
        A loaded portfolio (``load_portfolio``; classified or covered already, or not), or a file to
        load. Defaults to the file named by ``SOCANALYSIS_PORTFOLIO``, else the bundled sample.
    as_of : date-like, optional
        The date coverage is judged at; today by default.
    branding : Branding, dict, path or None
        Defaults to :func:`socanalysis.dashboards.common.dashboard_branding`.
    fees : path, dict, FeeSchedule or None
        The fee schedule for the opportunity estimate.
    page_size : int
        Rows per table page.

    Attributes
    ----------
    covered : pandas.DataFrame
        The whole portfolio, classified and covered.
    filters : dict of str to ipywidgets.Dropdown
        One per entry of :data:`FILTERS` (hidden when the portfolio has no such column).
    search : ipywidgets.Text
        Keeps organisations whose name contains the text (any case).
    view : pandas.DataFrame
        The rows the filters keep.
    banner : Banner
    widget : ipywidgets.VBox
        The whole page; displaying the app displays it.

    Examples
    --------
    >>> app = PortfolioApp()
    >>> sorted(app.filters) == sorted(key for key, _ in FILTERS)
    True
    >>> app.table_frame.columns[:3].tolist()
    ['Client', 'Industry', 'Engagement Partner']
    """

    def __init__(
        self,
        portfolio: pd.DataFrame | str | os.PathLike | None = None,
        *,
        as_of: Any = None,
        branding: Branding | Mapping | str | os.PathLike | None = None,
        fees: Any = None,
        page_size: int = 25,
        start: bool = True,
    ) -> None:
        self.branding = dashboard_branding(branding)
        self._themed_by_page = branding is None
        self.as_of = as_of
        self.fees = fees
        self.banner = Banner()
        self._quiet = False
        self._stale: set[str] = set()
        self.covered = pd.DataFrame()
        self.view = pd.DataFrame()
        self._mask = np.zeros(0, dtype=bool)
        self.source_label = ""
        self._portfolio = portfolio
        self._charts: OrderedDict[tuple, tuple] = OrderedDict()
        # In a page's kernel the first chart waits until the page is on screen, so that plotly does
        # not hold the headline figures back (see common.when_page_drawn).
        self._chart_waits = in_a_page()
        self._build_widgets(page_size)
        if start:
            self.start()
        else:
            self.banner.info("Loading the portfolio…")
            if self._chart_waits:
                self.panes[CHARTS[0][0]].message("Loading the portfolio…")
            else:
                self.panes[CHARTS[0][0]].draw(_placeholder(self.branding))

    def start(self) -> None:
        """Load the portfolio given (or named by ``SOCANALYSIS_PORTFOLIO``, or the sample) and draw the page.

        Called by the constructor unless ``start=False``: a notebook can then show the page at once
        (a placeholder chart readies the browser's plotting library) and load the data in its next cell.
        """
        portfolio = self._portfolio
        if portfolio is None and os.environ.get(ENV_PORTFOLIO):
            portfolio = os.environ[ENV_PORTFOLIO]
        with self.banner.guard("loading the portfolio"):
            if portfolio is None:
                self.load(load_sample_portfolio(), label="the sample portfolio (fictional organisations)")
            elif isinstance(portfolio, pd.DataFrame):
                self.load(portfolio, label=str(portfolio.attrs.get(ATTRS_KEY, {}).get("source") or "the portfolio"))
            else:
                self.load(load_portfolio(portfolio), label=os.path.basename(str(portfolio)))
            if self.banner.message == "Loading the portfolio…":
                self.banner.clear()
        if self.covered.empty:  # the given file failed: fall back on the sample so the page still works
            message, details = self.banner.message, self.banner.details
            self.load(load_sample_portfolio(), label="the sample portfolio (fictional organisations)")
            self.banner.error(message, details)

    # ----------------------------------------------------------------------------------------
    # widgets
    # ----------------------------------------------------------------------------------------

    def _build_widgets(self, page_size: int) -> None:
        brand = self.branding
        self.style = widgets.HTML(style_html(brand))
        self.header = widgets.HTML(header_html(brand, "Portfolio SOC coverage"))
        self.source = widgets.HTML()
        self.source.add_class("soc-note")

        limit = upload_limit_mb()
        self.upload = widgets.FileUpload(
            accept=UPLOAD_ACCEPT, multiple=False, description="Upload a portfolio", layout=widgets.Layout(width="auto")
        )
        self.upload.add_class("soc-upload")
        self.upload.observe(self._on_upload, "value")
        self.sample_button = widgets.Button(
            description="Use the sample portfolio", icon="refresh", layout=widgets.Layout(width="auto")
        )
        self.sample_button.add_class("soc-sample")
        self.sample_button.on_click(self._on_sample)
        upload_note = widgets.HTML(
            f'<span class="soc-note">CSV, TSV, XLSX, Parquet or JSON, up to {limit:,} MB; one row per '
            "organisation. The file stays on this server.</span>"
        )

        self.filters: dict[str, widgets.Dropdown] = {}
        for key, label in FILTERS:
            dropdown = widgets.Dropdown(
                options=[ALL],
                value=ALL,
                description=label,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", min_width="220px"),
            )
            dropdown.add_class(f"soc-filter-{key.replace('_', '-')}")
            dropdown.observe(self._on_filter, "value")
            self.filters[key] = dropdown
        self.search = widgets.Text(
            placeholder="Organisation name contains…",
            description="Search",
            continuous_update=False,
            layout=widgets.Layout(width="auto", min_width="260px"),
        )
        self.search.add_class("soc-search")
        self.search.observe(self._on_filter, "value")
        self.reset_button = widgets.Button(
            description="Clear filters", icon="times", layout=widgets.Layout(width="auto")
        )
        self.reset_button.add_class("soc-clear-filters")
        self.reset_button.on_click(lambda _: self.clear_filters())

        self.kpis = widgets.HTML()
        self.kpis.add_class("soc-kpis-host")

        self.group_by = widgets.Dropdown(
            options=[(label, key) for key, label in GROUPINGS],
            value="industry",
            description="Charts by",
            layout=widgets.Layout(width="auto"),
        )
        self.group_by.add_class("soc-group-by")
        self.group_by.observe(self._on_group, "value")
        self.panes = {key: ChartPane() for key, _ in CHARTS}
        self.tabs = widgets.Tab(
            children=[self.panes[key].output for key, _ in CHARTS], titles=[title for _, title in CHARTS]
        )
        self.tabs.add_class("soc-chart-tabs")
        self.tabs.observe(self._on_tab, "selected_index")

        self.pager = Pager(page_size=page_size, empty="No organisation matches these filters.")
        self.pager.on_page.append(self._on_page)
        self.pick = widgets.Dropdown(
            options=[],
            description="Details for",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", min_width="320px"),
        )
        self.pick.add_class("soc-pick")
        self.pick.observe(self._on_pick, "value")
        self.detail = widgets.HTML()
        self.detail.add_class("soc-detail")

        self.workbook_button = widgets.Button(
            description="Prepare the workbook (XLSX)", icon="file-excel-o", layout=widgets.Layout(width="auto")
        )
        self.workbook_button.add_class("soc-prepare-xlsx")
        self.workbook_button.on_click(lambda _: self.prepare_workbook())
        self.report_button = widgets.Button(
            description="Prepare the meeting report (HTML)", icon="file-text-o", layout=widgets.Layout(width="auto")
        )
        self.report_button.add_class("soc-prepare-html")
        self.report_button.on_click(lambda _: self.prepare_report())
        self.downloads = widgets.HTML()
        self.downloads.add_class("soc-downloads")

        filters_box = row([*self.filters.values(), self.search, self.reset_button], cls="soc-filters")
        self.widget = widgets.VBox(
            [
                self.style,
                self.header,
                self.banner.widget,
                row([self.upload, self.sample_button, upload_note]),
                self.source,
                section_title("Filters"),
                filters_box,
                self.kpis,
                row([section_title("Charts"), self.group_by]),
                self.tabs,
                section_title("Organisations"),
                self.pager.widget,
                widgets.VBox([self.pick, self.detail]),
                section_title("Downloads"),
                widgets.HTML(
                    '<span class="soc-note">The workbook and the report hold the organisations the filters keep.</span>'
                ),
                row([self.workbook_button, self.report_button]),
                self.downloads,
                *([when_page_drawn(self._on_page_drawn)] if self._chart_waits else []),
            ]
        )
        self.widget.add_class("soc-app")
        if brand.dark:
            self.widget.add_class("soc-dark")

    def _repr_mimebundle_(self, **kwargs):
        if self._themed_by_page:
            follow_page(self, self._fresh)
        return self.widget._repr_mimebundle_(**kwargs)

    def _fresh(self) -> PortfolioApp:
        """A new app on the same portfolio, in the page's theme, started if this one is."""
        fresh = PortfolioApp(
            self._portfolio, as_of=self.as_of, fees=self.fees, page_size=self.pager.page_size, start=False
        )
        if not self.covered.empty:
            fresh.start()
        return fresh

    # ----------------------------------------------------------------------------------------
    # data
    # ----------------------------------------------------------------------------------------

    def load(self, portfolio: pd.DataFrame, *, label: str = "the portfolio") -> None:
        """Classify (when needed), judge coverage, reset the filters and redraw everything.

        Parameters
        ----------
        portfolio : pandas.DataFrame
            From ``load_portfolio``; a frame with ``soc_report`` is not classified again, one with
            ``coverage_status`` is used as it is.
        label : str
            Where the rows came from, shown above the filters.
        """
        if not isinstance(portfolio, pd.DataFrame):
            raise SocAnalysisError(f"PortfolioApp.load() takes a DataFrame, not {type(portfolio).__name__}")
        frame = portfolio if "soc_report" in portfolio.columns else classify(portfolio)
        covered = frame if "coverage_status" in frame.columns else coverage(frame, self.as_of)
        opp = opportunities(covered, self.fees)
        self.covered = covered
        self._opportunity = opp["opportunity"].to_numpy(dtype=object)
        self._opportunity_usd = opp["opportunity_usd"].to_numpy(dtype=float)
        self._fields = field_mapping(covered)
        name_column = self._fields.get("name")
        names = text_values(covered[name_column], "") if name_column else pd.Series([""] * len(covered))
        rows = pd.Series(np.arange(1, len(covered) + 1), index=covered.index).astype(str)
        self._names = names.where(names != "", "(row " + rows + ")").reset_index(drop=True)
        self._names_folded = self._names.str.casefold()
        self._status = pd.Categorical(covered["coverage_status"].astype(str), categories=list(STATUSES))
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}
        for key, _ in FILTERS:
            if key in ("soc_report", "coverage_status"):
                order = REPORT_NEEDS if key == "soc_report" else STATUSES
                values = covered[key].astype(str)
                present = set(values.unique())
                categories = [v for v in order if v in present]
            else:
                column = self._fields.get(key)
                if column is None:
                    self._codes[key] = (np.zeros(len(covered), dtype=np.int64), [])
                    continue
                values = text_values(covered[column])
                categories = sorted(set(values.unique()) - {"(not given)"}, key=str.casefold)
                if (values == "(not given)").any():
                    categories.append("(not given)")
            codes = pd.Categorical(values, categories=categories).codes.astype(np.int64)
            self._codes[key] = (codes, categories)
        self._table = self._display_table()
        self._charts: OrderedDict[tuple, tuple] = OrderedDict()  # filter state -> (figure, bundle)
        self.source_label = label
        self._quiet = True
        try:
            for key, dropdown in self.filters.items():
                categories = self._codes[key][1]
                dropdown.options = [ALL, *categories]
                dropdown.value = ALL
                dropdown.layout.display = "" if categories else "none"
            self.search.value = ""
            groupings = [(lab, key) for key, lab in GROUPINGS if key in self._fields]
            self.group_by.options = groupings or [("Row", "industry")]
            self.group_by.value = groupings[0][1] if groupings else "industry"
            self.group_by.layout.display = "" if len(groupings) > 1 else "none"
        finally:
            self._quiet = False
        self.source.value = (
            f"Showing {html.escape(label)}: {len(covered):,} organisations, coverage as of "
            f"{html.escape(self.as_of_text)}."
        )
        self.refresh()

    @property
    def as_of_text(self) -> str:
        as_of = self.covered.attrs.get(ATTRS_KEY, {}).get("coverage", {}).get("as_of", self.as_of)
        return date_text(pd.Timestamp(as_of)) if as_of is not None else date_text(pd.Timestamp.today())

    def load_upload(self, content: bytes | memoryview, name: str) -> bool:
        """Load an uploaded file's bytes; True when it worked, else the banner says why.

        Examples
        --------
        >>> app = PortfolioApp()
        >>> app.load_upload(b"", "empty.csv"), app.banner.kind
        (False, 'error')
        >>> app.load_upload(b"Client,Services\\nAcme Payroll,payroll processing\\n", "one.csv")
        True
        >>> app.headline["organisations"], app.banner.kind
        (1, 'info')
        """
        limit = upload_limit_mb()
        size = len(content)
        if size > limit * 1024 * 1024:
            self.banner.error(
                f"{name!r} is {size / 1024 / 1024:,.0f} MB; the limit here is {limit:,} MB. "
                "Split the file or keep only the columns needed."
            )
            return False
        with self.banner.guard(f"reading {name!r}"):
            frame = load_portfolio(bytes(content), name=name)
            self.load(frame, label=name)
            self.banner.info(f"Loaded {name}: {len(frame):,} organisations.")
            return True
        return False

    # ----------------------------------------------------------------------------------------
    # filters
    # ----------------------------------------------------------------------------------------

    def set_filter(self, key: str, value: str) -> None:
        """Set one filter (a key of :data:`FILTERS`) to a value it offers, or ``"All"``."""
        if key not in self.filters:
            raise SocAnalysisError(f"no filter {key!r}; accepted: {', '.join(map(repr, self.filters))}")
        dropdown = self.filters[key]
        if value not in dropdown.options:
            shown = ", ".join(map(repr, list(dropdown.options)[:12]))
            raise SocAnalysisError(f"filter {key!r} has no value {value!r}; it offers {shown}")
        dropdown.value = value

    def clear_filters(self) -> None:
        """Every filter back to "All" and the search emptied."""
        self._quiet = True
        try:
            for dropdown in self.filters.values():
                dropdown.value = ALL
            self.search.value = ""
        finally:
            self._quiet = False
        self.refresh()

    def apply_filters(self) -> np.ndarray:
        """The boolean mask of the rows every filter keeps (also stored as :attr:`view`)."""
        mask = np.ones(len(self.covered), dtype=bool)
        for key, dropdown in self.filters.items():
            value = dropdown.value
            codes, categories = self._codes[key]
            if value != ALL and value in categories:
                mask &= codes == categories.index(value)
        text = self.search.value.strip().casefold()
        if text:
            mask &= self._names_folded.str.contains(text, regex=False).to_numpy(dtype=bool)
        self._mask = mask
        self._positions = np.flatnonzero(mask)
        self.view = self.covered[mask]
        return mask

    @property
    def headline(self) -> dict[str, Any]:
        """The headline figures of the rows shown.

        Keys: ``organisations``, ``covered``, ``gaps`` (missing a needed report), ``renewals``
        (stale or renewal due), ``not_needed`` and ``opportunity_usd``.
        """
        mask = self._mask
        counts = np.bincount(self._status.codes[mask] + 1, minlength=len(STATUSES) + 1)[1:]
        by_status = dict(zip(STATUSES, counts.tolist(), strict=True))
        return {
            "organisations": int(mask.sum()),
            "covered": by_status["Covered"],
            "gaps": sum(by_status[s] for s in _GAPS),
            "renewals": sum(by_status[s] for s in _DUE),
            "not_needed": by_status["Not needed"],
            "opportunity_usd": float(self._opportunity_usd[mask].sum()),
        }

    def _headline_html(self) -> str:
        h = self.headline
        needed = h["organisations"] - h["not_needed"]
        share = f" ({h['covered'] / needed:.0%})" if needed else ""
        return kpis_html(
            [
                ("organisations", "Organisations", fmt_count(h["organisations"])),
                ("covered", "Covered and current", fmt_count(h["covered"]) + share),
                ("gaps", "Missing a report they need", fmt_count(h["gaps"])),
                ("renewals", "Stale or due for renewal", fmt_count(h["renewals"])),
                ("opportunity", "Estimated opportunity", fmt_money(h["opportunity_usd"])),
            ]
        )

    def _display_table(self) -> pd.DataFrame:
        """The table of every row, built once per portfolio (the filters only pick rows from it)."""
        fields, covered = self._fields, self.covered
        frame = pd.DataFrame(index=pd.RangeIndex(len(covered)))
        for field in ("name", "industry", "partner", "region"):
            if field in fields:
                column = fields[field]
                frame[column] = text_values(covered[column], "").to_numpy()
        for column, label in _TABLE_RESULTS:
            if column == "opportunity_usd":
                frame[label] = self._opportunity_usd.round(0)
            elif column not in covered.columns:
                frame[label] = ""
            elif column == "renewal_date":
                frame[label] = covered[column].dt.strftime("%Y-%m-%d").fillna("").to_numpy()
            else:
                frame[label] = covered[column].astype(str).to_numpy()
        return frame

    @property
    def table_frame(self) -> pd.DataFrame:
        """The table of the rows shown: the organisation's columns, then the results, readable names.

        The index holds each row's 0-based position in :attr:`covered`.
        """
        return self._table.iloc[self._positions]

    # ----------------------------------------------------------------------------------------
    # drawing
    # ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Apply the filters and update the figures, the visible chart, the table and the details."""
        self.apply_filters()
        self.kpis.value = self._headline_html()
        self._stale = {key for key, _ in CHARTS}
        self.draw_visible()
        self.pager.set_source(len(self._positions), lambda start, stop: self._table.iloc[self._positions[start:stop]])
        self.downloads.value = ""

    def figure(self, key: str):
        """The plotly Figure of chart ``key`` (see :data:`CHARTS`) for the rows shown."""
        view, brand, by = self.view, self.branding, self.group_by.value
        by_label = dict(GROUPINGS).get(by, by).lower()
        if key == "coverage":
            return charts.coverage_by_industry(
                view, by=by, top=_SEGMENTS_SHOWN, branding=brand, title=f"Coverage by {by_label}"
            )
        if key == "needs":
            return charts.portfolio_sunburst(view, by=by, branding=brand)
        if key == "tsc":
            return charts.tsc_heatmap(
                view,
                by=by,
                top=_SEGMENTS_SHOWN,
                branding=brand,
                title=f"Trust Services Categories needed, by {by_label}",
            )
        if key == "renewals":
            return charts.renewal_timeline(
                view,
                limit=_RENEWALS_SHOWN,
                branding=brand,
                title=f"Report currency: the {_RENEWALS_SHOWN} reports nearest their 12-month mark",
            )
        if key == "opportunity":
            tables = summarize(view, by=[by], fees=self.fees)
            return charts.opportunity_by_segment(
                tables, segment=by, top=_SEGMENTS_SHOWN, branding=brand, title=f"Estimated opportunity by {by_label}"
            )
        raise SocAnalysisError(f"no chart {key!r}; accepted: {', '.join(k for k, _ in CHARTS)}")

    @property
    def visible_chart(self) -> str:
        return CHARTS[self.tabs.selected_index or 0][0]

    def draw(self, key: str) -> None:
        """Redraw chart ``key`` now (in a page's kernel, once the page is on screen)."""
        pane = self.panes[key]
        if self._chart_waits:
            pane.message("Drawing the chart…")
            return
        self._stale.discard(key)
        if len(self.view) == 0:
            pane.message("No organisation matches these filters.")
            return
        with self.banner.guard("drawing the chart"):
            state = (
                key,
                self.group_by.value,
                self.search.value.strip().casefold(),
                *(dropdown.value for dropdown in self.filters.values()),
            )
            cached = self._charts.get(state)
            if cached is not None:
                self._charts.move_to_end(state)
                pane.draw(*cached)
                return
            fig = self.figure(key)
            self._charts[state] = (fig, pane.draw(fig))
            while len(self._charts) > _CHARTS_KEPT:
                self._charts.popitem(last=False)

    def draw_visible(self) -> None:
        """Redraw the chart on the open tab (the others are redrawn when opened)."""
        self.draw(self.visible_chart)

    def _on_page(self, rows: pd.DataFrame) -> None:
        options = [(f"{self._names.iloc[i]}  (row {i + 1})", int(i)) for i in rows.index]
        self._quiet = True
        try:
            self.pick.options = options
            self.pick.value = options[0][1] if options else None
        finally:
            self._quiet = False
        self.detail.value = self.detail_html(self.pick.value) if options else ""

    # ----------------------------------------------------------------------------------------
    # one organisation
    # ----------------------------------------------------------------------------------------

    def details(self, position: int) -> dict[str, str]:
        """What the dashboard says about the organisation at row ``position`` (0-based), as text."""
        row = self.covered.iloc[int(position)]
        fields = self._fields

        def text(column: str) -> str:
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

        report = text("soc_report")
        confidence = text("confidence")
        out = {
            "Organisation": self._names.iloc[int(position)],
            "Industry": text(fields["industry"]) if "industry" in fields else "",
            "Engagement partner": text(fields["partner"]) if "partner" in fields else "",
            "Region": text(fields["region"]) if "region" in fields else "",
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
            "Opportunity": str(self._opportunity[int(position)] or ""),
            "Opportunity (USD)": fmt_money(self._opportunity_usd[int(position)])
            if self._opportunity_usd[int(position)]
            else "",
            "Could not read": "; ".join(p for p in (text("reports_problem"), text("dates_problem")) if p),
        }
        return {k: v for k, v in out.items() if v}

    def detail_html(self, position: int | None) -> str:
        """The details of one organisation as escaped HTML."""
        if position is None:
            return ""
        details = self.details(position)
        name = details.pop("Organisation")
        report = details.get("Report needed", "").split(" (")[0]
        slug = report.lower().replace(" ", "-")
        badge = f'<span class="soc-badge soc-badge-{html.escape(slug, quote=True)}">{html.escape(report)}</span>'
        rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in details.items())
        return (
            f'<div class="soc-panel" data-row="{int(position) + 1}"><h3>{html.escape(name)} {badge}</h3>'
            f"<dl>{rows}</dl></div>"
        )

    # ----------------------------------------------------------------------------------------
    # downloads
    # ----------------------------------------------------------------------------------------

    def workbook_bytes(self) -> bytes:
        """The meeting workbook (XLSX) of the rows shown."""
        return temp_bytes(lambda path: export_excel(self.view, path, fees=self.fees, branding=self.branding), ".xlsx")

    def report_html(self) -> str:
        """The HTML meeting report of the rows shown."""
        chosen = [f"{label}: {self.filters[key].value}" for key, label in FILTERS if self.filters[key].value != ALL]
        if self.search.value.strip():
            chosen.append(f"name contains {self.search.value.strip()!r}")
        title = "SOC coverage of the portfolio" + (f" ({'; '.join(chosen)})" if chosen else "")
        return export_html_report(self.view, branding=self.branding, fees=self.fees, title=title)

    def prepare_workbook(self) -> None:
        """Build the workbook and show its download link."""
        with self.banner.guard("preparing the workbook"):
            data = self.workbook_bytes()
            name = safe_filename(
                self.source_label if "sample" not in self.source_label else "sample_portfolio", "_soc_coverage.xlsx"
            )
            self.downloads.value = download_link(data, name, f"Download {name}", XLSX_MIME)

    def prepare_report(self) -> None:
        """Build the HTML meeting report and show its download link."""
        with self.banner.guard("preparing the report"):
            data = self.report_html().encode("utf-8")
            name = safe_filename(
                self.source_label if "sample" not in self.source_label else "sample_portfolio", "_soc_report.html"
            )
            self.downloads.value = download_link(data, name, f"Download {name}", "text/html")

    # ----------------------------------------------------------------------------------------
    # callbacks
    # ----------------------------------------------------------------------------------------

    def _on_filter(self, change) -> None:
        if self._quiet:
            return
        with self.banner.guard("applying the filters"):
            if self.banner.kind == "error":
                self.banner.clear()
            self.refresh()

    def _on_group(self, change) -> None:
        if self._quiet:
            return
        self._stale = {key for key, _ in CHARTS}
        self.draw_visible()

    def _on_page_drawn(self) -> None:
        self._chart_waits = False
        if not self.covered.empty and self.visible_chart in self._stale:
            self.draw_visible()

    def _on_tab(self, change) -> None:
        if self.visible_chart in self._stale:
            self.draw_visible()

    def _on_pick(self, change) -> None:
        if self._quiet:
            return
        with self.banner.guard("showing the organisation"):
            self.detail.value = self.detail_html(change["new"])

    def _on_upload(self, _change: Any) -> None:
        load_first_upload(self.upload, self.load_upload)

    def _on_sample(self, _button) -> None:
        with self.banner.guard("loading the sample portfolio"):
            self.load(load_sample_portfolio(), label="the sample portfolio (fictional organisations)")
            self.banner.info("Back on the sample portfolio.")


def _placeholder(branding: Branding):
    """An empty chart shown while the portfolio loads."""
    import plotly.graph_objects as go

    from ..theme import plotly_template

    fig = go.Figure(
        layout={
            "template": plotly_template(branding),
            "height": 420,
            "title": {"text": "Coverage by industry"},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": "Loading the portfolio…", "showarrow": False, "font": {"size": 16}}],
        }
    )
    return fig


def portfolio_dashboard(portfolio: pd.DataFrame | str | os.PathLike | None = None, **kwargs) -> PortfolioApp:
    """The portfolio dashboard (see :class:`PortfolioApp`); display the returned app in a notebook."""
    return PortfolioApp(portfolio, **kwargs)
