"""Summaries by segment, and the invariants that tie coverage, opportunities and summaries together."""

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portfolio_frames import AS_OF, FEES, FIELDS, frame

from socanalysis.portfolio.coverage import coverage
from socanalysis.portfolio.pricing import opportunities
from socanalysis.portfolio.summary import summarize
from socanalysis.vocabulary import STATUSES


def test_summarize_tables():
    df = frame(
        {"soc_report": "SOC 1", "Industry": "Payroll", "Partner": "Ann"},
        {
            "soc_report": "SOC 1",
            "Industry": "Payroll",
            "Partner": "Ann",
            "Reports": "SOC 1 Type 2",
            "Period End": "2025-03-31",
        },
        {"soc_report": "Neither", "Industry": None, "Partner": "Bob"},
        {
            "soc_report": "SOC 2",
            "Industry": "SaaS",
            "Partner": "Bob",
            "Reports": "SOC 2 Type 1",
            "Period End": "2024-01-31",
        },
    )
    covered = coverage(df, as_of=AS_OF)
    tables = summarize(covered, fees=FEES)
    assert list(tables) == ["All", "industry", "partner", "region"]
    all_ = tables["All"].iloc[0]
    counts = ["organisations", "Covered", "Gap: SOC 1", "Stale", "Not needed"]
    assert all_[counts].tolist() == [4, 1, 1, 1, 1]
    assert all_["Covered share"] == 0.25
    assert all_["opportunity_usd"] == 20 + 40  # a new SOC 1 Type 2, a SOC 2 Type 2 renewal
    industry = tables["industry"]
    assert industry.index.name == "Industry"
    assert industry.index.tolist() == ["Payroll", "SaaS", "(not given)"]
    assert industry.loc["Payroll", ["organisations", "Covered", "Gap: SOC 1"]].tolist() == [2, 1, 1]
    assert tables["partner"].loc["Bob", "Stale"] == 1
    for table in tables.values():
        assert table[list(STATUSES)].sum(axis=1).equals(table["organisations"])
        shares = table[[f"{s} share" for s in STATUSES]].sum(axis=1)
        assert np.allclose(shares, 1.0, atol=1e-3)


def test_summarize_skips_missing_segments_and_takes_column_names():
    df = frame({"soc_report": "SOC 1"}, fields={"industry": "Industry"})
    tables = summarize(coverage(df, as_of=AS_OF), by=["industry", "partner", "Region", "nothing"])
    assert list(tables) == ["All", "industry", "Region"]
    assert summarize(coverage(df, as_of=AS_OF), by="industry").keys() == {"All", "industry"}


NEED_VALUES = ["SOC 1", "SOC 2", "Both", "Neither", "Undetermined"]
REPORT_VALUES = [
    None,
    "",
    "SOC 1 Type 2",
    "SOC 2 Type 1",
    "SOC 2 Type II (Security, Availability)",
    "SOC 3",
    "ISAE 3402",
    "SOC 1; SOC 2 Type 2",
    "SOC 4",
    "n/a",
    "SOC 2 (in progress)",
]
DATE_VALUES = [None, "2023-12-31", "2024-06-30", "2024-09-30", "06/30/2025", "45838", "soon", "2026-03-31"]
FYE_VALUES = [None, "Dec-31", "6/30", "FYE September", "Q9"]
CATEGORY_VALUES = ["", "Security", "Security; Availability", "Security; Privacy; Confidentiality"]


@st.composite
def classified_frames(draw):
    n = draw(st.integers(min_value=0, max_value=25))
    rows = [
        {
            "soc_report": draw(st.sampled_from(NEED_VALUES)),
            "Reports": draw(st.sampled_from(REPORT_VALUES)),
            "Period End": draw(st.sampled_from(DATE_VALUES)),
            "FYE": draw(st.sampled_from(FYE_VALUES)),
            "tsc_categories": draw(st.sampled_from(CATEGORY_VALUES)),
            "report_type": draw(st.sampled_from(["Type 1", "Type 2", ""])),
            "also_consider": draw(st.sampled_from(["", "SOC 3", "SOC 3; ISAE 3000"])),
            "Industry": draw(st.sampled_from(["SaaS", "Payroll", None, "", "Banking"])),
            "Partner": draw(st.sampled_from(["Ann", "Bob", None])),
            "Region": draw(st.sampled_from(["West", "East"])),
            "Size": draw(st.sampled_from([None, "Small", "$250M–$1B", "huge"])),
        }
        for _ in range(n)
    ]
    df = frame(*rows) if rows else frame({}).iloc[:0]
    df.attrs["socanalysis"] = {"fields": dict(FIELDS)}
    return df


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classified_frames(), st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31)), st.integers(0, 12))
def test_summary_counts_add_up_to_the_row_count(df, as_of, window):
    before = df.copy()
    covered = coverage(df, as_of=as_of, renewal_window_months=window)
    pd.testing.assert_frame_equal(df, before)
    assert len(covered) == len(df)
    assert set(covered["coverage_status"]) <= set(STATUSES)
    tables = summarize(covered)
    for name, table in tables.items():
        assert table[list(STATUSES)].sum(axis=1).equals(table["organisations"]), name
        assert table["organisations"].sum() == len(df), name
    opp = opportunities(covered)
    assert (opp["opportunity_usd"] >= 0).all()
    assert np.isclose(tables["All"]["opportunity_usd"].sum(), opp["opportunity_usd"].sum())
    assert (opp.loc[covered["coverage_status"] == "Not needed", "opportunity_usd"] == 0).all()


def test_summaries_count_industries_under_one_spelling_and_keep_unknown_text_trimmed():
    df = frame(
        {"Industry": "Computer & Network Security"},
        {"Industry": "computer and network security"},
        {"Industry": " COMPUTER AND NETWORK-SECURITY "},
        {"Industry": "  Marina software "},
        {"Industry": "Marina software"},
        {"Industry": ""},
    )
    table = summarize(coverage(df, as_of=AS_OF), by=["industry"], fees=FEES)["industry"]
    assert table["organisations"].to_dict() == {
        "Computer and Network Security": 3,
        "Marina software": 2,
        "(not given)": 1,
    }
    # the share the headline gives: covered and current, of those that need a report
    assert (table["covered_current"] <= table["needs_report"]).all()
    assert table["needs_report"].tolist() == table["organisations"].tolist()  # all need a SOC 2 here


def test_segment_totals_add_up_and_fold_by_the_rule_of_the_charts():
    import pytest

    from socanalysis.errors import ColumnError, SocAnalysisError
    from socanalysis.portfolio import segment_totals

    table = pd.DataFrame(
        {
            "organisations": [4, 3, 2, 2, 1, 5],
            "opportunity_usd": [40.0, 30.0, 20.0, 10.0, 5.0, 0.0],
        },
        index=pd.Index(["Banking", "Insurance", "Accounting", "Payroll", "(not given)", "Food"], name="Industry"),
    )
    every = segment_totals(table, top=None)
    assert every.level == "label" and every.other is None and "Food" not in every.values.index  # no opportunity
    assert every.values.sum() == table["opportunity_usd"].sum()
    folded = segment_totals(table, top=3)  # the rest (15) does not outweigh Banking (40): labels
    assert folded.level == "label" and folded.values.index.tolist() == [
        "Banking",
        "Insurance",
        "Accounting",
        "Other (2 segments)",
    ]
    assert folded.values.tolist() == [40.0, 30.0, 20.0, 15.0] and folded.organisations.tolist() == [4, 3, 2, 3]
    assert folded.members["Other (2 segments)"].to_dict() == {"Payroll": 10.0, "(not given)": 5.0}
    sectors = segment_totals(table, top=1)  # 65 left over against Banking's 40: by sector
    assert sectors.level == "sector" and sectors.title == "Sector"
    assert sectors.values.index[0] == "Financial Services" and sectors.values.iloc[0] == 70.0
    assert sectors.values.sum() == table["opportunity_usd"].sum()
    assert segment_totals(table, top=1, segment="partner").level == "label"
    assert segment_totals(table, level="sector").organisations.sum() == 12  # Food left out
    with pytest.raises(ColumnError, match="value='fees'"):
        segment_totals(table, "fees")
    with pytest.raises(SocAnalysisError, match="level='sectors'"):
        segment_totals(table, level="sectors")
