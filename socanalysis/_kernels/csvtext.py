"""The compiled passes of :func:`socanalysis._kernels.csvout.format_csv`: measuring the rows, then
writing them.

The columns are read through their memory addresses, kept in one int64 array with a row per
column (the *descriptor* below), so that a table of any width and mix of kinds runs through the
same compiled code. Compiled with numba, cached next to this file, and free of the GIL while they
run.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

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
def measure(table, n, triggers):  # pragma: no cover - compiled
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
def write(out, at, room, table, n, flags):  # pragma: no cover - compiled
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


# gain, measured on an 8 MB chunk of the benchmark's million-row lead list (520,000 quote marks):
# 9 ms of CPU against 20 ms for the same test with NumPy (the positions of the quote marks, then
# their neighbours), which the engine uses until numba is loaded
@njit(cache=True, nogil=True)
def stray_quote(data: np.ndarray, delimiter: int) -> bool:
    """Whether whole rows of CSV bytes hold an odd number of quote marks, or one inside a value
    (neither its left nor its right neighbour a delimiter, a line end or another quote mark): a
    quote mark a reader may take to open a value that swallows the rows after it."""
    n = len(data)
    count = 0
    for i in range(n):
        if data[i] != 34:
            continue
        count += 1
        left = data[i - 1] if i > 0 else 10
        right = data[i + 1] if i + 1 < n else 10
        if (
            left != delimiter
            and left != 10
            and left != 13
            and left != 34
            and right != delimiter
            and right != 10
            and right != 13
            and right != 34
        ):
            return True
    return count % 2 == 1
