"""The reviewers' decisions in the engines' output: the review columns on every chunk or partition.

The engines never read the decisions store: they are handed the decisions (an object such as
:class:`socanalysis.review.Decisions`, loaded once by the caller) and call its methods per chunk:
``apply_columns`` on the Arrow columns of the batch engine, with the name and website keys the
engine computed to find duplicates, and ``apply`` on the frames of the Dask engine. Without
decisions every row still gets the columns of :data:`socanalysis.vocabulary.REVIEW_COLUMNS`,
decided by the classifier.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from ..load import TEXT_DTYPE
from ..vocabulary import DECIDED_BY_CLASSIFIER, REVIEW_COLUMNS

__all__ = ["reviewed_columns", "reviewed_frame"]


def _constant(n: int, value: str) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value], pa.large_string()))


def reviewed_columns(
    columns: Mapping[str, pa.Array],
    decisions,
    table: pa.Table,
    mapping: Mapping[str, str],
    name_hashes: np.ndarray,
    website_hashes: np.ndarray,
) -> dict[str, pa.Array]:
    """The classifier's columns of a chunk with the decisions in place and the review columns after.

    Examples
    --------
    >>> cols = {"soc_report": pa.array(["SOC 2"]).dictionary_encode()}
    >>> out = reviewed_columns(cols, None, pa.table({"Company": ["Acme"]}), {"name": "Company"}, None, None)
    >>> [(k, v.to_pylist()) for k, v in out.items()][1:]
    [('decided_by', ['classifier']), ('review_reason', ['']), ('reviewed_at', ['']), ('classifier_report', ['SOC 2'])]
    """
    if decisions is None or not len(decisions):
        n = table.num_rows
        out = dict(columns)
        out.update(decided_by=_constant(n, DECIDED_BY_CLASSIFIER), review_reason=_constant(n, ""))
        out.update(reviewed_at=_constant(n, ""), classifier_report=columns["soc_report"])
        return out
    name, website = mapping.get("name"), mapping.get("website")
    return decisions.apply_columns(
        columns,
        name=table.column(name) if name is not None else None,
        website=table.column(website) if website is not None else None,
        name_hashes=name_hashes if name is not None else None,
        website_hashes=website_hashes if website is not None else None,
    )


def reviewed_frame(out: pd.DataFrame, decisions, mapping: Mapping[str, str]) -> pd.DataFrame:
    """A classified frame (a Dask partition) with the decisions applied and the review columns added.

    Examples
    --------
    >>> part = pd.DataFrame({"Company": ["Acme"], "soc_report": ["SOC 2"]})
    >>> reviewed_frame(part, None, {"name": "Company"})[list(REVIEW_COLUMNS)].iloc[0].tolist()
    ['classifier', '', '', 'SOC 2']
    """
    if decisions is not None and len(decisions) and ("name" in mapping or "website" in mapping):
        return decisions.apply(out, dict(mapping))
    n = len(out)
    text = TEXT_DTYPE
    added = {
        "decided_by": pd.array([DECIDED_BY_CLASSIFIER] * n, dtype=text),
        "review_reason": pd.array([""] * n, dtype=text),
        "reviewed_at": pd.array([""] * n, dtype=text),
        "classifier_report": out["soc_report"].array,
    }
    reviewed = out.assign(**{c: pd.Series(added[c], index=out.index) for c in REVIEW_COLUMNS})
    reviewed.attrs = dict(out.attrs)
    return reviewed
