"""The words of the review room: reports a reviewer may decide, categories, types, actions, statuses."""

from __future__ import annotations

from ..vocabulary import CATEGORIES as _ALL_CATEGORIES
from ..vocabulary import NEEDS_A_REPORT, REPORT_VALUES
from ..vocabulary import REPORT_TYPES as REPORT_TYPES  # report types a reviewer may state

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

# The coverage statuses a snapshot may hold: those of socanalysis.coverage plus "Unverified" and
# "Review". Kept here until the statuses move to one shared vocabulary module.
STATUSES: tuple[str, ...] = (
    "Covered",
    "Gap: SOC 1",
    "Gap: SOC 2",
    "Gap: SOC 1 + SOC 2",
    "Stale",
    "Renewal due",
    "Not needed",
    "Unverified",
    "Review",
)

#: which reports each gap status says are missing
GAPS: dict[str, frozenset[str]] = {
    "Gap: SOC 1": frozenset({"SOC 1"}),
    "Gap: SOC 2": frozenset({"SOC 2"}),
    "Gap: SOC 1 + SOC 2": frozenset({"SOC 1", "SOC 2"}),
}

#: statuses of organisations that need a report (the denominator of the covered share)
NEEDS_REPORT: tuple[str, ...] = (
    "Covered",
    "Gap: SOC 1",
    "Gap: SOC 2",
    "Gap: SOC 1 + SOC 2",
    "Stale",
    "Renewal due",
    "Unverified",
)

#: statuses that count as covered: everything needed is held and current
COVERED: tuple[str, ...] = ("Covered", "Renewal due")

#: the kinds of change :func:`socanalysis.review.compare_snapshots` reports, in display order
CHANGES: tuple[str, ...] = ("new gap", "closed gap", "renewed", "lapsed", "new client", "departed client")
