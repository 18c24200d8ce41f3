"""Load: where the bytes come from, their format and encoding, the header row, the field mapping,
and the values read from cells (report names, dates).

What the other rooms may use is listed here; each name is imported on first use, so that the
command line can read a file's layout before pandas loads.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "fields": ["FIELDS", "FIELD_BY_NAME", "Field", "fields_of", "mapping_table", "normalise_header", "resolve"],
        "sources": [
            "ACCEPTED_EXTENSIONS",
            "NUL_MARK",
            "NUL_NOTE",
            "REPAIRED_NOTE",
            "REPAIR_MARK",
            "csv_layout_of",
            "remove_nul",
            "repair_utf8",
        ],
        "cells": ["ARROW_TEXT", "TEXT_DTYPE", "as_text"],
        "formats": ["csv_options"],
        "reading": ["DUPLICATE_COLUMN", "load_portfolio", "read_table"],
        "mapping": ["field_mapping", "require_name", "require_signal", "validate_columns"],
        "names": ["LEGAL_SUFFIXES", "find_duplicates", "fold_text", "normalise_domain", "normalise_name"],
        "reports": ["REPORT_COLUMNS", "Report", "parse_report", "parse_reports"],
        "dates": ["parse_dates", "parse_month_day", "resolve_as_of", "resolve_month_day"],
        "samples": ["SAMPLES", "load_sample_leads", "load_sample_portfolio", "sample_path"],
    },
)
