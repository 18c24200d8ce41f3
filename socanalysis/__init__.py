"""socanalysis: decide which SOC report each organisation needs, and track what it already holds.

The flow is load -> classify -> coverage -> summarize -> charts, tables and exports; each step is a
function from frames to frames.

>>> import socanalysis as sa
>>> leads = sa.classify(sa.load_sample_leads())
>>> sorted(leads["soc_report"].unique()) == sorted(sa.REPORT_VALUES)
True
"""

from .classify import OUTPUT_COLUMNS, REPORT_VALUES, classify
from .compare import (
    UnknownOrganisationError,
    compare_entities,
    compare_reports,
    control_overview,
    style_table,
    to_html,
)
from .coverage import (
    STATUSES,
    FeeScheduleError,
    coverage,
    coverage_problems,
    load_fees,
    opportunities,
    summarize,
)
from .datasets import load_sample_leads, load_sample_portfolio
from .errors import (
    ColumnError,
    DecodingError,
    EmptyFileError,
    ExportError,
    PortfolioError,
    RulesError,
    SocAnalysisError,
    UnsupportedFormatError,
    ValueParseError,
)
from .explain import explain
from .export import (
    export_excel,
    export_html_report,
    export_image,
    export_pdf,
    neutralise,
    report,
    write_csv,
    write_leads_xlsx,
)
from .hygiene import ClientIndex
from .loading import field_mapping, load_portfolio, normalise_domain, normalise_name, read_table
from .reports import parse_dates, parse_month_day, parse_reports
from .rules import load_rules
from .theme import Branding, load_branding

__version__ = "0.1.0"

__all__ = [
    "OUTPUT_COLUMNS",
    "REPORT_VALUES",
    "STATUSES",
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
]
