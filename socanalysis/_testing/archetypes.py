"""The kinds of organisation the generator invents, and their countries, read from the data files.

``data/archetypes.yaml`` describes each kind of organisation (the report it needs, how common it is,
its industry labels and codes, the phrases that describe it); ``data/countries.yaml`` the countries,
with the spellings, domains, legal forms and cities of each. Both are read once, when this module is
first imported, into :data:`ARCHETYPES` and :data:`COUNTRIES`.

>>> [a.key for a in ARCHETYPES][:3]
['fund_administrator', 'claims_tpa', 'loan_servicer']
>>> saas = next(a for a in ARCHETYPES if a.key == "saas_crm")
>>> saas.expected, saas.naics, saas.naics_2017
('SOC 2', ('513210', '541511', '518210'), ('511210', '541511', '518210'))
>>> COUNTRIES[0].key, COUNTRIES[0].cities[0], COUNTRIES[0].regions[0]
('US', 'Boston', 'Northeast')
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from ..vocabulary import NEEDS_A_REPORT
from .datafiles import DATA, Reader

__all__ = ["ARCHETYPES", "COUNTRIES", "LIST_FIELDS", "Archetype", "Country", "read_archetypes", "read_countries"]

OUTCOMES: tuple[str, ...] = (*NEEDS_A_REPORT, "Neither")
"""The reports an archetype may need."""


@dataclass(frozen=True)
class Archetype:
    """One kind of organisation, the report it needs, and the phrase pools that describe it.

    ``naics`` are NAICS 2022 codes; ``naics_2017`` holds, position by position, the code the
    same activity had in NAICS 2017 (equal where it did not change).
    """

    key: str
    expected: str  # "SOC 1", "SOC 2", "Both" or "Neither"
    lead_weight: float
    portfolio_weight: float
    industries: tuple[str, ...]
    naics: tuple[str, ...]
    naics_2017: tuple[str, ...]
    sic: tuple[str, ...]
    name_words: tuple[str, ...]
    domain_words: tuple[str, ...]
    kinds: tuple[str, ...]
    does: tuple[str, ...]  # third-person verb phrase followed by the customers
    offers: tuple[str, ...]  # lower-case noun phrase
    customers: tuple[str, ...]
    features: tuple[str, ...]  # whole sentences
    traps: tuple[str, ...] = ()  # sentences that mislead a naive keyword match
    trap_rate: float = 0.0
    employees: tuple[int, int] = (5, 2000)


@dataclass(frozen=True)
class Country:
    key: str
    spellings: tuple[str, ...]
    lead_weight: float
    portfolio_weight: float
    tlds: tuple[str, ...]
    legal: tuple[str, ...]  # legal-form suffixes, with their separator
    cities: tuple[str, ...]
    regions: tuple[str, ...]  # one per city
    accented: float = 0.0  # share of names built from accented stems


LIST_FIELDS: tuple[str, ...] = (
    "industries",
    "naics",
    "naics_2017",
    "sic",
    "name_words",
    "domain_words",
    "kinds",
    "does",
    "offers",
    "customers",
    "features",
    "traps",
)
"""The phrase pools and code lists of an :class:`Archetype`."""


# ------------------------------------------------------------------------------ archetypes.yaml
_FIELDS = ("family", "expected", "lead_weight", "portfolio_weight", *LIST_FIELDS, "trap_rate", "employees")
_OPTIONAL = {"family", "naics_2017", "traps", "trap_rate"}
_EMPTY_ITEMS = {"domain_words"}  # "" is a word here: no word in the domain
_PATTERNS = {"naics": r"\d{6}", "naics_2017": r"\d{6}", "sic": r"\d{4}"}


def read_archetypes(path: Path | Traversable = DATA / "archetypes.yaml") -> tuple[Archetype, ...]:
    """Read and check an archetypes file: families, then archetypes in order (see the file's header).

    Raises
    ------
    DataFileError
        Listing every problem found, each with its archetype (or family) and field.
    """
    with Reader.from_file(path) as r:
        families = {}
        for name, entry in r.mapping(r.doc.get("families", {}), "families").items():
            families[name] = _fields(r, entry, f"families.{name}")
            if "family" in families[name]:
                r.problem(f"families.{name}.family", "a family cannot belong to another family")
        out = []
        for key, entry in r.mapping(r.doc.get("archetypes"), "archetypes").items():
            where = f"archetypes.{key}"
            own = _fields(r, entry, where)
            family = own.pop("family", None)
            if family is not None and family not in families:
                r.problem(f"{where}.family", f"unknown family {family!r}; accepted: {', '.join(families)}")
            archetype = _archetype(r, r.text(key, where), _merge(own, families.get(family, {})), where)
            if archetype is not None:
                out.append(archetype)
        for key in set(r.doc) - {"families", "archetypes"}:
            r.problem(key, "unknown section; accepted: families, archetypes")
    return tuple(out)


def _fields(r: Reader, entry: object, where: str) -> dict:
    """The fields given for one archetype or family, each checked on its own."""
    given = r.mapping(entry, where, fields=_FIELDS)
    out = {}
    for name, value in given.items():
        at = f"{where}.{name}"
        if name in LIST_FIELDS:
            out[name] = r.texts(value, at, empty=name in _EMPTY_ITEMS, pattern=_PATTERNS.get(name))
        elif name in ("family", "expected"):
            out[name] = r.text(value, at)
        elif name == "trap_rate":
            out[name] = r.number(value, at, high=1.0)
        elif name == "employees":
            if not (isinstance(value, list) and len(value) == 2):
                r.problem(at, f"expected [fewest, most], got {value!r}")
                continue
            out[name] = (r.whole(value[0], f"{at}[0]"), r.whole(value[1], f"{at}[1]"))
        elif name in _FIELDS:
            out[name] = r.number(value, at)
    return out


def _merge(own: dict, family: dict) -> dict:
    """An archetype's fields over its family's: lists joined (its own first), single values its own if given."""
    merged = {**family, **own}
    for name in LIST_FIELDS:
        if name in own and name in family:
            merged[name] = own[name] + family[name]
    return merged


def _archetype(r: Reader, key: str, f: dict, where: str) -> Archetype | None:
    """The archetype, once its fields (its own and its family's) are checked together."""
    missing = [name for name in _FIELDS if name not in f and name not in _OPTIONAL]
    if missing:
        r.problem(where, f"missing field(s) {', '.join(missing)} (from the archetype or its family)")
    f.setdefault("naics_2017", f.get("naics", ()))
    if len(f["naics_2017"]) != len(f.get("naics", ())):
        r.problem(f"{where}.naics_2017", "must give one code for each of naics, position by position")
    if "expected" in f and f["expected"] not in OUTCOMES:
        r.problem(f"{where}.expected", f"{f['expected']!r} is not a report; accepted: {', '.join(OUTCOMES)}")
    if bool(f.get("traps")) != (f.get("trap_rate", 0.0) > 0):
        r.problem(where, "traps and a trap_rate above 0 go together: give both or neither")
    if "employees" in f and f["employees"][0] > f["employees"][1]:
        r.problem(f"{where}.employees", f"{list(f['employees'])}: the fewest come first")
    return None if missing else Archetype(key, **f)


# ------------------------------------------------------------------------------ countries.yaml
_COUNTRY_FIELDS = ("spellings", "lead_weight", "portfolio_weight", "tlds", "legal", "accented", "cities")


def read_countries(path: Path | Traversable = DATA / "countries.yaml") -> tuple[Country, ...]:
    """Read and check a countries file; the first country is the home market.

    Raises
    ------
    DataFileError
        Listing every problem found, each with its country and field.
    """
    out = []
    with Reader.from_file(path) as r:
        for key, entry in r.doc.items():
            where = str(key)
            given = r.mapping(entry, where, fields=_COUNTRY_FIELDS)
            missing = [name for name in _COUNTRY_FIELDS if name not in given and name != "accented"]
            if missing:
                r.problem(where, f"missing field(s) {', '.join(missing)}")
                continue
            cities = r.mapping(given["cities"], f"{where}.cities")
            if not cities:
                r.problem(f"{where}.cities", "expected at least one city: region line")
            out.append(
                Country(
                    r.text(key, f"{where} (the country's code)"),
                    r.texts(given["spellings"], f"{where}.spellings"),
                    r.number(given["lead_weight"], f"{where}.lead_weight"),
                    r.number(given["portfolio_weight"], f"{where}.portfolio_weight"),
                    r.texts(given["tlds"], f"{where}.tlds"),
                    r.texts(given["legal"], f"{where}.legal", empty=True),
                    tuple(r.text(c, f"{where}.cities[{c!r}]") for c in cities),
                    tuple(r.text(v, f"{where}.cities[{c!r}]") for c, v in cities.items()),
                    r.number(given.get("accented", 0.0), f"{where}.accented", high=1.0),
                )
            )
    return tuple(out)


ARCHETYPES: tuple[Archetype, ...] = read_archetypes()
COUNTRIES: tuple[Country, ...] = read_countries()
