"""Dates as spreadsheets hold them: text in many spellings, Excel serial numbers, real dates; and
fiscal-year ends, which are often only a month and a day. A date that cannot be read is *reported*,
never guessed.

>>> dates, problems = parse_dates(pd.Series(["2025-06-30", "45838", "31/31/2025"], name="Period End"))
>>> dates.dt.strftime("%Y-%m-%d").tolist()[:2]
['2025-06-30', '2025-06-30']
>>> problems.to_dict("records")
[{'row': 3, 'column': 'Period End', 'value': '31/31/2025', 'problem': 'neither 31 nor 31 can be a month'}]

Conventions (each is also stated where it is applied)
----------------------------------------------------
* Numeric day/month order follows the US convention, month first, unless the first number is
  above 12 (then day first); ``dayfirst=True`` flips the default.
* Two-digit years are 20YY up to 68 and 19YY from 69.
* Excel serial numbers use the 1900 date system and are read only between 1990-01-01 and
  2100-12-31.
* A date without a day ("June 2025") is a problem; a fiscal-year end without a day ("FYE June")
  is the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd

from ..errors import CASE_COLUMNS, SocAnalysisError
from .cells import plain_text

__all__ = ["SERIAL_RANGE", "parse_dates", "parse_month_day", "resolve_month_day"]

_MONTHS = {name: i for i in range(1, 13) for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())}
_MONTHS["sept"] = 9
_WEEKDAYS = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|urday)?\b,?", re.I)
_TIME = re.compile(
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)"
    r"\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?$",
    re.I,
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_SERIAL = re.compile(r"^\d+(?:\.\d+)?$")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (32874, 73415)  # 1990-01-01 .. 2100-12-31 in the 1900 date system
_BLANK_DATES = frozenset({"", "-", "--", "n/a", "na", "none", "nan", "nat", "null", "nil"})
_ACCEPTED = "accepted: 2025-06-30, 06/30/2025, 6/30/25, 30 Jun 2025, June 30, 2025, 30-Jun-2025, Excel serial numbers"


class _Problem(Exception):
    pass


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n <= 68 else 1900 + n
    return n


def _make_date(y: int, m: int, d: int) -> dt.date:
    if not 1900 <= y <= 2100:
        raise _Problem(f"year {y} is outside 1900-2100")
    if not 1 <= m <= 12:
        raise _Problem(f"there is no month {m}")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise _Problem(f"there is no day {d} in {calendar.month_name[m]} {y}") from None


def _order(a: int, b: int, dayfirst: bool) -> tuple[int, int]:
    """(month, day) from two numbers: month first unless the first is above 12 (or dayfirst)."""
    if a > 12 and b > 12:
        raise _Problem(f"neither {a} nor {b} can be a month")
    if dayfirst:
        return (a, b) if b > 12 else (b, a)
    return (b, a) if a > 12 else (a, b)


def _from_serial(number: float) -> dt.date:
    if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1] + 0.99999:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    text = f"{number:.0f}" if float(number).is_integer() else str(number)
    if len(text) == 8 and text[:2] in ("19", "20"):  # 20250630
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise _Problem(
        f"the number {text} is not a plausible Excel date serial "
        f"({SERIAL_RANGE[0]}-{SERIAL_RANGE[1]}, i.e. 1990-01-01 to 2100-12-31)"
    )


def _words_date(s: str, dayfirst: bool) -> dt.date:
    s = _ORDINAL.sub(r"\1", _WEEKDAYS.sub(" ", s.lower()))
    parts = [p for p in re.split(r"[\s,./-]+", s) if p]
    months = [i for i, p in enumerate(parts) if p in _MONTHS]
    if len(months) != 1 or any(not p.isdigit() for i, p in enumerate(parts) if i != months[0]):
        raise _Problem(f"not a date socanalysis can read; {_ACCEPTED}")
    mi = months[0]
    month = _MONTHS[parts[mi]]
    nums = [p for i, p in enumerate(parts) if i != mi]
    if len(nums) == 1:
        raise _Problem("has no day; write the full date, e.g. 2025-06-30")
    if len(nums) != 2:
        raise _Problem(f"not a date socanalysis can read; {_ACCEPTED}")
    a, b = nums
    if len(a) == 4 or (mi == 2 and len(b) != 4 and int(a) > 31):  # 2025-Jun-30, 2025 June 30
        return _make_date(_year(a), month, int(b))
    return _make_date(_year(b), month, int(a))


def _to_date(value: object, dayfirst: bool) -> dt.date | None:
    """One value -> a date, None for a blank; raise _Problem when it cannot be read."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, (bool, np.bool_)):
        raise _Problem(f"a yes/no value is not a date; {_ACCEPTED}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        if np.isnan(value):
            return None
        return _from_serial(float(value))
    s = plain_text(value)
    if s.lower() in _BLANK_DATES:
        return None
    if _SERIAL.match(s):
        return _from_serial(float(s))
    s = _TIME.sub("", s).strip()
    if m := _ISO.match(s):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _NUMERIC.match(s):
        month, day = _order(int(m.group(1)), int(m.group(2)), dayfirst)
        return _make_date(_year(m.group(3)), month, day)
    return _words_date(s, dayfirst)


def _cases(series: pd.Series, problems: dict[int, str], codes: np.ndarray, column: str) -> pd.DataFrame:
    if not problems:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CASE_COLUMNS})
    positions = np.flatnonzero(np.isin(codes, list(problems)))
    return pd.DataFrame(
        {
            "row": positions + 1,
            "column": column,
            "value": series.iloc[positions].to_numpy(dtype=object),
            "problem": [problems[c] for c in codes[positions]],
        }
    )


def _column_name(series: pd.Series, column: str | None) -> str:
    return str(column if column is not None else series.name if series.name is not None else "")


def parse_dates(
    series: pd.Series, *, column: str | None = None, dayfirst: bool = False
) -> tuple[pd.Series, pd.DataFrame]:
    """Read a column of dates as spreadsheets hold them.

    Parameters
    ----------
    series : pandas.Series
        Text, numbers (Excel serials) or real dates, mixed as they come.
    column : str, optional
        The column name used in the problems table; defaults to ``series.name``.
    dayfirst : bool
        For numeric dates such as 03/04/2025: ``False`` (default) reads month first (US) unless the
        first number is above 12; ``True`` reads day first unless the second number is above 12.

    Returns
    -------
    dates : pandas.Series of datetime64[ns]
        Same index and name as ``series``; NaT for blanks and for values that could not be read.
    problems : pandas.DataFrame
        One row per unreadable value: ``row`` (1-based data row), ``column``, ``value``, ``problem``.

    Notes
    -----
    Read: ISO "2025-06-30" and "2025/06/30"; US "06/30/2025" and "6/30/25"; "30 Jun 2025",
    "June 30, 2025", "30-Jun-2025"; timestamps "2025-06-30 00:00:00" (the time is dropped);
    "20250630"; Excel serial numbers "45838" / 45838.0 (1900 date system, 1990-2100 only).
    Two-digit years: 00-68 are 20YY, 69-99 are 19YY.

    Examples
    --------
    >>> s = pd.Series(["6/30/25", "30-Jun-2025", "June 30, 2025", "2025-06-30 00:00:00", "", "soon"])
    >>> dates, problems = parse_dates(s, column="Period End")
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2025-06-30', '2025-06-30', '2025-06-30', '2025-06-30', nan, nan]
    >>> problems[["row", "value"]].values.tolist()
    [[6, 'soon']]
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    name = _column_name(series, column)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        return out.dt.normalize().astype("datetime64[ns]"), _cases(series, {}, np.array([]), name)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    values: list[object] = []
    problems: dict[int, str] = {}
    for code, value in enumerate(uniques):
        try:
            date = _to_date(value, dayfirst)
        except _Problem as exc:
            problems[code] = str(exc)
            date = None
        values.append(pd.NaT if date is None else pd.Timestamp(date))
    values.append(pd.NaT)
    lookup = pd.Series(values, dtype="datetime64[ns]")
    out = pd.Series(
        lookup.to_numpy()[np.where(codes < 0, len(values) - 1, codes)],
        index=series.index,
        name=series.name,
        dtype="datetime64[ns]",
    )
    return out, _cases(series, problems, codes, name)


_MD_WORDS = re.compile(
    r"\b(?:fye|fy|fiscal|financial|year|years|ye|end|ends|ending|ended|is|on|the|of|in|"
    r"month|each|every)\b|year-end|fiscal-year",
    re.I,
)
_MD_CALENDAR = re.compile(r"^(?:calendar(?:\s*year)?|cy|calendar-year)$", re.I)
_MD_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_LAST_DAY = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _to_month_day(value: object, dayfirst: bool) -> tuple[int, int] | None:
    if value is None or value is pd.NaT:
        return None
    if not isinstance(value, str):
        date = _to_date(value, dayfirst)
        return None if date is None else (date.month, date.day)
    s = plain_text(value)
    if s.lower() in _BLANK_DATES:
        return None
    try:
        date = _to_date(s, dayfirst)
        return None if date is None else (date.month, date.day)
    except _Problem:
        pass
    s = re.sub(" +", " ", _MD_WORDS.sub(" ", _ORDINAL.sub(r"\1", s))).strip(" :,-")
    if _MD_CALENDAR.match(s):
        return 12, 31
    if m := _MD_NUMERIC.match(s):
        month, day = _order(int(m.group(1)), int(m.group(2)), dayfirst)
    else:
        parts = [p for p in re.split(r"[\s,./-]+", s.lower()) if p]
        months = [p for p in parts if p in _MONTHS]
        nums = [p for p in parts if p.isdigit()]
        if len(months) != 1 or len(months) + len(nums) != len(parts) or len(nums) > 1:
            raise _Problem(
                "not a fiscal year end socanalysis can read; accepted: Dec-31, 31-Dec, 12/31, "
                "June 30, FYE June, calendar year, or a full date"
            )
        month = _MONTHS[months[0]]
        day = int(nums[0]) if nums else _LAST_DAY[month - 1]  # "FYE June": the month's last day
    if not 1 <= month <= 12:
        raise _Problem(f"there is no month {month}")
    if not 1 <= day <= _LAST_DAY[month - 1]:
        raise _Problem(f"there is no day {day} in {calendar.month_name[month]}")
    return month, day


def parse_month_day(
    series: pd.Series, *, column: str | None = None, dayfirst: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read fiscal-year-end cells, which are often just a month and day.

    Parameters
    ----------
    series : pandas.Series
        "Dec-31", "31-Dec", "12/31", "June 30", "FYE June", "Calendar year", a full date (its year
        is ignored) or an Excel serial.
    column : str, optional
        The column name used in the problems table; defaults to ``series.name``.
    dayfirst : bool
        As in :func:`parse_dates`, for "03/04".

    Returns
    -------
    month_day : pandas.DataFrame
        Columns ``month`` and ``day`` (nullable Int64), same index as ``series``. A month alone
        ("FYE June") means its last day; February is then 29, which :func:`resolve_month_day`
        moves to the 28th in common years.
    problems : pandas.DataFrame
        ``row`` (1-based), ``column``, ``value``, ``problem`` for each value that could not be read.

    Examples
    --------
    >>> md, problems = parse_month_day(pd.Series(["Dec-31", "FYE June", "3/31", "2024-09-30", "Q5"]))
    >>> md.astype(object).values.tolist()
    [[12, 31], [6, 30], [3, 31], [9, 30], [<NA>, <NA>]]
    >>> problems["row"].tolist()
    [5]
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    name = _column_name(series, column)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    pairs: list[tuple] = []
    problems: dict[int, str] = {}
    for code, value in enumerate(uniques):
        try:
            pair = _to_month_day(value, dayfirst)
        except _Problem as exc:
            problems[code] = str(exc)
            pair = None
        pairs.append(pair or (pd.NA, pd.NA))
    pairs.append((pd.NA, pd.NA))
    table = pd.DataFrame(pairs, columns=["month", "day"], dtype="Int64")
    out = table.iloc[np.where(codes < 0, len(pairs) - 1, codes)].reset_index(drop=True)
    out.index = series.index
    return out, _cases(series, problems, codes, name)


def resolve_month_day(month_day: pd.DataFrame, on_or_after: pd.Series) -> pd.Series:
    """The first date with the given month and day on or after each date.

    Parameters
    ----------
    month_day : pandas.DataFrame
        Columns ``month`` and ``day`` as returned by :func:`parse_month_day`.
    on_or_after : pandas.Series of datetime64
        Aligned with ``month_day`` by position.

    Returns
    -------
    pandas.Series of datetime64[ns]
        NaT where the month, day or date is missing. Day 29-31 is moved to the month's last day.

    Examples
    --------
    >>> md = pd.DataFrame({"month": [12, 6, 2], "day": [31, 30, 29]}, dtype="Int64")
    >>> after = pd.to_datetime(pd.Series(["2025-06-30", "2025-06-30", "2025-03-01"]))
    >>> resolve_month_day(md, after).dt.strftime("%Y-%m-%d").tolist()
    ['2025-12-31', '2025-06-30', '2026-02-28']
    """
    base = pd.to_datetime(pd.Series(on_or_after).reset_index(drop=True)).astype("datetime64[ns]")
    month = month_day["month"].reset_index(drop=True).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    day = month_day["day"].reset_index(drop=True).astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    def build(years: np.ndarray) -> pd.Series:
        first = pd.to_datetime(pd.DataFrame({"year": years, "month": month, "day": 1}), errors="coerce")
        first = first.astype("datetime64[ns]")
        last = first.dt.days_in_month.to_numpy(dtype=float, na_value=np.nan)
        return first + pd.to_timedelta(np.fmin(day, last) - 1, unit="D")

    year = base.dt.year.to_numpy(dtype=float, na_value=np.nan)
    candidate = build(year)
    later = build(year + 1)
    out = candidate.where(~(candidate < base), later)
    out.index = pd.Series(on_or_after).index
    return out.astype("datetime64[ns]")


def resolve_as_of(as_of: object = None) -> pd.Timestamp:
    """The date a portfolio is judged at, as a timezone-free midnight ``Timestamp``; None means today.

    Raises
    ------
    SocAnalysisError
        When ``as_of`` is not a date, echoing it.

    Examples
    --------
    >>> resolve_as_of("2025-06-30 15:45")
    Timestamp('2025-06-30 00:00:00')
    >>> resolve_as_of("soon")
    Traceback (most recent call last):
    ...
    socanalysis.errors.SocAnalysisError: as_of='soon' is not a date; give e.g. '2025-06-30' or a datetime.date
    """
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise SocAnalysisError(f"as_of={as_of!r} is not a date; give e.g. '2025-06-30' or a datetime.date")
    return stamp.tz_localize(None).normalize() if stamp.tz is not None else stamp.normalize()
