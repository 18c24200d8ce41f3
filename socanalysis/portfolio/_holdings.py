"""What each organisation holds: its reports, period end and fiscal year end, and every value that cannot be read.

>>> frame = pd.DataFrame({"Reports": ["SOC 2 Type 2", "SOC 4"], "Period End": ["2025-03-31", "31/31/2025"]})
>>> held = read_holdings(frame, {"reports": "Reports", "period_end": "Period End"}, dayfirst=False)
>>> held.reports["holds_soc2"].tolist(), held.cases[["row", "column", "value"]].values.tolist()
([True, False], [[2, 'Reports', 'SOC 4'], [2, 'Period End', '31/31/2025']])
>>> messages_by_row(held.date_cases, 2)[1][:23]
'Period End: neither 31 '
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import CASE_COLUMNS
from ..load import parse_dates, parse_month_day, parse_reports
from ._columns import mapped_column


class Holdings(NamedTuple):
    """What the mapped reports, period-end and fiscal-year-end columns hold."""

    reports: pd.DataFrame  # the REPORT_COLUMNS of parse_reports
    period_end: pd.Series
    fiscal_year_end: pd.Series
    date_cases: pd.DataFrame  # unreadable period ends, then unreadable fiscal year ends
    cases: pd.DataFrame  # every unreadable value, by row


def read_holdings(frame: pd.DataFrame, fields: Mapping[str, str], dayfirst: bool) -> Holdings:
    """Parse the reports, period-end and fiscal-year-end columns; collect every unreadable value."""
    reports_in = mapped_column(frame, fields, "reports")
    reports = parse_reports(reports_in)
    period_end, pe_cases = parse_dates(
        mapped_column(frame, fields, "period_end"), column=fields.get("period_end"), dayfirst=dayfirst
    )
    fye, fye_cases = parse_month_day(
        mapped_column(frame, fields, "fiscal_year_end"), column=fields.get("fiscal_year_end"), dayfirst=dayfirst
    )
    report_cases = _problems_table(reports_in, reports["reports_problem"], fields.get("reports", ""))
    parts = [c for c in (report_cases, pe_cases, fye_cases) if not c.empty]
    cases = (
        pd.concat(parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
        if parts
        else pd.DataFrame(columns=CASE_COLUMNS)
    )
    return Holdings(reports, period_end, fye, pd.concat([pe_cases, fye_cases], ignore_index=True), cases)


def _problems_table(series: pd.Series, messages: pd.Series, column: str) -> pd.DataFrame:
    """The rows of ``series`` with a message, as failure cases (``row`` 1-based)."""
    bad = np.flatnonzero(messages.to_numpy(dtype=str) != "")
    return pd.DataFrame(
        {
            "row": bad + 1,
            "column": column,
            "value": series.iloc[bad].to_numpy(dtype=object),
            "problem": messages.iloc[bad].to_numpy(dtype=object),
        },
        columns=CASE_COLUMNS,
    )


def messages_by_row(cases: pd.DataFrame, n: int) -> np.ndarray:
    """The failure cases as one "column: problem" text per row ("; "-joined; "" for a row without any)."""
    out = np.full(n, "", dtype=object)
    for row, column, problem in zip(cases["row"], cases["column"], cases["problem"], strict=True):
        message = f"{column}: {problem}" if column else str(problem)
        out[row - 1] = message if not out[row - 1] else f"{out[row - 1]}; {message}"
    return out
