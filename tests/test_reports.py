"""Reading existing-report cells and the dates around them."""

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socanalysis.errors import ValueParseError
from socanalysis.load import (
    REPORT_COLUMNS,
    Report,
    parse_dates,
    parse_month_day,
    parse_report,
    parse_reports,
    resolve_month_day,
)

# (cell, holds_soc1, soc1_type, holds_soc2, soc2_type, soc2_categories, reports_normalised)
SPELLINGS = [
    ("SOC 2 Type II", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC2 Type 2", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2 Type 2", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2", False, "", True, "", "Security", "SOC 2"),
    ("SOC II", False, "", True, "", "Security", "SOC 2"),
    ("soc 2 type ii", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC-2", False, "", True, "", "Security", "SOC 2"),
    ("SOC 2®", False, "", True, "", "Security", "SOC 2"),
    ("SOC2TypeII", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2 Type I", False, "", True, "Type 1", "Security", "SOC 2 Type 1"),
    ("SOC 2 Type-1", False, "", True, "Type 1", "Security", "SOC 2 Type 1"),
    ("SOC 1 Type II", True, "Type 2", False, "", "", "SOC 1 Type 2"),
    ("SOC1", True, "", False, "", "", "SOC 1"),
    ("SOC I Type II", True, "Type 2", False, "", "", "SOC 1 Type 2"),
    ("SSAE 18", True, "", False, "", "", "SOC 1"),
    ("SSAE-18 SOC 1 Type 2", True, "Type 2", False, "", "", "SOC 1 Type 2"),
    ("SOC 1 (SSAE 18) Type II", True, "Type 2", False, "", "", "SOC 1 Type 2"),
    ("SSAE 16", True, "", False, "", "", "SOC 1 (SSAE 16)"),
    ("SAS 70 Type II", True, "Type 2", False, "", "", "SOC 1 Type 2 (SAS 70)"),
    ("ISAE 3402", True, "", False, "", "", "ISAE 3402"),
    ("ISAE 3402 Type II", True, "Type 2", False, "", "", "ISAE 3402 Type 2"),
    ("CSAE 3416 Type 2", True, "Type 2", False, "", "", "CSAE 3416 Type 2"),
    ("ISAE 3000", False, "", True, "", "Security", "ISAE 3000"),
    (
        "ISAE 3000 Type II (Security and Availability)",
        False,
        "",
        True,
        "Type 2",
        "Security; Availability",
        "ISAE 3000 Type 2 (Security, Availability)",
    ),
    ("SOC 3", False, "", False, "", "", "SOC 3"),
    ("SOC 2+ HIPAA", False, "", True, "", "Security", "SOC 2+ HIPAA"),
    ("SOC 2 + HIPAA Type 2", False, "", True, "Type 2", "Security", "SOC 2+ HIPAA Type 2"),
    ("SOC for Cybersecurity", False, "", False, "", "", "SOC for Cybersecurity"),
    ("SOC for Supply Chain", False, "", False, "", "", "SOC for Supply Chain"),
    (
        "SOC 2 Type II (Security, Availability)",
        False,
        "",
        True,
        "Type 2",
        "Security; Availability",
        "SOC 2 Type 2 (Security, Availability)",
    ),
    (
        "SOC 2 Type II (Availability)",
        False,
        "",
        True,
        "Type 2",
        "Security; Availability",
        "SOC 2 Type 2 (Availability)",
    ),
    (
        "SOC 2 Type II - Security, Availability, Confidentiality",
        False,
        "",
        True,
        "Type 2",
        "Security; Availability; Confidentiality",
        "SOC 2 Type 2 (Security, Availability, Confidentiality)",
    ),
    ("SOC 2 Type II – Security only", False, "", True, "Type 2", "Security", "SOC 2 Type 2 (Security)"),
    (
        "SOC 2 Type 2 (Privacy, Processing-Integrity, Security)",
        False,
        "",
        True,
        "Type 2",
        "Security; Processing Integrity; Privacy",
        "SOC 2 Type 2 (Security, Processing Integrity, Privacy)",
    ),
    ("SOC 1; SOC 2", True, "", True, "", "Security", "SOC 1; SOC 2"),
    ("SOC 1, SOC 2 Type 2", True, "", True, "Type 2", "Security", "SOC 1; SOC 2 Type 2"),
    ("SOC 1 Type 2 / SOC 2 Type 1", True, "Type 2", True, "Type 1", "Security", "SOC 1 Type 2; SOC 2 Type 1"),
    ("SOC 1 | SOC 2", True, "", True, "", "Security", "SOC 1; SOC 2"),
    ("SOC 1\nSOC 2 Type II", True, "", True, "Type 2", "Security", "SOC 1; SOC 2 Type 2"),
    ("SOC 1 and SOC 2", True, "", True, "", "Security", "SOC 1; SOC 2"),
    ("SOC 1 & SOC 2", True, "", True, "", "Security", "SOC 1; SOC 2"),
    ("SOC 1 + SOC 2", True, "", True, "", "Security", "SOC 1; SOC 2"),
    ("SOC 1 & 2 Type II", True, "Type 2", True, "Type 2", "Security", "SOC 1 Type 2; SOC 2 Type 2"),
    ("SOC 1 and SOC 2 Type II", True, "", True, "Type 2", "Security", "SOC 1; SOC 2 Type 2"),
    ("SOC 1, 2 and 3", True, "", True, "", "Security", "SOC 1; SOC 2; SOC 3"),
    ("Type 2 SOC 2", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2 Type 1 and Type 2", False, "", True, "Type 2", "Security", "SOC 2 Type 1; SOC 2 Type 2"),
    ("No SOC 1, SOC 2 Type 2", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 1: N/A; SOC 2: Type II", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2 Type II report (2024)", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("SOC 2 Type 2 (12 months ending June 30, 2024)", False, "", True, "Type 2", "Security", "SOC 2 Type 2"),
    ("ISO 27001, SOC 2 Type 2, PCI DSS", False, "", True, "Type 2", "Security", "ISO 27001; SOC 2 Type 2; PCI DSS"),
    ("SOC II, SSAE 16", True, "", True, "", "Security", "SOC 2; SOC 1 (SSAE 16)"),
    ("none", False, "", False, "", "", ""),
    ("None", False, "", False, "", "", ""),
    ("n/a", False, "", False, "", "", ""),
    ("N/A", False, "", False, "", "", ""),
    ("-", False, "", False, "", "", ""),
    ("", False, "", False, "", "", ""),
    ("   ", False, "", False, "", "", ""),
    ("No SOC report", False, "", False, "", "", ""),
]


@pytest.mark.parametrize(("cell", "soc1", "soc1_type", "soc2", "soc2_type", "categories", "normalised"), SPELLINGS)
def test_real_world_report_spellings(cell, soc1, soc1_type, soc2, soc2_type, categories, normalised):
    row = parse_reports(pd.Series([cell])).iloc[0]
    assert row["holds_soc1"] == soc1
    assert row["soc1_type"] == soc1_type
    assert row["holds_soc2"] == soc2
    assert row["soc2_type"] == soc2_type
    assert row["soc2_categories"] == categories
    assert row["reports_normalised"] == normalised
    assert row["reports_problem"] == ""


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("SOC 4", "'SOC 4' is not a report socanalysis knows"),
        ("SOC 1, SOC 4", "'SOC 4'"),
        ("Type 2", "'Type 2' does not say which report"),
        ("Type II", "'Type II' does not say which report"),
        ("SOC", "'SOC' does not say which SOC report"),
        ("Yes", "'Yes' does not say which report"),
        ("SOC 2 Type 3", "'Type 3' is not a report type"),
        ("SSAE 99", "'SSAE 99' is not a report"),
        ("ISAE 3410", "'ISAE 3410' is not a report"),
        ("Security", "'Security' is not given with a SOC 2"),
        ("SOC 1 or SOC 2", "'or' is not a report"),
        ("SOC 2 Type II (Security, Availabilty)", "'Availabilty' (in parentheses after SOC 2) was not read"),
        ("SOC 1 Type 2 (Availability)", "follows SOC 1, which has no Trust Services Categories"),
        ("Acme Audit Co", "'Acme Audit Co' is not a report"),
    ],
)
def test_unreadable_fragments_are_named_not_guessed(cell, fragment):
    row = parse_reports(pd.Series([cell])).iloc[0]
    assert fragment in row["reports_problem"]


# how the grammar of a cell attaches types, categories and statuses: (cell, [(name, status, original)], problems)
GRAMMAR = [
    (
        "(Security, Availability) SOC 2 Type 2",
        [("SOC 2 Type 2 (Security, Availability)", "held", "Security, Availability) SOC 2 Type 2")],
        [],
    ),
    ("SOC 2 (Security, security)", [("SOC 2 (Security)", "held", "SOC 2 (Security, security)")], []),
    (
        "SOC 2 Type 2 \u2013 Security \u2013 Availability",
        [("SOC 2 Type 2 (Security, Availability)", "held", "SOC 2 Type 2 - Security - Availability")],
        [],
    ),
    ("ISO 27001 Type 2", [("ISO 27001", "held", "ISO 27001")], ["'Type 2' does not apply to ISO 27001"]),
    ("SOC 3 Type 2", [("SOC 3", "held", "SOC 3")], []),
    ("Pending: SOC 2", [("SOC 2", "in progress", "SOC 2")], []),
    ("SOC 1; Type 2 SOC 2", [("SOC 1", "held", "SOC 1"), ("SOC 2 Type 2", "held", "Type 2 SOC 2")], []),
    ("Type II: SOC 1, SOC 2", [("SOC 1 Type 2", "held", "Type II: SOC 1"), ("SOC 2", "held", "SOC 2")], []),
    ("SOC 1 Type II, Type 2", [("SOC 1 Type 2", "held", "SOC 1 Type II")], []),
    ("SOC 2 Type 1 Type 1", [("SOC 2 Type 1", "held", "SOC 2 Type 1")], []),
    ("SOC 1 Type 1 & Type 2", [("SOC 1 Type 1", "held", "SOC 1 Type 1"), ("SOC 1 Type 2", "held", "Type 2")], []),
    ("SSAE 18 SOC 1 Type 2", [("SOC 1 Type 2", "held", "SSAE 18 SOC 1 Type 2")], []),
    ("SSAE 18, SSAE 16", [("SOC 1", "held", "SSAE 18"), ("SOC 1 (SSAE 16)", "held", "SSAE 16")], []),
    ("SOC 1 (SSAE 16) SSAE 18", [("SOC 1 (SSAE 16)", "held", "SOC 1 (SSAE 16)"), ("SOC 1", "held", "SSAE 18")], []),
    ("SOC 1, 2", [("SOC 1", "held", "SOC 1"), ("SOC 2", "held", "2")], []),
    ("SOC 2+ HIPAA & 2", [("SOC 2+ HIPAA", "held", "SOC 2+ HIPAA")], ["'2' does not name a report"]),
    (
        "SOC 1 & 2 (in progress)",
        [("SOC 1", "in progress", "SOC 1 & 2 (in progress)"), ("SOC 2", "in progress", "2 (in progress)")],
        [],
    ),
    (
        "SOC 1 Type 2; SOC 2 expired",
        [("SOC 1 Type 2", "held", "SOC 1 Type 2"), ("SOC 2", "expired", "SOC 2 expired")],
        [],
    ),
    ("SOC 2 Type 2, n/a", [("SOC 2 Type 2", "held", "SOC 2 Type 2")], []),
    (
        "SOC 2 Type II (Acme Audit LLP)",
        [("SOC 2 Type 2", "held", "SOC 2 Type II (Acme Audit LLP)")],
        ["'Acme Audit LLP' (in parentheses after SOC 2) was not read"],
    ),
    (
        "SOC 2 Type II by Acme Audit LLP",
        [("SOC 2 Type 2", "held", "SOC 2 Type II")],
        ["'Acme Audit LLP' is not a report socanalysis knows"],
    ),
    (
        "FedRAMP Moderate / StateRAMP; NIST 800-53",
        [
            ("FedRAMP Moderate", "held", "FedRAMP Moderate"),
            ("StateRAMP", "held", "StateRAMP"),
            ("NIST 800-53", "held", "NIST 800-53"),
        ],
        [],
    ),
    ("x", [], ["'x' does not say which report is held"]),
]


@pytest.mark.parametrize(("cell", "reports", "problems"), GRAMMAR)
def test_how_a_cell_is_read(cell, reports, problems):
    assert [(r.name, r.status, r.original) for r in parse_report(cell, errors="ignore")] == reports
    assert parse_reports([cell])["reports_problem"].tolist() == ["; ".join(problems)]


def test_a_problem_keeps_what_could_be_read():
    row = parse_reports(pd.Series(["SOC 1 Type 2, SOC 4"])).iloc[0]
    assert row["holds_soc1"] and row["soc1_type"] == "Type 2"
    assert row["reports_normalised"] == "SOC 1 Type 2"
    assert "'SOC 4'" in row["reports_problem"]
    assert not row["holds_soc2"]


@pytest.mark.parametrize(
    ("cell", "not_held"),
    [
        ("SOC 2 Type 2 (in progress)", "SOC 2 Type 2 (in progress)"),
        ("SOC 2 planned Q3 2025", "SOC 2 (in progress)"),
        ("In progress: SOC 1 Type 1", "SOC 1 Type 1 (in progress)"),
        ("SOC 2 Type II expired 2023", "SOC 2 Type 2 (expired)"),
    ],
)
def test_reports_in_progress_or_expired_are_not_held(cell, not_held):
    row = parse_reports(pd.Series([cell])).iloc[0]
    assert not row["holds_soc1"] and not row["holds_soc2"]
    assert row["reports_not_held"] == not_held
    assert row["reports_normalised"] == ""


def test_other_reports_certifications_and_soc2_plus():
    row = parse_reports(
        pd.Series(["SOC 3; SOC for Cybersecurity; SOC 2+ HIPAA/HITRUST; ISO 27001; FedRAMP Moderate"])
    ).iloc[0]
    assert row["holds_soc3"]
    assert row["holds_soc2"]
    assert row["soc2_plus"] == "HIPAA; HITRUST"
    assert row["other_reports"] == "SOC for Cybersecurity"
    assert row["certifications"] == "ISO 27001; FedRAMP Moderate"


@pytest.mark.parametrize(
    "cell, name",
    [
        ("SOC 2+ HITRUST CSF", "SOC 2+ HITRUST"),
        ("SOC 2+ CSASTAR", "SOC 2+ CSA STAR"),
        ("SOC 2+ csa  star & nist", "SOC 2+ CSA STAR, NIST"),
        ("SOC 2+ ISO27001", "SOC 2+ ISO 27001"),
        ("SOC 2 plus PCIDSS / NISTCSF", "SOC 2+ PCI DSS, NIST CSF"),
        ("SOC 2+ CSA CCM", "SOC 2+ CSA CCM"),
    ],
)
def test_soc2_plus_subjects_in_any_spacing(cell, name):
    assert [r.name for r in parse_report(cell)] == [name]


def test_soc3_alone_is_not_a_soc2():
    row = parse_reports(pd.Series(["SOC 3"])).iloc[0]
    assert row["holds_soc3"] and not row["holds_soc2"] and row["soc2_categories"] == ""


def test_parse_reports_keeps_index_and_length_and_reads_blanks_as_nothing():
    series = pd.Series(["SOC 1", None, np.nan, "SOC 2", "SOC 1"], index=[10, 20, 30, 40, 50], name="Reports")
    before = series.copy()
    out = parse_reports(series)
    assert list(out.index) == [10, 20, 30, 40, 50]
    assert list(out.columns) == list(REPORT_COLUMNS)
    assert out["holds_soc1"].tolist() == [True, False, False, False, True]
    assert out["holds_soc2"].dtype == bool
    pd.testing.assert_series_equal(series, before)


def test_parse_reports_reads_non_text_cells():
    out = parse_reports(pd.Series([2, 0, True], dtype=object))
    assert out["reports_problem"].iloc[0] == "'2' does not name a report"
    assert out["reports_problem"].iloc[1] == ""


def test_parse_report_returns_report_objects():
    reports = parse_report("SOC 1 Type II; SOC 2 Type 2 (Security, Privacy)")
    assert reports == [
        Report("SOC 1", "Type 2", (), "SOC 1 Type II"),
        Report("SOC 2", "Type 2", ("Security", "Privacy"), "SOC 2 Type 2 (Security, Privacy)"),
    ]
    assert [r.counts_as for r in reports] == ["SOC 1", "SOC 2"]
    assert parse_report("ISAE 3402")[0].counts_as == "SOC 1"
    assert parse_report("ISAE 3000")[0].counts_as == "SOC 2"
    assert parse_report("SOC 3")[0].counts_as == "SOC 3"
    assert parse_report("ISO 27001")[0].counts_as == ""
    assert parse_report(None) == []


def test_parse_report_raises_or_ignores():
    with pytest.raises(ValueParseError, match=r"cannot read 'SOC 1; SOC 9'.*'SOC 9' is not a report"):
        parse_report("SOC 1; SOC 9")
    assert [r.kind for r in parse_report("SOC 1; SOC 9", errors="ignore")] == ["SOC 1"]
    with pytest.raises(ValueError, match="errors='loud'"):
        parse_report("SOC 1", errors="loud")


KNOWN = [
    "SOC 2 Type II",
    "SOC1",
    "SSAE 18",
    "ISAE 3402 Type 2",
    "SOC 2 Type I (Security, Privacy)",
    "SOC 3",
    "SOC 2+ HIPAA",
    "ISAE 3000",
    "SOC 1 Type 1",
    "SOC for Supply Chain",
    "CSAE 3416",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(KNOWN), min_size=1, max_size=4), st.sampled_from(["; ", ", ", " / ", "\n", " | "]))
def test_normalised_spelling_reads_back_to_the_same_holdings(parts, sep):
    first = parse_reports(pd.Series([sep.join(parts)]))
    again = parse_reports(first["reports_normalised"])
    columns = ["holds_soc1", "soc1_type", "holds_soc2", "soc2_type", "soc2_categories", "holds_soc3"]
    assert first[columns].iloc[0].tolist() == again[columns].iloc[0].tolist()
    assert first["reports_problem"].iloc[0] == "" == again["reports_problem"].iloc[0]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), max_size=8))
def test_parse_reports_never_fails_and_keeps_every_row(cells):
    out = parse_reports(pd.Series(cells, dtype=object))
    assert len(out) == len(cells)
    assert out["holds_soc1"].dtype == bool


# words of every kind the scanner knows, spelled as cells spell them
WORDS = [
    *("SOC 1", "SOC2", "soc ii", "SOC-3", "SOC 4", "SOC", "SOC 2+", "SOC 2+ HIPAA/HITRUST", "SOC 2 plus HITRUST CSF"),
    *("SOC 2+ csastar & nist", "SOC for Cybersecurity", "SOC supply-chain", "SSAE 18", "SSAE No. 16", "SSAE 17"),
    *("SAS 70", "ISAE 3402", "ISAE 3000 (Revised)", "ISAE 1234", "CSAE 3416", "ISO/IEC 27001:2013", "PCI-DSS v4.0"),
    *("HITRUST r2", "HIPAA", "FedRAMP li-saas", "CSA STAR Level 2", "NIST 800-171r2", "CMMC Level 2", "TISAX"),
    *("Cyber Essentials Plus", "Type 1", "Type II", "type-2", "Type 3", "Security", "processing-integrity"),
    *("common criteria", "in progress", "not yet issued", "expired", "n/a", "none", "no", "yes", "\u2713", "1", "ii"),
    *("12 months", "2024", "06/30/2024", "June 30, 2024", "AT-C 205", ";", ",", "/", "|", "&", "+", "and", "\n"),
    *("(", ")", "[", "]", "report", "the", "FY2024", "Q3", ":", "-", "*", "\u2013", "\u00ae", "\u00a0", "Acme", "x"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", "", "  "])), max_size=10))
def test_any_cell_of_known_words_is_read_without_error(parts):
    cell = "".join(word + space for word, space in parts)
    reports = parse_report(cell, errors="ignore")
    row = parse_reports([cell]).iloc[0]
    assert row["reports_normalised"] == "; ".join(dict.fromkeys(r.name for r in reports if r.status == "held"))
    plain = re.sub(" +", " ", cell.translate({0x2013: "-", 0xAE: None, 0xA0: " "}))
    assert all(r.original and r.original in plain for r in reports)


# ----------------------------------------------------------------------------------------------
# dates
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2025-06-30",
        "2025/06/30",
        "2025.06.30",
        "06/30/2025",
        "6/30/2025",
        "6/30/25",
        "06-30-2025",
        "30/06/2025",
        "30 Jun 2025",
        "30 June 2025",
        "30-Jun-2025",
        "30-Jun-25",
        "Jun 30 2025",
        "June 30, 2025",
        "June 30th, 2025",
        "Monday, June 30, 2025",
        "2025-Jun-30",
        "2025-06-30 00:00:00",
        "2025-06-30T00:00:00",
        "2025-06-30T10:15:00Z",
        "6/30/2025 0:00",
        "6/30/2025 12:00 PM",
        "20250630",
        "45838",
        "45838.0",
        "45838.75",
        45838,
        45838.0,
        dt.date(2025, 6, 30),
        dt.datetime(2025, 6, 30, 18, 0),
        pd.Timestamp("2025-06-30 08:00"),
        np.datetime64("2025-06-30"),
        " 2025-06-30 ",
        "2025\u201306\u201330",
    ],
)
def test_real_world_date_spellings(value):
    dates, problems = parse_dates(pd.Series([value], dtype=object))
    assert problems.empty
    assert dates.iloc[0] == pd.Timestamp("2025-06-30")


@pytest.mark.parametrize(
    ("value", "expected", "dayfirst"),
    [
        ("03/04/2025", "2025-03-04", False),  # US: month first
        ("13/04/2025", "2025-04-13", False),  # first number > 12: day first
        ("03/04/2025", "2025-04-03", True),
        ("03/13/2025", "2025-03-13", True),  # second number > 12: month first even with dayfirst
        ("1/2/68", "2068-01-02", False),  # two-digit years: 00-68 -> 20YY
        ("1/2/69", "1969-01-02", False),  # 69-99 -> 19YY
    ],
)
def test_ambiguous_day_month_order(value, expected, dayfirst):
    dates, problems = parse_dates(pd.Series([value]), dayfirst=dayfirst)
    assert problems.empty
    assert dates.iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("31/31/2025", "neither 31 nor 31 can be a month"),
        ("2025-02-30", "there is no day 30 in February 2025"),
        ("2025-13-01", "there is no month 13"),
        ("June 2025", "has no day"),
        ("soon", "not a date socanalysis can read"),
        ("TBD", "not a date socanalysis can read"),
        ("123", "not a plausible Excel date serial"),
        ("99999", "not a plausible Excel date serial"),
        ("1/1/1850", "year 1850 is outside 1900-2100"),
        (True, "a yes/no value is not a date"),
    ],
)
def test_unreadable_dates_are_reported_with_row_column_and_value(value, problem):
    series = pd.Series(["2025-06-30", value, None], dtype=object, name="Period End")
    dates, problems = parse_dates(series)
    assert dates.isna().tolist() == [False, True, True]
    assert len(problems) == 1
    case = problems.iloc[0]
    assert (case["row"], case["column"], case["value"]) == (2, "Period End", value)
    assert problem in case["problem"]


def test_every_unreadable_row_is_reported_once_per_row():
    series = pd.Series(["x", "2025-06-30", "x", "y"], index=list("abcd"))
    dates, problems = parse_dates(series, column="PE")
    assert problems["row"].tolist() == [1, 3, 4]
    assert set(problems["column"]) == {"PE"}
    assert list(dates.index) == list("abcd")


@pytest.mark.parametrize("blank", [None, np.nan, "", " ", "-", "n/a", "N/A", "none", pd.NaT])
def test_blank_dates_are_not_problems(blank):
    dates, problems = parse_dates(pd.Series([blank], dtype=object))
    assert problems.empty and dates.isna().all()


def test_parse_dates_passes_datetime_columns_through():
    series = pd.Series(pd.to_datetime(["2025-06-30 10:00", None]), name="PE")
    dates, problems = parse_dates(series)
    assert dates.dtype == "datetime64[ns]"
    assert dates.iloc[0] == pd.Timestamp("2025-06-30") and pd.isna(dates.iloc[1])
    assert problems.empty


def test_parse_dates_returns_nanosecond_dates_and_keeps_input():
    series = pd.Series(["2025-06-30", "bad"])
    before = series.copy()
    dates, _ = parse_dates(series)
    assert dates.dtype == "datetime64[ns]"
    pd.testing.assert_series_equal(series, before)


@pytest.mark.parametrize(
    ("value", "month", "day"),
    [
        ("Dec-31", 12, 31),
        ("31-Dec", 12, 31),
        ("12/31", 12, 31),
        ("31/12", 12, 31),
        ("December 31", 12, 31),
        ("Dec 31st", 12, 31),
        ("June 30", 6, 30),
        ("30 June", 6, 30),
        ("FYE June", 6, 30),
        ("June", 6, 30),
        ("FY ends 30 June", 6, 30),
        ("Fiscal year end: March 31", 3, 31),
        ("Calendar year", 12, 31),
        ("February", 2, 29),
        ("Sep-30", 9, 30),
        ("3/31", 3, 31),
        ("12/31/2025", 12, 31),
        ("2025-12-31", 12, 31),
        ("46022", 12, 31),
        (46022, 12, 31),
        ("30-Apr", 4, 30),
    ],
)
def test_fiscal_year_end_spellings(value, month, day):
    md, problems = parse_month_day(pd.Series([value], dtype=object))
    assert problems.empty
    assert (md["month"].iloc[0], md["day"].iloc[0]) == (month, day)


@pytest.mark.parametrize("value", ["Q4", "13/31", "Feb 30", "sometime", "12"])
def test_unreadable_fiscal_year_ends_are_reported(value):
    md, problems = parse_month_day(pd.Series([value], name="FYE"))
    assert md.isna().all().all()
    assert problems[["row", "column", "value"]].values.tolist() == [[1, "FYE", value]]


def test_resolve_month_day_takes_the_next_occurrence_on_or_after():
    md = pd.DataFrame({"month": [12, 6, 6, 2, 2, None], "day": [31, 30, 30, 29, 29, None]}, dtype="Int64")
    after = pd.Series(
        pd.to_datetime(["2025-06-30", "2025-06-30", "2025-07-01", "2025-03-01", "2027-03-01", "2025-01-01"]),
        index=list("abcdef"),
    )
    out = resolve_month_day(md, after)
    assert list(out.index) == list("abcdef")
    assert out.dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2025-12-31",
        "2025-06-30",
        "2026-06-30",
        "2026-02-28",
        "2028-02-29",
        "",
    ]
