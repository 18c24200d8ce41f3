"""The tables the meeting workbook and the HTML report show, from an Assessment.

Both exports take an :class:`~socanalysis.present.Assessment` (or a covered frame, from which
:func:`assessment_of` builds one through :meth:`~socanalysis.present.Assessment.from_covered`) and
show the same views of it: one row per organisation with readable headers, the headline numbers,
a table per segment, the gaps, the renewals and the values that could not be read. Nothing here
computes coverage, summaries or opportunities: they come with the Assessment.

>>> import socanalysis as sa
>>> frame = pd.DataFrame({"Client": ["Payroll Co"], "soc_report": ["SOC 1"]})
>>> frame.attrs["socanalysis"] = {"fields": {"name": "Client"}}
>>> assessment = sa.Assessment.from_covered(sa.coverage(frame, as_of="2025-06-30"), as_of="2025-06-30")
>>> organisations_table(assessment)[["Client", "Report needed", "Coverage status", "Opportunity (USD)"]]
       Client Report needed Coverage status  Opportunity (USD)
0  Payroll Co         SOC 1      Gap: SOC 1            20000.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, SocAnalysisError
from ..load import resolve_as_of
from ..portfolio import headline
from ..vocabulary import GAP_STATUSES, REPORT_VALUES, STATUSES
from .assessment import Assessment
from .headers import HEADERS
from .theme import load_branding

__all__ = [
    "COLOURED",
    "LABELS",
    "REPORT_FIGURES",
    "SEGMENT_HEADERS",
    "assessment_of",
    "figures",
    "gaps",
    "organisations_table",
    "pick",
    "problems",
    "renewals",
    "require_covered",
    "segment_view",
]

LABELS = {code: header for code, (header, _) in HEADERS.items()}
"""Readable headers of the result columns (:data:`socanalysis.present.headers.HEADERS`)."""

_RESULT_COLUMNS = (
    "soc_report",
    "confidence",
    "report_type",
    "tsc_categories",
    "soc1_objectives",
    "reports_normalised",
    "coverage_status",
    "coverage_note",
    "tsc_gap",
    "type_upgrade",
    "bridge_letter",
    "period_end_date",
    "renewal_date",
    "months_since_period_end",
    "next_fiscal_year_end",
    "also_consider",
    "opportunity",
    "opportunity_usd",
    "rationale",
    "decided_by",
    "review_reason",
    "reviewed_at",
    "classifier_report",
)
COLOURED = {"Report needed": REPORT_VALUES, "Coverage status": STATUSES}
"""The columns filled with the colour of their value."""


# --------------------------------------------------------------------------------------------
# what an export works from
# --------------------------------------------------------------------------------------------


def require_covered(covered: object, caller: str) -> None:
    """Refuse anything but the output of coverage(), saying what to run."""
    if not isinstance(covered, pd.DataFrame):
        raise SocAnalysisError(
            f"{caller}() takes an Assessment or the DataFrame returned by coverage(), not {type(covered).__name__}"
        )
    for column in ("soc_report", "coverage_status"):
        if column not in covered.columns:
            raise ColumnError(
                f"{caller}() needs the output of socanalysis.coverage(): column {column!r} "
                "is missing; run coverage(classify(df)) first"
            )


def assessment_of(
    data: Assessment | pd.DataFrame,
    caller: str,
    *,
    as_of: Any = None,
    fees: Any = None,
    branding: Any = None,
    summaries: Mapping[str, pd.DataFrame] | None = None,
) -> Assessment:
    """The Assessment an export draws: ``data`` itself, or one built from a covered frame.

    With an Assessment, ``as_of`` and ``branding`` change only what is shown (the date printed and
    the colours); ``fees`` and ``summaries`` belong to the Assessment and are refused. With a covered
    frame, they build the Assessment (:meth:`~socanalysis.present.Assessment.from_covered`); ``as_of``
    defaults to today.
    """
    if isinstance(data, Assessment):
        if fees is not None or summaries is not None:
            raise SocAnalysisError(
                f"{caller}(): fees= and summaries= come with the Assessment; give them to "
                "socanalysis.assess() or Assessment.from_covered() instead"
            )
        changes: dict[str, Any] = {}
        if as_of is not None:
            changes["as_of"] = resolve_as_of(as_of)
        if branding is not None:
            changes["branding"] = load_branding(branding)
        return replace(data, **changes) if changes else data
    require_covered(data, caller)
    return Assessment.from_covered(data, as_of=as_of, fees=fees, branding=branding, summaries=summaries)


# --------------------------------------------------------------------------------------------
# one row per organisation
# --------------------------------------------------------------------------------------------


def _input_columns(covered: pd.DataFrame) -> list[str]:
    """The user's own columns: everything before classify's first output column."""
    columns = list(covered.columns)
    end = columns.index("soc_report") if "soc_report" in columns else len(columns)
    return [c for c in columns[:end] if c not in ("duplicate_of", "socanalysis_duplicate_of")]


def _labelled(frame: pd.DataFrame, keep: Iterable[str]) -> pd.DataFrame:
    """Pick columns and give result columns readable names (unless the name is taken)."""
    keep = [c for c in dict.fromkeys(keep) if c in frame.columns]
    out = frame[keep]
    taken = set(map(str, keep))
    names = {c: LABELS[c] for c in keep if c in LABELS and LABELS[c] not in taken}
    return out.rename(columns=names)


def organisations_table(
    data: Assessment | pd.DataFrame, fees: Any = None, *, opportunities: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per organisation: the user's columns, then the results under readable names.

    Parameters
    ----------
    data : Assessment or pandas.DataFrame
        An Assessment, or the output of :func:`socanalysis.coverage`.
    fees : path, dict, FeeSchedule or None
        With a frame: the fee schedule for ``Opportunity (USD)`` (see
        :func:`socanalysis.load_fees`).
    opportunities : pandas.DataFrame, optional
        With a frame: :func:`socanalysis.opportunities` already computed.

    Returns
    -------
    pandas.DataFrame
        The user's columns unchanged, then "Report needed", "Confidence", ..., "Coverage status",
        "Opportunity (USD)", "Rationale".
    """
    if isinstance(data, Assessment) or opportunities is None:
        if isinstance(data, Assessment) and opportunities is not None:
            raise SocAnalysisError("organisations_table(): the opportunities come with the Assessment")
        assessment = assessment_of(data, "organisations_table", fees=fees)
        covered, opp = assessment.frame, assessment.opportunities
    else:
        require_covered(data, "organisations_table")
        covered, opp = data, opportunities
    frame = covered.copy(deep=False)
    frame["opportunity"] = opp["opportunity"].to_numpy()
    frame["opportunity_usd"] = opp["opportunity_usd"].to_numpy()
    table = _labelled(frame, [*_input_columns(covered), *_RESULT_COLUMNS])
    return table.reset_index(drop=True)


def gaps(table: pd.DataFrame) -> pd.DataFrame:
    """The organisations missing a needed report, largest opportunity first."""
    gap = table["Coverage status"].isin(GAP_STATUSES).to_numpy()
    return table[gap].sort_values("Opportunity (USD)", ascending=False, kind="stable")


def renewals(table: pd.DataFrame) -> pd.DataFrame:
    """Every dated report, the soonest "Current until" first."""
    if "Current until" not in table:
        return table.iloc[0:0]
    dated = table[table["Current until"].notna().to_numpy()]
    return dated.sort_values("Current until", kind="stable")


def pick(table: pd.DataFrame, fields: Mapping[str, str], result: Sequence[str]) -> pd.DataFrame:
    """The organisation's name, industry and partner, then the ``result`` columns under readable names."""
    user = [fields[f] for f in ("name", "industry", "partner") if f in fields]
    labels = [LABELS.get(c, c) for c in result]
    return table[[c for c in dict.fromkeys([*user, *labels]) if c in table.columns]]


def problems(assessment: Assessment) -> pd.DataFrame:
    """Row, organisation and why, for every row with a value that could not be read."""
    covered = assessment.frame
    name = assessment.fields.get("name")
    parts = [c for c in ("reports_problem", "dates_problem") if c in covered.columns]
    if not parts:
        return pd.DataFrame()
    texts = {c: covered[c].astype(object).where(covered[c].notna(), "").astype(str) for c in parts}
    mask = np.zeros(len(covered), dtype=bool)
    for text in texts.values():
        mask |= (text != "").to_numpy()
    out = pd.DataFrame({"Row": np.flatnonzero(mask) + 1})
    if name:
        out["Organisation"] = covered[name].to_numpy()[mask]
    for c, text in texts.items():
        out[LABELS[c]] = text.to_numpy()[mask]
    return out


# --------------------------------------------------------------------------------------------
# the numbers
# --------------------------------------------------------------------------------------------


SEGMENT_HEADERS = {
    "organisations": "Organisations",
    "needs_report": "Need a report",
    "covered_current": "Covered and current",
    "covered_current_share": "Covered and current: share of those that need a report",
    "Type upgrade": "Type 2 due",
    "TSC gap": "Categories not covered",
    "Bridge letter": "Bridge letter",
    "opportunity_usd": "Opportunity (USD)",
}
"""The columns of a segment's summary that the exports show, and their headers."""

REPORT_FIGURES: tuple[str, ...] = (
    "organisations",
    "needs_report",
    "covered",
    "renewal_due",
    "stale",
    "gaps",
    "unverified",
    "review",
    "not_needed",
    "type_upgrade",
    "tsc_gap",
    "opportunity_usd",
)
"""The headline figures (keys of :func:`socanalysis.portfolio.headline`) the report and the workbook show."""


def segment_view(table: pd.DataFrame) -> pd.DataFrame:
    """A summary table of one segment with readable headers and the segment as its first column.

    The share shown is that of the headline figures: covered and current, of those that need a report.
    """
    keep = ["organisations", "needs_report", "covered_current", "covered_current_share", *STATUSES]
    keep += ["Type upgrade", "TSC gap", "Bridge letter", "opportunity_usd"]
    out = table[[c for c in keep if c in table.columns]].copy()
    out = out.rename(columns=SEGMENT_HEADERS)
    out.index = out.index.astype(str)
    return out.reset_index(names=str(table.index.name or "Segment"))


def figures(assessment: Assessment, keys: Sequence[str] = REPORT_FIGURES) -> pd.DataFrame:
    """The headline figures of :func:`socanalysis.portfolio.headline` that an export shows, in ``keys`` order."""
    return headline(assessment).loc[list(keys)]
