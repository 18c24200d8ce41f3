"""The learned reading: what a description resembles, when the rules cannot tell.

The rules recognise a service by its words and by what it does to whose things; a description in
words that no rule knows ("we chase unpaid dues for HOAs") finds nothing and comes out Neither. The
learned reading weighs every word of such a description by how the reference descriptions use it:
a logistic regression per report (SOC 1, SOC 2) over the words' TF-IDF weights, trained on the
labelled, invented descriptions of ``tests/data/typed_phrasings.csv`` (each labelled from the
domain notes) by :mod:`socanalysis.classifier.learn`. Its weights are rule data, shipped in
``rules/learned.json``; this module reads them with NumPy and Arrow alone.

It is asked only about rows whose answer rests on the description alone (no industry label, code
or answer decided it), is not ``high``, and has no sign of "no service"
(:func:`socanalysis.classifier.decide.classify_columns`). Where the probability of a report the
rules did not give reaches :data:`THRESHOLD`, the row gets a hit of the rule that quotes the learned
reading for that report (``learned: SOC 1`` or ``learned: SOC 2`` in the rules), quoting the word
that weighed most, and is weighed again with the rest of its evidence; such a decision is never
``high``.

A word is a run of ASCII letters, digits, "_" and non-ASCII characters, with ASCII letters in
lower case (:func:`words`): the same cut for training and for reading, made over a whole column's
bytes at once.

>>> reading = Reading.load()
>>> p, top = reading.read(["we chase unpaid dues for HOAs and send the money on monthly"])
>>> bool(p[0, 0] >= THRESHOLD), top[0][0]
(True, 'dues')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TARGETS = ("SOC 1", "SOC 2")
THRESHOLD = 0.55
MEDIUM_FROM = 0.8  # a learned report at least this likely is `medium`, else `low`
_WORD_BYTES = np.zeros(256, dtype=bool)
_WORD_BYTES[[*b"abcdefghijklmnopqrstuvwxyz0123456789_", *range(128, 256)]] = True
_LOWER = bytes(range(256)).translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz"))
_WORD = re.compile(rb"[a-z0-9_\x80-\xff]+")


def words(text: str) -> list[str]:
    """The words of a text, as the reading cuts them.

    >>> words("Payroll/HR for 401(k) plans — café owners' books")
    ['payroll', 'hr', 'for', '401', 'k', 'plans', '—', 'café', 'owners', 'books']
    """
    return [w.decode("utf-8") for w in _WORD.findall(text.encode("utf-8").translate(_LOWER))]


@dataclass(frozen=True)
class Reading:
    """The learned weights: vocabulary, inverse document frequencies, a coefficient per word and report."""

    words: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # words x reports
    intercept: np.ndarray  # reports
    quiet: np.ndarray  # per word: a stop word ("for", "the"), which counts but is never quoted

    @staticmethod
    @lru_cache(maxsize=1)
    def load() -> Reading:
        """The shipped weights (``rules/learned.json``)."""
        text = (resources.files("socanalysis.classifier.rules") / "learned.json").read_text(encoding="utf-8")
        return Reading.from_json(json.loads(text))

    @staticmethod
    def from_json(doc: dict) -> Reading:
        names = doc["words"]
        coef = np.array([doc["coef"][t] for t in TARGETS], dtype=float).T
        quiet = np.zeros(len(names), dtype=bool)
        quiet[doc["quiet"]] = True
        index = {w: i for i, w in enumerate(names)}
        return Reading(index, np.array(doc["idf"]), coef, np.array(doc["intercept"]), quiet)

    def counting(self, target: str) -> list[str]:
        """The words that count for ``target`` (a positive coefficient): those a hit may quote."""
        column = self.coef[:, TARGETS.index(target)]
        return [w for w, i in self.words.items() if column[i] > 0]

    def read(self, texts) -> tuple[np.ndarray, list[list[str]]]:
        """Per text (a list or an Arrow text array; missing as empty), the probability of each report
        (texts x 2) and, per report, the word that weighed most for it ("" for none).

        Whole columns at once: the words are cut over the column's bytes with NumPy and found in the
        vocabulary by Arrow; a Python loop over each text's words took three times as long.
        """
        column = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
        n = len(column)
        probs = np.tile(_sigmoid(self.intercept), (n, 1))
        tops: list[list[str]] = [[""] * n for _ in TARGETS]
        row, found = _words_of(column, self._vocabulary)
        if not len(found):
            return probs, tops
        size = len(self.words)
        pairs, counts = np.unique(row * size + found, return_counts=True)  # (text, word), by text
        row, word = pairs // size, pairs % size
        weight = (1.0 + np.log(counts)) * self.idf[word]
        weight /= np.sqrt(np.bincount(row, weight * weight, minlength=n))[row]
        share = weight[:, None] * self.coef[word]  # entries x reports
        names = self._names
        starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]])  # each text's first entry
        sizes = np.diff(np.r_[starts, len(row)])
        quiet = self.quiet[word]
        for k in range(len(TARGETS)):
            probs[:, k] = _sigmoid(self.intercept[k] + np.bincount(row, share[:, k], minlength=n))
            quotable = np.where(quiet, -np.inf, share[:, k])
            heaviest = np.repeat(np.maximum.reduceat(quotable, starts), sizes)
            best = np.flatnonzero((quotable == heaviest) & (quotable > 0))  # of equals, the first word
            best = best[np.r_[True, row[best][1:] != row[best][:-1]]] if len(best) else best
            top = np.full(n, "", dtype=object)
            top[row[best]] = names[word[best]]
            tops[k] = top.tolist()
        return probs, tops

    @cached_property
    def _names(self) -> np.ndarray:
        return np.array(list(self.words), dtype=object)

    @cached_property
    def _vocabulary(self) -> pa.Array:
        return pa.array(self._names.tolist(), pa.large_string())


def _words_of(column: pa.Array, vocabulary: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The words of every text of ``column`` found in ``vocabulary``: (text, word index) pairs, in order.

    The column's bytes are cut where a word byte meets another byte or a text ends, into pieces that
    are all word or all else; the word pieces, lower-cased, are looked up in one call.
    """
    column = pc.fill_null(column.cast(pa.large_string()), "")
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset : column.offset + len(column) + 1]
    if offsets[-1] == offsets[0]:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    data = np.frombuffer(column.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    lowered = bytes(data).translate(_LOWER)
    is_word = _WORD_BYTES[np.frombuffer(lowered, dtype=np.uint8)]
    cut = np.zeros(len(lowered) + 1, dtype=bool)
    cut[1:-1] = is_word[1:] != is_word[:-1]
    cut[offsets] = True
    cuts = np.flatnonzero(cut)
    starts = cuts[:-1]
    pieces = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(cuts.astype(np.int64)), pa.py_buffer(lowered))
    keep = np.flatnonzero(is_word[starts] & (cuts[1:] > starts))
    found = pc.index_in(pieces.take(pa.array(keep)), value_set=vocabulary).fill_null(-1).to_numpy(zero_copy_only=False)
    row = np.searchsorted(offsets, starts[keep], side="right") - 1
    return row[found >= 0], found[found >= 0].astype(np.int64)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
