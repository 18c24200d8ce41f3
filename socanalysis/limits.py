"""The limits on what socanalysis reads, in one place, so that a file built to exhaust memory (a
zip bomb, a sheet that claims a million columns, a rules file of aliases) fails at once with a
clear message instead of taking the machine down.

The defaults are far above what a real portfolio, lead list or rules file holds. Each one can be
raised (or lowered) with an environment variable, read when a file is read:

=============================== ============================ ====================================
environment variable            default                      what it bounds
=============================== ============================ ====================================
``SOCANALYSIS_MAX_SHEET_ROWS``  1,048,576 (Excel's maximum)  rows of a worksheet
``SOCANALYSIS_MAX_COLUMNS``     1,024                        columns holding a value in a sheet
``SOCANALYSIS_MAX_CELLS``       30,000,000                   cells holding a value in a sheet
``SOCANALYSIS_MAX_UNZIPPED_MB`` 500                          an .xlsx file's unpacked size (MB)
``SOCANALYSIS_MAX_RULE_TERMS``  50,000                       terms, codes and aliases in a rules file
=============================== ============================ ====================================

>>> limits().sheet_rows
1048576
>>> import os; os.environ["SOCANALYSIS_MAX_COLUMNS"] = "2048"
>>> limits().columns
2048
>>> del os.environ["SOCANALYSIS_MAX_COLUMNS"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import SocAnalysisError

__all__ = ["LIMIT_VARIABLES", "Limits", "limit_error", "limits"]

# name of the limit -> (environment variable, default, what it counts)
LIMIT_VARIABLES: dict[str, tuple[str, int, str]] = {
    "sheet_rows": ("SOCANALYSIS_MAX_SHEET_ROWS", 1_048_576, "rows in a worksheet"),
    "columns": ("SOCANALYSIS_MAX_COLUMNS", 1_024, "columns holding a value"),
    "cells": ("SOCANALYSIS_MAX_CELLS", 30_000_000, "cells holding a value"),
    "unzipped_mb": ("SOCANALYSIS_MAX_UNZIPPED_MB", 500, "megabytes unpacked"),
    "rule_terms": ("SOCANALYSIS_MAX_RULE_TERMS", 50_000, "values (terms, codes, aliases)"),
}


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module's table)."""

    sheet_rows: int
    columns: int
    cells: int
    unzipped_mb: int
    rule_terms: int

    @property
    def unzipped_bytes(self) -> int:
        return self.unzipped_mb << 20


def limits() -> Limits:
    """The limits, each from its environment variable when set (a whole number above 0)."""
    values = {}
    for name, (variable, default, _) in LIMIT_VARIABLES.items():
        text = os.environ.get(variable, "").strip().replace("_", "").replace(",", "")
        if not text:
            values[name] = default
            continue
        if not text.isdigit() or int(text) < 1:
            raise SocAnalysisError(f"{variable}={os.environ[variable]!r}: expected a whole number above 0")
        values[name] = int(text)
    return Limits(**values)


def limit_error(error: type[SocAnalysisError], what: str, name: str, found: int | str):
    """The error for an input past a limit: what passed it, the limit, and how to raise it.

    >>> print(limit_error(SocAnalysisError, "'big.xlsx' (sheet 'Leads')", "columns", "2,000"))
    'big.xlsx' (sheet 'Leads') has 2,000 columns holding a value, more than the limit of 1,024; \
if the file is what you meant to read, raise the limit with the environment variable SOCANALYSIS_MAX_COLUMNS
    """
    variable, _, counts = LIMIT_VARIABLES[name]
    limit = getattr(limits(), name)
    return error(
        f"{what} has {found} {counts}, more than the limit of {limit:,}; if the file is what you meant to read, "
        f"raise the limit with the environment variable {variable}"
    )
