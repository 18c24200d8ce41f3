"""Files that appear complete or not at all, and the formula-safe CSV.

Every writer in :mod:`socanalysis.present` writes through :class:`AtomicFile`: the bytes go to a
temporary file beside the target, are flushed to disk (``fsync``), and the temporary file is then
renamed over the target, so a reader never sees half a file and a failed export leaves any earlier
file in place.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp()) / "note.txt"
>>> _ = write_text(out, "done")
>>> out.read_text(encoding="utf-8"), sorted(p.name for p in out.parent.iterdir())
('done', ['note.txt'])
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pandas as pd

from ..errors import ExportError, SocAnalysisError
from .cells import neutral_text, neutralise

__all__ = ["AtomicFile", "write_bytes", "write_csv", "write_text"]


def cannot_write(path: str | os.PathLike, exc: BaseException) -> ExportError:
    """The error for a file that could not be written, naming it and the reason."""
    return ExportError(f"cannot write {str(path)!r}: {getattr(exc, 'strerror', None) or exc}")


class AtomicFile:
    """A temporary file beside ``path`` that becomes ``path`` on :meth:`commit`, or disappears.

    The temporary file is created at once (empty, with the permissions a new file gets) in the
    target's folder, named ``.<name>.<random><suffix>`` so that tools that look at the suffix
    (pandas' compression, xlsxwriter) see the target's. Used as a context manager it commits when
    the block ends normally and discards the file when it raises.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.

    Raises
    ------
    ExportError
        When the folder does not exist or cannot be written to.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "data.bin"
    >>> with AtomicFile(target) as file:
    ...     _ = file.temp.write_bytes(b"abc")
    ...     target.exists()
    False
    >>> target.read_bytes()
    b'abc'
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.done = False
        for _ in range(100):
            temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}{self.path.suffix}")
            try:
                handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            except OSError as exc:
                raise cannot_write(self.path, exc) from exc
            os.close(handle)
            self.temp = temp
            return
        raise ExportError(f"cannot write {str(self.path)!r}: no free temporary name beside it")  # pragma: no cover

    def commit(self) -> Path:
        """Flush the temporary file to disk and rename it to :attr:`path`; returns the path."""
        if self.done:
            return self.path
        try:
            handle = os.open(self.temp, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise cannot_write(self.path, exc) from exc
        self.done = True
        return self.path

    def discard(self) -> None:
        """Remove the temporary file; the target is left as it was."""
        self.done = True
        self.temp.unlink(missing_ok=True)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path``, complete or not at all."""
    with AtomicFile(path) as file:
        try:
            file.temp.write_bytes(data)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    return file.path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path``, complete or not at all."""
    return write_bytes(path, text.encode("utf-8"))


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, index: bool = False) -> Path:
    """Write a formula-safe CSV that Excel opens with accents intact (UTF-8 with a BOM).

    Parameters
    ----------
    df : pandas.DataFrame
        Not modified.
    path : str or os.PathLike
    index : bool
        Write the index as the first column.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "leads.csv"
    >>> _ = write_csv(pd.DataFrame({"Company": ["Société =Générale", "=1+1"]}), out)
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf", out.read_text(encoding="utf-8-sig").splitlines()
    (True, ['Company', 'Société =Générale', "'=1+1"])
    """
    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"write_csv() takes a DataFrame, not {type(df).__name__}")
    safe = neutralise(df)
    safe.columns = [neutral_text(str(c)) for c in df.columns]
    if index and safe.index.dtype == object:
        safe.index = neutralise(pd.Series(safe.index.astype(str))).to_numpy()
    with AtomicFile(path) as file:
        try:
            safe.to_csv(file.temp, index=index, encoding="utf-8-sig")
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    return file.path
