"""Compiled passes over the UTF-8 bytes of Arrow string arrays: Arrow arrays and plain values in,
NumPy or Arrow arrays out.

- :func:`name_keys` / :func:`domain_keys`: 64-bit hashes of normalised names and web hosts, for
  finding duplicates, with the values the pass does not handle marked for the caller;
- :func:`visible_ascii`: the cells that hold a visible ASCII character (so are not blank);
- :func:`join_evidence`: the evidence texts of classified rows, from their hits.

Compiled with numba, cached next to this file, and free of the GIL while they run.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyarrow as pa
from numba import njit

from .scanning import FNV_OFFSET, FNV_PRIME, _load8


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


# --------------------------------------------------------------------------- blank cells
# 0.023 s for 1M descriptions against 0.041 s with Arrow's utf8_is_space
def visible_ascii(arr: pa.Array) -> np.ndarray:
    """True where a value holds a visible ASCII character (``!`` to ``~``); False for a missing one.

    A value without one is blank or holds only accents, symbols or odd spaces: the caller decides those.
    """
    return _visible_ascii(*_buffers(arr))


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
# what _name_keys does with a byte (the class of a kept byte is the byte in lower case, >= 0x21)
_DROP, _SPACE, _AMP, _OTHER, _MULTI = 0, 1, 2, 3, 4
_THE = np.uint64(int.from_bytes(b"the", "big"))  # the last bytes of a word, as _name_keys packs them
# normalise_domain: where the host ends, and what may not be in it
_DOMAIN_END = _byte_table(":/?#,;| ")
_DOMAIN_USER_STOP = _byte_table("@/?#")
_SCHEME = _byte_table("abcdefghijklmnopqrstuvwxyz0123456789+.-")
_HOST_END = 0  # the class of a byte that ends a host in _domain_keys


def _name_classes() -> np.ndarray:
    """The class of every byte for :func:`_name_keys`: printable ASCII kept (in lower case),
    dropped, a space or "&"; control characters and bytes of longer characters apart."""
    classes = np.full(256, _MULTI, dtype=np.uint8)
    classes[:0x20] = _OTHER
    classes[0x7F] = _OTHER
    for b in range(0x20, 0x7F):
        classes[b] = _DROP if _NAME_DROP[b] else _SPACE if _NAME_SPACE[b] else ord(chr(b).lower())
    classes[ord("&")] = _AMP
    return classes


def _host_classes() -> np.ndarray:
    """The class of every printable ASCII byte for :func:`_domain_keys`: the byte in lower case,
    or ``_HOST_END`` for the characters a host ends at."""
    classes = np.zeros(256, dtype=np.uint8)
    for b in range(0x20, 0x7F):
        classes[b] = _HOST_END if _DOMAIN_END[b] else ord(chr(b).lower())
    return classes


_NAME_CLASSES = _name_classes()
_HOST_CLASSES = _host_classes()


@lru_cache(maxsize=4)
def _suffix_table(suffixes: tuple[str, ...]) -> tuple[np.ndarray, int]:
    """The hashes of the legal suffixes as an open-addressing set (slot ``hash & 255``, then the
    next ones; 0 is an empty slot), and the hash of "and"."""
    table = np.zeros(256, dtype=np.uint64)
    for key in {_fnv(s.encode()) for s in suffixes}:
        slot = key & 255
        while table[slot]:
            slot = (slot + 1) & 255
        table[slot] = key
    return table, _fnv(b"and")


def _fnv(data: bytes) -> int:
    h = int(FNV_OFFSET)
    for b in data:
        h = ((h ^ b) * int(FNV_PRIME)) % 2**64
    return h


# 0.08 s for 1M names against 1.5 s normalising them with pandas (normalise_name) and hashing
def name_keys(arr: pa.Array, suffixes: tuple[str, ...], folded: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The hash (:func:`socanalysis._kernels.scanning.hash_strings`) of every name once normalised:
    lower case, accents folded, punctuation and the legal ``suffixes`` at the end dropped; 0 for a blank one.

    ``folded[cp - 0xA0]`` is what the character ``cp`` (U+00A0 to U+07FF) folds to. Returns the
    keys, and True where the pass left a value out (other scripts, control characters): its key
    is the caller's to compute.
    """
    data, offsets, valid = _buffers(arr)
    table, and_key = _suffix_table(suffixes)
    return _name_keys(data, offsets, valid, _NAME_CLASSES, table, np.uint64(and_key), _latin_table(folded))


@lru_cache(maxsize=4)
def _latin_table(folded: tuple[str, ...]) -> np.ndarray:
    """What every two-byte UTF-8 character (U+0080 to U+07FF) folds to, as :func:`_name_keys` reads it.

    0: nothing (a combining accent); ``1 << 16 | byte``: one ASCII byte (accents folded: "é" ->
    "e", "Ö" -> "o"; a no-break space -> " "); ``2 << 16 | two bytes``: a Latin letter kept as its
    lower case ("ß", "Æ" -> "æ"); -1: anything else, left to the caller.
    """
    table = np.full(0x800, -1, dtype=np.int32)
    for cp, folded_cp in enumerate(folded, 0xA0):
        encoded = folded_cp.encode("utf-8")
        if folded_cp == "":
            table[cp] = 0
        elif len(encoded) == 1 and 0x20 <= encoded[0] <= 0x7E:
            table[cp] = 1 << 16 | encoded[0]
        elif cp < 0x250 and len(folded_cp) == 1 and len(encoded) == 2 and not folded_cp.isspace():
            table[cp] = 2 << 16 | encoded[0] << 8 | encoded[1]
    return table


# 0.07 s for 1M web addresses against 1.05 s normalising them with pandas (normalise_domain) and hashing
def domain_keys(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The hash (:func:`socanalysis._kernels.scanning.hash_strings`) of every web address's host:
    scheme, user, ``www.``, port, path and trailing dots dropped, lower case; 0 where there is none.

    Returns the keys, and True where the pass left a value out (anything but printable ASCII):
    its key is the caller's to compute.
    """
    return _domain_keys(*_buffers(arr), _HOST_CLASSES, _DOMAIN_USER_STOP, _SCHEME)


@njit(cache=True, nogil=True)
def _lower(b):  # pragma: no cover - compiled
    return b + 32 if 65 <= b <= 90 else b


@njit(cache=True, nogil=True)
def _name_keys(data, offsets, valid, classes, suffixes, and_key, latin):  # pragma: no cover - compiled
    """The keys of the names (0 for a blank one), and the names left to the reference.

    Words are hashed as they are read, twice over: on their own (to look them up among the
    suffixes) and as part of the whole name, whose hash at the end of every word is kept. The
    key is then that hash at the end of the last word left once the suffixes are cut, and the
    normalised text is never written out.
    """
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    other = np.zeros(n, dtype=np.bool_)
    longest = 1
    for i in range(n):
        longest = max(longest, offsets[i + 1] - offsets[i])
    # every word takes at least one byte (an "&" is the word "and")
    word_keys = np.empty(longest, dtype=np.uint64)
    name_at = np.empty(longest, dtype=np.uint64)  # the name's hash at the end of each word
    basis = FNV_OFFSET
    prime = FNV_PRIME
    space = np.uint64(32)
    for i in range(n):
        if not valid[i]:
            continue
        t = 0  # words read
        w = basis  # hash of the word being read
        h = basis  # hash of the name so far (words joined by single spaces)
        size = 0  # bytes of the word being read
        tail = np.uint64(0)  # its last bytes, to spot a leading "the"
        leading_the = False
        p = offsets[i]
        end = offsets[i + 1]
        while p < end:
            b = data[p]
            c = classes[b]
            p += 1
            if c == _MULTI:
                code = -1
                if 0xC2 <= b <= 0xDF and p < end and 0x80 <= data[p] <= 0xBF:
                    code = latin[((b & 0x1F) << 6) | (data[p] & 0x3F)]
                    p += 1
                if code < 0:
                    other[i] = True
                    break
                if code == 0:  # a combining accent
                    continue
                if code >> 16 == 2:  # a letter kept as two bytes: never punctuation
                    for byte in ((code >> 8) & 0xFF, code & 0xFF):
                        w = (w ^ np.uint64(byte)) * prime
                        h = (h ^ np.uint64(byte)) * prime
                        tail = tail << np.uint64(8) | np.uint64(byte)
                    size += 2
                    continue
                c = classes[code & 0xFF]  # one ASCII byte, then as if it had been read
            if c > _MULTI:  # a byte of a word, in lower case: the common case
                w = (w ^ np.uint64(c)) * prime
                h = (h ^ np.uint64(c)) * prime
                tail = tail << np.uint64(8) | np.uint64(c)
                size += 1
                continue
            if c == _DROP:
                continue
            if c == _OTHER:  # control characters are left to the reference
                other[i] = True
                break
            # a space or "&": the word read so far ends
            if size:
                word_keys[t] = w
                name_at[t] = h
                if t == 0 and size == 3 and tail == _THE:
                    leading_the = True
                    h = basis  # the name starts again after it (it stays if no word follows)
                else:
                    h = (h ^ space) * prime
                t += 1
                w = basis
                size = 0
                tail = np.uint64(0)
            if c == _AMP:  # " and ", a word of its own
                word_keys[t] = and_key
                h = (((((h ^ np.uint64(97)) * prime) ^ np.uint64(110)) * prime) ^ np.uint64(100)) * prime
                name_at[t] = h
                h = (h ^ space) * prime
                t += 1
        if other[i]:
            continue
        if size:  # the last word
            word_keys[t] = w
            name_at[t] = h
            if t == 0 and size == 3 and tail == _THE:
                leading_the = True
            t += 1
        if t == 0:
            continue
        first = 1 if leading_the and t > 1 else 0
        # trailing legal suffixes, each perhaps after "and", are cut (never the first word): the
        # words cut are those from the end while each is a suffix or an "and" before one
        cut = t
        before_suffix = False
        for k in range(t - 1, first, -1):
            is_suffix = _member(suffixes, word_keys[k])
            if not (is_suffix or (before_suffix and word_keys[k] == and_key)):
                break
            cut = k
            before_suffix = is_suffix
        h = name_at[cut - 1]
        keys[i] = h if h != 0 else np.uint64(1)
    return keys, other


@njit(cache=True, nogil=True)
def _member(table, key):  # pragma: no cover - compiled
    """Whether ``key`` is in a set made by :func:`_suffix_table`."""
    mask = np.uint64(table.shape[0] - 1)
    slot = key & mask
    while table[slot] != 0:
        if table[slot] == key:
            return True
        slot = (slot + np.uint64(1)) & mask
    return False


@njit(cache=True, nogil=True)
def _domain_keys(data, offsets, valid, classes, user_stop, scheme):  # pragma: no cover - compiled
    """The keys of the hosts (0 where there is none), and the values left to the reference."""
    n = offsets.shape[0] - 1
    keys = np.zeros(n, dtype=np.uint64)
    other = np.zeros(n, dtype=np.bool_)
    prime = FNV_PRIME
    for i in range(n):
        if not valid[i]:
            continue
        s, e = offsets[i], offsets[i + 1]
        # anything but printable ASCII is left to the reference; a user part needs an "@"
        odd, has_at = _odd_or_at(data, s, e)
        if odd:
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
        if has_at:
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
        # the host, hashed as it is read: it ends before a character of _DOMAIN_END, or before
        # dots followed by one or by the end; a host is labels of characters other than space,
        # dot and @, joined by single dots (at least one)
        if p == e or data[p] == 46:
            continue
        h = FNV_OFFSET
        dots = 0
        good = True
        for q in range(p, e):
            c = classes[data[q]]
            if c == _HOST_END:
                break
            if c == 46:
                r = q + 1
                while r < e and data[r] == 46:
                    r += 1
                if r == e or classes[data[r]] == _HOST_END:  # trailing dots
                    break
                if r > q + 1:
                    good = False
                    break
                dots += 1
            elif c == 64:
                good = False
                break
            h = (h ^ c) * prime
        if good and dots:
            keys[i] = h if h != 0 else np.uint64(1)
    return keys, other


_ONES = np.uint64(0x0101010101010101)
_HIGHS = np.uint64(0x8080808080808080)


@njit(cache=True, nogil=True)
def _odd_or_at(data, s, e):  # pragma: no cover - compiled
    """Whether the bytes from ``s`` to ``e`` hold anything but printable ASCII, and whether they
    hold an "@": eight bytes at a time, the last eight overlapping the others."""
    if e - s < 8:
        odd = False
        at = False
        for k in range(s, e):
            odd |= (data[k] < 0x20) | (data[k] > 0x7E)
            at |= data[k] == 64
        return odd, at
    odd = np.uint64(0)
    at = np.uint64(0)
    k = s
    while k < e:
        v = _load8(data, min(k, e - 8))
        # the high bit of a byte: set from 0x80 on, or borrowed for one below 0x20 ...
        odd |= v | ((v - _ONES * np.uint64(0x20)) & ~v)
        odd |= _zero_byte(v ^ (_ONES * np.uint64(0x7F)))  # ... or set for 0x7F
        at |= _zero_byte(v ^ (_ONES * np.uint64(0x40)))
        k += 8
    return odd & _HIGHS != 0, at != 0


@njit(cache=True, nogil=True)
def _zero_byte(v):  # pragma: no cover - compiled
    """Not 0 when one of the eight bytes of ``v`` is 0 (the first is marked by its high bit)."""
    return (v - _ONES) & ~v & _HIGHS


@njit(cache=True, nogil=True)
def _starts_mailto(data, s):  # pragma: no cover - compiled
    word = (109, 97, 105, 108, 116, 111, 58)
    for j in range(7):
        if _lower(data[s + j]) != word[j]:
            return False
    return True


# --------------------------------------------------------------------------- evidence
_SPARE = 32  # bytes copied for every text at least (see _put): more than nearly any label holds


# 0.26 s for the hits of 1M rows against 1.1 s with NumPy sorting and Arrow's binary_join
LABELS_PER_TERM = 7  # as found, negated, customers, its own use, advised on, what it makes, outweighed by a label


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
    order of the hits. ``labels[term * LABELS_PER_TERM + kind]`` is the text of a hit (``labels`` may also be
    given as :func:`flatten` made it).
    """
    label_data, label_off = _padded(*(labels if isinstance(labels, tuple) else flatten(labels)))
    prefix_data, prefix_off = flatten(prefixes)
    offsets, data = _join_evidence(
        n,
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(terms, dtype=np.int32),
        np.ascontiguousarray(kinds, dtype=np.int8),
        np.ascontiguousarray(term_group, dtype=np.int64),
        label_data,
        label_off,
        prefix_data,
        prefix_off,
    )
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


def flatten(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as one array of UTF-8 bytes and the offsets of each text in it.

    ``_SPARE`` zero bytes follow the last text, so that compiled code may copy any text eight
    bytes at a time (:func:`_put`).
    """
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in encoded])
    return np.frombuffer(b"".join(encoded) + bytes(_SPARE), dtype=np.uint8), offsets


def _padded(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Texts made by :func:`flatten`, with ``_SPARE`` bytes after the last one."""
    if data.shape[0] < offsets[-1] + _SPARE:
        data = np.concatenate([data[: offsets[-1]], np.zeros(_SPARE, dtype=np.uint8)])
    return data, offsets


@njit(cache=True, nogil=True)
def _put(out, m, src, lo, hi):  # pragma: no cover - compiled
    """Copy ``src[lo:hi]`` to ``out`` from ``m``, and return where the copy ends.

    Eight bytes at a time, each one load and one store, and the first ``_SPARE`` bytes whatever
    the length: a fixed copy costs less than a loop whose end the processor has to guess, and
    covers nearly every label. Bytes past ``hi`` are read, and as many past the end of the copy
    written (to be written over by what follows): both arrays need ``_SPARE`` bytes to spare.
    """
    q = np.uint64(m)
    k = np.uint64(lo)
    end = np.uint64(hi)
    for w in range(_SPARE // 8):
        _store8(out, q + np.uint64(8 * w), _load8(src, k + np.uint64(8 * w)))
    k += np.uint64(_SPARE)
    q += np.uint64(_SPARE)
    while k < end:
        _store8(out, q, _load8(src, k))
        k += np.uint64(8)
        q += np.uint64(8)
    return m + (hi - lo)


@njit(cache=True, nogil=True)
def _store8(out, q, v):  # pragma: no cover - compiled
    """Write ``v`` as eight little-endian bytes from ``q`` (compiled to one unaligned store)."""
    for j in range(8):
        out[q + np.uint64(j)] = np.uint8((v >> np.uint64(8 * j)) & np.uint64(0xFF))


@njit(cache=True, nogil=True)
def _join_evidence(n, rows, terms, kinds, group, label_data, label_off, prefix_data, prefix_off):  # pragma: no cover
    """The offsets and bytes of the evidence texts (see :func:`join_evidence`).

    Hits are sorted by row (a counting sort), each kept as its group and label in one int64, so
    that writing a row reads only its own few items; within its row, a hit goes in group order
    after those before it (an insertion sort, next to free when hits come grouped, as they do
    from :func:`socanalysis.classify`). Texts are copied eight bytes at a time (:func:`_put`).
    """
    n_groups = prefix_off.shape[0] - 1
    start = np.zeros(n + 1, dtype=np.int64)
    size = 0  # the bytes of every label kept and its separator: an upper bound of the labels written
    for h in range(rows.shape[0]):
        if group[terms[h]] >= 0:
            start[rows[h] + 1] += 1
            li = terms[h] * LABELS_PER_TERM + kinds[h]
            size += label_off[li + 1] - label_off[li] + 2
    longest_prefix = 0
    for g in range(n_groups):
        longest_prefix = max(longest_prefix, prefix_off[g + 1] - prefix_off[g])
    for r in range(n):
        start[r + 1] += start[r]
    fill = start[:-1].copy()
    items = np.empty(start[n], dtype=np.int64)  # group << 32 | label index
    segments = 0  # (row, group) pairs with hits: a prefix each
    for h in range(rows.shape[0]):
        g = group[terms[h]]
        if g >= 0:
            r = rows[h]
            b = fill[r]
            fill[r] += 1
            # into its row in group order, after the hits of its group (an insertion sort)
            while b > start[r] and items[b - 1] >> 32 > g:
                items[b] = items[b - 1]
                b -= 1
            items[b] = g << 32 | (terms[h] * LABELS_PER_TERM + kinds[h])
            segments += b == start[r] or items[b - 1] >> 32 != g
    data = np.empty(size + segments * (longest_prefix + 2) + _SPARE, dtype=np.uint8)  # for _put
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0] = 0
    m = 0
    for r in range(n):
        lo, hi = start[r], start[r + 1]
        first = lo  # the first item of the group being written
        for a in range(lo, hi):
            item = items[a]
            if a == lo or item >> 32 != items[a - 1] >> 32:  # a new group: its prefix
                if a > lo:
                    data[m] = 59  # ;
                    data[m + 1] = 32
                    m += 2
                g = item >> 32
                m = _put(data, m, prefix_data, prefix_off[g], prefix_off[g + 1])
                first = a
            else:
                seen = False  # each (term, kind) once: a few items to look back at
                for b in range(first, a):
                    if items[b] == item:
                        seen = True
                        break
                if seen:
                    continue
                data[m] = 44  # ,
                data[m + 1] = 32
                m += 2
            li = item & 0xFFFFFFFF
            m = _put(data, m, label_data, label_off[li], label_off[li + 1])
        offsets[r + 1] = m
    return offsets, data[:m]  # a view: the bound above is close, a copy would cost more than it saves
