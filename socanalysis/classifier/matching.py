"""Vectorised term matching over whole text columns.

Rules name *terms* ("payroll", "payment processing", "customer data"). Matching them one regular
expression at a time costs a full pass over the text per rule; instead one compiled pass over the
raw UTF-8 bytes of the Arrow string array (:mod:`socanalysis._kernels.scanning`) cuts each column into tokens
and looks every token up among the spellings of the rule words (plurals, past forms, possessives,
all stemmed to the same word id when the rules are compiled; a possessive keeps a mark of its own).
A second compiled pass finds the terms of every length among those word ids, leftmost and longest
first, and reads negation ("not a bank", "we do not process payments", "non-bank") and customers
("software for banks") from the tokens just before a match; a match that ends in a possessive
("hospitals' servers") names whose thing follows, the customers' too.

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

from .._kernels import CLASSES, build_pair_filter, build_phrase_table, build_table, find_terms_at, scan

UNKNOWN, BREAK, NEGATION = -1, -2, -3
MAX_TERM_WORDS = 10
_MULT = np.uint64(0x9E3779B97F4A7C15)  # phrase keys: a polynomial hash of word ids, modulo 2**64
NEGATION_WORDS = frozenset(
    ["not", "never", "non", "without", "neither", "nor", "isnt", "arent", "doesnt", "dont", "wont", "cannot"]
)
SHORT_NEGATION_WORDS = frozenset(["no"])  # negates only the word right after it ("no payroll", not "no-code apps")
OR = NEGATION - 2  # "or" right after a negated term carries its negation on ("no hosting or support")
NEGATION_WINDOW = 3  # tokens before a match that may hold "not"
AUDIENCE_WORDS = (
    *("for", "to", "serving", "serves", "serve", "helps", "help", "by", "among", "enables", "enabling"),
    *("lets", "let", "allows", "allowing", "empowers", "powers", "partners", "partnering", "behalf", "helping"),
    *("between", "advise", "advises", "advising", "where", "clean", "cleans", "cleaning", "supporting", "supports"),
    *("support", "equips", "equipping"),
)
AUDIENCE_WINDOW = 4  # tokens before a match that may hold "for", "to" ...
SHORT_FORMS = {
    **dict.fromkeys(("mgmt", "mgt", "mngmt", "mgmnt"), "management"),
    **dict.fromkeys(("mgr", "mgrs"), "manager"),
    **dict.fromkeys(("svc", "svcs", "srvc", "srvcs"), "services"),
    **dict.fromkeys(("admin", "admins", "admn"), "administration"),
    **dict.fromkeys(("acct", "accts"), "accounts"),
    **dict.fromkeys(("acctg", "acctng"), "accounting"),
    **dict.fromkeys(("bkkpg", "bkpg"), "bookkeeping"),
    **dict.fromkeys(("calc", "calcs"), "calculation"),
    **dict.fromkeys(("prep",), "preparation"),
    **dict.fromkeys(("rev",), "revenue"),
    **dict.fromkeys(("recon", "recons", "reconc"), "reconciliation"),
    **dict.fromkeys(("txn", "txns", "trxn", "trxns"), "transactions"),
    **dict.fromkeys(("pmt", "pmts", "pymt", "pymts"), "payments"),
    **dict.fromkeys(("ops",), "operations"),
    **dict.fromkeys(("dev",), "development"),
    **dict.fromkeys(("ed",), "education"),
    **dict.fromkeys(("devs",), "developers"),
    **dict.fromkeys(("govt", "govts", "gov't"), "government"),
    **dict.fromkeys(("dept", "depts"), "departments"),
    **dict.fromkeys(("co", "cos"), "companies"),
    **dict.fromkeys(("biz",), "businesses"),
    **dict.fromkeys(("mfg",), "manufacturing"),
    **dict.fromkeys(("mfr", "mfrs"), "manufacturer"),
    **dict.fromkeys(("docs",), "documents"),
    **dict.fromkeys(("msgs", "msg"), "messages"),
    **dict.fromkeys(("info",), "information"),
    **dict.fromkeys(("mktg",), "marketing"),
    **dict.fromkeys(("intl",), "international"),
    **dict.fromkeys(("cust", "custs"), "customers"),
    **dict.fromkeys(("infra",), "infrastructure"),
    **dict.fromkeys(("db", "dbs"), "databases"),
    **dict.fromkeys(("vuln", "vulns"), "vulnerability"),
    **dict.fromkeys(("auth",), "authentication"),
    **dict.fromkeys(("appt", "appts"), "appointments"),
    **dict.fromkeys(("eng", "engg"), "engineering"),
    **dict.fromkeys(("w",), "with"),
    **dict.fromkeys(("mtge",), "mortgage"),
    **dict.fromkeys(("fin",), "financial"),
    **dict.fromkeys(("proc",), "processing"),
    **dict.fromkeys(("centre", "centres"), "centers"),
    **dict.fromkeys(("programme", "programmes"), "programs"),
    **dict.fromkeys(("licence", "licences"), "licenses"),
}
"""Short forms typed in notes ("rev cycle mgmt", "fund admin", "w/") and British spellings, read as
the word they stand for: :func:`stem` gives both the same stem, in the rules and in the text."""

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
    if w in SHORT_FORMS:
        return stem(SHORT_FORMS[w])
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


_WORD_RE = re.compile(r"[a-z0-9'\u2019\u0080-\uffff]+|[.,;:!?\[\]{}|\"]")
_BREAK_CHARS = frozenset('.,;:!?[]{}|"\n\r\t')


def words(text: str) -> list[str]:
    """Tokenise one term the way :meth:`Lexicon.match` tokenises a column.

    >>> words("Third-party administration (TPA), U.S.")
    ['third', 'party', 'administration', 'tpa', ',', 'u', '.', 's', '.']
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
    """Term matches in a column: parallel arrays of row position, term id, and two context flags.

    ``negated``: a negation stands just before ("not a bank"). ``audience``: a word such as "for",
    "to", "serving" or "with" stands a few words before, so the term may name the customers
    served ("software for banks and credit unions") rather than the organisation itself.
    """

    rows: np.ndarray
    terms: np.ndarray
    negated: np.ndarray
    audience: np.ndarray | None = None
    role: np.ndarray | None = None  # where audience is set: 0 customers or an investment, OWN_USE, ADVISED

    def __post_init__(self):
        if self.audience is None:
            self.audience = np.zeros(len(self.rows), dtype=bool)
        if self.role is None:
            self.role = np.zeros(len(self.rows), dtype=np.uint8)

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
            np.concatenate([p.audience for p in parts]),
            np.concatenate([p.role for p in parts]),
        )

    def __len__(self) -> int:
        return len(self.rows)

    def take(self, keep: np.ndarray) -> Hits:
        """The hits where ``keep`` is true."""
        return Hits(self.rows[keep], self.terms[keep], self.negated[keep], self.audience[keep], self.role[keep])


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
        for w in AUDIENCE_WORDS:
            self.word_ids.setdefault(stem(w), len(self.word_ids))
        self._audience_ids = np.array(sorted({self.word_ids[stem(w)] for w in AUDIENCE_WORDS}), dtype=np.int32)
        self._base = len(self.word_ids) + 1  # size of the word-id lookup tables
        # per field: one-word terms by word id; phrases by (key, number of words); and per word id,
        # bit L set when the word starts a phrase of L words (a cheap filter before hashing)
        self._single: dict[str, dict[int, int]] = {}
        self._phrases: dict[str, dict[tuple[int, int], int]] = {}
        self._first_words: dict[str, np.ndarray] = {}
        for term in self.terms:
            ids = [self.word_ids[s] for s in term.stems]
            if len(ids) == 1:
                self._single.setdefault(term.field, {})[ids[0]] = term.id
                continue
            phrases = self._phrases.setdefault(term.field, {})
            key = (_phrase_key(ids), len(ids))
            if key in phrases:  # a 64-bit hash collision between two phrases: practically impossible
                raise ValueError(f"terms {term.text!r} and {self.terms[phrases[key]].text!r} share a key")
            phrases[key] = term.id
            starts = self._first_words.setdefault(term.field, np.zeros(self._base, dtype=np.int64))
            starts[ids[0]] |= 1 << len(ids)
        self._lengths = np.array([len(t.stems) for t in self.terms], dtype=np.int64)
        self._no_owner = np.array([t.stems[-1] in _NO_OWNERS for t in self.terms], dtype=bool)
        self._keys, self._ids, self._shift = build_table(self._forms())
        self._packed: dict[str, tuple] = {}
        self.roles = None  # a classifier.pairs.RoleTable: customers, investments and pairs read from positions

    def _forms(self) -> dict[str, int]:
        """Every spelling a text token may have, mapped to its word id (or negation)."""
        forms: dict[str, int] = {}
        possessive = self._base  # a possessive form has the id of its word plus this ("hospitals'", "bank's")
        for word, wid in self.word_ids.items():
            for form in _spellings(word):
                if stem(form) == word:
                    forms.setdefault(form, wid)
                    for variant in _possessives(form):
                        forms.setdefault(variant, wid + possessive)
        for term in self.terms:  # a word as the rules write it, whatever spellings its stem gives ("proceeds")
            for word in words(term.text.lower()):
                wid = self.word_ids.get(stem(word))
                if wid is not None:
                    forms.setdefault(word, wid)
                    for variant in _possessives(word):
                        forms.setdefault(variant, wid + possessive)
        for short, word in SHORT_FORMS.items():  # "mgmt" is read as "management" wherever that is a rule word
            wid = self.word_ids.get(stem(word))
            if wid is not None:
                forms[short] = wid
                for variant in (short + "'s", short + "\u2019s"):
                    forms[variant] = wid + possessive
        for word in NEGATION_WORDS | {"isn't", "aren't", "doesn't", "don't", "won't", "can't"}:
            for form in (word, word.replace("'", "\u2019")):
                forms[form] = NEGATION
        for word in SHORT_NEGATION_WORDS:
            forms[word] = NEGATION - 1
        forms.setdefault("or", OR)  # unless a rule's term has the word
        return forms

    def fields(self) -> set[str]:
        return set(self._single) | set(self._phrases)

    def match(self, field: str, values: pd.Series | pa.Array | pa.ChunkedArray, *, block: int = 100_000) -> Hits:
        """Find every term of ``field`` in a column of text.

        Low-cardinality columns (industry labels) are matched once per distinct value; the others
        block by block, chunk by chunk (the chunks are never copied into one array).
        """
        if field not in self.fields():
            return Hits.empty()
        chunks = [_nulls_as_empty(chunk) for chunk in large_string_chunks(values)]
        n = sum(map(len, chunks))
        if n == 0:
            return Hits.empty()
        column = pa.chunked_array(chunks, pa.large_string())
        sample = column.slice(0, 2000)
        repeats = n > 64 and len(pc.unique(sample)) * 2 < len(sample)
        encoded = pc.dictionary_encode(column.combine_chunks()) if repeats else None
        if encoded is not None and len(encoded.dictionary) * 2 < n:
            uniq_hits = self._match_block(field, encoded.dictionary.cast(pa.large_string()))
            return _expand(uniq_hits, encoded.indices.to_numpy(zero_copy_only=False), len(encoded.dictionary))
        parts, offset = [], 0
        for chunk in chunks:
            for start in range(0, len(chunk), block):
                h = self._match_block(field, chunk.slice(start, block))
                h.rows += offset + start
                parts.append(h)
            offset += len(chunk)
        return Hits.concat(parts)

    def _match_block(self, field: str, arr: pa.Array) -> Hits:
        # the tokens that are rule words or negations: ids, positions among all tokens, segments, rows
        ktok, kpos, kseg, krow = self._scan(arr)
        if not len(kpos):
            return Hits.empty()
        possessive = ktok >= self._base
        any_possessive = bool(possessive.any())
        if any_possessive:
            ktok = np.where(possessive, ktok - self._base, ktok).astype(ktok.dtype)
        rows, terms, negated, audience, pos, seg = find_terms_at(ktok, kpos, kseg, krow, *self._tables(field))
        if any_possessive and len(pos):  # not after a supplier or a linking word: see _NO_OWNERS
            owner = _possessive_at(kpos[possessive], kseg[possessive], pos + self._lengths[terms] - 1, seg)
            audience |= owner & ~self._no_owner[terms]
        if self.roles is None:
            return Hits(rows, terms, negated, audience)
        return Hits(*self.roles.apply(rows, terms, negated, audience, pos, seg))

    def _tables(self, field: str) -> tuple:
        """The lookup tables of :func:`socanalysis._kernels.scanning.find_terms` for one field, built once."""
        if field not in self._packed:
            single = np.full(self._base, -1, dtype=np.int32)
            for word, term in self._single.get(field, {}).items():
                single[word] = term
            first_words = self._first_words.get(field, np.zeros(self._base, dtype=np.int64))
            phrases = build_phrase_table(self._phrases.get(field, {}))
            pairs = build_pair_filter(
                _phrase_key([self.word_ids[s] for s in t.stems[:2]])
                for t in self.terms
                if t.field == field and len(t.stems) > 1
            )
            audience = np.zeros(self._base, dtype=bool)
            audience[self._audience_ids] = True
            windows = np.array([NEGATION_WINDOW, AUDIENCE_WINDOW], dtype=np.int64)
            self._packed[field] = (single, first_words, pairs, *phrases, audience, windows)
        return self._packed[field]

    def _scan(self, arr: pa.Array):
        """Known tokens of a block of strings (see :mod:`socanalysis._kernels.scanning`)."""
        arr = arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr
        if arr.null_count:
            arr = pc.fill_null(arr, "")
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
        data_buf = arr.buffers()[2]
        if data_buf is None or offsets[-1] == offsets[0]:
            empty = np.empty(0, np.int64)
            return np.empty(0, np.int32), empty, empty, empty
        data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
        return scan(data, offsets, CLASSES, self._keys, self._ids, self._shift)


_NO_OWNERS = frozenset(stem(w) for w in ("vendor", "supplier", "provider", "partner", "for", "to", "of", "with"))
"""Last words of a term that never own the possessive after it: a supplier's thing is the organisation's own
("through a vendor's website"), and a term ending in a linking word ("for", "to", "of", "with") names a service,
not an owner ("run IT for architects' offices")."""


def _possessive_at(owners: np.ndarray, owner_seg: np.ndarray, last: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Per hit (the position of its last word, and its clause): that word, or the word right after
    it in its clause, is possessive (``owners``: token positions, and their clauses): it names
    whose thing follows, the customers' ("hospitals' servers", "restaurant chains' gift cards").

    Positions number the tokens of a block, so a table by position answers each hit in one look-up.

    >>> _possessive_at(np.array([3, 9]), np.array([1, 2]), np.array([3, 8, 5, 8]), np.array([1, 2, 1, 1])).tolist()
    [True, True, False, False]
    """
    size = int(max(owners.max(), last.max())) + 2
    clause = np.full(size, -1, dtype=seg.dtype)  # per position: the clause of a possessive there, or -1
    clause[owners] = owner_seg
    return (clause[last] == seg) | (clause[last + 1] == seg)


def _possessives(form: str) -> tuple[str, ...]:
    """The possessives of a word, which have the stem of the bare form ("customer's", "clients'")."""
    return (form + "'s", form + "\u2019s", form + "'", form + "\u2019")


def _spellings(stem_: str) -> set[str]:
    """Candidate text spellings of a stem (plural, past, a dropped e); filtered by the caller."""
    bases = {stem_, stem_ + "e"}
    if stem_.endswith("y"):
        bases.add(stem_[:-1] + "ie")
    return {b + tail for b in bases for tail in ("", "s", "es", "ed", "d")}


def _phrase_key(ids) -> int:
    """The uint64 key of a sequence of word ids, as :func:`socanalysis._kernels.scanning.find_terms` computes it."""
    key, mult = 0, int(_MULT)
    for i in ids:
        key = (key * mult + i + 1) % 2**64
    return key


def _is_break(token: str) -> bool:
    return token in _BREAK_CHARS


def _expand(hits: Hits, codes: np.ndarray, n_unique: int) -> Hits:
    """Turn hits on distinct values into hits on every row holding that value.

    The hits of each value are a run of ``hits`` (sorted by value); row by row, the run of the
    row's value is copied out, so the result is in row order without sorting.
    """
    if not len(hits):
        return hits
    if np.any(hits.rows[1:] < hits.rows[:-1]):
        order = np.argsort(hits.rows, kind="stable")
        hits = hits.take(order)
    start = np.searchsorted(hits.rows, np.arange(n_unique + 1))
    codes = np.asarray(codes, dtype=np.intp)
    per_value = np.diff(start)
    if per_value.max() <= 1:  # the usual case (codes, labels): a value has one hit at most
        rows = np.flatnonzero(per_value[codes]).astype(np.int64)
        src = start[codes[rows]]
        return Hits(rows, hits.terms[src], hits.negated[src], hits.audience[src], hits.role[src])
    per_row = per_value[codes]
    ends = np.cumsum(per_row)
    src = np.repeat(start[codes] - (ends - per_row), per_row) + np.arange(ends[-1] if len(ends) else 0)
    rows = np.repeat(np.arange(len(codes), dtype=np.int64), per_row)
    return Hits(rows, hits.terms[src], hits.negated[src], hits.audience[src], hits.role[src])


def _nulls_as_empty(arr: pa.Array) -> pa.Array:
    """A large_string array with its nulls as empty strings: the same buffers without the validity
    bitmap when every null slot is already empty (as Arrow's CSV reader leaves them), else a copy."""
    if not arr.null_count:
        return arr
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    bits = np.frombuffer(arr.buffers()[0], dtype=np.uint8)
    valid = np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset :].view(bool)
    if np.any(np.diff(offsets)[~valid]):
        return pc.fill_null(arr, "")
    return pa.Array.from_buffers(pa.large_string(), len(arr), [None, *arr.buffers()[1:]], 0, arr.offset)


def large_string_chunks(values) -> list[pa.Array]:
    """The chunks of a text column (Series, Arrow array or chunked array) as large_string arrays.

    Joining the chunks into one array would copy all the text: passes that can go chunk by chunk
    take these instead. An empty column has one empty chunk.
    """
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        s = values if isinstance(values, pd.Series) else pd.Series(values)
        if not isinstance(s.dtype, pd.StringDtype) or getattr(s.dtype, "storage", "") != "pyarrow":
            s = s.astype("str")
        values = pa.array(s.array)
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    chunks = [c if c.type == pa.large_string() else c.cast(pa.large_string()) for c in chunks]
    return chunks or [pa.array([], pa.large_string())]


def _as_large_string(values) -> pa.Array:
    """A text column as one large_string array (the chunks of a chunked column joined)."""
    chunks = large_string_chunks(values)
    return chunks[0] if len(chunks) == 1 else pa.chunked_array(chunks, pa.large_string()).combine_chunks()


def distinct_cells(values) -> tuple[pa.Array, np.ndarray]:
    """The distinct cells of a text column and, per row, the index of its cell (``len(cells)`` for
    a missing one), for columns read once per distinct value (codes, answers, countries)."""
    encoded = pc.dictionary_encode(_as_large_string(values))
    cells = encoded.dictionary
    return cells, pc.fill_null(encoded.indices, len(cells)).to_numpy(zero_copy_only=False).astype(np.intp)


def match_labels(values, keys: pa.Array, term_ids: np.ndarray) -> tuple[Hits, np.ndarray]:
    """Cells of an industry or sector column that are known labels, looked up whole.

    ``keys`` are labels as :func:`socanalysis.classifier.taxonomy.normalise_label` writes them
    and ``term_ids`` their terms. A cell is normalised the same way (lower case, every run of
    other characters one space, "and" left out) with Arrow's kernels, once per distinct cell.
    Returns the hits (one per known cell) and, per row, whether its cell is a known label.

    >>> hits, known = match_labels(pa.array(["Banking", "we bank", None, "BANKING "]),
    ...                            pa.array(["banking"], pa.large_string()), np.array([7]))
    >>> hits.rows.tolist(), hits.terms.tolist(), known.tolist()
    ([0, 3], [7, 7], [True, False, False, True])
    """
    cells, codes = distinct_cells(values)
    norm = pc.replace_substring_regex(pc.utf8_lower(cells), "[^0-9a-z]+", " ")  # "&" too: "and" is left out
    norm = pc.utf8_trim(pc.replace_substring_regex(pc.replace_substring_regex(norm, r"\band\b", " "), " +", " "), " ")
    found = pc.fill_null(pc.index_in(norm, value_set=keys), -1).to_numpy(zero_copy_only=False)
    term_of = np.append(np.where(found >= 0, term_ids[np.maximum(found, 0)], -1), -1)  # a missing cell last
    per_row = term_of[codes]
    rows = np.flatnonzero(per_row >= 0).astype(np.int64)
    hits = Hits(rows, per_row[rows].astype(np.int32), np.zeros(len(rows), bool))
    return hits, per_row >= 0
