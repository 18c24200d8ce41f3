"""The rewritten report-cell parser against the former one, read from the commit before the rewrite."""

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis.load import dates as new_dates
from socanalysis.load import reports as new_reports

FORMER = "7db0898:socanalysis/load/holdings.py"  # holdings.py before the split
_ROOT = Path(__file__).resolve().parents[1]
_code = subprocess.run(["git", "show", FORMER], cwd=_ROOT, capture_output=True, text=True, check=True).stdout
_spec = importlib.util.spec_from_loader("socanalysis.load._former_holdings", loader=None)
old = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = old
exec(compile(_code, FORMER, "exec"), old.__dict__)

FRAGMENTS = [
    # reports
    "SOC 1",
    "SOC1",
    "soc 2",
    "SOC2",
    "SOC II",
    "SOC I",
    "soc-3",
    "SOC iii",
    "SOC 4",
    "SOC 0",
    "SOC 12",
    "SOC two",
    "SOC",
    "soc",
    "SOC 2+",
    "SOC 2 +",
    "SOC 2+ HIPAA",
    "SOC2+HITRUST",
    "SOC 2 plus HIPAA",
    "SOC 2+ HIPAA/HITRUST",
    "SOC 2+ HITRUST CSF",
    "SOC 2+ csa star & nist",
    "SOC II plus PCI DSS",
    "SOC 2+ ISO 27001",
    "SOC 2+ cobit",
    "SOC for Cybersecurity",
    "SOC for Cyber",
    "SOC-Cyber Security",
    "SOC for Supply Chain",
    "soc supply-chain",
    "SOC for Cybersecurity Risk Management",
    "SSAE 18",
    "SSAE-16",
    "SSAE No. 18",
    "SSAE #16",
    "SSAE 17",
    "SAS 70",
    "SAS No. 70",
    "SAS70",
    "ISAE 3402",
    "ISAE 3000",
    "ISAE 3000 (Revised)",
    "ISAE 1234",
    "CSAE 3416",
    "CSAE 1",
    # certifications
    "ISO 27001",
    "ISO/IEC 27001:2013",
    "ISO 9001",
    "PCI DSS",
    "PCI-DSS v4.0",
    "PCI Level 1",
    "HITRUST",
    "HITRUST r2",
    "HIPAA",
    "FedRAMP",
    "FedRAMP Moderate",
    "FedRAMP li-saas",
    "StateRAMP",
    "CSA STAR",
    "CSA STAR Level 2",
    "GDPR",
    "CCPA",
    "NIST CSF",
    "NIST 800-53",
    "NIST 800-171r2",
    "CMMC",
    "CMMC Level 2",
    "Cyber Essentials",
    "Cyber Essentials Plus",
    "TISAX",
    "IRAP",
    # qualifiers
    "Type 1",
    "Type I",
    "Type II",
    "Type 2",
    "type-2",
    "Type 3",
    "Type iv",
    "Type two",
    "TypeII",
    "Security",
    "Availability",
    "Processing Integrity",
    "processing-integrity",
    "Confidentiality",
    "Privacy",
    "common criteria",
    "in progress",
    "in-progress",
    "planned",
    "pending",
    "expected",
    "readiness",
    "underway",
    "not yet issued",
    "to be issued",
    "expired",
    "lapsed",
    "out of date",
    "none",
    "n/a",
    "N / A",
    "not held",
    "no",
    "nil",
    "unknown",
    "na",
    "yes",
    "true",
    "y",
    "x",
    "\u2713",
    "1",
    "2",
    "3",
    "ii",
    "iii",
    "4",
    "12 months",
    "6-month",
    "2024",
    "06/30/2024",
    "2024-12-31",
    "June 30, 2024",
    "30 June 2024",
    "AT-C 205",
    "AT-C section 320",
    # structure
    ";",
    ",",
    "/",
    "|",
    "&",
    "+",
    "and",
    "plus",
    "\n",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    # noise
    "report",
    "audit",
    "the",
    "with",
    "a",
    "of",
    "current",
    "latest",
    "completed",
    "FY2024",
    "Q3",
    "period ended",
    "AICPA",
    "trust services",
    "criteria",
    "opinion",
    "type of report",
    ":",
    "-",
    ".",
    "'",
    '"',
    "*",
    "#",
    "\u2022",
    "\u2013",
    "\u2014",
    "\u00ae",
    "\u2122",
    "\u00a0",
    # unknown words
    "Acme",
    "Foo",
    "xyz",
    "bar42",
    "SOCX",
    "sock",
    "Typeface",
    "securityx",
]

cells = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from([" ", " ", " ", "", "  "])), min_size=0, max_size=9
).map(lambda parts: "".join(f + s for f, s in parts))


def _same(cell):
    try:
        old_reports, old_problems = old._read_cell(cell)
    except KeyError:
        return
    new_reports_, new_problems = new_reports._read_cell(cell)
    assert [dataclasses.astuple(r) for r in new_reports_] == [dataclasses.astuple(r) for r in old_reports], cell
    assert new_problems == old_problems, cell


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells)
def test_report_cells_read_as_before(cell):
    _same(cell)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="SOCsoc123iIvV +&/;,()-.TypeABLNnax\u00a0\u2013", max_size=30))
def test_any_text_reads_as_before(cell):
    _same(cell)


DATE_FRAGMENTS = [
    "2025",
    "25",
    "06",
    "6",
    "30",
    "31",
    "13",
    "1",
    "0",
    "29",
    "02",
    "June",
    "Jun",
    "sept",
    "Dec",
    "FYE",
    "fiscal year end",
    "calendar year",
    "CY",
    "Monday,",
    "1st",
    "30th",
    "-",
    "/",
    ".",
    ",",
    " ",
    "45838",
    "45838.5",
    "20250630",
    "T12:00",
    "00:00:00",
    "pm",
    "Z",
    "n/a",
    "none",
    "Q5",
    "\u2013",
]
date_cells = st.lists(st.sampled_from(DATE_FRAGMENTS), max_size=6).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(date_cells, min_size=1, max_size=5), st.booleans())
def test_dates_read_as_before(values, dayfirst):
    series = pd.Series(values, name="End")
    for new, former in ((new_dates.parse_dates, old.parse_dates), (new_dates.parse_month_day, old.parse_month_day)):
        a, pa_ = new(series, dayfirst=dayfirst)
        b, pb = former(series, dayfirst=dayfirst)
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
        pd.testing.assert_frame_equal(pa_, pb)
