"""The headers people read in a workbook, for the columns socanalysis adds: one place for all of them.

Pipelines read the code names (``soc_report``, ``soc1_score`` ...): CSV and Parquet outputs keep
them. Workbooks are for people: their sheets show the headers below, in one order whichever way
the workbook was made (the command line or a dashboard), with a "Columns" sheet giving each
header's code name and what it holds.

>>> people_order(["duplicate_of", "Company", "soc2_score", "soc_report", "Notes"])
['Company', 'Notes', 'soc_report', 'soc2_score', 'duplicate_of']
>>> readable(["Company", "soc_report", "soc1_score", "confidence"])
['Company', 'Report needed', 'SOC 1 score', 'Confidence']
>>> readable(["Confidence", "confidence"])  # the user's own column keeps its name; ours keeps its code
['Confidence', 'confidence']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..vocabulary import OUTPUT_COLUMNS

__all__ = ["HEADERS", "RESULT_ORDER", "legend", "people_order", "readable"]

HEADERS: dict[str, tuple[str, str]] = {
    # classify
    "soc_report": ("Report needed", "SOC 1, SOC 2, Both, Neither or Undetermined"),
    "soc1_score": ("SOC 1 score", "0 to 1: how strongly the evidence points to a SOC 1 (recommended at 0.5)"),
    "soc2_score": ("SOC 2 score", "0 to 1: how strongly the evidence points to a SOC 2 (recommended at 0.5)"),
    "confidence": ("Confidence", "high, medium or low: how far the scores sit from 0.5"),
    "tsc_categories": ("Trust Services Categories", "With a SOC 2: the categories in scope, Security always"),
    "soc1_objectives": ("SOC 1 control objectives", "With a SOC 1: the control objectives in scope"),
    "report_type": ("Report type", "Type 1 for a first report, Type 2 when a needed report is held"),
    "also_consider": ("Also consider", "Other reports worth offering (SOC 3, SOC 2+ HIPAA, ISAE 3402 ...)"),
    "rationale": ("Rationale", "The evidence and the reason, in a sentence or two"),
    "evidence": ("Evidence", "Every matched term and code with the column it came from"),
    "problem": ("Problem", "Why a value could not be read; empty when all is well"),
    # review
    "decided_by": ("Decided by", "Who decided the report: the classifier, or the reviewer's name"),
    "review_reason": ("Review reason", "Why the reviewer decided so"),
    "reviewed_at": ("Reviewed at (UTC)", "When the reviewer decided, in UTC"),
    "classifier_report": ("Classifier's answer", "The classifier's own answer, before any review"),
    # lead hygiene
    "duplicate_of": ("Duplicate of row", "The row number of the first row with the same organisation"),
    "existing_client": ("Existing client", "The lead is already a client (domain or fuzzy name match)"),
    "matched_client": ("Matched client", "The client's name as written in the portfolio"),
    "match_score": ("Match score", "0 to 100: how closely the names match"),
    # coverage
    "reports_normalised": ("Holds", "The SOC reports held, as read from the reports column"),
    "coverage_status": ("Coverage status", "Covered, Renewal due, Unverified, Stale, a Gap, Review or Not needed"),
    "coverage_note": ("Coverage note", "What the status rests on"),
    "tsc_gap": ("Categories not covered", "Trust Services Categories needed but missing from the SOC 2 held"),
    "type_upgrade": ("Type 2 due", "A Type 1 is held where a Type 2 is due"),
    "bridge_letter": ("Bridge letter", "The period ended recently: a bridge letter covers the gap"),
    "months_since_period_end": ("Months since period end", "Whole months from the report's period end"),
    "period_end_date": ("Period end", "The end of the period the report covers"),
    "renewal_date": ("Current until", "The period end plus the validity window"),
    "next_fiscal_year_end": ("Next fiscal year end", "The next fiscal year end after the date judged"),
    "reports_problem": ("Reports could not be read", "Why the reports column could not be read"),
    "dates_problem": ("Dates could not be read", "Why a date could not be read"),
    # pricing
    "opportunity": ("What to offer", "The reports and add-ons the organisation could be offered"),
    "opportunity_usd": ("Opportunity (USD)", "Its estimated fee, from the firm's fee schedule"),
}
"""Code name -> (the header people read, what the column holds)."""

_HYGIENE = ("duplicate_of", "existing_client", "matched_client", "match_score")
RESULT_ORDER: tuple[str, ...] = (
    *OUTPUT_COLUMNS,
    *_HYGIENE,
    *(c for c in HEADERS if c not in OUTPUT_COLUMNS and c not in _HYGIENE),
)
"""The order of socanalysis's columns in a workbook: classify's, then the lead hygiene's, then the rest."""


def people_order(columns: Iterable[str]) -> list[str]:
    """The user's columns in their order, then socanalysis's in :data:`RESULT_ORDER`."""
    columns = [str(c) for c in columns]
    ours = set(HEADERS)
    rank = {c: i for i, c in enumerate(RESULT_ORDER)}
    return [c for c in columns if c not in ours] + sorted((c for c in columns if c in ours), key=rank.__getitem__)


def readable(columns: Sequence[str]) -> list[str]:
    """The header shown for each column: ours by :data:`HEADERS`, unless a user's column has that name."""
    columns = [str(c) for c in columns]
    taken = {c for c in columns if c not in HEADERS}
    shown = []
    for c in columns:
        header = HEADERS[c][0] if c in HEADERS else c
        shown.append(c if c in HEADERS and header in taken else header)
    return shown


def legend(columns: Sequence[str]) -> pd.DataFrame:
    """The "Columns" sheet: each column's header, its code name, and what it holds.

    >>> table = legend(["Company", "soc_report"])
    >>> table.loc[0].tolist(), table.loc[1].tolist()[:2]
    (['Company', 'Company', 'Your column, as in the file'], ['Report needed', 'soc_report'])
    """
    columns = [str(c) for c in columns]
    return pd.DataFrame(
        {
            "Header": readable(columns),
            "Code name": columns,
            "What it holds": [HEADERS[c][1] if c in HEADERS else "Your column, as in the file" for c in columns],
        }
    )
