"""Fee schedules: what each report and add-on costs, and the size bands that scale it.

The shape of a fee file is declared once, by :class:`FeeFile` (a pydantic model; its JSON schema is
``FeeFile.model_json_schema(by_alias=True)``). :func:`load_fees` merges a firm's schedule over the
packaged default (``socanalysis/data/fees.yaml``), validates it against that declaration and returns
a :class:`FeeSchedule`; every problem is reported at once, naming the entry and the field, the
value given and what is accepted.

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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from ..errors import RulesError

__all__ = ["FeeFile", "FeeSchedule", "FeeScheduleError", "SizeBand", "load_fees"]


class FeeScheduleError(RulesError):
    """A fee schedule is missing, malformed, or holds an invalid fee or size band."""


# --------------------------------------------------------------------------------------------
# the declared shape of a fee file
# --------------------------------------------------------------------------------------------


def _must(rule: str, **field: Any) -> Any:
    """A schema field whose value must follow ``rule`` ("be a number above 0"); errors quote the rule."""
    return Field(json_schema_extra={"must": rule}, **field)


_Fee = Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False)]
_Multiplier = Annotated[float, Field(strict=True, gt=0)]
_Text = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=1)]
_FEE = "be a non-negative number of dollars"
_MULTIPLIER = "be a number above 0"


class _Entry(BaseModel):
    """An entry of a fee file: unknown keys are errors; a validated entry does not change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportFees(_Entry):
    """The fee of one engagement per report and type; a SOC 2 fee covers Security (the common criteria) only."""

    soc1_type1: _Fee = _must(_FEE, alias="SOC 1 Type 1")
    soc1_type2: _Fee = _must(_FEE, alias="SOC 1 Type 2")
    soc2_type1: _Fee = _must(_FEE, alias="SOC 2 Type 1")
    soc2_type2: _Fee = _must(_FEE, alias="SOC 2 Type 2")


class AddOnFees(_Entry):
    """Fees sold beside a report."""

    additional_category: _Fee = _must(
        _FEE, alias="Additional category", description="each Trust Services Category beyond Security in a SOC 2"
    )
    soc3: _Fee = _must(_FEE, alias="SOC 3", description="a general-use SOC 3 issued from the SOC 2 examination")
    bridge_letter: _Fee = _must(_FEE, alias="Bridge letter", description="helping management prepare a bridge letter")


class BandEntry(_Entry):
    """One size band: chosen by its name or an alias (ignoring case, spaces and punctuation), or by revenue."""

    name: _Text = _must("be a non-empty text")
    multiplier: _Multiplier = _must(_MULTIPLIER, description="scales every fee of an organisation in the band")
    revenue_below: Annotated[float, Field(strict=True, gt=0)] | None = _must(
        "be a number of dollars above 0",
        default=None,
        description="a revenue ('$12M', 25000000) falls in the first band, by this limit, that it stays below",
    )
    aliases: list[Annotated[str, Field(strict=True)]] | None = _must("be a list of texts", default=None)

    @field_validator("aliases", mode="before")
    @classmethod
    def _numbers_are_aliases_too(cls, value: object) -> object:
        """A number in the list (YAML reads ``500`` as one) is the alias "500"."""
        return [str(v) if isinstance(v, (int, float)) else v for v in value] if isinstance(value, list) else value


class SizeBandsEntry(_Entry):
    """The multiplier for a blank or unrecognised size band, and the bands."""

    default_multiplier: _Multiplier = _must(_MULTIPLIER, default=1.0)
    bands: list[BandEntry] = _must(
        "be a list of bands", default=[], description="given in a schedule, replaces the list"
    )

    @field_validator("bands")
    @classmethod
    def _names_are_unique(cls, bands: list[BandEntry]) -> list[BandEntry]:
        names = [b.name.lower() for b in bands]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup is not None:
            raise PydanticCustomError("duplicate_band", "names the band {name} twice", {"name": repr(dup)})
        return bands


class FeeFile(_Entry):
    """The shape of a fee file, e.g. ``socanalysis/data/fees.yaml``.

    A firm's schedule may leave keys out: :func:`load_fees` merges it over the default first, then checks
    the result against this declaration.
    """

    currency: _Text = _must("be a name such as 'USD'")
    reports: ReportFees = _must("map names to fees")
    add_ons: AddOnFees = _must("map names to fees")
    size_bands: SizeBandsEntry = _must("be a mapping with default_multiplier and bands")


REPORT_FEES: tuple[str, ...] = tuple(f.alias for f in ReportFees.model_fields.values())
ADD_ONS: tuple[str, ...] = tuple(f.alias for f in AddOnFees.model_fields.values())


# --------------------------------------------------------------------------------------------
# the schedule
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeBand:
    """A size band: its name, fee multiplier, aliases and (optionally) the revenue it stays below."""

    name: str
    multiplier: float
    aliases: tuple[str, ...] = ()
    revenue_below: float | None = None


@dataclass(frozen=True)
class FeeSchedule:
    """A validated fee schedule (see :class:`FeeFile` and ``socanalysis/data/fees.yaml``)."""

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

    @classmethod
    def _of(cls, entry: FeeFile) -> FeeSchedule:
        """The schedule a validated fee file declares."""
        bands = tuple(
            SizeBand(b.name, b.multiplier, tuple(b.aliases or ()), b.revenue_below) for b in entry.size_bands.bands
        )
        return cls(
            entry.currency,
            entry.reports.model_dump(by_alias=True),
            entry.add_ons.model_dump(by_alias=True),
            entry.size_bands.default_multiplier,
            bands,
        )


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

    >>> _revenue("$12M"), _revenue("under $10M"), _revenue("$10M-$50M"), _revenue(250)
    (12000000.0, 9999999.0, 10000000.0, None)
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


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------


def load_fees(source: str | os.PathLike | Mapping | FeeSchedule | None = None) -> FeeSchedule:
    """Load and validate a fee schedule.

    Parameters
    ----------
    source : path, dict, FeeSchedule or None
        None: the packaged default (``socanalysis/data/fees.yaml``). A YAML file path or a dict with
        any of the keys ``currency``, ``reports`` (fees for "SOC 1 Type 1", "SOC 1 Type 2",
        "SOC 2 Type 1", "SOC 2 Type 2"), ``add_ons`` ("Additional category", "SOC 3",
        "Bridge letter") and ``size_bands`` (``default_multiplier`` and a list of ``bands``, each
        with ``name``, ``multiplier``, optional ``aliases`` and ``revenue_below``), as declared by
        :class:`FeeFile`. What it leaves out keeps the default; a ``bands`` list replaces the default list.

    Raises
    ------
    FeeScheduleError
        Naming the file (or "fees" for a dict), each entry and field at fault, the value given and
        what is accepted; every problem at once.

    Examples
    --------
    >>> load_fees({"reports": {"SOC 2 Type 2": 55000}}).report_fee("SOC 2", "Type 2")
    55000.0
    >>> load_fees({"reports": {"SOC 5": 1}})
    Traceback (most recent call last):
    ...
    socanalysis.portfolio.fees.FeeScheduleError: fees: reports has no 'SOC 5'; accepted: 'SOC 1 Type 1', ...
    >>> load_fees({"reports": {"SOC 2 Type 2": -5}, "size_bands": {"bands": [{"name": "Big", "multiplier": 0}]}})
    Traceback (most recent call last):
    ...
    socanalysis.portfolio.fees.FeeScheduleError: fees: 2 problems
      reports['SOC 2 Type 2'] must be a non-negative number of dollars, got -5
      size_bands.bands[0].multiplier ('Big') must be a number above 0, got 0
    """
    if isinstance(source, FeeSchedule):
        return source
    where, override = _read_source(source)
    if not isinstance(override, Mapping):
        keys = ", ".join(FeeFile.model_fields)
        _fail(where, f"the schedule must be a mapping with keys {keys}; got {type(override).__name__}")
    merged = _merge(_default_fees(), override)
    try:
        return FeeSchedule._of(FeeFile.model_validate(merged))
    except ValidationError as exc:
        _fail(where, *dict.fromkeys(_problem(e, merged) for e in exc.errors()))


def _read_source(source: object) -> tuple[str, object]:
    """What a schedule is called in messages ("fees", or the file's path) and what it holds."""
    if source is None:
        return "fees", {}
    if isinstance(source, Mapping):
        return "fees", source
    if not isinstance(source, (str, os.PathLike)):
        raise FeeScheduleError(f"fees={source!r}: give a path to a YAML file, a dict, or None for the default")
    path = Path(source)
    if not path.is_file():
        _fail("fees", f"there is no file {str(path)!r}")
    try:
        return str(path), yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problem = str(exc)
    _fail("fees", f"{str(path)!r} is not valid YAML: {problem}")


def _fail(where: str, *problems: str) -> NoReturn:
    """Raise :class:`FeeScheduleError` with every problem, each on its own line when there are several."""
    if len(problems) == 1:
        raise FeeScheduleError(f"{where}: {problems[0]}")
    raise FeeScheduleError("\n  ".join([f"{where}: {len(problems)} problems", *problems]))


@cache
def _parsed_default() -> dict:
    return yaml.safe_load((resources.files("socanalysis") / "data" / "fees.yaml").read_text(encoding="utf-8"))


def _default_fees() -> dict:
    """The packaged schedule, read once (a copy each time: nobody can change the next caller's default)."""
    return copy.deepcopy(_parsed_default())


def _merge(base: object, override: object) -> object:
    """``override`` over ``base``: mappings merge key by key, anything else (a value, a list of bands) replaces."""
    if not (isinstance(base, Mapping) and isinstance(override, Mapping)):
        return copy.deepcopy(override)
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
    return merged


# --------------------------------------------------------------------------------------------
# messages: each names the entry and the field, the value given and what the schema accepts
# --------------------------------------------------------------------------------------------


def _problem(error: Mapping[str, Any], data: object) -> str:
    """One schema error as a sentence, e.g. "size_bands.bands[0].multiplier ('A') must be a number above 0, got 0"."""
    loc = tuple(error["loc"])
    if error["type"] in ("extra_forbidden", "invalid_key"):
        return _unknown_key(loc[:-1], loc[-1], data)
    if error["type"] == "duplicate_band":
        return f"{_where(loc, data)} {error['msg']}"
    depth, rule = _rule_at(loc)
    if error["type"] == "missing":
        return f"{_where(loc, data)} is missing: it must {rule}"
    return f"{_where(loc[:depth], data)} must {rule}, got {_value_at(data, loc[:depth])!r}"


def _unknown_key(parent: tuple, key: object, data: object) -> str:
    accepted = ", ".join(map(repr, _schema_at(parent).get("properties", {})))
    if not parent:
        return f"unknown key {key!r}; accepted: {accepted}"
    word = " key" if isinstance(parent[-1], int) else ""  # "bands[0] has no key", "reports has no 'SOC 5'"
    return f"{_where(parent, data)} has no{word} {key!r}; accepted: {accepted}"


def _where(loc: tuple, data: object) -> str:
    """``loc`` written as in the file ("reports['SOC 2 Type 2']"), with the name of the band it is in."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}" if text else str(part)
        else:
            text += f"[{part!r}]"
    band = next((i for i, part in enumerate(loc) if isinstance(part, int)), None)
    if band is not None and len(loc) > band + 1:
        name = _value_at(data, loc[: band + 1])
        name = name.get("name") if isinstance(name, Mapping) else None
        if isinstance(name, str) and name.strip():
            text += f" ({name!r})"
    return text


@cache
def _schema() -> dict:
    return FeeFile.model_json_schema(by_alias=True)


def _schema_at(loc: tuple) -> dict:
    """The JSON schema of the entry at ``loc``, its references resolved."""
    node = _resolve(_schema())
    for part in loc:
        node = _resolve(node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {}))
    return node


def _resolve(node: dict) -> dict:
    if "$ref" not in node:
        return node
    target = _schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _rule_at(loc: tuple) -> tuple[int, str]:
    """How far along ``loc`` the deepest entry with a rule is, and its rule ("be a number above 0")."""
    found = (0, "be as declared in socanalysis.portfolio.fees.FeeFile")
    for depth in range(1, len(loc) + 1):
        rule = _schema_at(loc[:depth]).get("must")
        if rule:
            found = (depth, rule)
    return found


def _value_at(data: object, loc: tuple) -> object:
    """The value given at ``loc`` (None where there is none)."""
    for part in loc:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, (list, tuple)) and isinstance(part, int) and -len(data) <= part < len(data):
            data = data[part]
        else:
            return None
    return data
