"""Benchmark ``socanalysis classify`` on a synthetic lead list, against the floor and a row-by-row reference.

    python benchmarks/bench_classify.py                  # 1,000,000 rows
    python benchmarks/bench_classify.py --rows 10000000  # 10 million (generated in chunks)
    python benchmarks/bench_classify.py --rows 200000 --keep /tmp/bench --clients 3000

Everything is measured in the same run on the same file:

- the floor: ``pandas.read_csv`` of the file, in a process of its own;
- ``socanalysis classify`` end to end, the command line in a subprocess (``--quiet``), CSV to CSV
  and CSV to Parquet: wall-clock seconds, rows per second, CPU seconds and peak memory. CPU and
  peak memory (the largest resident set size, its high-water mark) are what the kernel accounts
  to the process when it ends (``os.wait4``): exact, and nothing samples the process meanwhile
  (reading ``/proc`` every few milliseconds took CPU from the command it measured, on a machine
  with two cores). The engine runs on threads, in one process;
- a row-by-row reference: the same rules applied with ``DataFrame.apply`` over the rows of a
  slice (each row classified as a one-row frame), its time scaled to the whole file;
- the ratios, next to the targets of the issue (end to end at most 4x the floor, at least 50x
  faster than row by row, at most 1.5 GB peak at 1M and at 10M rows).

The lead list comes from :func:`socanalysis._testing.synthetic.make_leads` (varied descriptions,
industries, NAICS/SIC codes, about 1% duplicates, quoted newlines and formula-like cells), made
and appended in chunks so that generating 10 million rows stays within memory.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

TARGET_FLOOR_RATIO = 4.0
AIM_FLOOR_RATIO = 2.0
TARGET_ROW_BY_ROW = 50.0
TARGET_PEAK_GB = 1.5
GENERATE_CHUNK = 250_000
VECTORISED_ROWS = 100_000  # rows for the in-process vectorised figure


# --------------------------------------------------------------------------- the file
def generate(path: Path, rows: int, seed: int) -> float:
    """Write ``rows`` synthetic leads to ``path`` in chunks; return the seconds it took."""
    from socanalysis._testing.synthetic import make_leads

    started = time.perf_counter()
    tmp = path.with_suffix(".partial")
    writer = schema = None
    try:
        for i, start in enumerate(range(0, rows, GENERATE_CHUNK)):
            n = min(GENERATE_CHUNK, rows - start)
            table = pa.Table.from_pandas(make_leads(n, seed=seed + i), preserve_index=False)
            if writer is None:
                schema = table.schema.remove_metadata()
                options = pacsv.WriteOptions(quoting_style="needed")
                writer = pacsv.CSVWriter(str(tmp), schema, write_options=options)
            writer.write_table(table.cast(schema))
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(path)
    return time.perf_counter() - started


# --------------------------------------------------------------------------- measuring a process
@dataclass
class Run:
    seconds: float
    peak_rss: int | None  # bytes, the process's high-water mark, where the OS reports it
    inner_seconds: float | None = None  # what the process reported about itself
    cpu_seconds: float | None = None  # user + system CPU of the process, where the OS reports it


def best(runs: list[Run]) -> Run:
    """The fastest of repeated runs, with the largest memory seen in any of them."""
    fastest = min(runs, key=lambda r: r.inner_seconds if r.inner_seconds is not None else r.seconds)
    peaks = [r.peak_rss for r in runs if r.peak_rss is not None]
    return Run(fastest.seconds, max(peaks) if peaks else None, fastest.inner_seconds, fastest.cpu_seconds)


def run_measured(cmd: list[str]) -> Run:
    """Run ``cmd`` and take its wall-clock time, CPU and peak memory; fail loudly if it fails."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in kilobytes on Linux, in bytes on macOS
            peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # no per-process accounting here: time only
            proc.wait()
            seconds, peak, cpu = time.perf_counter() - started, None, None
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr.strip()}")
    inner = None
    for line in stdout.splitlines():
        if line.startswith("SECONDS "):
            inner = float(line.split()[1])
    return Run(seconds, peak, inner, cpu)


FLOOR_CODE = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    started = time.perf_counter()
    df = pd.read_csv(sys.argv[1])
    print("SECONDS", time.perf_counter() - started)
    print("ROWS", len(df))
    """
)


def floor(path: Path) -> Run:
    """``pandas.read_csv`` of the file (default options), timed inside its own process."""
    return run_measured([sys.executable, "-c", FLOOR_CODE, str(path)])


def compile_bytecode() -> bool:
    """Compile the package's modules to bytecode, as installing it does (pip compiles what it
    installs). An editable install run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile
    every module again at every start, a cost the installed command does not pay."""
    import compileall

    import socanalysis

    return bool(compileall.compile_dir(Path(socanalysis.__file__).parent, quiet=1))


def classify_cli(path: Path, output: Path, jobs: int | None, clients: Path | None = None) -> Run:
    cmd = [sys.executable, "-m", "socanalysis.cli", "classify", str(path), "-o", str(output), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if clients is not None:
        cmd += ["--clients", str(clients)]
    try:
        return run_measured(cmd)
    finally:
        output.unlink(missing_ok=True)


def row_by_row(path: Path, rows: int, vectorised_rows: int) -> tuple[float, float]:
    """Seconds per row: the row-by-row reference on ``rows`` rows, the vectorised classifier on ``vectorised_rows``.

    Both in this process, on the first rows of the same file, with the rules loaded beforehand:
    only classification is timed.
    """
    import pandas as pd

    from socanalysis import classify
    from socanalysis.classifier.rules import load_rules

    rules = load_rules()
    frame = pd.read_csv(path, nrows=max(rows, vectorised_rows), dtype=str, keep_default_na=False, na_values=[""])
    head = frame.head(rows)
    started = time.perf_counter()
    head.apply(lambda row: classify(row.to_frame().T, rules=rules).iloc[0], axis=1)
    per_row = (time.perf_counter() - started) / len(head)
    started = time.perf_counter()
    classify(frame.head(vectorised_rows), rules=rules)
    vectorised = (time.perf_counter() - started) / min(vectorised_rows, len(frame))
    return per_row, vectorised


# --------------------------------------------------------------------------- printing
W = 56  # width of the label column


def cpu(run: Run) -> str:
    return "n/a" if run.cpu_seconds is None else f"{run.cpu_seconds:.2f}"


def gb(n: float | None) -> str:
    return "n/a" if n is None else f"{n / 1e9:.2f} GB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(args, path: Path, size: int, generated: float | None, results: dict) -> str:
    rows = args.rows
    fl, csv, pq = results["floor"], results["csv"], results["parquet"]
    per_row, vec_per_row = results["row_by_row"]
    vec_rows = min(rows, VECTORISED_ROWS)
    scaled = per_row * rows
    lines = [
        "socanalysis classify benchmark",
        f"rows {rows:,} | file {size / 1e6:,.1f} MB CSV (quoted newlines) | {os.cpu_count()} cores | "
        f"jobs {args.jobs or 'every core'} | Python {platform.python_version()} | {platform.machine()}",
        f"file {path}" + (f" (generated in {generated:.1f} s)" if generated is not None else " (reused)"),
        "",
        f"{'measure':<{W}}{'seconds':>10}{'rows/s':>12}{'cpu s':>9}{'peak RSS':>11}",
        f"{'floor: pandas.read_csv':<{W}}{fl.inner_seconds:>10.2f}{rows / fl.inner_seconds:>12,.0f}"
        f"{cpu(fl):>9}{gb(fl.peak_rss):>11}",
    ]
    runs = [("classify CSV -> CSV, end to end", csv), ("classify CSV -> Parquet, end to end", pq)]
    if "clients" in results:
        runs.append((f"classify CSV -> CSV with --clients ({args.clients:,})", results["clients"]))
    for label, run in runs:
        lines.append(f"{label:<{W}}{run.seconds:>10.2f}{rows / run.seconds:>12,.0f}{cpu(run):>9}{gb(run.peak_rss):>11}")
    lines += [
        f"{f'row by row: DataFrame.apply ({args.slice} rows, scaled)':<{W}}{scaled:>10.1f}{1 / per_row:>12,.0f}"
        f"{'-':>9}{'-':>11}",
        f"{f'vectorised classify ({vec_rows:,} rows, in process, scaled)':<{W}}{vec_per_row * rows:>10.2f}"
        f"{1 / vec_per_row:>12,.0f}{'-':>9}{'-':>11}",
        "",
        "ratios and targets (2-core machine)",
    ]
    floor_ratio = csv.seconds / fl.inner_seconds
    parquet_ratio = pq.seconds / fl.inner_seconds
    speedup = scaled / csv.seconds
    peaks = [run.peak_rss for run in (csv, pq) if run.peak_rss is not None]
    peak = max(peaks) if peaks else None
    lines += [
        f"  end to end CSV->CSV / floor        {floor_ratio:8.1f}x   target <= {TARGET_FLOOR_RATIO:g}x "
        f"(aim {AIM_FLOOR_RATIO:g}x)   {verdict(floor_ratio <= TARGET_FLOOR_RATIO)}",
        f"  end to end CSV->Parquet / floor    {parquet_ratio:8.1f}x",
        f"  CSV->CSV / floor, round by round   {' '.join(f'{r:.1f}x' for r in results['rounds'])}",
        f"  row by row / end to end CSV->CSV   {speedup:8.1f}x   target >= {TARGET_ROW_BY_ROW:g}x"
        f"               {verdict(speedup >= TARGET_ROW_BY_ROW)}",
        f"  row by row / vectorised classify   {per_row / vec_per_row:8.1f}x   (in process, classification only)",
        f"  peak RSS, end to end               {gb(peak):>9}   target <= {TARGET_PEAK_GB:g} GB"
        f"           {'n/a' if peak is None else verdict(peak <= TARGET_PEAK_GB * 1e9)}",
        "",
        f"seconds: the best of {args.repeat} round(s), each round timing every measure once in turn; end to end "
        "is the wall clock of the command, Python start included; the floor is read_csv alone.",
        "cpu s: user and system CPU of the whole command (Python start included), less sensitive than "
        "seconds to other work on the machine.",
        "peak RSS: the largest resident memory of the command's process (its high-water mark, as the "
        "kernel accounts it); the engine's workers are threads of that process.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the lead list (default 1,000,000)")
    parser.add_argument("--keep", metavar="DIR", help="write the lead list here and keep it (reused when present)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to socanalysis classify (default: every core)")
    parser.add_argument("--slice", type=int, default=300, help="rows classified one at a time (default 300)")
    parser.add_argument("--clients", type=int, default=0, help="also run with --clients, a portfolio of N clients")
    parser.add_argument("--repeat", type=int, default=1, help="run each measurement N times, keep the best time")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.slice < 1 or args.repeat < 1:
        parser.error("--rows, --slice and --repeat must be at least 1")
    args.slice = min(args.slice, args.rows)
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="socanalysis-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"leads-{args.rows}-seed{args.seed}.csv"
        generated = None
        if not path.exists():
            print(f"generating {args.rows:,} leads in {path} ...", file=sys.stderr)
            generated = generate(path, args.rows, args.seed)
        clients = None
        if args.clients:
            from socanalysis._testing.synthetic import make_portfolio, write_csv_bulk

            clients = write_csv_bulk(make_portfolio(args.clients, seed=args.seed + 1), Path(tmp) / "clients.csv")
        # round after round, each measure once: the floor and the command are timed side by side,
        # so a spell of other work on the machine weighs on both alike
        rounds: dict[str, list[Run]] = {"floor": [], "csv": [], "parquet": []}
        for i in range(args.repeat):
            print(f"round {i + 1} of {args.repeat}: floor, CSV -> CSV, CSV -> Parquet ...", file=sys.stderr)
            rounds["floor"].append(floor(path))
            rounds["csv"].append(classify_cli(path, Path(tmp) / "out.csv", args.jobs))
            rounds["parquet"].append(classify_cli(path, Path(tmp) / "out.parquet", args.jobs))
            if clients is not None:
                print(f"  and CSV -> CSV --clients ({args.clients:,}) ...", file=sys.stderr)
                run = classify_cli(path, Path(tmp) / "out-clients.csv", args.jobs, clients)
                rounds.setdefault("clients", []).append(run)
        results = {name: best(runs) for name, runs in rounds.items()}
        pairs = zip(rounds["floor"], rounds["csv"], strict=True)
        results["rounds"] = [csv.seconds / fl.inner_seconds for fl, csv in pairs]
        print(f"row by row on {args.slice} rows ...", file=sys.stderr)
        results["row_by_row"] = row_by_row(path, args.slice, min(args.rows, VECTORISED_ROWS))
        print(report(args, path, path.stat().st_size, generated, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
