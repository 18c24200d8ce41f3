"""The lead-list classifier: upload a list, watch it classify, filter the result and download it.

Classification runs in chunks so a progress bar moves while it works; the downloads go through
:mod:`socanalysis.present`'s formula-safe writers. The details panel finds any lead of the list by
name, shows its answer, why and who decided, and carries the review form: a reviewer's decision
shows at once in the table, the counts, the chart and the downloads (only the rows whose decision
changed are classified again: :func:`changed_rows`, :func:`with_decisions`).

>>> app = LeadsApp()
>>> app.load_sample()
True
>>> int(app.classified["soc_report"].isin(["SOC 1", "SOC 2", "Both", "Neither", "Undetermined"]).sum())
2000
>>> app.set_filter("soc_report", "SOC 2")
>>> set(app.view["soc_report"])
{'SOC 2'}
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SocAnalysisError
from ..load import fields_of, load_sample_leads
from ..pipeline import classify
from ..present import Branding, charts, write_csv, write_leads_xlsx
from ..review import Decisions, load_decisions
from ..vocabulary import ATTRS_KEY, CONFIDENCE_VALUES, REPORT_VALUES, REVIEW_COLUMNS
from .common import (
    ALL,
    XLSX_MIME,
    Banner,
    ChartPane,
    dashboard_branding,
    download_link,
    fmt_count,
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
from .figures import whole_number_ticks
from .lead_details import lead_details, lead_names
from .mapping import LEAD_FIELDS, ColumnPicker
from .organisations import DetailsPanel, details_html
from .review_panel import ReviewForm, organisation_row
from .table import Pager

__all__ = [
    "CHUNK_ROWS",
    "DECIDED_COLUMNS",
    "SEARCH_AS_TYPED",
    "LeadsApp",
    "changed_rows",
    "classify_in_chunks",
    "lead_classifier",
    "with_decisions",
]

CHUNK_ROWS = 5_000
"""Rows classified between two moves of the progress bar."""

SEARCH_AS_TYPED = 200_000
"""Lists up to this many rows are searched at every key typed in "Find a lead"; longer ones when
Enter is pressed (a search of a million names takes a few tenths of a second)."""

DECIDED_COLUMNS: tuple[str, ...] = ("soc_report", "tsc_categories", "report_type", *REVIEW_COLUMNS)
"""The columns a reviewer's decision sets (or gives back to the classifier)."""

_SHOWN_FIELDS = ("name", "industry", "country")
_SHOWN_RESULTS = (
    ("soc_report", "Report needed"),
    ("confidence", "Confidence"),
    ("decided_by", "Decided by"),
    ("tsc_categories", "Trust Services Categories"),
    ("report_type", "Report type"),
    ("also_consider", "Also consider"),
    ("rationale", "Why"),
)


def classify_in_chunks(
    leads: pd.DataFrame, *, chunk_rows: int = CHUNK_ROWS, progress: Callable[[int, int], None] | None = None
) -> pd.DataFrame:
    """``classify`` in chunks of ``chunk_rows`` rows, calling ``progress(done, total)`` after each;
    the reviewers' decisions of the default store are applied.

    Returns the same frame as ``classify(leads)``: every row once, in order, the field mapping kept.

    Examples
    --------
    >>> leads = load_sample_leads().head(12)
    >>> seen = []
    >>> out = classify_in_chunks(leads, chunk_rows=5, progress=lambda done, total: seen.append(done))
    >>> seen, out["soc_report"].tolist() == classify(leads)["soc_report"].tolist()
    ([5, 10, 12], True)
    """
    if not isinstance(leads, pd.DataFrame):
        raise SocAnalysisError(f"classify_in_chunks() takes a DataFrame, not {type(leads).__name__}")
    chunk_rows = max(int(chunk_rows), 1)
    total = len(leads)
    parts = []
    decisions = load_decisions()  # the reviewers' decisions, read once for every chunk
    for start in range(0, total, chunk_rows):
        parts.append(classify(leads.iloc[start : start + chunk_rows], decisions=decisions))
        if progress is not None:
            progress(min(start + chunk_rows, total), total)
    if not parts:
        return classify(leads, decisions=decisions)
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    out.attrs = parts[0].attrs
    return out


def changed_rows(classified: pd.DataFrame, decisions: Decisions) -> np.ndarray:
    """The rows (0-based, increasing) whose decision is not the one they show: a decision taken,
    changed or undone since the list was classified.

    A row shows its decision's time (``reviewed_at``, empty for the classifier's rows); the
    decisions now in force are matched to every row at once
    (:meth:`socanalysis.review.Decisions.match`), so that a reviewer's decision is brought into
    the list without classifying the whole list again (:func:`with_decisions`).

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> leads = pd.DataFrame({"Company": ["Acme Payroll", "Globex"], "Description": ["payroll", "quarry"]})
    >>> shown = classify(leads, decisions=review.load_decisions(store))
    >>> _ = review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=store)
    >>> changed_rows(shown, review.load_decisions(store)).tolist()
    [1]
    """
    if not len(classified):
        return np.zeros(0, dtype=np.int64)
    at = decisions.match(classified) if len(decisions) else np.full(len(classified), -1, dtype=np.int64)
    times = pa.concat_arrays([decisions.reviewed_at.cast(pa.large_string()), pa.array([""], pa.large_string())])
    now = times.take(pa.array(np.where(at >= 0, at, len(times) - 1)))
    shown = pa.array(classified["reviewed_at"].astype("str").fillna("").array).cast(pa.large_string())
    return np.flatnonzero(pc.not_equal(now, shown).to_numpy(zero_copy_only=False))


def with_decisions(classified: pd.DataFrame, rows: np.ndarray, decisions: Decisions) -> pd.DataFrame:
    """The classified list with ``rows`` classified again under ``decisions``: a new frame, the
    columns of :data:`DECIDED_COLUMNS` replaced at those rows, everything else as it was.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> leads = pd.DataFrame({"Company": ["Acme Payroll", "Globex"], "Description": ["payroll", "quarry"]})
    >>> shown = classify(leads, decisions=review.load_decisions(store))
    >>> _ = review.set("Globex", report="SOC 1", reason="Runs billing", by="A. Lee", store=store)
    >>> now = review.load_decisions(store)
    >>> with_decisions(shown, changed_rows(shown, now), now)[["soc_report", "decided_by"]]
      soc_report  decided_by
    0       Both  classifier
    1      SOC 1      A. Lee
    """
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return classified
    again = classify(classified.iloc[rows], decisions=decisions)
    out = classified.copy(deep=False)
    for column in DECIDED_COLUMNS:
        values = out[column].copy()
        values.iloc[rows] = again[column].to_numpy()
        out[column] = values
    out.attrs = dict(classified.attrs)
    return out


class LeadsApp:
    """The lead-list classifier as an object: the widgets and the classified list behind them.

    Parameters
    ----------
    branding : Branding, dict, path or None
    chunk_rows : int
        Rows classified between two moves of the progress bar.
    page_size : int
        Rows per table page.

    Attributes
    ----------
    classified : pandas.DataFrame
        The whole list, classified (empty before a list is loaded).
    view : pandas.DataFrame
        The rows the filters keep.
    filters : dict of str to ipywidgets.Dropdown
        ``soc_report`` and ``confidence``.
    search : ipywidgets.Text
    details_panel : DetailsPanel
        "Find a lead" and "Details for": any lead of the list by name, whatever the filters.
    review_form : ReviewForm
        A reviewer's decision on the lead shown (:meth:`apply_review` then brings it into the list).
    progress : ipywidgets.IntProgress
    banner : Banner
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        *,
        branding: Branding | Mapping | str | os.PathLike | None = None,
        chunk_rows: int = CHUNK_ROWS,
        page_size: int = 25,
    ) -> None:
        self.branding = dashboard_branding(branding)
        self._themed_by_page = branding is None
        self._arguments = {"chunk_rows": chunk_rows, "page_size": page_size}
        self.chunk_rows = chunk_rows
        self.banner = Banner()
        self.classified = pd.DataFrame()
        self.view = pd.DataFrame()
        self.source_label = ""
        self._quiet = False
        self._build_widgets(page_size)

    # ----------------------------------------------------------------------------------------
    def _build_widgets(self, page_size: int) -> None:
        brand = self.branding
        self.limit_mb = upload_limit_mb()
        self.style = widgets.HTML(style_html(brand))
        self.header = widgets.HTML(
            header_html(brand, "Lead-list classifier", "Which SOC report each prospect is likely to need")
        )
        self.upload = upload_button("Upload a lead list")
        self.mapper = ColumnPicker(LEAD_FIELDS)
        self.mapper.on_load.append(self._on_mapped)
        self.upload.observe(self._on_upload, "value")
        self.sample_button = widgets.Button(
            description="Try the sample lead list", icon="table", layout=widgets.Layout(width="auto")
        )
        self.sample_button.add_class("soc-sample")
        self.sample_button.on_click(lambda _: self.load_sample())
        self.limit_note = widgets.HTML(
            f'<span class="soc-note soc-upload-limit">CSV, TSV, XLSX, Parquet or JSON, <strong>up to '
            f"{self.limit_mb:,} MB</strong>. One row per organisation, with a name and a description, "
            "industry or NAICS/SIC code. The file stays on this server.</span>"
        )
        self.progress = widgets.IntProgress(
            value=0,
            min=0,
            max=1,
            description="",
            bar_style="info",
            layout=widgets.Layout(width="60%", visibility="hidden"),
        )
        self.progress.add_class("soc-progress")
        self.progress_label = widgets.HTML()
        self.progress_label.add_class("soc-progress-label")
        self.kpis = widgets.HTML()
        self.chart = ChartPane()
        self.filters = {
            "soc_report": widgets.Dropdown(
                options=[ALL, *REPORT_VALUES],
                value=ALL,
                description="Report needed",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            ),
            "confidence": widgets.Dropdown(
                options=[ALL, *CONFIDENCE_VALUES],
                value=ALL,
                description="Confidence",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            ),
        }
        for key, dropdown in self.filters.items():
            dropdown.add_class(f"soc-filter-{key.replace('_', '-')}")
            dropdown.observe(self._on_filter, "value")
        self.search = widgets.Text(
            placeholder="Name contains…",
            description="Search",
            continuous_update=False,
            layout=widgets.Layout(width="auto", min_width="260px"),
        )
        self.search.add_class("soc-search")
        self.search.observe(self._on_filter, "value")
        self.pager = Pager(page_size=page_size, empty="No lead matches these filters.", sortable=True)
        self.pager.on_sort.append(self._sort_rows)
        self.details_panel = DetailsPanel(self.banner)
        self.details_panel.find.description = "Find a lead"
        self.pager.on_page.append(lambda rows: self.details_panel.show_page(rows.index.tolist()))
        self.review_form = ReviewForm(self.banner, on_saved=self.apply_review)
        self.review_form.attach(self.details_panel, lambda at: organisation_row(self.classified, self._fields, at))
        self.xlsx_button = widgets.Button(
            description="Prepare XLSX", icon="file-excel-o", layout=widgets.Layout(width="auto")
        )
        self.xlsx_button.add_class("soc-prepare-xlsx")
        self.xlsx_button.on_click(lambda _: self.prepare("xlsx"))
        self.csv_button = widgets.Button(
            description="Prepare CSV", icon="file-text-o", layout=widgets.Layout(width="auto")
        )
        self.csv_button.add_class("soc-prepare-csv")
        self.csv_button.on_click(lambda _: self.prepare("csv"))
        self.downloads = widgets.HTML()
        self.downloads.add_class("soc-downloads")

        self.results = widgets.VBox(
            [
                self.kpis,
                self.chart.output,
                section_title("Leads"),
                row([*self.filters.values(), self.search], cls="soc-filters"),
                self.pager.widget,
                section_title("One lead"),
                widgets.HTML(
                    '<span class="soc-note">Any lead of the list by name, whatever the filters: its answer, '
                    "why, and who decided; a reviewer's decision applies to every row of that organisation.</span>"
                ),
                self.details_panel.widget,
                self.review_form.widget,
                section_title("Download"),
                widgets.HTML(
                    '<span class="soc-note">The leads the filters keep, with the report needed and why. '
                    "Cells that a spreadsheet would run as formulas are written as text.</span>"
                ),
                row([self.xlsx_button, self.csv_button]),
                self.downloads,
            ],
            layout=widgets.Layout(display="none"),
        )
        self.widget = widgets.VBox(
            [
                self.style,
                self.header,
                self.banner.widget,
                row([self.upload, self.sample_button]),
                self.limit_note,
                self.mapper.widget,
                row([self.progress, self.progress_label]),
                self.results,
            ]
        )
        self.widget.add_class("soc-app")
        if brand.dark:
            self.widget.add_class("soc-dark")

    def _repr_mimebundle_(self, **kwargs):
        if self._themed_by_page:
            follow_page(self, lambda: LeadsApp(**self._arguments))
        return self.widget._repr_mimebundle_(**kwargs)

    # ----------------------------------------------------------------------------------------
    def _set_progress(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_label.value = f'<span class="soc-note">Classified {done:,} of {total:,} leads</span>'

    def load(self, leads: pd.DataFrame, *, label: str = "the lead list") -> None:
        """Classify ``leads`` (moving the progress bar) and show the result."""
        if not isinstance(leads, pd.DataFrame):
            raise SocAnalysisError(f"LeadsApp.load() takes a DataFrame, not {type(leads).__name__}")
        self.progress.layout.visibility = "visible"
        self.progress.bar_style = "info"
        self._set_progress(0, len(leads))
        try:
            classified = classify_in_chunks(leads, chunk_rows=self.chunk_rows, progress=self._set_progress)
        except BaseException:
            self.progress.bar_style = "danger"
            self.progress_label.value = '<span class="soc-note">Stopped.</span>'
            raise
        self.progress.bar_style = "success"
        self.classified = classified
        self.source_label = label
        self._fields = fields_of(classified)
        self._names = lead_names(classified, self._fields)
        self._names_folded = self._names.str.casefold()
        self._table = self._display_table()
        self.details_panel.set_portfolio(self._names, self.detail_html, folded=self._names_folded)
        self.details_panel.find.continuous_update = len(classified) <= SEARCH_AS_TYPED
        self._quiet = True
        try:
            for dropdown in self.filters.values():
                dropdown.value = ALL
            self.search.value = ""
            self.pager.reset_sort()
        finally:
            self._quiet = False
        self.results.layout.display = ""
        self.chart_draw()
        self._show_headline()
        self.refresh()

    def load_upload(
        self, content: bytes | memoryview, name: str, *, columns: Mapping[str, str | None] | None = None
    ) -> bool:
        """Load and classify an uploaded file's bytes; True when it worked, else the banner says why.

        Unrecognised name or signal columns bring up the drop-downs of :attr:`mapper`; "Load with
        these columns" loads the file again with ``columns`` picked there.

        Examples
        --------
        >>> app = LeadsApp()
        >>> app.load_upload(b"\\x00\\x01\\x02garbage", "leads.csv"), app.banner.kind
        (False, 'error')
        """
        size = len(content)
        if size > self.limit_mb * 1024 * 1024:
            self.banner.error(
                f"{name!r} is {size / 1024 / 1024:,.0f} MB; the limit here is {self.limit_mb:,} MB. "
                "Split the list, or classify it on the command line: socanalysis classify"
            )
            return False
        with self.banner.guard(f"reading {name!r}"):
            self.banner.clear()
            leads = self.mapper.load(content, name, columns, self.banner)
            if leads is None:  # the drop-downs ask which column holds what
                return False
            self.load(leads, label=name)
            duplicates = self._duplicates()
            extra = f" ({duplicates:,} look like duplicates of an earlier row)" if duplicates else ""
            self.banner.info(f"Classified {name}: {len(leads):,} leads{extra}.")
            return True
        return False

    def _on_mapped(self) -> None:
        with self.banner.guard("loading with the columns picked"):
            content, name, columns = self.mapper.picked()
            self.load_upload(content, name, columns=columns)

    def load_sample(self) -> bool:
        """Classify the bundled sample lead list (fictional organisations)."""
        with self.banner.guard("classifying the sample lead list"):
            self.mapper.hide()
            self.load(load_sample_leads(), label="sample_leads")
            self.banner.info(f"Classified the sample lead list: {len(self.classified):,} fictional leads.")
            return True
        return False

    def _duplicates(self) -> int:
        column = self.classified.attrs.get(ATTRS_KEY, {}).get("duplicate_column")
        if column and column in self.classified.columns:
            return int(self.classified[column].notna().sum())
        return 0

    def _display_table(self) -> pd.DataFrame:
        frame = pd.DataFrame(index=pd.RangeIndex(len(self.classified)))
        for field in _SHOWN_FIELDS:
            if field in self._fields:
                column = self._fields[field]
                frame[column] = text_values(self.classified[column], "").to_numpy()
        for column, label in _SHOWN_RESULTS:
            frame[label] = self.classified[column].astype(str).to_numpy() if column in self.classified else ""
        return frame

    # ----------------------------------------------------------------------------------------
    def set_filter(self, key: str, value: str) -> None:
        """Set the ``soc_report`` or ``confidence`` filter (or ``"All"``)."""
        if key not in self.filters:
            raise SocAnalysisError(f"no filter {key!r}; accepted: {', '.join(map(repr, self.filters))}")
        if value not in self.filters[key].options:
            raise SocAnalysisError(
                f"filter {key!r} has no value {value!r}; it offers {', '.join(map(repr, self.filters[key].options))}"
            )
        self.filters[key].value = value

    def apply_filters(self) -> np.ndarray:
        """The boolean mask of the rows the filters keep (also stored as :attr:`view`)."""
        mask = np.ones(len(self.classified), dtype=bool)
        for key, dropdown in self.filters.items():
            if dropdown.value != ALL and key in self.classified:
                mask &= (self.classified[key].astype(str) == dropdown.value).to_numpy(dtype=bool)
        text = self.search.value.strip().casefold()
        if text:
            mask &= self._names_folded.str.contains(text, regex=False).to_numpy(dtype=bool)
        self._positions = np.flatnonzero(mask)
        self._sort_rows()
        self.view = self.classified[mask]
        return mask

    def _sort_rows(self) -> None:
        self._shown = self.pager.order(
            self._table, self._positions, {"Report needed": REPORT_VALUES, "Confidence": CONFIDENCE_VALUES}
        )

    def sort_table(self, column: str, descending: bool = False) -> None:
        """Sort the table by ``column`` (a header shown; "" for the list's order), as a click on its header does."""
        if column and column not in self._table.columns:
            shown = ", ".join(map(repr, self._table.columns))
            raise SocAnalysisError(f"the table has no column {column!r}; it shows {shown}")
        self.pager.sort_by(column, descending)

    @property
    def table_frame(self) -> pd.DataFrame:
        """The table of the rows the filters keep, in the order the headers ask for (index: 0-based
        positions in :attr:`classified`)."""
        return self._table.iloc[self._shown]

    @property
    def headline(self) -> dict[str, int]:
        """Leads in all, and per report need, in the whole list."""
        counts = self.classified["soc_report"].astype(str).value_counts() if len(self.classified) else pd.Series()
        return {"leads": len(self.classified), **{need: int(counts.get(need, 0)) for need in REPORT_VALUES}}

    def refresh(self) -> None:
        """Apply the filters; update the table and forget prepared downloads."""
        self.apply_filters()
        self.pager.set_source(len(self._shown), lambda start, stop: self._table.iloc[self._shown[start:stop]])
        self.downloads.value = ""

    def _show_headline(self) -> None:
        """The figures of the whole list (filters do not change them): set once per list loaded."""
        h = self.headline
        self.kpis.value = kpis_html(
            [("leads", "Leads", fmt_count(h["leads"]))]
            + [
                (
                    need.lower().replace(" ", "-"),
                    f"Need {need}" if need not in ("Neither", "Undetermined") else need,
                    fmt_count(h[need]),
                )
                for need in REPORT_VALUES
            ]
        )

    def chart_draw(self) -> None:
        """Draw the distribution of report needs (by confidence) of the whole list."""
        with self.banner.guard("drawing the chart"):
            fig = charts.lead_distribution(self.classified, branding=self.branding)
            self.chart.draw(whole_number_ticks(fig, "y"))

    # ----------------------------------------------------------------------------------------
    def find_leads(self, text: str) -> np.ndarray:
        """The rows (0-based) of every lead whose name (or, without one, website) contains ``text``, any case.

        The filters do not apply: the details reach every lead of the list.
        """
        return self.details_panel.search(text)

    def details(self, position: int) -> dict[str, str]:
        """What the page says about the lead at row ``position`` (0-based), as text."""
        position = int(position)
        row = self.classified.iloc[position]
        duplicate = self.classified.attrs.get(ATTRS_KEY, {}).get("duplicate_column")
        return lead_details(row, self._fields, name=self._names.iloc[position], duplicate_column=duplicate)

    def detail_html(self, position: int | None) -> str:
        """The details of one lead as escaped HTML."""
        return "" if position is None else details_html(self.details(position), int(position))

    def apply_review(self) -> np.ndarray:
        """Bring the decisions store's current decisions into the list shown, after a reviewer's change.

        Only the rows whose decision changed are classified again (:func:`changed_rows`); the
        table, the counts, the chart and the downloads then show them, and the details panel keeps
        the lead it showed.
        Returns the rows changed (0-based).
        """
        with self.banner.guard("showing the decision in the list"):
            decisions = load_decisions()
            rows = changed_rows(self.classified, decisions)
            if not len(rows):
                return rows
            panel, form = self.details_panel, self.review_form
            position, offered = panel.pick.value, [value for _, value in panel.pick.options]
            message = form.message.value
            self.classified = with_decisions(self.classified, rows, decisions)
            for column, label in _SHOWN_RESULTS:
                if column in DECIDED_COLUMNS:
                    at = self._table.columns.get_loc(label)
                    self._table.iloc[rows, at] = self.classified[column].iloc[rows].astype(str).to_numpy()
            page = self.pager.page
            self.chart_draw()
            self._show_headline()
            self.refresh()
            self.pager.show(page)
            if position is not None:
                panel.offer(offered, picked=position)
                form.show(*organisation_row(self.classified, self._fields, position))
                form.message.value = message
            return rows
        return np.zeros(0, dtype=np.int64)

    # ----------------------------------------------------------------------------------------
    def export_bytes(self, kind: str) -> bytes:
        """The rows the filters keep as ``"xlsx"`` or ``"csv"`` bytes (formula-safe)."""
        if kind == "xlsx":
            return temp_bytes(lambda path: write_leads_xlsx(self.view, path, branding=self.branding), ".xlsx")
        if kind == "csv":
            return temp_bytes(lambda path: write_csv(self.view, path), ".csv")
        raise SocAnalysisError(f"export kind {kind!r}: accepted 'xlsx', 'csv'")

    def prepare(self, kind: str) -> None:
        """Build the ``"xlsx"`` or ``"csv"`` file and show its download link."""
        with self.banner.guard(f"preparing the {kind.upper()} file"):
            data = self.export_bytes(kind)
            name = safe_filename(self.source_label, f"_classified.{kind}", "leads")
            mime = XLSX_MIME if kind == "xlsx" else "text/csv"
            self.downloads.value = download_link(data, name, f"Download {name}", mime)

    # ----------------------------------------------------------------------------------------
    def _on_filter(self, change: Any) -> None:
        if self._quiet or self.classified.empty:
            return
        with self.banner.guard("applying the filters"):
            self.refresh()

    def _on_upload(self, _change: Any) -> None:
        load_first_upload(self.upload, self.load_upload)


def lead_classifier(**kwargs) -> LeadsApp:
    """The lead-list classifier (see :class:`LeadsApp`); display the returned app in a notebook."""
    return LeadsApp(**kwargs)
