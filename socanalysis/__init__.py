"""socanalysis: decide which SOC report each organisation needs, and track what it already holds.

The flow is load -> classify -> coverage -> summarize -> charts, tables and exports; each step is a
function from frames to frames, and ``assess`` runs the first four at once into an ``Assessment``
that the charts and exports draw from.

>>> import socanalysis as sa
>>> leads = sa.classify(sa.load_sample_leads())
>>> sorted(leads["soc_report"].unique()) == sorted(sa.REPORT_VALUES)
True
"""

import lazy_loader as _lazy

# Every name is imported on first use: the command line starts reading a lead list before pandas
# and the compiled classifier load, and needs none of the charting, Excel and HTML libraries.
__getattr__, __dir__, _ = _lazy.attach(
    __name__,
    submod_attrs={
        "vocabulary": ["OUTPUT_COLUMNS", "REPORT_VALUES", "REVIEW_COLUMNS", "STATUSES"],
        "portfolio.compare": [
            "UnknownOrganisationError",
            "compare_entities",
            "compare_reports",
            "control_overview",
        ],
        "present.tables": ["style_table", "to_html"],
        "present": ["charts"],
        "portfolio.coverage": ["coverage", "coverage_problems"],
        "portfolio.fees": ["FeeScheduleError", "load_fees"],
        "portfolio.pricing": ["opportunities"],
        "portfolio.summary": ["summarize"],
        "load.samples": ["load_sample_leads", "load_sample_portfolio"],
        "errors": [
            "ColumnError",
            "DecodingError",
            "EmptyFileError",
            "ExportError",
            "PortfolioError",
            "RulesError",
            "SocAnalysisError",
            "UnsupportedFormatError",
            "ValueParseError",
        ],
        "classifier.explain": ["explain"],
        "present.workbook": ["export_excel"],
        "present.report_html": ["export_html_report"],
        "present.images": ["export_image"],
        "present.reporting": ["export_pdf"],
        "present.cells": ["neutralise"],
        "present.files": ["write_csv"],
        "present.leads_xlsx": ["write_leads_xlsx"],
        "pipeline": ["Assessment", "assess", "classify", "report"],
        "classifier.taxonomy": ["industry_label"],
        "leads.hygiene": ["ClientIndex"],
        "load.reading": ["load_portfolio", "read_table"],
        "load.mapping": ["field_mapping"],
        "load.names": ["normalise_domain", "normalise_name"],
        "load.dates": ["parse_dates", "parse_month_day"],
        "load.reports": ["parse_reports"],
        "classifier.rules": ["load_rules"],
        "present.theme": ["Branding", "load_branding"],
        "present.deck": ["export_deck"],
    },
)

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_COLUMNS",
    "REPORT_VALUES",
    "REVIEW_COLUMNS",
    "STATUSES",
    "Assessment",
    "Branding",
    "ClientIndex",
    "ColumnError",
    "DecodingError",
    "EmptyFileError",
    "ExportError",
    "FeeScheduleError",
    "PortfolioError",
    "RulesError",
    "SocAnalysisError",
    "UnknownOrganisationError",
    "UnsupportedFormatError",
    "ValueParseError",
    "__version__",
    "charts",
    "assess",
    "classify",
    "compare_entities",
    "compare_reports",
    "control_overview",
    "coverage",
    "coverage_problems",
    "explain",
    "export_excel",
    "export_html_report",
    "export_image",
    "export_pdf",
    "field_mapping",
    "industry_label",
    "load_branding",
    "load_fees",
    "load_portfolio",
    "load_rules",
    "load_sample_leads",
    "load_sample_portfolio",
    "normalise_domain",
    "neutralise",
    "normalise_name",
    "opportunities",
    "parse_dates",
    "parse_month_day",
    "parse_reports",
    "read_table",
    "report",
    "style_table",
    "summarize",
    "to_html",
    "write_csv",
    "write_leads_xlsx",
    "export_deck",
]
