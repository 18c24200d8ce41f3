"""Industry labels and codes looked up, not word-matched.

Lead-tool and CRM exports carry LinkedIn's industry labels (Industries V2 and the older V1),
registries and data vendors NAICS and SIC codes, market data GICS names. Each list has a table
in ``rules/taxonomies/`` with one reviewed row per label or code: the report an organisation
whose only known fact is that label most likely needs (``SOC 1``, ``SOC 2``, ``Both``,
``Neither``), how sure the label makes it (``firm``, ``typical``, ``ambiguous``), the Trust
Services Categories and other reports it calls for, and a one-line reason the rationale quotes.

An industry or sector cell that is a known label (after normalising case, "&"/"and" and
punctuation) is decided by its entry; word matching applies only to text that is not a known
label. A code is decided by the entry of its longest prefix in the table. The entries become
rules (``label-<label>``, ``naics-<code>``, ``sic-<code>``) that a firm's rules file can
override by id like any other.

>>> industry_label("Financial services")
('Financial Services', 'Financial Services')
>>> industry_label("computer & network security")
('Computer and Network Security', 'Professional Services')
>>> industry_label("we make widgets") is None
True
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ..vocabulary import CATEGORIES

__all__ = ["TABLES", "IndustryEntry", "entries", "industry_label", "normalise_label", "rules", "table_files"]

TABLES = {
    "linkedin_v2": "LinkedIn Industries V2",
    "gics": "GICS",
    "linkedin_v1": "LinkedIn Industries V1",
    "naics": "NAICS",
    "sic": "SIC",
}
"""The tables, by file name, in order of precedence for a label found in several lists."""

REPORTS = ("SOC 1", "SOC 2", "Both", "Neither")
STRENGTHS = ("firm", "typical", "ambiguous")
ALSO = ("SOC 2+ HIPAA", "SOC for Supply Chain", "SOC for Cybersecurity")

# What an entry adds up to, by strength: a firm label decides with high confidence, a typical
# one with medium, an ambiguous one gives its likeliest report with low confidence (a score
# just over the 0.5 at which a report is recommended).
REPORT_WEIGHT = {"firm": 0.92, "typical": 0.75, "ambiguous": 0.6}
NEITHER_WEIGHT = {"firm": 0.8, "typical": 0.65, "ambiguous": 0.5}
CATEGORY_WEIGHT = 0.7
ALSO_WEIGHT = 0.8
SOC1_OBJECTIVES = ("transaction processing", "access to financial records")

_PUNCT = re.compile(r"[^0-9a-z]+")


def _words(text: str) -> str:
    return _PUNCT.sub(" ", str(text).lower().replace("&", " and ")).strip()


def normalise_label(text: str) -> str:
    """A label reduced for lookup: lower case, punctuation and spaces as one space, and "&" and
    "and" left out, so that a CRM's upper-case code of a label (``HOSPITAL_HEALTH_CARE``) finds it.

    >>> normalise_label("  Computer & Network-Security "), normalise_label("HOSPITAL_HEALTH_CARE")
    ('computer network security', 'hospital health care')
    """
    return " ".join(w for w in _words(text).split() if w != "and")


@dataclass(frozen=True)
class IndustryEntry:
    """One label or code of a list, and what it decides."""

    taxonomy: str  # a key of TABLES
    key: str  # the label, or the code
    label: str  # the canonical label (a code's title)
    sector: str
    report: str
    strength: str
    categories: tuple[str, ...]
    also: tuple[str, ...]
    reason: str

    def supports(self) -> dict[str, float]:
        """The weights of the rule this entry becomes."""
        out: dict[str, float] = {}
        if self.report in ("SOC 1", "Both"):
            out["SOC 1"] = REPORT_WEIGHT[self.strength]
        if self.report in ("SOC 2", "Both"):
            out["SOC 2"] = REPORT_WEIGHT[self.strength]
            out.update(dict.fromkeys(self.categories, CATEGORY_WEIGHT))
        if self.report == "Neither":
            out["Neither"] = NEITHER_WEIGHT[self.strength]
        out.update(dict.fromkeys(self.also, ALSO_WEIGHT))
        return out


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files(__package__) / "rules" / "taxonomies" / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _split(value: str, allowed, where: str) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(";") if v.strip())
    bad = [v for v in items if v not in allowed]
    if bad:
        raise ValueError(f"{where}: {bad[0]!r} is not one of {', '.join(allowed)}")
    return items


def _entry(taxonomy: str, row: dict[str, str]) -> IndustryEntry:
    code = taxonomy in ("naics", "sic")
    key = row["code"] if code else row["label"]
    where = f"rules/taxonomies/{taxonomy}.csv, {key!r}"
    if row["report"] not in REPORTS or row["strength"] not in STRENGTHS:
        raise ValueError(f"{where}: report {row['report']!r} or strength {row['strength']!r} is not known")
    if taxonomy == "naics":
        sector = ""  # set from the two-digit sector's title by entries()
    elif taxonomy == "sic":
        sector = row["division"]
    else:
        sector = row["sector"] or row["label"]
    return IndustryEntry(
        taxonomy=taxonomy,
        key=key,
        label=row["title"] if code else row["label"],
        sector=sector,
        report=row["report"],
        strength=row["strength"],
        categories=_split(row["categories"], CATEGORIES[1:], where),
        also=_split(row["also"], ALSO, where),
        reason=row["reason"].strip(),
    )


@lru_cache(maxsize=1)
def entries() -> dict[str, tuple[IndustryEntry, ...]]:
    """Every entry of every table, by table, in the tables' order."""
    out = {name: tuple(_entry(name, row) for row in _read(name)) for name in TABLES}
    sectors = {}  # NAICS: the two-digit sector's title ("31-33" covers 31, 32 and 33)
    for e in out["naics"]:
        for prefix in code_prefixes(e.key):
            if len(prefix) == 2:
                sectors[prefix] = e.label
    out["naics"] = tuple(replace(e, sector=sectors.get(e.key[:2], "")) for e in out["naics"])
    return out


def code_prefixes(code: str) -> list[str]:
    """The code prefixes a table's code stands for: itself, or each of a range ("31-33").

    >>> code_prefixes("31-33"), code_prefixes("541214")
    (['31', '32', '33'], ['541214'])
    """
    first, _, last = code.partition("-")
    if not last:
        return [code]
    return [str(c) for c in range(int(first), int(last) + 1)]


@lru_cache(maxsize=1)
def _labels() -> dict[str, IndustryEntry]:
    """Normalised label -> its entry; a label in several lists takes the first list's entry."""
    index: dict[str, IndustryEntry] = {}
    for name in ("linkedin_v2", "gics", "linkedin_v1"):
        for entry in entries()[name]:
            index.setdefault(normalise_label(entry.label), entry)
    return index


def label_entry(text: str) -> IndustryEntry | None:
    """The entry of an industry or sector cell that is a known label, else None."""
    return _labels().get(normalise_label(text))


def industry_label(text: str) -> tuple[str, str] | None:
    """The canonical label of an industry or sector cell and its sector, or None when the cell
    is not a label of LinkedIn Industries V2 or V1 or GICS (after normalising case, "&"/"and" and
    punctuation, so that ``FINANCIAL_SERVICES`` as a CRM writes it is a label too). Spellings of
    one label make one segment of a chart.

    >>> industry_label("IT Services and IT Consulting")
    ('IT Services and IT Consulting', 'Professional Services')
    >>> industry_label("Application Software")
    ('Application Software', 'Information Technology')
    """
    entry = label_entry(text)
    return None if entry is None else (entry.label, entry.sector)


def _slug(text: str) -> str:
    return _words(text).replace(" ", "-")


def rule_id(entry: IndustryEntry) -> str:
    """The id of the rule an entry becomes: ``label-<label>``, ``naics-<code>``, ``sic-<code>``.

    >>> rule_id(label_entry("Financial Services")), rule_id(entries()["naics"][0])
    ('label-financial-services', 'naics-11')
    """
    if entry.taxonomy in ("naics", "sic"):
        return f"{entry.taxonomy}-{entry.key}"
    return f"label-{_slug(entry.label)}"


def rules() -> list[dict]:
    """The tables as rules, in the form of a rules file's entries (labels first, then codes)."""
    out = []
    for entry in _labels().values():
        out.append(_rule(entry, labels=[entry.label]))
    for system in ("naics", "sic"):
        for entry in entries()[system]:
            out.append(_rule(entry, **{system: code_prefixes(entry.key)}))
    return out


@lru_cache(maxsize=1)
def neither_strengths() -> dict[str, str]:
    """Rule id -> strength, of the entries that say Neither: how sure such a label or code alone
    makes a Neither (the classifier gives it with medium confidence when ``typical``, low when
    ``ambiguous``).

    >>> neither_strengths()["label-administrative-and-support-services"]
    'ambiguous'
    """
    chosen = list(_labels().values()) + [e for system in ("naics", "sic") for e in entries()[system]]
    return {rule_id(e): e.strength for e in chosen if e.report == "Neither"}


def _rule(entry: IndustryEntry, **matches) -> dict:
    what = "industry" if "labels" in matches else f"{TABLES[entry.taxonomy]} code"
    rule = {
        "id": rule_id(entry),
        "reason": entry.reason,
        "supports": entry.supports(),
        "note": f"{what} {entry.label!r} in {TABLES[entry.taxonomy]}: {entry.report}, {entry.strength}",
        **matches,
    }
    if "labels" in matches:
        rule["fields"] = ["industry", "sector"]
    if entry.report in ("SOC 1", "Both"):
        rule["objectives"] = list(SOC1_OBJECTIVES)
    return rule


def table_files() -> list:
    """The table files, for the digest of the compiled rules kept on disk."""
    return [resources.files(__package__) / "rules" / "taxonomies" / f"{name}.csv" for name in TABLES]
