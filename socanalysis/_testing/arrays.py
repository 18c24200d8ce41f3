"""Vectorised string helpers over pyarrow arrays: phrase pools, draws, joins and templates.

Every helper works on whole columns at once (numpy draws, pyarrow string kernels), never row by row,
so that a million rows take seconds.

>>> pool(["a", None]).to_pylist()
['a', None]
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "NULL",
    "STR",
    "Drawn",
    "Pools",
    "ascii_word",
    "choose",
    "edit",
    "join",
    "mask",
    "pool",
    "render",
    "to_pandas",
    "upper_first",
    "where",
]

STR = pa.string()
NULL = pa.scalar(None, STR)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Drawn:
    """Values drawn from a pool, kept as positions until a template needs the text."""

    values: pa.Array
    index: np.ndarray

    def take(self, rows: np.ndarray) -> pa.Array:
        return self.values.take(self.index[rows])


class Pools:
    """Several phrase pools (one per archetype or country) flattened for vectorised draws."""

    def __init__(self, pools: Sequence[Sequence[str]]):
        flat = [v for group in pools for v in group]
        self.values = pa.array([*flat, None], STR)
        self.capitalised = pa.array([*map(upper_first, flat), None], STR)
        self.sizes = np.array([len(p) for p in pools])
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)

    def index(self, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Positions in ``values``: one uniform draw inside each row's pool (the null for an empty pool)."""
        sizes = self.sizes[groups]
        within = (rng.random(len(groups)) * sizes).astype(np.int64)
        return np.where(sizes > 0, self.offsets[groups] + within, len(self.values) - 1)

    def draw(self, groups: np.ndarray, rng: np.random.Generator) -> pa.Array:
        return self.values.take(self.index(groups, rng))

    def drawn(self, groups: np.ndarray, rng: np.random.Generator) -> tuple[Drawn, Drawn]:
        """One draw per row, as it is and with its first letter upper-cased."""
        index = self.index(groups, rng)
        return Drawn(self.values, index), Drawn(self.capitalised, index)


def pool(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), STR)


def choose(values: Sequence[str], n: int, rng: np.random.Generator, weights=None) -> pa.Array:
    """Draw n values from one pool (optionally weighted)."""
    if weights is None:
        idx = rng.integers(0, len(values), n)
    else:
        p = np.asarray(weights, float)
        idx = rng.choice(len(values), n, p=p / p.sum())
    return pool(values).take(idx)


def join(*parts, sep: str | pa.Array = "") -> pa.Array:
    """Element-wise concatenation; null parts are skipped, and a row with every part null stays null.

    pyarrow's ``binary_join_element_wise(null_handling="skip")`` (26.0) drops the rows in which
    every part is null, returning a shorter array; those rows are joined over an empty string and
    set back to null here.

    >>> join(pool(["a", None, None]), pool(["b", "c", None]), sep="-").to_pylist()
    ['a-b', 'c', None]
    """
    all_null = None
    if all(isinstance(p, pa.Array) for p in parts):
        all_null = np.logical_and.reduce([p.is_null().to_numpy(zero_copy_only=False) for p in parts])
    if all_null is None or not all_null.any():
        return pc.binary_join_element_wise(*parts, sep, null_handling="skip")
    first = pc.if_else(pa.array(all_null), pa.scalar("", STR), parts[0])
    joined = pc.binary_join_element_wise(first, *parts[1:], sep, null_handling="skip")
    return mask(joined, all_null)


def edit(arr: pa.Array, rows: np.ndarray, change) -> pa.Array:
    """Apply ``change`` (array -> array) to the rows where ``rows`` is True; cheap when they are few."""
    if not rows.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(rows), change(arr.filter(pa.array(rows))))


def mask(arr: pa.Array, missing: np.ndarray) -> pa.Array:
    """Replace values by null where ``missing`` is True."""
    return pc.if_else(pa.array(missing), NULL, arr)


def where(cond: np.ndarray, then: pa.Array | str, otherwise: pa.Array) -> pa.Array:
    if isinstance(then, str):
        then = pa.scalar(then, STR)
    return pc.if_else(pa.array(cond), then, otherwise)


def render(templates: Sequence[str], slots: Mapping[str, pa.Array | Drawn], choice: np.ndarray) -> pa.Array:
    """Fill ``templates[choice[i]]`` with row i of each slot, for every row at once.

    >>> slots = {"a": pool(["x", "y"]), "b": pool(["1", "2"])}
    >>> out = render(("{a}-{b}", "[{a}]"), slots, np.array([0, 1]))
    >>> out.to_pylist()
    ['x-1', '[y]']
    """
    n = len(choice)
    pieces, rows_in_order = [], []
    for t, template in enumerate(templates):
        rows = np.flatnonzero(choice == t)
        if not len(rows):
            continue
        take = pa.array(rows)
        parts = []
        for literal, slot, _spec, _conv in string.Formatter().parse(template):
            if literal:
                parts.append(pa.scalar(literal, STR))
            if slot is not None:
                value = slots[slot]
                parts.append(value.take(rows) if isinstance(value, Drawn) else value.take(take))
        if any(isinstance(p, pa.Array) for p in parts):
            pieces.append(pc.binary_join_element_wise(*parts, ""))
        else:
            pieces.append(pool([template]).take(np.zeros(len(rows), np.int64)))
        rows_in_order.append(rows)
    if not pieces:
        return pa.array([], STR)
    inverse = np.empty(n, np.int64)
    inverse[np.concatenate(rows_in_order)] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(inverse))


def ascii_word(text: str) -> str:
    """Strip accents, spaces and punctuation for a domain name: 'São Vicente' -> 'saovicente'."""
    decomposed = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in decomposed.lower() if ch.isalnum())


def to_pandas(columns: Mapping[str, pa.Array]) -> pd.DataFrame:
    return pa.table(dict(columns)).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
