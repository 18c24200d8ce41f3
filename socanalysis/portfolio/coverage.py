"""Coverage: what each organisation needs against what it holds, and what could be sold.

:func:`coverage` takes the output of ``classify`` and adds a status per organisation;
:func:`summarize` counts statuses by industry, engagement partner and region with an opportunity
estimate; :func:`opportunities` lists per organisation what could be sold, priced from a fee
schedule (:func:`load_fees`).

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
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import yaml

from ..errors import CASE_COLUMNS, ColumnError, RulesError, SocAnalysisError, ValueParseError
from ..load import (
    FIELD_BY_NAME,
    REPORT_COLUMNS,
    fields_of,
    parse_dates,
    parse_month_day,
    parse_reports,
    resolve_month_day,
)
from ..vocabulary import ATTRS_KEY, CATEGORIES, NOT_GIVEN, REPORT_VALUES, STATUSES

__all__ = [
    "COVERAGE_COLUMNS",
    "FeeSchedule",
    "FeeScheduleError",
    "coverage",
    "coverage_problems",
    "load_fees",
    "opportunities",
    "summarize",
]

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


class FeeScheduleError(RulesError):
    """A fee schedule is missing, malformed, or holds an invalid fee or size band."""


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def _column(frame: pd.DataFrame, fields: Mapping[str, str], field: str) -> pd.Series:
    col = fields.get(field)
    if col is None:
        return pd.Series(pd.NA, index=frame.index, dtype=object, name=field)
    return frame[col]


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text with blanks for missing values ("" when the column is absent)."""
    if column not in frame.columns:
        return _take_str([""], np.zeros(len(frame), dtype=np.int64), frame.index)
    series = frame[column]
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
        return series.fillna("")
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    values = [str(v) for v in uniques] + [""]
    return _take_str(values, np.where(codes < 0, len(values) - 1, codes), frame.index)


def _take_str(values: Sequence[str], codes: np.ndarray, index=None) -> pd.Series:
    """A text Series built from a few distinct values and a code per row (fast for millions of rows)."""
    small = pd.array(list(values), dtype="str")
    return pd.Series(small.take(np.asarray(codes, dtype=np.int64)), index=index)


def _as_of(as_of: object) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if stamp is pd.NaT or pd.isna(stamp):
        raise SocAnalysisError(f"as_of={as_of!r} is not a date; give e.g. '2025-06-30' or a datetime.date")
    return stamp.tz_localize(None).normalize() if stamp.tz is not None else stamp.normalize()


def _whole_months(value: object, name: str, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not float(value).is_integer()
        or not low <= value <= high
    ):
        raise SocAnalysisError(f"{name}={value!r}: give a whole number of months from {low} to {high}")
    return int(value)


def _add_months(dates: pd.Series, months: int) -> pd.Series:
    """Add whole months; a month-end date stays a month end (Sep 30 + 3 = Dec 31)."""
    shifted = dates + pd.DateOffset(months=months)
    month_end = dates.dt.is_month_end.fillna(False).astype(bool)
    return shifted.where(~month_end, shifted + pd.offsets.MonthEnd(0))


def _months_between(start: pd.Series, end: pd.Series | pd.Timestamp) -> np.ndarray:
    """Months from ``start`` to ``end`` as a float; month ends count as day 31 (Jun 30 -> Sep 30 = 3.0)."""
    start = pd.Series(start).reset_index(drop=True)
    if isinstance(end, pd.Timestamp):
        end = pd.Series(end, index=start.index)
    end = pd.Series(end).reset_index(drop=True)

    def parts(s: pd.Series):
        day = s.dt.day.to_numpy(dtype=float, na_value=np.nan)
        day = np.where(s.dt.is_month_end.fillna(False).to_numpy(dtype=bool), 31.0, day)
        year = s.dt.year.to_numpy(dtype=float, na_value=np.nan)
        return year, s.dt.month.to_numpy(dtype=float, na_value=np.nan), day

    y1, m1, d1 = parts(start)
    y2, m2, d2 = parts(end)
    return (y2 - y1) * 12 + (m2 - m1) + (d2 - d1) / 31.0


def _has(series: pd.Series, word: str) -> np.ndarray:
    return series.str.contains(word, regex=False).to_numpy(dtype=bool)


_MASK_NAMES = {mask: "; ".join(c for i, c in enumerate(CATEGORIES) if mask >> i & 1) for mask in range(32)}


def _category_mask(series: pd.Series) -> np.ndarray:
    mask = np.zeros(len(series), dtype=np.int64)
    for i, cat in enumerate(CATEGORIES):
        mask |= _has(series, cat).astype(np.int64) << i
    return mask


def _needs(frame: pd.DataFrame, holds1, holds2) -> tuple[np.ndarray, np.ndarray]:
    """Which reports each row needs; an Undetermined row is judged on what it already holds."""
    need = frame["soc_report"].astype(str).to_numpy()
    undetermined = need == "Undetermined"
    needs1 = np.isin(need, ["SOC 1", "Both"]) | (undetermined & holds1)
    needs2 = np.isin(need, ["SOC 2", "Both"]) | (undetermined & holds2)
    return needs1, needs2


def _problems_table(series: pd.Series, messages: pd.Series, column: str) -> pd.DataFrame:
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


def _messages_by_row(cases: pd.DataFrame, n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    for row, column, problem in zip(cases["row"], cases["column"], cases["problem"], strict=True):
        text = f"{column}: {problem}" if column else str(problem)
        out[row - 1] = text if not out[row - 1] else f"{out[row - 1]}; {text}"
    return out


# --------------------------------------------------------------------------------------------
# coverage
# --------------------------------------------------------------------------------------------


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
            1     Not needed             needs Neither; or Undetermined and holds no SOC 1/SOC 2
            2     Gap: SOC 1 + SOC 2     needs Both and holds neither
            3     Gap: SOC 1             needs SOC 1 (or Both) and holds no SOC 1
            4     Gap: SOC 2             needs SOC 2 (or Both) and holds no SOC 2
            5     Stale                  the period ended more than ``validity_months`` before
                                         ``as_of``
            6     Renewal due            the end of the currency window (``renewal_date``) falls
                                         within ``renewal_window_months`` after ``as_of``
            7     Covered                everything needed is held and current, or held with no
                                         period end given (currency then cannot be checked)
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

        ``attrs["socanalysis"]`` keeps the field mapping and adds ``coverage`` (as_of and the
        settings used). :func:`coverage_problems` lists every unreadable value.

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
    if not isinstance(classified, pd.DataFrame):
        raise SocAnalysisError(f"coverage() takes the DataFrame returned by classify, not {type(classified).__name__}")
    if "soc_report" not in classified.columns:
        raise ColumnError(
            "coverage() needs the output of classify: there is no column 'soc_report'; "
            "run socanalysis.classify(df) first"
        )
    if errors not in ("report", "raise"):
        raise SocAnalysisError(f"errors={errors!r}: accepted values are 'report' and 'raise'")
    validity = _whole_months(validity_months, "validity_months", 1, 60)
    window = _whole_months(renewal_window_months, "renewal_window_months", 0, validity)
    bridge = _whole_months(bridge_months, "bridge_months", 0, 12)
    as_of = _as_of(as_of)

    need = classified["soc_report"]
    bad = ~need.isin(REPORT_VALUES)
    if bad.any():
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

    fields = fields_of(classified, headers=False)
    n = len(classified)
    held, period_end, fye, pe_cases, fye_cases, cases = _read_holdings(classified, fields, dayfirst)
    if errors == "raise" and not cases.empty:
        raise ValueParseError(f"{len(cases)} value(s) could not be read", cases=cases)

    holds1 = held["holds_soc1"].to_numpy(dtype=bool)
    holds2 = held["holds_soc2"].to_numpy(dtype=bool)
    holds3 = held["holds_soc3"].to_numpy(dtype=bool)
    needs1, needs2 = _needs(classified, holds1, holds2)
    gap1 = needs1 & ~holds1
    gap2 = needs2 & ~holds2
    pe = period_end.reset_index(drop=True)
    renewal = _add_months(pe, validity)
    has_pe = pe.notna().to_numpy()
    stale = has_pe & (renewal < as_of).to_numpy()
    due = has_pe & ~stale & (renewal <= as_of + pd.DateOffset(months=window)).to_numpy()
    months = _months_between(pe, as_of)
    status_code = np.select(
        [~(needs1 | needs2), gap1 & gap2, gap1, gap2, stale, due],
        [
            STATUSES.index(s)
            for s in ("Not needed", "Gap: SOC 1 + SOC 2", "Gap: SOC 1", "Gap: SOC 2", "Stale", "Renewal due")
        ],
        STATUSES.index("Covered"),
    )
    status = np.asarray(STATUSES, dtype=object)[status_code]

    # categories needed but not covered by the SOC 2 held
    tsc = _text(classified, "tsc_categories").reset_index(drop=True)
    needed_mask = _category_mask(tsc)
    held_mask = _category_mask(held["soc2_categories"].reset_index(drop=True))
    gap_mask = np.where(needs2 & holds2, needed_mask & ~held_mask, 0)
    tsc_gap = _take_str([_MASK_NAMES[m] for m in range(32)], gap_mask)

    type1 = (needs1 & holds1 & (held["soc1_type"] == "Type 1").to_numpy(dtype=bool)) | (
        needs2 & holds2 & (held["soc2_type"] == "Type 1").to_numpy(dtype=bool)
    )

    next_fye = resolve_month_day(fye, pe)
    gap_months = _months_between(pe, next_fye)
    fits = (holds1 | holds2) & (status != "Not needed") & ~np.isnan(gap_months)
    bridge_code = np.select([~fits, gap_months <= 0, gap_months <= bridge], [0, 0, 1], 2)
    bridge_letter = _take_str(["", "Bridge letter", "New report"], bridge_code)

    undetermined = (classified["soc_report"] == "Undetermined").to_numpy(dtype=bool)
    note = _notes(status_code, undetermined, holds3, pe, renewal, months, as_of, validity, window)

    date_cases = pd.concat([pe_cases, fye_cases], ignore_index=True)
    columns = {
        "coverage_status": _take_str(STATUSES, status_code),
        "coverage_note": note,
        "tsc_gap": tsc_gap,
        "type_upgrade": pd.Series(type1),
        "bridge_letter": bridge_letter,
        "months_since_period_end": pd.Series(np.round(months, 1)),
        "period_end_date": pe,
        "renewal_date": renewal.reset_index(drop=True),
        "next_fiscal_year_end": next_fye.reset_index(drop=True),
        **{col: held[col].reset_index(drop=True) for col in REPORT_COLUMNS},
        "dates_problem": (
            pd.Series(_messages_by_row(date_cases, n), dtype="str")
            if len(date_cases)
            else _take_str([""], np.zeros(n, dtype=np.int64))
        ),
    }
    added = pd.concat(columns, axis=1)
    added.index = classified.index

    mapped = set(fields.values())
    stale_columns = [c for c in COVERAGE_COLUMNS if c in classified.columns and c not in mapped]
    out = classified.drop(columns=stale_columns)
    out = pd.concat([out, added[[c for c in COVERAGE_COLUMNS if c not in out.columns]]], axis=1)
    attrs = copy.deepcopy(classified.attrs)
    meta = dict(attrs.get(ATTRS_KEY, {}))
    meta["coverage"] = {
        "as_of": as_of.date().isoformat(),
        "renewal_window_months": window,
        "validity_months": validity,
        "bridge_months": bridge,
        "dayfirst": bool(dayfirst),
        "problems": len(cases),
    }
    attrs[ATTRS_KEY] = meta
    out.attrs = attrs
    return out


def _unique_rows(keys: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Codes of each row's combination of key values, and one row per combination (in code order)."""
    keys = keys.reset_index(drop=True)
    if keys.empty:
        return np.zeros(0, dtype=np.int64), keys
    factors = [pd.factorize(keys[c], use_na_sentinel=False)[0] for c in keys.columns]
    codes = pd.DataFrame(dict(enumerate(factors))).groupby(list(range(len(factors))), sort=False).ngroup()
    codes = codes.to_numpy(dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    return codes, keys.iloc[first].reset_index(drop=True)


def _notes(status_code, undetermined, holds3, pe, renewal, months, as_of, validity, window) -> pd.Series:
    """The sentence per row; built once per distinct combination of what it says."""
    keys = pd.DataFrame(
        {
            "status": status_code,
            "undetermined": undetermined,
            "holds3": holds3,
            "m": np.round(months, 1),
            "renewal": renewal.to_numpy(),
            "no_pe": pe.isna().to_numpy(),
            "future": (pe > as_of).to_numpy(),
        }
    )
    codes, uniq = _unique_rows(keys)
    return _take_str(_note_text(uniq, as_of, validity, window), codes)


def _note_text(uniq: pd.DataFrame, as_of, validity, window) -> list[str]:
    status = np.asarray(STATUSES, dtype=object)[uniq["status"].to_numpy(dtype=np.int64)]
    undetermined = uniq["undetermined"].to_numpy(dtype=bool)
    holds3 = uniq["holds3"].to_numpy(dtype=bool)
    no_pe = uniq["no_pe"].to_numpy(dtype=bool)
    future = uniq["future"].to_numpy(dtype=bool)
    day = as_of.strftime("%Y-%m-%d")
    m = uniq["m"].map("{:.1f}".format).to_numpy(dtype=object)
    ren = pd.to_datetime(uniq["renewal"]).dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    prefix = np.where(
        undetermined & (status != "Not needed"),
        "What it needs is undetermined, so it is judged on the reports it holds. ",
        "",
    )
    covered = np.select(
        [no_pe, future],
        [
            "Holds what it needs; no period end is given, so its currency was not checked.",
            "Holds what it needs; its report period ends after " + day + ".",
        ],
        "Holds what it needs; the period ended " + m + " months before " + day + ".",
    )
    text = np.select(
        [
            (status == "Not needed") & undetermined,
            status == "Not needed",
            status == "Gap: SOC 1 + SOC 2",
            status == "Gap: SOC 1",
            (status == "Gap: SOC 2") & holds3,
            status == "Gap: SOC 2",
            status == "Stale",
            status == "Renewal due",
        ],
        [
            "What it needs is undetermined and it holds no SOC 1 or SOC 2: review it before treating it as not needed.",
            "Needs no SOC report.",
            "Needs a SOC 1 and a SOC 2 and holds neither.",
            "Needs a SOC 1 and holds none.",
            "Needs a SOC 2 and holds only a SOC 3, which does not replace it.",
            "Needs a SOC 2 and holds none.",
            "The period ended " + m + f" months before {day}; a report is treated as current for {validity} months.",
            "Current until " + ren + f", within {window} months of {day}: the next period is due.",
        ],
        covered,
    )
    return [str(t) for t in prefix + text]


def _read_holdings(frame: pd.DataFrame, fields: Mapping[str, str], dayfirst: bool):
    """Parse the reports, period-end and fiscal-year-end columns; collect every unreadable value."""
    reports_in = _column(frame, fields, "reports")
    held = parse_reports(reports_in)
    period_end, pe_cases = parse_dates(
        _column(frame, fields, "period_end"), column=fields.get("period_end"), dayfirst=dayfirst
    )
    fye, fye_cases = parse_month_day(
        _column(frame, fields, "fiscal_year_end"), column=fields.get("fiscal_year_end"), dayfirst=dayfirst
    )
    report_cases = _problems_table(reports_in, held["reports_problem"], fields.get("reports", ""))
    parts = [c for c in (report_cases, pe_cases, fye_cases) if not c.empty]
    cases = (
        pd.concat(parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
        if parts
        else pd.DataFrame(columns=CASE_COLUMNS)
    )
    return held, period_end, fye, pe_cases, fye_cases, cases


def coverage_problems(covered: pd.DataFrame) -> pd.DataFrame:
    """Every value :func:`coverage` could not read: ``row`` (1-based), ``column``, ``value``, ``problem``.

    The mapped reports, period-end and fiscal-year-end columns are read again (the frame's attrs
    stay small), with the ``dayfirst`` setting ``coverage`` used.

    Examples
    --------
    >>> frame = pd.DataFrame({"Reports": ["SOC 4"], "soc_report": ["SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"reports": "Reports"}}
    >>> coverage_problems(coverage(frame, as_of="2025-06-30"))[["row", "column", "value"]].to_dict("records")
    [{'row': 1, 'column': 'Reports', 'value': 'SOC 4'}]
    """
    settings = covered.attrs.get(ATTRS_KEY, {}).get("coverage", {})
    return _read_holdings(covered, fields_of(covered, headers=False), bool(settings.get("dayfirst", False)))[-1]


# --------------------------------------------------------------------------------------------
# fees
# --------------------------------------------------------------------------------------------

REPORT_FEES: tuple[str, ...] = ("SOC 1 Type 1", "SOC 1 Type 2", "SOC 2 Type 1", "SOC 2 Type 2")
ADD_ONS: tuple[str, ...] = ("Additional category", "SOC 3", "Bridge letter")
_TOP_KEYS = ("currency", "reports", "add_ons", "size_bands")
_BAND_KEYS = ("name", "multiplier", "revenue_below", "aliases")


@dataclass(frozen=True)
class SizeBand:
    """A size band: its name, fee multiplier, aliases and (optionally) the revenue it stays below."""

    name: str
    multiplier: float
    aliases: tuple[str, ...] = ()
    revenue_below: float | None = None


@dataclass(frozen=True)
class FeeSchedule:
    """A validated fee schedule (see ``socanalysis/data/fees.yaml``)."""

    currency: str
    reports: Mapping[str, float]
    add_ons: Mapping[str, float]
    default_multiplier: float
    bands: tuple[SizeBand, ...]

    def report_fee(self, report: str, type_: str) -> float:
        """The fee of one report, e.g. ``report_fee("SOC 2", "Type 2")``."""
        return float(self.reports[f"{report} {type_}"])

    def size(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """The band name and multiplier for each size-band value ("(default)" when not recognised).

        Examples
        --------
        >>> names, multipliers = load_fees().size(pd.Series(["Enterprise", "$12M", "25000000", "?", None]))
        >>> names.tolist()
        ['Enterprise', 'Mid-market', 'Mid-market', '(default)', '(default)']
        """
        values = pd.Series(values)
        codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
        found = [self._band(v) for v in uniques] + [None]
        names = np.array([b.name if b else "(default)" for b in found], dtype=object)
        mult = np.array([b.multiplier if b else self.default_multiplier for b in found], dtype=float)
        take = np.where(codes < 0, len(found) - 1, codes)
        return (
            pd.Series(names[take], index=values.index, dtype=str),
            pd.Series(mult[take], index=values.index, dtype=float),
        )

    def _band(self, value: object) -> SizeBand | None:
        key = _band_key(value)
        if not key:
            return None
        for band in self.bands:
            if key == _band_key(band.name) or key in {_band_key(a) for a in band.aliases}:
                return band
        revenue = _revenue(value)
        if revenue is None:
            return None
        ranked = sorted(self.bands, key=lambda b: np.inf if b.revenue_below is None else b.revenue_below)
        for band in ranked:
            if band.revenue_below is None or revenue < band.revenue_below:
                return band
        return None


def _band_key(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return re.sub(r"[^0-9a-z<>+]+", "", str(value).lower())


_UNITS = {
    "": 1,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_MONEY = re.compile(
    r"^(?P<cmp><|>|under|below|less than|up to|over|above|more than)?\s*(?P<cur>\$|usd)?"
    r"\s*(?P<a>\d[\d,]*(?:\.\d+)?)"
    r"\s*(?P<ua>k|thousand|mm|mn|mil|million|m|bn|billion|b)?"
    r"(?:\s*(?:-|to)\s*\$?\s*(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<ub>k|thousand|mm|mn|mil|million|m|bn|billion|b)?)?"
    r"\s*(?P<plus>\+)?$",
    re.I,
)


def _revenue(value: object) -> float | None:
    """A revenue in USD from "$12M", "1.2bn", "$10M-$50M" (its lower end), 25000000; None otherwise.

    A bare number is read as revenue only from 100,000 up (smaller ones may be head counts).
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value) if value >= 100_000 else None
    m = _MONEY.match(str(value).strip().replace("\u2013", "-"))
    if not m:
        return None
    unit = (m.group("ua") or m.group("ub") or "").lower()
    amount = float(m.group("a").replace(",", "")) * _UNITS[unit]
    if not (m.group("cur") or unit) and amount < 100_000:
        return None
    cmp = (m.group("cmp") or "").lower()
    if cmp in ("<", "under", "below", "less than", "up to"):
        amount -= 1
    return amount


def _fail(message: str) -> NoReturn:
    raise FeeScheduleError(message if message.startswith("fees=") else "fees: " + message)


def _fee_value(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
        _fail(f"{where} must be a non-negative number of dollars, got {value!r}")
    return float(value)


def _default_fees() -> dict:
    text = (resources.files("socanalysis") / "data" / "fees.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_fees(source: str | os.PathLike | Mapping | FeeSchedule | None = None) -> FeeSchedule:
    """Load and validate a fee schedule.

    Parameters
    ----------
    source : path, dict, FeeSchedule or None
        None: the packaged default (``socanalysis/data/fees.yaml``). A YAML file path or a dict with
        any of the keys ``currency``, ``reports`` (fees for "SOC 1 Type 1", "SOC 1 Type 2",
        "SOC 2 Type 1", "SOC 2 Type 2"), ``add_ons`` ("Additional category", "SOC 3",
        "Bridge letter") and ``size_bands`` (``default_multiplier`` and a list of ``bands``, each
        with ``name``, ``multiplier``, optional ``aliases`` and ``revenue_below``). What it leaves out
        keeps the default; a ``bands`` list replaces the default list.

    Raises
    ------
    FeeScheduleError
        Naming the key at fault and what is accepted.

    Examples
    --------
    >>> load_fees({"reports": {"SOC 2 Type 2": 55000}}).report_fee("SOC 2", "Type 2")
    55000.0
    >>> load_fees({"reports": {"SOC 5": 1}})
    Traceback (most recent call last):
    ...
    socanalysis.portfolio.coverage.FeeScheduleError: fees: reports has no 'SOC 5'; accepted: 'SOC 1 Type 1', ...
    """
    if isinstance(source, FeeSchedule):
        return source
    base = _default_fees()
    if source is None:
        override: Mapping = {}
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            _fail(f"there is no file {str(path)!r}")
        problem = ""
        try:
            override = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            override = None
            problem = str(exc)
        if override is None:
            _fail(f"{str(path)!r} is not valid YAML: {problem}")
    elif isinstance(source, Mapping):
        override = source
    else:
        _fail(f"fees={source!r}: give a path to a YAML file, a dict, or None for the default")
    if not isinstance(override, Mapping):
        _fail(f"the schedule must be a mapping with keys {', '.join(_TOP_KEYS)}; got {type(override).__name__}")
    unknown = [k for k in override if k not in _TOP_KEYS]
    if unknown:
        _fail(f"unknown key {unknown[0]!r}; accepted: {', '.join(map(repr, _TOP_KEYS))}")
    merged = copy.deepcopy(base)
    for key in ("reports", "add_ons"):
        part = override.get(key, {})
        if not isinstance(part, Mapping):
            _fail(f"{key} must map names to fees, got {part!r}")
        accepted = REPORT_FEES if key == "reports" else ADD_ONS
        for name, value in part.items():
            if name not in accepted:
                _fail(f"{key} has no {name!r}; accepted: {', '.join(map(repr, accepted))}")
            merged[key][name] = value
    if "currency" in override:
        merged["currency"] = override["currency"]
    sizes = override.get("size_bands", {})
    if not isinstance(sizes, Mapping):
        _fail(f"size_bands must be a mapping with default_multiplier and bands, got {sizes!r}")
    for key, value in sizes.items():
        if key not in ("default_multiplier", "bands"):
            _fail(f"size_bands has no {key!r}; accepted: 'default_multiplier', 'bands'")
        merged["size_bands"][key] = value

    if not isinstance(merged.get("currency"), str) or not merged["currency"].strip():
        _fail(f"currency must be a name such as 'USD', got {merged.get('currency')!r}")
    reports = {k: _fee_value(merged["reports"].get(k), f"reports[{k!r}]") for k in REPORT_FEES}
    add_ons = {k: _fee_value(merged["add_ons"].get(k), f"add_ons[{k!r}]") for k in ADD_ONS}
    default = merged["size_bands"].get("default_multiplier", 1.0)
    if isinstance(default, bool) or not isinstance(default, (int, float)) or not default > 0:
        _fail(f"size_bands.default_multiplier must be a number above 0, got {default!r}")
    raw_bands = merged["size_bands"].get("bands", [])
    if not isinstance(raw_bands, list):
        _fail(f"size_bands.bands must be a list of bands, got {raw_bands!r}")
    bands = []
    for i, band in enumerate(raw_bands):
        where = f"size_bands.bands[{i}]"
        if not isinstance(band, Mapping):
            _fail(f"{where} must be a mapping with {', '.join(_BAND_KEYS)}, got {band!r}")
        extra = [k for k in band if k not in _BAND_KEYS]
        if extra:
            _fail(f"{where} has no key {extra[0]!r}; accepted: {', '.join(_BAND_KEYS)}")
        name = band.get("name")
        if not isinstance(name, str) or not name.strip():
            _fail(f"{where}.name must be a non-empty text, got {name!r}")
        mult = band.get("multiplier")
        if isinstance(mult, bool) or not isinstance(mult, (int, float)) or not mult > 0:
            _fail(f"{where}.multiplier ({name!r}) must be a number above 0, got {mult!r}")
        aliases = band.get("aliases", []) or []
        if not isinstance(aliases, list) or not all(isinstance(a, (str, int, float)) for a in aliases):
            _fail(f"{where}.aliases ({name!r}) must be a list of texts, got {aliases!r}")
        below = band.get("revenue_below")
        number = not isinstance(below, bool) and isinstance(below, (int, float))
        if below is not None and (not number or below <= 0):
            _fail(f"{where}.revenue_below ({name!r}) must be a number of dollars above 0, got {below!r}")
        bands.append(
            SizeBand(name.strip(), float(mult), tuple(str(a) for a in aliases), None if below is None else float(below))
        )
    names = [b.name.lower() for b in bands]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        _fail(f"size_bands.bands names the band {dup!r} twice")
    return FeeSchedule(merged["currency"].strip(), reports, add_ons, float(default), tuple(bands))


# --------------------------------------------------------------------------------------------
# opportunities and summaries
# --------------------------------------------------------------------------------------------


def _require_coverage(covered: pd.DataFrame, caller: str) -> None:
    needed = ("coverage_status", "soc_report", "holds_soc1", "holds_soc2")
    missing = [c for c in needed if c not in covered.columns]
    if missing:
        raise ColumnError(
            f"{caller}() needs the output of coverage(): column {missing[0]!r} is missing; "
            "run socanalysis.coverage(classified) first"
        )


def opportunities(covered: pd.DataFrame, fees: str | os.PathLike | Mapping | FeeSchedule | None = None) -> pd.DataFrame:
    """Per organisation: what could be sold and its estimated fee.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`coverage`.
    fees : path, dict, FeeSchedule or None
        The fee schedule (:func:`load_fees`); None for the packaged default.

    Returns
    -------
    pandas.DataFrame
        Same index as ``covered``; columns ``name`` (when the name field is mapped),
        ``coverage_status``, ``opportunity`` (what could be sold, "; "-joined), ``size_band`` (the
        band applied, "(default)" when not recognised), ``multiplier`` and ``opportunity_usd``.

    Notes
    -----
    What is counted, each fee scaled by the size band's multiplier:

    * a gap: the missing report, of the type ``report_type`` recommends (Type 1 when it is empty);
      a new SOC 2 adds "Additional category" for each category in ``tsc_categories`` beyond Security;
    * Stale or Renewal due: the next Type 2 of each needed report held (a Type 1 holder moves to
      Type 2), with the categories held or needed;
    * Covered with ``type_upgrade``: the Type 2 that follows the Type 1;
    * otherwise a ``tsc_gap``: "Additional category" per missing category;
    * "SOC 3" when ``also_consider`` names it, a SOC 2 is needed and none is held;
    * "Bridge letter" when ``bridge_letter`` says so and the status is Covered or Renewal due.
      "New report" adds nothing of its own: the renewal is already counted when it is due.

    Examples
    --------
    >>> frame = pd.DataFrame({"soc_report": ["SOC 2"], "tsc_categories": ["Security; Availability"],
    ...                       "report_type": ["Type 1"]})
    >>> opportunities(coverage(frame, as_of="2025-06-30"))[["opportunity", "opportunity_usd"]].values.tolist()
    [['SOC 2 Type 1 (Security, Availability)', 30000.0]]
    """
    _require_coverage(covered, "opportunities")
    schedule = load_fees(fees)
    fields = fields_of(covered, headers=False)
    # every quantity below depends on a few short columns: price each distinct combination once
    keys = pd.DataFrame({c: _text(covered, c).reset_index(drop=True) for c in _PRICE_TEXT})
    for col in ("holds_soc1", "holds_soc2", "holds_soc3"):
        keys[col] = covered[col].to_numpy(dtype=bool) if col in covered else False
    keys["soc3_suggested"] = _has(_text(covered, "also_consider"), "SOC 3")
    codes, uniq = _unique_rows(keys)
    labels, base = _price(uniq, schedule)
    band, mult = schedule.size(_column(covered, fields, "size_band"))
    out = pd.DataFrame(index=covered.index)
    if "name" in fields:
        out["name"] = covered[fields["name"]].to_numpy()
    out["coverage_status"] = covered["coverage_status"]
    out["opportunity"] = _take_str([str(x) for x in labels], codes, covered.index)
    out["size_band"] = band.to_numpy()
    out["multiplier"] = mult.to_numpy()
    out["opportunity_usd"] = np.round((base[codes] if len(codes) else 0.0) * mult.to_numpy(), 2)
    return out


_PRICE_TEXT = (
    "coverage_status",
    "soc_report",
    "report_type",
    "soc1_type",
    "soc2_type",
    "tsc_categories",
    "soc2_categories",
    "tsc_gap",
    "bridge_letter",
)
_POPCOUNT = np.array([bin(i).count("1") for i in range(32)])


def _price(uniq: pd.DataFrame, schedule: FeeSchedule) -> tuple[np.ndarray, np.ndarray]:
    """What could be sold ("; "-joined) and its fee before the size multiplier, per row of ``uniq``."""
    n = len(uniq)
    status = uniq["coverage_status"].to_numpy(dtype=object)
    holds1 = uniq["holds_soc1"].to_numpy(dtype=bool)
    holds2 = uniq["holds_soc2"].to_numpy(dtype=bool)
    holds3 = uniq["holds_soc3"].to_numpy(dtype=bool)
    needs1, needs2 = _needs(uniq, holds1, holds2)
    rtype = uniq["report_type"].to_numpy(dtype=object)
    new_type = np.where(np.isin(rtype, ["Type 1", "Type 2"]), rtype, "Type 1").astype(object)
    soc1_type = uniq["soc1_type"].to_numpy(dtype=object)
    soc2_type = uniq["soc2_type"].to_numpy(dtype=object)
    needed_mask = _category_mask(uniq["tsc_categories"].astype(str))
    held_mask = _category_mask(uniq["soc2_categories"].astype(str))
    tsc_gap = uniq["tsc_gap"].astype(str)
    gap_count = _POPCOUNT[_category_mask(tsc_gap)]
    add_cat = schedule.add_ons["Additional category"]

    def extra(mask: np.ndarray) -> np.ndarray:
        return _POPCOUNT[mask & ~1].astype(float)  # categories beyond Security (bit 0)

    def fee_of(report: str, types: np.ndarray) -> np.ndarray:
        return np.where(types == "Type 2", schedule.report_fee(report, "Type 2"), schedule.report_fee(report, "Type 1"))

    def names(mask: np.ndarray) -> np.ndarray:
        return np.array([_MASK_NAMES[m].replace("; ", ", ") for m in mask], dtype=object)

    labels = np.full(n, "", dtype=object)
    total = np.zeros(n)

    def add(cond: np.ndarray, label, fee):
        nonlocal labels, total
        label = np.broadcast_to(np.asarray(label, dtype=object), (n,))
        sep = np.where(cond & (labels != ""), "; ", "")
        labels = np.where(cond, labels + sep + label, labels)
        total = total + np.where(cond, fee, 0.0)

    gap1 = np.isin(status, ["Gap: SOC 1", "Gap: SOC 1 + SOC 2"])
    gap2 = np.isin(status, ["Gap: SOC 2", "Gap: SOC 1 + SOC 2"])
    new2_mask = needed_mask | 1
    add(gap1, "SOC 1 " + new_type, fee_of("SOC 1", new_type))
    add(
        gap2,
        "SOC 2 " + new_type + " (" + names(new2_mask) + ")",
        fee_of("SOC 2", new_type) + extra(new2_mask) * add_cat,
    )

    renewing = np.isin(status, ["Stale", "Renewal due"])
    renew1 = renewing & needs1 & holds1
    renew2 = renewing & needs2 & holds2
    renew2_mask = needed_mask | held_mask | 1
    add(renew1, "SOC 1 Type 2 renewal", schedule.report_fee("SOC 1", "Type 2"))
    add(
        renew2,
        "SOC 2 Type 2 renewal (" + names(renew2_mask) + ")",
        schedule.report_fee("SOC 2", "Type 2") + extra(renew2_mask) * add_cat,
    )

    covered_now = status == "Covered"
    up1 = covered_now & needs1 & holds1 & (soc1_type == "Type 1")
    up2 = covered_now & needs2 & holds2 & (soc2_type == "Type 1")
    add(up1, "SOC 1 Type 2 (after the Type 1)", schedule.report_fee("SOC 1", "Type 2"))
    add(
        up2,
        "SOC 2 Type 2 (after the Type 1; " + names(renew2_mask) + ")",
        schedule.report_fee("SOC 2", "Type 2") + extra(renew2_mask) * add_cat,
    )

    more = (gap_count > 0) & ~renew2 & ~up2 & (status != "Not needed")
    more_label = "Add " + tsc_gap.str.replace("; ", ", ", regex=False).to_numpy(dtype=object)
    add(more, more_label, gap_count * add_cat)

    soc3 = uniq["soc3_suggested"].to_numpy(dtype=bool) & needs2 & ~holds3 & (status != "Not needed")
    add(soc3, "SOC 3", schedule.add_ons["SOC 3"])
    bridge = (uniq["bridge_letter"].to_numpy(dtype=object) == "Bridge letter") & np.isin(
        status, ["Covered", "Renewal due"]
    )
    add(bridge, "Bridge letter", schedule.add_ons["Bridge letter"])
    return labels, total


def summarize(
    covered: pd.DataFrame,
    *,
    by: Sequence[str] = ("industry", "partner", "region"),
    fees: str | os.PathLike | Mapping | FeeSchedule | None = None,
) -> dict[str, pd.DataFrame]:
    """Coverage counts, shares and the opportunity estimate by segment.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`coverage`.
    by : sequence of str
        Segments: canonical fields ("industry", "partner", "region", "sector", "country",
        "size_band" ...) found through the field mapping, or column names. A segment with no column
        is skipped.
    fees : path, dict, FeeSchedule or None
        The fee schedule for the opportunity estimate (:func:`load_fees`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"All"`` (one row) and one table per segment found, keyed by the name given in ``by``,
        indexed by the segment's values (blanks as "(not given)"), sorted by organisations then name.
        Columns: ``organisations``; a count per status (:data:`STATUSES`); ``<status> share`` for each
        (0-1); ``Type upgrade``, ``TSC gap`` and ``Bridge letter`` counts; ``opportunity_usd``.
        In every table the status counts add up to ``organisations``, and ``organisations`` adds up
        to the number of rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"Industry": ["Payroll", "Payroll", None],
    ...                       "soc_report": ["SOC 1", "Neither", "SOC 2"]})
    >>> frame.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
    >>> tables = summarize(coverage(frame, as_of="2025-06-30"))
    >>> list(tables)
    ['All', 'industry']
    >>> columns = ["organisations", "Gap: SOC 1", "Gap: SOC 2", "Not needed"]
    >>> tables["industry"][columns]  # doctest: +NORMALIZE_WHITESPACE
                 organisations  Gap: SOC 1  Gap: SOC 2  Not needed
    Industry
    Payroll                  2           1           0           1
    (not given)              1           0           1           0
    """
    _require_coverage(covered, "summarize")
    if isinstance(by, str):
        by = (by,)
    fields = fields_of(covered, headers=False)
    n = len(covered)
    opp = opportunities(covered, fees)["opportunity_usd"].to_numpy(dtype=float)
    status = pd.Categorical(covered["coverage_status"], categories=list(STATUSES)).codes.astype(np.int64)
    if (status < 0).any():
        bad = covered["coverage_status"].iloc[int(np.flatnonzero(status < 0)[0])]
        raise ValueParseError(f"column 'coverage_status' holds {bad!r}, which coverage() does not produce")
    flags = {
        "Type upgrade": (
            covered["type_upgrade"].to_numpy(dtype=bool) if "type_upgrade" in covered else np.zeros(n, dtype=bool)
        ),
        "TSC gap": (_text(covered, "tsc_gap") != "").to_numpy(dtype=bool),
        "Bridge letter": (_text(covered, "bridge_letter") == "Bridge letter").to_numpy(dtype=bool),
    }
    tables = {"All": _segment_table(np.zeros(n, dtype=np.int64), ["All"], status, flags, opp, "All")}
    for segment in by:
        column = fields.get(segment) if segment in FIELD_BY_NAME else None
        if column is None and segment in covered.columns:
            column = segment
        if column is None:
            continue
        codes, uniques = pd.factorize(covered[column].astype(object), use_na_sentinel=True)
        labels = [str(v).strip() or NOT_GIVEN for v in uniques] + [NOT_GIVEN]
        codes = np.where(codes < 0, len(labels) - 1, codes)
        merged, labels = pd.factorize(np.asarray(labels, dtype=object))  # "x" and " x" are one segment
        tables[segment] = _segment_table(merged[codes], list(labels), status, flags, opp, str(column))
    return tables


def _segment_table(
    codes: np.ndarray,
    labels: list[str],
    status: np.ndarray,
    flags: dict[str, np.ndarray],
    opp: np.ndarray,
    index_name: str,
) -> pd.DataFrame:
    k = len(labels)
    width = len(STATUSES)
    counts = np.bincount(codes * width + status, minlength=k * width).reshape(k, width)
    table = pd.DataFrame(counts, index=pd.Index(labels, dtype=object), columns=list(STATUSES))
    table.insert(0, "organisations", counts.sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        for status_name in STATUSES:
            table[f"{status_name} share"] = (table[status_name] / table["organisations"]).round(4)
    for name, values in flags.items():
        table[name] = np.bincount(codes, weights=values.astype(float), minlength=k).astype(np.int64)
    table["opportunity_usd"] = np.round(np.bincount(codes, weights=opp, minlength=k), 2)
    if index_name != "All":
        table = table[table["organisations"] > 0]
    table["_blank"] = table.index == NOT_GIVEN
    table["_name"] = [str(v).lower() for v in table.index]
    order = ["organisations", "_blank", "_name"]
    table = table.sort_values(order, ascending=[False, True, True], kind="stable")
    table = table.drop(columns=["_blank", "_name"])
    table.index.name = index_name
    return table
