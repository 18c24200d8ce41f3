"""The words of the review room: reports a reviewer may decide, categories, types, actions, statuses."""

from __future__ import annotations

from ..vocabulary import CATEGORIES as _ALL_CATEGORIES
from ..vocabulary import CURRENT_STATUSES, NEEDS_A_REPORT, NEEDS_REPORT_STATUSES, REPORT_VALUES
from ..vocabulary import REPORT_TYPES as REPORT_TYPES  # report types a reviewer may state
from ..vocabulary import STATUSES as STATUSES  # the coverage statuses a snapshot may hold

#: the reports a reviewer may decide (a decision is never "Undetermined": withdraw it instead)
REPORTS: tuple[str, ...] = (*NEEDS_A_REPORT, "Neither")

#: every value of ``soc_report`` in a classified frame
CLASSIFIER_REPORTS: tuple[str, ...] = REPORT_VALUES

#: Trust Services Categories beyond Security, in the order they are written
CATEGORIES: tuple[str, ...] = _ALL_CATEGORIES[1:]

#: what a decision event does: ``set`` a decision, ``undo`` the last event, ``clear`` (withdraw) a
#: decision, or ``import`` one from an exported file
ACTIONS: tuple[str, ...] = ("set", "undo", "clear", "import")

#: how an organisation is keyed: by the registered domain of its website, else by its normalised name
KEY_KINDS: tuple[str, ...] = ("domain", "name")

#: which reports each gap status says are missing
GAPS: dict[str, frozenset[str]] = {
    "Gap: SOC 1": frozenset({"SOC 1"}),
    "Gap: SOC 2": frozenset({"SOC 2"}),
    "Gap: SOC 1 + SOC 2": frozenset({"SOC 1", "SOC 2"}),
}

#: statuses of organisations that need a report (the denominator of the covered share), and those
#: that count as covered: everything needed is held and current (one definition, in socanalysis.vocabulary)
NEEDS_REPORT: tuple[str, ...] = NEEDS_REPORT_STATUSES
COVERED: tuple[str, ...] = CURRENT_STATUSES

#: the kinds of change :func:`socanalysis.review.compare_snapshots` reports, in display order
CHANGES: tuple[str, ...] = ("new gap", "closed gap", "renewed", "lapsed", "new client", "departed client")
