"""Invented organisations: the core columns that lead lists and portfolios share.

An organisation is drawn as an archetype and a country (weighted for a lead list or for a
portfolio); its name, website, industry, codes, head count and description are then drawn from the
phrase pools of both. Every draw is vectorised over all rows at once.

>>> rng = np.random.default_rng(1)
>>> orgs = organisations(4, rng, "lead_weight")
>>> len(orgs["name"]), len(orgs["description"])
(4, 4)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .archetypes import ARCHETYPES, COUNTRIES, LIST_FIELDS
from .arrays import STR, Pools, ascii_word, choose, edit, join, mask, pool, render, where
from .words import COLUMNS, DESCRIPTIONS, NAMES

__all__ = ["apply_missing", "duplicate", "formula_like", "organisations", "truth_columns", "website"]

_ARCH = {name: Pools([getattr(a, name) for a in ARCHETYPES]) for name in LIST_FIELDS}
_COUNTRY = {
    "spellings": Pools([c.spellings for c in COUNTRIES]),
    "tlds": Pools([c.tlds for c in COUNTRIES]),
    "legal": Pools([c.legal for c in COUNTRIES]),
    "cities": Pools([c.cities for c in COUNTRIES]),
    "regions": Pools([c.regions for c in COUNTRIES]),
}
_STEMS = tuple(s + e for s in NAMES.stems for e in NAMES.endings)
_STEMS_ASCII = tuple(ascii_word(s) for s in _STEMS)
_ACCENTED = tuple(s + e for s in NAMES.accented_stems for e in NAMES.accented_endings)
_ACCENTED_ASCII = tuple(ascii_word(s) for s in _ACCENTED)
_DOMAIN_WORDS_ASCII = Pools([tuple(ascii_word(w) for w in a.domain_words) for a in ARCHETYPES])
_NAICS_BOTH = pa.concat_arrays([_ARCH["naics"].values, _ARCH["naics_2017"].values])
_ADJECTIVES = Pools([DESCRIPTIONS.adjectives])


def _archetypes(n: int, rng: np.random.Generator, weight: str) -> np.ndarray:
    p = np.array([getattr(a, weight) for a in ARCHETYPES], float)
    return rng.choice(len(ARCHETYPES), n, p=p / p.sum())


def _countries(n: int, rng: np.random.Generator, weight: str) -> np.ndarray:
    p = np.array([getattr(c, weight) for c in COUNTRIES], float)
    return rng.choice(len(COUNTRIES), n, p=p / p.sum())


def _brand_names(n: int, rng: np.random.Generator) -> pa.Array:
    """Invented one-word brand names."""
    pools = (NAMES.brand_onsets, NAMES.brand_vowels, NAMES.brand_codas, NAMES.brand_endings)
    return join(*(pool(p).take(rng.integers(0, len(p), n)) for p in pools))


def _names(arch: np.ndarray, country: np.ndarray, rng: np.random.Generator) -> dict[str, pa.Array]:
    """Short name (for descriptions), full name (with legal form) and the domain built from them."""
    n = len(arch)
    accented = rng.random(n) < np.array([c.accented for c in COUNTRIES])[country]
    brand = rng.random(n) < 0.7
    compound_idx = np.where(accented, len(_STEMS) + rng.integers(0, len(_ACCENTED), n), rng.integers(0, len(_STEMS), n))
    stem = where(brand & ~accented, _brand_names(n, rng), pool(_STEMS + _ACCENTED).take(compound_idx))
    stem_ascii = where(brand & ~accented, pc.utf8_lower(stem), pool(_STEMS_ASCII + _ACCENTED_ASCII).take(compound_idx))
    word_idx = _ARCH["name_words"].index(arch, rng)
    with_word = rng.random(n) < 0.65
    word = mask(_ARCH["name_words"].values.take(word_idx), ~with_word)
    short = join(stem, word, sep=" ")
    full = join(short, _COUNTRY["legal"].draw(country, rng))
    domain_word = mask(_DOMAIN_WORDS_ASCII.draw(arch, rng), rng.random(n) < 0.5)
    domain = join(stem_ascii, domain_word, _COUNTRY["tlds"].draw(country, rng))
    return {"short": short, "full": full, "domain": domain}


def website(domain: pa.Array, style: np.ndarray) -> pa.Array:
    prefixes = pool([p for p, _ in NAMES.website_styles]).take(style)
    suffixes = pool([s for _, s in NAMES.website_styles]).take(style)
    return join(prefixes, domain, suffixes)


def _naics(arch: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """NAICS 2022 six-digit codes; some from NAICS 2017, some cut to a prefix, a few with an Excel '.0'."""
    n = len(arch)
    idx = _ARCH["naics"].index(arch, rng)  # naics and naics_2017 are aligned, so the same positions apply
    old = rng.random(n) < 0.1
    codes = _NAICS_BOTH.take(np.where(old, idx + len(_ARCH["naics"].values), idx))
    length = rng.choice([2, 3, 4, 5, 6], n, p=[0.02, 0.03, 0.04, 0.02, 0.89])
    for width in (2, 3, 4, 5):
        codes = edit(codes, length == width, lambda a, w=width: pc.utf8_slice_codeunits(a, 0, w))
    return edit(codes, rng.random(n) < 0.01, lambda a: join(a, pa.scalar(".0")))


def _sic(arch: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Four-digit SIC codes; agricultural codes sometimes lose their leading zero."""
    codes = _ARCH["sic"].draw(arch, rng)
    return edit(codes, rng.random(len(arch)) < 0.3, lambda a: pc.utf8_ltrim(a, characters="0"))


def _employee_counts(arch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    lo = np.log(np.array([a.employees[0] for a in ARCHETYPES], float))[arch]
    hi = np.log(np.array([a.employees[1] for a in ARCHETYPES], float))[arch]
    # skewed towards the small end, as real lists are
    return np.round(np.exp(lo + (hi - lo) * rng.random(len(arch)) ** 1.6)).astype(np.int64)


def _employees(counts: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Head counts as a number ("240") or as a vendor band ("201-500")."""
    bands = pool(COLUMNS.employee_bands).take(np.digitize(counts, COLUMNS.employee_band_edges))
    return where(rng.random(len(counts)) < 0.4, bands, pc.cast(pa.array(counts), STR))


def _description(
    arch: np.ndarray, names: Mapping[str, pa.Array], city: pa.Array, country: np.ndarray, rng: np.random.Generator
) -> pa.Array:
    """A main sentence, up to two features, sometimes a trap and a closing line, joined by a separator."""
    n = len(arch)
    year = pc.cast(pa.array(rng.integers(1948, 2024, n)), STR)
    adj, adj_upper = _ADJECTIVES.drawn(np.zeros(n, np.int64), rng)
    kind, kind_upper = _ARCH["kinds"].drawn(arch, rng)
    offers, offers_upper = _ARCH["offers"].drawn(arch, rng)
    slots = {
        "name": names["short"],
        "kind": kind,
        "Kind": kind_upper,
        "a_adj": adj,
        "A_adj": adj_upper,
        "does": _ARCH["does"].drawn(arch, rng)[0],
        "offers": offers,
        "Offers": offers_upper,
        "customers": _ARCH["customers"].drawn(arch, rng)[0],
        "year": year,
        "city": city,
        "city2": _COUNTRY["cities"].drawn(country, rng)[0],
        "domain": names["domain"],
    }
    main = render(DESCRIPTIONS.main, slots, rng.integers(0, len(DESCRIPTIONS.main), n))
    feature1 = mask(_ARCH["features"].draw(arch, rng), rng.random(n) >= 0.75)
    feature2 = _ARCH["features"].draw(arch, rng)
    repeated = pc.fill_null(pc.equal(feature1, feature2), False).to_numpy(zero_copy_only=False)
    feature2 = mask(feature2, (rng.random(n) >= 0.4) | repeated)
    trap_rate = np.array([a.trap_rate for a in ARCHETYPES])[arch]
    trap = mask(_ARCH["traps"].draw(arch, rng), rng.random(n) >= trap_rate)
    closing = render(DESCRIPTIONS.closing, slots, rng.integers(0, len(DESCRIPTIONS.closing), n))
    closing = mask(closing, rng.random(n) >= 0.3)
    sep = choose(DESCRIPTIONS.separators, n, rng)
    return join(main, feature1, trap, feature2, closing, sep=sep)


def formula_like(arr: pa.Array, rate: float, rng: np.random.Generator) -> pa.Array:
    """Prefix a few cells with '=', '+', '-' or '@', as exports from spreadsheets and CRMs have."""
    n = len(arr)
    rows = rng.random(n) < rate
    return edit(arr, rows, lambda a: join(choose(COLUMNS.formula_prefixes, len(a), rng), a))


def organisations(n: int, rng: np.random.Generator, weight: str) -> dict[str, object]:
    """Row-aligned arrays for n invented organisations (before duplicates and missing values)."""
    arch = _archetypes(n, rng, weight)
    country = _countries(n, rng, weight)
    names = _names(arch, country, rng)
    city_idx = _COUNTRY["cities"].index(country, rng)
    city = _COUNTRY["cities"].values.take(city_idx)
    counts = _employee_counts(arch, rng)
    return {
        "arch": arch,
        "country_idx": country,
        "short": names["short"],
        "name": names["full"],
        "domain": names["domain"],
        "website_style": rng.integers(0, len(NAMES.website_styles), n),
        "industry": _ARCH["industries"].draw(arch, rng),
        "naics": _naics(arch, rng),
        "sic": _sic(arch, rng),
        "country": _COUNTRY["spellings"].draw(country, rng),
        "city": city,
        "region": _COUNTRY["regions"].values.take(city_idx),
        "employee_count": counts,
        "employees": _employees(counts, rng),
        "description": _description(arch, names, city, country, rng),
    }


def duplicate(orgs: dict[str, object], rate: float, rng: np.random.Generator) -> dict[str, object]:
    """Make some rows repeat an earlier organisation, with the website spelled another way.

    The repeated rows are copies of rows that are themselves kept, so every copy has its original
    earlier in the table; ``out["duplicate_of"]`` holds the original's position (-1 for none).
    """
    n = len(orgs["arch"])
    k = min(int(round(n * rate)), max(n - 1, 0))
    source = np.arange(n)
    if k:
        is_target = np.zeros(n, bool)
        is_target[rng.choice(np.arange(1, n), size=k, replace=False)] = True
        targets, kept = np.flatnonzero(is_target), np.flatnonzero(~is_target)
        earlier = np.searchsorted(kept, targets)  # kept rows before each target (>= 1, row 0 is kept)
        source[targets] = kept[(rng.random(k) * earlier).astype(np.int64)]
    out = {}
    take = pa.array(source)
    for key, value in orgs.items():
        out[key] = value[source] if isinstance(value, np.ndarray) else value.take(take)
    is_dup = source != np.arange(n)
    shift = rng.integers(1, len(NAMES.website_styles), n)
    out["website_style"] = np.where(
        is_dup, (out["website_style"] + shift) % len(NAMES.website_styles), out["website_style"]
    )
    upper = is_dup & (rng.random(n) < 0.3)
    out["name"] = edit(out["name"], upper, pc.utf8_upper)
    out["duplicate_of"] = np.where(is_dup, source, -1)
    return out


def apply_missing(
    columns: dict[str, pa.Array], rates: Mapping[str, float], rng: np.random.Generator
) -> dict[str, pa.Array]:
    n = len(next(iter(columns.values())))
    return {c: mask(v, rng.random(n) < rates[c]) if c in rates else v for c, v in columns.items()}


def _expected(arch: np.ndarray, columns: Mapping[str, pa.Array], signal_columns: Sequence[str]) -> pa.Array:
    """The report each row needs; 'Undetermined' where every signal column is empty."""
    expected = pool([a.expected for a in ARCHETYPES]).take(arch)
    empty = np.ones(len(arch), bool)
    for c in signal_columns:
        empty &= columns[c].is_null().to_numpy(zero_copy_only=False)
    return where(empty, "Undetermined", expected)


def truth_columns(
    orgs: Mapping[str, object], columns: Mapping[str, pa.Array], signal_columns: Sequence[str]
) -> dict[str, pa.Array]:
    """``_archetype``, ``_expected`` and ``_duplicate_of`` (1-based row of the original, or missing)."""
    dup = orgs["duplicate_of"]
    return {
        "_archetype": pool([a.key for a in ARCHETYPES]).take(orgs["arch"]),
        "_expected": _expected(orgs["arch"], columns, signal_columns),
        "_duplicate_of": pa.array(dup + 1, pa.int64(), mask=dup < 0),
    }
