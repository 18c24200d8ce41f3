"""Bounds on a rules file, checked before its rules are: a file of a few kilobytes can expand,
through YAML aliases, to billions of values (a "billion laughs" file), and a huge list of terms
would take minutes to compile. Both are refused with the limit and how to raise it
(:mod:`socanalysis.limits`). Here too are the bounds of a rule's own values, which both the
loader and the schema (:mod:`socanalysis.classifier.rules.schema`) read: the targets a rule may support
and the widest window between an activity and its object.

>>> check_values({"rules": [{"id": "a", "terms": ["payroll"] * 3}]}, "firm.yaml")
>>> laughs = ["ha"] * 10
>>> for _ in range(8):
...     laughs = [laughs] * 10
>>> check_values({"rules": laughs}, "laughs.yaml")
Traceback (most recent call last):
...
socanalysis.errors.RulesError: rules file 'laughs.yaml' has 50,... or more values (terms, codes, aliases), ...
"""

from __future__ import annotations

from ...errors import RulesError
from ...limits import limit_error, limits
from ...vocabulary import CATEGORIES, EXTRAS

TARGETS = ("SOC 1", "SOC 2", "Neither", *CATEGORIES, *EXTRAS)
MAX_WINDOW = 12  # tokens between an activity and its object, at most

# the most bytes a rules file may hold, per value it may hold
BYTES_PER_VALUE = 200


def check_size(size: int, name: str) -> None:
    """Refuse a rules file too large to hold no more values than the limit, before parsing it."""
    most = limits().rule_terms * BYTES_PER_VALUE
    if size > most:
        raise RulesError(
            f"rules file {name!r} holds {size:,} bytes, more than {most:,} (the limit of "
            f"{limits().rule_terms:,} values at {BYTES_PER_VALUE} bytes each); if the file is what you meant, raise "
            "the limit with the environment variable SOCANALYSIS_MAX_RULE_TERMS"
        )


def check_values(doc, name: str) -> None:
    """Refuse a parsed rules document holding more values (list items and mapping entries, each
    alias counted where it is used) than the limit; stops counting as soon as it is passed."""
    most = limits().rule_terms
    count, stack = 0, [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
        if count > most:
            raise limit_error(RulesError, f"rules file {name!r}", "rule_terms", f"{count:,} or more")
