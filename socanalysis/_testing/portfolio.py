"""Fictional client portfolios of an audit firm, as kept in a spreadsheet.

>>> clients = make_portfolio(3, seed=1)
>>> list(clients.columns) == list(PORTFOLIO_COLUMNS)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .archetypes import ARCHETYPES
from .arrays import STR, choose, join, mask, pool, render, to_pandas, where
from .organisations import apply_missing, duplicate, formula_like, organisations, truth_columns, website
from .words import COLUMNS, PORTFOLIO_COLUMNS, REPORTS

__all__ = ["PORTFOLIO_COLUMNS", "REFERENCE_DATE", "make_portfolio"]

REFERENCE_DATE = "2026-11-26"  # portfolio report dates are spread around this day


def _month_ends(months_back: np.ndarray, reference: np.datetime64) -> np.ndarray:
    """The last day of the month ``months_back`` months before the reference date's month."""
    month = reference.astype("datetime64[M]") - months_back.astype("timedelta64[M]")
    return (month + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")


def _date_slots(dates: np.ndarray) -> dict[str, pa.Array]:
    """The pieces a date format can use: {Y} {yy} {m} {mm} {d} {dd} {Mon} {Month} {serial}."""
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    serial = (dates - np.datetime64("1899-12-30")).astype(np.int64)

    def text(values):
        return pc.cast(pa.array(values), STR)

    return {
        "Y": text(years),
        "yy": pc.utf8_lpad(text(years % 100), width=2, padding="0"),
        "m": text(months),
        "mm": pc.utf8_lpad(text(months), width=2, padding="0"),
        "d": text(days),
        "dd": pc.utf8_lpad(text(days), width=2, padding="0"),
        "Mon": pool([m[:3] for m in REPORTS.month_names]).take(months - 1),
        "Month": pool(REPORTS.month_names).take(months - 1),
        "serial": text(serial),
    }


def _weighted(n: int, weights: Sequence[float], rng: np.random.Generator) -> np.ndarray:
    p = np.asarray(weights, float)
    return rng.choice(len(p), n, p=p / p.sum())


def _report_status(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """never / current / due / stale, relative to the reference date."""
    statuses = np.array(["never", "current", "due", "stale"])
    service = _weighted(len(expected), (20, 45, 15, 20), rng)
    other = _weighted(len(expected), (90, 6, 2, 2), rng)
    return statuses[np.where(expected == "Neither", other, service)]


def _current_reports(
    expected: np.ndarray, status: np.ndarray, arch: np.ndarray, non_us: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """What each client holds, in mixed spellings and separators."""
    n = len(expected)
    held = status != "never"
    has1 = held & np.select(
        [expected == "SOC 1", expected == "Both", expected == "SOC 2"],
        [np.ones(n, bool), rng.random(n) < 0.7, rng.random(n) < 0.05],
        False,
    )
    has2 = held & np.select(
        [expected == "SOC 2", expected == "Both", expected == "SOC 1", expected == "Neither"],
        [np.ones(n, bool), rng.random(n) < 0.75, rng.random(n) < 0.15, rng.random(n) < 0.5],
        False,
    )
    has2 |= held & ~has1 & ~has2
    first_report = rng.random(n) < 0.15
    soc1 = where(first_report, choose(REPORTS.soc1_type1, n, rng), choose(REPORTS.soc1, n, rng))
    soc1 = where(non_us & (rng.random(n) < 0.5), "ISAE 3402", soc1)
    soc1 = where((status == "stale") & (rng.random(n) < 0.3), "SSAE 16", soc1)
    soc2 = where(first_report, choose(REPORTS.soc2_type1, n, rng), choose(REPORTS.soc2, n, rng))
    soc2 = where(non_us & (rng.random(n) < 0.4), "ISAE 3000", soc2)
    health = arch == [a.key for a in ARCHETYPES].index("health_tech")
    soc2 = where(health & (rng.random(n) < 0.5), "SOC 2+ HIPAA", soc2)
    soc3 = mask(pool(["SOC 3"]).take(np.zeros(n, np.int64)), ~(has2 & (rng.random(n) < 0.15)))
    none = mask(choose(REPORTS.none, n, rng), held)
    sep = choose(REPORTS.separators, n, rng, weights=REPORTS.separator_weights)
    first_soc2 = rng.random(n) < 0.5
    parts = (mask(soc2, ~(has2 & first_soc2)), mask(soc1, ~has1), mask(soc2, ~(has2 & ~first_soc2)), soc3)
    joined = join(*parts, sep=sep)
    return pc.if_else(pa.array(held), joined, none)


def _period_ends(status: np.ndarray, reference: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    n = len(status)
    months_back = np.select(
        [status == "current", status == "due", status == "stale"],
        [rng.integers(1, 10, n), rng.integers(10, 13, n), rng.integers(13, 37, n)],
        0,
    )
    return _month_ends(months_back, reference)


def _fiscal_year_ends(n: int, reference: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    """The last fiscal year end on or before the reference date."""
    month = np.array(REPORTS.fiscal_year_end_months)[_weighted(n, REPORTS.fiscal_year_end_month_weights, rng)]
    ref_month = reference.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return _month_ends((ref_month - month) % 12 + (ref_month == month) * 12, reference)


def make_portfolio(n: int, *, seed: int = 0, truth: bool = False) -> pd.DataFrame:
    """A fictional client portfolio of an audit firm, as kept in a spreadsheet.

    Report period ends are spread around :data:`REFERENCE_DATE` (2026-11-26): some reports are
    current, some due for renewal (period ended 10 to 12 months before), some stale, and some
    clients never held one. Dates come in mixed spreadsheet formats, including Excel serials.

    Parameters
    ----------
    n : int
        Number of clients.
    seed : int
        The same seed always gives the same frame.
    truth : bool
        Add ``_archetype``, ``_expected`` and ``_duplicate_of`` (as :func:`make_leads`),
        ``_status`` (never/current/due/stale) and ``_period_end`` (ISO date of the report period
        end, empty when never held).

    Returns
    -------
    pandas.DataFrame
        Columns ``Client, Website, Industry, Services, NAICS, Country, Region, Engagement
        Partner, Revenue Band, Current Reports, Report Period End, Fiscal Year End``, all strings.

    Examples
    --------
    >>> clients = make_portfolio(200, seed=3, truth=True)
    >>> clients.shape
    (200, 17)
    >>> sorted(clients["_status"].unique())
    ['current', 'due', 'never', 'stale']
    >>> clients["Revenue Band"].dropna().isin(COLUMNS.revenue_bands).all()
    np.True_
    """
    if n < 0:
        raise ValueError(f"make_portfolio: n={n!r}; accepted: a number of rows >= 0")
    rng = np.random.default_rng(seed)
    reference = np.datetime64(REFERENCE_DATE)
    orgs = duplicate(organisations(n, rng, "portfolio_weight"), 0.01, rng)
    arch = orgs["arch"]
    expected = np.array([a.expected for a in ARCHETYPES])[arch]
    non_us = orgs["country_idx"] != 0
    status = _report_status(expected, rng)
    period_end = _period_ends(status, reference, rng)
    period_style = _weighted(n, REPORTS.period_end_weights, rng)
    day_first = non_us & (rng.random(n) < 0.5)
    period_text = render(
        (*REPORTS.period_end_formats, REPORTS.period_end_day_first),
        _date_slots(period_end),
        np.where(day_first, len(REPORTS.period_end_formats), period_style),
    )
    no_period = (status == "never") | (rng.random(n) < 0.05)
    fye_text = render(
        REPORTS.fiscal_year_end_formats,
        _date_slots(_fiscal_year_ends(n, reference, rng)),
        _weighted(n, REPORTS.fiscal_year_end_weights, rng),
    )
    noise = rng.choice([-1, 0, 1], n, p=[0.1, 0.8, 0.1])
    band = np.digitize(orgs["employee_count"], COLUMNS.revenue_band_edges) + noise
    columns = {
        "Client": orgs["name"],
        "Website": website(orgs["domain"], orgs["website_style"]),
        "Industry": orgs["industry"],
        "Services": formula_like(orgs["description"], 0.005, rng),
        "NAICS": orgs["naics"],
        "Country": orgs["country"],
        "Region": orgs["region"],
        "Engagement Partner": choose(COLUMNS.partners, n, rng),
        "Revenue Band": pool(COLUMNS.revenue_bands).take(np.clip(band, 0, len(COLUMNS.revenue_bands) - 1)),
        "Current Reports": _current_reports(expected, status, arch, non_us, rng),
        "Report Period End": mask(period_text, no_period),
        "Fiscal Year End": fye_text,
    }
    columns = apply_missing(columns, COLUMNS.portfolio_missing, rng)
    if truth:
        columns.update(truth_columns(orgs, columns, ("Services", "Industry", "NAICS")))
        columns["_status"] = pa.array(status, STR)
        iso = pc.cast(pa.array(period_end), STR)
        columns["_period_end"] = mask(iso, status == "never")
    return to_pandas(columns)
