"""Fictional lead lists and client portfolios, for samples, tests and benchmarks.

Every organisation here is invented: names are built from made-up word stems, descriptions from
phrase pools. The generators are seeded and deterministic, and vectorised (numpy draws, pyarrow
string kernels), so a million leads take a few seconds.

The text is deliberately messy, as vendor exports are: mixed industry vocabularies, NAICS codes
that are missing, shortened or from NAICS 2017, missing values in every column, duplicates with a
different spelling of the website, newlines, quotes and commas inside descriptions, cells that
start with ``=``, ``+``, ``-`` or ``@``, accented names, and traps for a classifier ("not a bank",
"data-driven marketing agency", a retailer that "accepts payments at checkout").

What the organisations are and the words used about them are data, in ``socanalysis/_testing/data/``
(``archetypes.yaml``, ``countries.yaml``, ``names.yaml``, ``descriptions.yaml``, ``reports.yaml``,
``columns.yaml``); the code that draws from them lives beside this module: :mod:`.archetypes` and
:mod:`.words` read the files, :mod:`.organisations` draws the columns that leads and portfolios share,
:mod:`.leads` and :mod:`.portfolio` make the frames, :mod:`.bulk` writes them, :mod:`.samples` the
bundled samples. This module gathers their names in one place.

>>> leads = make_leads(5, seed=1)
>>> list(leads.columns)
['Company Name', 'Website', 'Industry', 'NAICS', 'SIC', 'Country', 'City', 'Employees', 'Description']
>>> make_leads(5, seed=1).equals(leads)
True

Regenerate the bundled samples with ``python -m socanalysis._testing.synthetic``.
"""

from __future__ import annotations

from .archetypes import ARCHETYPES
from .archetypes import COUNTRIES as COUNTRIES
from .bulk import write_csv_bulk
from .leads import LEAD_COLUMNS, make_leads
from .portfolio import PORTFOLIO_COLUMNS, REFERENCE_DATE, make_portfolio
from .samples import SAMPLE_SEED as SAMPLE_SEED
from .samples import main, sample_frames, write_samples
from .words import COLUMNS
from .words import REGIONS as REGIONS
from .words import SIGNAL_COLUMNS as SIGNAL_COLUMNS

__all__ = [
    "ARCHETYPES",
    "LEAD_COLUMNS",
    "PORTFOLIO_COLUMNS",
    "REFERENCE_DATE",
    "main",
    "make_leads",
    "make_portfolio",
    "sample_frames",
    "write_csv_bulk",
    "write_samples",
]

# also here (with COUNTRIES, REGIONS, SIGNAL_COLUMNS, SAMPLE_SEED above): the values tests check the frames against
LEAD_MISSING: dict[str, float] = COLUMNS.lead_missing
PORTFOLIO_MISSING: dict[str, float] = COLUMNS.portfolio_missing
PARTNERS: tuple[str, ...] = COLUMNS.partners
REVENUE_BANDS: tuple[str, ...] = COLUMNS.revenue_bands

if __name__ == "__main__":
    raise SystemExit(main())
