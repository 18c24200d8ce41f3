"""Comparison tables: SOC 1 vs SOC 2 vs SOC 3, control areas, and organisations side by side.

Every function returns a plain DataFrame; :func:`socanalysis.present.style_table` and
:func:`socanalysis.present.to_html` render any of them as a clean table, every value escaped.

>>> compare_reports().loc["Use"].tolist()
['Restricted', 'Restricted', 'General']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import SocAnalysisError
from ..vocabulary import ATTRS_KEY

__all__ = [
    "UnknownOrganisationError",
    "compare_entities",
    "compare_reports",
    "control_overview",
]


class UnknownOrganisationError(SocAnalysisError, KeyError):
    """A name given to :func:`compare_entities` is not in the portfolio."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return SocAnalysisError.__str__(self)


_REPORT_ROWS: dict[str, tuple[str, str, str]] = {
    "Focus": (
        "Controls at a service organisation that are relevant to its customers' internal control over "
        "financial reporting (ICFR)",
        "Controls over a system, judged against the Trust Services Criteria: security, availability, "
        "processing integrity, confidentiality, privacy",
        "The same examination as a SOC 2, summarised in a short report without the detailed tests",
    ),
    "Standard": (
        "SSAE 18 (AT-C 320); outside the US ISAE 3402, CSAE 3416 in Canada; formerly SSAE 16 and SAS 70",
        "AT-C 105 and AT-C 205; 2017 Trust Services Criteria (revised points of focus, 2022); description "
        "criteria DC 200; outside the US ISAE 3000",
        "AT-C 105 and AT-C 205; 2017 Trust Services Criteria",
    ),
    "Audience": (
        "Customers' management and their financial-statement auditors",
        "Customers, partners, regulators and compliance officers who know the system",
        "Anyone: prospects, the public, the organisation's website",
    ),
    "When to choose": (
        "The service can change the numbers in customers' financial statements",
        "The service stores, processes or transmits sensitive customer data, or runs systems customers rely on",
        "A SOC 2 exists and the organisation wants a public, marketing-friendly report (trust seal)",
    ),
    "Main criteria": (
        "No fixed criteria: control objectives set per engagement, e.g. transaction processing, access to "
        "financial records, data transmission, IT general controls",
        "CC1–CC9 common criteria (Security, always in scope); A1 Availability; PI1 Processing Integrity; "
        "C1 Confidentiality; P1–P8 Privacy",
        "As SOC 2: CC1–CC9; A1; PI1; C1; P1–P8",
    ),
    "Typical users": (
        "Payroll processors, benefits and claims administrators, payment and transaction processors, loan "
        "servicers, fund administrators and custodians, outsourced accounting and billing",
        "SaaS, cloud (IaaS/PaaS), data centres and colocation, managed IT and security services, data "
        "processors, contact centres, health tech, HR tech",
        "SaaS and cloud providers that publish their assurance",
    ),
    "Use": ("Restricted", "Restricted", "General"),
    "Type 1": (
        "Design of controls as of a date; often the first report",
        "Design of controls as of a date; often the first report",
        "Not labelled Type 1 or Type 2; usually issued on the period of a SOC 2 Type 2",
    ),
    "Type 2": (
        "Design and operating effectiveness over a period (usually 6–12 months; 3 months for a first "
        "report or after a scope change)",
        "Design and operating effectiveness over a period (usually 6–12 months; 3 months for a first "
        "report or after a scope change)",
        "Not labelled Type 1 or Type 2; usually issued on the period of a SOC 2 Type 2",
    ),
}


def compare_reports() -> pd.DataFrame:
    """SOC 1, SOC 2 and SOC 3 side by side.

    Returns
    -------
    pandas.DataFrame
        Index: Focus, Standard, Audience, When to choose, Main criteria, Typical users, Use, Type 1,
        Type 2. Columns: SOC 1, SOC 2, SOC 3. Criteria are named by their IDs only (the AICPA's
        criteria wording is not reproduced).

    Examples
    --------
    >>> table = compare_reports()
    >>> table.columns.tolist()
    ['SOC 1', 'SOC 2', 'SOC 3']
    >>> table.loc["Main criteria", "SOC 2"].split("; ")[1:]
    ['A1 Availability', 'PI1 Processing Integrity', 'C1 Confidentiality', 'P1–P8 Privacy']
    """
    table = pd.DataFrame.from_dict(_REPORT_ROWS, orient="index", columns=["SOC 1", "SOC 2", "SOC 3"])
    table.index.name = "Aspect"
    return table


_CONTROLS: list[tuple[str, str, str, str, str]] = [
    (
        "SOC 1",
        "Transaction processing",
        "set per engagement",
        "Transactions are authorised, recorded and processed completely and accurately",
        "always",
    ),
    (
        "SOC 1",
        "Access to financial records",
        "set per engagement",
        "Only authorised people and systems can read or change financial data",
        "always",
    ),
    (
        "SOC 1",
        "Data transmission",
        "set per engagement",
        "Financial data moves between systems and parties completely, accurately and securely",
        "when data is exchanged",
    ),
    (
        "SOC 1",
        "Operational effectiveness",
        "set per engagement",
        "The financial processes run as designed throughout the period (IT general controls, change "
        "management, operations)",
        "always",
    ),
    (
        "SOC 2",
        "Security",
        "CC1–CC9",
        "Protection against unauthorised access: governance and risk assessment, communication, access "
        "control, change management, monitoring, incident response",
        "always in scope",
    ),
    (
        "SOC 2",
        "Availability",
        "A1",
        "The system is available for operation and use as committed (uptime, SLAs, capacity, backup, recovery)",
        "the service promises uptime or customers depend on it",
    ),
    (
        "SOC 2",
        "Processing Integrity",
        "PI1",
        "Processing is complete, valid, accurate, timely and authorised",
        "the service processes transactions, payroll or billing",
    ),
    (
        "SOC 2",
        "Confidentiality",
        "C1",
        "Information designated confidential is protected and disposed of as committed",
        "the service holds customers' confidential data (IP, contracts, financial data)",
    ),
    (
        "SOC 2",
        "Privacy",
        "P1–P8",
        "Personal information is collected, used, kept, disclosed and disposed of as committed",
        "the service handles personal information (PII, PHI, employee or consumer data)",
    ),
]


def control_overview() -> pd.DataFrame:
    """The SOC 1 control objectives and the five Trust Services Categories, with what each covers.

    Returns
    -------
    pandas.DataFrame
        Columns: Report, Area, Criteria (IDs), Covers, Include when.

    Examples
    --------
    >>> table = control_overview()
    >>> table.loc[table["Report"] == "SOC 2", "Area"].tolist()
    ['Security', 'Availability', 'Processing Integrity', 'Confidentiality', 'Privacy']
    """
    return pd.DataFrame(_CONTROLS, columns=["Report", "Area", "Criteria", "Covers", "Include when"])


# --------------------------------------------------------------------------------------------
# organisations side by side
# --------------------------------------------------------------------------------------------

_ENTITY_ROWS: list[tuple[str, str]] = [
    ("soc_report", "Needs"),
    ("confidence", "Confidence"),
    ("report_type", "Report type"),
    ("tsc_categories", "Trust Services Categories needed"),
    ("soc1_objectives", "SOC 1 control objectives"),
    ("reports_normalised", "Holds"),
    ("coverage_status", "Coverage status"),
    ("tsc_gap", "Categories not covered"),
    ("type_upgrade", "Type 2 due after a Type 1"),
    ("bridge_letter", "Bridge letter"),
    ("period_end_date", "Period end"),
    ("months_since_period_end", "Months since period end"),
    ("also_consider", "Also consider"),
    ("reports_problem", "Could not read"),
    ("coverage_note", "Coverage note"),
    ("rationale", "Rationale"),
]


def _name_column(df: pd.DataFrame) -> str:
    fields = df.attrs.get(ATTRS_KEY, {}).get("fields", {}) or {}
    column = fields.get("name")
    if column is not None and column in df.columns:
        return column
    for candidate in ("name", "Name", "Client", "Company", "Organisation", "Organization"):
        if candidate in df.columns:
            return candidate
    raise SocAnalysisError(
        "compare_entities() cannot tell which column holds the organisation names: map the field 'name' "
        "(df.attrs['socanalysis']['fields']['name']) or add a column 'name'"
    )


def _close_matches(name: str, choices: list[str], limit: int = 3) -> list[str]:
    try:
        from rapidfuzz import fuzz, process, utils
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency
        import difflib

        return difflib.get_close_matches(name, choices, n=limit, cutoff=0.5)
    found = process.extract(
        name, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=60
    )
    return [match for match, _score, _index in found]


def compare_entities(df: pd.DataFrame, names: str | Iterable[str]) -> pd.DataFrame:
    """Chosen organisations side by side.

    Parameters
    ----------
    df : pandas.DataFrame
        The output of ``classify`` or of :func:`socanalysis.portfolio.coverage.coverage`. The organisation name
        column comes from the field mapping (``attrs["socanalysis"]["fields"]["name"]``).
    names : str or iterable of str
        Organisation names, matched exactly, then ignoring case and surrounding spaces.

    Returns
    -------
    pandas.DataFrame
        One column per organisation (in the order given; a name held by several rows gives one column
        per row, labelled "Name (row N)"), one row per aspect present in ``df``: needs, confidence,
        report type, categories, holdings, coverage status, gaps, bridge letter, period end, rationale.

    Raises
    ------
    UnknownOrganisationError
        Listing each unknown name with the closest names in ``df``.

    Examples
    --------
    >>> df = pd.DataFrame({"Client": ["Acme Payroll", "Cloudy"], "soc_report": ["SOC 1", "SOC 2"],
    ...                    "rationale": ["Runs payroll.", "Hosts customer data."]})
    >>> df.attrs["socanalysis"] = {"fields": {"name": "Client"}}
    >>> compare_entities(df, ["cloudy", "Acme Payroll"]).loc["Needs"].tolist()
    ['SOC 2', 'SOC 1']
    >>> compare_entities(df, ["Acme Payrol"])
    Traceback (most recent call last):
    ...
    socanalysis.portfolio.compare.UnknownOrganisationError: 'Acme Payrol' is not in column 'Client'; did you mean ...
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise SocAnalysisError("compare_entities() needs at least one organisation name")
    column = _name_column(df)
    values = df[column].astype(object).where(df[column].notna(), "").astype(str)
    folded = values.str.strip().str.casefold()
    positions: list[tuple[str, int]] = []
    unknown: list[str] = []
    for name in names:
        hits = np.flatnonzero((values == str(name)).to_numpy())
        if not len(hits):
            hits = np.flatnonzero((folded == str(name).strip().casefold()).to_numpy())
        if not len(hits):
            unknown.append(name)
            continue
        for pos in hits:
            label = values.iloc[pos] if len(hits) == 1 else f"{values.iloc[pos]} (row {pos + 1})"
            positions.append((label, int(pos)))
    if unknown:
        choices = list(dict.fromkeys(v for v in values if v))
        lines = []
        for name in unknown:
            close = _close_matches(str(name), choices)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else "; no similar name found"
            lines.append(f"{name!r} is not in column {column!r}{hint}")
        raise UnknownOrganisationError("\n".join(lines))
    rows = [(col, label) for col, label in _ENTITY_ROWS if col in df.columns]
    table = pd.DataFrame(index=[label for _, label in rows])
    for label, pos in positions:
        record = df.iloc[pos]
        table[label] = [_cell(record[col]) for col, _ in rows]
    table.index.name = "Aspect"
    return table


def _cell(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value
