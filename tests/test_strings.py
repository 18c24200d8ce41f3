"""The compiled string passes give exactly what the readable reference functions give."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis._kernels.scanning import hash_strings
from socanalysis._kernels.strings import (
    LABELS_PER_TERM,
    flatten,
    join_evidence,
)
from socanalysis.classifier.decide import _nonblank
from socanalysis.leads.keys import host_hashes as domain_keys
from socanalysis.leads.keys import name_hashes as name_keys
from socanalysis.load import LEGAL_SUFFIXES, normalise_domain, normalise_name

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_keys(values, normalise):
    return hash_strings(pa.array(normalise(pd.Series(values, dtype="str")), pa.large_string()))


NAME_PIECES = [
    *LEGAL_SUFFIXES,
    "The",
    "the",
    "and",
    "&",
    "Acme",
    "PAYROLL",
    "A.B.C.",
    "O'Neil",
    "Co.",
    "L.L.C.",
    ",",
    "-",
    "  ",
    "(US)",
    "Zürich",
    "Müller",
    "\t",
    "\n",
    "`",
    "\u2019s",
    "thé",
    "",
]


@FAST
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(NAME_PIECES), max_size=6).map(" ".join)), max_size=20))
def test_name_keys_equal_the_normalised_names_hashed(values):
    assert name_keys(pa.array(values, pa.string())).tolist() == reference_keys(values, normalise_name).tolist()


@FAST
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20))
def test_name_keys_on_any_text(values):
    assert name_keys(pa.array(values, pa.large_string())).tolist() == reference_keys(values, normalise_name).tolist()


DOMAIN_PIECES = [
    "https://",
    "HTTP://",
    "ftp+x.y://",
    "//",
    "mailto:",
    "user@",
    "a@b@",
    "www.",
    "WWW2.",
    "www",
    "acme",
    ".com",
    ".co.uk",
    ".",
    "..",
    ":8080",
    "/path",
    "?q=1",
    "#top",
    ",",
    ";",
    "|",
    " ",
    "n/a",
    "-",
    "bücher",
    "\n",
]


@FAST
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(DOMAIN_PIECES), max_size=7).map("".join)), max_size=20))
def test_domain_keys_equal_the_normalised_domains_hashed(values):
    assert domain_keys(pa.array(values, pa.string())).tolist() == reference_keys(values, normalise_domain).tolist()


@FAST
@given(st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=20))
def test_domain_keys_on_any_text(values):
    assert domain_keys(pa.array(values)).tolist() == reference_keys(values, normalise_domain).tolist()


def test_keys_of_a_chunked_and_sliced_array():
    values = ["The Acme Co., Ltd.", None, "ACME", "Müller GmbH", "Globex and Co"]
    arr = pa.chunked_array([pa.array(values[:2]), pa.array(values[2:])])
    assert name_keys(arr).tolist() == reference_keys(values, normalise_name).tolist()
    sliced = pa.array(["x", *values]).slice(1)
    assert name_keys(sliced).tolist() == reference_keys(values, normalise_name).tolist()
    assert name_keys(pa.array([], pa.string())).tolist() == []


TRICKY_NAMES = [
    "Société Générale S.A.",
    "Müller & Söhne GmbH",
    "  ACME, Inc. ",
    "",
    None,
    "Inc",
    "The",
    "The Inc",
    "THE THE",
    "T.H.E. Acme",
    "The & Co",
    "the and inc",
    "Acme and Inc",
    "Acme Inc and",
    "Acme and and Inc",
    "Acme Inc Inc LLC",
    "A&B",
    "& & &",
    "Thé Acme",
    "ß Straße GmbH",
    "e\u0301cole",
    "Acme\u00a0Corp",
    "Acme\u2019s Inc",
    "北京 Co",
    "Acme\tInc",
    "a\x7fb",
    "x" * 300,
]
TRICKY_DOMAINS = [
    "https://WWW.Acme.com/about?x=1",
    "  acme.com.  ",
    "acme.com../x",
    "HTTPS://WWW2.ACME.COM:443",
    "http://user:pass@www.acme.com:80/p",
    "a@b@acme.com",
    "https://evil.com/@acme.com",
    "x:y@acme.com",
    "MAILTO:info@acme.com",
    "//acme.com",
    "ftp+x.y://acme.org",
    "www..acme.com",
    ".acme.com",
    "acme .com",
    "www.com",
    "wwww.acme.com",
    "bücher.de",
    "http://xn--bcher-kva.de/",
    "acme.com/päth",
    "acme.com, other.com",
    "n/a",
    "",
    None,
]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_keys_of_tricky_values(kind):
    names, domains = pa.array(TRICKY_NAMES, kind), pa.array(TRICKY_DOMAINS, kind)
    assert name_keys(names).tolist() == reference_keys(TRICKY_NAMES, normalise_name).tolist()
    assert domain_keys(domains).tolist() == reference_keys(TRICKY_DOMAINS, normalise_domain).tolist()


def reference_evidence(n, rows, terms, kinds, group, labels, prefixes):
    out = []
    for r in range(n):
        parts = []
        for g, prefix in enumerate(prefixes):
            seen = []
            for h in range(len(rows)):
                if rows[h] == r and group[terms[h]] == g and (terms[h], kinds[h]) not in seen:
                    seen.append((terms[h], kinds[h]))
            if seen:
                parts.append(prefix + ", ".join(labels[t * LABELS_PER_TERM + k] for t, k in seen))
        out.append("; ".join(parts))
    return out


@FAST
@given(st.data())
def test_evidence_groups_dedupes_and_keeps_the_order_of_hits(data):
    n = data.draw(st.integers(0, 6))
    n_terms = data.draw(st.integers(1, 5))
    group = np.array(data.draw(st.lists(st.integers(-1, 2), min_size=n_terms, max_size=n_terms)))
    # labels of any length: shorter and longer than the bytes the kernel copies at once
    per = LABELS_PER_TERM
    extra = data.draw(st.lists(st.integers(0, 45), min_size=per * n_terms, max_size=per * n_terms))
    labels = [
        f"'t{t}'{suffix}" + "é" * extra[t * per + k]
        for t in range(n_terms)
        for k, suffix in enumerate(
            ("", " (not)", " (customers)", " (its own use)", " (advised on)", " (made)", " (outweighed)")
        )
    ]
    hits = data.draw(
        st.lists(
            st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, n_terms - 1), st.integers(0, per - 1)), max_size=25
        )
        if n
        else st.just([])
    )
    rows, terms, kinds = (np.array([h[i] for h in hits], dtype=np.int64) for i in range(3))
    prefixes = ["Description: ", "Industry: ", "Zürich ✓, a column with a long header: "]
    expected = reference_evidence(n, rows, terms, kinds, group, labels, prefixes)
    assert join_evidence(n, rows, terms, kinds, group, labels, prefixes).to_pylist() == expected
    # labels flattened, also without the bytes flatten leaves after them
    label_data, label_off = flatten(labels)
    bare = (label_data[: label_off[-1]].copy(), label_off)
    assert join_evidence(n, rows, terms, kinds, group, bare, prefixes).to_pylist() == expected


@FAST
@given(st.lists(st.one_of(st.none(), st.text(alphabet=" \t\n\u00a0\u3000\x1c.aé-", max_size=6)), max_size=30))
def test_nonblank_is_false_for_blank_and_missing_cells(values):
    got = _nonblank(pa.array(values, pa.string()))
    assert got.tolist() == [v is not None and bool(v.strip()) for v in values]
