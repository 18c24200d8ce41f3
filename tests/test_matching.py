"""Term matching over whole columns: words, phrases, plurals, negation, customers, row edges."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from socanalysis.classifier.matching import Lexicon, stem, term_key


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


def test_negation_goes_on_past_or_but_not_past_and(lex):
    got = found(lex, ["no payroll or payment processing", "no payroll and payment processing", "not payroll or bank"])
    assert got == [
        (0, "payroll", True, False),
        (0, "payment processing", True, False),
        (1, "payroll", True, False),
        (1, "payment processing", False, False),
        (2, "payroll", True, False),
        (2, "bank", True, False),
    ]
    assert found(lex, ["payroll or bank", "no payroll. or bank"]) == [
        (0, "payroll", False, False),
        (0, "bank", False, False),
        (1, "payroll", True, False),
        (1, "bank", False, False),
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


def test_expanded_hits_equal_matching_each_row_on_its_own():
    # few distinct values, several terms (and negations) each, in random order: the expansion path
    lex = Lexicon([("industry", "payroll"), ("industry", "bank"), ("industry", "data center"), ("industry", "cloud")])
    values = ["payroll bank", "not a bank", "", "cloud for a bank", "bakery", None, "bank, data center", "payroll"]
    rng = np.random.default_rng(3)
    texts = [values[i] for i in rng.integers(0, len(values), 500)]
    expected = [(row, *hit[1:]) for row, text in enumerate(texts) for hit in found(lex, [text], field="industry")]
    assert found(lex, texts, field="industry") == expected
    assert len(expected) > 300


def test_expanded_hits_with_one_term_per_value_equal_matching_each_row_on_its_own():
    # every value holds one term at most: the expansion takes its shortcut
    lex = Lexicon([("industry", "payroll"), ("industry", "bank"), ("industry", "cloud")])
    values = ["payroll", "not a bank", "", "bakery", None, "cloud", "Banks"]
    rng = np.random.default_rng(4)
    texts = [values[i] for i in rng.integers(0, len(values), 400)]
    expected = [(row, *hit[1:]) for row, text in enumerate(texts) for hit in found(lex, [text], field="industry")]
    assert found(lex, texts, field="industry") == expected
    assert len(expected) > 200


def test_chunked_columns_are_matched_chunk_by_chunk_as_if_joined(lex):
    from socanalysis.classifier.matching import large_string_chunks

    texts = ["payroll", None, "not a bank", "", "payment processing for banks", "bank"] * 30
    chunked = pa.chunked_array(
        [pa.array(texts[:7]), pa.array(texts[7:100]), pa.array([], pa.string()), pa.array(texts[100:])]
    )
    chunks = large_string_chunks(chunked)
    assert [len(c) for c in chunks] == [7, 93, 0, 80] and all(c.type == pa.large_string() for c in chunks)
    assert large_string_chunks(pd.Series([], dtype=object))[0].type == pa.large_string()
    expected = lex.match("description", pd.Series(texts))
    for block in (5, 100_000):
        got = lex.match("description", chunked, block=block)
        for name in ("rows", "terms", "negated", "audience"):
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


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
    from socanalysis._kernels.scanning import SLOT_MULT, build_table, form_key

    forms = {"payroll": 0, "Payrolls": 1, "café": 2, "isn\u2019t": -3, "x": 4}
    keys, ids, shift = build_table(forms)
    for form, wid in forms.items():
        slot = ((form_key(form) * int(SLOT_MULT)) % 2**64) >> shift
        while keys[slot] != form_key(form):
            assert keys[slot] != 0, form
            slot = (slot + 1) % len(keys)
        assert ids[slot] == wid
    assert (keys != 0).sum() == len(forms)


def _reference_scan(rows: list[bytes], forms: dict[str, int]) -> list[tuple[int, int, int, int]]:
    """The known tokens of every row, byte by byte: (word id, position, segment, row)."""
    from socanalysis._kernels.scanning import CLASSES

    def lower(b: bytes) -> bytes:
        return bytes(c + 32 if 65 <= c <= 90 else c for c in b)

    def separator(text: bytes, p: int) -> int:  # a UTF-8 dash, ellipsis, bullet, curly double quote, no-break space
        if text[p] == 0xE2 and p + 2 < len(text) and text[p + 1] == 0x80 and text[p + 2] not in (0x98, 0x99):
            return 3
        return 2 if text[p] == 0xC2 and p + 1 < len(text) and text[p + 1] == 0xA0 else 0

    table = {lower(form.encode("utf-8")): wid for form, wid in forms.items()}
    found, token, segment = [], 0, 0
    for r, text in enumerate(rows):
        segment += 1
        p = 0
        while p < len(text):
            if CLASSES[text[p]] != 1:
                between_digits = 0 < p < len(text) - 1 and chr(text[p - 1]).isdigit() and chr(text[p + 1]).isdigit()
                segment += CLASSES[text[p]] == 2 and not between_digits
                p += 1
            elif separator(text, p):
                p += separator(text, p)
            else:
                start = p
                while p < len(text) and CLASSES[text[p]] == 1 and not separator(text, p):
                    p += 1
                if lower(text[start:p]) in table:
                    found.append((table[lower(text[start:p])], token, segment, r))
                token += 1
    return found


@pytest.mark.parametrize("seed", range(4))
def test_the_scan_agrees_with_a_byte_by_byte_reference(seed):
    """Tokens of every length, in every case, next to UTF-8 separators, other non-ASCII and stray bytes."""
    from socanalysis._kernels.scanning import CLASSES, _scan, build_table, scan

    forms = {
        "payroll": 0,
        "payrolls": 1,
        "a": 2,
        "x1": 3,
        "eightchr": 4,
        "administrations": 5,
        "sixteencharacter": 6,
        "atokenofmorethansixteenbytes": 7,
        "o'neil": 8,
        "café": 9,
        "zürich": 10,
        "isn\u2019t": -3,
        "payrollcafé": 11,
        "2024": 12,
    }
    words = [*forms, "PAYROLL", "Payrolls", "EightChr", "ADMINISTRATIONS", "CAFÉ", "Zürich", "bank", "banks", "xyz"]
    pieces = [w.encode("utf-8") for w in words + [" ", "  ", "-", "/", "(", "&", "\0", ".", ",", ";", "\n", '"', "}"]]
    pieces += [s.encode("utf-8") for s in ["\u2014", "\u2026", "\u00a0", "\u201c", "\u2018", "\u2019", "é", "\u2122"]]
    pieces += [b"\xe2\x80", b"\xc2", b"\xe2", b"\x80", b"\xff"]
    rng = np.random.default_rng(seed)
    rows = [b"".join(pieces[i] for i in rng.integers(0, len(pieces), rng.integers(0, 14))) for _ in range(400)]
    expected = _reference_scan(rows, forms)
    keys, ids, shift = build_table(forms)
    offsets = np.cumsum([5] + [len(row) for row in rows])  # the block starts 5 bytes into its buffer
    data = np.frombuffer(b"junk!" + b"".join(rows), dtype=np.uint8)[offsets[0] :]
    got = scan(data, offsets, CLASSES, keys, ids, shift)
    assert list(zip(*(a.tolist() for a in got), strict=True)) == expected
    assert got[1].dtype == np.int32
    wide = _scan(data, offsets, CLASSES, keys, ids, shift, 0, 0, 0, len(data) + 1, np.empty(0, np.int64))
    assert wide[1].dtype == np.int64 and all(np.array_equal(a, b) for a, b in zip(wide[:4], got, strict=True))


def _reference_terms(lex, field, ktok, kpos, kseg, krow):
    """Terms among known tokens, one by one: leftmost-longest, negation and audience words just before."""
    from socanalysis.classifier.matching import (
        AUDIENCE_WINDOW,
        MAX_TERM_WORDS,
        NEGATION,
        NEGATION_WINDOW,
        OR,
        _phrase_key,
    )

    single, phrases = lex._single.get(field, {}), lex._phrases.get(field, {})
    audience = set(lex._audience_ids.tolist())
    ktok, kpos, kseg, krow = (a.tolist() for a in (ktok, kpos, kseg, krow))
    found, reach = [], 0
    last = None  # the last match kept: (negated, the position just after it, its segment)
    for j, t0 in enumerate(ktok):
        if t0 < 0:
            continue
        run = [t0]  # the rule words that follow each other from j
        while len(run) < MAX_TERM_WORDS and j + len(run) < len(ktok):
            k = j + len(run)
            if ktok[k] < 0 or kpos[k] != kpos[k - 1] + 1 or kseg[k] != kseg[j]:
                break
            run.append(ktok[k])
        term, length = single.get(t0), 1
        for n in range(len(run), 1, -1):  # the longest phrase first
            if (_phrase_key(run[:n]), n) in phrases:
                term, length = phrases[_phrase_key(run[:n]), n], n
                break
        if term is None:
            continue
        if reach > j:  # inside a match kept before it
            continue
        reach = j + length
        negated = near_audience = False
        for back in range(1, max(NEGATION_WINDOW, AUDIENCE_WINDOW) + 1):
            b = j - back
            if b < 0 or kseg[b] != kseg[j]:
                break
            gap, t = kpos[j] - kpos[b], ktok[b]
            if (
                back <= NEGATION_WINDOW
                and gap <= NEGATION_WINDOW
                and (t == NEGATION or (t == NEGATION - 1 and gap == 1))
            ):
                negated = True
            if back <= AUDIENCE_WINDOW and gap <= AUDIENCE_WINDOW and t in audience:
                near_audience = True
        # "or" right between a negated match and this one: "no hosting or support"
        if last and last[0] and j > 0 and ktok[j - 1] == OR and kpos[j - 1] == last[1] == kpos[j] - 1:
            negated = negated or (kseg[j - 1] == kseg[j] == last[2])
        last = (negated, kpos[j] + length, kseg[j])
        found.append((krow[j], term, negated, near_audience))
    return found


@pytest.mark.parametrize("seed", range(4))
def test_find_terms_agrees_with_a_token_by_token_reference(seed):
    """Phrases sharing first words, runs cut by gaps, segments and negations, windows at their edges."""
    from socanalysis._kernels.scanning import find_terms

    texts = ["payroll", "payroll software", "payroll software platform", "software platform", "data", "data center"]
    texts += ["data center hosting services", "center", "bank", "credit union", "union bank", "cloud hosting"]
    lex = Lexicon([("description", t) for t in texts])
    rng = np.random.default_rng(seed)
    pieces = [[lex.word_ids[w] for w in t.stems] for t in lex.terms] + [[i] for i in lex.word_ids.values()]
    pieces += [[-3], [-4], [-5]] * 4  # terms, their first words and others, negations, "or"
    ktok = np.array([i for k in rng.integers(0, len(pieces), 8000) for i in pieces[k]], dtype=np.int32)
    n = len(ktok)
    krow = np.cumsum(rng.random(n) < 0.05)
    kseg = np.cumsum((rng.random(n) < 0.1) | (np.diff(krow, prepend=0) > 0))
    kpos = np.cumsum(rng.integers(1, 4, n) * (rng.random(n) < 0.2) + 1)
    expected = _reference_terms(lex, "description", ktok, kpos, kseg, krow)
    assert len(expected) > 1000 and any(e[2] for e in expected) and any(e[3] for e in expected)
    for width in (np.int32, np.int64):
        got = find_terms(ktok, kpos.astype(width), kseg.astype(width), krow.astype(width), *lex._tables("description"))
        assert list(zip(*(a.tolist() for a in got), strict=True)) == expected


def test_nulls_become_empty_strings_with_or_without_a_copy():
    from socanalysis.classifier.matching import _nulls_as_empty

    arr = pa.array(["a", None, "bc", None, "d"] * 3, pa.large_string()).slice(2, 11)
    got = _nulls_as_empty(arr)
    assert got.null_count == 0 and got.to_pylist() == [v or "" for v in arr.to_pylist()]
    assert got.buffers()[2].address == arr.buffers()[2].address  # the same text, not copied
    # a null slot that still spans bytes must not give them back as a value
    offsets = pa.py_buffer(np.array([0, 1, 3, 4], dtype=np.int64).tobytes())
    masked = pa.Array.from_buffers(
        pa.large_string(), 3, [pa.py_buffer(bytes([0b101])), offsets, pa.py_buffer(b"axyb")], 1
    )
    assert _nulls_as_empty(masked).to_pylist() == ["a", "", "b"]


def test_the_pair_filter_holds_the_first_two_words_of_every_phrase():
    """Phrases are looked up only after a pair of their first words: with an empty filter none is found."""
    from socanalysis._kernels.scanning import PAIR_BITS, build_pair_filter, find_terms
    from socanalysis.classifier.matching import _phrase_key

    bits = build_pair_filter([_phrase_key([3, 7]), _phrase_key([3, 7]), _phrase_key([0, 1])])
    assert bits.dtype == np.uint64 and len(bits) * 64 == 1 << PAIR_BITS
    assert sum(bin(int(b)).count("1") for b in bits) == 2  # one bit per distinct pair
    lex = Lexicon([("description", "payroll software platform"), ("description", "payroll")])
    ids = [lex.word_ids[w] for w in lex.terms[0].stems]
    ktok = np.array(ids, dtype=np.int32)
    kpos = np.arange(3, dtype=np.int64)
    zeros = np.zeros(3, dtype=np.int64)
    tables = list(lex._tables("description"))
    assert find_terms(ktok, kpos, zeros, zeros, *tables)[1].tolist() == [0]  # the phrase
    tables[2] = np.zeros_like(tables[2])
    assert find_terms(ktok, kpos, zeros, zeros, *tables)[1].tolist() == [1]  # only the single word


def test_short_forms_typed_in_notes_stand_for_their_rule_word():
    lex = Lexicon([("description", "revenue cycle management"), ("description", "fund administration")])
    assert found(lex, ["rev cycle mgmt for clinics", "fund admin; Fund Admin", "rev cycle"]) == [
        (0, "revenue cycle management", False, False),
        (1, "fund administration", False, False),
        (1, "fund administration", False, False),
    ]


def test_a_term_written_with_a_short_form_or_a_british_spelling_is_the_same_term():
    assert term_key("Fund admin") == term_key("fund administration")
    assert term_key("contact centre") == term_key("contact centers")
    lex = Lexicon([("description", "security operations centre"), ("description", "trust company")])
    assert found(lex, ["a security operations center", "a trust co"]) == [
        (0, "security operations centre", False, False),
        (1, "trust company", False, False),
    ]


def test_every_term_of_the_rules_is_found_in_its_own_words():
    """A word as the rules write it is read, whatever spellings its stem gives ("proceeds" stems to "proc")."""
    from socanalysis.classifier.matching import NEGATION_WORDS, SHORT_NEGATION_WORDS, words
    from socanalysis.classifier.rules import load_rules

    rs = load_rules()
    negations = NEGATION_WORDS | SHORT_NEGATION_WORDS  # read as negations wherever they stand ("no-code")
    # the words of the learned reading are read by it, not matched (classifier.learned)
    learned = {t.id for t in rs.terms if t.rule >= 0 and rs.rules[t.rule].learned}
    texts = [t for t in rs.terms if " ... " not in t.text and t.field == "description" and t.id not in learned]
    texts = list({term_key(t.text): t for t in texts if not negations & set(words(t.text))}.values())
    lex = Lexicon([(t.field, t.text) for t in texts])
    hits = lex.match("description", pd.Series([t.text for t in texts]))
    first = {}
    for r, t in zip(hits.rows.tolist(), hits.terms.tolist(), strict=True):
        first.setdefault(r, t)
    missed = [t.text for i, t in enumerate(texts) if i not in first or lex.terms[first[i]].stems != term_key(t.text)]
    assert not missed, missed[:20]
