"""Classify large lead lists: streamed in chunks, on every core, in bounded memory.

A CSV file is cut into byte ranges that end on a row boundary (a newline outside quotes: a compiled
pass counts the quote marks), so that each worker thread reads, parses, classifies and, for CSV
output, formats its own range; Parquet is read one batch of rows at a time; other formats are read
whole. Duplicates are looked up chunk after chunk in input order (a short step; everything else runs
in parallel). Results come back in input order and are appended to the output (CSV, Parquet or
XLSX, chosen by extension) as they arrive, so a file larger than memory works and at most
``jobs + 1`` chunks are in flight.

Every input row comes out once, in order. A malformed CSV row (more or fewer values than the
header) comes out as an empty row with ``soc_report`` "Undetermined" and the reason in ``problem``;
bytes that are not valid text are replaced and the row says so. Duplicate organisations across the
whole file are flagged in ``duplicate_of`` (the 1-based row of the first occurrence).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "leads.csv").write_text(
...     "Company,Description\\nAcme Payroll,Payroll processing for employers\\n"
...     "Nimbus,\\"Cloud hosting,\\nmanaged\\"\\nBroken,row,with,too,many\\nACME PAYROLL INC,payroll\\n")
>>> summary = classify_file(folder / "leads.csv", folder / "out.csv", jobs=1)
>>> summary.counts
{'SOC 1': 0, 'SOC 2': 1, 'Both': 2, 'Neither': 0, 'Undetermined': 1}
>>> out = pd.read_csv(folder / "out.csv", dtype=str)
>>> out["soc_report"].tolist(), out["duplicate_of"].fillna("").tolist()
(['Both', 'SOC 2', 'Undetermined', 'Both'], ['', '', '', '1'])
>>> out.loc[2, "problem"]
"malformed row: 5 values where the header has 2 ('Broken,row,with,too,many')"
>>> summary.malformed_rows
[3]
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._kernels import IntColumn, TextColumn, format_csv
from .._kernels import first_seen as _first_seen
from .._kernels import grow_table as _grow
from ..classifier import READ_FIELDS, classify_columns, load_rules, output_frame
from ..errors import EmptyFileError, PortfolioError
from ..load import ARROW_TEXT, as_text, read_table, require_signal, resolve
from ..present import neutral_text, neutralise_arrow
from ..vocabulary import ATTRS_KEY, OUTPUT_COLUMNS, REPORT_VALUES, REVIEW_COLUMNS
from .hygiene import ClientIndex
from .keys import host_hashes as domain_keys_of
from .keys import name_hashes as name_keys_of
from .reviewed import reviewed_columns
from .streaming import CHUNK_BYTES, MALFORMED, STREAMED_TEXT, CsvReading, parsed
from .writing import Buffers, Writer, csv_column

PARQUET_BATCH_ROWS = 100_000


@dataclass
class BatchSummary:
    """What a batch run did: rows out, counts per ``soc_report``, problems, timing."""

    input: str
    output: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_VALUES, 0))
    problem_rows: int = 0
    malformed_rows: list[int] = field(default_factory=list)
    duplicates: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def table(self) -> pd.DataFrame:
        """Counts per ``soc_report`` with shares, for printing."""
        counts = pd.Series(self.counts, name="organisations")
        return pd.DataFrame({"organisations": counts, "share": (counts / max(self.rows, 1)).round(3)})

    def lines(self) -> list[str]:
        """The summary as lines of text for a terminal."""
        width = max(len(k) for k in self.counts)
        out = [f"{k:<{width}}  {v:>10,}  {v / max(self.rows, 1):6.1%}" for k, v in self.counts.items()]
        out.append(f"{'total':<{width}}  {self.rows:>10,}")
        if self.duplicates:
            out.append(f"{self.duplicates:,} rows repeat an earlier organisation (see duplicate_of)")
        if self.problem_rows:
            out.append(f"{self.problem_rows:,} rows carry a problem (see the problem column)")
        if self.malformed_rows:
            shown = ", ".join(f"{r:,}" for r in self.malformed_rows[:10])
            more = f" and {len(self.malformed_rows) - 10:,} more" if len(self.malformed_rows) > 10 else ""
            out.append(f"{len(self.malformed_rows):,} malformed rows kept as Undetermined: row {shown}{more}")
        out.append(f"written to {self.output} in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s)")
        return out


# --------------------------------------------------------------------------- chunks of work
@dataclass(frozen=True)
class _FrameChunk:
    table: pa.Table
    notes: dict = field(default_factory=dict)  # 0-based row -> what reading repaired in it


@dataclass
class _Result:
    table: pa.Table | None  # the rows out, for Parquet and XLSX output
    csv: np.ndarray | None  # the rows as CSV text, for CSV output
    malformed: np.ndarray  # 0-based positions in the chunk of rows that could not be read
    duplicates: int
    rows: int
    counts: dict[str, int]  # rows per soc_report
    problems: int  # rows with a problem
    recycle: Callable[[np.ndarray], None] | None = None  # takes back the buffer of csv once written


@dataclass
class _Classified:
    """A classified chunk before it is written: the input columns kept, as parsed; the output
    columns of :func:`socanalysis.classifier.classify_columns` (few-valued texts still coded),
    reading problems marked; the client matches (``--clients``), a DataFrame."""

    base: pa.Table
    columns: dict[str, pa.Array]
    matched: pd.DataFrame | None
    malformed: np.ndarray


_WORKER_STATE: dict = {}


def _init_worker(rules, mapping, neutralise: bool, clients=None, csv: bool = False, decisions=None) -> None:
    _WORKER_STATE.update(
        decisions=decisions,
        rules=load_rules(rules),
        mapping=mapping,
        neutralise=neutralise,
        clients=clients,
        csv=csv,
        turns=_Turns(),
        names=_FirstSeen(),
        domains=_FirstSeen(),
        buffers=Buffers(),
    )


def _run_chunk(index: int, chunk) -> _Result:
    """Parse (for CSV), classify and format one chunk; runs in a worker thread.

    Duplicates are looked up chunk after chunk, in input order (``turns``); all else runs in parallel.
    """
    state = _WORKER_STATE
    try:
        if isinstance(chunk, _FrameChunk):
            table, notes = chunk.table, dict(chunk.notes)
        else:  # a CSV chunk, parsed ahead (a future) or not yet
            table, notes = parsed(chunk)
        names = _keys(table, state["mapping"], "name", name_keys_of)
        domains = _keys(table, state["mapping"], "website", domain_keys_of)
    except BaseException:
        with state["turns"].turn(index):  # let the chunks after this one take their turn
            raise
    # the turn comes before classifying: a chunk waits only for the keys of the one before it,
    # not for all its work
    n = table.num_rows
    with state["turns"].turn(index) as turns:
        rows = np.arange(turns.rows + 1, turns.rows + n + 1, dtype=np.int64)
        turns.rows += n
        first = np.minimum(state["names"].first_rows(names, rows), state["domains"].first_rows(domains, rows))
    done = _classify_chunk(table, notes, state, (names, domains))
    dup = first < rows
    duplicate_of = np.where(dup, first, 0)
    text = out = recycle = None
    if state["csv"]:
        text = _csv_text(done, duplicate_of, dup, state["neutralise"], index == 0, state["buffers"].take)
        recycle = state["buffers"].give
    else:
        out = _frame_table(done, state["mapping"], state["neutralise"])
        out = out.append_column(_duplicate_name(out.column_names), pa.array(duplicate_of, pa.int64(), mask=~dup))
    values, codes = _codes(done.columns["soc_report"])
    counts = dict.fromkeys(REPORT_VALUES, 0)
    counts.update(zip(values, np.bincount(codes, minlength=len(values)).tolist(), strict=True))
    values, codes = _codes(done.columns["problem"])
    problems = int(np.count_nonzero(np.array([v != "" for v in values], dtype=bool)[codes]))
    return _Result(out, text, done.malformed, int(dup.sum()), n, counts, problems, recycle)


def _classify_chunk(table: pa.Table, notes: dict[int, str], state, keys) -> _Classified:
    """Classify a chunk from its Arrow columns, mark its reading problems, apply the reviewers'
    decisions (by the name and website ``keys`` found for duplicates) and, given a client index,
    match it against the clients."""
    mapping = state["mapping"]
    ours = (*OUTPUT_COLUMNS, *REVIEW_COLUMNS)
    base = table.drop_columns([c for c in ours if c in table.column_names and c not in mapping.values()])
    fields = {f: base.column(c) for f, c in mapping.items() if f in READ_FIELDS}
    columns = classify_columns(fields, base.num_rows, headers=mapping, rules=state["rules"])
    malformed = np.array(sorted(i for i, note in notes.items() if note.startswith(MALFORMED)), dtype=np.int64)
    if notes:
        columns = _mark(columns, notes, malformed)
    columns = reviewed_columns(columns, state["decisions"], table, mapping, *keys)
    matched = None
    if state["clients"] is not None:
        matched = state["clients"].match(table.to_pandas(types_mapper=ARROW_TEXT.get), mapping)
    return _Classified(base, columns, matched, malformed)


def _codes(column: pa.Array) -> tuple[list, np.ndarray]:
    """The distinct values of a column and, per row, the index of its value."""
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False)


def _duplicate_name(taken) -> str:
    """``duplicate_of``, or a name that is not taken yet."""
    name = "duplicate_of"
    while name in taken:
        name = "socanalysis_" + name
    return name


class _Turns:
    """Lets chunks through one at a time, in input order, and counts the rows gone through."""

    def __init__(self):
        self.rows = 0
        self._next = 0
        self._cond = threading.Condition()

    @contextmanager
    def turn(self, index: int):
        with self._cond:
            self._cond.wait_for(lambda: self._next == index)
        try:
            yield self
        finally:
            with self._cond:
                self._next += 1
                self._cond.notify_all()


_UNREADABLE = "This row could not be read from the file: fix it and classify again."
# what a malformed row says in each output column
_MALFORMED_ROW = {
    **dict.fromkeys(OUTPUT_COLUMNS, ""),
    "soc_report": "Undetermined",
    "soc1_score": 0.0,
    "soc2_score": 0.0,
    "confidence": "low",
    "rationale": _UNREADABLE,
}


def _mark(columns: dict[str, pa.Array], notes: dict[int, str], malformed: np.ndarray) -> dict[str, pa.Array]:
    """Put the reading notes in ``problem``, before the row's own problems; a malformed row says
    nothing else than that it is unreadable."""
    out = dict(columns)
    rows = np.array(sorted(notes), dtype=np.int64)
    problem = _plain(out["problem"])
    own = problem.take(pa.array(rows)).to_pylist()
    texts = [notes[i] if not p else f"{notes[i]}; {p}" for i, p in zip(rows.tolist(), own, strict=True)]
    out["problem"] = _put(problem, rows, texts)
    if len(malformed):
        for name, value in _MALFORMED_ROW.items():
            if name != "problem":
                out[name] = _put(_plain(out[name]), malformed, [value] * len(malformed))
    return out


def _mark_and_match(
    out: pd.DataFrame, frame: pd.DataFrame, notes: dict[int, str], mapping: dict, clients
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`_mark` and the client matches for a frame classified by :func:`socanalysis.classify`
    (a partition of the Dask engine); and the positions of its malformed rows."""
    malformed = np.array(sorted(i for i, note in notes.items() if note.startswith(MALFORMED)), dtype=np.int64)
    if notes:
        columns = {c: _arrow(out[c]) for c in OUTPUT_COLUMNS}
        marked = output_frame(_mark(columns, notes, malformed)).set_axis(out.index)
        out = out.assign(**{c: marked[c] for c in OUTPUT_COLUMNS})
    if clients is not None:
        matched = clients.match(frame, mapping)
        out = out.assign(**{c: matched[c] for c in matched.columns})
    return out, malformed


def _arrow(values: pd.Series) -> pa.Array:
    """A column of a frame as one Arrow array: text as text, numbers and flags as NumPy holds them."""
    if isinstance(values.dtype, pd.StringDtype):
        array = pa.array(values.array)
        return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return pa.array(values.to_numpy())


def _plain(column: pa.Array) -> pa.Array:
    """A dictionary column's values, row by row."""
    return column.dictionary.take(column.indices) if pa.types.is_dictionary(column.type) else column


def _put(column: pa.Array, rows: np.ndarray, values: list) -> pa.Array:
    """``column`` with ``values`` at ``rows`` (sorted)."""
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), pa.array(values, column.type))


def _keys(table: pa.Table, mapping: dict, field_name: str, keys_of: Callable) -> np.ndarray:
    """64-bit keys of the normalised names (or domains) of a chunk; 0 where there is none."""
    col = mapping.get(field_name)
    if col is None:
        return np.zeros(table.num_rows, dtype=np.uint64)
    return keys_of(table.column(col))


# --------------------------------------------------------------------------- formatting
def _frame_table(done: _Classified, mapping: dict, neutralise: bool) -> pa.Table:
    """The chunk as :func:`socanalysis.classify` returns a frame of it (pandas' metadata included,
    for Parquet), client matches after; neutralised for a workbook."""
    frame = done.base.to_pandas(types_mapper=ARROW_TEXT.get)
    out = pd.concat([frame, output_frame(done.columns)], axis=1)
    if done.matched is not None:
        out = out.assign(**{c: done.matched[c] for c in done.matched.columns})
    out.attrs = {ATTRS_KEY: {"fields": mapping}}
    table = pa.Table.from_pandas(out, preserve_index=False)
    return neutralise_arrow(table) if neutralise else table


def _csv_text(
    done: _Classified,
    duplicate_of: np.ndarray,
    dup: np.ndarray,
    neutralise: bool,
    header: bool,
    allocate: Callable[[int], np.ndarray] | None = None,
) -> np.ndarray:
    """The chunk's rows as CSV text, byte for byte what Arrow writes for the same table (after
    :func:`socanalysis.present.cells.neutralise_arrow` when ``neutralise``), without the coded text
    columns ever being built: their cells are copied from small tables."""
    table = done.base
    columns = [TextColumn(table.column(i), neutralise=neutralise) for i in range(table.num_columns)]
    columns += [csv_column(column, neutralise) for column in done.columns.values()]
    names = [*table.column_names, *done.columns]
    if done.matched is not None:
        columns += [csv_column(_arrow(done.matched[name]), neutralise) for name in done.matched.columns]
        names += list(done.matched.columns)
    columns.append(IntColumn(duplicate_of, valid=dup))
    names.append(_duplicate_name(names))
    if neutralise:  # a header such as =HYPERLINK(...) is a formula to a spreadsheet, as a cell is
        names = [neutral_text(name) for name in names]
    return format_csv(columns, header=names if header else None, allocate=allocate)


# --------------------------------------------------------------------------- duplicates across chunks
class _FirstSeen:
    """The first row of every key seen so far: an open-addressing hash table, grown as keys come."""

    def __init__(self, bits: int = 16):
        self.keys = np.zeros(1 << bits, dtype=np.uint64)
        self.rows = np.zeros(1 << bits, dtype=np.uint32)  # 12 bytes a slot; int64 rows past 4 billion
        self.count = 0

    def first_rows(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each key (0 = none), the first row holding it, earlier calls included; rows only grow."""
        if len(rows) and rows[-1] > np.iinfo(self.rows.dtype).max:
            self.rows = self.rows.astype(np.int64)
        while (self.count + len(keys)) * 10 > len(self.keys) * 7:  # at most 70% full
            self.keys, self.rows = _grow(self.keys, self.rows)
        first = np.empty(len(keys), dtype=np.int64)
        self.count += _first_seen(self.keys, self.rows, keys, rows, first)
        return first


# --------------------------------------------------------------------------- reading
def _frame_chunks(table: pa.Table, notes: dict | None = None, *, rows: int) -> Iterator[tuple[_FrameChunk, int]]:
    notes = notes or {}
    for start in range(0, table.num_rows, rows):
        part = table.slice(start, rows)
        mine = {i - start: note for i, note in notes.items() if start <= i < start + rows}
        yield _FrameChunk(part, mine), part.nbytes


def _parquet_chunks(path: Path, rows: int) -> Iterator[tuple[_FrameChunk, int]]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=rows):
        yield _FrameChunk(_as_text_table(batch.to_pandas())), batch.nbytes


def _as_text_table(df: pd.DataFrame) -> pa.Table:
    """Every column as text, written as a person reads it (541214, not 541214.0)."""
    df = as_text(df, "true", "false")
    return pa.Table.from_pandas(df, preserve_index=False).cast(pa.schema([(n, pa.string()) for n in df.columns]))


# --------------------------------------------------------------------------- the run
def classify_file(
    input,
    output,
    *,
    rules=None,
    jobs: int | None = None,
    columns: dict | None = None,
    sheet=None,
    chunk_bytes: int = CHUNK_BYTES,
    clients=None,
    progress: Callable[[int, int], None] | None = None,
    reading: CsvReading | None = None,
    decisions=None,
) -> BatchSummary:
    """Classify a file of organisations into another file, in chunks, on ``jobs`` threads.

    Parameters
    ----------
    input, output : path
        Input CSV/TSV/TXT and Parquet are streamed; XLSX and JSON are read whole. The output
        format follows the extension: ``.csv``, ``.parquet`` or ``.xlsx``.
    rules : path, optional
        A firm's rules file merged over the defaults.
    jobs : int, optional
        Worker threads; every core by default. ``1`` runs in this process.
    columns : dict, optional
        Field mapping overrides, as for :func:`socanalysis.load_portfolio`.
    clients : path or ClientIndex, optional
        A client portfolio: leads that are already clients are marked (``existing_client``,
        ``matched_client``, ``match_score``; see :mod:`socanalysis.leads.hygiene`).
    progress : callable(bytes_done, rows_done), optional
        Called after every chunk.
    reading : CsvReading, optional
        The reading of a CSV ``input`` already started, with the same ``columns`` (the command
        line starts it before the classifier loads); its ``jobs`` and chunks are used. Closed here.
    decisions : socanalysis.review.Decisions, optional
        The reviewers' decisions (:func:`socanalysis.review.load_decisions`), applied to every
        chunk. Every row gets the columns of :data:`socanalysis.vocabulary.REVIEW_COLUMNS`
        (``decided_by`` is ``classifier`` where no decision applies, and everywhere without them).

    Returns
    -------
    BatchSummary
    """
    started = time.perf_counter()
    src, dst = Path(input), Path(output)
    writer = None
    try:
        if not src.exists():
            raise PortfolioError(f"no such file: {str(src)!r}")
        if clients is not None and not isinstance(clients, ClientIndex):
            clients = ClientIndex.from_file(clients)  # built once, sent to every worker
        writer = Writer(dst, inputs=(src, clients, rules))
        jobs = max(1, jobs or os.cpu_count() or 1)
        if reading is None and src.suffix.lower() in STREAMED_TEXT:
            # the first chunks parse on the worker threads while the rules compile (_results)
            reading = CsvReading(src, columns=columns, jobs=jobs, chunk_bytes=chunk_bytes)
        chunks, mapping, jobs = _chunks(src, sheet, columns, jobs, reading)
        if clients is not None:
            clients.require_columns(mapping)  # a lead list with neither name nor website fails before any work
        summary = BatchSummary(str(src), str(dst))
        neutralise = writer.ext in (".csv", ".xlsx")
        init_args = (rules, mapping, neutralise, clients, writer.ext == ".csv", decisions)
        results = _results(chunks, jobs, init_args, reading.pool if reading is not None else None)
        try:
            _write_all(results, writer, summary, progress)
            if not summary.rows:
                raise EmptyFileError(
                    f"{str(src)!r} has no data rows below its header (row endings, a header alone or a blank "
                    f"header?); expected one row per organisation; nothing was written to {str(dst)!r}"
                )
        except BaseException:
            writer.abort()
            raise
    except BaseException:
        if reading is not None:
            reading.close(cancel=True)
        if writer is not None:
            writer.abort()
        raise
    if reading is not None:
        reading.close()
    summary.seconds = time.perf_counter() - started
    writer.close(summary.table())
    return summary


def _chunks(src: Path, sheet, columns, jobs: int, reading: CsvReading | None):
    """The chunks of the input (``(chunk, bytes)`` pairs), its field mapping and the jobs to run
    them on; ``reading``: the reading of a CSV file, already started."""
    if reading is not None:
        mapping = _mapping(reading.layout.header, columns, src)
        if reading.streams:
            return reading.chunks, mapping, reading.jobs
        return _frame_chunks(*_read_whole(src, sheet, columns), rows=PARQUET_BATCH_ROWS), mapping, reading.jobs
    if src.suffix.lower() == ".parquet":
        return _parquet_chunks(src, PARQUET_BATCH_ROWS), _mapping(pq.read_schema(src).names, columns, src), jobs
    table, notes = _read_whole(src, sheet, columns)
    return _frame_chunks(table, notes, rows=PARQUET_BATCH_ROWS), _mapping(table.column_names, columns, src), jobs


def _write_all(results, writer: Writer, summary: BatchSummary, progress) -> None:
    """Write the results as they come, counting them into ``summary``."""
    done_bytes = 0
    for result, nbytes in results:
        if result.csv is not None:
            writer.write_text(result.csv)
            result.recycle(result.csv)
        else:
            writer.write_table(result.table)
        _count(summary, result)
        done_bytes += nbytes
        if progress:
            progress(done_bytes, summary.rows)


def _results(chunks, jobs: int, init_args, pool: ThreadPoolExecutor | None = None) -> Iterator[tuple[_Result, int]]:
    """Results in input order; with several jobs, at most ``jobs + 1`` chunks in flight.

    Compiling the rules (``_init_worker``) is Python work that holds the GIL; meanwhile the threads
    of a :class:`CsvReading` parse its first chunks (Arrow's parser runs without the GIL), and its
    ``pool`` classifies them. A broken rules file still fails before anything is written.
    """
    if jobs == 1:
        _init_worker(*init_args)
        for index, (chunk, nbytes) in enumerate(chunks):
            yield _run_chunk(index, chunk), nbytes
        return
    # threads, not processes: the heavy parts (the compiled scan, NumPy, Arrow kernels, the CSV
    # parser) release the GIL, and one process holds the rules and libraries once (about half the
    # memory of a process per core, for the same speed)
    own = pool is None
    if own:
        pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        _init_worker(*init_args)
        # a CsvReading's first chunks parse on threads of their own, the others in their own task,
        # so a task waiting for its chunk's parsing never deadlocks
        pending: deque = deque()
        for index, (chunk, nbytes) in enumerate(chunks):
            pending.append((pool.submit(_run_chunk, index, chunk), nbytes))
            if len(pending) > jobs:
                fut, size = pending.popleft()
                yield fut.result(), size
        while pending:
            fut, size = pending.popleft()
            yield fut.result(), size
    finally:
        if own:
            pool.shutdown(wait=True)


def _count(summary: BatchSummary, result: _Result) -> None:
    summary.malformed_rows.extend((result.malformed + summary.rows + 1).tolist())
    summary.duplicates += result.duplicates
    summary.rows += result.rows
    for value, count in result.counts.items():
        summary.counts[value] = summary.counts.get(value, 0) + count
    summary.problem_rows += result.problems


def _mapping(header, columns, path: Path) -> dict[str, str]:
    mapping = resolve(header, overrides=columns)
    require_signal(mapping, header, label=repr(str(path)))
    return mapping


def _read_whole(path: Path, sheet, columns) -> tuple[pa.Table, dict[int, str]]:
    """The file as a table of text, and the notes of the rows reading repaired."""
    df = read_table(path, sheet=sheet, columns=columns)
    return _as_text_table(df), df.attrs[ATTRS_KEY].get("notes", {})
