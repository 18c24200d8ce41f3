"""Opportunities: per organisation, what could be sold and its estimated fee.

Every quantity depends on a few short columns of :func:`socanalysis.portfolio.coverage`'s output,
so each distinct combination of them is priced once, then taken per row.

>>> from socanalysis.portfolio import coverage
>>> frame = pd.DataFrame({"soc_report": ["SOC 1", "Neither"], "report_type": ["Type 2", ""]})
>>> opportunities(coverage(frame, as_of="2025-06-30"))[["opportunity", "opportunity_usd"]].values.tolist()
[['SOC 1 Type 2', 35000.0], ['', 0.0]]
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..load import fields_of
from ._columns import (
    MASK_NAMES,
    POPCOUNT,
    category_mask,
    has,
    mapped_column,
    needs,
    require_coverage,
    take_str,
    text,
    unique_rows,
)
from .fees import FeeSchedule, load_fees

__all__ = ["opportunities"]

_PRICE_TEXT = (
    "coverage_status",
    "soc_report",
    "report_type",
    "soc1_type",
    "soc2_type",
    "tsc_categories",
    "soc2_categories",
    "tsc_gap",
    "bridge_letter",
)
"""The text columns a price depends on (with what is held and whether a SOC 3 is suggested)."""


def opportunities(covered: pd.DataFrame, fees: str | os.PathLike | Mapping | FeeSchedule | None = None) -> pd.DataFrame:
    """Per organisation: what could be sold and its estimated fee.

    Parameters
    ----------
    covered : pandas.DataFrame
        The output of :func:`socanalysis.portfolio.coverage`.
    fees : path, dict, FeeSchedule or None
        The fee schedule (:func:`socanalysis.portfolio.load_fees`); None for the packaged default.

    Returns
    -------
    pandas.DataFrame
        Same index as ``covered``; columns ``name`` (when the name field is mapped),
        ``coverage_status``, ``opportunity`` (what could be sold, "; "-joined), ``size_band`` (the
        band applied, "(default)" when not recognised), ``multiplier`` and ``opportunity_usd``.

    Notes
    -----
    What is counted, each fee scaled by the size band's multiplier:

    * a gap: the missing report, of the type ``report_type`` recommends (Type 1 when it is empty);
      a new SOC 2 adds "Additional category" for each category in ``tsc_categories`` beyond Security;
    * Stale or Renewal due: the next Type 2 of each needed report held (a Type 1 holder moves to
      Type 2), with the categories held or needed;
    * Covered or Unverified with ``type_upgrade``: the Type 2 that follows the Type 1;
    * otherwise a ``tsc_gap``: "Additional category" per missing category;
    * "SOC 3" when ``also_consider`` names it, a SOC 2 is needed and none is held;
    * "Bridge letter" when ``bridge_letter`` says so and the status is Covered or Renewal due.
      "New report" adds nothing of its own: the renewal is already counted when it is due.

    Nothing is counted for "Not needed", nor for "Review" (needs no report as classified, yet holds
    one) until someone decides what it needs.

    Examples
    --------
    >>> from socanalysis.portfolio import coverage
    >>> frame = pd.DataFrame({"soc_report": ["SOC 2"], "tsc_categories": ["Security; Availability"],
    ...                       "report_type": ["Type 1"]})
    >>> opportunities(coverage(frame, as_of="2025-06-30"))[["opportunity", "opportunity_usd"]].values.tolist()
    [['SOC 2 Type 1 (Security, Availability)', 30000.0]]
    """
    require_coverage(covered, "opportunities")
    schedule = load_fees(fees)
    fields = fields_of(covered, headers=False)
    codes, uniq = unique_rows(_price_keys(covered))
    labels, base = _price(uniq, schedule)
    band, mult = schedule.size(mapped_column(covered, fields, "size_band"))
    out = pd.DataFrame(index=covered.index)
    if "name" in fields:
        out["name"] = covered[fields["name"]].to_numpy()
    out["coverage_status"] = covered["coverage_status"]
    out["opportunity"] = take_str([str(x) for x in labels], codes, covered.index)
    out["size_band"] = band.to_numpy()
    out["multiplier"] = mult.to_numpy()
    out["opportunity_usd"] = np.round((base[codes] if len(codes) else 0.0) * mult.to_numpy(), 2)
    return out


def _price_keys(covered: pd.DataFrame) -> pd.DataFrame:
    """The short columns a price depends on, on positions 0..n-1."""
    keys = pd.DataFrame({c: text(covered, c).reset_index(drop=True) for c in _PRICE_TEXT})
    for col in ("holds_soc1", "holds_soc2", "holds_soc3"):
        keys[col] = covered[col].to_numpy(dtype=bool) if col in covered else False
    keys["soc3_suggested"] = has(text(covered, "also_consider"), "SOC 3")
    return keys


class _Situation(NamedTuple):
    """Per distinct combination: the status, what is needed and held, and the categories involved."""

    status: np.ndarray
    needs1: np.ndarray
    needs2: np.ndarray
    holds1: np.ndarray
    holds2: np.ndarray
    holds3: np.ndarray
    new_type: np.ndarray  # the type of a new report: report_type, Type 1 when it is empty
    soc1_type: np.ndarray
    soc2_type: np.ndarray
    needed_mask: np.ndarray  # categories needed
    held_mask: np.ndarray  # categories of the SOC 2 held
    tsc_gap: pd.Series
    soc3_suggested: np.ndarray
    bridge_letter: np.ndarray


def _situation(uniq: pd.DataFrame) -> _Situation:
    holds1 = uniq["holds_soc1"].to_numpy(dtype=bool)
    holds2 = uniq["holds_soc2"].to_numpy(dtype=bool)
    needs1, needs2 = needs(uniq, holds1, holds2)
    rtype = uniq["report_type"].to_numpy(dtype=object)
    return _Situation(
        status=uniq["coverage_status"].to_numpy(dtype=object),
        needs1=needs1,
        needs2=needs2,
        holds1=holds1,
        holds2=holds2,
        holds3=uniq["holds_soc3"].to_numpy(dtype=bool),
        new_type=np.where(np.isin(rtype, ["Type 1", "Type 2"]), rtype, "Type 1").astype(object),
        soc1_type=uniq["soc1_type"].to_numpy(dtype=object),
        soc2_type=uniq["soc2_type"].to_numpy(dtype=object),
        needed_mask=category_mask(uniq["tsc_categories"].astype(str)),
        held_mask=category_mask(uniq["soc2_categories"].astype(str)),
        tsc_gap=uniq["tsc_gap"].astype(str),
        soc3_suggested=uniq["soc3_suggested"].to_numpy(dtype=bool),
        bridge_letter=uniq["bridge_letter"].to_numpy(dtype=object),
    )


class _Basket:
    """What could be sold per combination: labels "; "-joined and fees summed, in the order added."""

    def __init__(self, n: int, schedule: FeeSchedule):
        self.labels = np.full(n, "", dtype=object)
        self.total = np.zeros(n)
        self.schedule = schedule
        self.n = n

    def add(self, cond: np.ndarray, label, fee) -> None:
        """Add ``label`` (one or one per combination) and its ``fee`` where ``cond`` holds."""
        label = np.broadcast_to(np.asarray(label, dtype=object), (self.n,))
        sep = np.where(cond & (self.labels != ""), "; ", "")
        self.labels = np.where(cond, self.labels + sep + label, self.labels)
        self.total = self.total + np.where(cond, fee, 0.0)

    def fee(self, report: str, types: np.ndarray | str) -> np.ndarray | float:
        """The fee of ``report`` of each type in ``types`` (or of one type)."""
        if isinstance(types, str):
            return self.schedule.report_fee(report, types)
        return np.where(
            types == "Type 2", self.schedule.report_fee(report, "Type 2"), self.schedule.report_fee(report, "Type 1")
        )

    def soc2_fee(self, types: np.ndarray | str, mask: np.ndarray) -> np.ndarray:
        """The fee of a SOC 2 with the categories in ``mask``: each beyond Security is an add-on."""
        extra = POPCOUNT[mask & ~1].astype(float)  # categories beyond Security (bit 0)
        return self.fee("SOC 2", types) + extra * self.schedule.add_ons["Additional category"]


def _price(uniq: pd.DataFrame, schedule: FeeSchedule) -> tuple[np.ndarray, np.ndarray]:
    """What could be sold ("; "-joined) and its fee before the size multiplier, per row of ``uniq``."""
    row = _situation(uniq)
    basket = _Basket(len(uniq), schedule)
    _new_reports(basket, row)
    renewed = _renewals(basket, row)
    upgraded = _type_upgrades(basket, row)
    _add_ons(basket, row, soc2_priced=renewed | upgraded)
    return basket.labels, basket.total


def _categories(mask: np.ndarray) -> np.ndarray:
    """The categories of each mask, ", "-joined for a label."""
    return np.array([MASK_NAMES[m].replace("; ", ", ") for m in mask], dtype=object)


def _new_reports(basket: _Basket, row: _Situation) -> None:
    """A gap: the missing report of the type recommended; a new SOC 2 covers the categories needed."""
    gap1 = np.isin(row.status, ["Gap: SOC 1", "Gap: SOC 1 + SOC 2"])
    gap2 = np.isin(row.status, ["Gap: SOC 2", "Gap: SOC 1 + SOC 2"])
    new2_mask = row.needed_mask | 1
    basket.add(gap1, "SOC 1 " + row.new_type, basket.fee("SOC 1", row.new_type))
    basket.add(
        gap2,
        "SOC 2 " + row.new_type + " (" + _categories(new2_mask) + ")",
        basket.soc2_fee(row.new_type, new2_mask),
    )


def _renewals(basket: _Basket, row: _Situation) -> np.ndarray:
    """Stale or Renewal due: the next Type 2 of each needed report held; where a SOC 2 was renewed."""
    renewing = np.isin(row.status, ["Stale", "Renewal due"])
    renew1 = renewing & row.needs1 & row.holds1
    renew2 = renewing & row.needs2 & row.holds2
    mask = row.needed_mask | row.held_mask | 1
    basket.add(renew1, "SOC 1 Type 2 renewal", basket.fee("SOC 1", "Type 2"))
    basket.add(renew2, "SOC 2 Type 2 renewal (" + _categories(mask) + ")", basket.soc2_fee("Type 2", mask))
    return renew2


def _type_upgrades(basket: _Basket, row: _Situation) -> np.ndarray:
    """Covered (or Unverified) with a Type 1 of a needed report: the Type 2 that follows; where a SOC 2 was upgraded."""
    covered_now = np.isin(row.status, ["Covered", "Unverified"])
    up1 = covered_now & row.needs1 & row.holds1 & (row.soc1_type == "Type 1")
    up2 = covered_now & row.needs2 & row.holds2 & (row.soc2_type == "Type 1")
    mask = row.needed_mask | row.held_mask | 1
    basket.add(up1, "SOC 1 Type 2 (after the Type 1)", basket.fee("SOC 1", "Type 2"))
    basket.add(up2, "SOC 2 Type 2 (after the Type 1; " + _categories(mask) + ")", basket.soc2_fee("Type 2", mask))
    return up2


def _add_ons(basket: _Basket, row: _Situation, soc2_priced: np.ndarray) -> None:
    """Missing categories (unless a SOC 2 was already priced with them), a SOC 3, a bridge letter."""
    add_ons = basket.schedule.add_ons
    needed = ~np.isin(row.status, ["Not needed", "Review"])
    gap_count = POPCOUNT[category_mask(row.tsc_gap)]
    more_label = "Add " + row.tsc_gap.str.replace("; ", ", ", regex=False).to_numpy(dtype=object)
    basket.add((gap_count > 0) & ~soc2_priced & needed, more_label, gap_count * add_ons["Additional category"])
    basket.add(row.soc3_suggested & row.needs2 & ~row.holds3 & needed, "SOC 3", add_ons["SOC 3"])
    bridge = (row.bridge_letter == "Bridge letter") & np.isin(row.status, ["Covered", "Renewal due"])
    basket.add(bridge, "Bridge letter", add_ons["Bridge letter"])
