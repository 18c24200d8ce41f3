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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

CASE_COLUMNS = ["row", "column", "value", "problem"]


class SocAnalysisError(Exception):
    """Base class: a problem the user can fix (bad file, bad rules, bad argument)."""

    def __init__(self, message: str, *, cases: Iterable[Mapping] | pd.DataFrame | None = None):
        super().__init__(message)
        self.message = message
        # the table is built on first use: the command line checks its input before pandas loads
        self._cases = cases if cases is None or hasattr(cases, "columns") else list(cases)
        self._frame = None

    @property
    def cases(self) -> pd.DataFrame:
        """The failure cases, a row each (``row``, ``column``, ``value``, ``problem``); empty if none."""
        if self._frame is None:
            import pandas as pd

            cases = pd.DataFrame(columns=CASE_COLUMNS) if self._cases is None else pd.DataFrame(self._cases)
            self._frame, self._cases = cases.reindex(columns=CASE_COLUMNS), None
        return self._frame

    def __str__(self) -> str:
        if (self._frame is None and self._cases is None) or self.cases.empty:
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
    """A required column is missing, ambiguous or duplicated.

    The message speaks to a Python caller (``columns={'name': ...}``). ``plain`` says the same
    without naming any way of fixing it, and ``fields`` lists the fields whose column the user may
    name, so that the command line (``--column name=HEADER``) and the dashboards (the column
    drop-downs) add a hint in their own words.

    >>> err = ColumnError("no name column; or name it with columns={'name': ...}", plain="no name column",
    ...                   fields=["name"])
    >>> err.plain, err.fields
    ('no name column', ('name',))
    """

    def __init__(
        self,
        message: str,
        *,
        cases: Iterable[Mapping] | pd.DataFrame | None = None,
        plain: str | None = None,
        fields: Iterable[str] = (),
    ):
        super().__init__(message, cases=cases)
        self.plain = message if plain is None else plain
        self.fields = tuple(fields)


class ValueParseError(PortfolioError):
    """Values in a column could not be read (dates, report names ...)."""


class RulesError(SocAnalysisError):
    """A rules file is missing, malformed, or a rule in it is invalid."""


class ExportError(SocAnalysisError):
    """A result could not be written (unknown extension, missing browser for images ...)."""


class MissingExtraError(SocAnalysisError, ImportError):
    """A feature needs an optional part of the install (an "extra") that is not installed."""


def require_extra(extra: str, *modules: str) -> None:
    """Raise :class:`MissingExtraError` unless every one of ``modules`` can be imported.

    The core install (the Python API and the command line) leaves out what only some uses need:
    the dashboards (``dashboards``: Voila, ipywidgets, ipykernel), PNG and PDF images
    (``images``: kaleido) and the cluster engine (``dask``). The message says what to install.

    >>> require_extra("images", "json")  # installed: nothing happens
    >>> require_extra("images", "no_such_module_here")
    Traceback (most recent call last):
    ...
    socanalysis.errors.MissingExtraError: this needs the 'images' extra, ... pip install 'socanalysis[images]'
    """
    from importlib.util import find_spec

    missing = [m for m in modules if find_spec(m) is None]
    if missing:
        raise MissingExtraError(
            f"this needs the {extra!r} extra, which is not installed ({', '.join(missing)}): "
            f"pip install 'socanalysis[{extra}]'"
        )
