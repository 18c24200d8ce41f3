"""Coverage statuses and lifecycle columns: one case per status, boundaries, the frame contract."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from portfolio_frames import AS_OF, FIELDS, frame

from socanalysis.errors import ColumnError, SocAnalysisError, ValueParseError
from socanalysis.portfolio.coverage import COVERAGE_COLUMNS, coverage, coverage_problems
from socanalysis.vocabulary import STATUSES


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
        ({"soc_report": "SOC 2", "Reports": "SOC 2 Type 2", "Period End": None}, "Unverified"),
        ({"soc_report": "Neither", "Reports": "SOC 2 Type 2; SOC 3", "Period End": "2025-03-31"}, "Review"),
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
        "Unverified",
        "Review",
    }
    assert STATUSES.index("Covered") < STATUSES.index("Renewal due") < STATUSES.index("Stale")
    assert STATUSES[-2:] == ("Review", "Not needed")


@pytest.mark.parametrize(
    ("row", "status", "note"),
    [
        # a report held without a period end is not known to be current: never Covered
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 2"}, "Unverified", "ask for its period end"),
        ({"soc_report": "SOC 1", "Reports": "SOC 1 Type 2", "Period End": "31/31/2025"}, "Unverified", "not verified"),
        ({"soc_report": "Undetermined", "Reports": "SOC 2"}, "Unverified", "judged on the reports it holds"),
        # classified Neither, yet holding a SOC report: someone thought it needed one
        ({"soc_report": "Neither", "Reports": "SOC 2 Type 2; SOC 3"}, "Review", "review what it needs"),
        ({"soc_report": "Neither", "Reports": "SOC 1"}, "Review", "review what it needs"),
        ({"soc_report": "Neither", "Reports": "SOC 3"}, "Review", "review what it needs"),
        ({"soc_report": "Undetermined", "Reports": "SOC 3"}, "Review", "holds only a SOC 3"),
        ({"soc_report": "Neither", "Reports": "ISO 27001"}, "Not needed", "Needs no SOC report"),
    ],
)
def test_statuses_that_do_not_overstate(row, status, note):
    got = one(**row)
    assert got["coverage_status"] == status
    assert note in got["coverage_note"]
    if status == "Review":
        assert got["bridge_letter"] == "" and got["tsc_gap"] == ""


@pytest.mark.parametrize(
    ("period_end", "status"),
    [
        ("2024-06-29", "Stale"),  # 12-month mark 2025-06-29 < as_of
        ("2024-06-30", "Renewal due"),  # mark == as_of: still current, due
        ("2024-09-30", "Renewal due"),  # mark 2025-09-30 = as_of + 3 months
        ("2024-10-01", "Covered"),  # mark after the window
        ("2025-06-30", "Covered"),
        ("2025-12-31", "Covered"),  # period still running
        (None, "Unverified"),  # no period end: currency not checked, so not Covered
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
    assert out.attrs["socanalysis"] == {"fields": FIELDS}  # the mapping only: settings do not travel in attrs
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
    df = frame({"Reports": "SOC 2", "Period End": "2024-12-31"})
    today = coverage(df, as_of=dt.date.today())
    pd.testing.assert_frame_equal(coverage(df), today)
    given = coverage(df, as_of=dt.date(2025, 1, 2))
    pd.testing.assert_frame_equal(coverage(df, as_of="2025-01-02"), given)
    assert given["months_since_period_end"].iloc[0] == 0.1  # two days
    assert today["months_since_period_end"].iloc[0] > 0


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
    assert "coverage" not in out.attrs["socanalysis"]  # attrs stay small: the problems are listed on demand
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
