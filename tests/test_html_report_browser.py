"""The HTML report in a real headless Chromium, with every network request blocked.

Skipped without Chromium, except on CI (``CI=true``), where a missing browser fails (see
``tests/browser.py``).
"""

from __future__ import annotations

import re

import pytest
from browser import CHROMIUM_ARGS, require_chromium

from socanalysis.load.samples import load_sample_portfolio
from socanalysis.pipeline import assess
from socanalysis.present import export_html_report
from socanalysis.present.theme import Branding

playwright = pytest.importorskip("playwright.sync_api")

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SERVICES = "Payroll processing </script><script>alert(2)</script> for clients"
HOSTILE_INDUSTRY = "<b>Payroll</b> & <i>HR</i>"
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> tuple[str, str]:
    portfolio = load_sample_portfolio()
    fields = portfolio.attrs["socanalysis"]["fields"]
    hostile = portfolio.copy()
    hostile.attrs = portfolio.attrs
    hostile.loc[0, fields["name"]] = HOSTILE_NAME
    hostile.loc[0, fields["description"]] = HOSTILE_SERVICES
    hostile.loc[0, fields["reports"]] = ""  # holds nothing: a gap, so the report's gap table lists the name
    hostile.loc[:39, fields["industry"]] = HOSTILE_INDUSTRY  # the largest segment: drawn on the axes
    hostile.loc[1, fields["partner"]] = "</script><script>alert(3)</script>"
    assessed = assess(hostile, as_of="2026-11-26", branding=Branding(firm_name="Harbour & <Pine>", logo=PIXEL))
    path = tmp_path_factory.mktemp("report") / "report.html"
    page = export_html_report(assessed, path)
    return path.as_uri(), page


def _open(chromium: str, url: str, charts: int):
    """Load ``url`` with the network blocked; return what was seen."""
    seen = {"requests": [], "blocked": [], "errors": [], "dialogs": []}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()

            def block(route):
                seen["blocked"].append(route.request.url)
                route.abort()

            context.route(re.compile(r"^https?://"), block)
            page = context.new_page()
            page.on("request", lambda r: seen["requests"].append(r.url))
            page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen["errors"].append(str(e)))

            def on_dialog(dialog):
                seen["dialogs"].append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(url, wait_until="load")
            page.wait_for_function(
                "n => [...document.querySelectorAll('.js-plotly-plot')]"
                ".filter(d => d.querySelector('.main-svg')).length >= n",
                arg=charts,
                timeout=30_000,
            )
            page.wait_for_timeout(300)
            seen["drawn"] = page.evaluate(
                "[...document.querySelectorAll('.js-plotly-plot')].filter(d => d.querySelector('.main-svg')).length"
            )
            seen["main_svg"] = page.locator(".js-plotly-plot .main-svg").count()
            seen["plots"] = page.locator(".js-plotly-plot").count()
            seen["scripts"] = page.evaluate("document.scripts.length")
            seen["images"] = page.evaluate("[...document.images].map(i => i.getAttribute('src').slice(0, 22))")
            seen["body_text"] = page.locator("body").inner_text()
            seen["svg_text"] = page.locator(".js-plotly-plot text").all_text_contents()
            seen["title"] = page.title()
            seen["h1"] = page.evaluate("document.querySelector('header h1')?.innerText")
            seen["header"] = page.evaluate("document.querySelector('header p')?.innerText")
            if page.locator("#chart-coverage").count():
                # hover the top bar (the largest segment) and read the hover label plotly draws
                page.evaluate("""() => {
                    const gd = document.getElementById('chart-coverage');
                    const curve = gd._fullData.findIndex(t => t.x[0] > 0);
                    Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: 0}]);
                }""")
                page.wait_for_timeout(200)
                seen["hover"] = page.locator("#chart-coverage .hoverlayer").text_content()
        finally:
            browser.close()
    return seen


@pytest.fixture(scope="module")
def seen(chromium, hostile_report):
    url, page = hostile_report
    return _open(chromium, url, page.count('class="plotly-graph-div"'))


def test_every_chart_draws(seen, hostile_report):
    charts = hostile_report[1].count('class="plotly-graph-div"')
    assert charts == 6
    assert seen["plots"] == charts
    assert seen["drawn"] == charts
    assert seen["main_svg"] >= charts


def test_no_network_request_is_attempted(seen):
    assert seen["blocked"] == []
    assert [u for u in seen["requests"] if not u.startswith(("file://", "data:", "blob:"))] == []


def test_no_console_errors(seen):
    assert seen["errors"] == []


def test_hostile_values_show_as_text_and_never_run(seen):
    assert seen["dialogs"] == []
    assert HOSTILE_NAME in seen["body_text"]
    # only plotly.js and one inline script per chart: nothing injected
    assert seen["scripts"] == 1 + seen["plots"]
    # the only image is the logo, embedded as a data URI
    assert seen["images"] == ["data:image/png;base64,"]


def test_hostile_segment_is_drawn_as_literal_svg_text(seen):
    assert HOSTILE_INDUSTRY in seen["svg_text"]


def test_branding_is_escaped(seen):
    assert seen["title"].startswith("Harbour & <Pine>: ")
    assert seen["h1"] == "SOC coverage of the portfolio"
    assert "Harbour & <Pine>" in seen["header"]
    assert "as of 2026-11-26" in seen["header"]


def test_hover_label_shows_the_hostile_segment_as_text(seen):
    assert HOSTILE_INDUSTRY in seen["hover"]
    assert seen["errors"] == [] and seen["dialogs"] == []


def test_the_harness_catches_a_bad_page(chromium, tmp_path):
    """The checks above can fail: an unescaped name and a CDN script are both caught."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        f"<!DOCTYPE html><html><head><script src='https://cdn.plot.ly/plotly.min.js'></script>"
        f"</head><body>{HOSTILE_NAME}</body></html>",
        encoding="utf-8",
    )
    caught = _open(chromium, bad.as_uri(), 0)
    assert caught["blocked"] == ["https://cdn.plot.ly/plotly.min.js"]
    assert caught["dialogs"] == ["1"]
    assert caught["images"] == ["x"]
    assert HOSTILE_NAME not in caught["body_text"]


def test_missing_chromium_skips_locally_and_fails_on_ci(tmp_path, monkeypatch):
    import browser

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("CI", raising=False)
    assert browser.chromium_path() is None
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        browser.require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and no browser found.*apt-get install chromium"):
        browser.require_chromium()
