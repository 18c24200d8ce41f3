"""Opportunities: what could be sold per organisation and its fee."""

import pandas as pd
import pytest
from portfolio_frames import AS_OF, FEES, frame

from socanalysis.errors import ColumnError
from socanalysis.portfolio.coverage import coverage
from socanalysis.portfolio.pricing import opportunities


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
        # Unverified (held, no period end): the Type 2 after a Type 1 is still counted, no renewal
        ({"soc_report": "SOC 2", "Reports": "SOC 2 Type 1"}, "SOC 2 Type 2 (after the Type 1; Security)", 40),
        ({"soc_report": "SOC 2", "Reports": "SOC 2 Type 2"}, "", 0),
        # Review (classified Neither, holds a report): nothing is counted until someone decides
        ({"soc_report": "Neither", "Reports": "SOC 2 Type 2; SOC 3", "Period End": "2024-01-31"}, "", 0),
        ({"soc_report": "Neither", "Reports": "SOC 1", "also_consider": "SOC 3", "FYE": "June 30"}, "", 0),
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
