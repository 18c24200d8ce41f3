"""Tiny classify-like portfolios for the portfolio tests (coverage, pricing, summaries)."""

import pandas as pd

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


FEES = {  # round numbers: a price in a test reads as the fees that make it up
    "reports": {"SOC 1 Type 1": 10, "SOC 1 Type 2": 20, "SOC 2 Type 1": 30, "SOC 2 Type 2": 40},
    "add_ons": {"Additional category": 1, "SOC 3": 2, "Bridge letter": 3},
    "size_bands": {"default_multiplier": 1, "bands": [{"name": "Big", "multiplier": 10}]},
}
