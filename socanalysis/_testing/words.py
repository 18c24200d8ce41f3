"""The columns of the generated lists, and the word pools and values read from the data files.

``data/names.yaml`` builds the names and websites (:data:`NAMES`), ``data/descriptions.yaml`` the
sentences of a description (:data:`DESCRIPTIONS`), ``data/reports.yaml`` the reports a client holds
and the formats of its dates (:data:`REPORTS`), and ``data/columns.yaml`` the values of some columns
and how often each column is empty (:data:`COLUMNS`). Each is read once, when this module is first
imported; a malformed file raises a :class:`~socanalysis._testing.datafiles.DataFileError` naming
every entry at fault.

>>> DESCRIPTIONS.separators.count(" "), len(DESCRIPTIONS.separators)
(92, 100)
>>> COLUMNS.revenue_bands[0], COLUMNS.revenue_band_edges[0]
('< $10M', 40)
>>> REGIONS
('Northeast', 'Midwest', 'South', 'West', 'Canada', 'EMEA', 'APAC', 'LATAM')
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from .archetypes import COUNTRIES
from .datafiles import DATA, Reader

__all__ = [
    "COLUMNS",
    "DATE_SLOTS",
    "DESCRIPTIONS",
    "DESCRIPTION_SLOTS",
    "LEAD_COLUMNS",
    "NAMES",
    "PORTFOLIO_COLUMNS",
    "REGIONS",
    "REPORTS",
    "SIGNAL_COLUMNS",
    "Columns",
    "Descriptions",
    "Names",
    "Reports",
    "read_columns",
    "read_descriptions",
    "read_names",
    "read_reports",
]

LEAD_COLUMNS = ("Company Name", "Website", "Industry", "NAICS", "SIC", "Country", "City", "Employees", "Description")
PORTFOLIO_COLUMNS = (
    "Client",
    "Website",
    "Industry",
    "Services",
    "NAICS",
    "Country",
    "Region",
    "Engagement Partner",
    "Revenue Band",
    "Current Reports",
    "Report Period End",
    "Fiscal Year End",
)
SIGNAL_COLUMNS = ("Description", "Industry", "NAICS", "SIC")  # a lead with none of them needs an Undetermined report

DESCRIPTION_SLOTS = ("name", "kind", "Kind", "a_adj", "A_adj", "does", "offers", "Offers", "customers", "year", "city")
DESCRIPTION_SLOTS += ("city2", "domain")
DATE_SLOTS = ("Y", "yy", "m", "mm", "d", "dd", "Mon", "Month", "serial")

REGIONS: tuple[str, ...] = tuple(dict.fromkeys(region for c in COUNTRIES for region in c.regions))
"""Every region a portfolio may give, in the order the countries file first names them."""

Texts = tuple[str, ...]


# ------------------------------------------------------------------------------ names.yaml
@dataclass(frozen=True)
class Names:
    """How names and websites are built: compound and brand names, accented names, website spellings."""

    stems: Texts
    endings: Texts
    brand_onsets: Texts
    brand_vowels: Texts
    brand_codas: Texts
    brand_endings: Texts
    accented_stems: Texts
    accented_endings: Texts
    website_styles: tuple[tuple[str, str], ...]  # (before, after) the domain


def read_names(path: Path | Traversable = DATA / "names.yaml") -> Names:
    with Reader.from_file(path) as r:
        r.mapping(r.doc, "the file", fields=("compound", "brand", "accented", "website_styles"))
        compound = r.mapping(r.doc.get("compound"), "compound", fields=("stems", "endings"))
        brand = r.mapping(r.doc.get("brand"), "brand", fields=("onsets", "vowels", "codas", "endings"))
        accented = r.mapping(r.doc.get("accented"), "accented", fields=("stems", "endings"))
        styles = []
        for i, value in enumerate(r.doc.get("website_styles") or [None]):
            style = r.texts(value, f"website_styles[{i}]", empty=True)
            if len(style) != 2:
                r.problem(f"website_styles[{i}]", f"expected [before, after], got {value!r}")
            styles.append((*style, "", "")[:2])
        return Names(
            stems=r.texts(compound.get("stems"), "compound.stems"),
            endings=r.texts(compound.get("endings"), "compound.endings", empty=True),
            brand_onsets=r.texts(brand.get("onsets"), "brand.onsets"),
            brand_vowels=r.texts(brand.get("vowels"), "brand.vowels"),
            brand_codas=r.texts(brand.get("codas"), "brand.codas", empty=True),
            brand_endings=r.texts(brand.get("endings"), "brand.endings"),
            accented_stems=r.texts(accented.get("stems"), "accented.stems"),
            accented_endings=r.texts(accented.get("endings"), "accented.endings", empty=True),
            website_styles=tuple(styles),
        )


# ------------------------------------------------------------------------------ descriptions.yaml
@dataclass(frozen=True)
class Descriptions:
    """The sentences around an archetype's phrases, and what separates them."""

    main: Texts  # templates with DESCRIPTION_SLOTS
    closing: Texts
    adjectives: Texts  # with their article
    separators: Texts  # each as many times as the file says, drawn uniformly


def read_descriptions(path: Path | Traversable = DATA / "descriptions.yaml") -> Descriptions:
    with Reader.from_file(path) as r:
        r.mapping(r.doc, "the file", fields=("main_sentences", "closing_sentences", "adjectives", "separators"))
        return Descriptions(
            main=r.templates(r.doc.get("main_sentences"), "main_sentences", DESCRIPTION_SLOTS),
            closing=r.templates(r.doc.get("closing_sentences"), "closing_sentences", DESCRIPTION_SLOTS),
            adjectives=r.texts(r.doc.get("adjectives"), "adjectives"),
            separators=r.repeated(r.doc.get("separators"), "separators"),
        )


# ------------------------------------------------------------------------------ reports.yaml
@dataclass(frozen=True)
class Reports:
    """The reports a client holds, as spreadsheets spell them, and the formats of the dates about them."""

    soc1: Texts  # a SOC 1 Type 2
    soc1_type1: Texts
    soc2: Texts  # a SOC 2 Type 2
    soc2_type1: Texts
    separators: Texts
    separator_weights: tuple[float, ...]
    none: tuple[str | None, ...]  # the cell of a client without a report, each as many times as the file says
    period_end_formats: Texts  # templates with DATE_SLOTS
    period_end_weights: tuple[float, ...]
    period_end_day_first: str  # for some clients outside the home market
    fiscal_year_end_formats: Texts
    fiscal_year_end_weights: tuple[float, ...]
    fiscal_year_end_months: tuple[int, ...]
    fiscal_year_end_month_weights: tuple[float, ...]
    month_names: Texts


_HELD = ("soc1", "soc1_type1", "soc2", "soc2_type1", "separators", "none")
_DATES = ("period_end", "period_end_day_first", "fiscal_year_end", "fiscal_year_end_months", "month_names")


def read_reports(path: Path | Traversable = DATA / "reports.yaml") -> Reports:
    with Reader.from_file(path) as r:
        r.mapping(r.doc, "the file", fields=("held", "dates"))
        held = r.mapping(r.doc.get("held"), "held", fields=_HELD)
        dates = r.mapping(r.doc.get("dates"), "dates", fields=_DATES)

        def date_format(value, where):
            return r.templates([value], where, DATE_SLOTS)[0]

        def month(value, where):
            if value not in range(1, 13) or isinstance(value, bool):
                r.problem(where, f"{value!r} is not a month (1 to 12)")
            return value

        separators, separator_weights = r.weights(held.get("separators"), "held.separators")
        period_end, period_end_weights = r.weights(dates.get("period_end"), "dates.period_end", choice=date_format)
        fye, fye_weights = r.weights(dates.get("fiscal_year_end"), "dates.fiscal_year_end", choice=date_format)
        months, month_weights = r.weights(
            dates.get("fiscal_year_end_months"), "dates.fiscal_year_end_months", choice=month
        )
        month_names = r.texts(dates.get("month_names"), "dates.month_names")
        if len(month_names) != 12:
            r.problem("dates.month_names", f"expected the 12 months in order, got {len(month_names)} names")
        return Reports(
            soc1=r.texts(held.get("soc1"), "held.soc1"),
            soc1_type1=r.texts(held.get("soc1_type1"), "held.soc1_type1"),
            soc2=r.texts(held.get("soc2"), "held.soc2"),
            soc2_type1=r.texts(held.get("soc2_type1"), "held.soc2_type1"),
            separators=separators,
            separator_weights=separator_weights,
            none=r.repeated(held.get("none"), "held.none", choice=lambda v, at: v if v is None else r.text(v, at)),
            period_end_formats=period_end,
            period_end_weights=period_end_weights,
            period_end_day_first=date_format(dates.get("period_end_day_first"), "dates.period_end_day_first"),
            fiscal_year_end_formats=fye,
            fiscal_year_end_weights=fye_weights,
            fiscal_year_end_months=months,
            fiscal_year_end_month_weights=month_weights,
            month_names=month_names,
        )


# ------------------------------------------------------------------------------ columns.yaml
@dataclass(frozen=True)
class Columns:
    """How often each column is empty, and the values of a few columns."""

    lead_missing: dict[str, float]  # column: share of empty cells
    portfolio_missing: dict[str, float]
    employee_bands: Texts
    employee_band_edges: tuple[int, ...]  # the head count where each band after the first starts
    revenue_bands: Texts
    revenue_band_edges: tuple[int, ...]  # the head count where each band after the first usually starts
    partners: Texts
    formula_prefixes: Texts


def read_columns(path: Path | Traversable = DATA / "columns.yaml") -> Columns:
    fields = ("missing", "employee_bands", "revenue_bands", "partners", "formula_prefixes")
    with Reader.from_file(path) as r:
        r.mapping(r.doc, "the file", fields=fields)
        missing = r.mapping(r.doc.get("missing"), "missing", fields=("leads", "portfolio"))
        employee_bands, employee_band_edges = _bands(r, "employee_bands")
        revenue_bands, revenue_band_edges = _bands(r, "revenue_bands")
        return Columns(
            lead_missing=_missing(r, missing.get("leads"), "missing.leads", LEAD_COLUMNS),
            portfolio_missing=_missing(r, missing.get("portfolio"), "missing.portfolio", PORTFOLIO_COLUMNS),
            employee_bands=employee_bands,
            employee_band_edges=employee_band_edges,
            revenue_bands=revenue_bands,
            revenue_band_edges=revenue_band_edges,
            partners=r.texts(r.doc.get("partners"), "partners"),
            formula_prefixes=r.texts(r.doc.get("formula_prefixes"), "formula_prefixes"),
        )


def _bands(r: Reader, key: str) -> tuple[Texts, tuple[int, ...]]:
    """Band labels, and the edges between them: where each band after the first starts."""
    bands = r.mapping(r.doc.get(key), key)
    labels = tuple(r.text(label, f"{key}[{label!r}]") for label in bands)
    starts = tuple(r.whole(start, f"{key}[{label!r}]", low=0) for label, start in bands.items())
    if list(starts) != sorted(set(starts)):
        r.problem(key, f"each band must start above the one before, got {list(starts)}")
    return labels, starts[1:]


def _missing(r: Reader, rates: object, where: str, columns: Texts) -> dict[str, float]:
    rates = r.mapping(rates, where)
    for column in rates:
        if column not in columns:
            r.problem(f"{where}[{column!r}]", f"not a column; accepted: {', '.join(columns)}")
    return {column: r.number(rate, f"{where}[{column!r}]", high=1.0) for column, rate in rates.items()}


NAMES: Names = read_names()
DESCRIPTIONS: Descriptions = read_descriptions()
REPORTS: Reports = read_reports()
COLUMNS: Columns = read_columns()
