"""Output columns as the classifier keeps them: texts as a small table and a code per row.

>>> column = coded(["high", "low"], np.array([0, 1, 0]))
>>> splice(column, np.array([1]), coded(["medium"], np.array([0]))).to_pylist()
['high', 'medium', 'high']
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def coded(values, codes: np.ndarray) -> pa.DictionaryArray:
    """A text column as a small table of ``values`` and a code per row (an index into it)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(list(values), pa.large_string()))


def splice(column: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """``column`` with the values at ``rows`` (ascending) replaced by ``values``, of the same kind."""
    if pa.types.is_dictionary(column.type):  # one table of texts, each text once: counting by code stays right
        texts = column.dictionary.to_pylist()
        index: dict[str, int] = {}
        for i, text in enumerate(texts):
            index.setdefault(text, i)
        for text in values.dictionary.to_pylist():
            if text not in index:
                index[text] = len(texts)
                texts.append(text)
        remap = np.array([index[text] for text in values.dictionary.to_pylist()], dtype=np.int64)
        codes = column.indices.to_numpy().astype(np.int64)
        codes[rows] = remap[values.indices.to_numpy()]
        return coded(texts, codes)
    if pa.types.is_floating(column.type):
        out = column.to_numpy(zero_copy_only=False).copy()
        out[rows] = values.to_numpy(zero_copy_only=False)
        return pa.array(out)
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), values)
