"""CSV text of a table, byte for byte what :func:`pyarrow.csv.write_csv` writes, in one compiled pass.

Arrow's writer needs every cell of every column as a value. Many output columns hold few distinct
values (a report name, a score to three decimals, a rationale sentence), so here such a column is a
small table of cells already formatted as CSV fields plus one integer code per row, and the text of
a row is copied from that table without ever building the column. The column kinds:

- :class:`TextColumn`: an Arrow ``string`` or ``large_string`` array (sliced, chunked and with
  nulls allowed), written as Arrow writes strings: a null is an empty field, any other value is
  quoted, with its quotes doubled. With ``neutralise=True`` a value starting with a formula trigger
  (:data:`socanalysis.vocabulary.FORMULA_TRIGGERS`) gets an apostrophe in front, as
  :func:`socanalysis.present.cells.neutralise_arrow` would give it;
- :class:`CodedColumn`: a :class:`CellTable` and an integer code per row;
- :class:`IntColumn`: 64-bit integers, in decimal, with an optional validity mask.

Fields are separated by ``,`` and every row ends with ``\\n``, Arrow's defaults; :func:`header_line`
is Arrow's header. :func:`format_csv` works out the exact size first, column by column (quote
marks are counted over a text column's whole buffer, lengths come from the offsets and the cell
tables), then writes the rows in order into one NumPy array, copying each field in one piece
unless it holds a quote mark (a short field as a fixed block of 32 bytes, see :func:`_write`).
The array can go to a file as it is (``os.write(fd, out)``).

The compiled passes read the columns through their memory addresses, kept in one integer array
with a row per column, so that a table of any width and mix of kinds runs through the same
compiled code. The Python objects owning that memory stay referenced until the passes return.
They are compiled with numba, cached next to this file, and free of the GIL while they run.

>>> import pyarrow as pa
>>> rows = format_csv(
...     [
...         TextColumn(pa.array(["Acme", '=1+"2" ok', None]), neutralise=True),
...         CodedColumn(CellTable.from_strings(["SOC 1", "SOC 2"]), np.array([1, 0, 1])),
...         CodedColumn(CellTable.from_arrow(pa.array([0.5, 0.25])), np.array([0, 1, 1])),
...         IntColumn(np.array([7, 0, -3]), valid=np.array([True, False, True])),
...     ],
...     header=["name", "report", "score", "rank"],
... )
>>> print(rows.tobytes().decode(), end="")
"name","report","score","rank"
"Acme","SOC 2",0.5,7
"'=1+""2"" ok","SOC 1",0.25,
,"SOC 2",0.25,-3
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numba
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from ..errors import ExportError
from ..vocabulary import FORMULA_TRIGGERS

__all__ = ["CellTable", "CodedColumn", "IntColumn", "TextColumn", "format_csv", "header_line"]

# one row of the column descriptor array per column; addresses are 0 where there is nothing
KIND = 0  # TEXT, CODED or INT
WIDTH = 1  # bytes per text offset (4, 8) or per code (1, 2, 4, 8)
DATA = 2  # text bytes, codes or integers
OFFSETS = 3  # the text offset of the first row (array.offset already applied)
VALIDITY = 4  # NO_NULLS, BITMAP or BYTES
VALID = 5  # the validity bitmap (Arrow) or one byte per row (NumPy bool)
VALID_BIT = 6  # the bit of the first row in the bitmap
NEUTRALISE = 7  # 1: an apostrophe before a value starting with a formula trigger
CELL_DATA = 8  # a cell table: its bytes, its int64 offsets and how many cells it has
CELL_OFFSETS = 9
CELL_COUNT = 10
DATA_END = 11  # where the text buffer ends
FIELDS = 12

WIDE = 32  # a field this short is copied as a block of this many bytes

TEXT, CODED, INT = 0, 1, 2
NO_NULLS, BITMAP, BYTES = 0, 1, 2
PRESENT, APOSTROPHE, QUOTES = 1, 2, 4  # flags of a text cell: written, after an apostrophe, quotes doubled

_TRIGGERS = np.zeros(256, dtype=np.uint8)
for _c in "".join(FORMULA_TRIGGERS).encode("ascii"):
    _TRIGGERS[_c] = 1


def _quoted(text: str) -> bytes:
    return b'"' + text.encode("utf-8").replace(b'"', b'""') + b'"'


@lru_cache(maxsize=1 << 16)
def _text_field(value: str, neutralise: bool) -> bytes:
    """A text value as Arrow writes it (:meth:`CellTable.from_strings`), kept: the same sentences
    (rationales) come back chunk after chunk of a lead list."""
    return _quoted("'" + value if neutralise and value[:1] in FORMULA_TRIGGERS and value else value)


def header_line(names: Sequence[str]) -> bytes:
    """The header Arrow's CSV writer puts before the rows: every name quoted, quotes doubled.

    Parameters
    ----------
    names : sequence of str
        The column names.

    Returns
    -------
    bytes
        ``"a","b"`` and a newline; empty when there are no names (Arrow writes nothing then).

    Examples
    --------
    >>> header_line(["name", 'say "hi", then go'])
    b'"name","say ""hi"", then go"\\n'
    """
    if not names:
        return b""
    return b",".join(_quoted(str(name)) for name in names) + b"\n"


class CellTable:
    """Cells already formatted as CSV fields, for a :class:`CodedColumn` to copy by code.

    Parameters
    ----------
    fields : sequence of bytes
        The exact bytes of each cell, e.g. ``b'"SOC 2"'``, ``b'0.85'`` or ``b''`` (a null). They
        are written as they are: build them with :meth:`from_strings` or :meth:`from_arrow` to get
        what Arrow would write.

    Examples
    --------
    >>> cells = CellTable.from_strings(["Both", None, 'say "hi" now', "-1"], neutralise=True)
    >>> [cells[i] for i in range(len(cells))]
    [b'"Both"', b'', b'"say ""hi"" now"', b'"\\'-1"']
    """

    def __init__(self, fields: Sequence[bytes]):
        fields = list(fields)
        if not set(map(type, fields)) <= {bytes}:  # the usual case, checked without Python per cell
            bad = [i for i, f in enumerate(fields) if not isinstance(f, bytes | bytearray | memoryview)]
            if bad:
                raise ExportError(f"a cell table takes bytes; cell {bad[0]} is a {type(fields[bad[0]]).__name__}")
        offsets = np.zeros(len(fields) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, fields), np.int64, len(fields)), out=offsets[1:])
        self.offsets = offsets
        # WIDE spare bytes at the end: room to copy WIDE bytes from any cell
        self.data = np.frombuffer(b"".join([*fields, bytes(WIDE)]), dtype=np.uint8)

    @classmethod
    def from_strings(cls, values: Sequence[str | None], neutralise: bool = False) -> CellTable:
        """Cells for text values, as Arrow writes a string column.

        Parameters
        ----------
        values : sequence of str or None
            None becomes an empty field; any string is quoted, with its quotes doubled (the empty
            string too: ``""``).
        neutralise : bool, default False
            Put an apostrophe before a value starting with a formula trigger, as
            :func:`socanalysis.present.cells.neutralise_arrow` does.

        Returns
        -------
        CellTable
        """
        return cls([b"" if value is None else _text_field(value, neutralise) for value in values])

    @classmethod
    def from_arrow(cls, values: pa.Array | pa.ChunkedArray | Sequence) -> CellTable:
        """Cells for any values, formatted by Arrow's own CSV writer (numbers print as Arrow prints them).

        The values are written as a one-column table without a header and the text is cut at the
        line ends, so no value may contain a line break once written (numbers, booleans, dates and
        single-line text are fine).

        Parameters
        ----------
        values : pyarrow.Array, pyarrow.ChunkedArray or a sequence for :func:`pyarrow.array`

        Returns
        -------
        CellTable

        Raises
        ------
        ExportError
            A value is written over more than one line.

        Examples
        --------
        >>> cells = CellTable.from_arrow(pa.array([0.0, 0.5, 1 / 3, None, 1.0]))
        >>> [cells[i] for i in range(len(cells))]
        [b'0', b'0.5', b'0.3333333333333333', b'', b'1']
        """
        if not isinstance(values, pa.Array | pa.ChunkedArray):
            values = pa.array(values)
        sink = pa.BufferOutputStream()
        pacsv.write_csv(pa.table({"v": values}), sink, pacsv.WriteOptions(include_header=False))
        text = sink.getvalue().to_pybytes()
        lines = text.split(b"\n")[:-1]
        if len(lines) != len(values):
            raise ExportError(
                f"CellTable.from_arrow takes values written on one line each; {len(values)} values "
                f"came out as {len(lines)} lines"
            )
        return cls(lines)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, code: int) -> bytes:
        return self.data[self.offsets[code] : self.offsets[code + 1]].tobytes()

    def __repr__(self) -> str:
        return f"CellTable({len(self)} cells)"


@dataclass(frozen=True, eq=False)
class TextColumn:
    """A text column, written as Arrow writes strings.

    Parameters
    ----------
    values : pyarrow.Array or pyarrow.ChunkedArray
        Of type ``string`` or ``large_string``; sliced arrays, several chunks and nulls are fine.
    neutralise : bool, default False
        Put an apostrophe (inside the quotes) before a value whose first character is one of
        :data:`socanalysis.vocabulary.FORMULA_TRIGGERS`, as :func:`socanalysis.present.cells.neutralise_arrow`
        does.
    """

    values: pa.Array | pa.ChunkedArray
    neutralise: bool = False

    def __post_init__(self):
        if not isinstance(self.values, pa.Array | pa.ChunkedArray):
            raise ExportError(f"a text column takes a pyarrow array, not {type(self.values).__name__}")
        if self.values.type not in (pa.string(), pa.large_string()):
            raise ExportError(f"a text column takes string or large_string values, not {self.values.type}")

    def __len__(self) -> int:
        return len(self.values)

    def _chunks(self) -> list[tuple[int, pa.Array]]:
        """(first row, array) of every non-empty chunk."""
        if isinstance(self.values, pa.Array):
            return [(0, self.values)]
        out, row = [], 0
        for chunk in self.values.chunks:
            if len(chunk):
                out.append((row, chunk))
                row += len(chunk)
        return out

    def _describe(self, row: np.ndarray, start: int, stop: int, keep: list) -> None:
        chunks = self._chunks()
        at = bisect.bisect_right([first for first, _ in chunks], start) - 1
        first, chunk = chunks[at]
        assert first <= start and stop <= first + len(chunk)
        arr = chunk.slice(start - first, stop - start)
        keep.append(arr)
        _, offsets, data = arr.buffers()
        width = 8 if arr.type == pa.large_string() else 4
        row[KIND] = TEXT
        row[WIDTH] = width
        row[DATA] = data.address if data is not None else 0
        row[DATA_END] = data.address + data.size if data is not None else 0
        row[OFFSETS] = offsets.address + arr.offset * width
        row[NEUTRALISE] = int(self.neutralise)
        if arr.null_count:
            row[VALIDITY] = BITMAP
            row[VALID] = arr.buffers()[0].address
            row[VALID_BIT] = arr.offset


def _integers(values, what: str) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim != 1 or not (np.issubdtype(values.dtype, np.integer) and values.dtype != np.bool_):
        raise ExportError(f"{what} must be a one-dimensional integer array, not {values.dtype} of shape {values.shape}")
    return values


@dataclass(frozen=True, eq=False)
class CodedColumn:
    """A column whose cells are copied from a :class:`CellTable` by code.

    Parameters
    ----------
    cells : CellTable
        The formatted cells.
    codes : numpy.ndarray
        One integer per row (int8 to int64; unsigned codes are taken as int64), each in
        ``range(len(cells))``.
    """

    cells: CellTable
    codes: np.ndarray

    def __post_init__(self):
        if not isinstance(self.cells, CellTable):
            raise ExportError(f"a coded column takes a CellTable, not {type(self.cells).__name__}")
        codes = _integers(self.codes, "the codes of a coded column")
        if np.issubdtype(codes.dtype, np.unsignedinteger):
            codes = codes.astype(np.int64)
        object.__setattr__(self, "codes", np.ascontiguousarray(codes))

    def __len__(self) -> int:
        return len(self.codes)

    def _describe(self, row: np.ndarray, start: int, stop: int, keep: list) -> None:
        codes = self.codes[start:stop]
        row[KIND] = CODED
        row[WIDTH] = codes.itemsize
        row[DATA] = codes.ctypes.data
        row[CELL_DATA] = self.cells.data.ctypes.data
        row[CELL_OFFSETS] = self.cells.offsets.ctypes.data
        row[CELL_COUNT] = len(self.cells)


@dataclass(frozen=True, eq=False)
class IntColumn:
    """Integers, written in decimal as Arrow writes an int64 column.

    Parameters
    ----------
    values : numpy.ndarray
        One integer per row (converted to int64).
    valid : numpy.ndarray of bool, optional
        False where the value is missing (an empty field); all present when not given.
    """

    values: np.ndarray
    valid: np.ndarray | None = None

    def __post_init__(self):
        values = np.ascontiguousarray(_integers(self.values, "the values of an integer column"), dtype=np.int64)
        object.__setattr__(self, "values", values)
        if self.valid is not None:
            valid = np.ascontiguousarray(self.valid)
            if valid.dtype != np.bool_ or valid.shape != values.shape:
                raise ExportError(
                    f"the validity of an integer column must be a bool array of {len(values)} values, "
                    f"not {valid.dtype} of shape {valid.shape}"
                )
            object.__setattr__(self, "valid", valid)

    def __len__(self) -> int:
        return len(self.values)

    def _describe(self, row: np.ndarray, start: int, stop: int, keep: list) -> None:
        row[KIND] = INT
        row[DATA] = self.values[start:stop].ctypes.data
        if self.valid is not None:
            row[VALIDITY] = BYTES
            row[VALID] = self.valid[start:stop].ctypes.data


Column = TextColumn | CodedColumn | IntColumn


def format_csv(
    columns: Sequence[Column],
    header: Sequence[str] | None = None,
    *,
    allocate: Callable[[int], np.ndarray] | None = None,
) -> np.ndarray:
    """The rows of ``columns`` as CSV text, exactly as :func:`pyarrow.csv.write_csv` writes them.

    Parameters
    ----------
    columns : sequence of TextColumn, CodedColumn or IntColumn
        The columns in output order, all of the same length.
    header : sequence of str, optional
        Column names: when given, :func:`header_line` comes first.
    allocate : callable(size) -> numpy.ndarray of uint8, optional
        Where to write: a buffer of at least ``size`` bytes (a caller writing chunk after chunk
        can hand back the same few buffers). By default a new buffer from Arrow's memory pool.

    Returns
    -------
    numpy.ndarray of uint8
        The text, exactly as long as it is (a view of the buffer written to); empty
        when there are no columns, as Arrow writes nothing then. Write it to a binary file as it
        is: ``f.write(out)`` or ``os.write(fd, out)``.

    Raises
    ------
    ExportError
        Columns of different lengths, a header of another width, or a code outside its cell table.
    """
    columns = list(columns)
    bad = [type(c).__name__ for c in columns if not isinstance(c, TextColumn | CodedColumn | IntColumn)]
    if bad:
        raise ExportError(f"format_csv takes TextColumn, CodedColumn and IntColumn objects, not {bad[0]}")
    lengths = {len(c) for c in columns}
    if len(lengths) > 1:
        raise ExportError(f"the columns have different lengths: {[len(c) for c in columns]}")
    if header is not None and len(header) != len(columns):
        raise ExportError(f"{len(header)} header names for {len(columns)} columns")
    if not columns:
        return np.zeros(0, dtype=np.uint8)
    head = header_line(header) if header is not None else b""
    n = lengths.pop()
    # rows in which every text column is one Arrow chunk
    cuts = {0, n}
    for column in columns:
        if isinstance(column, TextColumn):
            cuts.update(first for first, _ in column._chunks())
    cuts = sorted(c for c in cuts if c <= n)
    keep: list = []
    parts = []
    for start, stop in zip(cuts[:-1], cuts[1:], strict=True):
        table = np.zeros((len(columns), FIELDS), dtype=np.int64)
        for column, row in zip(columns, table, strict=True):
            column._describe(row, start, stop, keep)
        size, flags, bad_column, bad_row = _measure(table, stop - start, _TRIGGERS)
        if bad_column >= 0:
            code = columns[bad_column].codes[start + bad_row]
            raise ExportError(
                f"column {bad_column}: code {code} in row {start + bad_row} is outside its cell table "
                f"of {len(columns[bad_column].cells)} cells"
            )
        parts.append((table, stop - start, size, flags))
    # the caller's buffer, or by default one from Arrow's memory pool, which keeps freed pages for
    # the next chunk, as Arrow's writer does; WIDE spare bytes at the end for the block copies of
    # the last fields
    total = len(head) + sum(size for _, _, size, _ in parts)
    need = total + WIDE
    out = np.frombuffer(pa.allocate_buffer(need), dtype=np.uint8) if allocate is None else allocate(need)
    if out.dtype != np.uint8 or out.ndim != 1 or len(out) < need or not out.flags.writeable:
        raise ExportError(f"allocate({need}) must give a writable uint8 buffer of at least that many bytes")
    out[: len(head)] = np.frombuffer(head, dtype=np.uint8)
    at = len(head)
    for table, rows, size, flags in parts:
        end = _write(out, at, at + size, table, rows, flags)
        if end != at + size:
            raise ExportError("the values changed while they were being written")
        at = end
    return out[:total]  # the arrays in keep were needed until here


# --------------------------------------------------------------------------- compiled passes
@intrinsic
def _pointer(typingctx, address):  # pragma: no cover - compiled
    """The integer ``address`` as a pointer, for :func:`numba.carray` to view."""
    if not isinstance(address, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], cgutils.voidptr_t)

    return types.voidptr(address), codegen


@intrinsic
def _copy(typingctx, to, source, length):  # pragma: no cover - compiled
    """Copy ``length`` bytes from address ``source`` to address ``to`` (a memcpy)."""
    if not all(isinstance(a, types.Integer) for a in (to, source, length)):
        return None

    def codegen(context, builder, signature, args):
        to_, source_, length_ = args
        cgutils.raw_memcpy(
            builder,
            builder.inttoptr(to_, cgutils.voidptr_t),
            builder.inttoptr(source_, cgutils.voidptr_t),
            length_,
            1,
        )
        return context.get_dummy_value()

    return types.void(to, source, length), codegen


@njit(cache=True, nogil=True)
def _bytes(address, length):  # pragma: no cover - compiled
    return numba.carray(_pointer(address), length, np.uint8)


@njit(cache=True, nogil=True)
def _offset(table, c, i):  # pragma: no cover - compiled
    """Where the text of row i of text column c starts (row i - 1 ends)."""
    if table[c, WIDTH] == 8:
        return numba.carray(_pointer(table[c, OFFSETS] + 8 * i), 1, np.int64)[0]
    return np.int64(numba.carray(_pointer(table[c, OFFSETS] + 4 * i), 1, np.int32)[0])


@njit(cache=True, nogil=True)
def _code(table, c, i):  # pragma: no cover - compiled
    width = table[c, WIDTH]
    address = table[c, DATA] + width * i
    if width == 1:
        return np.int64(numba.carray(_pointer(address), 1, np.int8)[0])
    if width == 2:
        return np.int64(numba.carray(_pointer(address), 1, np.int16)[0])
    if width == 4:
        return np.int64(numba.carray(_pointer(address), 1, np.int32)[0])
    return numba.carray(_pointer(address), 1, np.int64)[0]


@njit(cache=True, nogil=True)
def _valid(table, c, i):  # pragma: no cover - compiled
    kind = table[c, VALIDITY]
    if kind == NO_NULLS:
        return True
    if kind == BYTES:
        return _bytes(table[c, VALID] + i, 1)[0] != 0
    bit = table[c, VALID_BIT] + i
    return (_bytes(table[c, VALID] + (bit >> 3), 1)[0] >> (bit & 7)) & 1 == 1


@njit(cache=True, nogil=True)
def _count_quotes(data):  # pragma: no cover - compiled
    count = 0
    for k in range(data.shape[0]):
        count += data[k] == 34
    return count


@njit(cache=True, nogil=True)
def _mark_quotes(data, offsets, flags):  # pragma: no cover - compiled
    """Flag the rows whose text holds a quote mark; returns how many quote marks there are.

    ``data`` starts at the first row's text. Blocks of 64 bytes are counted at once (a loop of
    fixed length, which the compiler vectorises), and only a block holding a quote mark is looked
    at byte by byte.
    """
    length = data.shape[0]
    full = length - length % 64
    count = 0
    row = 0
    for block in range(0, full, 64):
        found = 0
        for p in range(block, block + 64):
            found += data[p] == 34
        if found:
            count += found
            row = _flag_rows(data, block, block + 64, offsets, row, flags)
    found = _count_quotes(data[full:])
    if found:
        count += found
        _flag_rows(data, full, length, offsets, row, flags)
    return count


@njit(cache=True, nogil=True)
def _flag_rows(data, start, end, offsets, row, flags):  # pragma: no cover - compiled
    """Flag the rows holding the quote marks in data[start:end], from ``row`` on; returns the last."""
    first = offsets[0]
    for p in range(start, end):
        if data[p] == 34:
            while offsets[row + 1] - first <= p:
                row += 1
            flags[row] |= QUOTES
    return row


@njit(cache=True, nogil=True)
def _digits(value):  # pragma: no cover - compiled
    """Characters of an int64 in decimal, the minus sign included."""
    count = 1
    if value < 0:
        count = 2
        magnitude = np.uint64(-(value + 1)) + np.uint64(1)
    else:
        magnitude = np.uint64(value)
    while magnitude >= np.uint64(10):
        magnitude //= np.uint64(10)
        count += 1
    return count


@njit(cache=True, nogil=True)
def _measure(table, n, triggers):  # pragma: no cover - compiled
    """Bytes the rows take and the flags of every text cell; or the first code out of range.

    Returns (size, flags, bad column, bad row), the last two -1 when every code is in range.
    ``flags[c, i]`` says how to write row i of text column c (PRESENT, APOSTROPHE, QUOTES);
    the rows of other columns are left unset. Column by column, each through a view of its type.
    """
    columns = table.shape[0]
    flags = np.empty((columns, n), dtype=np.uint8)
    size = n * columns  # a comma or the newline after every field
    for c in range(columns):
        kind = table[c, KIND]
        width = table[c, WIDTH]
        bad = -1
        if kind == TEXT:
            if width == 8:
                offsets64 = numba.carray(_pointer(table[c, OFFSETS]), n + 1, np.int64)
                more = _text_size(offsets64, table, c, triggers, flags[c])
            else:
                offsets32 = numba.carray(_pointer(table[c, OFFSETS]), n + 1, np.int32)
                more = _text_size(offsets32, table, c, triggers, flags[c])
        elif kind == CODED:
            cells = numba.carray(_pointer(table[c, CELL_OFFSETS]), table[c, CELL_COUNT] + 1, np.int64)
            if width == 1:
                more, bad = _cells_size(numba.carray(_pointer(table[c, DATA]), n, np.int8), cells)
            elif width == 2:
                more, bad = _cells_size(numba.carray(_pointer(table[c, DATA]), n, np.int16), cells)
            elif width == 4:
                more, bad = _cells_size(numba.carray(_pointer(table[c, DATA]), n, np.int32), cells)
            else:
                more, bad = _cells_size(numba.carray(_pointer(table[c, DATA]), n, np.int64), cells)
        else:
            values = numba.carray(_pointer(table[c, DATA]), n, np.int64)
            more = 0
            for i in range(n):
                if _valid(table, c, i):
                    more += _digits(values[i])
        if bad >= 0:
            return size, flags, c, bad
        size += more
    return size, flags, -1, -1


@njit(cache=True, nogil=True)
def _text_size(offsets, table, c, triggers, flags):  # pragma: no cover - compiled
    """Bytes of text column c, and the flags of its cells.

    The quote marks are counted over the whole buffer at once; the rows are looked at one by one
    only for nulls and, when neutralising, first bytes.
    """
    n = offsets.shape[0] - 1
    first = offsets[0]
    data = _bytes(table[c, DATA] + first, offsets[n] - first)
    nulls = table[c, VALIDITY] == BITMAP
    neutralise = table[c, NEUTRALISE] != 0
    size = data.shape[0] + 2 * n
    if not nulls and not neutralise:
        flags[:] = PRESENT
    else:
        bit = table[c, VALID_BIT]
        bitmap = _bytes(table[c, VALID], (bit + n + 7) >> 3 if nulls else 0)
        for i in range(n):
            start = offsets[i] - first
            end = offsets[i + 1] - first
            if nulls and not (bitmap[(bit + i) >> 3] >> ((bit + i) & 7)) & 1:
                flags[i] = 0
                size -= end - start + 2 + _count_quotes(data[start:end])  # the quotes are added back below
            elif neutralise and end > start and triggers[data[start]]:
                flags[i] = PRESENT | APOSTROPHE
                size += 1
            else:
                flags[i] = PRESENT
    return size + _mark_quotes(data, offsets, flags)


@njit(cache=True, nogil=True)
def _cells_size(codes, offsets):  # pragma: no cover - compiled
    """(bytes, -1) of the cells the codes pick; or (0, the first row whose code is out of range)."""
    cells = offsets.shape[0] - 1
    size = 0
    for i in range(codes.shape[0]):
        code = codes[i]
        if code < 0 or code >= cells:
            return 0, i
        size += offsets[code + 1] - offsets[code]
    return size, -1


@njit(cache=True, nogil=True)
def _write(out, at, room, table, n, flags):  # pragma: no cover - compiled
    """Write the rows into ``out[at:room]``, row after row; returns where they end.

    A field of at most WIDE bytes is copied as a block of WIDE bytes (a few vector moves instead
    of a call to memcpy) when the block lies inside its source and inside ``out``: the bytes past
    the field are overwritten by the fields after it, or fall into the spare bytes after ``room``.
    Every field is checked to fit before ``room`` before it is written: -1 if one would not (the
    values changed since they were measured).
    """
    columns = table.shape[0]
    address = out.ctypes.data
    wide = out.shape[0] - WIDE  # the last position a block may start at
    m = at
    ends = np.zeros(columns, dtype=np.int64)  # where the text of the row before ended
    for c in range(columns):
        if table[c, KIND] == TEXT and n:
            ends[c] = _offset(table, c, 0)
    for i in range(n):
        for c in range(columns):
            kind = table[c, KIND]
            if kind == TEXT:
                start = ends[c]
                end = _offset(table, c, i + 1)
                ends[c] = end
                flag = flags[c, i]
                if flag & PRESENT:
                    cell = _bytes(table[c, DATA] + start, end - start)
                    extra = 1 if flag & APOSTROPHE else 0
                    if flag & QUOTES:
                        extra += _count_quotes(cell)
                    if m + cell.shape[0] + extra + 3 > room:
                        return -1
                    out[m] = 34
                    m += 1
                    if flag & APOSTROPHE:
                        out[m] = 39
                        m += 1
                    if flag & QUOTES:
                        m = _copy_doubling_quotes(out, m, cell)
                    elif cell.shape[0] <= WIDE and m <= wide and start + WIDE <= table[c, DATA_END] - table[c, DATA]:
                        _copy(address + m, cell.ctypes.data, WIDE)
                        m += cell.shape[0]
                    else:
                        _copy(address + m, cell.ctypes.data, cell.shape[0])
                        m += cell.shape[0]
                    out[m] = 34
                    m += 1
                elif m + 1 > room:
                    return -1
            elif kind == CODED:
                code = _code(table, c, i)
                if code < 0 or code >= table[c, CELL_COUNT]:
                    return -1
                offsets = numba.carray(_pointer(table[c, CELL_OFFSETS] + 8 * code), 2, np.int64)
                if m + offsets[1] - offsets[0] + 1 > room:
                    return -1
                if offsets[1] - offsets[0] <= WIDE and m <= wide:  # cell tables end with WIDE spare bytes
                    _copy(address + m, table[c, CELL_DATA] + offsets[0], WIDE)
                else:
                    _copy(address + m, table[c, CELL_DATA] + offsets[0], offsets[1] - offsets[0])
                m += offsets[1] - offsets[0]
            elif _valid(table, c, i):
                value = numba.carray(_pointer(table[c, DATA] + 8 * i), 1, np.int64)[0]
                if m + _digits(value) + 1 > room:
                    return -1
                m = _put_int(out, m, value)
            elif m + 1 > room:
                return -1
            out[m] = 44 if c < columns - 1 else 10
            m += 1
    return m


@njit(cache=True, nogil=True)
def _copy_doubling_quotes(out, m, cell):  # pragma: no cover - compiled
    for k in range(cell.shape[0]):
        out[m] = cell[k]
        m += 1
        if cell[k] == 34:
            out[m] = 34
            m += 1
    return m


@njit(cache=True, nogil=True)
def _put_int(out, m, value):  # pragma: no cover - compiled
    """Write an int64 in decimal at m; returns where it ends."""
    digits = _digits(value)
    magnitude = np.uint64(value)
    if value < 0:
        out[m] = 45
        magnitude = np.uint64(-(value + 1)) + np.uint64(1)
    k = m + digits - 1
    while True:
        out[k] = 48 + magnitude % np.uint64(10)
        magnitude //= np.uint64(10)
        k -= 1
        if magnitude == 0:
            break
    return m + digits
