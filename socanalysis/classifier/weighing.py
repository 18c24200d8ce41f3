"""Weighing the evidence for and against each report, and how sure the answer is.

Evidence is counted in units: a rule of weight w is worth ``-ln(1 - w)`` units, so that weights
combine like independent chances. Per report (SOC 1, SOC 2) and row:

- ``support``: the units of the rules for it; weak signs (weights below ``WEAK``: "platform",
  "customers") together count at most as one weak sign;
- ``explicit``: the part of it from rules that say the service outright (weight ``EXPLICIT`` or
  more: "payroll processing", "administer ... 401(k) plans", "colocation");
- ``against``: the units of Neither (a manufacturer, a restaurant, an oil producer).

Neither takes its units away from the support, but from explicit evidence only a share
(``SHARE``): the evidence left is ``max(support - against, (1 - SHARE) * explicit)``. One Neither
clue ("electronic", "hotel") lowers a stated service, it cannot erase it; a service only
suggested ("software", an app for restaurants) can still be outweighed. The score is
``1 - exp(-units)``; a report is recommended at 0.5.

When strong evidence points both ways (a report recommended with Neither evidence of weight
``STRONG_AGAINST`` or more against it, or Neither decided over evidence that alone would have
recommended a report), the answer is a *conflict*: its confidence is low, and the rationale names
the evidence on the other side.

>>> from socanalysis.classifier.rules import TARGETS
>>> weights = np.zeros((3, len(TARGETS)))
>>> weights[0, TARGETS.index("SOC 2")] = 0.9          # hosts customers' records (explicit)
>>> weights[1, TARGETS.index("SOC 2")] = 0.62         # sells software (not explicit)
>>> weights[2, TARGETS.index("Neither")] = 0.9        # strong evidence of a manufacturer
>>> table = weighing_table(weights, np.zeros((3, 2), dtype=bool))
>>> def soc2(*rules):
...     units = table.units[list(rules)].sum(axis=0)
...     evidence = np.array([units[k] - units[table.against] if k < 2 else units[k] for k in range(len(units))])
...     return round(float(weigh(evidence[: len(table.weak_slot), None]).score[1, 0]), 2)
>>> soc2(0), soc2(0, 2), soc2(1), soc2(1, 2)   # explicit evidence is lowered, suggested evidence erased
(0.9, 0.68, 0.62, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .decide import _CAPPED, _S, _SCORED, VoteTable, _units, vote_table
from .rules import TARGETS

EXPLICIT = 0.8  # a rule of this weight or more states the service outright
SHARE = 0.5  # Neither takes at most this share of a report's explicit evidence
STRONG_AGAINST = 0.5  # Neither evidence of this weight or more, against a report recommended: a conflict
THRESHOLD = 0.5
_LN2 = float(np.log(2.0))  # units that make a score of 0.5

# rows of the tallied evidence after those of _SCORED: Neither, the weak signs of SOC 1 and SOC 2,
# and their explicit evidence
_AGAINST = len(_SCORED)
_EXPLICIT_ROWS = (_AGAINST + 3, _AGAINST + 4)


def weighing_table(weights: np.ndarray, objectives: np.ndarray) -> VoteTable:
    """:func:`vote_table` with the rows that weighing reads tallied too.

    The kernel that tallies the votes gives, for a target whose ``weak_slot`` is -1, the units of
    its slot as they are: the targets after those of ``_SCORED`` are the slot of Neither, the
    slots of the weak signs of SOC 1 and SOC 2 (before they are capped), and two more slots: the
    explicit evidence of SOC 1 and SOC 2 (the units of rules weighing ``EXPLICIT`` or more).
    """
    table = vote_table(weights, objectives)
    units = table.units
    need = _EXPLICIT_ROWS[-1] + 1
    if units.shape[1] < need:  # (the slots are padded to a multiple of eight: there is room)
        units = np.pad(units, ((0, 0), (0, (need + 7) // 8 * 8 - units.shape[1])))
    else:
        units = units.copy()
    for row, target in zip(_EXPLICIT_ROWS, _CAPPED, strict=True):
        w = weights[:, TARGETS.index(target)]
        units[:, row] = np.where(w >= EXPLICIT, _units(w), 0.0)
    extra = np.full(need - len(table.weak_slot), -1, dtype=table.weak_slot.dtype)
    return VoteTable(
        units=units,
        weak_slot=np.concatenate([table.weak_slot, extra]),
        against=table.against,
        rule_bits=table.rule_bits,
        tops=table.tops,
    )


@dataclass
class Weighed:
    """The evidence of every row, weighed.

    ``score`` (``_SCORED`` x rows): between 0 and 1; ``support``, ``explicit`` (SOC 1, SOC 2 x
    rows) and ``against`` (rows): units, as in the module's description.
    """

    score: np.ndarray
    support: np.ndarray
    explicit: np.ndarray
    against: np.ndarray

    def conflicts(self, soc1: np.ndarray, soc2: np.ndarray, neither: np.ndarray) -> np.ndarray:
        """Per row: strong evidence points both ways (see the module's description)."""
        strong_against = self.against >= _units(np.array([STRONG_AGAINST]))[0]
        recommended = np.stack([soc1, soc2])
        # a report recommended over strong Neither evidence
        conflict = (recommended & strong_against).any(axis=0)
        # Neither over evidence that alone would have recommended a report
        conflict |= neither & (self.against > 0) & (self.support >= _LN2).any(axis=0)
        return conflict

    def confidence(self, info, soc1, soc2, neither, any_hit, conflict) -> np.ndarray:
        """Per row, an index into ``CONFIDENCE_VALUES`` (0 high, 1 medium, 2 low).

        How far the scores stand from the threshold; low for a conflict, and where nothing
        (or nothing but silence) was found.
        """
        s1, s2 = self.score[_S["SOC 1"]], self.score[_S["SOC 2"]]
        margin = np.minimum(np.abs(s1 - THRESHOLD), np.abs(s2 - THRESHOLD)) * 2
        confidence = np.full(len(s1), 2, dtype=np.int64)
        confidence -= margin >= 0.6
        confidence -= margin >= 0.3
        confidence[conflict | ~info | (neither & ~any_hit)] = 2
        return confidence


def weigh(evidence: np.ndarray) -> Weighed:
    """Weigh the tallied evidence (the rows of :func:`weighing_table`), in place.

    The rows of ``_SCORED`` become the scores; for SOC 1 and SOC 2 the tally gives the support
    less Neither, which becomes ``max(support - against, (1 - SHARE) * explicit)``.
    """
    against = evidence[_AGAINST].copy()
    explicit = evidence[list(_EXPLICIT_ROWS)].copy()
    support = np.stack([evidence[_S[t]] + against for t in _CAPPED])
    score = evidence[: len(_SCORED)]
    for i, target in enumerate(_CAPPED):
        np.maximum(score[_S[target]], (1 - SHARE) * explicit[i], out=score[_S[target]])
    # score = 1 - exp(-max(units, 0)), computed in place over the evidence
    np.maximum(score, 0, out=score)
    np.negative(score, out=score)
    np.exp(score, out=score)
    np.subtract(1, score, out=score)
    return Weighed(score=score, support=support, explicit=explicit, against=against)
