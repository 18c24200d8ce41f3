"""Coverage: what each organisation needs against what it holds, and how current it is.

:func:`coverage` takes the output of ``classify`` and adds a status per organisation with its
lifecycle (renewal, bridge letter) and a plain sentence explaining it; :func:`coverage_problems`
lists every value it could not read. Pricing is in :mod:`socanalysis.portfolio.pricing`, the
tables by segment in :mod:`socanalysis.portfolio.summary`.

>>> from socanalysis.portfolio import summarize
>>> frame = pd.DataFrame({
...     "Client": ["Payroll Co", "Cloud Co", "Bakery"],
...     "Reports": ["SOC 1 Type II", "SOC 2 Type 2", ""],
...     "Period End": ["2024-03-31", "2025-03-31", ""],
...     "soc_report": ["SOC 1", "Both", "Neither"],
...     "tsc_categories": ["", "Security; Availability", ""],
...     "report_type": ["Type 2", "Type 2", ""],
... })
>>> frame.attrs["socanalysis"] = {
...     "fields": {"name": "Client", "reports": "Reports", "period_end": "Period End"}}
>>> covered = coverage(frame, as_of="2025-06-30")
>>> covered["coverage_status"].tolist()
['Stale', 'Gap: SOC 1', 'Not needed']
>>> covered["tsc_gap"].tolist()
['', 'Availability', '']
>>> summarize(covered)["All"][["organisations", "Stale", "Gap: SOC 1", "Not needed"]].to_dict("records")
[{'organisations': 3, 'Stale': 1, 'Gap: SOC 1': 1, 'Not needed': 1}]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import ColumnError, SocAnalysisError, ValueParseError
from ..load import REPORT_COLUMNS, fields_of, resolve_as_of
from ..vocabulary import REPORT_VALUES, STATUSES
from ._columns import MASK_NAMES, category_mask, needs, take_str, text
from ._holdings import Holdings, messages_by_row, read_holdings
from ._lifecycle import Lifecycle, bridge_letters, lifecycle
from ._notes import notes

__all__ = ["COVERAGE_COLUMNS", "coverage", "coverage_problems"]

COVERAGE_COLUMNS: tuple[str, ...] = (
    "coverage_status",
    "coverage_note",
    "tsc_gap",
    "type_upgrade",
    "bridge_letter",
    "months_since_period_end",
    "period_end_date",
    "renewal_date",
    "next_fiscal_year_end",
    *REPORT_COLUMNS,
    "dates_problem",
)
"""The columns :func:`coverage` adds, in order."""

_RANKED = (
    "Review",
    "Not needed",
    "Gap: SOC 1 + SOC 2",
    "Gap: SOC 1",
    "Gap: SOC 2",
    "Stale",
    "Renewal due",
    "Unverified",
)
"""The statuses in the order they are decided: the first that applies wins, "Covered" otherwise."""


def coverage(
    classified: pd.DataFrame,
    as_of: object = None,
    *,
    renewal_window_months: int = 3,
    validity_months: int = 12,
    bridge_months: int = 3,
    dayfirst: bool = False,
    errors: str = "report",
) -> pd.DataFrame:
    """Set what each organisation needs against what it holds.

    Parameters
    ----------
    classified : pandas.DataFrame
        The output of ``classify``: ``soc_report`` is required; ``tsc_categories`` and
        ``report_type`` are used when present. The existing-reports, period-end and fiscal-year-end
        columns are found through ``classified.attrs["socanalysis"]["fields"]`` (fields ``reports``,
        ``period_end``, ``fiscal_year_end``); when a field is not mapped, nothing is held / no date is
        known.
    as_of : date-like, optional
        The date the portfolio is judged at; defaults to today.
    renewal_window_months : int
        "Renewal due" when the end of the currency window falls within this many months after
        ``as_of`` (default 3).
    validity_months : int
        How long the market treats a report as current after its period ends (default 12).
    bridge_months : int
        The longest gap between period end and fiscal year end that a bridge letter serves (default 3).
    dayfirst : bool
        Passed to :func:`socanalysis.load.parse_dates` for ambiguous numeric dates.
    errors : {"report", "raise"}
        "report" (default) keeps unreadable values as problems (columns ``reports_problem``,
        ``dates_problem`` and :func:`coverage_problems`); "raise" raises :class:`ValueParseError`
        with every unreadable value as a case.

    Returns
    -------
    pandas.DataFrame
        A new frame: every row and column of ``classified`` in order, plus :data:`COVERAGE_COLUMNS`:

        ``coverage_status``
            One of :data:`STATUSES`, decided in this order (the first that applies wins):

            ====  =====================  ======================================================
            rank  status                 when
            ====  =====================  ======================================================
            1     Review                 needs Neither (or Undetermined, judged on what it holds)
                                         yet holds a SOC report (SOC 1, SOC 2 or SOC 3): someone
                                         thought it needed one
            2     Not needed             needs Neither; or Undetermined and holds no SOC report
            3     Gap: SOC 1 + SOC 2     needs Both and holds neither
            4     Gap: SOC 1             needs SOC 1 (or Both) and holds no SOC 1
            5     Gap: SOC 2             needs SOC 2 (or Both) and holds no SOC 2
            6     Stale                  the period ended more than ``validity_months`` before
                                         ``as_of``
            7     Renewal due            the end of the currency window (``renewal_date``) falls
                                         within ``renewal_window_months`` after ``as_of``
            8     Unverified             everything needed is held, but no period end is given
                                         (or it could not be read): currency cannot be checked
            9     Covered                everything needed is held and current
            ====  =====================  ======================================================

            So a gap in a needed report beats staleness of another one. ISAE 3402, CSAE 3416, SSAE
            16/18 and SAS 70 count as SOC 1 coverage, ISAE 3000 and SOC 2+ as SOC 2; a SOC 3 alone is
            not SOC 2 coverage. An *Undetermined* row is judged on what it holds (a SOC 2 holder
            needs its SOC 2 renewed); holding nothing it is "Not needed", and ``coverage_note``
            says its needs were not determined, so it is never counted as a gap on a guess.
            A Type 1 where Type 2 is due, or a missing category, leaves the status alone: see
            ``type_upgrade`` and ``tsc_gap``.
        ``coverage_note``
            One plain sentence explaining the status.
        ``tsc_gap``
            Categories in ``tsc_categories`` not covered by the SOC 2 held ("; "-joined); empty when
            no SOC 2 is held (the whole report is then the gap). A SOC 2 held without categories
            listed covers Security only.
        ``type_upgrade``
            True when a needed report is held only as a Type 1: the next one is a Type 2.
        ``bridge_letter``
            How the report period fits the fiscal year end (the first one on or after the period
            end): "" when it coincides or a date is missing, "Bridge letter" when it falls within
            ``bridge_months`` after the period end, "New report" when later.
        ``months_since_period_end``
            Float, one decimal; month ends count whole months (2025-03-31 to 2025-06-30 is 3.0).
        ``period_end_date``, ``renewal_date``, ``next_fiscal_year_end``
            The parsed period end, the end of its currency window, and the fiscal year end used
            for ``bridge_letter``.
        holdings
            ``holds_soc1``, ``soc1_type``, ``holds_soc2``, ``soc2_type``, ``soc2_categories``, ... as
            returned by :func:`socanalysis.load.parse_reports`.
        ``dates_problem``
            Why a period-end or fiscal-year-end value could not be read; "" otherwise.

        ``attrs["socanalysis"]`` keeps the field mapping; the settings stay with the caller
        (:class:`socanalysis.Assessment` holds them). :func:`coverage_problems` lists every
        unreadable value.

    Raises
    ------
    ColumnError
        If ``soc_report`` is missing.
    ValueParseError
        If ``soc_report`` holds a value classify does not produce, or with ``errors="raise"``.

    Examples
    --------
    >>> frame = pd.DataFrame({"Reports": ["SOC 2 Type I"], "Period End": ["2025-05-31"],
    ...                       "soc_report": ["SOC 2"], "tsc_categories": ["Security"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"reports": "Reports", "period_end": "Period End"}}
    >>> row = coverage(frame, as_of="2025-06-30").iloc[0]
    >>> row["coverage_status"], bool(row["type_upgrade"]), float(row["months_since_period_end"])
    ('Covered', True, 1.0)
    """
    _check_input(classified, errors)
    settings = _settings(as_of, renewal_window_months, validity_months, bridge_months, dayfirst)
    _check_needs(classified)
    fields = fields_of(classified, headers=False)
    holdings = read_holdings(classified, fields, dayfirst)
    if errors == "raise" and not holdings.cases.empty:
        raise ValueParseError(f"{len(holdings.cases)} value(s) could not be read", cases=holdings.cases)
    held = _needs_and_holds(classified, holdings.reports)
    life = lifecycle(holdings.period_end, settings.as_of, validity=settings.validity, window=settings.window)
    status_code = _decide_status(held, life)
    added = _added_columns(classified, holdings, held, life, status_code, settings)
    return _assemble(classified, fields, added)


def coverage_problems(covered: pd.DataFrame, *, dayfirst: bool = False) -> pd.DataFrame:
    """Every value :func:`coverage` could not read: ``row`` (1-based), ``column``, ``value``, ``problem``.

    The mapped reports, period-end and fiscal-year-end columns are read again, with ``dayfirst``
    as given to :func:`coverage`.

    Examples
    --------
    >>> frame = pd.DataFrame({"Reports": ["SOC 4"], "soc_report": ["SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"reports": "Reports"}}
    >>> coverage_problems(coverage(frame, as_of="2025-06-30"))[["row", "column", "value"]].to_dict("records")
    [{'row': 1, 'column': 'Reports', 'value': 'SOC 4'}]
    """
    return read_holdings(covered, fields_of(covered, headers=False), bool(dayfirst)).cases


# --------------------------------------------------------------------------------------------
# the arguments
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    """The checked settings of one :func:`coverage` call."""

    as_of: pd.Timestamp
    validity: int
    window: int
    bridge: int
    dayfirst: bool


def _check_input(classified: object, errors: object) -> None:
    """Raise unless ``classified`` is a frame with ``soc_report`` and ``errors`` is "report" or "raise"."""
    if not isinstance(classified, pd.DataFrame):
        raise SocAnalysisError(f"coverage() takes the DataFrame returned by classify, not {type(classified).__name__}")
    if "soc_report" not in classified.columns:
        raise ColumnError(
            "coverage() needs the output of classify: there is no column 'soc_report'; "
            "run socanalysis.classify(df) first"
        )
    if errors not in ("report", "raise"):
        raise SocAnalysisError(f"errors={errors!r}: accepted values are 'report' and 'raise'")


def _settings(as_of, renewal_window_months, validity_months, bridge_months, dayfirst) -> _Settings:
    """Check the month counts (the renewal window fits in the validity) and read ``as_of``."""
    validity = _whole_months(validity_months, "validity_months", 1, 60)
    window = _whole_months(renewal_window_months, "renewal_window_months", 0, validity)
    bridge = _whole_months(bridge_months, "bridge_months", 0, 12)
    return _Settings(resolve_as_of(as_of), validity, window, bridge, bool(dayfirst))


def _whole_months(value: object, name: str, low: int, high: int) -> int:
    """``value`` as an int when it is a whole number from ``low`` to ``high``; raise naming ``name`` otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not float(value).is_integer()
        or not low <= value <= high
    ):
        raise SocAnalysisError(f"{name}={value!r}: give a whole number of months from {low} to {high}")
    return int(value)


def _check_needs(classified: pd.DataFrame) -> None:
    """Raise :class:`ValueParseError`, a case per row, when ``soc_report`` holds a value classify does not produce."""
    need = classified["soc_report"]
    bad = ~need.isin(REPORT_VALUES)
    if not bad.any():
        return
    positions = np.flatnonzero(bad.to_numpy())
    raise ValueParseError(
        f"column 'soc_report' holds {len(positions)} value(s) classify does not produce; accepted: "
        + ", ".join(REPORT_VALUES),
        cases=[
            {
                "row": p + 1,
                "column": "soc_report",
                "value": need.iloc[p],
                "problem": "not one of " + ", ".join(REPORT_VALUES),
            }
            for p in positions
        ],
    )


# --------------------------------------------------------------------------------------------
# what is needed and held
# --------------------------------------------------------------------------------------------


class _NeedsHolds(NamedTuple):
    """Per row: which reports are needed and which are held."""

    needs1: np.ndarray
    needs2: np.ndarray
    holds1: np.ndarray
    holds2: np.ndarray
    holds3: np.ndarray
    undetermined: np.ndarray  # classify could not tell what it needs


def _needs_and_holds(classified: pd.DataFrame, reports: pd.DataFrame) -> _NeedsHolds:
    """What each row needs (an Undetermined row is judged on what it holds) and what it holds."""
    holds1 = reports["holds_soc1"].to_numpy(dtype=bool)
    holds2 = reports["holds_soc2"].to_numpy(dtype=bool)
    holds3 = reports["holds_soc3"].to_numpy(dtype=bool)
    needs1, needs2 = needs(classified, holds1, holds2)
    undetermined = (classified["soc_report"] == "Undetermined").to_numpy(dtype=bool)
    return _NeedsHolds(needs1, needs2, holds1, holds2, holds3, undetermined)


# --------------------------------------------------------------------------------------------
# status, categories, types
# --------------------------------------------------------------------------------------------


def _decide_status(held: _NeedsHolds, life: Lifecycle) -> np.ndarray:
    """The position in :data:`STATUSES` of each row's status: the first of :data:`_RANKED` that applies."""
    gap1 = held.needs1 & ~held.holds1
    gap2 = held.needs2 & ~held.holds2
    no_need = ~(held.needs1 | held.needs2)
    holds_any = held.holds1 | held.holds2 | held.holds3
    undated = life.period_end.isna().to_numpy()
    return np.select(
        [no_need & holds_any, no_need, gap1 & gap2, gap1, gap2, life.stale, life.due, undated],
        [STATUSES.index(s) for s in _RANKED],
        STATUSES.index("Covered"),
    )


def _tsc_gap(classified: pd.DataFrame, reports: pd.DataFrame, held: _NeedsHolds) -> pd.Series:
    """Categories needed but not covered by the SOC 2 held ("" when no SOC 2 is needed and held)."""
    needed_mask = category_mask(text(classified, "tsc_categories").reset_index(drop=True))
    held_mask = category_mask(reports["soc2_categories"].reset_index(drop=True))
    gap_mask = np.where(held.needs2 & held.holds2, needed_mask & ~held_mask, 0)
    return take_str([MASK_NAMES[m] for m in range(32)], gap_mask)


def _type_upgrade(reports: pd.DataFrame, held: _NeedsHolds) -> np.ndarray:
    """Whether a needed report is held only as a Type 1."""
    return (held.needs1 & held.holds1 & (reports["soc1_type"] == "Type 1").to_numpy(dtype=bool)) | (
        held.needs2 & held.holds2 & (reports["soc2_type"] == "Type 1").to_numpy(dtype=bool)
    )


# --------------------------------------------------------------------------------------------
# the frame returned
# --------------------------------------------------------------------------------------------


def _added_columns(
    classified: pd.DataFrame,
    holdings: Holdings,
    held: _NeedsHolds,
    life: Lifecycle,
    status_code: np.ndarray,
    settings: _Settings,
) -> pd.DataFrame:
    """The columns :func:`coverage` adds, in :data:`COVERAGE_COLUMNS` order, on ``classified``'s index."""
    n = len(classified)
    applies = (held.holds1 | held.holds2) & ~np.isin(status_code, [STATUSES.index(s) for s in ("Not needed", "Review")])
    next_fye, bridge_letter = bridge_letters(holdings.fiscal_year_end, life.period_end, applies, settings.bridge)
    note = notes(
        status_code,
        held.undetermined,
        held.holds3,
        life,
        as_of=settings.as_of,
        validity=settings.validity,
        window=settings.window,
    )
    columns = {
        "coverage_status": take_str(STATUSES, status_code),
        "coverage_note": note,
        "tsc_gap": _tsc_gap(classified, holdings.reports, held),
        "type_upgrade": pd.Series(_type_upgrade(holdings.reports, held)),
        "bridge_letter": bridge_letter,
        "months_since_period_end": pd.Series(np.round(life.months, 1)),
        "period_end_date": life.period_end,
        "renewal_date": life.renewal.reset_index(drop=True),
        "next_fiscal_year_end": next_fye.reset_index(drop=True),
        **{col: holdings.reports[col].reset_index(drop=True) for col in REPORT_COLUMNS},
        "dates_problem": (
            pd.Series(messages_by_row(holdings.date_cases, n), dtype="str")
            if len(holdings.date_cases)
            else take_str([""], np.zeros(n, dtype=np.int64))
        ),
    }
    added = pd.concat(columns, axis=1)
    added.index = classified.index
    return added


def _assemble(classified: pd.DataFrame, fields: Mapping[str, str], added: pd.DataFrame) -> pd.DataFrame:
    """``classified`` with ``added`` after its columns (replacing those of an earlier run), and its attrs."""
    mapped = set(fields.values())
    earlier = [c for c in COVERAGE_COLUMNS if c in classified.columns and c not in mapped]
    out = classified.drop(columns=earlier)
    out = pd.concat([out, added[[c for c in COVERAGE_COLUMNS if c not in out.columns]]], axis=1)
    out.attrs = copy.deepcopy(classified.attrs)  # the field mapping; the settings are the caller's
    return out
