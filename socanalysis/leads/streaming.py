"""Reading a delimited text file in chunks, on worker threads, with NumPy and Arrow only.

A file is cut into byte ranges that end on a row boundary (a newline outside quotes, found by
counting quote marks), and each range is parsed on its own by Arrow's CSV reader. A
:class:`CsvReading` starts parsing the first ranges as soon as it is made, so that they are
ready when the classifier has loaded: the command line makes one before it imports pandas and
the compiled classifier (:mod:`socanalysis.leads.batch` classifies the chunks).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "leads.csv"
>>> _ = path.write_text('Company,Description\\nAcme,"Payroll,\\nHR"\\nNimbus,Cloud hosting\\n')
>>> reading = CsvReading(path, jobs=2, chunk_bytes=16)
>>> tables = [parsed(chunk)[0] for chunk, _ in reading.chunks]
>>> reading.close()
>>> [table.column("Company").to_pylist() for table in tables]
[['Acme'], ['Nimbus']]
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..load import NUL_MARK, NUL_NOTE, REPAIR_MARK, REPAIRED_NOTE, csv_layout_of, remove_nul, repair_utf8

CHUNK_BYTES = 8 << 20
# chunks parsed ahead, before the first is classified: about what the worker threads parse while
# the classifier loads and the rules compile (a second); a CSV file of a million rows is 31 of them
EARLY_CHUNKS = 32
STREAMED_TEXT = (".csv", ".tsv", ".txt")
STREAM_ENCODINGS = ("utf-8", "cp1252", "latin-1")
# the formats socanalysis.leads.batch writes: here, so that the command line can check an output's name
# before the classifier loads
OUTPUT_FORMATS = (".csv", ".parquet", ".xlsx")


class CsvReading:
    """A CSV file being read: its layout, the worker threads, and its chunks in input order.

    ``chunks`` yields ``(chunk, bytes)`` pairs: the first ``EARLY_CHUNKS`` as futures of their
    parsed tables (already parsing), the others as :class:`CsvChunk` ranges still to parse.
    ``streams`` is False for a file in an encoding that cannot be cut into byte ranges (UTF-16 or
    UTF-32); it then has no chunks and is read whole. With ``jobs=1`` nothing runs ahead.

    ``pool`` holds the ``jobs`` worker threads that classify the chunks. The first chunks parse on
    threads of their own, one fewer than ``jobs``: meanwhile the main thread loads pandas and the
    compiled classifier, and with a core to itself that start is about a sixth shorter than when
    it shares the cores with as many parsing threads as there are. Call :meth:`close` when done:
    it cancels the parsing not started yet.
    """

    def __init__(self, path, *, columns=None, jobs: int | None = None, chunk_bytes: int = CHUNK_BYTES):
        self.path = Path(path)
        self.layout = csv_layout_of(self.path, columns)
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.streams = self.layout.encoding in STREAM_ENCODINGS
        self.pool = ThreadPoolExecutor(max_workers=self.jobs) if self.jobs > 1 and self.streams else None
        self._ahead = ThreadPoolExecutor(max_workers=self.jobs - 1) if self.pool is not None else None
        chunks = csv_chunks(self.path, self.layout, chunk_bytes) if self.streams else iter(())
        early = []
        if self._ahead is not None:
            early = [(self._ahead.submit(_parse_early, c), n) for c, n in itertools.islice(chunks, EARLY_CHUNKS)]
        self.chunks = itertools.chain(early, chunks)

    def close(self, *, cancel: bool = True) -> None:
        """Free the threads; ``cancel``: drop the parsing not started (after a failure)."""
        for pool in (self._ahead, self.pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=cancel)
        self._ahead = self.pool = None


def load_compiler() -> None:
    """Have numba load its compiler's tables now, as the classifier's first compiled call would:
    about a fifth of a second holding the GIL, which the command line spends while the first
    chunks parse. Loads NumPy and numba only."""
    from .._kernels import load_compiler as load

    load()


@dataclass(frozen=True)
class CsvChunk:
    """A byte range of whole rows of a CSV file, and how to read it."""

    path: str
    start: int
    end: int
    encoding: str
    delimiter: str
    header: tuple[str, ...]


def parsed(chunk: CsvChunk | Future) -> tuple[pa.Table, dict[int, str]]:
    """A chunk of :attr:`CsvReading.chunks` parsed: the result of its future, or parsed now.

    A chunk parsed ahead, before the classifier loaded, is looked at for a stray quote mark now
    (:func:`_parse_early`), with the compiled pass the classifier has loaded meanwhile."""
    if not isinstance(chunk, Future):
        return parse_csv_chunk(chunk)
    table, notes, of = chunk.result()
    data = _read(of)  # again (from the page cache): holding every early chunk's bytes would cost memory
    if _stray_quotes(data, of.delimiter):
        return _parse_rows(data, of)  # parsed again, the stray quote mark's row cut out
    return table, notes


def _parse_early(chunk: CsvChunk) -> tuple[pa.Table, dict[int, str], CsvChunk]:
    """Parse a chunk ahead, leaving the search for a stray quote mark to :func:`parsed`: the table,
    its notes and the chunk."""
    table, notes, _ = _parse_once(_read(chunk), chunk, check=False)
    return table, notes, chunk


def _read(chunk: CsvChunk) -> bytes:
    with open(chunk.path, "rb") as f:
        f.seek(chunk.start)
        return f.read(chunk.end - chunk.start)


def csv_chunks(path: Path, layout, chunk_bytes: int) -> Iterator[tuple[CsvChunk, int]]:
    """Byte ranges of whole rows: each ends just after a newline that is outside quotes.

    One compiled pass over the bytes: the parity of the quote marks before a newline says whether
    it ends a row. Rows end with ``\\n`` (or ``\\r\\n``), or with ``\\r`` alone in a file that has no
    ``\\n`` at all (old Mac exports).

    A quote mark that is never closed would make the rest of the file one value: when the file
    ends inside quotes, the row that opened them goes into a range of its own
    (:func:`parse_csv_chunk` reports it as malformed), and the rows after it are cut as usual.
    """
    size = path.stat().st_size
    header = tuple(layout.header)

    def chunk(start: int, end: int) -> tuple[CsvChunk, int]:
        return CsvChunk(str(path), start, end, layout.encoding, layout.delimiter, header), end - start

    buffer = memoryview(bytearray(8 << 20))  # read into the same memory block after block
    with open(path, "rb") as f:
        newline = newline_of(f, layout.offset)
        start = chunk_start = _after_header(f, layout.offset, size, newline)
        while start < size:
            f.seek(start)
            chunk_start, inside, pos = start, False, start
            target = start + chunk_bytes
            while pos < size:
                data = np.frombuffer(buffer, dtype=np.uint8, count=f.readinto(buffer[: size - pos]))
                if not len(data):
                    break
                ends, inside, target = _row_ends(data, pos, inside, target, chunk_bytes, newline)
                for end in ends:
                    yield chunk(chunk_start, end)
                    chunk_start = end
                pos += len(data)
            if not inside:
                break
            # the file ends inside quotes: its last quote mark opened them; the row holding it
            # ends a range (and is reported), the rows after it hold no quote and are cut again
            start = _line_end(f, _last_quote(f, chunk_start, size), size, newline)
            yield chunk(chunk_start, start)
            chunk_start = start
    if chunk_start < size:
        yield chunk(chunk_start, size)


def newline_of(f, offset: int) -> int:
    """The byte that ends rows: ``\\n``, or ``\\r`` in a file whose first rows hold no ``\\n`` but a ``\\r``."""
    f.seek(offset)
    head = f.read(1 << 16)
    return _RETURN if b"\n" not in head and b"\r" in head else _NEWLINE


def _last_quote(f, start: int, end: int) -> int:
    """The offset of the last quote mark in ``[start, end)`` of the file (there is one)."""
    pos = end
    while pos > start:
        begin = max(start, pos - (1 << 20))
        f.seek(begin)
        found = f.read(pos - begin).rfind(b'"')
        if found >= 0:
            return begin + found
        pos = begin
    return start


def _line_end(f, pos: int, size: int, newline: int) -> int:
    """Just past the first ``newline`` byte at or after ``pos``; the file's end when there is none."""
    f.seek(pos)
    while pos < size:
        block = f.read(1 << 20)
        found = block.find(bytes([newline]))
        if found >= 0:
            return pos + found + 1
        pos += len(block)
    return size


def _after_header(f, offset: int, size: int, newline: int = 10) -> int:
    """Byte offset just after the header row (a newline outside quotes)."""
    f.seek(offset)
    pos, inside = offset, False
    while pos < size:
        data = np.frombuffer(f.read(1 << 20), dtype=np.uint8)
        if not len(data):
            break
        cuts, inside, _ = _row_ends(data, pos, inside, pos, size + 1, newline)  # the first row end, if any
        if cuts:
            return cuts[0]
        pos += len(data)
    return size


def _row_ends(
    data: np.ndarray, pos: int, inside: bool, target: int, step: int, newline: int = 10
) -> tuple[list[int], bool, int]:
    """Where to cut a block of CSV bytes that starts at file offset ``pos``.

    A cut goes just after the first newline outside quotes at or past ``target``; the next target
    is ``step`` bytes further. ``inside``: the block starts inside a quoted value. Returns the
    cuts (file offsets), whether the block ends inside quotes, and the next target. Between cuts
    only the parity of the quote marks matters, so those bytes are counted (by NumPy, without
    the GIL), not walked through.
    """
    cuts = []
    i, n = 0, len(data)
    while True:
        j = min(max(i, target - 1 - pos), n)  # a cut can only follow a newline at j or later
        if _quotes(data, i, j) & 1:
            inside = not inside
        if j >= n:
            return cuts, inside, target
        i, inside = _next_row_end(data, j, inside, newline)
        if i < 0:
            return cuts, inside, target
        cuts.append(pos + i)
        target = pos + i + step


_QUOTE, _NEWLINE, _RETURN = ord('"'), ord("\n"), ord("\r")
_PIECE = 1 << 18


def _quotes(data: np.ndarray, start: int, end: int) -> int:
    """How many quote marks ``data[start:end]`` holds, counted piece by piece: a comparison of
    the whole block would write (and the count read back) a mask as large as the block, which
    does not stay in the processor's cache."""
    return sum(int(np.count_nonzero(data[k : min(k + _PIECE, end)] == _QUOTE)) for k in range(start, end, _PIECE))


def _next_row_end(data: np.ndarray, start: int, inside: bool, newline: int = _NEWLINE) -> tuple[int, bool]:
    """Just past the first newline outside quotes from ``start`` (-1 when none), and the quote state.

    Looks through growing windows: a row is a few hundred bytes, a quoted value may be long.
    """
    window = 4096
    while start < len(data):
        part = data[start : start + window]
        special = np.flatnonzero((part == _QUOTE) | (part == newline))
        quote = part[special] == _QUOTE
        inside_before = (np.cumsum(quote) - quote + inside) & 1  # the quote state at each of them
        ends = np.flatnonzero(~quote & (inside_before == 0))
        if len(ends):
            return start + int(special[ends[0]]) + 1, False
        inside = bool((int(quote.sum()) + inside) & 1)
        start += len(part)
        window *= 4
    return -1, inside


MALFORMED = "malformed row"
_BLANK = re.compile(rb"\s*")
_REPLACEMENT = "\ufffd"


def parse_csv_chunk(chunk: CsvChunk) -> tuple[pa.Table, dict[int, str]]:
    """Read one byte range of whole rows.

    Returns the table, with an empty row in place of every malformed record, and notes per
    0-based row: why a row could not be read, or that undecodable bytes were replaced. The row
    of a stray quote mark that took in the rows after it is malformed, and those rows are read.
    """
    return _parse_rows(_read(chunk), chunk)


def _parse_rows(data: bytes, chunk: CsvChunk) -> tuple[pa.Table, dict[int, str]]:
    """Parse whole rows; a row whose stray quote mark swallowed the rows after it is cut out of the
    bytes and reported as malformed, and the bytes before and after it are parsed again."""
    table, notes, stray = _parse_once(data, chunk)
    if stray is None:
        return table, notes
    data, start, end = stray
    head, head_notes = _parse_rows(data[:start], chunk)
    tail, tail_notes = _parse_rows(data[end:], chunk)
    text = data[start:end].decode(chunk.encoding, errors="replace").strip()
    notes = dict(head_notes)
    notes[head.num_rows] = (
        f"{MALFORMED}: a quote mark in it is not closed where the value ends, and took in the rows after it "
        f"({text[:60]!r})"
    )
    notes.update({head.num_rows + 1 + i: note for i, note in tail_notes.items()})
    empty = pa.table({h: pa.nulls(1, pa.string()) for h in chunk.header})
    return pa.concat_tables([head, empty, tail]), notes


# a value spanning this many lines that look like rows of the file took in rows by a stray quote mark
_ROWLIKE_LINES = 2


def _stray_quote(data: bytes, table: pa.Table, bad: list, chunk: CsvChunk) -> tuple[int, int] | None:
    """The byte range of the first row whose quote mark took in the rows after it (the physical
    line that holds the opening quote mark), or None.

    A value took in rows when it runs to the end of the bytes without a closing quote mark, or
    when at least ``_ROWLIKE_LINES`` of its lines hold as many delimiters as a row of the file.
    Checked only where :func:`_stray_quotes` finds a quote mark out of place.
    """
    if not _stray_quotes(data, chunk.delimiter):
        return None
    newline = b"\n" if b"\n" in data else b"\r"
    width = max(1, len(chunk.header) - 1)
    closed_at_end = data[-8:].rstrip(b"\r\n").endswith(b'"')
    last = table.num_rows - 1

    def took_rows(value: str, at_end: bool) -> bool:
        lines = value.splitlines()
        if at_end and not closed_at_end and value.endswith(("\n", "\r")):
            return True
        return sum(line.count(chunk.delimiter) >= width for line in lines[1:]) >= _ROWLIKE_LINES

    found = []
    import pyarrow.compute as pc  # here only: loading it delays the first chunks

    for col in table.columns:
        rows = np.flatnonzero(
            pc.fill_null(pc.match_substring(col, newline.decode()), False).to_numpy(zero_copy_only=False)
        )
        for i in rows.tolist():
            value = col[i].as_py()
            if took_rows(value, i == last):
                found.append((i, value))
    for _, text, _ in bad:  # a row read with too few or too many values
        if text and newline.decode() in text:
            raw = text.encode(chunk.encoding, errors="replace")
            at_end = data.rstrip(b"\r\n").endswith(raw.rstrip(b"\r\n"))
            if took_rows(text + newline.decode(), at_end):
                found.append((table.num_rows, text, raw))
    for _, value, *raw in sorted(found, key=lambda f: f[0]):
        raw = raw[0] if raw else value.replace('"', '""').encode(chunk.encoding, errors="replace")
        at = data.find(raw)
        if at < 0:  # a value whose quote marks do not read back as written: find its first line
            first = value.splitlines()[0].replace('"', '""').encode(chunk.encoding, errors="replace")
            at = data.find(b'"' + first + newline)
        if at < 0:
            continue
        start = data.rfind(newline, 0, at) + 1
        end = data.find(newline, at)
        return start, len(data) if end < 0 else end + 1
    return None


def _stray_quotes(data: bytes, delimiter: str) -> bool:
    """Whether whole rows of CSV bytes may hold a quote mark that opens a value it never closes: an
    odd number of quote marks, or one inside a value (neither after nor before a delimiter, a line
    end or another quote mark), which pairs up with the next one in the count but not for the
    reader. One vectorised pass; false for well-formed rows, which are then not looked at again."""
    text = np.frombuffer(data, dtype=np.uint8)
    if "socanalysis._kernels.csvout" in sys.modules:  # the compiled pass, once the classifier has loaded it
        from .._kernels import stray_quote

        return bool(stray_quote(text, ord(delimiter)))
    # piece by piece, so that the comparison's mask stays in the processor's cache
    found = [np.flatnonzero(text[k : k + _PIECE] == _QUOTE) + k for k in range(0, len(text), _PIECE)]
    quotes = np.concatenate(found) if found else np.empty(0, dtype=np.intp)
    if len(quotes) & 1:
        return True
    if not len(quotes):
        return False
    edge = np.zeros(256, dtype=bool)
    edge[[ord(delimiter), _NEWLINE, _RETURN, _QUOTE]] = True
    before = text[np.maximum(quotes - 1, 0)]
    after = text[np.minimum(quotes + 1, len(text) - 1)]
    inside = ~edge[before] & ~edge[after]
    inside[0] &= quotes[0] > 0  # the first byte of the rows starts a value
    return bool(inside.any())


def _parse_once(data: bytes, chunk: CsvChunk, check: bool = True) -> tuple[pa.Table, dict[int, str], tuple | None]:
    """Parse whole rows with Arrow's reader: the table, the notes per row, and, for a row whose
    stray quote mark took in the rows after it (:func:`_stray_quote`), the bytes read (undecodable
    ones replaced) and the row's range in them."""
    names = [f"f{i}" for i in range(len(chunk.header))]
    bad: list[tuple[int, str, int]] = []

    def on_bad(row) -> str:
        bad.append((row.number, row.text, row.actual_columns))
        return "skip"

    def parse(raw: bytes, encoding: str, checked: bool = False) -> pa.Table:
        bad.clear()
        return pacsv.read_csv(
            pa.BufferReader(raw),  # read in place: no copy, and no GIL taken to read
            # one block: every column comes out as one array, so nothing has to be joined later
            read_options=pacsv.ReadOptions(
                column_names=names, encoding=encoding, use_threads=False, block_size=len(raw) + 1
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=chunk.delimiter, newlines_in_values=True, invalid_row_handler=on_bad
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                check_utf8=not checked,
            ),
        )

    notes: dict[int, str] = {}
    replaced = repaired = nul = False
    if _BLANK.fullmatch(data):  # (bytes.strip() would copy the whole chunk, holding the GIL)
        return pa.table({h: pa.array([], pa.string()) for h in chunk.header}), notes, None
    if chunk.encoding == "utf-8":
        # checked once over the whole range, which is faster than value by value
        if not _is_utf8(data):
            data = repair_utf8(data)
            repaired = True
        nul = b"\x00" in data  # (a search at memory speed)
        if nul:
            data = remove_nul(data)
        table = parse(data, "utf-8", checked=True)
    else:
        try:
            table = parse(data, chunk.encoding)
        except pa.ArrowInvalid as exc:
            if "utf8" not in str(exc).lower():
                raise
            data = data.decode(chunk.encoding, errors="replace").encode("utf-8")
            table = parse(data, "utf-8")
            replaced = True
    table = table.rename_columns(list(chunk.header))
    stray = _stray_quote(data, table, bad, chunk) if check and (chunk.encoding == "utf-8" or not replaced) else None
    if stray is not None:
        return table, notes, (data, *stray)
    if bad:
        # row.number counts records from 1, the malformed ones included: put an empty row there
        # (at the end when the reader could not count them: a record over several lines)
        known = table.num_rows + len(bad)
        at = {
            (number - 1 if number is not None else known - len(bad) + k): (text, count)
            for k, (number, text, count) in enumerate(bad)
        }
        total = table.num_rows + len(at)
        is_bad = np.zeros(total, dtype=bool)
        is_bad[list(at)] = True
        take = np.cumsum(~is_bad) - 1
        table = table.take(pa.array(take, pa.int64(), mask=is_bad))
        width = len(chunk.header)
        for i, (text, count) in at.items():
            notes[i] = f"{MALFORMED}: {count} values where the header has {width} ({text[:60]!r})"
    for done, mark, note in ((repaired, REPAIR_MARK, REPAIRED_NOTE), (nul, NUL_MARK, NUL_NOTE)):
        if done:
            table, rows = _unmark(table, mark)
            for i in rows:
                notes[i] = f"{notes[i]}; {note}" if i in notes else note
    if replaced:
        import pyarrow.compute as pc  # here only: loading it delays the first chunks

        hit = np.zeros(table.num_rows, dtype=bool)
        for col in table.columns:
            hit |= pc.fill_null(pc.match_substring(col, _REPLACEMENT), False).to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(hit):
            notes.setdefault(int(i), f"bytes that are not {chunk.encoding} text were replaced by '{_REPLACEMENT}'")
    return table, notes, None


def _unmark(table: pa.Table, mark: str) -> tuple[pa.Table, list[int]]:
    """The table without the ``mark`` that :func:`socanalysis.load.repair_utf8` or
    :func:`socanalysis.load.remove_nul` left, and the rows that held one."""
    import pyarrow.compute as pc

    hit = np.zeros(table.num_rows, dtype=bool)
    columns = []
    for col in table.columns:
        marked = pc.fill_null(pc.match_substring(col, mark), False).to_numpy(zero_copy_only=False)
        if marked.any():
            hit |= marked
            col = pc.replace_substring(col, mark, "")
        columns.append(col)
    return pa.table(columns, names=table.column_names), np.flatnonzero(hit).tolist()


def _is_utf8(data: bytes) -> bool:
    """Whether a range of rows is UTF-8 text, checked in one pass (Arrow's, without copying).

    Its values are then UTF-8 too: they are cut at delimiters, quotes and newlines, ASCII bytes
    that never stand inside a multi-byte character, so Arrow's reader need not check them one
    by one (about a tenth of its time on a typical lead list).
    """
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True
