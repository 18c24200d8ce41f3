"""Reviewed decisions: a reviewer's word on which SOC report an organisation needs, kept with an audit trail.

(work in progress)
"""

from ._apply import REVIEW_COLUMNS, Decisions, apply, load_decisions
from ._decisions import (
    CURRENT_COLUMNS,
    EVENT_COLUMNS,
    clear,
    export,
    history,
    history_html,
    import_decisions,
    list_decisions,
    set_decision,
    undo,
)
from ._errors import ReviewStoreError
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
