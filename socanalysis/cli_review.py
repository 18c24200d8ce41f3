"""The command line of the decisions store: ``socanalysis review ...`` and ``socanalysis history``.

    socanalysis review set NAME_OR_DOMAIN --report "SOC 2" --reason TEXT --by NAME [--categories ...] [--type ...]
    socanalysis review list | history NAME_OR_DOMAIN | undo/clear NAME_OR_DOMAIN --reason TEXT --by NAME
    socanalysis review export FILE.csv | import FILE.csv
    socanalysis history [--since DATE] [--old ID --new ID]

Every command takes ``--workspace DIR`` (the folder of the SQLite file; ``$SOCANALYSIS_WORKSPACE``
or the user's data folder by default) or ``--database URL`` (a team server,
``postgresql://USER:PASSWORD@HOST/DB``; ``$SOCANALYSIS_DATABASE``). ``classify`` and ``report``
take them too, with ``--no-review`` to show the classifier alone. Wiring only: the work is
:mod:`socanalysis.review`'s.
"""

from __future__ import annotations

import argparse

from .errors import SocAnalysisError

__all__ = ["COMMANDS", "add_parsers", "add_store_options", "decisions_of", "store_of"]

_REPORTS = "SOC 1, SOC 2, Both or Neither"


def add_store_options(parser: argparse.ArgumentParser, *, review: bool = False) -> None:
    """``--workspace`` and ``--database`` (and ``--no-review`` for the commands that classify)."""
    parser.add_argument("--workspace", metavar="DIR", help="the folder of the decisions store (a SQLite file)")
    parser.add_argument("--database", metavar="URL", help="a decisions database on a server: postgresql://...")
    if review:
        parser.add_argument(
            "--no-review", action="store_true", help="the classifier alone: leave the reviewers' decisions out"
        )


def store_of(args) -> dict:
    """The ``workspace=``/``database=`` arguments that the command line names."""
    if args.workspace and args.database:
        raise SocAnalysisError("give --workspace or --database, not both: a database URL names the store by itself")
    return {"workspace": args.workspace or None, "database": args.database or None}


def decisions_of(args):
    """The decisions to apply: those of the store named (none with ``--no-review``); loaded once."""
    from .review import Decisions, load_decisions

    if getattr(args, "no_review", False):
        store_of(args)
        return Decisions.empty()
    return load_decisions(**store_of(args))


def add_parsers(sub) -> None:
    """The ``review`` and ``history`` commands, on the command line's sub-parsers."""
    rv = sub.add_parser("review", help="a reviewer's decisions: set, list, history, undo, clear, export, import")
    actions = rv.add_subparsers(dest="review_command", required=True, metavar="ACTION")

    def org(p):
        p.add_argument("organisation", metavar="NAME_OR_DOMAIN", help="the organisation's name or website")
        p.add_argument("--website", help="its website, when NAME_OR_DOMAIN is a name")

    def who(p):
        p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
        p.add_argument("--by", required=True, metavar="NAME", help="who decides")

    s = actions.add_parser("set", help="record which report an organisation needs")
    org(s)
    s.add_argument("--report", required=True, help=_REPORTS)
    s.add_argument("--categories", help="Trust Services Categories beyond Security, e.g. 'Availability; Privacy'")
    s.add_argument("--type", dest="report_type", help="Type 1 or Type 2")
    who(s)
    for name, text in (("undo", "undo the latest change (a new record)"), ("clear", "withdraw the decision")):
        p = actions.add_parser(name, help=text)
        org(p)
        who(p)
    li = actions.add_parser("list", help="the current decisions")
    li.add_argument("--withdrawn", action="store_true", help="also organisations whose decision was withdrawn")
    h = actions.add_parser("history", help="every change to an organisation's decision")
    org(h)
    e = actions.add_parser("export", help="every change, as a CSV file to share")
    e.add_argument("file", metavar="FILE.csv")
    i = actions.add_parser("import", help="add the changes of a CSV file written by export")
    i.add_argument("file", metavar="FILE.csv")
    i.add_argument("--by", metavar="NAME", help="record the import in your name (the file's reviewers are kept)")
    for p in (s, *(actions.choices[n] for n in ("undo", "clear")), li, h, e, i):
        add_store_options(p)

    hi = sub.add_parser("history", help="the portfolio's saved snapshots: what changed, and coverage over time")
    hi.add_argument("--since", metavar="DATE", help="only snapshots assessed on or after this date")
    hi.add_argument("--old", type=int, metavar="ID", help="compare this snapshot (default: the one before --new)")
    hi.add_argument("--new", type=int, metavar="ID", help="with this one (default: the latest)")
    add_store_options(hi)


# --------------------------------------------------------------------------- commands
def _one_line(exc: SocAnalysisError) -> SocAnalysisError:
    """An error with cases (bad rows of a file) said in one line: the first case and how many more."""
    cases = exc.cases
    if cases.empty:
        return exc
    first = cases.iloc[0]
    more = f" (and {len(cases) - 1} more)" if len(cases) > 1 else ""
    return SocAnalysisError(
        f"{str(exc).splitlines()[0]}: row {first['row']}, column {first['column']!r}, value {first['value']!r}: "
        f"{first['problem']}{more}"
    )


def _table(frame, columns: dict[str, str]) -> str:
    shown = frame[list(columns)].astype(object)
    return shown.where(shown.notna(), "").rename(columns=columns).to_string(index=False)


def _review(args) -> int:
    from . import review

    where = store_of(args)
    command = args.review_command
    try:
        if command == "set":
            event = review.set(
                args.organisation,
                website=args.website,
                report=args.report,
                categories=args.categories,
                report_type=args.report_type,
                reason=args.reason,
                by=args.by,
                **where,
            )
            print(
                f"{event['organisation']}: {event['report']} (decided by {event['decided_by']}; was "
                f"{event['previous_report'] if isinstance(event['previous_report'], str) else 'the classifier'})"
            )
        elif command in ("undo", "clear"):
            act = review.undo if command == "undo" else review.clear
            event = act(args.organisation, website=args.website, reason=args.reason, by=args.by, **where)
            now = event["report"] if isinstance(event["report"], str) else "the classifier's answer"
            print(f"{event['organisation']}: {command} recorded; now {now}")
        elif command == "list":
            current = review.list(withdrawn=args.withdrawn, **where)
            if current.empty:
                print("no decisions recorded")
            else:
                print(_table(current, _LIST))
        elif command == "history":
            events = review.history(args.organisation, website=args.website, **where)
            if events.empty:
                print(f"no decisions recorded for {args.organisation}")
            else:
                events = events.assign(decided_at=events["decided_at"].dt.strftime("%Y-%m-%d %H:%M"))
                print(_table(events, _HISTORY))
        elif command == "export":
            path = review.export(args.file, **where)
            print(f"decisions written to {path}")
        elif command == "import":
            added = review.import_(args.file, by=args.by, **where)
            print(f"{len(added):,} change(s) imported from {args.file}")
    except SocAnalysisError as exc:
        raise _one_line(exc) from None
    return 0


_LIST = {
    "organisation": "organisation",
    "website": "website",
    "report": "report",
    "categories": "categories",
    "report_type": "type",
    "decided_by": "by",
    "reason": "reason",
}
_HISTORY = {
    "decided_at": "when (UTC)",
    "action": "action",
    "report": "report",
    "previous_report": "before",
    "categories": "categories",
    "report_type": "type",
    "decided_by": "by",
    "reason": "reason",
}


def _history(args) -> int:
    import pandas as pd

    from . import review
    from .load import resolve_as_of

    where = store_of(args)
    shots = review.trend(**where)
    if args.since:
        since = resolve_as_of(args.since).date()
        shots = shots[pd.to_datetime(shots["as_of"]).dt.date >= since]
    if shots.empty:
        print(
            "no snapshots saved" + (f" since {args.since}" if args.since else "") + "; save one with "
            "socanalysis report PORTFOLIO -o FILE --save"
        )
        return 0
    print("snapshots:")
    trend = shots.assign(covered_share=shots["covered_share"].map(lambda v: "" if pd.isna(v) else f"{v:.0%}"))
    print(
        _table(
            trend,
            {
                "id": "id",
                "as_of": "as of",
                "label": "label",
                "organisations": "organisations",
                "covered": "covered and current",
                "needs_report": "need a report",
                "covered_share": "share",
            },
        )
    )
    if args.old is None and args.new is None and len(shots) < 2:
        print("one snapshot: save another to see what changed")
        return 0
    old = args.old if args.old is not None else (int(shots["id"].iloc[-2]) if args.new is None else None)
    new = args.new if args.new is not None else int(shots["id"].iloc[-1])
    changes = review.compare_snapshots(old, new, **where)
    print()
    counts = changes["change"].value_counts()
    print(
        f"from snapshot {old if old is not None else 'before'} to {new}: "
        + ", ".join(f"{counts.get(c, 0):,} {c}" for c in review.CHANGES)
    )
    if not changes.empty:
        print(
            _table(
                changes, {"change": "change", "organisation": "organisation", "old_status": "was", "new_status": "now"}
            )
        )
    return 0


COMMANDS = {"review": _review, "history": _history}
