"""The bundled samples, ``socanalysis/data/sample_portfolio.csv`` and ``sample_leads.csv``, and the
command that regenerates them: ``python -m socanalysis._testing.synthetic [--out DIR]``.

>>> sorted(sample_frames())
['sample_leads.csv', 'sample_portfolio.csv']
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .leads import make_leads
from .portfolio import make_portfolio

__all__ = ["PACKAGE_DATA", "SAMPLE_SEED", "main", "sample_frames", "write_samples"]

PACKAGE_DATA = Path(__file__).parent.parent / "data"
SAMPLE_PORTFOLIO_FILE = "sample_portfolio.csv"
SAMPLE_LEADS_FILE = "sample_leads.csv"
SAMPLE_PORTFOLIO_ROWS = 200
SAMPLE_LEADS_ROWS = 2000
SAMPLE_SEED = 2026


def sample_frames() -> dict[str, pd.DataFrame]:
    """The bundled samples as generated: file name -> frame (no truth columns)."""
    return {
        SAMPLE_PORTFOLIO_FILE: make_portfolio(SAMPLE_PORTFOLIO_ROWS, seed=SAMPLE_SEED),
        SAMPLE_LEADS_FILE: make_leads(SAMPLE_LEADS_ROWS, seed=SAMPLE_SEED),
    }


def write_samples(directory: str | os.PathLike = PACKAGE_DATA) -> list[Path]:
    """Write the sample portfolio and lead list (deterministic) into ``directory``.

    UTF-8 without BOM, ``\\n`` line ends, values quoted only where needed (so a few keep a
    ``\\r\\n`` inside their quotes, as files saved on Windows do). Each file appears complete or
    not at all (written under a temporary name, then renamed); a link is written through, to the
    file it points to.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in sample_frames().items():
        path = directory / name
        target = path.resolve()
        partial = target.with_name(f".{target.name}.partial")
        try:
            frame.to_csv(partial, index=False, encoding="utf-8", lineterminator="\n")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the bundled samples: ``python -m socanalysis._testing.synthetic [--out DIR]``.

    Without ``--out`` the files go to ``socanalysis/data/``; ``data/`` at the top of the source
    tree holds links to them.
    """
    parser = argparse.ArgumentParser(prog="python -m socanalysis._testing.synthetic", description=main.__doc__)
    parser.add_argument("--out", default=str(PACKAGE_DATA), help="directory for the CSV files")
    args = parser.parse_args(argv)
    write_samples(args.out)
    return 0
