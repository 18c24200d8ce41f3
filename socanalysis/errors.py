"""The exception family.

Every error a user can cause derives from :class:`SocAnalysisError`. Errors about input data
carry a table of failure cases (row, column, value, problem) so that all the bad rows are
reported at once instead of stopping at the first one.

>>> err = PortfolioError("2 dates could not be read", cases=[
...     {"row": 3, "column": "Period End", "value": "31/31/2025", "problem": "no such day"}])
>>> err.cases.loc[0, "problem"]
'no such day'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

CASE_COLUMNS = ["row", "column", "value", "problem"]


class SocAnalysisError(Exception):
    """Base class: a problem the user can fix (bad file, bad rules, bad argument)."""

    def __init__(self, message: str, *, cases: Iterable[Mapping] | pd.DataFrame | None = None):
        super().__init__(message)
        self.message = message
        if cases is None:
            self.cases = pd.DataFrame(columns=CASE_COLUMNS)
        else:
            self.cases = pd.DataFrame(cases).reindex(columns=CASE_COLUMNS)

    def __str__(self) -> str:
        if self.cases.empty:
            return self.message
        shown = self.cases.head(10)
        lines = [
            f"  row {r.row}, column {r.column!r}, value {r.value!r}: {r.problem}" for r in shown.itertuples(index=False)
        ]
        more = len(self.cases) - len(shown)
        if more > 0:
            lines.append(f"  ... and {more} more")
        return "\n".join([self.message, *lines])


class PortfolioError(SocAnalysisError):
    """The input table cannot be used as a portfolio or lead list."""


class EmptyFileError(PortfolioError):
    """The file holds no rows."""


class UnsupportedFormatError(PortfolioError):
    """The file type is not one socanalysis reads."""


class DecodingError(PortfolioError):
    """The bytes of the file could not be decoded as text."""


class ColumnError(PortfolioError):
    """A required column is missing, ambiguous or duplicated."""


class ValueParseError(PortfolioError):
    """Values in a column could not be read (dates, report names ...)."""


class RulesError(SocAnalysisError):
    """A rules file is missing, malformed, or a rule in it is invalid."""


class ExportError(SocAnalysisError):
    """A result could not be written (unknown extension, missing browser for images ...)."""
