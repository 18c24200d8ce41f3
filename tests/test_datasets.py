"""The bundled samples load through the package, as text, with their field mapping."""

from __future__ import annotations

import pandas as pd
import pytest

from socanalysis._testing.synthetic import LEAD_COLUMNS, PORTFOLIO_COLUMNS, SAMPLE_SEED, make_leads
from socanalysis.load.samples import SAMPLES, load_sample_leads, load_sample_portfolio, sample_path
from socanalysis.vocabulary import ATTRS_KEY

PORTFOLIO_FIELDS = {
    "name": "Client",
    "description": "Services",
    "industry": "Industry",
    "naics": "NAICS",
    "website": "Website",
    "country": "Country",
    "reports": "Current Reports",
    "period_end": "Report Period End",
    "fiscal_year_end": "Fiscal Year End",
    "partner": "Engagement Partner",
    "region": "Region",
    "size_band": "Revenue Band",
}
LEAD_FIELDS = {
    "name": "Company Name",
    "description": "Description",
    "industry": "Industry",
    "naics": "NAICS",
    "sic": "SIC",
    "website": "Website",
    "country": "Country",
}


def test_sample_portfolio_rows_columns_and_mapping():
    df = load_sample_portfolio()
    assert len(df) == 200
    assert list(df.columns) == [*PORTFOLIO_COLUMNS, "duplicate_of"]
    assert df.attrs[ATTRS_KEY]["fields"] == PORTFOLIO_FIELDS


def test_sample_leads_rows_columns_and_mapping():
    df = load_sample_leads()
    assert len(df) == 2000
    assert list(df.columns) == [*LEAD_COLUMNS, "duplicate_of"]
    fields = df.attrs[ATTRS_KEY]["fields"]
    assert {k: fields.get(k) for k in LEAD_FIELDS} == LEAD_FIELDS


@pytest.mark.parametrize("load", [load_sample_portfolio, load_sample_leads])
def test_every_user_column_is_text(load):
    df = load()
    for column in df.columns.drop("duplicate_of"):
        values = df[column].dropna()
        assert pd.api.types.is_string_dtype(df[column]), column
        assert values.map(type).eq(str).all(), column
    # codes keep their leading zeros and are not turned into numbers
    assert not df["NAICS"].dropna().str.contains(r"e\+", regex=True).any()


def test_words_like_none_and_na_stay_text():
    reports = load_sample_portfolio()["Current Reports"]
    assert {"None", "N/A"} <= set(reports.dropna())


def test_leads_keep_quoted_newlines_and_formula_like_cells():
    df = load_sample_leads()
    assert df["Description"].str.contains("\n", regex=False, na=False).sum() > 20
    assert df["Description"].str.contains(r"^[=+\-@]", na=False).any()


def test_every_deliberate_duplicate_is_flagged():
    truth = make_leads(2000, seed=SAMPLE_SEED, truth=True)
    df = load_sample_leads()
    intended = truth["_duplicate_of"].notna()
    assert intended.sum() >= 10
    assert df.loc[intended, "duplicate_of"].notna().all()
    assert df["duplicate_of"].notna().mean() < 0.05  # few accidental matches


def test_each_call_returns_a_fresh_frame():
    first = load_sample_leads()
    first.iloc[0, 0] = "changed"
    first.attrs[ATTRS_KEY]["fields"]["name"] = "changed"
    second = load_sample_leads()
    assert second.iloc[0, 0] != "changed"
    assert second.attrs[ATTRS_KEY]["fields"]["name"] == "Company Name"


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_path_points_at_an_existing_file(name):
    path = sample_path(name)
    assert path.is_file() and path.name == SAMPLES[name]


def test_sample_path_names_what_is_accepted():
    with pytest.raises(ValueError, match=r"sample_path\('clients'\).*'portfolio', 'leads'"):
        sample_path("clients")
