"""Explain the classification of one organisation: every rule that fired and what it weighed.

>>> e = explain("We run payroll for small employers", industry="Human Resource & Employment Services")
>>> e.report
'Both'
>>> e.contributions.set_index("rule").loc[["payroll", "label-human-resource-and-employment-services"], "SOC 1"].tolist()
[0.92, 0.75]
>>> print(e.lines()[1][:81])
Why: Runs payroll for employers ('run payroll' in description): it can change the
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ..vocabulary import ATTRS_KEY, QUESTION_FIELDS
from .decide import _collect, classify
from .matching import Hits
from .rules import load_rules

_SHOWN = ("SOC 1", "SOC 2", "Neither", "Availability", "Processing Integrity", "Confidentiality", "Privacy")


@dataclass
class Explanation:
    """The classified row and the table of rule contributions behind it."""

    row: pd.Series
    contributions: pd.DataFrame

    @property
    def report(self) -> str:
        return str(self.row["soc_report"])

    def lines(self) -> list[str]:
        """A plain-text account for a terminal."""
        r = self.row
        out = [
            f"Recommendation: {r['soc_report']} (confidence {r['confidence']}; "
            f"SOC 1 score {r['soc1_score']:.2f}, SOC 2 score {r['soc2_score']:.2f})",
            f"Why: {r['rationale']}",
        ]
        if r["tsc_categories"]:
            out.append(f"Trust Services Categories: {r['tsc_categories']}")
        if r["soc1_objectives"]:
            out.append(f"SOC 1 control objectives: {r['soc1_objectives']}")
        if r["report_type"]:
            out.append(f"Report type: {r['report_type']}")
        if r["also_consider"]:
            out.append(f"Also consider: {r['also_consider']}")
        if r["problem"]:
            out.append(f"Problem: {r['problem']}")
        if len(self.contributions):
            out.append("Rules that fired:")
            for c in self.contributions.to_dict("records"):
                weights = ", ".join(f"{t} {c[t]:+.2f}" for t in _SHOWN if c[t])
                flag = " (negated: not counted)" if c["negated"] else ""
                flag = flag or (" (names the customers: not counted)" if c["customers"] else "")
                out.append(f"  - {c['rule']}: {c['reason']}; {c['matched']}{flag} [{weights}]")
        else:
            out.append("No rule fired.")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def explain(
    text: str | None = None,
    *,
    name: str | None = None,
    industry: str | None = None,
    sector: str | None = None,
    naics: str | None = None,
    sic: str | None = None,
    country: str | None = None,
    reports: str | None = None,
    answers: Mapping[str, bool | None] | None = None,
    rules=None,
) -> Explanation:
    """Classify one organisation described by its text, industry, codes and yes/no answers.

    ``answers`` maps questionnaire fields (``q_payroll``, ``q_transactions``, ``q_customer_data``,
    ``q_personal_data``, ``q_health_data``, ``q_uptime``, ``q_consumer``, ``q_confidential``,
    ``q_financial_reporting``) to True, False or None (not answered).
    """
    ruleset = load_rules(rules)
    values = {
        "name": name,
        "description": text,
        "industry": industry,
        "sector": sector,
        "naics": naics,
        "sic": sic,
        "country": country,
        "reports": reports,
    }
    for q, v in (answers or {}).items():
        if q not in QUESTION_FIELDS:
            raise ValueError(f"{q!r} is not a question; accepted: {', '.join(QUESTION_FIELDS)}")
        values[q] = None if v is None else ("yes" if v else "no")
    mapping = {f: f for f in values}
    df = pd.DataFrame({f: pd.Series([v], dtype="str") for f, v in values.items()})
    df.attrs = {ATTRS_KEY: {"fields": mapping}}
    row = classify(df, rules=ruleset).iloc[0]
    sig = _collect({f: pa.array([v], pa.large_string()) for f, v in values.items()}, 1, mapping, ruleset)
    hits = Hits.concat(sig.parts)
    records = []
    seen = set()
    customers = hits.audience.tolist()  # named as customers or an investment: shown, not counted
    for term_id, negated, customer in zip(hits.terms.tolist(), hits.negated.tolist(), customers, strict=True):
        term = ruleset.terms[term_id]
        rule = ruleset.rules[term.rule]
        if (rule.id, negated, customer) in seen:
            continue
        seen.add((rule.id, negated, customer))
        rec = {
            "rule": rule.id,
            "reason": rule.reason,
            "matched": f"{term.shown or repr(term.text)} in {term.field}",
            "negated": negated,
            "customers": customer,
        }
        for t in _SHOWN:
            rec[t] = rule.supports.get(t, 0.0)
        records.append(rec)
    table = pd.DataFrame(records, columns=["rule", "reason", "matched", "negated", "customers", *_SHOWN])
    return Explanation(row, table)
