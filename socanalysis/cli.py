"""The ``socanalysis`` command.

    socanalysis classify INPUT -o OUTPUT      classify a portfolio or lead list (CSV, XLSX, Parquet, JSON)
    socanalysis explain "free text" ...       the reasoning for one organisation
    socanalysis rules                         the active rules
    socanalysis report PORTFOLIO -o FILE      a meeting report (HTML, XLSX, PDF, PPTX, PNG or CSV)
    socanalysis dashboard [NAME]              the Voila dashboards on 127.0.0.1, a home page at /
    socanalysis sample {leads,portfolio}      where the bundled sample files are
    socanalysis review set|list|history|undo|clear|export|import ...   a reviewer's decisions
    socanalysis history [--since DATE]        what changed between saved snapshots of the portfolio
    socanalysis warm-up                       compile the classifier's kernels once (make install runs it)

A mistake in the input (a missing file, unrecognised columns, a broken rules file) ends with
status 2 and one line saying what was wrong; there is no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import signal
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

from . import cli_review
from .errors import ColumnError, SocAnalysisError

EXIT_USER_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="socanalysis",
        description="Decide which SOC report (SOC 1, SOC 2, both or neither) each organisation needs.",
    )
    ap.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("classify", help="classify every organisation in a file")
    c.add_argument("input", help="CSV/TSV/TXT, XLSX, Parquet or JSON; with --engine dask, a glob of Parquet/CSV files")
    c.add_argument("-o", "--output", required=True, help="the result: .csv, .xlsx or .parquet")
    c.add_argument("--rules", help="a firm's rules file (YAML), merged over the default rules")
    c.add_argument("--jobs", type=_positive, default=None, help="worker threads (default: every core)")
    c.add_argument("--sheet", help="the Excel sheet to read (name or 0-based position)")
    c.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="which column holds a field, e.g. --column name='Legal Entity' (repeatable)",
    )
    c.add_argument("--clients", help="a client portfolio: mark the leads that are already clients")
    c.add_argument("--engine", choices=["local", "dask"], default="local", help="dask: partitions on a cluster")
    c.add_argument(
        "--scheduler",
        help="with --engine dask: a dask.distributed scheduler address (tcp://host:8786), or 'threads'",
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    cli_review.add_store_options(c, review=True)

    e = sub.add_parser("explain", help="explain the classification of one organisation")
    e.add_argument("text", nargs="?", default=None, help="what the organisation does")
    for flag in ("name", "industry", "sector", "naics", "sic", "country", "reports"):
        e.add_argument(f"--{flag}")
    e.add_argument("--rules", help="a firm's rules file (YAML)")

    r = sub.add_parser("rules", help="list the active rules")
    r.add_argument("--rules", help="a firm's rules file (YAML), merged over the default rules")

    rep = sub.add_parser("report", help="a meeting report on a client portfolio")
    rep.add_argument("portfolio")
    rep.add_argument("-o", "--output", required=True, help=".html, .xlsx, .pdf, .pptx (a slide deck), .png or .csv")
    rep.add_argument("--as-of", help="judge the portfolio as of this date (default: today)")
    rep.add_argument("--fees", help="a fee schedule (YAML) for the opportunity estimate")
    rep.add_argument("--rules", help="a firm's rules file (YAML)")
    rep.add_argument("--branding", help="firm name, colours and logo (YAML)")
    rep.add_argument("--sheet", help="the Excel sheet to read (name or 0-based position)")
    rep.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="which column holds a field, e.g. --column name='Legal Entity' (repeatable)",
    )

    cli_review.add_store_options(rep, review=True)
    rep.add_argument("--save", action="store_true", help="keep a snapshot of this assessment (see: history)")
    rep.add_argument("--label", help="a name for the snapshot, e.g. 'Q2 review'")

    d = sub.add_parser("dashboard", help="serve the dashboards with Voila on 127.0.0.1")
    d.add_argument("name", nargs="?", default=None, help="one dashboard (default: a home page listing them)")
    d.add_argument("--port", type=int, default=8866)
    d.add_argument("--ip", default="127.0.0.1", help="listen address; 0.0.0.0 needs --token")
    d.add_argument("--token", help="require this token in the URL (needed to share on a network)")
    d.add_argument("--dark", action="store_true", help="dark theme")
    d.add_argument("--open", action="store_true", help="open a browser")
    d.add_argument("--portfolio", help="open the portfolio dashboard on this file instead of the sample")
    d.add_argument("--branding", help="firm name, colours and logo (YAML)")
    d.add_argument("--upload-limit", type=int, default=200, metavar="MB", help="largest upload (default 200 MB)")
    d.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this host name or address (repeatable); other than localhost, any other name gets 403",
    )
    d.add_argument(
        "--idle-minutes",
        type=_number,
        default=10.0,
        metavar="MINUTES",
        help="end a kernel idle this long with no page connected (default 10; 0 never)",
    )
    d.add_argument(
        "--max-kernels",
        type=int,
        default=None,
        metavar="N",
        help="most kernels alive at once, those kept warm included (default: a quarter of this machine's "
        "memory at about 250 MB a kernel, at most 32); beyond it a page says the dashboards are busy",
    )
    d.add_argument(
        "--pool-size",
        type=int,
        default=1,
        metavar="N",
        help="kernels kept warm per dashboard so that pages open at once, about 250 MB each (default 1; 0 to 4)",
    )

    s = sub.add_parser("sample", help="print the path of a bundled sample file")
    s.add_argument("which", choices=["leads", "portfolio"])
    cli_review.add_parsers(sub)
    sub.add_parser("warm-up", help="compile the classifier's kernels once, so that the first classify is fast")
    return ap


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, e.g. 10, got {text!r}") from None


def _positive(text: str) -> int:
    """A whole number of at least 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _columns(pairs: list[str]) -> dict[str, str] | None:
    out = {}
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip() or not header.strip():
            raise SocAnalysisError(f"--column {pair!r}: expected FIELD=HEADER, e.g. --column name='Legal Entity'")
        out[field.strip()] = header.strip()
    return out or None


def user_message(exc: SocAnalysisError) -> str:
    """The error as the command line says it: a missing column is named with ``--column``, not in Python.

    >>> user_message(ColumnError("no name column; columns={'name': ...}", plain="no name column", fields=["name"]))
    "no name column; or name the column with --column name='Your Column'"
    """
    if isinstance(exc, ColumnError):
        hint = " or ".join(f"--column {field}='Your Column'" for field in exc.fields)
        return exc.plain + (f"; or name the column with {hint}" if hint else "")
    return str(exc)


LINE_CHARS = 1000  # an error line longer than this is cut (a binary file read as one header cell)
LIMITS_HINT = "see 'Reliability' in the README for the limits on inputs and how to raise them"


def one_line(message: str) -> str:
    """The first line of a message, at most ``LINE_CHARS`` characters.

    >>> one_line("no header\\nmore") , len(one_line("x" * 5000))
    ('no header', 1001)
    """
    first = message.splitlines()[0] if message else ""
    return first if len(first) <= LINE_CHARS else first[:LINE_CHARS] + "…"


def _progress(total: int, quiet: bool):
    """A tqdm bar over the input's bytes on a terminal; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="classifying", file=sys.stderr)

    def update(done_bytes: int, rows: int) -> None:
        bar.update(done_bytes - bar.n)
        rate = rows / bar.format_dict["elapsed"] if bar.format_dict["elapsed"] else 0
        bar.set_postfix_str(f"{rows:,} rows, {rate:,.0f} rows/s")

    return update, bar


def _classify(args) -> int:
    columns = _columns(args.column)
    if args.engine == "dask":
        from .leads.dask import classify_files

        summary = classify_files(
            args.input,
            args.output,
            rules=args.rules,
            scheduler=args.scheduler,
            columns=columns,
            clients=args.clients,
            decisions=cli_review.decisions_of(args),
        )
    else:
        with _fast_start(args.input, args.output, columns, args.jobs) as (reading, classify_file):
            size = Path(args.input).stat().st_size if Path(args.input).exists() else 0
            update, bar = _progress(size, args.quiet)
            try:
                summary = classify_file(
                    args.input,
                    args.output,
                    rules=args.rules,
                    jobs=args.jobs,
                    columns=columns,
                    sheet=_sheet(args.sheet),
                    clients=args.clients,
                    progress=update,
                    reading=reading,
                    decisions=cli_review.decisions_of(args),
                )
            finally:
                if bar is not None:
                    bar.close()
    if not args.quiet:
        print("\n".join(summary.lines()))
    return 0


# --------------------------------------------------------------------------- the local engine's start and end
# gain, measured on 1M rows without each setting (medians of 6 paired runs): without the pause while
# modules load, 0.57 s more in the garbage collector; without gc.freeze, 0.48 s more; without mallopt,
# 86,000 more page faults (0.46 s of system CPU); with numba's extras, 0.16 s more CPU to start
# (and no fast exit where coverage is installed); with OpenBLAS's threads, 0.03 s more CPU
@contextmanager
def _fast_start(source: str, output: str, columns, jobs: int | None):
    """Start ``classify`` on the local engine: its process is the command's own, so it may set it up
    as a library never would a notebook's.

    A CSV lead list starts parsing on threads of its own (NumPy and Arrow only) before anything
    else loads, and numba loads its compiler meanwhile, before pandas. Around that: OpenBLAS
    starts no threads (the command does no linear algebra: they would only spin as NumPy loads,
    on the cores the first chunks parse on); glibc keeps the memory the chunks free for the next
    ones (:func:`reuse_freed_memory`); numba does not load coverage and cffi, which it imports
    for features the command does not use (:data:`NUMBA_EXTRAS`); the garbage collector pauses
    while the modules load, and then leaves them out of its walks (``gc.freeze``).

    Yields the reading started (None for other inputs) and
    :func:`socanalysis.leads.batch.classify_file`; the reading is closed and the modules shown
    again on the way out.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    reuse_freed_memory()
    reading = _start_reading(source, output, columns, jobs)
    hidden = _hide_modules(NUMBA_EXTRAS)
    try:
        gc.disable()
        try:
            if reading is not None:  # while the first chunks parse, before pandas loads
                from .leads import load_compiler

                load_compiler()
            from .leads import classify_file
        finally:
            gc.enable()
        gc.freeze()
        yield reading, classify_file
    finally:
        if reading is not None:
            reading.close(cancel=True)  # (closed already unless the run failed)
        _unhide_modules(hidden)


# gain, measured on 1M rows: the interpreter's teardown takes 0.05 s more (6 paired runs of 6)
def _fast_exit(args: argparse.Namespace, status: int) -> None:
    """End the process at once (``os._exit``), its output flushed, once ``classify`` (local engine)
    has written its output: the interpreter's teardown would free pandas', numba's and Arrow's
    objects one by one, on one core. Not when a coverage measurement runs in the process (it
    saves its data as the interpreter exits), and not for other commands (the Dask engine has a
    cluster to shut down)."""
    if status == 0 and _ends_at_once(args) and "coverage" not in sys.modules:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):  # the reader went away: nothing more to say
            return
        os._exit(0)


def reuse_freed_memory() -> bool:
    """Let this process keep the memory it frees, for the next chunk (glibc only).

    A lead list allocates and frees arrays of the same large sizes chunk after chunk; by default
    glibc hands each one back to the kernel and the next chunk faults every page in again. The
    command line owns its process, so it raises glibc's thresholds instead (the library never
    does this to a notebook's process). Returns whether the allocator took the settings.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    return all(
        mallopt(option, value) == 1
        for option, value in ((m_mmap_threshold, 1 << 30), (m_trim_threshold, 1 << 30), (m_top_pad, 256 << 20))
    )


# numba imports these when they are installed (nbval brings coverage), to report the lines of
# compiled code to a running coverage measurement and to call cffi functions from compiled code
NUMBA_EXTRAS = ("coverage", "cffi")


def _hide_modules(names) -> list[str]:
    """Make ``import name`` fail, as if the module were not installed, for those of ``names`` not
    loaded yet (a coverage measurement of this process has loaded coverage: it is left alone).
    Returns the names hidden, for :func:`_unhide_modules`."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # the import system's own mark of a module that cannot be imported
    return hidden


def _unhide_modules(hidden) -> None:
    for name in hidden:
        if name in sys.modules and sys.modules[name] is None:
            del sys.modules[name]


def _ends_at_once(args: argparse.Namespace) -> bool:
    """Whether the command line may end without the interpreter's teardown: ``classify`` with the
    local engine (the Dask engine has a cluster to shut down)."""
    return args.command == "classify" and args.engine != "dask"


def _start_reading(source: str, output: str, columns, jobs: int | None):
    """Start parsing a CSV lead list on threads of its own (NumPy and Arrow only), so that its first
    chunks are ready by the time pandas and the compiled classifier have loaded; None for other
    inputs and outputs, which :func:`socanalysis.leads.batch.classify_file` checks and reports."""
    from .leads import OUTPUT_FORMATS, STREAMED_TEXT, CsvReading

    src = Path(source)
    if src.suffix.lower() not in STREAMED_TEXT or Path(output).suffix.lower() not in OUTPUT_FORMATS:
        return None
    if not src.is_file():
        return None
    return CsvReading(src, columns=columns, jobs=jobs)


def _sheet(value):
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def _explain(args) -> int:
    from .classifier import explain

    values = {k: getattr(args, k) for k in ("name", "industry", "sector", "naics", "sic", "country", "reports")}
    if args.text is None and not any(values.values()):
        raise SocAnalysisError('give a description ("socanalysis explain \\"We run payroll\\"") or --industry/--naics')
    print(explain(args.text, rules=args.rules, **values))
    return 0


def _rules(args) -> int:
    from .classifier import load_rules

    rs = load_rules(args.rules)
    table = rs.table()
    print(f"{len(table)} rules from {', '.join(rs.sources)}")
    for r in table.to_dict("records"):
        print(f"{r['id']}  [{r['supports']}]")
        print(f"    {r['reason']}")
        print(f"    matches {r['matches']}")
    return 0


def _report(args) -> int:
    from .pipeline import report

    path = report(
        args.portfolio,
        args.output,
        as_of=args.as_of,
        fees=args.fees,
        branding=args.branding,
        rules=args.rules,
        columns=_columns(args.column),
        sheet=_sheet(args.sheet),
        review=not args.no_review,
        save=args.save,
        label=args.label,
        **cli_review.store_of(args),
    )
    print(f"report written to {path}")
    return 0


def _dashboard(args) -> int:
    from .errors import require_extra

    if args.token is not None and (not args.token.strip() or any(c.isspace() for c in args.token)):
        raise SocAnalysisError(
            f"--token {args.token!r}: a token cannot be blank or hold spaces; give a long random one"
        )
    require_extra("dashboards", *DASHBOARD_MODULES)
    from .dashboards import serve

    return (
        serve(
            args.name,
            port=args.port,
            ip=args.ip,
            token=args.token,
            dark=args.dark,
            open_browser=args.open,
            portfolio=args.portfolio,
            branding=args.branding,
            upload_limit_mb=args.upload_limit,
            allow_hosts=args.allow_host,
            idle_minutes=args.idle_minutes,
            max_kernels=args.max_kernels,
            pool_size=args.pool_size,
        )
        or 0
    )


# what the dashboards import that the core install leaves out (the "dashboards" extra)
DASHBOARD_MODULES = ("voila", "ipywidgets", "ipykernel", "nbformat")


def _sample(args) -> int:
    from .load import sample_path

    print(sample_path(args.which))
    return 0


def _warm_up(args) -> int:
    from .leads import warm_up

    print(f"the classifier's kernels are compiled and kept ({warm_up():.1f} s)")
    return 0


COMMANDS = {
    "classify": _classify,
    "explain": _explain,
    "rules": _rules,
    "report": _report,
    "dashboard": _dashboard,
    "sample": _sample,
    **cli_review.COMMANDS,
    "warm-up": _warm_up,
}


def _terminated(signum, frame) -> None:
    """SIGTERM ends the command at once: what was being written is removed (the earlier output, if
    any, is left as it was), and the process ends without waiting for its threads."""
    files = sys.modules.get("socanalysis.present.files")
    if files is not None:
        files.discard_open_files()
    try:
        sys.stderr.write("socanalysis: stopped (SIGTERM); nothing written\n")
        sys.stderr.flush()
    finally:
        os._exit(128 + signum)


def run() -> None:
    """The ``socanalysis`` command: :func:`main`, and the process ends with its status."""
    signal.signal(signal.SIGTERM, _terminated)
    args = _parser().parse_args()
    if not args.debug:  # a file left open by a failed writer says nothing more as it is collected
        sys.unraisablehook = lambda unraisable: None
    status = _run(args)
    _fast_exit(args, status)
    sys.exit(status)


def main(argv=None) -> int:
    return _run(_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except SocAnalysisError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"socanalysis: error: {one_line(user_message(exc))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (RecursionError, MemoryError) as exc:  # an input built to exhaust the reader
        if args.debug:
            traceback.print_exc()
        what = "nested too deeply" if isinstance(exc, RecursionError) else "too large for this computer's memory"
        print(f"socanalysis: error: the input is {what} to read; {LIMITS_HINT}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if args.debug:
            traceback.print_exc()
        where = f" {exc.filename!r}" if getattr(exc, "filename", None) else ""
        print(f"socanalysis: error: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # the reader went away (| head): not an error
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except KeyboardInterrupt:
        print("socanalysis: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, the traceback only with --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"socanalysis: unexpected error ({type(exc).__name__}: {one_line(str(exc))}); run with --debug for details",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    run()
