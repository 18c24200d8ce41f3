"""Writing what the batch engine classifies: CSV text formatted from Arrow columns into reused
buffers, and the output file (CSV, Parquet or XLSX) appended to chunk after chunk, written behind.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .._kernels import CellTable, CodedColumn, TextColumn
from ..errors import ExportError
from ..load import ARROW_TEXT
from .streaming import OUTPUT_FORMATS

DROP_BEHIND_BYTES = 64 << 20  # output written this far back is dropped from the page cache (see DropBehind)
_ADVISE = hasattr(os, "posix_fadvise")


# --------------------------------------------------------------------------- CSV text
def csv_column(column: pa.Array | pa.ChunkedArray, neutralise: bool):
    """The formatter's column for an Arrow column: text as text, a dictionary column as codes into
    its formatted values, scores to three decimals as codes into the thousandths, any other
    column as codes into its distinct values, formatted by Arrow."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        values = tuple(column.dictionary.to_pylist())
        cells = _small_cells(values, neutralise) if len(values) <= 256 else CellTable.from_strings(values, neutralise)
        return CodedColumn(cells, column.indices.to_numpy())
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return TextColumn(column, neutralise)
    if pa.types.is_float64(kind) and not column.null_count:
        scores = column.to_numpy()
        thousandths = np.rint(scores * 1000)
        if np.all((thousandths >= 0) & (thousandths <= 1000)) and np.array_equal(thousandths / 1000, scores):
            return CodedColumn(_thousandths(), thousandths.astype(np.int16))
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column, null_encoding="encode")
    return CodedColumn(CellTable.from_arrow(encoded.dictionary), encoded.indices.to_numpy())


@lru_cache(maxsize=64)
def _small_cells(values: tuple[str, ...], neutralise: bool) -> CellTable:
    return CellTable.from_strings(values, neutralise)


@lru_cache(maxsize=1)
def _thousandths() -> CellTable:
    return CellTable.from_arrow(pa.array(np.arange(1001) / 1000))


class Buffers:
    """The buffers the chunks' CSV text is written into, handed back once the text is written.

    A chunk's text is tens of megabytes: written into a new buffer every time, its pages would be
    mapped and zeroed by the kernel again for every chunk. Buffers are taken by the worker threads
    and given back by the writer; there are never many more than chunks in flight, and at most
    ``keep`` wait to be taken again.
    """

    def __init__(self, keep: int = 8):
        self._free: list[np.ndarray] = []
        self._keep = keep
        self._lock = threading.Lock()

    def take(self, size: int) -> np.ndarray:
        """A buffer of at least ``size`` bytes: the smallest free one that is large enough, or a new one."""
        with self._lock:
            fits = [i for i, buf in enumerate(self._free) if len(buf) >= size]
            if fits:
                return self._free.pop(min(fits, key=lambda i: len(self._free[i])))
        return np.empty(size + size // 8, dtype=np.uint8)  # room for a somewhat larger chunk next time

    def give(self, text: np.ndarray) -> None:
        """Take back the buffer ``text`` was written into (``text`` may be a view of it)."""
        buf = text.base if isinstance(text.base, np.ndarray) else text
        with self._lock:
            self._free.append(buf)
            if len(self._free) > self._keep:  # drop the smallest
                self._free.pop(min(range(len(self._free)), key=lambda i: len(self._free[i])))


# --------------------------------------------------------------------------- writing
class Writer:
    """Appends chunks of results to a CSV, Parquet or XLSX file: CSV as text, the others as tables.

    The chunks go to a temporary file beside the output (:class:`socanalysis.present.AtomicFile`),
    which becomes the output on :meth:`close`: a run that fails, is interrupted or killed leaves
    no output, or the earlier one as it was. The output is locked meanwhile (a second run writing
    it is refused), and is never one of ``inputs``. A failing write (a full disk) raises
    :class:`~socanalysis.errors.ExportError` naming the output.
    """

    def __init__(self, path: Path, inputs=()):
        from ..present import AtomicFile

        self.path = path
        self.ext = path.suffix.lower()
        if self.ext not in OUTPUT_FORMATS:
            raise ExportError(f"cannot write {str(path)!r}: the output must end in one of {', '.join(OUTPUT_FORMATS)}")
        self._file = AtomicFile(path, inputs=inputs)
        self._sink = None
        self._schema = None
        self._behind: DropBehind | None = None

    def write_text(self, text: np.ndarray) -> None:
        """Append CSV text (the header included in the first chunk's)."""
        with self._failing():
            if self._sink is None:
                # unbuffered: each chunk's text goes to the OS in one call, without the GIL
                self._sink = open(self._file.temp, "wb", buffering=0)  # noqa: SIM115 - closed in close() or abort()
                self._behind = DropBehind(self._sink.fileno())
            view = memoryview(text)
            while view:
                view = view[self._sink.write(view) :]
            self._behind.advance()

    def write_table(self, table: pa.Table) -> None:
        """Append the rows of a table, Parquet or XLSX (the first table's schema holds for all)."""
        with self._failing():
            if self._schema is None:
                self._schema = table.schema
                if self.ext == ".parquet":
                    self._sink = pq.ParquetWriter(str(self._file.temp), self._schema)
                    self._behind = DropBehind(os.open(self._file.temp, os.O_RDONLY), own=True)
                else:
                    from ..present import LeadsXlsxWriter

                    self._sink = LeadsXlsxWriter(self._file.temp, list(self._schema.names))
            else:
                table = table.cast(self._schema)
            if self.ext == ".xlsx":
                self._sink.append(table.to_pandas(types_mapper=ARROW_TEXT.get))
            else:
                self._sink.write_table(table)
                self._behind.advance()

    def abort(self) -> None:
        """Stop after a failure: close and delete the temporary file; the output is left as it was."""
        try:
            if self._sink is not None and self.ext == ".xlsx":
                self._sink.abort()
            elif self._sink is not None:
                self._sink.close()
        except OSError:  # a full disk: the file is deleted anyway
            pass
        finally:
            self._sink = None
            self._release()
            self._file.discard()

    def close(self, summary: pd.DataFrame | None = None) -> None:
        """Finish the file and put it in place; a workbook gets the ``summary`` table on a sheet of its own."""
        try:
            with self._failing():
                if self.ext == ".xlsx":
                    try:
                        self._sink.close(summary)
                    except ExportError as exc:  # it names its own temporary file: name the output
                        if isinstance(exc.__cause__, OSError):
                            raise exc.__cause__ from None
                        raise
                else:
                    self._sink.close()
        except BaseException:
            self.abort()
            raise
        finally:
            self._release()
        self._sink = None
        self._file.commit()

    @contextmanager
    def _failing(self):
        """An error of the system while writing (a full disk, a folder gone) as the output's error."""
        try:
            yield
        except OSError as exc:
            from ..present import cannot_write

            raise cannot_write(self.path, exc) from exc

    def _release(self) -> None:
        if self._behind is not None:
            self._behind.close()
            self._behind = None


class DropBehind:
    """Writes an output behind: the pages written are handed to the disk at once and, once
    ``DROP_BEHIND_BYTES`` more have been written after them, dropped from the page cache.

    A lead list's output is written once and read later, if at all; keeping gigabytes of it in the
    page cache only takes memory from everything else, and pages the cache has just dropped are
    the cheapest for the next writes to take (fresh ones cost the writer about twice the CPU on
    the machines measured in ``benchmarks/README.md``). Only a hint to the kernel: no data is ever
    dropped before it is on disk, and where ``os.posix_fadvise`` does not exist nothing happens.
    """

    def __init__(self, fd: int, *, own: bool = False):
        self._fd = fd if _ADVISE else None
        self._owned = fd if own else None  # a descriptor of its own, closed with this object
        self._written = 0  # bytes handed to the disk so far

    def advance(self) -> None:
        """Call after each write: start writing back what is new, drop what is far enough behind."""
        if self._fd is None:
            return
        try:
            size = os.fstat(self._fd).st_size
            if size > self._written:
                # dirty pages are not dropped but written back, without waiting
                os.posix_fadvise(self._fd, self._written, size - self._written, os.POSIX_FADV_DONTNEED)
                self._written = size
            if size > DROP_BEHIND_BYTES:
                os.posix_fadvise(self._fd, 0, size - DROP_BEHIND_BYTES, os.POSIX_FADV_DONTNEED)
        except OSError:  # a file system that takes no advice: write as usual
            self._fd = None

    def close(self) -> None:
        if self._owned is not None:
            os.close(self._owned)
            self._owned = None
