"""The canonical fields of a portfolio or lead list and the headers people use for them.

A spreadsheet calls the organisation's name "Client", "Account Name" or "Legal Entity"; the
rest of socanalysis only speaks of the canonical field ``name``. :func:`resolve` maps the
user's headers to fields, ignoring case, spaces and punctuation.

>>> resolve(["Account Name", "Business Description", "NAICS Code", "Notes"])
{'name': 'Account Name', 'description': 'Business Description', 'naics': 'NAICS Code'}
>>> resolve(["Legal Entity", "Client"], overrides={"name": "Legal Entity"})["name"]
'Legal Entity'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..errors import ColumnError
from ..vocabulary import ATTRS_KEY, QUESTION_FIELDS, SIGNAL_FIELDS


@dataclass(frozen=True)
class Field:
    """A canonical field: its name, what it holds, and header synonyms in order of preference."""

    name: str
    label: str
    synonyms: tuple[str, ...]
    signal: bool = False  # carries information the classifier can use
    question: bool = False  # a yes/no questionnaire column


def _f(name, label, synonyms, **kw) -> Field:
    return Field(name, label, tuple(synonyms), **kw)


FIELDS: tuple[Field, ...] = (
    _f(
        "name",
        "organisation name",
        [
            "name",
            "company",
            "company name",
            "client",
            "client name",
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "entity",
            "entity name",
            "legal entity",
            "legal name",
            "legal entity name",
            "account",
            "account name",
            "business",
            "business name",
            "vendor",
            "vendor name",
            "customer",
            "customer name",
            "prospect",
            "prospect name",
            "lead name",
            "firm",
            "firm name",
            "supplier",
            "supplier name",
            "org",
            "org name",
            "company legal name",
            "registered name",
        ],
    ),
    _f(
        "description",
        "description of the services",
        [
            "description",
            "company description",
            "business description",
            "service description",
            "services description",
            "services",
            "description of services",
            "about",
            "about us",
            "one liner",
            "oneliner",
            "one line description",
            "short description",
            "long description",
            "summary",
            "overview",
            "products",
            "products and services",
            "products services",
            "what they do",
            "tagline",
            "notes on services",
            "company overview",
            "business summary",
            "offering",
            "offerings",
        ],
        signal=True,
    ),
    _f(
        "industry",
        "industry",
        [
            "industry",
            "sub industry",
            "subindustry",
            "gics sub industry",
            "gics subindustry",
            "primary industry",
            "industry name",
            "industry group",
            "industries",
            "vertical",
            "verticals",
            "category",
            "categories",
            "sub category",
            "segment",
            "business segment",
            "gics",
            "gics industry",
            "naics description",
            "naics title",
            "sic description",
            "sic title",
            "linkedin industry",
            "crm industry",
        ],
        signal=True,
    ),
    _f("sector", "sector", ["sector", "gics sector", "industry sector", "sectors", "market sector"], signal=True),
    _f(
        "naics",
        "NAICS code",
        [
            "naics",
            "naics code",
            "naics codes",
            "naics 2022",
            "naics 2017",
            "primary naics",
            "primary naics code",
            "naics 6",
            "naics6",
        ],
        signal=True,
    ),
    _f(
        "sic",
        "SIC code",
        ["sic", "sic code", "sic codes", "us sic", "primary sic", "primary sic code", "sic 4"],
        signal=True,
    ),
    _f(
        "website",
        "website or domain",
        [
            "website",
            "web site",
            "domain",
            "company domain",
            "company website",
            "url",
            "website url",
            "homepage",
            "home page",
            "web",
            "web address",
            "site",
            "email domain",
        ],
    ),
    _f(
        "country",
        "country",
        [
            "country",
            "hq country",
            "headquarters country",
            "country code",
            "country name",
            "billing country",
            "location country",
            "nation",
            "country region",
            "jurisdiction",
        ],
    ),
    _f(
        "reports",
        "existing SOC reports",
        [
            "existing reports",
            "current reports",
            "reports held",
            "reports",
            "soc reports",
            "existing soc reports",
            "current soc reports",
            "certifications",
            "attestations",
            "current attestations",
            "compliance reports",
            "audit reports",
            "soc",
            "compliance",
            "certs",
            "existing certifications",
        ],
    ),
    _f(
        "period_end",
        "report period end",
        [
            "report period end",
            "period end",
            "period end date",
            "report period end date",
            "soc period end",
            "last period end",
            "last report period end",
            "coverage period end",
            "report end date",
            "period ending",
            "review period end",
            "audit period end",
        ],
    ),
    _f(
        "fiscal_year_end",
        "fiscal year end",
        [
            "fiscal year end",
            "fye",
            "fiscal year end date",
            "financial year end",
            "year end",
            "fy end",
            "customer fiscal year end",
            "client fiscal year end",
        ],
    ),
    _f(
        "partner",
        "engagement partner",
        [
            "engagement partner",
            "partner",
            "relationship partner",
            "audit partner",
            "client partner",
            "engagement lead",
            "account owner",
            "owner",
            "sales owner",
            "lead owner",
        ],
    ),
    _f("region", "region", ["region", "territory", "office", "geography", "geo", "market", "sales region"]),
    _f(
        "size_band",
        "size or revenue band",
        [
            "revenue band",
            "size band",
            "size",
            "company size",
            "revenue",
            "annual revenue",
            "revenue range",
            "employee band",
            "employees band",
            "employee range",
            "tier",
            "size tier",
        ],
    ),
    # yes/no questionnaire columns
    _f(
        "q_payroll",
        "processes payroll",
        [
            "processes payroll",
            "process payroll",
            "runs payroll",
            "payroll processing",
            "payroll",
            "handles payroll",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_transactions",
        "processes transactions or payments for customers",
        [
            "processes transactions",
            "processes payments",
            "process payments",
            "handles payments",
            "payment processing",
            "transaction processing",
            "moves money",
            "handles customer funds",
            "processes customer transactions",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_financial_reporting",
        "affects customers' financial reporting",
        [
            "affects financial reporting",
            "impacts financial reporting",
            "impacts financial statements",
            "affects financial statements",
            "financial reporting impact",
            "icfr",
            "icfr relevant",
            "affects customers financial statements",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_customer_data",
        "stores or processes customer data",
        [
            "stores customer data",
            "holds customer data",
            "processes customer data",
            "hosts customer data",
            "customer data",
            "handles customer data",
            "stores data",
            "sensitive data",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_personal_data",
        "handles personal information",
        [
            "personal data",
            "handles personal data",
            "stores personal data",
            "personal information",
            "pii",
            "handles pii",
            "stores pii",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_health_data",
        "handles health information (PHI)",
        [
            "health data",
            "phi",
            "handles phi",
            "stores phi",
            "patient data",
            "hipaa",
            "handles health data",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_uptime",
        "promises uptime / an SLA",
        [
            "uptime sla",
            "sla",
            "promises uptime",
            "uptime commitment",
            "availability sla",
            "uptime",
            "availability commitment",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_consumer",
        "consumer-facing",
        [
            "consumer facing",
            "b2c",
            "serves consumers",
            "consumer brand",
        ],
        signal=True,
        question=True,
    ),
    _f(
        "q_confidential",
        "holds customers' confidential information",
        [
            "confidential data",
            "confidential information",
            "holds confidential data",
            "stores confidential data",
        ],
        signal=True,
        question=True,
    ),
)

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
# the flags agree with the shared words (tests/test_loading.py checks it)
assert tuple(f.name for f in FIELDS if f.signal) == SIGNAL_FIELDS
assert tuple(f.name for f in FIELDS if f.question) == QUESTION_FIELDS

_NORM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """Lower-case a header and drop spaces and punctuation.

    >>> normalise_header("  Client-Name (Legal) ")
    'clientnamelegal'
    """
    return _NORM.sub("", str(header).lower())


_SYNONYMS: dict[str, list[tuple[int, str]]] = {}
for _field in FIELDS:
    for _rank, _syn in enumerate(_field.synonyms):
        _SYNONYMS.setdefault(normalise_header(_syn), []).append((_rank, _field.name))


def resolve(columns: Iterable[object], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map canonical field names to the user's column names.

    Exact matches (after normalising case, spaces and punctuation) win over partial ones; among
    several candidates the more usual synonym wins, then the leftmost column. Each column serves
    at most one field. ``overrides`` (``{"name": "Legal Entity"}``) are applied first.

    Raises
    ------
    ColumnError
        If an override names an unknown field or a column that is not in the table.
    """
    columns = [str(c) for c in columns]
    mapping: dict[str, str] = {}
    for field, column in (overrides or {}).items():
        if field not in FIELD_BY_NAME:
            raise ColumnError(
                f"columns={{{field!r}: {column!r}}}: {field!r} is not a field socanalysis knows; "
                f"accepted fields: {', '.join(FIELD_BY_NAME)}"
            )
        if column is None:
            mapping[field] = None  # explicitly unmapped
            continue
        if str(column) not in columns:
            raise ColumnError(
                f"columns={{{field!r}: {column!r}}}: there is no column {column!r}; "
                f"the columns are: {', '.join(map(repr, columns))}"
            )
        mapping[field] = str(column)
    taken = {c for c in mapping.values() if c is not None}
    candidates = []
    for position, column in enumerate(columns):
        key = normalise_header(column)
        for rank, field in _SYNONYMS.get(key, []):
            candidates.append((0, rank, position, field, column))
        if key in _SYNONYMS or len(key) < 3:
            continue
        # partial: "Primary Industry (LinkedIn)" -> industry; only synonyms of 5+ characters
        for syn, hits in _SYNONYMS.items():
            if len(syn) >= 5 and syn in key:
                for rank, field in hits:
                    candidates.append((1, rank + len(key) - len(syn), position, field, column))
    for _exact, _rank, _position, field, column in sorted(candidates):
        if field in mapping or column in taken:
            continue
        mapping[field] = column
        taken.add(column)
    return {f.name: mapping[f.name] for f in FIELDS if mapping.get(f.name) is not None}


def fields_of(df, *, headers: bool = True) -> dict[str, str]:
    """The field -> column mapping of a frame: the one it carries (set by the loader or the
    classifier in ``df.attrs``), else (with ``headers``) the one its headers resolve to; only
    columns it has.

    >>> import pandas as pd
    >>> fields_of(pd.DataFrame(columns=["Vendor", "NAICS Code"]))
    {'name': 'Vendor', 'naics': 'NAICS Code'}
    """
    carried = df.attrs.get(ATTRS_KEY, {}).get("fields")
    if carried or (carried is not None and not headers):
        return {f: c for f, c in carried.items() if c is not None and c in df.columns}
    return resolve(df.columns) if headers else {}


def mapping_table(mapping: Mapping[str, str]) -> list[dict[str, str]]:
    """Rows of (field, meaning, column) for showing the user which column serves which field.

    >>> mapping_table({"name": "Client"})
    [{'field': 'name', 'meaning': 'organisation name', 'column': 'Client'}]
    """
    return [{"field": f.name, "meaning": f.label, "column": mapping[f.name]} for f in FIELDS if f.name in mapping]
