"""Fee schedules: what each report and add-on costs, and the size bands that scale it.

:func:`load_fees` merges a firm's schedule over the packaged default (``socanalysis/data/fees.yaml``),
validates it and returns a :class:`FeeSchedule`.

>>> fees = load_fees({"reports": {"SOC 2 Type 2": 55000}})
>>> fees.report_fee("SOC 2", "Type 2"), fees.report_fee("SOC 1", "Type 2"), fees.currency
(55000.0, 35000.0, 'USD')
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import yaml

from ..errors import RulesError

__all__ = ["FeeSchedule", "FeeScheduleError", "SizeBand", "load_fees"]


class FeeScheduleError(RulesError):
    """A fee schedule is missing, malformed, or holds an invalid fee or size band."""


REPORT_FEES: tuple[str, ...] = ("SOC 1 Type 1", "SOC 1 Type 2", "SOC 2 Type 1", "SOC 2 Type 2")
ADD_ONS: tuple[str, ...] = ("Additional category", "SOC 3", "Bridge letter")
_TOP_KEYS = ("currency", "reports", "add_ons", "size_bands")
_BAND_KEYS = ("name", "multiplier", "revenue_below", "aliases")


@dataclass(frozen=True)
class SizeBand:
    """A size band: its name, fee multiplier, aliases and (optionally) the revenue it stays below."""

    name: str
    multiplier: float
    aliases: tuple[str, ...] = ()
    revenue_below: float | None = None


@dataclass(frozen=True)
class FeeSchedule:
    """A validated fee schedule (see ``socanalysis/data/fees.yaml``)."""

    currency: str
    reports: Mapping[str, float]
    add_ons: Mapping[str, float]
    default_multiplier: float
    bands: tuple[SizeBand, ...]

    def report_fee(self, report: str, type_: str) -> float:
        """The fee of one report, e.g. ``report_fee("SOC 2", "Type 2")``."""
        return float(self.reports[f"{report} {type_}"])

    def size(self, values: pd.Series) -> tuple[pd.Series, pd.Series]:
        """The band name and multiplier for each size-band value ("(default)" when not recognised).

        Examples
        --------
        >>> names, multipliers = load_fees().size(pd.Series(["Enterprise", "$12M", "25000000", "?", None]))
        >>> names.tolist()
        ['Enterprise', 'Mid-market', 'Mid-market', '(default)', '(default)']
        """
        values = pd.Series(values)
        codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
        found = [self._band(v) for v in uniques] + [None]
        names = np.array([b.name if b else "(default)" for b in found], dtype=object)
        mult = np.array([b.multiplier if b else self.default_multiplier for b in found], dtype=float)
        take = np.where(codes < 0, len(found) - 1, codes)
        return (
            pd.Series(names[take], index=values.index, dtype=str),
            pd.Series(mult[take], index=values.index, dtype=float),
        )

    def _band(self, value: object) -> SizeBand | None:
        key = _band_key(value)
        if not key:
            return None
        for band in self.bands:
            if key == _band_key(band.name) or key in {_band_key(a) for a in band.aliases}:
                return band
        revenue = _revenue(value)
        if revenue is None:
            return None
        ranked = sorted(self.bands, key=lambda b: np.inf if b.revenue_below is None else b.revenue_below)
        for band in ranked:
            if band.revenue_below is None or revenue < band.revenue_below:
                return band
        return None


def _band_key(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return re.sub(r"[^0-9a-z<>+]+", "", str(value).lower())


_UNITS = {
    "": 1,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_MONEY = re.compile(
    r"^(?P<cmp><|>|under|below|less than|up to|over|above|more than)?\s*(?P<cur>\$|usd)?"
    r"\s*(?P<a>\d[\d,]*(?:\.\d+)?)"
    r"\s*(?P<ua>k|thousand|mm|mn|mil|million|m|bn|billion|b)?"
    r"(?:\s*(?:-|to)\s*\$?\s*(?P<b>\d[\d,]*(?:\.\d+)?)\s*(?P<ub>k|thousand|mm|mn|mil|million|m|bn|billion|b)?)?"
    r"\s*(?P<plus>\+)?$",
    re.I,
)


def _revenue(value: object) -> float | None:
    """A revenue in USD from "$12M", "1.2bn", "$10M-$50M" (its lower end), 25000000; None otherwise.

    A bare number is read as revenue only from 100,000 up (smaller ones may be head counts).
    """
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value) if value >= 100_000 else None
    m = _MONEY.match(str(value).strip().replace("\u2013", "-"))
    if not m:
        return None
    unit = (m.group("ua") or m.group("ub") or "").lower()
    amount = float(m.group("a").replace(",", "")) * _UNITS[unit]
    if not (m.group("cur") or unit) and amount < 100_000:
        return None
    cmp = (m.group("cmp") or "").lower()
    if cmp in ("<", "under", "below", "less than", "up to"):
        amount -= 1
    return amount


def _fail(message: str) -> NoReturn:
    raise FeeScheduleError(message if message.startswith("fees=") else "fees: " + message)


def _fee_value(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
        _fail(f"{where} must be a non-negative number of dollars, got {value!r}")
    return float(value)


def _default_fees() -> dict:
    text = (resources.files("socanalysis") / "data" / "fees.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_fees(source: str | os.PathLike | Mapping | FeeSchedule | None = None) -> FeeSchedule:
    """Load and validate a fee schedule.

    Parameters
    ----------
    source : path, dict, FeeSchedule or None
        None: the packaged default (``socanalysis/data/fees.yaml``). A YAML file path or a dict with
        any of the keys ``currency``, ``reports`` (fees for "SOC 1 Type 1", "SOC 1 Type 2",
        "SOC 2 Type 1", "SOC 2 Type 2"), ``add_ons`` ("Additional category", "SOC 3",
        "Bridge letter") and ``size_bands`` (``default_multiplier`` and a list of ``bands``, each
        with ``name``, ``multiplier``, optional ``aliases`` and ``revenue_below``). What it leaves out
        keeps the default; a ``bands`` list replaces the default list.

    Raises
    ------
    FeeScheduleError
        Naming the key at fault and what is accepted.

    Examples
    --------
    >>> load_fees({"reports": {"SOC 2 Type 2": 55000}}).report_fee("SOC 2", "Type 2")
    55000.0
    >>> load_fees({"reports": {"SOC 5": 1}})
    Traceback (most recent call last):
    ...
    socanalysis.portfolio.fees.FeeScheduleError: fees: reports has no 'SOC 5'; accepted: 'SOC 1 Type 1', ...
    """
    if isinstance(source, FeeSchedule):
        return source
    base = _default_fees()
    if source is None:
        override: Mapping = {}
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            _fail(f"there is no file {str(path)!r}")
        problem = ""
        try:
            override = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            override = None
            problem = str(exc)
        if override is None:
            _fail(f"{str(path)!r} is not valid YAML: {problem}")
    elif isinstance(source, Mapping):
        override = source
    else:
        _fail(f"fees={source!r}: give a path to a YAML file, a dict, or None for the default")
    if not isinstance(override, Mapping):
        _fail(f"the schedule must be a mapping with keys {', '.join(_TOP_KEYS)}; got {type(override).__name__}")
    unknown = [k for k in override if k not in _TOP_KEYS]
    if unknown:
        _fail(f"unknown key {unknown[0]!r}; accepted: {', '.join(map(repr, _TOP_KEYS))}")
    merged = copy.deepcopy(base)
    for key in ("reports", "add_ons"):
        part = override.get(key, {})
        if not isinstance(part, Mapping):
            _fail(f"{key} must map names to fees, got {part!r}")
        accepted = REPORT_FEES if key == "reports" else ADD_ONS
        for name, value in part.items():
            if name not in accepted:
                _fail(f"{key} has no {name!r}; accepted: {', '.join(map(repr, accepted))}")
            merged[key][name] = value
    if "currency" in override:
        merged["currency"] = override["currency"]
    sizes = override.get("size_bands", {})
    if not isinstance(sizes, Mapping):
        _fail(f"size_bands must be a mapping with default_multiplier and bands, got {sizes!r}")
    for key, value in sizes.items():
        if key not in ("default_multiplier", "bands"):
            _fail(f"size_bands has no {key!r}; accepted: 'default_multiplier', 'bands'")
        merged["size_bands"][key] = value

    if not isinstance(merged.get("currency"), str) or not merged["currency"].strip():
        _fail(f"currency must be a name such as 'USD', got {merged.get('currency')!r}")
    reports = {k: _fee_value(merged["reports"].get(k), f"reports[{k!r}]") for k in REPORT_FEES}
    add_ons = {k: _fee_value(merged["add_ons"].get(k), f"add_ons[{k!r}]") for k in ADD_ONS}
    default = merged["size_bands"].get("default_multiplier", 1.0)
    if isinstance(default, bool) or not isinstance(default, (int, float)) or not default > 0:
        _fail(f"size_bands.default_multiplier must be a number above 0, got {default!r}")
    raw_bands = merged["size_bands"].get("bands", [])
    if not isinstance(raw_bands, list):
        _fail(f"size_bands.bands must be a list of bands, got {raw_bands!r}")
    bands = []
    for i, band in enumerate(raw_bands):
        where = f"size_bands.bands[{i}]"
        if not isinstance(band, Mapping):
            _fail(f"{where} must be a mapping with {', '.join(_BAND_KEYS)}, got {band!r}")
        extra = [k for k in band if k not in _BAND_KEYS]
        if extra:
            _fail(f"{where} has no key {extra[0]!r}; accepted: {', '.join(_BAND_KEYS)}")
        name = band.get("name")
        if not isinstance(name, str) or not name.strip():
            _fail(f"{where}.name must be a non-empty text, got {name!r}")
        mult = band.get("multiplier")
        if isinstance(mult, bool) or not isinstance(mult, (int, float)) or not mult > 0:
            _fail(f"{where}.multiplier ({name!r}) must be a number above 0, got {mult!r}")
        aliases = band.get("aliases", []) or []
        if not isinstance(aliases, list) or not all(isinstance(a, (str, int, float)) for a in aliases):
            _fail(f"{where}.aliases ({name!r}) must be a list of texts, got {aliases!r}")
        below = band.get("revenue_below")
        number = not isinstance(below, bool) and isinstance(below, (int, float))
        if below is not None and (not number or below <= 0):
            _fail(f"{where}.revenue_below ({name!r}) must be a number of dollars above 0, got {below!r}")
        bands.append(
            SizeBand(name.strip(), float(mult), tuple(str(a) for a in aliases), None if below is None else float(below))
        )
    names = [b.name.lower() for b in bands]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        _fail(f"size_bands.bands names the band {dup!r} twice")
    return FeeSchedule(merged["currency"].strip(), reports, add_ons, float(default), tuple(bands))
