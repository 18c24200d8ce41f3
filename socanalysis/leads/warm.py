"""Compile the classifier's kernels once, ahead of the first real run.

The compiled passes (:mod:`socanalysis._kernels`, numba with ``cache=True``) are compiled on their
first call and kept on disk beside the package (or in numba's cache folder when the package's
folder cannot be written). The first ``socanalysis classify`` after an install pays for all of
them at once. :func:`warm_up` pays it at install time instead (``make install`` runs
``socanalysis warm-up``): it classifies a few rows of the bundled lead list through the same
engine, to CSV and to Parquet and against the sample portfolio as clients, so that every kernel
the command needs is compiled and cached.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

__all__ = ["warm_up"]


def warm_up(rows: int = 40) -> float:
    """Classify ``rows`` rows of the bundled lead list through the batch engine; the seconds it took.

    Nothing is written outside a temporary folder, which is removed.
    """
    from ..load import sample_path
    from .batch import classify_file

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="socanalysis-warm-") as folder:
        source = Path(folder) / "leads.csv"
        with open(sample_path("leads"), encoding="utf-8") as sample:
            source.write_text("".join(line for _, line in zip(range(rows + 1), sample, strict=False)), encoding="utf-8")
        for suffix in (".csv", ".parquet"):
            classify_file(source, Path(folder) / f"out{suffix}", jobs=1)
        classify_file(source, Path(folder) / "clients.csv", jobs=1, clients=sample_path("portfolio"))
    return time.perf_counter() - started
