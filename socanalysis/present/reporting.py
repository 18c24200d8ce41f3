"""The meeting report as a file, in the format its name asks for: HTML, XLSX, PDF, PPTX, PNG or CSV.

:func:`report` is what ``socanalysis report`` runs: :func:`socanalysis.assess` on the portfolio,
then :func:`write_report`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ExportError, require_extra
from ..pipeline import Assessment, assess
from .files import write_csv
from .images import export_pdf, find_browser, render_page
from .report_html import export_html_report
from .theme import Branding, load_branding
from .views import organisations_table
from .workbook import export_excel

__all__ = ["REPORT_FORMATS", "report", "write_report"]

REPORT_FORMATS = (".html", ".htm", ".xlsx", ".pdf", ".pptx", ".png", ".csv")
"""The extensions a report can be written as."""

BrandingLike = Branding | Mapping | str | os.PathLike | None


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


def report(
    portfolio_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    as_of: Any = None,
    fees: Any = None,
    branding: BrandingLike = None,
    rules: Any = None,
    title: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
) -> Path:
    """Load a portfolio, classify it, judge its coverage and write the meeting report.

    :func:`socanalysis.assess` (load → classify → coverage → summaries), then :func:`write_report`
    by the output's extension.

    Parameters
    ----------
    portfolio_path : str or os.PathLike
        Any file :func:`socanalysis.load.reading.load_portfolio` reads.
    output_path : str or os.PathLike
    as_of : date-like, optional
        The date coverage is judged at; today by default.
    fees : path, dict, FeeSchedule or None
        The fee schedule (:func:`socanalysis.load_fees`).
    branding : Branding, dict, path or None
    rules : path, list of paths, dict or RuleSet, optional
        Firm rules merged over the defaults (see ``socanalysis.classify``).
    title : str, optional
    columns : dict, optional
        Which column holds a field, e.g. ``{"name": "Legal Entity"}`` (``--column``).
    sheet : str or int, optional
        With an Excel file: the sheet to read (``--sheet``).

    Returns
    -------
    pathlib.Path
        ``output_path``.

    Raises
    ------
    ExportError
        For an extension not in :data:`REPORT_FORMATS` (checked before any work), or when a PDF,
        PNG or PPTX needs a browser that is missing (also checked before any work).
    MissingExtraError
        For a PPTX without the ``images`` extra (python-pptx, kaleido), before any work.

    Examples
    --------
    >>> import tempfile
    >>> from socanalysis.load.samples import sample_path
    >>> out = report(sample_path("portfolio"), Path(tempfile.mkdtemp()) / "report.html", as_of="2026-11-26")
    >>> out.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    6
    """
    output = Path(output_path)
    suffix = _format(output)
    brand = load_branding(branding)
    if suffix == ".pptx":
        require_extra("images", "pptx", "kaleido")
    if suffix in (".pdf", ".png", ".pptx"):
        find_browser()  # fail before the work when no browser is present
    assessment = assess(
        portfolio_path, as_of=as_of, rules=rules, fees=fees, branding=brand, columns=columns, sheet=sheet
    )
    return write_report(assessment, output, title=title)
