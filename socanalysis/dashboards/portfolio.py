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
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..errors import SocAnalysisError
from ..load import load_portfolio, load_sample_portfolio
from ..pipeline import Assessment, assess
from ..portfolio import INDUSTRY_FIELDS, headline, segment_labels
from ..present import Branding, export_excel, export_html_report
from ..vocabulary import ATTRS_KEY, REPORT_VALUES, STATUSES
from .charttabs import ChartTabs
from .common import (
    ALL,
    ENV_PORTFOLIO,
    XLSX_MIME,
    Banner,
    dashboard_branding,
    date_text,
    download_link,
    fmt_count,
    fmt_money,
    follow_page,
    header_html,
    kpis_html,
    load_first_upload,
    row,
    safe_filename,
    section_title,
    style_html,
    temp_bytes,
    text_values,
    upload_button,
    upload_limit_mb,
)
from .figures import CHARTS, GROUPINGS, placeholder, portfolio_figure
from .history import HistoryView, PageTabs
from .mapping import PORTFOLIO_FIELDS, ColumnPicker
from .organisations import SORT_ORDERS, DetailsPanel, details_html, display_table, organisation_details
from .review_panel import ReviewForm, organisation_row, reassess
from .table import Pager
from .takeaways import portfolio_takeaways

__all__ = ["ALL", "CHARTS", "FILTERS", "PortfolioApp", "portfolio_dashboard"]

FILTERS: tuple[tuple[str, str], ...] = (
    ("industry", "Industry"),
    ("partner", "Engagement partner"),
    ("region", "Region"),
    ("soc_report", "Report needed"),
    ("coverage_status", "Coverage status"),
)
"""The filters: a canonical field (through the field mapping) or a result column, and its label."""


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
    assessment : Assessment
        The whole portfolio, classified, covered and summarised (:func:`socanalysis.assess`).
    covered : pandas.DataFrame
        The whole portfolio, classified and covered (``assessment.frame``).
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
        self.assessment: Assessment | None = None
        self.covered = pd.DataFrame()
        self.view = pd.DataFrame()
        self._mask = np.zeros(0, dtype=bool)
        self._shown = np.zeros(0, dtype=np.int64)
        self.source_label = ""
        self._portfolio = portfolio
        self._build_widgets(page_size)
        if start:
            self.start()
        else:
            self.banner.info("Loading the portfolio…")
            if self.charts.waiting:
                self.panes[CHARTS[0][0]].message("Loading the portfolio…")
            else:
                self.panes[CHARTS[0][0]].draw(placeholder(self.branding))

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
        self.upload = upload_button("Upload a portfolio")
        self.upload.observe(self._on_upload, "value")
        self.sample_button = widgets.Button(
            description="Use the sample portfolio", icon="refresh", layout=widgets.Layout(width="auto")
        )
        self.sample_button.add_class("soc-sample")
        self.sample_button.on_click(self._on_sample)
        self.mapper = ColumnPicker(PORTFOLIO_FIELDS)
        self.mapper.on_load.append(self._on_mapped)
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
        self.charts = ChartTabs(self.banner, figure=self.figure, state=self._chart_state, rows=lambda: len(self.view))
        self.panes, self.tabs = self.charts.panes, self.charts.tabs

        self.pager = Pager(page_size=page_size, empty="No organisation matches these filters.", sortable=True)
        self.pager.on_page.append(self._on_page)
        self.pager.on_sort.append(self._sort_rows)
        self.details_panel = DetailsPanel(self.banner)
        self.find, self.pick = self.details_panel.find, self.details_panel.pick
        self.found, self.detail = self.details_panel.found, self.details_panel.detail
        self.review_form = ReviewForm(self.banner, on_saved=lambda: reassess(self))
        self.review_form.attach(self.details_panel, lambda at: organisation_row(self.covered, self._fields, at))

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
        self.takeaway_buttons = portfolio_takeaways(self)  # the PDF and the deck

        filters_box = row([*self.filters.values(), self.search, self.reset_button], cls="soc-filters")
        portfolio_tab = widgets.VBox(
            [
                section_title("Filters"),
                filters_box,
                self.kpis,
                row([section_title("Charts"), self.group_by]),
                self.tabs,
                section_title("Organisations"),
                self.pager.widget,
                self.details_panel.widget,
                self.review_form.widget,
                section_title("Downloads"),
                widgets.HTML('<span class="soc-note">Every file holds the organisations the filters keep.</span>'),
                row([self.workbook_button, self.report_button, *self.takeaway_buttons]),
                self.downloads,
            ]
        )
        # History: a tab of the page (snapshots of the whole portfolio, not of the filtered rows), built when opened
        self.page_tabs = PageTabs(portfolio_tab, lambda: HistoryView(self.banner, lambda: self.assessment))
        self.widget = widgets.VBox(
            [
                self.style,
                self.header,
                self.banner.widget,
                row([self.upload, self.sample_button, upload_note]),
                self.mapper.widget,
                self.source,
                self.page_tabs.tabs,
                *([self.charts.signal] if self.charts.signal is not None else []),
            ]
        )
        self.widget.add_class("soc-app")
        if brand.dark:
            self.widget.add_class("soc-dark")

    @property
    def history(self) -> HistoryView:
        """The History tab's view (built on first use: opening the tab, or asking for it here)."""
        return self.page_tabs.history

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
        """Assess the portfolio (:func:`socanalysis.assess`), reset the filters and redraw everything.

        Parameters
        ----------
        portfolio : pandas.DataFrame
            From ``load_portfolio``; a frame with ``soc_report`` is not classified again, and
            coverage is judged at the app's ``as_of``.
        label : str
            Where the rows came from, shown above the filters.
        """
        if not isinstance(portfolio, pd.DataFrame):
            raise SocAnalysisError(f"PortfolioApp.load() takes a DataFrame, not {type(portfolio).__name__}")
        self.assessment = assess(portfolio, as_of=self.as_of, fees=self.fees, branding=self.branding)
        self.loaded = (portfolio, label)
        covered, opp = self.assessment.frame, self.assessment.opportunities
        self.covered = covered
        self._opportunity = opp["opportunity"].to_numpy(dtype=object)
        self._opportunity_usd = opp["opportunity_usd"].to_numpy(dtype=float)
        self._fields = dict(self.assessment.fields)
        name_column = self._fields.get("name")
        names = text_values(covered[name_column], "") if name_column else pd.Series([""] * len(covered))
        rows = pd.Series(np.arange(1, len(covered) + 1), index=covered.index).astype(str)
        self._names = names.where(names != "", "(row " + rows + ")").reset_index(drop=True)
        self._names_folded = self._names.str.casefold()
        self.details_panel.set_portfolio(self._names, self.detail_html)
        self._status = pd.Categorical(covered["coverage_status"].astype(str), categories=list(STATUSES))
        self._codes: dict[str, tuple[np.ndarray, list[str]]] = {}
        for key, _ in FILTERS:
            if key in ("soc_report", "coverage_status"):
                order = REPORT_VALUES if key == "soc_report" else STATUSES
                values = covered[key].astype(str)
                present = set(values.unique())
                categories = [v for v in order if v in present]
            else:
                column = self._fields.get(key)
                if column is None:
                    self._codes[key] = (np.zeros(len(covered), dtype=np.int64), [])
                    continue
                if key in INDUSTRY_FIELDS:  # "Computer & Network Security", "... and ...": one choice, as in the charts
                    values = segment_labels(covered, key, fields=self._fields)
                else:
                    values = text_values(covered[column])
                categories = sorted(set(values.unique()) - {"(not given)"}, key=str.casefold)
                if (values == "(not given)").any():
                    categories.append("(not given)")
            codes = pd.Categorical(values, categories=categories).codes.astype(np.int64)
            self._codes[key] = (codes, categories)
        self._table = display_table(covered, self._fields, self._opportunity_usd)
        self.charts.forget()
        self.source_label = label
        self._quiet = True
        try:
            for key, dropdown in self.filters.items():
                categories = self._codes[key][1]
                dropdown.options = [ALL, *categories]
                dropdown.value = ALL
                dropdown.layout.display = "" if categories else "none"
            self.search.value = ""
            self.pager.reset_sort()
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
        """The date coverage was judged at, as shown."""
        return date_text(self.assessment.as_of if self.assessment is not None else pd.Timestamp.today())

    def load_upload(
        self, content: bytes | memoryview, name: str, *, columns: Mapping[str, str | None] | None = None
    ) -> bool:
        """Load an uploaded file's bytes; True when it worked, else the banner says why.

        When the name column, or every column the classifier reads, goes unrecognised, the
        drop-downs of :attr:`mapper` appear (the banner names them) and "Load with these columns"
        loads the file again with ``columns`` picked there.

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
            frame = self.mapper.load(content, name, columns, self.banner)
            if frame is None:  # the drop-downs ask which column holds what
                return False
            self.load(frame, label=name)
            picked = " with the columns picked" if columns else ""
            self.banner.info(f"Loaded {name}{picked}: {len(frame):,} organisations.")
            return True
        return False

    def _on_mapped(self) -> None:
        with self.banner.guard("loading with the columns picked"):
            content, name, columns = self.mapper.picked()
            self.load_upload(content, name, columns=columns)

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
    def figures(self) -> pd.DataFrame:
        """The headline figures of the rows shown: :func:`socanalysis.portfolio.headline`, as the report has them."""
        return headline(
            self.view,
            opportunities=self._opportunity_usd[self._mask],
            validity_months=self.assessment.validity_months,
            renewal_window_months=self.assessment.renewal_window_months,
        )

    @property
    def headline(self) -> dict[str, Any]:
        """The value of each headline figure of the rows shown, by key (``organisations``, ``covered``,
        ``gaps``, ``renewals``, ``opportunity_usd`` ...: see :func:`socanalysis.portfolio.headline`)."""
        return dict(self.figures["value"])

    def _headline_html(self) -> str:
        figures = self.figures

        def card(key: str) -> tuple[str, str, str]:
            label, value, text = figures.loc[key, ["label", "value", "text"]]
            if figures.loc[key, "kind"] == "money":
                return "opportunity", label, fmt_money(value)
            of = text.split(" ", 1)[1] if pd.notna(figures.loc[key, "denominator"]) else ""
            return key, f"{label} ({of})" if of else label, fmt_count(value)

        return kpis_html([card(k) for k in ("organisations", "covered", "gaps", "renewals", "opportunity_usd")])

    @property
    def table_frame(self) -> pd.DataFrame:
        """The table of the rows shown: the organisation's columns, then the results, readable names.

        The index holds each row's 0-based position in :attr:`covered`; the rows come in the order
        the column headers ask for (:meth:`sort_table`).
        """
        return self._table.iloc[self._shown]

    # ----------------------------------------------------------------------------------------
    # drawing
    # ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Apply the filters and update the figures, the visible chart, the table and the details."""
        self.apply_filters()
        self.kpis.value = self._headline_html()
        self.charts.redraw()
        self._sort_rows()
        self.pager.set_source(len(self._shown), lambda start, stop: self._table.iloc[self._shown[start:stop]])
        self.downloads.value = ""

    def _sort_rows(self) -> None:
        self._shown = self.pager.order(self._table, self._positions, SORT_ORDERS)

    def sort_table(self, column: str, descending: bool = False) -> None:
        """Sort the table by ``column`` (a header shown; "" for the portfolio's order), as a click on its header does.

        Examples
        --------
        >>> app = PortfolioApp()
        >>> app.sort_table("Opportunity (USD)", descending=True)
        >>> bool(app.table_frame["Opportunity (USD)"].is_monotonic_decreasing)
        True
        """
        if column and column not in self._table.columns:
            shown = ", ".join(map(repr, self._table.columns))
            raise SocAnalysisError(f"the table has no column {column!r}; it shows {shown}")
        self.pager.sort_by(column, descending)

    def figure(self, key: str):
        """The plotly Figure of chart ``key`` (see :data:`CHARTS`) for the rows shown."""
        return portfolio_figure(key, self.view, self.assessment, by=self.group_by.value, branding=self.branding)

    @property
    def visible_chart(self) -> str:
        return self.charts.visible

    def _chart_state(self) -> tuple:
        return (self.group_by.value, self.search.value.strip().casefold(), *(d.value for d in self.filters.values()))

    def draw(self, key: str) -> None:
        """Redraw chart ``key`` now (in a page's kernel, once the page is on screen)."""
        self.charts.draw(key)

    def draw_visible(self) -> None:
        """Redraw the chart on the open tab now, and the other tabs' once the page has been still a while
        (so that printing the page shows every chart): see :class:`~socanalysis.dashboards.charttabs.ChartTabs`."""
        self.charts.draw_visible()

    def _on_page(self, rows: pd.DataFrame) -> None:
        self.details_panel.show_page(rows.index.tolist())

    def find_organisations(self, text: str) -> np.ndarray:
        """The rows (0-based) of every organisation of the portfolio whose name contains ``text``, any case.

        The filters do not apply: the details reach every organisation.
        """
        return self.details_panel.search(text)

    # ----------------------------------------------------------------------------------------
    # one organisation
    # ----------------------------------------------------------------------------------------

    def details(self, position: int) -> dict[str, str]:
        """What the dashboard says about the organisation at row ``position`` (0-based), as text."""
        position = int(position)
        return organisation_details(
            self.covered.iloc[position],
            self._fields,
            name=self._names.iloc[position],
            opportunity=self._opportunity[position],
            opportunity_usd=self._opportunity_usd[position],
        )

    def detail_html(self, position: int | None) -> str:
        """The details of one organisation as escaped HTML."""
        return "" if position is None else details_html(self.details(position), int(position))

    # ----------------------------------------------------------------------------------------
    # downloads
    # ----------------------------------------------------------------------------------------

    def workbook_bytes(self) -> bytes:
        """The meeting workbook (XLSX) of the rows shown."""
        return temp_bytes(lambda path: export_excel(self.shown(), path), ".xlsx")

    def report_html(self) -> str:
        """The HTML meeting report of the rows shown."""
        chosen = [f"{label}: {self.filters[key].value}" for key, label in FILTERS if self.filters[key].value != ALL]
        if self.search.value.strip():
            chosen.append(f"name contains {self.search.value.strip()!r}")
        title = "SOC coverage of the portfolio" + (f" ({'; '.join(chosen)})" if chosen else "")
        return export_html_report(self.shown(), title=title)

    def file_name(self, suffix: str) -> str:
        """The name of a download: the uploaded file's, or "sample_portfolio", then ``suffix``."""
        return safe_filename(self.source_label if "sample" not in self.source_label else "sample_portfolio", suffix)

    def prepare_workbook(self) -> None:
        """Build the workbook and show its download link."""
        with self.banner.guard("preparing the workbook"):
            name = self.file_name("_soc_coverage.xlsx")
            self.downloads.value = download_link(self.workbook_bytes(), name, f"Download {name}", XLSX_MIME)

    def prepare_report(self) -> None:
        """Build the HTML meeting report and show its download link."""
        with self.banner.guard("preparing the report"):
            name = self.file_name("_soc_report.html")
            data = self.report_html().encode("utf-8")
            self.downloads.value = download_link(data, name, f"Download {name}", "text/html")

    def shown(self):
        """The Assessment of the rows the filters keep."""
        return self.assessment.subset(self._mask)

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
        self.charts.redraw()

    def _on_upload(self, _change: Any) -> None:
        load_first_upload(self.upload, self.load_upload)

    def _on_sample(self, _button) -> None:
        with self.banner.guard("loading the sample portfolio"):
            self.mapper.hide()
            self.load(load_sample_portfolio(), label="the sample portfolio (fictional organisations)")
            self.banner.info("Back on the sample portfolio.")


def portfolio_dashboard(portfolio: pd.DataFrame | str | os.PathLike | None = None, **kwargs) -> PortfolioApp:
    """The portfolio dashboard (see :class:`PortfolioApp`); display the returned app in a notebook."""
    return PortfolioApp(portfolio, **kwargs)
