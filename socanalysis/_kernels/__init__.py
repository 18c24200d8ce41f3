"""Compiled passes (numba) behind plain signatures: arrays and plain values in, arrays out.

Only the classifier and the lead engines call them. Each earns its place with a measured figure,
in a comment above it: its time against the simplest library call that gives the same result,
as ``benchmarks/bench_kernels.py`` measures them on a million rows.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "scanning": [
            "CLASSES",
            "build_pair_filter",
            "build_phrase_table",
            "build_table",
            "find_terms",
            "find_terms_at",
            "first_seen",
            "grow_table",
            "hash_strings",
            "load_compiler",
            "scan",
            "tally_votes",
        ],
        "roles": [
            "ADVICE_CUE",
            "ADVISED",
            "BUSINESS",
            "CAPABLE",
            "INVEST_CUE",
            "IN_PAIRS",
            "MADE",
            "MAKE_CUE",
            "MONEY",
            "NOUN",
            "OWN_AFTER_CUE",
            "OWN_CUE",
            "OWN_SYSTEM",
            "OWN_USE",
            "OUR_CUE",
            "PARTNER_CUE",
            "PRODUCT",
            "SERVICE",
            "SILENT",
            "SYSTEM",
            "TOOL",
            "USES_US_CUE",
            "USE_CUE",
            "read_roles",
        ],
        "strings": ["domain_keys", "flatten", "join_evidence", "name_keys", "visible_ascii"],
        "csvout": ["CellTable", "CodedColumn", "IntColumn", "TextColumn", "format_csv", "header_line", "stray_quote"],
    },
)
