"""Reviewed decisions: a reviewer's word on which SOC report an organisation needs, with its audit trail.

The classifier decides from evidence; a reviewer who knows better records a decision, and every
later assessment takes it. Decisions live in a store: by default one SQLite file,
``decisions.sqlite``, in a workspace folder (``$SOCANALYSIS_WORKSPACE`` or the user's data
folder), or a PostgreSQL database given by URL (``$SOCANALYSIS_DATABASE``). The store upgrades its
own schema (Alembic migrations shipped in the package) and refuses, untouched, a file it cannot
read or a schema newer than it knows.

Every change is a new event: nothing is ever updated or deleted, and the database refuses to.
The current decision of an organisation is its latest event.

The store
    :func:`open_store`, :class:`Store`, :func:`default_workspace`, :class:`ReviewStoreError`.
Decisions
    :func:`set` (:func:`set_decision`), :func:`clear`, :func:`undo`, :func:`list`
    (:func:`list_decisions`), :func:`history`, :func:`history_html`, :func:`export`,
    :func:`import_` (:func:`import_decisions`).
Applying them
    :func:`apply`, :func:`load_decisions`, :class:`Decisions`.
Portfolio snapshots
    :func:`save_snapshot`, :func:`snapshots`, :func:`compare_snapshots`, :func:`trend`.

Every function takes ``store=`` (an open :class:`Store`), or ``workspace=`` / ``database=``, and
otherwise uses the default store. Organisations are named by name or website: a website is keyed
by its registered domain, a name by its normalised form, the keys :class:`socanalysis.ClientIndex`
matches clients by.

Text that comes out of the store was typed by people: escape it before showing it as HTML
(:func:`history_html` does).

Examples
--------
>>> import pandas as pd
>>> from socanalysis import review
>>> store = review.open_store(database="sqlite://")  # in memory; open_store() for the workspace
>>> _ = review.set("Acme Payroll", website="acme.com", report="Both", categories="Privacy",
...                reason="Runs payroll and keeps HR records", by="J. Smith", store=store)
>>> classified = pd.DataFrame({"Company": ["Acme Payroll LLC", "Globex"],
...                            "Website": ["https://www.acme.com", "globex.com"],
...                            "soc_report": ["SOC 2", "Neither"],
...                            "tsc_categories": ["Security", ""], "report_type": ["Type 1", ""]})
>>> review.apply(classified, store=store)[["soc_report", "tsc_categories", "decided_by"]]
  soc_report     tsc_categories  decided_by
0       Both  Security; Privacy    J. Smith
1    Neither                     classifier
>>> review.undo("acme.com", reason="Not confirmed by the client", by="A. Lee", store=store)["report"]
nan
>>> review.history("acme.com", store=store)["action"].tolist()
['set', 'undo']
"""

from ._apply import REVIEW_COLUMNS, Decisions, apply, load_decisions
from ._decisions import (
    CURRENT_COLUMNS,
    EVENT_COLUMNS,
    clear,
    history,
    history_html,
    list_decisions,
    set_decision,
    undo,
)
from ._errors import ReviewStoreError
from ._exchange import export, import_decisions
from ._snapshots import COMPARE_COLUMNS, compare_snapshots, save_snapshot, snapshots, trend
from ._store import Store, default_workspace, open_store
from ._vocab import CATEGORIES, CHANGES, REPORT_TYPES, REPORTS, STATUSES

set = set_decision
list = list_decisions
import_ = import_decisions

__all__ = [
    "CATEGORIES",
    "CHANGES",
    "COMPARE_COLUMNS",
    "REPORTS",
    "REPORT_TYPES",
    "STATUSES",
    "compare_snapshots",
    "save_snapshot",
    "snapshots",
    "trend",
    "REVIEW_COLUMNS",
    "Decisions",
    "apply",
    "load_decisions",
    "CURRENT_COLUMNS",
    "EVENT_COLUMNS",
    "ReviewStoreError",
    "Store",
    "clear",
    "default_workspace",
    "export",
    "history",
    "history_html",
    "import_",
    "import_decisions",
    "list",
    "list_decisions",
    "open_store",
    "set",
    "set_decision",
    "undo",
]
