"""The words of a decision: the rationale that quotes what decided it, and the evidence column that
lists every term found, with the column it came from and how it was read.

Both are written once per distinct combination, not once per row: the rationale per (decision,
categories, terms quoted), cached per rule set and column names; the evidence in one compiled pass.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .._kernels import join_evidence
from ..vocabulary import CATEGORIES, CODE_FIELDS, QUESTION_FIELDS
from .codes import CACHE_LIMIT
from .columns import coded
from .matching import Hits
from .rules import RuleSet

_SOC1_WHY = "it can change the numbers in its customers' financial statements, so SOC 1"
_SOC2_WHY = "it holds customers' data or runs systems they rely on, so SOC 2"
_NEITHER_WHY = (
    "it provides no service that touches other organisations' financial reporting or data, so neither SOC 1 nor SOC 2"
)


def _with_categories(bits: int) -> str:
    extra = [c for i, c in enumerate(CATEGORIES[1:]) if bits >= 0 and bits >> i & 1]
    if not extra:
        return " (Security)"
    if len(extra) == 1:
        return f" with {extra[0]}"
    return " with " + ", ".join(extra[:-1]) + f" and {extra[-1]}"


def rationale(rs, headers, top, decision, soc1, soc2, neither, cat_bits, conflict) -> pa.DictionaryArray:
    """``top``: the strongest term for SOC 1, SOC 2, Neither and either report (-1: none), per row.

    ``soc1``, ``soc2``, ``neither``: the decision recommends SOC 1, SOC 2, neither report;
    ``conflict``: strong evidence points the other way too (the strongest term of the other side
    is quoted).
    """
    t1, t2, tn, tw = top
    # decision, categories and the terms quoted: only these matter to the text. Three term slots:
    # for a report, (SOC 1 term, SOC 2 term, the Neither term against it); for Neither, (-, the
    # term of a report against it, the Neither term or the strongest weak sign)
    first = np.where(soc1, t1, -1)
    second = np.where(soc2, t2, np.where(neither & conflict, tw, -1))
    third = np.where(neither, np.where(tn >= 0, tn, tw), np.where(conflict, tn, -1))
    size = len(rs.terms) + 1
    key = ((((decision * 17 + cat_bits + 1) * size + first + 1) * size + second + 1) * size + third + 1) * 2 + (tn >= 0)
    codes, uniq = pd.factorize(key)
    # the same few thousand sentences come back chunk after chunk: written once per rule set and columns
    cache = rs.cache.setdefault(("sentences", *headers.items()), {})
    texts = []
    for key_ in uniq.tolist():
        text = cache.get(key_)
        if text is None:
            if len(cache) >= CACHE_LIMIT:  # keep memory bounded whatever the rules
                cache.clear()
            k, is_neither = divmod(key_, 2)
            k, c = divmod(k, size)
            k, b = divmod(k, size)
            k, a = divmod(k, size)
            d, cats = divmod(k, 17)
            text = cache[key_] = _sentence(rs, headers, d, cats - 1, a - 1, b - 1, c - 1, bool(is_neither))
        texts.append(text)
    return coded(texts, codes)


def _quote(rs, columns, term: int) -> str:
    info = rs.terms[term]
    rule = rs.rules[info.rule]
    column = columns.get(info.field, info.field)
    return f"{rule.reason} ('{info.text}' in {column})"


def _though(rs, columns, term: int) -> str:
    """The evidence on the other side of a conflict, to close a sentence."""
    if term < 0:
        return ""
    info = rs.terms[term]
    return f", though '{info.text}' in {columns.get(info.field, info.field)} points the other way"


def _sentence(rs, columns, decision, cats, first, second, third, is_neither) -> str:
    """The rationale of a decision; the three terms as :func:`rationale` packs them."""
    if decision == 4:
        return "No description, industry, sector, NAICS or SIC to go on: add one of them to classify this organisation."
    if decision != 3:
        t1, t2, against = first, second, third
        though = _though(rs, columns, against)
        if decision == 2 and t1 == t2 and t1 >= 0:
            return (
                f"{_quote(rs, columns, t1)}: {_SOC1_WHY}; it also holds their data, so SOC 2{_with_categories(cats)}"
                f"{though}."
            )
        parts = []
        if decision in (0, 2) and t1 >= 0:
            parts.append(f"{_quote(rs, columns, t1)}: {_SOC1_WHY}")
        if decision in (1, 2) and t2 >= 0:
            parts.append(f"{_quote(rs, columns, t2)}: {_SOC2_WHY}{_with_categories(cats)}")
        return " ".join(f"{p}{though if i == len(parts) - 1 else ''}." for i, p in enumerate(parts))
    tn, against = third, second
    if tn >= 0 and is_neither:
        return f"{_quote(rs, columns, tn)}: {_NEITHER_WHY}{_though(rs, columns, against)}."
    if tn >= 0:
        quoted = _quote(rs, columns, tn)
        return (
            f"Only weak signs of a service to other organisations ({quoted[0].lower()}{quoted[1:]}), not enough "
            "for a SOC report: neither SOC 1 nor SOC 2 for now; check the description."
        )
    return (
        "Nothing in the description, industry or codes points to a service that touches other "
        "organisations' financial reporting or data, so neither SOC 1 nor SOC 2 "
        "(check the description)."
    )


def evidence_column(
    rs: RuleSet, hits: Hits, customer: np.ndarray, overruled: np.ndarray, headers: dict[str, str], n: int
) -> pa.Array:
    """'Column: 'term', 'term'; Column: ...' per row; negated terms marked 'not', customers '(customers)',
    what the organisation uses '(its own use)', advises on '(advised on)' and makes '(what it makes)',
    and a sign of no service in the name that an industry label or code outweighs (``overruled``)
    '(outweighed by the industry)'.

    Fields come in a fixed order (description, industry, sector, codes, answers, name), each term
    once per row and kind, in the order found; assembled in one compiled pass
    (:func:`socanalysis._kernels.strings.join_evidence`).
    """
    order_fields = ["description", "industry", "sector", *CODE_FIELDS, *QUESTION_FIELDS, "name"]
    shown = [f for f in order_fields if f in headers]
    term_group = rs.cache.get(("evidence groups", *shown))  # per rule set and fields: built once
    if term_group is None:
        rank = {f: i for i, f in enumerate(shown)}
        term_group = np.array([rank.get(t.field, -1) for t in rs.terms], dtype=np.int64)
        rs.cache[("evidence groups", *shown)] = term_group
    # int8, as the kernel reads them: 0 as found, 1 negated, 2 customers, 3 its own use, 4 advised on, 5 made,
    # 6 outweighed by the industry
    kinds = np.where(hits.negated, np.int8(1), customer.view(np.int8) * (hits.role.astype(np.int8) + np.int8(2)))
    kinds[overruled] = 6
    return join_evidence(
        n, hits.rows, hits.terms, kinds, term_group, rs.evidence_labels, [f"{headers[f]}: " for f in shown]
    )
