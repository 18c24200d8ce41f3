"""Term matching over whole columns: words, phrases, plurals, negation, customers, row edges."""

import numpy as np
import pandas as pd
import pytest

from socanalysis.matching import Lexicon, stem, term_key


def found(lex, texts, field="description", block=100_000):
    hits = lex.match(field, pd.Series(texts, dtype="str"), block=block)
    return [
        (int(r), lex.terms[t].text, bool(n), bool(a))
        for r, t, n, a in zip(hits.rows, hits.terms, hits.negated, hits.audience, strict=True)
    ]


@pytest.fixture(scope="module")
def lex():
    return Lexicon(
        [
            ("description", "payroll"),
            ("description", "payment processing"),
            ("description", "bank"),
            ("description", "data center"),
            ("description", "real time"),
            ("description", "time tracking"),
            ("description", "customer data"),
            ("industry", "application software"),
        ]
    )


def test_words_phrases_and_plurals(lex):
    assert found(lex, ["Payroll, payments processing and DATA CENTERS."]) == [
        (0, "payroll", False, False),
        (0, "payment processing", False, False),
        (0, "data center", False, False),
    ]


def test_possessives_and_curly_quotes(lex):
    got = found(lex, ["Our customer’s data", "customers' data", "We host customer's data", "customer-data"])
    assert got == [(i, "customer data", False, False) for i in range(4)]


def test_whole_words_only(lex):
    assert found(lex, ["bankruptcy advisers", "payrolls"]) == [(1, "payroll", False, False)]


def test_phrases_do_not_cross_punctuation_or_rows(lex):
    assert found(lex, ["payment. processing", "payment", "processing"]) == []


def test_negation(lex):
    got = found(lex, ["We are not a bank", "non-bank lender", "We do not run payroll", "no payroll", "no-code bank"])
    assert got == [
        (0, "bank", True, False),
        (1, "bank", True, False),
        (2, "payroll", True, False),
        (3, "payroll", True, False),
        (4, "bank", False, False),
    ]


def test_negation_stops_at_a_comma(lex):
    assert found(lex, ["Not a lender, but a bank"]) == [(0, "bank", False, False)]


def test_customers_mentioned_after_for_or_to(lex):
    got = found(lex, ["Security software for regional banks", "A bank for farmers"])
    assert got == [(0, "bank", False, True), (1, "bank", False, False)]


def test_overlapping_terms_keep_the_leftmost_longest(lex):
    assert found(lex, ["real time tracking"]) == [(0, "real time", False, False)]


def test_fields_are_separate(lex):
    assert found(lex, ["Application Software"], field="industry") == [(0, "application software", False, False)]
    assert found(lex, ["Application Software"], field="description") == []
    assert found(lex, ["payroll"], field="sector") == []


def test_missing_empty_and_unicode_values(lex):
    assert found(lex, [None, "", "Zürich café — payroll…", "\u00a0payroll\u00a0"]) == [
        (2, "payroll", False, False),
        (3, "payroll", False, False),
    ]


@pytest.mark.parametrize("block", [1, 2, 3, 1000])
def test_blocks_give_the_same_hits(lex, block):
    texts = ["payroll", "", "not a bank", None, "payment processing", "bank"] * 7
    assert found(lex, texts, block=block) == found(lex, texts)


def test_repeated_values_are_matched_once_and_expanded(lex):
    texts = ["Application Software", "Banks", None] * 100
    got = found(lex, texts, field="industry")
    assert [g[0] for g in got] == list(range(0, 300, 3))


def test_stems_and_keys():
    assert stem("companies") == "company" and stem("processes") == stem("processed")
    assert stem("accounting") != stem("account")
    assert term_key("Payment processors") == term_key("payment processor")


def test_large_random_input_agrees_with_a_plain_python_reference():
    rng = np.random.default_rng(0)
    vocab = ["payroll", "bank", "data", "center", "not", "a", "the", "for", ".", ","]
    texts = [" ".join(rng.choice(vocab, rng.integers(0, 12))) for _ in range(3000)]
    lex = Lexicon([("description", "payroll"), ("description", "data center")])
    got = found(lex, texts)
    expected = []
    for i, text in enumerate(texts):
        words = text.split()
        j = 0
        while j < len(words):
            if words[j] == "payroll":
                expected.append((i, "payroll"))
            elif words[j : j + 2] == ["data", "center"]:
                expected.append((i, "data center"))
                j += 1
            j += 1
    assert [(r, t) for r, t, _, _ in got] == expected


def test_the_spelling_table_holds_every_form_under_its_scan_hash():
    from socanalysis._scan import SLOT_MULT, build_table, form_key

    forms = {"payroll": 0, "Payrolls": 1, "café": 2, "isn\u2019t": -3, "x": 4}
    keys, ids, shift = build_table(forms)
    for form, wid in forms.items():
        slot = ((form_key(form) * int(SLOT_MULT)) % 2**64) >> shift
        while keys[slot] != form_key(form):
            assert keys[slot] != 0, form
            slot = (slot + 1) % len(keys)
        assert ids[slot] == wid
    assert (keys != 0).sum() == len(forms)
