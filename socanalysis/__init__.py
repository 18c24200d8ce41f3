"""socanalysis: decide which SOC report each organisation needs, and track what it already holds.

The flow is load -> classify -> coverage -> summarize -> charts, tables and exports; each step is a
function from frames to frames.

>>> import socanalysis as sa
>>> leads = sa.classify(sa.load_sample_leads())
>>> sorted(leads["soc_report"].unique()) == sorted(sa.REPORT_VALUES)
True
"""

import gc as _gc
from importlib import import_module

# pandas, pyarrow and numba build hundreds of thousands of objects as they load, none of them
# garbage: without the collector running over them again and again, importing takes a third less
_collecting = _gc.isenabled()
_gc.disable()
try:
    # functions named like their module are bound now, so that the module never takes their place
    from .classify import OUTPUT_COLUMNS, REPORT_VALUES, classify
    from .coverage import (
        STATUSES,
        FeeScheduleError,
        coverage,
        coverage_problems,
        load_fees,
        opportunities,
        summarize,
    )
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
finally:
    if _collecting:
        _gc.enable()

# the rest is imported on first use, so that the command line starts without the charting,
# Excel and HTML libraries it does not need
_LAZY = {
    "compare": (
        "UnknownOrganisationError",
        "compare_entities",
        "compare_reports",
        "control_overview",
        "style_table",
        "to_html",
    ),
    "datasets": ("load_sample_leads", "load_sample_portfolio"),
    "export": (
        "export_excel",
        "export_html_report",
        "export_image",
        "export_pdf",
        "neutralise",
        "report",
        "write_csv",
        "write_leads_xlsx",
    ),
    "hygiene": ("ClientIndex",),
    "loading": ("field_mapping", "load_portfolio", "normalise_domain", "normalise_name", "read_table"),
    "reports": ("parse_dates", "parse_month_day", "parse_reports"),
    "rules": ("load_rules",),
    "theme": ("Branding", "load_branding"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'socanalysis' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


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
