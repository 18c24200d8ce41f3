"""The benchmark script runs and prints every figure (a smoke test: no timing is checked)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_classify.py"
NUMBER = r"[\d,]+(?:\.\d+)?"


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> str:
    keep = tmp_path_factory.mktemp("bench")
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--rows", "2000", "--slice", "20", "--keep", str(keep), "--clients", "50"]
        + ["--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert (keep / "leads-2000-seed0.csv").exists()  # --keep keeps the lead list
    return run.stdout


@pytest.mark.parametrize(
    "label",
    [
        "floor: pandas.read_csv",
        "classify CSV -> CSV, end to end",
        "classify CSV -> Parquet, end to end",
        "classify CSV -> CSV with --clients (50)",
    ],
)
def test_each_measured_run_has_seconds_rows_per_second_cpu_and_peak_rss(printed, label):
    line = next((ln for ln in printed.splitlines() if ln.startswith(label)), None)
    assert line is not None, printed
    found = re.search(rf"({NUMBER})\s+{NUMBER}\s+({NUMBER})\s+({NUMBER}) GB$", line)
    assert found, line
    assert float(found.group(2)) > 0  # the process used some CPU, as the kernel accounted it
    # and held at least the interpreter and its libraries: the peak is the process's own, in GB
    assert 0.05 < float(found.group(3)) < 24


@pytest.mark.parametrize(
    "label",
    ["row by row: DataFrame.apply (20 rows, scaled)", "vectorised classify (2,000 rows, in process, scaled)"],
)
def test_the_in_process_references_are_printed(printed, label):
    line = next((ln for ln in printed.splitlines() if ln.startswith(label)), None)
    assert line is not None, printed
    assert re.search(rf"{NUMBER}\s+{NUMBER}\s+-\s+-$", line), line


@pytest.mark.parametrize(
    ("ratio", "target"),
    [
        ("end to end CSV->CSV / floor", "target <= 4x (aim 2x)"),
        ("end to end CSV->Parquet / floor", None),
        ("row by row / end to end CSV->CSV", "target >= 50x"),
        ("row by row / vectorised classify", None),
        ("peak RSS, end to end", "target <= 1.5 GB"),
    ],
)
def test_the_ratios_are_printed_with_their_targets(printed, ratio, target):
    line = next((ln.strip() for ln in printed.splitlines() if ln.strip().startswith(ratio)), None)
    assert line is not None, printed
    assert re.search(rf"{re.escape(ratio)}\s+{NUMBER}(x| GB)", line), line
    if target:
        assert target in line and re.search(r"(met|MISSED)$", line), line


def test_the_floor_ratio_of_every_round_is_printed(printed):
    # the floor and the command are timed in turn, round after round: one ratio per round
    line = next((ln.strip() for ln in printed.splitlines() if "round by round" in ln), None)
    assert line is not None, printed
    assert re.fullmatch(rf"CSV->CSV / floor, round by round\s+{NUMBER}x {NUMBER}x", line), line


def test_the_header_and_notes_say_what_was_measured(printed):
    assert "rows 2,000 |" in printed and "MB CSV (quoted newlines)" in printed
    assert "seconds: the best of 2 round(s), each round timing every measure once in turn" in printed
    assert "peak RSS: the largest resident memory of the command's process" in printed
    assert "cpu s: user and system CPU of the whole command" in printed
    assert re.search(r"^measure\s+seconds\s+rows/s\s+cpu s\s+peak RSS$", printed, re.M)


def test_the_package_is_measured_with_its_bytecode_compiled(printed):
    # as an installed package has it: the end-to-end figures must not include compiling the sources
    import importlib.util

    import socanalysis

    for module in ("classifier/decide.py", "leads/batch.py", "_kernels/csvout.py"):
        source = Path(socanalysis.__file__).parent / module
        assert Path(importlib.util.cache_from_source(str(source))).exists(), module


KERNELS = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_kernels.py"


def test_the_kernel_benchmark_times_every_kernel_against_a_library_call_with_the_same_result(tmp_path):
    run = subprocess.run(
        [sys.executable, str(KERNELS), "--rows", "2000", "--repeat", "1", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    lines = {ln.split()[0]: ln for ln in run.stdout.splitlines()[3:] if ln.strip()}
    import socanalysis._kernels as kernels

    compiled = {"scan", "find_terms", "tally_votes", "first_seen", "hash_strings", "build_table"}
    compiled |= {"name_keys", "domain_keys", "visible_ascii", "join_evidence", "format_csv"}
    assert compiled <= set(kernels.__all__) and set(lines) == compiled
    for name, line in lines.items():
        assert re.match(rf"{name}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}x  \S", line), line
        assert "DIFFERENT" not in line, line
    for name in ("tally_votes", "join_evidence", "visible_ascii", "first_seen", "format_csv", "name_keys"):
        assert "same result" in lines[name], lines[name]
