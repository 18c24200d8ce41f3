"""assess(): the one load → classify → coverage → summaries path, and the Assessment it returns."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import socanalysis as sa
from socanalysis.errors import ColumnError, RulesError, SocAnalysisError
from socanalysis.load.samples import load_sample_portfolio, sample_path
from socanalysis.pipeline import SEGMENTS, Assessment, assess, resolve_as_of
from socanalysis.portfolio import FeeScheduleError, coverage, load_fees, opportunities, summarize
from socanalysis.present import Branding, BrandingError

AS_OF = "2026-11-26"


@pytest.fixture(scope="module")
def assessed() -> Assessment:
    return assess(sample_path("portfolio"), as_of=AS_OF, branding={"firm_name": "Acme Audit"})


def test_assess_is_the_steps_run_once(assessed):
    covered = coverage(sa.classify(sa.load_portfolio(sample_path("portfolio"))), as_of=AS_OF)
    pd.testing.assert_frame_equal(assessed.frame, covered)
    assert dict(assessed.fields) == sa.load_portfolio(sample_path("portfolio")).attrs["socanalysis"]["fields"]
    assert assessed.as_of == pd.Timestamp(AS_OF)
    summaries = summarize(covered)
    assert list(assessed.summaries) == list(summaries) == ["All", *SEGMENTS]
    for key, table in summaries.items():
        pd.testing.assert_frame_equal(assessed.summaries[key], table)
    pd.testing.assert_frame_equal(assessed.opportunities, opportunities(covered))
    assert assessed.fees == load_fees() and assessed.branding.firm_name == "Acme Audit"
    assert assessed.rules is not None and assessed.validity_months == 12
    assert (assessed.renewal_window_months, assessed.bridge_months) == (3, 3)
    assert repr(assessed) == "Assessment(200 organisations as of 2026-11-26; summaries by industry, partner, region)"


def test_assessment_is_exported_at_the_top_and_frozen(assessed):
    assert sa.assess is assess and sa.Assessment is Assessment
    assert {"assess", "Assessment"} <= set(sa.__all__)
    with pytest.raises(AttributeError):
        assessed.as_of = pd.Timestamp("2020-01-01")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2025-06-30", "2025-06-30"),
        ("2025-06-30 17:45", "2025-06-30"),
        (dt.date(2025, 6, 30), "2025-06-30"),
        (pd.Timestamp("2025-06-30 23:30", tz="Europe/London"), "2025-06-30"),
    ],
)
def test_as_of_is_resolved_once_to_a_plain_date(as_of, expected):
    stamp = resolve_as_of(as_of)
    assert stamp == pd.Timestamp(expected) and stamp.tz is None


def test_no_as_of_means_today():
    assert resolve_as_of(None) == pd.Timestamp.today().normalize()
    frame = pd.DataFrame({"Client": ["Acme"], "soc_report": ["SOC 1"]})
    assert assess(frame).as_of == pd.Timestamp.today().normalize()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"as_of": "soon"}, SocAnalysisError, "as_of='soon' is not a date"),
        ({"fees": {"reports": {"SOC 9": 1}}}, FeeScheduleError, "SOC 9"),
        ({"branding": {"mode": "dim"}}, BrandingError, "mode must be one of"),
    ],
)
def test_settings_are_checked_before_the_file_is_read(tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        assess(tmp_path / "missing.csv", **kwargs)


def test_a_missing_file_or_broken_rules_say_so(tmp_path):
    with pytest.raises(SocAnalysisError, match="missing.csv"):
        assess(tmp_path / "missing.csv")
    with pytest.raises(RulesError, match="rules file 'nope.yaml' does not exist"):
        assess(sample_path("portfolio"), rules="nope.yaml")


def test_a_classified_frame_is_kept_unless_rules_are_given():
    frame = pd.DataFrame({"Client": ["Acme Payroll"], "Services": ["payroll processing"], "soc_report": ["Neither"]})
    before = frame.copy()
    kept = assess(frame, as_of=AS_OF)
    assert kept.frame["soc_report"].tolist() == ["Neither"] and kept.rules is None
    again = assess(frame, as_of=AS_OF, rules={"rules": []})
    assert again.frame["soc_report"].tolist() == ["Both"] and again.rules is not None
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched


def test_a_covered_frame_is_judged_again_at_the_date_given(assessed):
    later = assess(assessed.frame, as_of="2030-01-01")
    assert later.as_of == pd.Timestamp("2030-01-01")
    assert (later.frame["coverage_status"] == "Stale").sum() > (assessed.frame["coverage_status"] == "Stale").sum()


def test_what_assess_takes():
    frame = load_sample_portfolio()
    with pytest.raises(SocAnalysisError, match="columns= and sheet= apply when reading a file"):
        assess(frame, columns={"name": "Client"})
    with pytest.raises(SocAnalysisError, match="takes a file path or a DataFrame, not list"):
        assess([1, 2])


def test_assess_reads_a_file_with_column_overrides(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("Legal Entity,Trading Name,Services\nAcme Ltd,Acme,payroll processing\n", encoding="utf-8")
    assessed = assess(path, as_of=AS_OF, columns={"name": "Trading Name"})
    assert assessed.fields["name"] == "Trading Name"


def test_from_covered_needs_coverage_and_takes_its_settings(assessed):
    with pytest.raises(ColumnError, match=r"needs the output of socanalysis.coverage\(\): column 'coverage_status'"):
        Assessment.from_covered(pd.DataFrame({"soc_report": ["SOC 1"]}))
    with pytest.raises(SocAnalysisError, match="takes the DataFrame returned by coverage"):
        Assessment.from_covered([1])
    with pytest.raises(SocAnalysisError, match="validity_months=0: give a whole number of months from 1 to 60"):
        Assessment.from_covered(assessed.frame, validity_months=0)
    with pytest.raises(SocAnalysisError, match="renewal_window_months=13"):
        Assessment.from_covered(assessed.frame, renewal_window_months=13)
    built = Assessment.from_covered(
        assessed.frame, as_of=AS_OF, branding=Branding(firm_name="Harbour"), validity_months=18
    )
    assert built.as_of == assessed.as_of and built.validity_months == 18
    assert built.branding.firm_name == "Harbour" and dict(built.fields) == dict(assessed.fields)
    given = Assessment.from_covered(assessed.frame, summaries=assessed.summaries, opportunities=assessed.opportunities)
    assert given.summaries["All"] is assessed.summaries["All"] and given.opportunities is assessed.opportunities


def test_from_covered_reads_no_setting_from_attrs(assessed):
    frame = assessed.frame.copy()
    frame.attrs = {"socanalysis": {"fields": dict(assessed.fields), "coverage": {"as_of": "1999-01-01"}}}
    built = Assessment.from_covered(frame)
    assert built.as_of == pd.Timestamp.today().normalize() and built.validity_months == 12


def test_subset_keeps_the_settings_and_counts_the_rows_kept(assessed):
    mask = (assessed.frame["soc_report"] == "SOC 1").to_numpy()
    part = assessed.subset(mask)
    assert len(part.frame) == mask.sum() and part.as_of == assessed.as_of and part.fees is assessed.fees
    pd.testing.assert_frame_equal(part.opportunities, opportunities(assessed.frame[mask], assessed.fees))
    for key, table in summarize(assessed.frame[mask], fees=assessed.fees).items():
        pd.testing.assert_frame_equal(part.summaries[key], table)
    with pytest.raises(SocAnalysisError, match=r"one True/False per organisation \(200\), got 3"):
        assessed.subset(np.ones(3, dtype=bool))
