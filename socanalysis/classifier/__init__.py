"""Classify: the rules (data files, their loader and compiler), term and code matching, the
decision with its evidence, and one organisation explained.

What the other rooms may use is listed here; each name is imported on first use.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "decide": ["READ_FIELDS", "classify", "classify_columns", "output_frame"],
        "explain": ["Explanation", "explain"],
        "rules": ["TARGETS", "Rule", "RuleSet", "load_rules"],
        "taxonomy": ["IndustryEntry", "industry_label", "label_entry", "normalise_label"],
    },
)
