"""socanalysis: decide which SOC report each organisation needs, and track what it already holds.

The flow is load -> classify -> coverage -> summarize -> charts, tables and exports; each step is a
function from frames to frames.
"""

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

__version__ = "0.1.0"

__all__ = [
    "ColumnError",
    "DecodingError",
    "EmptyFileError",
    "ExportError",
    "PortfolioError",
    "RulesError",
    "SocAnalysisError",
    "UnsupportedFormatError",
    "ValueParseError",
    "__version__",
]
