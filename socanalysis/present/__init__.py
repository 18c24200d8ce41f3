"""Present: the firm's palette and branding, charts, styled tables, formula-safe cells, the
workbook, the HTML report and images. Everything here takes frames that the earlier stages made
and draws or writes them; nothing here computes coverage.

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
            "STATUS_COLOURS",
            "Branding",
            "BrandingError",
            "branding_css",
            "load_branding",
            "plotly_template",
            "tint",
        ],
        "cells": ["neutral_text", "neutralise", "neutralise_arrow", "neutralise_series"],
        "tables": ["style_table", "to_html"],
        "export": [
            "EXCEL_MAX_ROWS",
            "LeadsXlsxWriter",
            "export_excel",
            "export_html_report",
            "export_image",
            "export_pdf",
            "find_browser",
            "organisations_table",
            "report",
            "write_csv",
            "write_leads_xlsx",
        ],
    },
)
