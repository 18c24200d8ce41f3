"""Fictional lead lists, as a data vendor would export them.

>>> leads = make_leads(5, seed=1)
>>> list(leads.columns) == list(LEAD_COLUMNS)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .arrays import to_pandas
from .organisations import apply_missing, duplicate, formula_like, organisations, truth_columns, website
from .words import COLUMNS, LEAD_COLUMNS, SIGNAL_COLUMNS

__all__ = ["LEAD_COLUMNS", "make_leads"]


def make_leads(n: int, *, seed: int = 0, truth: bool = False) -> pd.DataFrame:
    """A fictional lead list, as a data vendor would export it.

    Parameters
    ----------
    n : int
        Number of rows (including about 1% duplicates of earlier rows).
    seed : int
        The same seed always gives the same frame.
    truth : bool
        Add ``_archetype`` (the kind of organisation), ``_expected`` (``SOC 1``, ``SOC 2``,
        ``Both``, ``Neither``, or ``Undetermined`` when description, industry, NAICS and SIC are
        all missing) and ``_duplicate_of`` (for a deliberate repeat, the 1-based row number of
        its original; missing otherwise). These are for tests; they are not in the sample CSV.

    Returns
    -------
    pandas.DataFrame
        Columns ``Company Name, Website, Industry, NAICS, SIC, Country, City, Employees,
        Description``, every one of strings with missing values as NaN.

    Examples
    --------
    >>> leads = make_leads(1000, seed=3, truth=True)
    >>> leads.shape
    (1000, 12)
    >>> set(leads["_expected"]) >= {"SOC 1", "SOC 2", "Both", "Neither"}
    True
    >>> bool(leads["Description"].str.contains("\\n", regex=False).any())
    True
    """
    if n < 0:
        raise ValueError(f"make_leads: n={n!r}; accepted: a number of rows >= 0")
    rng = np.random.default_rng(seed)
    orgs = duplicate(organisations(n, rng, "lead_weight"), 0.01, rng)
    columns = {
        "Company Name": formula_like(orgs["name"], 0.001, rng),
        "Website": website(orgs["domain"], orgs["website_style"]),
        "Industry": orgs["industry"],
        "NAICS": orgs["naics"],
        "SIC": orgs["sic"],
        "Country": orgs["country"],
        "City": orgs["city"],
        "Employees": orgs["employees"],
        "Description": formula_like(orgs["description"], 0.004, rng),
    }
    columns = apply_missing(columns, COLUMNS.lead_missing, rng)
    if truth:
        columns.update(truth_columns(orgs, columns, SIGNAL_COLUMNS))
    return to_pandas(columns)
