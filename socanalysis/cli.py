"""Command line: socanalysis classify | explain | rules."""

from __future__ import annotations

import argparse
import sys

from .classify import classify
from .errors import SocAnalysisError
from .loading import load_portfolio


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="socanalysis")
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("classify")
    c.add_argument("input")
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--rules")
    args = ap.parse_args(argv)
    try:
        df = load_portfolio(args.input)
        out = classify(df, rules=args.rules)
        out.to_csv(args.output, index=False)
        print(out["soc_report"].value_counts().to_string())
    except SocAnalysisError as exc:
        print(f"socanalysis: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
