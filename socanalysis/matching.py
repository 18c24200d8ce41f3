"""Vectorised term matching over whole text columns.

Rules name *terms* ("payroll", "payment processing", "customer data"). Matching them one regular
expression at a time costs a full pass over the text per rule; instead each column is cut into
tokens once, with NumPy over the raw UTF-8 bytes of the Arrow string array, the distinct tokens are
mapped to word ids with a light stemmer (only the distinct tokens pass through Python), and every
term of every length is then found by integer keys over the token ids. Negation ("not a bank",
"we do not process payments", "non-bank") is read from the tokens just before a match.

>>> lex = Lexicon([("description", "payroll"), ("description", "payment processing")])
>>> hits = lex.match("description", pd.Series(["Payroll and payments processing.", "Not a payroll firm"]))
>>> [(int(r), lex.terms[t].text, bool(n)) for r, t, n in zip(hits.rows, hits.terms, hits.negated)]
[(0, 'payroll', False), (0, 'payment processing', False), (1, 'payroll', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

UNKNOWN, BREAK, NEGATION = -1, -2, -3
MAX_TERM_WORDS = 10
_MULT = np.uint64(0x9E3779B97F4A7C15)  # phrase keys: a polynomial hash of word ids, modulo 2**64
NEGATION_WORDS = frozenset(
    ["not", "never", "non", "without", "neither", "nor", "isnt", "arent", "doesnt", "dont", "wont", "cannot"]
)
SHORT_NEGATION_WORDS = frozenset(
    ["no"]
)  # negates only the word right after it ("no payroll", not "no-code apps")
NEGATION_WINDOW = 3  # tokens before a match that may hold "not"

# byte classes: 0 separator, 1 word byte, 2 sentence/list break
_CLASS = np.zeros(256, dtype=np.uint8)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'":
    _CLASS[_c] = 1
_CLASS[0x80:] = 1  # UTF-8 multi-byte characters are part of words (cafe, Zurich ...)
for _c in b'.,;:!?()[]{}|\n\r\t"':
    _CLASS[_c] = 2
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32

_STRIP = "'\u2018\u2019`"


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """Reduce a lower-case token to a crude stem, so that plurals and past forms meet.

    The same function is applied to the words of the rules and to the text, so the stems only
    have to agree with each other, not be English. "-ing" is left alone on purpose: "accounting"
    is not "account", "billing" is not "bill", "hosting" is not "host".

    >>> [stem(w) for w in ["payments", "processes", "processed", "companies", "customer's", "services"]]
    ['payment', 'process', 'process', 'company', 'customer', 'servic']
    >>> stem("accounting") == stem("accounts")
    False
    """
    w = word.strip(_STRIP)
    for tail in ("'s", "\u2019s"):
        if w.endswith(tail):
            w = w[: -len(tail)]
    w = w.replace("'", "").replace("\u2019", "")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


_WORD_RE = re.compile(r"[a-z0-9'\u2019\u0080-\uffff]+|[.,;:!?()\[\]{}|\"]")


def words(text: str) -> list[str]:
    """Tokenise one term the way :meth:`Lexicon.match` tokenises a column.

    >>> words("Third-party administration (TPA)")
    ['third', 'party', 'administration', '(', 'tpa', ')']
    """
    return _WORD_RE.findall(text.lower().replace("\u2018", "'"))


def term_key(text: str) -> tuple[str, ...]:
    """The stems a term is matched by: two terms with the same key are the same term.

    >>> term_key("Payment processor") == term_key("payments processors")
    True
    """
    return tuple(s for s in (stem(w) for w in words(text)) if s and not _is_break(s))


@dataclass(frozen=True)
class Term:
    """One term of one field: its id, field, text as written in the rules, and its stems."""

    id: int
    field: str
    text: str
    stems: tuple[str, ...]


@dataclass
class Hits:
    """Term matches in a column: parallel arrays of row position, term id and negation flag."""

    rows: np.ndarray
    terms: np.ndarray
    negated: np.ndarray

    @classmethod
    def empty(cls) -> Hits:
        return cls(np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, bool))

    @classmethod
    def concat(cls, parts: list[Hits]) -> Hits:
        parts = [p for p in parts if len(p.rows)]
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([p.rows for p in parts]),
            np.concatenate([p.terms for p in parts]),
            np.concatenate([p.negated for p in parts]),
        )

    def __len__(self) -> int:
        return len(self.rows)


class Lexicon:
    """All the terms of a rule set, indexed for matching.

    Parameters
    ----------
    entries : iterable of (field, term text)
        Term ids are given in this order.
    """

    def __init__(self, entries):
        self.terms: list[Term] = []
        self.word_ids: dict[str, int] = {}
        for field, text in entries:
            stems = term_key(text)
            if not stems:
                raise ValueError(f"term {text!r} has no words")
            if len(stems) > MAX_TERM_WORDS:
                raise ValueError(f"term {text!r} has more than {MAX_TERM_WORDS} words")
            self.terms.append(Term(len(self.terms), field, text, stems))
            for s in stems:
                self.word_ids.setdefault(s, len(self.word_ids))
        self._base = len(self.word_ids) + 1  # size of the word-id lookup tables
        self._single: dict[str, dict[int, int]] = {}
        multi: dict[str, dict[int, dict[int, int]]] = {}
        for term in self.terms:
            ids = [self.word_ids[s] for s in term.stems]
            if len(ids) == 1:
                self._single.setdefault(term.field, {})[ids[0]] = term.id
            else:
                key = _phrase_key(ids)
                table = multi.setdefault(term.field, {}).setdefault(len(ids), {})
                if key in table:  # a 64-bit hash collision between two phrases: practically impossible
                    raise ValueError(f"terms {term.text!r} and {self.terms[table[key]].text!r} share a key")
                table[key] = term.id
        self._multi: dict[str, dict[int, tuple[np.ndarray, np.ndarray]]] = {
            field: {
                n: (np.array(sorted(table), np.uint64), np.array([table[k] for k in sorted(table)], np.int32))
                for n, table in by_len.items()
            }
            for field, by_len in multi.items()
        }
        self._cache: dict[str, int] = {}

    def fields(self) -> set[str]:
        return set(self._single) | set(self._multi)

    def _token_ids(self, tokens: list[str]) -> np.ndarray:
        """Word ids of distinct tokens (Python, but only over the distinct tokens; cached)."""
        out = np.empty(len(tokens), dtype=np.int32)
        cache, word_ids = self._cache, self.word_ids
        for i, tok in enumerate(tokens):
            wid = cache.get(tok)
            if wid is None:
                if _is_break(tok):
                    wid = BREAK
                else:
                    bare = tok.strip(_STRIP).replace("'", "").replace("\u2019", "")
                    if bare in NEGATION_WORDS:
                        wid = NEGATION
                    elif bare in SHORT_NEGATION_WORDS:
                        wid = NEGATION - 1
                    else:
                        wid = word_ids.get(stem(tok), UNKNOWN)
                if len(cache) < 1_000_000:
                    cache[tok] = wid
            out[i] = wid
        return out

    def match(self, field: str, values: pd.Series | pa.Array, *, block: int = 100_000) -> Hits:
        """Find every term of ``field`` in a column of text.

        Low-cardinality columns (industry labels) are matched once per distinct value.
        """
        if field not in self.fields():
            return Hits.empty()
        arr = _as_large_string(values)
        if arr.null_count:
            arr = pc.fill_null(arr, "")
        n = len(arr)
        if n == 0:
            return Hits.empty()
        encoded = pc.dictionary_encode(arr) if n > 64 else None
        if encoded is not None and len(encoded.dictionary) * 2 < n:
            uniq_hits = self._match_block(field, encoded.dictionary.cast(pa.large_string()))
            return _expand(uniq_hits, encoded.indices.to_numpy(zero_copy_only=False), len(encoded.dictionary))
        parts = []
        for start in range(0, n, block):
            h = self._match_block(field, arr.slice(start, block))
            h.rows += start
            parts.append(h)
        return Hits.concat(parts)

    def _match_block(self, field: str, arr: pa.Array) -> Hits:
        tok, rows = self._tokenise(arr)
        if len(tok) == 0:
            return Hits.empty()
        found_pos, found_term, found_len = [], [], []
        single = self._single.get(field)
        if single:
            lut = np.full(self._base, -1, dtype=np.int32)
            lut[list(single)] = list(single.values())
            pos = np.flatnonzero(tok >= 0)
            t = lut[tok[pos]]
            keep = t >= 0
            found_pos.append(pos[keep])
            found_term.append(t[keep])
            found_len.append(np.ones(int(keep.sum()), dtype=np.int64))
        for length, (keys, term_ids) in self._multi.get(field, {}).items():
            m = len(tok) - length + 1
            if m <= 0:
                continue
            ok = tok[:m] >= 0
            for j in range(1, length):
                ok &= tok[j : j + m] >= 0
            ok &= rows[:m] == rows[length - 1 : length - 1 + m]
            pos = np.flatnonzero(ok)
            if not len(pos):
                continue
            key = np.zeros(len(pos), dtype=np.uint64)
            for j in range(length):
                key = key * _MULT + (tok[pos + j] + 1).astype(np.uint64)
            at = np.searchsorted(keys, key)
            at[at == len(keys)] = 0
            hit = keys[at] == key
            found_pos.append(pos[hit])
            found_term.append(term_ids[at[hit]])
            found_len.append(np.full(int(hit.sum()), length, dtype=np.int64))
        if not found_pos:
            return Hits.empty()
        pos = np.concatenate(found_pos)
        terms = np.concatenate(found_term)
        lengths = np.concatenate(found_len)
        # leftmost-longest: order by start, longer first; drop a match inside an earlier, longer one
        order = np.lexsort((-lengths, pos))
        pos, terms, lengths = pos[order], terms[order], lengths[order]
        ends = pos + lengths
        reach = np.maximum.accumulate(ends)
        covered = np.zeros(len(pos), dtype=bool)
        covered[1:] = reach[:-1] >= ends[1:]
        pos, terms = pos[~covered], terms[~covered]
        negated = _negated(tok, rows, pos)
        return Hits(rows[pos].astype(np.int64), terms.astype(np.int32), negated)

    def _tokenise(self, arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Token word ids and their row positions for a block of strings."""
        arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
        if arr.null_count:
            arr = pc.fill_null(arr, "")
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
        data_buf = arr.buffers()[2]
        if data_buf is None or offsets[-1] == offsets[0]:
            return np.empty(0, np.int32), np.empty(0, np.int64)
        raw = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
        offsets = offsets - offsets[0]
        cls = _CLASS[raw]
        # a UTF-8 dash, ellipsis, bullet or quote mark (E2 80 xx) separates words like its ASCII twin
        lead = np.flatnonzero((raw[:-2] == 0xE2) & (raw[1:-1] == 0x80))
        if len(lead):
            apostrophe = (raw[lead + 2] == 0x98) | (raw[lead + 2] == 0x99)
            for k in range(3):
                cls[lead[~apostrophe] + k] = 0
        nbsp = np.flatnonzero((raw[:-1] == 0xC2) & (raw[1:] == 0xA0))
        cls[nbsp] = 0
        cls[nbsp + 1] = 0
        size = len(raw)
        word = cls == 1
        brk = cls == 2
        prev_word = np.empty(size, dtype=bool)
        prev_word[0] = False
        prev_word[1:] = word[:-1]
        next_word = np.empty(size, dtype=bool)
        next_word[-1] = False
        next_word[:-1] = word[1:]
        row_starts = offsets[:-1][offsets[:-1] < size]
        prev_word[row_starts] = False
        row_ends = offsets[1:][offsets[1:] > 0] - 1
        next_word[row_ends] = False
        starts = (word & ~prev_word) | brk
        ends = (word & ~next_word) | brk
        start_pos = np.flatnonzero(starts)
        end_pos = np.flatnonzero(ends) + 1
        if not len(start_pos):
            return np.empty(0, np.int32), np.empty(0, np.int64)
        # token count per row -> row of each token
        flag = np.append(starts, False).astype(np.int32)
        counts = np.add.reduceat(flag, np.minimum(offsets[:-1], size))
        counts[offsets[:-1] == offsets[1:]] = 0
        rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        # the tokens as an Arrow array: interleave tokens with the gaps between them so the
        # offsets stay monotonic, then dictionary-encode so only distinct tokens reach Python
        bounds = np.empty(2 * len(start_pos) + 2, dtype=np.int64)
        bounds[0] = 0
        bounds[1:-1:2] = start_pos
        bounds[2:-1:2] = end_pos
        bounds[-1] = size
        lowered = _LOWER[raw]
        pieces = pa.LargeStringArray.from_buffers(
            len(bounds) - 1, pa.py_buffer(bounds), pa.py_buffer(lowered)
        )
        enc = pc.dictionary_encode(pieces)
        idx = enc.indices.to_numpy(zero_copy_only=False)[1::2]
        ids = self._token_ids(enc.dictionary.to_pylist())
        return ids[idx], rows


def _phrase_key(ids) -> int:
    """The uint64 key of a sequence of word ids, as computed over token arrays in ``_match_block``."""
    key, mult = 0, int(_MULT)
    for i in ids:
        key = (key * mult + i + 1) % 2**64
    return key


def _is_break(token: str) -> bool:
    return len(token) == 1 and token.isascii() and _CLASS[ord(token)] == 2


def _negated(tok: np.ndarray, rows: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """True where a negation word stands within a few tokens before ``pos``, with no break between."""
    negated = np.zeros(len(pos), dtype=bool)
    open_ = np.ones(len(pos), dtype=bool)  # no break or row start seen yet
    for k in range(1, NEGATION_WINDOW + 1):
        at = pos - k
        valid = (at >= 0) & open_
        at_c = np.clip(at, 0, None)
        valid &= rows[at_c] == rows[pos]
        t = tok[at_c]
        negated |= valid & (t == NEGATION)
        if k == 1:
            negated |= valid & (t == NEGATION - 1)
        open_ &= valid & (t != BREAK)
    return negated


def _expand(hits: Hits, codes: np.ndarray, n_unique: int) -> Hits:
    """Turn hits on distinct values into hits on every row holding that value."""
    if not len(hits):
        return hits
    order = np.argsort(codes, kind="stable")
    per_value = np.bincount(codes, minlength=n_unique)
    first = np.concatenate([[0], np.cumsum(per_value)[:-1]])
    reps = per_value[hits.rows]
    src = np.repeat(np.arange(len(hits)), reps)
    within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    rows = order[first[hits.rows][src] + within]
    out = Hits(rows.astype(np.int64), hits.terms[src], hits.negated[src])
    back = np.argsort(out.rows, kind="stable")
    return Hits(out.rows[back], out.terms[back], out.negated[back])


def _as_large_string(values) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        arr = values
    else:
        s = values if isinstance(values, pd.Series) else pd.Series(values)
        if not isinstance(s.dtype, pd.StringDtype) or getattr(s.dtype, "storage", "") != "pyarrow":
            s = s.astype("str")
        arr = pa.array(s.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr
