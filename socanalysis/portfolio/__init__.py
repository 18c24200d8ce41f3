"""Portfolio: what each organisation holds against what it needs (coverage statuses, renewals,
bridge letters), fees and opportunities, summaries by segment, and comparisons.

What the other rooms may use is listed here; each name is imported on first use.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "coverage": ["COVERAGE_COLUMNS", "coverage", "coverage_problems"],
        "fees": ["FeeSchedule", "FeeScheduleError", "SizeBand", "load_fees"],
        "pricing": ["opportunities"],
        "summary": ["summarize"],
        "segments": [
            "DEFAULT_TOP",
            "GICS_SECTORS",
            "Segments",
            "order_segments",
            "segment_column",
            "segment_labels",
            "segments",
            "SegmentTotals",
            "segment_totals",
            "INDUSTRY_FIELDS",
        ],
        "headline": ["HEADLINE_COLUMNS", "PARTITION", "headline", "share_text"],
        "compare": ["UnknownOrganisationError", "compare_entities", "compare_reports", "control_overview"],
    },
)
