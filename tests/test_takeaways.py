"""The PDF and deck buttons of the portfolio and meeting pages (no browser page: the apps' own widgets)."""

from __future__ import annotations

import base64
import importlib.util
import io
import re

import pytest
from browser import require_chromium

from socanalysis.dashboards import MeetingApp, PortfolioApp

pptx = pytest.importorskip("pptx")


def _link(html_text: str) -> tuple[str, str, bytes]:
    """The download name, the MIME type and the bytes of the link shown."""
    found = re.search(r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', html_text)
    assert found, html_text[:200]
    return found.group(1), found.group(2), base64.b64decode(found.group(3))


def _button(buttons, css: str):
    return next(b for b in buttons if css in b._dom_classes)


@pytest.fixture(scope="module")
def portfolio() -> PortfolioApp:
    app = PortfolioApp()
    app.filters["region"].value = "West"
    return app


def test_the_portfolio_page_offers_pdf_and_deck_next_to_xlsx_and_html(portfolio):
    labels = [b.description for b in (portfolio.workbook_button, portfolio.report_button, *portfolio.takeaway_buttons)]
    assert labels == [
        "Prepare the workbook (XLSX)",
        "Prepare the meeting report (HTML)",
        "Prepare the report (PDF)",
        "Prepare the deck (PowerPoint)",
    ]


def test_the_portfolio_deck_holds_the_rows_the_filters_keep(portfolio):
    require_chromium()
    _button(portfolio.takeaway_buttons, "soc-prepare-pptx").click()
    assert portfolio.banner.kind != "error", portfolio.banner.message
    name, mime, data = _link(portfolio.downloads.value)
    assert name == "sample_portfolio_soc_deck.pptx" and mime.endswith("presentationml.presentation")
    assert "Download deck (PowerPoint)" in portfolio.downloads.value
    deck = pptx.Presentation(io.BytesIO(data))
    shown = len(portfolio.shown().frame)
    first = "\n".join(s.text_frame.text for s in list(deck.slides)[0].shapes if s.has_text_frame)
    assert f"{shown:,} organisations" in first and shown < 200


def test_the_portfolio_pdf(portfolio):
    require_chromium()
    _button(portfolio.takeaway_buttons, "soc-prepare-pdf").click()
    name, mime, data = _link(portfolio.downloads.value)
    assert (name, mime) == ("sample_portfolio_soc_report.pdf", "application/pdf") and data[:5] == b"%PDF-"


def test_a_missing_extra_is_one_line_on_the_page(monkeypatch):
    app = PortfolioApp()
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pptx" else real(name, *a))
    _button(app.takeaway_buttons, "soc-prepare-pptx").click()
    assert app.banner.kind == "error"
    assert "pip install 'socanalysis[images]'" in app.banner.message
    assert "Traceback" not in app.banner.widget.value and app.downloads.value == ""


def test_the_meeting_page_hands_over_the_recommendation_with_the_comparison():
    meeting = MeetingApp()
    meeting.organisation.value = "<b>Acme</b> Payroll"
    meeting.answer("q_payroll", True)
    _button(meeting.takeaway_buttons, "soc-prepare-pptx").click()
    assert meeting.banner.kind != "error", meeting.banner.message
    name, _, data = _link(meeting.takeaway.value)
    assert name == "soc_recommendation.pptx"
    deck = pptx.Presentation(io.BytesIO(data))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert titles[0] == "Our recommendation" and titles[-1].startswith("SOC 1, SOC 2 and SOC 3")
    texts = [s.text_frame.text for s in list(deck.slides)[0].shapes if s.has_text_frame]
    assert any("Which SOC report for <b>Acme</b> Payroll?" in t for t in texts)
    page = __import__("socanalysis.dashboards.meeting", fromlist=["summary_html"]).summary_html(meeting)
    assert "SOC 1, SOC 2 and SOC 3" in page and "&lt;b&gt;Acme&lt;/b&gt;" in page and "<b>Acme" not in page
    require_chromium()
    _button(meeting.takeaway_buttons, "soc-prepare-pdf").click()
    name, mime, data = _link(meeting.takeaway.value)
    assert (name, mime) == ("soc_recommendation.pdf", "application/pdf") and data[:5] == b"%PDF-"
