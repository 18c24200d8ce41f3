"""Weighing the evidence for and against each report, and how sure the answer is.

Evidence is counted in units: a rule of weight w is worth ``-ln(1 - w)`` units, so that weights
combine like independent chances. Per report (SOC 1, SOC 2) and row:

- ``support``: the units of the rules for it; weak signs (weights below ``WEAK``: "platform",
  "customers") together count at most as one weak sign;
- ``explicit``: the part of it from rules that state the service outright (``explicit: true``
  in the rules: "payroll processing", "administer ... 401(k) plans", "colocation");
- ``against``: the units of Neither (a manufacturer, a restaurant, an oil producer), of which
  ``strongest`` come from its strongest clue.

Neither takes its units away from the support, but the strongest Neither clue takes at most a
share (``SHARE``) of the explicit evidence: the evidence left is
``max(support - against, (1 - SHARE) * explicit - (against - strongest))``. One Neither clue
("electronic", "hotel") lowers a stated service, it cannot erase it; several clues can, and a
service only suggested (a product noun such as "analytics platform", an app for restaurants) can
be outweighed by one. The score is ``1 - exp(-units)``; a report is recommended at 0.5.

When strong evidence points both ways (a report recommended with Neither evidence of weight
``STRONG_AGAINST`` or more against it, or Neither decided over evidence that alone would have
recommended a report), the answer is a *conflict*: its confidence is low, and the rationale names
the evidence on the other side.

>>> from socanalysis.classifier.rules import TARGETS
>>> weights = np.zeros((4, len(TARGETS)))
>>> weights[0, TARGETS.index("SOC 2")] = 0.9          # hosts customers' records (explicit)
>>> weights[1, TARGETS.index("SOC 2")] = 0.9          # an analytics platform (not explicit)
>>> weights[2:, TARGETS.index("Neither")] = 0.9       # two strong clues of a manufacturer
>>> table = weighing_table(weights, np.zeros((4, 2), dtype=bool), np.array([True, False, False, False]))
>>> def soc2(*rules):
...     units = table.units[list(rules)].sum(axis=0)
...     evidence = np.array([units[k] - units[table.against] if k < 2 else units[k] for k in range(len(units))])
...     strongest = max([table.units[r, table.against] for r in rules])
...     return round(float(weigh(evidence[: len(table.weak_slot), None], np.array([strongest])).score[1, 0]), 2)
>>> soc2(0), soc2(0, 2), soc2(0, 2, 3)     # one clue lowers a stated service, two erase it
(0.9, 0.68, 0.0)
>>> soc2(1), soc2(1, 2)                    # one clue outweighs a product noun
(0.9, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..vocabulary import CATEGORIES, EXTRAS
from .rules import TARGETS

WEAK = 0.45  # evidence weighing less than this is a weak sign; weak signs together count at most this much
MAX_WEIGHT = 0.99  # a weight of 1 would be infinite evidence
_T = {name: i for i, name in enumerate(TARGETS)}


def _units(weights: np.ndarray) -> np.ndarray:
    w = np.clip(np.abs(weights), 0, MAX_WEIGHT)
    return -np.log1p(-w) * np.sign(weights)


# the targets whose scores decide something (Security comes with every SOC 2, Neither only counts
# against the reports), in the order of the rows of the evidence tallied
_SCORED = ("SOC 1", "SOC 2", *CATEGORIES[1:], *EXTRAS)
_S = {name: i for i, name in enumerate(_SCORED)}
_CAPPED = ("SOC 1", "SOC 2")  # the targets whose weak signs together count as one at most


@dataclass(frozen=True)
class VoteTable:
    """What a vote of each rule adds up, as :func:`socanalysis._kernels.scanning.tally_votes` reads it.

    ``units`` (rules x slots): the units of evidence a vote adds to each slot. Slot ``k`` holds
    target ``_SCORED[k]`` (for a ``_CAPPED`` target, its signs that are not weak), slot
    ``against`` the units of Neither, slot ``weak_slot[k]`` the weak signs of a capped target
    (-1 for the others); zeros pad the slots to a multiple of eight. ``rule_bits``: bit ``i`` set
    when a SOC 1 rule has ``OBJECTIVES[i]``. ``tops`` (rules x 4): the weights the quoted terms
    are chosen by: SOC 1, SOC 2, Neither and the larger of SOC 1 and SOC 2.
    """

    units: np.ndarray
    weak_slot: np.ndarray
    against: int
    rule_bits: np.ndarray
    tops: np.ndarray


def vote_table(weights: np.ndarray, objectives: np.ndarray) -> VoteTable:
    """The :class:`VoteTable` of rules with these weights (rules x targets) and objectives.

    Only the slots that some output needs are tallied (Security comes with every SOC 2).
    """
    units = _units(weights)
    against = len(_SCORED)
    n_slots = (against + 1 + len(_CAPPED) + 7) // 8 * 8
    table = np.zeros((len(weights), n_slots))
    table[:, : len(_SCORED)] = units[:, [_T[t] for t in _SCORED]]
    table[:, against] = units[:, _T["Neither"]]
    weak_slot = np.full(len(_SCORED), -1, dtype=np.int64)
    for i, target in enumerate(_CAPPED):
        k, w = _S[target], weights[:, _T[target]]
        weak = (w > 0) & (w < WEAK)
        weak_slot[k] = against + 1 + i
        table[weak, weak_slot[k]] = table[weak, k]
        table[weak, k] = 0.0
    s1, s2 = weights[:, _T["SOC 1"]], weights[:, _T["SOC 2"]]
    rule_bits = (objectives & (s1 > 0)[:, None]) @ (1 << np.arange(objectives.shape[1], dtype=np.int64))
    return VoteTable(
        units=table,
        weak_slot=weak_slot,
        against=against,
        rule_bits=rule_bits.astype(np.int64),
        tops=np.ascontiguousarray(np.stack([s1, s2, weights[:, _T["Neither"]], np.maximum(s1, s2)], axis=1)),
    )


SHARE = 0.5  # the strongest Neither clue takes at most this share of a report's explicit evidence
STRONG_AGAINST = 0.5  # Neither evidence of this weight or more, against a report recommended: a conflict
THRESHOLD = 0.5
_LN2 = float(np.log(2.0))  # units that make a score of 0.5
_WEAK_UNITS = float(_units(np.array([WEAK]))[0])  # what weak signs together count at most
_EPS = 1e-9
_ONE_WEAK_SIGN = float(_units(np.array([0.36]))[0])  # more than this: more than one weak sign ("customers")

# rows of the tallied evidence after those of _SCORED: Neither, the weak signs of SOC 1 and SOC 2,
# and their explicit evidence
_AGAINST = len(_SCORED)
_EXPLICIT_ROWS = (_AGAINST + 3, _AGAINST + 4)


def weighing_table(weights: np.ndarray, objectives: np.ndarray, explicit: np.ndarray) -> VoteTable:
    """:func:`~socanalysis.classifier.decide.vote_table` with the rows that weighing reads tallied too.

    The kernel that tallies the votes gives, for a target whose ``weak_slot`` is -1, the units of
    its slot as they are: the targets after those of ``_SCORED`` are the slot of Neither, the
    slots of the weak signs of SOC 1 and SOC 2 (before they are capped), and two more slots: the
    explicit evidence of SOC 1 and SOC 2 (the units of the rules that ``explicit`` marks, where they
    weigh ``WEAK`` or more for that report).
    """
    table = vote_table(weights, objectives)
    need = _EXPLICIT_ROWS[-1] + 1
    units = np.pad(table.units, ((0, 0), (0, max(0, (need + 7) // 8 * 8 - table.units.shape[1]))))
    for row, target in zip(_EXPLICIT_ROWS, _CAPPED, strict=True):
        w = weights[:, TARGETS.index(target)]
        units[:, row] = np.where(explicit & (w >= WEAK), _units(w), 0.0)  # a weak sign states nothing
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
    rows), ``against`` and ``strongest`` (rows): units, as in the module's description.
    """

    score: np.ndarray
    support: np.ndarray
    explicit: np.ndarray
    against: np.ndarray
    strongest: np.ndarray

    def conflicts(self, soc1: np.ndarray, soc2: np.ndarray, neither: np.ndarray) -> np.ndarray:
        """Per row: strong evidence points both ways (see the module's description)."""
        strong_against = self.against >= _units(np.array([STRONG_AGAINST]))[0]
        conflict = (soc1 | soc2) & strong_against  # a report recommended over strong Neither evidence
        # Neither over evidence that alone would have recommended a report
        conflict |= neither & (self.against > 0) & (self.support >= _LN2).any(axis=0)
        return conflict

    def confidence(self, info, soc1, soc2, neither, any_hit, conflict, against_in_text) -> np.ndarray:
        """Per row, an index into ``CONFIDENCE_VALUES`` (0 high, 1 medium, 2 low).

        How far the scores stand from the threshold; low for a conflict, and for Neither where no
        evidence says Neither (nothing found, or weak signs only). Neither is not high over more
        than weak signs of a service, and low over more than one weak sign of one when only a
        label or code says Neither, or only one clue in the text (``against_in_text``: the
        strongest Neither clue stands in the description or the name); a report is not high over
        a Neither clue in the text.
        """
        s1, s2 = self.score[_S["SOC 1"]], self.score[_S["SOC 2"]]
        margin = np.minimum(np.abs(s1 - THRESHOLD), np.abs(s2 - THRESHOLD)) * 2
        confidence = np.full(len(s1), 2, dtype=np.int64)
        confidence -= margin >= 0.6
        confidence -= margin >= 0.3
        support = self.support.max(axis=0)
        doubt = neither & (support > _WEAK_UNITS)  # Neither over more than weak signs of a service
        # one Neither clue in the text ("hotel", "consultancy") over any sign of a service: the clue
        # may name what the service is for, in words no rule knows ("hotel PMS", "carrier hotel")
        single = neither & against_in_text & (self.against - self.strongest <= _EPS)
        doubt |= single & (support > _EPS)
        # a report over a sign of no service in the text ("yoga studio, POS in the cloud"): the
        # service words may be what the organisation uses for itself, in words no cue knows
        doubt |= (soc1 | soc2) & against_in_text & (self.against > _EPS)
        confidence[doubt] = np.maximum(confidence[doubt], 1)
        # ... and low over more than one weak sign of one ("bakery chain with an app and an online platform")
        confidence[single & (support > _ONE_WEAK_SIGN)] = 2
        hint = neither & (support > _ONE_WEAK_SIGN) & ~against_in_text  # a label says Neither, the text hints otherwise
        confidence[hint] = 2
        confidence[conflict | ~info | (neither & ~any_hit) | (neither & (self.against <= 0))] = 2
        return confidence


def run_on_a_system(evidence: np.ndarray, rows: np.ndarray) -> None:
    """Where a row's service to customers' money runs on a platform, portal, app or cloud it offers
    (``rows``), its SOC 2 evidence is at least its SOC 1 evidence, in place.

    Payments, claims or billing handled on such a system put customers' financial data on it: the
    same service needs both reports (a payments platform, a claims portal, payroll software).

    >>> ev = np.zeros((_EXPLICIT_ROWS[-1] + 1, 2))
    >>> ev[_S["SOC 1"]] = ev[_EXPLICIT_ROWS[0]] = 2.0
    >>> run_on_a_system(ev, np.array([True, False]))
    >>> ev[_S["SOC 2"]].tolist(), ev[_EXPLICIT_ROWS[1]].tolist()
    ([2.0, 0.0], [2.0, 0.0])
    """
    soc1, soc2 = _S["SOC 1"], _S["SOC 2"]
    for a, b in ((soc1, soc2), _EXPLICIT_ROWS):
        evidence[b] = np.where(rows, np.maximum(evidence[b], evidence[a]), evidence[b])


def weigh(evidence: np.ndarray, strongest: np.ndarray) -> Weighed:
    """Weigh the tallied evidence (the rows of :func:`weighing_table`), in place.

    ``strongest``: per row, the units of its strongest Neither clue. The rows of ``_SCORED``
    become the scores; for SOC 1 and SOC 2 the tally gives the support less Neither, which becomes
    ``max(support - against, (1 - SHARE) * explicit - (against - strongest))``.
    """
    against = evidence[_AGAINST].copy()
    explicit = evidence[list(_EXPLICIT_ROWS)]
    support = np.empty((len(_CAPPED), len(against)))
    others = against - strongest  # what the Neither clues besides the strongest take in full
    score = evidence[: len(_SCORED)]
    for i, target in enumerate(_CAPPED):
        k = _S[target]
        np.add(score[k], against, out=support[i])
        np.maximum(score[k], (1 - SHARE) * explicit[i] - others, out=score[k])
    # score = 1 - exp(-max(units, 0)), computed in place over the evidence
    np.maximum(score, 0, out=score)
    np.negative(score, out=score)
    np.exp(score, out=score)
    np.subtract(1, score, out=score)
    return Weighed(score=score, support=support, explicit=explicit, against=against, strongest=strongest)
