"""socanalysis warm-up compiles and keeps every kernel the classify command needs (make install runs it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from socanalysis.load.samples import sample_path


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-c", "from socanalysis.cli import run; run()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_after_warm_up_classify_compiles_nothing(tmp_path):
    cache = tmp_path / "numba-cache"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    done = _run(["warm-up"], env)
    assert done.stdout.startswith("the classifier's kernels are compiled and kept (")
    kept = sorted(p.name for p in cache.rglob("*.nbi"))
    assert any(name.startswith("scanning._scan") for name in kept)
    leads = tmp_path / "leads.csv"
    pd.read_csv(sample_path("leads"), dtype=str).head(22).to_csv(leads, index=False)
    _run(["classify", str(leads), "-o", str(tmp_path / "out.csv"), "--quiet"], env)
    _run(["classify", str(leads), "-o", str(tmp_path / "out.parquet"), "--quiet"], env)
    _run(["classify", str(leads), "-o", str(tmp_path / "c.csv"), "--clients", sample_path("portfolio"), "--quiet"], env)
    assert sorted(p.name for p in cache.rglob("*.nbi")) == kept  # nothing new was compiled
