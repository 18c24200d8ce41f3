"""Benchmark applying reviewed decisions (``socanalysis.review.apply``) to a large classified frame.

    python benchmarks/bench_review.py                       # 1,000,000 rows, 10,000 decisions
    python benchmarks/bench_review.py --rows 200000 --decisions 2000 --repeat 5
    python benchmarks/bench_review.py --classify-rows 0     # without the classify reference
    python benchmarks/bench_review.py --batch --pairs 5     # the batch engine end to end, with and without

With ``--batch``: the batch engine end to end, as a user runs it. A synthetic lead list of ``--rows``
rows is written as CSV (``bench_classify.generate``); ``--decisions`` decisions on its
organisations are imported into a workspace; then ``socanalysis classify LEADS -o OUT.csv`` runs
with that workspace and with an empty one (no decisions), alternately, ``--pairs`` times each, in
subprocesses measured as ``bench_classify.py`` measures them. Printed: every run, the medians of
wall-clock and CPU seconds, and the cost of the decisions against the target (at most 10%).

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
    parser.add_argument("--batch", action="store_true", help="the batch engine end to end, with and without")
    parser.add_argument("--pairs", type=int, default=5, help="with --batch: runs with and without, alternating")
    parser.add_argument("--keep", metavar="DIR", help="with --batch: keep the lead list here (reused when present)")
    args = parser.parse_args(argv)
    if args.batch:
        return batch_engine(args)

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
        sa.classify(part.head(1000), review=False)  # loads and compiles the rules
        classify_cpu, _, _ = best(1, lambda: sa.classify(part, review=False))
        scaled = classify_cpu * args.rows / len(part)
        share = apply_cpu / scaled
        print(f"{'classify, ' + format(len(part), ',') + ' rows, scaled to ' + rows:54s} {scaled:8.2f}")
        verdict = "met" if share <= TARGET_SHARE else "NOT met"
        print(f"apply / classify: {share:.1%} (target at most {TARGET_SHARE:.0%}): {verdict}")
    return 0


def batch_engine(args) -> int:
    """``socanalysis classify`` with ``--decisions`` decisions against none, alternating; medians."""
    import statistics

    sys.path.insert(0, str(Path(__file__).parent))
    import bench_classify as bc

    from socanalysis import review

    bc.compile_bytecode()
    print(f"batch engine, CSV to CSV: {args.rows:,} rows, {args.decisions:,} decisions against none")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        leads = folder / f"leads-{args.rows}.csv"
        if not leads.exists():
            bc.generate(leads, args.rows, args.seed)
        frame = pd.read_csv(leads, usecols=["Company Name", "Website"], dtype=str)
        decisions_csv(frame, args.decisions, args.seed, Path(tmp) / "decisions.csv")
        with_decisions, empty = Path(tmp) / "workspace", Path(tmp) / "empty"
        review.import_decisions(Path(tmp) / "decisions.csv", workspace=with_decisions)
        stored = len(review.load_decisions(workspace=with_decisions))
        print(f"{args.decisions:,} decisions imported: {stored:,} organisations (a few share a domain or name)")
        out = Path(tmp) / "out.csv"
        base = [sys.executable, "-m", "socanalysis.cli", "classify", str(leads), "-o", str(out), "--quiet"]
        runs: dict[str, list] = {"none": [], "decisions": []}
        for i in range(args.pairs):
            order = ("none", "decisions") if i % 2 == 0 else ("decisions", "none")
            for kind in order:
                workspace = with_decisions if kind == "decisions" else empty
                run = bc.run_measured([*base, "--workspace", str(workspace)])
                runs[kind].append(run)
                print(f"  run {i + 1} {kind:9s} {run.seconds:7.2f} s wall {run.cpu_seconds or 0:7.2f} s CPU")
            if i == 0:
                reviewed = pd.read_csv(out, usecols=["decided_by"], dtype=str)["decided_by"]
                print(f"  rows that took a decision: {int((reviewed != 'classifier').sum()):,}")
        assert not empty.exists()  # reading an empty workspace created nothing
    medians = {k: (statistics.median(r.seconds for r in v), statistics.median(r.cpu_seconds or 0 for r in v))
               for k, v in runs.items()}  # fmt: skip
    print()
    print(f"{'median of ' + str(args.pairs):24s} {'wall s':>8s} {'CPU s':>8s}")
    for kind, (wall, cpu) in medians.items():
        print(f"{kind:24s} {wall:8.2f} {cpu:8.2f}")
    cost = medians["decisions"][0] / medians["none"][0] - 1
    verdict = "met" if cost <= TARGET_SHARE else "NOT met"
    print(f"with decisions / without: {cost:+.1%} wall-clock (target at most +{TARGET_SHARE:.0%}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
