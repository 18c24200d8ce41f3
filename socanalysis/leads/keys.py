"""The keys organisations are recognised by: a name as normalised, a website's host or registered domain.

Pure text work, no file reading: lead hygiene (:class:`socanalysis.ClientIndex`), the streaming
engine and the review room's decisions store key organisations the same way.

Registered domains come from the Public Suffix List bundled with ``tldextract`` (never fetched:
nothing goes over the network), private section included, so that ``acme.github.io`` and
``globex.github.io`` stay two organisations. The 64-bit keys of names and hosts come from one
compiled pass (:mod:`socanalysis._kernels`), with the readable normalisers
(:func:`socanalysis.normalise_name`, :func:`socanalysis.normalise_domain`) for what it leaves out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._kernels import domain_keys, hash_strings, name_keys
from ..load import ARROW_TEXT, LEGAL_SUFFIXES, fold_text, normalise_domain, normalise_name

__all__ = ["host_hashes", "name_hashes", "registered_domain", "text_hashes"]

_MAX_LABELS = 8  # the longest public suffix has 7 labels; a registered domain one more


@dataclass(frozen=True)
class _SuffixRules:
    """Public Suffix List rules, each written backwards ("co.uk" as "ku.oc") to match label prefixes."""

    rules: pa.Array  # plain rules
    wildcard_bases: pa.Array  # "*.ck" -> "kc"
    exceptions: pa.Array  # "!www.ck" -> "kc.www"


@functools.lru_cache(maxsize=1)
def _suffix_rules() -> _SuffixRules:
    """The rules of the Public Suffix List snapshot bundled with tldextract, read offline."""
    import tldextract

    # no URLs and no cache directory: tldextract goes straight to its bundled snapshot
    extractor = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)
    rules, wild, exceptions = set(), set(), set()
    for raw in extractor.tlds:
        forms = {raw.lower()}
        try:
            forms.add(raw.lower().encode("idna").decode("ascii"))
        except UnicodeError:
            pass
        for rule in forms:
            if rule.startswith("!"):
                exceptions.add(rule[1:][::-1])
            elif rule.startswith("*."):
                wild.add(rule[2:][::-1])
            else:
                rules.add(rule[::-1])
    as_array = lambda values: pa.array(sorted(values), pa.string())  # noqa: E731
    return _SuffixRules(as_array(rules), as_array(wild), as_array(exceptions))


def name_hashes(arr: pa.Array) -> np.ndarray:
    """A 64-bit key per name, equal for names equal after :func:`socanalysis.normalise_name` (0 when blank).

    One compiled pass: hashing a chunk's names this way takes a tenth of the time of normalising
    them with pandas and hashing the result, which is done only for the names the pass leaves
    out (other scripts, control characters).
    """
    keys, other = name_keys(arr, LEGAL_SUFFIXES, _folded())
    return _fallback(keys, other, arr, normalise_name)


@functools.lru_cache(maxsize=1)
def _folded() -> tuple[str, ...]:
    """What :func:`socanalysis.load.fold_text` makes of every character from U+00A0 to U+07FF."""
    return tuple(fold_text(chr(cp)) for cp in range(0xA0, 0x800))


def text_hashes(arr: pa.Array) -> np.ndarray:
    """The 64-bit key of texts already normalised, as :func:`name_hashes` keys a name after normalising it."""
    return hash_strings(arr)


def host_hashes(arr: pa.Array) -> np.ndarray:
    """A 64-bit key per website, equal for hosts equal after :func:`socanalysis.normalise_domain` (0 when none)."""
    keys, other = domain_keys(arr)
    return _fallback(keys, other, arr, normalise_domain)


def _fallback(keys: np.ndarray, other: np.ndarray, arr: pa.Array, normalise) -> np.ndarray:
    """Keys of the values a compiled pass leaves out, from the readable normaliser."""
    rows = np.flatnonzero(other)
    if len(rows):
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        values = pd.Series(arr.take(pa.array(rows)).to_pylist(), dtype="str")
        keys[rows] = hash_strings(pa.array(normalise(values), pa.large_string()))
    return keys


def _domain_keys(series: pd.Series) -> pa.Array:
    """Registered domains (null when there is none); a host that is itself a public suffix keys as itself.

    A host of two labels is its own registered domain, so only deeper hosts go through the rules.
    """
    host = normalise_domain(series)
    arr = pa.Array.from_pandas(host)
    if isinstance(arr, pa.ChunkedArray):  # a column read in blocks
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    deep = _true(pc.greater_equal(pc.count_substring(arr, "."), 2))
    if deep.any():
        arr = pc.replace_with_mask(arr, pa.array(deep), _reduce(arr.filter(pa.array(deep))))
    return arr


def _reduce(hosts: pa.Array) -> pa.Array:
    """Hosts of three labels or more reduced to their registered domain with the suffix rules."""
    rules = _suffix_rules()
    labels = pc.split_pattern(pc.utf8_reverse(hosts), ".")  # backwards: "ku.oc.emca.pohs"
    count = pc.list_value_length(labels).to_numpy(zero_copy_only=False).astype(np.int64)
    depth = int(min(count.max(), _MAX_LABELS))
    # prefix[j]: the last j labels (backwards), null where the host has fewer
    prefix = [None] + [
        pc.if_else(pa.array(count >= j), pc.binary_join(pc.list_slice(labels, 0, j), "."), None)
        for j in range(1, depth + 1)
    ]
    # the public suffix: the longest rule that matches, one label when none does (the "*" rule)
    suffix = np.ones(len(hosts), dtype=np.int64)
    for j in range(2, depth + 1):
        hit = _true(pc.is_in(prefix[j], value_set=rules.rules))
        hit |= _true(pc.is_in(prefix[j - 1], value_set=rules.wildcard_bases))
        suffix = np.where(hit, j, suffix)
    for j in range(2, depth + 1):
        suffix = np.where(_true(pc.is_in(prefix[j], value_set=rules.exceptions)), j - 1, suffix)
    take = np.minimum(suffix + 1, count)  # one label more than the suffix, or the host itself
    return pc.utf8_reverse(pc.choose(pa.array(take - 1, pa.int8()), *prefix[1:]))


def _true(mask) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def registered_domain(series: pd.Series) -> pd.Series:
    """The registered domain of each website: the part an organisation registers.

    The host is read with :func:`socanalysis.normalise_domain`, then reduced with the Public
    Suffix List bundled with ``tldextract`` (offline, private section included).

    Examples
    --------
    >>> registered_domain(pd.Series(["https://shop.acme.co.uk/x", "www.acme.com", "acme.github.io",
    ...                               "a.b.c.example.org", "n/a", None])).tolist()
    ['acme.co.uk', 'acme.com', 'acme.github.io', 'example.org', nan, nan]
    """
    keys = _domain_keys(series)
    return _pandas(keys).set_axis(series.index).rename(series.name)


def _pandas(arr: pa.Array) -> pd.Series:
    return arr.to_pandas(types_mapper=ARROW_TEXT.get)
