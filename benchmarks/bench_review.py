"""Benchmark applying reviewed decisions (``socanalysis.review.apply``) to a large classified frame.

    python benchmarks/bench_review.py                       # 1,000,000 rows, 10,000 decisions
    python benchmarks/bench_review.py --rows 200000 --decisions 2000 --repeat 5
    python benchmarks/bench_review.py --classify-rows 0     # without the classify reference

The frame: a synthetic lead list (``socanalysis.synthetic.make_leads``: varied names, websites with
and without scheme, ``www.`` and path, country domains such as ``.co.uk``) with the classifier's
columns added at random (``soc_report``, ``tsc_categories``, ``report_type``, ``confidence``,
``rationale``), so that only ``apply`` is measured.

The decisions: half keyed by website (spelled differently from the frame: scheme, ``www.``, upper
case), half by name (with a different legal suffix), taken from the frame's organisations, stored
in a SQLite workspace in a temporary folder through ``import_decisions``.

Printed: the time to import and to load the decisions (``load_decisions``), the size of the
pickled decisions, the best time of ``apply`` over ``--repeat`` runs (CPU seconds of this process
and wall-clock seconds), how many rows took a decision, and, as the reference the target is set
against, ``classify`` on the first ``--classify-rows`` rows scaled to the whole frame.
"""

from __future__ import annotations

import argparse
import os
import pickle
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

GENERATE_CHUNK = 250_000
TARGET_SHARE = 0.10  # apply may add at most this share to the time of a classification


def make_frame(rows: int, seed: int) -> pd.DataFrame:
    from socanalysis._testing.synthetic import make_leads

    parts, start = [], 0
    while start < rows:
        n = min(GENERATE_CHUNK, rows - start)
        parts.append(make_leads(n, seed=seed + start))
        start += n
    leads = pd.concat(parts, ignore_index=True)
    rng = np.random.default_rng(seed)
    reports = np.array(["SOC 1", "SOC 2", "Both", "Neither", "Undetermined"], dtype=object)
    report = reports[rng.integers(0, len(reports), rows)]
    soc2 = (report == "SOC 2") | (report == "Both")
    categories = np.where(soc2, "Security; Availability", "")
    report_type = np.where((report == "Neither") | (report == "Undetermined"), "", "Type 1")
    classified = leads.assign(
        soc_report=pd.array(report, dtype="str"),
        tsc_categories=pd.array(categories.astype(object), dtype="str"),
        report_type=pd.array(report_type.astype(object), dtype="str"),
        confidence=pd.array(np.where(rng.random(rows) < 0.7, "high", "medium").astype(object), dtype="str"),
        rationale=pd.array(np.full(rows, "Synthetic rationale.", dtype=object), dtype="str"),
    )
    classified.attrs = leads.attrs
    return classified


def decisions_csv(frame: pd.DataFrame, count: int, seed: int, path: Path) -> None:
    """``count`` decisions on organisations of the frame, half by website and half by name."""
    rng = np.random.default_rng(seed + 1)
    named = frame["Company Name"].notna()
    with_site = frame.index[named & frame["Website"].notna()].to_numpy()
    by_site = rng.choice(with_site, size=count // 2, replace=False)
    rest = np.setdiff1d(frame.index[named].to_numpy(), by_site)
    by_name = rng.choice(rest, size=count - count // 2, replace=False)
    site = frame["Website"].to_numpy(dtype=object)[by_site]
    site = [
        ("https://www." if i % 2 else "") + str(s).split("://")[-1].removeprefix("www.").upper()
        for i, s in enumerate(site)
    ]
    names = [str(v).rstrip(".") + " LLC" for v in frame["Company Name"].to_numpy(dtype=object)[by_name]]
    reports = np.array(["SOC 1", "SOC 2", "Both", "Neither"], dtype=object)
    report = reports[rng.integers(0, 4, count)]
    categories = np.where((report == "SOC 2") | (report == "Both"), "Privacy", "")
    pd.DataFrame(
        {
            "organisation": [str(v) for v in frame["Company Name"].to_numpy(dtype=object)[by_site]] + names,
            "website": site + [""] * len(names),
            "report": report,
            "categories": categories,
            "reason": "Reviewed with the engagement partner",
            "decided_by": "Benchmark",
        }
    ).to_csv(path, index=False)


def keys_of(frame: pd.DataFrame) -> dict:
    """The rows' name and website keys, as the batch engine computes them to find duplicates."""
    import pyarrow as pa

    from socanalysis.leads import host_hashes as domain_keys
    from socanalysis.leads import name_hashes as name_keys

    return {
        "name_hashes": name_keys(pa.array(frame["Company Name"].array)),
        "website_hashes": domain_keys(pa.array(frame["Website"].array)),
    }


def best(repeat: int, run) -> tuple[float, float, object]:
    """The best CPU and wall-clock seconds of ``repeat`` runs, and the last result."""
    cpu, wall, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = run()
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
    return cpu, wall, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--decisions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--classify-rows", type=int, default=100_000, help="rows for the classify reference (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from socanalysis import review

    print(f"socanalysis.review.apply: {args.rows:,} rows, {args.decisions:,} decisions")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pandas {pd.__version__}"
    )
    started = time.perf_counter()
    frame = make_frame(args.rows, args.seed)
    print(f"frame generated in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "decisions.csv"
        decisions_csv(frame, args.decisions, args.seed, csv)
        store = review.open_store(Path(tmp) / "workspace")
        c0, w0 = time.process_time(), time.perf_counter()
        review.import_decisions(csv, store=store)
        import_cpu, import_wall = time.process_time() - c0, time.perf_counter() - w0
        load_cpu, load_wall, decisions = best(args.repeat, lambda: review.load_decisions(store))
        store.close()
    blob = pickle.dumps(decisions)
    unpickle_cpu, _, _ = best(args.repeat, lambda: pickle.loads(blob))
    decisions.match(frame.head(1000))  # compiles and caches the key passes before timing

    apply_cpu, apply_wall, out = best(args.repeat, lambda: review.apply(frame, decisions))
    # as a batch engine would call it: with the name and website keys it computes for duplicate_of
    hashes = keys_of(frame)
    given_cpu, given_wall, _ = best(args.repeat, lambda: review.apply(frame, decisions, **hashes))
    matched = int((out["decided_by"] != "classifier").sum())
    assert len(out) == len(frame) and out.index.equals(frame.index)

    rows = f"{args.rows:,} rows"
    print()
    print(f"{'measure':54s} {'cpu s':>8s} {'wall s':>8s}")
    print(
        f"{'import_decisions (' + format(args.decisions, ',') + ' rows of CSV, once)':54s} "
        f"{import_cpu:8.2f} {import_wall:8.2f}"
    )
    print(f"{'load_decisions (best of ' + str(args.repeat) + ')':54s} {load_cpu:8.3f} {load_wall:8.3f}")
    print(f"{'unpickle the decisions (' + format(len(blob) / 1e6, '.1f') + ' MB)':54s} {unpickle_cpu:8.3f}")
    print(f"{'apply, ' + rows + ' (best of ' + str(args.repeat) + ')':54s} {apply_cpu:8.3f} {apply_wall:8.3f}")
    print(
        f"{'apply with the keys given, ' + rows + ' (best of ' + str(args.repeat) + ')':54s} "
        f"{given_cpu:8.3f} {given_wall:8.3f}"
    )
    print(f"rows that took a decision: {matched:,} of {args.rows:,}")

    if args.classify_rows:
        import socanalysis as sa

        part = frame.drop(columns=["soc_report", "tsc_categories", "report_type", "confidence", "rationale"])
        part = part.head(args.classify_rows)
        part.attrs = frame.attrs
        sa.classify(part.head(1000))  # loads and compiles the rules
        classify_cpu, _, _ = best(1, lambda: sa.classify(part))
        scaled = classify_cpu * args.rows / len(part)
        share = apply_cpu / scaled
        print(f"{'classify, ' + format(len(part), ',') + ' rows, scaled to ' + rows:54s} {scaled:8.2f}")
        verdict = "met" if share <= TARGET_SHARE else "NOT met"
        print(f"apply / classify: {share:.1%} (target at most {TARGET_SHARE:.0%}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
