"""The sample data bundled with socanalysis: a fictional client portfolio and a fictional lead list.

Every organisation in them is invented (see :mod:`socanalysis._testing.synthetic`, which regenerates
them). They are read through :func:`socanalysis.load.reading.load_portfolio`, like any user file, so
every column is text and the field mapping travels in ``df.attrs["socanalysis"]["fields"]``.

>>> leads = load_sample_leads()
>>> len(leads)
2000
>>> leads.attrs["socanalysis"]["fields"]["description"]
'Description'
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import pandas as pd

from .reading import load_portfolio

__all__ = ["SAMPLES", "load_sample_leads", "load_sample_portfolio", "sample_path"]

SAMPLES = {"portfolio": "sample_portfolio.csv", "leads": "sample_leads.csv"}


def sample_path(name: str) -> Path:
    """The path of a bundled sample file, for the command line or another reader.

    Parameters
    ----------
    name : {"portfolio", "leads"}

    Raises
    ------
    ValueError
        For any other name.

    Examples
    --------
    >>> sample_path("leads").name
    'sample_leads.csv'
    """
    if name not in SAMPLES:
        raise ValueError(f"sample_path({name!r}): no such sample; accepted: {', '.join(map(repr, SAMPLES))}")
    return Path(str(files("socanalysis") / "data" / SAMPLES[name]))


def _load(name: str) -> pd.DataFrame:
    with as_file(files("socanalysis") / "data" / SAMPLES[name]) as path:
        return load_portfolio(path)


def load_sample_portfolio() -> pd.DataFrame:
    """A fictional audit-firm client portfolio: 200 organisations.

    Columns: ``Client, Website, Industry, Services, NAICS, Country, Region, Engagement Partner,
    Revenue Band, Current Reports, Report Period End, Fiscal Year End`` (all text, as typed in a
    spreadsheet: reports in mixed spellings, dates in mixed formats, some cells empty), plus the
    loader's ``duplicate_of``.

    Returns
    -------
    pandas.DataFrame
        With the field mapping in ``df.attrs["socanalysis"]["fields"]``.

    Examples
    --------
    >>> clients = load_sample_portfolio()
    >>> clients.shape
    (200, 13)
    >>> fields = clients.attrs["socanalysis"]["fields"]
    >>> fields["reports"], fields["period_end"], fields["partner"]
    ('Current Reports', 'Report Period End', 'Engagement Partner')
    """
    return _load("portfolio")


def load_sample_leads() -> pd.DataFrame:
    """A fictional lead list from a data vendor: 2,000 prospects.

    Columns: ``Company Name, Website, Industry, NAICS, SIC, Country, City, Employees,
    Description`` (all text; missing values, duplicates, quoted newlines and formula-like cells
    included, as in real exports), plus the loader's ``duplicate_of``.

    Returns
    -------
    pandas.DataFrame
        With the field mapping in ``df.attrs["socanalysis"]["fields"]``.

    Examples
    --------
    >>> leads = load_sample_leads()
    >>> leads.attrs["socanalysis"]["fields"]["name"]
    'Company Name'
    >>> int(leads["duplicate_of"].notna().sum()) > 0
    True
    """
    return _load("leads")
