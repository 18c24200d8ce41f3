"""How far the classifier's confidence can be trusted, on labelled lists of companies.

    python benchmarks/bench_confidence.py                          # dev.csv, dev_typed.csv, typed_phrasings.csv
    python benchmarks/bench_confidence.py --data more.csv --data other.csv

A labelled file is a CSV whose columns the classifier reads (Company, Sector, Industry, NAICS,
SIC, Description ...) plus ``expect``: ``SOC 1`` (the answer must include SOC 1), ``SOC 2``
(must include SOC 2), ``Both``, ``Any`` (any report, not Neither) or ``Neither``; other label
columns (``label_source``) are dropped before classifying. The default files are the labelled
lists next to the project, in ``../shared/eval/``, and the invented typed descriptions of
``tests/data/typed_phrasings.csv``; a file that is not there is named and skipped.

For every file, and for all of them together, the script prints per confidence level (high,
medium, low) how many answers fall in it, how many of those are right (precision), and where
the wrong answers fall; the target is ``high`` right at least 98% of the time and most wrong
answers ``low``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT.parent / "shared" / "eval" / "dev.csv",
    ROOT.parent / "shared" / "eval" / "dev_typed.csv",
    ROOT / "tests" / "data" / "typed_phrasings.csv",
]
LEVELS = ("high", "medium", "low")
TARGET_HIGH = 0.98
REPORTS = {"SOC 1": {1}, "SOC 2": {2}, "Both": {1, 2}, "Neither": set()}
LABEL_COLUMNS = ("expect", "label_source", "failure_class")


def right(expect: str, report: str) -> bool:
    """Whether ``report`` meets the label ``expect`` (Undetermined never does)."""
    got = REPORTS.get(report)
    if got is None:
        return False
    return {
        "SOC 1": 1 in got,
        "SOC 2": 2 in got,
        "Both": got == {1, 2},
        "Any": bool(got),
        "Neither": not got,
    }[expect]


def judge(path: Path) -> pd.DataFrame:
    """The file's rows classified: expect, soc_report, confidence, right."""
    from socanalysis import classify

    labelled = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "expect" not in labelled.columns:
        raise SystemExit(f"{path}: no 'expect' column; a labelled file has the expected report in 'expect'")
    inputs = labelled.drop(columns=[c for c in LABEL_COLUMNS if c in labelled.columns]).replace("", None)
    out = classify(inputs)
    result = pd.DataFrame(
        {
            "expect": labelled["expect"].to_numpy(),
            "soc_report": out["soc_report"].to_numpy(),
            "confidence": out["confidence"].to_numpy(),
        }
    )
    result["right"] = [right(e, r) for e, r in zip(result["expect"], result["soc_report"], strict=True)]
    return result


def table(judged: pd.DataFrame) -> pd.DataFrame:
    """Per confidence level: answers, their share, right answers, precision, wrong answers and their share."""
    wrong_total = int((~judged["right"]).sum())
    rows = []
    for level in LEVELS:
        at = judged[judged["confidence"] == level]
        n, ok = len(at), int(at["right"].sum())
        rows.append(
            {
                "confidence": level,
                "answers": n,
                "share": n / len(judged) if len(judged) else 0.0,
                "right": ok,
                "precision": ok / n if n else float("nan"),
                "wrong": n - ok,
                "share of wrong": (n - ok) / wrong_total if wrong_total else 0.0,
            }
        )
    return pd.DataFrame(rows)


def show(name: str, judged: pd.DataFrame) -> None:
    t = table(judged)
    print(f"\n{name}: {len(judged)} labelled rows, {int(judged['right'].sum())} right ({judged['right'].mean():.1%})")
    print(f"{'confidence':<11}{'answers':>9}{'share':>8}{'right':>7}{'precision':>11}{'wrong':>7}{'of wrong':>10}")
    for r in t.itertuples(index=False):
        precision = "-" if r.answers == 0 else f"{r.precision:.1%}"
        print(f"{r.confidence:<11}{r.answers:>9}{r.share:>8.1%}{r.right:>7}{precision:>11}{r.wrong:>7}{r._6:>10.0%}")
    by = t.set_index("confidence")
    high, low_wrong = by.loc["high"], by.loc["low", "share of wrong"]
    met = high["answers"] == 0 or high["precision"] >= TARGET_HIGH
    precision = "-" if high["answers"] == 0 else f"{high['precision']:.1%}"
    print(
        f"high right {precision}: target >= {TARGET_HIGH:.0%}, {'met' if met else 'MISSED'}; "
        f"wrong answers that are low: {low_wrong:.0%}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", default=[], metavar="CSV", help="another labelled file (repeatable)")
    parser.add_argument("--only", action="store_true", help="only the files given with --data, not the defaults")
    args = parser.parse_args(argv)
    files = ([] if args.only else DEFAULT_FILES) + [Path(p) for p in args.data]
    judged = []
    for path in files:
        if not path.is_file():
            print(f"{path}: not found, skipped")
            continue
        result = judge(path)
        show(path.name, result)
        judged.append(result)
    if not judged:
        print("no labelled file to measure: give one with --data")
        return 1
    if len(judged) > 1:
        show("all files", pd.concat(judged, ignore_index=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
