"""One lead of the lead-list classifier in its details panel.

The details panel (:class:`~socanalysis.dashboards.organisations.DetailsPanel`) finds any
classified lead by name (or, for a lead without one, by website) with one vectorised search of
the names the page keeps (:func:`lead_names`), and shows what :func:`lead_details` says of it,
escaped by :func:`~socanalysis.dashboards.organisations.details_html`.

>>> leads = pd.DataFrame({"Company": ["Acme <Payroll>", ""], "Website": ["acme.com", "globex.com"]})
>>> lead_names(leads, {"name": "Company", "website": "Website"}).tolist()
['Acme <Payroll>', 'globex.com']
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..vocabulary import DECIDED_BY_CLASSIFIER

__all__ = ["lead_details", "lead_names"]


def lead_names(classified: pd.DataFrame, fields: Mapping[str, str]) -> pd.Series:
    """What the details panel calls each lead (0-based index): its name, else its website, else ""."""
    names = pd.Series("", index=pd.RangeIndex(len(classified)), dtype="str")
    for field in ("website", "name"):  # the name wins where both are given
        column = fields.get(field)
        if column is not None and column in classified.columns:
            values = classified[column].astype("str").fillna("").str.strip().reset_index(drop=True)
            names = values.where(values != "", names)
    return names


def _text(row: pd.Series, column: str | None) -> str:
    if column is None or column not in row.index:
        return ""
    value = row[column]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value).strip()


def lead_details(
    row: pd.Series, fields: Mapping[str, str], *, name: str, duplicate_column: str | None = None
) -> dict[str, str]:
    """What the lead page says about one lead (a row of the classified list), as text.

    Only the entries that have something to say are returned, in the order shown;
    ``duplicate_column`` holds the row number of an earlier row the lead repeats (see
    :func:`socanalysis.load_portfolio`).

    Examples
    --------
    >>> row = pd.Series({"Company": "Globex", "soc_report": "SOC 1", "confidence": "High",
    ...                  "rationale": "Runs billing", "decided_by": "A. Lee", "classifier_report": "SOC 2",
    ...                  "review_reason": "Bills its clients", "reviewed_at": "2026-01-05T10:00:00+00:00"})
    >>> details = lead_details(row, {"name": "Company"}, name="Globex")
    >>> details["Report needed"]
    "SOC 1 (a reviewer's decision; the classifier said SOC 2, High confidence)"
    >>> details["Decided by"], details["Why the classifier said SOC 2"]
    ('A. Lee on 2026-01-05 10:00 UTC: Bills its clients', 'Runs billing')
    >>> lead_details(row.drop(["decided_by"]), {}, name="Globex")["Report needed"]
    'SOC 1 (High confidence)'
    """

    def field(key: str) -> str:
        return _text(row, fields.get(key))

    report, confidence = _text(row, "soc_report"), _text(row, "confidence")
    by = _text(row, "decided_by")
    reviewed = bool(by) and by != DECIDED_BY_CLASSIFIER
    # a reviewer's answer: the rationale is still the classifier's, and says so
    why = f"Why the classifier said {_text(row, 'classifier_report')}" if reviewed else "Why"
    if reviewed:
        at = _text(row, "reviewed_at")[:16].replace("T", " ")
        reason = _text(row, "review_reason")
        decided = f"{by}{' on ' + at + ' UTC' if at else ''}{': ' + reason if reason else ''}"
        said = ", ".join(
            filter(None, [_text(row, "classifier_report"), f"{confidence} confidence" if confidence else ""])
        )
        needed = f"{report} (a reviewer's decision; the classifier said {said})"
    else:
        decided = "the classifier" if by else ""
        needed = f"{report} ({confidence} confidence)" if confidence else report
    duplicate = row.get(duplicate_column) if duplicate_column else None
    out = {
        "Organisation": name,
        "Website": field("website") if field("website") != name else "",
        "Industry": field("industry"),
        "Country": field("country"),
        "Report needed": needed,
        "Decided by": decided,
        "Report type": _text(row, "report_type"),
        "Trust Services Categories": _text(row, "tsc_categories"),
        "SOC 1 control objectives": _text(row, "soc1_objectives"),
        "Also consider": _text(row, "also_consider"),
        why: _text(row, "rationale"),
        "Evidence": _text(row, "evidence"),
        "Could not classify": _text(row, "problem"),
        "Looks like a duplicate of": f"row {int(duplicate)}" if duplicate is not None and pd.notna(duplicate) else "",
    }
    return {k: v for k, v in out.items() if v}
