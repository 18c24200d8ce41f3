"""benchmarks/bench_review.py runs and prints every figure (a smoke test: no timing is checked)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_review.py"


def test_the_review_benchmark_prints_its_figures():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--rows", "3000", "--decisions", "200", "--repeat", "1", "--classify-rows", "0"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for label in ("import_decisions", "load_decisions", "unpickle the decisions", "apply, 3,000 rows",
                  "apply with the keys given"):  # fmt: skip
        line = next((ln for ln in out.splitlines() if ln.startswith(label)), None)
        assert line is not None and re.search(r"\d+\.\d{2,3}", line), out
    matched = re.search(r"rows that took a decision: ([\d,]+) of 3,000", out)
    assert matched and int(matched.group(1).replace(",", "")) >= 200, out
