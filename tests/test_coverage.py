"""Coverage statuses, lifecycle columns, fee schedules, opportunities and summaries."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis.errors import ColumnError, RulesError, SocAnalysisError, ValueParseError
from socanalysis.portfolio.coverage import (
    COVERAGE_COLUMNS,
    STATUSES,
    FeeSchedule,
    FeeScheduleError,
    coverage,
    coverage_problems,
    load_fees,
    opportunities,
    summarize,
)

AS_OF = "2025-06-30"
FIELDS = {
    "name": "Client",
    "reports": "Reports",
    "period_end": "Period End",
    "fiscal_year_end": "FYE",
    "industry": "Industry",
    "partner": "Partner",
    "region": "Region",
    "size_band": "Size",
}


def frame(*rows, fields=FIELDS):
    """A classify-like frame from dicts; unspecified columns get neutral values."""
    defaults = {
        "Client": "Org",
        "Reports": None,
        "Period End": None,
        "FYE": None,
        "Industry": "SaaS",
        "Partner": "P. One",
        "Region": "West",
        "Size": None,
        "soc_report": "SOC 2",
        "tsc_categories": "",
        "report_type": "Type 2",
        "also_consider": "",
        "rationale": "",
    }
    records = [{**defaults, "Client": f"Org {i}", **row} for i, row in enumerate(rows)]
    df = pd.DataFrame(records)
    df.attrs["socanalysis"] = {"fields": dict(fields)}
    return df


def one(as_of=AS_OF, **row):
    return coverage(frame(row), as_of=as_of).iloc[0]


# ----------------------------------------------------------------------------------------------
# one case per status
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "status"),
    [
        ({"soc_report": "SOC 2", "Reports": "SOC 2 Type 2", "Period End": "2025-03-31"}, "Covered"),
        ({"soc_report": "SOC 1", "Reports": "SOC 2 Type 2", "Period End": "2025-03-31"}, "Gap: SOC 1"),
        ({"soc_report": "SOC 2", "Reports": None}, "Gap: SOC 2"),
        ({"soc_report": "Both", "Reports": "none"}, "Gap: SOC 1 + SOC 2"),
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 2", "Period End": "2024-03-31"}, "Stale"),
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 2", "Period End": "2024-08-31"}, "Renewal due"),
        ({"soc_report": "Neither", "Reports": None}, "Not needed"),
    ],
)
def test_one_case_per_status(row, status):
    assert one(**row)["coverage_status"] == status


def test_every_status_is_in_the_list():
    statuses = set(STATUSES)
    assert statuses == {
        "Covered",
        "Gap: SOC 1",
        "Gap: SOC 2",
        "Gap: SOC 1 + SOC 2",
        "Stale",
        "Renewal due",
        "Not needed",
    }


@pytest.mark.parametrize(
    ("period_end", "status"),
    [
        ("2024-06-29", "Stale"),  # 12-month mark 2025-06-29 < as_of
        ("2024-06-30", "Renewal due"),  # mark == as_of: still current, due
        ("2024-09-30", "Renewal due"),  # mark 2025-09-30 = as_of + 3 months
        ("2024-10-01", "Covered"),  # mark after the window
        ("2025-06-30", "Covered"),
        ("2025-12-31", "Covered"),  # period still running
        (None, "Covered"),  # no period end: currency not checked
    ],
)
def test_lifecycle_boundaries(period_end, status):
    row = one(soc_report="SOC 2", Reports="SOC 2 Type 2", **{"Period End": period_end})
    assert row["coverage_status"] == status


@pytest.mark.parametrize(("window", "status"), [(0, "Covered"), (1, "Covered"), (2, "Renewal due"), (6, "Renewal due")])
def test_renewal_window_is_configurable(window, status):
    df = frame({"soc_report": "SOC 2", "Reports": "SOC 2", "Period End": "2024-08-15"})
    assert coverage(df, as_of=AS_OF, renewal_window_months=window)["coverage_status"].iloc[0] == status


def test_validity_months_is_configurable():
    df = frame({"soc_report": "SOC 2", "Reports": "SOC 2", "Period End": "2024-11-30"})
    statuses = [
        coverage(df, as_of=AS_OF, validity_months=months, renewal_window_months=0)["coverage_status"].iloc[0]
        for months in (6, 7, 8)
    ]
    assert statuses == ["Stale", "Renewal due", "Covered"]  # 7 months end on as_of itself


def test_a_gap_beats_staleness_of_another_report():
    row = one(soc_report="Both", Reports="SOC 2 Type 2", **{"Period End": "2023-01-31"})
    assert row["coverage_status"] == "Gap: SOC 1"


@pytest.mark.parametrize(
    ("reports", "need", "status"),
    [
        ("ISAE 3402 Type II", "SOC 1", "Covered"),
        ("CSAE 3416", "SOC 1", "Covered"),
        ("SSAE 16", "SOC 1", "Covered"),
        ("ISAE 3000", "SOC 2", "Covered"),
        ("SOC 2+ HIPAA", "SOC 2", "Covered"),
        ("SOC 3", "SOC 2", "Gap: SOC 2"),
        ("SOC 2 Type 2 (in progress)", "SOC 2", "Gap: SOC 2"),
        ("ISAE 3402; ISAE 3000", "Both", "Covered"),
    ],
)
def test_equivalent_reports(reports, need, status):
    assert one(soc_report=need, Reports=reports, **{"Period End": "2025-03-31"})["coverage_status"] == status


@pytest.mark.parametrize(
    ("reports", "period_end", "status", "note"),
    [
        (None, None, "Not needed", "undetermined"),
        ("SOC 2 Type 2", "2024-01-31", "Stale", "judged on the reports it holds"),
        ("SOC 1 Type 2", "2025-03-31", "Covered", "judged on the reports it holds"),
    ],
)
def test_undetermined_is_judged_on_what_it_holds(reports, period_end, status, note):
    row = one(soc_report="Undetermined", Reports=reports, **{"Period End": period_end})
    assert row["coverage_status"] == status
    assert note in row["coverage_note"]


def test_months_since_period_end_has_one_decimal():
    rows = [{"Reports": "SOC 2", "Period End": pe} for pe in ("2025-03-31", "2025-06-15", "2024-12-31", None)]
    out = coverage(frame(*rows), as_of=AS_OF)
    assert out["months_since_period_end"].tolist()[:3] == [3.0, 0.5, 6.0]
    assert np.isnan(out["months_since_period_end"].iloc[3])
    assert out["period_end_date"].iloc[0] == pd.Timestamp("2025-03-31")
    assert out["renewal_date"].iloc[0] == pd.Timestamp("2026-03-31")


# ----------------------------------------------------------------------------------------------
# tsc_gap, type_upgrade, bridge_letter
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needed", "reports", "gap"),
    [
        ("Security; Availability", "SOC 2 Type 2 (Security, Availability)", ""),
        ("Security; Availability; Privacy", "SOC 2 Type 2 (Security, Availability)", "Privacy"),
        ("Security; Availability", "SOC 2 Type 2", "Availability"),  # no categories listed: Security only
        ("Security; Confidentiality; Processing Integrity", "SOC 2", "Processing Integrity; Confidentiality"),
        ("Security; Privacy", "ISAE 3000 (Privacy)", ""),
        ("Security; Availability", None, ""),  # no SOC 2 held: the gap is the report
        ("Security", "SOC 2 Type 1", ""),
    ],
)
def test_tsc_gap(needed, reports, gap):
    row = one(soc_report="SOC 2", tsc_categories=needed, Reports=reports, **{"Period End": "2025-03-31"})
    assert row["tsc_gap"] == gap


@pytest.mark.parametrize(
    ("need", "reports", "upgrade"),
    [
        ("SOC 2", "SOC 2 Type 1", True),
        ("SOC 2", "SOC 2 Type 2", False),
        ("SOC 2", "SOC 2 Type 1; SOC 2 Type 2", False),
        ("SOC 2", "SOC 2", False),  # type unknown: not flagged
        ("SOC 1", "SOC 1 Type I", True),
        ("SOC 1", "SOC 2 Type 1", False),  # the Type 1 held is not of a needed report
        ("Both", "SOC 1 Type 2; SOC 2 Type 1", True),
        ("Neither", "SOC 2 Type 1", False),
    ],
)
def test_type_upgrade(need, reports, upgrade):
    row = one(soc_report=need, Reports=reports, **{"Period End": "2025-03-31"})
    assert bool(row["type_upgrade"]) is upgrade


@pytest.mark.parametrize(
    ("period_end", "fye", "bridge"),
    [
        ("2025-12-31", "Dec-31", ""),  # period end is the fiscal year end
        ("2025-09-30", "12/31", "Bridge letter"),  # 3 months
        ("2025-10-31", "December 31", "Bridge letter"),
        ("2025-06-30", "Dec-31", "New report"),  # 6 months
        ("2025-03-31", "FYE June", "Bridge letter"),
        ("2025-06-30", None, ""),  # no fiscal year end
        (None, "Dec-31", ""),  # no period end
    ],
)
def test_bridge_letter(period_end, fye, bridge):
    row = one(as_of="2025-11-30", soc_report="SOC 1", Reports="SOC 1 Type 2", **{"Period End": period_end, "FYE": fye})
    assert row["bridge_letter"] == bridge


def test_bridge_letter_needs_a_held_report_and_a_need():
    assert one(soc_report="SOC 1", Reports=None, **{"Period End": "2025-09-30", "FYE": "Dec-31"})["bridge_letter"] == ""
    assert (
        one(soc_report="Neither", Reports="SOC 1", **{"Period End": "2025-09-30", "FYE": "Dec-31"})["bridge_letter"]
        == ""
    )


# ----------------------------------------------------------------------------------------------
# frame contract
# ----------------------------------------------------------------------------------------------


def test_coverage_adds_columns_keeps_rows_and_does_not_mutate():
    df = frame({"Reports": "SOC 2"}, {"Reports": "SOC 1", "soc_report": "SOC 1"}, {"soc_report": "Neither"})
    df.index = [7, 3, 5]
    before, attrs_before = df.copy(), {"socanalysis": {"fields": dict(FIELDS)}}
    out = coverage(df, as_of=AS_OF)
    pd.testing.assert_frame_equal(df, before)
    assert df.attrs == attrs_before
    assert list(out.index) == [7, 3, 5]
    assert list(out.columns) == list(df.columns) + list(COVERAGE_COLUMNS)
    pd.testing.assert_frame_equal(out[df.columns], df)
    assert out.attrs["socanalysis"]["fields"] == FIELDS
    assert out.attrs["socanalysis"]["coverage"]["as_of"] == AS_OF
    assert out["type_upgrade"].dtype == bool and out["holds_soc1"].dtype == bool


def test_coverage_can_run_twice():
    once = coverage(frame({"Reports": "SOC 2"}), as_of=AS_OF)
    twice = coverage(once, as_of=AS_OF)
    assert list(twice.columns) == list(once.columns)
    pd.testing.assert_frame_equal(twice, once)


def test_without_mapped_fields_nothing_is_held():
    df = frame({"Reports": "SOC 2 Type 2", "soc_report": "SOC 2"}, {"soc_report": "Both"}, fields={})
    out = coverage(df, as_of=AS_OF)
    assert out["coverage_status"].tolist() == ["Gap: SOC 2", "Gap: SOC 1 + SOC 2"]
    assert not out["holds_soc2"].any()


def test_as_of_defaults_to_today_and_accepts_dates():
    df = frame({"Reports": "SOC 2"})
    assert coverage(df).attrs["socanalysis"]["coverage"]["as_of"] == dt.date.today().isoformat()
    assert coverage(df, as_of=dt.date(2025, 1, 2)).attrs["socanalysis"]["coverage"]["as_of"] == "2025-01-02"


def test_unreadable_values_are_reported_with_row_column_and_value():
    df = frame({"Reports": "SOC 2"}, {"Reports": "SOC 4", "Period End": "31/31/2025"}, {"FYE": "Q5"})
    out = coverage(df, as_of=AS_OF)
    problems = coverage_problems(out)
    assert problems[["row", "column", "value"]].values.tolist() == [
        [2, "Reports", "SOC 4"],
        [2, "Period End", "31/31/2025"],
        [3, "FYE", "Q5"],
    ]
    assert "'SOC 4' is not a report" in out["reports_problem"].iloc[1]
    assert out["dates_problem"].iloc[1].startswith("Period End: neither 31 nor 31")
    assert out["dates_problem"].iloc[2].startswith("FYE: ")
    assert pd.isna(out["period_end_date"].iloc[1])
    assert out.attrs["socanalysis"]["coverage"]["problems"] == 3  # a count: attrs stay small
    assert coverage_problems(out.iloc[:1]).empty
    with pytest.raises(ValueParseError, match="3 value") as info:
        coverage(df, as_of=AS_OF, errors="raise")
    assert info.value.cases["value"].tolist() == ["SOC 4", "31/31/2025", "Q5"]


def test_coverage_errors():
    with pytest.raises(ColumnError, match="run socanalysis.classify"):
        coverage(pd.DataFrame({"x": [1]}), as_of=AS_OF)
    with pytest.raises(ValueParseError, match="soc_report") as info:
        coverage(frame({"soc_report": "SOC 9"}), as_of=AS_OF)
    assert info.value.cases[["row", "value"]].values.tolist() == [[1, "SOC 9"]]
    with pytest.raises(SocAnalysisError, match="renewal_window_months=-1"):
        coverage(frame({}), as_of=AS_OF, renewal_window_months=-1)
    with pytest.raises(SocAnalysisError, match="renewal_window_months=2.5"):
        coverage(frame({}), as_of=AS_OF, renewal_window_months=2.5)
    with pytest.raises(SocAnalysisError, match="as_of='someday'"):
        coverage(frame({}), as_of="someday")
    with pytest.raises(SocAnalysisError, match="errors='loud'"):
        coverage(frame({}), as_of=AS_OF, errors="loud")


# ----------------------------------------------------------------------------------------------
# fees
# ----------------------------------------------------------------------------------------------


def test_default_fee_schedule():
    fees = load_fees()
    assert isinstance(fees, FeeSchedule)
    assert fees.currency == "USD"
    assert set(fees.reports) == {"SOC 1 Type 1", "SOC 1 Type 2", "SOC 2 Type 1", "SOC 2 Type 2"}
    assert fees.report_fee("SOC 2", "Type 2") > fees.report_fee("SOC 2", "Type 1") > 0
    assert {"Additional category", "SOC 3", "Bridge letter"} <= set(fees.add_ons)
    assert [b.name for b in fees.bands] == ["Small", "Mid-market", "Large", "Enterprise"]


def test_fee_overrides_from_dict_and_file(tmp_path):
    fees = load_fees({"reports": {"SOC 1 Type 2": 50000}, "size_bands": {"default_multiplier": 1.2}})
    assert fees.report_fee("SOC 1", "Type 2") == 50000
    assert fees.report_fee("SOC 1", "Type 1") == load_fees().report_fee("SOC 1", "Type 1")
    assert fees.default_multiplier == 1.2
    path = tmp_path / "fees.yaml"
    path.write_text("add_ons:\n  Bridge letter: 0\nsize_bands:\n  bands:\n    - {name: Any, multiplier: 3}\n")
    fees = load_fees(path)
    assert fees.add_ons["Bridge letter"] == 0
    assert [b.name for b in fees.bands] == ["Any"]
    assert load_fees(fees) is fees


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"price": 1}, "unknown key 'price'; accepted: 'currency'"),
        ({"reports": {"SOC 5 Type 2": 1}}, "reports has no 'SOC 5 Type 2'"),
        ({"reports": {"SOC 2 Type 2": -5}}, r"reports\['SOC 2 Type 2'\] must be a non-negative number.*-5"),
        ({"reports": {"SOC 2 Type 2": "lots"}}, "got 'lots'"),
        ({"add_ons": {"Bridge letter": True}}, r"add_ons\['Bridge letter'\]"),
        ({"add_ons": {"Pizza": 1}}, "add_ons has no 'Pizza'"),
        ({"reports": [1, 2]}, "reports must map names to fees"),
        ({"currency": ""}, "currency must be a name"),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 0}]}}, r"bands\[0\].multiplier \('A'\)"),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 1, "colour": "red"}]}}, "has no key 'colour'"),
        ({"size_bands": {"bands": [{"multiplier": 1}]}}, r"bands\[0\].name"),
        (
            {"size_bands": {"bands": [{"name": "A", "multiplier": 1}, {"name": "a", "multiplier": 2}]}},
            "names the band 'a' twice",
        ),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 1, "revenue_below": -1}]}}, "revenue_below"),
        ({"size_bands": {"default_multiplier": 0}}, "default_multiplier must be a number above 0"),
        ({"size_bands": {"colours": 1}}, "size_bands has no 'colours'"),
        (42, "fees=42: give a path"),
    ],
)
def test_fee_schedule_errors_name_the_key(source, message):
    with pytest.raises(FeeScheduleError, match=message):
        load_fees(source)


def test_fee_schedule_errors_for_files(tmp_path):
    with pytest.raises(FeeScheduleError, match="there is no file"):
        load_fees(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("reports: [unclosed\n")
    with pytest.raises(FeeScheduleError, match="is not valid YAML"):
        load_fees(bad)
    assert issubclass(FeeScheduleError, RulesError)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("Enterprise", "Enterprise"),
        ("enterprise", "Enterprise"),
        ("SMB", "Small"),
        ("< $10M", "Small"),
        ("$10M–$50M", "Mid-market"),
        ("$50M-$250M", "Mid-market"),
        ("$250M–$1B", "Large"),
        ("> $1B", "Enterprise"),
        ("$12M", "Mid-market"),
        ("1.5bn", "Enterprise"),
        (25_000_000, "Mid-market"),
        ("5000000", "Small"),
        ("250", "(default)"),
        (None, "(default)"),
        ("", "(default)"),
        ("huge", "(default)"),
    ],
)
def test_size_bands(value, band):
    names, multipliers = load_fees().size(pd.Series([value], dtype=object))
    assert names.iloc[0] == band
    if band == "(default)":
        assert multipliers.iloc[0] == 1.0


# ----------------------------------------------------------------------------------------------
# opportunities
# ----------------------------------------------------------------------------------------------

FEES = {
    "reports": {"SOC 1 Type 1": 10, "SOC 1 Type 2": 20, "SOC 2 Type 1": 30, "SOC 2 Type 2": 40},
    "add_ons": {"Additional category": 1, "SOC 3": 2, "Bridge letter": 3},
    "size_bands": {"default_multiplier": 1, "bands": [{"name": "Big", "multiplier": 10}]},
}


@pytest.mark.parametrize(
    ("row", "label", "usd"),
    [
        ({"soc_report": "SOC 1", "report_type": "Type 2"}, "SOC 1 Type 2", 20),
        ({"soc_report": "SOC 1", "report_type": ""}, "SOC 1 Type 1", 10),
        (
            {"soc_report": "SOC 2", "report_type": "Type 1", "tsc_categories": "Security; Availability; Privacy"},
            "SOC 2 Type 1 (Security, Availability, Privacy)",
            32,
        ),
        ({"soc_report": "Both", "report_type": "Type 2"}, "SOC 1 Type 2; SOC 2 Type 2 (Security)", 60),
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 1", "Period End": "2024-01-31"}, "SOC 1 Type 2 renewal", 20),
        (
            {
                "soc_report": "SOC 2",
                "Reports": "SOC 2 Type 2 (Availability)",
                "Period End": "2024-08-31",
                "tsc_categories": "Security; Privacy",
            },
            "SOC 2 Type 2 renewal (Security, Availability, Privacy)",
            42,
        ),
        (
            {"soc_report": "SOC 2", "Reports": "SOC 2 Type 1", "Period End": "2025-03-31"},
            "SOC 2 Type 2 (after the Type 1; Security)",
            40,
        ),
        (
            {
                "soc_report": "SOC 2",
                "Reports": "SOC 2 Type 2",
                "Period End": "2025-03-31",
                "tsc_categories": "Security; Availability; Confidentiality",
            },
            "Add Availability, Confidentiality",
            2,
        ),
        (
            {"soc_report": "SOC 2", "Reports": "SOC 2 Type 2", "Period End": "2025-03-31", "also_consider": "SOC 3"},
            "SOC 3",
            2,
        ),
        (
            {"soc_report": "SOC 1", "Reports": "SOC 1 Type 2", "Period End": "2025-03-31", "FYE": "June 30"},
            "Bridge letter",
            3,
        ),
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 2", "Period End": "2025-03-31"}, "", 0),
        ({"soc_report": "Neither", "also_consider": "SOC 3"}, "", 0),
        ({"soc_report": "SOC 1", "Size": "Big"}, "SOC 1 Type 2", 200),
    ],
)
def test_opportunities(row, label, usd):
    out = opportunities(coverage(frame(row), as_of=AS_OF), fees=FEES)
    assert out["opportunity"].iloc[0] == label
    assert out["opportunity_usd"].iloc[0] == usd


def test_opportunities_frame():
    df = frame({"soc_report": "SOC 1", "Size": "Big"}, {"soc_report": "Neither"})
    df.index = ["a", "b"]
    covered = coverage(df, as_of=AS_OF)
    before = covered.copy()
    out = opportunities(covered)
    pd.testing.assert_frame_equal(covered, before)
    assert list(out.index) == ["a", "b"]
    assert list(out.columns) == ["name", "coverage_status", "opportunity", "size_band", "multiplier", "opportunity_usd"]
    assert out["name"].tolist() == ["Org 0", "Org 1"]
    assert out["size_band"].tolist() == ["(default)", "(default)"]
    with pytest.raises(ColumnError, match="needs the output of coverage"):
        opportunities(df)


# ----------------------------------------------------------------------------------------------
# summaries
# ----------------------------------------------------------------------------------------------


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
