"""The shared words of socanalysis: one name for each, below every other module.

The values a column may hold and the names of the fields and columns that the stages pass to each
other live here, so that the loader, the classifier, the portfolio, the charts and the dashboards
speak of the same things with the same words. Nothing here imports anything.

>>> REPORT_VALUES
('SOC 1', 'SOC 2', 'Both', 'Neither', 'Undetermined')
>>> "Security" == CATEGORIES[0]
True
>>> set(CURRENT_STATUSES) <= set(NEEDS_REPORT_STATUSES) < set(STATUSES)
True
"""

# ---------------------------------------------------------------- what the classifier says
REPORT_VALUES: tuple[str, ...] = ("SOC 1", "SOC 2", "Both", "Neither", "Undetermined")
"""Every value of ``soc_report``: the report an organisation needs."""

NEEDS_A_REPORT: tuple[str, ...] = ("SOC 1", "SOC 2", "Both")
"""The values of ``soc_report`` that recommend a report."""

CONFIDENCE_VALUES: tuple[str, ...] = ("high", "medium", "low")
"""Every value of ``confidence``, most sure first."""

CATEGORIES: tuple[str, ...] = ("Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy")
"""The SOC 2 Trust Services Categories, in the order ``tsc_categories`` lists them (Security always first)."""

OBJECTIVES: tuple[str, ...] = (
    "transaction processing",
    "access to financial records",
    "data transmission",
    "operational effectiveness",
)
"""The SOC 1 control objectives ``soc1_objectives`` names, in order."""

REPORT_TYPES: tuple[str, ...] = ("Type 1", "Type 2")
"""Every non-empty value of ``report_type``."""

EXTRAS: tuple[str, ...] = ("SOC 3", "SOC 2+ HIPAA", "SOC for Supply Chain", "SOC for Cybersecurity")
"""Other reports worth offering, as rules can support them."""

INTERNATIONAL: tuple[str, ...] = ("ISAE 3402", "ISAE 3000", "CSAE 3416")
"""The SOC 1 and SOC 2 counterparts outside the US (ISAE) and in Canada (CSAE)."""

ALSO_CONSIDER: tuple[str, ...] = (*EXTRAS, *INTERNATIONAL)
"""Every report ``also_consider`` may name, in its order."""

OUTPUT_COLUMNS: tuple[str, ...] = (
    "soc_report",
    "soc1_score",
    "soc2_score",
    "confidence",
    "tsc_categories",
    "soc1_objectives",
    "report_type",
    "also_consider",
    "rationale",
    "evidence",
    "problem",
)
"""The columns :func:`socanalysis.classify` adds, in order."""

REVIEW_COLUMNS: tuple[str, ...] = ("decided_by", "review_reason", "reviewed_at", "classifier_report")
"""The columns every classification adds after :data:`OUTPUT_COLUMNS`: who decided the row's report (the
classifier, or a reviewer by name), the reviewer's reason and time (ISO 8601, UTC; empty for the classifier's
rows), and the classifier's own ``soc_report``, kept so that a reviewer's disagreement stays visible."""

DECIDED_BY_CLASSIFIER = "classifier"
"""The value of ``decided_by`` in a row no reviewer has decided."""

# ---------------------------------------------------------------- what the portfolio says
STATUSES: tuple[str, ...] = (
    "Covered",
    "Renewal due",
    "Unverified",
    "Stale",
    "Gap: SOC 1",
    "Gap: SOC 2",
    "Gap: SOC 1 + SOC 2",
    "Review",
    "Not needed",
)
"""Every value of ``coverage_status``, in display order: held and current, held with something to do,
a needed report missing, then no report needed (or the need to review)."""

GAP_STATUSES: tuple[str, ...] = ("Gap: SOC 1", "Gap: SOC 2", "Gap: SOC 1 + SOC 2")
"""The statuses of an organisation missing a report it needs."""

CURRENT_STATUSES: tuple[str, ...] = ("Covered", "Renewal due")
"""The statuses of an organisation that holds everything it needs, current at the date judged: "covered
and current" (a renewal due within the window is still current)."""

NEEDS_REPORT_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s not in ("Review", "Not needed"))
"""The statuses of an organisation that needs a SOC report: the denominator of every coverage share."""

NOT_GIVEN = "(not given)"
"""The segment of organisations whose segment column is blank."""

# ---------------------------------------------------------------- the fields of a portfolio or lead list
TEXT_FIELDS: tuple[str, ...] = ("description", "industry", "sector", "name")
"""Fields matched as text, in order of trust (the name last)."""

CODE_FIELDS: tuple[str, ...] = ("naics", "sic")
"""Fields holding industry codes."""

QUESTION_FIELDS: tuple[str, ...] = (
    "q_payroll",
    "q_transactions",
    "q_financial_reporting",
    "q_customer_data",
    "q_personal_data",
    "q_health_data",
    "q_uptime",
    "q_consumer",
    "q_confidential",
)
"""Yes/no questionnaire fields."""

SIGNAL_FIELDS: tuple[str, ...] = ("description", "industry", "sector", "naics", "sic", *QUESTION_FIELDS)
"""Fields that carry something to classify on (a name alone does not)."""

ATTRS_KEY = "socanalysis"
"""``df.attrs[ATTRS_KEY]["fields"]`` carries the field mapping (field -> column) of a user's frame."""

# ---------------------------------------------------------------- files for people
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula: such cells are written with a leading ``'``."""
