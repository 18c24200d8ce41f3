"""The notebooks behind the dashboards, kept as data so an installed package can serve them.

``notebooks/`` in the repository holds the same notebooks, written by ``write_notebooks`` (a test
checks that they agree). Each dashboard notebook is one cell that builds an app from
:mod:`socanalysis.dashboards`; ``getting_started`` walks an analyst through the Python API.

Regenerate the committed notebooks with::

    python -c "from socanalysis.dashboards import write_notebooks; write_notebooks('notebooks')"

>>> sorted(NOTEBOOKS)
['getting_started', 'lead_classifier', 'meeting_walkthrough', 'portfolio_dashboard', 'soc_explainer']
>>> build_notebook("portfolio_dashboard").cells[0].source.splitlines()[0]
'from socanalysis.dashboards import PortfolioApp'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ._files import write_atomically

__all__ = ["DASHBOARDS", "NOTEBOOKS", "build_notebook", "write_notebooks"]

DASHBOARDS: dict[str, str] = {
    "portfolio": "portfolio_dashboard",
    "meeting": "meeting_walkthrough",
    "leads": "lead_classifier",
    "explainer": "soc_explainer",
}
"""Short dashboard names (``socanalysis dashboard NAME``) and their notebooks."""

_GETTING_STARTED: list[tuple[str, str]] = [
    (
        "markdown",
        """# Getting started with socanalysis

socanalysis decides which SOC report each organisation needs (SOC 1, SOC 2, both or neither), which
Trust Services Categories, Type 1 or Type 2, and sets that against the reports it already holds.

Every step is a function from a table to a table:
**load → classify → coverage → summarize → charts, tables and exports**.
This notebook runs each step on the bundled sample portfolio: 200 fictional client organisations,
then all of them at once with `sa.assess`.""",
    ),
    (
        "markdown",
        """## 1. Load a portfolio

`load_portfolio` reads CSV, Excel, Parquet or JSON, finds the header row and maps your column names
(\"Client\", \"Account Name\", \"Legal Entity\" ...) to the fields socanalysis understands. Every column is
kept as text, exactly as typed. For your own file: `sa.load_portfolio("clients.xlsx")`.""",
    ),
    (
        "code",
        """import pandas as pd

import socanalysis as sa

pd.set_option("display.html.use_mathjax", False)  # "$10M–$50M" is money, not mathematics
clients = sa.load_sample_portfolio()
clients.head()""",
    ),
    (
        "code",
        """# NBVAL_CHECK_OUTPUT
len(clients)""",
    ),
    (
        "markdown",
        """The field mapping says which of your columns is the name, the description, the industry, the
reports already held, the report period end ... It travels with the table, so later steps never guess
again. If a column was mapped wrongly, pass `columns={"name": "Legal Entity"}` to `load_portfolio`.""",
    ),
    ("code", """sa.field_mapping(clients)"""),
    (
        "markdown",
        """## 2. Classify

`classify` adds the decision and why: `soc_report`, the scores, `confidence`, `tsc_categories`,
`report_type`, `also_consider`, a plain-language `rationale` and the `evidence` (the words and codes
that fired). Your columns and rows come back unchanged and in order.""",
    ),
    (
        "code",
        """classified = sa.classify(clients)
classified[["Client", "Industry", "soc_report", "confidence", "tsc_categories", "report_type"]].head(10)""",
    ),
    ("code", """classified["soc_report"].value_counts()"""),
    (
        "markdown",
        """## 3. Explain one organisation

`explain` classifies one description and lists every rule that fired and what it weighed. It also
takes yes/no answers from a client conversation (`q_payroll`, `q_customer_data`, `q_uptime` ...).""",
    ),
    (
        "code",
        """explanation = sa.explain(
    "We run payroll and benefits administration for mid-sized employers",
    industry="Human Resource & Employment Services",
)
print(explanation)""",
    ),
    (
        "code",
        """answers = {"q_customer_data": True, "q_personal_data": True, "q_uptime": True}
sa.explain("A scheduling app for dental clinics", answers=answers).row[
    ["soc_report", "tsc_categories", "report_type", "rationale"]
]""",
    ),
    (
        "markdown",
        """## 4. Coverage: what is needed against what is held

`coverage` reads the reports each organisation holds (\"SOC 2 Type II\", \"SSAE 18\", \"ISAE 3402\" ...) and
their period ends, and gives each a status: Covered, Renewal due, Unverified (held, no period end given),
Stale, Gap: SOC 1, Gap: SOC 2, Gap: SOC 1 + SOC 2, Review (needs none as classified, yet holds one) or
Not needed, with a sentence saying why. `as_of` is the date to judge at (today by default).""",
    ),
    (
        "code",
        """covered = sa.coverage(classified)
covered["coverage_status"].value_counts()""",
    ),
    ("code", """covered[["Client", "soc_report", "reports_normalised", "coverage_status", "coverage_note"]].head(8)"""),
    (
        "markdown",
        """`summarize` counts the statuses by industry, engagement partner and region, with the
estimated fee opportunity from the firm's fee schedule.""",
    ),
    (
        "code",
        """tables = sa.summarize(covered)
tables["partner"][["organisations", "Covered", "Gap: SOC 1", "Gap: SOC 2", "Stale", "opportunity_usd"]]""",
    ),
    (
        "markdown",
        """## 5. A chart

Chart functions take these tables and return plotly figures in the firm's colours.""",
    ),
    (
        "code",
        """from socanalysis import charts

charts.coverage_by_industry(covered, top=12).show()""",
    ),
    (
        "markdown",
        """## 6. All at once: `assess`

`sa.assess` runs load → classify → coverage → summarize in one call, on a file or a loaded table, and
returns an `Assessment`: the covered table (`.frame`), the date it was judged at (`.as_of`, today by
default), the summaries by segment (`.summaries`), the opportunities, the fee schedule and the
branding. The charts and the exports take it as it is.""",
    ),
    (
        "code",
        """assessment = sa.assess(clients)  # or sa.assess("clients.xlsx", as_of="2026-06-30", fees="fees.yaml")
assessment""",
    ),
    (
        "markdown",
        """## 7. Export

The meeting workbook (Summary, Organisations, Gaps, Renewals, Comparison sheets) and a self-contained
HTML report that opens offline. Text cells that a spreadsheet would run as formulas are written as
text. Here they go to a temporary folder; give your own path instead.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

from socanalysis import export_excel, export_html_report

folder = Path(tempfile.mkdtemp())
export_excel(assessment, folder / "portfolio.xlsx")
export_html_report(assessment, folder / "portfolio.html")
sorted(path.name for path in folder.iterdir())""",
    ),
    (
        "markdown",
        """## 8. SOC 1, SOC 2 and SOC 3 side by side

The comparison tables used in client meetings, as plain DataFrames that render as clean tables.""",
    ),
    ("code", """sa.style_table(sa.compare_reports(), caption="SOC 1, SOC 2 and SOC 3")"""),
    (
        "markdown",
        """## Next

* The same steps on the command line: `socanalysis classify leads.csv -o leads.xlsx`,
  `socanalysis report clients.xlsx -o report.html`.
* The dashboards: `socanalysis dashboard` serves the portfolio dashboard, the meeting walk-through,
  the lead-list classifier and the SOC explainer on http://127.0.0.1:8866/.""",
    ),
]

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "portfolio_dashboard": [
        (
            "code",
            """from socanalysis.dashboards import PortfolioApp

app = PortfolioApp(start=False)
app""",
        ),
        ("code", "app.start()"),
    ],
    "meeting_walkthrough": [
        (
            "code",
            """from socanalysis.dashboards import MeetingApp

MeetingApp()""",
        )
    ],
    "lead_classifier": [
        (
            "code",
            """from socanalysis.dashboards import LeadsApp

LeadsApp()""",
        )
    ],
    "soc_explainer": [
        (
            "code",
            """from socanalysis.dashboards import ExplainerApp

ExplainerApp()""",
        )
    ],
    "getting_started": _GETTING_STARTED,
}
"""Each notebook's cells: ``(kind, source)`` with kind ``code`` or ``markdown``."""

_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def build_notebook(name: str):
    """The notebook ``name`` (a key of :data:`NOTEBOOKS`) as an ``nbformat`` node, without outputs.

    Cell ids are stable (``<name>-<n>``), so writing twice gives the same file.
    """
    import nbformat

    if name not in NOTEBOOKS:
        raise ValueError(f"no notebook {name!r}; accepted: {', '.join(map(repr, NOTEBOOKS))}")
    cells = []
    for number, (kind, source) in enumerate(NOTEBOOKS[name], start=1):
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = make(source=source)
        cell["id"] = f"{name.replace('_', '-')}-{number}"
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=dict(_METADATA))
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    return notebook


def write_notebooks(directory: str | os.PathLike, names: Iterable[str] | None = None) -> list[Path]:
    """Write notebooks (all by default) into ``directory``; returns the paths written.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_notebooks(tempfile.mkdtemp(), ["soc_explainer"])]
    ['soc_explainer.ipynb']
    """
    import nbformat

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in NOTEBOOKS if names is None else names:
        path = folder / f"{name}.ipynb"
        write_atomically(path, nbformat.writes(build_notebook(name)) + "\n")
        paths.append(path)
    return paths
