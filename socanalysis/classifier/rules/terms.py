"""The terms of compiled rules, and the words that pairs and roles read.

:func:`role_words` adds the activity, object and cue words of the pair rules as silent terms;
:func:`role_table` builds the :class:`~socanalysis.classifier.pairs.RoleTable` that the compiled
pass reads (which terms name customers, which pair, which are cues), adding the customer twins and
the pair terms. Called by :func:`socanalysis.classifier.rules.compile_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ...errors import RulesError
from .. import pairs
from ..matching import term_key

__all__ = ["TermInfo", "role_table", "role_words"]

WEAK_SIGN = 0.45  # a weight below this is a weak sign (as classifier.decide weighs it)
# an activity named by a noun, or by the one who does it ("loan servicer", "plan administrator")
_NOUN_ENDINGS = re.compile(r"(ing|tion|sion|ment|age|ance|ence|ery|al|icer|ator|ssor|eeper|ector|odian)$")
_NOUNS = frozenset(["backup", "backups", "payout", "payouts", "dispatch"])
_AUDIENCE_WORDS = frozenset(["for", "to", "serving"])  # a term that starts with one names who is served


@dataclass
class TermInfo:
    """Something a rule matched on: a text term, a code prefix or a questionnaire answer."""

    id: int
    field: str
    text: str
    rule: int  # -1 for a word that only serves a pair or a cue (classifier.pairs): never counted
    organisation: bool = False  # names a kind of organisation (ignored when it names the customers)
    action: bool = False  # names what the organisation itself does ("we manufacture"): never its customers
    shown: str = ""  # how the evidence shows it, when not as its quoted text


def role_words(rules: list, entries: list, terms: list[TermInfo], ids: dict) -> tuple[dict, dict]:
    """Add the activity, object and cue words that are no rule's term as silent terms (rule -1).

    Returns, per pair rule and field, the term ids of its activities and objects, and the term ids
    of the cue words (see :mod:`socanalysis.classifier.pairs`).
    """

    def term_of(fld: str, text: str) -> int:
        key = (fld, term_key(text))
        if not key[1]:
            raise RulesError(f"rules: {text!r} has no words")
        if key not in ids:
            ids[key] = len(terms)
            entries.append((fld, text))
            terms.append(TermInfo(len(terms), fld, text, -1))
        return ids[key]

    pair_words = {}
    for ri, rule in enumerate(rules):
        if not rule.activities:
            continue
        for fld in rule.fields:
            acts = list(dict.fromkeys(term_of(fld, t) for t in rule.activities))
            objs = list(dict.fromkeys(term_of(fld, t) for t in rule.objects))
            pair_words[ri, fld] = (acts, objs)
    fields = {t.field for t in terms}
    cues = {}  # per term id, the kinds of cue it is (a few are two: "goes through a" says both sides are its own)
    for kind, words, _ in pairs.CUES:
        for fld in sorted(fields):
            for word in words:
                cues.setdefault(term_of(fld, word), set()).add(kind)
        # a term that ends in a cue word is a cue too ("angel investor"): the word is inside its match
        if kind == pairs.INVEST:
            last = {term_key(word)[-1] for word in (*words, "investor")}
            for t in terms:
                if t.rule >= 0 and term_key(t.text)[-1] in last:
                    cues.setdefault(t.id, {kind})
    return pair_words, cues


def role_table(rules: list, terms: list[TermInfo], n_lexicon: int, pair_words: dict, cues: dict):
    """The :class:`~socanalysis.classifier.pairs.RoleTable` of the rules; adds the customer twins and
    the pair terms to ``terms``."""
    lexicon_terms = terms[:n_lexicon]
    only_neither = [
        r.supports.get("Neither", 0) > 0 and max(r.supports.get("SOC 1", 0), r.supports.get("SOC 2", 0)) <= 0
        for r in rules
    ]
    customer_rules = [ri for ri, r in enumerate(rules) if r.customers and not r.activities]
    if len(customer_rules) > 1:
        raise RulesError(
            f"rules {rules[customer_rules[0]].id!r} and {rules[customer_rules[1]].id!r} both count the kinds of "
            "organisation named as customers (customers: true without activities); keep one"
        )
    customer_objects = {t for (ri, _), (_, objs) in pair_words.items() if rules[ri].customers for t in objs}
    # a kind of organisation, or a term of a rule that only counts for Neither, may be named as customers; not a
    # term that itself says who the customers are ("for households", "to consumers")
    capable = [
        t.id
        for t in lexicon_terms
        if (t.rule >= 0 and not t.action and (t.organisation or only_neither[t.rule]))
        and term_key(t.text)[0] not in _AUDIENCE_WORDS
        or t.id in customer_objects
    ]
    twins = {}
    for tid in capable:
        t = terms[tid]
        if customer_rules:
            twins[tid] = len(terms)
            terms.append(TermInfo(len(terms), t.field, t.text, customer_rules[0], shown=f"'{t.text}' (customers)"))
    specs = []
    for (ri, fld), (acts, objs) in pair_words.items():
        if rules[ri].customers:  # the objects: every kind of organisation named as customers, in this field
            objs = [twins[t] for t in twins if terms[t].field == fld]
        if not objs:
            continue
        base = len(terms)
        for a in acts:
            for o in objs:
                text = f"{terms[a].text} ... {terms[o].text}"
                terms.append(TermInfo(len(terms), fld, text, ri))
        specs.append((acts, objs, base, rules[ri].window, only_neither[ri]))
    n = len(terms)
    flags = np.zeros(n, dtype=np.uint32)  # small tables stay in the fastest cache
    words = np.ones(n, dtype=np.uint8)
    for t in lexicon_terms:
        words[t.id] = len(term_key(t.text))
        if t.rule >= 0:
            supports = rules[t.rule].supports
            if max(supports.get("SOC 1", 0), supports.get("SOC 2", 0)) >= WEAK_SIGN:
                flags[t.id] |= pairs.SERVICE | pairs.SYSTEM
        else:
            flags[t.id] |= pairs.SILENT
    flags[capable] |= pairs.CAPABLE
    capable_set = set(capable)
    own_systems = {tuple(term_key(text)) for text in pairs.OWN_SYSTEMS}
    tools = {tuple(term_key(text)) for text in pairs.BUSINESS_TOOLS}
    products = {tuple(term_key(text)) for text in pairs.PRODUCTS}
    for t in lexicon_terms:
        key = tuple(term_key(t.text))
        flags[t.id] |= (pairs.OWN_SYSTEM if key in own_systems else 0) | (pairs.TOOL if key in tools else 0)
        flags[t.id] |= pairs.PRODUCT if key in products else 0
        # a kind of organisation that is no service organisation: of a rule that only counts for Neither, or
        # of no rule at all, only named as customers ("cities", "nonprofits", "wholesalers")
        plain = t.rule < 0 or only_neither[t.rule]
        if t.id in capable_set and plain and key[0] not in _AUDIENCE_WORDS:
            flags[t.id] |= pairs.BUSINESS
    cue_flag = {kind: flag for kind, _, flag in pairs.CUES}
    for tid, kinds in cues.items():
        for kind in kinds:
            flags[tid] |= cue_flag[kind]
    twin = np.full(n, -1, dtype=np.int32)
    for tid, t in twins.items():
        twin[tid] = t
    for (ri, _), (acts, objs) in pair_words.items():
        supports = rules[ri].supports
        # what a customers' rule names is a system they use ("an app ... restaurants"), not a payment it makes
        system = rules[ri].customers and supports.get("SOC 2", 0) >= supports.get("SOC 1", 0)
        flags[acts] |= pairs.SYSTEM if system else 0
        if not rules[ri].customers and supports.get("SOC 1", 0) > supports.get("SOC 2", 0):
            flags[objs] |= pairs.MONEY  # the customers' money and financial records
    act = np.full((len(specs), n), -1, dtype=np.int32)
    obj = np.full((len(specs), n), -1, dtype=np.int32)
    for k, (acts, objs, *_) in enumerate(specs):
        for a in acts:  # an activity named by a noun may follow its object ("payroll processing")
            if _NOUN_ENDINGS.search(terms[a].text) or terms[a].text in _NOUNS:
                flags[a] |= pairs.NOUN
        act[k, acts] = np.arange(len(acts), dtype=np.int32)
        obj[k, objs] = np.arange(len(objs), dtype=np.int32)
        flags[acts] |= pairs.IN_PAIRS
        flags[objs] |= pairs.IN_PAIRS
    bits = (1 << np.arange(len(specs), dtype=np.int64))[:, None]
    table = pairs.RoleTable(
        flags=flags,
        twin=twin,
        words=words,
        act=act,
        obj=obj,
        act_mask=np.bitwise_or.reduce(np.where(act >= 0, bits, 0), axis=0).astype(np.int64),
        obj_mask=np.bitwise_or.reduce(np.where(obj >= 0, bits, 0), axis=0).astype(np.int64),
        n_obj=np.array([len(spec[1]) for spec in specs], dtype=np.int64),
        base=np.array([spec[2] for spec in specs], dtype=np.int64),
        window=np.array([spec[3] for spec in specs], dtype=np.int64),
        quiet=np.array([spec[4] for spec in specs], dtype=np.bool_),
    )
    return table
