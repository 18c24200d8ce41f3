"""Present: the firm's palette and branding, charts, styled tables, formula-safe cells, the
workbook, the HTML report, PDF, images and slide decks. Everything here takes an Assessment
(:func:`socanalysis.assess`) or the frames that the earlier stages made, and draws or writes them;
nothing here computes coverage, summaries or opportunities. Every file is written complete or not
at all (:class:`~socanalysis.present.files.AtomicFile`).

What the other rooms may use is listed here; each name is imported on first use.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submodules=["charts"],
    submod_attrs={
        "theme": [
            "CONFIDENCE_PATTERNS",
            "DEFAULT_BRANDING",
            "NEUTRAL",
            "OKABE_ITO",
            "REPORT_COLOURS",
            "REVIEW_GREY",
            "STATUS_COLOURS",
            "Branding",
            "BrandingError",
            "BrandingSchema",
            "branding_css",
            "load_branding",
            "plotly_template",
            "tint",
        ],
        "cells": ["neutral_text", "neutralise", "neutralise_arrow", "neutralise_series"],
        "tables": ["style_table", "to_html"],
        "files": ["AtomicFile", "OutputLock", "cannot_write", "refuse_input", "write_csv"],
        "xlsx": ["EXCEL_MAX_ROWS"],
        "leads_xlsx": ["LeadsXlsxWriter", "write_leads_xlsx"],
        "views": ["organisations_table"],
        "workbook": ["export_excel"],
        "report_html": ["export_html_report"],
        "images": ["export_image", "figure_png", "find_browser", "render_page"],
        "deck": ["export_deck", "export_recommendation_deck"],
        "reporting": ["REPORT_FORMATS", "check_report_output", "export_pdf", "write_report"],
        "assessment": ["SEGMENTS", "Assessment"],
    },
)
