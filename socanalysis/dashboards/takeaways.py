"""Take-aways from the portfolio and meeting pages: the PDF and the slide deck, as download links.

Each page gets two buttons, "Prepare the PDF" and "Prepare the deck (PowerPoint)"; a click builds
the file and shows its link. Both need the ``images`` extra and a browser: without them the page
shows one line saying what to install (the Banner), never a traceback.

* Portfolio page: the HTML meeting report of the rows the filters keep, printed to PDF by the
  headless browser, and :func:`socanalysis.present.export_deck` of the same rows.
* Meeting page: what a partner hands the client after the conversation: the one-page summary of
  the recommendation with SOC 1, SOC 2 and SOC 3 side by side (PDF), and the same as a short deck
  (:func:`socanalysis.present.export_recommendation_deck`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ipywidgets as widgets

from ..errors import require_extra
from ..present import export_deck, export_recommendation_deck, render_page
from .common import Banner, download_link, temp_bytes

__all__ = [
    "PDF_MIME",
    "PPTX_MIME",
    "TakeAway",
    "deck_of_rows",
    "meeting_takeaways",
    "pdf_of_page",
    "portfolio_takeaways",
    "recommendation_deck",
    "takeaways",
]

PDF_MIME = "application/pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass(frozen=True)
class TakeAway:
    """A button that prepares a file: its label, its CSS class, and what makes the file.

    ``make`` returns the bytes, the file name and the link's label.
    """

    label: str
    css: str
    icon: str
    action: str
    mime: str
    make: Callable[[], tuple[bytes, str, str]]


def takeaways(banner: Banner, target: widgets.HTML, items: Sequence[TakeAway]) -> list[widgets.Button]:
    """Buttons that build a file on click and show its download link in ``target``."""
    buttons = []
    for item in items:
        button = widgets.Button(description=item.label, icon=item.icon, layout=widgets.Layout(width="auto"))
        button.add_class(item.css)
        button.on_click(lambda _b, item=item: prepare(banner, target, item))
        buttons.append(button)
    return buttons


def prepare(banner: Banner, target: widgets.HTML, item: TakeAway) -> None:
    """Build one take-away and show its link; an error (a missing extra, no browser) goes to the banner."""
    with banner.guard(item.action):
        data, name, label = item.make()
        target.value = download_link(data, name, label, item.mime)


def portfolio_takeaways(app) -> list[widgets.Button]:
    """The portfolio page's PDF and deck buttons: the rows the filters keep, links in ``app.downloads``."""

    def pdf() -> tuple[bytes, str, str]:
        return pdf_of_page(app.report_html()), app.file_name("_soc_report.pdf"), "Download PDF"

    def deck() -> tuple[bytes, str, str]:
        data = deck_of_rows(app.shown(), "SOC coverage of the portfolio")
        return data, app.file_name("_soc_deck.pptx"), "Download deck (PowerPoint)"

    items = [
        TakeAway("Prepare the report (PDF)", "soc-prepare-pdf", "file-pdf-o", "preparing the PDF", PDF_MIME, pdf),
        TakeAway("Prepare the deck (PowerPoint)", "soc-prepare-pptx", "file-powerpoint-o", "preparing the deck",
                 PPTX_MIME, deck),
    ]  # fmt: skip
    return takeaways(app.banner, app.downloads, items)


def meeting_takeaways(app, page, details, answers) -> list[widgets.Button]:
    """The meeting page's PDF and deck of the recommendation, links in ``app.takeaway``.

    ``page``, ``details`` and ``answers`` take the app and give the one-page summary (HTML), the
    recommendation as (label, text) pairs, and the (question, answer) pairs.
    """

    def pdf() -> tuple[bytes, str, str]:
        return pdf_of_page(page(app)), "soc_recommendation.pdf", "Download PDF"

    def deck() -> tuple[bytes, str, str]:
        data = recommendation_deck(
            details(app),
            organisation=app.organisation.value,
            description=app.description.value,
            answers=answers(app),
            branding=app.branding,
        )
        return data, "soc_recommendation.pptx", "Download deck (PowerPoint)"

    items = [
        TakeAway("PDF", "soc-prepare-pdf", "file-pdf-o", "preparing the PDF", PDF_MIME, pdf),
        TakeAway("Deck (PowerPoint)", "soc-prepare-pptx", "file-powerpoint-o", "preparing the deck", PPTX_MIME, deck),
    ]
    return takeaways(app.banner, app.takeaway, items)


def pdf_of_page(page: str) -> bytes:
    """An HTML page (the meeting report, the summary) printed to PDF by the headless browser."""
    require_extra("images", "kaleido")
    return temp_bytes(lambda path: render_page(page, path, kind="pdf"), ".pdf")


def deck_of_rows(assessment, title: str) -> bytes:
    """The portfolio deck (:func:`socanalysis.present.export_deck`) of an Assessment."""
    require_extra("images", "pptx", "kaleido")
    return temp_bytes(lambda path: export_deck(assessment, path, title=title), ".pptx")


def recommendation_deck(
    details: Sequence[tuple[str, str]], *, organisation: str, description: str, answers, branding
) -> bytes:
    """One organisation's recommendation as a deck (:func:`socanalysis.present.export_recommendation_deck`)."""
    require_extra("images", "pptx")
    return temp_bytes(
        lambda path: export_recommendation_deck(
            path,
            details=details,
            organisation=organisation,
            description=description,
            answers=answers,
            branding=branding,
        ),
        ".pptx",
    )
