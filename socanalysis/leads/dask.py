"""Classify lead lists with Dask: the same classifier, one partition at a time, on one machine or a cluster.

Dask is an optional extra: ``pip install 'socanalysis[dask]'``.

:func:`classify` takes a Dask DataFrame and returns one (lazy) with the classifier's columns, made
by :func:`socanalysis.classify` on every partition. :func:`classify_files` reads a glob of CSV or
Parquet files, classifies them and writes the result, on a local cluster (every core) or on an
existing ``dask.distributed`` cluster::

    socanalysis classify 'leads/*.parquet' -o classified.parquet --engine dask --scheduler tcp://10.0.0.5:8786

or from Python::

    from socanalysis.leads.dask import classify_files
    summary = classify_files("leads/*.csv", "classified.parquet", scheduler="tcp://10.0.0.5:8786")

What differs from the local engine (:func:`socanalysis.leads.batch.classify_file`):

- no ``duplicate_of`` column: a partition does not know the rows of the others, so duplicates
  across the list are not flagged (use the local engine, or :func:`socanalysis.load_portfolio`);
- Parquet output is a *directory* of part files (``part.000000.parquet`` ...), in row order,
  which ``pandas.read_parquet(directory)`` reads as one table; CSV output is one file; XLSX is not
  written (use the local engine);
- files, rules and the client portfolio are read on this machine; the workers of a remote
  cluster must be able to reach the input and output paths (a shared disk, or an object store
  path such as ``s3://`` for Parquet).

As in the local engine, a CSV file is cut into byte ranges on row boundaries (quoted newlines
included), a malformed row comes out as Undetermined with the reason in ``problem``, and CSV
cells that a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..classifier import classify as classify_frame
from ..classifier import load_rules
from ..errors import ColumnError, ExportError, PortfolioError, SocAnalysisError
from ..load import ARROW_TEXT, TEXT_DTYPE, csv_layout_of, require_signal, resolve
from ..present import AtomicFile, neutral_text, neutralise_arrow
from ..vocabulary import ATTRS_KEY, REPORT_VALUES, REVIEW_COLUMNS
from . import batch, streaming
from .hygiene import ClientIndex
from .reviewed import reviewed_frame

__all__ = ["LOCAL_SCHEDULERS", "classify", "classify_files"]

#: scheduler names that run on this machine without ``dask.distributed``
LOCAL_SCHEDULERS = ("threads", "processes", "synchronous")
_NOTE = "__socanalysis_note__"  # per-row reading problems, carried from the reader to the classifier
_INSTALL = "pip install 'socanalysis[dask]'"
_READ = (*streaming.STREAMED_TEXT, ".parquet")


def _dask():
    """Import dask.dataframe, or say how to install it."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise SocAnalysisError(
            f"the Dask engine needs dask, which is not installed ({exc}); install it with {_INSTALL}"
        ) from None
    return dask, dd


# --------------------------------------------------------------------------- per partition
def _classify_part(part: pd.DataFrame, rules, mapping: dict, clients, decisions=None) -> pd.DataFrame:
    """What runs on a worker: classify one partition (never touching it), mark reading problems,
    apply the reviewers' decisions, match the clients."""
    notes = {}
    if _NOTE in part.columns:
        note = part[_NOTE].reset_index(drop=True).dropna()
        notes = {int(i): str(v) for i, v in note.items()}
        part = part.drop(columns=[_NOTE])
    else:
        part = part.copy(deep=False)
    part.attrs = {ATTRS_KEY: {"fields": mapping}}
    ours = [c for c in REVIEW_COLUMNS if c in part.columns and c not in mapping.values()]
    out, _ = batch._mark_and_match(classify_frame(part.drop(columns=ours), rules=rules), part, notes, mapping, None)
    out = reviewed_frame(out, decisions, mapping)
    if clients is not None:
        matched = clients.match(part, mapping)
        out = out.assign(**{c: matched[c].set_axis(out.index) for c in matched.columns})
    out.attrs = {}
    return out


def _mapping(columns, overrides, label: str) -> dict[str, str]:
    columns = [str(c) for c in columns if c != _NOTE]
    try:
        mapping = resolve(columns, overrides=overrides)
    except ColumnError as exc:
        raise ColumnError(f"{label}: {exc.message}") from None
    require_signal(mapping, columns, label=label)
    return mapping


def _shared(value, what: str):
    """A value sent to each worker once (a key of its own in the graph), not once per partition."""
    if value is None:
        return None
    dask, _ = _dask()
    return dask.delayed(value, name=f"socanalysis-{what}-{uuid.uuid4().hex}", traverse=False)


def classify(ddf, *, rules=None, columns: Mapping[str, str | None] | None = None, clients=None, decisions=None):
    """Classify every organisation of a Dask DataFrame, partition by partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        A lead list or portfolio; text columns are best (read with ``dtype=str``).
    rules : path, list of paths, dict or RuleSet, optional
        A firm's rules, merged over the defaults. They are read here once and sent to each worker.
    columns : dict, optional
        Field mapping overrides (``{"name": "Legal Entity"}``); the headers are resolved otherwise.
    clients : path or ClientIndex, optional
        A client portfolio: adds ``existing_client``, ``matched_client`` and ``match_score``
        (see :mod:`socanalysis.leads.hygiene`).
    decisions : socanalysis.review.Decisions, optional
        The reviewers' decisions (:func:`socanalysis.review.load_decisions`), sent to each worker
        once and applied to every partition.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy: the input columns and partitions unchanged plus the columns of
        :data:`socanalysis.OUTPUT_COLUMNS` and :data:`socanalysis.REVIEW_COLUMNS`, exactly as
        :func:`socanalysis.classify` makes them for each partition. No ``duplicate_of``:
        partitions do not see each other's rows.

    Raises
    ------
    SocAnalysisError
        When dask is not installed.
    ColumnError
        When no column carries anything to classify on.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> leads = pd.DataFrame({"Company": ["Acme Payroll", "Granite Quarry"],
    ...                       "Description": ["Payroll processing for employers", "Crushed stone and gravel"]})
    >>> out = classify(dd.from_pandas(leads, npartitions=2))
    >>> out.compute(scheduler="synchronous")["soc_report"].tolist()
    ['Both', 'Neither']
    """
    _dask()
    ruleset = load_rules(rules)
    mapping = _mapping(ddf.columns, columns, "the Dask DataFrame")
    if clients is not None and not isinstance(clients, ClientIndex):
        clients = ClientIndex.from_file(clients)
    if clients is not None:
        clients.require_columns(mapping, [c for c in ddf.columns if c != _NOTE])
    meta = _classify_part(ddf._meta, ruleset, mapping, clients, decisions)
    return ddf.map_partitions(
        _classify_part,
        _shared(ruleset, "rules"),
        mapping,
        _shared(clients, "clients"),
        _shared(decisions, "decisions"),
        meta=meta,
    )


# --------------------------------------------------------------------------- reading files
def _files(pattern) -> tuple[list[str], str]:
    """The files a path, a folder or a glob names, in sorted order, and their format ("csv" or "parquet")."""
    text = os.fspath(pattern)
    if glob.has_magic(text):
        files = sorted(glob.glob(text))
    elif Path(text).is_dir():
        files = sorted(str(p) for p in Path(text).iterdir() if p.suffix.lower() in _READ)
    else:
        files = [text] if Path(text).exists() else []
    files = [f for f in files if Path(f).is_file()]
    if not files:
        raise PortfolioError(f"no file matches {text!r}; give a file, a folder or a glob such as 'leads/*.parquet'")
    others = [f for f in files if Path(f).suffix.lower() not in _READ]
    if others:
        raise PortfolioError(
            f"{others[0]!r} is not a CSV or Parquet file; the Dask engine reads {' '.join(_READ)} "
            "(convert Excel or JSON files, or classify them with the local engine)"
        )
    kinds = {"parquet" if f.lower().endswith(".parquet") else "csv" for f in files}
    if len(kinds) > 1:
        raise PortfolioError(f"{text!r} names both CSV and Parquet files; give one kind at a time")
    return files, kinds.pop()


def _read_range(chunk) -> pd.DataFrame:
    """One byte range of whole CSV rows, as text, with the reading problems of its rows."""
    table, notes = streaming.parse_csv_chunk(chunk)
    df = table.to_pandas(types_mapper=ARROW_TEXT.get)
    note = np.full(len(df), None, dtype=object)
    for i, text in notes.items():
        note[i] = text
    df[_NOTE] = pd.array(note, dtype=TEXT_DTYPE)
    return df


def _text_part(part: pd.DataFrame) -> pd.DataFrame:
    """Every column as text, written as a person reads it (541214, not 541214.0)."""
    return batch._as_text_table(part).to_pandas(types_mapper=ARROW_TEXT.get)


def _read_files(files: list[str], kind: str, columns, chunk_bytes: int):
    _, dd = _dask()
    if kind == "parquet":
        raw = dd.read_parquet(files)
        meta = pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in raw.columns})
        return raw.map_partitions(_text_part, meta=meta)
    chunks, header = [], None
    for f in files:
        layout = csv_layout_of(Path(f), columns)
        if header is None:
            header = tuple(layout.header)
        elif tuple(layout.header) != header:
            raise ColumnError(
                f"{f!r} has the columns {list(layout.header)!r} but {files[0]!r} has {list(header)!r}; "
                "every file of the list must have the same header"
            )
        if layout.encoding not in streaming.STREAM_ENCODINGS:
            raise PortfolioError(
                f"{f!r} is {layout.encoding} text, which the Dask engine does not cut into ranges; "
                "save it as UTF-8 or classify it with the local engine"
            )
        chunks.extend(chunk for chunk, _ in streaming.csv_chunks(Path(f), layout, chunk_bytes))
    text = TEXT_DTYPE
    meta = pd.DataFrame({c: pd.Series(dtype=text) for c in (*header, _NOTE)})
    return dd.from_map(_read_range, chunks, meta=meta, label="socanalysis-read-csv", enforce_metadata=False)


# --------------------------------------------------------------------------- writing
def _stats(part: pd.DataFrame) -> pd.DataFrame:
    """One row for a partition: its rows, problems, malformed rows (positions) and counts per report."""
    problem = part["problem"].fillna("")
    malformed = np.flatnonzero(problem.str.startswith(streaming.MALFORMED).to_numpy())
    counts = part["soc_report"].value_counts()
    row = {"rows": len(part), "problems": int((problem != "").sum()), "malformed": [malformed.tolist()]}
    row.update({k: int(counts.get(k, 0)) for k in REPORT_VALUES})
    return pd.DataFrame(row, index=[0])


_STATS_META = pd.DataFrame(
    {
        "rows": pd.Series(dtype="int64"),
        "problems": pd.Series(dtype="int64"),
        "malformed": pd.Series(dtype=object),
        **{k: pd.Series(dtype="int64") for k in REPORT_VALUES},
    }
)


def _write_csv_part(part: pd.DataFrame, folder: str, partition_info=None) -> pd.DataFrame:
    """Write one partition, neutralised, to its own CSV file (the header only in the first); return its stats."""
    number = partition_info["number"] if partition_info else 0
    table = neutralise_arrow(pa.Table.from_pandas(part, preserve_index=False))
    table = table.rename_columns([neutral_text(name) for name in table.column_names])
    pacsv.write_csv(
        table,
        os.path.join(folder, f"part.{number:06d}.csv"),
        write_options=pacsv.WriteOptions(include_header=number == 0),
    )
    return _stats(part)


def _run(result, output: Path, dask, how: dict) -> pd.DataFrame:
    """Write the result and return the stats of every partition, in one pass over the data."""
    ext = output.suffix.lower()
    if ext == ".parquet":
        if output.exists() and (output.is_file() or any(output.iterdir())):
            raise ExportError(
                f"{str(output)!r} already exists; the Dask engine writes Parquet as a directory of part files "
                "and does not overwrite: choose a new path or remove it"
            )
        write = result.to_parquet(
            str(output), write_index=False, compute=False, name_function=lambda i: f"part.{i:06d}.parquet"
        )
        _, stats = dask.compute(write, result.map_partitions(_stats, meta=_STATS_META), **how)
        return stats
    folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        stats = result.map_partitions(_write_csv_part, str(folder), meta=_STATS_META).compute(**how)
        with AtomicFile(output) as file, open(file.temp, "wb") as out:  # complete or not at all
            for number in range(len(stats)):
                with open(folder / f"part.{number:06d}.csv", "rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return stats


@contextmanager
def _scheduler(scheduler):
    """The compute keyword arguments for ``scheduler``; a cluster started here is closed on exit."""
    if scheduler in LOCAL_SCHEDULERS:
        yield {"scheduler": scheduler}
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise SocAnalysisError(
            f"a Dask cluster needs dask.distributed, which is not installed ({exc}); install it with {_INSTALL}"
        ) from None
    if scheduler is not None and not isinstance(scheduler, str):  # an existing Client
        yield {"scheduler": scheduler}
        return
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,  # any free port, this machine only
        )
        with cluster, Client(cluster) as client:
            yield {"scheduler": client}
        return
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise SocAnalysisError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); give its address as tcp://HOST:8786"
        ) from None
    with client:
        yield {"scheduler": client}


def classify_files(
    pattern,
    output,
    *,
    rules=None,
    scheduler=None,
    columns: Mapping[str, str | None] | None = None,
    clients=None,
    chunk_bytes: int = streaming.CHUNK_BYTES,
    decisions=None,
) -> batch.BatchSummary:
    """Classify a glob of CSV or Parquet files with Dask and write the result.

    Parameters
    ----------
    pattern : str or path
        A file or a glob (``"leads/*.parquet"``); the files are taken in sorted order and must all
        be CSV (``.csv .tsv .txt``, one header each, the same in every file) or all Parquet.
        Every column is read as text.
    output : str or path
        ``.parquet``: a new directory of part files, in row order; ``.csv``: one file, with
        formula-like cells neutralised.
    rules : path, list of paths or dict, optional
        A firm's rules, merged over the defaults.
    scheduler : str or distributed.Client, optional
        The address of a ``dask.distributed`` scheduler (``tcp://host:8786``), a Client, or one
        of ``"threads"``, ``"processes"``, ``"synchronous"``. By default a local cluster of one
        process per core is started and closed when done (its workers start a fresh Python, so
        in a script call this under ``if __name__ == "__main__":``).
    columns : dict, optional
        Field mapping overrides.
    clients : path or ClientIndex, optional
        A client portfolio: leads that are already clients are marked.
    chunk_bytes : int
        The size of the byte ranges a CSV file is cut into (one partition each).
    decisions : socanalysis.review.Decisions, optional
        The reviewers' decisions, applied to every partition (see :func:`classify`).

    Returns
    -------
    BatchSummary
        Rows, counts per ``soc_report``, rows with a problem and malformed rows (their 1-based
        row numbers over the whole list); ``duplicates`` is always 0.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for i, text in enumerate(["Payroll processing for employers", "Crushed stone and gravel"]):
    ...     _ = (folder / f"leads-{i}.csv").write_text(f"Company,Description\\nOrg {i},{text}\\n")
    >>> summary = classify_files(folder / "leads-*.csv", folder / "out.parquet", scheduler="synchronous")
    >>> summary.rows, summary.counts["Both"], summary.counts["Neither"]
    (2, 1, 1)
    >>> sorted(p.name for p in (folder / "out.parquet").iterdir())
    ['part.000000.parquet', 'part.000001.parquet']
    """
    dask, _ = _dask()
    started = time.perf_counter()
    label = os.fspath(pattern)
    output = Path(output)
    if output.suffix.lower() not in (".parquet", ".csv"):  # checked before any file is read
        raise ExportError(
            f"cannot write {str(output)!r}: the Dask engine writes .parquet (a directory) or .csv; for .xlsx "
            "use the local engine"
        )
    files, kind = _files(pattern)
    load_rules(rules)  # a broken rules file fails here, before any work starts
    data = _read_files(files, kind, columns, chunk_bytes)
    result = classify(data, rules=rules, columns=columns, clients=clients, decisions=decisions)
    with _scheduler(scheduler) as how:
        per_part = _run(result, output, dask, how)
    summary = batch.BatchSummary(label, str(output))
    summary.rows = int(per_part["rows"].sum())
    summary.counts = {k: int(per_part[k].sum()) for k in REPORT_VALUES}
    summary.problem_rows = int(per_part["problems"].sum())
    offsets = np.concatenate([[0], np.cumsum(per_part["rows"].to_numpy())[:-1]])
    summary.malformed_rows = [int(o + p + 1) for o, ps in zip(offsets, per_part["malformed"], strict=True) for p in ps]
    summary.seconds = time.perf_counter() - started
    return summary
