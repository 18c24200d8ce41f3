"""The dashboards' logic without a browser: filters, headline figures, uploads, banners, escaping, exports.

The browser tests (``test_dashboards_browser.py``) check the same apps served by Voilà.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import socket
import threading
import time
from pathlib import Path

import ipywidgets as widgets
import nbformat
import numpy as np
import openpyxl
import pandas as pd
import pytest

from socanalysis.dashboards import (
    DASHBOARDS,
    ExplainerApp,
    LeadsApp,
    MeetingApp,
    PortfolioApp,
    build_notebook,
    charttabs,
    classify_in_chunks,
    common,
    leads,
    serving,
    voila_command,
)
from socanalysis.dashboards.common import (
    ENV_BRANDING,
    ENV_PORTFOLIO,
    ENV_THEME,
    ENV_UPLOAD_LIMIT,
    Banner,
    dashboard_branding,
    download_link,
    header_html,
    safe_filename,
    style_html,
)
from socanalysis.dashboards.explainer import SECTIONS, section_html
from socanalysis.dashboards.meeting import QUESTIONS, summary_html
from socanalysis.dashboards.notebooks import NOTEBOOKS
from socanalysis.dashboards.portfolio import ALL, CHARTS, FILTERS
from socanalysis.dashboards.sortable import SortableTable
from socanalysis.dashboards.table import Pager
from socanalysis.errors import ColumnError, ExportError, SocAnalysisError
from socanalysis.load.samples import load_sample_leads, load_sample_portfolio
from socanalysis.vocabulary import STATUSES

ROOT = Path(__file__).resolve().parents[1]
BADFILES = Path(__file__).resolve().parent / "badfiles"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_PARTNER = "<script>alert(2)</script>"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    voila = ("QUERY_STRING", "VOILA_PREHEAT", "VOILA_KERNEL_ID")
    for name in (ENV_BRANDING, ENV_PORTFOLIO, ENV_THEME, ENV_UPLOAD_LIMIT, *voila):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def sample_app() -> PortfolioApp:
    return PortfolioApp()


@pytest.fixture
def app() -> PortfolioApp:
    return PortfolioApp()


def hostile_csv() -> bytes:
    frame = pd.DataFrame(
        {
            "Client": [HOSTILE, "Payroll Partners", '=HYPERLINK("http://example.invalid")'],
            "Industry": ["SaaS", "Payroll services", "Manufacturing"],
            "Services": [
                "Cloud platform that stores customer data",
                "Payroll processing for employers",
                "Makes steel bolts",
            ],
            "Engagement Partner": ["Ann Lee", HOSTILE_PARTNER, "Bo Chan"],
            "Region": ["West", "East", "West"],
            "Current Reports": ["SOC 2 Type 2", "", ""],
            "Report Period End": ["2025-03-31", "", ""],
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def html_values(widget) -> list[str]:
    """Every HTML string the widget tree puts in the page (HTML widgets' values, option labels)."""
    found = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, (widgets.HTML, widgets.HTMLMath, SortableTable)):
            found.append(w.value)
        stack.extend(getattr(w, "children", ()) or ())
    return found


def data_uri_bytes(link: str) -> bytes:
    href = html.unescape(re.search(r'href="([^"]+)"', link).group(1))
    return base64.b64decode(href.split(";base64,", 1)[1])


# --------------------------------------------------------------------------------------------
# shared pieces
# --------------------------------------------------------------------------------------------


def test_banner_shows_a_socanalysis_error_with_its_cases():
    banner = Banner()
    with banner.guard("reading the file"):
        raise ColumnError("no name column", cases=[{"row": 1, "column": "X", "value": "<b>", "problem": "bad"}])
    assert banner.kind == "error" and banner.message == "no name column"
    assert banner.details == ["row 1, column 'X', value '<b>': bad"]
    assert "&lt;b&gt;" in banner.widget.value and "<b>" not in banner.widget.value.replace("<strong>", "")


def test_banner_hides_unexpected_errors_behind_a_short_message(caplog):
    banner = Banner()
    with banner.guard("drawing the chart"):
        raise KeyError("internal column soc_secret")
    assert banner.kind == "error"
    assert banner.message.startswith("Something went wrong while drawing the chart")
    assert "soc_secret" not in banner.widget.value and "Traceback" not in banner.widget.value
    assert "soc_secret" in caplog.text  # the details go to the server's log


def test_banner_clears():
    banner = Banner()
    banner.info("done")
    banner.clear()
    assert (banner.kind, banner.widget.value) == ("", "")


def test_download_link_carries_the_bytes_and_escapes_the_name():
    data = b"a,b\n1,2\n\xff"
    link = download_link(data, '"><img src=x onerror=alert(1)>.csv', "Download <CSV>", "text/csv")
    assert data_uri_bytes(link) == data
    assert "<img" not in link and "Download &lt;CSV&gt;" in link


def test_download_link_refuses_files_too_large_for_a_page():
    with pytest.raises(ExportError, match="'big.csv' would be 2 MB, more than the 1 MB"):
        download_link(b"x" * (2 * 1024 * 1024), "big.csv", "Download", limit_mb=1)


def test_safe_filename_keeps_only_harmless_characters():
    assert safe_filename("../../etc/<passwd>.csv", ".xlsx") == "passwd.xlsx"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe_filename("../../x <y>.csv", "_classified.xlsx"))
    assert safe_filename("", ".csv", "leads") == "leads.csv"


def test_header_and_style_use_the_branding_escaped():
    brand = dashboard_branding({"firm_name": "Harbour & <Pine>", "primary": "#123456"})
    assert "Harbour &amp; &lt;Pine&gt;" in header_html(brand, "T <1>") and "T &lt;1&gt;" in header_html(brand, "T <1>")
    css = style_html(brand)
    assert "--soc-primary: #123456;" in css and ".soc-banner-error" in css


def test_branding_and_theme_come_from_the_environment(monkeypatch, tmp_path):
    path = tmp_path / "brand.yaml"
    path.write_text("firm_name: Acme Audit\nprimary: '#102030'\n")
    monkeypatch.setenv(ENV_BRANDING, str(path))
    monkeypatch.setenv(ENV_THEME, "dark")
    brand = dashboard_branding()
    assert (brand.firm_name, brand.primary, brand.mode) == ("Acme Audit", "#102030", "dark")
    app = ExplainerApp()
    assert "soc-dark" in app.widget._dom_classes and "Acme Audit" in app.header.value
    assert "--soc-background: #111827;" in app.style.value


def test_the_page_address_can_ask_for_the_dark_theme(monkeypatch):
    monkeypatch.setenv(ENV_THEME, "light")
    monkeypatch.setenv("QUERY_STRING", "theme=dark&x=1")
    assert dashboard_branding().mode == "dark"
    monkeypatch.setenv("QUERY_STRING", "theme=<script>")
    assert dashboard_branding().mode == "light"
    assert dashboard_branding({"mode": "light"}).mode == "light"  # given branding wins


def test_pager_pages_and_escapes():
    pager = Pager(page_size=10)
    pager.set_frame(pd.DataFrame({"Client": [HOSTILE] + [f"c{i}" for i in range(24)]}))
    assert pager.label.value == "Rows 1–10 of 25" and pager.previous.disabled
    assert "&lt;img src=x onerror=alert(1)&gt;" in pager.table.value and "<img" not in pager.table.value
    pager.show(5)
    assert pager.label.value == "Rows 21–25 of 25" and pager.next.disabled
    pager.set_frame(pd.DataFrame({"Client": []}))
    assert pager.label.value == "No rows"


# --------------------------------------------------------------------------------------------
# the portfolio dashboard
# --------------------------------------------------------------------------------------------


def test_portfolio_opens_on_the_sample(sample_app):
    assert sample_app.headline["organisations"] == len(load_sample_portfolio()) == 200
    assert "sample portfolio" in sample_app.source.value
    assert sample_app.banner.kind == ""
    assert sample_app.panes["coverage"].figure is not None
    assert sample_app.pager.label.value == "Rows 1–25 of 200"


def test_headline_figures_add_up(sample_app):
    h = sample_app.headline
    parts = ("covered", "unverified", "stale", "gaps", "review", "not_needed")
    assert sum(h[k] for k in parts) == h["organisations"]
    statuses = sample_app.covered["coverage_status"].value_counts()
    assert h["covered"] == statuses.get("Covered", 0) + statuses.get("Renewal due", 0)
    assert h["renewals"] == statuses.get("Stale", 0) + statuses.get("Renewal due", 0)
    assert h["opportunity_usd"] > 0
    # the same figures, with the same denominators, as the report: one definition
    from socanalysis.portfolio import headline

    assert sample_app.figures.equals(headline(sample_app.assessment))
    needed = int(sample_app.covered["soc_report"].isin(["SOC 1", "SOC 2", "Both"]).sum())
    assert f"of {needed} that need a report" in sample_app.kpis.value


@pytest.mark.parametrize(("key", "_label"), FILTERS)
def test_each_filter_changes_the_headline_the_chart_and_the_table(app, key, _label):
    before = app.panes["coverage"].figure
    value = app.filters[key].options[1]
    app.set_filter(key, value)
    column = key if key in ("soc_report", "coverage_status") else app._fields[key]
    values = app.covered[column].astype(object).where(app.covered[column].notna(), "").astype(str).str.strip()
    expected = int((values.replace("", "(not given)") == value).sum())
    assert app.headline["organisations"] == expected < 200
    assert len(app.view) == len(app.table_frame) == expected
    assert app.pager.label.value.endswith(f"of {expected:,}")
    after = app.panes["coverage"].figure
    assert after is not before
    assert sum(int(t.x.sum()) for t in after.data) == expected


def test_filters_combine_and_clear(app):
    app.set_filter("soc_report", "SOC 2")
    soc2 = app.headline["organisations"]
    app.set_filter("coverage_status", "Covered")
    both = app.headline["organisations"]
    expected = ((app.covered["soc_report"] == "SOC 2") & (app.covered["coverage_status"] == "Covered")).sum()
    assert both == expected < soc2
    app.clear_filters()
    assert app.headline["organisations"] == 200 and all(d.value == ALL for d in app.filters.values())


def test_the_industry_filter_offers_one_choice_per_industry_however_spelled(app):
    options = list(app.filters["industry"].options)
    assert "Computer and Network Security" in options and "Computer & Network Security" not in options
    spelled = app.covered["Industry"].fillna("").str.strip()
    both = spelled.isin(["Computer & Network Security", "Computer and Network Security"])
    assert spelled[both].nunique() == 2  # the sample spells it both ways
    app.set_filter("industry", "Computer and Network Security")
    assert app.headline["organisations"] == both.sum()
    assert len(options) - 1 == app.assessment.summaries["industry"].shape[0]  # the segments the summary counts


def test_search_keeps_matching_names_in_any_case(app):
    name = app.covered["Client"].iloc[7]
    app.search.value = name.upper()[:8]
    assert 1 <= app.headline["organisations"] < 200
    assert app.table_frame["Client"].str.casefold().str.contains(name.casefold()[:8], regex=False).all()


def test_no_match_shows_notes_instead_of_a_chart(app):
    app.search.value = "no organisation is called this"
    assert app.headline["organisations"] == 0
    assert app.panes["coverage"].figure is None and "No organisation" in app.panes["coverage"].note
    assert app.pager.label.value == "No rows" and app.pick.options == ()


def test_unknown_filter_or_value_is_refused(app):
    with pytest.raises(SocAnalysisError, match="no filter 'colour'"):
        app.set_filter("colour", "red")
    with pytest.raises(SocAnalysisError, match="has no value 'SOC 9'"):
        app.set_filter("soc_report", "SOC 9")


@pytest.mark.parametrize(("key", "_title"), CHARTS)
def test_every_chart_draws_when_its_tab_opens(app, key, _title):
    index = [k for k, _ in CHARTS].index(key)
    app.set_filter("soc_report", "Both")
    app.tabs.selected_index = index
    assert app.panes[key].figure is not None, app.banner.message
    assert app.banner.kind == ""


def test_going_back_to_a_filter_state_reuses_its_chart_and_a_new_portfolio_does_not(app):
    everything = app.panes["coverage"].figure
    app.set_filter("region", app.filters["region"].options[1])
    assert app.panes["coverage"].figure is not everything
    app.set_filter("region", ALL)
    assert app.panes["coverage"].figure is everything
    app.load_upload(hostile_csv(), "hostile.csv")
    assert app.panes["coverage"].figure is not everything
    assert sum(int(t.x.sum()) for t in app.panes["coverage"].figure.data) == 3


def test_the_other_tabs_draw_once_the_page_is_still_so_that_printing_shows_them(monkeypatch):
    import asyncio
    import time

    monkeypatch.setattr(charttabs, "IDLE_SECONDS", 0.01)

    async def still_page() -> PortfolioApp:
        app = PortfolioApp()  # in a kernel: a running event loop
        app.set_filter("soc_report", "SOC 2")
        assert app.panes["needs"].figure is None  # only the chart in view is drawn at once
        deadline = time.monotonic() + 120
        while app.charts.stale and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return app

    app = asyncio.run(still_page())
    for key, _ in CHARTS:
        assert app.panes[key].figure is not None, key
    assert sum(int(t.x.sum()) for t in app.panes["coverage"].figure.data) == app.headline["organisations"]
    css = style_html(app.branding)
    assert "@media print" in css and ".soc-app .lm-mod-hidden" in css  # hidden tabs printed too


def test_charts_follow_the_grouping(app):
    app.group_by.value = "partner"
    fig = app.panes["coverage"].figure
    partners = set(app.covered["Engagement Partner"].dropna())
    assert set(fig.data[0].y) <= partners | {"(not given)"} and "partner" in fig.layout.title.text


def test_details_show_rationale_evidence_categories_type_and_lifecycle(sample_app):
    position = int(
        sample_app.covered.index.get_indexer(
            sample_app.covered.index[sample_app.covered["coverage_status"] == "Stale"]
        )[0]
    )
    details = sample_app.details(position)
    for label in ("Report needed", "Why", "Evidence", "Holds", "Coverage", "Period end", "Current until"):
        assert details.get(label), label
    row = sample_app.covered.iloc[position]
    assert details["Why"] == row["rationale"] and details["Coverage"].startswith("Stale")
    assert row["soc_report"] in sample_app.detail_html(position)


def test_picking_an_organisation_updates_the_details(app):
    first, second = app.pick.options[0][1], app.pick.options[1][1]
    assert app.detail.value == app.detail_html(first)
    app.pick.value = second
    assert app.detail.value == app.detail_html(second)
    assert f'data-row="{second + 1}"' in app.detail.value


def test_a_header_sorts_the_whole_table_and_a_second_click_reverses_it(app):
    app.set_filter("region", app.filters["region"].options[1])
    shown = set(app.table_frame.index)
    app.pager.table.sort = ("Client", False)  # what a click on the "Client" header sends
    names = app.table_frame["Client"].tolist()
    assert names == sorted(names, key=str.casefold) and set(app.table_frame.index) == shown
    assert app.pager.label.value.startswith("Rows 1–")
    assert (
        '<th aria-sort="ascending"><button type="button" class="soc-sort" data-sort="Client"' in app.pager.table.value
    )
    app.pager.table.sort = ("Client", True)
    assert app.table_frame["Client"].tolist() == sorted(names, key=str.casefold, reverse=True)
    assert 'aria-sort="descending"' in app.pager.table.value
    app.sort_table("Opportunity (USD)", descending=True)
    assert app.table_frame["Opportunity (USD)"].is_monotonic_decreasing
    app.sort_table("Report needed")
    order = ["SOC 1", "SOC 2", "Both", "Neither", "Undetermined"]
    seen = app.table_frame["Report needed"].drop_duplicates().tolist()
    assert seen == [r for r in order if r in seen]  # the vocabulary's order, not the alphabet's
    app.set_filter("region", ALL)  # the sort holds across filters
    assert app.table_frame["Report needed"].drop_duplicates().tolist()[0] == "SOC 1"
    with pytest.raises(SocAnalysisError, match="the table has no column 'Colour'"):
        app.sort_table("Colour")


def test_sorting_keeps_blanks_last_and_ties_in_file_order():
    from socanalysis.dashboards.table import sort_positions

    table = pd.DataFrame({"Client": ["b", "", "a", "B"], "Fee": [2.0, None, 1.0, 2.0]})
    assert sort_positions(table, np.arange(4), "Client").tolist() == [2, 0, 3, 1]
    assert sort_positions(table, np.arange(4), "Client", descending=True).tolist() == [0, 3, 2, 1]
    assert sort_positions(table, np.arange(4), "Fee", descending=True).tolist() == [0, 3, 2, 1]
    assert sort_positions(table, np.array([3, 2]), "Fee").tolist() == [2, 3]


def test_the_details_reach_every_organisation_through_search(app):
    app.set_filter("soc_report", "SOC 1")
    outside = int(np.flatnonzero((app.covered["soc_report"] != "SOC 1").to_numpy())[-1])
    name = app.covered["Client"].iloc[outside]
    assert outside not in [value for _, value in app.pick.options]  # not on the page, not in the filter
    app.find.value = name.upper()
    assert outside in [value for _, value in app.pick.options]
    app.pick.value = outside
    assert app.detail.value == app.detail_html(outside) and html.escape(name) in app.detail.value
    app.find.value = "a"
    assert len(app.pick.options) == 50 and "type more" in app.found.value
    app.find.value = HOSTILE
    assert app.pick.options == () and "&lt;img" in app.found.value and "<img" not in app.found.value
    app.find.value = ""
    assert [value for _, value in app.pick.options] == app.table_frame.index[:25].tolist()


def test_whole_number_ticks_on_the_count_axes(app):
    from socanalysis.dashboards.figures import whole_number_ticks

    app.search.value = app.covered["Client"].iloc[0][:6]  # a few organisations: plotly would tick at 0.5
    fig = app.panes["coverage"].figure
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == ",d" and fig.layout.xaxis.tick0 == 0
    app.tabs.selected_index = [k for k, _ in CHARTS].index("tsc")
    assert app.panes["tsc"].figure.data[0].colorbar.dtick == 1
    import plotly.graph_objects as go

    many = go.Figure([go.Bar(x=["a", "b"], y=[30, 10]), go.Bar(x=["a", "b"], y=[20, 5])], layout={"barmode": "stack"})
    assert whole_number_ticks(many, "y").layout.yaxis.dtick == 10  # 50 at most: 0, 10 ... 50
    leads_app = LeadsApp()
    leads_app.load(load_sample_leads().head(7))
    assert float(leads_app.chart.figure.layout.yaxis.dtick).is_integer()


def test_the_opportunity_tab_follows_the_coverage_tab_to_sectors(app):
    fig = app.figure("opportunity")
    assert fig.layout.title.text == "Estimated opportunity by sector" and fig.layout.yaxis.title.text == "Sector"
    assert app.figure("coverage").layout.title.text == "Coverage by sector"
    assert len(fig.data[0].y) <= 13
    assert fig.data[0].x.sum() == pytest.approx(app.figures.loc["opportunity_usd", "value"])  # the headline's total
    app.search.value = app.covered["Client"].iloc[0][:6]  # a few organisations: their industries, as written
    few = app.figure("opportunity")
    assert few.layout.title.text == "Estimated opportunity by industry"
    assert few.layout.yaxis.title.text == "Industry" and not any(y.startswith("Other (") for y in few.data[0].y)


def test_good_upload_replaces_the_portfolio_and_names_stay_text(app):
    assert app.load_upload(hostile_csv(), "hostile.csv")
    assert app.banner.kind == "info" and app.headline["organisations"] == 3
    assert HOSTILE in app.table_frame["Client"].tolist()
    assert HOSTILE_PARTNER in app.filters["partner"].options
    assert app.detail_html(0).count("&lt;img src=x onerror=alert(1)&gt;") == 1
    for text in html_values(app.widget):
        assert "<img src=x" not in text and "<script>alert" not in text
    app.group_by.value = "partner"
    labels = list(app.panes["coverage"].figure.data[0].y)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in labels  # plotly shows the entity as text


@pytest.mark.parametrize(
    "name", ["empty.csv", "binary_garbage.csv", "letter.docx", "ragged.csv", "no_name_column.csv", "corrupt.xlsx"]
)
def test_bad_upload_shows_a_message_and_keeps_the_portfolio(app, name):
    before = app.headline
    assert not app.load_upload((BADFILES / name).read_bytes(), name)
    assert app.banner.kind == "error" and name in app.banner.message
    assert "Traceback" not in app.banner.widget.value
    assert app.headline == before


def test_unrecognised_columns_bring_drop_downs_that_load_the_file(app):
    content = (BADFILES / "no_name_column.csv").read_bytes()
    assert not app.load_upload(content, "no_name_column.csv")
    assert app.banner.kind == "error" and app.mapper.widget.layout.display == ""
    assert "“Organisation name”" in app.banner.message and "“Load with these columns”" in app.banner.message
    assert "columns=" not in app.banner.widget.value and "{" not in app.banner.message
    assert app.mapper.dropdowns["description"].value == "Description"  # what was recognised stays chosen
    assert [v for _, v in app.mapper.dropdowns["name"].options] == ["", "Description", "Industry", "Revenue"]
    app.mapper.load_button.click()  # nothing picked yet: the banner says so again, the portfolio stays
    assert app.banner.kind == "error" and "“Organisation name”" in app.banner.message
    assert app.headline["organisations"] == 200
    app.mapper.dropdowns["name"].value = "Description"
    app.mapper.dropdowns["industry"].value = "Description"
    app.mapper.load_button.click()
    assert "'Description' is picked in “Organisation name”, “Description” and “Industry”" in app.banner.message
    app.mapper.dropdowns["name"].value = "Revenue"
    app.mapper.dropdowns["industry"].value = "Industry"
    app.mapper.load_button.click()
    assert app.banner.kind == "info" and "with the columns picked" in app.banner.message
    assert app.headline["organisations"] == 1 and app.mapper.widget.layout.display == "none"
    assert app.table_frame.columns[0] == "Revenue" and app.assessment.fields["name"] == "Revenue"


def test_leads_drop_downs_for_a_list_without_signal_columns():
    leads_app = LeadsApp()
    content = (BADFILES / "no_signal_column.csv").read_bytes()
    assert not leads_app.load_upload(content, "no_signal_column.csv")
    message = leads_app.banner.message
    assert "“Description”, “Industry”, “Sector”, “NAICS code” or “SIC code”" in message and "columns=" not in message
    leads_app.mapper.dropdowns["industry"].value = "Website"
    leads_app.mapper.load_button.click()
    assert "'Website' is picked in “Industry” and “Website”" in leads_app.banner.message
    leads_app.mapper.dropdowns["website"].value = ""  # "(none)"
    leads_app.mapper.load_button.click()
    assert leads_app.banner.kind == "info" and len(leads_app.classified) == 1
    assert not leads_app.mapper.offer(b"\x00\x01garbage", "x.csv")  # not a table: the caller's error stands


def test_python_advice_never_reaches_a_banner():
    banner = Banner()
    with banner.guard("reading the file"):
        raise ColumnError("no column usable as the organisation name; or name the column with columns={'name': 'X'}")
    assert "columns=" not in banner.widget.value and "drop-downs" in banner.message


def test_upload_over_the_limit_is_refused(app, monkeypatch):
    monkeypatch.setenv(ENV_UPLOAD_LIMIT, "1")
    assert not app.load_upload(b"x" * (1024 * 1024 + 1), "huge.csv")
    assert "the limit here is 1 MB" in app.banner.message


def test_an_unexpected_failure_while_loading_shows_the_generic_message(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("pyarrow internal detail")

    monkeypatch.setattr("socanalysis.dashboards.mapping.load_portfolio", broken)  # where uploads are read
    assert not app.load_upload(b"Client\nAcme\n", "a.csv")
    assert app.banner.message.startswith("Something went wrong while reading 'a.csv'")
    assert "pyarrow" not in app.banner.widget.value


def test_upload_buttons_say_what_they_do_without_a_file_count(app):
    # ipywidgets draws "description (count)"; the label is the tooltip, drawn by the stylesheet
    assert (app.upload.description, app.upload.tooltip) == ("", "Upload a portfolio")
    assert (LeadsApp().upload.description, LeadsApp().upload.tooltip) == ("", "Upload a lead list")
    css = style_html(app.branding)
    assert ".soc-app .soc-upload { font-size: 0; }" in css and "content: attr(title)" in css


def test_the_upload_widget_feeds_load_upload_and_forgets_the_bytes(app):
    import datetime as dt

    app.upload.value = (
        {
            "name": "clients.csv",
            "type": "text/csv",
            "size": 10,
            "last_modified": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            "content": memoryview(hostile_csv()),
        },
    )
    assert app.headline["organisations"] == 3 and app.upload.value == ()


def test_portfolio_file_from_the_environment_and_a_missing_one_falls_back(monkeypatch, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(hostile_csv())
    monkeypatch.setenv(ENV_PORTFOLIO, str(path))
    assert PortfolioApp().headline["organisations"] == 3
    monkeypatch.setenv(ENV_PORTFOLIO, str(tmp_path / "missing.csv"))
    fallback = PortfolioApp()
    assert fallback.headline["organisations"] == 200 and fallback.banner.kind == "error"


def test_portfolio_does_not_change_the_frame_it_is_given():
    frame = load_sample_portfolio()
    copy = frame.copy()
    app = PortfolioApp(frame)
    app.set_filter("soc_report", "SOC 1")
    pd.testing.assert_frame_equal(frame, copy)
    assert list(frame.columns) == list(copy.columns)


def test_workbook_and_report_hold_the_rows_shown(app):
    app.set_filter("soc_report", "SOC 1")
    shown = app.headline["organisations"]
    book = openpyxl.load_workbook(io.BytesIO(app.workbook_bytes()), read_only=True)
    rows = list(book["Organisations"].iter_rows(values_only=True))
    assert len(rows) - 1 == shown
    page = app.report_html()
    assert "Report needed: SOC 1" in page and f"{shown:,} organisations" in page


def test_prepared_downloads_are_links_and_go_stale_on_change(app):
    app.load_upload(hostile_csv(), "hostile.csv")
    app.prepare_workbook()
    assert 'download="hostile_soc_coverage.xlsx"' in app.downloads.value
    book = openpyxl.load_workbook(io.BytesIO(data_uri_bytes(app.downloads.value)))
    assert book["Organisations"]["A2"].value == HOSTILE
    app.prepare_report()
    page = data_uri_bytes(app.downloads.value).decode("utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    app.set_filter("region", "West")
    assert app.downloads.value == ""


# --------------------------------------------------------------------------------------------
# the meeting walk-through
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "report"),
    [
        ({}, "Undetermined"),
        ({"q_financial_reporting": True}, "SOC 1"),
        ({"q_customer_data": True}, "SOC 2"),
        ({"q_financial_reporting": True, "q_personal_data": True}, "Both"),
        ({key: False for key, _, _ in QUESTIONS}, "Neither"),
    ],
)
def test_answers_decide_the_recommendation(answers, report):
    meeting = MeetingApp()
    for key, value in answers.items():
        meeting.answer(key, value)
    assert meeting.recommendation["soc_report"] == report
    assert f'data-report="{report}"' in meeting.result.value


def test_answers_change_the_recommendation_live_through_the_buttons():
    meeting = MeetingApp()
    meeting.questions["q_customer_data"].value = "yes"
    assert meeting.recommendation["soc_report"] == "SOC 2"
    assert meeting.recommendation["report_type"] == "Type 1"
    assert "Security" in meeting.recommendation["tsc_categories"]
    meeting.questions["q_health_data"].value = "yes"
    assert "Privacy" in meeting.recommendation["tsc_categories"]
    shown = html.unescape(meeting.result.value)
    assert "SOC 2" in shown and "you said yes: stores or processes customers' data" in shown
    meeting.holds.value = "SOC 2 Type 1"
    assert meeting.recommendation["report_type"] == "Type 2"


def test_rationale_speaks_of_answers_not_of_column_names():
    meeting = MeetingApp()
    meeting.answer("q_payroll", True)
    assert "q_payroll" not in meeting.result.value and "you said yes: runs payroll" in meeting.result.value


def test_the_meeting_opens_and_reasons_in_a_clients_words():
    meeting = MeetingApp()
    shown = html.unescape(re.sub(r"<[^>]+>", " ", meeting.result.value))  # the text a client reads
    for jargon in ("NAICS", "SIC", "to go on:", "Undetermined", "classify this organisation", "Confidence"):
        assert jargon not in shown, jargon
    assert "Answer the questions" in shown and 'data-report="Undetermined"' in meeting.result.value
    meeting.description.value = "We build software for banks"
    shown = html.unescape(meeting.result.value)
    assert "rather than being part of it" not in shown and "What weighed" not in shown
    assert "What we went on" in shown and "your description mentions “software ... banks”" in shown
    assert "' in description" not in shown  # the rationale's sources are said in words too
    meeting.reset()
    for key, _, _ in QUESTIONS:
        meeting.answer(key, False)
    assert meeting.recommendation["soc_report"] == "Neither"
    assert meeting.why().startswith("Nothing you have told us") and "codes" not in meeting.why()
    assert "Nothing you have told us" in data_uri_bytes(meeting.download.value).decode("utf-8")


def test_start_again_clears_the_answers():
    meeting = MeetingApp()
    meeting.answer("q_payroll", True)
    meeting.description.value = "payroll"
    meeting.reset()
    assert all(v is None for v in meeting.answers.values())
    assert meeting.recommendation["soc_report"] == "Undetermined"


def test_a_wrong_question_or_answer_is_refused():
    meeting = MeetingApp()
    with pytest.raises(SocAnalysisError, match="no question 'q_colour'"):
        meeting.answer("q_colour", True)
    with pytest.raises(SocAnalysisError, match="True, False or None"):
        meeting.answer("q_payroll", "yes")


def test_summary_is_one_escaped_page_without_scripts():
    meeting = MeetingApp(branding={"firm_name": "Harbour & Pine"})
    meeting.organisation.value = HOSTILE
    meeting.description.value = HOSTILE_PARTNER
    meeting.answer("q_customer_data", True)
    page = summary_html(meeting)
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Harbour &amp; Pine" in page
    assert "default-src 'none'" in page and "http" not in page.replace("http-equiv", "")
    assert "SOC 2" in page and "Do you store or process your customers&#x27; data" in page
    assert data_uri_bytes(meeting.download.value).decode("utf-8") == page
    for text in html_values(meeting.widget):
        assert "<img src=x" not in text


def test_meeting_says_what_points_the_other_way_in_the_clients_words():
    app = MeetingApp()
    app.description.value = "We are a consultancy that builds software for banks"
    text = html.unescape(re.sub(r"<[^>]+>", " ", app.result.value))
    assert "your description also mentions “consultancy”, which points the other way" in text
    assert "' in description" not in text and "' in industry" not in text
    app.description.value = "Cloud hosting for hospitals"
    app.industry.value = "Hospital & Health Care"
    assert "your industry, “Hospital &amp; Health Care”, points the other way" in app.result.value  # escaped


def test_meeting_shows_the_soc_comparison_beside_the_recommendation_and_marks_it():
    meeting = MeetingApp()
    assert "SOC 3" in meeting.comparison.value and "Restricted" in meeting.comparison.value
    assert "soc-recommended" not in meeting.comparison.value  # nothing recommended yet
    meeting.answer("q_financial_reporting", True)
    assert '<th class="soc-recommended">SOC 1</th>' in meeting.comparison.value
    assert '<th class="soc-recommended">SOC 2</th>' not in meeting.comparison.value
    meeting.answer("q_customer_data", True)
    assert '<th class="soc-recommended">SOC 2</th>' in meeting.comparison.value


# --------------------------------------------------------------------------------------------
# the lead-list classifier
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_leads() -> pd.DataFrame:
    return load_sample_leads().head(1200)


@pytest.mark.parametrize("chunk_rows", [1, 7, 500, 5_000])
def test_classify_in_chunks_is_classify(sample_leads, chunk_rows):
    frame = sample_leads.head(60) if chunk_rows == 1 else sample_leads
    calls = []
    out = classify_in_chunks(frame, chunk_rows=chunk_rows, progress=lambda d, t: calls.append((d, t)))
    from socanalysis.pipeline import classify as classify_and_review

    pd.testing.assert_frame_equal(out, classify_and_review(frame))  # the reviewers' decisions applied too
    assert out.attrs["socanalysis"]["fields"] == frame.attrs["socanalysis"]["fields"]
    assert calls[-1] == (len(frame), len(frame)) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_leads_upload_moves_the_progress_bar_and_fills_the_page():
    app = LeadsApp(chunk_rows=500)
    seen = []
    app.progress.observe(lambda change: seen.append(change["new"]), "value")
    content = load_sample_leads().drop(columns="duplicate_of").to_csv(index=False).encode("utf-8")
    assert app.load_upload(content, "leads.csv")
    assert seen[-1] == app.progress.max == 2000 and len(seen) >= 4
    assert app.banner.kind == "info" and "2,000 leads" in app.banner.message
    assert app.results.layout.display == "" and app.chart.figure is not None
    assert (
        app.headline["leads"]
        == 2000
        == sum(app.headline[n] for n in ("SOC 1", "SOC 2", "Both", "Neither", "Undetermined"))
    )


def test_leads_page_states_the_upload_limit(monkeypatch):
    monkeypatch.setenv(ENV_UPLOAD_LIMIT, "64")
    app = LeadsApp()
    assert "up to 64 MB" in app.limit_note.value
    assert not app.load_upload(b"x" * (64 * 1024 * 1024 + 1), "big.csv")
    assert "the limit here is 64 MB" in app.banner.message


def test_leads_filters_and_search():
    app = LeadsApp()
    app.load_sample()
    app.set_filter("soc_report", "SOC 2")
    assert set(app.view["soc_report"]) == {"SOC 2"} and len(app.table_frame) == app.headline["SOC 2"]
    app.set_filter("confidence", "high")
    assert set(app.view["confidence"]) == {"high"}
    app.set_filter("soc_report", ALL)
    app.set_filter("confidence", ALL)
    app.search.value = "zzz-no-such-lead"
    assert len(app.view) == 0 and app.pager.label.value == "No rows"
    with pytest.raises(SocAnalysisError, match="no filter"):
        app.set_filter("industry", "x")


def test_leads_downloads_are_formula_safe():
    app = LeadsApp()
    content = (
        "Company Name,Description\n"
        "=cmd|' /C calc'!A0,payroll processing for employers\n"
        f'"{HOSTILE}",cloud software storing customer data\n'
    ).encode()
    assert app.load_upload(content, "leads.csv")
    frame = pd.read_csv(io.BytesIO(app.export_bytes("csv")), encoding="utf-8-sig", dtype=str)
    assert frame["Company Name"].tolist() == ["'=cmd|' /C calc'!A0", HOSTILE]
    book = openpyxl.load_workbook(io.BytesIO(app.export_bytes("xlsx")))
    assert book["Leads"]["A2"].value == "'=cmd|' /C calc'!A0"
    app.prepare("csv")
    assert 'download="leads_classified.csv"' in app.downloads.value
    for text in html_values(app.widget):
        assert "<img src=x" not in text
    with pytest.raises(SocAnalysisError, match="accepted 'xlsx', 'csv'"):
        app.export_bytes("pdf")


@pytest.mark.parametrize("name", ["empty.csv", "binary_garbage.csv", "no_signal_column.csv"])
def test_leads_bad_upload_shows_a_message(name):
    app = LeadsApp()
    assert not app.load_upload((BADFILES / name).read_bytes(), name)
    assert app.banner.kind == "error" and name in app.banner.message and app.classified.empty


def test_leads_classification_failure_marks_the_progress_bar(monkeypatch):
    app = LeadsApp()

    def broken(*args, **kwargs):
        raise RuntimeError("rules engine detail")

    monkeypatch.setattr(leads, "classify", broken)
    assert not app.load_upload(b"Company Name,Description\nAcme,payroll\n", "leads.csv")
    assert app.progress.bar_style == "danger" and "rules engine" not in app.banner.widget.value


# --------------------------------------------------------------------------------------------
# the explainer
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ("compare", "Restricted"),
        ("controls", "Transaction processing"),
        ("categories", "PI1"),
        ("types", "bridge letter"),
        ("choose", "ISAE 3000"),
    ],
)
def test_explainer_sections(key, needle):
    assert needle in section_html(key)


def test_explainer_steps_through_sections_and_toggles_large_text():
    app = ExplainerApp()
    assert app.section == "compare" and app.previous.disabled and "soc-projector" in app.widget._dom_classes
    for _ in SECTIONS:
        app.step(1)
    assert app.section == SECTIONS[-1][0] and app.next.disabled
    app.sections.value = "categories"
    assert "Privacy" in app.body.value and "Trust Services Categories" in app.title.value
    app.large.value = False
    assert "soc-projector" not in app.widget._dom_classes
    with pytest.raises(SocAnalysisError, match="no section"):
        section_html("nope")


# --------------------------------------------------------------------------------------------
# serving
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_voila_command_localhost_fixed_port_code_hidden_and_upload_limit():
    port = _free_port()
    launch = voila_command(None, port=port, max_kernels=12)
    try:
        argv = launch.argv
        assert argv[1:3] == ["-m", "socanalysis.dashboards.server"] and Path(argv[3]) == launch.notebooks
        for flag in (
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--no-browser",
            "--template=socanalysis",
            "--strip_sources=True",
            "--theme=light",
            "--show_tracebacks=False",
            # kernels kept warm, one per dashboard, replaced once used
            "--preheat_kernel=True",
            "--pool_size=1",
            "--progressive_rendering=False",
            # kernels of closed or abandoned pages end; a cap on live kernels
            "--MappingKernelManager.cull_idle_timeout=600",
            "--MappingKernelManager.cull_interval=60",
            "--MappingKernelManager.cull_connected=False",
            "--VoilaConfiguration.multi_kernel_manager_class=socanalysis.dashboards.server.DashboardKernelManager",
            "--DashboardKernelManager.max_kernels=12",
        ):
            assert flag in argv, flag
        assert not any("allow_hosts" in arg for arg in argv)
        assert launch.url == f"http://127.0.0.1:{port}/"
        assert (launch.warm_kernels, launch.max_kernels) == (4, 12)
        assert sorted(p.name for p in launch.notebooks.glob("*.ipynb")) == sorted(
            f"{n}.ipynb" for n in DASHBOARDS.values()
        )
        pages = Path(next(arg.split("=", 1)[1] for arg in argv if arg.startswith("--DashboardServer.pages_dir=")))
        assert sorted(p.name for p in pages.iterdir()) == [
            "busy-dark.html",
            "busy-light.html",
            "home-dark.html",
            "home-light.html",
        ]
        assert launch.ready_file.parent == pages and not launch.ready_file.exists()
        assert launch.env["JUPYTER_PATH"].split(":")[0] == str(serving.template_root())
        assert launch.env[ENV_UPLOAD_LIMIT] == "200"
        assert launch.env["VOILA_APP_IP"] == "127.0.0.1"
        # the upload limit in the server's own config file, not a dict on the command line (traitlets warns)
        config = Path(launch.env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
        settings = json.loads((config / "voila.json").read_text(encoding="utf-8"))["Voila"]
        assert settings["tornado_settings"] == {"websocket_max_message_size": 209715200}
        assert "token" not in settings and not any("tornado_settings" in arg for arg in argv)
    finally:
        launch.cleanup()
    assert not launch.notebooks.exists() and not pages.exists() and not config.exists()


def test_server_options_hosts_idle_minutes_cap_and_pool():
    launch = voila_command(
        "meeting",
        port=_free_port(),
        allow_hosts=["Dashboards.Firm.example", "192.168.1.20", "[fe80::1]"],
        idle_minutes=0.5,
        max_kernels=3,
        pool_size=2,
    )
    try:
        argv = launch.argv
        for flag in (
            "--DashboardServer.allow_hosts=dashboards.firm.example",
            "--DashboardServer.allow_hosts=192.168.1.20",
            "--DashboardServer.allow_hosts=fe80::1",
            "--MappingKernelManager.cull_idle_timeout=30",
            "--MappingKernelManager.cull_interval=3",
            "--pool_size=2",
            "--DashboardKernelManager.max_kernels=3",
        ):
            assert flag in argv, flag
        assert (launch.warm_kernels, launch.max_kernels) == (2, 3)  # one dashboard served
    finally:
        launch.cleanup()
    without_pool = voila_command(port=_free_port(), pool_size=0, idle_minutes=0)
    try:
        assert "--progressive_rendering=True" in without_pool.argv
        assert not any(arg.startswith(("--preheat_kernel", "--pool_size")) for arg in without_pool.argv)
        assert "--MappingKernelManager.cull_idle_timeout=0" in without_pool.argv  # 0: never
        assert without_pool.warm_kernels == 0 and without_pool.max_kernels >= 2
    finally:
        without_pool.cleanup()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"allow_hosts": ["evil example"]}, "--allow-host 'evil example': give a host name"),
        ({"allow_hosts": ["http://x.example"]}, "without scheme, port or wildcard"),
        ({"allow_hosts": ["*.firm.example"]}, "give a host name"),
        ({"allow_hosts": ["dash.example:8866"]}, "give a host name"),
        ({"idle_minutes": -1}, "idle_minutes=-1 (--idle-minutes): give minutes from 0"),
        ({"idle_minutes": "10"}, "idle_minutes='10'"),
        ({"pool_size": 9}, "pool_size=9 (--pool-size): give a whole number from 0 to 4"),
        ({"max_kernels": 0}, "max_kernels=0 (--max-kernels): give a whole number 1 or more"),
        ({"max_kernels": 4}, "max_kernels=4 (--max-kernels) leaves no room for a page beside the 4 kernel"),
        ({"upload_limit_mb": 0}, "upload_limit_mb=0 (--upload-limit)"),
    ],
)
def test_server_options_out_of_range_are_refused_in_one_line(options, message):
    with pytest.raises(SocAnalysisError, match=re.escape(message)) as info:
        voila_command(port=_free_port(), **options)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--allow-host", "evil example"], "--allow-host 'evil example': give a host name"),
        (["--max-kernels", "2"], "max_kernels=2 (--max-kernels) leaves no room for a page"),
        (["--pool-size", "5"], "pool_size=5 (--pool-size): give a whole number from 0 to 4"),
        (["--idle-minutes", "-3"], "idle_minutes=-3.0 (--idle-minutes): give minutes from 0"),
    ],
)
def test_the_command_line_refuses_bad_server_options_in_one_line(capsys, argv, message):
    from socanalysis.cli import main

    assert main(["dashboard", "--port", str(_free_port()), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("socanalysis: error: ") and message in err and err.count("\n") == 1
    assert "Traceback" not in err


def test_default_cap_follows_the_memory_and_leaves_room_for_pages(monkeypatch):
    sizes = {"SC_PAGE_SIZE": 4096}
    monkeypatch.setattr(serving.os, "sysconf", lambda name: sizes.get(name, 16 * 1024**3 // 4096))
    assert serving.default_max_kernels(4) == 16  # 16 GB: a quarter of it at 250 MB a kernel
    monkeypatch.setattr(serving.os, "sysconf", lambda name: sizes.get(name, 2 * 1024**3 // 4096))
    assert serving.default_max_kernels(4) == 6  # small machine: still the warm kernels and two pages
    monkeypatch.setattr(serving.os, "sysconf", lambda name: sizes.get(name, 512 * 1024**3 // 4096))
    assert serving.default_max_kernels(4) == serving.MAX_KERNELS_CEILING


def test_the_home_page_names_what_each_page_gives_to_take_away():
    from socanalysis.dashboards import home

    for notebook in ("portfolio_dashboard", "meeting_walkthrough"):  # both offer a PDF and a deck (takeaways.py)
        line = home.DESCRIPTIONS[notebook][1]
        assert "PDF" in line and "slide deck" in line, notebook
    assert "workbook" in home.DESCRIPTIONS["portfolio_dashboard"][1]


def test_home_and_busy_pages_are_branded_escaped_and_self_contained(tmp_path):
    from socanalysis.dashboards import home, server
    from socanalysis.present import load_branding

    brand = load_branding({"firm_name": HOSTILE, "primary": "#123456"})
    light = home.home_html(brand, theme="light")
    dark = home.home_html(brand, theme="dark")
    for page in (light, dark):
        assert HOSTILE not in page and html.escape(HOSTILE) in page
        assert not re.search(r"(href|src)=[\"']?(https?:)?//", page)  # nothing fetched
        for notebook, (title, line) in home.DESCRIPTIONS.items():
            assert html.escape(title) in page and html.escape(line) in page
            assert f'href="voila/render/{notebook}.ipynb' in page
        assert "notebooks/getting_started.ipynb" in page
        assert "--soc-primary: #123456;" in page
    assert 'class="soc-app soc-home soc-dark"' in dark and 'class="soc-app soc-home"' in light
    assert 'href="voila/render/lead_classifier.ipynb?theme=dark"' in dark
    assert 'href="voila/render/lead_classifier.ipynb"' in light
    busy = home.busy_html(brand, theme="dark")
    assert home.BUSY_PLACEHOLDER in busy and "The dashboards are busy: " in busy and HOSTILE not in busy
    assert home.BUSY_PLACEHOLDER == server._BUSY_PLACEHOLDER
    written = home.write_pages(tmp_path, brand)
    assert sorted(p.name for p in written) == sorted(p.name for p in tmp_path.iterdir())  # no temporary left


@pytest.mark.parametrize("make", [MeetingApp, lambda: PortfolioApp(start=False), ExplainerApp, LeadsApp])
def test_an_app_in_a_kernel_kept_warm_takes_the_theme_of_the_page_that_takes_the_kernel(monkeypatch, make):
    """What a kernel of Voilà's pool does once its notebook has run: ask the server for its page."""
    import asyncio

    from websockets.sync.server import serve as ws_serve

    kernel_id = "0f9c2a3e-1111-4222-8333-944455556666"
    asked = []

    def answer(connection):
        asked.append(connection.request.path)
        time.sleep(0.2)  # the page comes later
        connection.send(json.dumps({"QUERY_STRING": "theme=dark", "SERVER_NAME": "localhost"}))

    monkeypatch.setenv(ENV_THEME, "light")
    monkeypatch.setattr(common, "_FOLLOWERS", [])
    monkeypatch.setattr(common, "_LISTENING", False)
    app = make()
    started = isinstance(app, PortfolioApp)
    if started:
        app.start()  # the notebook's second cell, run before the page came
    shown = app.widget
    old_children = list(shown.children)
    assert app.branding.mode == "light" and "soc-dark" not in shown._dom_classes

    async def kernel():
        app._repr_mimebundle_()  # the notebook displays the app
        for _ in range(200):
            await asyncio.sleep(0.05)
            if app.branding.mode == "dark":
                return

    with ws_serve(answer, "127.0.0.1", 0) as server_:
        threading.Thread(target=server_.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_KERNEL_ID", kernel_id)
        monkeypatch.setenv("VOILA_APP_IP", "127.0.0.1")
        monkeypatch.setenv("VOILA_APP_PORT", str(server_.socket.getsockname()[1]))
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        asyncio.run(kernel())
        server_.shutdown()
    assert asked == [f"/voila/query/{kernel_id}"]
    assert os.environ["QUERY_STRING"] == "theme=dark"
    assert app.branding.mode == "dark" and app.widget is shown  # the widget on the page, now dark
    assert "soc-dark" in shown._dom_classes and "soc-app" in shown._dom_classes
    assert not set(shown.children) & set(old_children)
    assert all(child.comm is None for child in old_children)  # the old widgets are closed
    if started:
        assert app.headline["organisations"] == 200
        shown.children[-1]._view_count = 1  # the page displayed the rebuilt app
        assert app.panes[CHARTS[0][0]].figure is not None


def test_an_app_in_a_kernel_kept_warm_that_cannot_reach_the_server_keeps_the_servers_theme(monkeypatch):
    import asyncio

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "0f9c2a3e-1111-4222-8333-944455556666")
    monkeypatch.setenv("VOILA_APP_PORT", str(_free_port()))  # nobody listens
    monkeypatch.setenv(ENV_THEME, "dark")
    monkeypatch.setattr(common, "_FOLLOWERS", [])
    monkeypatch.setattr(common, "_LISTENING", False)
    app = MeetingApp()

    async def kernel():
        app._repr_mimebundle_()
        await asyncio.sleep(1)

    asyncio.run(kernel())
    assert app.branding.mode == "dark" and all(child.comm is not None for child in app.widget.children)


def test_in_a_page_the_first_chart_comes_once_the_page_holds_the_widgets(monkeypatch):
    """So that plotly does not keep the headline figures off the screen while it loads."""
    monkeypatch.setenv("VOILA_KERNEL_ID", "0f9c2a3e-1111-4222-8333-944455556666")
    app = PortfolioApp()
    first = CHARTS[0][0]
    assert app.headline["organisations"] == 200 and "200" in app.kpis.value
    assert app.panes[first].figure is None and app.panes[first].note == "Drawing the chart…"
    signal = app.widget.children[-1]
    assert "soc-page-drawn" in signal._dom_classes and signal.layout.display == "none"
    signal._view_count = 1  # the browser displayed it
    assert app.panes[first].figure is not None
    app.filters["soc_report"].value = "SOC 1"  # and every later change draws at once
    assert app.panes[first].figure is not None and len(app.view) < 200
    monkeypatch.delenv("VOILA_KERNEL_ID")
    assert PortfolioApp().panes[first].figure is not None  # JupyterLab, scripts: drawn at once


def test_in_a_page_the_other_tabs_wait_for_the_page_too_then_draw_when_it_is_still(monkeypatch):
    import asyncio

    monkeypatch.setenv("VOILA_KERNEL_ID", "0f9c2a3e-1111-4222-8333-944455556666")
    monkeypatch.setattr(charttabs, "IDLE_SECONDS", 0.01)
    drawn: list[str] = []

    async def kernel() -> PortfolioApp:
        app = PortfolioApp()  # in a kernel: a running event loop
        for key, pane in app.panes.items():
            monkeypatch.setattr(pane, "message", lambda text, key=key: drawn.append(key))
        await asyncio.sleep(0.3)
        assert drawn == [] and app.charts._later is None  # nothing drawn nor scheduled before the page is
        app.widget.children[-1]._view_count = 1  # the browser displayed the page
        while app.charts.stale:
            await asyncio.sleep(0.05)
        return app

    app = asyncio.run(asyncio.wait_for(kernel(), 120))
    assert all(pane.figure is not None for pane in app.panes.values())


def test_apps_outside_a_kernel_kept_warm_or_with_their_own_branding_follow_no_page(monkeypatch):
    monkeypatch.setattr(common, "_FOLLOWERS", [])
    MeetingApp()._repr_mimebundle_()  # not in a kernel kept warm
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    MeetingApp(branding={"mode": "light"})._repr_mimebundle_()  # its own branding
    MeetingApp()._repr_mimebundle_()  # no event loop running: not a kernel's cell
    assert common._FOLLOWERS == []


@pytest.mark.parametrize(
    ("name", "notebook"),
    [
        ("portfolio", "portfolio_dashboard"),
        ("leads", "lead_classifier"),
        ("meeting_walkthrough", "meeting_walkthrough"),
        ("soc_explainer.ipynb", "soc_explainer"),
    ],
)
def test_one_dashboard_by_name(name, notebook):
    launch = voila_command(name, port=_free_port(), dark=True, open_browser=True)
    try:
        assert Path(launch.argv[3]).name == f"{notebook}.ipynb"
        assert "--theme=dark" in launch.argv and "--no-browser" not in launch.argv
        assert launch.env[ENV_THEME] == "dark"
    finally:
        launch.cleanup()


def test_unknown_dashboard_is_refused():
    with pytest.raises(SocAnalysisError, match="no dashboard 'sales'; give one of 'portfolio'"):
        voila_command("sales", port=_free_port())


def test_network_address_needs_a_token_kept_off_the_command_line():
    with pytest.raises(SocAnalysisError, match="give a token"):
        voila_command(port=_free_port(), ip="0.0.0.0")
    with pytest.raises(SocAnalysisError, match="not an IP address"):
        voila_command(port=_free_port(), ip="my laptop")
    launch = voila_command(port=_free_port(), ip="0.0.0.0", token="s3cret-token")
    try:
        assert not any("s3cret-token" in arg for arg in launch.argv)
        config = Path(launch.env["JUPYTER_CONFIG_PATH"].split(":")[0])
        assert json.loads((config / "voila.json").read_text())["Voila"]["token"] == "s3cret-token"
        assert config.stat().st_mode & 0o077 == 0
        assert launch.url.endswith("/?token=s3cret-token") and "--Voila.ip=0.0.0.0" in launch.argv
    finally:
        launch.cleanup()
    assert not config.exists()
    generated = voila_command(port=_free_port(), token=True)
    try:
        assert len(generated.url.split("?token=")[1]) >= 24
    finally:
        generated.cleanup()


def test_a_taken_port_fails_loudly_before_starting():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(SocAnalysisError, match=f"port {port} on 127.0.0.1 is not free"):
            serving.serve(port=port, stream=io.StringIO())
    with pytest.raises(SocAnalysisError, match="port=0"):
        voila_command(port=0)


def test_portfolio_and_branding_files_are_passed_to_the_kernels(tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_bytes(hostile_csv())
    brand = tmp_path / "brand.yaml"
    brand.write_text("firm_name: Acme\n")
    launch = voila_command("portfolio", port=_free_port(), portfolio=clients, branding=brand)
    try:
        assert launch.env[ENV_PORTFOLIO] == str(clients.resolve()) and launch.env[ENV_BRANDING] == str(brand.resolve())
    finally:
        launch.cleanup()
    with pytest.raises(SocAnalysisError, match="does not exist"):
        voila_command(port=_free_port(), portfolio=tmp_path / "missing.csv")


def test_serve_prints_the_url_once_warm_and_returns_voilas_status(monkeypatch):
    class FakeProcess:
        """A server that gets its kernels warm in 0.3 s, then runs until told to stop."""

        def __init__(self, argv, env):
            self.argv, self.env = argv, env
            ready = next(a.split("=", 1)[1] for a in argv if a.startswith("--DashboardServer.ready_file="))
            self.ready, self.started = Path(ready), time.monotonic()

        def poll(self):
            if time.monotonic() - self.started > 0.3 and not self.ready.exists():
                self.ready.write_text(json.dumps({"warm_kernels": 1, "seconds": 12.4}))
            return None

        def wait(self, timeout=None):
            seen.append(out.getvalue())
            return 0

    started, seen = [], []
    monkeypatch.setattr(serving.subprocess, "Popen", lambda argv, env: started.append(argv) or FakeProcess(argv, env))
    out = io.StringIO()
    port = _free_port()
    assert serving.serve("meeting", port=port, stream=out, max_kernels=5) == 0
    printed = seen[0]
    assert printed.startswith("Starting: warming 1 kernel(s), about 250 MB")
    url_line = rf"The dashboard is at http://127.0.0.1:{port}/\nReady in \d+ s, 1 kernel\(s\) kept warm\."
    assert re.search(url_line, printed), printed
    assert "At most 5 kernels at once" in printed and "10 idle minutes" in printed and "200 MB" in printed
    assert Path(started[0][3]).name == "meeting_walkthrough.ipynb"
    assert not Path(started[0][3]).exists()  # the temporary notebooks are removed afterwards


def test_serve_returns_the_status_of_a_server_that_ends_before_it_is_ready(monkeypatch):
    class Failing:
        def __init__(self, argv, env):
            pass

        def poll(self):
            return 1

        def wait(self, timeout=None):
            return 1

    monkeypatch.setattr(serving.subprocess, "Popen", Failing)
    out = io.StringIO()
    assert serving.serve(port=_free_port(), stream=out) == 1
    assert "http://" not in out.getvalue()


def test_the_template_links_nothing_off_host():
    folder = serving.template_root() / "voila" / "templates" / "socanalysis"
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}
    for name in ("index.html.j2", "page.html"):
        text = (folder / name).read_text()
        assert not re.search(r"(href|src)=[\"']?(https?:)?//", text), name


# --------------------------------------------------------------------------------------------
# notebooks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_committed_notebooks_match_the_package_and_carry_no_outputs(name):
    path = ROOT / "notebooks" / f"{name}.ipynb"
    committed = nbformat.read(path, as_version=4)
    nbformat.validate(committed)
    built = build_notebook(name)
    assert [(c.cell_type, c.source) for c in committed.cells] == [(c.cell_type, c.source) for c in built.cells]
    assert "widgets" not in committed.metadata
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", sorted(DASHBOARDS.values()))
def test_dashboard_notebooks_are_thin(name):
    code = "\n".join(c.source for c in build_notebook(name).cells if c.cell_type == "code")
    assert len([line for line in code.splitlines() if line.strip()]) <= 4


def test_getting_started_covers_the_steps():
    text = "\n".join(source for _, source in NOTEBOOKS["getting_started"])
    for step in ("load_sample_portfolio", "sa.classify", "sa.explain", "sa.coverage", "charts.", "export_excel"):
        assert step in text, step


def test_statuses_cover_the_headline():
    # every coverage status is counted in exactly one of the headline figures that share the organisations out
    from socanalysis.portfolio import PARTITION, headline

    frame = pd.DataFrame({"soc_report": ["SOC 1"] * len(STATUSES), "coverage_status": list(STATUSES)})
    frame = frame.assign(holds_soc1=False, holds_soc2=False)
    figures = headline(frame, opportunities=np.zeros(len(STATUSES)))
    assert figures.loc[list(PARTITION), "value"].tolist() == [2, 1, 1, 3, 1, 1]  # covered = Covered + Renewal due
    assert sum(figures.loc[list(PARTITION), "value"]) == len(STATUSES)


def test_common_exports_are_listed():
    assert set(common.__all__) <= set(dir(common))


def test_a_server_that_exits_is_not_waited_for_and_one_that_hangs_is_stopped():
    import subprocess
    import sys
    import time

    from socanalysis.dashboards.serving import stop, wait_until_serving

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    started = time.monotonic()
    assert wait_until_serving(f"http://127.0.0.1:{_free_port()}/", gone, seconds=60) is False
    assert time.monotonic() - started < 30  # it gave up when the process exited, not at the deadline
    stubborn = subprocess.Popen(
        [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"]
    )
    time.sleep(0.5)
    stop(stubborn, seconds=1)
    assert stubborn.wait(timeout=10) is not None


def test_getting_started_shows_money_as_text_not_mathematics():
    """JupyterLab typesets "$10M–$50M" in a table or a markdown cell as mathematics unless told not to."""
    cells = NOTEBOOKS["getting_started"]
    for kind, source in cells:
        if kind == "markdown":
            assert not re.search(r"(?<!\\)\$", source), source[:60]
    first = next(source for kind, source in cells if kind == "code")
    namespace: dict = {}
    exec(first.replace("clients.head()", "shown = clients.head()._repr_html_()"), namespace)
    try:
        assert "$10M–$50M" in namespace["shown"] and "tex2jax_ignore" in namespace["shown"]
    finally:
        pd.reset_option("display.html.use_mathjax")
