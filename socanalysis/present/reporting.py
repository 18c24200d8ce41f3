"""The meeting report as a file, in the format its name asks for: HTML, XLSX, PDF, PPTX, PNG or CSV.

:func:`write_report` writes an Assessment; :func:`socanalysis.report` (``socanalysis report``)
assesses a portfolio file and calls it.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ExportError, require_extra
from .assessment import Assessment
from .files import write_csv
from .images import export_pdf, find_browser, render_page
from .report_html import export_html_report
from .views import organisations_table
from .workbook import export_excel

__all__ = ["REPORT_FORMATS", "check_report_output", "write_report"]

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
