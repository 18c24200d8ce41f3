"""Compiled passes over the UTF-8 bytes of Arrow string arrays, for the batch hot path.

Each function here does in one pass what a chain of regular-expression kernels would do in
several, and returns the same result as the readable reference it replaces:

- :func:`formula_mask` and :func:`prefix_where`: cells that start with a formula trigger, and
  those cells quoted (``neutralise_arrow``);
- :func:`name_keys` / :func:`domain_keys`: 64-bit hashes of :func:`socanalysis.normalise_name`
  and :func:`socanalysis.normalise_domain`, equal to ``hash_strings(normalise_name(...))``. Names
  have their Latin accents folded in the pass; values it does not handle (other scripts, control
  characters, non-ASCII web addresses) are handed to the reference functions, so the two always
  agree;
- :func:`has_text`: cells that are not blank;
- :func:`join_evidence`: the evidence column of :func:`socanalysis.classify`.

Compiled with numba, cached next to this file, and free of the GIL while they run.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pyarrow as pa
from numba import njit

from ._scan import FNV_OFFSET, FNV_PRIME, hash_strings


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(data bytes, offsets, validity) of a string array, without copying the text."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type not in (pa.string(), pa.large_string()):
        arr = arr.cast(pa.large_string())
    n = len(arr)
    bufs = arr.buffers()
    width = np.int64 if arr.type == pa.large_string() else np.int32
    offsets = np.frombuffer(bufs[1], dtype=width)[arr.offset : arr.offset + n + 1] if n else np.zeros(1, width)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(1, np.uint8)
    valid = np.ones(n, dtype=bool) if arr.null_count == 0 else np.asarray(arr.is_valid(), dtype=bool)
    return data, offsets, valid


def _byte_table(chars: str) -> np.ndarray:
    table = np.zeros(256, dtype=np.bool_)
    for c in chars.encode("ascii"):
        table[c] = True
    return table


# --------------------------------------------------------------------------- formula triggers
def formula_mask(arr: pa.Array, triggers: str) -> np.ndarray:
    """True where a value's first character is one of ``triggers`` (ASCII); nulls are False."""
    data, offsets, valid = _buffers(arr)
    return _first_byte_in(data, offsets, valid, _byte_table(triggers))


@njit(cache=True, nogil=True)
def _first_byte_in(data, offsets, valid, table):  # pragma: no cover - compiled
    n = offsets.shape[0] - 1
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if valid[i] and offsets[i + 1] > offsets[i]:
            out[i] = table[data[offsets[i]]]
    return out


def prefix_where(arr: pa.Array, flags: np.ndarray, prefix: str) -> pa.Array:
    """The values of a string array with ``prefix`` put before those where ``flags`` is set.

    Same type as ``arr`` (string or large_string); nulls stay null.
    """
    data, offsets, valid = _buffers(arr)
    kind = pa.large_string() if offsets.dtype == np.int64 else pa.string()
    new_offsets, new_data = _prefix_where(data, offsets, flags, np.frombuffer(prefix.encode("utf-8"), np.uint8))
    bitmap = None if valid.all() else pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(
        kind, len(flags), [bitmap, pa.py_buffer(new_offsets), pa.py_buffer(new_data)], int((~valid).sum())
    )


@njit(cache=True, nogil=True)
def _prefix_where(data, offsets, flags, prefix):  # pragma: no cover - compiled
    n = offsets.shape[0] - 1
    extra = 0
    for i in range(n):
        if flags[i]:
            extra += prefix.shape[0]
    out_offsets = np.empty(n + 1, dtype=offsets.dtype)
    out = np.empty(max(offsets[n] - offsets[0] + extra, 1), dtype=np.uint8)
    # the text between flagged values is copied in one piece
    m = 0
    done = offsets[0]
    shift = 0
    out_offsets[0] = 0
    for i in range(n):
        if flags[i]:
            length = offsets[i] - done
            out[m : m + length] = data[done : offsets[i]]
            m += length
            done = offsets[i]
            out[m : m + prefix.shape[0]] = prefix
            m += prefix.shape[0]
            shift += prefix.shape[0]
        out_offsets[i + 1] = offsets[i + 1] - offsets[0] + shift
    length = offsets[n] - done
    out[m : m + length] = data[done : offsets[n]]
    return out_offsets, out


# --------------------------------------------------------------------------- blank cells
def has_text(arr: pa.Array, reference) -> np.ndarray:
    """True where a value holds more than whitespace; ``reference(values) -> bool array`` decides
    the values without a visible ASCII character (blank, or only accents, symbols, odd spaces)."""
    data, offsets, valid = _buffers(arr)
    out = _visible_ascii(data, offsets, valid)
    unsure = np.flatnonzero(valid & ~out)
    if len(unsure):
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        out[unsure] = reference(arr.take(pa.array(unsure)).to_pylist())
    return out


@njit(cache=True, nogil=True)
def _visible_ascii(data, offsets, valid):  # pragma: no cover - compiled
    n = offsets.shape[0] - 1
    out = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if valid[i]:
            for p in range(offsets[i], offsets[i + 1]):
                if 0x21 <= data[p] <= 0x7E:
                    out[i] = True
                    break
    return out


# --------------------------------------------------------------------------- duplicate keys
# normalise_name, for printable ASCII: lower case, "&" -> " and ", . ' ` removed, other
# punctuation -> space, spaces collapsed, a leading "the" and trailing legal suffixes dropped
_NAME_DROP = _byte_table(".'`")
_NAME_SPACE = _byte_table('!"#$%()*+,-/:;<=>?@[\\]^_{|}~ ')
# normalise_domain: where the host ends, and what may not be in it
_DOMAIN_END = _byte_table(":/?#,;| ")
_DOMAIN_USER_STOP = _byte_table("@/?#")
_SCHEME = _byte_table("abcdefghijklmnopqrstuvwxyz0123456789+.-")


@lru_cache(maxsize=4)
def _suffix_table(suffixes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array(sorted({_fnv(s.encode()) for s in suffixes}), dtype=np.uint64)
    return keys, np.array([_fnv(b"and")], dtype=np.uint64)


def _fnv(data: bytes) -> int:
    h = int(FNV_OFFSET)
    for b in data:
        h = ((h ^ b) * int(FNV_PRIME)) % 2**64
    return h


def name_keys(arr: pa.Array) -> np.ndarray:
    """``hash_strings(normalise_name(values))`` in one compiled pass; 0 where the name is blank."""
    from .loading import _LEGAL_SUFFIXES, normalise_name

    data, offsets, valid = _buffers(arr)
    suffixes, and_key = _suffix_table(_LEGAL_SUFFIXES)
    keys, other = _name_keys(data, offsets, valid, _NAME_DROP, _NAME_SPACE, suffixes, and_key[0], _latin_table())
    return _fallback(keys, other, arr, normalise_name)


@lru_cache(maxsize=1)
def _latin_table() -> np.ndarray:
    """What :func:`normalise_name` turns every two-byte UTF-8 character (U+0080 to U+07FF) into.

    0: nothing (a combining accent); ``1 << 16 | byte``: one ASCII byte (accents folded: "é" ->
    "e", "Ö" -> "o"; a no-break space -> " "); ``2 << 16 | two bytes``: a Latin letter kept as its
    lower case ("ß", "Æ" -> "æ"); -1: anything else, left to the reference.
    """
    from .loading import _MARKS, _PUNCT

    table = np.full(0x800, -1, dtype=np.int32)
    for cp in range(0xA0, 0x800):
        folded = re.sub(_MARKS, "", unicodedata.normalize("NFKD", chr(cp))).lower()
        folded = re.sub(_PUNCT, " ", re.sub("[.'\u2019`]", "", folded.replace("&", " and ")))
        encoded = folded.encode("utf-8")
        if folded == "":
            table[cp] = 0
        elif len(encoded) == 1 and 0x20 <= encoded[0] <= 0x7E:
            table[cp] = 1 << 16 | encoded[0]
        elif cp < 0x250 and len(folded) == 1 and len(encoded) == 2 and not folded.isspace():
            table[cp] = 2 << 16 | encoded[0] << 8 | encoded[1]
    return table


def domain_keys(arr: pa.Array) -> np.ndarray:
    """``hash_strings(normalise_domain(values))`` in one compiled pass; 0 where there is no host."""
    from .loading import normalise_domain

    data, offsets, valid = _buffers(arr)
    keys, other = _domain_keys(data, offsets, valid, _DOMAIN_END, _DOMAIN_USER_STOP, _SCHEME)
    return _fallback(keys, other, arr, normalise_domain)


def _fallback(keys: np.ndarray, other: np.ndarray, arr: pa.Array, normalise) -> np.ndarray:
    """Keys of the values the compiled pass leaves out, from the reference function."""
    rows = np.flatnonzero(other)
    if len(rows):
        import pandas as pd

        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        values = pd.Series(arr.take(pa.array(rows)).to_pylist(), dtype="str")
        keys[rows] = hash_strings(pa.array(normalise(values), pa.large_string()))
    return keys


@njit(cache=True, nogil=True)
def _printable(data, start, end):  # pragma: no cover - compiled
    for p in range(start, end):
        if data[p] < 0x20 or data[p] > 0x7E:
            return False
    return True


@njit(cache=True, nogil=True)
def _lower(b):  # pragma: no cover - compiled
    return b + 32 if 65 <= b <= 90 else b


@njit(cache=True, nogil=True)
def _hash_bytes(buf, start, end, h):  # pragma: no cover - compiled
    prime = np.uint64(0x100000001B3)
    for p in range(start, end):
        h = (h ^ np.uint64(buf[p])) * prime
    return h


@njit(cache=True, nogil=True)
def _name_keys(data, offsets, valid, drop, space, suffixes, and_key, latin):  # pragma: no cover - compiled
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    other = np.zeros(n, dtype=np.bool_)
    longest = 0
    for i in range(n):
        longest = max(longest, offsets[i + 1] - offsets[i])
    buf = np.empty(longest * 5 + 1, dtype=np.uint8)  # "&" becomes five bytes
    starts = np.empty(longest * 3 + 1, dtype=np.int64)
    ends = np.empty(longest * 3 + 1, dtype=np.int64)
    tok_hash = np.empty(longest * 3 + 1, dtype=np.uint64)
    ok = np.empty(longest * 3 + 2, dtype=np.bool_)
    for i in range(n):
        if not valid[i]:
            continue
        # the text with accents folded and punctuation handled, then its space-separated tokens
        m = 0
        p = offsets[i]
        end = offsets[i + 1]
        while p < end:
            b = data[p]
            p += 1
            if b >= 0x80:
                code = -1
                if 0xC2 <= b <= 0xDF and p < end and 0x80 <= data[p] <= 0xBF:
                    code = latin[((b & 0x1F) << 6) | (data[p] & 0x3F)]
                    p += 1
                if code == 0:
                    continue
                if code < 0:
                    other[i] = True
                    break
                if code >> 16 == 2:  # a letter kept as two bytes: never punctuation
                    buf[m] = (code >> 8) & 0xFF
                    buf[m + 1] = code & 0xFF
                    m += 2
                    continue
                b = code & 0xFF
            elif b < 0x20 or b == 0x7F:
                other[i] = True
                break
            b = _lower(b)
            if b == 38:  # &
                buf[m] = 32
                buf[m + 1] = 97
                buf[m + 2] = 110
                buf[m + 3] = 100
                buf[m + 4] = 32
                m += 5
            elif drop[b]:
                continue
            elif space[b]:
                buf[m] = 32
                m += 1
            else:
                buf[m] = b
                m += 1
        if other[i]:
            continue
        t = 0
        p = 0
        while p < m:
            if buf[p] == 32:
                p += 1
                continue
            starts[t] = p
            while p < m and buf[p] != 32:
                p += 1
            ends[t] = p
            t += 1
        if t == 0:
            continue
        for k in range(t):
            tok_hash[k] = _hash_bytes(buf, starts[k], ends[k], np.uint64(0xCBF29CE484222325))
        first = 0
        if t > 1 and ends[0] - starts[0] == 3 and buf[starts[0]] == 116 and buf[starts[0] + 1] == 104:
            if buf[starts[0] + 2] == 101:  # a leading "the"
                first = 1
        # trailing legal suffixes, each perhaps after "and": the leftmost token from which the
        # rest is all suffixes is where the name ends (never its first token)
        ok[t] = True
        cut = t
        for k in range(t - 1, first, -1):
            is_suffix = _member(suffixes, tok_hash[k])
            good = is_suffix and ok[k + 1]
            if not good and tok_hash[k] == and_key and k + 1 < t and _member(suffixes, tok_hash[k + 1]):
                good = ok[k + 2]
            ok[k] = good
            if good:
                cut = k
        h = np.uint64(0xCBF29CE484222325)
        for k in range(first, cut):
            if k > first:
                h = (h ^ np.uint64(32)) * np.uint64(0x100000001B3)
            h = _hash_bytes(buf, starts[k], ends[k], h)
        keys[i] = h if h != 0 else np.uint64(1)
    return keys, other


@njit(cache=True, nogil=True)
def _member(sorted_keys, key):  # pragma: no cover - compiled
    at = np.searchsorted(sorted_keys, key)
    return at < sorted_keys.shape[0] and sorted_keys[at] == key


@njit(cache=True, nogil=True)
def _domain_keys(data, offsets, valid, end_chars, user_stop, scheme):  # pragma: no cover - compiled
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    other = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        if not valid[i]:
            continue
        s, e = offsets[i], offsets[i + 1]
        if not _printable(data, s, e):
            other[i] = True
            continue
        while s < e and data[s] == 32:
            s += 1
        while e > s and data[e - 1] == 32:
            e -= 1
        # scheme "x://", "//" or "mailto:"
        p = s
        if p < e and 97 <= _lower(data[p]) <= 122:
            k = p + 1
            while k < e and scheme[_lower(data[k])]:
                k += 1
            if k + 2 < e and data[k] == 58 and data[k + 1] == 47 and data[k + 2] == 47:
                p = k + 3
        if p == s:
            if e - s >= 2 and data[s] == 47 and data[s + 1] == 47:
                p = s + 2
            elif e - s >= 7 and _starts_mailto(data, s):
                p = s + 7
        # user@
        k = p
        while k < e and not user_stop[data[k]]:
            k += 1
        if k < e and data[k] == 64:
            p = k + 1
        # www.
        if e - p >= 4 and _lower(data[p]) == 119 and _lower(data[p + 1]) == 119 and _lower(data[p + 2]) == 119:
            k = p + 3
            while k < e and 48 <= data[k] <= 57:
                k += 1
            if k < e and data[k] == 46:
                p = k + 1
        # the host ends before trailing dots followed by the end or a port, path, query ...
        q = p
        while q < e:
            r = q
            while r < e and data[r] == 46:
                r += 1
            if r == e or end_chars[data[r]]:
                break
            q = r if r > q else q + 1
        # a host: labels of characters other than space, dot and @, joined by single dots
        good = q > p and data[p] != 46 and data[q - 1] != 46
        dots = 0
        for k in range(p, q):
            b = data[k]
            if b == 32 or b == 64:
                good = False
                break
            if b == 46:
                dots += 1
                if data[k + 1] == 46:
                    good = False
                    break
        if not good or dots == 0:
            continue
        h = np.uint64(0xCBF29CE484222325)
        for k in range(p, q):
            h = (h ^ np.uint64(_lower(data[k]))) * np.uint64(0x100000001B3)
        keys[i] = h if h != 0 else np.uint64(1)
    return keys, other


@njit(cache=True, nogil=True)
def _starts_mailto(data, s):  # pragma: no cover - compiled
    word = (109, 97, 105, 108, 116, 111, 58)
    for j in range(7):
        if _lower(data[s + j]) != word[j]:
            return False
    return True


# --------------------------------------------------------------------------- evidence
def join_evidence(
    n: int,
    rows: np.ndarray,
    terms: np.ndarray,
    kinds: np.ndarray,
    term_group: np.ndarray,
    labels: list[str],
    prefixes: list[str],
) -> pa.Array:
    """Per row: ``"Prefix: label, label; Prefix: label"``.

    Hits (``rows``, ``terms``, ``kinds``) are grouped by ``term_group[term]`` (an index into
    ``prefixes``, in that order; -1 leaves a hit out), each (term, kind) once per row, in the
    order of the hits. ``labels[term * 3 + kind]`` is the text of a hit (``labels`` may also be
    given as :func:`flatten` made it).
    """
    label_data, label_off = labels if isinstance(labels, tuple) else flatten(labels)
    prefix_data, prefix_off = flatten(prefixes)
    offsets, data = _join_evidence(
        n,
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(terms, dtype=np.int64),
        np.ascontiguousarray(kinds, dtype=np.int64),
        np.ascontiguousarray(term_group, dtype=np.int64),
        label_data,
        label_off,
        prefix_data,
        prefix_off,
    )
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def flatten(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as one array of UTF-8 bytes and the offsets of each text in it."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in encoded])
    return np.frombuffer(b"".join(encoded) or b"\0", dtype=np.uint8), offsets


@njit(cache=True, nogil=True)
def _join_evidence(n, rows, terms, kinds, group, label_data, label_off, prefix_data, prefix_off):  # pragma: no cover
    n_groups = prefix_off.shape[0] - 1
    # hits by (row, group), keeping their order within each (a counting sort)
    count = np.zeros(n * n_groups + 1, dtype=np.int64)
    size = 0
    for h in range(rows.shape[0]):
        g = group[terms[h]]
        if g < 0:
            continue
        count[rows[h] * n_groups + g + 1] += 1
        size += label_off[terms[h] * 3 + kinds[h] + 1] - label_off[terms[h] * 3 + kinds[h]] + 2
    segments = 0
    for s in range(n * n_groups):
        if count[s + 1]:
            segments += 1
        count[s + 1] += count[s]
    fill = count[:-1].copy()
    order = np.empty(count[n * n_groups], dtype=np.int64)
    for h in range(rows.shape[0]):
        g = group[terms[h]]
        if g < 0:
            continue
        s = rows[h] * n_groups + g
        order[fill[s]] = h
        fill[s] += 1
    longest_prefix = 0
    for g in range(n_groups):
        longest_prefix = max(longest_prefix, prefix_off[g + 1] - prefix_off[g])
    data = np.empty(max(size + segments * (longest_prefix + 2), 1), dtype=np.uint8)
    offsets = np.zeros(n + 1, dtype=np.int64)
    m = 0
    for r in range(n):
        first_part = True
        for g in range(n_groups):
            lo, hi = count[r * n_groups + g], count[r * n_groups + g + 1]
            if lo == hi:
                continue
            if not first_part:
                data[m] = 59  # ;
                data[m + 1] = 32
                m += 2
            first_part = False
            for k in range(prefix_off[g], prefix_off[g + 1]):  # a loop: faster than a slice for short texts
                data[m] = prefix_data[k]
                m += 1
            for a in range(lo, hi):
                h = order[a]
                seen = False
                for b in range(lo, a):
                    if terms[order[b]] == terms[h] and kinds[order[b]] == kinds[h]:
                        seen = True
                        break
                if seen:
                    continue
                if a > lo:
                    data[m] = 44  # ,
                    data[m + 1] = 32
                    m += 2
                li = terms[h] * 3 + kinds[h]
                for k in range(label_off[li], label_off[li + 1]):
                    data[m] = label_data[k]
                    m += 1
        offsets[r + 1] = m
    return offsets, data[:m]  # a view: the bound above is close, a copy would cost more than it saves
