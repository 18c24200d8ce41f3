"""The meeting report as a file, in the format its name asks for: HTML, XLSX, PDF, PPTX, PNG or CSV.

:func:`write_report` writes an Assessment; :func:`socanalysis.report` (``socanalysis report``)
assesses a portfolio file and calls it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ..errors import ExportError, SocAnalysisError, require_extra
from .assessment import Assessment
from .files import write_csv
from .images import export_image, find_browser, render_page
from .report_html import export_html_report
from .views import organisations_table
from .workbook import export_excel

__all__ = ["REPORT_FORMATS", "check_report_output", "export_pdf", "write_report"]

REPORT_FORMATS = (".html", ".htm", ".xlsx", ".pdf", ".pptx", ".png", ".csv")
"""The extensions a report can be written as."""


def _format(output: Path) -> str:
    suffix = output.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise ExportError(
            f"cannot write a report as {output.name!r}: give a file ending in " + ", ".join(REPORT_FORMATS)
        )
    return suffix


def write_report(assessment: Assessment, output_path: str | os.PathLike, *, title: str | None = None) -> Path:
    """Write an Assessment as the meeting report, by the output's extension.

    ``.html`` (:func:`~socanalysis.present.report_html.export_html_report`), ``.xlsx``
    (:func:`~socanalysis.present.workbook.export_excel`), ``.pdf`` or ``.png`` (the HTML report
    printed by the headless browser), ``.pptx`` (:func:`~socanalysis.present.deck.export_deck`, a
    slide deck), ``.csv`` (:func:`~socanalysis.present.views.organisations_table`).

    Parameters
    ----------
    assessment : Assessment
        From :func:`socanalysis.assess`.
    output_path : str or os.PathLike
    title : str, optional
        The HTML report's title (HTML, PDF and PNG).

    Returns
    -------
    pathlib.Path
        ``output_path``.

    Raises
    ------
    ExportError
        For an extension not in :data:`REPORT_FORMATS`, or when a PDF/PNG needs a browser that is
        missing.
    """
    output = Path(output_path)
    suffix = _format(output)
    if suffix == ".csv":
        return write_csv(organisations_table(assessment), output)
    if suffix == ".xlsx":
        return export_excel(assessment, output)
    if suffix == ".pptx":
        from .deck import export_deck

        return export_deck(assessment, output, title=title)
    page = export_html_report(assessment, output if suffix in (".html", ".htm") else None, title=title)
    if suffix == ".pdf":
        return export_pdf(page, output)
    if suffix == ".png":
        return render_page(page, output)
    return output


def check_report_output(output_path: str | os.PathLike) -> Path:
    """Check before any work that a report can be written to ``output_path``: a known extension,
    and a browser for a PDF or PNG.

    Raises
    ------
    ExportError
        For an extension not in :data:`REPORT_FORMATS`, or a PDF, PNG or PPTX without a browser.
    MissingExtraError
        For a PPTX without the ``images`` extra (python-pptx, kaleido).
    """
    output = Path(output_path)
    suffix = _format(output)
    if suffix == ".pptx":
        require_extra("images", "pptx", "kaleido")
    if suffix in (".pdf", ".png", ".pptx"):
        find_browser()
    return output


def export_pdf(
    source: Any, path: str | os.PathLike, *, width: int = 1200, branding: Any = None, title: str | None = None
) -> Path:
    """Write a portfolio's report, a chart or an HTML page as PDF through the headless browser.

    The report is the HTML report (:func:`~socanalysis.present.report_html.export_html_report`)
    printed by Chrome or Chromium on A4: the same page, the same figures, its charts as vectors.

    Parameters
    ----------
    source : Assessment, covered DataFrame, plotly Figure, HTML text, or path to an ``.html`` file
        An Assessment (:func:`socanalysis.assess`) or the output of :func:`socanalysis.coverage`
        becomes the HTML report first; a figure goes through kaleido (one page, the figure's size);
        a report (the text returned by :func:`export_html_report`, or its file) is opened in the
        browser, its charts drawn, and printed on A4.
    path : str or os.PathLike
    width : int
        The page width in CSS pixels the report is laid out at before printing.
    branding : Branding, dict, path or None
        With an Assessment or a frame: the firm's name, colours and logo (the Assessment's by default).
    title : str, optional
        With an Assessment or a frame: the report's title.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ExportError
        When no browser is found (saying what to install) or the page cannot be rendered.
    """
    path = Path(path)
    if isinstance(source, go.Figure):
        return export_image(source, path, format="pdf")
    if not isinstance(source, (str, os.PathLike)):
        find_browser()  # before the work
        source = export_html_report(source, branding=branding, title=title)
    return render_page(_page_text(source), path, width, kind="pdf")


def _page_text(source: str | os.PathLike) -> str:
    if isinstance(source, str) and source.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        return source
    if isinstance(source, (str, os.PathLike)) and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8")
    raise SocAnalysisError(
        "export_pdf() takes a plotly Figure, the HTML text of a report, or the path of an "
        f"existing .html file; got {str(source)[:80]!r}"
    )
