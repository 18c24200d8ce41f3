"""socanalysis: decide which SOC report each organisation needs, and track what it already holds.

The flow is load -> classify -> coverage -> summarize -> charts, tables and exports; each step is a
function from frames to frames.

>>> import socanalysis as sa
>>> leads = sa.classify(sa.load_sample_leads())
>>> sorted(leads["soc_report"].unique()) == sorted(sa.REPORT_VALUES)
True
"""

import gc as _gc
import sys as _sys
from importlib import import_module
from types import ModuleType as _ModuleType

# Every name is imported on first use: the command line starts reading a lead list before pandas
# and the compiled classifier load, and needs none of the charting, Excel and HTML libraries.
_LAZY = {
    "classify": ("OUTPUT_COLUMNS", "REPORT_VALUES", "classify"),
    "compare": (
        "UnknownOrganisationError",
        "compare_entities",
        "compare_reports",
        "control_overview",
        "style_table",
        "to_html",
    ),
    "coverage": (
        "STATUSES",
        "FeeScheduleError",
        "coverage",
        "coverage_problems",
        "load_fees",
        "opportunities",
        "summarize",
    ),
    "datasets": ("load_sample_leads", "load_sample_portfolio"),
    "errors": (
        "ColumnError",
        "DecodingError",
        "EmptyFileError",
        "ExportError",
        "PortfolioError",
        "RulesError",
        "SocAnalysisError",
        "UnsupportedFormatError",
        "ValueParseError",
    ),
    "explain": ("explain",),
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
# submodules holding a function of their own name: the package's attribute is the function
_FUNCTION_MODULES = frozenset(module for module in _LAZY if module in _MODULE_OF)


class _Package(_ModuleType):
    def __setattr__(self, name: str, value) -> None:
        # importing a submodule binds it on its package; ``socanalysis.classify`` stays the function
        if name in _FUNCTION_MODULES and isinstance(value, _ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'socanalysis' has no attribute {name!r}")
    # pandas, pyarrow and numba build hundreds of thousands of objects as they load, none of them
    # garbage: without the collector running over them again and again, importing takes a third less
    collecting = _gc.isenabled()
    _gc.disable()
    try:
        value = getattr(import_module(f".{module}", __name__), name)
    finally:
        if collecting:
            _gc.enable()
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
