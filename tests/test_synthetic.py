"""The fictional data generators: deterministic, realistic in the ways that matter, vectorised."""

from __future__ import annotations

import fnmatch
import io
import re
import textwrap
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from socanalysis._testing import synthetic
from socanalysis._testing.archetypes import read_archetypes, read_countries
from socanalysis._testing.datafiles import DataFileError
from socanalysis._testing.synthetic import (
    ARCHETYPES,
    LEAD_COLUMNS,
    LEAD_MISSING,
    PARTNERS,
    PORTFOLIO_COLUMNS,
    REGIONS,
    REVENUE_BANDS,
    make_leads,
    make_portfolio,
    write_csv_bulk,
)
from socanalysis._testing.words import read_columns, read_descriptions, read_names, read_reports

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DATA = REPO / "socanalysis" / "data"
OUTCOMES = {"SOC 1", "SOC 2", "Both", "Neither"}


@pytest.fixture(scope="module")
def leads() -> pd.DataFrame:
    return make_leads(20_000, seed=11, truth=True)


@pytest.fixture(scope="module")
def portfolio() -> pd.DataFrame:
    return make_portfolio(3_000, seed=11, truth=True)


def _read_back(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


# --------------------------------------------------------------------------------------------
# The archetype tables themselves
# --------------------------------------------------------------------------------------------


def test_archetype_keys_are_unique_and_outcomes_known():
    keys = [a.key for a in ARCHETYPES]
    assert len(keys) == len(set(keys))
    assert {a.expected for a in ARCHETYPES} == OUTCOMES


@pytest.mark.parametrize("archetype", ARCHETYPES, ids=lambda a: a.key)
def test_archetype_codes_are_well_formed(archetype):
    assert len(archetype.naics) == len(archetype.naics_2017) > 0
    assert all(re.fullmatch(r"\d{6}", c) for c in archetype.naics + archetype.naics_2017)
    assert all(re.fullmatch(r"\d{4}", c) for c in archetype.sic)
    for pool in ("industries", "name_words", "kinds", "does", "offers", "customers", "features"):
        assert getattr(archetype, pool), f"{archetype.key}.{pool} is empty"
    assert 0 <= archetype.trap_rate <= 1
    assert bool(archetype.traps) == (archetype.trap_rate > 0)


# --------------------------------------------------------------------------------------------
# Determinism and shape
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [make_leads, make_portfolio])
def test_same_seed_same_frame_other_seed_other_frame(make):
    first = make(500, seed=7, truth=True)
    pd.testing.assert_frame_equal(first, make(500, seed=7, truth=True))
    assert not first.equals(make(500, seed=8, truth=True))


@pytest.mark.parametrize("n", [0, 1, 2, 37, 1000])
def test_leads_size_and_columns(n):
    df = make_leads(n, seed=1)
    assert df.shape == (n, len(LEAD_COLUMNS))
    assert tuple(df.columns) == LEAD_COLUMNS
    assert all(pd.api.types.is_string_dtype(t) for t in df.dtypes)
    truth = make_leads(n, seed=1, truth=True)
    assert list(truth.columns) == [*LEAD_COLUMNS, "_archetype", "_expected", "_duplicate_of"]
    pd.testing.assert_frame_equal(truth[list(LEAD_COLUMNS)], df)


@pytest.mark.parametrize("n", [0, 1, 2, 37, 1000])
def test_portfolio_size_and_columns(n):
    df = make_portfolio(n, seed=1)
    assert df.shape == (n, len(PORTFOLIO_COLUMNS))
    assert tuple(df.columns) == PORTFOLIO_COLUMNS
    truth = make_portfolio(n, seed=1, truth=True)
    assert list(truth.columns)[len(PORTFOLIO_COLUMNS) :] == [
        "_archetype",
        "_expected",
        "_duplicate_of",
        "_status",
        "_period_end",
    ]


@pytest.mark.parametrize("make", [make_leads, make_portfolio])
def test_negative_size_is_refused(make):
    with pytest.raises(ValueError, match=r"n=-1.*accepted: a number of rows >= 0"):
        make(-1)


# --------------------------------------------------------------------------------------------
# Leads: realism and traps
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", LEAD_COLUMNS)
def test_lead_missing_rates_are_near_their_targets(leads, column):
    rate = leads[column].isna().mean()
    target = LEAD_MISSING[column]
    assert 0.5 * target < rate < 1.6 * target + 0.002, (column, rate)


def test_every_outcome_is_well_represented(leads):
    shares = leads["_expected"].value_counts(normalize=True)
    assert set(shares.index) <= OUTCOMES | {"Undetermined"}
    for outcome in OUTCOMES:
        assert shares[outcome] > 0.08, (outcome, shares[outcome])
    assert 0.3 < shares["Neither"] < 0.6


def test_undetermined_exactly_when_no_signal_column_has_a_value(leads):
    no_signal = leads[list(synthetic.SIGNAL_COLUMNS)].isna().all(axis=1)
    assert no_signal.any()
    assert ((leads["_expected"] == "Undetermined") == no_signal).all()


def test_all_archetypes_appear(leads):
    assert set(leads["_archetype"]) == {a.key for a in ARCHETYPES}


def _share(mask: pd.Series) -> float:
    return float(mask.mean())


def test_traps_are_present_at_realistic_rates(leads):
    text = leads["Description"].fillna("")
    arch = leads["_archetype"]
    neither = leads["_expected"] == "Neither"
    shops = arch.str.startswith("shop_")
    # a retailer that takes payments at checkout is still Neither
    assert 0.1 < _share(text[shops].str.contains("payments at checkout", regex=False)) < 0.3
    # negations, inside rows of every kind
    negation = text.str.contains(r"\b(?:not a bank|[Nn]ot a payroll|do not process)", regex=True)
    assert negation[leads["_expected"] == "SOC 2"].sum() > 20
    assert negation[neither].sum() > 20
    assert negation[leads["_expected"] == "Both"].sum() > 20
    # "data-driven" marketing agencies and "platform" in Neither rows
    agencies = arch == "marketing_agency"
    assert _share(text[agencies].str.contains("data-driven", case=False)) > 0.1
    assert 0.02 < _share(text[neither].str.contains("platform", case=False)) < 0.3
    # the words alone never make a row SOC 1
    assert not (text.str.contains("payments at checkout", regex=False) & ~neither).any()


def test_industry_vocabularies_are_mixed(leads):
    industries = set(leads["Industry"].dropna())
    for label in (
        "Computer Software",
        "Information Technology & Services",
        "Financial Services",
        "Application Software",
        "Transaction & Payment Processing Services",
        "Restaurants",
    ):
        assert label in industries


def test_naics_codes_follow_the_archetype(leads):
    codes = leads["NAICS"].dropna()
    six = codes[codes.str.fullmatch(r"\d{6}")]
    assert 0.8 < len(six) / len(codes) < 0.95
    assert codes.str.fullmatch(r"\d{2,5}").sum() > 50  # shortened prefixes
    assert codes.str.fullmatch(r"\d{6}\.0").sum() > 10  # Excel's floats
    allowed = {a.key: set(a.naics) | set(a.naics_2017) for a in ARCHETYPES}
    ok = [code in allowed[a] for code, a in zip(six, leads.loc[six.index, "_archetype"], strict=True)]
    assert all(ok)
    # NAICS 2017 codes appear where 2022 changed them: software publishers, retailers
    assert (six == "511210").sum() > 20 and (six == "513210").sum() > 200
    assert (six == "448140").sum() > 0 and (six == "458110").sum() > 0


def test_sic_codes_are_four_digits_or_lost_their_leading_zero(leads):
    sic = leads["SIC"].dropna()
    assert sic.str.fullmatch(r"\d{3,4}").all()
    short = sic[sic.str.len() == 3]
    assert len(short) > 0
    assert leads.loc[short.index, "_archetype"].str.startswith("farm_").all()


def test_formula_like_cells_are_present(leads):
    starts = r"^[=+\-@]"
    assert leads["Description"].str.contains(starts, na=False).sum() > 20
    assert leads["Company Name"].str.contains(starts, na=False).sum() > 3


def test_newlines_quotes_commas_and_accents_are_present(leads):
    text = leads["Description"].dropna()
    assert text.str.contains("\n", regex=False).mean() > 0.03
    assert text.str.contains("\r\n", regex=False).sum() > 10
    assert text.str.contains('"', regex=False).sum() > 50
    assert text.str.contains(",", regex=False).mean() > 0.5
    names = leads["Company Name"].dropna()
    assert names.str.contains(r"[^\x00-\x7f]").sum() > 50
    assert leads["Country"].dropna().isin(["United States", "US", "USA", "United States of America"]).mean() < 0.9


def _domain(website: pd.Series) -> pd.Series:
    return website.str.lower().str.replace(r"^(https?://)?(www\.)?", "", regex=True).str.rstrip("/")


def test_duplicates_repeat_an_earlier_row_with_the_website_spelled_differently(leads):
    dup = leads["_duplicate_of"]
    rows = dup.dropna().astype(int) - 1
    assert 0.005 < len(rows) / len(leads) < 0.015
    assert (rows.to_numpy() < rows.index.to_numpy()).all()
    original = leads.loc[rows.to_numpy()].set_index(rows.index)
    assert (leads.loc[rows.index, "_archetype"] == original["_archetype"]).all()
    assert original["_duplicate_of"].isna().all()  # the original is kept, not itself a copy
    both = leads.loc[rows.index, "Website"].notna() & original["Website"].notna()
    mine, theirs = leads.loc[both[both].index, "Website"], original.loc[both[both].index, "Website"]
    assert (mine != theirs).all()
    assert (_domain(mine) == _domain(theirs)).all()


def test_large_lists_are_generated_vectorised_and_varied():
    df = make_leads(200_000, seed=3)
    assert len(df) == 200_000
    assert df["Description"].nunique() > 0.6 * df["Description"].notna().sum()
    assert df["Company Name"].nunique() > 0.5 * len(df)


# --------------------------------------------------------------------------------------------
# Portfolio
# --------------------------------------------------------------------------------------------


def test_portfolio_statuses_are_spread_around_the_reference_date(portfolio):
    status = portfolio["_status"]
    shares = status.value_counts(normalize=True)
    assert set(shares.index) == {"never", "current", "due", "stale"}
    assert all(shares > 0.08)
    end = pd.to_datetime(portfolio["_period_end"])
    age_days = (pd.Timestamp(synthetic.REFERENCE_DATE) - end).dt.days
    assert (age_days[status == "current"] < 300).all()
    assert age_days[status == "due"].between(270, 366).all()
    assert (age_days[status == "stale"] > 365).all()
    assert end[status == "never"].isna().all()
    assert portfolio.loc[status == "never", "Report Period End"].isna().all()


def test_portfolio_reports_in_mixed_spellings_and_separators(portfolio):
    cells = portfolio["Current Reports"].dropna()
    seen = set(cells)
    for spelling in (
        "SOC 2 Type II",
        "SOC2 Type 2",
        "SOC II",
        "SOC1",
        "SSAE 18",
        "ISAE 3402",
        "ISAE 3000",
        "SOC 2 Type I",
        "SOC 2+ HIPAA",
        "SOC 2 Type II (Security, Availability)",
        "None",
        "N/A",
    ):
        assert any(spelling in cell for cell in seen), spelling
    for separator in ("; ", ", ", " / ", " and "):
        assert cells.str.contains(separator, regex=False).any(), separator
    assert cells.str.contains("SOC 3", regex=False).any() and cells.str.contains("SSAE 16").any()
    never = portfolio["_status"] == "never"
    assert portfolio.loc[never, "Current Reports"].isna().mean() > 0.3  # empty, or None / N/A / TBD


@pytest.mark.parametrize(
    "column, pattern",
    [
        ("Report Period End", r"\d{4}-\d{2}-\d{2}"),
        ("Report Period End", r"\d{2}/\d{2}/\d{4}"),
        ("Report Period End", r"\d{1,2} [A-Z][a-z]{2} \d{4}"),
        ("Report Period End", r"[A-Z][a-z]+ \d{1,2}, \d{4}"),
        ("Report Period End", r"4\d{4}"),  # an Excel serial number
        ("Report Period End", r"\d{4}-\d{2}-\d{2} 00:00:00"),
        ("Fiscal Year End", r"[A-Z][a-z]{2}-\d{2}"),
        ("Fiscal Year End", r"\d{1,2}/\d{1,2}"),
        ("Fiscal Year End", r"[A-Z][a-z]+ \d{1,2}"),
    ],
)
def test_dates_come_in_mixed_spreadsheet_formats(portfolio, column, pattern):
    assert portfolio[column].dropna().str.fullmatch(pattern).sum() > 5


def test_portfolio_categorical_columns(portfolio):
    assert set(portfolio["Revenue Band"].dropna()) == set(REVENUE_BANDS)
    assert set(portfolio["Region"].dropna()) <= set(REGIONS)
    assert {"Northeast", "Midwest", "South", "West", "EMEA", "APAC"} <= set(portfolio["Region"].dropna())
    partners = set(portfolio["Engagement Partner"].dropna())
    assert partners == set(PARTNERS) and 6 <= len(partners) <= 8


def test_portfolio_dates_and_reports_are_readable_by_the_parsers(portfolio):
    from socanalysis.load import parse_dates, parse_month_day, parse_reports

    dates, problems = parse_dates(portfolio["Report Period End"])
    assert problems.empty
    truth = pd.to_datetime(portfolio["_period_end"])
    both = dates.notna() & truth.notna()
    assert both.sum() > 0.6 * len(portfolio)
    assert (dates[both] == truth[both]).all()
    assert parse_month_day(portfolio["Fiscal Year End"])[1].empty
    held = parse_reports(portfolio["Current Reports"])
    assert ((held["holds_soc1"] | held["holds_soc2"]) == (portfolio["_status"] != "never")).all()


# --------------------------------------------------------------------------------------------
# CSV round trips and the bundled samples
# --------------------------------------------------------------------------------------------


def test_write_csv_bulk_round_trips_newlines_quotes_and_formulas(tmp_path):
    df = make_leads(3000, seed=5)
    assert df["Description"].str.contains("\n", regex=False, na=False).any()
    path = write_csv_bulk(df, tmp_path / "leads.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(back, df)


def test_pandas_csv_round_trips_too():
    df = make_portfolio(300, seed=5)
    back = _read_back(df.to_csv(index=False, lineterminator="\n"))
    pd.testing.assert_frame_equal(back, df)


@pytest.mark.parametrize("name", ["sample_portfolio.csv", "sample_leads.csv"])
def test_bundled_samples_are_what_the_generator_makes(name):
    bundled = pd.read_csv(PACKAGE_DATA / name, dtype=str, keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(bundled, synthetic.sample_frames()[name])


def test_main_regenerates_identical_files(tmp_path):
    assert synthetic.main(["--out", str(tmp_path)]) == 0
    for name in ("sample_portfolio.csv", "sample_leads.csv"):
        assert (tmp_path / name).read_bytes() == (PACKAGE_DATA / name).read_bytes(), name


@pytest.mark.parametrize("name", ["sample_portfolio.csv", "sample_leads.csv"])
def test_top_level_data_folder_shows_the_package_copies(name):
    top = REPO / "data" / name
    assert top.read_bytes() == (PACKAGE_DATA / name).read_bytes()


def test_sample_sizes():
    frames = synthetic.sample_frames()
    assert len(frames["sample_portfolio.csv"]) == 200
    assert len(frames["sample_leads.csv"]) == 2000
    assert not any(c.startswith("_") for f in frames.values() for c in f.columns)


def test_generator_never_touches_the_global_random_state():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    make_leads(100, seed=1)
    assert np.random.random() == before


# --------------------------------------------------------------------------------------------
# The data files behind the generator
# --------------------------------------------------------------------------------------------

TESTING_DATA = REPO / "socanalysis" / "_testing" / "data"


def test_a_family_lends_its_lists_after_the_archetype_own_and_its_single_values():
    crm = next(a for a in ARCHETYPES if a.key == "saas_crm")
    family = yaml.safe_load((TESTING_DATA / "archetypes.yaml").read_text(encoding="utf-8"))["families"]["saas"]
    own = yaml.safe_load((TESTING_DATA / "archetypes.yaml").read_text(encoding="utf-8"))["archetypes"]["saas_crm"]
    assert crm.features == (*own["features"], *family["features"])
    assert crm.industries == tuple(family["industries"]) and crm.expected == family["expected"] == "SOC 2"
    maker = next(a for a in ARCHETYPES if a.key == "maker_auto")
    assert maker.naics_2017 == maker.naics  # left out of the file: the codes did not change


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_bad_archetype_file_names_every_entry_and_field_at_fault(tmp_path):
    path = _write(
        tmp_path,
        "archetypes.yaml",
        """\
        families:
          shop: {expected: Neither, lead_weight: 1, portfolio_weight: 1, employees: [1, 10], domain_words: [""]}
        archetypes:
          good_shop:
            family: shop
            industries: [Retail]
            naics: ["459110"]
            sic: ["5941"]
            name_words: [Sports]
            kinds: [sporting goods store]
            does: [sells gear to]
            offers: [gear]
            customers: [athletes]
            features: [Open daily.]
          bad:
            family: shopp
            expected: SOC 3
            industries: [Retail]
            naics: [459110, "45911"]
            naics_2017: ["459110"]
            sic: ["5941"]
            name_words: [Sports]
            kinds: [sporting goods store]
            does: [sells gear to]
            offerings: [gear]
            customers: [athletes]
            features: [Open daily.]
            traps: [We are not a bank.]
        """,
    )
    with pytest.raises(DataFileError) as caught:
        read_archetypes(path)
    message = str(caught.value)
    assert message.startswith("archetypes.yaml: ")
    for expected in (
        "archetypes.bad.family: unknown family 'shopp'; accepted: shop",
        "archetypes.bad.expected: 'SOC 3' is not a report; accepted: SOC 1, SOC 2, Both, Neither",
        "archetypes.bad.naics[0]: 459110 is a number, not text: write it in quotes",
        "archetypes.bad.naics[1]: '45911' does not look like",
        "archetypes.bad.naics_2017: must give one code for each of naics",
        "archetypes.bad: unknown field 'offerings'",
        "archetypes.bad: missing field(s) lead_weight, portfolio_weight, domain_words, offers, employees",
    ):
        assert expected in message, (expected, message)
    assert "good_shop" not in message


def test_traps_need_a_trap_rate_and_employees_come_fewest_first(tmp_path):
    path = _write(
        tmp_path,
        "archetypes.yaml",
        """\
        archetypes:
          odd:
            expected: SOC 2
            lead_weight: 1
            portfolio_weight: -1
            industries: [Software]
            naics: ["513210"]
            sic: ["7372"]
            name_words: [Labs]
            domain_words: [""]
            kinds: [software company]
            does: [builds apps for]
            offers: [apps]
            customers: [teams]
            features: [Fast.]
            traps: [Not a bank.]
            employees: [500, 5]
        """,
    )
    with pytest.raises(DataFileError, match=r"3 problems") as caught:
        read_archetypes(path)
    message = str(caught.value)
    assert "archetypes.odd.portfolio_weight: -1 is out of range: at least 0.0" in message
    assert "archetypes.odd: traps and a trap_rate above 0 go together" in message
    assert "archetypes.odd.employees: [500, 5]: the fewest come first" in message


def test_a_key_written_twice_is_refused_not_silently_replaced(tmp_path):
    path = _write(tmp_path, "countries.yaml", "US:\n  lead_weight: 1\nUS:\n  lead_weight: 2\n")
    with pytest.raises(DataFileError, match=r"countries.yaml: not valid YAML at line 3.*'US' is written twice"):
        read_countries(path)


def test_a_bad_countries_file_is_reported_by_country_and_field(tmp_path):
    path = _write(
        tmp_path,
        "countries.yaml",
        """\
        US:
          spellings: [United States]
          lead_weight: 1
          portfolio_weight: 1
          tlds: [.com]
          legal: [" Inc.", ""]
          cities: {Boston: Northeast}
        NO:
          spellings: [Norway]
          lead_weight: 1
          portfolio_weight: 1
          tlds: [.no]
          legal: [" AS"]
          accented: 2
          cities: {Oslo: EMEA}
        """,
    )
    with pytest.raises(DataFileError) as caught:
        read_countries(path)
    assert "False (the country's code): False is not text; write it in quotes" in str(caught.value)
    assert "False.accented: 2 is out of range: at least 0.0 and at most 1.0" in str(caught.value)


def test_templates_may_only_use_known_slots(tmp_path):
    path = _write(
        tmp_path,
        "descriptions.yaml",
        """\
        main_sentences: ["{name} serves {clients}."]
        closing_sentences: ["Founded in {year}."]
        adjectives: [a leading]
        separators: {" ": 3, "\\n": 0.5}
        """,
    )
    with pytest.raises(DataFileError) as caught:
        read_descriptions(path)
    message = str(caught.value)
    assert "main_sentences[0]: unknown slot(s) ['clients'] in '{name} serves {clients}.'" in message
    assert "separators['\\n']: 0.5 is not a whole number of at least 1" in message


def test_missing_rates_name_real_columns(tmp_path):
    text = (TESTING_DATA / "columns.yaml").read_text(encoding="utf-8").replace("    SIC: 0.4", "    SICC: 0.4")
    path = _write(tmp_path, "columns.yaml", text)
    with pytest.raises(DataFileError, match=r"missing.leads\['SICC'\]: not a column; accepted: Company Name"):
        read_columns(path)


@pytest.mark.parametrize("read, name", [(read_names, "names.yaml"), (read_reports, "reports.yaml")])
def test_the_packaged_files_read_again_give_the_same_records(read, name):
    assert read(TESTING_DATA / name) == read()


def test_every_data_file_of_the_generator_ships_in_the_package():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = project["tool"]["setuptools"]["package-data"]["socanalysis._testing"]
    files = sorted(p.relative_to(TESTING_DATA.parent).as_posix() for p in TESTING_DATA.iterdir())
    assert files and all(any(fnmatch.fnmatch(f, g) for g in globs) for f in files), (files, globs)
